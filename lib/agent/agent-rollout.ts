import { Duration } from 'cdk8s';
import { IConstruct } from 'constructs';
import { goDuration } from '../core/duration';
import { invalidProp, objectLabel } from '../core/errors';
import { checkArguments } from '../core/jsii-types';
import { refTo } from '../core/references';
import { IPromptPack, PromptPack } from '../prompts/prompt-pack';
import { RolloutAnalysis } from '../release/kinds';
import { IToolRegistry } from '../tools/tool-registry';
import { AdditionalProvider, checkAdditionalProviders, renderProviderList } from './agent-providers';
import { IProvider } from './provider';

/** Options of an analysis step. */
export interface AnalysisStepOptions {
  /**
   * Arguments passed to the analysis template, by name; they win over the template's own values.
   * @default - the template's own
   */
  readonly args?: { [name: string]: string };
}

/** One step of an agent's rollout: a traffic weight, a pause, or an analysis that must pass. */
export class RolloutStep {
  /**
   * Sends `percent` of the traffic to the candidate.
   * @param percent whole percentage, 0 to 100
   */
  public static weight(percent: number): RolloutStep {
    checkArguments('RolloutStep.weight', 'cdk8s-omnia.RolloutStep', 'weight', [percent]);
    const problems = Number.isInteger(percent) && percent >= 0 && percent <= 100 ? [] : [`setWeight must be a whole percentage from 0 to 100, got ${JSON.stringify(percent)}`];
    return new RolloutStep({ setWeight: percent }, problems);
  }

  /**
   * Holds the rollout for `duration`, or until it is promoted by hand when no duration is given.
   * @param duration how long to hold; none: until promoted by hand
   */
  public static pause(duration?: Duration): RolloutStep {
    checkArguments('RolloutStep.pause', 'cdk8s-omnia.RolloutStep', 'pause', [duration]);
    if (duration === undefined || duration === null) return new RolloutStep({ pause: {} });
    try {
      return new RolloutStep({ pause: { duration: goDuration(duration) } });
    } catch (e) {
      return new RolloutStep({ pause: {} }, [`pause: ${(e as Error).message}`]);
    }
  }

  /**
   * Runs a RolloutAnalysis of this app (`release.RolloutAnalysis`, an enterprise kind, in the agent's
   * namespace); the rollout goes on only if it passes.
   */
  public static analysis(analysis: RolloutAnalysis, options: AnalysisStepOptions = {}): RolloutStep {
    checkArguments('RolloutStep.analysis', 'cdk8s-omnia.RolloutStep', 'analysis', [analysis, options]);
    return RolloutStep.makeAnalysis(analysis?.name, options ?? {}, analysis);
  }

  /** Runs the RolloutAnalysis named `templateName`, outside this app, in the agent's namespace. */
  public static analysisNamed(templateName: string, options: AnalysisStepOptions = {}): RolloutStep {
    checkArguments('RolloutStep.analysisNamed', 'cdk8s-omnia.RolloutStep', 'analysisNamed', [templateName, options]);
    return RolloutStep.makeAnalysis(templateName, options ?? {});
  }

  private static makeAnalysis(name: string, options: AnalysisStepOptions, object?: RolloutAnalysis): RolloutStep {
    const problems: string[] = [];
    if (typeof name !== 'string' || name === '') problems.push('analysis needs the name of a RolloutAnalysis');
    const args = Object.entries(options.args ?? {});
    for (const [argName, value] of args) {
      if (argName === '') problems.push('analysis args: an argument name is empty');
      if (typeof value !== 'string') problems.push(`analysis args: ${argName} must be a string, got ${JSON.stringify(value)}`);
    }
    return new RolloutStep({
      analysis: { templateName: name, args: args.length ? args.map(([n, value]) => ({ name: n, value })) : undefined },
    }, problems, object);
  }

  private constructor(
    /** @internal */
    public readonly _spec: any,
    /** @internal */
    public readonly _problems: string[] = [],
    /** @internal */
    public readonly _analysis?: RolloutAnalysis,
  ) {}
}

