// Build step, after jsii: derives what the package needs of the pinned Omnia release from its Go module
// (the module zip holds config/crd/bases/, config/rbac/ and the enterprise role in ee/config/rbac/), so that no upstream file is stored in this
// repository. Writes lib/release/<tag>/crds.json and rbac.json, each naming the module, the tag, the module's
// Sum and the sha256 of every source file. Skips the work when they were made from the same tag, Sum and
// version of this script. Needs Go and the module proxy (or the module in Go's cache).
'use strict';
const { spawnSync } = require('child_process');
const { createHash } = require('crypto');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { OMNIA_MODULE, OMNIA_RELEASE } = require('../lib/api');
const { RELEASE_CRD_PLURALS, RELEASE_ENTERPRISE_PLURALS, RELEASE_ARTIFACTS_FORMAT, releaseDir } = require('../lib/validation/crds');
const { readManifests } = require('../lib/validation/read-manifests');

// The role files of config/rbac/ and the one object each must hold, keyed by our names (see ReleaseRbac).
const ROLES = {
  manager: { file: 'config/rbac/role.yaml', kind: 'ClusterRole', name: 'manager-role' },
  leaderElection: { file: 'config/rbac/leader_election_role.yaml', kind: 'Role', name: 'leader-election-role' },
  metricsAuth: { file: 'config/rbac/metrics_auth_role.yaml', kind: 'ClusterRole', name: 'metrics-auth-role' },
  metricsReader: { file: 'config/rbac/metrics_reader_role.yaml', kind: 'ClusterRole', name: 'metrics-reader' },
  agentWorkspaceReader: { file: 'config/rbac/agent_workspace_reader_clusterrole.yaml', kind: 'ClusterRole', name: 'agent-workspace-reader' },
  enterprise: { file: 'ee/config/rbac/role.yaml', kind: 'ClusterRole', name: 'arena-manager-role' },
};

const sha256 = (data) => createHash('sha256').update(data).digest('hex');
// What made the artifacts besides the module: this script and the list of CRDs it was asked for.
const generator = sha256(`${fs.readFileSync(__filename, 'utf8')}\0${RELEASE_CRD_PLURALS.join(',')}\0${RELEASE_ENTERPRISE_PLURALS.join(',')}\0${RELEASE_ARTIFACTS_FORMAT}`);

function fail(message) {
  console.error(`fetch-release: ${message}`);
  process.exit(1);
}

/** `go mod download -json` of the release: its Dir and Sum, or one line saying which command failed and why. */
function download() {
  const args = ['mod', 'download', '-json', `${OMNIA_MODULE}@${OMNIA_RELEASE}`];
  const command = `go ${args.join(' ')}`;
  // Run outside any Go module, so that no go.mod around the checkout is read or changed.
  const result = spawnSync('go', args, { cwd: os.tmpdir(), encoding: 'utf8', maxBuffer: 16 * 2 ** 20 });
  if (result.error) fail(`\`${command}\` failed: ${result.error.code === 'ENOENT' ? 'go is not installed (not on PATH)' : result.error.message}`);
  let info;
  try {
    info = JSON.parse(result.stdout);
  } catch {
    info = undefined;
  }
  if (result.status !== 0 || !info?.Dir || !info?.Sum) {
    const reason = info?.Error ?? (result.stderr || result.stdout || `exit status ${result.status}`);
    fail(`\`${command}\` failed: ${String(reason).trim().replace(/\s*\n\s*/g, ' | ')}`);
  }
  return info;
}

function readJson(file) {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}

/** The objects of a YAML file of the module, read as kubectl reads it. */
function readObjects(dir, file) {
  const text = fs.readFileSync(path.join(dir, file), 'utf8');
  const read = readManifests(text, file);
  if (read.unreadable.length) fail(`${file} of ${OMNIA_MODULE}@${OMNIA_RELEASE} cannot be read: ${read.unreadable[0].message}`);
  return { objects: read.objects.map((o) => o.manifest), sha256: sha256(text) };
}

function main() {
  const started = Date.now();
  const info = download();
  const out = releaseDir(OMNIA_RELEASE);
  const crdsFile = path.join(out, 'crds.json');
  const rbacFile = path.join(out, 'rbac.json');
  const stamp = { module: OMNIA_MODULE, version: OMNIA_RELEASE, sum: info.Sum, generator };
  const fresh = (f) => {
    const old = readJson(f);
    return old && Object.entries(stamp).every(([k, v]) => old[k] === v);
  };
  if (fresh(crdsFile) && fresh(rbacFile)) {
    console.log(`fetch-release: ${OMNIA_MODULE}@${OMNIA_RELEASE} (${info.Sum}) artifacts up to date (${Date.now() - started} ms)`);
    return;
  }

  const plurals = [...RELEASE_CRD_PLURALS.map((p) => [p, false]), ...RELEASE_ENTERPRISE_PLURALS.map((p) => [p, true])];
  const crds = plurals.map(([plural, enterprise]) => {
    const file = `config/crd/bases/omnia.altairalabs.ai_${plural}.yaml`;
    const { objects, sha256: hash } = readObjects(info.Dir, file);
    const crd = objects.find((o) => o?.kind === 'CustomResourceDefinition');
    if (objects.length !== 1 || crd?.spec?.names?.plural !== plural) fail(`${file} of ${OMNIA_MODULE}@${OMNIA_RELEASE} is not the CRD of ${plural}`);
    return { plural, file, sha256: hash, crd, enterprise };
  });

  const sources = [];
  const roles = {};
  for (const [role, { file, kind, name }] of Object.entries(ROLES)) {
    const { objects, sha256: hash } = readObjects(info.Dir, file);
    const object = objects.find((o) => o?.kind === kind && o?.metadata?.name === name);
    if (!object || !Array.isArray(object.rules)) fail(`${file} of ${OMNIA_MODULE}@${OMNIA_RELEASE} holds no ${kind} ${name} with rules`);
    sources.push({ role, file, kind, name, sha256: hash });
    roles[role] = object.rules;
  }

  fs.mkdirSync(out, { recursive: true });
  // Each file carries the stamp: a pair left half-written is not taken for up to date.
  fs.writeFileSync(rbacFile, JSON.stringify({ ...stamp, sources, roles }, undefined, 1));
  fs.writeFileSync(crdsFile, JSON.stringify({ ...stamp, crds }));
  console.log(`fetch-release: wrote ${path.relative(process.cwd(), out)}/{crds,rbac}.json from ${OMNIA_MODULE}@${OMNIA_RELEASE} (${info.Sum}) in ${Date.now() - started} ms`);
}

main();
