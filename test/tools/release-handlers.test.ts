import { Chart, Duration, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import {
  GrpcStatusCode, HttpMethod, McpTransport, OmniaApiTarget, OmniaSchema, SecretKey, ToolAuth, ToolHandler, ToolRegistry,
} from '../../lib';
import { releaseCrds } from '../../lib/validation/crds';
import { packtools } from '../fixtures/release-coverage/packtools';
import { newChart } from '../util';

const NS = 'tools';
const releaseChart = () => new Chart(Testing.app(), 'test', { namespace: NS });
const tool = { name: 'order_lookup', description: 'Finds an order', inputSchema: { type: 'object', properties: { order_id: { type: 'string' }, status: { type: 'string' } } } };

/** The handlers of a release registry holding `handlers`, checked against the release's CRD. */
function releaseHandlers(...handlers: ToolHandler[]): any[] {
  const chart = releaseChart();
  new ToolRegistry(chart, 'Tools', { metadata: { name: 'tools' }, handlers });
  const [registry] = Testing.synth(chart).filter((o) => o.kind === 'ToolRegistry');
  expect(OmniaSchema.validateFor(registry, OmniaApiTarget.V0_9_0_BETA_17)).toEqual([]);
  return registry.spec.handlers;
}

describe('release handlers write the release\'s fields', () => {
  test('http with mappings and a retry policy, the operator\'s defaults written out', () => {
    const [h] = releaseHandlers(ToolHandler.http({
      name: 'orders', endpoint: 'https://orders.example.com', method: HttpMethod.GET, tool,
      urlTemplate: '/orders/{{.order_id}}', queryParams: ['status'], staticQuery: { locale: 'en' }, staticBody: { source: 'agent' },
      bodyMapping: '{id: order_id}', responseMapping: 'status', redact: ['card'], headerParams: { 'X-Order': '{{ .order_id }}' },
      contentType: 'application/x-www-form-urlencoded',
      retryPolicy: { maxAttempts: 3 },
    }));
    expect(h).toEqual({
      name: 'orders', type: 'http', timeout: '30s', tool,
      httpConfig: {
        endpoint: 'https://orders.example.com', method: 'GET', contentType: 'application/x-www-form-urlencoded',
        urlTemplate: '/orders/{{.order_id}}', queryParams: ['status'], headerParams: { 'X-Order': '{{ .order_id }}' },
        staticQuery: { locale: 'en' }, staticBody: { source: 'agent' }, bodyMapping: '{id: order_id}', responseMapping: 'status', redact: ['card'],
        retryPolicy: {
          maxAttempts: 3, initialBackoff: '100ms', backoffMultiplier: '2.0', maxBackoff: '30s',
          retryOn: [408, 429, 500, 502, 503, 504], retryOnNetworkError: true, respectRetryAfter: true,
        },
      },
    });
  });

  test('grpc with TLS files and retryable codes; an empty retryOn list retries on no status', () => {
    const [grpc, openapi] = releaseHandlers(
      ToolHandler.grpc({
        name: 'stock', endpoint: 'stock:443', tls: true, tlsCaPath: '/etc/ca.crt', tlsCertPath: '/etc/tls.crt', tlsKeyPath: '/etc/tls.key',
        retryPolicy: { maxAttempts: 2, backoffMultiplier: 1.5, initialBackoff: Duration.seconds(1), maxBackoff: Duration.minutes(1), retryableStatusCodes: [GrpcStatusCode.ABORTED] },
        tool: { name: 'stock_level', description: 'Stock' },
      }),
      ToolHandler.openApi({ name: 'pets', specUrl: 'https://pets.example/openapi.json', headers: { 'X-Client': 'c' }, retryPolicy: { maxAttempts: 5, retryOn: [] } }),
    );
    expect(grpc.grpcConfig).toEqual({
      endpoint: 'stock:443', tls: true, tlsCAPath: '/etc/ca.crt', tlsCertPath: '/etc/tls.crt', tlsKeyPath: '/etc/tls.key',
      retryPolicy: { maxAttempts: 2, initialBackoff: '1s', backoffMultiplier: '1.5', maxBackoff: '1m', retryableStatusCodes: ['ABORTED'] },
    });
    expect(openapi.openAPIConfig).toEqual({
      specURL: 'https://pets.example/openapi.json', headers: { 'X-Client': 'c' },
      retryPolicy: { maxAttempts: 5, initialBackoff: '100ms', backoffMultiplier: '2.0', maxBackoff: '30s', retryOn: [], retryOnNetworkError: true, respectRetryAfter: true },
    });
  });

  test('a stdio MCP server, a filtered remote one and a client tool', () => {
    expect(releaseHandlers(
      ToolHandler.mcpStdio({ name: 'files', command: 'mcp-files', args: ['/data'], workDir: '/data', env: { LOG_LEVEL: 'debug' }, toolFilter: { blocklist: ['rm'] } }),
      ToolHandler.mcp({ name: 'kb', endpoint: 'http://kb:8000/sse', transport: McpTransport.SSE, toolFilter: { allowlist: ['search'] }, retryPolicy: { maxAttempts: 2 } }),
      ToolHandler.client({ name: 'location', tool: { name: 'get_location', description: 'Where the user is' }, consentMessage: 'Share?', categories: ['location'] }),
      ToolHandler.client({ name: 'clipboard', tool: { name: 'read_clipboard', description: 'The clipboard' } }),
    )).toEqual([
      { name: 'files', type: 'mcp', timeout: '30s', mcpConfig: { transport: 'stdio', command: 'mcp-files', args: ['/data'], workDir: '/data', env: { LOG_LEVEL: 'debug' }, toolFilter: { blocklist: ['rm'] } } },
      {
        name: 'kb', type: 'mcp', timeout: '30s',
        mcpConfig: { endpoint: 'http://kb:8000/sse', transport: 'sse', toolFilter: { allowlist: ['search'] }, retryPolicy: { maxAttempts: 2, initialBackoff: '100ms', backoffMultiplier: '2.0', maxBackoff: '30s' } },
      },
      { name: 'location', type: 'client', timeout: '30s', tool: { name: 'get_location', description: 'Where the user is', inputSchema: { type: 'object' } }, clientConfig: { consentMessage: 'Share?', categories: ['location'] } },
      { name: 'clipboard', type: 'client', timeout: '30s', tool: { name: 'read_clipboard', description: 'The clipboard', inputSchema: { type: 'object' } } },
    ]);
  });

  test('each auth form: Secrets by key, tokens without a Secret', () => {
    const chart = releaseChart();
    const token = kplus.Secret.fromSecretName(chart, 'Token', 'tool-token');
    const mk = (name: string, authentication: ToolAuth) => ToolHandler.mcp({ name, endpoint: 'https://kb.example/mcp', authentication });
    new ToolRegistry(chart, 'Tools', {
      metadata: { name: 'tools' },
      handlers: [
        mk('bearer', ToolAuth.bearer(SecretKey.of(token, 'token'))),
        mk('basic', ToolAuth.basic(SecretKey.of(token, 'user-pass'))),
        mk('sa', ToolAuth.serviceAccountToken('kb.example')),
        mk('wif', ToolAuth.azureWorkloadIdentity({ audience: 'api://kb' })),
        ToolHandler.http({ name: 'legacy', endpoint: 'https://o.example', tool, auth: SecretKey.of(token, 'token') }),
      ],
    });
    const [registry] = Testing.synth(chart).filter((o) => o.kind === 'ToolRegistry');
    expect(registry.spec.handlers.map((h: any) => h.auth)).toEqual([
      { type: 'bearer', secretRef: { name: 'tool-token', key: 'token' } },
      { type: 'basic', secretRef: { name: 'tool-token', key: 'user-pass' } },
      { type: 'serviceAccount', serviceAccount: { audience: 'kb.example' } },
      { type: 'workloadIdentity', workloadIdentity: { cloud: 'azure', audience: 'api://kb', header: 'Authorization' } },
      { type: 'bearer', secretRef: { name: 'tool-token', key: 'token' } },
    ]);
    // Never the legacy fields beside the handler-level auth, which the release's CEL refuses.
    expect(JSON.stringify(registry)).not.toMatch(/authSecretRef|authType/);
  });

  test('a Secret the app holds must have the key the auth names', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'test', { namespace: NS });
    const token = new kplus.Secret(chart, 'Token', { metadata: { name: 'tool-token' }, stringData: { token: 't' } });
    new ToolRegistry(chart, 'Tools', { metadata: { name: 'tools' }, handlers: [ToolHandler.mcp({ name: 'kb', endpoint: 'https://kb.example/mcp', authentication: ToolAuth.basic(SecretKey.of(token, 'basic')) })] });
    expect(() => app.synth()).toThrow(/spec\.handlers\[0\]\.auth\.secretRef: Secret tools\/tool-token has no key "basic" \(it has "token"\)/);
  });
});

