import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Chart, Testing } from 'cdk8s';
import { parse, parseAllDocuments, stringify } from 'yaml';
import { OmniaCrds, OmniaOperator } from '../../lib';
import { documentedApp } from '../util';

// When an app writes into a chart's templates/ folder (`cdk8s synth --format helm`), OmniaCrds writes its CRDs
// as files of the chart's crds/ folder, which Helm installs before the templates, and no CRD into templates/.
// scripts/check-helm.sh renders such charts with a real Helm; test/cluster/helm.cluster.ts installs one.

const root = path.join(__dirname, '..', '..');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'omnia-helm-crds-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const DOCUMENTED = ['agentruntimes', 'promptpacks', 'toolregistries'].map((p) => `${p}.omnia.altairalabs.ai`);

/**
 * A chart folder as `cdk8s synth --format helm` makes it before it runs the app: Chart.yaml, templates/, and
 * crds/ with a copy of each CRD file `imports:` of this repository's cdk8s.yaml lists, named as the CLI names it.
 */
function scaffold(): string {
  const chart = fs.mkdtempSync(path.join(tmp, 'chart-'));
  fs.writeFileSync(path.join(chart, 'Chart.yaml'), 'apiVersion: v2\nname: test\nversion: 0.1.0\n');
  fs.mkdirSync(path.join(chart, 'templates'));
  fs.mkdirSync(path.join(chart, 'crds'));
  for (const f of ['agentruntime.yaml', 'promptpack.yaml', 'toolregistry.yaml']) {
    fs.copyFileSync(path.join(root, 'lib', 'crds', f), path.join(chart, 'crds', f));
  }
  return chart;
}

/** Each object of the YAML files of a folder (not below it), by file. */
function objectsIn(dir: string): { [file: string]: any[] } {
  const out: { [file: string]: any[] } = {};
  for (const f of fs.readdirSync(dir).sort()) {
    const full = path.join(dir, f);
    if (fs.statSync(full).isFile()) out[f] = parseAllDocuments(fs.readFileSync(full, 'utf8')).map((d) => d.toJS()).filter((o) => o);
  }
  return out;
}

/** The CRDs a plain synth of `make` writes: what the chart's crds/ must hold. */
function plainCrds(make: (app: ReturnType<typeof Testing.app>) => OmniaCrds): any[] {
  return Testing.synth(make(Testing.app()));
}

describe.each([
  ['the release', false, 10],
  ['the release with enterprise', true, 16],
])('%s: a Helm app', (_label, enterprise, count) => {
  test(`writes the ${count} CRDs into crds/, one file each, exactly as a plain synth, and none into templates/`, () => {
    const chart = scaffold();
    const app = Testing.app({ outdir: path.join(chart, 'templates') });
    const operator = new OmniaOperator(app, 'omnia', { enterprise });
    new Chart(app, 'agents', { namespace: 'agents' }).addDependency(operator);
    expect(operator.crds!.helmCrdsFolder).toBe(path.join(chart, 'crds'));
    expect(operator.crds!.crds).toEqual([]);
    app.synth();

    const crds = objectsIn(path.join(chart, 'crds'));
    const expected = plainCrds((a) => new OmniaOperator(a, 'omnia', { enterprise }).crds!);
    expect(expected).toHaveLength(count);
    // The CLI's copies of the documented CRDs of the same names are gone: one copy of each, the release's.
    expect(Object.keys(crds)).toEqual(expected.map((c) => `${c.metadata.name}.yaml`).sort());
    for (const c of expected) expect(crds[`${c.metadata.name}.yaml`]).toEqual([c]);
    // crds/ is never rendered by Helm: a `{{` of the release's CRDs stays as written.
    const text = fs.readFileSync(path.join(chart, 'crds', 'toolregistries.omnia.altairalabs.ai.yaml'), 'utf8');
    expect(text).toContain('{{.customer_id}}');
    expect(text).not.toContain('{{`{{`}}');

    const templates = Object.values(objectsIn(path.join(chart, 'templates'))).flat();
    expect(templates.filter((o) => o.kind === 'CustomResourceDefinition')).toEqual([]);
    expect(templates.map((o) => o.kind)).toEqual(expect.arrayContaining(['Namespace', 'ServiceAccount', 'Deployment']));
    // The chart of the CRDs stays, empty, so that the file names keep the apply order.
    expect(fs.readFileSync(path.join(chart, 'templates', '0000-omnia-crds.k8s.yaml'), 'utf8')).toBe('');
  });
});

