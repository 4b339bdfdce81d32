import * as fs from 'fs';
import * as path from 'path';
import { parse } from 'yaml';

/** The complete AgentRuntime example of the reference, as a fresh object on each call. */
export function productionAgent(): any {
  return parse(fs.readFileSync(path.join(__dirname, '..', 'fixtures', 'production-agent.yaml'), 'utf8'));
}

export function minimalAgent(): any {
  return {
    apiVersion: 'omnia.altairalabs.ai/v1alpha1',
    kind: 'AgentRuntime',
    metadata: { name: 'minimal', namespace: 'agents' },
    spec: {
      provider: { name: 'claude', model: 'claude-sonnet', apiKeySecretRef: { name: 'anthropic', key: 'api-key' } },
      promptPackRef: { name: 'prompts' },
    },
  };
}

export function promptPack(): any {
  return {
    apiVersion: 'omnia.altairalabs.ai/v1alpha1',
    kind: 'PromptPack',
    metadata: { name: 'customer-service-prompts', namespace: 'agents' },
    spec: {
      packName: 'customer-service',
      version: '1.2.0',
      source: { type: 'configmap', configMapRef: { name: 'customer-service-pack' } },
    },
  };
}

export function toolRegistry(): any {
  return {
    apiVersion: 'omnia.altairalabs.ai/v1alpha1',
    kind: 'ToolRegistry',
    metadata: { name: 'service-tools', namespace: 'agents' },
    spec: {
      handlers: [
        {
          name: 'order-lookup',
          type: 'http',
          httpConfig: { endpoint: 'http://orders.shop.svc:8080/v1/orders' },
          tool: { name: 'order_lookup', description: 'Finds an order by id', inputSchema: { type: 'object' } },
        },
        { name: 'kb', type: 'mcp', mcpConfig: { endpoint: 'http://kb.tools.svc:8000/mcp' } },
      ],
    },
  };
}

/** [name, a fresh invalid object, API-server path of the field, reason] */
export type InvalidCase = [string, () => any, string, string];

const agent = (mutate: (spec: any, obj: any) => void) => () => { const a = productionAgent(); mutate(a.spec, a); return a; };
const pack = (mutate: (spec: any) => void) => () => { const p = promptPack(); mutate(p.spec); return p; };
const registry = (mutate: (spec: any) => void) => () => { const t = toolRegistry(); mutate(t.spec); return t; };

export const invalidCorpus: InvalidCase[] = [
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

