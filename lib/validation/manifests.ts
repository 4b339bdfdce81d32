import { DEFAULT_API_TARGET, OmniaApiTarget } from '../api';
import { append } from './append';
import { crdsFor, isApiTarget, unknownTargetMessage } from './crds';
import { FindingCheck, ValidationFinding } from './findings';
import { jsonDataProblem, nonFiniteFields } from './json-data';
import { OmniaSchema } from './omnia-schema';
import { jsonTypeName } from './schema-path';
import { ExternalObject, groupOf, key, LocatedManifest, parseExternal, referenceFindings } from './references';

/** How the manifests were gathered and which checks to run. */
export interface LocatedValidationOptions {
  readonly externals?: ExternalObject[];
  readonly references?: boolean;
  /** The manifests came from files (CLI, plugin) rather than from an app: affects the hints only. */
  readonly fromFiles?: boolean;
  /** The objects read from files are the checks' to change (defaults are written into them, no copy). */
  readonly ownsObjects?: boolean;
  /** The API the manifests are written for: its CRDs, and the shape of its references. Default: the newest release. */
  readonly target?: OmniaApiTarget;
}

const typeName = jsonTypeName;

/**
 * Expands lists as kubectl does: any object with an `items` list (`kind: List`, `AgentRuntimeList`, ...) stands
 * for its items; an item with neither apiVersion nor kind takes the list's apiVersion and its kind minus the
 * `List` suffix. A list inside a list is refused, as kubectl refuses it.
 */
export function expandLists(located: LocatedManifest[]): { objects: LocatedManifest[]; findings: ValidationFinding[] } {
  const objects: LocatedManifest[] = [];
  const findings: ValidationFinding[] = [];
  const isList = (m: any) => m !== null && typeof m === 'object' && !Array.isArray(m) && Array.isArray(m.items);
  for (const l of located) {
    const m = l.manifest;
    if (!isList(m)) {
      objects.push(l);
      continue;
    }
    const itemKind = typeof m.kind === 'string' ? m.kind.replace(/List$/, '') : '';
    m.items.forEach((item: any, i: number) => {
      if (isList(item)) {
        findings.push({
          apiVersion: String(m.apiVersion ?? '?'), kind: String(m.kind ?? '?'), path: `items[${i}]`, origin: l.origin, document: l.document, line: l.line, check: FindingCheck.SCHEMA,
          message: 'a list inside a list: kubectl reads one level of items only',
        });
        return;
      }
      const bare = item !== null && typeof item === 'object' && !Array.isArray(item) && !item.kind && !item.apiVersion;
      objects.push({ ...l, manifest: bare ? { ...item, apiVersion: m.apiVersion, kind: itemKind } : item });
    });
  }
  return { objects, findings };
}

/** Findings for what kubectl itself refuses to send: a document that is no object, no apiVersion or kind. */
function identityFindings(located: LocatedManifest): ValidationFinding[] {
  const { manifest, origin, document, line } = located;
  const about = { apiVersion: '?', kind: '?', check: FindingCheck.SCHEMA, origin, document, line };
  if (manifest === null || typeof manifest !== 'object' || Array.isArray(manifest)) {
    return [{ ...about, path: '', message: `a manifest must be an object, not ${typeName(manifest)}` }];
  }
  // Numbers JSON cannot hold are findings of their fields (`nonFiniteFindings`).
  const notJson = located.checkedJson ? undefined : jsonDataProblem(manifest, true);
  if (notJson) return [{ ...about, path: '', message: `not JSON data: ${notJson}` }];
  // kubectl takes any object with `items` for a list, and cannot read one whose items are not a list.
  if (manifest.items !== undefined && manifest.items !== null) {
    return [{ ...about, kind: String(manifest.kind ?? '?'), path: 'items', message: `a list's items must be a list, not ${typeName(manifest.items)}` }];
  }
  const findings: ValidationFinding[] = [];
  for (const field of ['apiVersion', 'kind']) {
    const v = manifest[field];
    if (typeof v !== 'string' || !v) {
      findings.push({
        ...about, apiVersion: String(manifest.apiVersion ?? '?'), kind: String(manifest.kind ?? '?'),
        name: typeof manifest.metadata?.name === 'string' ? manifest.metadata.name : undefined,
        path: field, message: v === undefined || v === null || v === '' ? 'Required value' : `Invalid value: must be a string, not ${typeName(v)}`,
      });
    }
  }
  return findings;
}

/** Two objects with the same group, kind, namespace and name: the one applied last silently wins. */
export function duplicateFindings(objects: LocatedManifest[]): ValidationFinding[] {
  const index = new DuplicateIndex();
  const findings: ValidationFinding[] = [];
  for (const o of objects) {
    const found = index.add(o);
    if (found) findings.push(found);
  }
  return findings;
}

