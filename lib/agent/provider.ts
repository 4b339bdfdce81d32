import { SecretKey } from '../core/secret-key';
import { checkArguments } from '../core/jsii-types';

/** Options shared by every provider. */
export interface ProviderOptions {
  /** Model identifier passed to the provider, for example `gpt-4-turbo`. */
  readonly model: string;
  /** Secret key holding the provider's API key. */
  readonly apiKey: SecretKey;
}

/** The LLM provider an agent talks to. One factory per provider the operator supports. */
export class Provider {
  /** OpenAI. */
  public static openai(options: ProviderOptions): Provider {
    checkArguments('Provider.openai', 'cdk8s-omnia.Provider', 'openai', [options]);
    return new Provider('openai', options);
  }

  /** Anthropic Claude. */
  public static claude(options: ProviderOptions): Provider {
    checkArguments('Provider.claude', 'cdk8s-omnia.Provider', 'claude', [options]);
    return new Provider('claude', options);
  }

  /** Google Gemini. */
  public static gemini(options: ProviderOptions): Provider {
    checkArguments('Provider.gemini', 'cdk8s-omnia.Provider', 'gemini', [options]);
    return new Provider('gemini', options);
  }

  /** A self-hosted Ollama server. */
  public static ollama(options: ProviderOptions): Provider {
    checkArguments('Provider.ollama', 'cdk8s-omnia.Provider', 'ollama', [options]);
    return new Provider('ollama', options);
  }

  /** A self-hosted vLLM server. */
  public static vllm(options: ProviderOptions): Provider {
    checkArguments('Provider.vllm', 'cdk8s-omnia.Provider', 'vllm', [options]);
    return new Provider('vllm', options);
  }

  /** The operator's mock provider, for tests and demos. */
  public static mock(options: ProviderOptions): Provider {
    checkArguments('Provider.mock', 'cdk8s-omnia.Provider', 'mock', [options]);
    return new Provider('mock', options);
  }

  /** Provider name as the CRD spells it. */
  public readonly name: string;
  /** Model identifier. */
  public readonly model: string;
  /** Secret key holding the API key. */
  public readonly apiKey: SecretKey;

  private constructor(name: string, options: ProviderOptions) {
    this.name = name;
    this.model = options.model;
    this.apiKey = options.apiKey;
  }
}
