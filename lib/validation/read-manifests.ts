import { LineCounter, parseAllDocuments, ScalarTag } from 'yaml';
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
    objects.push({ manifest: value, origin, document, line });
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

function resolveGoNumber(source: string): number | string {
  if (source.startsWith('.')) {
    const value = Number(source);
    return /^\.[0-9]/.test(source) && Number.isFinite(value) ? value : source;
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
  return YAML_FLOAT.test(plain) ? Number(plain) : source;
}

const goNumber: ScalarTag = {
  tag: 'tag:yaml.org,2002:int',
  default: true,
  test: /^[-+.0-9][-+.0-9a-zA-Z_]*$/,
  resolve: resolveGoNumber,
};

/** The YAML 1.1 tags go-yaml v2 applies to plain scalars: null, booleans, numbers as above, `.inf`/`.nan`. */
function goYamlTags(tags: any[]): any[] {
  const kept = tags.filter((t) => {
    if (t.tag === 'tag:yaml.org,2002:timestamp' || t.tag === 'tag:yaml.org,2002:int') return false;
    if (t.tag === 'tag:yaml.org,2002:float') return String(t.test).includes('inf');
    return true;
  });
  return [...kept, goNumber];
}

const YAML_OPTIONS = {
  version: '1.1' as const,
  customTags: goYamlTags,
  merge: true,
  uniqueKeys: false,
  keepSourceTokens: false,
};

function readYaml(text: string, origin?: string): ReadManifests {
  const objects: LocatedManifest[] = [];
  const unreadable: UnreadableDocument[] = [];
  const lineCounter = new LineCounter();
  const docs = [...parseAllDocuments(text, { ...YAML_OPTIONS, lineCounter })];
  docs.forEach((doc, i) => {
    const document = i + 1;
    const line = lineCounter.linePos(doc.contents?.range?.[0] ?? doc.range[0]).line;
    if (doc.errors.length) {
      unreadable.push({ origin, document, line, message: `not valid YAML: ${doc.errors[0].message.split('\n')[0]}` });
      return;
    }
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount: 1000 });
    } catch (e) {
      unreadable.push({ origin, document, line, message: `cannot be read: ${(e as Error).message}` });
      return;
    }
    if (value === null || value === undefined) return;
    const notJson = nonJsonValue(value);
    if (notJson) {
      unreadable.push({ origin, document, line, message: `${notJson} cannot be converted to JSON` });
      return;
    }
    objects.push({ manifest: value, origin, document, line });
  });
  return { objects, unreadable };
}

/** Describes the first value JSON cannot carry (infinities, NaN), if any. */
function nonJsonValue(value: unknown): string | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? undefined : String(value);
  if (value !== null && typeof value === 'object') {
    for (const v of Object.values(value)) {
      const found = nonJsonValue(v);
      if (found) return found;
    }
  }
  return undefined;
}