test('the documented API: the CLI\'s copies are replaced by OmniaCrds\' own, with its labels', () => {
  const chart = scaffold();
  const app = documentedApp({ outdir: path.join(chart, 'templates') });
  new OmniaCrds(app, 'crds', { labels: { owner: 'platform' } });
  app.synth();
  const crds = objectsIn(path.join(chart, 'crds'));
  expect(Object.keys(crds)).toEqual(DOCUMENTED.map((n) => `${n}.yaml`));
  expect(Object.values(crds).map((docs) => docs.length)).toEqual([1, 1, 1]);
  for (const [file, [crd]] of Object.entries(crds)) {
    const source = parse(fs.readFileSync(path.join(root, 'lib', 'crds', `${crd.spec.names.singular}.yaml`), 'utf8'));
    expect(file).toBe(`${source.metadata.name}.yaml`);
    expect(crd).toEqual({ ...source, metadata: { ...source.metadata, labels: { ...source.metadata.labels, owner: 'platform' } } });
  }
});

test('other CRDs and other objects in crds/ stay; a file holding one of these CRDs among others keeps the others', () => {
  const chart = scaffold();
  const other = { apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: 'widgets.example.com' }, spec: { group: 'example.com' } };
  const mine = parse(fs.readFileSync(path.join(root, 'lib', 'crds', 'promptpack.yaml'), 'utf8'));
  fs.writeFileSync(path.join(chart, 'crds', 'widgets.yaml'), stringify(other));
  fs.writeFileSync(path.join(chart, 'crds', 'bundle.yaml'), `${stringify(mine)}---\n${stringify({ ...other, metadata: { name: 'gadgets.example.com' } })}`);
  const app = documentedApp({ outdir: path.join(chart, 'templates') });
  new OmniaCrds(app, 'crds');
  app.synth();
  const crds = objectsIn(path.join(chart, 'crds'));
  expect(crds['widgets.yaml']).toEqual([other]);
  expect(crds['bundle.yaml']).toEqual([{ ...other, metadata: { name: 'gadgets.example.com' } }]);
  const names = Object.values(crds).flat().map((c) => c.metadata.name).sort();
  expect(names).toEqual([...DOCUMENTED, 'gadgets.example.com', 'widgets.example.com'].sort());
});

test('an app writing into a folder under templates/ writes its CRDs into the same folder under crds/', () => {
  const chart = scaffold();
  const app = Testing.app({ outdir: path.join(chart, 'templates', 'release') });
  const crds = new OmniaCrds(app, 'crds');
  expect(crds.helmCrdsFolder).toBe(path.join(chart, 'crds', 'release'));
  app.synth();
  expect(Object.keys(objectsIn(path.join(chart, 'crds', 'release')))).toHaveLength(10);
  // The CLI's copies beside it are another app's business.
  expect(Object.keys(objectsIn(path.join(chart, 'crds')))).toEqual(['agentruntime.yaml', 'promptpack.yaml', 'toolregistry.yaml']);
});

test('outside a chart the CRDs are objects of the chart, and no crds/ folder is written', () => {
  const outdir = fs.mkdtempSync(path.join(tmp, 'dist-'));
  const app = Testing.app({ outdir });
  const crds = new OmniaCrds(app, 'crds');
  expect(crds.helmCrdsFolder).toBeUndefined();
  expect(crds.crds).toHaveLength(10);
  app.synth();
  expect(fs.readdirSync(outdir)).toEqual(['crds.k8s.yaml']);
});
