// Build step, after jsii: for each CRD YAML file writes a JSON copy (parsing JSON at synth time is ~50x
// cheaper than YAML) and a standalone ajv validator of each version's schema (no schema compiling at synth
// time), each stamped with a hash of what it was made from. lib/validation/crds.ts uses them only when the
// hash matches the CRD and translation in hand, and otherwise falls back to the YAML and to compiling.
'use strict';
const fs = require('fs');
const path = require('path');
const { parse } = require('yaml');
const { standaloneValidatorSource } = require('../lib/validation/kubernetes-schema');
const { crdJsonCopy, precompiledValidatorFile } = require('../lib/validation/crds');

const dir = path.join(__dirname, '..', 'lib', 'crds');
for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('.yaml'))) {
  const text = fs.readFileSync(path.join(dir, file), 'utf8');
  const crd = parse(text);
  fs.writeFileSync(path.join(dir, file.replace(/\.yaml$/, '.json')), crdJsonCopy(text, crd));
  for (const version of crd.spec.versions) {
    fs.writeFileSync(precompiledValidatorFile(crd, version.name), standaloneValidatorSource(version.schema.openAPIV3Schema));
  }
}
