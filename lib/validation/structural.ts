import { parseRule } from './cel-rules';
import { KubernetesSchemaValidator } from './kubernetes-schema';
import { childPath } from './schema-path';

// Keywords a structural schema may not use (apiextensions.k8s.io/v1 rejects them).
const FORBIDDEN = ['$ref', 'definitions', 'dependencies', 'patternProperties', 'additionalItems', 'id', '$schema'];

/**
 * Lists the ways a CRD version schema breaks the API server's rules for structural schemas:
 * a type on every node, items on every array, properties and additionalProperties not mixed,
 * list-map keys that exist and are required or defaulted, metadata left alone, CEL rules that parse,
 * defaults that pass their own schema.
 * Returns an empty list for a schema the API server accepts on these points.
 */
export function structuralProblems(schema: any): string[] {
  const problems: string[] = [];
  visit(schema, '', problems, true);
  return problems;
}

function visit(node: any, path: string, problems: string[], root = false): void {
  const at = path || '<root>';
  if (node === null || typeof node !== 'object') {
    problems.push(`${at}: schema must be an object`);
    return;
  }
  for (const keyword of FORBIDDEN) if (keyword in node) problems.push(`${at}: ${keyword} is not allowed`);
  if (node.uniqueItems === true) problems.push(`${at}: uniqueItems cannot be true`);
  const intOrString = node['x-kubernetes-int-or-string'] === true;
  const preserve = node['x-kubernetes-preserve-unknown-fields'] === true;
  if (!node.type && !intOrString && !preserve) problems.push(`${at}: type is required`);
  if (intOrString && node.type) problems.push(`${at}: type must be empty with x-kubernetes-int-or-string`);
  if (node.properties && node.additionalProperties !== undefined && node.additionalProperties !== false) {
    problems.push(`${at}: properties and additionalProperties are mutually exclusive`);
  }
  if (node.type === 'array' && !node.items) problems.push(`${at}: items is required for arrays`);
  if (root && node.properties?.metadata) {
    const allowed = new Set(['name', 'generateName']);
    for (const key of Object.keys(node.properties.metadata.properties ?? {})) {
      if (!allowed.has(key)) problems.push(`metadata.${key}: only name and generateName may be restricted`);
    }
  }
  checkListType(node, at, problems);
  if (node.default !== undefined) {
    const { default: value, ...schemaOfValue } = node;
    const validator = new KubernetesSchemaValidator(schemaOfValue);
    // The API server runs a default's CEL rules on the default as written, before nested defaults apply.
    for (const p of [...validator.check(value).problems, ...validator.checkRulesAsGiven(structuredClone(value))]) {
      problems.push(`${at}: default is invalid at ${p.path || '<default>'}: ${p.message}`);
    }
  }
  for (const rule of node['x-kubernetes-validations'] ?? []) {
    try {
      parseRule(rule);
    } catch (e) {
      problems.push(`${at}: ${(e as Error).message}`);
    }
  }
  for (const [key, sub] of Object.entries(node.properties ?? {})) visit(sub, childPath(path, key), problems);
  if (node.items) visit(node.items, `${path}[*]`, problems);
  if (node.additionalProperties && typeof node.additionalProperties === 'object') visit(node.additionalProperties, `${path}[*]`, problems);
  // Value validations (anyOf & co.) may not declare types or structure of their own beyond int-or-string.
  for (const k of ['allOf', 'oneOf', 'not']) if (k in node) problems.push(`${at}: ${k} is not used by these CRDs and must be reviewed`);
  for (const branch of node.anyOf ?? []) {
    if (!intOrString) problems.push(`${at}: anyOf is only allowed for x-kubernetes-int-or-string`);
    else if (branch.type !== 'integer' && branch.type !== 'string') problems.push(`${at}: int-or-string anyOf may only list integer and string`);
  }
}

function checkListType(node: any, at: string, problems: string[]): void {
  const listType = node['x-kubernetes-list-type'];
  if (listType === undefined) return;
  if (node.type !== 'array') problems.push(`${at}: x-kubernetes-list-type needs type array`);
  if (!['atomic', 'set', 'map'].includes(listType)) problems.push(`${at}: unknown x-kubernetes-list-type ${listType}`);
  const keys: string[] | undefined = node['x-kubernetes-list-map-keys'];
  if (listType !== 'map') {
    if (keys) problems.push(`${at}: x-kubernetes-list-map-keys needs x-kubernetes-list-type map`);
    return;
  }
  if (!keys?.length) {
    problems.push(`${at}: x-kubernetes-list-type map needs x-kubernetes-list-map-keys`);
    return;
  }
  const items = node.items ?? {};
  for (const key of keys) {
    const prop = items.properties?.[key];
    if (!prop) problems.push(`${at}: list-map key ${key} is not a property of the items`);
    else if (!['string', 'integer', 'boolean'].includes(prop.type)) problems.push(`${at}: list-map key ${key} must be a scalar`);
    else if (!(items.required ?? []).includes(key) && prop.default === undefined) {
      problems.push(`${at}: list-map key ${key} must be required or have a default`);
    }
  }
}