/**
 * The identities seen so far, each with the file that defined it first: objects can be added one by one as
 * they are read and then forgotten (the CLI keeps no more of them when references are not checked).
 */
export class DuplicateIndex {
  private readonly firstIn = new Map<string, string | undefined>();

  /** Remembers the object's identity; the finding when an earlier object had it. */
  public add(o: LocatedManifest): ValidationFinding | undefined {
    const m = o.manifest;
    const name = m.metadata?.name;
    if (typeof name !== 'string' || !name) return undefined;
    const identity = key(groupOf(m), m.kind, m.metadata?.namespace ?? 'default', name);
    if (this.firstIn.has(identity)) return duplicateFinding(o, { manifest: undefined, origin: this.firstIn.get(identity) });
    this.firstIn.set(identity, o.origin);
    return undefined;
  }

  /** Forgets the identities first seen in `origin` (a file found unreadable part way). */
  public forget(origin: string): void {
    for (const [identity, first] of this.firstIn) if (first === origin) this.firstIn.delete(identity);
  }
}

/** The finding of `later`, which defines again the object `first` defines. */
export function duplicateFinding(later: LocatedManifest, first: LocatedManifest): ValidationFinding {
  const m = later.manifest;
  const namespace = m.metadata?.namespace ?? 'default';
  return {
    apiVersion: m.apiVersion, kind: m.kind, name: m.metadata?.name, namespace: m.metadata?.namespace, path: 'metadata.name',
    origin: later.origin, document: later.document, line: later.line,
    check: FindingCheck.DUPLICATE,
    message: `${m.kind} ${namespace}/${m.metadata?.name} is defined twice (also ${first.origin ? `in ${first.origin}` : 'earlier'}); applied together, the later definition replaces the earlier one`,
  };
}

/**
 * The checks of each object on its own: lists expanded, an apiVersion and a kind, the CRD (metadata
 * included). Returns the objects that have an identity, for the checks across objects.
 */
export function checkEach(located: LocatedManifest[], options: LocatedValidationOptions = {}): { objects: LocatedManifest[]; findings: ValidationFinding[]; count: number } {
  const { objects: expanded, findings } = expandLists(located);
  const target = options.target ?? DEFAULT_API_TARGET;
  const objects: LocatedManifest[] = [];
  for (const o of expanded) {
    const identity = identityFindings(o);
    if (identity.length) {
      findings.push(...identity);
      continue;
    }
    objects.push(o);
    const where = { origin: o.origin, document: o.document, line: o.line };
    const nonFinite = o.checkedJson ? [] : nonFiniteFindings(o.manifest);
    if (nonFinite.length) {
      // kubectl cannot send the object: these come first; its other checks would read values it has not.
      findings.push(...nonFinite.map((f) => ({ ...f, ...where })));
      continue;
    }
    const scoped = namespacedClusterObject(o.manifest, target);
    if (scoped) findings.push({ ...scoped, ...where });
    try {
      const violations = o.checkedJson && options.ownsObjects
        ? OmniaSchema._validateOwned(o.manifest, target)
        : OmniaSchema.validateFor(o.manifest, target);
      for (const v of violations) findings.push({ ...v, check: FindingCheck.SCHEMA, ...where });
    } catch (e) {
      findings.push(internalFinding(e, o.manifest, where));
    }
  }
  return { objects, findings, count: expanded.length };
}

/** A finding for each field holding a number JSON cannot hold (YAML's `.inf`, `-.inf`, `.nan`). */
function nonFiniteFindings(manifest: any): ValidationFinding[] {
  return nonFiniteFields(manifest).map(([path, value]) => ({
    apiVersion: manifest.apiVersion, kind: manifest.kind,
    name: typeof manifest.metadata?.name === 'string' ? manifest.metadata.name : undefined,
    namespace: typeof manifest.metadata?.namespace === 'string' ? manifest.metadata.namespace : undefined,
    path, check: FindingCheck.SCHEMA,
    // As Go's encoding/json names them.
    message: `Invalid value: ${Number.isNaN(value) ? 'NaN' : value > 0 ? '+Inf' : '-Inf'}: JSON has no such number (YAML's .nan, .inf, -.inf; a JSON number beyond float64), so kubectl cannot send the object`,
  }));
}

// Kinds of the built-in API groups that live outside namespaces.
const CLUSTER_SCOPED_KINDS = new Set([
  'Namespace', 'Node', 'PersistentVolume', 'ClusterRole', 'ClusterRoleBinding', 'CustomResourceDefinition', 'StorageClass',
  'PriorityClass', 'IngressClass', 'RuntimeClass', 'CSIDriver', 'CSINode', 'VolumeAttachment', 'APIService',
  'ValidatingWebhookConfiguration', 'MutatingWebhookConfiguration', 'ValidatingAdmissionPolicy', 'ValidatingAdmissionPolicyBinding',
]);

