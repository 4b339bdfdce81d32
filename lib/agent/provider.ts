import { ApiObject, ApiObjectMetadataDefinition, Chart, Duration, Names } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { OMNIA_API_VERSION, OmniaApiTarget } from '../api';
import { AppState } from '../core/app-state';
import { goDuration } from '../core/duration';
import { describeObject, describeResource, invalidProp, mistake, objectLabel } from '../core/errors';
import { callSite, checkArguments } from '../core/jsii-types';
import { addStandardLabels } from '../core/labels';
import { ExternalReference, IOmniaReference } from '../core/references';
import { SecretKey } from '../core/secret-key';
import { refusedByTarget, targetFor } from '../core/target';
import { ReleaseObject } from '../targets/release-kinds';

// The enums below restate the release's Provider CRD (v0.9.0-beta.17, `providers.omnia.altairalabs.ai`).

/** The wire protocol or vendor of a Provider. */
export enum ProviderType {
  /** Anthropic Claude. */
  CLAUDE = 'claude',
  /** OpenAI, or any OpenAI-compatible endpoint (with `baseUrl`). */
  OPENAI = 'openai',
  /** Google Gemini. */
  GEMINI = 'gemini',
  /** A self-hosted Ollama server (needs `baseUrl`). */
  OLLAMA = 'ollama',
  /** The operator's mock provider, for tests and demos: answers without a model service. */
  MOCK = 'mock',
  /** A self-hosted vLLM server (needs `baseUrl`). */
  VLLM = 'vllm',
  /** Voyage AI embeddings (embedding role only). */
  VOYAGEAI = 'voyageai',
  /** Cartesia text to speech (tts role only). */
  CARTESIA = 'cartesia',
  /** ElevenLabs text to speech (tts role only). */
  ELEVENLABS = 'elevenlabs',
  /** Google Imagen image generation (image role only). */
  IMAGEN = 'imagen',
  /** Hugging Face inference (inference role only). */
  HUGGINGFACE = 'huggingface',
}

/** What a Provider is used for. */
export enum ProviderRole {
  /** A chat model: what an agent talks to. */
  LLM = 'llm',
  /** Embeddings. */
  EMBEDDING = 'embedding',
  /** Text to speech. */
  TTS = 'tts',
  /** Speech to text. */
  STT = 'stt',
  /** Image generation. */
  IMAGE = 'image',
  /** Generic inference. */
  INFERENCE = 'inference',
}

/** A capability a Provider advertises. */
export enum ProviderCapability {
  /** Text. */
  TEXT = 'text',
  /** Streamed responses. */
  STREAMING = 'streaming',
  /** Image input. */
  VISION = 'vision',
  /** Tool calls. */
  TOOLS = 'tools',
  /** JSON output. */
  JSON = 'json',
  /** Audio. */
  AUDIO = 'audio',
  /** Video. */
  VIDEO = 'video',
  /** Documents. */
  DOCUMENTS = 'documents',
  /** Full-duplex audio. */
  DUPLEX = 'duplex',
}

/** How the conversation is cut when it exceeds the context window. */
export enum TruncationStrategy {
  /** The oldest messages go first. */
  SLIDING = 'sliding',
  /** Old messages are summarized, then removed. */
  SUMMARIZE = 'summarize',
  /** The runtime's own implementation. */
  CUSTOM = 'custom',
}

/** Distance metric of embeddings. */
export enum EmbeddingDistance {
  /** Cosine. */
  COSINE = 'cosine',
  /** Euclidean. */
  L2 = 'l2',
  /** Dot product. */
  DOT = 'dot',
}

/** Audio container of synthesized speech. */
export enum AudioFormat {
  /** Raw PCM. */
  PCM = 'pcm',
  /** MP3. */
  MP3 = 'mp3',
  /** Opus. */
  OPUS = 'opus',
  /** WAV. */
  WAV = 'wav',
  /** FLAC. */
  FLAC = 'flac',
}

/** Where a Provider's credential comes from. One factory per form the release's Provider accepts. */
export class ProviderCredential {
  /** One key of a Secret in the Provider's namespace (`credential.secretRef{name, key}`). */
  public static fromSecretKey(key: SecretKey): ProviderCredential {
    checkArguments('ProviderCredential.fromSecretKey', 'cdk8s-omnia.ProviderCredential', 'fromSecretKey', [key]);
    return new ProviderCredential('secretKey', key.secret, key);
  }

