#!/usr/bin/env node
// `cdk8s-omnia validate PATH...`: checks the Omnia objects of YAML and JSON manifests, read as kubectl reads them.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Worker } from 'worker_threads';
import { DEFAULT_API_TARGET, OmniaApiTarget } from './api';
import { isApiTarget } from './validation/crds';
import { FindingCheck, formatLocatedFinding, LocatedFinding, locateFindings, ValidationFinding } from './validation/findings';
import { checkUnits, UnitsChecked } from './validation/check-units';
import { inferTarget, observeUnits, TargetChoice, TargetObservation, targetShapes } from './validation/infer-target';
import { append } from './validation/append';
import { checkAcross, DuplicateIndex } from './validation/manifests';
import { ManifestUnit, splitManifestText, streamManifestUnits, UndecodableFile, UnreadableDocument } from './validation/read-manifests';
import { ExternalObject, LocatedManifest, parseExternal } from './validation/references';
import { sarifLog } from './validation/sarif';

const USAGE = `usage: cdk8s-omnia validate [options] PATH...
       cdk8s-omnia init [FOLDER]   (a new project: see cdk8s-omnia init --help)

Checks every Omnia object (AgentRuntime, PromptPack, ToolRegistry; for a release also Provider and its other
kinds) in the manifests as the API server would, plus the references between the objects given. PATH is a
YAML or JSON file, a folder (read recursively for *.yaml, *.yml and *.json) or - for standard input. Each
finding names the file, line and column of its own field: FILE:LINE:COLUMN: Kind namespace/name: field: reason.

options:
  --target ${OmniaApiTarget.V0_9_0_BETA_17}|documented
                                   the Omnia API the manifests are written for: the release's CRDs and its
                                   references (Provider objects, context, extraEnv), or the documented API and
                                   this package's CRDs. Without it the input tells: kinds only one target has
                                   (Provider, Workspace, ...), spec fields only one knows (spec.facades or
                                   spec.facade), or Omnia CRDs among the files; the summary says which target
                                   was used and why. Input that tells nothing, or both, is checked for the
                                   default, ${DEFAULT_API_TARGET} (the newest release)
  --external Kind/namespace/name   an object that lives outside the manifests (repeatable; Kind/name: any namespace)
  --no-references                  skip the reference checks
  --output text|json|sarif         how findings are printed (default text); also --format; --json and --sarif
                                   are short for --output json and --output sarif. SARIF 2.1.0 is what
                                   code-scanning tools read (GitHub: upload it with codeql-action/upload-sarif)
  -h, --help                       print this help

exit codes: 0 no findings, 1 findings, 2 bad usage or unreadable input, 3 internal error`;

/** Exit codes CI can rely on. */
export enum ExitCode {
  CLEAN = 0,
  FINDINGS = 1,
  USAGE_OR_INPUT = 2,
  INTERNAL_ERROR = 3,
}

class UsageError extends Error {}

/** How the outcome is printed. */
type Format = 'text' | 'json' | 'sarif';
const FORMATS: Format[] = ['text', 'json', 'sarif'];

interface Options {
  /** Undefined: inferred from the input. */
  readonly target?: OmniaApiTarget;
  readonly references: boolean;
  readonly externals: ExternalObject[];
  readonly paths: string[];
  readonly format: Format;
}

function parseArgs(args: string[]): Options | 'help' {
  let references = true;
  let format: Format = 'text';
  let target: OmniaApiTarget | undefined;
  const externals: ExternalObject[] = [];
  const paths: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '-h' || arg === '--help') return 'help';
    if (arg === '--no-references') references = false;
    else if (arg === '--external') {
      try {
        externals.push(parseExternal(args[++i] ?? ''));
      } catch (e) {
        throw new UsageError((e as Error).message);
      }
    } else if (arg === '--target') {
      const value = args[++i];
      if (!isApiTarget(value)) throw new UsageError(`--target takes ${Object.values(OmniaApiTarget).join(' or ')}, not ${JSON.stringify(value ?? '')}`);
      target = value;
    } else if (arg === '--output' || arg === '--format') {
      const value = args[++i];
      if (!FORMATS.includes(value as Format)) throw new UsageError(`${arg} takes ${FORMATS.join(', ')}, not ${JSON.stringify(value ?? '')}`);
      format = value as Format;
    } else if (arg === '--json' || arg === '--sarif') {
      format = arg === '--json' ? 'json' : 'sarif';
    } else if (arg.startsWith('-') && arg !== '-') {
      throw new UsageError(`unknown option ${arg}`);
    } else {
      paths.push(arg);
    }
  }
  if (!paths.length) throw new UsageError('no PATH given');
  return { target, references, externals, paths, format };
}

