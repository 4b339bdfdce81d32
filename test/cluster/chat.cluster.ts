// The agents of the release example answer: on an API server of its own, the release's manager (built from
// its Go module) runs as a pod of the install's Deployment; it makes each agent's Deployment, whose pod the
// test's kubelet (kubelet.ts) runs with the release's own facade and runtime, built from the same module
// (build-agent.sh). The agents talk to stand-ins the test starts (stand-ins.ts): an OpenAI-compatible model
// server at the Providers' baseURL, the order service of the ToolRegistry and redis; the test chats with
// each agent over WebSocket, authenticated as its externalAuth says.
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';
import { MODEL_SERVER, ORDER_SERVICE } from '../../examples/release';
import { OMNIA_GROUP, OMNIA_RELEASE } from '../../lib/api';
import { ControlPlaneInfo, freePort, kubectl, ok, startControlPlane, stopControlPlane } from './control-plane';
import { Pod, PodService } from './kubelet';
import { buildOperator, controlPlaneBinDir, findManager, runBuildScript, waitFor } from './operator';
import { controlPlane, resultsDir } from './results';
import { ModelStandIn, OrderService, Redis } from './stand-ins';
import { WebSocketClient } from './websocket';

const root = path.join(__dirname, '..', '..');
const tag = OMNIA_RELEASE;
const shared = controlPlane();
const distDir = process.env.OMNIA_RELEASE_DIST ?? path.join(root, 'dist', `omnia-${tag}`);
// The redis the test starts, as the session store Secret it makes names it.
const REDIS_URL = 'redis://redis.sessions.svc.cluster.local:6379/0';

/** Runs build-agent.sh (instant when cached) and returns the folder holding `agent` and `runtime`. */
function buildAgent(): Promise<string> {
  return runBuildScript('build-agent.sh', [tag], 'agent:');
}

/** The names a pod may use for the host of `url` (`a.b.svc.cluster.local`, `a.b.svc`, `a.b`). */
function serviceNames(url: string): string[] {
  const host = new URL(url).hostname;
  const short = host.replace(/\.cluster\.local$/, '');
  return [...new Set([host, short, short.replace(/\.svc$/, '')])];
}
const portOf = (url: string) => Number(new URL(url).port || (url.startsWith('https:') ? 443 : 80));

if (!fs.existsSync(distDir)) throw new Error(`${path.relative(root, distDir)} is missing: run \`npx cdk8s synth\` first`);
const objects: any[] = fs.readdirSync(distDir).filter((f) => f.endsWith('.yaml')).sort()
  .flatMap((f) => parseAllDocuments(fs.readFileSync(path.join(distDir, f), 'utf8')).map((d) => d.toJS())).filter((o) => o);
const crds = objects.filter((o) => o.kind === 'CustomResourceDefinition');
const others = objects.filter((o) => o.kind !== 'CustomResourceDefinition');
const isOmnia = (o: any) => typeof o.apiVersion === 'string' && o.apiVersion.startsWith(`${OMNIA_GROUP}/`);
const agents = others.filter((o) => isOmnia(o) && o.kind === 'AgentRuntime');
const key = (o: any) => `${o.metadata.namespace}/${o.metadata.name}`;
const inApp = (kind: string, namespace: string, name: string) => others.some((o) => o.kind === kind && o.metadata.name === name && o.metadata.namespace === namespace);
/** The Omnia object of `kind` that an agent's reference names, in the agent's namespace unless it names one. */
const referenced = (agent: any, kind: string, ref: { name: string; namespace?: string } | undefined) => {
  const ns = ref?.namespace ?? agent.metadata.namespace;
  return ref && others.find((o) => isOmnia(o) && o.kind === kind && o.metadata.name === ref.name && o.metadata.namespace === ns);
};
const providerOf = (agent: any) => referenced(agent, 'Provider', agent.spec.providers[0].providerRef);
const registryOf = (agent: any) => referenced(agent, 'ToolRegistry', agent.spec.toolRegistryRef);
const packOf = (agent: any) => {
  const pack = referenced(agent, 'PromptPack', { name: agent.spec.promptPackRef.name });
  const configMap = others.find((o) => o.kind === 'ConfigMap' && o.metadata.name === pack.spec.source.configMapRef.name && o.metadata.namespace === agent.metadata.namespace);
  return JSON.parse(configMap.data['pack.json']);
};

