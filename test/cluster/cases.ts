// Cases for the differential run: valid Omnia objects and mutations of them, as manifest files. Generated
// from a seed, so that a failing case reproduces with the same seed (OMNIA_DIFF_SEED).
import { stringify } from 'yaml';
import { invalidCorpus, minimalAgent, productionAgent, promptPack, toolRegistry } from '../validation/fixtures';

/** A manifest file to give to both the API server and the library. */
export interface DiffCase {
  readonly name: string;
  readonly text: string;
}

/** Namespace every case lives in; the run creates it. */
export const CASE_NAMESPACE = 'cases';

/** Objects the bases refer to that the cases do not define, declared external to the library. */
export const CASE_EXTERNALS = [
  `PromptPack/${CASE_NAMESPACE}/customer-service-prompts`,
  `ToolRegistry/${CASE_NAMESPACE}/service-tools`,
  `PromptPack/${CASE_NAMESPACE}/prompts`,
];

const API_VERSION = 'omnia.altairalabs.ai/v1alpha1';

function bases(): Array<[string, any]> {
  const metadata = (name: string) => ({ name, namespace: CASE_NAMESPACE, labels: { app: name } });
  return [
    ['agent', {
      apiVersion: API_VERSION, kind: 'AgentRuntime', metadata: metadata('production-agent'),
      spec: {
        replicas: 3,
        provider: { name: 'openai', model: 'gpt-4-turbo', apiKeySecretRef: { name: 'openai-credentials', key: 'api-key' } },
        promptPackRef: { name: 'customer-service-prompts' },
        toolRegistryRef: { name: 'service-tools', namespace: CASE_NAMESPACE },
        facade: { type: 'websocket', port: 8080 },
        session: { type: 'redis', ttl: '24h', storeRef: { name: 'redis-credentials', key: 'url' } },
        resources: { requests: { cpu: '500m', memory: '256Mi' }, limits: { cpu: 1, memory: '512Mi' } },
        env: [
          { name: 'LOG_LEVEL', value: 'info' },
          { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
          { name: 'FEATURES', valueFrom: { configMapKeyRef: { name: 'features', key: 'flags', optional: true } } },
        ],
      },
    }],
    ['minimal-agent', {
      apiVersion: API_VERSION, kind: 'AgentRuntime', metadata: { name: 'hello-agent', namespace: CASE_NAMESPACE },
      spec: {
        provider: { name: 'claude', model: 'claude-sonnet-4', apiKeySecretRef: { name: 'anthropic', key: 'api-key' } },
        promptPackRef: { name: 'customer-service-prompts' },
      },
    }],
    ['pack', {
      apiVersion: API_VERSION, kind: 'PromptPack', metadata: metadata('customer-service-prompts'),
      spec: {
        packName: 'customer-service', version: 'v1.2.0-rc.1+build.7',
        source: { type: 'configmap', configMapRef: { name: 'customer-service-pack', key: 'pack.json' } },
        rollout: { type: 'canary', canary: { weight: 20 } },
      },
    }],
    ['registry', {
      apiVersion: API_VERSION, kind: 'ToolRegistry', metadata: metadata('service-tools'),
      spec: {
        handlers: [
          {
            name: 'order-lookup', type: 'http', timeout: '10s',
            httpConfig: { endpoint: 'http://orders.shop.svc:8080/v1/orders', method: 'GET', headers: { 'X-Team': 'shop' } },
            tool: { name: 'order_lookup', description: 'Finds an order', inputSchema: { type: 'object', properties: { id: { type: 'string' } } } },
            authSecretRef: { name: 'orders-auth', key: 'token' },
          },
          { name: 'stock', type: 'grpc', grpcConfig: { endpoint: 'stock.shop.svc:50051', tls: true }, tool: { name: 'stock', description: 'Stock level' } },
          { name: 'kb', type: 'mcp', mcpConfig: { endpoint: 'http://kb.tools.svc:8000/mcp', transport: 'sse' } },
          { name: 'billing', type: 'openapi', openAPIConfig: { specURL: 'https://billing.example.com/openapi.json', baseURL: 'https://billing.example.com', operations: ['getInvoice'] } },
        ],
      },
    }],
  ];
}

/** A small seeded generator (mulberry32), so that every run with one seed makes the same cases. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Path = Array<string | number>;

function leaves(value: any, path: Path = [], out: Array<[Path, any]> = []): Array<[Path, any]> {
  if (path.length) out.push([path, value]);
  if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) leaves(v, [...path, Array.isArray(value) ? Number(k) : k], out);
  }
  return out;
}

function setAt(root: any, path: Path, update: (parent: any, key: string | number) => void): any {
  const copy = structuredClone(root);
  let node = copy;
  for (const key of path.slice(0, -1)) node = node[key];
  update(node, path[path.length - 1]);
  return copy;
}

const show = (path: Path) => path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${p}`)).join('').slice(1);

const STRINGS = [
  '', 'UPPER', 'with space', 'x'.repeat(254), '-lead', 'trail-', 'a.b', 'a_b', 'é', 'http://h\u000bx', 'http://a\u00a0b',
  'http://ok.example/x\ry', '10 seconds', '1h30m', '1.5h', '-1h', '0', 'host:99999', '[::1]:80', 'v1.2.3', '1.2', 'yes',
  'https://x', 'tcp://x:1', 'x'.repeat(63), 'x'.repeat(64), '+1', '1e3', 'POST', 'get', 'immediate', 'Canary',
];
const NUMBERS = [-1, 0, 1, 100, 101, 65535, 65536, 2147483647, 2147483648, 1.5, -0.5, 1e21];
const SWAPS: unknown[] = ['7', 7, 2.5, true, false, {}, [], ['x'], { x: 1 }];

/** Mutations of one value at one path: each a name and the mutated object. */
function mutationsAt(base: any, path: Path, value: any, pick: <T>(list: T[], n: number) => T[]): Array<[string, any]> {
  const out: Array<[string, any]> = [];
  const at = show(path);
  const set = (v: unknown) => setAt(base, path, (p, k) => { p[k] = v; });
  out.push([`${at} removed`, setAt(base, path, (p, k) => { if (Array.isArray(p)) p.splice(k as number, 1); else delete p[k]; })]);
  out.push([`${at} null`, set(null)]);
  const type = Array.isArray(value) ? 'array' : value === null ? 'null' : typeof value;
  for (const swap of pick(SWAPS.filter((s) => (Array.isArray(s) ? 'array' : typeof s) !== type), 2)) {
    out.push([`${at} as ${JSON.stringify(swap)}`, set(swap)]);
  }
  if (typeof value === 'string') for (const s of pick(STRINGS, 5)) out.push([`${at} = ${JSON.stringify(s).slice(0, 40)}`, set(s)]);
  if (typeof value === 'number') for (const n of pick(NUMBERS, 5)) out.push([`${at} = ${n}`, set(n)]);
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    out.push([`${at} with an unknown field`, setAt(base, path, (p, k) => { p[k] = { ...p[k], unknownField: 'x' }; })]);
    const keys = Object.keys(value);
    if (keys.length) {
      const key = pick(keys, 1)[0];
      out.push([`${at}.${key} misspelt`, setAt(base, path, (p, k) => {
        const { [key]: v, ...rest } = p[k];
        p[k] = { ...rest, [`${key.slice(0, -1)}${key.slice(-1).toUpperCase()}`]: v };
      })]);
    }
  }
  if (Array.isArray(value) && value.length) {
    out.push([`${at} with its first item twice`, set([...value, structuredClone(value[0])])]);
    out.push([`${at} empty`, set([])]);
    out.push([`${at} with a null item`, set([...value, null])]);
  }
  return out;
}

