import * as fs from 'fs';
import * as path from 'path';
import { ApiObject, Chart, Lazy } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { describeObject, describeResource, invalidProp, madeFor, mistake, objectLabel } from '../core/errors';
import { callSite, checkArguments } from '../core/jsii-types';
import { addStandardLabels } from '../core/labels';
import { ExternalReference, IOmniaReference } from '../core/references';
import { OMNIA_API_VERSION, OmniaApiTarget } from '../api';
import { recordCreationSite } from '../core/stack';
import { refusedByTarget, targetFor } from '../core/target';
import * as l1 from '../l1';
import { ReleaseObject } from '../targets/release-kinds';
import { didYouMean, dnsSubdomainError } from '../validation/object-meta';
import { addSelfCheck } from '../checks/app-checks';
import { ISkillSource, SkillSource } from './skill-source';

/** A PromptPack, defined in this app or outside it. */
export interface IPromptPack extends IOmniaReference {}

const SEMVER = /^v?\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$/;
// The release's CRD is stricter: no '-' inside an identifier, no empty identifier.
const RELEASE_SEMVER = /^v?(\d+)\.(\d+)\.(\d+)(-[a-zA-Z0-9]+(\.[a-zA-Z0-9]+)*)?(\+[a-zA-Z0-9]+(\.[a-zA-Z0-9]+)*)?$/;
const MOUNT_AS = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/;

/** How the runtime picks the skills of a turn. */
export enum SkillSelector {
  /** The model picks from an index of the skills (the release's default). */
  MODEL_DRIVEN = 'model-driven',
  /** Skills are pre-filtered by the tags of their front matter. */
  TAG = 'tag',
  /** Skills are retrieved by embedding similarity, for large sets. */
  EMBEDDING = 'embedding',
}

/** Options of the skills a pack takes from one SkillSource. */
export interface PromptPackSkillsOptions {
  /**
   * Names (each SKILL.md's front matter `name`) of the source's skills to use.
   * @default - every skill the source keeps
   */
  readonly include?: string[];
  /**
   * Group the skills are exposed under to the runtime (`skills/<group>` in the pack's workflow), a DNS label.
   * @default - the last folder of the source's target path
   */
  readonly mountAs?: string;
}

/** Skills of a pack: a SkillSource in the pack's namespace and which of its skills to use. */
export interface PromptPackSkills extends PromptPackSkillsOptions {
  /** The SkillSource, in the pack's namespace (the release reads no other). */
  readonly source: ISkillSource;
}

const CONFIGMAP_LIMIT = 1024 * 1024;

/** How a new version of a pack reaches sessions. */
export class Rollout {
  /** Every session switches to this version at once. */
  public static immediate(): Rollout {
    return new Rollout('immediate');
  }

  /**
   * A share of sessions is served by this version.
   * @param weight percentage of sessions, 0 to 100
   */
  public static canary(weight: number): Rollout {
    checkArguments('Rollout.canary', 'cdk8s-omnia.Rollout', 'canary', [weight]);
    if (!Number.isInteger(weight) || weight < 0 || weight > 100) {
      throw mistake(`Rollout.canary: weight must be a whole percentage from 0 to 100, got ${weight}`);
    }
    return new Rollout('canary', weight);
  }

  private constructor(
    /** Rollout type as the CRD spells it. */
    public readonly type: string,
    /** Canary weight; only for canary rollouts. */
    public readonly weight?: number,
  ) {}
}

