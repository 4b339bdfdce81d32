import * as fs from 'fs';
import * as path from 'path';
import { IConstruct } from 'constructs';
import { describedObject, mistake, objectLabel } from './errors';

// TypeScript and the jsii languages check argument types before a call reaches this library; JavaScript does
// not. This checks a call's arguments against the types the jsii assembly of this package declares (the
// `.jsii` file shipped in it), at any depth: primitives, lists, maps, structs (required fields included),
// enums, and classes of this library (`instanceof`). Types of other libraries are checked as objects.

interface TypeRef {
  readonly primitive?: string;
  readonly fqn?: string;
  readonly collection?: { readonly kind: 'array' | 'map'; readonly elementtype: TypeRef };
  readonly union?: { readonly types: TypeRef[] };
}

interface Parameter { readonly name: string; readonly type: TypeRef; readonly optional?: boolean; readonly variadic?: boolean }

let assembly: any;
function types(): { [fqn: string]: any } {
  if (!assembly) {
    try {
      assembly = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', '.jsii'), 'utf8'));
    } catch {
      // Not built yet (sources run straight from a checkout): TypeScript has checked the types already.
      assembly = { types: {} };
    }
  }
  return assembly.types;
}

// What the checks look up by name, found once per process: the runtime value of one of this package's types
// (read from the module the assembly says defines it, so that this module needs no other of the package),
// the runtime value of another library's type, the parameters of a callable. (Read-only data of the loaded
// code, not app state.)
const ownValues = new Map<string, any>();
function ownValue(declared: { fqn: string; name: string; locationInModule?: { filename: string } }): any {
  if (!ownValues.has(declared.fqn)) {
    let value: any;
    try {
      const file = declared.locationInModule!.filename.replace(/\.ts$/, '');
      value = require(path.join(__dirname, '..', '..', file))[declared.name];
    } catch {
      value = undefined; // an assembly older than the code: nothing to check against
    }
    ownValues.set(declared.fqn, value);
  }
  return ownValues.get(declared.fqn);
}
const foreignValues = new Map<string, { loaded: boolean; runtime?: any }>();
const callables = new Map<string, Parameter[]>();

const typeName = (v: unknown) => (v === null ? 'null' : Array.isArray(v) ? 'a list' : typeof v === 'object' ? `a ${(v as object).constructor?.name ?? 'object'}` : `a ${typeof v}`);

const article = (name: string) => (/^[AEIOUaeiou]/.test(name) ? `an ${name}` : `a ${name}`);

function describe(type: TypeRef): string {
  if (type.primitive) return type.primitive === 'any' || type.primitive === 'json' ? 'a value' : article(type.primitive);
  if (type.collection) return type.collection.kind === 'array' ? `a list of ${describe(type.collection.elementtype).replace(/^an? /, '')}` : `a map of ${describe(type.collection.elementtype).replace(/^an? /, '')}`;
  if (type.union) return type.union.types.map(describe).join(' or ');
  return article(type.fqn!.split('.').slice(1).join('.'));
}

/** The problem with `value` as a `type` at `field`, or undefined when it fits. */
function problem(value: unknown, type: TypeRef, field: string): string | undefined {
  if (value === undefined || value === null) return undefined; // optionality is checked by the caller
  const wrong = () => `${field}: must be ${describe(type)}, not ${typeName(value)}`;
  if (type.primitive) {
    switch (type.primitive) {
      case 'string': case 'number': case 'boolean': return typeof value === type.primitive ? undefined : wrong();
      case 'date': return value instanceof Date ? undefined : wrong();
      default: return undefined;
    }
  }
  if (type.union) return type.union.types.some((t) => problem(value, t, field) === undefined) ? undefined : wrong();
  if (type.collection) {
    const entries = type.collection.kind === 'array'
      ? (Array.isArray(value) ? value.map((v, i) => [`${field}[${i}]`, v] as const) : undefined)
      : (typeof value === 'object' && !Array.isArray(value) ? Object.entries(value as object).map(([k, v]) => [`${field}.${k}`, v] as const) : undefined);
    if (!entries) return wrong();
    for (const [at, v] of entries) {
      if (v === undefined || v === null) return `${at}: must be ${describe(type.collection.elementtype)}, not ${typeName(v)}`;
      const p = problem(v, type.collection.elementtype, at);
      if (p) return p;
    }
    return undefined;
  }
  const fqn = type.fqn!;
  const declared = types()[fqn];
  if (!declared) return foreignProblem(value, fqn) ? wrong() : undefined;
  switch (declared.kind) {
    case 'enum': {
      const runtime = ownValue(declared);
      if (!runtime) return undefined;
      return Object.values(runtime).includes(value) ? undefined : `${field}: must be one of ${declared.name}'s values, not ${JSON.stringify(value)}`;
    }
    case 'class': {
      const cls = ownValue(declared);
      return typeof cls !== 'function' || value instanceof cls ? undefined : wrong();
    }
    default:
      if (typeof value !== 'object' || Array.isArray(value)) return wrong();
      return declared.datatype ? structProblem(value as { [key: string]: unknown }, fqn, `${field}.`) : undefined;
  }
}

