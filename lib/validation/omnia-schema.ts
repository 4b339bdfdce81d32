import { DEFAULT_API_TARGET, OMNIA_GROUP, OmniaApiTarget } from '../api';
import { findCrdVersion, isApiTarget, precompiledValidator, unknownTargetMessage } from './crds';
import { KubernetesSchemaValidator } from './kubernetes-schema';
import { objectMetaProblems } from './object-meta';

/** One reason an Omnia object would be rejected by the API server. */
export interface SchemaViolation {
  /** apiVersion of the object. */
  readonly apiVersion: string;
  /** Kind of the object. */
  readonly kind: string;
  /**
   * metadata.name of the object.
   * @default - the object has no name
   */
  readonly name?: string;
  /**
   * metadata.namespace of the object.
   * @default - the object has no namespace
   */
  readonly namespace?: string;
  /** Path of the offending field, as the API server prints it (for example `spec.session.storeRef`). */
  readonly path: string;
  /** Why the field is rejected. */
  readonly message: string;
}

// Compiled on first use, then reused for the rest of the process.
const validators = new Map<string, KubernetesSchemaValidator>();

function validatorFor(apiVersion: string, kind: string, target: OmniaApiTarget): KubernetesSchemaValidator | undefined {
  const key = `${target}\0${apiVersion}/${kind}`;
  let validator = validators.get(key);
  if (!validator) {
    const found = findCrdVersion(apiVersion, kind, target);
    if (!found) return undefined;
    const schema = found.version.schema.openAPIV3Schema;
    validator = new KubernetesSchemaValidator(schema, precompiledValidator(found.crd, found.version.name, target), found.version.subresources?.status !== undefined);
    validators.set(key, validator);
  }
  return validator;
}

/** A hint naming the targets whose CRDs serve a kind that `target`'s do not (manifests checked for the wrong API). */
function servedByAnotherTarget(apiVersion: string, kind: string, target: OmniaApiTarget): string {
  const others = Object.values(OmniaApiTarget).filter((t) => t !== target && hasCrd(apiVersion, kind, t));
  return others.length ? ` (Omnia ${others.join(', ')} does: were these manifests written for that target?)` : '';
}

function hasCrd(apiVersion: string, kind: string, target: OmniaApiTarget): boolean {
  try {
    return findCrdVersion(apiVersion, kind, target) !== undefined;
  } catch {
    return false; // that target's CRDs are not in this package
  }
}

function checkedTarget(target: unknown): OmniaApiTarget {
  if (!isApiTarget(target)) throw new Error(unknownTargetMessage(target));
  return target;
}

/**
 * Offline checks of Omnia objects against the CRDs of an API target, with the rules the API server applies:
 * defaults, the OpenAPI schema with Kubernetes' extensions, and the CEL validation rules. `validate` and
 * `applyDefaults` use the default target, the newest release (its CRDs, derived at build time);
 * `validateFor` and `applyDefaultsFor` take the target, such as `OmniaApiTarget.DOCUMENTED` for the
 * documented API and the CRDs of this package.
 */
export class OmniaSchema {
  /** Whether `apiVersion` belongs to the Omnia API group (any version). */
  public static isOmniaApiVersion(apiVersion: string): boolean {
    return typeof apiVersion === 'string' && apiVersion.split('/')[0] === OMNIA_GROUP;
  }

  /**
   * Validates one manifest against the CRDs of the newest release (the default target). Objects outside the
   * Omnia group yield no violations; an unknown Omnia kind or version is itself a violation.
   */
  public static validate(manifest: any): SchemaViolation[] {
    return OmniaSchema.check(manifest, DEFAULT_API_TARGET).violations;
  }

  /**
   * Validates one manifest against the CRDs of `target`, as `validate` does for the default target. Throws
   * for an unknown target, and when the target's CRDs are missing (a package built without them).
   */
  public static validateFor(manifest: any, target: OmniaApiTarget): SchemaViolation[] {
    return OmniaSchema.check(manifest, checkedTarget(target)).violations;
  }

  /**
   * Returns a copy of `manifest` with the CRD defaults of the newest release (the default target) applied,
   * as the API server stores it on create. Throws when the manifest is not a valid Omnia object.
   */
  public static applyDefaults(manifest: any): any {
    return OmniaSchema.defaulted(manifest, DEFAULT_API_TARGET);
  }

  /**
   * `applyDefaults` with the CRDs of `target`. Throws when the manifest is not a valid Omnia object of
   * that target, or the target is unknown.
   */
  public static applyDefaultsFor(manifest: any, target: OmniaApiTarget): any {
    return OmniaSchema.defaulted(manifest, checkedTarget(target));
  }

  /**
   * The violations of a manifest the caller hands over (it may be changed by defaulting).
   * @internal
   */
  public static _validateOwned(manifest: any, target: OmniaApiTarget): SchemaViolation[] {
    return OmniaSchema.check(manifest, target, true).violations;
  }

  private static defaulted(manifest: any, target: OmniaApiTarget): any {
    const { defaulted, violations } = OmniaSchema.check(manifest, target);
    if (violations.length) {
      throw new Error(`cannot default an invalid object:\n${violations.map((v) => `  ${v.path}: ${v.message}`).join('\n')}`);
    }
    return defaulted;
  }

  private static check(manifest: any, target: OmniaApiTarget, owned = false): { defaulted: any; violations: SchemaViolation[] } {
    const apiVersion = manifest?.apiVersion;
    const kind = manifest?.kind;
    if (!OmniaSchema.isOmniaApiVersion(apiVersion)) return { defaulted: manifest, violations: [] };
    const about = { apiVersion, kind, name: manifest.metadata?.name, namespace: manifest.metadata?.namespace };
    const validator = validatorFor(apiVersion, kind, target);
    if (!validator) {
      const crds = target === OmniaApiTarget.DOCUMENTED ? 'no CRD in this package' : `no CRD of Omnia ${target}`;
      const hint = servedByAnotherTarget(apiVersion, kind, target);
      return { defaulted: manifest, violations: [{ ...about, path: 'kind', message: `${crds} serves ${kind} in ${apiVersion}${hint}` }] };
    }
    // Metadata first: defaulting an owned manifest may change it.
    const metaProblems = objectMetaProblems(manifest.metadata, true);
    const { defaulted, problems } = validator.check(manifest, owned);
    // The CRD schema only says metadata is an object; the API server checks it as ObjectMeta.
    const rest = metaProblems.length ? problems.filter((p) => p.path !== 'metadata') : problems;
    return { defaulted, violations: [...metaProblems, ...rest].map((p) => ({ ...about, ...p })) };
  }

  private constructor() {}
}