describe('bad handler options fail at construct time, naming the handler and the field', () => {
  const cm = (c: Chart) => SecretKey.of(kplus.Secret.fromSecretName(c, 'S', 's'), 'k');
  test.each<[string, (c: Chart) => ToolHandler, string]>([
    ['maxAttempts above 10', () => ToolHandler.http({ name: 'h', endpoint: 'http://h', tool, retryPolicy: { maxAttempts: 11 } }), 'retryPolicy.maxAttempts: must be a whole number from 1 to 10, got 11'],
    ['a multiplier below 1', () => ToolHandler.mcp({ name: 'h', endpoint: 'http://h', retryPolicy: { maxAttempts: 2, backoffMultiplier: 0.5 } }), 'retryPolicy.backoffMultiplier: must be a number of at least 1, got 0.5'],
    ['maxBackoff below initialBackoff', () => ToolHandler.openApi({ name: 'h', specUrl: 'http://h', retryPolicy: { maxAttempts: 2, initialBackoff: Duration.seconds(10), maxBackoff: Duration.seconds(1) } }),
      'retryPolicy.maxBackoff: 1s is shorter than initialBackoff 10s; the operator refuses the handler'],
    ['a status code that is none', () => ToolHandler.http({ name: 'h', endpoint: 'http://h', tool, retryPolicy: { maxAttempts: 2, retryOn: [42] } }), 'retryPolicy.retryOn: 42 is not an HTTP status code'],
    ['a query parameter the tool does not take', () => ToolHandler.http({ name: 'h', endpoint: 'http://h', tool, queryParams: ['page'] }), 'queryParams: the argument "page" is not a property of tool.inputSchema ("order_id", "status")'],
    ['a URL template argument the tool does not take', () => ToolHandler.http({ name: 'h', endpoint: 'http://h', tool, urlTemplate: '/o/{{.id}}' }), 'urlTemplate: the argument "id" is not a property of tool.inputSchema'],
    ['an invalid header name', () => ToolHandler.http({ name: 'h', endpoint: 'http://h', tool, headerParams: { 'X Order': '{{.order_id}}' } }), 'headerParams.X Order: is not a valid HTTP header name'],
    ['a tool name the release refuses', () => ToolHandler.http({ name: 'h', endpoint: 'http://h', tool: { ...tool, name: 'Order-Lookup' } }), 'tool.name: "Order-Lookup" must start with a lowercase letter'],
    ['TLS files without tls', () => ToolHandler.grpc({ name: 'h', endpoint: 'h:1', tool, tlsCaPath: '/ca' }), 'tlsCaPath: only with tls: true'],
    ['a relative TLS file', () => ToolHandler.grpc({ name: 'h', endpoint: 'h:1', tool, tls: true, tlsCaPath: 'ca.crt' }), 'tlsCaPath: "ca.crt" is not an absolute path'],
    ['a client certificate without its key', () => ToolHandler.grpc({ name: 'h', endpoint: 'h:1', tool, tls: true, tlsCertPath: '/c' }), 'tlsCertPath: a client certificate needs its key'],
    ['allowlist and blocklist', () => ToolHandler.mcp({ name: 'h', endpoint: 'http://h', toolFilter: { allowlist: ['a'], blocklist: ['b'] } }), 'toolFilter: give allowlist or blocklist, not both'],
    ['a stdio server without a command', () => ToolHandler.mcpStdio({ name: 'h', command: ' ' }), 'command: must name the program to run'],
    ['a credential in a stdio server\'s env', () => ToolHandler.mcpStdio({ name: 'h', command: 'srv', env: { GITHUB_TOKEN: 'ghp_x' } }), 'env.GITHUB_TOKEN: looks like a credential'],
    ['auth on a stdio server', (c) => ToolHandler.mcpStdio({ name: 'h', command: 'srv', auth: cm(c) }), 'auth: a stdio MCP server has no header channel and cannot send a credential'],
    ['auth on a client tool', (c) => ToolHandler.client({ name: 'h', tool, authentication: ToolAuth.bearer(cm(c)) } as any), 'authentication: a client tool runs in the client'],
    ['auth and authentication', (c) => ToolHandler.mcp({ name: 'h', endpoint: 'http://h', auth: cm(c), authentication: ToolAuth.serviceAccountToken('a') }), 'authentication: give auth or authentication, not both'],
    ['an empty audience', () => ToolHandler.mcp({ name: 'h', endpoint: 'http://h', authentication: ToolAuth.serviceAccountToken('') }), 'auth.audience: must be a non-empty audience'],
    ['an empty consent message', () => ToolHandler.client({ name: 'h', tool, consentMessage: '' }), 'consentMessage: must not be empty'],
  ])('%s', (_name, make, message) => {
    const chart = releaseChart();
    expect(() => new ToolRegistry(chart, 'Tools', { metadata: { name: 'tools' }, handlers: [make(chart)] }))
      .toThrow(`test/Tools: ToolRegistry ${NS}/tools: handlers[0] ("h"): ${message}`);
  });
});

