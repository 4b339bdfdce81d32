// Writes the JSON schemas kubeconform reads for CRDs, the way kubeconform's openapi2jsonschema script
// converts them: one file per CRD version, `<kind>_<version>.json` in lower case, holding the version's
// openAPIV3Schema, with `additionalProperties: false` on every object below the root that lists its
// properties and does not say otherwise, and `format: int-or-string` turned into a string-or-integer choice.
'use strict';
const fs = require('fs');
const path = require('path');

function closeObjects(node, root) {
  if (Array.isArray(node)) return node.map((v) => closeObjects(v, false));
  if (node === null || typeof node !== 'object') return node;
  const out = {};
  for (const [k, v] of Object.entries(node)) {
    // An int-or-string field becomes a choice, as the script writes it (the field's other keys are dropped).
    out[k] = v !== null && typeof v === 'object' && !Array.isArray(v) && v.format === 'int-or-string'
      ? { oneOf: [{ type: 'string' }, { type: 'integer' }] }
      : closeObjects(v, false);
  }
  if (!root && node.properties !== undefined && node.additionalProperties === undefined) out.additionalProperties = false;
  return out;
}

/** Writes the schemas of `crds` into `dir`; returns the files written. */
function writeCrdSchemas(crds, dir) {
  fs.mkdirSync(dir, { recursive: true });
  const files = [];
  for (const crd of crds) {
    for (const version of crd.spec.versions ?? []) {
      const schema = version.schema?.openAPIV3Schema;
      if (!schema) continue;
      const file = path.join(dir, `${crd.spec.names.kind}_${version.name}.json`.toLowerCase());
      fs.writeFileSync(file, JSON.stringify(closeObjects(schema, true), undefined, 2));
      files.push(file);
    }
  }
  return files;
}

module.exports = { writeCrdSchemas };
