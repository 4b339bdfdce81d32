import { Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Node } from 'constructs';
import { HttpMethod, l1, McpTransport, OmniaApiTarget, OmniaSchema, SecretKey, ToolHandler, ToolRegistry } from '../../lib';
import { newChart, objectsOf, onlyOf } from '../util';

const tool = { name: 'order_lookup', description: 'Finds an order', inputSchema: { type: 'object' } };

function synthHandlers(...handlers: ToolHandler[]) {
  const chart = newChart();
  new ToolRegistry(chart, 'Tools', { handlers });
  const registry = onlyOf(chart, 'ToolRegistry');
  expect(OmniaSchema.validateFor(registry, OmniaApiTarget.DOCUMENTED)).toEqual([]);
  return registry.spec.handlers;
}

describe('handlers render their config block', () => {
  test('http to an endpoint, with defaults written out', () => {
    expect(synthHandlers(ToolHandler.http({ name: 'orders', endpoint: 'https://orders.example.com/v1', tool }))).toEqual([{
      name: 'orders', type: 'http', httpConfig: { endpoint: 'https://orders.example.com/v1', method: 'POST' }, tool, timeout: '30s',
    }]);
  });

  test('http to an in-cluster Service, with method, headers, timeout and auth', () => {
    const chart = newChart('shop');
    const service = new kplus.Service(chart, 'Orders', { metadata: { name: 'orders' }, ports: [{ port: 8080 }] });
    const token = kplus.Secret.fromSecretName(chart, 'Token', 'orders-token');
    new ToolRegistry(chart, 'Tools', {
      handlers: [ToolHandler.http({
        name: 'orders', service, path: 'v1/orders', method: HttpMethod.GET, headers: { 'X-Tenant': 'shop' },
        timeout: Duration.seconds(10), auth: SecretKey.of(token, 'token'), tool,
      })],
    });
    expect(onlyOf(chart, 'ToolRegistry').spec.handlers[0]).toEqual({
      name: 'orders', type: 'http',
      httpConfig: { endpoint: 'http://orders.shop.svc:8080/v1/orders', method: 'GET', headers: { 'X-Tenant': 'shop' } },
      tool, timeout: '10s', authSecretRef: { name: 'orders-token', key: 'token' },
    });
  });

  test('grpc', () => {
    expect(synthHandlers(ToolHandler.grpc({ name: 'stock', endpoint: 'stock.shop.svc:50051', tls: true, tool }))[0]).toEqual({
      name: 'stock', type: 'grpc', grpcConfig: { endpoint: 'stock.shop.svc:50051', tls: true }, tool, timeout: '30s',
    });
  });

  test('mcp', () => {
    expect(synthHandlers(ToolHandler.mcp({ name: 'kb', endpoint: 'http://kb:8000/sse', transport: McpTransport.SSE }))[0]).toEqual({
      name: 'kb', type: 'mcp', mcpConfig: { endpoint: 'http://kb:8000/sse', transport: 'sse' }, timeout: '30s',
    });
  });

  test('openapi', () => {
    expect(synthHandlers(ToolHandler.openApi({
      name: 'pets', specUrl: 'https://pets.example/openapi.json', baseUrl: 'https://pets.example/api', operations: ['getPet'],
    }))[0]).toEqual({
      name: 'pets', type: 'openapi',
      openAPIConfig: { specURL: 'https://pets.example/openapi.json', baseURL: 'https://pets.example/api', operations: ['getPet'] },
      timeout: '30s',
    });
  });
});

test('addHandler after construction is synthesized, and labels are standard', () => {
  const chart = newChart();
  const registry = new ToolRegistry(chart, 'Tools', { metadata: { name: 'tools' } });
  registry.addHandler(ToolHandler.mcp({ name: 'kb', endpoint: 'http://kb:8000/mcp' }));
  const cr = onlyOf(chart, 'ToolRegistry');
  expect(cr.spec.handlers.map((h: any) => h.name)).toEqual(['kb']);
  expect(cr.metadata.labels).toEqual({
    'app.kubernetes.io/name': 'toolregistry', 'app.kubernetes.io/instance': 'tools',
    'app.kubernetes.io/part-of': 'omnia', 'app.kubernetes.io/managed-by': 'cdk8s',
  });
  expect(Node.of(registry).defaultChild).toBeInstanceOf(l1.ToolRegistry);
});

describe('invalid handlers fail with the reason', () => {
  test.each<[string, () => ToolHandler, string]>([
    ['http without a tool', () => ToolHandler.http({ name: 'orders', endpoint: 'http://o' } as any), 'ToolHandler.http: tool: is required'],
    ['http without endpoint or service', () => ToolHandler.http({ name: 'orders', tool }), 'endpoint or service is required'],
    ['http endpoint without scheme', () => ToolHandler.http({ name: 'orders', endpoint: 'orders/v1', tool }), 'endpoint: "orders/v1" is not an http or https URL'],
    ['tool name with spaces', () => ToolHandler.http({ name: 'orders', endpoint: 'http://o', tool: { ...tool, name: 'order lookup' } }), 'tool.name: "order lookup"'],
    ['tool without description', () => ToolHandler.grpc({ name: 'g', endpoint: 'g:1', tool: { name: 'g', description: '' } }), 'tool.description'],
    ['grpc endpoint as URL', () => ToolHandler.grpc({ name: 'g', endpoint: 'grpc://g', tool }), 'endpoint: "grpc://g" is not host:port'],
    ['handler name not a DNS label', () => ToolHandler.mcp({ name: 'Knowledge_Base', endpoint: 'http://kb' }), 'name: "Knowledge_Base" is not a DNS-1123 label'],
    ['mcp endpoint not a URL', () => ToolHandler.mcp({ name: 'kb', endpoint: 'kb:8000' }), 'endpoint: "kb:8000" is not an http or https URL'],
  ])('%s', (_n, make, message) => {
    const chart = newChart();
    expect(() => new ToolRegistry(chart, 'Tools', { handlers: [make()] })).toThrow(message);
  });

  test('the reason names the registry path and the handler position', () => {
    const chart = newChart();
    const registry = new ToolRegistry(chart, 'Tools', { handlers: [ToolHandler.mcp({ name: 'kb', endpoint: 'http://kb' })] });
    expect(() => registry.addHandler(ToolHandler.grpc({ name: 'g', endpoint: 'g', tool })))
      .toThrow('test/Tools: ToolRegistry agents/test-tools-c8667e94: handlers[1] ("g"): endpoint: "g" is not host:port');
  });

  test('duplicate handler names throw with the construct path', () => {
    const chart = newChart();
    const kb = () => ToolHandler.mcp({ name: 'kb', endpoint: 'http://kb:8000/mcp' });
    expect(() => new ToolRegistry(chart, 'Tools', { handlers: [kb(), kb()] })).toThrow('test/Tools: ToolRegistry agents/test-tools-c8667e94: handlers: two handlers are named "kb"');
  });

  test('a registry with no handlers fails at synth', () => {
    const chart = newChart();
    new ToolRegistry(chart, 'Tools');
    expect(() => objectsOf(chart, 'ToolRegistry')).toThrow('test/Tools: ToolRegistry agents/test-tools-c8667e94: handlers: a ToolRegistry needs at least one handler');
  });
});