/** The manifest files under `target`: itself, or the *.yaml, *.yml and *.json files of a folder, recursively. */
function manifestFiles(target: string, seen = new Set<string>()): string[] {
  const stat = fs.statSync(target);
  if (!stat.isDirectory()) return [target];
  const real = fs.realpathSync(target);
  if (seen.has(real)) return [];
  seen.add(real);
  return fs.readdirSync(target).sort().flatMap((entry) => {
    const full = path.join(target, entry);
    const isDir = fs.statSync(full, { throwIfNoEntry: false })?.isDirectory();
    if (isDir) return manifestFiles(full, seen);
    return /\.(ya?ml|json)$/i.test(entry) ? [full] : [];
  });
}

/**
 * Decodes a file as kubectl does: YAML must be valid UTF-8 (go-yaml refuses anything else); JSON is decoded
 * with invalid bytes replaced, as Go's encoding/json does.
 */
function decode(data: Uint8Array): string | { error: string } {
  const bytes = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  if (JSON_START.test(bytes.subarray(0, 64).toString('latin1'))) return bytes.toString('utf8');
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return { error: 'not valid UTF-8: YAML must be UTF-8 text' };
  }
}

// A UTF-8 byte-order mark (as Latin-1 characters) and blanks, then `{`: kubectl reads a JSON stream.
const JSON_START = /^(?:\xEF\xBB\xBF)?[ \t\r\n]*\{/;

/**
 * Runs the CLI. `out` receives each line of output; `stdin` supplies standard input for the path `-`.
 * Returns the exit code. Checks in this thread; `runCli` shares large inputs with a second thread.
 */
export function main(argv: string[], out: (line: string) => void = console.log, stdin: () => Buffer = () => fs.readFileSync(0)): number {
  try {
    const prepared = prepare(argv, out, stdin);
    if (typeof prepared === 'number') return prepared;
    const results = new CheckResults(prepared.options.references);
    for (const step of readBatches(prepared)) {
      if ('failed' in step) results.drop(step.failed);
      else results.add(step.origin, checkUnits(step.units, prepared.options.references, prepared.target.target));
    }
    return report(prepared, results, out);
  } catch (e) {
    return internalError(e, out);
  }
}

/** `main` for the command line: inputs of PARALLEL_FROM_BYTES or more are checked by two threads, batch by batch. */
export async function runCli(argv: string[], out: (line: string) => void = console.log): Promise<number> {
  let helper: Worker | undefined;
  try {
    // A worker is started as soon as the inputs look large, so that it loads the checks while this thread reads
    // (those of --target, else of the default: the target inferred is sent with the units).
    const prepared = prepare(argv, out, () => fs.readFileSync(0), (bytes, options) => { helper = bytes >= PARALLEL_FROM_BYTES ? startHelper(options.target ?? DEFAULT_API_TARGET) : undefined; });
    if (typeof prepared === 'number') return prepared;
    const { references: keep } = prepared.options;
    const target = prepared.target.target;
    const results = new CheckResults(prepared.options.references);
    if (!helper) {
      for (const step of readBatches(prepared)) {
        if ('failed' in step) results.drop(step.failed);
        else results.add(step.origin, checkUnits(step.units, keep, target));
      }
      return report(prepared, results, out);
    }
    const worker = helper;
    // Every other batch goes to the helper; at most two wait for it, so that memory stays flat.
    const waiting = new Map<number, (m: { result?: UnitsChecked; error?: string }) => void>();
    worker.on('message', (m: { id: number; result?: UnitsChecked; error?: string }) => { waiting.get(m.id)?.(m); waiting.delete(m.id); });
    const failure = new Promise<never>((_, reject) => worker.once('error', reject));
    failure.catch(() => undefined);
    const inFlight: Array<Promise<void>> = [];
    let id = 0;
    for (const step of readBatches(prepared)) {
      if ('failed' in step) {
        await Promise.all(inFlight.splice(0));
        results.drop(step.failed);
        continue;
      }
      if (id++ % 2 === 0) {
        const slot = results.reserve(step.origin);
        const batchId = id;
        inFlight.push(Promise.race([failure, new Promise<void>((resolve, reject) => {
          waiting.set(batchId, (m) => (m.result ? (results.fill(slot, m.result), resolve()) : reject(new Error(m.error))));
        })]));
        worker.postMessage({ id: batchId, units: step.units, keepManifests: keep, target });
      } else {
        results.add(step.origin, checkUnits(step.units, keep, target));
      }
      while (inFlight.length > 1) await inFlight.shift();
    }
    await Promise.all(inFlight);
    return report(prepared, results, out);
  } catch (e) {
    return internalError(e, out);
  } finally {
    await helper?.terminate();
  }
}

function internalError(e: unknown, out: (line: string) => void): number {
  // A bug of this tool, not of the manifests: say so, without a stack trace.
  out(`cdk8s-omnia: internal error: ${(e as Error)?.message ?? String(e)} (please report it)`);
  return ExitCode.INTERNAL_ERROR;
}

// Below this size a second thread costs more (its start, copying the units) than it saves.
const PARALLEL_FROM_BYTES = 4 * 2 ** 20;
/** Units checked together: one message to the helper thread. Small, so that few are held at once. */
const BATCH_UNITS = 100;
// The helper's objects die young, batch by batch: a small young generation is collected sooner and costs
// less memory than V8's default (measured: the same time, 10-15 MB less peak at 100,000 objects).
const HELPER_YOUNG_MB = 16;

function startHelper(target: OmniaApiTarget): Worker | undefined {
  const workerFile = path.join(__dirname, 'validation', 'check-worker.js');
  return os.cpus().length > 1 && fs.existsSync(workerFile) ? new Worker(workerFile, { workerData: { target }, resourceLimits: { maxYoungGenerationSizeMb: HELPER_YOUNG_MB } }) : undefined;
}

/**
 * What the checks of each object found, folded in batch by batch in the order read (a batch is one file's).
 * With references checked, the objects are kept for the checks across objects (of each only what those
 * read, see `checkUnits`); without, only their identities are, for the duplicate check.
 */
class CheckResults {
  /** Batches read, not yet folded in: the first waits for the helper thread. */
  private pending: BatchSlot[] = [];
  private objects: LocatedManifest[] = [];
  private findings: LocatedFinding[] = [];
  private duplicates: ValidationFinding[] = [];
  private unreadable: UnreadableDocument[] = [];
  private readonly counts = new Map<string, number>();
  private readonly identities?: DuplicateIndex;

  public constructor(keepObjects: boolean) {
    if (!keepObjects) this.identities = new DuplicateIndex();
  }

  public add(origin: string, result: UnitsChecked): void {
    this.pending.push({ origin, result });
    this.fold();
  }

  /** A place for a batch checked elsewhere, in reading order. */
  public reserve(origin: string): BatchSlot {
    const slot: BatchSlot = { origin };
    this.pending.push(slot);
    return slot;
  }

  public fill(slot: BatchSlot, result: UnitsChecked): void {
    slot.result = result;
    this.fold();
  }

  /** A file found unreadable part way: what was checked of it is dropped, and it is reported as a whole. */
  public drop(problem: UnreadableDocument): void {
    const other = (x: { origin?: string }) => x.origin !== problem.origin;
    this.pending = this.pending.filter(other);
    this.objects = this.objects.filter(other);
    this.findings = this.findings.filter(other);
    this.duplicates = this.duplicates.filter(other);
    this.unreadable = this.unreadable.filter(other);
    this.counts.delete(problem.origin ?? '');
    this.identities?.forget(problem.origin ?? '');
    this.unreadable.push(problem);
    this.fold();
  }

  public get all(): UnitsChecked & { readonly duplicates: ValidationFinding[] } {
    let count = 0;
    for (const n of this.counts.values()) count += n;
    return { objects: this.objects, findings: this.findings, duplicates: this.duplicates, unreadable: this.unreadable, count };
  }

  private fold(): void {
    while (this.pending.length && this.pending[0].result) {
      const { origin, result } = this.pending.shift()!;
      this.counts.set(origin, (this.counts.get(origin) ?? 0) + result!.count);
      append(this.findings, result!.findings);
      append(this.unreadable, result!.unreadable);
      if (!this.identities) {
        append(this.objects, result!.objects);
        continue;
      }
      for (const o of result!.objects) {
        const found = this.identities.add(o);
        if (found) this.duplicates.push(found);
      }
    }
  }
}

interface BatchSlot {
  readonly origin: string;
  result?: UnitsChecked;
}

interface Prepared {
  readonly options: Options;
  /** The files to read, `-` for standard input. */
  readonly files: string[];
  /** Standard input, read once: it cannot be read again. */
  readonly stdinUnits?: ManifestUnit[];
  readonly unreadable: UnreadableDocument[];
  /** The target the units are checked for, and why. */
  readonly target: TargetChoice;
}

/** Parses the arguments and finds the inputs; a number is the exit code of a finished run. */
function prepare(argv: string[], out: (line: string) => void, stdin: () => Buffer, beforeReading?: (bytes: number, options: Options) => void): Prepared | number {
  const [command, ...rest] = argv;
  if (command === '-h' || command === '--help' || command === 'help') {
    out(USAGE);
    return ExitCode.CLEAN;
  }
  let options: Options | 'help';
  try {
    if (command !== 'validate') throw new UsageError(command ? `unknown command ${command}` : 'no command given');
    options = parseArgs(rest);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    out(`cdk8s-omnia: ${e.message}\n\n${USAGE}`);
    return ExitCode.USAGE_OR_INPUT;
  }
  if (options === 'help') {
    out(USAGE);
    return ExitCode.CLEAN;
  }
  const unreadable: UnreadableDocument[] = [];
  const files: string[] = [];
  for (const target of options.paths) {
    try {
      files.push(...(target === '-' ? ['-'] : manifestFiles(target)));
    } catch (e) {
      unreadable.push({ origin: target, document: 0, line: 0, message: `cannot be read: ${(e as Error).message}` });
    }
  }
  beforeReading?.(files.reduce((n, f) => n + (f === '-' ? 0 : fs.statSync(f, { throwIfNoEntry: false })?.size ?? 0), 0), options);
  let stdinUnits: ManifestUnit[] | undefined;
  if (files.includes('-')) {
    try {
      const text = decode(stdin());
      if (typeof text === 'string') stdinUnits = splitManifestText(text, '<stdin>');
      else unreadable.push({ origin: '<stdin>', document: 0, line: 0, message: text.error });
    } catch (e) {
      unreadable.push({ origin: '-', document: 0, line: 0, message: `cannot be read: ${(e as Error).message}` });
    }
  }
  const partial = { options, files, stdinUnits, unreadable };
  // Inferred in a pass of its own, which reads the objects' kinds and spec keys only.
  const target: TargetChoice = options.target
    ? { target: options.target, source: 'option', reason: 'named by --target' }
    : inferTarget(observations(partial), targetShapes(), DEFAULT_API_TARGET);
  return { ...partial, target };
}

type Inputs = Pick<Prepared, 'files' | 'stdinUnits'>;

/** What the target inference reads of each readable file, file by file. */
function* observations(inputs: Inputs): Generator<TargetObservation> {
  for (const file of inputs.files) {
    const seen: TargetObservation[] = [];
    try {
      for (const units of unitsOf(inputs, file)) seen.push(...observeUnits(units));
    } catch {
      continue; // reported by the checks' pass
    }
    yield* seen;
  }
}

/**
 * The units of a file, a batch at a time, read as they are needed (a large file is never held whole).
 * Throws `UndecodableFile` as `streamManifestUnits` does, and an `Error` when the file cannot be read.
 */
function* unitsOf(inputs: Inputs, file: string): Generator<ManifestUnit[]> {
  if (file === '-') {
    const units = inputs.stdinUnits ?? [];
    for (let i = 0; i < units.length; i += BATCH_UNITS) yield units.slice(i, i + BATCH_UNITS);
    return;
  }
  const fd = fs.openSync(file, 'r');
  try {
    let batch: ManifestUnit[] = [];
    for (const unit of streamManifestUnits(fd, file, decode)) {
      batch.push(unit);
      if (batch.length >= BATCH_UNITS) {
        yield batch;
        batch = [];
      }
    }
    if (batch.length) yield batch;
  } finally {
    fs.closeSync(fd);
  }
}

/** The batches of units of every input in order, or the file that turned out unreadable part way. */
function* readBatches(inputs: Inputs): Generator<{ origin: string; units: ManifestUnit[] } | { failed: UnreadableDocument }> {
  for (const file of inputs.files) {
    if (file === '-' && !inputs.stdinUnits) continue; // reported when it was read
    const origin = file === '-' ? '<stdin>' : file;
    try {
      for (const units of unitsOf(inputs, file)) yield { origin, units };
    } catch (e) {
      const message = e instanceof UndecodableFile ? e.message : `cannot be read: ${(e as Error).message}`;
      yield { failed: { origin, document: 0, line: 0, message } };
    }
  }
}

/** Places the findings across objects at their fields: the units they are in are read again, only those. */
function locateAcross(findings: LocatedFinding[], inputs: Inputs): LocatedFinding[] {
  const wanted = new Set(findings.filter((f) => !f.column && f.line && f.document).map((f) => `${f.origin}\0${f.document}`));
  if (!wanted.size) return findings;
  const units: ManifestUnit[] = [];
  for (const step of readBatches(inputs)) {
    if ('failed' in step) continue;
    for (const u of step.units) if (wanted.has(`${u.origin}\0${u.document}`) || (u.json && [...wanted].some((w) => w.startsWith(`${u.origin}\0`)))) units.push(u);
  }
  return locateFindings(findings, units);
}

/** Runs the checks across objects, prints the outcome and returns the exit code. */
function report(prepared: Prepared, results: CheckResults, out: (line: string) => void): number {
  const { options } = prepared;
  const checked = results.all;
  const unreadable = [...prepared.unreadable, ...checked.unreadable];
  const count = checked.count;
  if (!count && !checked.findings.length && !unreadable.length) {
    unreadable.push({ origin: options.paths.join(', '), document: 0, line: 0, message: 'no objects: nothing to check (kubectl refuses such input too)' });
  }
  const { target } = prepared;
  const across = checkAcross(checked.objects, { externals: options.externals, references: options.references, fromFiles: true, target: target.target });
  const findings = [...checked.findings, ...locateAcross([...checked.duplicates, ...across], prepared)];
  const code = findings.some((f) => f.check === FindingCheck.INTERNAL) ? ExitCode.INTERNAL_ERROR
    : unreadable.length ? ExitCode.USAGE_OR_INPUT : findings.length ? ExitCode.FINDINGS : ExitCode.CLEAN;
  if (options.format === 'json') {
    const about = { name: target.target, source: target.source, reason: target.reason };
    out(JSON.stringify({ objects: count, target: about, findings, unreadable: unreadable.map(jsonUnreadable), exitCode: code }, undefined, 2));
    return code;
  }
  if (options.format === 'sarif') {
    out(JSON.stringify(sarifLog({ findings, unreadable, target, exitCode: code, version: packageVersion() }), undefined, 2));
    return code;
  }
  for (const u of unreadable) out(formatUnreadable(u));
  for (const f of findings) out(formatLocatedFinding(f));
  const summary = findings.length ? `${findings.length} finding(s) in ${count} object(s)` : `${count} object(s), no findings`;
  // Which target was used is said when the input chose it: --target needs no echo.
  const checkedFor = target.source === 'option' ? '' : `; target ${target.target}, ${target.reason}`;
  out(`${unreadable.length ? `${unreadable.length} unreadable input(s); ` : ''}${summary}${checkedFor}`);
  return code;
}

/** This package's version, for the tool entry of a SARIF log. */
function packageVersion(): string | undefined {
  try {
    return JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'package.json'), 'utf8')).version;
  } catch {
    return undefined;
  }
}

function formatUnreadable(u: UnreadableDocument): string {
  return u.line ? `${u.origin}:${u.line} (document ${u.document}): ${u.message}` : `${u.origin}: ${u.message}`;
}

function jsonUnreadable(u: UnreadableDocument): object {
  return u.line ? { file: u.origin, document: u.document, line: u.line, message: u.message } : { file: u.origin, message: u.message };
}

if (require.main === module) {
  const args = process.argv.slice(2);
  // `init` writes a new project (lib/init.ts); every other command checks manifests.
  if (args[0] === 'init') process.exitCode = (require('./init') as typeof import('./init')).runInit(args.slice(1));
  else void runCli(args).then((code) => { process.exitCode = code; });
}
