// Differential testing: every case goes to the real API server (`kubectl create --dry-run=server
// --validate=strict`, as a user would send it) and to the library (`validateManifests` after reading the file
// as kubectl does, and the CLI). Every disagreement on accept or reject fails, printing the case, the
// server's message and the library's.
import * as fs from 'fs';
import * as path from 'path';
import { FindingCheck, formatFinding, OmniaApiTarget, validateManifests, ValidationFinding } from '../../lib';
import { main as cli } from '../../lib/cli';
import { expandLists } from '../../lib/validation/manifests';
import { readManifests } from '../../lib/validation/read-manifests';
import { CASE_EXTERNALS, CASE_NAMESPACE, DiffCase, generateCases } from './cases';
import { kubectl, RunResult } from './control-plane';
import { controlPlane, recordSummary } from './results';

/**
 * Where the library is stricter than the API server on purpose. A case the server accepts may be refused by
 * the library only with findings of these checks; nothing else may differ.
 */
export const STRICTER_ON_PURPOSE: { [check: string]: string } = {
  [FindingCheck.REFERENCE]: 'a pack, registry, Secret or ConfigMap key that does not resolve: the server stores the object, the operator then fails at run time',
  [FindingCheck.PLAIN_TEXT_SECRET]: 'a credential written in plain text: valid to the server, a leak in the repository',
  [FindingCheck.DUPLICATE]: 'the same object defined twice: kubectl applies both, the later silently replaces the earlier',
};

const SEED = Number(process.env.OMNIA_DIFF_SEED ?? 20261125);
const PARALLEL = 4;
const info = controlPlane();

interface Outcome {
  readonly testCase: DiffCase;
  readonly file: string;
  readonly server: RunResult;
  readonly findings: ValidationFinding[];
  readonly unreadable: string[];
  readonly cliCode: number;
  readonly cliOutput: string[];
}

async function inParallel<T, R>(items: T[], limit: number, run: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(Array.from({ length: limit }, async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await run(items[i]);
    }
  }));
  return results;
}

function libraryVerdict(o: Outcome): { rejects: boolean; onPurposeOnly: boolean } {
  const rejects = o.unreadable.length > 0 || o.findings.length > 0;
  const onPurposeOnly = o.unreadable.length === 0 && o.findings.length > 0 && o.findings.every((f) => f.check in STRICTER_ON_PURPOSE);
  return { rejects, onPurposeOnly };
}

/** Why the outcome is a disagreement, or undefined when server and library agree. */
function disagreement(o: Outcome): string | undefined {
  const accepts = o.server.code === 0;
  const { rejects, onPurposeOnly } = libraryVerdict(o);
  const expectedCli = o.unreadable.length ? 2 : rejects ? 1 : 0;
  if (o.cliCode !== expectedCli) return `the CLI exited ${o.cliCode}, validateManifests implies ${expectedCli}`;
  if (accepts && rejects && !onPurposeOnly) return 'the server accepts, the library rejects';
  if (!accepts && !rejects) return 'the server rejects, the library accepts';
  if (!accepts && onPurposeOnly) return 'the server rejects, the library only reports what it is stricter about on purpose';
  return undefined;
}

let outcomes: Outcome[] = [];

