import { OmniaApiTarget } from '../api';
import type { IndexedObject } from './references';

// A prompt's `tools` is the list of tools the model may call; the runtime executes each through the handler
// of the agent's ToolRegistry that provides it. A name no handler provides is accepted by every schema and
// the operator, and fails only when the model calls it: these checks find it before.

// Namespaces of the tools the prompt runtime provides itself (memory, workflow, skills, other agents, media):
// `memory__recall` needs no ToolRegistry.
const RUNTIME_NAMESPACES = new Set(['a2a', 'mcp', 'workflow', 'memory', 'skill', 'image', 'video']);

/** What the handlers of a registry can provide. */
interface RegistryTools {
  /** Each tool a handler declares, or that a filtered discovering handler may expose, with its handlers. */
  readonly named: Map<string, string[]>;
  /** Handlers that discover their tools at run time without a list of names, and the names they exclude. */
  readonly open: Array<{ readonly handler: string; readonly type: string; readonly excluded: string[] }>;
}

/** The objects and fields one pairing of a pack and a registry comes from, as an agent refers to them. */
export interface AgentTools {
  /** The agent's PromptPack and its namespace, if found among the objects. */
  readonly pack?: { readonly object: IndexedObject; readonly namespace: string; readonly name: string };
  /** The agent's ToolRegistry; undefined when the agent names none. */
  readonly registry?: { readonly object?: IndexedObject; readonly namespace: string; readonly name: string };
  /** The field a finding is reported at. */
  readonly path: string;
}

/**
 * Findings for the tools the prompts of an agent's pack name and its ToolRegistry does not provide.
 * `configMap` finds a ConfigMap of the pack's namespace.
 */
export function promptToolFindings(
  agent: AgentTools, target: OmniaApiTarget,
  configMap: (namespace: string, name: string) => IndexedObject | undefined,
  report: (path: string, message: string) => void,
): void {
  if (!agent.pack) return;
  const tools = packTools(agent.pack.object.spec(), agent.pack.namespace, target, configMap);
  if (!tools.size) return;
  const packLabel = `PromptPack ${agent.pack.namespace}/${agent.pack.name}`;
  const named = (tool: string, prompts: string[]) =>
    `tool ${JSON.stringify(tool)} of ${prompts.length > 1 ? 'prompts' : 'prompt'} ${prompts.map((p) => JSON.stringify(p)).join(', ')} (${packLabel})`;

  if (!agent.registry) {
    for (const [tool, prompts] of tools) {
      report(agent.path, `${named(tool, prompts)} is provided by no ToolRegistry: the agent has none; give it a ToolRegistry with a handler for the tool`);
    }
    return;
  }
  // A registry outside the objects (external, or missing and reported as such): its tools are unknown.
  if (!agent.registry.object) return;
  const registry = registryTools(agent.registry.object.spec(), target);
  const registryLabel = `ToolRegistry ${agent.registry.namespace}/${agent.registry.name}`;
  for (const [tool, prompts] of tools) {
    if (registry.named.has(tool) || registry.open.some((h) => !h.excluded.includes(tool))) continue;
    const provides = registry.named.size ? `it provides ${[...registry.named.keys()].map((t) => JSON.stringify(t)).join(', ')}` : 'it provides no tools';
    const excluding = registry.open.map((h) => `; handler ${JSON.stringify(h.handler)} (${h.type}) discovers its tools at run time but excludes ${JSON.stringify(tool)}`).join('');
    const close = closestName(tool, [...registry.named.keys()]);
    report(agent.path, `${named(tool, prompts)} is not provided by ${registryLabel}: ${provides}${excluding}${close ? `; did you mean ${JSON.stringify(close)}?` : ''}`);
  }
}

/** Each tool the prompts of a pack name (the runtime's own left out), with the prompts naming it. */
function packTools(
  spec: any, namespace: string, target: OmniaApiTarget, configMap: (namespace: string, name: string) => IndexedObject | undefined,
): Map<string, string[]> {
  const tools = new Map<string, string[]>();
  const ref = spec?.source?.configMapRef;
  if (typeof ref?.name !== 'string') return tools;
  // The release mounts the ConfigMap and reads pack.json; the documented API names the key.
  const key = target === OmniaApiTarget.DOCUMENTED && typeof ref.key === 'string' ? ref.key : 'pack.json';
  const text = configMap(namespace, ref.name)?.text(key);
  if (text === undefined) return tools;
  let pack: any;
  try {
    pack = JSON.parse(text);
  } catch {
    return tools; // The PromptPack's own check reports it.
  }
  for (const [id, prompt] of Object.entries(isObject(pack?.prompts) ? pack.prompts : {})) {
    for (const tool of stringsOf((prompt as any)?.tools)) {
      if (RUNTIME_NAMESPACES.has(tool.split('__')[0]) && tool.includes('__')) continue;
      const prompts = tools.get(tool) ?? [];
      if (!prompts.includes(id)) tools.set(tool, [...prompts, id]);
    }
  }
  return tools;
}

/**
 * The tools of a registry's handlers, as the runtime registers them: http, grpc and client handlers provide
 * their `tool`; mcp and openapi handlers discover theirs at run time, so nothing can be said of them unless a
 * list bounds them (for the release, an MCP `toolFilter.allowlist`; an OpenAPI operation filter) or an MCP
 * blocklist excludes a name. A declared `tool` of an mcp handler is not what it serves: the server's are.
 */
function registryTools(spec: any, target: OmniaApiTarget): RegistryTools {
  const named = new Map<string, string[]>();
  const open: RegistryTools['open'] = [];
  const add = (tool: string, handler: string) => named.set(tool, [...named.get(tool) ?? [], handler]);
  const release = target !== OmniaApiTarget.DOCUMENTED;
  for (const h of Array.isArray(spec?.handlers) ? spec.handlers : []) {
    const handler = typeof h?.name === 'string' ? h.name : '?';
    switch (h?.type) {
      case 'http':
      case 'grpc':
      case 'client':
        if (typeof h.tool?.name === 'string') add(h.tool.name, handler);
        break;
      case 'mcp': {
        const filter = release ? h.mcpConfig?.toolFilter : undefined;
        const allow = stringsOf(filter?.allowlist);
        // The release applies the allowlist alone when it has names, else the blocklist.
        if (allow.length) allow.forEach((t) => add(t, handler));
        else open.push({ handler, type: 'mcp', excluded: stringsOf(filter?.blocklist) });
        break;
      }
      case 'openapi': {
        const operations = stringsOf(release ? h.openAPIConfig?.operationFilter : h.openAPIConfig?.operations);
        if (operations.length) operations.forEach((t) => add(t, handler));
        else open.push({ handler, type: 'openapi', excluded: [] });
        break;
      }
      default:
        // A type the schema refuses: its findings say so; this check cannot know what it would provide.
        open.push({ handler, type: String(h?.type), excluded: [] });
    }
  }
  return { named, open };
}

/** The candidate closest to `name` by edit distance, if close enough to be a slip of the keyboard. */
export function closestName(name: string, candidates: string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const c of [...candidates].sort()) {
    const d = editDistance(name.toLowerCase(), c.toLowerCase());
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  return best !== undefined && bestDistance <= Math.max(1, Math.floor(name.length / 3)) ? best : undefined;
}

/** Edits (insert, delete, substitute, swap two neighbours) that turn `a` into `b`. */
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...new Array(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}

const isObject = (v: unknown): v is { [key: string]: any } => v !== null && typeof v === 'object' && !Array.isArray(v);
const stringsOf = (v: unknown): string[] => (Array.isArray(v) ? v.filter((s): s is string => typeof s === 'string') : []);
