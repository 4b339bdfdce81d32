import { builtinModules } from 'module';
import * as fs from 'fs';
import * as path from 'path';

// The package declares no dependencies but its peers: the third-party code it runs is bundled into
// lib/third-party/ by the build. So every compiled module may require only Node's own modules, the peers,
// and files of the package.
const root = path.join(__dirname, '..');
const PEERS = Object.keys(require('../package.json').peerDependencies);

function compiledFiles(dir: string): string[] {
  return fs.readdirSync(path.join(root, dir), { withFileTypes: true }).flatMap((e) => {
    const rel = path.join(dir, e.name);
    if (e.isDirectory()) return compiledFiles(rel);
    return e.name.endsWith('.js') ? [rel] : [];
  });
}

function requiredModules(file: string): string[] {
  const text = fs.readFileSync(path.join(root, file), 'utf8');
  // Calls only: ajv keeps `require("ajv/dist/runtime/…")` inside strings, as code for standalone validators.
  return [...text.matchAll(/(?<![\w$.'"`])require\(\s*["']([^"']+)["']\s*\)/g)].map((m) => m[1]);
}

const isBuiltin = (m: string) => m.startsWith('node:') || builtinModules.includes(m.split('/')[0]);
const isPeer = (m: string) => PEERS.some((p) => m === p || m.startsWith(`${p}/`));

test('the package declares only its peers, and bundles what else it runs', () => {
  const pkg = require('../package.json');
  expect(pkg.dependencies ?? {}).toEqual({});
  expect(pkg.bundledDependencies ?? pkg.bundleDependencies ?? []).toEqual([]);
});

test('compiled modules require only Node, the peers and files of the package', () => {
  const files = [...compiledFiles('lib'), ...compiledFiles('imports')];
  expect(files).toContain(path.join('lib', 'third-party', 'cel.js'));
  const outside = files.flatMap((file) => requiredModules(file)
    .filter((m) => !m.startsWith('.') && !isBuiltin(m) && !isPeer(m))
    .map((m) => `${file}: ${m}`));
  expect(outside).toEqual([]);
});

test('each third-party module is a bundle, and the licenses of what it bundles ship beside it', () => {
  const dir = path.join(root, 'lib', 'third-party');
  const sources = fs.readdirSync(dir).filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'));
  expect(sources.length).toBeGreaterThan(0);
  for (const source of sources) {
    const bundle = fs.readFileSync(path.join(dir, source.replace(/\.ts$/, '.js')), 'utf8');
    expect(bundle.startsWith(`// esbuild bundle of lib/third-party/${source}`)).toBe(true);
  }
  const licenses = fs.readFileSync(path.join(dir, 'LICENSES.txt'), 'utf8');
  for (const bundled of ['ajv@', '@bufbuild/cel@', 'js-yaml@', 're2js@', 'yaml@']) expect(licenses).toContain(`\n${bundled}`);
});