/** Options of mesh routing. */
export interface MeshTrafficOptions {
  /**
   * Hosts the operator's VirtualService matches.
   * @default - the agent's own Service
   */
  readonly hosts?: string[];
  /**
   * DestinationRule subset of the stable version.
   * @default 'stable'
   */
  readonly stableSubset?: string;
  /**
   * DestinationRule subset of the candidate.
   * @default 'canary'
   */
  readonly candidateSubset?: string;
  /**
   * Istio ambient waypoint that splits the traffic (the agent's Service is enrolled in it).
   * @default - none
   */
  readonly waypoint?: string;
}

/** Options of routing through an Istio VirtualService and DestinationRule of your own. */
export interface IstioTrafficOptions {
  /** Name of the VirtualService whose weights the operator sets. */
  readonly virtualService: string;
  /** Names of the HTTP routes of the VirtualService to set. */
  readonly routes: string[];
  /** Name of the DestinationRule with the two subsets. */
  readonly destinationRule: string;
  /**
   * Subset of the stable version.
   * @default 'stable'
   */
  readonly stableSubset?: string;
  /**
   * Subset of the candidate.
   * @default 'canary'
   */
  readonly candidateSubset?: string;
}

/** How a rollout's weight reaches the traffic. */
export class TrafficRouting {
  /**
   * Istio routing objects the operator owns; without a mesh the operator falls back to replica weighting.
   */
  public static mesh(options: MeshTrafficOptions = {}): TrafficRouting {
    checkArguments('TrafficRouting.mesh', 'cdk8s-omnia.TrafficRouting', 'mesh', [options]);
    options = options ?? {}; // null: options left out
    const mesh = {
      hosts: options.hosts && [...options.hosts],
      stableSubset: options.stableSubset ?? 'stable',
      candidateSubset: options.candidateSubset ?? 'canary',
      waypoint: options.waypoint,
    };
    const problems = subsetProblems(mesh.stableSubset, mesh.candidateSubset);
    (mesh.hosts ?? []).forEach((h, i) => { if (typeof h !== 'string' || h === '') problems.push(`hosts[${i}] must not be empty`); });
    if (mesh.waypoint !== undefined && mesh.waypoint === '') problems.push('waypoint must not be empty (leave it out for none)');
    return new TrafficRouting({ mode: 'mesh', mesh }, problems);
  }

  /** The weight is approximated by the ratio of stable and candidate pods. */
  public static replicaWeighted(): TrafficRouting {
    return new TrafficRouting({ mode: 'replicaWeighted' });
  }

  /** Weights patched into a VirtualService and DestinationRule of your own, which must exist. */
  public static istio(options: IstioTrafficOptions): TrafficRouting {
    checkArguments('TrafficRouting.istio', 'cdk8s-omnia.TrafficRouting', 'istio', [options]);
    const stableSubset = options?.stableSubset ?? 'stable';
    const candidateSubset = options?.candidateSubset ?? 'canary';
    const problems = subsetProblems(stableSubset, candidateSubset);
    if (!options?.virtualService) problems.push('virtualService needs a name');
    if (!options?.destinationRule) problems.push('destinationRule needs a name');
    const routes = options?.routes ?? [];
    if (routes.length === 0) problems.push('routes must name at least one route of the VirtualService');
    routes.forEach((r, i) => { if (typeof r !== 'string' || r === '') problems.push(`routes[${i}] must not be empty`); });
    return new TrafficRouting({
      mode: 'external',
      istio: {
        virtualService: { name: options?.virtualService, routes: [...routes] },
        destinationRule: { name: options?.destinationRule, stableSubset, candidateSubset },
      },
    }, problems);
  }

  private constructor(
    /** @internal */
    public readonly _spec: any,
    /** @internal */
    public readonly _problems: string[] = [],
  ) {}

  /** How the operator delivers the weight, as the CRD spells it (`mesh`, `replicaWeighted`, `external`). */
  public get mode(): string {
    return this._spec.mode;
  }
}

function subsetProblems(stable: string, candidate: string): string[] {
  const problems: string[] = [];
  if (!stable) problems.push('stableSubset must not be empty');
  if (!candidate) problems.push('candidateSubset must not be empty');
  if (stable && stable === candidate) problems.push(`stableSubset and candidateSubset are both ${JSON.stringify(stable)}`);
  return problems;
}

