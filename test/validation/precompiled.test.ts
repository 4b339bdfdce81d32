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
