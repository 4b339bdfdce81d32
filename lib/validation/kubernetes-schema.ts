import type { ErrorObject, ValidateFunction } from 'ajv';
import type { Ajv } from '../third-party/ajv';
import { CompiledRule, compileRule, toCel, ValidationRuleSpec } from './cel-rules';
import { goRegExp } from './go-regexp';
import { cloneJson } from './json-data';
import { childPath, pointerToPath, shown } from './schema-path';

/** A problem found in one object: where (API-server style path) and why. */
export interface SchemaProblem {
  readonly path: string;
  readonly message: string;
}

/** Result of validating one object: its defaulted copy and what is wrong with it. */
export interface SchemaCheckResult {
  readonly defaulted: any;
  readonly problems: SchemaProblem[];
}

const ANNOTATION_KEYWORDS = [
  'x-kubernetes-preserve-unknown-fields',
  'x-kubernetes-int-or-string',
  'x-kubernetes-list-type',
  'x-kubernetes-list-map-keys',
  'x-kubernetes-map-type',
  'x-kubernetes-embedded-resource',
  'x-kubernetes-validations',
];

const INT32 = 2 ** 31;
const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;

/** The OpenAPI formats the CRDs use; exported for the validators the build generates. */
export const FORMATS = {
  'int32': { type: 'number' as const, validate: (n: number) => Number.isInteger(n) && n >= -INT32 && n < INT32 },
  'int64': { type: 'number' as const, validate: (n: number) => Number.isInteger(n) },
  'date-time': RFC3339,
};

// ajv is loaded only when a schema has to be compiled: the build's standalone validators need just its runtime.
function newAjv(standalone = false): Ajv {
  const { Ajv: AjvClass, _ } = require('../third-party/ajv') as typeof import('../third-party/ajv');
  // At run time, compile time dominates small apps: no code optimisation and no strict-mode linting of the
  // schemas (test/crds/crds.test.ts holds them to the structural rules instead). The build generates the
  // validators ahead of time as standalone code, with every optimisation.
  // Patterns are matched with Go's regexp semantics, as the API server matches them.
  const code = standalone
    ? { source: true, formats: _`require("../validation/kubernetes-schema").FORMATS`, regExp: goRegExp as any }
    : { optimize: false, regExp: goRegExp as any };
  const ajv = new AjvClass({ allErrors: true, useDefaults: true, verbose: true, strict: false, code });
  for (const keyword of ANNOTATION_KEYWORDS) ajv.addKeyword(keyword);
  for (const [name, format] of Object.entries(FORMATS)) ajv.addFormat(name, format);
  return ajv;
}

/**
 * What a validator of `schema` is made from: the JSON Schema the translation writes, the ajv set-up and
 * the ajv version (and how its standalone code is written). A validator the build wrote is used only when this key is the one it was built with.
 */
export function translationKey(schema: any): string {
  const { createHash } = require('crypto') as typeof import('crypto');
  const ajvVersion = ajvRuntime().AJV_VERSION;
  return createHash('sha256')
    .update(JSON.stringify(toJsonSchema(schema))).update('\0').update(newAjv.toString()).update('\0').update(standaloneValidatorSource.toString()).update('\0').update(ajvVersion)
    // The call the validators make for a pattern: a new one needs new validators.
    .update('\0').update(String((goRegExp as any).code))
    .digest('hex');
}

/**
 * JavaScript source of a standalone validator for `schema`, stamped with its translation key.
 * @param validationDir where this folder is seen from the file the source is written to
 */
export function standaloneValidatorSource(schema: any, validationDir = '../validation'): string {
  const { standaloneCode } = require('../third-party/ajv') as typeof import('../third-party/ajv');
  const ajv = newAjv(true);
  // The set-up names its helpers relative to lib/crds/; the translation key does not depend on where.
  let code = standaloneCode(ajv, ajv.compile(toJsonSchema(schema))).split('require("../validation/').join(`require(${JSON.stringify(`${validationDir}/`).slice(0, -1)}`);
  // ajv's helpers come from the bundled copy (lib/third-party/ajv-runtime), as the package ships no ajv.
  const runtimeModule = JSON.stringify(`${validationDir.replace(/validation$/, '')}third-party/ajv-runtime`);
  code = code.replace(/require\("ajv\/dist\/runtime\/(\w+)"\)/g, (_match, name: string) => {
    if (!(name in ajvRuntime().runtime)) throw new Error(`ajv's standalone code needs its helper "${name}", which lib/third-party/ajv-runtime.ts does not list`);
    return `require(${runtimeModule}).runtime.${name}`;
  });
  if (code.includes('require("ajv')) throw new Error(`ajv's standalone code requires a module other than its runtime helpers: ${/require\("ajv[^"]*"\)/.exec(code)![0]}`);
  return `${code}\nmodule.exports.translationKey = ${JSON.stringify(translationKey(schema))};\n`;
}