const METADATA: Array<[string, (m: any) => void]> = [
  ...['Support_Agent', 'a'.repeat(70), 'a'.repeat(253), 'a'.repeat(254), 'a.b', 'a..b', '-a', 'a-', 'UPPER', 'x y', 'a/b', '.', '']
    .map((name): [string, (m: any) => void] => [`name ${JSON.stringify(name).slice(0, 30)}`, (m) => { m.name = name; }]),
  ...['Cases', 'ca_ses', 'c'.repeat(64), 'ca.ses']
    .map((ns): [string, (m: any) => void] => [`namespace ${JSON.stringify(ns).slice(0, 30)}`, (m) => { m.namespace = ns; }]),
  ...[{ 'a/b/c': 'x' }, { '-x': 'y' }, { 'example.com/': 'y' }, { 'Example.com/x': 'y' }, { k: 'v'.repeat(63) }, { k: 'v'.repeat(64) },
    { k: 'bad value' }, { k: '' }, { k: 1 }, { k: true }, { k: null }, { 'app.kubernetes.io/name': 'ok' }, { ['k'.repeat(64)]: 'v' }, { 'a.b_c-d': 'x.y_z-1' }]
    .map((labels): [string, (m: any) => void] => [`labels ${JSON.stringify(labels).slice(0, 40)}`, (m) => { m.labels = labels; }]),
  ...[{ k: 1 }, { 'Bad Key': 'v' }, { 'Example.com/Key': 'v' }, { 'example.com/x': 'any value: at all\n' }, { k: 'x'.repeat(262200) }, { k: null }]
    .map((a): [string, (m: any) => void] => [`annotations ${JSON.stringify(a).slice(0, 40)}`, (m) => { m.annotations = a; }]),
  ['labels as a list', (m) => { m.labels = ['a']; }],
  ['labels as a string', (m) => { m.labels = 'a=b'; }],
  ['finalizers qualified', (m) => { m.finalizers = ['example.com/cleanup']; }],
  ['finalizers unqualified', (m) => { m.finalizers = ['cleanup']; }],
  ['finalizers with a space', (m) => { m.finalizers = ['bad finalizer']; }],
  ['finalizers as a string', (m) => { m.finalizers = 'example.com/cleanup'; }],
  ['resourceVersion set', (m) => { m.resourceVersion = '12'; }],
  ['uid set', (m) => { m.uid = 'not-a-uid'; }],
  ['generation set', (m) => { m.generation = 5; }],
  ['generation as a string', (m) => { m.generation = 'five'; }],
  ['creationTimestamp valid', (m) => { m.creationTimestamp = '2024-01-01T00:00:00Z'; }],
  ['creationTimestamp in words', (m) => { m.creationTimestamp = 'yesterday'; }],
  ['selfLink set', (m) => { m.selfLink = '/x'; }],
  ['generateName instead of name', (m) => { delete m.name; m.generateName = 'agent-'; }],
  ['generateName in capitals', (m) => { delete m.name; m.generateName = 'Agent-'; }],
  ['no name', (m) => { delete m.name; }],
  ['name as a number', (m) => { m.name = 12; }],
  ['misspelt labels', (m) => { m.lables = { a: 'b' }; }],
  ['ownerReferences valid', (m) => { m.ownerReferences = [{ apiVersion: 'v1', kind: 'ConfigMap', name: 'owner', uid: '6b0d2a46-7c1c-4d0e-9e1a-0d7c3f0b6a11' }]; }],
  ['ownerReferences without uid', (m) => { m.ownerReferences = [{ apiVersion: 'v1', kind: 'ConfigMap', name: 'owner' }]; }],
  ['ownerReferences with an unknown field', (m) => { m.ownerReferences = [{ apiVersion: 'v1', kind: 'ConfigMap', name: 'o', uid: 'u', extra: 1 }]; }],
];

