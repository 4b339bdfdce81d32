import * as jsYaml from 'js-yaml';
import { FAILSAFE_SCHEMA, loadAll, Type } from 'js-yaml';
import { jsonDataProblem } from './json-data';
import type { LocatedManifest } from './references';

/** A document of a manifest file that is not an object kubectl could send. */
export interface UnreadableDocument {
  readonly origin?: string;
  /** 1-based index of the document in its file. */
  readonly document: number;
  /** 1-based line where the document starts. */
  readonly line: number;
  readonly message: string;
}

/** What a manifest file holds, read the way kubectl reads it. */
export interface ReadManifests {
  readonly objects: LocatedManifest[];
  readonly unreadable: UnreadableDocument[];
}

/**
 * Reads the objects of a YAML or JSON manifest file the way `kubectl apply -f` does
 * (k8s.io/apimachinery's YAMLOrJSONDecoder and sigs.k8s.io/yaml):
 * - text that starts with `{` is a stream of JSON objects, one after the other;
 * - anything else is YAML documents separated by `---`, with YAML 1.1 scalars as go-yaml v2 resolves them
 *   (`yes`/`on`/`y` are booleans, `010` is octal, `0o17`, `0x1F` and `1_000` are integers, dates and
 *   `1:30` stay strings), merge keys, and the last of duplicate keys winning;
 * - empty documents are skipped.
 */
export function readManifests(text: string, origin?: string): ReadManifests {
  const body = text.replace(/^\uFEFF/, '');
  return /^[ \t\r\n]*\{/.test(body) ? readJsonStream(body, origin) : readYaml(body, origin);
}

function readJsonStream(text: string, origin?: string): ReadManifests {
  const objects: LocatedManifest[] = [];
  const unreadable: UnreadableDocument[] = [];
  let pos = 0;
  let document = 0;
  while (true) {
    while (pos < text.length && ' \t\r\n'.includes(text[pos])) pos++;
    if (pos >= text.length) break;
    document++;
    const line = lineAt(text, pos);
    const end = endOfJsonValue(text, pos);
    let value: unknown;
    try {
      if (end === undefined) throw new Error('unexpected end of JSON input');
      value = JSON.parse(text.slice(pos, end));
    } catch (e) {
      unreadable.push({ origin, document, line, message: `not valid JSON: ${(e as Error).message}` });
      break;
    }
    const problem = jsonDataProblem(value);
    if (problem) unreadable.push({ origin, document, line, message: problem });
    else objects.push({ manifest: value, origin, document, line });
    pos = end;
  }
  return { objects, unreadable };
}

/** Index just past the JSON value that starts at `start`, found by matching brackets outside strings. */
function endOfJsonValue(text: string, start: number): number | undefined {
  if (text[start] !== '{' && text[start] !== '[') {
    const m = /^("(?:[^"\\]|\\.)*"|[^\s{}[\],]+)/.exec(text.slice(start));
    return m ? start + m[0].length : undefined;
  }
  let depth = 0;
  for (let i = start; i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      for (i++; i < text.length && text[i] !== '"'; i++) if (text[i] === '\\') i++;
    } else if (c === '{' || c === '[') {
      depth++;
    } else if (c === '}' || c === ']') {
      if (--depth === 0) return i + 1;
    }
  }
  return undefined;
}

function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

// go-yaml v2 resolves a plain scalar that starts like a number with strconv.ParseInt(s, 0, 64) once
// underscores are removed, then as a float if it has the YAML float shape; otherwise it is a string.
const GO_INT = /^([-+]?)(?:0[bB]([01]+)|0[oO]([0-7]+)|0[xX]([0-9a-fA-F]+)|0([0-7]*)|([1-9][0-9]*))$/;
const YAML_FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;
const GO_SPECIAL_FLOATS: { [source: string]: number } = {
  '.inf': Infinity, '.Inf': Infinity, '.INF': Infinity, '+.inf': Infinity, '+.Inf': Infinity, '+.INF': Infinity,
  '-.inf': -Infinity, '-.Inf': -Infinity, '-.INF': -Infinity, '.nan': NaN, '.NaN': NaN, '.NAN': NaN,
};
const NUMBER_START = /^[-+.0-9]/;