function ajvRuntime(): typeof import('../third-party/ajv-runtime') {
  return require('../third-party/ajv-runtime');
}

// One ajv instance per process: it caches compiled code and is safe to share.
let sharedAjv: Ajv | undefined;

/**
 * Rewrites a structural CRD schema into plain JSON Schema with the API server's behaviour made explicit:
 * int-or-string becomes a two-type union, and objects that do not preserve unknown fields reject them
 * (the API server would prune them silently; we would rather tell the user).
 */
export function toJsonSchema(schema: any): any {
  if (schema === null || typeof schema !== 'object') return schema;
  const out: any = { ...schema };
  if (out['x-kubernetes-int-or-string'] === true) {
    delete out.anyOf;
    out.type = ['integer', 'string'];
  }
  if (out.properties) {
    out.properties = Object.fromEntries(Object.entries(out.properties).map(([k, v]) => [k, toJsonSchema(v)]));
    if (out['x-kubernetes-preserve-unknown-fields'] !== true && out.additionalProperties === undefined) {
      out.additionalProperties = false;
    }
  }
  if (typeof out.additionalProperties === 'object') out.additionalProperties = toJsonSchema(out.additionalProperties);
  if (out.items) out.items = toJsonSchema(out.items);
  for (const k of ['allOf', 'anyOf', 'oneOf']) {
    if (Array.isArray(out[k])) out[k] = out[k].map(toJsonSchema);
  }
  if (out.not) out.not = toJsonSchema(out.not);
  return out;
}

/** The parts of a schema that JSON Schema cannot express: CEL rules and list semantics, per node. */
interface RuleNode {
  readonly rules: CompiledRule[];
  readonly listMapKeys?: string[];
  readonly listSet: boolean;
  readonly properties: Map<string, RuleNode>;
  readonly items?: RuleNode;
  readonly additionalProperties?: RuleNode;
}

function buildRuleNode(schema: any): RuleNode | undefined {
  if (schema === null || typeof schema !== 'object') return undefined;
  const rules = ((schema['x-kubernetes-validations'] ?? []) as ValidationRuleSpec[]).map(compileRule);
  const listType = schema['x-kubernetes-list-type'];
  const properties = new Map<string, RuleNode>();
  for (const [key, sub] of Object.entries(schema.properties ?? {})) {
    const node = buildRuleNode(sub);
    if (node) properties.set(key, node);
  }
  const items = buildRuleNode(schema.items);
  const additionalProperties = buildRuleNode(schema.additionalProperties);
  const listMapKeys = listType === 'map' ? (schema['x-kubernetes-list-map-keys'] as string[]) : undefined;
  const listSet = listType === 'set';
  if (!rules.length && !listMapKeys && !listSet && !properties.size && !items && !additionalProperties) return undefined;
  return { rules, listMapKeys, listSet, properties, items, additionalProperties };
}

/**
 * Validates objects against one CRD version's openAPIV3Schema the way the API server does:
 * defaults first, then the schema, list-type semantics and `x-kubernetes-validations` CEL rules.
 * Build it once per schema; `check` is cheap.
 */
export class KubernetesSchemaValidator {
  private readonly validateJson: ValidateFunction;
  private readonly ruleTree?: RuleNode;

  /**
   * @param schema the CRD version's openAPIV3Schema
   * @param precompiled a validator the build generated from the same schema, to skip compiling it here
   * @param statusSubresource whether the CRD version has the status subresource: then the API server drops
   *   `status` on create and only rejects unknown fields in it
   */
  public constructor(private readonly schema: any, precompiled?: ValidateFunction, private readonly statusSubresource = false) {
    if (precompiled) {
      this.validateJson = precompiled;
    } else {
      sharedAjv = sharedAjv ?? newAjv();
      this.validateJson = sharedAjv.compile(toJsonSchema(schema));
    }
    this.ruleTree = buildRuleNode(schema);
  }