/**
 * Whether `value` cannot be of another library's type: its runtime value tells a class (an object is
 * needed), an enum (one of its values) or an interface (no runtime value: an object is needed).
 */
function foreignProblem(value: unknown, fqn: string): boolean {
  let found = foreignValues.get(fqn);
  if (!found) {
    try {
      const [module, ...names] = fqn.split('.');
      found = { loaded: true, runtime: names.reduce((v, name) => v?.[name], require(module)) };
    } catch {
      found = { loaded: false }; // a library this process cannot load: nothing to check against
    }
    foreignValues.set(fqn, found);
  }
  if (!found.loaded) return false;
  const runtime = found.runtime;
  if (runtime && typeof runtime === 'object' && Object.values(runtime).every((v) => typeof v === 'string' || typeof v === 'number')) {
    return !Object.values(runtime).includes(value);
  }
  return typeof value !== 'object' && typeof value !== 'function';
}

/** The problem with a struct's fields, each named `prefix` + field. */
function structProblem(value: { [key: string]: unknown }, fqn: string, prefix: string): string | undefined {
  const declared = types()[fqn];
  if (!declared) return undefined;
  for (const property of declared.properties ?? []) {
    const v = value[property.name];
    if ((v === undefined || v === null) && !property.optional) return `${prefix}${property.name}: is required`;
    const p = problem(v, property.type, `${prefix}${property.name}`);
    if (p) return p;
  }
  for (const parent of declared.interfaces ?? []) {
    const p = structProblem(value, parent, prefix);
    if (p) return p;
  }
  return undefined;
}

/**
 * Checks the arguments of a call of this library against the declared types and throws one clear error,
 * `<where>: <field>: must be <type>, not <what was given>`, at the first mismatch. `member` is a method
 * name, or undefined for the constructor. Fields of a struct argument are named as the struct's fields.
 */
export function checkArguments(where: string | IConstruct, fqn: string, member: string | undefined, args: unknown[]): void {
  const callableKey = `${fqn}#${member ?? ''}`;
  let parameters = callables.get(callableKey);
  if (!parameters) {
    const declared = types()[fqn];
    const callable = member ? declared?.methods?.find((m: any) => m.name === member) : declared?.initializer;
    parameters = (callable?.parameters ?? []) as Parameter[];
    callables.set(callableKey, parameters);
  }
  parameters.forEach((parameter, i) => {
    if (parameter.type.fqn?.startsWith('constructs.')) return; // scopes are checked by constructs itself
    const value = args[i];
    const struct = parameter.type.fqn && types()[parameter.type.fqn]?.datatype;
    let found: string | undefined;
    if ((value === undefined || value === null) && !parameter.optional) {
      found = `${parameter.name}: ${struct ? 'the props are' : 'is'} required`;
    } else if (struct && value !== undefined && value !== null) {
      found = typeof value === 'object' && !Array.isArray(value)
        ? structProblem(value as { [key: string]: unknown }, parameter.type.fqn!, '')
        : `${parameter.name}: must be ${describe(parameter.type)}, not ${typeName(value)}`;
    } else {
      found = problem(value, parameter.type, parameter.name);
    }
    if (found) {
      const object = typeof where === 'string' ? undefined : describedObject(where);
      const at = typeof where === 'string' ? where : where.node.path;
      throw mistake(`${at}: ${object ? `${objectLabel(object)}: ` : ''}${found}`, typeof where === 'string' ? [] : [where]);
    }
  });
}

/** Where a static factory that makes a construct is called: the new construct's path, when the scope is one. */
export function callSite(scope: unknown, id: unknown, factory: string): string {
  const node = (scope as IConstruct | undefined)?.node;
  return node && typeof node.path === 'string' ? `${node.path ? `${node.path}/` : ''}${String(id)}` : factory;
}
