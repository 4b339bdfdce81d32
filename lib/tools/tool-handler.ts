import { Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { goDuration } from '../core/duration';
import { inClusterEndpoint } from '../core/endpoints';
import { didYouMean, dnsLabelError } from '../validation/object-meta';
import * as l1 from '../l1';
import { SecretKey } from '../core/secret-key';
import { checkArguments } from '../core/jsii-types';
import { OmniaApiTarget } from '../api';
import { refusedByTarget } from '../core/target';
import { GrpcRetryPolicy, HttpRetryPolicy, renderGrpcRetryPolicy, renderHttpRetryPolicy, renderRetryPolicy, RetryPolicy } from './retry-policy';
import { ToolAuth } from './tool-auth';

/** HTTP methods an http handler may use. */
export enum HttpMethod {
  /** GET */
  GET = 'GET',
  /** POST */
  POST = 'POST',
  /** PUT */
  PUT = 'PUT',
  /** PATCH */
  PATCH = 'PATCH',
  /** DELETE */
  DELETE = 'DELETE',
}

/** Transports an MCP server may speak. */
export enum McpTransport {
  /** Server-sent events. */
  SSE = 'sse',
  /** Streamable HTTP. */
  STREAMABLE_HTTP = 'streamable-http',
}

/** A tool as the model sees it. */
export interface ToolDefinition {
  /** Function name given to the model (letters, digits, '_' and '-', at most 64). */
  readonly name: string;
  /** What the tool does, written for the model. */
  readonly description: string;
  /**
   * JSON Schema of the arguments.
   * @default - no arguments are described
   */
  readonly inputSchema?: { [key: string]: any };
  /**
   * JSON Schema of the result.
   * @default - the result is not described
   */
  readonly outputSchema?: { [key: string]: any };
}

/** Options every handler has. */
export interface ToolHandlerOptions {
  /** Handler name, a DNS-1123 label unique within the registry. */
  readonly name: string;
  /**
   * Longest a single call may take.
   * @default Duration.seconds(30)
   */
  readonly timeout?: Duration;
  /**
   * Secret key whose value is sent as a bearer token (a shorthand of `authentication: ToolAuth.bearer(key)`).
   * Release: `auth{type: bearer, secretRef}`. Documented API: `authSecretRef`.
   * @default - no authentication
   */
  readonly auth?: SecretKey;
  /**
   * How the runtime authenticates to the tool's backend: bearer, basic, a projected ServiceAccount token or
   * Azure workload identity. Give `auth` or `authentication`, not both. Release: the handler's `auth` block
   * (not on stdio MCP servers nor client tools, which have no header to carry it). Documented API: a bearer
   * token only (`authSecretRef`); the other forms are refused.
   * @default - no authentication
   */
  readonly authentication?: ToolAuth;
}

/** Options of an http handler: give `endpoint`, or `service` (with `port` and `path`). */
export interface HttpToolHandlerOptions extends ToolHandlerOptions {
  /** The tool this handler serves. */
  readonly tool: ToolDefinition;
  /**
   * Full http(s) URL of the tool.
   * @default - built from `service`, `port` and `path`
   */
  readonly endpoint?: string;
  /**
   * In-cluster Service serving the tool.
   * @default - `endpoint` must be given
   */
  readonly service?: kplus.Service;
  /**
   * Port of `service`.
   * @default - the Service's first port
   */
  readonly port?: number;
  /**
   * Path on `service`.
   * @default '/'
   */
  readonly path?: string;
  /**
   * HTTP method of the call.
   * @default HttpMethod.POST
   */
  readonly method?: HttpMethod;
  /**
   * Extra request headers. Put credentials in `auth`, never here.
   * @default - none
   */
  readonly headers?: { [name: string]: string };
  /**
   * `Content-Type` of the request. Release: `httpConfig.contentType`. Documented API: refused.
   * @default 'application/json' (the operator's default)
   */
  readonly contentType?: string;
  /**
   * Path of the request as a Go template over the tool's arguments (`/orders/{{.order_id}}`), appended to
   * `endpoint`. Release: `httpConfig.urlTemplate`. Documented API: refused.
   * @default - the endpoint as it is
   */
  readonly urlTemplate?: string;
  /**
   * Arguments sent as URL query parameters instead of in the body. Release: `httpConfig.queryParams`.
   * Documented API: refused.
   * @default - none
   */
  readonly queryParams?: string[];
  /**
   * Request headers made from arguments, as Go templates (`{"X-Customer-Id": "{{.customer_id}}"}`). Not for
   * credentials. Release: `httpConfig.headerParams`. Documented API: refused.
   * @default - none
   */
  readonly headerParams?: { [header: string]: string };
  /**
   * Query parameters added to every request, hidden from the model. Release: `httpConfig.staticQuery`.
   * Documented API: refused.
   * @default - none
   */
  readonly staticQuery?: { [name: string]: string };
  /**
   * JSON fields merged into every request body, hidden from the model. Release: `httpConfig.staticBody`.
   * Documented API: refused.
   * @default - none
   */
  readonly staticBody?: { [field: string]: any };
  /**
   * JMESPath expression that reshapes the request body. Release: `httpConfig.bodyMapping`. Documented API:
   * refused.
   * @default - the arguments as they are
   */
  readonly bodyMapping?: string;
  /**
   * JMESPath expression that reshapes the response before the model sees it. Release:
   * `httpConfig.responseMapping`. Documented API: refused.
   * @default - the whole response
   */
  readonly responseMapping?: string;
  /**
   * Response fields kept out of logs and traces. Release: `httpConfig.redact`. Documented API: refused.
   * @default - none
   */
  readonly redact?: string[];
  /**
   * Retries of a failed call. Release: `httpConfig.retryPolicy`, with the operator's defaults written out.
   * Documented API: refused.
   * @default - one attempt, no retry
   */
  readonly retryPolicy?: HttpRetryPolicy;
}

/** Options of a gRPC handler. */
export interface GrpcToolHandlerOptions extends ToolHandlerOptions {
  /** The tool this handler serves. */
  readonly tool: ToolDefinition;
  /** `host:port` of the gRPC server. */
  readonly endpoint: string;
  /**
   * Whether to connect with TLS.
   * @default false
   */
  readonly tls?: boolean;
  /**
   * Client certificate file in the runtime container, for mutual TLS (with `tls`). Release:
   * `grpcConfig.tlsCertPath`. Documented API: refused.
   * @default - no client certificate
   */
  readonly tlsCertPath?: string;
  /**
   * Client key file in the runtime container (with `tlsCertPath`). Release: `grpcConfig.tlsKeyPath`.
   * Documented API: refused.
   * @default - no client certificate
   */
  readonly tlsKeyPath?: string;
  /**
   * CA bundle file in the runtime container that verifies the server (with `tls`). Release:
   * `grpcConfig.tlsCAPath`. Documented API: refused.
   * @default - the system roots
   */
  readonly tlsCaPath?: string;
  /**
   * Skip the verification of the server's certificate (with `tls`; not for production). Release:
   * `grpcConfig.tlsInsecureSkipVerify`. Documented API: refused.
   * @default false
   */
  readonly tlsInsecureSkipVerify?: boolean;
  /**
   * Retries of a failed call. Release: `grpcConfig.retryPolicy`, with the operator's defaults written out.
   * Documented API: refused.
   * @default - one attempt, no retry
   */
  readonly retryPolicy?: GrpcRetryPolicy;
}

/** Which of an MCP server's tools are exposed. */
export interface McpToolFilter {
  /**
   * Only these tools. Give `allowlist` or `blocklist`, not both: the release applies the allowlist alone.
   * @default - every tool
   */
  readonly allowlist?: string[];
  /**
   * Every tool but these.
   * @default - none excluded
   */
  readonly blocklist?: string[];
}

/** Options both kinds of MCP handler have. */
export interface McpCommonOptions {
  /**
   * Which of the server's tools are exposed. Release: `mcpConfig.toolFilter`. Documented API: refused.
   * @default - every tool the server lists
   */
  readonly toolFilter?: McpToolFilter;
  /**
   * Retries of a failed tool call (a broken session reconnects regardless). Release: `mcpConfig.retryPolicy`,
   * with the operator's defaults written out. Documented API: refused.
   * @default - one attempt, no retry
   */
  readonly retryPolicy?: RetryPolicy;
}

/** Options of an MCP handler; its tools are discovered from the server. */
export interface McpToolHandlerOptions extends ToolHandlerOptions, McpCommonOptions {
  /** URL of the MCP server. */
  readonly endpoint: string;
  /**
   * Transport the server speaks.
   * @default McpTransport.STREAMABLE_HTTP
   */
  readonly transport?: McpTransport;
}

/**
 * Options of an MCP server the runtime starts as a subprocess and speaks to over stdin and stdout (release
 * only). It has no header channel: `auth` and `authentication` are refused.
 */
export interface McpStdioToolHandlerOptions extends ToolHandlerOptions, McpCommonOptions {
  /** The program to run, present in the runtime container (`npx`, `/usr/local/bin/mcp-server`). */
  readonly command: string;
  /**
   * Its arguments.
   * @default - none
   */
  readonly args?: string[];
  /**
   * Its working directory.
   * @default - the runtime's
   */
  readonly workDir?: string;
  /**
   * Environment variables added to its environment. Written into the ToolRegistry in plain text: names that
   * look like credentials (`*_TOKEN`, `*_API_KEY`, `*PASSWORD*`) are refused.
   * @default - none
   */
  readonly env?: { [name: string]: string };
}

/** Options of a client tool: the connected client (a browser, an app) runs it and returns the result. */
export interface ClientToolHandlerOptions {
  /** Handler name, a DNS-1123 label unique within the registry. */
  readonly name: string;
  /** The tool the client serves. */
  readonly tool: ToolDefinition;
  /**
   * Longest the conversation waits for the client's result.
   * @default Duration.seconds(30)
   */
  readonly timeout?: Duration;
  /**
   * Text the client shows the user before running the tool.
   * @default - no consent prompt
   */
  readonly consentMessage?: string;
  /**
   * Consent categories (`location`, `camera`), so the client can remember a user's choice per category.
   * @default - none
   */
  readonly categories?: string[];
}

/** Options of an OpenAPI handler; its tools are the document's operations. */
export interface OpenApiToolHandlerOptions extends ToolHandlerOptions {
  /** URL of the OpenAPI document. */
  readonly specUrl: string;
  /**
   * Base URL of the API.
   * @default - the document's servers entry
   */
  readonly baseUrl?: string;
  /**
   * operationIds to expose as tools.
   * @default - every operation
   */
  readonly operations?: string[];
  /**
   * Extra request headers. Put credentials in `auth` or `authentication`, never here. Release:
   * `openAPIConfig.headers`. Documented API: refused.
   * @default - none
   */
  readonly headers?: { [name: string]: string };
  /**
   * Retries of a failed call. Release: `openAPIConfig.retryPolicy`, with the operator's defaults written out.
   * Documented API: refused.
   * @default - one attempt, no retry
   */
  readonly retryPolicy?: HttpRetryPolicy;
}

const URL_PATTERN = /^https?:\/\/[^\s/?#]+([/?#]\S*)?$/;
const TOOL_NAME = /^[a-zA-Z0-9_-]{1,64}$/;
// The release's tool names (its CRD's pattern, at most 64).
const RELEASE_TOOL_NAME = /^[a-z][a-z0-9_]*$/;
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
// Env names that hold credentials: their value belongs in a Secret.
const CREDENTIAL_NAME = /(^|_)(API_?KEY|TOKEN|SECRET|PASSWORD|PASSWD|CREDENTIALS?)($|_)/i;
// `{{.name}}` and `{{ .name }}` in a Go template: the arguments it reads.
const TEMPLATE_ARG = /\{\{-?\s*\.([A-Za-z_][A-Za-z0-9_]*)/g;

/** A handler's config block for one target (type, its config and tool), checked; throws `field: reason`. */
type Render = (released: boolean) => any;

/**
 * One backend of a ToolRegistry. The factories never throw: a handler with bad options is refused when it
 * is added to a ToolRegistry, with the registry's construct path, the handler and the reason, and so is an
 * option the registry's target cannot express.
 */
export class ToolHandler {
  /** A tool served over HTTP, at `endpoint` or behind an in-cluster `service`. */
  public static http(options: HttpToolHandlerOptions): ToolHandler {
    checkArguments('ToolHandler.http', 'cdk8s-omnia.ToolHandler', 'http', [options]);
    const releaseOnly = setOptions(options, ['contentType', 'urlTemplate', 'queryParams', 'headerParams', 'staticQuery', 'staticBody', 'bodyMapping', 'responseMapping', 'redact', 'retryPolicy']);
    return new ToolHandler(options, (released) => {
      const endpoint = checkUrl('endpoint', httpEndpoint(options));
      const method = options.method ?? HttpMethod.POST;
      const tool = checkTool(options.tool, released);
      checkHeaders('headers', options.headers);
      if (!released) return { type: l1.ToolRegistrySpecHandlersType.HTTP, httpConfig: { endpoint, method, headers: options.headers }, tool };
      checkHeaders('headerParams', options.headerParams);
      checkArgs(tool, 'queryParams', options.queryParams ?? []);
      checkArgs(tool, 'urlTemplate', templateArgs(options.urlTemplate));
      checkArgs(tool, 'headerParams', Object.values(options.headerParams ?? {}).flatMap(templateArgs));
      for (const field of ['contentType', 'urlTemplate', 'bodyMapping', 'responseMapping'] as const) {
        if (options[field] !== undefined && !options[field]!.trim()) throw new Error(`${field}: must not be empty (leave it out instead)`);
      }
      if (options.staticBody !== undefined && (options.staticBody === null || typeof options.staticBody !== 'object' || Array.isArray(options.staticBody))) {
        throw new Error('staticBody: must be an object of JSON fields');
      }
      return {
        type: 'http',
        httpConfig: {
          endpoint,
          method,
          headers: options.headers,
          contentType: options.contentType,
          urlTemplate: options.urlTemplate,
          queryParams: options.queryParams,
          headerParams: options.headerParams,
          staticQuery: options.staticQuery,
          staticBody: options.staticBody,
          bodyMapping: options.bodyMapping,
          responseMapping: options.responseMapping,
          redact: options.redact,
          retryPolicy: options.retryPolicy && renderHttpRetryPolicy(options.retryPolicy),
        },
        tool,
      };
    }, { service: options.service, releaseOnly });
  }

  /** A tool served over gRPC. */
  public static grpc(options: GrpcToolHandlerOptions): ToolHandler {
    checkArguments('ToolHandler.grpc', 'cdk8s-omnia.ToolHandler', 'grpc', [options]);
    const releaseOnly = setOptions(options, ['tlsCertPath', 'tlsKeyPath', 'tlsCaPath', 'tlsInsecureSkipVerify', 'retryPolicy']);
    return new ToolHandler(options, (released) => {
      if (!/^(\[[0-9A-Fa-f:.]+\]|[^\s:/[\]]+):[0-9]{1,5}$/.test(options.endpoint ?? '')) {
        throw new Error(`endpoint: ${JSON.stringify(options.endpoint)} is not host:port`);
      }
      const tls = options.tls ?? false;
      const tool = checkTool(options.tool, released);
      if (!released) return { type: l1.ToolRegistrySpecHandlersType.GRPC, grpcConfig: { endpoint: options.endpoint, tls }, tool };
      for (const field of ['tlsCertPath', 'tlsKeyPath', 'tlsCaPath', 'tlsInsecureSkipVerify'] as const) {
        if (options[field] !== undefined && !tls) throw new Error(`${field}: only with tls: true`);
      }
      for (const field of ['tlsCertPath', 'tlsKeyPath', 'tlsCaPath'] as const) {
        if (options[field] !== undefined && !options[field]!.startsWith('/')) throw new Error(`${field}: ${JSON.stringify(options[field])} is not an absolute path in the runtime container`);
      }
      if ((options.tlsCertPath === undefined) !== (options.tlsKeyPath === undefined)) throw new Error('tlsCertPath: a client certificate needs its key: give tlsCertPath and tlsKeyPath together');
      return {
        type: 'grpc',
        grpcConfig: {
          endpoint: options.endpoint,
          tls,
          tlsCertPath: options.tlsCertPath,
          tlsKeyPath: options.tlsKeyPath,
          tlsCAPath: options.tlsCaPath,
          tlsInsecureSkipVerify: options.tlsInsecureSkipVerify,
          retryPolicy: options.retryPolicy && renderGrpcRetryPolicy(options.retryPolicy),
        },
        tool,
      };
    }, { releaseOnly });
  }

  /** A Model Context Protocol server reached over the network; its tools are discovered. */
  public static mcp(options: McpToolHandlerOptions): ToolHandler {
    checkArguments('ToolHandler.mcp', 'cdk8s-omnia.ToolHandler', 'mcp', [options]);
    const releaseOnly = setOptions(options, ['toolFilter', 'retryPolicy']);
    return new ToolHandler(options, (released) => {
      const mcpConfig = {
        endpoint: checkUrl('endpoint', options.endpoint),
        transport: (options.transport ?? McpTransport.STREAMABLE_HTTP) as string as l1.ToolRegistrySpecHandlersMcpConfigTransport,
      };
      if (!released) return { type: l1.ToolRegistrySpecHandlersType.MCP, mcpConfig };
      return { type: 'mcp', mcpConfig: { ...mcpConfig, ...mcpCommon(options) } };
    }, { releaseOnly });
  }

  /**
   * A Model Context Protocol server the runtime starts as a subprocess (stdio transport); its tools are
   * discovered. Release: `mcpConfig{transport: stdio, command, args, workDir, env}`. Documented API: refused.
   */
  public static mcpStdio(options: McpStdioToolHandlerOptions): ToolHandler {
    checkArguments('ToolHandler.mcpStdio', 'cdk8s-omnia.ToolHandler', 'mcpStdio', [options]);
    return new ToolHandler(options, () => {
      if (!options.command?.trim()) throw new Error('command: must name the program to run');
      for (const name of Object.keys(options.env ?? {})) {
        if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new Error(`env.${name}: is not an environment variable name`);
        if (CREDENTIAL_NAME.test(name)) {
          throw new Error(`env.${name}: looks like a credential, and the release writes stdio env values into the ToolRegistry in plain text; keep it in a Secret the server reads another way`);
        }
      }
      return {
        type: 'mcp',
        mcpConfig: { transport: 'stdio', command: options.command, args: options.args, workDir: options.workDir, env: options.env, ...mcpCommon(options) },
      };
    }, { releaseOnly: ['transport'], what: { transport: 'an MCP server started as a subprocess (stdio transport)' }, noAuth: 'a stdio MCP server has no header channel' });
  }

  /**
   * A tool the connected client runs (a browser, an app): the runtime sends the call to the facade, which
   * forwards it to the client and waits for its result. Release: a handler of type `client` with its
   * `clientConfig`. Documented API: refused.
   */
  public static client(options: ClientToolHandlerOptions): ToolHandler {
    checkArguments('ToolHandler.client', 'cdk8s-omnia.ToolHandler', 'client', [options]);
    return new ToolHandler(options, () => {
      const tool = checkTool(options.tool, true);
      if (options.consentMessage !== undefined && !options.consentMessage.trim()) throw new Error('consentMessage: must not be empty (leave it out for no prompt)');
      for (const c of options.categories ?? []) if (!c?.trim()) throw new Error('categories: entries must be non-empty');
      const clientConfig = options.consentMessage === undefined && options.categories === undefined
        ? undefined : { consentMessage: options.consentMessage, categories: options.categories };
      return { type: 'client', tool, clientConfig };
    }, { releaseOnly: ['type'], what: { type: 'a client tool (handler type client)' }, noAuth: 'a client tool runs in the client' });
  }

  /** An API described by an OpenAPI document; each operation becomes a tool. */
  public static openApi(options: OpenApiToolHandlerOptions): ToolHandler {
    checkArguments('ToolHandler.openApi', 'cdk8s-omnia.ToolHandler', 'openApi', [options]);
    const releaseOnly = setOptions(options, ['headers', 'retryPolicy']);
    return new ToolHandler(options, (released) => {
      const specUrl = checkUrl('specUrl', options.specUrl);
      const baseUrl = options.baseUrl === undefined ? undefined : checkUrl('baseUrl', options.baseUrl);
      if (!released) return { type: l1.ToolRegistrySpecHandlersType.OPENAPI, openApiConfig: { specUrl, baseUrl, operations: options.operations } };
      checkHeaders('headers', options.headers);
      return {
        type: 'openapi',
        openAPIConfig: {
          specURL: specUrl,
          baseURL: baseUrl,
          operationFilter: options.operations,
          headers: options.headers,
          retryPolicy: options.retryPolicy && renderHttpRetryPolicy(options.retryPolicy),
        },
      };
    }, { releaseOnly });
  }

  /** Handler name. */
  public readonly name: string;
  /**
   * In-cluster Service the handler calls, when it was given as a Service.
   * @default - none
   */
  public readonly service?: kplus.Service;
  /** The handler's spec for the documented API, then for the release, or why it cannot be written. */
  private readonly specs: Array<{ spec?: any; problem?: string }>;

  private constructor(options: ToolHandlerOptions, render: Render, how: HandlerHow = {}) {
    this.name = options.name;
    this.service = how.service;
    this.specs = [false, true].map((released) => {
      try {
        return { spec: renderHandler(options, render, how, released) };
      } catch (e) {
        return { problem: (e as Error).message };
      }
    });
  }

  /**
   * In-cluster destinations the handler calls (namespace and pod port), for network policies.
   * @internal
   */
  public _inClusterTargets(defaultNamespace: string): Array<{ namespace: string; port: number }> {
    const spec = this.specs[1].spec ?? this.specs[0].spec;
    if (!spec) return [];
    if (this.service) {
      const url = new URL(spec.httpConfig!.endpoint);
      const servicePort = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
      const match = this.service.ports.find((p) => p.port === servicePort);
      return [{ namespace: this.service.metadata.namespace ?? defaultNamespace, port: match?.targetPort ?? servicePort }];
    }
    const endpoints = [spec.httpConfig?.endpoint, spec.grpcConfig?.endpoint, spec.mcpConfig?.endpoint, spec.openAPIConfig?.specURL ?? spec.openApiConfig?.specUrl, spec.openAPIConfig?.baseURL ?? spec.openApiConfig?.baseUrl];
    return endpoints.flatMap((e) => (e ? [inClusterEndpoint(e, defaultNamespace)].filter((t) => t !== undefined) : []));
  }

  /**
   * The handler's entry in the ToolRegistry spec of the documented API (the `l1` shape) or of the release
   * (the release's JSON); throws the reason when the options were invalid or the target cannot express them.
   * @internal
   */
  public _specFor(released: boolean): any {
    const { spec, problem } = this.specs[released ? 1 : 0];
    if (!spec) throw new Error(problem);
    return spec;
  }
}

/** How a factory's handler is made, beside its render. */
interface HandlerHow {
  /** The in-cluster Service of an http handler. */
  readonly service?: kplus.Service;
  /** Options set that only the release can express. */
  readonly releaseOnly?: string[];
  /** What an option of `releaseOnly` is, as a refusal says it. */
  readonly what?: { [option: string]: string };
  /** Why the handler takes no authentication, if it takes none. */
  readonly noAuth?: string;
}

/** The whole handler entry for one target; throws `field: reason`. */
function renderHandler(options: ToolHandlerOptions, render: Render, how: HandlerHow, released: boolean): any {
  if (dnsLabelError(options.name ?? '') !== undefined) {
    throw new Error(`name: ${JSON.stringify(options.name)} is not a DNS-1123 label (lowercase letters, digits and '-', at most 63)${didYouMean(options.name ?? '', false)}`);
  }
  if (options.auth !== undefined && options.authentication !== undefined) throw new Error('authentication: give auth or authentication, not both');
  const auth = options.authentication ?? (options.auth && ToolAuth.bearer(options.auth));
  if (auth && how.noAuth) throw new Error(`${options.auth ? 'auth' : 'authentication'}: ${how.noAuth} and cannot send a credential`);
  if (!released) {
    const option = how.releaseOnly?.[0] ?? (auth && auth.type !== 'bearer' ? 'authentication' : undefined);
    if (option) {
      const what = how.what?.[option] ?? (option === 'authentication' ? `${auth!.type} authentication of a tool` : `the handler option ${option}`);
      throw new Error(`${option}: ${refusedByTarget(OmniaApiTarget.DOCUMENTED, what)}`);
    }
  }
  const block = render(released);
  const timeout = goDuration(options.timeout ?? Duration.seconds(30));
  if (!released) return { name: options.name, ...block, timeout, authSecretRef: auth?.secretKey?._toRef() };
  return dropUndefined({ name: options.name, ...block, timeout, auth: auth?._render() });
}

/** The names of `fields` the options set. */
function setOptions(options: any, fields: string[]): string[] {
  return fields.filter((f) => options?.[f] !== undefined);
}

/** The release's fields both MCP handlers have. */
function mcpCommon(options: McpCommonOptions): any {
  const filter = options.toolFilter;
  if (filter?.allowlist !== undefined && filter?.blocklist !== undefined) {
    throw new Error('toolFilter: give allowlist or blocklist, not both (the release applies the allowlist alone)');
  }
  for (const name of [...filter?.allowlist ?? [], ...filter?.blocklist ?? []]) {
    if (!name?.trim()) throw new Error('toolFilter: tool names must be non-empty');
  }
  return {
    toolFilter: filter && { allowlist: filter.allowlist, blocklist: filter.blocklist },
    retryPolicy: options.retryPolicy && renderRetryPolicy(options.retryPolicy),
  };
}

/** Removes undefined values, deeply, so the release's JSON says only what was set. */
function dropUndefined(value: any): any {
  if (Array.isArray(value)) return value.map(dropUndefined);
  if (value === null || typeof value !== 'object') return value;
  const out: any = {};
  for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = dropUndefined(v);
  return out;
}

function httpEndpoint(options: HttpToolHandlerOptions): string {
  if (options.endpoint !== undefined && options.service !== undefined) throw new Error('give endpoint or service, not both');
  if (options.endpoint !== undefined) return options.endpoint;
  if (options.service === undefined) throw new Error('endpoint or service is required');
  const service = options.service;
  const port = options.port ?? service.ports[0]?.port;
  if (port === undefined) throw new Error(`service ${service.name} exposes no port; give port`);
  const namespace = service.metadata.namespace ?? 'default';
  const path = options.path ?? '/';
  return `http://${service.name}.${namespace}.svc:${port}${path.startsWith('/') ? path : `/${path}`}`;
}

function checkUrl(field: string, url: string): string {
  if (!URL_PATTERN.test(url ?? '')) throw new Error(`${field}: ${JSON.stringify(url)} is not an http or https URL`);
  return url;
}

function checkHeaders(field: string, headers: { [name: string]: string } | undefined): void {
  for (const name of Object.keys(headers ?? {})) {
    if (!HEADER_NAME.test(name)) throw new Error(`${field}.${name}: is not a valid HTTP header name`);
  }
}

/** The arguments a Go template reads. */
function templateArgs(template: string | undefined): string[] {
  return [...(template ?? '').matchAll(TEMPLATE_ARG)].map((m) => m[1]);
}

/** Arguments a mapping names must be properties of the tool's input schema, when it lists them. */
function checkArgs(tool: any, field: string, args: string[]): void {
  const properties = tool?.inputSchema?.properties;
  if (properties === null || typeof properties !== 'object') return;
  for (const arg of args) {
    if (!Object.hasOwn(properties, arg)) {
      throw new Error(`${field}: the argument ${JSON.stringify(arg)} is not a property of tool.inputSchema (${Object.keys(properties).map((p) => JSON.stringify(p)).join(', ') || 'none'})`);
    }
  }
}

function checkTool(tool: ToolDefinition, released: boolean): any {
  if (!tool) throw new Error('tool is required for http, grpc and client handlers: the model needs its name and description');
  if (!TOOL_NAME.test(tool.name ?? '')) throw new Error(`tool.name: ${JSON.stringify(tool.name)} must be 1-64 letters, digits, '_' or '-'`);
  if (released && !RELEASE_TOOL_NAME.test(tool.name)) {
    throw new Error(`tool.name: ${JSON.stringify(tool.name)} must start with a lowercase letter and hold only lowercase letters, digits and '_' (the release's tool names)`);
  }
  if (!tool.description) throw new Error('tool.description: must describe the tool for the model');
  if (!released) return { name: tool.name, description: tool.description, inputSchema: tool.inputSchema, outputSchema: tool.outputSchema };
  // The release requires an input schema; a tool without arguments takes an empty object.
  return dropUndefined({ name: tool.name, description: tool.description, inputSchema: tool.inputSchema ?? { type: 'object' }, outputSchema: tool.outputSchema });
}
