// The benchmark workload: N agents, each with its own PromptPack (a ConfigMap holding a small pack),
// ToolRegistry (two handlers) and Secret, built three ways.
// Plain JavaScript on purpose: it runs the compiled library (npm run build) exactly as users load it.
'use strict';
const { App, Chart, Duration } = require('cdk8s');
const kplus = require('cdk8s-plus-28');
const { Construct } = require('constructs');
const { AgentRuntime, OmniaApiTarget, OmniaTarget, OmniaValidation, PromptPack, Provider, ProviderCredential, ProviderType, SecretKey, ToolHandler, ToolRegistry } = require('../lib');
// The raw baseline: the classes `cdk8s import` generates, without this library's checks (the `l1` classes
// of the package add them).
const l1 = {
  ...require('../imports/agentruntime-omnia.altairalabs.ai'),
  ...require('../imports/promptpack-omnia.altairalabs.ai'),
  ...require('../imports/toolregistry-omnia.altairalabs.ai'),
};

/** l1: raw generated classes (cdk8s import); l2-off: L2 constructs, synth-time checks off; l2-on: L2, every check on. */
const MODES = ['l1', 'l2-off', 'l2-on'];
/**
 * l1-kplus: the raw classes for the Omnia objects, with the Secret and ConfigMap as the cdk8s-plus L2s the
 * L2 modes use. Not one of the three ways: it shows what the cdk8s-plus objects alone cost against (a).
 */
const KPLUS_CORE = 'l1-kplus';

const pack = (i) => JSON.stringify({
  id: `pack-${i}`, name: `Pack ${i}`, version: '1.0.0', template_engine: { version: 'v1', syntax: '{{x}}' },
  prompts: { main: { id: 'main', name: 'Main', version: '1.0.0', system_template: 'You help with {{x}}.', variables: [], tools: ['lookup'], parameters: {} } },
});
const TOOL = { name: 'lookup', description: 'Looks an order up', inputSchema: { type: 'object' } };

/** Builds the app for `n` agents in `mode`, spread over `charts` charts; call `app.synthYaml()` to synthesize it. */
function buildApp(mode, n, charts = 1) {
  const app = new App({ outdir: '/tmp/omnia-bench-unused' });
  // The l1 classes write the documented API, so every mode does (the default target is the newest release).
  OmniaTarget.use(app, OmniaApiTarget.DOCUMENTED);
  if (mode === 'l2-off') OmniaValidation.disable(app);
  const all = Array.from({ length: charts }, (_, c) => new Chart(app, c ? `bench-${c}` : 'bench', { namespace: 'agents' }));
  const raw = mode === 'l1' || mode === KPLUS_CORE;
  for (let i = 0; i < n; i++) (raw ? addL1 : addL2)(all[i % charts], i, mode === KPLUS_CORE);
  return app;
}

/** The agent's Secret and pack ConfigMap as the cdk8s-plus L2s the L2 modes (and l1-kplus) use. */
function addKplusCore(scope, i) {
  const secret = new kplus.Secret(scope, 'Secret', { metadata: { name: `agent-${i}-key` }, stringData: { 'api-key': `sk-${i}` } });
  const configMap = new kplus.ConfigMap(scope, 'Pack', { metadata: { name: `agent-${i}-pack` }, data: { 'pack.json': pack(i) } });
  return { secret, configMap };
}

function addL2(chart, i) {
  const scope = new Construct(chart, `a${i}`);
  const { secret, configMap } = addKplusCore(scope, i);
  const prompts = new PromptPack(scope, 'Prompts', { metadata: { name: `agent-${i}` }, packName: `pack-${i}`, version: '1.0.0', configMap });
  const tools = new ToolRegistry(scope, 'Tools', {
    metadata: { name: `agent-${i}` },
    handlers: [
      ToolHandler.http({ name: 'lookup', endpoint: `http://orders-${i}.shop.svc:8080/v1`, tool: TOOL, timeout: Duration.seconds(10) }),
      ToolHandler.mcp({ name: 'kb', endpoint: 'http://kb.tools.svc:8000/mcp' }),
    ],
  });
  new AgentRuntime(scope, 'Agent', {
    metadata: { name: `agent-${i}` },
    provider: new Provider(scope, 'Provider', { type: ProviderType.OPENAI, model: 'gpt-4o', credential: ProviderCredential.fromSecretKey(SecretKey.of(secret, 'api-key')) }),
    promptPack: prompts,
    toolRegistry: tools,
  });
}

const labels = (kind, name) => ({
  'app.kubernetes.io/name': kind, 'app.kubernetes.io/instance': name, 'app.kubernetes.io/part-of': 'omnia', 'app.kubernetes.io/managed-by': 'cdk8s',
});

function addL1(chart, i, kplusCore) {
  const scope = new Construct(chart, `a${i}`);
  if (kplusCore) {
    addKplusCore(scope, i);
  } else {
    new kplus.k8s.KubeSecret(scope, 'Secret', { metadata: { name: `agent-${i}-key` }, immutable: false, stringData: { 'api-key': `sk-${i}` } });
    new kplus.k8s.KubeConfigMap(scope, 'Pack', { metadata: { name: `agent-${i}-pack` }, data: { 'pack.json': pack(i) }, immutable: false });
  }
  new l1.PromptPack(scope, 'Prompts', {
    metadata: { name: `agent-${i}`, labels: labels('promptpack', `agent-${i}`) },
    spec: {
      packName: `pack-${i}`, version: '1.0.0',
      source: { type: l1.PromptPackSpecSourceType.CONFIGMAP, configMapRef: { name: `agent-${i}-pack`, key: 'pack.json' } },
      rollout: { type: l1.PromptPackSpecRolloutType.IMMEDIATE },
    },
  });
  new l1.ToolRegistry(scope, 'Tools', {
    metadata: { name: `agent-${i}`, labels: labels('toolregistry', `agent-${i}`) },
    spec: {
      handlers: [
        {
          name: 'lookup', type: l1.ToolRegistrySpecHandlersType.HTTP, timeout: '10s', tool: TOOL,
          httpConfig: { endpoint: `http://orders-${i}.shop.svc:8080/v1`, method: l1.ToolRegistrySpecHandlersHttpConfigMethod.POST },
        },
        {
          name: 'kb', type: l1.ToolRegistrySpecHandlersType.MCP, timeout: '30s',
          mcpConfig: { endpoint: 'http://kb.tools.svc:8000/mcp', transport: l1.ToolRegistrySpecHandlersMcpConfigTransport.STREAMABLE_HYPHEN_HTTP },
        },
      ],
    },
  });
  new l1.AgentRuntime(scope, 'Agent', {
    metadata: { name: `agent-${i}`, labels: labels('agentruntime', `agent-${i}`) },
    spec: {
      replicas: 1,
      provider: { name: l1.AgentRuntimeSpecProviderName.OPENAI, model: 'gpt-4o', apiKeySecretRef: { name: `agent-${i}-key`, key: 'api-key' } },
      promptPackRef: { name: `agent-${i}` },
      toolRegistryRef: { name: `agent-${i}` },
      facade: { type: l1.AgentRuntimeSpecFacadeType.WEBSOCKET, port: 8080 },
      session: { type: l1.AgentRuntimeSpecSessionType.MEMORY, ttl: '1h' },
    },
  });
}

module.exports = { MODES, KPLUS_CORE, buildApp };
