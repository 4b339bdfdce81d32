import * as fs from 'fs';
import { FAILSAFE_SCHEMA, loadAll, mergeKeyType, Type } from '../third-party/js-yaml';
import { append } from './append';
import { jsonDataProblem, nonFiniteFields } from './json-data';
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
    append(objects, read.objects);
    append(unreadable, read.unreadable);
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
    // A number beyond float64 parses as infinity: a finding of its field, as in YAML (`checkEach`).
    const problem = jsonDataProblem(value, true);
    if (problem) unreadable.push({ origin, document, line, message: problem });
    else objects.push({ manifest: value, origin, document, line, checkedJson: !HUGE_NUMBER.test(text.slice(pos, end)) || !nonFiniteFields(value).length });
    pos = end;
  }
  return { objects, unreadable };
}

// A JSON number that may not fit a float64: an exponent of three digits, or 300 digits in a row.
const HUGE_NUMBER = /[0-9.][eE]\+?[0-9]{3}|[0-9]{300}/;
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
  return splitYaml(body, origin, 1, 0).units;
}

/**
 * The YAML documents of `body`, which starts on line `line` after `document` documents: the units, and the
 * line and document count where the last one ends (for the text that follows, when read in pieces).
 */
function splitYaml(body: string, origin: string | undefined, line: number, document: number): { units: ManifestUnit[]; line: number; document: number } {
  const units: ManifestUnit[] = [];
  let start = 0;
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
  return { units, line, document };
}

/** A file found not to be text its reader can take (YAML that is not UTF-8), with the reason. */
export class UndecodableFile extends Error {}

const utf8 = (decode: () => string): string => {
  try {
    return decode();
  } catch {
    throw new UndecodableFile('not valid UTF-8: YAML must be UTF-8 text');
  }
};

/**
 * The bytes read from a file at a time by `streamManifestUnits`. Small enough that its text is an ordinary
 * young string: Node makes a decoded string of a megabyte or more an external one, which V8 frees only at a
 * full collection, so that tens of them piled up outside the heap.
 */
const READ_CHUNK = 1 << 16;

/**
 * The units of a manifest file, read a piece at a time, so that a large YAML file is never held whole: the
 * same units as `splitManifestText` of the whole file. JSON (and text that may be JSON) is read whole, as one
 * stream. Throws `UndecodableFile` for YAML that is not valid UTF-8, possibly after yielding some units.
 */