/** Props of a PromptPack whose compiled pack is already in a ConfigMap. */
export interface PromptPackProps extends kplus.ResourceProps {
  /**
   * Id of the pack; must equal the `id` inside the pack JSON.
   *
   * Documented API: `spec.packName`. Release: checked against the pack only (the release has no such field).
   */
  readonly packName: string;
  /**
   * Semantic version of the pack (`1.2.0`, `v1.2.0`); must equal the `version` inside the pack JSON.
   *
   * Both targets write `spec.version`.
   */
  readonly version: string;
  /**
   * ConfigMap holding the pack JSON.
   *
   * Both targets write `spec.source` (`type: configmap`, `configMapRef`).
   */
  readonly configMap: kplus.IConfigMap;
  /**
   * Key of the ConfigMap whose value is the pack JSON.
   *
   * Documented API: `spec.source.configMapRef.key`. Release: only `pack.json`, the key its operator reads;
   * any other is refused.
   * @default 'pack.json'
   */
  readonly key?: string;
  /**
   * How this version reaches sessions.
   *
   * Documented API: `spec.rollout`. Release: only `Rollout.immediate()`, written as nothing (it has no rollout
   * on a pack); a canary rollout is refused.
   * @default Rollout.immediate()
   */
  readonly rollout?: Rollout;
  /**
   * Skills from SkillSources of the pack's namespace; more with `addSkills`. Release: `spec.skills[]`.
   * Documented API: refused.
   * @default - none
   */
  readonly skills?: PromptPackSkills[];
  /**
   * Most skills active at once, at least 1. Release: `spec.skillsConfig.maxActive`. Documented API: refused.
   * @default - the runtime's (5)
   */
  readonly maxActiveSkills?: number;
  /**
   * How the runtime picks skills. Release: `spec.skillsConfig.selector`. Documented API: refused.
   * @default SkillSelector.MODEL_DRIVEN when the pack has skills
   */
  readonly skillSelector?: SkillSelector;
}

/** Options of `PromptPack.fromFile`. */
export interface PromptPackFromFileOptions extends kplus.ResourceProps {
  /** Path of a compiled PromptPack JSON file (promptpack.org format). */
  readonly file: string;
  /**
   * Id of the pack; when given it must equal the file's `id`.
   * @default - the file's `id`
   */
  readonly packName?: string;
  /**
   * Version of the pack; when given it must equal the file's `version`.
   * @default - the file's `version`
   */
  readonly version?: string;
  /**
   * How this version reaches sessions.
   * @default Rollout.immediate()
   */
  readonly rollout?: Rollout;
  /**
   * Skills from SkillSources of the pack's namespace. Release: `spec.skills[]`. Documented API: refused.
   * @default - none
   */
  readonly skills?: PromptPackSkills[];
  /**
   * Most skills active at once, at least 1. Release: `spec.skillsConfig.maxActive`. Documented API: refused.
   * @default - the runtime's (5)
   */
  readonly maxActiveSkills?: number;
  /**
   * How the runtime picks skills. Release: `spec.skillsConfig.selector`. Documented API: refused.
   * @default SkillSelector.MODEL_DRIVEN when the pack has skills
   */
  readonly skillSelector?: SkillSelector;
}

/** Options of `PromptPack.fromDirectory`. */
export interface PromptPackFromDirectoryOptions extends kplus.ResourceProps {
  /** Folder holding the compiled pack. */
  readonly directory: string;
  /**
   * Name of the pack file inside the folder.
   * @default 'pack.json'
   */
  readonly fileName?: string;
  /**
   * How this version reaches sessions.
   * @default Rollout.immediate()
   */
  readonly rollout?: Rollout;
  /**
   * Skills from SkillSources of the pack's namespace. Release: `spec.skills[]`. Documented API: refused.
   * @default - none
   */
  readonly skills?: PromptPackSkills[];
  /**
   * Most skills active at once, at least 1. Release: `spec.skillsConfig.maxActive`. Documented API: refused.
   * @default - the runtime's (5)
   */
  readonly maxActiveSkills?: number;
  /**
   * How the runtime picks skills. Release: `spec.skillsConfig.selector`. Documented API: refused.
   * @default SkillSelector.MODEL_DRIVEN when the pack has skills
   */
  readonly skillSelector?: SkillSelector;
}

/**
 * A versioned, compiled prompt pack published to the agents that reference it.
 * The pack JSON lives in a ConfigMap; `fromFile` creates both from a file.
 */