test('an unknown gRPC code is refused by the factory, as jsii types it', () => {
  expect(() => ToolHandler.grpc({ name: 'h', endpoint: 'h:1', tool, retryPolicy: { maxAttempts: 2, retryableStatusCodes: ['BUSY' as any] } }))
    .toThrow('ToolHandler.grpc: retryPolicy.retryableStatusCodes[0]: must be one of GrpcStatusCode\'s values, not "BUSY"');
});

describe('the documented API refuses what only the release says', () => {
  test.each<[string, (c: Chart) => ToolHandler, string]>([
    ['a retry policy', () => ToolHandler.http({ name: 'h', endpoint: 'http://h', tool, retryPolicy: { maxAttempts: 2 } }), 'retryPolicy: the handler option retryPolicy'],
    ['a mapping', () => ToolHandler.http({ name: 'h', endpoint: 'http://h', tool, responseMapping: 'a' }), 'responseMapping: the handler option responseMapping'],
    ['a stdio server', () => ToolHandler.mcpStdio({ name: 'h', command: 'srv' }), 'transport: an MCP server started as a subprocess (stdio transport)'],
    ['a client tool', () => ToolHandler.client({ name: 'h', tool }), 'type: a client tool (handler type client)'],
    ['basic auth', (c) => ToolHandler.mcp({ name: 'h', endpoint: 'http://h', authentication: ToolAuth.basic(SecretKey.of(kplus.Secret.fromSecretName(c, 'S', 's'), 'k')) }), 'authentication: basic authentication of a tool'],
  ])('%s', (_name, make, message) => {
    const chart = newChart();
    expect(() => new ToolRegistry(chart, 'Tools', { handlers: [make(chart)] }))
      .toThrow(new RegExp(`handlers\\[0\\] \\("h"\\): ${message.replace(/[()[\]]/g, '\\$&')}: the documented API has no equivalent`));
  });

  test('a bearer token in the authentication form is the documented authSecretRef', () => {
    const chart = newChart();
    const token = kplus.Secret.fromSecretName(chart, 'S', 'tok');
    new ToolRegistry(chart, 'Tools', { handlers: [ToolHandler.mcp({ name: 'kb', endpoint: 'http://kb', authentication: ToolAuth.bearer(SecretKey.of(token, 'token')) })] });
    const [registry] = Testing.synth(chart).filter((o) => o.kind === 'ToolRegistry');
    expect(registry.spec.handlers[0].authSecretRef).toEqual({ name: 'tok', key: 'token' });
  });
});

