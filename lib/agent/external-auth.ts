import * as kplus from 'cdk8s-plus-28';
import { checkArguments } from '../core/jsii-types';

/** Roles an API key may carry. */
export enum ApiKeyRole {
  /** May talk to the agent. */
  VIEWER = 'viewer',
  /** Viewer, and may change what the role allows. */
  EDITOR = 'editor',
  /** Every right. */
  ADMIN = 'admin',
}

/** Options of a shared-token check. */
export interface SharedTokenAuthOptions {
  /**
   * Whether the end user named in a request header is believed (the client vouches for its users).
   * @default false
   */
  readonly trustEndUserHeader?: boolean;
}

/** Options of API-key checks. */
export interface ApiKeysAuthOptions {
  /**
   * Role of a key that names none.
   * @default ApiKeyRole.VIEWER
   */
  readonly defaultRole?: ApiKeyRole;
  /**
   * Whether the end user named in a request header is believed.
   * @default false
   */
  readonly trustEndUserHeader?: boolean;
}

/** Which token claims name the caller. */
export interface OidcClaimMapping {
  /**
   * Claim holding the subject.
   * @default - the facade's default (`sub`)
   */
  readonly subject?: string;
  /**
   * Claim holding the role.
   * @default - the facade's default
   */
  readonly role?: string;
  /**
   * Claim holding the end user.
   * @default - the facade's default
   */
  readonly endUser?: string;
}

/** Options of an OIDC check. */
export interface OidcAuthOptions {
  /** Issuer URL of the identity provider (its discovery document and keys are fetched from there). */
  readonly issuer: string;
  /** Audience the tokens must be issued for. */
  readonly audience: string;
  /**
   * Which claims name the caller.
   * @default - the facade's defaults
   */
  readonly claimMapping?: OidcClaimMapping;
}

/** Which request headers, set by a trusted edge proxy, name the caller. */
export interface EdgeTrustHeaderMapping {
  /**
   * Header holding the subject.
   * @default - the facade's default
   */
  readonly subject?: string;
  /**
   * Header holding the role.
   * @default - the facade's default
   */
  readonly role?: string;
  /**
   * Header holding the email address.
   * @default - the facade's default
   */
  readonly email?: string;
  /**
   * Header holding the end user.
   * @default - the facade's default
   */
  readonly endUser?: string;
}

/** Options of edge trust. */
export interface EdgeTrustAuthOptions {
  /**
   * Which headers name the caller.
   * @default - the facade's defaults
   */
  readonly headerMapping?: EdgeTrustHeaderMapping;
  /**
   * Claims taken from headers: claim name to header name.
   * @default - none
   */
  readonly claimsFromHeaders?: { [claim: string]: string };
}

/**
 * How the agent's facade authenticates its clients (the release's `spec.externalAuth`). Without it the
 * release's facade refuses every client; one check, or several with `anyOf` (a client passing any is let in).
 */
export class ExternalAuth {
  /**
   * One token shared by the agent's clients, read by the facade from the key `token` of `secret` in the
   * agent's namespace; clients send `Authorization: Bearer <token>`.
   */
  public static sharedToken(secret: kplus.ISecret, options: SharedTokenAuthOptions = {}): ExternalAuth {
    checkArguments('ExternalAuth.sharedToken', 'cdk8s-omnia.ExternalAuth', 'sharedToken', [secret, options]);
    options = options ?? {}; // null: options left out
    return new ExternalAuth({ sharedToken: { secretRef: { name: secret?.name }, trustEndUserHeader: options.trustEndUserHeader } }, [secret]);
  }

  /** API keys the operator manages for the agent, each with a role. */
  public static apiKeys(options: ApiKeysAuthOptions = {}): ExternalAuth {
    checkArguments('ExternalAuth.apiKeys', 'cdk8s-omnia.ExternalAuth', 'apiKeys', [options]);
    options = options ?? {}; // null: options left out
    return new ExternalAuth({ apiKeys: { defaultRole: options.defaultRole ?? ApiKeyRole.VIEWER, trustEndUserHeader: options.trustEndUserHeader } });
  }

  /** Bearer tokens issued by an OIDC identity provider for `audience`. */
  public static oidc(options: OidcAuthOptions): ExternalAuth {
    checkArguments('ExternalAuth.oidc', 'cdk8s-omnia.ExternalAuth', 'oidc', [options]);
    return new ExternalAuth({ oidc: { issuer: options?.issuer, audience: options?.audience, claimMapping: options?.claimMapping && { ...options.claimMapping } } });
  }