  /**
   * A Secret in the Provider's namespace without a key: the operator takes the first key it knows for the
   * type (`OPENAI_API_KEY`, `OPENAI_TOKEN`, `api-key` for openai, say).
   */
  public static fromSecret(secret: kplus.ISecret): ProviderCredential {
    checkArguments('ProviderCredential.fromSecret', 'cdk8s-omnia.ProviderCredential', 'fromSecret', [secret]);
    return new ProviderCredential('secret', secret);
  }

  /** An environment variable of the runtime pod (`credential.envVar`); set it with the agent's `env`. */
  public static fromEnvVar(name: string): ProviderCredential {
    checkArguments('ProviderCredential.fromEnvVar', 'cdk8s-omnia.ProviderCredential', 'fromEnvVar', [name]);
    return new ProviderCredential('envVar', undefined, undefined, name);
  }

  /** A file mounted in the runtime pod (`credential.filePath`, an absolute path). */
  public static fromFile(path: string): ProviderCredential {
    checkArguments('ProviderCredential.fromFile', 'cdk8s-omnia.ProviderCredential', 'fromFile', [path]);
    return new ProviderCredential('filePath', undefined, undefined, path);
  }

  /** No credential: for mock, ollama and vllm, and for a provider on a hosted platform (its `auth` signs in). */
  public static none(): ProviderCredential {
    return new ProviderCredential('none');
  }

  private constructor(
    /** The form: `secretKey`, `secret`, `envVar`, `filePath` or `none`. */
    public readonly kind: string,
    /**
     * The Secret, for the Secret forms.
     * @default - none
     */
    public readonly secret?: kplus.ISecret,
    /**
     * The Secret key, for `fromSecretKey`.
     * @default - none
     */
    public readonly secretKey?: SecretKey,
    /**
     * The variable name or file path.
     * @default - none
     */
    public readonly value?: string,
  ) {}

  /** @internal */
  public _render(): any {
    switch (this.kind) {
      case 'secretKey': return { secretRef: this.secretKey!._toRef() };
      case 'secret': return { secretRef: { name: this.secret!.name } };
      case 'envVar': return { envVar: this.value };
      case 'filePath': return { filePath: this.value };
      default: return undefined;
    }
  }
}

/** Options of `PlatformAuth.workloadIdentity`. */
export interface WorkloadIdentityOptions {
  /**
   * The AWS IAM role to assume (IRSA); bedrock only.
   * @default - the pod's own role
   */
  readonly roleArn?: string;
  /**
   * The GCP service account to act as; vertex only.
   * @default - the pod's own
   */
  readonly serviceAccountEmail?: string;
}

/** How a Provider signs in to a hosted platform. */
export class PlatformAuth {
  /** The pod's cloud identity; no Secret. */
  public static workloadIdentity(options: WorkloadIdentityOptions = {}): PlatformAuth {
    checkArguments('PlatformAuth.workloadIdentity', 'cdk8s-omnia.PlatformAuth', 'workloadIdentity', [options]);
    return new PlatformAuth('workloadIdentity', undefined, undefined, options ?? {});
  }

  /**
   * AWS access keys (bedrock), from a Secret holding `AWS_ACCESS_KEY_ID` and `AWS_SECRET_ACCESS_KEY`.
   * @param key the one key to read instead
   */
  public static accessKey(secret: kplus.ISecret, key?: string): PlatformAuth {
    checkArguments('PlatformAuth.accessKey', 'cdk8s-omnia.PlatformAuth', 'accessKey', [secret, key]);
    return new PlatformAuth('accessKey', secret, key);
  }

  /**
   * A GCP service account key (vertex), from a Secret holding `credentials.json`.
   * @param key the key to read instead
   */
  public static serviceAccount(secret: kplus.ISecret, key?: string): PlatformAuth {
    checkArguments('PlatformAuth.serviceAccount', 'cdk8s-omnia.PlatformAuth', 'serviceAccount', [secret, key]);
    return new PlatformAuth('serviceAccount', secret, key);
  }

  /**
   * An Azure service principal (azure), from a Secret holding `AZURE_TENANT_ID`, `AZURE_CLIENT_ID` and
   * `AZURE_CLIENT_SECRET`.
   * @param key the one key to read instead
   */
  public static servicePrincipal(secret: kplus.ISecret, key?: string): PlatformAuth {
    checkArguments('PlatformAuth.servicePrincipal', 'cdk8s-omnia.PlatformAuth', 'servicePrincipal', [secret, key]);
    return new PlatformAuth('servicePrincipal', secret, key);
  }

