// A prompt's tools must be provided by a ToolRegistry of its agent: on manifests (the CLI, the plugin) and at
// synth (the app's checks), for both targets; and what the check cannot know (tools discovered at run time) is
// never reported.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Chart, Testing, Yaml } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import {
  AgentRuntime, OmniaApiTarget, OmniaTarget, PromptPack, ProviderType, SecretKey, ToolHandler, ToolRegistry, validateManifests,
} from '../../lib';
import { main } from '../../lib/cli';
import { closestName, editDistance } from '../../lib/validation/prompt-tools';
import { providerOf } from '../util';

const API = 'omnia.altairalabs.ai/v1alpha1';
const NS = 'agents';
const RELEASE = OmniaApiTarget.V0_9_0_BETA_17;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'prompt-tools-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** A pack whose prompts name these tools. */
function pack(tools: { [prompt: string]: string[] }): string {
  const prompts: any = {};
  for (const [id, names] of Object.entries(tools)) prompts[id] = { id, name: id, version: '1.0.0', system_template: 'You help.', tools: names };
  return JSON.stringify({ id: 'support', name: 'Support', version: '1.0.0', prompts });
}

const httpHandler = (name: string, tool: string) => ({
  name, type: 'http', httpConfig: { endpoint: `http://${name}.shop.svc:8080/` }, tool: { name: tool, description: 'A tool.', inputSchema: { type: 'object' } },
});

/** The objects of one release agent: its pack's ConfigMap, the PromptPack, the registry (unless null) and the agent. */
function releaseObjects(tools: { [prompt: string]: string[] }, handlers: any[] | null, agentSpec: (spec: any) => void = () => {}): any[] {
  const agent: any = {
    apiVersion: API, kind: 'AgentRuntime', metadata: { name: 'support', namespace: NS },
    spec: { facades: [{ type: 'websocket' }], providers: [{ name: 'main', providerRef: { name: 'mock' } }], promptPackRef: { name: 'support-prompts' } },
  };
  if (handlers) agent.spec.toolRegistryRef = { name: 'tools' };
  agentSpec(agent.spec);
  return [
    { apiVersion: API, kind: 'Provider', metadata: { name: 'mock', namespace: NS }, spec: { type: 'mock' } },
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'support-pack', namespace: NS }, data: { 'pack.json': pack(tools) } },
    { apiVersion: API, kind: 'PromptPack', metadata: { name: 'support-prompts', namespace: NS }, spec: { version: '1.0.0', source: { type: 'configmap', configMapRef: { name: 'support-pack' } } } },
    ...handlers ? [{ apiVersion: API, kind: 'ToolRegistry', metadata: { name: 'tools', namespace: NS }, spec: { handlers } }] : [],
    agent,
  ];
}

/** `path: message` of each finding of the release check. */
const findings = (objects: any[], target = RELEASE) => validateManifests(objects, { target }).map((f) => `${f.kind} ${f.namespace}/${f.name}: ${f.path}: ${f.message}`);

