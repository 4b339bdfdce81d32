#!/usr/bin/env node
// `cdk8s-omnia validate PATH...`: checks the Omnia objects of YAML and JSON manifests, read as kubectl reads them.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Worker } from 'worker_threads';
import { DEFAULT_API_TARGET, OmniaApiTarget } from './api';
import { isApiTarget } from './validation/crds';
import { FindingCheck, formatLocatedFinding, locateFindings } from './validation/findings';
import { checkUnits, UnitsChecked } from './validation/check-units';
import { inferTarget, observeUnits, TargetChoice, targetShapes } from './validation/infer-target';
import { checkAcross } from './validation/manifests';
import { ManifestUnit, splitManifestText, UnreadableDocument } from './validation/read-manifests';
import { ExternalObject, parseExternal } from './validation/references';
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
function decode(bytes: Buffer): string | { error: string } {
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
 * Returns the exit code. Checks in this thread; `runCli` shares large inputs among threads.
 */
export function main(argv: string[], out: (line: string) => void = console.log, stdin: () => Buffer = () => fs.readFileSync(0)): number {
  try {
    const prepared = prepare(argv, out, stdin);
    if (typeof prepared === 'number') return prepared;
    return report(prepared, checkUnits(prepared.units, prepared.options.references, prepared.target.target), out);
  } catch (e) {
    return internalError(e, out);
  }
}

/** `main` for the command line: inputs of more than PARALLEL_FROM documents are checked by two threads. */
export async function runCli(argv: string[], out: (line: string) => void = console.log): Promise<number> {
  let helper: Worker | undefined;
  try {
    // A worker is started as soon as the inputs look large, so that it loads the checks while this thread reads
    // (those of --target, else of the default: the target inferred is sent with the units).
    const prepared = prepare(argv, out, () => fs.readFileSync(0), (bytes, options) => { helper = bytes >= PARALLEL_FROM_BYTES ? startHelper(options.target ?? DEFAULT_API_TARGET) : undefined; });
    if (typeof prepared === 'number') return prepared;
    return report(prepared, await checkUnitsInThreads(prepared.units, prepared.options.references, prepared.target.target, helper), out);
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

// Below these sizes a second thread costs more (its start, copying the units) than it saves.
const PARALLEL_FROM_BYTES = 4 * 2 ** 20;
const PARALLEL_FROM_UNITS = 2000;

function startHelper(target: OmniaApiTarget): Worker | undefined {
  const workerFile = path.join(__dirname, 'validation', 'check-worker.js');
  return os.cpus().length > 1 && fs.existsSync(workerFile) ? new Worker(workerFile, { workerData: { target } }) : undefined;
}

/** Checks the units in this thread and the helper thread, half each, when there are many. */
async function checkUnitsInThreads(units: ManifestUnit[], keepManifests: boolean, target: OmniaApiTarget, helper: Worker | undefined): Promise<UnitsChecked> {
  if (!helper || units.length < PARALLEL_FROM_UNITS) return checkUnits(units, keepManifests, target);
  const half = Math.floor(units.length / 2);
  const theirs = new Promise<UnitsChecked>((resolve, reject) => {
    helper.once('message', (m: { result?: UnitsChecked; error?: string }) => (m.result ? resolve(m.result) : reject(new Error(m.error))));
    helper.once('error', reject);
  });
  helper.postMessage({ units: units.slice(half), keepManifests, target });
  const ours = checkUnits(units.slice(0, half), keepManifests, target);
  const other = await theirs;
  return {
    objects: [...ours.objects, ...other.objects],
    findings: [...ours.findings, ...other.findings],
    unreadable: [...ours.unreadable, ...other.unreadable],
    count: ours.count + other.count,
  };
}

interface Prepared {
  readonly options: Options;
  readonly units: ManifestUnit[];
  readonly unreadable: UnreadableDocument[];
  /** The target the units are checked for, and why. */
  readonly target: TargetChoice;
}

/** Parses the arguments and reads the inputs into units; a number is the exit code of a finished run. */
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
  const units: ManifestUnit[] = [];
  const unreadable: UnreadableDocument[] = [];
  const problem = (origin: string, message: string) => unreadable.push({ origin, document: 0, line: 0, message });
  const files: string[] = [];
  for (const target of options.paths) {
    try {
      files.push(...(target === '-' ? ['-'] : manifestFiles(target)));
    } catch (e) {
      problem(target, `cannot be read: ${(e as Error).message}`);
    }
  }
  beforeReading?.(files.reduce((n, f) => n + (f === '-' ? 0 : fs.statSync(f, { throwIfNoEntry: false })?.size ?? 0), 0), options);
  {
    for (const file of files) {
      let bytes: Buffer;
      try {
        bytes = file === '-' ? stdin() : fs.readFileSync(file);
      } catch (e) {
        problem(file, `cannot be read: ${(e as Error).message}`);
        continue;
      }
      const origin = file === '-' ? '<stdin>' : file;
      const text = decode(bytes);
      if (typeof text !== 'string') problem(origin, text.error);
      else units.push(...splitManifestText(text, origin));
    }
  }
  const target: TargetChoice = options.target
    ? { target: options.target, source: 'option', reason: 'named by --target' }
    : inferTarget(observeUnits(units), targetShapes(), DEFAULT_API_TARGET);
  return { options, units, unreadable, target };
}

/** Runs the checks across objects, prints the outcome and returns the exit code. */
function report(prepared: Prepared, checked: UnitsChecked, out: (line: string) => void): number {
  const { options } = prepared;
  const unreadable = [...prepared.unreadable, ...checked.unreadable];
  const count = checked.count;
  if (!count && !checked.findings.length && !unreadable.length) {
    unreadable.push({ origin: options.paths.join(', '), document: 0, line: 0, message: 'no objects: nothing to check (kubectl refuses such input too)' });
  }
  const { target } = prepared;
  const across = checkAcross(checked.objects, { externals: options.externals, references: options.references, fromFiles: true, target: target.target });
  const findings = locateFindings([...checked.findings, ...across], prepared.units);
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