/** Hand-written files: YAML 1.1 scalars, duplicate keys, lists, status blocks, JSON streams, odd documents. */
function textCases(agent: any, pack: any, registry: any): DiffCase[] {
  const y = (o: unknown) => stringify(o);
  const agentYaml = y(agent);
  const registryYaml = y(registry);
  const out: DiffCase[] = [];
  const replace = (name: string, text: string, from: RegExp, to: string) => {
    if (!from.test(text)) throw new Error(`case ${name}: ${from} not found`);
    out.push({ name, text: text.replace(from, to) });
  };
  for (const v of ['0x3', '0o3', '03', '08', '3_0', '1e1', '3.0', '+3', '~', 'null', '.5', '3.', '0b11', "'3'", 'yes', '1:30', '0x_A'])
    replace(`YAML scalar replicas: ${v}`, agentYaml, /replicas: 3/, `replicas: ${v}`);
  for (const v of ['yes', 'on', 'y', 'Y', 'off', 'n', 'NO', 'true', 'True', '"yes"', '1', '~'])
    replace(`YAML scalar tls: ${v}`, registryYaml, /tls: true/, `tls: ${v}`);
  for (const v of ['yes', 'no', 'on', '2024-01-01', '2024-01-01T10:00:00Z', '1:30', '.5', '0x10', '010', '1e3', 'null', '~', '"yes"', '[a]', '{a: b}', '!!str 10', '!!int "10"', '>-\n      folded\n      model'])
    replace(`YAML scalar model: ${v}`, agentYaml, /model: gpt-4-turbo/, `model: ${v}`);
  for (const v of ['1h', '1:00', '0x10', '60', 'yes'])
    replace(`YAML scalar ttl: ${v}`, agentYaml, /ttl: 24h/, `ttl: ${v}`);
  replace('YAML duplicate key replicas', agentYaml, /replicas: 3/, 'replicas: 3\n  replicas: -1');
  replace('YAML duplicate key replicas, valid last', agentYaml, /replicas: 3/, 'replicas: -1\n  replicas: 3');
  replace('YAML duplicate key spec', agentYaml, /^spec:/m, 'spec: {}\nspec:');
  replace('YAML key yes', agentYaml, /replicas: 3/, 'replicas: 3\n  yes: 1');
  replace('YAML anchor and merge key', registryYaml, /tool:\n(\s+)name: stock/, 'tool:\n$1<<: {description: merged}\n$1name: stock');
  out.push({ name: 'YAML anchors reused', text: `${agentYaml}`.replace(/apiKeySecretRef:\n(\s+)name: openai-credentials/, 'apiKeySecretRef: &ref\n$1name: openai-credentials') });
  out.push({ name: 'YAML tab indentation', text: agentYaml.replace('  replicas: 3', '\treplicas: 3') });
  out.push({ name: 'YAML syntax error', text: agentYaml.replace('replicas: 3', 'replicas: [3') });
  out.push({ name: 'YAML comment-only document between objects', text: `${agentYaml}---\n# nothing here\n---\n${y(pack)}` });
  out.push({ name: 'YAML empty documents', text: `---\n---\n${agentYaml}---\n` });
  out.push({ name: 'YAML BOM', text: `\uFEFF${agentYaml}` });
  out.push({ name: 'YAML Windows line ends', text: agentYaml.replace(/\n/g, '\r\n') });
  out.push({ name: 'YAML document is a string', text: 'just a string\n' });
  out.push({ name: 'YAML document is a list', text: y([agent]) });
  out.push({ name: 'YAML two documents, second invalid', text: `${agentYaml}---\n${y({ ...pack, spec: { ...pack.spec, version: '1.0' } })}` });
  out.push({ name: 'YAML same object twice', text: `${agentYaml}---\n${agentYaml}` });

  const list = (kind: string, items: unknown) => y({ apiVersion: kind === 'List' ? 'v1' : API_VERSION, kind, items });
  out.push({ name: 'List of valid objects', text: list('List', [agent, pack, registry]) });
  out.push({ name: 'List with an invalid item', text: list('List', [agent, { ...pack, spec: { ...pack.spec, version: '1.0' } }]) });
  out.push({ name: 'List with an item without kind', text: list('List', [{ ...agent, kind: undefined }]) });
  out.push({ name: 'List, items not a list', text: list('List', { a: agent }) });
  out.push({ name: 'List, empty', text: list('List', []) });
  out.push({ name: 'List nested', text: list('List', [{ apiVersion: 'v1', kind: 'List', items: [agent] }]) });
  out.push({ name: 'List with the same object twice', text: list('List', [agent, agent]) });
  const { apiVersion: _v, kind: _k, ...bareAgent } = agent;
  out.push({ name: 'AgentRuntimeList with bare items', text: list('AgentRuntimeList', [bareAgent]) });
  out.push({ name: 'AgentRuntimeList with a bare invalid item', text: list('AgentRuntimeList', [{ ...bareAgent, spec: { ...agent.spec, replicas: -1 } }]) });

  const withStatus = (status: unknown) => y({ ...agent, status });
  out.push({ name: 'status valid', text: withStatus({ phase: 'Running', replicas: 3, readyReplicas: 3, selector: 'app=x' }) });
  out.push({ name: 'status with a wrong type', text: withStatus({ phase: 5, replicas: 'three' }) });
  out.push({ name: 'status with a bad enum', text: withStatus({ phase: 'Exploded' }) });
  out.push({ name: 'status with an unknown field', text: withStatus({ phase: 'Running', mood: 'happy' }) });
  out.push({ name: 'status as a string', text: withStatus('Running') });
  out.push({ name: 'status null', text: withStatus(null) });
  out.push({ name: 'status on a PromptPack, unknown field', text: y({ ...pack, status: { phase: 'Active', extra: 1 } }) });

  const json = (o: unknown) => JSON.stringify(o);
  out.push({ name: 'JSON one object', text: json(agent) });
  out.push({ name: 'JSON two objects in one file', text: `${json(agent)}\n${json(pack)}` });
  out.push({ name: 'JSON two objects, second invalid', text: `${json(agent)}${json({ ...pack, spec: { ...pack.spec, version: '1.0' } })}` });
  out.push({ name: 'JSON two objects, same one twice', text: `${json(agent)}\n${json(agent)}` });
  out.push({ name: 'JSON duplicate key', text: json(agent).replace('"replicas":3', '"replicas":3,"replicas":-1') });
  out.push({ name: 'JSON truncated', text: json(agent).slice(0, -5) });
  out.push({ name: 'JSON array of objects', text: json([agent, pack]) });
  out.push({ name: 'JSON with a trailing comma', text: json(agent).replace('"replicas":3', '"replicas":3,') });
  out.push({ name: 'JSON integer as 3.0', text: json(agent).replace('"replicas":3', '"replicas":3.0') });
  out.push({ name: 'JSON integer as 3e0', text: json(agent).replace('"replicas":3', '"replicas":3e0') });

  out.push({ name: 'no apiVersion', text: y({ ...agent, apiVersion: undefined }) });
  out.push({ name: 'no kind', text: y({ ...agent, kind: undefined }) });
  out.push({ name: 'kind as a number', text: y({ ...agent, kind: 5 }) });
  out.push({ name: 'unknown Omnia kind', text: y({ ...agent, kind: 'Agent' }) });
  out.push({ name: 'unserved version', text: y({ ...agent, apiVersion: 'omnia.altairalabs.ai/v1' }) });
  out.push({ name: 'PromptPack of another group next to the agent', text: `${agentYaml}---\n${y({ ...pack, apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'customer-service-prompts', namespace: CASE_NAMESPACE }, spec: undefined, data: { a: 'b' } })}` });
  out.push({ name: 'metadata as a string', text: y({ ...agent, metadata: 'production-agent' }) });
  out.push({ name: 'no metadata', text: y({ ...agent, metadata: undefined }) });
  out.push({ name: 'spec null', text: y({ ...agent, spec: null }) });
  out.push({ name: 'spec as a list', text: y({ ...agent, spec: [] }) });
  return out;
}