/** How a failed rollout is rolled back. */
export enum RollbackMode {
  /** When an analysis fails or the candidate is unhealthy. */
  AUTOMATIC = 'automatic',
  /** By hand. */
  MANUAL = 'manual',
  /** Never. */
  DISABLED = 'disabled',
}

/**
 * What the candidate changes; what it leaves out is the stable version's. A candidate identical to the
 * stable version leaves the rollout idle.
 */
export interface RolloutCandidate {
  /**
   * PromptPack of the candidate, in the agent's namespace (a new prompt is a new PromptPack name).
   * @default - the agent's
   */
  readonly promptPack?: IPromptPack;
  /**
   * Version of the candidate's PromptPack to pin (`spec.rollout.candidate.promptPackRef.version`).
   * @default - none pinned
   */
  readonly promptPackVersion?: string;
  /**
   * Primary llm provider of the candidate; with it or `additionalProviders` the candidate's provider list
   * replaces the agent's whole list.
   * @default - the agent's
   */
  readonly provider?: IProvider;
  /**
   * Additional providers of the candidate.
   * @default - the agent's
   */
  readonly additionalProviders?: AdditionalProvider[];
  /**
   * ToolRegistry of the candidate.
   * @default - the agent's
   */
  readonly toolRegistry?: IToolRegistry;
}

/**
 * A progressive rollout of the agent (the release's `spec.rollout`): the operator runs the candidate next
 * to the stable version and moves traffic to it step by step, then promotes it.
 */
export interface AgentRollout {
  /** The steps, in order (at least one). */
  readonly steps: RolloutStep[];
  /**
   * What the candidate changes.
   * @default - no candidate: the rollout is idle
   */
  readonly candidate?: RolloutCandidate;
  /**
   * HTTP header whose value pins a user to one version (consistent hashing), e.g. `x-user-id`.
   * @default - no stickiness
   */
  readonly stickySessionHeader?: string;
  /**
   * How a failed rollout is rolled back.
   * @default RollbackMode.MANUAL
   */
  readonly rollback?: RollbackMode;
  /**
   * Time after a rollback before another rollout may start.
   * @default Duration.minutes(5)
   */
  readonly rollbackCooldown?: Duration;
  /**
   * How the weight reaches the traffic.
   * @default - the operator's choice: mesh routing when a mesh is there, else replica weighting
   */
  readonly trafficRouting?: TrafficRouting;
}

// An HTTP header name (RFC 9110 token).
const HEADER = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/** What the agent rendering a rollout tells about itself. */
export interface RolloutAgent {
  readonly namespace?: string;
  readonly provider: IProvider;
  readonly additionalProviders?: AdditionalProvider[];
}