describe('on manifests, for the release', () => {
  test('a tool no handler provides: the prompt, the tool, the agent, the registry, what it provides and the nearest name', () => {
    const objects = releaseObjects({ support: ['order_lookp', 'search'] }, [httpHandler('orders', 'order_lookup'), httpHandler('search', 'search')]);
    expect(findings(objects)).toEqual([
      `AgentRuntime ${NS}/support: spec.toolRegistryRef: tool "order_lookp" of prompt "support" (PromptPack ${NS}/support-prompts) is not provided by ToolRegistry ${NS}/tools: it provides "order_lookup", "search"; did you mean "order_lookup"?`,
    ]);
  });

  test('a tool named by several prompts is one finding naming them all; a name far from every tool gets no guess', () => {
    const objects = releaseObjects({ support: ['refund'], billing: ['refund', 'order_lookup'] }, [httpHandler('orders', 'order_lookup')]);
    expect(findings(objects)).toEqual([
      `AgentRuntime ${NS}/support: spec.toolRegistryRef: tool "refund" of prompts "support", "billing" (PromptPack ${NS}/support-prompts) is not provided by ToolRegistry ${NS}/tools: it provides "order_lookup"`,
    ]);
  });

  test('an agent without a registry whose prompts name tools', () => {
    expect(findings(releaseObjects({ support: ['order_lookup'] }, null))).toEqual([
      `AgentRuntime ${NS}/support: spec.toolRegistryRef: tool "order_lookup" of prompt "support" (PromptPack ${NS}/support-prompts) is provided by no ToolRegistry: the agent has none; give it a ToolRegistry with a handler for the tool`,
    ]);
  });

  test('every tool provided, by http, grpc and client handlers: no finding', () => {
    const grpc = { name: 'stock', type: 'grpc', grpcConfig: { endpoint: 'stock.shop.svc:9090' }, tool: { name: 'stock_level', description: 'Stock.', inputSchema: { type: 'object' } } };
    const client = { name: 'location', type: 'client', tool: { name: 'get_location', description: 'Where the user is.', inputSchema: { type: 'object' } } };
    const objects = releaseObjects({ support: ['order_lookup', 'stock_level', 'get_location'] }, [httpHandler('orders', 'order_lookup'), grpc, client]);
    expect(findings(objects)).toEqual([]);
  });

  test('tools discovered at run time (mcp, openapi without a filter) are never reported', () => {
    const mcp = { name: 'kb', type: 'mcp', mcpConfig: { transport: 'streamable-http', endpoint: 'http://kb.tools.svc:8000/mcp' } };
    const openapi = { name: 'shop', type: 'openapi', openAPIConfig: { specURL: 'http://shop.svc/openapi.json' } };
    expect(findings(releaseObjects({ support: ['anything_at_all'] }, [httpHandler('orders', 'order_lookup'), mcp]))).toEqual([]);
    expect(findings(releaseObjects({ support: ['anything_at_all'] }, [openapi]))).toEqual([]);
    // A tool declared on an mcp handler is not what the server serves: the handler still discovers its tools.
    const mcpWithTool = { ...mcp, tool: { name: 'search', description: 'Searches.', inputSchema: { type: 'object' } } };
    expect(findings(releaseObjects({ support: ['lookup_article'] }, [mcpWithTool]))).toEqual([]);
  });

  test('the tools the runtime provides itself (memory, workflow, skills, other agents) need no registry', () => {
    expect(findings(releaseObjects({ support: ['memory__recall', 'workflow__transition', 'skill__activate', 'a2a__billing__ask'] }, null))).toEqual([]);
    // Only a namespace the runtime knows: `orders__lookup` is the registry's to provide.
    expect(findings(releaseObjects({ support: ['orders__lookup'] }, null))).toHaveLength(1);
  });

  test('a filter bounds what a discovering handler exposes: an MCP allowlist, an OpenAPI operation filter, an MCP blocklist', () => {
    const mcp = (toolFilter: any) => ({ name: 'kb', type: 'mcp', mcpConfig: { transport: 'streamable-http', endpoint: 'http://kb.tools.svc:8000/mcp', toolFilter } });
    expect(findings(releaseObjects({ support: ['search_articles'] }, [mcp({ allowlist: ['search_articles', 'read_article'] })]))).toEqual([]);
    expect(findings(releaseObjects({ support: ['serch_articles'] }, [mcp({ allowlist: ['search_articles', 'read_article'] })]))).toEqual([
      `AgentRuntime ${NS}/support: spec.toolRegistryRef: tool "serch_articles" of prompt "support" (PromptPack ${NS}/support-prompts) is not provided by ToolRegistry ${NS}/tools: it provides "search_articles", "read_article"; did you mean "search_articles"?`,
    ]);
    // The release reads the blocklist only without an allowlist.
    expect(findings(releaseObjects({ support: ['delete_article'] }, [mcp({ allowlist: ['delete_article'], blocklist: ['delete_article'] })]))).toEqual([]);
    expect(findings(releaseObjects({ support: ['delete_article'] }, [mcp({ blocklist: ['delete_article'] })]))).toEqual([
      `AgentRuntime ${NS}/support: spec.toolRegistryRef: tool "delete_article" of prompt "support" (PromptPack ${NS}/support-prompts) is not provided by ToolRegistry ${NS}/tools: it provides no tools; handler "kb" (mcp) discovers its tools at run time but excludes "delete_article"`,
    ]);
    const openapi = { name: 'shop', type: 'openapi', openAPIConfig: { specURL: 'http://shop.svc/openapi.json', operationFilter: ['getOrder'] } };
    expect(findings(releaseObjects({ support: ['getOrder'] }, [openapi]))).toEqual([]);
    expect(findings(releaseObjects({ support: ['getOrders'] }, [openapi]))).toEqual([
      `AgentRuntime ${NS}/support: spec.toolRegistryRef: tool "getOrders" of prompt "support" (PromptPack ${NS}/support-prompts) is not provided by ToolRegistry ${NS}/tools: it provides "getOrder"; did you mean "getOrder"?`,
    ]);
  });

  test('a registry or pack outside the manifests: its tools are unknown, only the reference is reported', () => {
    const objects = releaseObjects({ support: ['order_lookup'] }, []).filter((o) => o.kind !== 'ToolRegistry');
    objects[objects.length - 1].spec.toolRegistryRef = { name: 'tools' };
    expect(findings(objects)).toEqual([expect.stringContaining(`spec.toolRegistryRef: ToolRegistry ${NS}/tools is not defined in the manifests`)]);
    expect(validateManifests(objects, { target: RELEASE, external: ['ToolRegistry/agents/tools'] })).toEqual([]);
    const withoutPackMap = releaseObjects({ support: ['order_lookup'] }, null).filter((o) => o.kind !== 'ConfigMap');
    expect(findings(withoutPackMap)).toEqual([]);
  });

  test('a rollout candidate is checked with the registry and pack it runs', () => {
    const objects = releaseObjects({ support: ['order_lookup'] }, [httpHandler('orders', 'order_lookup')], (spec) => {
      spec.rollout = { candidate: { toolRegistryRef: { name: 'tools-v2' } }, steps: [{ setWeight: 10 }] };
    });
    objects.push({ apiVersion: API, kind: 'ToolRegistry', metadata: { name: 'tools-v2', namespace: NS }, spec: { handlers: [httpHandler('orders', 'order_search')] } });
    expect(findings(objects)).toEqual([
      `AgentRuntime ${NS}/support: spec.rollout.candidate.toolRegistryRef: tool "order_lookup" of prompt "support" (PromptPack ${NS}/support-prompts) is not provided by ToolRegistry ${NS}/tools-v2: it provides "order_search"`,
    ]);
  });

  test('a candidate that runs another pack with the stable registry is reported at its pack', () => {
    const objects = releaseObjects({ support: ['order_lookup'] }, [httpHandler('orders', 'order_lookup')], (spec) => {
      spec.rollout = { candidate: { promptPackRef: { name: 'support-prompts-v2' } }, steps: [{ setWeight: 10 }] };
    });
    objects.push(
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'support-pack-v2', namespace: NS }, data: { 'pack.json': pack({ support: ['order_lookup', 'refund_order'] }) } },
      { apiVersion: API, kind: 'PromptPack', metadata: { name: 'support-prompts-v2', namespace: NS }, spec: { version: '1.0.0', source: { type: 'configmap', configMapRef: { name: 'support-pack-v2' } } } },
    );
    expect(findings(objects)).toEqual([
      `AgentRuntime ${NS}/support: spec.rollout.candidate.promptPackRef: tool "refund_order" of prompt "support" (PromptPack ${NS}/support-prompts-v2) is not provided by ToolRegistry ${NS}/tools: it provides "order_lookup"`,
    ]);
  });

  test('with references off, nothing is reported', () => {
    expect(validateManifests(releaseObjects({ support: ['order_lookp'] }, [httpHandler('orders', 'order_lookup')]), { target: RELEASE, references: false })).toEqual([]);
  });
});