  private constructor(
    /** The method, as the CRD spells it. */
    public readonly type: string,
    /**
     * The Secret holding the platform credentials.
     * @default - none (workload identity)
     */
    public readonly secret?: kplus.ISecret,
    /**
     * The key to read.
     * @default - the keys of the method
     */
    public readonly key?: string,
    private readonly identity: WorkloadIdentityOptions = {},
  ) {}

  /** @internal */
  public _render(): any {
    return {
      type: this.type,
      credentialsSecretRef: this.secret && { name: this.secret.name, key: this.key },
      roleArn: this.identity.roleArn,
      serviceAccountEmail: this.identity.serviceAccountEmail,
    };
  }
}

/** Options of `HostedPlatform.bedrock`. */
export interface BedrockOptions {
  /** AWS region, such as `us-east-1`. */
  readonly region: string;
  /** Workload identity or access keys. */
  readonly auth: PlatformAuth;
  /**
   * API endpoint.
   * @default - the region's
   */
  readonly endpoint?: string;
}

/** Options of `HostedPlatform.vertex`. */
export interface VertexOptions {
  /** GCP project id. */
  readonly project: string;
  /** GCP region, such as `us-central1`. */
  readonly region: string;
  /** Workload identity or a service account key. */
  readonly auth: PlatformAuth;
  /**
   * API endpoint.
   * @default - the region's
   */
  readonly endpoint?: string;
}

/** Options of `HostedPlatform.azure`. */
export interface AzureOptions {
  /** The Azure OpenAI resource URL. */
  readonly endpoint: string;
  /** Workload identity or a service principal. */
  readonly auth: PlatformAuth;
}

/** A hyperscaler that hosts the model (claude, openai or gemini), and how to sign in to it. */
export class HostedPlatform {
  /** AWS Bedrock: claude or openai. */
  public static bedrock(options: BedrockOptions): HostedPlatform {
    checkArguments('HostedPlatform.bedrock', 'cdk8s-omnia.HostedPlatform', 'bedrock', [options]);
    return new HostedPlatform('bedrock', options.auth, options.region, undefined, options.endpoint);
  }

  /** Google Vertex AI: claude or gemini. */
  public static vertex(options: VertexOptions): HostedPlatform {
    checkArguments('HostedPlatform.vertex', 'cdk8s-omnia.HostedPlatform', 'vertex', [options]);
    return new HostedPlatform('vertex', options.auth, options.region, options.project, options.endpoint);
  }

  /** Azure: claude or openai. */
  public static azure(options: AzureOptions): HostedPlatform {
    checkArguments('HostedPlatform.azure', 'cdk8s-omnia.HostedPlatform', 'azure', [options]);
    return new HostedPlatform('azure', options.auth, undefined, undefined, options.endpoint);
  }

  private constructor(
    /** The platform, as the CRD spells it. */
    public readonly type: string,
    /** How to sign in. */
    public readonly auth: PlatformAuth,
    /**
     * Region.
     * @default - none
     */
    public readonly region?: string,
    /**
     * Project.
     * @default - none
     */
    public readonly project?: string,
    /**
     * Endpoint.
     * @default - the platform's
     */
    public readonly endpoint?: string,
  ) {}
}

/** Tuning of the model's calls. */
export interface ProviderDefaults {
  /**
   * Randomness, 0 to 2.
   * @default - the provider's
   */
  readonly temperature?: number;
  /**
   * Nucleus sampling, 0 to 1.
   * @default - the provider's
   */
  readonly topP?: number;
  /**
   * Most tokens in a response.
   * @default - the provider's
   */
  readonly maxTokens?: number;
  /**
   * Context size in tokens; longer conversations are truncated.
   * @default - no truncation
   */
  readonly contextWindow?: number;
  /**
   * How a conversation longer than the context window is cut.
   * @default TruncationStrategy.SLIDING
   */
  readonly truncationStrategy?: TruncationStrategy;
  /**
   * Cap on a non-streaming call.
   * @default - the provider's (60s, typically)
   */
  readonly requestTimeout?: Duration;
  /**
   * How long a stream may stay silent before it is aborted.
   * @default - 30 seconds
   */
  readonly streamIdleTimeout?: Duration;
}

/** Costs of a provider, for cost tracking, in the currency of your choice per 1000 tokens. */
export interface ProviderPricing {
  /**
   * Per 1000 input tokens.
   * @default - the runtime's built-in pricing
   */
  readonly inputCostPer1K?: number;
  /**
   * Per 1000 output tokens.
   * @default - the runtime's built-in pricing
   */
  readonly outputCostPer1K?: number;
  /**
   * Per 1000 cached tokens.
   * @default - the runtime's built-in pricing
   */
  readonly cachedCostPer1K?: number;
}

