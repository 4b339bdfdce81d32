import { Duration } from 'cdk8s';
import { IConstruct } from 'constructs';
import { goDuration } from '../core/duration';
import { invalidProp } from '../core/errors';
import { PodOverrides, renderPodOverrides } from './pod-overrides';

/**
 * Realtime evals of an agent's sessions (the release's `spec.evals`; the evals are those of its PromptPack).
 * A PromptKit agent runs them itself; for another framework the operator runs an eval worker per service
 * group of the namespace.
 */
export interface AgentEvals {
  /**
   * Whether evals run.
   * @default true
   */
  readonly enabled?: boolean;
  /**
   * Eval groups run inside the runtime, next to the conversation (cheap, deterministic checks).
   * @default - the runtime's default (`fast-running`)
   */
  readonly inlineGroups?: string[];
  /**
   * Eval groups run out of band by the eval worker (LLM judges, external checks).
   * @default - the worker's default (`long-running`, `external`)
   */
  readonly workerGroups?: string[];
  /**
   * Percentage of sessions evaluated, 0 to 100.
   * @default 100
   */
  readonly samplingRate?: number;
  /**
   * Percentage of sessions evaluated by extended (model-powered) evals, 0 to 100.
   * @default 10
   */
  readonly extendedSamplingRate?: number;
  /**
   * Most evals run per second, at least 1.
   * @default 50
   */
  readonly maxEvalsPerSecond?: number;
  /**
   * Most LLM judge calls at once, at least 1.
   * @default 5
   */
  readonly maxConcurrentJudgeCalls?: number;
  /**
   * Quiet time after the last message at which a session counts as complete (for session-end evals).
   * @default Duration.minutes(5)
   */
  readonly sessionInactivityTimeout?: Duration;
  /**
   * What the pod of the eval worker gets besides the operator's settings (its ServiceAccount, labels,
   * placement, env, volumes), as `AgentRuntimeProps.podOverrides` is for the agent's pod.
   * @default - none
   */
  readonly podOverrides?: PodOverrides;
}

/** Checks `evals`. */
export function checkEvals(scope: IConstruct, evals: AgentEvals | undefined, namespace: string | undefined): void {
  if (evals === undefined || evals === null) return;
  renderPodOverrides(scope, 'evals.podOverrides', evals.podOverrides, namespace);
  for (const field of ['inlineGroups', 'workerGroups'] as const) {
    const groups = evals[field];
    if (groups === undefined) continue;
    // The runtime takes an empty list for its default: turning evals off is `enabled: false`.
    if (!Array.isArray(groups) || groups.length === 0) throw invalidProp(scope, `evals.${field}`, 'must list at least one group (leave it out for the default groups; enabled: false turns evals off)');
    groups.forEach((g, i) => {
      if (typeof g !== 'string' || g.trim() === '') throw invalidProp(scope, `evals.${field}[${i}]`, `must be a group name, got ${JSON.stringify(g)}`);
    });
    if (new Set(groups).size !== groups.length) throw invalidProp(scope, `evals.${field}`, 'lists a group twice');
  }
  for (const field of ['samplingRate', 'extendedSamplingRate'] as const) {
    const v = evals[field];
    if (v !== undefined && (!Number.isInteger(v) || v < 0 || v > 100)) throw invalidProp(scope, `evals.${field}`, `must be a whole percentage from 0 to 100, got ${JSON.stringify(v)}`);
  }
  for (const field of ['maxEvalsPerSecond', 'maxConcurrentJudgeCalls'] as const) {
    const v = evals[field];
    if (v !== undefined && (!Number.isInteger(v) || v < 1 || v > 2147483647)) throw invalidProp(scope, `evals.${field}`, `must be a whole number of at least 1, got ${JSON.stringify(v)}`);
  }
  if (evals.sessionInactivityTimeout !== undefined) {
    try {
      goDuration(evals.sessionInactivityTimeout);
    } catch (e) {
      throw invalidProp(scope, 'evals.sessionInactivityTimeout', (e as Error).message);
    }
  }
}

/** The release's `spec.evals`, defaults written out (the CRD's own). */
export function renderEvals(scope: IConstruct, evals: AgentEvals | undefined, namespace: string | undefined): any {
  if (!evals) return undefined;
  return {
    podOverrides: renderPodOverrides(scope, 'evals.podOverrides', evals.podOverrides, namespace),
    enabled: evals.enabled ?? true,
    inline: evals.inlineGroups && { groups: [...evals.inlineGroups] },
    worker: evals.workerGroups && { groups: [...evals.workerGroups] },
    sampling: { defaultRate: evals.samplingRate ?? 100, extendedRate: evals.extendedSamplingRate ?? 10 },
    rateLimit: { maxEvalsPerSecond: evals.maxEvalsPerSecond ?? 50, maxConcurrentJudgeCalls: evals.maxConcurrentJudgeCalls ?? 5 },
    sessionCompletion: { inactivityTimeout: goDuration(evals.sessionInactivityTimeout ?? Duration.minutes(5)) },
  };
}
