import { IConstruct } from 'constructs';
import { invalidProp } from './errors';

// TypeScript and the jsii languages check the types of props before they reach a construct; JavaScript does
// not. These checks turn a value of the wrong type into the usual construct-time error, never a TypeError
// deep inside or a field silently left out of the manifest.

const typeName = (v: unknown) => (v === null ? 'null' : Array.isArray(v) ? 'a list' : typeof v === 'object' ? `a ${v.constructor?.name ?? 'object'}` : `a ${typeof v}`);

/** `value` must be a plain object (a props or options struct, a map). */
export function expectObject(scope: IConstruct, field: string, value: unknown, optional = true): void {
  // As in every jsii language, null stands for a value left out.
  if ((value === undefined || value === null) && optional) return;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw invalidProp(scope, field, `must be an object, not ${typeName(value)}`);
  }
}

/** `value` must be an instance of `type`, made with its factories. */
export function expectInstance(scope: IConstruct, field: string, value: unknown, type: Function, how: string, optional = true): void {
  if ((value === undefined || value === null) && optional) return;
  if (!(value instanceof type)) throw invalidProp(scope, field, `must be ${how}, not ${typeName(value)}`);
}

/** `value` must be a map whose values are instances of `type`. */
export function expectMapOf(scope: IConstruct, field: string, value: unknown, type: Function, how: string): void {
  expectObject(scope, field, value);
  for (const [key, v] of Object.entries((value ?? {}) as object)) expectInstance(scope, `${field}.${key}`, v, type, how, false);
}
