import { checkArguments } from '../core/jsii-types';
import { SecretKey } from '../core/secret-key';

/** Options of `ToolAuth.azureWorkloadIdentity`. */
export interface AzureWorkloadIdentityToolAuthOptions {
  /** Audience of the token the runtime requests (the tool API's application id URI, say). */
  readonly audience: string;
  /**
   * Request header that carries the token.
   * @default 'Authorization'
   */
  readonly header?: string;
}

/**
 * How the runtime authenticates to a tool's backend: the release's handler-level `auth` (v0.9.0-beta.17).
 * Credentials stay in Secrets, named by key; the operator copies each value into a Secret of the agent
 * (`<agent>-tool-secrets`) and never into the tools ConfigMap. The documented API has a bearer token only.
 */
export class ToolAuth {
  /** `Authorization: Bearer <value of the key>`. The release reads the Secret in the agent's namespace. */
  public static bearer(token: SecretKey): ToolAuth {
    checkArguments('ToolAuth.bearer', 'cdk8s-omnia.ToolAuth', 'bearer', [token]);
    return new ToolAuth('bearer', token);
  }

  /**
   * HTTP basic authentication: the key's value is `username:password`, sent base64-encoded. Release only.
   */
  public static basic(credentials: SecretKey): ToolAuth {
    checkArguments('ToolAuth.basic', 'cdk8s-omnia.ToolAuth', 'basic', [credentials]);
    return new ToolAuth('basic', credentials);
  }

  /**
   * A projected ServiceAccount token of the agent's pod, bound to `audience`, sent as a bearer token; the tool
   * backend checks it with a TokenReview. No Secret. Release only.
   */
  public static serviceAccountToken(audience: string): ToolAuth {
    checkArguments('ToolAuth.serviceAccountToken', 'cdk8s-omnia.ToolAuth', 'serviceAccountToken', [audience]);
    return new ToolAuth('serviceAccount', undefined, audience);
  }

  /**
   * A token the runtime obtains under the pod's Azure workload identity. No Secret; the pod's identity must be
   * granted the tool's API. Release only.
   */
  public static azureWorkloadIdentity(options: AzureWorkloadIdentityToolAuthOptions): ToolAuth {
    checkArguments('ToolAuth.azureWorkloadIdentity', 'cdk8s-omnia.ToolAuth', 'azureWorkloadIdentity', [options]);
    return new ToolAuth('workloadIdentity', undefined, options.audience, options.header ?? 'Authorization');
  }

  private constructor(
    /** The release's `auth.type`: bearer, basic, serviceAccount or workloadIdentity. */
    public readonly type: string,
    /**
     * The Secret key holding the credential, for bearer and basic.
     * @default - none
     */
    public readonly secretKey?: SecretKey,
    /**
     * Audience of the token, for serviceAccount and workloadIdentity.
     * @default - none
     */
    public readonly audience?: string,
    /**
     * Header carrying a workload identity token.
     * @default - none
     */
    public readonly header?: string,
  ) {}

  /**
   * The release's `auth` block; throws `auth...: reason` for bad values.
   * @internal
   */
  public _render(): any {
    if ((this.type === 'serviceAccount' || this.type === 'workloadIdentity') && !this.audience) {
      throw new Error('auth.audience: must be a non-empty audience');
    }
    if (this.header !== undefined && !/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(this.header)) {
      throw new Error(`auth.header: ${JSON.stringify(this.header)} is not a valid HTTP header name`);
    }
    switch (this.type) {
      case 'serviceAccount': return { type: this.type, serviceAccount: { audience: this.audience } };
      case 'workloadIdentity': return { type: this.type, workloadIdentity: { cloud: 'azure', audience: this.audience, header: this.header } };
      default: return { type: this.type, secretRef: this.secretKey!._toRef() };
    }
  }
}
