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
