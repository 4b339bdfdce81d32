import { ApiObject, Duration, Lazy, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { OMNIA_API_VERSION, OMNIA_GROUP, OmniaApiTarget } from '../api';
import { addSelfCheck } from '../checks/app-checks';
import { goDuration } from '../core/duration';
import { describeObject, describeResource, invalidProp, objectLabel } from '../core/errors';
import { callSite, checkArguments } from '../core/jsii-types';
import { addStandardLabels, followStandardLabels } from '../core/labels';
import { ExternalReference, IOmniaReference, refTo } from '../core/references';
import { renderResources } from '../core/resources';
import { refusedByTarget, targetFor } from '../core/target';
import { toJson_AgentRuntimeSpecEnvValueFrom } from '../../imports/agentruntime-omnia.altairalabs.ai';
import * as l1 from '../l1';
import { IPromptPack } from '../prompts/prompt-pack';
import { ReleaseObject } from '../targets/release-kinds';
import { IToolRegistry, ToolRegistry } from '../tools/tool-registry';
import { withReferenceNote } from '../validation/references';
import { AgentPlacement, AgentVolumeMount, MountState, renderAgentPod } from './agent-pod';
import { AutoscaleOptions, DisruptionBudgetOptions, NetworkIsolationOptions } from './companion-options';
import { AgentEvals } from './agent-evals';
import { checkAgentFeatures, featureProviders, renderAgentFeatures } from './agent-features';
import { AgentFramework } from './agent-framework';
import { AgentMemory } from './agent-memory';
import { AdditionalProvider, renderProviderList } from './agent-providers';
import { AgentRollout } from './agent-rollout';
import { AgentEgressNeeds, budgetProblem, checkAutoscale, checkBudget, chosen, CompanionChoices, registerCompanionAgent, syncCompanions } from './companions';
import { ALLOW_UNAUTHENTICATED_ENV, ExternalAuth, withOpenFacade } from './external-auth';
import { AgentMode, ConsoleOptions, DuplexOptions, FunctionOutputFormat } from './agent-mode';
import { Facade } from './facade';
import { checkDocumented, checkForRelease as checkFacadesForRelease, listenPorts, primaryFacade, renderFacades, renderModeSpec, resolveFacades } from './facade-rules';
import { PrivacyPolicyRef } from './privacy-policy';
import { renderKeda } from './keda';
import { PodOverrides, renderPodOverrides } from './pod-overrides';
import { IProvider, Provider, ProviderRole } from './provider';
import { Session } from './session';

/** Props of an AgentRuntime. */
export interface AgentRuntimeProps extends kplus.ResourceProps {
  /**
   * The LLM provider: a `Provider` of this app (in any namespace, shared by any number of agents), or one
   * outside it (`Provider.fromProviderName`, release target only).
   *
   * Release: `spec.providers[]` names the Provider object (`providerRef`). Documented API: written inline as
   * `spec.provider` (type, model, API key Secret); a Provider outside the app is refused.
   */
  readonly provider: IProvider;
  /**
   * PromptPack supplying the agent's prompts.
   *
   * Both targets write `spec.promptPackRef`. Release: the name only, and a pack in another namespace is
   * refused (the release looks in the agent's own). Documented API: name, and namespace when it differs.
   */
  readonly promptPack: IPromptPack;
  /**
   * ToolRegistry whose tools the agent may call.
   *
   * Both targets write `spec.toolRegistryRef` (name, and namespace when it differs from the agent's).
   * @default - the agent has no tools
   */
  readonly toolRegistry?: IToolRegistry;
  /**
   * Number of agent pods.
   *
   * Release: `spec.runtime.replicas`. Documented API: `spec.replicas`. Both leave it out when the agent is
   * autoscaled, and an agent with this prop cannot be autoscaled.
   * @default 1
   */
  readonly replicas?: number;
  /**
   * Endpoint clients talk to; the one-facade form of `facades` (give one of the two).
   *
   * Release: `spec.facades[]` (one entry). Documented API: `spec.facade` (websocket only).
   * @default - Facade.websocket() on port 8080 (Facade.rest() in function mode)
   */
  readonly facade?: Facade;
  /**
   * Where conversation state is kept.
   *
   * Release: `spec.context` (type, ttl, and the redis Secret's name as `storeRef`; a URL under a key other
   * than `url` is refused). Documented API: `spec.session` (type, ttl, `storeRef` with name and key).
   * @default Session.memory() with a one hour TTL
   */
  readonly session?: Session;
  /**
   * CPU, memory and ephemeral storage of the agent container.
   *
   * Release: `spec.runtime.resources`. Documented API: `spec.resources`.
   * @default - no requests or limits
   */
  readonly resources?: kplus.ContainerResources;
  /**
   * Extra environment variables of the agent container; more with `addEnv`.
   *
   * Release: `spec.runtime.extraEnv`. Documented API: `spec.env`.
   * @default - none
   */
  readonly env?: { [name: string]: kplus.EnvValue };
  /**
   * How the facade authenticates clients (release target only). The release's facade refuses every client
   * of an agent without it; `ExternalAuth.allowUnauthenticated()` lets every client in (development only).
   *
   * Release: `spec.externalAuth`. Documented API: refused (it has no such field).
   * @default - none: no client is let in
   */
  readonly externalAuth?: ExternalAuth;

  // Facades and modes.
  /**
   * Endpoints clients talk to, at most one of each type: websocket and a2a in agent mode, a rest facade (and
   * an mcp one) in function mode. Release: `spec.facades`. Documented API: refused (it has the `facade` prop).
   * @default - [Facade.websocket()] in agent mode, [Facade.rest()] in function mode
   */
  readonly facades?: Facade[];
  /**
   * How the agent is invoked: conversations, or one-shot function calls with checked JSON input and output.
   * Release: `spec.mode`. Documented API: refused.
   * @default AgentMode.AGENT
   */
  readonly mode?: AgentMode;
  /**
   * JSON Schema the input of a function-mode agent is checked against; required in function mode, refused
   * in agent mode. Release: `spec.inputSchema`. Documented API: refused.
   * @default - none (agent mode)
   */
  readonly inputSchema?: { [key: string]: any };
  /**
   * JSON Schema the answer of a function-mode agent is checked against (a non-conforming answer is a 502);
   * required in function mode, refused in agent mode. Release: `spec.outputSchema`. Documented API: refused.
   * @default - none (agent mode)
   */
  readonly outputSchema?: { [key: string]: any };
  /**
   * How a function-mode agent asks the model to shape its answer. Release: `spec.outputFormat`. Documented
   * API: refused.
   * @default - FunctionOutputFormat.JSON_SCHEMA in function mode (left to the operator)
   */
  readonly outputFormat?: FunctionOutputFormat;
  /**
   * The dashboard's realtime voice console for this agent. Release: `spec.duplex`. Documented API: refused.
   * @default - none: the text console
   */
  readonly duplex?: DuplexOptions;
  /**
   * Attachment settings of the dashboard's console. Release: `spec.console`. Documented API: refused.
   * @default - the dashboard's defaults
   */
  readonly console?: ConsoleOptions;
  /**
   * Directory the runtime resolves the `mock://` media URLs of mock providers in. Release:
   * `spec.media.basePath`. Documented API: refused.
   * @default - the operator's default, /etc/omnia/media
   */
  readonly mediaBasePath?: string;
  /**
   * Service group of the namespace's Workspace (its `spec.services[].name`) whose session and memory APIs
   * the agent uses. Release: `spec.serviceGroup`. Documented API: refused.
   * @default - the operator's default, `default`
   */
  readonly serviceGroup?: string;
  // What the agent uses beyond its pod and facades (lib/agent/agent-*.ts).
  /**
   * Providers besides `provider` (release: `spec.providers[]` after the `default` entry, each with its role
   * and required capabilities). Documented API: refused.
   * @default - none
   */
  readonly additionalProviders?: AdditionalProvider[];
  /**
   * Cross-session memory (release: `spec.memory`; what is kept is the Workspace's MemoryPolicy). Documented
   * API: refused.
   * @default - no memory
   */
  readonly memory?: AgentMemory;
  /**
   * Realtime evals of the agent's sessions (release: `spec.evals`). Documented API: refused.
   * @default - no evals
   */
  readonly evals?: AgentEvals;
  /**
   * Progressive rollout of a candidate (release: `spec.rollout`). Documented API: refused.
   * @default - no rollout
   */
  readonly rollout?: AgentRollout;
  /**
   * Agent framework (release: `spec.framework`). Documented API: refused.
   * @default - PromptKit, the operator's default (nothing written)
   */
  readonly framework?: AgentFramework;
  /**
   * Version of the PromptPack to pin (release: `spec.promptPackRef.version`; for a pack of this app, its
   * version). Documented API: refused.
   * @default - none pinned: the agent follows the pack's current version
   */
  readonly promptPackVersion?: string;
  /**
   * SessionPrivacyPolicy overriding the service group's (release: `spec.privacyPolicyRef`, an enterprise
   * kind). Documented API: refused.
   * @default - the service group's policy
   */
  readonly privacyPolicy?: PrivacyPolicyRef;
  // The agent's pod (issue #22, pod part).
  /**
   * Nodes the agent's pods may run on. Release: `spec.runtime.nodeSelector`, `.tolerations`, `.affinity`.
   * Documented API: refused.
   * @default - any node; the operator spreads more than one replica across zones
   */
  readonly placement?: AgentPlacement;
  /**
   * Volumes mounted into the runtime container (the one that runs the agent's prompts and tools), each volume
   * added to the pod once. Release: `spec.runtime.volumes` and `spec.runtime.volumeMounts`. Documented API: refused.
   * @default - none
   */
  readonly volumeMounts?: AgentVolumeMount[];
  /**
   * Changes to the agent's pod: its ServiceAccount (workload identity), labels, annotations, image pull
   * Secrets, scheduling, and env and volumes of both its containers. Release: `spec.podOverrides`.
   * Documented API: refused.
   * @default - the pod as the operator builds it
   */
  readonly podOverrides?: PodOverrides;
  /**
   * Annotations of the agent's pods (service mesh, log shippers); `podOverrides.annotations` wins on a clash.
   * Release: `spec.extraPodAnnotations`. Documented API: refused.
   * @default - none
   */
  readonly podAnnotations?: { [key: string]: string };
}

/** An AgentRuntime, defined in this app or referred to by name. */
export interface IAgentRuntime extends IOmniaReference {}

/** Where an AgentRuntime outside the app lives. */
export interface AgentRuntimeReferenceOptions {
  /**
   * Its namespace.
   * @default - the namespace of the object that refers to it
   */
  readonly namespace?: string;
}

/** An AI agent run by the Omnia operator as a scalable set of pods behind a network facade. */
export class AgentRuntime extends kplus.Resource implements IAgentRuntime {
  /**
   * Refers to an AgentRuntime that exists outside this app (another team's agent an a2a client calls, or an
   * AgentPolicy governs); nothing is synthesized for it, and the reference checks take it as present.
   */
  public static fromAgentRuntimeName(scope: Construct, id: string, name: string, options: AgentRuntimeReferenceOptions = {}): IAgentRuntime {
    checkArguments(callSite(scope, id, 'AgentRuntime.fromAgentRuntimeName'), 'cdk8s-omnia.AgentRuntime', 'fromAgentRuntimeName', [scope, id, name, options]);
    return new ExternalReference(scope, id, 'AgentRuntime', name, options?.namespace);
  }

  /** @see kplus.Resource */
  public readonly resourceType = 'agentruntimes';
  /** Number of agent pods written to the manifest; left out when an autoscaler owns the count. */
  public readonly replicas: number;
  /** LLM provider. */
  public readonly provider: IProvider;
  /** PromptPack of the agent. */
  public readonly promptPack: IPromptPack;
  /**
   * ToolRegistry of the agent.
   * @default - none
   */
  public readonly toolRegistry?: IToolRegistry;
  /** The primary facade of the agent: its websocket facade, else its rest facade, else its a2a facade. */
  public readonly facade: Facade;
  /** Every facade of the agent. */
  public readonly facades: Facade[];
  /** How the agent is invoked. */
  public readonly mode: AgentMode;
  /** Session store of the agent. */
  public readonly session: Session;
  /**
   * How the facade authenticates clients.
   * @default - none
   */
  public readonly externalAuth?: ExternalAuth;
  protected readonly apiObject: ApiObject;
  private readonly _env = new Map<string, kplus.EnvValue>();
  /** Whether the `replicas` prop was given (then the agent is never autoscaled by a scope-wide choice). */
  public readonly replicasSetByUser: boolean;
  /** @internal */
  public readonly _companionChoices: CompanionChoices = {};
  /** The Omnia API this agent is written for (the app's target). */
  public readonly target: OmniaApiTarget;
  /** The props of lib/agent/agent-features.ts. */
  private readonly features: AgentRuntimeProps;
  /** The release's pod fields, rendered (and so checked) at construct time. */
  private readonly _pod: { runtime: any; extraPodAnnotations?: any; podOverrides?: any };

  public constructor(scope: Construct, id: string, props: AgentRuntimeProps) {
    super(scope, id);
    describeObject(this, () => describeResource(this, 'AgentRuntime', props?.metadata));
    checkArguments(this, 'cdk8s-omnia.AgentRuntime', undefined, [scope, id, props]);
    checkResources(this, props.resources);
    this.replicas = props.replicas ?? 1;
    this.replicasSetByUser = props.replicas !== undefined;
    this.provider = props.provider;
    this.promptPack = props.promptPack;
    this.toolRegistry = props.toolRegistry;
    const facades = resolveFacades(this, props);
    this.facades = facades.facades;
    this.facade = primaryFacade(this.facades) ?? this.facades[0];
    this.mode = props.mode ?? AgentMode.AGENT;
    this.session = props.session ?? Session.memory();
    this.externalAuth = props.externalAuth;

    this.target = targetFor(this);
    if (this.target === OmniaApiTarget.DOCUMENTED) {
      const resources = renderAgentResources(props.resources);
      this.apiObject = new l1.AgentRuntime(this, 'Resource', {
        metadata: props.metadata,
        // One value produced at synth, when every namespace and companion choice is known.
        spec: Lazy.any({ produce: () => this.renderDocumentedSpec(resources) }),
      });
    } else {
      this.apiObject = new ReleaseObject(this, 'Resource', {
        apiVersion: OMNIA_API_VERSION,
        kind: 'AgentRuntime',
        metadata: props.metadata,
        spec: Lazy.any({ produce: () => ({ ...this.renderReleaseSpec(props.resources), ...renderModeSpec(this, props) }) }),
      });
    }
    this.checkProps();
    if (this.target === OmniaApiTarget.DOCUMENTED) checkDocumented(this, props, facades);
    else checkFacadesForRelease(this, props, facades);
    checkAgentFeatures(this, props, this.target, this.namespace);
    this.features = props;
    this._pod = this.renderPod(props);
    if (this.target !== OmniaApiTarget.DOCUMENTED) {
      this.checkForRelease();
      this.grantProviderAccess();
    }
    for (const [name, value] of Object.entries(props.env ?? {})) this.addEnv(name, value);
    addStandardLabels(this, this.metadata, 'agentruntime', this.name);
    addSelfCheck(this, () => {
      const problem = budgetProblem(this);
      return problem ? [problem] : [];
    });
    registerCompanionAgent(this);
  }

  /** Labels the operator puts on this agent's pods: select them with these. */
  public get podSelectorLabels(): { [key: string]: string } {
    return {
      'app.kubernetes.io/name': 'omnia-agent',
      'app.kubernetes.io/instance': this.name,
      'app.kubernetes.io/managed-by': 'omnia-operator',
    };
  }

  /**
   * Scales the agent between `minReplicas` and `maxReplicas`; the replica count is then left out of the
   * manifest, so that applying it again never resets the autoscaler's.
   *
   * Release: writes `spec.runtime.autoscaling` into the AgentRuntime, and the release's operator makes the
   * HorizontalPodAutoscaler. Documented API: adds an autoscaling/v2 HorizontalPodAutoscaler of our own that
   * targets this AgentRuntime through its scale subresource.
   * Wins over a scope's choice (`AgentCompanions.applyTo`), whichever is called first; a second call
   * replaces the first.
   */
  public autoscale(options: AutoscaleOptions): void {
    checkArguments(this, 'cdk8s-omnia.AgentRuntime', 'autoscale', [options]);
    if (this.replicasSetByUser) {
      throw invalidProp(this, 'replicas', 'an autoscaled agent leaves replicas to the autoscaler: drop the replicas prop');
    }
    checkAutoscale(this, options);
    this._companionChoices.autoscale = options;
    syncCompanions(this);
  }

  /**
   * Adds a PodDisruptionBudget over this agent's pods; `maxUnavailable: 1` unless told otherwise. Wins over
   * a scope's choice, whichever is called first.
   *
   * Documented API: a `policy/v1` PodDisruptionBudget. Release: refused, since its operator makes one for
   * every agent with more than one replica.
   */
  public addDisruptionBudget(options: DisruptionBudgetOptions = {}): void {
    checkArguments(this, 'cdk8s-omnia.AgentRuntime', 'addDisruptionBudget', [options]);
    options = options ?? {}; // null: options left out
    checkBudget(this, options);
    const previous = this._companionChoices.disruptionBudget;
    this._companionChoices.disruptionBudget = options;
    // Checked again at synth, when a later choice (autoscaling, say) may change the pod count.
    const problem = budgetProblem(this);
    if (problem) {
      this._companionChoices.disruptionBudget = previous;
      throw invalidProp(this, problem.field, problem.reason);
    }
    syncCompanions(this);
  }

  /**
   * Adds a NetworkPolicy over this agent's pods: ingress only on its facades' ports from `allowFrom`; egress only
   * to DNS, the provider (HTTPS), the redis session store when used, and the in-cluster tools of its
   * ToolRegistry as they are at synth. Wins over a scope's choice, whichever is called first.
   *
   * Both targets: a `networking.k8s.io/v1` NetworkPolicy; for the release its egress also admits the API
   * server, which the release's agent pod reads its Provider from.
   */
  public isolateNetwork(options: NetworkIsolationOptions = {}): void {
    checkArguments(this, 'cdk8s-omnia.AgentRuntime', 'isolateNetwork', [options]);
    this._companionChoices.networkIsolation = options ?? {}; // null: options left out
    syncCompanions(this);
  }

  /**
   * What the reference checks read of the manifest, from the props (without rendering).
   * @internal
   */
  public _referenceView(): any {
    const env = [...this._env].map(([name, value]) => ({ name, value: value.value, valueFrom: value.valueFrom }));
    const meta = { apiVersion: this.apiObject.apiVersion, kind: 'AgentRuntime', metadata: { name: this.name, namespace: this.namespace } };
    const toolRegistryRef = this.toolRegistry && this.refTo(this.toolRegistry);
    if (this.target !== OmniaApiTarget.DOCUMENTED) {
      return {
        ...meta,
        spec: {
          providers: this.renderProviders(),
          promptPackRef: { name: this.promptPack.name },
          toolRegistryRef,
          context: { storeRef: this.session.url && { name: this.session.url.secret.name } },
          externalAuth: this.externalAuth?._render(),
          facades: withOpenFacade(renderFacades(this, this.facades, this.namespace), this.facades.indexOf(this.facade), this.externalAuth),
          ...renderAgentFeatures(this, this.features, this.namespace),
          runtime: { extraEnv: env, volumes: this._pod.runtime.volumes },
          podOverrides: this._pod.podOverrides,
        },
      };
    }
    const provider = this.provider as Provider;
    return {
      ...meta,
      spec: {
        promptPackRef: this.refTo(this.promptPack),
        toolRegistryRef,
        // Findings about the key name the Provider too: the manifest does not.
        provider: { apiKeySecretRef: withReferenceNote(provider._documentedSpec().apiKeySecretRef, `the credential of ${objectLabel({ kind: 'Provider', name: provider.name, namespace: provider.namespace })}`) },
        session: { storeRef: this.session.url?._toRef() },
        env,
      },
    };
  }

  /** @internal */
  public _egressNeeds(): AgentEgressNeeds {
    const namespace = this.namespace ?? 'default';
    const handlers = this.toolRegistry instanceof ToolRegistry ? this.toolRegistry.handlers : [];
    return {
      facadePorts: this.target === OmniaApiTarget.DOCUMENTED ? [this.facade.port ?? 8080] : listenPorts(this.facades),
      redis: this.session.type === 'redis',
      apiServer: this.target !== OmniaApiTarget.DOCUMENTED,
      tools: handlers.flatMap((h) => h._inClusterTargets(namespace)),
    };
  }

  /** Namespace of the AgentRuntime. */
  public get namespace(): string | undefined {
    return this.metadata.namespace;
  }

  /** Adds an environment variable to the agent container. */
  public addEnv(name: string, value: kplus.EnvValue): void {
    checkArguments(this, 'cdk8s-omnia.AgentRuntime', 'addEnv', [name, value]);
    if (!/^[-._a-zA-Z][-._a-zA-Z0-9]*$/.test(name)) throw invalidProp(this, `env.${name}`, 'is not a valid environment variable name');
    if (this._env.has(name)) throw invalidProp(this, `env.${name}`, 'is already set');
    this._env.set(name, value);
  }

  /** What the documented API can say and the release cannot, refused while the props are at hand. */
  private checkForRelease(): void {
    const refuse = (field: string, what: string) => {
      throw invalidProp(this, field, refusedByTarget(this.target, what));
    };
    const pack = this.refTo(this.promptPack);
    if (pack.namespace) refuse('promptPack', `a PromptPack in another namespace (${pack.namespace}; the release looks in the agent's own)`);
    if (this.externalAuth?._problems.length) throw invalidProp(this, 'externalAuth', this.externalAuth._problems.join('; '));
    const opened = this.facades.findIndex((f) => f.options.env && ALLOW_UNAUTHENTICATED_ENV in f.options.env);
    if (opened >= 0) {
      throw invalidProp(this, `facades[${opened}].env.${ALLOW_UNAUTHENTICATED_ENV}`,
        'lets every client in: choose that where it shows, with externalAuth: ExternalAuth.allowUnauthenticated()');
    }
    if (this.session.url && this.session.url.key !== 'url') {
      refuse('session.url', `a redis URL under the Secret key ${JSON.stringify(this.session.url.key)} (the release reads the key "url")`);
    }
  }

  /** The release's pod fields; the documented API has none of them. */
  private renderPod(props: AgentRuntimeProps): { runtime: any; extraPodAnnotations?: any; podOverrides?: any } {
    const given = (['placement', 'volumeMounts', 'podOverrides', 'podAnnotations'] as const).filter((k) => props[k] !== undefined && props[k] !== null);
    if (this.target === OmniaApiTarget.DOCUMENTED) {
      if (given.length) throw invalidProp(this, given[0], refusedByTarget(this.target, 'settings of the agent\'s pod'));
      return { runtime: {} };
    }
    // Both lists share the pod's volumes and the runtime container's paths.
    const state: MountState = { volumes: new Map(), paths: new Set() };
    const pod = renderAgentPod(this, props, state);
    return { ...pod, podOverrides: renderPodOverrides(this, 'podOverrides', props.podOverrides, this.namespace, state) };
  }

  /** The spec of the documented API. */
  private renderDocumentedSpec(resources: l1.AgentRuntimeSpecResources | undefined): l1.AgentRuntimeSpec {
    return {
      // Left out when an autoscaler owns the count, so that applying the manifest never resets it.
      replicas: chosen(this, 'autoscale') ? undefined : this.replicas,
      provider: this.renderDocumentedProvider(),
      promptPackRef: this.refTo(this.promptPack),
      toolRegistryRef: this.toolRegistry && this.refTo(this.toolRegistry),
      facade: { type: this.facade.type as l1.AgentRuntimeSpecFacadeType, port: this.facade.port },
      session: {
        type: this.session.type as l1.AgentRuntimeSpecSessionType,
        ttl: goDuration(this.session.ttl),
        storeRef: this.session.url?._toRef(),
      },
      resources,
      env: this.renderEnv(),
    };
  }

  /** The spec in the release's shape: facades, a Provider object per provider, context and runtime. */
  private renderReleaseSpec(resources: kplus.ContainerResources | undefined): any {
    const autoscale = chosen(this, 'autoscale');
    const env = this.renderEnv();
    return {
      facades: withOpenFacade(renderFacades(this, this.facades, this.namespace), this.facades.indexOf(this.facade), this.externalAuth),
      providers: this.renderProviders(),
      promptPackRef: { name: this.promptPack.name, version: this.features.promptPackVersion },
      toolRegistryRef: this.toolRegistry && this.refTo(this.toolRegistry),
      ...renderAgentFeatures(this, this.features, this.namespace),
      context: { type: this.session.type, ttl: goDuration(this.session.ttl), storeRef: this.session.url && { name: this.session.url.secret.name } },
      externalAuth: this.externalAuth?._render(),
      podOverrides: this._pod.podOverrides,
      extraPodAnnotations: this._pod.extraPodAnnotations,
      runtime: {
        ...this._pod.runtime,
        // Left out when autoscaled, so that applying the manifest never resets the operator's HPA.
        replicas: autoscale ? undefined : this.replicas,
        resources: renderResources(resources),
        extraEnv: env?.map((e) => ({ name: e.name, value: e.value, valueFrom: e.valueFrom && toJson_AgentRuntimeSpecEnvValueFrom(e.valueFrom) })),
        // The release's operator makes the HorizontalPodAutoscaler (or KEDA's ScaledObject) itself.
        autoscaling: autoscale?.keda ? {
          enabled: true,
          type: 'keda',
          minReplicas: autoscale.minReplicas ?? 1,
          maxReplicas: autoscale.maxReplicas,
          keda: renderKeda(this, autoscale.keda),
        } : autoscale && {
          enabled: true,
          type: 'hpa',
          minReplicas: autoscale.minReplicas ?? 1,
          maxReplicas: autoscale.maxReplicas,
          targetCPUUtilizationPercentage: autoscale.cpuTargetUtilization ?? 80,
          targetMemoryUtilizationPercentage: autoscale.memoryTargetUtilization,
          scaleDownStabilizationSeconds: (autoscale.scaleDownStabilization ?? Duration.minutes(5)).toSeconds(),
        },
      },
    };
  }

  private refTo(target: IOmniaReference) {
    return refTo(target, this.namespace);
  }

  /**
   * The release's agent pod reads its Provider and the Provider's Secrets through the API with the
   * ServiceAccount the operator makes (`<agent>-facade`), whose Role covers the agent's namespace only: a
   * Provider in another namespace gets a Role there that lets it read exactly those (for one outside the
   * app, the Secrets `fromProviderName` was told of).
   */
  private grantProviderAccess(): void {
    // The pod's ServiceAccount: the one podOverrides names, else the operator's.
    const account = this._pod.podOverrides?.serviceAccountName ?? `${this.name}-facade`;
    // One Role per namespace, the primary provider's first; a Provider used twice is granted once.
    const byNamespace = new Map<string, Map<string, IProvider>>();
    for (const provider of [this.provider, ...featureProviders(this.features)]) {
      const namespace = refTo(provider, this.namespace).namespace;
      if (!namespace) continue;
      if (!byNamespace.has(namespace)) byNamespace.set(namespace, new Map());
      byNamespace.get(namespace)!.set(provider.name, provider);
    }
    let first = true;
    for (const [namespace, providers] of byNamespace) {
      const scope = new Construct(this, first ? 'ProviderAccess' : `ProviderAccess-${namespace}`);
      first = false;
      const name = `${this.namespace ?? 'default'}-${this.name}-provider`;
      const role = new kplus.Role(scope, 'Role', { metadata: { name, namespace } });
      for (const provider of providers.values()) {
        role.allow(['get'], { apiGroup: OMNIA_GROUP, resourceType: 'providers', resourceName: provider.name });
        for (const secret of Provider._secretNamesOf(provider)) role.allow(['get'], { apiGroup: '', resourceType: 'secrets', resourceName: secret });
      }
      const binding = new kplus.RoleBinding(scope, 'Binding', { metadata: { name, namespace }, role });
      binding.addSubjects(kplus.ServiceAccount.fromServiceAccountName(scope, 'ServiceAccount', account, { namespaceName: this.namespace ?? 'default' }));
      // Labelled as the agent, so that a prune by its part-of label treats them as it does the agent.
      for (const made of [role, binding]) followStandardLabels(this.metadata, made.metadata);
    }
  }

  /** The release's provider list: the agent's Provider as the primary one (`default`), then the additional ones. */
  private renderProviders(): any[] {
    return renderProviderList(this.provider, this.features.additionalProviders, this.namespace);
  }

  /** The documented API's inline provider, from the agent's Provider (which writes no object there). */
  private renderDocumentedProvider(): l1.AgentRuntimeSpecProvider {
    const spec = (this.provider as Provider)._documentedSpec();
    return { name: spec.name as l1.AgentRuntimeSpecProviderName, model: spec.model, apiKeySecretRef: spec.apiKeySecretRef };
  }

  private checkProps(): void {
    if (!Number.isInteger(this.replicas) || this.replicas < 0 || this.replicas > 2147483647) {
      throw invalidProp(this, 'replicas', `must be a whole number >= 0, got ${JSON.stringify(this.replicas)}`);
    }
    if (!this.provider) throw invalidProp(this, 'provider', 'is required');
    if (this.provider instanceof Provider && this.provider.role !== ProviderRole.LLM) {
      throw invalidProp(this, 'provider', `${objectLabel({ kind: 'Provider', name: this.provider.name, namespace: this.provider.namespace })} has role ${this.provider.role}; an agent talks to a provider of role llm`);
    }
    if (this.target === OmniaApiTarget.DOCUMENTED && !(this.provider instanceof Provider)) {
      throw invalidProp(this, 'provider', 'the documented API carries the provider inline: give a Provider of this app (new Provider)');
    }
    if (!this.promptPack) throw invalidProp(this, 'promptPack', 'is required');
    if (this.externalAuth && this.target === OmniaApiTarget.DOCUMENTED) {
      throw invalidProp(this, 'externalAuth', refusedByTarget(this.target, 'authentication of the facade\'s clients'));
    }
    if (this.session.type === 'redis' && !this.session.url) {
      throw invalidProp(this, 'session.url', 'a redis session needs the Secret key holding the redis URL');
    }
    try {
      goDuration(this.session.ttl);
    } catch (e) {
      throw invalidProp(this, 'session.ttl', (e as Error).message);
    }
  }

  private renderEnv(): l1.AgentRuntimeSpecEnv[] | undefined {
    if (this._env.size === 0) return undefined;
    return [...this._env].map(([name, value]) => ({ name, value: value.value, valueFrom: renderEnvSource(value.valueFrom) }));
  }
}

/**
 * `resources` is a cdk8s-plus struct, which this package's jsii assembly does not describe: its fields are
 * checked here, for JavaScript callers (the other props are checked against the assembly).
 */
function checkResources(scope: Construct, resources: unknown): void {
  if (resources === undefined || resources === null) return;
  const isObject = (v: unknown) => v !== null && typeof v === 'object' && !Array.isArray(v);
  if (!isObject(resources)) throw invalidProp(scope, 'resources', 'must be a ContainerResources object');
  for (const [key, limits] of Object.entries(resources as object)) {
    if (!['cpu', 'memory', 'ephemeralStorage'].includes(key)) throw invalidProp(scope, `resources.${key}`, 'is not a resource: use cpu, memory or ephemeralStorage');
    if (limits === undefined || limits === null) continue;
    if (!isObject(limits)) throw invalidProp(scope, `resources.${key}`, 'must be an object of request and limit');
    for (const [bound, quantity] of Object.entries(limits as object)) {
      if (bound !== 'request' && bound !== 'limit') throw invalidProp(scope, `resources.${key}.${bound}`, 'is not a bound: use request or limit');
      const type = key === 'cpu' ? kplus.Cpu : Size;
      if (quantity !== undefined && quantity !== null && !(quantity instanceof type)) {
        throw invalidProp(scope, `resources.${key}.${bound}`, `must be a ${key === 'cpu' ? 'kplus.Cpu' : 'Size'}, not a ${typeof quantity}`);
      }
    }
  }
}

function renderEnvSource(source: any): l1.AgentRuntimeSpecEnvValueFrom | undefined {
  if (!source) return undefined;
  const divisor = source.resourceFieldRef?.divisor?.value;
  return {
    configMapKeyRef: source.configMapKeyRef,
    secretKeyRef: source.secretKeyRef,
    fieldRef: source.fieldRef,
    resourceFieldRef: source.resourceFieldRef && {
      ...source.resourceFieldRef,
      divisor: divisor === undefined ? undefined : typeof divisor === 'number'
        ? l1.AgentRuntimeSpecEnvValueFromResourceFieldRefDivisor.fromNumber(divisor)
        : l1.AgentRuntimeSpecEnvValueFromResourceFieldRefDivisor.fromString(divisor),
    },
  };
}

function renderAgentResources(resources: kplus.ContainerResources | undefined): l1.AgentRuntimeSpecResources | undefined {
  const rendered = renderResources(resources);
  if (!rendered) return undefined;
  const map = <T>(quantities: { [key: string]: string } | undefined, wrap: (q: string) => T) =>
    quantities && Object.fromEntries(Object.entries(quantities).map(([k, q]) => [k, wrap(q)]));
  return {
    requests: map(rendered.requests, l1.AgentRuntimeSpecResourcesRequests.fromString),
    limits: map(rendered.limits, l1.AgentRuntimeSpecResourcesLimits.fromString),
  };
}