describe('on manifests, for the documented API', () => {
  /** The documented shape: the key of the pack in its ConfigMap, namespaces in references. */
  function documentedObjects(tools: { [prompt: string]: string[] }, handlers: any[]): any[] {
    return [
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'support-pack', namespace: 'packs' }, data: { 'support.json': pack(tools) } },
      {
        apiVersion: API, kind: 'PromptPack', metadata: { name: 'support-prompts', namespace: 'packs' },
        spec: { packName: 'support', version: '1.0.0', source: { type: 'configmap', configMapRef: { name: 'support-pack', key: 'support.json' } } },
      },
      { apiVersion: API, kind: 'ToolRegistry', metadata: { name: 'tools', namespace: 'shared' }, spec: { handlers } },
      {
        apiVersion: API, kind: 'AgentRuntime', metadata: { name: 'support', namespace: NS },
        spec: {
          provider: { name: 'openai', model: 'gpt-4o', apiKeySecretRef: { name: 'openai', key: 'api-key' } },
          promptPackRef: { name: 'support-prompts', namespace: 'packs' }, toolRegistryRef: { name: 'tools', namespace: 'shared' },
        },
      },
    ];
  }

  test('the pack under its key, the registry in its namespace; OpenAPI operations bound its tools', () => {
    const documented = (objects: any[]) => findings(objects, OmniaApiTarget.DOCUMENTED);
    expect(documented(documentedObjects({ support: ['order_lookup'] }, [httpHandler('orders', 'order_lookup')]))).toEqual([]);
    expect(documented(documentedObjects({ support: ['Order_Lookup'] }, [httpHandler('orders', 'order_lookup')]))).toEqual([
      `AgentRuntime ${NS}/support: spec.toolRegistryRef: tool "Order_Lookup" of prompt "support" (PromptPack packs/support-prompts) is not provided by ToolRegistry shared/tools: it provides "order_lookup"; did you mean "order_lookup"?`,
    ]);
    const openapi = { name: 'shop', type: 'openapi', openAPIConfig: { specURL: 'http://shop.svc/openapi.json', operations: ['getOrder'] } };
    expect(documented(documentedObjects({ support: ['getOrder'] }, [openapi]))).toEqual([]);
    expect(documented(documentedObjects({ support: ['listOrders'] }, [openapi]))).toHaveLength(1);
    const unfiltered = { name: 'shop', type: 'openapi', openAPIConfig: { specURL: 'http://shop.svc/openapi.json' } };
    expect(documented(documentedObjects({ support: ['listOrders'] }, [unfiltered]))).toEqual([]);
  });
});

