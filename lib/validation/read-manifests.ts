import { FAILSAFE_SCHEMA, loadAll, mergeKeyType, Type } from '../third-party/js-yaml';
import type { Document as YamlDocument, YamlNode } from '../third-party/yaml';
import { jsonDataProblem } from './json-data';
import type { LocatedManifest } from './references';
import { pathSegments } from './schema-path';

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
  const objects: LocatedManifest[] = [];
  const unreadable: UnreadableDocument[] = [];
  for (const unit of splitManifestText(text, origin)) {
    const read = readUnit(unit);
    objects.push(...read.objects);
    unreadable.push(...read.unreadable);
  }
  return { objects, unreadable };
}

function readJsonStream(text: string, origin?: string): ReadManifests {
  const objects: LocatedManifest[] = [];
  const unreadable: UnreadableDocument[] = [];
  let pos = 0;
  let document = 0;
  let line = 1;
  let counted = 0;
  while (true) {
    while (pos < text.length && ' \t\r\n'.includes(text[pos])) pos++;
    if (pos >= text.length) break;
    document++;
    line += countLines(text, counted, pos);
    counted = pos;
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
    else objects.push({ manifest: value, origin, document, line, checkedJson: true });
    pos = end;
  }
  return { objects, unreadable };
}

const JSON_SCALAR = /"(?:[^"\\]|\\.)*"|[^\s{}[\],]+/y;