/** The leaf spec fields of a release CRD (nested objects walked; arrays of objects by their items). */
function leaves(kind: string): string[] {
  const crd = releaseCrds().find((c) => c.spec.names.kind === kind)!;
  const out: string[] = [];
  const walk = (s: any, p: string) => {
    if (s.properties) for (const [k, v] of Object.entries<any>(s.properties)) walk(v, `${p}.${k}`);
    else if (s.items?.properties) walk(s.items, `${p}[]`);
    else out.push(p);
  };
  walk(crd.spec.versions[0].schema.openAPIV3Schema.properties.spec, 'spec');
  return out;
}

/** Whether some object has a value at `path` (`[]` for any element of a list). */
function written(objects: any[], path: string): boolean {
  const at = (v: any, parts: string[]): boolean => {
    if (v === undefined || v === null) return false;
    if (!parts.length) return true;
    const [head, ...rest] = parts;
    if (head.endsWith('[]')) return Array.isArray(v[head.slice(0, -2)]) && v[head.slice(0, -2)].some((e: any) => at(e, rest));
    return at(v[head], rest);
  };
  return objects.some((o) => at(o, path.split('.')));
}

test('the packtools coverage fixture writes every leaf of PromptPack, Provider and ToolRegistry but the deprecated and selector ones', () => {
  const chart = new Chart(Testing.app(), 'packtools', { namespace: 'packtools' });
  packtools(chart);
  const objects = Testing.synth(chart);
  for (const o of objects.filter((m) => m.apiVersion?.startsWith('omnia.'))) expect(OmniaSchema.validateFor(o, OmniaApiTarget.V0_9_0_BETA_17)).toEqual([]);
  const missing = (kind: string) => leaves(kind).filter((p) => !written(objects.filter((o) => o.kind === kind), p));
  expect(missing('PromptPack')).toEqual([]);
  expect(missing('Provider')).toEqual([]);
  expect(missing('SkillSource')).toEqual(['spec.configMap.key', 'spec.git.secretRef.key', 'spec.oci.secretRef.key']);
  expect(missing('ToolRegistry')).toEqual([
    'spec.handlers[].httpConfig.authSecretRef.key', 'spec.handlers[].httpConfig.authSecretRef.name', 'spec.handlers[].httpConfig.authType',
    'spec.handlers[].openAPIConfig.authSecretRef.key', 'spec.handlers[].openAPIConfig.authSecretRef.name', 'spec.handlers[].openAPIConfig.authType',
    'spec.handlers[].selector.matchLabels', 'spec.handlers[].selector.namespace', 'spec.handlers[].selector.port',
  ]);
  expect(leaves('ToolRegistry')).toHaveLength(78);
  expect(leaves('Provider')).toHaveLength(37);
});