/** Settings of an embedding-role provider. */
export interface EmbeddingSettings {
  /**
   * Vector size, 1 to 4096.
   * @default - the model's
   */
  readonly dimensions?: number;
  /**
   * Distance metric the vector store should use.
   * @default - the consumer's
   */
  readonly distance?: EmbeddingDistance;
}

/** Settings of a text-to-speech provider. */
export interface TextToSpeechSettings {
  /**
   * The vendor's voice id (`alloy` for OpenAI, an ElevenLabs voice UUID, a Cartesia handle).
   * @default - the vendor's
   */
  readonly voice?: string;
  /**
   * Output container.
   * @default - the vendor's
   */
  readonly format?: AudioFormat;
  /**
   * Output sample rate in Hz, 8000 to 48000.
   * @default - the vendor's
   */
  readonly sampleRate?: number;
  /**
   * Fixture audio files, for the mock provider.
   * @default - none
   */
  readonly audioFiles?: string[];
}

/** Settings of a speech-to-text provider. */
export interface SpeechToTextSettings {
  /**
   * ISO-639-1 language code (`en`, `pt-BR`).
   * @default - detected
   */
  readonly language?: string;
  /**
   * Input sample rate in Hz, 8000 to 48000.
   * @default - the vendor's
   */
  readonly sampleRate?: number;
}

/** Props of a Provider. */
export interface ProviderProps extends kplus.ResourceProps {
  /** Wire protocol or vendor. */
  readonly type: ProviderType;
  /**
   * Model identifier, such as `gpt-4o` or `claude-sonnet-4-20250514`.
   * @default - the provider's default model (the documented API requires one)
   */
  readonly model?: string;
  /**
   * Where the credential comes from.
   * @default - none for mock, ollama, vllm and a provider on a hosted platform; required for the others
   */
  readonly credential?: ProviderCredential;
  /**
   * API endpoint instead of the provider's default: a proxy, a gateway, a self-hosted server. Required for
   * ollama and vllm, which have no default.
   * @default - the provider's endpoint
   */
  readonly baseUrl?: string;
  /**
   * HTTP headers sent with every request (attribution, tenant routing). Not for credentials.
   * @default - none
   */
  readonly headers?: { [name: string]: string };
  /**
   * Tuning of the model's calls.
   * @default - the provider's
   */
  readonly defaults?: ProviderDefaults;
  /**
   * Costs, for cost tracking.
   * @default - the runtime's built-in pricing
   */
  readonly pricing?: ProviderPricing;
  /**
   * What the provider is used for.
   * @default - the type's only role for single-role vendors (voyageai: embedding; cartesia, elevenlabs: tts;
   * imagen: image; huggingface: inference), else ProviderRole.LLM
   */
  readonly role?: ProviderRole;
  /**
   * Settings of an embedding-role provider.
   * @default - none
   */
  readonly embedding?: EmbeddingSettings;
  /**
   * Settings of a tts-role provider.
   * @default - none
   */
  readonly tts?: TextToSpeechSettings;
  /**
   * Settings of an stt-role provider.
   * @default - none
   */
  readonly stt?: SpeechToTextSettings;
  /**
   * Capabilities the provider advertises.
   * @default - none declared
   */
  readonly capabilities?: ProviderCapability[];
  /**
   * A hyperscaler hosting the model, with its sign-in.
   * @default - the vendor's own API
   */
  readonly platform?: HostedPlatform;
}

/** Options of `Provider.fromProviderName`. */
export interface ProviderReferenceOptions {
  /**
   * Namespace of the Provider.
   * @default - the namespace of the agent that refers to it
   */
  readonly namespace?: string;
  /**
   * The Secrets the Provider reads its credentials from. An agent of this app in another namespace gets a
   * Role in the Provider's namespace to read the Provider and these (its pod reads them itself).
   * @default - none: the Provider's owner grants the agents' pods access to its Secrets
   */
  readonly secretNames?: string[];
}

/** A Provider, defined in this app or outside it. */
export interface IProvider extends IOmniaReference {}

/** A Provider outside the app. */
class ExternalProvider extends ExternalReference implements IProvider {
  public constructor(scope: Construct, id: string, name: string, namespace: string | undefined, public readonly secretNames: string[]) {
    super(scope, id, 'Provider', name, namespace);
  }
}