  /** Identity headers set by a trusted proxy in front of the agent (which must strip them from clients). */
  public static edgeTrust(options: EdgeTrustAuthOptions = {}): ExternalAuth {
    checkArguments('ExternalAuth.edgeTrust', 'cdk8s-omnia.ExternalAuth', 'edgeTrust', [options]);
    options = options ?? {}; // null: options left out
    return new ExternalAuth({
      edgeTrust: {
        headerMapping: options.headerMapping && { ...options.headerMapping },
        claimsFromHeaders: options.claimsFromHeaders && { ...options.claimsFromHeaders },
      },
    });
  }

  /**
   * No check at all: every client is let in. For development and tests only. The release writes no
   * `externalAuth` and sets its facade's escape hatch (`OMNIA_FACADE_ALLOW_UNAUTHENTICATED=true` in the primary
   * facade's env), so an open agent is a choice the program shows, never a default. It cannot be combined
   * with checks (the release honours the escape hatch only when no check is configured).
   */
  public static allowUnauthenticated(): ExternalAuth {
    return new ExternalAuth({}, [], [], true);
  }

  /** Several checks: a client passing any one of them is let in. Each kind may be given once. */
  public static anyOf(...auths: ExternalAuth[]): ExternalAuth {
    checkArguments('ExternalAuth.anyOf', 'cdk8s-omnia.ExternalAuth', 'anyOf', auths);
    const spec: { [kind: string]: any } = {};
    const problems: string[] = [];
    const secrets: kplus.ISecret[] = [];
    for (const auth of auths) {
      if (auth?._allowsAnyone) problems.push('allowUnauthenticated() lets every client in: it cannot be combined with checks');
      problems.push(...auth._problems);
      secrets.push(...auth._secrets);
      for (const [kind, value] of Object.entries(auth._spec)) {
        if (kind in spec) problems.push(`${kind} is given twice`);
        spec[kind] = value;
      }
    }
    return new ExternalAuth(spec, secrets, problems);
  }

  /** @internal */
  public readonly _spec: { [kind: string]: any };
  /** @internal */
  public readonly _secrets: kplus.ISecret[];
  /** @internal */
  public readonly _problems: string[];

  /** @internal */
  public readonly _allowsAnyone: boolean;

  private constructor(spec: { [kind: string]: any }, secrets: kplus.ISecret[] = [], problems?: string[], allowsAnyone = false) {
    this._spec = spec;
    this._secrets = secrets;
    this._problems = problems ?? ExternalAuth.check(spec);
    this._allowsAnyone = allowsAnyone;
  }

  /** The kinds of check, as the release's CRD names them. */
  public get kinds(): string[] {
    return Object.keys(this._spec).sort();
  }

  /**
   * The release's `spec.externalAuth`.
   * @internal
   */
  public _render(): any {
    return this._allowsAnyone ? undefined : JSON.parse(JSON.stringify(this._spec));
  }

  private static check(spec: { [kind: string]: any }): string[] {
    const problems: string[] = [];
    if (spec.sharedToken && !spec.sharedToken.secretRef.name) problems.push('sharedToken needs a Secret with a name');
    if (spec.oidc) {
      if (typeof spec.oidc.issuer !== 'string' || !/^https?:\/\/\S+$/.test(spec.oidc.issuer)) problems.push(`oidc.issuer must be an http(s) URL, got ${JSON.stringify(spec.oidc.issuer)}`);
      if (typeof spec.oidc.audience !== 'string' || spec.oidc.audience === '') problems.push('oidc.audience must not be empty');
    }
    return problems;
  }
}

/** The facade's env variable that lets every client in when no check is configured (the release's escape hatch). */
export const ALLOW_UNAUTHENTICATED_ENV = 'OMNIA_FACADE_ALLOW_UNAUTHENTICATED';

/**
 * The release's facades with the escape hatch in the primary facade's env when the agent chose
 * `ExternalAuth.allowUnauthenticated()` (the release reads a facade's env from its primary facade only).
 */
export function withOpenFacade(facades: any[], primaryIndex: number, auth: ExternalAuth | undefined): any[] {
  if (!auth?._allowsAnyone) return facades;
  return facades.map((f, i) => (i === primaryIndex ? { ...f, extraEnv: [...(f.extraEnv ?? []), { name: ALLOW_UNAUTHENTICATED_ENV, value: 'true' }] } : f));
}
