import type { SchemaProblem } from './kubernetes-schema';
import { childPath, jsonTypeName, shown } from './schema-path';

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const QUALIFIED_NAME_PART = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
// The API server's limit on the size of all annotations of one object together.
const ANNOTATIONS_MAX_BYTES = 256 * 1024;

function nameError(value: string, max: number, pattern: RegExp, what: string, chars: string, suggest: boolean): string | undefined {
  let error: string | undefined;
  if (value.length > max) error = `must be no more than ${max} characters, not ${value.length}`;
  else if (!pattern.test(value)) error = `must be a lowercase RFC 1123 ${what}: lower case letters, digits${chars}, starting and ending with a letter or digit`;
  return error && suggest ? `${error}${didYouMean(value, what === 'subdomain')}` : error;
}

/** `; did you mean "name"?` with the valid DNS-1123 name nearest to `value`, or '' when there is none. */
export function didYouMean(value: string, subdomain: boolean): string {
  const near = nearestDnsName(value, subdomain);
  return near ? `; did you mean ${JSON.stringify(near)}?` : '';
}

/**
 * Why `value` is not a DNS-1123 label (a namespace, a Service name), or undefined when it is one; with the
 * nearest valid name, if any, unless `suggest` is false.
 */
export function dnsLabelError(value: string, suggest = true): string | undefined {
  return nameError(value, 63, DNS_LABEL, 'label', " and '-'", suggest);
}

/**
 * Why `value` is not a DNS-1123 subdomain (the name of most objects), or undefined when it is one; with the
 * nearest valid name, if any, unless `suggest` is false.
 */
export function dnsSubdomainError(value: string, suggest = true): string | undefined {
  return nameError(value, 253, DNS_SUBDOMAIN, 'subdomain', ", '-' and '.'", suggest);
}

/**
 * The valid DNS-1123 name nearest to `value`: lower case, each run of other characters one '-' (for a
 * subdomain '.' is kept between parts), each part trimmed to start and end with a letter or digit, cut to the
 * limit. Undefined when nothing of `value` is left.
 */
export function nearestDnsName(value: string, subdomain: boolean): string | undefined {
  const max = subdomain ? 253 : 63;
  const trim = (part: string) => part.replace(/^[^a-z0-9]+/, '').replace(/[^a-z0-9]+$/, '');
  // Letters with accents keep their letter (`é` → `e`).
  const lower = value.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase();
  const parts = (subdomain ? lower.split('.') : [lower]).map((p) => trim(p.replace(/[^a-z0-9-]+/g, '-'))).filter((p) => p);
  let name = parts.join('.');
  if (name.length > max) name = name.slice(0, max).split('.').map(trim).filter((p) => p).join('.');
  return name && name !== value ? name : undefined;
}

/** Why `value` cannot be a label value, or undefined when it can. */
export function labelValueError(value: string): string | undefined {
  if (value.length > 63) return `must be no more than 63 characters, not ${value.length}`;
  if (!LABEL_VALUE.test(value)) {
    return 'a label value must be empty or consist of letters, digits, \'-\', \'_\' and \'.\', starting and ending with a letter or digit';
  }
  return undefined;
}

/** Why `key` cannot be a label or annotation key (`[prefix/]name`), or undefined when it can. */
export function qualifiedNameError(key: string): string | undefined {
  const parts = key.split('/');
  if (parts.length > 2) return 'a qualified name has at most one \'/\' (prefix/name)';
  const name = parts[parts.length - 1];
  if (parts.length === 2) {
    if (!parts[0]) return 'the prefix before \'/\' must not be empty';
    const prefixError = dnsSubdomainError(parts[0]);
    if (prefixError) return `prefix ${JSON.stringify(parts[0])} ${prefixError}`;
  }
  if (!name) return 'the name part must not be empty';
  if (name.length > 63) return `the name part must be no more than 63 characters, not ${name.length}`;
  if (!QUALIFIED_NAME_PART.test(name)) {
    return 'the name part must consist of letters, digits, \'-\', \'_\' and \'.\', starting and ending with a letter or digit';
  }
  return undefined;
}

const STRING_FIELDS = ['name', 'generateName', 'namespace', 'selfLink', 'uid', 'resourceVersion'];
const KNOWN_FIELDS = new Set([
  ...STRING_FIELDS, 'generation', 'creationTimestamp', 'deletionTimestamp', 'deletionGracePeriodSeconds',
  'labels', 'annotations', 'ownerReferences', 'finalizers', 'managedFields',
]);
const OWNER_REFERENCE_FIELDS: { [field: string]: string } = {
  apiVersion: 'string', kind: 'string', name: 'string', uid: 'string', controller: 'boolean', blockOwnerDeletion: 'boolean',
};
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

const typeName = jsonTypeName;

/**
 * Checks `metadata` of an object to be created the way the API server does (ObjectMeta validation with
 * strict field validation): field types, unknown fields, name, namespace, labels, annotations, finalizers.
 */