// What the release's CRD allows, rule by rule.
const ROLE_TYPES: { [role: string]: ProviderType[] } = {
  llm: [ProviderType.CLAUDE, ProviderType.OPENAI, ProviderType.GEMINI, ProviderType.OLLAMA, ProviderType.MOCK, ProviderType.VLLM],
  embedding: [ProviderType.OPENAI, ProviderType.VOYAGEAI, ProviderType.GEMINI, ProviderType.OLLAMA],
  tts: [ProviderType.OPENAI, ProviderType.CARTESIA, ProviderType.ELEVENLABS],
  stt: [ProviderType.OPENAI],
  image: [ProviderType.IMAGEN],
  inference: [ProviderType.HUGGINGFACE],
};
const ONLY_ROLE: { [type: string]: ProviderRole } = {
  voyageai: ProviderRole.EMBEDDING, cartesia: ProviderRole.TTS, elevenlabs: ProviderRole.TTS, imagen: ProviderRole.IMAGE, huggingface: ProviderRole.INFERENCE,
};
/** Types the operator knows no endpoint for. */
const NEEDS_BASE_URL = [ProviderType.OLLAMA, ProviderType.VLLM];
/** Types the release runs without a credential. */
const NO_CREDENTIAL = [ProviderType.MOCK, ProviderType.OLLAMA, ProviderType.VLLM];
const PLATFORM_TYPES: { [platform: string]: ProviderType[] } = {
  bedrock: [ProviderType.CLAUDE, ProviderType.OPENAI],
  vertex: [ProviderType.CLAUDE, ProviderType.GEMINI],
  azure: [ProviderType.CLAUDE, ProviderType.OPENAI],
};
const PLATFORM_AUTH: { [platform: string]: string } = { bedrock: 'accessKey', vertex: 'serviceAccount', azure: 'servicePrincipal' };
/** The provider names of the documented AgentRuntime's inline `spec.provider`. */
const DOCUMENTED_TYPES = [ProviderType.OPENAI, ProviderType.CLAUDE, ProviderType.GEMINI, ProviderType.OLLAMA, ProviderType.VLLM, ProviderType.MOCK];

/**
 * An LLM (or embedding, speech, image) provider: the vendor, model, endpoint and credential agents use.
 * For the release it is a `Provider` object that agents in any namespace refer to; for the documented API,
 * which has no such kind, it writes no object and each agent using it carries it inline.
 */
export class Provider extends kplus.Resource implements IProvider {
  /**
   * Refers to a Provider that exists outside this app (in another namespace, say); nothing is synthesized
   * for it. The documented API has no Provider kind: there it is refused.
   */
  public static fromProviderName(scope: Construct, id: string, name: string, options: ProviderReferenceOptions = {}): IProvider {
    checkArguments(callSite(scope, id, 'Provider.fromProviderName'), 'cdk8s-omnia.Provider', 'fromProviderName', [scope, id, name, options]);
    const { namespace, secretNames = [] } = options ?? {};
    const target = targetFor(scope);
    if (target === OmniaApiTarget.DOCUMENTED) {
      const object = objectLabel({ kind: 'Provider', name, namespace });
      throw mistake(`${callSite(scope, id, 'Provider.fromProviderName')}: ${object}: fromProviderName: ${refusedByTarget(OmniaApiTarget.DOCUMENTED, 'a Provider object the agent refers to (the documented AgentRuntime carries its provider inline: define it with new Provider)')}`);
    }
    return new ExternalProvider(scope, id, name, namespace, secretNames);
  }

  /**
   * The Secrets the pods of an agent using `provider` read, as far as the app knows them.
   * @internal
   */
  public static _secretNamesOf(provider: IProvider): string[] {
    if (provider instanceof Provider) return provider._secretNames();
    return provider instanceof ExternalProvider ? [...provider.secretNames] : [];
  }

  /** @see kplus.Resource */
  public readonly resourceType = 'providers';
  /** Wire protocol or vendor. */
  public readonly type: ProviderType;
  /** What the provider is used for. */
  public readonly role: ProviderRole;
  /**
   * Model identifier.
   * @default - the provider's default
   */
  public readonly model?: string;
  /** Where the credential comes from. */
  public readonly credential: ProviderCredential;
  /**
   * API endpoint.
   * @default - the provider's
   */
  public readonly baseUrl?: string;
  /** The Omnia API this provider is written for (the app's target). */
  public readonly target: OmniaApiTarget;
  protected readonly apiObject: ApiObject;
  /** The release's spec, when the app targets the release. */
  private readonly spec?: any;
  /** The Provider's own metadata when the app targets the documented API (its `apiObject` is shared). */
  private readonly documentedMetadata?: ApiObjectMetadataDefinition;

