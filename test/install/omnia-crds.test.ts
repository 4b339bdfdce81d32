import * as fs from 'fs';
import * as path from 'path';
import { App, Chart, Testing } from 'cdk8s';
import { parse } from 'yaml';
import { OmniaCrds } from '../../lib';
import { validateBuiltIn } from '../k8s-schemas';
import { documentedApp } from '../util';

const crdFile = (name: string) => parse(fs.readFileSync(path.join(__dirname, '..', '..', 'lib', 'crds', name), 'utf8'));

test('OmniaCrds alone renders the three CRD files unchanged, without a namespace', () => {
  const crds = Testing.synth(new OmniaCrds(documentedApp(), 'crds'));
  expect(crds).toEqual([crdFile('agentruntime.yaml'), crdFile('promptpack.yaml'), crdFile('toolregistry.yaml')]);
  for (const crd of crds) {
    expect(crd.metadata.namespace).toBeUndefined();
    validateBuiltIn(crd);
  }
});

test('labels are added to every CRD', () => {
  const crds = Testing.synth(new OmniaCrds(documentedApp(), 'crds', { labels: { owner: 'platform' } }));
  expect(crds.map((c) => c.metadata.labels.owner)).toEqual(['platform', 'platform', 'platform']);
  expect(crds[0].metadata.labels['app.kubernetes.io/part-of']).toBe('omnia');
});

test('a platform team can synthesize the CRDs to a file of their own', () => {
  const app = documentedApp({ outdir: fs.mkdtempSync(path.join(require('os').tmpdir(), 'omnia-crds-')) });
  new OmniaCrds(app, 'omnia-crds');
  new Chart(app, 'agents', { namespace: 'agents' });
  app.synth();
  expect(fs.readdirSync(app.outdir).sort()).toEqual(['agents.k8s.yaml', 'omnia-crds.k8s.yaml']);
  fs.rmSync(app.outdir, { recursive: true, force: true });
});
