import { checkArguments } from '../core/jsii-types';

/** Options of a framework with a default image. */
export interface FrameworkOptions {
  /**
   * Version of the framework.
   * @default - the newest the operator supports
   */
  readonly version?: string;
  /**
   * Container image of the agent runtime, replacing the framework's default (a private registry, a custom build).
   * @default - the operator's image for the framework
   */
  readonly image?: string;
}

/** Options of a framework the operator has no image for. */
export interface FrameworkImageOptions {
  /** Container image of the agent runtime. */
  readonly image: string;
  /**
   * Version of the framework.
   * @default - none
   */
  readonly version?: string;
}

// An image reference: no spaces, an optional registry and tag or digest.
const IMAGE = /^[a-z0-9]+([._\-/:@][A-Za-z0-9_.\-]+)*$/;

/**
 * Which agent framework runs the agent (the release's `spec.framework`). The operator has images of its own
 * for PromptKit (the default) and LangChain; AutoGen and custom agents name theirs.
 */
export class AgentFramework {
  /** AltairaLabs' PromptKit, the operator's default. */
  public static promptKit(options: FrameworkOptions = {}): AgentFramework {
    checkArguments('AgentFramework.promptKit', 'cdk8s-omnia.AgentFramework', 'promptKit', [options]);
    options = options ?? {}; // null: options left out
    return new AgentFramework('promptkit', options.version, options.image);
  }

  /** LangChain. */
  public static langChain(options: FrameworkOptions = {}): AgentFramework {
    checkArguments('AgentFramework.langChain', 'cdk8s-omnia.AgentFramework', 'langChain', [options]);
    options = options ?? {}; // null: options left out
    return new AgentFramework('langchain', options.version, options.image);
  }

  /** Microsoft AutoGen; the released operator has no default image for it. */
  public static autoGen(options: FrameworkImageOptions): AgentFramework {
    checkArguments('AgentFramework.autoGen', 'cdk8s-omnia.AgentFramework', 'autoGen', [options]);
    return new AgentFramework('autogen', options?.version, options?.image, true);
  }

  /** An image of your own that serves the runtime's protocol. */
  public static custom(options: FrameworkImageOptions): AgentFramework {
    checkArguments('AgentFramework.custom', 'cdk8s-omnia.AgentFramework', 'custom', [options]);
    return new AgentFramework('custom', options?.version, options?.image, true);
  }

  /** @internal */
  public readonly _problems: string[] = [];

  private constructor(
    /** Framework type as the CRD spells it. */
    public readonly type: string,
    /** Framework version, when given. */
    public readonly version?: string,
    /** Runtime image, when given. */
    public readonly image?: string,
    needsImage = false,
  ) {
    if (needsImage && (image === undefined || image === null || image === '')) {
      this._problems.push(`image: a ${type} agent needs an image (the operator has none of its own for it)`);
    } else if (image !== undefined && (typeof image !== 'string' || !IMAGE.test(image))) {
      this._problems.push(`image: ${JSON.stringify(image)} is not an image reference`);
    }
    if (version !== undefined && (typeof version !== 'string' || version.trim() === '')) this._problems.push('version: must not be empty (leave it out for the default)');
  }

  /**
   * The release's `spec.framework`.
   * @internal
   */
  public _render(): any {
    return { type: this.type, version: this.version, image: this.image };
  }
}