/** The number go-yaml v2 reads from a plain scalar, or undefined when it reads a string. */
function goNumber(source: string): number | undefined {
  if (!NUMBER_START.test(source)) return undefined;
  if (source in GO_SPECIAL_FLOATS) return GO_SPECIAL_FLOATS[source];
  if (source.startsWith('.')) {
    const value = Number(source);
    return /^\.[0-9]/.test(source) && Number.isFinite(value) ? value : undefined;
  }
  const plain = source.replace(/_/g, '');
  const int = GO_INT.exec(plain);
  if (int) {
    const [, sign, bin, oct, hex, legacyOct, dec] = int;
    const magnitude = bin !== undefined ? parseInt(bin, 2)
      : oct !== undefined ? parseInt(oct, 8)
        : hex !== undefined ? parseInt(hex, 16)
          : legacyOct !== undefined ? (legacyOct ? parseInt(legacyOct, 8) : 0)
            : Number(dec);
    return sign === '-' ? -magnitude : magnitude;
  }
  return YAML_FLOAT.test(plain) ? Number(plain) : undefined;
}

const TRUE = /^(?:y|Y|yes|Yes|YES|true|True|TRUE|on|On|ON)$/;
const FALSE = /^(?:n|N|no|No|NO|false|False|FALSE|off|Off|OFF)$/;
const NULL = /^(?:~|null|Null|NULL|)$/;

/** The YAML 1.1 resolution of go-yaml v2, which sigs.k8s.io/yaml (kubectl, the API server) uses. */
const GO_YAML_SCHEMA = FAILSAFE_SCHEMA.extend({
  implicit: [
    new Type('tag:yaml.org,2002:null', {
      kind: 'scalar', resolve: (s: string) => NULL.test(s), construct: () => null,
      predicate: (d: unknown) => d === null, represent: { canonical: () => '~' }, defaultStyle: 'canonical',
    }),
    new Type('tag:yaml.org,2002:bool', {
      kind: 'scalar', resolve: (s: string) => TRUE.test(s) || FALSE.test(s), construct: (s: string) => TRUE.test(s),
      predicate: (d: unknown) => typeof d === 'boolean',
    }),
    new Type('tag:yaml.org,2002:int', {
      kind: 'scalar', resolve: (s: string) => goNumber(s) !== undefined, construct: (s: string) => goNumber(s),
      predicate: (d: unknown) => typeof d === 'number',
    }),
    // `<<` merge keys; the typings of js-yaml 4 do not list its built-in types.
    (jsYaml as any).types.merge as Type,
  ],
  explicit: [
    new Type('tag:yaml.org,2002:float', { kind: 'scalar', resolve: (s: string) => goNumber(s) !== undefined, construct: (s: string) => goNumber(s) }),
  ],
});

const YAML_OPTIONS = {
  schema: GO_YAML_SCHEMA,
  // Duplicate keys: the last one wins, as in sigs.k8s.io/yaml.
  json: true,
};

/**
 * Splits YAML text into documents as kubectl's YAMLReader does: on lines that start with `---` followed by
 * nothing but blanks or a comment.
 */
function splitDocuments(text: string): Array<{ text: string; line: number }> {
  const docs: Array<{ text: string; line: number }> = [];
  const lines = text.split('\n');
  let current: string[] = [];
  let startLine = 1;
  lines.forEach((line, i) => {
    if (/^---[ \t\r]*(#.*)?$/.test(line)) {
      docs.push({ text: current.join('\n'), line: startLine });
      current = [];
      startLine = i + 2;
    } else {
      current.push(line);
    }
  });
  docs.push({ text: current.join('\n'), line: startLine });
  return docs;
}

const MAY_NOT_BE_JSON = /\*|\.(?:inf|nan)\b/i;

function readYaml(text: string, origin?: string): ReadManifests {
  const objects: LocatedManifest[] = [];
  const unreadable: UnreadableDocument[] = [];
  let document = 0;
  for (const chunk of splitDocuments(text)) {
    if (!chunk.text.trim()) continue;
    let value: unknown;
    try {
      // go-yaml reads the first document of a chunk (a chunk holds more only after a `--- x` line).
      const docs = loadAll(chunk.text, undefined, YAML_OPTIONS) as unknown[];
      if (!docs.length) continue;
      value = docs[0];
    } catch (e) {
      const mark = (e as any).mark;
      document++;
      const line = chunk.line + (typeof mark?.line === 'number' ? mark.line : 0);
      const reason = e instanceof RangeError ? 'nested too deeply to read' : String((e as any).reason ?? (e as Error).message).split('\n')[0];
      unreadable.push({ origin, document, line, message: `not valid YAML: ${reason}` });
      continue;
    }
    if (value === null || value === undefined) continue;
    document++;
    // Only aliases (`*`) share or loop nodes, only `.inf`/`.nan` give what JSON cannot hold, and nesting is
    // bounded by the parser itself: other documents need no walk.
    const problem = MAY_NOT_BE_JSON.test(chunk.text) ? jsonDataProblem(value) : undefined;
    if (problem) {
      unreadable.push({ origin, document, line: chunk.line, message: problem });
      continue;
    }
    objects.push({ manifest: value, origin, document, line: chunk.line });
  }
  return { objects, unreadable };
}
