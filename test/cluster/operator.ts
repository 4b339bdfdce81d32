// Runs the Omnia manager built by build-operator.sh as its Deployment's pod would run it, against a test
// control plane, with the credentials of the Deployment's ServiceAccount. Preferred: in-cluster, inside a
// private mount namespace where /var/run/secrets/kubernetes.io/serviceaccount holds the token, the CA and
// the namespace, as a kubelet would mount them; otherwise a kubeconfig with the same token and no leader
// election (that needs the namespace file), with the reason logged.
import { ChildProcess, spawn, spawnSync } from 'child_process';
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as http from 'http';
import * as https from 'https';
import * as path from 'path';
import { ControlPlaneInfo, freePort, kubectl, ok } from './control-plane';

const SA_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';
// A mount namespace for the token files and a UTS namespace for the pod's host name (leader election
// names the holder after it).
const UNSHARE = ['--mount', '--uts', '--propagation', 'private'];

/**
 * Runs build-operator.sh (instant when cached) and returns the folder holding `manager`. Its progress
 * goes to stderr as it comes; a failure throws the script's one-line reason.
 */
export function buildOperator(tag?: string): Promise<string> {
  return runBuildScript('build-operator.sh', tag ? [tag] : [], 'operator:');
}

/**
 * Runs a build script of this folder and returns what it prints on stdout (the folder of its binaries). Its
 * progress goes to stderr as it comes; a failure throws its last line starting with `prefix`.
 */
export function runBuildScript(script: string, args: string[], prefix: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', [path.join(__dirname, script), ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => { stdout += d; });
    child.stderr.on('data', (d) => { stderr += d; process.stderr.write(d); });
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) return resolve(stdout.trim());
      const lines = stderr.trim().split('\n');
      reject(new Error(lines.filter((l) => l.startsWith(prefix)).pop() ?? lines.pop() ?? `${script} exited with ${code}`));
    });
  });
}

/** The Deployment of `objects` that has a container named `container`, and that container. */
export function findManager(objects: any[], container = 'manager'): { deployment: any; container: any } {
  for (const o of objects) {
    if (o?.kind !== 'Deployment') continue;
    const c = (o.spec?.template?.spec?.containers ?? []).find((x: any) => x.name === container);
    if (c) return { deployment: o, container: c };
  }
  throw new Error(`no Deployment with a container named "${container}" in the manifests`);
}

/** Whether a pod of this Deployment gets a ServiceAccount token mounted (pod setting wins over the SA's). */
export function mountsToken(deployment: any, serviceAccount: any | undefined): boolean {
  const pod = deployment.spec?.template?.spec?.automountServiceAccountToken;
  if (pod !== undefined) return pod !== false;
  return serviceAccount?.automountServiceAccountToken !== false;
}

/** A token for a ServiceAccount, requested as admin through the TokenRequest API. */
export async function createToken(info: ControlPlaneInfo, namespace: string, name: string, duration = '2h'): Promise<string> {
  return ok(await kubectl(info, ['create', 'token', name, '-n', namespace, `--duration=${duration}`])).trim();
}

/** A kubeconfig for `token` on the control plane, written to `file`. */
export function writeKubeconfig(info: ControlPlaneInfo, token: string, file: string, namespace = 'default'): string {
  fs.writeFileSync(file, JSON.stringify({
    apiVersion: 'v1', kind: 'Config', 'current-context': 'sa',
    clusters: [{ name: 'test', cluster: { server: info.server, 'certificate-authority': info.caFile } }],
    users: [{ name: 'sa', user: { token } }],
    contexts: [{ name: 'sa', context: { cluster: 'test', user: 'sa', namespace } }],
  }), { mode: 0o600 });
  return file;
}

/** The user name the API server sees for `token` (SelfSubjectReview). */
export async function whoami(info: ControlPlaneInfo, token: string): Promise<string> {
  const r = await kubectl(info, ['auth', 'whoami', `--token=${token}`, '-o', 'jsonpath={.status.userInfo.username}']);
  return ok(r).trim();
}