// `Uint8Array`, not `Buffer`, in the signature: the declarations ship, and a user's project may not have Node's types.
export function* streamManifestUnits(fd: number, origin: string, decodeWhole: (bytes: Uint8Array) => string | { error: string }): Generator<ManifestUnit> {
  const buffer = Buffer.alloc(READ_CHUNK);
  const decoder = new TextDecoder('utf-8', { fatal: true });
  const first: Buffer[] = [];
  let pending = '';
  let started = false;
  let line = 1;
  let document = 0;
  // Where the search for separators goes on in `pending`: the start of its last line, which may still grow.
  let scanFrom = 0;
  for (;;) {
    const n = fs.readSync(fd, buffer, 0, READ_CHUNK, null);
    if (!started) {
      // Undecided until the text shows more than blanks: JSON, or text that starts like it, is read whole.
      if (n) first.push(Buffer.from(buffer.subarray(0, n)));
      const head = Buffer.concat(first);
      const firstChar = /[^ \t\r\n]/.exec(head.toString('latin1').replace(/^\xEF\xBB\xBF/, ''))?.[0];
      if (n && firstChar === undefined) continue;
      if (!n || firstChar === '{') {
        let rest = head;
        if (n) {
          const chunks = [head];
          for (let m = fs.readSync(fd, buffer, 0, READ_CHUNK, null); m; m = fs.readSync(fd, buffer, 0, READ_CHUNK, null)) chunks.push(Buffer.from(buffer.subarray(0, m)));
          rest = Buffer.concat(chunks);
        }
        const text = decodeWhole(rest);
        if (typeof text !== 'string') throw new UndecodableFile(text.error);
        yield* splitManifestText(text, origin);
        return;
      }
      started = true;
      pending = utf8(() => decoder.decode(head, { stream: true })).replace(/^\uFEFF/, '');
      first.length = 0;
    } else if (n) {
      pending += utf8(() => decoder.decode(buffer.subarray(0, n), { stream: true }));
    }
    if (!n) {
      pending += utf8(() => decoder.decode());
      yield* splitYaml(pending, origin, line, document).units;
      return;
    }
    // Cut after the last separator line read whole: what follows may still be growing. Only the text added
    // since the last search is searched, so a document of many chunks is not searched again and again.
    let cut = -1;
    const separator = new RegExp(SEPARATOR.source, 'gm');
    separator.lastIndex = scanFrom;
    for (let match = separator.exec(pending); match; match = separator.exec(pending)) {
      const end = match.index + match[0].length;
      if (pending[end] === '\n') cut = end + 1;
    }
    if (cut > 0) {
      const done = splitYaml(pending.slice(0, cut), origin, line, document);
      ({ line, document } = done);
      pending = pending.slice(cut);
      yield* done.units;
    }
    scanFrom = pending.lastIndexOf('\n') + 1;
  }
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
  // `.inf` and `.nan` are findings of their fields (`checkEach`), not a reason to refuse the document.
  const suspicious = MAY_NOT_BE_JSON.test(unit.text);
  const problem = suspicious ? jsonDataProblem(value, true) : undefined;
  if (problem) return { objects: [], unreadable: [{ origin, document, line, message: problem }] };
  const checkedJson = !suspicious || !nonFiniteFields(value).length;
  return { objects: [{ manifest: value, origin, document, line, checkedJson }], unreadable: [] };
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
 * they are: a unit is read again, by the same reader and rules, noting where each node starts, when a
 * position in it is first asked for, which only findings do.
 */
export class FieldPositions {
  private yaml?: PlacedDocument;
  private cursor?: { offset: number; line: number };
  // A JSON stream may hold many objects: only the one last asked about is kept read (findings come object by object).
  private json?: { starts: Array<{ offset: number; line: number }>; last?: { document: number; placed: PlacedDocument } };

  public constructor(private readonly unit: ManifestUnit) {}

  /**
   * Where the field at `path` of an object of the unit is: the key of a map entry, the start of a list item.
   * A field that is not there (a required one, missing) is placed at its nearest ancestor that is.
   * @param document the object's index in its JSON stream (1-based); a YAML unit holds one object
   * @param object the object's kind and name: when the unit is a list, the path is the item's
   */
  public positionOf(document: number, path: string, object: ObjectIdentity = {}): FilePosition | undefined {
    try {
      if (!this.unit.json) {
        this.yaml = this.yaml ?? placeNodes(this.unit.text);
        const offset = offsetOf(this.yaml, path, object);
        if (offset === undefined) return undefined;
        // Lines are counted on from the place last asked for (a list's findings come item by item), else from the start.
        const from = this.cursor && this.cursor.offset <= offset ? this.cursor : { offset: 0, line: this.unit.line };
        const at = positionAt(this.unit.text, from.offset, from.line, offset);
        this.cursor = { offset, line: at.line };
        return at;
      }
      const text = this.unit.text;
      this.json = this.json ?? { starts: jsonValueStarts(text) };
      const start = this.json.starts[document - 1];
      if (!start) return undefined;
      if (this.json.last?.document !== document) {
        this.json.last = { document, placed: placeNodes(text.slice(start.offset, endOfJsonValue(text, start.offset) ?? text.length)) };
      }
      const offset = offsetOf(this.json.last.placed, path, object);
      return offset === undefined ? undefined : positionAt(text, start.offset, start.line, start.offset + offset);
    } catch {
      return undefined; // a position helps; it is never a reason to fail
    }
  }
}

/** A node of a document as the reader met it: where it starts and ends, and what a key needs. */
interface PlacedNode {
  /** Where the reader began the node: its content may follow blanks and comments. */
  readonly start: number;
  end: number;
  /** mapping, sequence, scalar; null for an alias or an empty node. */
  kind: string | null;
  /** A scalar's value as a key is read. */
  text?: string;
  /** A `<<` key. */
  merge?: boolean;
  readonly children: PlacedNode[];
  /** A mapping's pairs, once asked for. */
  pairs?: Array<{ key: PlacedNode; value?: PlacedNode }>;
}

interface PlacedDocument {
  readonly text: string;
  readonly root?: PlacedNode;
  /** The anchors in the order they are defined (one may be defined again). */
  readonly anchors: Array<{ name: string; node: PlacedNode }>;
  /** The items of a list by their metadata.name, once asked for. */
  itemsByName?: Map<string | undefined, PlacedNode[]>;
}

const MERGE_TAG = 'tag:yaml.org,2002:merge';

/** The nodes of the first document of `text` with their places, read with the reader and rules of `readUnit`. */
function placeNodes(text: string): PlacedDocument {
  const top: PlacedNode = { start: 0, end: 0, kind: null, children: [] };
  const stack = [top];
  const anchors: Array<{ name: string; node: PlacedNode }> = [];
  const listener = (event: 'open' | 'close', state: any) => {
    if (event === 'open') {
      const node: PlacedNode = { start: state.position, end: state.position, kind: null, children: [] };
      stack[stack.length - 1].children.push(node);
      stack.push(node);
      return;
    }
    const node = stack.pop()!;
    node.end = state.position;
    node.kind = state.kind;
    if (state.kind === 'scalar') node.text = String(state.result);
    if (state.tag === MERGE_TAG) node.merge = true;
    if (state.anchor) anchors.push({ name: state.anchor, node });
  };
  loadAll(text, undefined, { ...YAML_OPTIONS, listener } as any);
  return { text, root: top.children[0], anchors };
}

/** Where each JSON value of a stream starts (offset and line), skipping blanks as `readJsonStream` does. */
function jsonValueStarts(text: string): Array<{ offset: number; line: number }> {
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

const MAX_ALIAS_DEPTH = 32;
const ALIAS = /\*([^\s,[\]{}]+)/y;

/** The offset of the field at `path` of the document's object (or list item), or of its nearest ancestor there. */
function offsetOf(doc: PlacedDocument, path: string, object: ObjectIdentity): number | undefined {
  const { text } = doc;
  // The reader begins a value before the blanks and comments that precede it.
  const contentStart = (node: PlacedNode): number => {
    let i = node.start;
    while (i < node.end) {
      const c = text[i];
      if (c === ' ' || c === '\t' || c === '\r' || c === '\n') i++;
      else if (c === '#') i = text.indexOf('\n', i) === -1 ? node.end : text.indexOf('\n', i);
      else break;
    }
    return i;
  };
  const deref = (node: PlacedNode | undefined, depth = 0): PlacedNode | undefined => {
    // Where a block collection may start, the reader first reads a flow collection as if it were a key:
    // the collection is then the only child of a node of its own kind, starting where it does.
    while (node && node.kind !== null && node.kind !== 'scalar' && node.children.length === 1 && node.children[0].kind === node.kind
      && contentStart(node.children[0]) === contentStart(node)) {
      node = node.children[0];
    }
    if (!node || node.kind !== null || depth > MAX_ALIAS_DEPTH) return node;
    ALIAS.lastIndex = contentStart(node);
    const alias = ALIAS.exec(text);
    if (!alias) return node;
    // The definition in force where the alias is: the last one before it.
    const defined = doc.anchors.filter((a) => a.name === alias[1] && a.node.start < node.start).pop();
    return deref(defined?.node, depth + 1);
  };
  // A child of a mapping is a key when a `:` follows it on its line.
  const isKey = (node: PlacedNode): boolean => {
    let i = node.end;
    while (text[i] === ' ' || text[i] === '\t') i++;
    return text[i] === ':';
  };
  const pairs = (mapping: PlacedNode): Array<{ key: PlacedNode; value?: PlacedNode }> => {
    if (mapping.pairs) return mapping.pairs;
    const found: Array<{ key: PlacedNode; value?: PlacedNode }> = mapping.pairs = [];
    const kids = mapping.children;
    for (let i = 0; i < kids.length; i++) {
      if (!isKey(kids[i])) continue;
      const key = kids[i];
      const value = i + 1 < kids.length && !isKey(kids[i + 1]) ? kids[++i] : undefined;
      found.push({ key, value });
    }
    return found;
  };
  // The last pair with `key` (the last of duplicates wins), else the first merged in with `<<` that has it.
  const pairOf = (mapping: PlacedNode, key: string, depth = 0): { key: PlacedNode; value?: PlacedNode } | undefined => {
    let found: { key: PlacedNode; value?: PlacedNode } | undefined;
    const merged: PlacedNode[] = [];
    for (const pair of pairs(mapping)) {
      if (pair.key.merge) merged.push(...(pair.value ? [pair.value] : []));
      else if (pair.key.text === key) found = pair;
    }
    if (found || depth >= MAX_ALIAS_DEPTH) return found;
    for (const source of merged) {
      const value = deref(source);
      for (const m of value?.kind === 'sequence' ? value.children.map((c) => deref(c)) : [value]) {
        const inMerged = m?.kind === 'mapping' ? pairOf(m, key, depth + 1) : undefined;
        if (inMerged) return inMerged;
      }
    }
    return undefined;
  };
  const scalarAt = (node: PlacedNode | undefined, keys: string[]): string | undefined => {
    for (const key of keys) {
      node = deref(node);
      node = node?.kind === 'mapping' ? pairOf(node, key)?.value : undefined;
    }
    node = deref(node);
    return node?.kind === 'scalar' ? node.text : undefined;
  };

  let node = deref(doc.root);
  if (!node) return undefined;
  let at = contentStart(node);
  const segments = pathSegments(path);
  // An item of a list: the paths of its findings start at the item, found by its name and kind.
  const items = node.kind === 'mapping' && segments[0] !== 'items' ? deref(pairOf(node, 'items')?.value) : undefined;
  if (items?.kind === 'sequence') {
    if (!doc.itemsByName) {
      doc.itemsByName = new Map();
      for (const child of items.children) {
        const item = deref(child);
        if (item?.kind !== 'mapping') continue;
        const name = scalarAt(item, ['metadata', 'name']);
        const same = doc.itemsByName.get(name);
        if (same) same.push(item);
        else doc.itemsByName.set(name, [item]);
      }
    }
    const named = doc.itemsByName.get(object.name) ?? [];
    // An item without a kind takes the list's.
    const item = named.find((i) => [object.kind, undefined].includes(scalarAt(i, ['kind']))) ?? named[0];
    if (item) {
      node = item;
      at = contentStart(item);
    }
  }
  for (const segment of segments) {
    node = deref(node);
    if (node?.kind === 'mapping') {
      const pair = pairOf(node, segment);
      if (!pair) break;
      at = contentStart(pair.key);
      node = pair.value;
    } else if (node?.kind === 'sequence' && /^\d+$/.test(segment)) {
      const item: PlacedNode | undefined = node.children[Number(segment)];
      if (!item) break;
      at = contentStart(item);
      node = item;
    } else {
      break;
    }
  }
  return at;
}
