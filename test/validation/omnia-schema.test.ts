import { OmniaApiTarget, OmniaSchema } from '../../lib';
import { invalidCorpus as invalid, minimalAgent, productionAgent, promptPack, toolRegistry } from './fixtures';

describe('valid objects', () => {
  test('the complete reference example validates and defaulting adds nothing to it', () => {
    const agent = productionAgent();
    expect(OmniaSchema.validateFor(agent, OmniaApiTarget.DOCUMENTED)).toEqual([]);
    expect(OmniaSchema.applyDefaultsFor(agent, OmniaApiTarget.DOCUMENTED)).toEqual(agent);
  });

  test('omitted AgentRuntime fields get the contract defaults and nothing else changes', () => {
    const agent = minimalAgent();
    const defaulted = OmniaSchema.applyDefaultsFor(agent, OmniaApiTarget.DOCUMENTED);
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
    const spec = OmniaSchema.applyDefaultsFor(agent, OmniaApiTarget.DOCUMENTED).spec;
    expect(spec.facade).toEqual({ type: 'websocket', port: 9000 });
    expect(spec.session).toEqual({ type: 'memory', ttl: '24h' });
  });

  test('PromptPack defaults: pack.json key and immediate rollout', () => {
    const spec = OmniaSchema.applyDefaultsFor(promptPack(), OmniaApiTarget.DOCUMENTED).spec;
    expect(spec.source.configMapRef).toEqual({ name: 'customer-service-pack', key: 'pack.json' });
    expect(spec.rollout).toEqual({ type: 'immediate' });
  });

  test('ToolRegistry defaults: POST, streamable-http, no TLS, 30s timeout', () => {
    const registry = toolRegistry();
    registry.spec.handlers.push({ name: 'inventory', type: 'grpc', grpcConfig: { endpoint: 'inventory.shop.svc:50051' }, tool: { name: 'stock', description: 'Stock level' } });
    const [http, mcp, grpc] = OmniaSchema.applyDefaultsFor(registry, OmniaApiTarget.DOCUMENTED).spec.handlers;
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
    expect(OmniaSchema.validateFor(make(), OmniaApiTarget.DOCUMENTED)).toEqual([]);
  });

  test('objects outside the Omnia group are not checked', () => {
    expect(OmniaSchema.validateFor({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' }, bogus: true }, OmniaApiTarget.DOCUMENTED)).toEqual([]);
  });
});

describe('invalid objects are rejected for the expected reason', () => {
  test('the corpus is large enough', () => {
    expect(invalid.length).toBeGreaterThanOrEqual(20);
  });

  test.each(invalid)('%s', (_name, make, path, reason) => {
    const object = make();
    const violations = OmniaSchema.validateFor(object, OmniaApiTarget.DOCUMENTED);
    expect(violations.map((v) => v.path)).toEqual([path]);
    expect(violations[0].message).toContain(reason);
    expect(violations[0]).toMatchObject({ kind: object.kind, name: object.metadata.name });
    expect(() => OmniaSchema.applyDefaultsFor(object, OmniaApiTarget.DOCUMENTED)).toThrow(path);
  });
});
