// The release's facade and mode rules (its CRD's CEL and what its operator and facade read), checked at
// construct time, and the facades, mode and console rendered in the release's shape. Internal: AgentRuntime
// calls these.
import { Duration, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { IConstruct } from 'constructs';
import { OmniaApiTarget } from '../api';
import { goDuration } from '../core/duration';
import { invalidProp } from '../core/errors';
import { refTo } from '../core/references';
import { refusedByTarget } from '../core/target';
import { AgentMode, ConsoleDimensions, ConsoleOptions, DuplexMode } from './agent-mode';
import type { AgentRuntimeProps } from './agent-runtime';
import { A2aFacadeOptions, Facade, FacadeOptions, FacadeType } from './facade';

/** The props of an AgentRuntime this module reads. */
export type FacadeProps = Pick<AgentRuntimeProps, 'facade' | 'facades' | 'mode' | 'inputSchema' | 'outputSchema' | 'outputFormat'
| 'duplex' | 'console' | 'mediaBasePath' | 'serviceGroup'>;

/** The facades of an agent with the prop path of each, for errors. */
export interface ResolvedFacades {
  readonly facades: Facade[];
  readonly fields: string[];
}

const DEFAULT_PORT = 8080;
const DEFAULT_A2A_PORT = 9999;
// Ports the release's agent pod holds already: facade health, runtime gRPC and health, the internal
// management-plane listeners.
const RESERVED_PORTS: { [port: number]: string } = {
  8081: 'the facade\'s health port', 9000: 'the runtime\'s gRPC port', 9001: 'the runtime\'s health port',
  18080: 'the internal management-plane port of the primary facade', 19999: 'the internal management-plane port of a2a',
  19998: 'the internal management-plane port of mcp',
};
const PRIMARY_ONLY: Array<keyof FacadeOptions> = ['handler', 'image', 'env', 'clientToolTimeout', 'drainTimeout', 'expose', 'exposeHost'];

/** The agent's facades: the `facades` list, else the `facade`, else the mode's default. */
export function resolveFacades(scope: IConstruct, props: FacadeProps): ResolvedFacades {
  if (props.facade && props.facades) throw invalidProp(scope, 'facades', 'give facade or facades, not both (facade is the one-facade form of facades)');
  if (props.facades) {
    if (!Array.isArray(props.facades) || props.facades.length === 0) throw invalidProp(scope, 'facades', 'needs at least one facade');
    props.facades.forEach((f, i) => {
      if (!(f instanceof Facade)) throw invalidProp(scope, `facades[${i}]`, 'must be a Facade (Facade.websocket(), Facade.a2a(), ...)');
    });
    return { facades: [...props.facades], fields: props.facades.map((_, i) => `facades[${i}]`) };
  }
  const fallback = props.mode === AgentMode.FUNCTION ? Facade.rest() : Facade.websocket();
  return { facades: [props.facade ?? fallback], fields: ['facade'] };
}

/** The facade the release's pod dispatches to and its Service's `facade` port serves: websocket, else rest, else a2a. */
export function primaryFacade(facades: Facade[]): Facade | undefined {
  for (const type of [FacadeType.WEBSOCKET, FacadeType.REST, FacadeType.A2A]) {
    const found = facades.find((f) => f.type === type);
    if (found) return found;
  }
  return undefined;
}

/** The port each facade listens on in the release's pod, in the order of the facades. */
export function listenPorts(facades: Facade[]): number[] {
  const primary = primaryFacade(facades);
  return facades.map((f) => f.port ?? (f === primary ? DEFAULT_PORT : f.type === FacadeType.A2A ? DEFAULT_A2A_PORT : DEFAULT_PORT));
}

/** Refuses, for the documented API, what only the release can say. */
export function checkDocumented(scope: IConstruct, props: FacadeProps, resolved: ResolvedFacades): void {
  const target = OmniaApiTarget.DOCUMENTED;
  const refuse = (field: string, what: string) => {
    throw invalidProp(scope, field, refusedByTarget(target, what));
  };
  const releaseOnly: Array<[keyof FacadeProps, string]> = [
    ['mode', 'the invocation mode'], ['inputSchema', 'function mode\'s input schema'], ['outputSchema', 'function mode\'s output schema'],
    ['outputFormat', 'function mode\'s output format'], ['duplex', 'the realtime voice console'], ['console', 'the dashboard console settings'],
    ['mediaBasePath', 'the media base path'], ['serviceGroup', 'service groups'],
  ];
  for (const [prop, what] of releaseOnly) if (props[prop] !== undefined) refuse(prop, what);
  if (props.facades) refuse('facades', 'a list of facades (the documented API has one websocket facade: use the facade prop)');
  const facade = resolved.facades[0];
  if (facade.type !== FacadeType.WEBSOCKET) refuse('facade', `a facade of type ${facade.type} (it has websocket only)`);
  const port = facade.port;
  if (!Number.isInteger(port) || port! < 1 || port! > 65535) throw invalidProp(scope, 'facade.port', `must be 1..65535, got ${port}`);
  for (const [option, value] of Object.entries(facade.options)) {
    if (option !== 'port' && value !== undefined) refuse(`facade.${option}`, `the facade setting ${option}`);
  }
}

/** Checks the facades, the mode and the console against the release's rules. */
export function checkForRelease(scope: IConstruct, props: FacadeProps, resolved: ResolvedFacades): void {
  const { facades, fields } = resolved;
  const mode = props.mode ?? AgentMode.AGENT;
  const fail = (field: string, reason: string): never => invalidProp(scope, field, reason);

  const seen = new Map<string, string>();
  facades.forEach((f, i) => {
    const earlier = seen.get(f.type);
    if (earlier) fail(fields[i], `a second ${f.type} facade (${earlier} is one): an agent has at most one facade of each type`);
    seen.set(f.type, fields[i]);
  });
  const allowed = mode === AgentMode.FUNCTION ? [FacadeType.REST, FacadeType.MCP] : [FacadeType.WEBSOCKET, FacadeType.A2A];
  facades.forEach((f, i) => {
    if (!allowed.includes(f.type as FacadeType)) {
      fail(fields[i], `${f.type === FacadeType.A2A ? 'an' : 'a'} ${f.type} facade in ${mode} mode: ${mode} mode allows ${allowed.join(' and ')} facades${mode === AgentMode.AGENT ? ' (rest and mcp need mode: AgentMode.FUNCTION)' : ''}`);
    }
  });
  if (mode === AgentMode.FUNCTION && !seen.has(FacadeType.REST)) fail(props.facades ? 'facades' : 'facade', 'function mode needs a rest facade (Facade.rest())');

  const primary = primaryFacade(facades);
  const ports = listenPorts(facades);
  const portOwner = new Map<number, string>();
  facades.forEach((f, i) => {
    const field = fields[i];
    const port = ports[i];
    if (!Number.isInteger(port) || port < 1 || port > 65535) fail(`${field}.port`, `must be 1..65535, got ${port}`);
    if (RESERVED_PORTS[port]) fail(`${field}.port`, `${port} is ${RESERVED_PORTS[port]} in the release's agent pod: choose another`);
    const other = portOwner.get(port);
    if (other) fail(`${field}.port`, `${port} is the port of ${other} too: each facade listens on a port of its own`);
    portOwner.set(port, field);
    if (f !== primary) {
      // The release reads these from the primary facade only: elsewhere they would do nothing.
      for (const option of PRIMARY_ONLY) {
        if (f.options[option] !== undefined) {
          fail(`${field}.${option}`, `the release reads ${option} only from the primary facade (websocket, else rest, else a2a); on this ${f.type} facade it would be ignored: set it on the ${primary!.type} facade`);
        }
      }
    }
    checkFacadeOptions(scope, field, f);
  });

  if (mode === AgentMode.FUNCTION) {
    for (const prop of ['inputSchema', 'outputSchema'] as const) {
      const schema = props[prop];
      if (schema === undefined) fail(prop, 'function mode needs the JSON Schema of its input and of its output');
      if (schema === null || typeof schema !== 'object' || Array.isArray(schema)) fail(prop, 'must be a JSON Schema object');
    }
  } else {
    for (const prop of ['inputSchema', 'outputSchema', 'outputFormat'] as const) {
      if (props[prop] !== undefined) fail(prop, 'is for function mode only: set mode: AgentMode.FUNCTION');
    }
  }
  if (props.serviceGroup !== undefined && !(/^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/.test(props.serviceGroup) && props.serviceGroup.length <= 63)) {
    fail('serviceGroup', `must be a DNS label (lowercase letters, digits and '-', at most 63), got ${JSON.stringify(props.serviceGroup)}`);
  }
  if (props.mediaBasePath !== undefined && !props.mediaBasePath.startsWith('/')) fail('mediaBasePath', `must be an absolute path, got ${JSON.stringify(props.mediaBasePath)}`);
  // Rendering checks the console's numbers.
  renderConsole(scope, props.console);
}

function checkFacadeOptions(scope: IConstruct, field: string, f: Facade): void {
  const o = f.options;
  const fail = (sub: string, reason: string): never => invalidProp(scope, `${field}.${sub}`, reason);
  if (o.exposeHost !== undefined) {
    if (!o.expose) fail('exposeHost', 'names the host of an exposed facade: set expose: true too');
    if (!/^(\*\.)?[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/.test(o.exposeHost)) fail('exposeHost', `must be a host name, got ${JSON.stringify(o.exposeHost)}`);
  }
  if (o.image !== undefined && (o.image.trim() === '' || /\s/.test(o.image))) fail('image', `must be an image reference, got ${JSON.stringify(o.image)}`);
  for (const name of Object.keys(o.env ?? {})) {
    if (!/^[-._a-zA-Z][-._a-zA-Z0-9]*$/.test(name)) fail(`env.${name}`, 'is not a valid environment variable name');
  }
  for (const d of ['clientToolTimeout', 'drainTimeout'] as const) if (o[d]) duration(scope, `${field}.${d}`, o[d]);
  const a2a = f.a2aOptions;
  if (!a2a) return;
  if (a2a.taskTtl) duration(scope, `${field}.taskTtl`, a2a.taskTtl);
  if (a2a.conversationTtl) duration(scope, `${field}.conversationTtl`, a2a.conversationTtl);
  const card = a2a.agentCard;
  if (card) {
    if (!card.name?.trim()) fail('agentCard.name', 'must not be empty');
    const ids = new Set<string>();
    (card.skills ?? []).forEach((s, i) => {
      if (!s.id?.trim()) fail(`agentCard.skills[${i}].id`, 'must not be empty');
      if (!s.name?.trim()) fail(`agentCard.skills[${i}].name`, 'must not be empty');
      if (ids.has(s.id)) fail(`agentCard.skills[${i}].id`, `${JSON.stringify(s.id)} is the id of another skill`);
      ids.add(s.id);
    });
  }
  const names = new Set<string>();
  (a2a.clients ?? []).forEach((c, i) => {
    if (!c.name?.trim()) fail(`clients[${i}].name`, 'must not be empty');
    if (names.has(c.name)) fail(`clients[${i}].name`, `${JSON.stringify(c.name)} names another client`);
    names.add(c.name);
    if (c.endpoint !== undefined && !/^https?:\/\/[^\s/]+/.test(c.endpoint)) fail(`clients[${i}].url`, `must be an http(s) URL, got ${JSON.stringify(c.endpoint)}`);
  });
}

function duration(scope: IConstruct, field: string, d: Duration): string {
  try {
    return goDuration(d);
  } catch (e) {
    return invalidProp(scope, field, (e as Error).message);
  }
}

/** The release's `spec.facades`. */
export function renderFacades(scope: IConstruct, facades: Facade[], namespace: string | undefined): any[] {
  const primary = primaryFacade(facades);
  const ports = listenPorts(facades);
  return facades.map((f, i) => {
    const o = f.options;
    const isPrimary = f === primary;
    const env = Object.entries(o.env ?? {});
    const a2a = f.a2aOptions;
    return {
      type: f.type,
      // A secondary a2a facade and an mcp facade listen on their own sub-setting's port.
      port: isPrimary ? ports[i] : undefined,
      handler: o.handler,
      image: o.image,
      extraEnv: env.length ? env.map(([name, v]) => ({ name, value: v.value, valueFrom: kplus.k8s.toJson_EnvVarSource(v.valueFrom) })) : undefined,
      clientToolTimeout: o.clientToolTimeout && duration(scope, 'clientToolTimeout', o.clientToolTimeout),
      drainTimeout: o.drainTimeout && duration(scope, 'drainTimeout', o.drainTimeout),
      managementPlane: o.managementPlane,
      expose: o.expose ? { enabled: true, host: o.exposeHost } : undefined,
      a2a: a2a && renderA2a(scope, a2a, isPrimary ? undefined : ports[i], namespace),
      mcp: f.type === FacadeType.MCP ? { enabled: true, port: ports[i] } : undefined,
    };
  });
}

function renderA2a(scope: IConstruct, a2a: A2aFacadeOptions, port: number | undefined, namespace: string | undefined): any {
  const card = a2a.agentCard;
  const rendered = {
    port,
    agentCard: card && {
      name: card.name,
      description: card.description,
      version: card.version,
      organization: card.organization,
      skills: card.skills?.map((s) => ({ id: s.id, name: s.name, description: s.description, tags: s.tags, examples: s.examples })),
      capabilities: card.capabilities && { streaming: card.capabilities.streaming, pushNotifications: card.capabilities.pushNotifications },
      defaultInputModes: card.defaultInputModes,
      defaultOutputModes: card.defaultOutputModes,
    },
    taskTTL: a2a.taskTtl && duration(scope, 'taskTtl', a2a.taskTtl),
    conversationTTL: a2a.conversationTtl && duration(scope, 'conversationTtl', a2a.conversationTtl),
    taskStore: a2a.taskStore && { type: a2a.taskStore.type, redisSecretRef: a2a.taskStore.secret && { name: a2a.taskStore.secret.name } },
    clients: a2a.clients?.map((c) => ({
      name: c.name,
      agentRuntimeRef: c.agent && refTo(c.agent, namespace),
      url: c.endpoint,
      exposeAsTools: c.options.exposeAsTools,
      authentication: c.options.tokenSecret && { secretRef: { name: c.options.tokenSecret.name } },
    })),
  };
  return Object.values(rendered).some((v) => v !== undefined) ? rendered : undefined;
}

/** The release's mode fields, duplex, console, media and service group. */
export function renderModeSpec(scope: IConstruct, props: FacadeProps): any {
  return {
    mode: props.mode,
    inputSchema: props.inputSchema,
    outputSchema: props.outputSchema,
    outputFormat: props.outputFormat,
    duplex: props.duplex && { enabled: true, mode: props.duplex.mode ?? DuplexMode.AUDIO },
    console: renderConsole(scope, props.console),
    media: props.mediaBasePath === undefined ? undefined : { basePath: props.mediaBasePath },
    serviceGroup: props.serviceGroup,
  };
}

function renderConsole(scope: IConstruct, console: ConsoleOptions | undefined): any {
  if (!console) return undefined;
  const whole = (field: string, value: number | undefined, min = 1, max = 2147483647): number | undefined => {
    if (value === undefined) return undefined;
    if (!Number.isInteger(value) || value < min || value > max) throw invalidProp(scope, `console.${field}`, `must be a whole number from ${min} to ${max}, got ${value}`);
    return value;
  };
  const bytes = (field: string, size: Size | undefined) => size && whole(field, size.toKibibytes() * 1024, 1, Number.MAX_SAFE_INTEGER);
  const seconds = (field: string, d: Duration | undefined) => {
    if (!d) return undefined;
    const ms = d.toMilliseconds();
    if (ms % 1000 !== 0) throw invalidProp(scope, `console.${field}`, `must be whole seconds, got ${ms}ms`);
    return whole(field, ms / 1000);
  };
  const dims = (field: string, d: ConsoleDimensions | undefined) => d && { width: whole(`${field}.width`, d.width), height: whole(`${field}.height`, d.height) };
  const m = console.mediaRequirements;
  const p = 'mediaRequirements';
  return {
    allowedAttachmentTypes: console.allowedAttachmentTypes,
    allowedExtensions: console.allowedExtensions,
    maxFileSize: bytes('maxFileSize', console.maxFileSize),
    maxFiles: whole('maxFiles', console.maxFiles, 1, 20),
    mediaRequirements: m && {
      image: m.image && {
        maxSizeBytes: bytes(`${p}.image.maxSize`, m.image.maxSize),
        maxDimensions: dims(`${p}.image.maxDimensions`, m.image.maxDimensions),
        recommendedDimensions: dims(`${p}.image.recommendedDimensions`, m.image.recommendedDimensions),
        supportedFormats: m.image.supportedFormats,
        preferredFormat: m.image.preferredFormat,
        compressionGuidance: m.image.compression,
      },
      video: m.video && {
        maxDurationSeconds: seconds(`${p}.video.maxDuration`, m.video.maxDuration),
        supportsSegmentSelection: m.video.supportsSegmentSelection,
        processingMode: m.video.processing,
        frameExtractionInterval: seconds(`${p}.video.frameExtractionInterval`, m.video.frameExtractionInterval),
      },
      audio: m.audio && {
        maxDurationSeconds: seconds(`${p}.audio.maxDuration`, m.audio.maxDuration),
        recommendedSampleRate: whole(`${p}.audio.recommendedSampleRate`, m.audio.recommendedSampleRate),
        supportsSegmentSelection: m.audio.supportsSegmentSelection,
        channels: whole(`${p}.audio.channels`, m.audio.channels),
        format: m.audio.format,
      },
      document: m.document && {
        maxPages: whole(`${p}.document.maxPages`, m.document.maxPages),
        supportsOCR: m.document.supportsOcr,
      },
    },
  };
}
