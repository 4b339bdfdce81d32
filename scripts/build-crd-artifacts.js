// Build step, after jsii: for each CRD YAML file writes a JSON copy (parsing JSON at synth time is ~50x
// cheaper than YAML) and a standalone ajv validator of each version's schema (no schema compiling at synth
// time). lib/validation/crds.ts falls back to the YAML and to compiling when these are missing or older.
'use strict';
const fs = require('fs');
const path = require('path');
const { parse } = require('yaml');
const { standaloneValidatorSource } = require('../lib/validation/kubernetes-schema');
const { precompiledValidatorFile } = require('../lib/validation/crds');

const dir = path.join(__dirname, '..', 'lib', 'crds');
for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('.yaml'))) {
  const crd = parse(fs.readFileSync(path.join(dir, file), 'utf8'));
  fs.writeFileSync(path.join(dir, file.replace(/\.yaml$/, '.json')), JSON.stringify(crd));
  for (const version of crd.spec.versions) {
    fs.writeFileSync(precompiledValidatorFile(crd, version.name), standaloneValidatorSource(version.schema.openAPIV3Schema));
  }
}