/** Every case: the bases, mutations of each of their fields and of their metadata, and the text cases. */
export function generateCases(seed: number): DiffCase[] {
  const rand = random(seed);
  const pick = <T>(list: T[], n: number): T[] => {
    const copy = [...list];
    const out: T[] = [];
    while (out.length < n && copy.length) out.push(copy.splice(Math.floor(rand() * copy.length), 1)[0]);
    return out;
  };
  const cases: DiffCase[] = [];
  // Half as YAML, half as JSON: kubectl reads the two differently, and so must the library.
  const write = (o: unknown) => (rand() < 0.5 ? stringify(o) : JSON.stringify(o, null, 1));
  const all = bases();
  for (const [baseName, base] of all) {
    cases.push({ name: `${baseName}: valid`, text: write(base) });
    for (const [path, value] of leaves(base.spec, ['spec'])) {
      for (const [name, mutated] of mutationsAt(base, path, value, pick)) cases.push({ name: `${baseName}: ${name}`, text: write(mutated) });
    }
    if (baseName === 'agent' || baseName === 'registry') {
      for (const [name, mutate] of METADATA) {
        const copy = structuredClone(base);
        mutate(copy.metadata);
        cases.push({ name: `${baseName}: metadata ${name}`, text: write(copy) });
      }
    }
  }
  const [agent, , pack, registry] = all.map(([, b]) => b);
  cases.push(...textCases(agent, pack, registry));
  // The project's own fixtures: the reference example, the valid objects and the invalid corpus of the unit tests.
  const inCaseNamespace = (o: any) => (o.metadata?.namespace ? { ...o, metadata: { ...o.metadata, namespace: CASE_NAMESPACE } } : o);
  for (const [name, make] of [['reference example', productionAgent], ['minimal agent', minimalAgent], ['prompt pack', promptPack], ['tool registry', toolRegistry]] as const) {
    cases.push({ name: `fixture ${name}: valid`, text: write(inCaseNamespace(make())) });
  }
  for (const [name, make] of invalidCorpus) cases.push({ name: `fixture ${name}`, text: write(inCaseNamespace(make())) });
  return cases.map((c, i) => ({ ...c, name: `#${i + 1} ${c.name}` }));
}