/** Flags of the container, one entry per flag as written (`--name=value`, `--name`, or `--name value`). */
function parseFlags(args: string[]): Array<{ name: string; value?: string; raw: string[] }> {
  const flags: Array<{ name: string; value?: string; raw: string[] }> = [];
  for (let i = 0; i < args.length; i++) {
    const m = /^--?([A-Za-z0-9][A-Za-z0-9._-]*)(?:=([\s\S]*))?$/.exec(args[i]);
    if (!m) throw new Error(`manager argument "${args[i]}" is not a flag`);
    if (m[2] === undefined && i + 1 < args.length && !args[i + 1].startsWith('-')) {
      flags.push({ name: m[1], value: args[i + 1], raw: [args[i], args[i + 1]] });
      i++;
    } else {
      flags.push({ name: m[1], value: m[2], raw: [args[i]] });
    }
  }
  return flags;
}

export interface ManagerFlags {
  /** The arguments to run the manager with. */
  readonly args: string[];
  readonly healthPort: number;
  /** Set when the install enables metrics. */
  readonly metricsPort?: number;
  readonly metricsSecure: boolean;
  readonly leaderElect: boolean;
}

/**
 * The install's own flags, with every listener moved to a free loopback port and the workspace content
 * path moved to `contentDir` (the PVC is not mounted here). `extra` flags are added last (last one wins).
 */
export async function managerFlags(container: any, contentDir: string, extra: string[] = []): Promise<ManagerFlags> {
  const given = parseFlags([...(container.command ?? []).slice(1), ...(container.args ?? [])]);
  const args: string[] = [];
  let metricsPort: number | undefined;
  let metricsSecure = true;
  let leaderElect = false;
  const healthPort = await freePort();
  for (const flag of given) {
    const { name, value } = flag;
    if (name === 'health-probe-bind-address' || name === 'workspace-content-path' || name === 'kubeconfig') continue;
    if (name.endsWith('bind-address') && value !== undefined && value !== '' && value !== '0') {
      const port = await freePort();
      if (name === 'metrics-bind-address') metricsPort = port;
      args.push(`--${name}=127.0.0.1:${port}`);
      continue;
    }
    if (name === 'metrics-secure') metricsSecure = value === undefined || value === 'true';
    if (name === 'leader-elect') leaderElect = value === undefined || value === 'true';
    args.push(...flag.raw);
  }
  args.push(`--health-probe-bind-address=127.0.0.1:${healthPort}`, `--workspace-content-path=${contentDir}`, ...extra);
  if (extra.includes('--leader-elect=false')) leaderElect = false;
  return { args, healthPort, metricsPort, metricsSecure, leaderElect };
}

export interface PodIdentity {
  readonly namespace: string;
  readonly podName: string;
  readonly serviceAccount: string;
  readonly labels: Record<string, string>;
  readonly annotations: Record<string, string>;
  readonly uid: string;
}

export function podIdentity(deployment: any): PodIdentity {
  const template = deployment.spec?.template ?? {};
  return {
    namespace: deployment.metadata?.namespace ?? 'default',
    podName: `${deployment.metadata.name}-7d4b9c8f6d-${crypto.randomBytes(3).toString('hex').slice(0, 5)}`,
    serviceAccount: template.spec?.serviceAccountName ?? 'default',
    labels: template.metadata?.labels ?? {},
    annotations: template.metadata?.annotations ?? {},
    uid: crypto.randomUUID(),
  };
}

function quantity(value: string | number | undefined, divisor: string | undefined): string {
  if (value === undefined) throw new Error('resourceFieldRef on a resource the container does not set');
  const parse = (q: string | number): number => {
    const m = /^([0-9.]+)([a-zA-Z]*)$/.exec(String(q));
    if (!m) throw new Error(`unknown quantity ${q}`);
    const units: Record<string, number> = { '': 1, m: 1e-3, k: 1e3, M: 1e6, G: 1e9, T: 1e12, Ki: 1024, Mi: 1024 ** 2, Gi: 1024 ** 3, Ti: 1024 ** 4 };
    if (!(m[2] in units)) throw new Error(`unknown quantity unit in ${q}`);
    return parseFloat(m[1]) * units[m[2]];
  };
  return String(Math.ceil(parse(value) / parse(divisor ?? '1')));
}