export function objectMetaProblems(metadata: unknown, namespaced: boolean): SchemaProblem[] {
  const problems: SchemaProblem[] = [];
  const report = (path: string, message: string) => problems.push({ path, message });
  if (metadata === undefined || metadata === null) {
    report('metadata.name', 'Required value: name or generateName is required');
    return problems;
  }
  if (typeName(metadata) !== 'object') {
    report('metadata', `Invalid value: must be an object, not ${typeName(metadata)}`);
    return problems;
  }
  const meta = metadata as { [key: string]: any };
  for (const key of Object.keys(meta)) {
    if (!KNOWN_FIELDS.has(key)) report(childPath('metadata', key), 'unknown field (ObjectMeta has no such field)');
  }
  for (const field of STRING_FIELDS) {
    if (meta[field] !== undefined && meta[field] !== null && typeof meta[field] !== 'string') {
      report(`metadata.${field}`, `Invalid value: must be a string, not ${typeName(meta[field])}`);
    }
  }
  const str = (field: string): string => (typeof meta[field] === 'string' ? meta[field] : '');
  const name = str('name');
  const generateName = str('generateName');
  if (name) {
    const error = dnsSubdomainError(name);
    if (error) report('metadata.name', `Invalid value: ${shown(name)}: ${error}`);
  } else if (generateName) {
    // The API server appends random characters: the prefix may end with '-'.
    const prefix = generateName.replace(/-+$/, '');
    const error = dnsSubdomainError(prefix || 'a', false);
    const near = error && nearestDnsName(prefix, true);
    if (error) report('metadata.generateName', `Invalid value: ${shown(generateName)}: ${error}${near ? `; did you mean ${JSON.stringify(`${near}-`)}?` : ''}`);
  } else if (meta.name === undefined || meta.name === null || meta.name === '') {
    report('metadata.name', 'Required value: name or generateName is required');
  }
  const namespace = str('namespace');
  if (namespaced && namespace) {
    const error = dnsLabelError(namespace);
    if (error) report('metadata.namespace', `Invalid value: ${shown(namespace)}: ${error}`);
  }
  checkStringMap(meta.labels, 'metadata.labels', report, (value) => labelValueError(value));
  checkStringMap(meta.annotations, 'metadata.annotations', report);
  if (typeName(meta.annotations) === 'object') {
    const size = Object.entries(meta.annotations as object).reduce((n, [k, v]) => n + Buffer.byteLength(k) + Buffer.byteLength(typeof v === 'string' ? v : ''), 0);
    if (size > ANNOTATIONS_MAX_BYTES) report('metadata.annotations', `Too long: must have at most ${ANNOTATIONS_MAX_BYTES} bytes, not ${size}`);
  }
  if (meta.finalizers !== undefined && meta.finalizers !== null) {
    if (!Array.isArray(meta.finalizers)) {
      report('metadata.finalizers', `Invalid value: must be a list of strings, not ${typeName(meta.finalizers)}`);
    } else {
      meta.finalizers.forEach((f: unknown, i: number) => {
        const path = `metadata.finalizers[${i}]`;
        if (typeof f !== 'string') report(path, `Invalid value: must be a string, not ${typeName(f)}`);
        else if (qualifiedNameError(f)) report(path, `Invalid value: ${shown(f)}: ${qualifiedNameError(f)}`);
      });
    }
  }
  if (meta.generation !== undefined && meta.generation !== null && !Number.isInteger(meta.generation)) {
    report('metadata.generation', `Invalid value: must be an integer, not ${typeName(meta.generation)}`);
  }
  if (meta.deletionGracePeriodSeconds !== undefined && meta.deletionGracePeriodSeconds !== null && !Number.isInteger(meta.deletionGracePeriodSeconds)) {
    report('metadata.deletionGracePeriodSeconds', `Invalid value: must be an integer, not ${typeName(meta.deletionGracePeriodSeconds)}`);
  }
  for (const field of ['creationTimestamp', 'deletionTimestamp']) {
    const v = meta[field];
    if (v !== undefined && v !== null && (typeof v !== 'string' || !RFC3339.test(v))) {
      report(`metadata.${field}`, `Invalid value: ${shown(v)}: must be an RFC 3339 time`);
    }
  }
  checkOwnerReferences(meta.ownerReferences, report);
  if (meta.managedFields !== undefined && meta.managedFields !== null && !Array.isArray(meta.managedFields)) {
    report('metadata.managedFields', `Invalid value: must be a list, not ${typeName(meta.managedFields)}`);
  }
  return problems;
}

function checkStringMap(map: unknown, path: string, report: (path: string, message: string) => void, valueError?: (v: string) => string | undefined): void {
  if (map === undefined || map === null) return;
  if (typeName(map) !== 'object') {
    report(path, `Invalid value: must be a map of strings, not ${typeName(map)}`);
    return;
  }
  for (const [key, value] of Object.entries(map as object)) {
    const at = childPath(path, key);
    const keyError = qualifiedNameError(path.endsWith('annotations') ? key.toLowerCase() : key);
    if (keyError) report(at, `Invalid value: ${shown(key)}: ${keyError}`);
    if (typeof value !== 'string') {
      if (value !== null) report(at, `Invalid value: must be a string, not ${typeName(value)}`);
      continue;
    }
    const error = valueError?.(value);
    if (error) report(at, `Invalid value: ${shown(value)}: ${error}`);
  }
}

function checkOwnerReferences(refs: unknown, report: (path: string, message: string) => void): void {
  if (refs === undefined || refs === null) return;
  if (!Array.isArray(refs)) {
    report('metadata.ownerReferences', `Invalid value: must be a list, not ${typeName(refs)}`);
    return;
  }
  refs.forEach((ref, i) => {
    const path = `metadata.ownerReferences[${i}]`;
    if (typeName(ref) !== 'object') {
      report(path, `Invalid value: must be an object, not ${typeName(ref)}`);
      return;
    }
    for (const [field, type] of Object.entries(OWNER_REFERENCE_FIELDS)) {
      const v = ref[field];
      if (v !== undefined && v !== null && typeof v !== type) report(`${path}.${field}`, `Invalid value: must be a ${type}, not ${typeName(v)}`);
      else if (type === 'string' && !v) report(`${path}.${field}`, 'Required value');
    }
    for (const key of Object.keys(ref)) if (!(key in OWNER_REFERENCE_FIELDS)) report(childPath(path, key), 'unknown field');
  });
}