export class PromptPack extends kplus.Resource implements IPromptPack {
  /** Refers to a PromptPack that exists outside this app; nothing is synthesized for it. */
  public static fromName(scope: Construct, id: string, name: string, namespace?: string): IPromptPack {
    checkArguments(callSite(scope, id, 'PromptPack.fromName'), 'cdk8s-omnia.PromptPack', 'fromName', [scope, id, name, namespace]);
    return new ExternalReference(scope, id, 'PromptPack', name, namespace);
  }

  /**
   * Reads a compiled PromptPack JSON file, stores it in a new ConfigMap (key `pack.json`, named
   * `<name>-pack` when `metadata.name` is given) and creates the PromptPack. `packName` and `version` come
   * from the file. A file that cannot be read, is not JSON or lacks `id`, `version` or `prompts` throws.
   */
  public static fromFile(scope: Construct, id: string, options: PromptPackFromFileOptions): PromptPack {
    checkArguments(callSite(scope, id, 'PromptPack.fromFile'), 'cdk8s-omnia.PromptPack', 'fromFile', [scope, id, options]);
    return new PromptPack(scope, id, { ...options, ...PromptPack.readPack(scope, id, options) });
  }

  /** Like `fromFile`, for a folder holding the compiled pack as `pack.json` (or `fileName`). */
  public static fromDirectory(scope: Construct, id: string, options: PromptPackFromDirectoryOptions): PromptPack {
    checkArguments(callSite(scope, id, 'PromptPack.fromDirectory'), 'cdk8s-omnia.PromptPack', 'fromDirectory', [scope, id, options]);
    const { directory, fileName, ...rest } = options;
    return PromptPack.fromFile(scope, id, { ...rest, file: path.join(directory, fileName ?? 'pack.json') });
  }

  private static readPack(scope: Construct, id: string, options: PromptPackFromFileOptions) {
    const where = `${scope.node.path}/${id}`;
    const object = objectLabel({ kind: 'PromptPack', name: options.metadata?.name, namespace: options.metadata?.namespace ?? Chart.of(scope).namespace });
    const fail = (reason: string) => mistake(`${where}: ${object}: file: ${options.file} ${reason}`);
    let text: string;
    try {
      text = fs.readFileSync(options.file, 'utf8');
    } catch (e) {
      throw fail(`cannot be read: ${(e as Error).message}`);
    }
    let pack: any;
    try {
      pack = JSON.parse(text);
    } catch (e) {
      throw fail(`is not valid JSON: ${(e as Error).message}`);
    }
    if (pack === null || typeof pack !== 'object' || Array.isArray(pack)) throw fail('must hold a JSON object');
    if (typeof pack.id !== 'string' || !pack.id) throw fail('lacks "id" (a non-empty string)');
    if (typeof pack.version !== 'string' || !pack.version) throw fail('lacks "version" (a string)');
    if (pack.prompts === null || typeof pack.prompts !== 'object' || Array.isArray(pack.prompts)) {
      throw fail('lacks "prompts" (an object of prompt id to prompt)');
    }
    if (options.packName !== undefined && options.packName !== pack.id) {
      throw fail(`packName ${JSON.stringify(options.packName)} differs from the pack's id ${JSON.stringify(pack.id)}`);
    }
    if (options.version !== undefined && options.version !== pack.version) {
      throw fail(`version ${JSON.stringify(options.version)} differs from the pack's version ${JSON.stringify(pack.version)}`);
    }
    const packScope = new Construct(scope, `${id}Pack`);
    // A sibling of the PromptPack (its path names the ConfigMap), made for it where `fromFile` was called.
    madeFor(packScope, where);
    recordCreationSite(packScope, PromptPack.fromFile, true);
    const name = options.metadata?.name;
    const configMap = new kplus.ConfigMap(packScope, 'ConfigMap', {
      metadata: name ? { name: `${name}-pack` } : undefined,
      data: { 'pack.json': text },
    });
    addStandardLabels(packScope, configMap.metadata, 'promptpack', pack.id, `id in ${options.file}`);
    return { packName: pack.id as string, version: pack.version as string, configMap, key: 'pack.json' };
  }