/** The container's environment as the kubelet would resolve it for a pod of `pod`. */
export async function podEnv(info: ControlPlaneInfo, container: any, pod: PodIdentity): Promise<Record<string, string>> {
  const env: Record<string, string> = {};
  const read = async (kind: string, name: string): Promise<Record<string, string>> => {
    const o = JSON.parse(ok(await kubectl(info, ['get', kind, name, '-n', pod.namespace, '-o', 'json'])));
    if (kind === 'secret') return Object.fromEntries(Object.entries(o.data ?? {}).map(([k, v]) => [k, Buffer.from(v as string, 'base64').toString()]));
    return o.data ?? {};
  };
  for (const from of container.envFrom ?? []) {
    const data = from.configMapRef ? await read('configmap', from.configMapRef.name) : await read('secret', from.secretRef.name);
    for (const [k, v] of Object.entries(data)) env[`${from.prefix ?? ''}${k}`] = v;
  }
  for (const e of container.env ?? []) {
    if (e.value !== undefined || !e.valueFrom) {
      env[e.name] = (e.value ?? '').replace(/\$\(([A-Za-z_][A-Za-z0-9_]*)\)/g, (all: string, v: string) => env[v] ?? all);
      continue;
    }
    const { fieldRef, resourceFieldRef, configMapKeyRef, secretKeyRef } = e.valueFrom;
    if (fieldRef) {
      const f: string = fieldRef.fieldPath;
      const label = /^metadata\.(labels|annotations)\['(.*)'\]$/.exec(f);
      const fields: Record<string, string> = {
        'metadata.namespace': pod.namespace, 'metadata.name': pod.podName, 'metadata.uid': pod.uid,
        'spec.serviceAccountName': pod.serviceAccount, 'spec.nodeName': 'localhost',
        'status.podIP': '127.0.0.1', 'status.podIPs': '127.0.0.1', 'status.hostIP': '127.0.0.1', 'status.hostIPs': '127.0.0.1',
      };
      if (label) env[e.name] = (label[1] === 'labels' ? pod.labels : pod.annotations)[label[2]] ?? '';
      else if (f in fields) env[e.name] = fields[f];
      else throw new Error(`env ${e.name}: fieldRef ${f} is not resolved by this test`);
    } else if (resourceFieldRef) {
      const [kind, res] = String(resourceFieldRef.resource).split('.');
      env[e.name] = quantity(container.resources?.[kind]?.[res], resourceFieldRef.divisor);
    } else if (configMapKeyRef || secretKeyRef) {
      const ref = configMapKeyRef ?? secretKeyRef;
      const data = await read(configMapKeyRef ? 'configmap' : 'secret', ref.name);
      if (data[ref.key] === undefined && !ref.optional) throw new Error(`env ${e.name}: key ${ref.key} missing in ${ref.name}`);
      if (data[ref.key] !== undefined) env[e.name] = data[ref.key];
    }
  }
  return env;
}

/** Whether this process may make a private mount namespace (and so fake the kubelet's token mount). */
export function canUnshare(): { ok: boolean; reason?: string } {
  if (process.platform !== 'linux') return { ok: false, reason: `platform ${process.platform} has no mount namespaces` };
  if (process.env.OMNIA_OPERATOR_KUBECONFIG === '1') return { ok: false, reason: 'OMNIA_OPERATOR_KUBECONFIG=1 asks for the kubeconfig mode' };
  const r = spawnSync('unshare', [...UNSHARE, 'sh', '-c', 'mount -n -t tmpfs omnia-probe /tmp && umount -n /tmp'], { stdio: 'pipe' });
  if (r.error) return { ok: false, reason: `unshare could not run: ${r.error.message}` };
  if (r.status !== 0) return { ok: false, reason: `unshare ${UNSHARE.join(' ')} is not permitted: ${r.stderr.toString().trim()}` };
  return { ok: true };
}

// Runs inside the new namespaces: the pod's host name, a tmpfs on the deepest existing folder of the token
// path (so the host's file system is not touched), the kubelet's three files in it, then the manager.
const IN_NAMESPACE = `set -eu
src="$1"; shift
printf %s "$HOSTNAME" > /proc/sys/kernel/hostname
d="${SA_DIR}"
while [ ! -d "$d" ]; do d="$(dirname "$d")"; done
mount -n -t tmpfs -o mode=0755,size=1m omnia-serviceaccount "$d"
mkdir -p "${SA_DIR}"
cp "$src/token" "$src/ca.crt" "$src/namespace" "${SA_DIR}/"
if [ -f "$src/hosts" ]; then mount -n --bind "$src/hosts" /etc/hosts; fi
exec "$@"
`;