  public constructor(scope: Construct, id: string, props: ProviderProps) {
    super(scope, id);
    describeObject(this, () => describeResource(this, 'Provider', props?.metadata));
    checkArguments(this, 'cdk8s-omnia.Provider', undefined, [scope, id, props]);
    this.type = props.type;
    this.role = props.role ?? ONLY_ROLE[props.type] ?? ProviderRole.LLM;
    this.model = props.model;
    this.baseUrl = props.baseUrl;
    const hosted = props.platform !== undefined;
    this.credential = props.credential ?? (NO_CREDENTIAL.includes(props.type) || hosted ? ProviderCredential.none() : undefined as any);
    this.target = targetFor(this);

    if (this.target === OmniaApiTarget.DOCUMENTED) {
      this.checkForDocumented(props);
      // The documented API has no Provider kind, so nothing is written: the construct keeps a name, namespace
      // and labels of its own in a metadata definition, which points at one object of the app kept outside its tree.
      const chart = Chart.of(this);
      this.apiObject = documentedPlaceholder(this);
      this.documentedMetadata = new ApiObjectMetadataDefinition({
        name: Names.toDnsLabel(this),
        ...props.metadata,
        namespace: props.metadata?.namespace ?? chart.namespace,
        labels: { ...chart.labels, ...props.metadata?.labels },
        apiObject: this.apiObject,
      });
    } else {
      this.spec = this.renderSpec(props);
      this.apiObject = new ReleaseObject(this, 'Resource', {
        apiVersion: OMNIA_API_VERSION,
        kind: 'Provider',
        metadata: props.metadata,
        spec: this.spec,
      });
    }
    this.checkProps(props);
    addStandardLabels(this, this.metadata, 'provider', this.name);
  }

  /** The Provider's metadata: its name, namespace, labels and annotations. */
  public get metadata(): ApiObjectMetadataDefinition {
    return this.documentedMetadata ?? super.metadata;
  }

  /** The Provider's name. */
  public get name(): string {
    return this.documentedMetadata?.name ?? super.name;
  }

  /** Namespace of the Provider. */
  public get namespace(): string | undefined {
    return this.metadata.namespace;
  }

  /**
   * The documented AgentRuntime's inline `spec.provider`.
   * @internal
   */
  public _documentedSpec(): { name: string; model: string; apiKeySecretRef: { name: string; key: string } } {
    return { name: this.type, model: this.model!, apiKeySecretRef: this.credential.secretKey!._toRef() };
  }

  /**
   * What the reference checks read of the manifest (without rendering).
   * @internal
   */
  public _referenceView(): any {
    return {
      apiVersion: this.apiObject.apiVersion,
      kind: 'Provider',
      metadata: { name: this.name, namespace: this.namespace },
      spec: { type: this.type, credential: this.spec?.credential, auth: this.spec?.auth, platform: this.spec?.platform, headers: this.spec?.headers },
    };
  }

  /**
   * The Secrets the provider's pods read: its credential's and its platform sign-in's.
   * @internal
   */
  public _secretNames(): string[] {
    const names = [this.spec?.credential?.secretRef?.name, this.spec?.auth?.credentialsSecretRef?.name].filter((n): n is string => typeof n === 'string');
    return [...new Set(names)];
  }

  /** What the documented AgentRuntime's inline provider cannot say, refused while the props are at hand. */
  private checkForDocumented(props: ProviderProps): void {
    const refuse = (field: string, what: string) => {
      throw invalidProp(this, field, refusedByTarget(OmniaApiTarget.DOCUMENTED, what));
    };
    if (!DOCUMENTED_TYPES.includes(props.type)) refuse('type', `a provider of type ${props.type}`);
    if (!props.model) throw invalidProp(this, 'model', 'the documented API needs a model: give a non-empty model name');
    if (this.credential?.kind !== 'secretKey') {
      refuse('credential', `a credential ${this.credential ? describeCredential(this.credential) : 'left out'} (the documented API reads the API key from a Secret key: ProviderCredential.fromSecretKey)`);
    }
    const unsupported: Array<[keyof ProviderProps, string]> = [
      ['baseUrl', 'a base URL'], ['headers', 'HTTP headers'], ['defaults', 'provider defaults'], ['pricing', 'pricing'],
      ['embedding', 'embedding settings'], ['tts', 'tts settings'], ['stt', 'stt settings'], ['capabilities', 'capabilities'],
      ['platform', 'a hosted platform'],
    ];
    for (const [field, what] of unsupported) if (props[field] !== undefined) refuse(field, what);
    if (this.role !== ProviderRole.LLM) refuse('role', `a provider of role ${this.role}`);
  }

