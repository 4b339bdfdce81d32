// A small kubelet for the cluster tests: runs a pod of a Deployment (one replica) as local processes, as the
// pod spec says. Each container's image is mapped to a binary built from the release's Go module; its env is
// resolved (values, fieldRef, resourceFieldRef, configMapKeyRef, secretKeyRef, envFrom) and its ConfigMap,
// Secret, emptyDir and projected volumes and the ServiceAccount token are mounted at their real paths. The
// pod has its own PID, network, mount and UTS namespaces (pod-init.cjs is its first process): fixed ports and
// absolute paths never touch the host, and when the pod's first process ends, the kernel ends the rest.
// The pod reaches the API server and the test's services through loopback addresses of its own, which
// /etc/hosts names; the test reaches the pod's ports on host ports that `port()` tells.
import { ChildProcess, spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as http from 'http';
import * as net from 'net';
import * as path from 'path';
import { ControlPlaneInfo, kubectl, ok } from './control-plane';
import { createToken, podEnv, podIdentity, PodIdentity } from './operator';

const SA_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';

/** A service the pods reach by name: `names` resolve in the pod to an address whose `port` leads to `target`. */
export interface PodService {
  readonly names: string[];
  readonly port: number;
  readonly target: { readonly host: string; readonly port: number };
}

export interface RunPodOptions {
  readonly info: ControlPlaneInfo;
  /** The Deployment as stored (one pod of its template runs). */
  readonly deployment: any;
  /** Image name (last path segment, without tag) to the binary that stands for it. */
  readonly images: Record<string, string>;
  readonly services?: PodService[];
  /** A folder of the run; the pod makes its own in it. */
  readonly dir: string;
}

export interface ContainerInfo {
  readonly name: string;
  readonly image: string;
  readonly binary: string;
  readonly args: string[];
  readonly env: Record<string, string>;
  readonly readiness?: { readonly port: number; readonly path?: string; readonly tcp?: boolean };
}

export class Pod {
  public readonly pod: PodIdentity;
  public readonly containers: ContainerInfo[];
  public readonly mounts: Array<{ name: string; target: string; readOnly: boolean }>;
  private readonly hostPorts = new Map<number, number>();
  private readonly servers: net.Server[] = [];
  private child?: ChildProcess;

  private constructor(
    public readonly name: string,
    public readonly namespace: string,
    public readonly dir: string,
    pod: PodIdentity,
    containers: ContainerInfo[],
    mounts: Array<{ name: string; target: string; readOnly: boolean }>,
  ) {
    this.pod = pod;
    this.containers = containers;
    this.mounts = mounts;
  }

  /** Prepares and starts the pod; resolves once its processes are spawned (see `waitReady`). */
  public static async start(options: RunPodOptions): Promise<Pod> {
    const { info, deployment } = options;
    const template = deployment.spec.template;
    const spec = template.spec;
    const identity = podIdentity(deployment);
    const namespace = identity.namespace;
    const label = `${namespace}/${deployment.metadata.name}`;
    const dir = fs.mkdtempSync(path.join(options.dir, `pod-${deployment.metadata.name}-`));
    const volumesDir = path.join(dir, 'volumes');
    fs.mkdirSync(volumesDir);
    const fail = (what: string) => new Error(`pod ${label}: ${what}`);

    const read = async (kind: 'configmap' | 'secret', name: string, optional?: boolean): Promise<Record<string, Buffer> | undefined> => {
      const r = await kubectl(info, ['get', kind, name, '-n', namespace, '-o', 'json']);
      if (r.code !== 0) {
        if (optional) return undefined;
        throw fail(`${kind} ${name} for a volume: ${r.stderr.trim()}`);
      }
      const o = JSON.parse(r.stdout);
      const out: Record<string, Buffer> = {};
      if (kind === 'secret') for (const [k, v] of Object.entries(o.data ?? {})) out[k] = Buffer.from(v as string, 'base64');
      else {
        for (const [k, v] of Object.entries(o.data ?? {})) out[k] = Buffer.from(v as string);
        for (const [k, v] of Object.entries(o.binaryData ?? {})) out[k] = Buffer.from(v as string, 'base64');
      }
      return out;
    };
    const writeKeys = (folder: string, data: Record<string, Buffer>, items: any[] | undefined, mode: number | undefined) => {
      const chosen = items ?? Object.keys(data).map((key) => ({ key, path: key }));
      for (const item of chosen) {
        if (data[item.key] === undefined) throw fail(`key ${item.key} missing for a volume`);
        const file = path.join(folder, item.path);
        fs.mkdirSync(path.dirname(file), { recursive: true });
        fs.writeFileSync(file, data[item.key], { mode: item.mode ?? mode ?? 0o644 });
      }
    };

    // Volumes, each a folder of the pod.
    const volumeDirs = new Map<string, string>();
    for (const v of spec.volumes ?? []) {
      const folder = path.join(volumesDir, v.name);
      fs.mkdirSync(folder);
      volumeDirs.set(v.name, folder);
      if (v.configMap) {
        const data = await read('configmap', v.configMap.name, v.configMap.optional);
        if (data) writeKeys(folder, data, v.configMap.items, v.configMap.defaultMode);
      } else if (v.secret) {
        const data = await read('secret', v.secret.secretName, v.secret.optional);
        if (data) writeKeys(folder, data, v.secret.items, v.secret.defaultMode);
      } else if (v.emptyDir) {
        // a fresh folder
      } else if (v.persistentVolumeClaim) {
        // No volume provisioner here: the claim is a fresh folder of the pod.
      } else if (v.projected) {
        for (const source of v.projected.sources ?? []) {
          if (source.serviceAccountToken) {
            const token = await createToken(info, namespace, identity.serviceAccount);
            fs.writeFileSync(path.join(folder, source.serviceAccountToken.path), token, { mode: 0o600 });
          } else if (source.configMap) {
            const data = await read('configmap', source.configMap.name, source.configMap.optional);
            if (data) writeKeys(folder, data, source.configMap.items, v.projected.defaultMode);
          } else if (source.secret) {
            const data = await read('secret', source.secret.name, source.secret.optional);
            if (data) writeKeys(folder, data, source.secret.items, v.projected.defaultMode);
          } else {
            throw fail(`projected volume ${v.name}: source ${Object.keys(source).join(', ')} is not run by this kubelet`);
          }
        }
      } else {
        throw fail(`volume ${v.name}: type ${Object.keys(v).filter((k) => k !== 'name').join(', ')} is not run by this kubelet`);
      }
    }

    // One mount namespace for the pod: the containers' mounts together, which must agree on each path.
    const mounts = new Map<string, { name: string; source: string; target: string; readOnly: boolean }>();
    const addMount = (m: { name: string; source: string; target: string; readOnly: boolean }) => {
      const had = mounts.get(m.target);
      if (had && had.source !== m.source) throw fail(`containers mount ${had.name} and ${m.name} at ${m.target}; this kubelet runs a pod in one mount namespace`);
      if (had) had.readOnly = had.readOnly && m.readOnly;
      else mounts.set(m.target, { ...m });
    };
    for (const c of spec.containers) {
      for (const m of c.volumeMounts ?? []) {
        const folder = volumeDirs.get(m.name);
        if (!folder) throw fail(`container ${c.name} mounts volume ${m.name}, which the pod does not have`);
        addMount({ name: m.name, source: m.subPath ? path.join(folder, m.subPath) : folder, target: m.mountPath, readOnly: !!m.readOnly });
      }
    }
    const sa = await kubectl(info, ['get', 'serviceaccount', identity.serviceAccount, '-n', namespace, '-o', 'json']);
    const saAutomount = sa.code === 0 ? JSON.parse(sa.stdout).automountServiceAccountToken : undefined;
    const automount = spec.automountServiceAccountToken ?? saAutomount ?? true;
    if (automount && !mounts.has(SA_DIR)) {
      const folder = path.join(volumesDir, 'kube-api-access');
      fs.mkdirSync(folder);
      fs.writeFileSync(path.join(folder, 'token'), await createToken(info, namespace, identity.serviceAccount), { mode: 0o600 });
      fs.copyFileSync(info.caFile, path.join(folder, 'ca.crt'));
      fs.writeFileSync(path.join(folder, 'namespace'), namespace);
      addMount({ name: 'kube-api-access', source: folder, target: SA_DIR, readOnly: true });
    }

    // The network: the API server at its own loopback port, each service at an address of its own.
    const api = new URL(info.server);
    const apiPort = Number(api.port);
    const outbound: Array<{ address: string; port: number; socket: string; target: { host: string; port: number } }> = [
      { address: '127.0.0.1', port: apiPort, socket: 'o0.sock', target: { host: api.hostname, port: apiPort } },
    ];
    const hosts = ['127.0.0.1\tlocalhost', `127.0.0.1\t${identity.podName}`, '::1\tlocalhost ip6-localhost ip6-loopback'];
    (options.services ?? []).forEach((s, i) => {
      const address = `127.0.1.${i + 1}`;
      outbound.push({ address, port: s.port, socket: `o${i + 1}.sock`, target: s.target });
      hosts.push(`${address}\t${s.names.join(' ')}`);
    });
    fs.writeFileSync(path.join(dir, 'hosts'), `${hosts.join('\n')}\n`);
    addMount({ name: 'etc-hosts', source: path.join(dir, 'hosts'), target: '/etc/hosts', readOnly: true });

    const containers: ContainerInfo[] = [];
    const inboundPorts = new Set<number>();
    for (const c of spec.containers) {
      const image = String(c.image ?? '').split('/').pop()!.split(/[:@]/)[0];
      const binary = options.images[image];
      if (!binary) throw fail(`container ${c.name}: no binary for image ${c.image} (known: ${Object.keys(options.images).join(', ')})`);
      const env: Record<string, string> = {
        PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
        HOSTNAME: identity.podName,
        HOME: '/tmp',
        KUBERNETES_SERVICE_HOST: '127.0.0.1',
        KUBERNETES_SERVICE_PORT: String(apiPort),
        KUBERNETES_SERVICE_PORT_HTTPS: String(apiPort),
        KUBERNETES_PORT: `tcp://127.0.0.1:${apiPort}`,
        ...(await podEnv(info, c, identity)),
      };
      const expand = (s: string) => s.replace(/\$\(([A-Za-z_][A-Za-z0-9_]*)\)/g, (all, v) => env[v] ?? all);
      const args = [...(c.command ?? []).slice(1), ...(c.args ?? [])].map(expand);
      const portOf = (p: any): number => (typeof p === 'number' ? p : (c.ports ?? []).find((x: any) => x.name === p)?.containerPort);
      for (const p of c.ports ?? []) inboundPorts.add(p.containerPort);
      const probe = c.readinessProbe;
      let readiness: ContainerInfo['readiness'];
      if (probe?.httpGet) readiness = { port: portOf(probe.httpGet.port), path: probe.httpGet.path ?? '/' };
      else if (probe?.tcpSocket) readiness = { port: portOf(probe.tcpSocket.port), tcp: true };
      else if (probe) throw fail(`container ${c.name}: a readiness probe other than httpGet or tcpSocket is not run by this kubelet`);
      if (readiness) {
        if (!readiness.port) throw fail(`container ${c.name}: readiness probe port ${JSON.stringify(probe.httpGet?.port ?? probe.tcpSocket?.port)} not found`);
        inboundPorts.add(readiness.port);
      }
      containers.push({ name: c.name, image: c.image, binary, args, env, readiness });
    }
    const inbound = [...inboundPorts].sort((a, b) => a - b).map((port) => ({ port, socket: `i${port}.sock` }));
    // The services' addresses are the pod's own loopback: a port the pod listens on (on every address, as
    // servers do) cannot also lead to a service.
    for (const o of outbound.filter((x) => inboundPorts.has(x.port))) {
      throw fail(`the pod listens on port ${o.port}, which also leads to ${o.target.host}:${o.target.port} (${hosts.find((h) => h.startsWith(`${o.address}\t`)) ?? 'the API server'}): this kubelet gives a pod and the services it reaches one port space; use another port for the service`);
    }

    const pod = new Pod(deployment.metadata.name, namespace, dir, identity, containers, [...mounts.values()].map(({ name, target, readOnly }) => ({ name, target, readOnly })));
    // Host ends of the sockets: out of the pod to the targets, and host ports into the pod.
    for (const o of outbound) {
      pod.servers.push(await listen(net.createServer((c) => pipe(c, net.connect(o.target.port, o.target.host))), path.join(dir, o.socket)));
    }
    for (const i of inbound) {
      const server = await listen(net.createServer((c) => pipe(c, net.connect(path.join(dir, i.socket)))), 0);
      pod.hostPorts.set(i.port, (server.address() as net.AddressInfo).port);
      pod.servers.push(server);
    }

    const podSpec = {
      dir,
      hostname: identity.podName.slice(0, 63),
      mounts: [...mounts.values()],
      outbound: outbound.map(({ address, port, socket }) => ({ address, port, socket })),
      inbound,
      containers: containers.map((c) => ({ name: c.name, command: [c.binary, ...c.args], env: c.env, workingDir: spec.containers.find((x: any) => x.name === c.name).workingDir })),
    };
    fs.writeFileSync(path.join(dir, 'pod.json'), JSON.stringify(podSpec, null, 1), { mode: 0o600 });
    // setpriv: the kernel kills unshare when this process dies, and unshare's --kill-child then ends the
    // pod's first process, and with it the PID namespace.
    const setpriv = spawnSync('setpriv', ['--version'], { stdio: 'ignore' }).status === 0 ? ['setpriv', '--pdeathsig', 'KILL'] : [];
    const [command, ...args] = [...setpriv, 'unshare', '--pid', '--net', '--mount', '--uts', '--fork', '--kill-child=SIGKILL', '--propagation', 'private',
      process.execPath, path.join(__dirname, 'pod-init.cjs'), path.join(dir, 'pod.json')];
    const log = fs.openSync(path.join(dir, 'pod.log'), 'a');
    pod.child = spawn(command, args, { stdio: ['ignore', log, log], detached: true });
    fs.closeSync(log);
    pod.child.on('error', (e) => fs.appendFileSync(path.join(dir, 'pod.log'), `kubelet: ${command} could not start: ${e.message}\n`));
    return pod;
  }

  /** The host port that leads to `containerPort` of the pod. */
  public port(containerPort: number): number {
    const p = this.hostPorts.get(containerPort);
    if (!p) throw new Error(`pod ${this.namespace}/${this.name} has no port ${containerPort} (it has ${[...this.hostPorts.keys()].join(', ')})`);
    return p;
  }

  public log(container: string): string {
    try {
      return fs.readFileSync(path.join(this.dir, `${container === 'pod' ? 'pod' : container}.log`), 'utf8');
    } catch {
      return '';
    }
  }

  /** The last lines of a container's log (or of the pod's own, `pod`), for a failure message. */
  public tail(container: string, lines = 25): string {
    return `--- ${this.namespace}/${this.name} ${container} (last ${lines} lines) ---\n${this.log(container).trimEnd().split('\n').slice(-lines).join('\n')}`;
  }

  public get running(): boolean {
    return !!this.child && this.child.exitCode === null && this.child.signalCode === null;
  }

  /** How often the pod started a container (1 when it never restarted). */
  public starts(container: string): number {
    return (this.log(container).match(/^--- pod: restart \d+ of /gm) ?? []).length + 1;
  }

  /**
   * Ends a container's process as a crash would (SIGKILL, through the pod's first process, which sees it)
   * and waits until the pod started it again.
   */
  public async crash(container: string, timeoutMs = 30_000): Promise<void> {
    const before = this.starts(container);
    fs.writeFileSync(path.join(this.dir, `crash-${container}`), '');
    const deadline = Date.now() + timeoutMs;
    while (this.starts(container) === before) {
      if (Date.now() > deadline) throw new Error(`pod ${this.namespace}/${this.name}: container ${container} was not restarted within ${timeoutMs / 1000} s\n${this.tail('pod', 10)}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /**
   * Waits until every container's readiness probe passes; after `timeoutMs` (or when the pod ends) fails
   * with the container that is not ready and the last lines of its log.
   */
  public async waitReady(timeoutMs = 90_000): Promise<number> {
    const started = Date.now();
    const pending = new Map(this.containers.filter((c) => c.readiness).map((c) => [c.name, 'not probed yet']));
    while (pending.size > 0) {
      if (!this.running) {
        throw new Error(`pod ${this.namespace}/${this.name} ended (${this.child?.exitCode ?? this.child?.signalCode})\n${this.tail('pod')}\n${this.containers.map((c) => this.tail(c.name)).join('\n')}`);
      }
      for (const c of this.containers.filter((x) => pending.has(x.name))) {
        const r = c.readiness!;
        const result = r.tcp ? await tcpProbe(this.port(r.port)) : await httpProbe(this.port(r.port), r.path!);
        if (result === 'ok') pending.delete(c.name);
        else pending.set(c.name, `${r.tcp ? 'tcp' : `GET ${r.path}`} on port ${r.port}: ${result}`);
      }
      if (pending.size === 0) break;
      if (Date.now() - started > timeoutMs) {
        const [name, last] = [...pending][0];
        throw new Error(`pod ${this.namespace}/${this.name}: container ${name} not ready after ${Math.round(timeoutMs / 1000)} s (${last})\n${this.tail(name)}\n${this.tail('pod', 10)}`);
      }
      await new Promise((r) => setTimeout(r, 250));
    }
    return Date.now() - started;
  }

  /** Ends the pod (its first process, and so all of it) and closes the host ends of its sockets. */
  public async stop(): Promise<void> {
    if (this.child && this.running) {
      const exited = new Promise((resolve) => this.child!.once('exit', resolve));
      try {
        process.kill(-this.child.pid!, 'SIGKILL');
      } catch {
        // already gone
      }
      await exited;
    }
    for (const s of this.servers) s.close();
  }
}

function pipe(a: net.Socket, b: net.Socket): void {
  a.pipe(b);
  b.pipe(a);
  const end = () => { a.destroy(); b.destroy(); };
  for (const s of [a, b]) {
    s.on('error', end);
    s.on('close', end);
  }
}

function listen(server: net.Server, where: string | number): Promise<net.Server> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    if (typeof where === 'number') server.listen(where, '127.0.0.1', () => resolve(server));
    else server.listen(where, () => resolve(server));
  });
}

function httpProbe(port: number, probePath: string): Promise<string> {
  return new Promise((resolve) => {
    const req = http.get({ host: '127.0.0.1', port, path: probePath, timeout: 2000 }, (res) => {
      let body = '';
      res.on('data', (d) => { body += d; });
      res.on('end', () => resolve(res.statusCode! >= 200 && res.statusCode! < 400 ? 'ok' : `${res.statusCode} ${body.trim().slice(0, 200)}`));
    });
    req.on('error', (e) => resolve(e.message));
    req.on('timeout', () => req.destroy(new Error('timeout')));
  });
}

function tcpProbe(port: number): Promise<string> {
  return new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1');
    // The host end always accepts; the pod's end closes at once when nothing listens inside.
    s.once('data', () => { s.destroy(); resolve('ok'); });
    s.setTimeout(500, () => { s.destroy(); resolve('ok'); });
    s.once('close', () => resolve('connection closed'));
    s.once('error', (e) => resolve(e.message));
  });
}
