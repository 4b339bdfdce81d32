#!/usr/bin/env node
// Usage: same-objects.js <rendered.yaml> <expected file or folder>...
// Compares the objects of a YAML stream (what `helm template` printed) with the objects of YAML files (a
// folder: its .yaml files at any depth), as sets: the same objects, each as often, in any order (Helm
// sorts by kind). Prints the counts, or each object that differs, and exits 1 when they differ.
'use strict';
const fs = require('fs');
const path = require('path');
const { parseAllDocuments } = require('yaml');

function yamlFiles(p) {
  if (fs.statSync(p).isFile()) return [p];
  return fs.readdirSync(p, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? yamlFiles(path.join(p, e.name)) : /\.ya?ml$/.test(e.name) ? [path.join(p, e.name)] : []))
    .sort();
}

function objects(file) {
  const out = [];
  for (const doc of parseAllDocuments(fs.readFileSync(file, 'utf8'))) {
    if (doc.errors.length) throw new Error(`${file}: ${doc.errors[0].message}`);
    const value = doc.toJS();
    if (value !== null && value !== undefined) out.push(value);
  }
  return out;
}

// Keys sorted at every depth: the same object is the same string whatever the key order.
const canonical = (v) => JSON.stringify(v, (_k, x) => (x && typeof x === 'object' && !Array.isArray(x) ? Object.fromEntries(Object.entries(x).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : x));
const identity = (o) => `${o.apiVersion} ${o.kind} ${o.metadata?.namespace ?? '-'}/${o.metadata?.name}`;

function counted(list) {
  const m = new Map();
  for (const o of list) {
    const c = canonical(o);
    const e = m.get(c) ?? { object: o, count: 0 };
    e.count++;
    m.set(c, e);
  }
  return m;
}

const [rendered, ...expectedPaths] = process.argv.slice(2);
if (!rendered || expectedPaths.length === 0) {
  console.error('usage: same-objects.js <rendered.yaml> <expected file or folder>...');
  process.exit(2);
}
const got = objects(rendered);
const want = expectedPaths.flatMap(yamlFiles).flatMap(objects);
const gotSet = counted(got);
const wantSet = counted(want);
const lines = [];
for (const [c, e] of wantSet) {
  const n = gotSet.get(c)?.count ?? 0;
  if (n !== e.count) lines.push(`  missing from ${rendered} (${e.count - n}x): ${identity(e.object)}`);
}
for (const [c, e] of gotSet) {
  const n = wantSet.get(c)?.count ?? 0;
  if (n !== e.count) lines.push(`  not expected in ${rendered} (${e.count - n}x): ${identity(e.object)}`);
}
if (lines.length) {
  console.error(`${lines.length} difference(s) between ${rendered} (${got.length} objects) and ${expectedPaths.join(' ')} (${want.length} objects):`);
  console.error(lines.sort().join('\n'));
  // The fields that differ, for objects of the same identity on both sides.
  const byIdentity = (set) => new Map([...set.values()].map((e) => [identity(e.object), e.object]));
  const gotBy = byIdentity(gotSet);
  for (const [id, w] of byIdentity(wantSet)) {
    const g = gotBy.get(id);
    if (!g || canonical(g) === canonical(w)) continue;
    const diff = (a, b, at) => {
      if (canonical(a) === canonical(b)) return;
      if (a && b && typeof a === 'object' && typeof b === 'object') {
        for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) diff(a[k], b[k], `${at}/${k}`);
      } else {
        console.error(`  ${id} ${at}: expected ${JSON.stringify(a)}, rendered ${JSON.stringify(b)}`);
      }
    };
    diff(w, g, '');
  }
  process.exit(1);
}
const kinds = new Set(want.map((o) => o.kind)).size;
console.log(`same ${want.length} objects (${kinds} kinds) in ${rendered} and ${expectedPaths.join(' ')}`);
