// The CLI against kubeconform, the JSON-schema validator people reach for, in the same run: built from its Go
// module (bench/build-kubeconform.sh, cached by version), reading our CRDs converted by bench/crd-schemas.js.
// Whole processes, run in turn (ours, theirs, ours, ...) so that a ratio is taken within a pair.
'use strict';
const { execFileSync, spawnSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { writeCrdSchemas } = require('./crd-schemas');
const { brokenAgents, writeAgents } = require('./cli-workload');

const root = path.join(__dirname, '..');
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fmt = (x, digits = 0) => x.toFixed(digits);

/** kubeconform's folder and version, built on first use; undefined (and why) when it cannot be built. */
function kubeconform() {
  const version = /KUBECONFORM_VERSION=(\S+)/.exec(fs.readFileSync(path.join(__dirname, 'build-kubeconform.sh'), 'utf8'))[1];
  const res = spawnSync('bash', [path.join(__dirname, 'build-kubeconform.sh'), version], { encoding: 'utf8' });
  if (res.status !== 0) return { error: res.stderr.trim().split('\n').pop() };
  return { bin: path.join(res.stdout.trim(), 'kubeconform'), version };
}

/** Wall seconds and peak RSS (MB) of one process, from /usr/bin/time. */
function timed(command, args) {
  const res = spawnSync('/usr/bin/time', ['-f', '%e %M', command, ...args], { encoding: 'utf8', maxBuffer: 1 << 28 });
  const [seconds, kb] = res.stderr.trim().split('\n').pop().split(' ').map(Number);
  return { seconds, peakMb: kb / 1024, status: res.status, stdout: res.stdout };
}

function measurePeers({ runs = 3 } = {}) {
  const peer = kubeconform();
  if (!peer.bin) {
    console.log(`\ncli vs kubeconform: not measured (${peer.error})`);
    return undefined;
  }
  if (!fs.existsSync('/usr/bin/time')) {
    console.log('\ncli vs kubeconform: not measured (/usr/bin/time is missing: apt-get install time)');
    return undefined;
  }
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'omnia-peers-'));
  try {
    const { omniaCrds } = require('../lib/validation/crds');
    const schemas = path.join(tmp, 'schemas');
    writeCrdSchemas(omniaCrds(), schemas);
    const location = path.join(schemas, '{{ .ResourceKind }}_{{ .ResourceAPIVersion }}.json');
    // Both check the documented API's objects on their own: no references (the files name packs they lack).
    const ours = (file) => timed(process.execPath, [path.join(root, 'lib', 'cli.js'), 'validate', '--target', 'documented', '--no-references', '--json', file]);
    const theirs = (file) => timed(peer.bin, ['-schema-location', location, '-ignore-missing-schemas', '-summary', '-output', 'json', file]);
    const paired = (file) => {
      const pairs = [];
      for (let r = 0; r < runs; r++) pairs.push({ ours: ours(file), theirs: theirs(file) });
      return {
        ratio: median(pairs.map((p) => p.ours.seconds / p.theirs.seconds)),
        ours: median(pairs.map((p) => p.ours.seconds)), theirs: median(pairs.map((p) => p.theirs.seconds)),
        oursPeak: median(pairs.map((p) => p.ours.peakMb)), theirsPeak: median(pairs.map((p) => p.theirs.peakMb)),
      };
    };

    const agents = (n, broken = false) => {
      const file = path.join(tmp, `agents-${n}${broken ? '-broken' : ''}.yaml`);
      writeAgents(file, n, broken);
      return file;
    };
    const big = paired(agents(20000));
    const peakOf = (n) => {
      const file = agents(n);
      const peak = median(Array.from({ length: runs }, () => ours(file).peakMb));
      fs.rmSync(file, { force: true });
      return peak;
    };
    const hugeN = Number(process.env.BENCH_CLI_HUGE || 100000);
    const small = peakOf(1000);
    const huge = peakOf(hugeN);

    // The examples' documented app, as `cdk8s synth` writes it (its top folder; the release apps have folders of their own).
    const out = path.join(tmp, 'examples');
    execFileSync(path.join(root, 'node_modules', '.bin', 'cdk8s'), ['synth', '--output', out], { cwd: root, env: { ...process.env, CDK8S_CHECK_UPGRADE: 'false' }, stdio: 'ignore' });
    const examplesFolder = path.join(tmp, 'examples-documented');
    fs.mkdirSync(examplesFolder);
    for (const f of fs.readdirSync(out)) if (/\.ya?ml$/.test(f)) fs.copyFileSync(path.join(out, f), path.join(examplesFolder, f));
    const examples = paired(examplesFolder);

    console.log(`\ncli vs kubeconform ${peer.version}: 20,000 agents time ratio ${fmt(big.ratio, 2)} (${fmt(big.ours, 2)} s vs ${fmt(big.theirs, 2)} s; peak RSS ${fmt(big.oursPeak)} vs ${fmt(big.theirsPeak)} MB); ${hugeN.toLocaleString('en')} agents peak RSS ${fmt(huge)} MB vs 1,000 agents ${fmt(small)} MB (${fmt(huge / small, 2)}x); examples time ratio ${fmt(examples.ratio, 2)} (${fmt(examples.ours, 3)} s vs ${fmt(examples.theirs, 3)} s)`);

    // Verdicts on the same file: 20,000 agents, 100 breaking the schema and 100 a CEL rule.
    const file = agents(20000, true);
    const oursFound = new Set(JSON.parse(ours(file).stdout).findings.map((f) => f.name));
    const theirsFound = new Set((JSON.parse(theirs(file).stdout).resources ?? []).filter((r) => r.status === 'statusInvalid' || r.status === 'statusError').map((r) => r.name));
    const { schema, cel } = brokenAgents(20000);
    const expected = new Set([...schema, ...cel]);
    const onlyOurs = [...oursFound].filter((n) => !theirsFound.has(n));
    const onlyTheirs = [...theirsFound].filter((n) => !oursFound.has(n));
    const missed = (found) => [...expected].filter((n) => !found.has(n));
    const celSeen = (found) => cel.filter((n) => found.has(n)).length;
    console.log(`invalid documents in 20,000 agents (${schema.length} breaking the schema, ${cel.length} a CEL rule): cli ${oursFound.size} (${celSeen(oursFound)} CEL), kubeconform ${theirsFound.size} (${celSeen(theirsFound)} CEL); found by the cli only: ${onlyOurs.length}${onlyOurs.length ? ` (${onlyOurs.slice(0, 3).join(', ')}${onlyOurs.length > 3 ? ', ...' : ''})` : ''}, by kubeconform only: ${onlyTheirs.length}${onlyTheirs.length ? ` (${onlyTheirs.slice(0, 3).join(', ')})` : ''}; missed: cli ${missed(oursFound).length}, kubeconform ${missed(theirsFound).length}`);
    return { big, small, huge, examples, version: peer.version };
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

module.exports = { measurePeers };
