// The package as users get it (from the built tree: `prepack` builds only what is stale, and ships the package.json
// without scripts): `npm pack`, installed into an empty project with its peer dependencies,
// then the time of the first `validateManifests` in fresh processes (the precompiled validators must be
// used there: no schema compiling), and the unpacked size of the package.
'use strict';
const { execFileSync, spawnSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

const root = path.join(__dirname, '..');

/** Packs the package into `dir` as `npm pack` does (its prepack and postpack included); returns the tarball's path. */
function packInto(dir) {
  const out = execFileSync('npm', ['pack', '--silent', '--pack-destination', dir], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  return path.join(dir, out.trim().split('\n').pop());
}

/**
 * Installs `tarball` and the peers into `dir`, an empty project, with npm's default of running install
 * scripts (printed, not hidden); `env` is the environment of the install. Returns what npm printed.
 */
function installInto(dir, tarball, env = process.env) {
  const pkg = require(path.join(root, 'package.json'));
  const peers = ['cdk8s', 'cdk8s-plus-28', 'constructs'].map((p) => `${p}@${pkg.devDependencies[p]}`);
  fs.writeFileSync(path.join(dir, 'package.json'), '{"name":"omnia-bench-user","version":"1.0.0","private":true}');
  const args = ['install', '--no-audit', '--no-fund', '--prefer-offline', '--foreground-scripts', tarball, ...peers];
  const install = spawnSync('npm', args, { cwd: dir, env, encoding: 'utf8' });
  if (install.error || install.status !== 0) {
    throw new Error(`\`npm ${args.join(' ')}\` failed in ${dir}: ${install.error?.message ?? ''}${install.stdout}${install.stderr}`);
  }
  return `${install.stdout}${install.stderr}`;
}

/** The package packed and installed with its peers into a new empty project: the project's folder. */
function installedCopy() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'omnia-installed-'));
  try {
    installInto(dir, packInto(dir));
  } catch (e) {
    fs.rmSync(dir, { recursive: true, force: true });
    throw e;
  }
  return dir;
}

const PROBE = `
const fs = require('fs');
const agent = JSON.parse(process.argv[1]);
const t0 = process.hrtime.bigint();
const { validateManifests } = require('cdk8s-omnia');
const t1 = process.hrtime.bigint();
const findings = validateManifests([agent], { target: 'documented', references: false });
const t2 = process.hrtime.bigint();
if (findings.length) throw new Error(JSON.stringify(findings));
process.stdout.write(JSON.stringify({ requireMs: Number(t1 - t0) / 1e6, firstCheckMs: Number(t2 - t1) / 1e6 }));
`;

/** Median require and first-check times over `runs` fresh processes, and the package's unpacked size. */
function measureInstalled(runs, agent) {
  const dir = installedCopy();
  try {
    const samples = [];
    for (let r = 0; r < runs; r++) {
      samples.push(JSON.parse(execFileSync(process.execPath, ['-e', PROBE, JSON.stringify(agent)], { cwd: dir, encoding: 'utf8' })));
    }
    const median = (key) => samples.map((s) => s[key]).sort((a, b) => a - b)[Math.floor(samples.length / 2)];
    const pkgDir = path.join(dir, 'node_modules', 'cdk8s-omnia');
    let bytes = 0;
    let files = 0;
    const walk = (d) => {
      for (const e of fs.readdirSync(d, { withFileTypes: true })) {
        const full = path.join(d, e.name);
        if (e.isDirectory()) walk(full);
        else { bytes += fs.statSync(full).size; files++; }
      }
    };
    walk(pkgDir);
    return { requireMs: median('requireMs'), firstCheckMs: median('firstCheckMs'), unpackedMb: bytes / 2 ** 20, files };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

module.exports = { installedCopy, installInto, measureInstalled, packInto };
