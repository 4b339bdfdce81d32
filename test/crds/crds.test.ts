import { structuralProblems } from '../../lib/validation/structural';
import { omniaCrds } from '../../lib/validation/crds';

const crds = omniaCrds();
const byKind = (kind: string) => crds.find((c) => c.spec.names.kind === kind);
const rootSchema = (kind: string) => byKind(kind).spec.versions[0].schema.openAPIV3Schema;

/** Follows `spec.handlers[].httpConfig.method` through properties and items. */
function field(kind: string, path: string): any {
  let node = rootSchema(kind);
  for (const part of path.split('.')) {
    const isList = part.endsWith('[]');
    node = node.properties?.[isList ? part.slice(0, -2) : part];
    if (!node) throw new Error(`${kind} has no field ${path}`);
    if (isList) node = node.items;
  }
  return node;
}

/** Every property of a schema with the path it is at. */
function properties(node: any, path = ''): Array<[string, any]> {
  const out: Array<[string, any]> = [];
  for (const [key, sub] of Object.entries<any>(node.properties ?? {})) {
    out.push([`${path}.${key}`, sub], ...properties(sub, `${path}.${key}`));
  }
  if (node.items) out.push(...properties(node.items, `${path}[]`));
  if (typeof node.additionalProperties === 'object') out.push(...properties(node.additionalProperties, `${path}{}`));
  return out;
}

describe.each(['AgentRuntime', 'PromptPack', 'ToolRegistry'])('%s CRD', (kind) => {
  const crd = byKind(kind);

  test('is a namespaced v1 CRD of the Omnia group with one served, stored version', () => {
    expect(crd.apiVersion).toBe('apiextensions.k8s.io/v1');
    expect(crd.metadata.name).toBe(`${crd.spec.names.plural}.omnia.altairalabs.ai`);
    expect(crd.spec.scope).toBe('Namespaced');
    expect(crd.spec.versions.map((v: any) => [v.name, v.served, v.storage])).toEqual([['v1alpha1', true, true]]);
    expect(crd.spec.names.categories).toEqual(['omnia']);
    expect(crd.spec.versions[0].subresources.status).toEqual({});
  });

  test('has a structural schema the API server accepts', () => {
    expect(structuralProblems(rootSchema(kind))).toEqual([]);
  });

  test('describes every field except metadata', () => {
    const undocumented = properties(rootSchema(kind)).filter(([p, s]) => p !== '.metadata' && !s.description).map(([p]) => p);
    expect(undocumented).toEqual([]);
  });

  test('has printer columns for phase and age', () => {
    const columns = crd.spec.versions[0].additionalPrinterColumns.map((c: any) => [c.name, c.jsonPath]);
    expect(columns).toEqual(expect.arrayContaining([['Phase', '.status.phase'], ['Age', '.metadata.creationTimestamp']]));
  });
});

test('short names follow the contract', () => {
  expect(byKind('AgentRuntime').spec.names.shortNames).toEqual(['agent', 'ar']);
  expect(byKind('PromptPack').spec.names.shortNames).toEqual(['pp']);
  expect(byKind('ToolRegistry').spec.names.shortNames).toEqual(['tr']);
});

test('AgentRuntime has a scale subresource driven by the status selector, and a model column', () => {
  const version = byKind('AgentRuntime').spec.versions[0];
  expect(version.subresources.scale).toEqual({
    specReplicasPath: '.spec.replicas',
    statusReplicasPath: '.status.replicas',
    labelSelectorPath: '.status.selector',
  });
  const columns = version.additionalPrinterColumns.map((c: any) => c.jsonPath);
  expect(columns).toEqual(expect.arrayContaining(['.status.readyReplicas', '.spec.provider.model']));
});

