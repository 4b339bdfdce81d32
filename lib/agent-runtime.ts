import { Lazy } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { goDuration } from './duration';
import { invalidProp } from './errors';
import { Facade } from './facade';
import { addStandardLabels } from './labels';
import * as l1 from './l1';
import { OmniaValidation } from './validation/app-validation';
import { IPromptPack } from './prompt-pack';
import { Provider } from './provider';
import { renderResources } from './resources';
import { refTo } from './external-reference';
import { IOmniaReference } from './references';
import { Session } from './session';
import { IToolRegistry } from './tool-registry';

/** Props of an AgentRuntime. */
export interface AgentRuntimeProps extends kplus.ResourceProps {
  /** LLM provider, model and API key. */
  readonly provider: Provider;
  /** PromptPack supplying the agent's prompts. */
  readonly promptPack: IPromptPack;
  /**
   * ToolRegistry whose tools the agent may call.
   * @default - the agent has no tools
   */
  readonly toolRegistry?: IToolRegistry;
  /**
   * Number of agent pods.
   * @default 1
   */
  readonly replicas?: number;
  /**
   * Endpoint clients talk to.
   * @default Facade.websocket() on port 8080
   */
  readonly facade?: Facade;
  /**
   * Where conversation state is kept.
   * @default Session.memory() with a one hour TTL
   */
  readonly session?: Session;
  /**
   * CPU, memory and ephemeral storage of the agent container.
   * @default - no requests or limits
   */
  readonly resources?: kplus.ContainerResources;
  /**
   * Extra environment variables of the agent container; more with `addEnv`.
   * @default - none
   */
  readonly env?: { [name: string]: kplus.EnvValue };
}

/** An AgentRuntime, defined in this app. */
export interface IAgentRuntime extends IOmniaReference {}

/** An AI agent run by the Omnia operator as a scalable set of pods behind a network facade. */
export class AgentRuntime extends kplus.Resource implements IAgentRuntime {
  /** @see kplus.Resource */
  public readonly resourceType = 'agentruntimes';
  /** Number of agent pods. */
  public readonly replicas: number;
  /** LLM provider. */
  public readonly provider: Provider;
  /** PromptPack of the agent. */
  public readonly promptPack: IPromptPack;
  /**
   * ToolRegistry of the agent.
   * @default - none
   */
  public readonly toolRegistry?: IToolRegistry;
  /** Facade of the agent. */
  public readonly facade: Facade;
  /** Session store of the agent. */
  public readonly session: Session;
  protected readonly apiObject: l1.AgentRuntime;
  private readonly _env = new Map<string, kplus.EnvValue>();

  public constructor(scope: Construct, id: string, props: AgentRuntimeProps) {
    super(scope, id);
    this.replicas = props.replicas ?? 1;
    this.provider = props.provider;
    this.promptPack = props.promptPack;
    this.toolRegistry = props.toolRegistry;
    this.facade = props.facade ?? Facade.websocket();
    this.session = props.session ?? Session.memory();
    this.checkProps();
    for (const [name, value] of Object.entries(props.env ?? {})) this.addEnv(name, value);

    this.apiObject = new l1.AgentRuntime(this, 'Resource', {
      metadata: props.metadata,
      spec: {
        replicas: this.replicas,
        provider: {
          name: this.provider.name as l1.AgentRuntimeSpecProviderName,
          model: this.provider.model,
          apiKeySecretRef: this.provider.apiKey._toRef(),
        },
        // References are resolved at synth, when every namespace is known.
        promptPackRef: Lazy.any({ produce: () => this.refTo(this.promptPack) }),
        toolRegistryRef: this.toolRegistry && Lazy.any({ produce: () => this.refTo(this.toolRegistry!) }),
        facade: { type: this.facade.type as l1.AgentRuntimeSpecFacadeType, port: this.facade.port },
        session: {
          type: this.session.type as l1.AgentRuntimeSpecSessionType,
          ttl: goDuration(this.session.ttl),
          storeRef: this.session.url?._toRef(),
        },
        resources: renderAgentResources(props.resources),
        env: Lazy.any({ produce: () => this.renderEnv() }),
      },
    });
    addStandardLabels(this.metadata, 'agentruntime', this.name);
    OmniaValidation._onByDefault(this);
  }

  /** Namespace of the AgentRuntime. */
  public get namespace(): string | undefined {
    return this.metadata.namespace;
  }

  /** Adds an environment variable to the agent container. */
  public addEnv(name: string, value: kplus.EnvValue): void {
    if (!/^[-._a-zA-Z][-._a-zA-Z0-9]*$/.test(name)) throw invalidProp(this, `env.${name}`, 'is not a valid environment variable name');
    if (this._env.has(name)) throw invalidProp(this, `env.${name}`, 'is already set');
    this._env.set(name, value);
  }

  private refTo(target: IOmniaReference) {
    return refTo(target, this.namespace);
  }

  private checkProps(): void {
    if (!Number.isInteger(this.replicas) || this.replicas < 0 || this.replicas > 2147483647) {
      throw invalidProp(this, 'replicas', `must be a whole number >= 0, got ${this.replicas}`);
    }
    if (!this.provider) throw invalidProp(this, 'provider', 'is required');
    if (!this.provider.model) throw invalidProp(this, 'provider.model', 'must be a non-empty model name');
    if (!this.promptPack) throw invalidProp(this, 'promptPack', 'is required');
    if (this.session.type === 'redis' && !this.session.url) {
      throw invalidProp(this, 'session.url', 'a redis session needs the Secret key holding the redis URL');
    }
    const port = this.facade.port;
    if (!Number.isInteger(port) || port < 1 || port > 65535) throw invalidProp(this, 'facade.port', `must be 1..65535, got ${port}`);
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
