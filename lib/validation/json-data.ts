import { childPath } from './schema-path';

/** How deep a manifest may nest: far beyond any real one, well within the stack of every check. */
export const MAX_DEPTH = 1000;
/** How many nodes a manifest may expand to once shared (aliased) nodes are counted at each use. */
export const MAX_NODES = 1_000_000;

/**
 * Why `root` is not JSON data that kubectl could send, or undefined when it is: a value JSON has no form
 * for (infinity, NaN, a function, a bigint), a node that contains itself, nesting deeper than MAX_DEPTH, or
 * aliases that expand it past MAX_NODES. Shared nodes are sized once and counted at each use.
 */
export function jsonDataProblem(root: unknown, allowNonFinite = false): string | undefined {
  const sizes = new Map<object, number>();
  const inProgress = new Set<object>();
  let problem: string | undefined;
  const size = (value: unknown, depth: number): number => {
    if (problem) return 0;
    switch (typeof value) {
      case 'number':
        if (!allowNonFinite && !Number.isFinite(value)) problem = `${value} cannot be converted to JSON`;
        return 1;
      case 'string': case 'boolean':
        return 1;
      case 'object':
        break;
      default:
        problem = `a ${typeof value} is not JSON data`;
        return 0;
    }
    if (value === null) return 1;
    if (depth > MAX_DEPTH) {
      problem = `nested deeper than ${MAX_DEPTH} levels`;
      return 0;
    }
    const known = sizes.get(value);
    if (known !== undefined) return known;
    if (inProgress.has(value)) {
      problem = 'a node contains itself (an alias to its own anchor): the document is infinite';
      return 0;
    }
    inProgress.add(value);
    let total = 1;
    for (const v of Array.isArray(value) ? value : Object.values(value)) {
      total += size(v, depth + 1);
      if (total > MAX_NODES) {
        problem = `it expands past ${MAX_NODES.toLocaleString('en')} nodes (aliases repeat nodes at each use)`;
        break;
      }
    }
    inProgress.delete(value);
    sizes.set(value, total);
    return total;
  };
  size(root, 0);
  return problem;
}

/**
 * The fields of `root` that hold a number JSON cannot hold (NaN, infinity: YAML's `.nan`, `.inf`, or a
 * JSON number beyond float64), as `[path, value]`. `root` must be free of cycles (see `jsonDataProblem`).
 */
export function nonFiniteFields(root: unknown): Array<[string, number]> {
  const found: Array<[string, number]> = [];
  const walk = (value: unknown, path: string): void => {
    if (typeof value === 'number') {
      if (!Number.isFinite(value)) found.push([path, value]);
    } else if (Array.isArray(value)) {
      value.forEach((v, i) => walk(v, childPath(path, i)));
    } else if (value !== null && typeof value === 'object') {
      for (const key of Object.keys(value)) walk((value as any)[key], childPath(path, key));
    }
  };
  walk(root, '');
  return found;
}

/**
 * A deep copy of JSON data (objects, lists, scalars), several times faster than `structuredClone` on the
 * small objects of manifests. A `__proto__` key stays an own key, as JSON.parse makes it.
 */
export function cloneJson<T>(value: T): T {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    const list = new Array(value.length);
    for (let i = 0; i < value.length; i++) list[i] = cloneJson(value[i]);
    return list as T;
  }
  const copy: { [key: string]: unknown } = {};
  for (const key of Object.keys(value)) {
    const v = cloneJson((value as any)[key]);
    if (key === '__proto__') Object.defineProperty(copy, key, { value: v, enumerable: true, writable: true, configurable: true });
    else copy[key] = v;
  }
  return copy as T;
}