/** Index just past the JSON value that starts at `start`, found by matching brackets outside strings. */
function endOfJsonValue(text: string, start: number): number | undefined {
  if (text[start] !== '{' && text[start] !== '[') {
    JSON_SCALAR.lastIndex = start;
    const m = JSON_SCALAR.exec(text);
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
    mergeKeyType,
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

/** A piece of a manifest file that can be read on its own: one YAML document, or a whole JSON stream. */
export interface ManifestUnit {
  readonly origin?: string;
  readonly text: string;
  /** 1-based line where the unit starts in its file. */
  readonly line: number;
  /** 1-based index of the YAML document among the file's non-blank ones; 0 for a JSON stream. */
  readonly document: number;
  readonly json: boolean;
}

// kubectl's YAMLReader splits on lines that start with `---` followed by nothing but blanks or a comment.
const SEPARATOR = /^---[ \t\r]*(?:#[^\n]*)?$/gm;

/** Splits a manifest file into units as kubectl reads it: JSON as one stream, YAML into its documents. */
export function splitManifestText(text: string, origin?: string): ManifestUnit[] {
  const body = text.replace(/^\uFEFF/, '');
  if (/^[ \t\r\n]*\{/.test(body)) return [{ origin, text: body, line: 1, document: 0, json: true }];
  const units: ManifestUnit[] = [];
  let start = 0;
  let line = 1;
  let document = 0;
  const add = (end: number) => {
    const chunk = body.slice(start, end);
    if (/\S/.test(chunk)) units.push({ origin, text: chunk, line, document: ++document, json: false });
  };
  for (const match of body.matchAll(SEPARATOR)) {
    add(match.index!);
    line += countLines(body, start, match.index! + match[0].length) + 1;
    start = match.index! + match[0].length + 1;
  }
  add(body.length);
  return units;
}

function countLines(text: string, from: number, to: number): number {
  let n = 0;
  for (let i = text.indexOf('\n', from); i !== -1 && i < to; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

const MAY_NOT_BE_JSON = /\*|\.(?:inf|nan)\b/i;

/** Reads one unit: its objects, or why it cannot be read. */
export function readUnit(unit: ManifestUnit): ReadManifests {
  if (unit.json) return readJsonStream(unit.text, unit.origin);
  const { origin, document, line } = unit;
  let value: unknown;
  try {
    // go-yaml reads the first document of a chunk (a chunk holds more only after a `--- x` line).
    const docs = loadAll(unit.text, undefined, YAML_OPTIONS) as unknown[];
    value = docs[0];
  } catch (e) {
    const mark = (e as any).mark;
    const at = line + (typeof mark?.line === 'number' ? mark.line : 0);
    const reason = e instanceof RangeError ? 'nested too deeply to read' : String((e as any).reason ?? (e as Error).message).split('\n')[0];
    return { objects: [], unreadable: [{ origin, document, line: at, message: `not valid YAML: ${reason}` }] };
  }
  if (value === null || value === undefined) return { objects: [], unreadable: [] };
  // Only aliases (`*`) share or loop nodes, only `.inf`/`.nan` give what JSON cannot hold, and nesting is
  // bounded by the parser itself: other documents need no walk.
  const problem = MAY_NOT_BE_JSON.test(unit.text) ? jsonDataProblem(value) : undefined;
  if (problem) return { objects: [], unreadable: [{ origin, document, line, message: problem }] };
  return { objects: [{ manifest: value, origin, document, line, checkedJson: true }], unreadable: [] };
}

/** A place in a file: 1-based line and column, the column in UTF-16 code units (as editors and SARIF count). */
export interface FilePosition {
  readonly line: number;
  readonly column: number;
}

/** An object as its findings name it: enough to tell which item of a list it is. */
export interface ObjectIdentity {
  readonly kind?: string;
  readonly name?: string;
}

/**
 * The places of the fields of a unit's objects, found by the paths the checks name them with
 * (`spec.facades[0].port`). Reading and checking keep no positions, so they stay as fast and as small as
 * they are: the unit is read again, with the `yaml` package (whose nodes keep their ranges), when a
 * position is first asked for, which only findings do.
 */
export class FieldPositions {
  private yaml?: { doc: YamlDocument; root: YamlNode | null };
  private json?: { starts: Array<{ offset: number; line: number }>; docs: Map<number, { doc: YamlDocument; root: YamlNode | null }> };

  public constructor(private readonly unit: ManifestUnit) {}

  /**
   * Where the field at `path` of an object of the unit is: the key of a map entry, the start of a list item.
   * A field that is not there (a required one, missing) is placed at its nearest ancestor that is.
   * @param document the object's index in its JSON stream (1-based); a YAML unit holds one object
   * @param object the object's kind and name: when the unit is a list, the path is the item's
   */
  public positionOf(document: number, path: string, object: ObjectIdentity = {}): FilePosition | undefined {
    try {
      return this.unit.json ? this.inJson(document, path, object) : this.inYaml(path, object);
    } catch {
      return undefined; // a position helps; it is never a reason to fail
    }
  }

  private inYaml(path: string, object: ObjectIdentity): FilePosition | undefined {
    this.yaml = this.yaml ?? parsedYaml(this.unit.text, '1.1');
    const offset = offsetOf(this.yaml.doc, this.yaml.root, path, object);
    return offset === undefined ? undefined : positionAt(this.unit.text, 0, this.unit.line, offset);
  }

  private inJson(document: number, path: string, object: ObjectIdentity): FilePosition | undefined {
    const text = this.unit.text;
    this.json = this.json ?? { starts: jsonObjectStarts(text), docs: new Map() };
    const start = this.json.starts[document - 1];
    if (!start) return undefined;
    let parsed = this.json.docs.get(document);
    if (!parsed) {
      const end = endOfJsonValue(text, start.offset) ?? text.length;
      parsed = parsedYaml(text.slice(start.offset, end), '1.2');
      this.json.docs.set(document, parsed);
    }
    const offset = offsetOf(parsed.doc, parsed.root, path, object);
    return offset === undefined ? undefined : positionAt(text, start.offset, start.line, start.offset + offset);
  }
}

function parsedYaml(text: string, version: '1.1' | '1.2'): { doc: YamlDocument; root: YamlNode | null } {
  // Loaded only here: checking files without findings never needs it. YAML 1.1, as go-yaml reads keys
  // (`on:` is the key "true") and merges (`<<`); JSON is read as the YAML 1.2 it is.
  const yaml = require('../third-party/yaml') as typeof import('../third-party/yaml');
  const docs = yaml.parseAllDocuments(text, { version, uniqueKeys: false, prettyErrors: false, keepSourceTokens: false });
  const doc = (Array.isArray(docs) ? docs[0] : undefined) as YamlDocument | undefined;
  if (!doc) throw new Error('no document');
  return { doc, root: doc.contents as YamlNode | null };
}

/** Where each JSON value of a stream starts (offset and line), skipping blanks as `readJsonStream` does. */
function jsonObjectStarts(text: string): Array<{ offset: number; line: number }> {
  const starts: Array<{ offset: number; line: number }> = [];
  let pos = 0;
  let line = 1;
  let counted = 0;
  while (true) {
    while (pos < text.length && ' \t\r\n'.includes(text[pos])) pos++;
    if (pos >= text.length) break;
    line += countLines(text, counted, pos);
    counted = pos;
    starts.push({ offset: pos, line });
    const end = endOfJsonValue(text, pos);
    if (end === undefined) break;
    pos = end;
  }
  return starts;
}

/** The position of `offset` in `text`, counting lines from `from`, which is on line `line`. */
function positionAt(text: string, from: number, line: number, offset: number): FilePosition {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  return { line: line + countLines(text, from, offset), column: offset - lineStart + 1 };
}

const MAX_MERGE_DEPTH = 32;

/** The offset of the field at `path` under `root`, or of its nearest ancestor there. */
function offsetOf(doc: YamlDocument, root: YamlNode | null, path: string, object: ObjectIdentity): number | undefined {
  const yaml = require('../third-party/yaml') as typeof import('../third-party/yaml');
  const deref = (node: unknown, depth = 0): any => (yaml.isAlias(node) && depth < MAX_MERGE_DEPTH ? deref(node.resolve(doc), depth + 1) : node);
  const keyOf = (key: unknown): string | symbol | undefined => {
    if (!yaml.isScalar(key)) return undefined;
    return typeof key.value === 'symbol' ? key.value : String(key.value);
  };
  // The last pair of a map with `key` (the last of duplicates wins), else one merged in with `<<`.
  const pairOf = (map: any, key: string, depth = 0): any => {
    let found: any;
    const merged: any[] = [];
    for (const pair of map.items) {
      const k = keyOf(pair.key);
      if (k === key) found = pair;
      else if (typeof k === 'symbol') merged.push(pair.value); // `<<`, which YAML 1.1 reads as a merge
    }
    if (found || depth >= MAX_MERGE_DEPTH) return found;
    for (const source of merged) {
      const value = deref(source);
      for (const m of yaml.isSeq(value) ? value.items.map((i: unknown) => deref(i)) : [value]) {
        const inMerged = yaml.isMap(m) ? pairOf(m, key, depth + 1) : undefined;
        if (inMerged) return inMerged;
      }
    }
    return undefined;
  };
  const scalarAt = (node: any, keys: string[]): unknown => {
    for (const key of keys) {
      node = deref(node);
      if (!yaml.isMap(node)) return undefined;
      node = pairOf(node, key)?.value;
    }
    node = deref(node);
    return yaml.isScalar(node) ? node.value : undefined;
  };

  let node = deref(root);
  if (!node) return undefined;
  let at: number | undefined = node.range?.[0];
  const segments = pathSegments(path);
  // An item of a list: the paths of its findings start at the item, found by its name and kind.
  const items = yaml.isMap(node) && segments[0] !== 'items' ? deref(pairOf(node, 'items')?.value) : undefined;
  if (yaml.isSeq(items)) {
    const named = items.items.map((i: unknown) => deref(i)).filter((i: any) => yaml.isMap(i) && scalarAt(i, ['metadata', 'name']) === object.name);
    // An item without a kind takes the list's.
    const item = named.find((i: any) => { const kind = scalarAt(i, ['kind']); return kind === object.kind || kind === undefined || kind === null; }) ?? named[0];
    if (item) {
      node = item;
      at = item.range?.[0] ?? at;
    }
  }
  for (const segment of segments) {
    node = deref(node);
    let next: any;
    if (yaml.isMap(node)) {
      const pair = pairOf(node, segment);
      if (!pair) break;
      at = pair.key?.range?.[0] ?? pair.value?.range?.[0] ?? at;
      next = pair.value;
    } else if (yaml.isSeq(node) && /^\d+$/.test(segment)) {
      next = node.items[Number(segment)];
      if (next === undefined) break;
      at = next?.range?.[0] ?? at;
    } else {
      break;
    }
    node = next;
  }
  return at;
}