  /** @see kplus.Resource */
  public readonly resourceType = 'promptpacks';
  /** Id of the pack. */
  public readonly packName: string;
  /** Version of the pack. */
  public readonly version: string;
  /** ConfigMap holding the pack JSON. */
  public readonly configMap: kplus.IConfigMap;
  /** Key of the ConfigMap holding the pack JSON. */
  public readonly key: string;

  protected readonly apiObject: ApiObject;
  /** Whether the pack is written in the shape of the app's release target. */
  private readonly released: boolean;
  private readonly _skills: any[] = [];
  private readonly skillsConfig?: { maxActive?: number; selector: string };

  public constructor(scope: Construct, id: string, props: PromptPackProps) {
    super(scope, id);
    describeObject(this, () => describeResource(this, 'PromptPack', props?.metadata));
    checkArguments(this, 'cdk8s-omnia.PromptPack', undefined, [scope, id, props]);
    this.key = props.key ?? 'pack.json';
    this.packName = props.packName;
    this.version = props.version;
    this.configMap = props.configMap;
    const rollout = props.rollout ?? Rollout.immediate();
    const target = targetFor(this);
    this.released = target !== OmniaApiTarget.DOCUMENTED;
    if (target === OmniaApiTarget.DOCUMENTED) {
      this.apiObject = new l1.PromptPack(this, 'Resource', {
        metadata: props.metadata,
        spec: {
          packName: this.packName,
          version: this.version,
          source: {
            type: l1.PromptPackSpecSourceType.CONFIGMAP,
            configMapRef: { name: this.configMap.name, key: this.key },
          },
          rollout: {
            type: rollout.type as l1.PromptPackSpecRolloutType,
            canary: rollout.weight === undefined ? undefined : { weight: rollout.weight },
          },
        },
      });
    } else {
      const refuse = (field: string, what: string) => invalidProp(this, field, refusedByTarget(target, what));
      // The release mounts the ConfigMap and reads pack.json; it has no rollout on the pack.
      if (this.key !== 'pack.json') throw refuse('key', `a pack under the ConfigMap key ${JSON.stringify(this.key)} (the release reads "pack.json")`);
      if (rollout.type !== 'immediate') throw refuse('rollout', `a ${rollout.type} rollout of a PromptPack`);
      if (props.maxActiveSkills !== undefined && (!Number.isInteger(props.maxActiveSkills) || props.maxActiveSkills < 1)) {
        throw invalidProp(this, 'maxActiveSkills', `must be a whole number of at least 1, got ${JSON.stringify(props.maxActiveSkills)}`);
      }
      if (props.maxActiveSkills !== undefined || props.skillSelector !== undefined) {
        this.skillsConfig = { maxActive: props.maxActiveSkills, selector: props.skillSelector ?? SkillSelector.MODEL_DRIVEN };
      }
      this.apiObject = new ReleaseObject(this, 'Resource', {
        apiVersion: OMNIA_API_VERSION,
        kind: 'PromptPack',
        metadata: props.metadata,
        spec: {
          version: this.version,
          source: { type: 'configmap', configMapRef: { name: this.configMap.name } },
          // Skills are read at synth, so those added after construction are included.
          skills: Lazy.any({ produce: () => (this._skills.length ? this._skills : undefined) }),
          skillsConfig: Lazy.any({ produce: () => this.renderSkillsConfig() }),
        },
      });
      // The runtime reads the skills config only for a pack with skills.
      addSelfCheck(this, () => (this.skillsConfig && !this._skills.length
        ? [{ field: props.maxActiveSkills !== undefined ? 'maxActiveSkills' : 'skillSelector', reason: 'a pack without skills has no skills to configure: add skills (addSkills) or leave it out' }]
        : []));
    }
    for (const field of ['skills', 'maxActiveSkills', 'skillSelector'] as const) {
      if (!this.released && props[field] !== undefined) throw invalidProp(this, field, refusedByTarget(target, field === 'skills' ? 'skills from a SkillSource' : 'a skills config'));
    }

    if (!props.packName) throw invalidProp(this, 'packName', 'must be a non-empty string');
    if (!(this.released ? RELEASE_SEMVER : SEMVER).test(props.version ?? '')) {
      throw invalidProp(this, 'version', `${JSON.stringify(props.version)} is not a semantic version such as 1.2.0 or v1.2.0${this.released ? ' (the release allows no \'-\' inside a pre-release or build identifier)' : ''}`);
    }
    if (!/^[-._a-zA-Z0-9]+$/.test(this.key)) throw invalidProp(this, 'key', `${JSON.stringify(this.key)} is not a valid ConfigMap key`);
    if (dnsSubdomainError(props.configMap.name) !== undefined) {
      throw invalidProp(this, 'configMap', `name ${JSON.stringify(props.configMap.name)} is not a DNS-1123 subdomain${didYouMean(props.configMap.name, true)}`);
    }
    const data = (props.configMap as kplus.ConfigMap).data?.[this.key];
    if (data !== undefined && Buffer.byteLength(data) > CONFIGMAP_LIMIT) {
      throw invalidProp(this, 'configMap', `the pack is ${Buffer.byteLength(data)} bytes; a ConfigMap holds at most 1 MiB`);
    }
    addStandardLabels(this, this.metadata, 'promptpack', this.name);
    for (const skills of props.skills ?? []) this.addSkills(skills.source, skills);
  }

