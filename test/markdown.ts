// Reading the README's and the docs' Markdown in tests: their fenced blocks and their sections.
import * as fs from 'fs';
import * as path from 'path';

const root = path.join(__dirname, '..');

/**
 * The user's pages, in the order a reader follows them: the README, then the pages whose blocks continue its
 * program, then the other pages of docs/, then CONTRIBUTING.md. Every Markdown file of the repository's top and
 * of docs/ but API.md (generated) is one of them.
 */
export function userDocs(): Array<{ file: string; text: string }> {
  const first = ['README.md', 'docs/production.md', 'docs/targets.md'];
  const others = fs.readdirSync(path.join(root, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`).sort();
  const top = fs.readdirSync(root).filter((f) => f.endsWith('.md') && !first.includes(f) && f !== 'API.md').sort();
  const files = [...first, ...others.filter((f) => !first.includes(f)), ...top];
  return files.map((file) => ({ file, text: fs.readFileSync(path.join(root, file), 'utf8') }));
}

/** A fenced block: its language tag, its text (ending in a newline), the marker comment above it, its `## ` section. */
export interface Block {
  readonly lang: string;
  readonly text: string;
  readonly marker?: string;
  /** The `## ` section the block is in. */
  readonly section: string;
  /** The file the block is in, when the caller named it. */
  readonly file?: string;
}

/** Every fenced block of a Markdown text, with the marker comment on the line before it, if any. */
export function fencedBlocks(markdown: string, file?: string): Block[] {
  const lines = markdown.split('\n');
  const blocks: Block[] = [];
  let section = '';
  for (let i = 0; i < lines.length; i++) {
    if (lines[i].startsWith('## ')) section = lines[i].slice(3);
    const open = /^( *)```(\S*)\s*$/.exec(lines[i]);
    if (!open) continue;
    const indent = open[1];
    const close = lines.findIndex((l, j) => j > i && l === `${indent}\`\`\``);
    if (close < 0) throw new Error(`line ${i + 1}: the block is never closed`);
    const text = lines.slice(i + 1, close).map((l) => l.slice(indent.length)).join('\n') + '\n';
    const marker = /^ *<!-- readme-test: (.*) -->$/.exec(lines[i - 1] ?? '')?.[1];
    blocks.push({ lang: open[2], text, marker, section, file });
    i = close;
  }
  return blocks;
}

/**
 * The text under `heading` (written with its hashes, `## Usage`), up to the next heading of the same or a
 * higher level; the heading must be there. A `#` line inside a fenced block (a shell comment) is no heading.
 */
export function markdownSection(markdown: string, heading: string): string {
  const level = heading.indexOf(' ');
  const lines = markdown.split('\n');
  let inFence = false;
  let start = -1;
  for (let i = 0; i < lines.length; i++) {
    if (/^ *```/.test(lines[i])) inFence = !inFence;
    if (inFence) continue;
    if (start < 0) {
      if (lines[i] === heading) start = i + 1;
      continue;
    }
    const hashes = /^(#+) /.exec(lines[i])?.[1];
    if (hashes && hashes.length <= level) return lines.slice(start, i).join('\n');
  }
  if (start < 0) throw new Error(`no heading '${heading}'`);
  return lines.slice(start).join('\n');
}