describe('the CLI', () => {
  test('reports the tool at the agent, and exits 1', () => {
    const file = path.join(tmp, 'agent.yaml');
    fs.writeFileSync(file, Yaml.stringify(...releaseObjects({ support: ['order_lookp'] }, [httpHandler('orders', 'order_lookup')])));
    const lines: string[] = [];
    expect(main(['validate', '--target', RELEASE, file], (l) => lines.push(l))).toBe(1);
    expect(lines).toEqual([
      expect.stringContaining(`AgentRuntime ${NS}/support: spec.toolRegistryRef: tool "order_lookp" of prompt "support" (PromptPack ${NS}/support-prompts) is not provided by ToolRegistry ${NS}/tools: it provides "order_lookup"; did you mean "order_lookup"?`),
      '1 finding(s) in 5 object(s)',
    ]);
    expect(lines[0].startsWith(file)).toBe(true);
  });

  test('the pack, the registry and the agent in separate files, a registry that discovers its tools: no finding', () => {
    const [provider, configMap, promptPack, registry, agent] = releaseObjects({ support: ['search_articles'] }, [
      { name: 'kb', type: 'mcp', mcpConfig: { transport: 'sse', endpoint: 'http://kb.tools.svc:8000/sse' } },
    ]);
    const files = [[provider, agent], [configMap, promptPack], [registry]].map((objects, i) => {
      const file = path.join(tmp, `part${i}.yaml`);
      fs.writeFileSync(file, Yaml.stringify(...objects));
      return file;
    });
    const lines: string[] = [];
    expect(main(['validate', '--target', RELEASE, ...files], (l) => lines.push(l))).toBe(0);
    expect(lines).toEqual(['5 object(s), no findings']);
  });
});

