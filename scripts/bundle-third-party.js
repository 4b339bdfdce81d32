// Build step, after jsii: replaces each compiled module of lib/third-party/ with a bundle of itself and the
// code it reaches in its npm packages, so the published package carries only third-party code that runs (no
// package sources, tests, data or second module format). Each module is bundled on its own so that loading
// one (a prebuilt validator needs only ajv's helpers) does not load the others. Writes the licenses of the
// packages bundled to lib/third-party/LICENSES.txt, and prints the sizes.
'use strict';
const fs = require('fs');
const path = require('path');
const esbuild = require('esbuild');

const root = path.join(__dirname, '..');
const dir = path.join(root, 'lib', 'third-party');
const modules = fs.readdirSync(dir).filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts')).map((f) => f.replace(/\.ts$/, ''));

const packages = new Map(); // package folder -> name@version
let total = 0;
for (const name of modules) {
  // From the TypeScript source, so a second run gives the same file; it replaces what jsii compiled.
  const result = esbuild.buildSync({
    entryPoints: [path.join(dir, `${name}.ts`)],
    absWorkingDir: root,
    bundle: true,
    platform: 'node',
    target: 'node18',
    format: 'cjs',
    write: false,
    metafile: true,
    legalComments: 'inline',
    logLevel: 'silent',
    banner: { js: `// esbuild bundle of lib/third-party/${name}.ts (scripts/bundle-third-party.js); licenses in LICENSES.txt` },
  });
  for (const input of Object.keys(result.metafile.inputs)) {
    const match = /^(.*node_modules\/(?:@[^/]+\/)?[^/]+)\//.exec(input);
    if (!match) continue;
    const folder = path.resolve(root, match[1]);
    const { name: pkg, version } = JSON.parse(fs.readFileSync(path.join(folder, 'package.json'), 'utf8'));
    packages.set(folder, `${pkg}@${version}`);
  }
  const text = result.outputFiles[0].text;
  fs.writeFileSync(path.join(dir, `${name}.js`), text);
  total += text.length;
}

const sections = [...packages].sort((a, b) => a[1].localeCompare(b[1])).map(([folder, id]) => {
  const manifest = JSON.parse(fs.readFileSync(path.join(folder, 'package.json'), 'utf8'));
  const license = fs.readdirSync(folder).find((f) => /^licen[sc]e/i.test(f));
  if (!license && !manifest.license) throw new Error(`bundle-third-party: ${id} (${folder}) names no license and ships no license file`);
  // Some packages (the @bufbuild ones) ship no license file: their package.json names the license.
  const text = license
    ? fs.readFileSync(path.join(folder, license), 'utf8').trim()
    : `${manifest.license}, as its package.json says (the package ships no license file; the Apache License 2.0 is in this package's LICENSE).`;
  return `${id}\n${'-'.repeat(id.length)}\n${text}\n`;
});
fs.writeFileSync(path.join(dir, 'LICENSES.txt'),
  `Licenses of the npm packages whose code lib/third-party/*.js bundles.\n\n${sections.join('\n')}`);
console.log(`bundle-third-party: ${modules.length} modules, ${(total / 1024).toFixed(0)} KiB, from ${[...packages.values()].sort().join(', ')}`);