// The contract (../shared/omnia-api.md) row by row: [kind, field, what the schema must say].
const contract: Array<[string, string, Record<string, unknown>]> = [
  ['AgentRuntime', 'spec.replicas', { type: 'integer', format: 'int32', minimum: 0, default: 1 }],
  ['AgentRuntime', 'spec.provider.name', { type: 'string', enum: ['openai', 'claude', 'gemini', 'ollama', 'vllm', 'mock'] }],
  ['AgentRuntime', 'spec.provider.model', { type: 'string', minLength: 1 }],
  ['AgentRuntime', 'spec.provider.apiKeySecretRef.name', { type: 'string' }],
  ['AgentRuntime', 'spec.provider.apiKeySecretRef.key', { type: 'string' }],
  ['AgentRuntime', 'spec.promptPackRef.name', { type: 'string' }],
  ['AgentRuntime', 'spec.promptPackRef.namespace', { type: 'string' }],
  ['AgentRuntime', 'spec.toolRegistryRef.name', { type: 'string' }],
  ['AgentRuntime', 'spec.toolRegistryRef.namespace', { type: 'string' }],
  ['AgentRuntime', 'spec.facade.type', { enum: ['websocket'], default: 'websocket' }],
  ['AgentRuntime', 'spec.facade.port', { type: 'integer', minimum: 1, maximum: 65535, default: 8080 }],
  ['AgentRuntime', 'spec.session.type', { enum: ['memory', 'redis'], default: 'memory' }],
  ['AgentRuntime', 'spec.session.ttl', { type: 'string', default: '1h' }],
  ['AgentRuntime', 'spec.session.storeRef', { required: ['name', 'key'] }],
  ['AgentRuntime', 'spec.resources.limits', { type: 'object' }],
  ['AgentRuntime', 'spec.resources.requests', { type: 'object' }],
  ['AgentRuntime', 'spec.env[].valueFrom.configMapKeyRef', { type: 'object' }],
  ['AgentRuntime', 'spec.env[].valueFrom.secretKeyRef', { type: 'object' }],
  ['AgentRuntime', 'spec.env[].valueFrom.fieldRef', { type: 'object' }],
  ['AgentRuntime', 'spec.env[].valueFrom.resourceFieldRef', { type: 'object' }],
  ['AgentRuntime', 'status.phase', { enum: ['Pending', 'Running', 'Failed'] }],
  ['AgentRuntime', 'status.replicas', { type: 'integer' }],
  ['AgentRuntime', 'status.readyReplicas', { type: 'integer' }],
  ['AgentRuntime', 'status.availableReplicas', { type: 'integer' }],
  ['AgentRuntime', 'status.observedGeneration', { type: 'integer' }],
  ['AgentRuntime', 'status.selector', { type: 'string' }],
  ['AgentRuntime', 'status.conditions', { 'x-kubernetes-list-type': 'map', 'x-kubernetes-list-map-keys': ['type'] }],
  ['PromptPack', 'spec.packName', { type: 'string', minLength: 1 }],
  ['PromptPack', 'spec.version', { pattern: '^v?\\d+\\.\\d+\\.\\d+(-[0-9A-Za-z.-]+)?(\\+[0-9A-Za-z.-]+)?$' }],
  ['PromptPack', 'spec.source.type', { enum: ['configmap'] }],
  ['PromptPack', 'spec.source.configMapRef.name', { type: 'string' }],
  ['PromptPack', 'spec.source.configMapRef.key', { default: 'pack.json' }],
  ['PromptPack', 'spec.rollout.type', { enum: ['immediate', 'canary'], default: 'immediate' }],
  ['PromptPack', 'spec.rollout.canary.weight', { type: 'integer', minimum: 0, maximum: 100 }],
  ['PromptPack', 'status.phase', { enum: ['Pending', 'Active', 'Superseded', 'Failed'] }],
  ['PromptPack', 'status.activeVersion', { type: 'string' }],
  ['PromptPack', 'status.lastUpdated', { type: 'string', format: 'date-time' }],
  ['PromptPack', 'status.conditions', { type: 'array' }],
  ['ToolRegistry', 'spec.handlers', { type: 'array', minItems: 1, 'x-kubernetes-list-type': 'map', 'x-kubernetes-list-map-keys': ['name'] }],
  ['ToolRegistry', 'spec.handlers[].name', { pattern: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$', maxLength: 63 }],
  ['ToolRegistry', 'spec.handlers[].type', { enum: ['http', 'grpc', 'mcp', 'openapi'] }],
  ['ToolRegistry', 'spec.handlers[].httpConfig', { required: ['endpoint'] }],
  ['ToolRegistry', 'spec.handlers[].httpConfig.method', { enum: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'], default: 'POST' }],
  ['ToolRegistry', 'spec.handlers[].httpConfig.headers', { type: 'object', additionalProperties: { type: 'string' } }],
  ['ToolRegistry', 'spec.handlers[].grpcConfig', { required: ['endpoint'] }],
  ['ToolRegistry', 'spec.handlers[].grpcConfig.tls', { type: 'boolean', default: false }],
  ['ToolRegistry', 'spec.handlers[].mcpConfig', { required: ['endpoint'] }],
  ['ToolRegistry', 'spec.handlers[].mcpConfig.transport', { enum: ['sse', 'streamable-http'], default: 'streamable-http' }],
  ['ToolRegistry', 'spec.handlers[].openAPIConfig', { required: ['specURL'] }],
  ['ToolRegistry', 'spec.handlers[].openAPIConfig.baseURL', { type: 'string' }],
  ['ToolRegistry', 'spec.handlers[].openAPIConfig.operations', { type: 'array', items: { type: 'string' } }],
  ['ToolRegistry', 'spec.handlers[].tool.name', { type: 'string' }],
  ['ToolRegistry', 'spec.handlers[].tool.description', { type: 'string' }],
  ['ToolRegistry', 'spec.handlers[].tool.inputSchema', { type: 'object', 'x-kubernetes-preserve-unknown-fields': true }],
  ['ToolRegistry', 'spec.handlers[].tool.outputSchema', { type: 'object', 'x-kubernetes-preserve-unknown-fields': true }],
  ['ToolRegistry', 'spec.handlers[].timeout', { type: 'string', default: '30s' }],
  ['ToolRegistry', 'spec.handlers[].authSecretRef', { required: ['name', 'key'] }],
  ['ToolRegistry', 'status.phase', { enum: ['Pending', 'Ready', 'Degraded', 'Failed'] }],
  ['ToolRegistry', 'status.discoveredToolsCount', { type: 'integer' }],
  ['ToolRegistry', 'status.discoveredTools[].status', { enum: ['Available', 'Unavailable'] }],
  ['ToolRegistry', 'status.discoveredTools[].handlerName', { type: 'string' }],
  ['ToolRegistry', 'status.lastDiscoveryTime', { format: 'date-time' }],
  ['ToolRegistry', 'status.conditions', { type: 'array' }],
];

test.each(contract)('%s %s follows the contract', (kind, path, expected) => {
  expect(field(kind, path)).toMatchObject(expected);
});

test.each<[string, string, string[]]>([
  ['AgentRuntime', 'spec', ['provider', 'promptPackRef']],
  ['AgentRuntime', 'spec.provider', ['name', 'model', 'apiKeySecretRef']],
  ['PromptPack', 'spec', ['packName', 'version', 'source']],
  ['ToolRegistry', 'spec', ['handlers']],
  ['ToolRegistry', 'spec.handlers[]', ['name', 'type']],
])('%s %s requires exactly %j', (kind, path, required) => {
  expect(field(kind, path).required).toEqual(required);
});

describe('structuralProblems catches what the API server rejects', () => {
  test.each<[string, any, string]>([
    ['a field without type', { type: 'object', properties: { a: { description: 'x' } } }, 'a: type is required'],
    ['an array without items', { type: 'object', properties: { a: { type: 'array' } } }, 'a: items is required for arrays'],
    ['a list-map key that is neither required nor defaulted', {
      type: 'object',
      properties: { l: { type: 'array', 'x-kubernetes-list-type': 'map', 'x-kubernetes-list-map-keys': ['k'], items: { type: 'object', properties: { k: { type: 'string' } } } } },
    }, 'l: list-map key k must be required or have a default'],
    ['a CEL rule that does not parse', { type: 'object', 'x-kubernetes-validations': [{ rule: 'self.a ==' }] }, 'does not parse'],
    ['a default that breaks its own schema', { type: 'object', properties: { p: { type: 'integer', minimum: 1, default: 0 } } }, 'p: default is invalid'],
    ['a restricted metadata field', { type: 'object', properties: { metadata: { type: 'object', properties: { labels: { type: 'object' } } } } }, 'metadata.labels: only name and generateName'],
    ['$ref', { type: 'object', properties: { a: { $ref: '#/x' } } }, 'a: $ref is not allowed'],
  ])('%s', (_name, schema, expected) => {
    expect(structuralProblems(schema).join('\n')).toContain(expected);
  });
});