/**
 * A cluster-scoped object written with a namespace (a Namespace in a chart with one, say): the API server
 * ignores it, but the manifest says something untrue, and a chart's namespace would be stamped on it again.
 */
export function namespacedClusterObject(manifest: any, target: OmniaApiTarget): ValidationFinding | undefined {
  const namespace = manifest?.metadata?.namespace;
  if (namespace === undefined || namespace === null || namespace === '') return undefined;
  const { apiVersion, kind } = manifest;
  const group = typeof apiVersion === 'string' && apiVersion.includes('/') ? apiVersion.split('/')[0] : '';
  const omnia = OmniaSchema.isOmniaApiVersion(apiVersion)
    && crdsFor(target).some((c) => c.spec.names.kind === kind && c.spec.scope === 'Cluster');
  const builtIn = CLUSTER_SCOPED_KINDS.has(kind) && (group === '' || group.endsWith('.k8s.io'));
  if (!omnia && !builtIn) return undefined;
  return {
    apiVersion, kind, name: manifest.metadata.name, namespace, check: FindingCheck.SCHEMA, path: 'metadata.namespace',
    message: `${kind} is cluster-scoped and takes no namespace (${JSON.stringify(namespace)}): put it in a chart without a namespace, or leave metadata.namespace out`,
  };
}

/** The checks across objects: the same object twice, and references that must resolve. */
export function checkAcross(objects: LocatedManifest[], options: LocatedValidationOptions = {}): ValidationFinding[] {
  try {
    const findings = duplicateFindings(objects);
    if (options.references ?? true) append(findings, referenceFindings(objects, options.externals, options.fromFiles, undefined, options.target ?? DEFAULT_API_TARGET));
    return findings;
  } catch (e) {
    return [internalFinding(e, undefined, {})];
  }
}

/**
 * Checks located manifests as kubectl and the API server would take them: lists are expanded, each object
 * needs an apiVersion and a kind, each Omnia object is checked against its CRD (metadata included), the
 * same object may not be defined twice, and references between the objects must resolve.
 */
export function validateLocated(located: LocatedManifest[], options: LocatedValidationOptions = {}): ValidationFinding[] {
  const each = checkEach(located, options);
  return [...each.findings, ...checkAcross(each.objects, options)];
}

/** A check that threw: reported as this library's bug, with the object, never as a stack trace. */
function internalFinding(e: unknown, manifest: any, where: { origin?: string; document?: number; line?: number }): ValidationFinding {
  return {
    apiVersion: String(manifest?.apiVersion ?? '?'), kind: String(manifest?.kind ?? '?'),
    name: typeof manifest?.metadata?.name === 'string' ? manifest.metadata.name : undefined,
    path: '', check: FindingCheck.INTERNAL, ...where,
    message: `internal error of cdk8s-omnia while checking this object: ${(e as Error)?.message ?? String(e)} (please report it)`,
  };
}

/** Options of `validateManifests`. */
export interface ValidateManifestsOptions {
  /**
   * Also check references between objects (packs, registries, Secret and ConfigMap keys, pack contents).
   * @default true
   */
  readonly references?: boolean;
  /**
   * Objects that live outside the manifests, as `Kind/namespace/name` or `Kind/name` (any namespace).
   * @default - none
   */
  readonly external?: string[];
  /**
   * The Omnia API the manifests are written for: the CRDs they are checked against and the shape of the
   * references between them (`OmniaApiTarget.DOCUMENTED` for manifests of the documented API).
   * @default OmniaApiTarget.V0_9_0_BETA_17 (the newest release)
   */
  readonly target?: OmniaApiTarget;
}

/**
 * Validates manifests written with or without this library, as kubectl and the API server would take them:
 * every Omnia object against its CRD (metadata, schema, defaults, CEL rules), `List` objects expanded,
 * duplicates, and the references between the objects given. Returns every finding, never throws.
 */
export function validateManifests(manifests: any[], options: ValidateManifestsOptions = {}): ValidationFinding[] {
  if (!Array.isArray(manifests)) {
    return [{ apiVersion: '?', kind: '?', path: '', check: FindingCheck.SCHEMA, message: `validateManifests takes a list of manifests, not ${typeName(manifests)}` }];
  }
  let externals: ExternalObject[];
  try {
    externals = (options.external ?? []).map(parseExternal);
  } catch (e) {
    return [{ apiVersion: '?', kind: '?', path: 'external', check: FindingCheck.SCHEMA, message: (e as Error).message }];
  }
  if (options.target !== undefined && options.target !== null && !isApiTarget(options.target)) {
    return [{ apiVersion: '?', kind: '?', path: 'target', check: FindingCheck.SCHEMA, message: unknownTargetMessage(options.target) }];
  }
  return validateLocated(manifests.map((manifest) => ({ manifest })), { fromFiles: true, references: options.references, externals, target: options.target ?? undefined });
}