  /** The spec in the release's shape. */
  private renderSpec(props: ProviderProps): any {
    const d = props.defaults;
    const p = props.platform;
    return {
      type: this.type,
      role: this.role,
      model: this.model,
      baseURL: this.baseUrl,
      headers: props.headers,
      credential: this.credential?._render(),
      defaults: d && {
        temperature: d.temperature === undefined ? undefined : decimal(d.temperature),
        topP: d.topP === undefined ? undefined : decimal(d.topP),
        maxTokens: d.maxTokens,
        contextWindow: d.contextWindow,
        truncationStrategy: d.truncationStrategy ?? TruncationStrategy.SLIDING,
        requestTimeout: d.requestTimeout && this.duration('defaults.requestTimeout', d.requestTimeout),
        streamIdleTimeout: d.streamIdleTimeout && this.duration('defaults.streamIdleTimeout', d.streamIdleTimeout),
      },
      pricing: props.pricing && {
        inputCostPer1K: props.pricing.inputCostPer1K === undefined ? undefined : decimal(props.pricing.inputCostPer1K),
        outputCostPer1K: props.pricing.outputCostPer1K === undefined ? undefined : decimal(props.pricing.outputCostPer1K),
        cachedCostPer1K: props.pricing.cachedCostPer1K === undefined ? undefined : decimal(props.pricing.cachedCostPer1K),
      },
      embedding: props.embedding,
      tts: props.tts,
      stt: props.stt,
      capabilities: props.capabilities,
      platform: p && { type: p.type, region: p.region, project: p.project, endpoint: p.endpoint },
      auth: p?.auth?._render(),
    };
  }

  private duration(field: string, duration: Duration): string {
    try {
      return goDuration(duration);
    } catch (e) {
      throw invalidProp(this, field, (e as Error).message);
    }
  }