  /**
   * Adds the skills of a SkillSource in the pack's namespace: all it keeps, or those named in `include`.
   * Release: an entry of `spec.skills[]`. Documented API: refused.
   */
  public addSkills(source: ISkillSource, options: PromptPackSkillsOptions = {}): void {
    checkArguments(this, 'cdk8s-omnia.PromptPack', 'addSkills', [source, options]);
    const field = `skills[${this._skills.length}]`;
    if (!this.released) throw invalidProp(this, field, refusedByTarget(targetFor(this), 'skills from a SkillSource'));
    options = options ?? {};
    // The operator looks the source up in the pack's namespace only.
    if (source instanceof SkillSource && (source.namespace ?? 'default') !== (this.namespace ?? 'default')) {
      throw invalidProp(this, `${field}.source`, `SkillSource ${source.namespace ?? 'default'}/${source.name} is not in the pack's namespace (${this.namespace ?? 'default'}); the release reads skills from the pack's own namespace only`);
    }
    const include = options.include;
    for (const name of include ?? []) {
      if (typeof name !== 'string' || !name.trim()) throw invalidProp(this, `${field}.include`, 'skill names must be non-empty');
    }
    if (include !== undefined && new Set(include).size !== include.length) throw invalidProp(this, `${field}.include`, 'names a skill twice');
    if (options.mountAs !== undefined && !MOUNT_AS.test(options.mountAs)) {
      throw invalidProp(this, `${field}.mountAs`, `${JSON.stringify(options.mountAs)} must be lowercase letters, digits and '-', starting and ending with a letter or digit`);
    }
    this._skills.push({ source: source.name, include, mountAs: options.mountAs });
  }

  /** The skills config as the release writes it, or nothing. */
  private renderSkillsConfig(): any {
    return this.skillsConfig && { maxActive: this.skillsConfig.maxActive, selector: this.skillsConfig.selector };
  }

  /**
   * What the reference checks read of the manifest, from the props (without rendering).
   * @internal
   */
  public _referenceView(): any {
    return {
      apiVersion: this.apiObject.apiVersion,
      kind: 'PromptPack',
      metadata: { name: this.name, namespace: this.namespace },
      spec: this.released
        ? { version: this.version, source: { configMapRef: { name: this.configMap.name } }, skills: this._skills.map((s) => ({ source: s.source })) }
        : { packName: this.packName, version: this.version, source: { configMapRef: { name: this.configMap.name, key: this.key } } },
    };
  }

  /** Namespace of the PromptPack. */
  public get namespace(): string | undefined {
    return this.metadata.namespace;
  }
}
