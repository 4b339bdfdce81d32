import * as fs from 'fs';
import * as path from 'path';
import { omniaCrds } from '../../lib/validation/crds';
import { KubernetesSchemaValidator, standaloneValidatorSource } from '../../lib/validation/kubernetes-schema';
import { invalidCorpus, minimalAgent, productionAgent, promptPack, toolRegistry } from './fixtures';

// The build writes standalone validators so that synth does not compile schemas; they must judge exactly
// as the validators compiled at run time do.
test('standalone validators and run-time compiled ones agree on every corpus object', () => {
  // Generated code requires ../validation/kubernetes-schema, so it must sit in a sibling folder of lib/validation.
  const dir = fs.mkdtempSync(path.join(__dirname, '..', '..', 'lib', '.precompiled-test-'));
  try {
    const byKind = new Map<string, [KubernetesSchemaValidator, KubernetesSchemaValidator]>();
    for (const crd of omniaCrds()) {
      const schema = crd.spec.versions[0].schema.openAPIV3Schema;
      const file = path.join(dir, `${crd.spec.names.singular}.js`);
      fs.writeFileSync(file, standaloneValidatorSource(schema));
      byKind.set(crd.spec.names.kind, [new KubernetesSchemaValidator(schema), new KubernetesSchemaValidator(schema, require(file))]);
    }
    const objects = [...invalidCorpus.map(([, make]) => make()), productionAgent(), minimalAgent(), promptPack(), toolRegistry()]
      .filter((o) => byKind.has(o.kind) && o.apiVersion === 'omnia.altairalabs.ai/v1alpha1');
    expect(objects.length).toBeGreaterThan(40);
    for (const object of objects) {
      const [runtime, standalone] = byKind.get(object.kind)!;
      expect(standalone.check(object)).toEqual(runtime.check(object));
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

// Build artifacts are chosen by content: a validator built from another schema is never used.
test('a precompiled validator is used only for exactly the schema and translation it was built from', () => {
  const { precompiledValidator, precompiledValidatorFile } = require('../../lib/validation/crds');
  for (const crd of omniaCrds()) {
    expect(fs.existsSync(precompiledValidatorFile(crd, 'v1alpha1'))).toBe(true);
    expect(typeof precompiledValidator(crd, 'v1alpha1')).toBe('function');
    const changed = structuredClone(crd);
    changed.spec.versions[0].schema.openAPIV3Schema.properties.spec.description += ' (edited)';
    expect(precompiledValidator(changed, 'v1alpha1')).toBeUndefined();
    changed.spec.versions[0].schema.openAPIV3Schema.properties.spec.required = ['nothing'];
    expect(precompiledValidator(changed, 'v1alpha1')).toBeUndefined();
  }
});

// What a prebuilt validator loads: not ajv's compiler (its stamp reads ajv's version from the helpers), and
// not RE2 while its patterns mean the same to JavaScript (RE2 parsed them when the validator was built).
test('checking an agent with the prebuilt validators loads neither the schema compiler nor RE2', () => {
  const { execFileSync } = require('child_process');
  const script = `
    const { validateManifests } = require('./lib');
    const agent = require('yaml').parse(require('fs').readFileSync('test/fixtures/production-agent.yaml', 'utf8'));
    const findings = validateManifests([agent], { target: 'documented', references: false });
    const loaded = Object.keys(require.cache).map((f) => f.split(require('path').sep).slice(-2).join('/'));
    console.log(JSON.stringify({ findings: findings.length, loaded }));`;
  const { findings, loaded } = JSON.parse(execFileSync(process.execPath, ['-e', script], { cwd: path.join(__dirname, '..', '..'), encoding: 'utf8' }));
  expect(findings).toBe(0);
  expect(loaded).toContain('crds/agentruntime.v1alpha1.validate.js');
  expect(loaded).toContain('third-party/ajv-runtime.js');
  expect(loaded).not.toContain('third-party/ajv.js');
  expect(loaded).not.toContain('third-party/re2.js');
});

test('a pattern Go refuses is still refused when a schema is compiled at run time', () => {
  // JavaScript takes a lookahead; Go's regexp has none.
  const schema = { type: 'object', properties: { a: { type: 'string', pattern: '(?=x)x' } } };
  expect(() => new KubernetesSchemaValidator(schema).check({ a: 'x' })).toThrow(/invalid or unsupported Perl syntax/);
  // Go's \s is ASCII only: a no-break space does not match it.
  expect(new KubernetesSchemaValidator({ type: 'object', properties: { a: { type: 'string', pattern: '^a\\sb$' } } }).check({ a: 'a\u00a0b' }).problems).toHaveLength(1);
});
