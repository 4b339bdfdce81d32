// A throwaway Kubernetes control plane on loopback for the cluster tests: etcd and kube-apiserver built from
// their Go modules (build-control-plane.sh), certificates and an admin token made at start, random ports,
// everything in a temporary folder that goes away, with the processes, when stop() runs or the process exits.
import { ChildProcess, execFileSync, spawn } from 'child_process';
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as https from 'https';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';

/** Connection details, written to a file so that test files can reach a control plane started elsewhere. */
export interface ControlPlaneInfo {
  readonly server: string;
  readonly token: string;
  readonly caFile: string;
  readonly kubeconfig: string;
  readonly kubectl: string;
  readonly version: string;
  readonly dir: string;
  readonly pids: number[];
}

export interface RunResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** The output of a command that must have succeeded; else an error with its output. */
export function ok(r: RunResult): string {
  if (r.code !== 0) throw new Error(`kubectl failed (${r.code}):\n${r.stderr}\n${r.stdout}`);
  return r.stdout;
}

/** A loopback port nothing listens on now. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

function openssl(args: string[], cwd: string): void {
  try {
    execFileSync('openssl', args, { cwd, stdio: 'pipe' });
  } catch (e: any) {
    if (e.code === 'ENOENT') throw new Error('control plane: openssl is missing: install it (Debian: apt-get install openssl)');
    throw new Error(`control plane: openssl ${args[0]} failed: ${e.stderr ?? e.message}`);
  }
}

/** A CA and a serving certificate for 127.0.0.1 and localhost, made with openssl. */
function makeCertificates(dir: string): void {
  openssl(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.crt', '-days', '1', '-subj', '/CN=cdk8s-omnia-test-ca'], dir);
  fs.writeFileSync(path.join(dir, 'san.cnf'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\n');
  openssl(['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'apiserver.key', '-out', 'apiserver.csr', '-subj', '/CN=kube-apiserver'], dir);
  openssl(['x509', '-req', '-in', 'apiserver.csr', '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'apiserver.crt', '-days', '1', '-extfile', 'san.cnf'], dir);
  const { privateKey, publicKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
  fs.writeFileSync(path.join(dir, 'sa.key'), privateKey.export({ type: 'pkcs8', format: 'pem' }));
  fs.writeFileSync(path.join(dir, 'sa.pub'), publicKey.export({ type: 'spki', format: 'pem' }));
}

function get(url: string, token: string, ca: Buffer): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = https.get(url, { ca, headers: { Authorization: `Bearer ${token}` }, timeout: 5000 }, (res) => {
      let body = '';
      res.on('data', (chunk) => { body += chunk; });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.on('timeout', () => req.destroy(new Error('timeout')));
  });
}

function launch(binary: string, args: string[], logFile: string): ChildProcess {
  const log = fs.openSync(logFile, 'a');
  const child = spawn(binary, args, { stdio: ['ignore', log, log] });
  fs.closeSync(log);
  return child;
}

function tail(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8').split('\n').slice(-15).join('\n');
  } catch {
    return '';
  }
}

/** Kills the processes and removes the folder; safe to call twice and from an exit handler. */
export function stopControlPlane(info: ControlPlaneInfo): void {
  for (const pid of info.pids) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  fs.rmSync(info.dir, { recursive: true, force: true });
}

/** Starts etcd and kube-apiserver from `binDir` and waits until the API server is ready. */
export async function startControlPlane(binDir: string): Promise<ControlPlaneInfo> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'omnia-control-plane-'));
  const pids: number[] = [];
  const partial = { dir, pids } as unknown as ControlPlaneInfo;
  const cleanup = () => stopControlPlane(partial);
  process.once('exit', cleanup);
  try {
    makeCertificates(dir);
    const token = crypto.randomBytes(24).toString('hex');
    fs.writeFileSync(path.join(dir, 'tokens.csv'), `${token},admin,admin-uid,"system:masters"\n`);
    const [etcdClient, etcdPeer, apiPort] = [await freePort(), await freePort(), await freePort()];

    const etcd = launch(path.join(binDir, 'etcd'), [
      '--name=test', `--data-dir=${path.join(dir, 'etcd')}`,
      `--listen-client-urls=http://127.0.0.1:${etcdClient}`, `--advertise-client-urls=http://127.0.0.1:${etcdClient}`,
      `--listen-peer-urls=http://127.0.0.1:${etcdPeer}`, `--initial-advertise-peer-urls=http://127.0.0.1:${etcdPeer}`,
      `--initial-cluster=test=http://127.0.0.1:${etcdPeer}`, '--unsafe-no-fsync', '--log-level=warn',
    ], path.join(dir, 'etcd.log'));
    pids.push(etcd.pid!);

    const apiserver = launch(path.join(binDir, 'kube-apiserver'), [
      `--etcd-servers=http://127.0.0.1:${etcdClient}`,
      '--bind-address=127.0.0.1', '--advertise-address=127.0.0.1', `--secure-port=${apiPort}`,
      `--tls-cert-file=${path.join(dir, 'apiserver.crt')}`, `--tls-private-key-file=${path.join(dir, 'apiserver.key')}`,
      `--client-ca-file=${path.join(dir, 'ca.crt')}`, `--token-auth-file=${path.join(dir, 'tokens.csv')}`,
      '--authorization-mode=RBAC', '--endpoint-reconciler-type=none',
      '--service-account-issuer=https://kubernetes.default.svc',
      `--service-account-key-file=${path.join(dir, 'sa.pub')}`, `--service-account-signing-key-file=${path.join(dir, 'sa.key')}`,
      '--service-cluster-ip-range=10.96.0.0/16', `--cert-dir=${path.join(dir, 'certs')}`,
    ], path.join(dir, 'apiserver.log'));
    pids.push(apiserver.pid!);

    const server = `https://127.0.0.1:${apiPort}`;
    const ca = fs.readFileSync(path.join(dir, 'ca.crt'));
    const deadline = Date.now() + 120_000;
    for (;;) {
      for (const [name, child] of [['etcd', etcd], ['kube-apiserver', apiserver]] as const) {
        if (child.exitCode !== null) {
          throw new Error(`control plane: ${name} exited with code ${child.exitCode}:\n${tail(path.join(dir, `${name === 'etcd' ? 'etcd' : 'apiserver'}.log`))}`);
        }
      }
      const ready = await get(`${server}/readyz`, token, ca).catch(() => undefined);
      if (ready?.status === 200) break;
      if (Date.now() > deadline) throw new Error(`control plane: kube-apiserver not ready after 120 s:\n${tail(path.join(dir, 'apiserver.log'))}`);
      await new Promise((r) => setTimeout(r, 250));
    }
    const version = JSON.parse((await get(`${server}/version`, token, ca)).body).gitVersion as string;

    const kubeconfig = path.join(dir, 'kubeconfig');
    fs.writeFileSync(kubeconfig, JSON.stringify({
      apiVersion: 'v1', kind: 'Config', 'current-context': 'test',
      clusters: [{ name: 'test', cluster: { server, 'certificate-authority': path.join(dir, 'ca.crt') } }],
      users: [{ name: 'admin', user: { token } }],
      contexts: [{ name: 'test', context: { cluster: 'test', user: 'admin', namespace: 'default' } }],
    }));
    process.removeListener('exit', cleanup);
    return { server, token, caFile: path.join(dir, 'ca.crt'), kubeconfig, kubectl: path.join(binDir, 'kubectl'), version, dir, pids };
  } catch (e) {
    cleanup();
    process.removeListener('exit', cleanup);
    throw e;
  }
}

/** Runs kubectl against the control plane; never throws on a non-zero exit. */
export function kubectl(info: ControlPlaneInfo, args: string[], options: { input?: string; cwd?: string } = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(info.kubectl, args, {
      cwd: options.cwd,
      env: { ...process.env, KUBECONFIG: info.kubeconfig, KUBECACHEDIR: path.join(info.dir, 'kube-cache'), HOME: info.dir },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => { stdout += d; });
    child.stderr.on('data', (d) => { stderr += d; });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
    child.stdin.end(options.input ?? '');
  });
}
