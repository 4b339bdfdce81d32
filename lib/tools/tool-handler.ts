import { Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { goDuration } from '../core/duration';
import { inClusterEndpoint } from '../core/endpoints';
import { didYouMean, dnsLabelError } from '../validation/object-meta';
import * as l1 from '../l1';
import { SecretKey } from '../core/secret-key';
import { checkArguments } from '../core/jsii-types';

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
   * Secret key whose value is sent as a bearer token.
   * @default - no authentication
   */
  readonly auth?: SecretKey;
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
}

/** Options of an MCP handler; its tools are discovered from the server. */
export interface McpToolHandlerOptions extends ToolHandlerOptions {
  /** URL of the MCP server. */
  readonly endpoint: string;
  /**
   * Transport the server speaks.
   * @default McpTransport.STREAMABLE_HTTP
   */
  readonly transport?: McpTransport;
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
}

const URL_PATTERN = /^https?:\/\/[^\s/?#]+([/?#]\S*)?$/;
const TOOL_NAME = /^[a-zA-Z0-9_-]{1,64}$/;

type HandlerConfig = Omit<l1.ToolRegistrySpecHandlers, 'name' | 'timeout' | 'authSecretRef'>;

/**
 * One backend of a ToolRegistry. The factories never throw: a handler with bad options is refused when it
 * is added to a ToolRegistry, with the registry's construct path, the handler and the reason.
 */
export class ToolHandler {
  /** A tool served over HTTP, at `endpoint` or behind an in-cluster `service`. */
  public static http(options: HttpToolHandlerOptions): ToolHandler {
    checkArguments('ToolHandler.http', 'cdk8s-omnia.ToolHandler', 'http', [options]);
    return new ToolHandler(options, () => ({
      type: l1.ToolRegistrySpecHandlersType.HTTP,
      httpConfig: {
        endpoint: checkUrl('endpoint', httpEndpoint(options)),
        method: (options.method ?? HttpMethod.POST) as string as l1.ToolRegistrySpecHandlersHttpConfigMethod,
        headers: options.headers,
      },
      tool: checkTool(options.tool),
    }), options.service);
  }

  /** A tool served over gRPC. */
  public static grpc(options: GrpcToolHandlerOptions): ToolHandler {
    checkArguments('ToolHandler.grpc', 'cdk8s-omnia.ToolHandler', 'grpc', [options]);
    return new ToolHandler(options, () => {
      if (!/^(\[[0-9A-Fa-f:.]+\]|[^\s:/[\]]+):[0-9]{1,5}$/.test(options.endpoint ?? '')) {
        throw new Error(`endpoint: ${JSON.stringify(options.endpoint)} is not host:port`);
      }
      return {
        type: l1.ToolRegistrySpecHandlersType.GRPC,
        grpcConfig: { endpoint: options.endpoint, tls: options.tls ?? false },
        tool: checkTool(options.tool),
      };
    });
  }

  /** A Model Context Protocol server; its tools are discovered. */
  public static mcp(options: McpToolHandlerOptions): ToolHandler {
    checkArguments('ToolHandler.mcp', 'cdk8s-omnia.ToolHandler', 'mcp', [options]);
    return new ToolHandler(options, () => ({
      type: l1.ToolRegistrySpecHandlersType.MCP,
      mcpConfig: {
        endpoint: checkUrl('endpoint', options.endpoint),
        transport: (options.transport ?? McpTransport.STREAMABLE_HTTP) as string as l1.ToolRegistrySpecHandlersMcpConfigTransport,
      },
    }));
  }

  /** An API described by an OpenAPI document; each operation becomes a tool. */
  public static openApi(options: OpenApiToolHandlerOptions): ToolHandler {
    checkArguments('ToolHandler.openApi', 'cdk8s-omnia.ToolHandler', 'openApi', [options]);
    return new ToolHandler(options, () => ({
      type: l1.ToolRegistrySpecHandlersType.OPENAPI,
      openApiConfig: {
        specUrl: checkUrl('specUrl', options.specUrl),
        baseUrl: options.baseUrl === undefined ? undefined : checkUrl('baseUrl', options.baseUrl),
        operations: options.operations,
      },
    }));
  }

  /** Handler name. */
  public readonly name: string;
  /**
   * In-cluster Service the handler calls, when it was given as a Service.
   * @default - none
   */
  public readonly service?: kplus.Service;
  private readonly spec?: l1.ToolRegistrySpecHandlers;
  private readonly problem?: string;

  private constructor(options: ToolHandlerOptions, render: () => HandlerConfig, service?: kplus.Service) {
    this.name = options.name;
    this.service = service;
    try {
      if (dnsLabelError(options.name ?? '') !== undefined) {
        throw new Error(`name: ${JSON.stringify(options.name)} is not a DNS-1123 label (lowercase letters, digits and '-', at most 63)${didYouMean(options.name ?? '', false)}`);
      }
      this.spec = {
        name: options.name,
        ...render(),
        timeout: goDuration(options.timeout ?? Duration.seconds(30)),
        authSecretRef: options.auth?._toRef(),
      };
    } catch (e) {
      this.problem = (e as Error).message;
    }
  }

  /**
   * In-cluster destinations the handler calls (namespace and pod port), for network policies.
   * @internal
   */
  public _inClusterTargets(defaultNamespace: string): Array<{ namespace: string; port: number }> {
    const spec = this.spec;
    if (!spec) return [];
    if (this.service) {
      const url = new URL(spec.httpConfig!.endpoint);
      const servicePort = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
      const match = this.service.ports.find((p) => p.port === servicePort);
      return [{ namespace: this.service.metadata.namespace ?? defaultNamespace, port: match?.targetPort ?? servicePort }];
    }
    const endpoints = [spec.httpConfig?.endpoint, spec.grpcConfig?.endpoint, spec.mcpConfig?.endpoint, spec.openApiConfig?.specUrl, spec.openApiConfig?.baseUrl];
    return endpoints.flatMap((e) => (e ? [inClusterEndpoint(e, defaultNamespace)].filter((t) => t !== undefined) : []));
  }

  /**
   * The handler's entry in the ToolRegistry spec; throws the reason when the options were invalid.
   * @internal
   */
  public _toSpec(): l1.ToolRegistrySpecHandlers {
    if (!this.spec) throw new Error(this.problem);
    return this.spec;
  }
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

function checkTool(tool: ToolDefinition): l1.ToolRegistrySpecHandlersTool {
  if (!tool) throw new Error('tool is required for http and grpc handlers: the model needs its name and description');
  if (!TOOL_NAME.test(tool.name ?? '')) throw new Error(`tool.name: ${JSON.stringify(tool.name)} must be 1-64 letters, digits, '_' or '-'`);
  if (!tool.description) throw new Error('tool.description: must describe the tool for the model');
  return { name: tool.name, description: tool.description, inputSchema: tool.inputSchema, outputSchema: tool.outputSchema };
}
