// The package.json the npm package ships: the repository's without `scripts`. npm runs `prepack` before it
// packs (`npm pack`, `npm publish`, and jsii-pacmak, whose npm tarball is also the one the Python, Java and Go
// packages embed) and `postpack` after: `write` puts the shipped package.json in place, keeping the
// repository's aside, and `restore` puts the repository's back, byte for byte.
// Why without scripts: `prepare` builds the repository on `npm ci` (jsii, bundles, the release's CRDs from its Go
// module); in a package it would make npm flag an install script and, where scripts run (a tarball or git
// install), need Go and the dev dependencies on the user's machine. None of the scripts can run from the
// package anyway: they call scripts/ and tools it does not ship.
'use strict';
const fs = require('fs');
const path = require('path');

const root = path.join(__dirname, '..');
const manifestFile = path.join(root, 'package.json');
// Beside the build's stamp, in the gitignored cache: never packed (`files` lists what is).
const keptFile = path.join(root, '.cache', 'package.json.repository');

/** The scripts npm runs when it installs a package (`prepare` for tarball, folder and git installs). */
const INSTALL_SCRIPTS = ['preinstall', 'install', 'postinstall', 'prepublish', 'preprepare', 'prepare', 'postprepare'];

/** The manifest the package ships, from the repository's. */
function shippedManifest(manifest) {
  const { scripts, ...shipped } = manifest;
  return shipped;
}

function restore() {
  if (!fs.existsSync(keptFile)) return false;
  fs.copyFileSync(keptFile, manifestFile);
  fs.rmSync(keptFile);
  return true;
}

function write() {
  // A pack that stopped before `postpack` left the shipped manifest in place: start from the repository's.
  restore();
  const text = fs.readFileSync(manifestFile, 'utf8');
  fs.mkdirSync(path.dirname(keptFile), { recursive: true });
  fs.writeFileSync(keptFile, text);
  fs.writeFileSync(manifestFile, `${JSON.stringify(shippedManifest(JSON.parse(text)), null, 2)}\n`);
}

if (require.main === module) {
  const command = process.argv[2];
  if (command === 'write') write();
  else if (command === 'restore') restore();
  else {
    console.error('usage: node scripts/pack-manifest.js write|restore');
    process.exit(2);
  }
}

module.exports = { INSTALL_SCRIPTS, shippedManifest };