export interface OperatorOptions {
  readonly binDir: string;
  /** The install's manifests (the manager Deployment and its ServiceAccount are found there). */
  readonly objects: any[];
  /** A folder for the log, the token files and the workspace content; removed by stopOperator. */
  readonly dir: string;
  /**
   * Host names the manager resolves (its /etc/hosts, in its mount namespace) to loopback addresses: where
   * the test serves what the manifests name by a cluster DNS name (the Providers' base URLs, say).
   * In-cluster mode only.
   */
  readonly hosts?: Record<string, string>;
}

export interface OperatorProcess {
  readonly child: ChildProcess;
  readonly pid: number;
  readonly logFile: string;
  readonly mode: 'in-cluster' | 'kubeconfig';
  /** Why the kubeconfig mode was used. */
  readonly fallbackReason?: string;
  readonly flags: ManagerFlags;
  readonly env: Record<string, string>;
  readonly pod: PodIdentity;
  readonly token: string;
  readonly dir: string;
  readonly startedAt: number;
}

export function readLog(op: OperatorProcess): string {
  try {
    return fs.readFileSync(op.logFile, 'utf8');
  } catch {
    return '';
  }
}

export function tailLog(op: OperatorProcess, lines = 30): string {
  return readLog(op).split('\n').slice(-lines).join('\n');
}

/** Log lines that report an authorization denial. */
export function rbacDenials(log: string): string[] {
  return log.split('\n').filter((l) => /forbidden|cannot list|cannot watch/i.test(l));
}

/** Starts the manager of `objects` with a token of its ServiceAccount; returns once the process is spawned. */
export async function startOperator(info: ControlPlaneInfo, options: OperatorOptions): Promise<OperatorProcess> {
  const { deployment, container } = findManager(options.objects);
  const pod = podIdentity(deployment);
  const token = await createToken(info, pod.namespace, pod.serviceAccount);
  const dir = options.dir;
  const secrets = path.join(dir, 'serviceaccount');
  const contentDir = path.join(dir, 'workspace-content');
  fs.mkdirSync(secrets, { recursive: true });
  fs.mkdirSync(contentDir, { recursive: true });
  fs.writeFileSync(path.join(secrets, 'token'), token, { mode: 0o600 });
  fs.copyFileSync(info.caFile, path.join(secrets, 'ca.crt'));
  fs.writeFileSync(path.join(secrets, 'namespace'), pod.namespace);
  if (options.hosts && Object.keys(options.hosts).length > 0) {
    const lines = ['127.0.0.1\tlocalhost', ...Object.entries(options.hosts).map(([name, address]) => `${address}\t${name}`)];
    fs.writeFileSync(path.join(secrets, 'hosts'), `${lines.join('\n')}\n`);
  }

  const unshare = canUnshare();
  const mode = unshare.ok ? 'in-cluster' : 'kubeconfig';
  const extra = unshare.ok ? [] : [`--kubeconfig=${writeKubeconfig(info, token, path.join(dir, 'kubeconfig'), pod.namespace)}`, '--leader-elect=false'];
  const flags = await managerFlags(container, contentDir, extra);
  const url = new URL(info.server);
  // A pod's environment: its container env plus what the kubelet adds; nothing of this process's (a
  // KUBECONFIG here would silently win over the in-cluster config).
  const env: Record<string, string> = {
    PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
    HOSTNAME: pod.podName,
    HOME: dir,
    KUBERNETES_SERVICE_HOST: url.hostname,
    KUBERNETES_SERVICE_PORT: url.port,
    KUBERNETES_SERVICE_PORT_HTTPS: url.port,
    KUBERNETES_PORT: `tcp://${url.host}`,
    ...(await podEnv(info, container, pod)),
  };
  const logFile = path.join(dir, 'manager.log');
  const log = fs.openSync(logFile, 'a');
  const manager = path.join(options.binDir, 'manager');
  if (!unshare.ok) fs.writeSync(log, `operator test: kubeconfig mode, no leader election: ${unshare.reason}\n`);
  // Each step execs the next, so the manager keeps this process as its parent, and setpriv makes the
  // kernel kill it when this process dies: its own process group does not get the terminal's Ctrl-C, and
  // jest's sandboxed `process` gets no exit or signal events of the real one.
  const setpriv = spawnSync('setpriv', ['--version'], { stdio: 'ignore' }).status === 0;
  if (!setpriv) fs.writeSync(log, 'operator test: no setpriv (util-linux): the manager may outlive an interrupted run\n');
  const run = [...(setpriv ? ['setpriv', '--pdeathsig', 'KILL'] : []), 'nice', '-n', '10', manager, ...flags.args];
  const [command, ...args] = unshare.ok ? ['unshare', ...UNSHARE, 'sh', '-c', IN_NAMESPACE, 'sh', secrets, ...run] : run;
  // Its own process group, so that teardown ends the manager and anything it started.
  const child = spawn(command, args, { env, detached: true, stdio: ['ignore', log, log] });
  fs.closeSync(log);
  child.on('error', (e) => fs.appendFileSync(logFile, `operator test: ${command} could not start: ${e.message}\n`));
  const op: OperatorProcess = { child, pid: child.pid!, logFile, mode, fallbackReason: unshare.reason, flags, env, pod, token, dir, startedAt: Date.now() };
  return op;
}