describe(`chat with the agents of ${path.relative(root, distDir)}`, () => {
  let info: ControlPlaneInfo;
  let runDir: string;
  let model: ModelStandIn;
  let orders: OrderService;
  let redis: Redis;
  let manager: Pod | undefined;
  let images: Record<string, string> = {};
  const pods = new Map<string, Pod>();
  // Values of the Secrets the manifests leave to their users, made here: `<namespace>/<name>` to data.
  const secrets = new Map<string, Record<string, string>>();
  const answered = new Set<string>();
  let toolCalls = 0;
  const unauthenticated = { tried: 0, accepted: 0 };
  // Agents that chose to let every client in (ExternalAuth.allowUnauthenticated()): answered without credentials.
  const openAnswered = new Set<string>();
  const services = (): PodService[] => [
    { names: serviceNames(MODEL_SERVER), port: portOf(MODEL_SERVER), target: { host: '127.0.0.1', port: model.port } },
    { names: serviceNames(ORDER_SERVICE), port: portOf(ORDER_SERVICE), target: { host: '127.0.0.1', port: orders.port } },
    { names: serviceNames(REDIS_URL), port: portOf(REDIS_URL), target: { host: '127.0.0.1', port: redis.port } },
  ];
  const getJson = async (args: string[]) => JSON.parse(ok(await kubectl(info, [...args, '-o', 'json'])));
  const managerLog = () => (manager ? `\n${manager.tail('manager')}` : '');

  beforeAll(async () => {
    const [agentBin, operatorBin] = await Promise.all([
      process.env.OMNIA_AGENT_BIN ? Promise.resolve(process.env.OMNIA_AGENT_BIN) : buildAgent(),
      process.env.OMNIA_OPERATOR_BIN ? Promise.resolve(process.env.OMNIA_OPERATOR_BIN) : buildOperator(tag),
    ]);
    images = {
      'omnia-operator': path.join(operatorBin, 'manager'),
      'omnia-facade': path.join(agentBin, 'agent'),
      'omnia-runtime': path.join(agentBin, 'runtime'),
    };
    // An API server of its own: the release's CRDs share names with the documented ones other files apply.
    info = await startControlPlane(controlPlaneBinDir(shared));
    runDir = fs.mkdtempSync(path.join(info.dir, 'chat-'));
    model = await ModelStandIn.start();
    orders = await OrderService.start();
    redis = await Redis.start(path.join(runDir, 'redis'), await freePort());
  }, 900_000);

  afterAll(async () => {
    // Logs kept for a look after a failure; overwritten by the next run.
    const keep = path.join(root, '.cache', 'agent', 'last-run');
    fs.rmSync(keep, { recursive: true, force: true });
    fs.mkdirSync(keep, { recursive: true });
    for (const pod of [manager, ...pods.values()].filter((p): p is Pod => !!p)) {
      await pod.stop();
      for (const c of [...pod.containers.map((x) => x.name), 'pod']) fs.writeFileSync(path.join(keep, `${pod.namespace}.${pod.name}.${c}.log`), pod.log(c));
    }
    await Promise.all([model?.close(), orders?.close(), redis?.close()]);
    if (info) stopControlPlane(info);
    const line = `chat: ${answered.size} agents answered through facade and runtime ${tag}; ${toolCalls} tool calls; `
      + `${unauthenticated.accepted} of ${unauthenticated.tried} unauthenticated connections accepted`
      + (openAnswered.size ? `; ${openAnswered.size} agent open by choice answered without credentials` : '');
    const dir = resultsDir(shared);
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'chat.json'), JSON.stringify({ line }));
  }, 120_000);

  test(`the ${crds.length} CRDs, the install and the example apply; the Secrets left to the example's users are made`, async () => {
    ok(await kubectl(info, ['apply', '-f', '-'], { input: crds.map((c) => JSON.stringify(c)).join('\n') }));
    ok(await kubectl(info, ['wait', '--for=condition=Established', '--timeout=60s', ...crds.map((c) => `crd/${c.metadata.name}`)]));
    const ordered = [...others].sort((a, b) => Number(b.kind === 'Namespace') - Number(a.kind === 'Namespace'));
    ok(await kubectl(info, ['apply', '-f', '-'], { input: ordered.map((o) => JSON.stringify(o)).join('\n') }));

    // Credentials stay out of manifests: the example names Secrets that its users make. Made here with
    // values of the test's own, which the stand-ins then expect.
    const want = (namespace: string, name: string, data: Record<string, string>) => {
      if (inApp('Secret', namespace, name)) return;
      secrets.set(`${namespace}/${name}`, { ...secrets.get(`${namespace}/${name}`), ...data });
    };
    for (const p of others.filter((o) => isOmnia(o) && o.kind === 'Provider' && o.spec.credential?.secretRef)) {
      want(p.metadata.namespace, p.spec.credential.secretRef.name, { [p.spec.credential.secretRef.key ?? 'api-key']: `sk-test-${crypto.randomBytes(8).toString('hex')}` });
    }
    for (const a of agents) {
      const ns = a.metadata.namespace;
      const tokenSecret = a.spec.externalAuth?.sharedToken?.secretRef?.name;
      if (tokenSecret && !secrets.has(`${ns}/${tokenSecret}`)) want(ns, tokenSecret, { token: crypto.randomBytes(16).toString('hex') });
      if (a.spec.context?.type === 'redis') want(ns, a.spec.context.storeRef.name, { url: REDIS_URL });
    }
    for (const [where, data] of secrets) {
      const [ns, name] = where.split('/');
      ok(await kubectl(info, ['create', 'secret', 'generic', name, '-n', ns, ...Object.entries(data).map(([k, v]) => `--from-literal=${k}=${v}`)]));
    }
    expect([...secrets.keys()].length).toBeGreaterThan(0);
  }, 120_000);

  test('the manager runs as a pod of its Deployment and becomes ready', async () => {
    const { deployment } = findManager(others);
    const stored = await getJson(['get', 'deployment', deployment.metadata.name, '-n', deployment.metadata.namespace]);
    manager = await Pod.start({ info, deployment: stored, images, services: services(), dir: runDir });
    await manager.waitReady(120_000);
  }, 180_000);

  test('the operator checked each Provider\'s key at the model server: CredentialValid', async () => {
    expect(manager?.running).toBe(true);
    const providers = others.filter((o) => isOmnia(o) && o.kind === 'Provider');
    expect(providers.length).toBeGreaterThan(0);
    for (const p of providers) {
      let seen: any;
      await waitFor(async () => {
        seen = await getJson(['get', 'provider', p.metadata.name, '-n', p.metadata.namespace]);
        const valid = (seen.status?.conditions ?? []).find((c: any) => c.type === 'CredentialValid');
        return seen.status?.phase === 'Ready' && valid?.status === 'True' ? true : undefined;
      }, 60_000, () => `Provider ${key(p)}: not Ready with CredentialValid True: ${JSON.stringify(seen?.status)}${managerLog()}`);
      const keyValue = secrets.get(`${p.metadata.namespace}/${p.spec.credential.secretRef.name}`)![p.spec.credential.secretRef.key ?? 'api-key'];
      expect(model.requests.some((r) => r.path.endsWith('/models') && r.authorization === `Bearer ${keyValue}`)).toBe(true);
    }
  }, 120_000);

  describe.each(agents.map((a) => [key(a), a]))('agent %s', (_key, agent: any) => {
    const ns: string = agent.metadata.namespace;
    const name: string = agent.metadata.name;
    const facadePort: number = agent.spec.facades?.[0]?.port ?? 8080;
    const provider = providerOf(agent);
    const pack = packOf(agent);
    const wsPath = `/ws?agent=${encodeURIComponent(name)}&namespace=${encodeURIComponent(ns)}`;
    const podOf = () => {
      const pod = pods.get(key(agent));
      if (!pod) throw new Error(`the pod of ${key(agent)} did not start (see the test before)`);
      return pod;
    };
    // The release's escape hatch, which only ExternalAuth.allowUnauthenticated() writes.
    const open = !agent.spec.externalAuth && (agent.spec.facades ?? []).some((f: any) => (f.extraEnv ?? [])
      .some((e: any) => e.name === 'OMNIA_FACADE_ALLOW_UNAUTHENTICATED' && e.value === 'true'));
    const bearer = () => {
      const secret = agent.spec.externalAuth?.sharedToken?.secretRef?.name;
      if (!secret) throw new Error(`${key(agent)} has no spec.externalAuth.sharedToken: this test authenticates with a shared token only`);
      return `Bearer ${secrets.get(`${ns}/${secret}`)!.token}`;
    };
    const context = (container = 'facade') => `\n${podOf().tail(container)}\n${podOf().tail(container === 'facade' ? 'runtime' : 'facade')}`;

    /** One turn: sends `content`, collects chunks, returns the `done` frame's answer. */
    const turn = async (socket: WebSocketClient, sessionId: string, content: string): Promise<{ answer: string; chunks: number }> => {
      socket.send(JSON.stringify({ type: 'message', session_id: sessionId, content }));
      let chunks = 0;
      for (;;) {
        const message = JSON.parse(await socket.next(90_000).catch((e) => { throw new Error(`${key(agent)}: ${e.message}${context()}`); }));
        if (message.type === 'chunk') chunks++;
        else if (message.type === 'done') return { answer: message.content ?? (message.parts ?? []).map((p: any) => p.text ?? '').join(''), chunks };
        else if (message.type === 'error') throw new Error(`${key(agent)} answered with an error frame: ${JSON.stringify(message.error)}${context('runtime')}`);
      }
    };
    const connect = async () => {
      const upgrade = await WebSocketClient.connect(podOf().port(facadePort), wsPath, open ? {} : { Authorization: bearer() });
      if (upgrade.status !== 101) throw new Error(`${key(agent)}: the facade refused the client ${open ? 'without credentials (the agent is open by choice)' : 'with its token'}: ${upgrade.status} ${upgrade.body}${context()}`);
      const connected = JSON.parse(await upgrade.socket!.next(15_000));
      expect(connected.type).toBe('connected');
      expect(typeof connected.session_id).toBe('string');
      return { socket: upgrade.socket!, sessionId: connected.session_id as string };
    };

    test('its pod runs the release\'s facade and runtime, and becomes ready', async () => {
      expect(manager?.running).toBe(true);
      const deployment = await waitFor(async () => {
        const d = await kubectl(info, ['get', 'deployment', name, '-n', ns, '-o', 'json']);
        return d.code === 0 ? JSON.parse(d.stdout) : undefined;
      }, 60_000, () => `no Deployment ${ns}/${name} from the operator after 60 s${managerLog()}`);
      // The operator writes into the agent's tools ConfigMap only the handlers whose endpoints its ToolRegistry
      // has discovered, and rewrites it as they are. A real kubelet updates a mounted ConfigMap; this one mounts
      // it once, at the pod's start: so the pod starts once every handler is there.
      const registry = registryOf(agent);
      if (registry) {
        const handlers: string[] = registry.spec.handlers.filter((h: any) => h.type !== 'client').map((h: any) => h.name);
        let listed = '';
        await waitFor(async () => {
          const c = await kubectl(info, ['get', 'configmap', `${name}-tools`, '-n', ns, '-o', 'json']);
          listed = c.code === 0 ? Object.values(JSON.parse(c.stdout).data ?? {}).join('\n') : '';
          return handlers.every((h) => new RegExp(`name:\\s*"?${h.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}"?\\s*$`, 'm').test(listed)) ? true : undefined;
        }, 60_000, () => `ConfigMap ${ns}/${name}-tools does not list the handlers ${handlers.join(', ')} of ToolRegistry ${key(registry)} after 60 s:\n${listed}${managerLog()}`);
      }
      const pod = await Pod.start({ info, deployment, images, services: services(), dir: runDir });
      pods.set(key(agent), pod);
      expect(pod.containers.map((c) => `${c.name} ${c.image.split('/').pop()}`).sort())
        .toEqual([`facade omnia-facade:${tag.replace(/^v/, '')}`, `runtime omnia-runtime:${tag.replace(/^v/, '')}`]);
      expect(pod.mounts.map((m) => m.target)).toEqual(expect.arrayContaining(['/etc/omnia/pack', '/var/run/secrets/kubernetes.io/serviceaccount']));
      if (agent.spec.toolRegistryRef) expect(pod.mounts.map((m) => m.target)).toContain('/etc/omnia/tools');
      await pod.waitReady(120_000);
    }, 300_000);

    if (open) test('lets a client without credentials in, as its ExternalAuth.allowUnauthenticated() chose', async () => {
      const upgrade = await WebSocketClient.connect(podOf().port(facadePort), wsPath, {});
      expect(upgrade.status).toBe(101);
      const connected = JSON.parse(await upgrade.socket!.next(15_000));
      upgrade.socket!.close();
      expect(connected.type).toBe('connected');
    }, 60_000);
    else test('a client without the shared token, or with a wrong one, gets 401', async () => {
      const port = podOf().port(facadePort);
      for (const headers of [{}, { Authorization: 'Bearer not-the-token' }] as Array<Record<string, string>>) {
        const upgrade = await WebSocketClient.connect(port, wsPath, headers);
        unauthenticated.tried++;
        if (upgrade.status === 101) {
          unauthenticated.accepted++;
          upgrade.socket!.close();
        }
        expect({ headers, status: upgrade.status }).toEqual({ headers, status: 401 });
      }
    }, 60_000);

    test(`answers through facade and runtime with the model server's reply, sent as ${provider.spec.model} with the pack's prompt and the Provider's key`, async () => {
      const { socket, sessionId } = await connect();
      const nonce = crypto.randomBytes(4).toString('hex');
      const question = `Hello ${name}, this is the chat test (${nonce})`;
      const { answer } = await turn(socket, sessionId, question);
      socket.close();
      expect(answer).toBe(`stand-in ${provider.spec.model}: you said "${question}" (user turns seen: 1)`);
      const request = model.chats.find((r) => JSON.stringify(r.body.messages).includes(nonce))!;
      expect(request).toBeDefined();
      const credential = provider.spec.credential.secretRef;
      expect(request.authorization).toBe(`Bearer ${secrets.get(`${provider.metadata.namespace}/${credential.name}`)![credential.key]}`);
      expect(request.body.model).toBe(provider.spec.model);
      // The pack's default prompt: its system template (the variable at its default) and parameters.
      const prompt = pack.prompts.default;
      const system = request.body.messages.find((m: any) => m.role === 'system');
      const rendered = prompt.system_template.replace(/\{\{(\w+)\}\}/g, (_all: string, v: string) => prompt.variables.find((x: any) => x.name === v).default);
      expect(system?.content).toContain(rendered);
      expect(request.body.temperature).toBeCloseTo(prompt.parameters.temperature);
      expect(request.body.max_tokens ?? request.body.max_completion_tokens).toBe(prompt.parameters.max_tokens);
      answered.add(key(agent));
      if (open) openAnswered.add(key(agent));
    }, 180_000);

    if (agent.spec.toolRegistryRef) {
      test('calls the order tool through its ToolRegistry\'s HTTP handler and answers with the result', async () => {
        const { socket, sessionId } = await connect();
        const before = orders.calls.length;
        const { answer } = await turn(socket, sessionId, 'Where is my order A-1001?');
        socket.close();
        const calls = orders.calls.slice(before);
        toolCalls += calls.length;
        expect(calls).toEqual([expect.objectContaining({ method: 'POST', path: new URL(ORDER_SERVICE).pathname, body: { order_id: 'A-1001' } })]);
        expect(answer).toContain(orders.tracking);
        expect(answer).toMatch(/^stand-in \S+: the order service says /);
      }, 180_000);
    }

    if (agent.spec.context?.type === 'redis') {
      test('keeps the conversation in redis: after the runtime crashed and restarted, a second message in the session sees the first', async () => {
        const { socket, sessionId } = await connect();
        const first = `Remember the word ${crypto.randomBytes(3).toString('hex')}`;
        await turn(socket, sessionId, first);
        const keys = redis.command(['--scan']).trim().split('\n').filter((k) => k);
        expect(keys.some((k) => k.includes(sessionId))).toBe(true);
        // Whatever the runtime held in memory is gone with it.
        await podOf().crash('runtime');
        await podOf().waitReady(60_000);
        const { answer } = await turn(socket, sessionId, 'What did I ask you to remember?');
        socket.close();
        expect(answer).toContain('(user turns seen: 2)');
        const second = model.chats.find((r) => JSON.stringify(r.body.messages).includes('What did I ask you to remember?'))!;
        const texts = second.body.messages.map((m: any) => (typeof m.content === 'string' ? m.content : (m.content ?? []).map((p: any) => p.text ?? '').join('')));
        expect(texts).toEqual(expect.arrayContaining([first, expect.stringContaining(first)]));
      }, 180_000);
    }
  });
});
