// Runs `npm run build` only when its inputs changed since the last build, so that `npm ci && npm test` builds
// once (`npm ci` builds through `prepare`). The build ends with `--stamp`, which records a hash of the inputs
// in .cache/build-inputs.sha256; file contents are hashed, not dates, which a fresh clone does not keep.
'use strict';
const { spawnSync } = require('child_process');
const crypto = require('crypto');
const fs = require('fs');
const path = require('path');

const root = path.join(__dirname, '..');
const stampFile = path.join(root, '.cache', 'build-inputs.sha256');
// What the build reads, and what it must have written.
const INPUT_DIRS = [['lib', /(?<!\.d)\.ts$|\.yaml$/], ['imports', /(?<!\.d)\.ts$/]];
const INPUT_FILES = ['package.json', 'package-lock.json', 'tsconfig.json',
  ...['import-release', 'bundle-third-party', 'fetch-release', 'build-crd-artifacts'].map((s) => `scripts/${s}.js`)];
const OUTPUTS = ['.jsii', 'lib/index.js', 'lib/third-party/LICENSES.txt'];

function filesUnder(dir, pattern) {
  const out = [];
  for (const entry of fs.readdirSync(path.join(root, dir), { withFileTypes: true })) {
    const rel = path.posix.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...filesUnder(rel, pattern));
    else if (pattern.test(entry.name)) out.push(rel);
  }
  return out;
}

function inputsHash() {
  const files = [...INPUT_DIRS.flatMap(([dir, pattern]) => filesUnder(dir, pattern)), ...INPUT_FILES].sort();
  const hash = crypto.createHash('sha256');
  for (const file of files) hash.update(file).update('\0').update(fs.readFileSync(path.join(root, file))).update('\0');
  return hash.digest('hex');
}

if (process.argv.includes('--stamp')) {
  fs.mkdirSync(path.dirname(stampFile), { recursive: true });
  fs.writeFileSync(stampFile, `${inputsHash()}\n`);
} else {
  const stamp = fs.existsSync(stampFile) ? fs.readFileSync(stampFile, 'utf8').trim() : undefined;
  const missing = OUTPUTS.filter((f) => !fs.existsSync(path.join(root, f)));
  if (stamp === inputsHash() && missing.length === 0) {
    console.log('build: up to date (no input changed since the last `npm run build`)');
  } else {
    // The build prints its own errors; pass its exit status on.
    process.exitCode = spawnSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' }).status ?? 1;
  }
}