describe('at synth', () => {
  function releaseChart(): Chart {
    const app = Testing.app();
    OmniaTarget.use(app, RELEASE);
    return new Chart(app, 'support', { namespace: NS });
  }

  function agentWith(chart: Chart, tools: string[], registry?: ToolRegistry): void {
    const file = path.join(tmp, `pack-${tools.join('-')}.json`);
    fs.writeFileSync(file, pack({ support: tools }));
    new AgentRuntime(chart, 'Agent', {
      metadata: { name: 'support-agent' },
      provider: providerOf(chart, 'Provider', ProviderType.CLAUDE, 'claude-sonnet-4', SecretKey.of(kplus.Secret.fromSecretName(chart, 'Key', 'anthropic'), 'api-key')),
      promptPack: PromptPack.fromFile(chart, 'Prompts', { metadata: { name: 'support-prompts' }, file }),
      toolRegistry: registry,
    });
  }

  const orders = (chart: Chart) => new ToolRegistry(chart, 'Tools', {
    metadata: { name: 'support-tools' },
    handlers: [ToolHandler.http({ name: 'orders', endpoint: 'http://orders.shop.svc:8080/', tool: { name: 'order_lookup', description: 'Finds an order.' } })],
  });

  test('the synth fails naming the agent\'s construct, the prompt, the tool and what the registry provides', () => {
    const chart = releaseChart();
    agentWith(chart, ['order_lookp'], orders(chart));
    expect(() => Testing.synth(chart)).toThrow(
      `support/Agent: AgentRuntime ${NS}/support-agent: spec.toolRegistryRef: tool "order_lookp" of prompt "support" (PromptPack ${NS}/support-prompts) is not provided by ToolRegistry ${NS}/support-tools: it provides "order_lookup"; did you mean "order_lookup"?`,
    );
  });

  test('an agent without a registry, for the documented API too', () => {
    const chart = releaseChart();
    agentWith(chart, ['order_lookup']);
    expect(() => Testing.synth(chart)).toThrow(`support/Agent: AgentRuntime ${NS}/support-agent: spec.toolRegistryRef: tool "order_lookup" of prompt "support" (PromptPack ${NS}/support-prompts) is provided by no ToolRegistry`);
    const app = Testing.app();
    OmniaTarget.use(app, OmniaApiTarget.DOCUMENTED);
    const documented = new Chart(app, 'support', { namespace: NS });
    agentWith(documented, ['order_lookup']);
    expect(() => Testing.synth(documented)).toThrow('tool "order_lookup" of prompt "support"');
  });

  test('provided tools, and tools an MCP server discovers: the synth succeeds', () => {
    const chart = releaseChart();
    agentWith(chart, ['order_lookup'], orders(chart));
    expect(Testing.synth(chart).filter((m) => m.kind === 'AgentRuntime')).toHaveLength(1);
    const discovering = releaseChart();
    agentWith(discovering, ['search_articles'], new ToolRegistry(discovering, 'Tools', { handlers: [ToolHandler.mcp({ name: 'kb', endpoint: 'http://kb.tools.svc:8000/mcp' })] }));
    expect(Testing.synth(discovering).filter((m) => m.kind === 'ToolRegistry')).toHaveLength(1);
  });
});

describe('the nearest name', () => {
  test('edit distance counts inserts, deletes, substitutions and swapped neighbours', () => {
    expect([editDistance('order_lookp', 'order_lookup'), editDistance('serach', 'search'), editDistance('abc', 'xyz'), editDistance('', 'ab')]).toEqual([1, 1, 3, 2]);
  });

  test('a guess only when the name is close to a candidate, the closest one, ignoring case', () => {
    expect(closestName('order_lookp', ['search', 'order_lookup', 'order_status'])).toBe('order_lookup');
    expect(closestName('ORDER_LOOKUP', ['order_lookup'])).toBe('order_lookup');
    expect(closestName('refund', ['order_lookup', 'search'])).toBeUndefined();
    expect(closestName('ab', ['cd'])).toBeUndefined();
    expect(closestName('x', [])).toBeUndefined();
  });
});