  /**
   * Checks an object to be created: nulls of non-nullable fields are dropped (then defaulted), as the API
   * server does, then the schema and the rules apply. With the status subresource, `status` is dropped
   * as on create, after its unknown fields are reported (strict field validation sees them first).
   * @param owned the object is the caller's to change (read from a file for this check): no copy is made
   */
  public check(object: unknown, owned = false): SchemaCheckResult {
    // Defaulting writes into the object: a copy, unless the caller hands over an object of its own.
    const defaulted = owned ? object : cloneJson(object);
    pruneNulls(this.schema, defaulted);
    const problems: SchemaProblem[] = [];
    if (!this.validateJson(defaulted)) {
      for (const error of this.validateJson.errors ?? []) {
        if (this.statusSubresource && /^\/status(\/|$)/.test(error.instancePath) && error.keyword !== 'additionalProperties') continue;
        problems.push(describeAjvError(error, defaulted));
      }
    }
    if (this.statusSubresource && defaulted !== null && typeof defaulted === 'object') delete (defaulted as any).status;
    const ruleProblems: SchemaProblem[] = [];
    const evaluationErrors: SchemaProblem[] = [];
    if (this.ruleTree) walkRules(this.ruleTree, defaulted, '', ruleProblems, evaluationErrors);
    problems.push(...ruleProblems);
    // A rule that cannot run on a malformed object only repeats the schema error: report it only on its own.
    if (problems.length === 0) problems.push(...evaluationErrors);
    return { defaulted, problems };
  }
  /**
   * The CEL rules alone, on `value` exactly as given (no defaulting), with evaluation errors as problems:
   * how the API server checks a `default` when it accepts a CRD.
   */
  public checkRulesAsGiven(value: unknown): SchemaProblem[] {
    const problems: SchemaProblem[] = [];
    if (this.ruleTree) walkRules(this.ruleTree, value, '', problems, problems);
    return problems;
  }
}

/**
 * Drops `null` values of fields that are not `nullable`, as the API server does before defaulting (so a
 * default then applies, and a required field is reported missing). Nulls in lists stay.
 */
function pruneNulls(schema: any, data: any): void {
  if (schema === null || typeof schema !== 'object' || data === null || typeof data !== 'object') return;
  if (Array.isArray(data)) {
    if (schema.items) for (const item of data) pruneNulls(schema.items, item);
    return;
  }
  const additional = typeof schema.additionalProperties === 'object' ? schema.additionalProperties : undefined;
  for (const key of Object.keys(data)) {
    const sub = schema.properties?.[key] ?? additional;
    if (!sub) continue;
    if (data[key] === null) {
      if (sub.nullable !== true) delete data[key];
    } else {
      pruneNulls(sub, data[key]);
    }
  }
}

function walkRules(node: RuleNode, data: any, path: string, problems: SchemaProblem[], evaluationErrors: SchemaProblem[]): void {
  if (data === undefined || data === null) return;
  if (node.rules.length) {
    const self = toCel(data);
    for (const rule of node.rules) {
      const outcome = rule.check(self);
      if (outcome) {
        (outcome.evaluationError ? evaluationErrors : problems).push({ path: path + (rule.spec.fieldPath ?? ''), message: outcome.message });
      }
    }
  }
  if (Array.isArray(data)) {
    if (node.listMapKeys) reportDuplicates(data, path, problems, (item) => JSON.stringify(node.listMapKeys!.map((k) => item?.[k])));
    if (node.listSet) reportDuplicates(data, path, problems, (item) => JSON.stringify(item));
    if (node.items) data.forEach((item, i) => walkRules(node.items!, item, childPath(path, i), problems, evaluationErrors));
    return;
  }
  if (typeof data !== 'object') return;
  for (const [key, child] of node.properties) {
    if (key in data) walkRules(child, data[key], childPath(path, key), problems, evaluationErrors);
  }
  if (node.additionalProperties) {
    for (const [key, value] of Object.entries(data)) {
      if (!node.properties.has(key)) walkRules(node.additionalProperties, value, childPath(path, key), problems, evaluationErrors);
    }
  }
}

function reportDuplicates(list: any[], path: string, problems: SchemaProblem[], keyOf: (item: any) => string): void {
  const seen = new Set<string>();
  list.forEach((item, i) => {
    const key = keyOf(item);
    if (seen.has(key)) problems.push({ path: childPath(path, i), message: `Duplicate value: ${key}` });
    seen.add(key);
  });
}

function describeAjvError(error: ErrorObject, data: unknown): SchemaProblem {
  const path = pointerToPath(error.instancePath, data);
  switch (error.keyword) {
    case 'required':
      return { path: childPath(path, error.params.missingProperty), message: 'Required value' };
    case 'additionalProperties':
      return {
        path: childPath(path, error.params.additionalProperty),
        message: 'unknown field (not in the schema; the API server would silently drop it)',
      };
    case 'enum':
      return {
        path,
        message: `Unsupported value: ${shown(error.data)}: supported values: ${error.params.allowedValues.map((v: unknown) => JSON.stringify(v)).join(', ')}`,
      };
    default:
      return { path, message: `Invalid value: ${shown(error.data)}: ${error.message}` };
  }
}