beforeAll(async () => {
  const cases = generateCases(SEED);
  const dir = fs.mkdtempSync(path.join(info.dir, 'cases-'));
  // The CRDs of this checkout, whatever the other test files did.
  const crdDir = path.join(__dirname, '..', '..', 'lib', 'crds');
  const crds = fs.readdirSync(crdDir).filter((f) => f.endsWith('.yaml')).flatMap((f) => ['-f', path.join(crdDir, f)]);
  for (const args of [['apply', ...crds], ['wait', '--for=condition=Established', '--timeout=60s', ...crds]]) {
    const r = await kubectl(info, args);
    if (r.code !== 0) throw new Error(`kubectl ${args.join(' ')}: ${r.stderr}`);
  }
  const ns = await kubectl(info, ['create', 'namespace', CASE_NAMESPACE]);
  if (ns.code !== 0 && !ns.stderr.includes('AlreadyExists')) throw new Error(ns.stderr);
  const started = Date.now();
  outcomes = await inParallel(cases, PARALLEL, async (testCase, ) => {
    const file = path.join(dir, `${testCase.name.split(' ')[0].slice(1).padStart(5, '0')}.yaml`);
    fs.writeFileSync(file, testCase.text);
    const server = await kubectl(info, ['create', '--dry-run=server', '--validate=strict', '-f', file, '-o', 'name']);
    const read = readManifests(testCase.text, file);
    const findings = read.unreadable.length ? [] : validateManifests(read.objects.map((o) => o.manifest), { target: OmniaApiTarget.DOCUMENTED, external: CASE_EXTERNALS });
    // kubectl refuses a file with nothing to create; so does the library's CLI.
    const unreadable = read.unreadable.map((u) => u.message);
    const expanded = expandLists(read.objects);
    if (!unreadable.length && !expanded.objects.length && !expanded.findings.length) unreadable.push('no objects');
    const cliOutput: string[] = [];
    const cliCode = cli(['validate', '--target', 'documented', ...CASE_EXTERNALS.flatMap((e) => ['--external', e]), file], (line) => cliOutput.push(line));
    return { testCase, file, server, findings, unreadable, cliCode, cliOutput };
  });
  if (process.env.OMNIA_DIFF_REPORT) {
    fs.writeFileSync(process.env.OMNIA_DIFF_REPORT, JSON.stringify(outcomes.map((o) => ({
      name: o.testCase.name, text: o.testCase.text, serverCode: o.server.code, server: (o.server.stderr || o.server.stdout).trim(),
    }))));
  }
  process.stderr.write(`differential: ${cases.length} cases (seed ${SEED}) in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
}, 1_800_000);

test('there are more than 1,000 cases, valid and invalid, and the valid bases pass both', () => {
  expect(outcomes.length).toBeGreaterThan(1000);
  const accepted = outcomes.filter((o) => o.server.code === 0).length;
  expect(accepted).toBeGreaterThan(100);
  expect(outcomes.length - accepted).toBeGreaterThan(500);
  for (const o of outcomes.filter((x) => / valid$/.test(x.testCase.name))) {
    expect({ name: o.testCase.name, server: o.server.stderr, findings: o.findings.map(formatFinding) })
      .toEqual({ name: o.testCase.name, server: '', findings: [] });
  }
});

test('the library and the API server agree on every case', () => {
  const disagreements = outcomes.flatMap((o) => {
    const why = disagreement(o);
    if (!why) return [];
    return [[
      `${o.testCase.name}: ${why}`,
      `  server (exit ${o.server.code}): ${(o.server.stderr || o.server.stdout).trim().split('\n').join('\n    ')}`,
      `  library: ${[...o.unreadable, ...o.findings.map((f) => `[${f.check}] ${formatFinding(f)}`)].join('\n    ') || 'no findings'}`,
      `  file (seed ${SEED}):\n${o.testCase.text.slice(0, 1500).replace(/^/gm, '    | ')}`,
    ].join('\n')];
  });
  const onPurpose = outcomes.filter((o) => o.server.code === 0 && libraryVerdict(o).onPurposeOnly);
  recordSummary('differential', { cases: outcomes.length, agree: outcomes.length - disagreements.length, disagree: disagreements.length });
  process.stderr.write(`differential: ${outcomes.length - disagreements.length} agree (${onPurpose.length} of them refused by the library on purpose: `
    + `${Object.keys(STRICTER_ON_PURPOSE).map((c) => `${onPurpose.filter((o) => o.findings.some((f) => f.check === c)).length} ${c}`).join(', ')}), `
    + `${disagreements.length} disagree\n`);
  if (disagreements.length) throw new Error(`${disagreements.length} disagreement(s):\n\n${disagreements.join('\n\n')}`);
});
