// What the CLI's `file:line:column` of a finding should point at, told from the objects written, not from the
// CLI's own reading: the key of the field (or of its nearest ancestor the object has), or the item of a list.
import * as fs from 'fs';

/** The segments of a path such as `spec.handlers[0].httpConfig`. */
function segments(path: string): Array<string | number> {
  return [...path.matchAll(/([^.[\]]+)|\[(\d+)\]/g)].map((m) => (m[2] !== undefined ? Number(m[2]) : m[1]));
}

/**
 * What the text at a finding's place starts with: `key:` for a field (its nearest ancestor present in the
 * object when the field is missing), or the first key of a list item written in block style.
 */
export function expectedAnchor(manifest: any, path: string): string {
  let node = manifest;
  let anchor = `${Object.keys(manifest)[0]}:`;
  for (const segment of segments(path)) {
    if (node === null || typeof node !== 'object' || !(segment in node)) break;
    node = node[segment];
    anchor = typeof segment === 'number'
      ? (node !== null && typeof node === 'object' && !Array.isArray(node) ? `${Object.keys(node)[0]}:` : String(node))
      : `${segment}:`;
  }
  return anchor;
}

/** The place a CLI line names for `file`: line, column, and the text of the file from there to the line's end. */
export function placeIn(cliLine: string, file: string): { line: number; column: number; text: string } {
  const prefix = `${file}:`;
  if (!cliLine.startsWith(prefix)) throw new Error(`not a line about ${file}: ${cliLine}`);
  const m = /^(\d+):(\d+): /.exec(cliLine.slice(prefix.length));
  if (!m) throw new Error(`no line:column in ${cliLine}`);
  const line = Number(m[1]);
  const column = Number(m[2]);
  const text = fs.readFileSync(file, 'utf8').split('\n')[line - 1].slice(column - 1);
  return { line, column, text };
}

/** The 1-based lines where the YAML documents of a file written by `Yaml.stringify` start and end. */
export function documentLines(file: string): Array<{ first: number; last: number }> {
  const lines = fs.readFileSync(file, 'utf8').split('\n');
  const docs: Array<{ first: number; last: number }> = [{ first: 1, last: lines.length }];
  lines.forEach((l, i) => {
    if (l !== '---') return;
    docs[docs.length - 1].last = i;
    docs.push({ first: i + 2, last: lines.length });
  });
  return docs;
}

/**
 * Asserts that a CLI line places its finding at `path` of `manifests[index]`, written to `file` with
 * `Yaml.stringify`: within that object's document, where the field's key (or its nearest ancestor's) is.
 */
export function expectAtField(cliLine: string, file: string, manifests: any[], index: number, path: string): void {
  const place = placeIn(cliLine, file);
  const doc = documentLines(file)[index];
  expect(place.line).toBeGreaterThanOrEqual(doc.first);
  expect(place.line).toBeLessThanOrEqual(doc.last);
  const anchor = expectedAnchor(manifests[index], path);
  expect(place.text.slice(0, anchor.length)).toBe(anchor);
}
