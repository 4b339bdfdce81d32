import { Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { checkArguments } from '../core/jsii-types';
import type { IAgentRuntime } from './agent-runtime';

/** Protocol a facade speaks. */
export enum FacadeType {
  /** Conversations over a WebSocket (agent mode). */
  WEBSOCKET = 'websocket',
  /** The A2A JSON-RPC protocol, for other agents (agent mode). */
  A2A = 'a2a',
  /** One-shot HTTP calls, `POST /functions/<agent>` (function mode). */
  REST = 'rest',
  /** The Model Context Protocol over Streamable HTTP, beside a rest facade (function mode). */
  MCP = 'mcp',
}

/** What answers the facade's clients. */
export enum FacadeHandler {
  /** The agent's runtime: the model, its prompts and tools. */
  RUNTIME = 'runtime',
  /** Echoes each message back, to test connectivity. */
  ECHO = 'echo',
  /** Canned streamed answers with simulated tool calls, for demos. */
  DEMO = 'demo',
}

/**
 * Options of a facade that can be the agent's primary one (websocket, rest, a2a). The release reads the
 * handler, image, env, timeouts and exposure from the primary facade only (websocket, else rest, else a2a):
 * on an a2a facade beside a websocket one they are refused.
 */
export interface FacadeOptions {
  /**
   * Port the facade listens on, in the pod and on the agent's Service (release: `facades[].port` of the
   * primary facade, `facades[].a2a.port` of an a2a facade beside a websocket one).
   * @default 8080 for the primary facade; 9999 for an a2a facade beside a websocket one
   */
  readonly port?: number;
  /**
   * What answers the clients (release: `facades[].handler`; documented API: refused).
   * @default FacadeHandler.RUNTIME (left to the operator)
   */
  readonly handler?: FacadeHandler;
  /**
   * Image of the facade container (release: `facades[].image`; documented API: refused).
   * @default - the image the operator was installed with
   */
  readonly image?: string;
  /**
   * Extra environment variables of the facade container (release: `facades[].extraEnv`; documented API: refused).
   * @default - none
   */
  readonly env?: { [name: string]: kplus.EnvValue };
  /**
   * How long a turn waits for a client tool's answer (release: `facades[].clientToolTimeout`; documented API: refused).
   * @default - the facade's default, 60 seconds
   */
  readonly clientToolTimeout?: Duration;
  /**
   * How long the facade keeps serving open realtime calls after it is told to stop (release:
   * `facades[].drainTimeout`; documented API: refused).
   * @default - the facade's default, 30 seconds
   */
  readonly drainTimeout?: Duration;
  /**
   * Whether the operator routes outside traffic to this facade through the install's default-exposure
   * Gateway (release: `facades[].expose.enabled`; documented API: refused). A no-op when the install has no
   * such Gateway; it adds no authentication (`externalAuth` does).
   * @default false
   */
  readonly expose?: boolean;
  /**
   * Host name of the exposed route, with `expose` (release: `facades[].expose.host`; documented API: refused).
   * @default - `<agent>.<namespace>.<base domain of the install>`
   */
  readonly exposeHost?: string;
  /**
   * Whether the facade also serves an in-cluster management-plane listener (the dashboard's "try this
   * agent"); false makes it external-only (release: `facades[].managementPlane`; documented API: refused).
   * @default true
   */
  readonly managementPlane?: boolean;
}

/** Options of the websocket facade. */
export interface WebSocketFacadeOptions extends FacadeOptions {}

/** Options of the rest facade of a function-mode agent. */
export interface RestFacadeOptions extends FacadeOptions {}

/** A skill the agent announces in its A2A agent card. */
export interface A2aSkill {
  /** Unique identifier of the skill. */
  readonly id: string;
  /** Human-readable name. */
  readonly name: string;
  /**
   * What the skill does.
   * @default - none
   */
  readonly description?: string;
  /**
   * Keywords for discovery.
   * @default - none
   */
  readonly tags?: string[];
  /**
   * Example prompts.
   * @default - none
   */
  readonly examples?: string[];
}

/** Protocol features the agent announces in its A2A agent card. */
export interface A2aCapabilities {
  /**
   * Whether the agent streams answers (server-sent events).
   * @default false
   */
  readonly streaming?: boolean;
  /**
   * Whether the agent sends push notifications.
   * @default false
   */
  readonly pushNotifications?: boolean;
}

/** The A2A agent card, served at `/.well-known/agent.json`. */
export interface A2aAgentCard {
  /** Display name of the agent. */
  readonly name: string;
  /**
   * What the agent does.
   * @default - none
   */
  readonly description?: string;
  /**
   * Version string of the agent.
   * @default - none
   */
  readonly version?: string;
  /**
   * Organization that provides the agent.
   * @default - none
   */
  readonly organization?: string;
  /**
   * Skills offered.
   * @default - none
   */
  readonly skills?: A2aSkill[];
  /**
   * Protocol features supported.
   * @default - none announced
   */
  readonly capabilities?: A2aCapabilities;
  /**
   * Content types accepted (`text`, `audio`, ...).
   * @default - none announced
   */
  readonly defaultInputModes?: string[];
  /**
   * Content types produced.
   * @default - none announced
   */
  readonly defaultOutputModes?: string[];
}

/** Where an a2a facade keeps its tasks. */
export class A2aTaskStore {
  /** In the pod's memory: tasks are lost when it restarts. */
  public static memory(): A2aTaskStore {
    return new A2aTaskStore('memory');
  }

  /**
   * In Redis, whose connection URL (which may hold a password) is read from the key `url` of `secret` in
   * the agent's namespace.
   */
  public static redis(secret: kplus.ISecret): A2aTaskStore {
    checkArguments('A2aTaskStore.redis', 'cdk8s-omnia.A2aTaskStore', 'redis', [secret]);
    return new A2aTaskStore('redis', secret);
  }

  private constructor(
    /** Backend of the store: `memory` or `redis`. */
    public readonly type: string,
    /**
     * Secret holding the Redis URL under the key `url`.
     * @default - none (memory)
     */
    public readonly secret?: kplus.ISecret,
  ) {}
}

/** Options of an A2A client. */
export interface A2aClientOptions {
  /**
   * Whether the other agent's skills become tools of this agent.
   * @default false
   */
  readonly exposeAsTools?: boolean;
  /**
   * Secret holding, under the key `token`, the bearer token sent to the other agent (in this agent's namespace).
   * @default - no credential is sent
   */
  readonly tokenSecret?: kplus.ISecret;
}

/** Another agent this agent's a2a facade talks to. */
export class A2aClient {
  /** An AgentRuntime of the cluster; the operator resolves its A2A endpoint. */
  public static agentRuntime(name: string, agent: IAgentRuntime, options: A2aClientOptions = {}): A2aClient {
    checkArguments('A2aClient.agentRuntime', 'cdk8s-omnia.A2aClient', 'agentRuntime', [name, agent, options]);
    return new A2aClient(name, agent, undefined, options ?? {});
  }

  /** An A2A endpoint by URL, inside or outside the cluster. */
  public static url(name: string, url: string, options: A2aClientOptions = {}): A2aClient {
    checkArguments('A2aClient.url', 'cdk8s-omnia.A2aClient', 'url', [name, url, options]);
    return new A2aClient(name, undefined, url, options ?? {});
  }

  /** Name of the client, unique within the agent. */
  public readonly name: string;
  /**
   * The AgentRuntime called.
   * @default - none (a URL)
   */
  public readonly agent?: IAgentRuntime;
  /**
   * URL of the endpoint called.
   * @default - none (an AgentRuntime)
   */
  public readonly endpoint?: string;
  /** Options of the client. */
  public readonly options: A2aClientOptions;

  private constructor(name: string, agent: IAgentRuntime | undefined, endpoint: string | undefined, options: A2aClientOptions) {
    this.name = name;
    this.agent = agent;
    this.endpoint = endpoint;
    this.options = options;
  }
}

/** Options of the a2a facade. */
export interface A2aFacadeOptions extends FacadeOptions {
  /**
   * The agent card served at `/.well-known/agent.json` (release: `facades[].a2a.agentCard`).
   * @default - the facade's own card
   */
  readonly agentCard?: A2aAgentCard;
  /**
   * How long finished tasks are kept (release: `facades[].a2a.taskTTL`).
   * @default - the facade's default, 1 hour
   */
  readonly taskTtl?: Duration;
  /**
   * How long idle conversations are kept (release: `facades[].a2a.conversationTTL`).
   * @default - the facade's default, 30 minutes
   */
  readonly conversationTtl?: Duration;
  /**
   * Where tasks are kept (release: `facades[].a2a.taskStore`).
   * @default A2aTaskStore.memory() (left to the facade)
   */
  readonly taskStore?: A2aTaskStore;
  /**
   * Other agents this agent calls over A2A (release: `facades[].a2a.clients`).
   * @default - none
   */
  readonly clients?: A2aClient[];
}

/** Options of the mcp facade of a function-mode agent. */
export interface McpFacadeOptions {
  /**
   * Port of the MCP listener, in the pod and on the agent's Service (release: `facades[].mcp.port`).
   * @default 9998
   */
  readonly port?: number;
  /**
   * Whether the facade also serves an in-cluster management-plane listener (release: `facades[].managementPlane`).
   * @default true
   */
  readonly managementPlane?: boolean;
}

/**
 * A network endpoint clients use to talk to an agent. An agent in agent mode has a websocket facade, an a2a
 * facade or both; one in function mode a rest facade and, beside it, an mcp facade if wanted.
 */
export class Facade {
  /** A WebSocket endpoint for conversations (agent mode). */
  public static websocket(options: WebSocketFacadeOptions = {}): Facade {
    checkArguments('Facade.websocket', 'cdk8s-omnia.Facade', 'websocket', [options]);
    options = options ?? {}; // null: options left out
    return new Facade(FacadeType.WEBSOCKET, options.port ?? 8080, options);
  }

  /**
   * An A2A endpoint (agent mode): beside a websocket facade it is a second listener (port 9999 unless
   * told), alone it is the agent's primary facade (port 8080 unless told).
   */
  public static a2a(options: A2aFacadeOptions = {}): Facade {
    checkArguments('Facade.a2a', 'cdk8s-omnia.Facade', 'a2a', [options]);
    options = options ?? {};
    return new Facade(FacadeType.A2A, options.port, options, options);
  }

  /** A one-shot HTTP endpoint, `POST /functions/<agent>` (function mode, which needs exactly one). */
  public static rest(options: RestFacadeOptions = {}): Facade {
    checkArguments('Facade.rest', 'cdk8s-omnia.Facade', 'rest', [options]);
    options = options ?? {};
    return new Facade(FacadeType.REST, options.port ?? 8080, options);
  }

  /** An MCP (Streamable HTTP) endpoint beside the rest facade (function mode). */
  public static mcp(options: McpFacadeOptions = {}): Facade {
    checkArguments('Facade.mcp', 'cdk8s-omnia.Facade', 'mcp', [options]);
    options = options ?? {};
    return new Facade(FacadeType.MCP, options.port ?? 9998, { managementPlane: options.managementPlane });
  }

  /** Protocol of the facade: `websocket`, `a2a`, `rest` or `mcp`. */
  public readonly type: string;
  /**
   * Port of the facade, when fixed by itself.
   * @default - for an a2a facade without one, where the agent puts it: 8080 alone, 9999 beside a websocket facade
   */
  public readonly port?: number;
  /** Options common to the facades. */
  public readonly options: FacadeOptions;
  /**
   * A2A settings of an a2a facade.
   * @default - none
   */
  public readonly a2aOptions?: A2aFacadeOptions;

  private constructor(type: FacadeType, port: number | undefined, options: FacadeOptions, a2aOptions?: A2aFacadeOptions) {
    this.type = type;
    this.port = port;
    this.options = options;
    this.a2aOptions = a2aOptions;
  }
}