/** Checks `rollout`. */
export function checkRollout(scope: IConstruct, rollout: AgentRollout | undefined, agentNamespace: string | undefined): void {
  if (rollout === undefined || rollout === null) return;
  if (!Array.isArray(rollout.steps) || rollout.steps.length === 0) throw invalidProp(scope, 'rollout.steps', 'needs at least one step');
  rollout.steps.forEach((step, i) => {
    if (!(step instanceof RolloutStep)) throw invalidProp(scope, `rollout.steps[${i}]`, 'must be a RolloutStep');
    if (step._problems.length) throw invalidProp(scope, `rollout.steps[${i}]`, step._problems.join('; '));
    const ns = step._analysis?.metadata.namespace;
    if (step._analysis && (ns ?? 'default') !== (agentNamespace ?? 'default')) {
      throw invalidProp(scope, `rollout.steps[${i}]`, `${objectLabel({ kind: 'RolloutAnalysis', name: step._analysis.name, namespace: ns })} is in another namespace: the operator runs the analysis of the agent's namespace (${agentNamespace ?? 'default'})`);
    }
  });
  if (rollout.stickySessionHeader !== undefined && (typeof rollout.stickySessionHeader !== 'string' || !HEADER.test(rollout.stickySessionHeader))) {
    throw invalidProp(scope, 'rollout.stickySessionHeader', `must be an HTTP header name, got ${JSON.stringify(rollout.stickySessionHeader)}`);
  }
  if (rollout.rollbackCooldown !== undefined) {
    try {
      goDuration(rollout.rollbackCooldown);
    } catch (e) {
      throw invalidProp(scope, 'rollout.rollbackCooldown', (e as Error).message);
    }
  }
  if (rollout.trafficRouting?._problems.length) throw invalidProp(scope, 'rollout.trafficRouting', rollout.trafficRouting._problems.join('; '));
  const candidate = rollout.candidate;
  if (!candidate) return;
  if (candidate.promptPack) {
    const pack = refTo(candidate.promptPack, agentNamespace);
    if (pack.namespace) throw invalidProp(scope, 'rollout.candidate.promptPack', `a PromptPack in another namespace (${pack.namespace}): the release looks in the agent's own`);
  }
  checkPinnedVersion(scope, 'rollout.candidate.promptPackVersion', candidate.promptPackVersion, candidate.promptPack);
  if (candidate.promptPackVersion !== undefined && !candidate.promptPack) {
    throw invalidProp(scope, 'rollout.candidate.promptPackVersion', 'pins the version of the candidate\'s promptPack: give the promptPack too');
  }
  checkAdditionalProviders(scope, 'rollout.candidate.additionalProviders', candidate.additionalProviders);
}

/** A pinned PromptPack version must be non-empty, and that of the pack when the pack is one of this app's. */
export function checkPinnedVersion(scope: IConstruct, field: string, version: string | undefined, pack: IPromptPack | undefined): void {
  if (version === undefined || version === null) return;
  if (typeof version !== 'string' || version.trim() === '') throw invalidProp(scope, field, 'must not be empty (leave it out to pin no version)');
  // The operator follows a pinned pack's changes only while its version is the pinned one.
  if (pack instanceof PromptPack && pack.version !== version) {
    throw invalidProp(scope, field, `${JSON.stringify(version)} is not the version of ${objectLabel({ kind: 'PromptPack', name: pack.name, namespace: pack.namespace })} (${JSON.stringify(pack.version)})`);
  }
}

/** The release's `spec.rollout`, defaults written out. */
export function renderRollout(rollout: AgentRollout | undefined, agent: RolloutAgent): any {
  if (!rollout) return undefined;
  const c = rollout.candidate;
  const providersChanged = c?.provider !== undefined || c?.additionalProviders !== undefined;
  return {
    candidate: c && {
      promptPackRef: c.promptPack && { name: c.promptPack.name, version: c.promptPackVersion },
      providerRefs: providersChanged
        ? renderProviderList(c.provider ?? agent.provider, c.additionalProviders ?? agent.additionalProviders, agent.namespace)
        : undefined,
      toolRegistryRef: c.toolRegistry && refTo(c.toolRegistry, agent.namespace),
    },
    steps: rollout.steps.map((s) => JSON.parse(JSON.stringify(s._spec))),
    stickySession: rollout.stickySessionHeader === undefined ? undefined : { hashOn: rollout.stickySessionHeader },
    rollback: { mode: rollout.rollback ?? RollbackMode.MANUAL, cooldown: goDuration(rollout.rollbackCooldown ?? Duration.minutes(5)) },
    trafficRouting: rollout.trafficRouting && JSON.parse(JSON.stringify(rollout.trafficRouting._spec)),
  };
}

/** The Providers a rollout's candidate adds to the agent's. */
export function candidateProviders(rollout: AgentRollout | undefined): IProvider[] {
  const c = rollout?.candidate;
  if (!c) return [];
  return [...(c.provider ? [c.provider] : []), ...(c.additionalProviders ?? []).map((e) => e.provider)];
}

/** The analysis steps of a rollout, with the app's RolloutAnalysis objects when given. */
export function analysisSteps(rollout: AgentRollout | undefined): Array<{ name: string; object?: RolloutAnalysis }> {
  return (rollout?.steps ?? []).filter((s) => s._spec.analysis).map((s) => ({ name: s._spec.analysis.templateName, object: s._analysis }));
}