function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // already gone
  }
}

/** Stops the manager's process group (SIGTERM, then SIGKILL after `graceMs`) and removes its folder. */
export async function stopOperator(op: OperatorProcess | undefined, options: { keepDir?: boolean; graceMs?: number } = {}): Promise<void> {
  if (!op) return;
  if (op.child.exitCode === null && op.child.signalCode === null) {
    const exited = new Promise<void>((resolve) => op.child.once('exit', () => resolve()));
    killGroup(op.pid, 'SIGTERM');
    let timeout: NodeJS.Timeout | undefined;
    const timer = new Promise<boolean>((resolve) => { timeout = setTimeout(() => resolve(false), options.graceMs ?? 10_000); });
    const graceful = await Promise.race([exited.then(() => true), timer]);
    clearTimeout(timeout);
    if (!graceful) {
      killGroup(op.pid, 'SIGKILL');
      await exited;
    }
  }
  killGroup(op.pid, 'SIGKILL');
  if (!options.keepDir) fs.rmSync(op.dir, { recursive: true, force: true });
}

export interface HttpResult {
  readonly status: number;
  readonly body: string;
}

/** GET on loopback; https without verifying the manager's self-signed certificate. */
export function httpGet(url: string, token?: string): Promise<HttpResult> {
  return new Promise((resolve, reject) => {
    const headers = token ? { Authorization: `Bearer ${token}` } : {};
    const lib = url.startsWith('https:') ? https : http;
    const req = lib.get(url, { headers, timeout: 10_000, rejectUnauthorized: false } as https.RequestOptions, (res) => {
      let body = '';
      res.on('data', (c) => { body += c; });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.on('timeout', () => req.destroy(new Error('timeout')));
  });
}

/** Thrown by a probe of waitFor to stop waiting at once. */
export class StopWaiting extends Error {}

/**
 * Polls `probe` until it returns a value (not undefined) or `timeoutMs` passes; `describe` explains a
 * timeout. Errors of a probe count as "not yet", except StopWaiting.
 */
export async function waitFor<T>(probe: () => Promise<T | undefined>, timeoutMs: number, describe: () => string, stepMs = 500): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await probe();
      if (v !== undefined) return v;
    } catch (e) {
      if (e instanceof StopWaiting) throw e;
      last = e;
    }
    if (Date.now() > deadline) throw new Error(`${describe()}${last ? `\nlast error: ${(last as Error).message ?? last}` : ''}`);
    await new Promise((r) => setTimeout(r, stepMs));
  }
}

/** Controllers the manager announced ("Starting Controller") and those that started workers. */
export function controllerStarts(log: string): { announced: string[]; started: string[] } {
  const names = (re: RegExp) => [...new Set(log.split('\n').filter((l) => re.test(l))
    .map((l) => /"controller":\s*"([^"]+)"/.exec(l)?.[1]).filter((n): n is string => !!n))].sort();
  return { announced: names(/Starting Controller/), started: names(/Starting workers/) };
}

/** Binaries of the control plane `info` runs (for starting another one). */
export function controlPlaneBinDir(info: ControlPlaneInfo): string {
  return path.dirname(info.kubectl);
}
