import { ApiObject, Chart, Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { OMNIA_API_VERSION, OmniaApiTarget } from '../api';
import { goDuration } from '../core/duration';
import { describeObject, describeResource, invalidProp, mistake, objectLabel } from '../core/errors';
import { callSite, checkArguments } from '../core/jsii-types';
import { addStandardLabels } from '../core/labels';
import { ExternalReference, IOmniaReference } from '../core/references';
import { refusedByTarget, targetFor } from '../core/target';
import { ReleaseObject } from '../targets/release-kinds';
import { didYouMean, dnsSubdomainError } from '../validation/object-meta';

/** A SkillSource, defined in this app or outside it. */
export interface ISkillSource extends IOmniaReference {}

/** Options of `SkillOrigin.git`. */
export interface GitSkillOriginOptions {
  /** The repository: an `https://`, `http://` or `ssh://` URL. */
  readonly url: string;
  /**
   * Branch to check out. Give at most one of `branch`, `tag` and `commit`.
   * @default - the repository's default branch
   */
  readonly branch?: string;
  /**
   * Tag to check out.
   * @default - the repository's default branch
   */
  readonly tag?: string;
  /**
   * Commit to check out (its SHA).
   * @default - the repository's default branch
   */
  readonly commit?: string;
  /**
   * Folder of the repository that holds the skills.
   * @default - the repository's root
   */
  readonly path?: string;
  /**
   * Secret with the repository's credentials, in the SkillSource's namespace: keys `username` and `password`
   * (a token) for https, `identity` and `known_hosts` for ssh.
   * @default - a public repository
   */
  readonly credentials?: kplus.ISecret;
}

/** Options of `SkillOrigin.oci`. */
export interface OciSkillOriginOptions {
  /** The artifact: `oci://registry/repository:tag` or `oci://registry/repository@sha256:...`. */
  readonly url: string;
  /**
   * Secret with the registry's credentials, in the SkillSource's namespace: keys `username` and `password`,
   * or `.dockerconfigjson`.
   * @default - an anonymous pull
   */
  readonly credentials?: kplus.ISecret;
  /**
   * Reach the registry without verifying TLS (a registry in the cluster, say).
   * @default false
   */
  readonly insecure?: boolean;
}

/** Where a SkillSource fetches its skills (a skill is a folder holding a `SKILL.md`). */
export class SkillOrigin {
  /** A Git repository. */
  public static git(options: GitSkillOriginOptions): SkillOrigin {
    checkArguments('SkillOrigin.git', 'cdk8s-omnia.SkillOrigin', 'git', [options]);
    return new SkillOrigin('git', options, options.credentials);
  }

  /** An OCI artifact. */
  public static oci(options: OciSkillOriginOptions): SkillOrigin {
    checkArguments('SkillOrigin.oci', 'cdk8s-omnia.SkillOrigin', 'oci', [options]);
    return new SkillOrigin('oci', options, options.credentials);
  }

  /**
   * A ConfigMap in the SkillSource's namespace: each key is a file, `__` in a key standing for `/`
   * (`refunds__SKILL.md` is `refunds/SKILL.md`).
   */
  public static configMap(configMap: kplus.IConfigMap): SkillOrigin {
    checkArguments('SkillOrigin.configMap', 'cdk8s-omnia.SkillOrigin', 'configMap', [configMap]);
    return new SkillOrigin('configmap', { configMap });
  }

  private constructor(
    /** The source type, as the release spells it: git, oci or configmap. */
    public readonly type: string,
    private readonly options: any,
    /**
     * The Secret the operator reads credentials from.
     * @default - none
     */
    public readonly credentials?: kplus.ISecret,
  ) {}

  /**
   * The release's `type` and its block; throws `field: reason`.
   * @internal
   */
  public _render(): any {
    const o = this.options;
    // The operator reads the whole Secret (the keys of the protocol), so no key is named.
    const secretRef = this.credentials && { name: this.credentials.name };
    switch (this.type) {
      case 'git': {
        if (!/^(https?|ssh):\/\/\S+$/.test(o.url ?? '')) throw new Error(`git.url: ${JSON.stringify(o.url)} is not an https://, http:// or ssh:// URL`);
        const refs = (['branch', 'tag', 'commit'] as const).filter((r) => o[r] !== undefined);
        // The operator takes the branch over the tag over the commit: more than one is a mistake.
        if (refs.length > 1) throw new Error(`git.${refs[1]}: give one of branch, tag and commit, not ${refs.join(' and ')}`);
        for (const r of refs) if (!o[r]) throw new Error(`git.${r}: must not be empty`);
        if (o.commit !== undefined && !/^[0-9a-f]{7,40}$/.test(o.commit)) throw new Error(`git.commit: ${JSON.stringify(o.commit)} is not a commit SHA`);
        checkRelative('git.path', o.path);
        return {
          type: 'git',
          git: { url: o.url, ref: refs.length ? { branch: o.branch, tag: o.tag, commit: o.commit } : undefined, path: o.path, secretRef },
        };
      }
      case 'oci':
        if (!/^oci:\/\/\S+$/.test(o.url ?? '')) throw new Error(`oci.url: ${JSON.stringify(o.url)} is not an oci:// URL`);
        return { type: 'oci', oci: { url: o.url, secretRef, insecure: o.insecure ?? false } };
      default:
        if (dnsSubdomainError(o.configMap.name) !== undefined) {
          throw new Error(`configMap: name ${JSON.stringify(o.configMap.name)} is not a DNS-1123 subdomain${didYouMean(o.configMap.name, true)}`);
        }
        return { type: 'configmap', configMap: { name: o.configMap.name } };
    }
  }
}

/** Which of the fetched skills a SkillSource keeps. */
export interface SkillFilter {
  /**
   * Globs matched against each skill's folder (relative to the source's root); only matching skills are kept.
   * @default - every skill
   */
  readonly include?: string[];
  /**
   * Globs of skill folders dropped after `include`.
   * @default - none dropped
   */
  readonly exclude?: string[];
  /**
   * Names (the `name` of each SKILL.md's front matter) kept, after `include` and `exclude`.
   * @default - every name
   */
  readonly names?: string[];
}

/** Props of a SkillSource. */
export interface SkillSourceProps extends kplus.ResourceProps {
  /** Where the skills come from: a Git repository, an OCI artifact or a ConfigMap. */
  readonly origin: SkillOrigin;
  /**
   * How often the source is fetched again.
   * @default Duration.hours(1)
   */
  readonly interval?: Duration;
  /**
   * Longest one fetch may take.
   * @default Duration.seconds(60)
   */
  readonly timeout?: Duration;
  /**
   * Stop fetching (the skills last fetched stay).
   * @default false
   */
  readonly suspend?: boolean;
  /**
   * Folder of the workspace's content volume the skills are synced to, relative (`skills/support`).
   * @default - `skills/<name>`
   */
  readonly targetPath?: string;
  /**
   * Which skills are kept.
   * @default - every skill fetched
   */
  readonly filter?: SkillFilter;
  /**
   * Keep a content-addressed snapshot of each sync beside the latest.
   * @default true
   */
  readonly createVersionOnSync?: boolean;
}

/**
 * Skills (folders holding a `SKILL.md`) fetched from a Git repository, an OCI artifact or a ConfigMap into
 * the workspace's content volume, for the PromptPacks of its namespace to use (`PromptPack` `skills`).
 * Omnia v0.9.0-beta.17 only: the documented API has no SkillSource, and refuses it.
 */
export class SkillSource extends kplus.Resource implements ISkillSource {
  /**
   * Refers to a SkillSource that exists outside this app, in the namespace of the PromptPacks that use it
   * (the release reads a pack's skills from its own namespace only); nothing is synthesized for it.
   */
  public static fromSkillSourceName(scope: Construct, id: string, name: string): ISkillSource {
    checkArguments(callSite(scope, id, 'SkillSource.fromSkillSourceName'), 'cdk8s-omnia.SkillSource', 'fromSkillSourceName', [scope, id, name]);
    if (targetFor(scope) === OmniaApiTarget.DOCUMENTED) {
      throw mistake(`${callSite(scope, id, 'SkillSource.fromSkillSourceName')}: ${objectLabel({ kind: 'SkillSource', name })}: fromSkillSourceName: ${refusedByTarget(OmniaApiTarget.DOCUMENTED, 'a SkillSource')}`);
    }
    if (dnsSubdomainError(name ?? '') !== undefined) {
      throw mistake(`${callSite(scope, id, 'SkillSource.fromSkillSourceName')}: name: ${JSON.stringify(name)} is not a DNS-1123 subdomain${didYouMean(name ?? '', true)}`);
    }
    return new ExternalReference(scope, id, 'SkillSource', name);
  }

  /** @see kplus.Resource */
  public readonly resourceType = 'skillsources';
  /** Where the skills come from. */
  public readonly origin: SkillOrigin;
  protected readonly apiObject: ApiObject;

  public constructor(scope: Construct, id: string, props: SkillSourceProps) {
    super(scope, id);
    describeObject(this, () => describeResource(this, 'SkillSource', props?.metadata));
    checkArguments(this, 'cdk8s-omnia.SkillSource', undefined, [scope, id, props]);
    const target = targetFor(this);
    if (target === OmniaApiTarget.DOCUMENTED) throw invalidProp(this, 'kind', refusedByTarget(target, 'a SkillSource'));
    this.origin = props.origin;
    let source: any;
    try {
      source = props.origin._render();
    } catch (e) {
      throw invalidProp(this, 'origin', (e as Error).message);
    }
    const duration = (field: string, d: Duration) => {
      try {
        return goDuration(d);
      } catch (e) {
        throw invalidProp(this, field, (e as Error).message);
      }
    };
    checkFilter(this, props.filter);
    try {
      checkRelative('targetPath', props.targetPath);
    } catch (e) {
      throw invalidProp(this, 'targetPath', (e as Error).message.replace(/^targetPath: /, ''));
    }
    const secret = props.origin.credentials;
    const namespace = props.metadata?.namespace ?? Chart.of(this).namespace;
    // The operator reads the credentials in the SkillSource's namespace.
    if (secret instanceof kplus.Secret && (secret.metadata.namespace ?? 'default') !== (namespace ?? 'default')) {
      throw invalidProp(this, 'origin', `Secret ${secret.metadata.namespace ?? 'default'}/${secret.name} is not in the SkillSource's namespace (${namespace ?? 'default'}), where the operator reads it`);
    }
    const f = props.filter;
    this.apiObject = new ReleaseObject(this, 'Resource', {
      apiVersion: OMNIA_API_VERSION,
      kind: 'SkillSource',
      metadata: props.metadata,
      spec: {
        ...source,
        interval: duration('interval', props.interval ?? Duration.hours(1)),
        timeout: duration('timeout', props.timeout ?? Duration.seconds(60)),
        suspend: props.suspend ?? false,
        targetPath: props.targetPath,
        filter: f && { include: f.include, exclude: f.exclude, names: f.names },
        createVersionOnSync: props.createVersionOnSync ?? true,
      },
    });
    addStandardLabels(this, this.metadata, 'skillsource', this.name);
  }

  /** Namespace of the SkillSource. */
  public get namespace(): string | undefined {
    return this.metadata.namespace;
  }
}

function checkFilter(scope: SkillSource, filter: SkillFilter | undefined): void {
  for (const field of ['include', 'exclude', 'names'] as const) {
    for (const entry of filter?.[field] ?? []) {
      if (typeof entry !== 'string' || !entry.trim()) throw invalidProp(scope, `filter.${field}`, 'entries must be non-empty');
    }
  }
}

/** A path inside a volume or repository: relative, without `..`. */
function checkRelative(field: string, path: string | undefined): void {
  if (path === undefined) return;
  if (!path || path.startsWith('/') || path.split('/').includes('..')) {
    throw new Error(`${field}: ${JSON.stringify(path)} must be a relative path without '..'`);
  }
}
