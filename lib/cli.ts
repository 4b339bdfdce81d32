#!/usr/bin/env node
// `cdk8s-omnia validate FILE...`: checks Omnia manifests in YAML or JSON files; exits 1 on findings.
import * as fs from 'fs';
import { formatFinding } from './validation/findings';
import { expandLists, validateLocated } from './validation/manifests';
import { readManifests } from './validation/read-manifests';
import { ExternalObject, LocatedManifest, parseExternal } from './validation/references';

const USAGE = 'usage: cdk8s-omnia validate [--no-references] [--external Kind/namespace/name]... FILE...';

export function main(argv: string[], out: (line: string) => void = console.log): number {
  const [command, ...rest] = argv;
  if (command !== 'validate') {
    out(USAGE);
    return 2;
  }
  let references = true;
  const externals: ExternalObject[] = [];
  const files: string[] = [];
  try {
    for (let i = 0; i < rest.length; i++) {
      if (rest[i] === '--no-references') references = false;
      else if (rest[i] === '--external') externals.push(parseExternal(rest[++i] ?? ''));
      else files.push(rest[i]);
    }
  } catch (e) {
    out(`${(e as Error).message}\n${USAGE}`);
    return 2;
  }
  if (!files.length) {
    out(USAGE);
    return 2;
  }
  const objects: LocatedManifest[] = [];
  for (const file of files) {
    let text;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch (e) {
      out(`${file}: cannot be read: ${(e as Error).message}`);
      return 2;
    }
    // Read as kubectl reads it: YAML 1.1 scalars, JSON streams, empty documents skipped.
    const read = readManifests(text, file);
    if (read.unreadable.length) {
      for (const u of read.unreadable) out(`${file}: document ${u.document} (line ${u.line}): ${u.message}`);
      return 2;
    }
    objects.push(...read.objects);
  }
  const count = expandLists(objects).objects.length;
  if (count === 0) {
    // As kubectl does: a file with nothing to apply is a mistake, not a clean result.
    out(`no objects in ${files.join(', ')}`);
    return 2;
  }
  const findings = validateLocated(objects, { externals, references, fromFiles: true });
  for (const f of findings) out(formatFinding(f));
  out(findings.length ? `${findings.length} finding(s) in ${count} object(s)` : `${count} object(s), no findings`);
  return findings.length ? 1 : 0;
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