  /** What the release's CRD and operator require, checked while the props are at hand. */
  private checkProps(props: ProviderProps): void {
    const fail = (field: string, reason: string) => {
      throw invalidProp(this, field, reason);
    };
    const type = this.type;
    if (props.model !== undefined && !props.model) fail('model', 'must be a non-empty model name (leave it out for the provider\'s default)');
    const roleTypes = ROLE_TYPES[this.role];
    if (!roleTypes.includes(type)) fail('role', `a provider of role ${this.role} must be of type ${roleTypes.join(', ')}; got ${type}`);
    if (ONLY_ROLE[type] && ONLY_ROLE[type] !== this.role) fail('role', `${type} is a ${ONLY_ROLE[type]}-only vendor: use role ${ONLY_ROLE[type]}`);
    for (const [field, role] of [['embedding', ProviderRole.EMBEDDING], ['tts', ProviderRole.TTS], ['stt', ProviderRole.STT]] as const) {
      if (props[field] !== undefined && this.role !== role) fail(field, `only for a provider of role ${role}, this one is ${this.role}`);
    }
    const inRange = (field: string, v: number | undefined, min: number, max: number, integer = true) => {
      if (v === undefined) return;
      if (typeof v !== 'number' || !Number.isFinite(v) || (integer && !Number.isInteger(v)) || v < min || v > max) {
        fail(field, `must be ${integer ? 'a whole number ' : ''}from ${min} to ${max}, got ${JSON.stringify(v)}`);
      }
    };
    inRange('embedding.dimensions', props.embedding?.dimensions, 1, 4096);
    inRange('tts.sampleRate', props.tts?.sampleRate, 8000, 48000);
    inRange('stt.sampleRate', props.stt?.sampleRate, 8000, 48000);
    if (props.stt?.language !== undefined && !/^[a-z]{2}(-[A-Z]{2})?$/.test(props.stt.language)) {
      fail('stt.language', `${JSON.stringify(props.stt.language)} is not an ISO-639-1 code such as en or pt-BR`);
    }
    const d = props.defaults;
    inRange('defaults.temperature', d?.temperature, 0, 2, false);
    inRange('defaults.topP', d?.topP, 0, 1, false);
    inRange('defaults.maxTokens', d?.maxTokens, 1, 2147483647);
    inRange('defaults.contextWindow', d?.contextWindow, 1, 2147483647);
    for (const field of ['inputCostPer1K', 'outputCostPer1K', 'cachedCostPer1K'] as const) {
      inRange(`pricing.${field}`, props.pricing?.[field], 0, Number.MAX_SAFE_INTEGER, false);
    }

    if (this.baseUrl !== undefined && !isHttpUrl(this.baseUrl)) fail('baseUrl', `${JSON.stringify(this.baseUrl)} is not an http(s) URL`);
    if (this.baseUrl === undefined && NEEDS_BASE_URL.includes(type) && this.target !== OmniaApiTarget.DOCUMENTED) {
      fail('baseUrl', `the operator has no default endpoint for ${type}: give the server's URL (http://ollama.models.svc:11434, say)`);
    }
    for (const name of Object.keys(props.headers ?? {})) {
      if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name)) fail(`headers.${name}`, 'is not a valid HTTP header name');
    }

    const c = this.credential;
    if (c === undefined) {
      fail('credential', `a ${type} provider needs a credential (ProviderCredential.fromSecretKey, fromSecret, fromEnvVar or fromFile)`);
    } else if (c.kind === 'none' && !NO_CREDENTIAL.includes(type) && !props.platform) {
      fail('credential', `a ${type} provider needs a credential; only mock, ollama, vllm and a provider on a hosted platform run without one`);
    } else if (c.kind === 'envVar' && !/^[A-Za-z_][A-Za-z0-9_]*$/.test(c.value ?? '')) {
      fail('credential', `${JSON.stringify(c.value)} is not an environment variable name`);
    } else if (c.kind === 'filePath' && !/^\/.*/.test(c.value ?? '')) {
      fail('credential', `${JSON.stringify(c.value)} is not an absolute path`);
    }
    // The operator reads the Secret in the Provider's namespace.
    const secret = c?.secret;
    if (secret instanceof kplus.Secret && (secret.metadata.namespace ?? 'default') !== (this.namespace ?? 'default')) {
      fail('credential', `Secret ${secret.metadata.namespace ?? 'default'}/${secret.name} is not in the Provider's namespace (${this.namespace ?? 'default'}), where the operator reads it`);
    }

    const p = props.platform;
    if (p) {
      if (this.role !== ProviderRole.LLM && this.role !== ProviderRole.EMBEDDING) fail('platform', `only for a provider of role llm or embedding, this one is ${this.role}`);
      if (!PLATFORM_TYPES[p.type].includes(type)) fail('platform', `${p.type} hosts ${PLATFORM_TYPES[p.type].join(' and ')}, not ${type}`);
      if ((p.type === 'bedrock' || p.type === 'vertex') && !p.region) fail('platform.region', `${p.type} needs a region`);
      if (p.type === 'vertex' && !p.project) fail('platform.project', 'vertex needs a GCP project id');
      if (p.endpoint !== undefined && !isHttpUrl(p.endpoint)) fail('platform.endpoint', `${JSON.stringify(p.endpoint)} is not an http(s) URL`);
      const auth = p.auth;
      if (!auth) fail('platform.auth', 'is required');
      if (auth.type !== 'workloadIdentity' && auth.type !== PLATFORM_AUTH[p.type]) {
        fail('platform.auth', `${p.type} signs in with workload identity or ${PLATFORM_AUTH[p.type]}, not ${auth.type}`);
      }
      const identity = auth._render();
      if (identity.roleArn !== undefined && p.type !== 'bedrock') fail('platform.auth', 'roleArn is for bedrock only');
      if (identity.serviceAccountEmail !== undefined && p.type !== 'vertex') fail('platform.auth', 'serviceAccountEmail is for vertex only');
    }
  }
}

/** The app's one object that documented Providers' metadata point at, made on first use outside the app's tree. */
function documentedPlaceholder(scope: Construct): ApiObject {
  const state = AppState.of(scope);
  state.documentedProviderObject ??= new ApiObject(new Chart(undefined as any, 'cdk8s-omnia-documented-providers'), 'Provider', {
    apiVersion: OMNIA_API_VERSION,
    kind: 'Provider',
  });
  return state.documentedProviderObject;
}

/** How a credential is given, in words, for the error that the documented API cannot take it. */
function describeCredential(c: ProviderCredential): string {
  switch (c.kind) {
    case 'secret': return 'from a Secret without a key';
    case 'envVar': return 'from an environment variable';
    case 'filePath': return 'from a file';
    default: return 'of none';
  }
}

function isHttpUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
  } catch {
    return false;
  }
}

/** A number as the decimal string the CRD takes (`0.7`), never in exponent form. */
function decimal(n: number): string {
  return n.toLocaleString('en-US', { useGrouping: false, maximumFractionDigits: 20 });
}
