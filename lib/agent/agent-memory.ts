import { IConstruct } from 'constructs';
import { invalidProp } from '../core/errors';

/** How memories are found for a turn. */
export enum MemoryRetrievalStrategy {
  /** Keyword match. */
  KEYWORD = 'keyword',
  /** Embedding similarity (the Workspace's memory service needs an embedding provider). */
  SEMANTIC = 'semantic',
  /** Keyword and similarity together. */
  COMPOSITE = 'composite',
}

/** How memories are injected into the prompt each turn (ambient retrieval). */
export interface MemoryRetrievalOptions {
  /**
   * Whether relevant memories are injected each turn; false keeps the memory tools without it.
   * @default true
   */
  readonly enabled?: boolean;
  /**
   * How memories are found.
   * @default - the runtime's default
   */
  readonly strategy?: MemoryRetrievalStrategy;
  /**
   * Most memories injected per turn, 1 to 50.
   * @default - the runtime's default
   */
  readonly limit?: number;
  /**
   * A CEL expression over `metadata` (the retrieved item's metadata map); items for which it is true are
   * dropped, e.g. `metadata.url.contains("restricted")`.
   * @default - no filter
   */
  readonly denyCel?: string;
}

/**
 * Cross-session memory of an agent (the release's `spec.memory`). The agent only turns memory on and says
 * how it is used; what is kept, for how long and by whom is the MemoryPolicy of the Workspace service group
 * the agent runs in (its memory service), and the agent's namespace needs a Workspace for memory to work.
 */
export interface AgentMemory {
  /**
   * Whether memory is on.
   * @default true
   */
  readonly enabled?: boolean;
  /**
   * Ambient retrieval.
   * @default - on, with the runtime's strategy and limit
   */
  readonly retrieval?: MemoryRetrievalOptions;
  /**
   * Whether the LLM gets the memory tools (`memory__remember`, `memory__recall`); false gives read-only
   * ambient retrieval.
   * @default true
   */
  readonly toolsEnabled?: boolean;
}

/** Checks `memory`. */
export function checkMemory(scope: IConstruct, memory: AgentMemory | undefined): void {
  if (memory === undefined || memory === null) return;
  const r = memory.retrieval;
  if (!r) return;
  if (r.limit !== undefined && (!Number.isInteger(r.limit) || r.limit < 1 || r.limit > 50)) {
    throw invalidProp(scope, 'memory.retrieval.limit', `must be a whole number from 1 to 50, got ${JSON.stringify(r.limit)}`);
  }
  if (r.denyCel !== undefined && (typeof r.denyCel !== 'string' || r.denyCel.trim() === '')) {
    throw invalidProp(scope, 'memory.retrieval.denyCel', 'must be a non-empty CEL expression (leave it out for no filter)');
  }
}

/** The release's `spec.memory`. */
export function renderMemory(memory: AgentMemory | undefined): any {
  if (!memory) return undefined;
  const r = memory.retrieval;
  return {
    enabled: memory.enabled ?? true,
    retrieval: r && {
      enabled: r.enabled ?? true,
      strategy: r.strategy,
      limit: r.limit,
      accessFilter: r.denyCel === undefined ? undefined : { denyCEL: r.denyCel },
    },
    tools: memory.toolsEnabled === undefined ? undefined : { enabled: memory.toolsEnabled },
  };
}
