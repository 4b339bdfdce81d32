import { OmniaSchema } from '../../lib';
import { minimalAgent, productionAgent, promptPack, toolRegistry } from './fixtures';

describe('valid objects', () => {
  test('the complete reference example validates and defaulting adds nothing to it', () => {
    const agent = productionAgent();
    expect(OmniaSchema.validate(agent)).toEqual([]);
    expect(OmniaSchema.applyDefaults(agent)).toEqual(agent);
  });

  test('omitted AgentRuntime fields get the contract defaults and nothing else changes', () => {
    const agent = minimalAgent();
    const defaulted = OmniaSchema.applyDefaults(agent);
    expect(defaulted).toEqual({
      ...agent,
      spec: {
        ...agent.spec,
        replicas: 1,
        facade: { type: 'websocket', port: 8080 },
        session: { type: 'memory', ttl: '1h' },
      },
    });
    expect(agent.spec.replicas).toBeUndefined(); // the input is left untouched
  });

  test('a partly given block keeps its values and gets the missing defaults', () => {
    const agent = minimalAgent();
    agent.spec.facade = { port: 9000 };
    agent.spec.session = { ttl: '24h' };
    const spec = OmniaSchema.applyDefaults(agent).spec;
    expect(spec.facade).toEqual({ type: 'websocket', port: 9000 });
    expect(spec.session).toEqual({ type: 'memory', ttl: '24h' });
  });

  test('PromptPack defaults: pack.json key and immediate rollout', () => {
    const spec = OmniaSchema.applyDefaults(promptPack()).spec;
    expect(spec.source.configMapRef).toEqual({ name: 'customer-service-pack', key: 'pack.json' });
    expect(spec.rollout).toEqual({ type: 'immediate' });
  });

  test('ToolRegistry defaults: POST, streamable-http, no TLS, 30s timeout', () => {
    const registry = toolRegistry();
    registry.spec.handlers.push({ name: 'inventory', type: 'grpc', grpcConfig: { endpoint: 'inventory.shop.svc:50051' }, tool: { name: 'stock', description: 'Stock level' } });
    const [http, mcp, grpc] = OmniaSchema.applyDefaults(registry).spec.handlers;
    expect(http.httpConfig.method).toBe('POST');
    expect(http.timeout).toBe('30s');
    expect(mcp.mcpConfig.transport).toBe('streamable-http');
    expect(grpc.grpcConfig.tls).toBe(false);
  });

  test.each<[string, () => any]>([
    ['integer quantities', () => { const a = productionAgent(); a.spec.resources.limits.cpu = 2; return a; }],
    ['extended resource names', () => { const a = productionAgent(); a.spec.resources.limits['nvidia.com/gpu'] = 1; return a; }],
    ['zero replicas', () => { const a = minimalAgent(); a.spec.replicas = 0; return a; }],
    ['env from a secret key', () => { const a = minimalAgent(); a.spec.env = [{ name: 'TOKEN', valueFrom: { secretKeyRef: { name: 's', key: 'k' } } }]; return a; }],
    ['compound Go durations', () => { const a = minimalAgent(); a.spec.session = { ttl: '1h30m' }; return a; }],
    ['cross-namespace references', () => { const a = minimalAgent(); a.spec.promptPackRef.namespace = 'shared'; return a; }],
    ['canary rollout with a weight', () => { const p = promptPack(); p.spec.rollout = { type: 'canary', canary: { weight: 10 } }; return p; }],
    ['v-prefixed prerelease versions', () => { const p = promptPack(); p.spec.version = 'v2.0.0-rc.1+build.5'; return p; }],
    ['free-form tool schemas', () => { const t = toolRegistry(); t.spec.handlers[0].tool.inputSchema = { type: 'object', properties: { id: { type: 'string' } }, required: ['id'] }; return t; }],
    ['grpc endpoint on IPv6', () => { const t = toolRegistry(); t.spec.handlers.push({ name: 'g', type: 'grpc', grpcConfig: { endpoint: '[fd00::1]:50051', tls: true }, tool: { name: 'g', description: 'g' } }); return t; }],
    ['openapi handler without a tool', () => { const t = toolRegistry(); t.spec.handlers.push({ name: 'petstore', type: 'openapi', openAPIConfig: { specURL: 'https://petstore.example/openapi.json', operations: ['getPet'] } }); return t; }],
    ['status written by the operator', () => { const a = minimalAgent(); a.status = { phase: 'Running', replicas: 1, selector: 'app=x', conditions: [{ type: 'Available', status: 'True', reason: 'Ready', message: '', lastTransitionTime: '2026-01-01T00:00:00Z' }] }; return a; }],
  ])('accepts %s', (_name, make) => {
    expect(OmniaSchema.validate(make())).toEqual([]);
  });

  test('objects outside the Omnia group are not checked', () => {
    expect(OmniaSchema.validate({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' }, bogus: true })).toEqual([]);
  });
});

type Case = [string, () => any, string, string];

const agent = (mutate: (spec: any, obj: any) => void) => () => { const a = productionAgent(); mutate(a.spec, a); return a; };
const pack = (mutate: (spec: any) => void) => () => { const p = promptPack(); mutate(p.spec); return p; };
const registry = (mutate: (spec: any) => void) => () => { const t = toolRegistry(); mutate(t.spec); return t; };

const invalid: Case[] = [
  ['replicas -1', agent((s) => { s.replicas = -1; }), 'spec.replicas', 'must be >= 0'],
  ['replicas as a string', agent((s) => { s.replicas = '3'; }), 'spec.replicas', 'must be integer'],
  ['unknown provider', agent((s) => { s.provider.name = 'azure'; }), 'spec.provider.name', 'Unsupported value: "azure"'],
  ['empty model', agent((s) => { s.provider.model = ''; }), 'spec.provider.model', 'must NOT have fewer than 1 characters'],
  ['missing provider', agent((s) => { delete s.provider; }), 'spec.provider', 'Required value'],
  ['API key reference without key', agent((s) => { delete s.provider.apiKeySecretRef.key; }), 'spec.provider.apiKeySecretRef.key', 'Required value'],
  ['port 0', agent((s) => { s.facade.port = 0; }), 'spec.facade.port', 'must be >= 1'],
  ['port 70000', agent((s) => { s.facade.port = 70000; }), 'spec.facade.port', 'must be <= 65535'],
  ['facade type grpc', agent((s) => { s.facade.type = 'grpc'; }), 'spec.facade.type', 'supported values: "websocket"'],
  ['session type mongo', agent((s) => { s.session.type = 'mongo'; }), 'spec.session.type', 'Unsupported value: "mongo"'],
  ['redis without storeRef', agent((s) => { delete s.session.storeRef; }), 'spec.session.storeRef', 'storeRef is required when session type is redis'],
  ['ttl tomorrow', agent((s) => { s.session.ttl = 'tomorrow'; }), 'spec.session.ttl', 'must match pattern'],
  ['missing promptPackRef', agent((s) => { delete s.promptPackRef; }), 'spec.promptPackRef', 'Required value'],
  ['promptPackRef name not DNS-1123', agent((s) => { s.promptPackRef.name = 'Customer_Prompts'; }), 'spec.promptPackRef.name', 'must match pattern'],
  ['misspelt field', agent((s) => { s.replica = 2; }), 'spec.replica', 'unknown field'],
  ['cpu request that is no quantity', agent((s) => { s.resources.requests.cpu = 'lots'; }), 'spec.resources.requests.cpu', 'must match pattern'],
  ['duplicate env names', agent((s) => { s.env.push({ name: 'LOG_LEVEL', value: 'debug' }); }), 'spec.env[1]', 'Duplicate value: ["LOG_LEVEL"]'],
  ['env with value and valueFrom', agent((s) => { s.env[0].valueFrom = { fieldRef: { fieldPath: 'metadata.name' } }; }), 'spec.env[0]', 'value and valueFrom are mutually exclusive'],
  ['env valueFrom with two sources', agent((s) => { s.env = [{ name: 'X', valueFrom: { secretKeyRef: { name: 'a', key: 'b' }, configMapKeyRef: { name: 'c', key: 'd' } } }]; }), 'spec.env[0].valueFrom', 'exactly one of'],
  ['unknown top-level field', agent((_s, o) => { o.specs = {}; }), 'specs', 'unknown field'],
  ['version 1.0', pack((s) => { s.version = '1.0'; }), 'spec.version', 'must match pattern'],
  ['canary weight 150', pack((s) => { s.rollout = { type: 'canary', canary: { weight: 150 } }; }), 'spec.rollout.canary.weight', 'must be <= 100'],
  ['canary settings on an immediate rollout', pack((s) => { s.rollout = { type: 'immediate', canary: { weight: 10 } }; }), 'spec.rollout.canary', 'only allowed when rollout type is canary'],
  ['canary settings with the default rollout type', pack((s) => { s.rollout = { canary: { weight: 10 } }; }), 'spec.rollout.canary', 'only allowed when rollout type is canary'],
  ['source type git', pack((s) => { s.source.type = 'git'; }), 'spec.source.type', 'Unsupported value: "git"'],
  ['configmap source without configMapRef', pack((s) => { delete s.source.configMapRef; }), 'spec.source.configMapRef', 'configMapRef is required when source type is configmap'],
  ['missing packName', pack((s) => { delete s.packName; }), 'spec.packName', 'Required value'],
  ['http handler without httpConfig', registry((s) => { delete s.handlers[0].httpConfig; }), 'spec.handlers[0].httpConfig', 'httpConfig is required when type is http'],
  ['handler with a second config block', registry((s) => { s.handlers[0].mcpConfig = { endpoint: 'http://x' }; }), 'spec.handlers[0].mcpConfig', 'mcpConfig is required when type is mcp and not allowed for other types'],
  ['http handler without a tool', registry((s) => { delete s.handlers[0].tool; }), 'spec.handlers[0].tool', 'tool is required for http and grpc handlers'],
  ['duplicate handler names', registry((s) => { s.handlers[1].name = 'order-lookup'; }), 'spec.handlers[1]', 'Duplicate value: ["order-lookup"]'],
  ['no handlers', registry((s) => { s.handlers = []; }), 'spec.handlers', 'must NOT have fewer than 1 items'],
  ['handler name not a DNS label', registry((s) => { s.handlers[0].name = 'Order_Lookup'; }), 'spec.handlers[0].name', 'must match pattern'],
  ['http method TRACE', registry((s) => { s.handlers[0].httpConfig.method = 'TRACE'; }), 'spec.handlers[0].httpConfig.method', 'Unsupported value: "TRACE"'],
  ['http endpoint without scheme', registry((s) => { s.handlers[0].httpConfig.endpoint = 'orders.shop.svc/v1'; }), 'spec.handlers[0].httpConfig.endpoint', 'must match pattern'],
  ['grpc endpoint as a URL', registry((s) => { s.handlers.push({ name: 'g', type: 'grpc', grpcConfig: { endpoint: 'grpc://inventory' }, tool: { name: 'g', description: 'g' } }); }), 'spec.handlers[2].grpcConfig.endpoint', 'must match pattern'],
  ['timeout in words', registry((s) => { s.handlers[0].timeout = '10 seconds'; }), 'spec.handlers[0].timeout', 'must match pattern'],
  ['mcp transport websocket', registry((s) => { s.handlers[1].mcpConfig.transport = 'websocket'; }), 'spec.handlers[1].mcpConfig.transport', 'Unsupported value: "websocket"'],
  ['tool name with spaces', registry((s) => { s.handlers[0].tool.name = 'order lookup'; }), 'spec.handlers[0].tool.name', 'must match pattern'],
  ['unknown Omnia kind', () => ({ apiVersion: 'omnia.altairalabs.ai/v1alpha1', kind: 'Agent', metadata: { name: 'x' } }), 'kind', 'no CRD in this package serves Agent'],
  ['unserved version', () => ({ ...minimalAgent(), apiVersion: 'omnia.altairalabs.ai/v1' }), 'kind', 'no CRD in this package serves AgentRuntime in omnia.altairalabs.ai/v1'],
];

describe('invalid objects are rejected for the expected reason', () => {
  test('the corpus is large enough', () => {
    expect(invalid.length).toBeGreaterThanOrEqual(20);
  });

  test.each(invalid)('%s', (_name, make, path, reason) => {
    const object = make();
    const violations = OmniaSchema.validate(object);
    expect(violations.map((v) => v.path)).toEqual([path]);
    expect(violations[0].message).toContain(reason);
    expect(violations[0]).toMatchObject({ kind: object.kind, name: object.metadata.name });
    expect(() => OmniaSchema.applyDefaults(object)).toThrow(path);
  });
});
