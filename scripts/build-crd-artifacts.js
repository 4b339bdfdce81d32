// Build step, after jsii: for each CRD YAML file writes a JSON copy (parsing JSON at synth time is ~50x
// cheaper than YAML) and a standalone ajv validator of each version's schema (no schema compiling at synth
// time), each stamped with a hash of what it was made from. lib/validation/crds.ts uses them only when the
// hash matches the CRD and translation in hand, and otherwise falls back to the YAML and to compiling.
// Then the same validators for the kinds this library writes for the pinned release (scripts/fetch-release.js
// derived its CRDs first); those are large, so one already made from the same translation is kept.
'use strict';
const fs = require('fs');
const path = require('path');
const { parse } = require('yaml');
const { OmniaApiTarget } = require('../lib/api');
const { standaloneValidatorSource, translationKey } = require('../lib/validation/kubernetes-schema');
const { crdJsonCopy, precompiledValidatorFile, releaseCrdsArtifact, RELEASE_PRECOMPILED_PLURALS } = require('../lib/validation/crds');

const dir = path.join(__dirname, '..', 'lib', 'crds');
for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('.yaml'))) {
  const text = fs.readFileSync(path.join(dir, file), 'utf8');
  const crd = parse(text);
  fs.writeFileSync(path.join(dir, file.replace(/\.yaml$/, '.json')), crdJsonCopy(text, crd));
  for (const version of crd.spec.versions) {
    fs.writeFileSync(precompiledValidatorFile(crd, version.name), standaloneValidatorSource(version.schema.openAPIV3Schema));
  }
}

const release = OmniaApiTarget.V0_9_0_BETA_17;
for (const { plural, crd } of releaseCrdsArtifact().crds) {
  if (!RELEASE_PRECOMPILED_PLURALS.includes(plural)) continue;
  for (const version of crd.spec.versions) {
    const file = precompiledValidatorFile(crd, version.name, release);
    const schema = version.schema.openAPIV3Schema;
    if (stampOf(file) === translationKey(schema)) continue;
    fs.writeFileSync(file, standaloneValidatorSource(schema, '../../validation'));
  }
}

/** The translation key a validator file was made with: read from its last line, without loading the file. */
function stampOf(file) {
  try {
    const text = fs.readFileSync(file, 'utf8');
    return /module\.exports\.translationKey = "([0-9a-f]+)";\s*$/.exec(text.slice(-200))?.[1];
  } catch {
    return undefined;
  }
}
