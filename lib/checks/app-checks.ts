import * as fs from 'fs';
import * as path from 'path';
import { ApiObject, resolve } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { IConstruct } from 'constructs';
import { OMNIA_GROUP, OmniaApiTarget } from '../api';
import { AppState } from '../core/app-state';
import { describedObject, isDescribed, mistake, objectLabel, ownerOf } from '../core/errors';
import { besideManifests, escapeHelmJson, HELM_RESOLVER, helmActionField, unescapeHelmJson, writesIntoHelmChart } from '../core/helm';
import { ExternalReference } from '../core/references';
import { append } from '../validation/append';
import { FindingCheck, formatFinding, ValidationFinding } from '../validation/findings';
import { checkEach, duplicateFinding, namespacedClusterObject } from '../validation/manifests';
import { APP_METADATA_FILE } from '../validation/plugin';
import { ExternalObject, IndexedObject, key, LocatedManifest, manifestAsIndexed, ObjectIndex, referenceFindings } from '../validation/references';

// The synth-time checks of an app, in two parts:
// - each object of the `l1` classes (which the L2 constructs render through) checks exactly what its
//   `toJson()` emits, so every synth entry point checks it and nothing is rendered twice;
// - one validation per app (cdk8s runs it before rendering, in every entry point) checks what lies across
//   objects from typed data: references, duplicates, and the few problems a construct reports of itself.
// Objects this library did not make (an `Include`, a hand-written `ApiObject`) are rendered by that
// validation to be checked. The state is the app's own (`AppState`).
// When the app writes Helm templates, each checked object escapes what it emits for Helm after its checks
// (which read what the API server will receive); other objects are escaped by `OmniaHelmResolver`, the
// app's resolver, and the app's validation fails on any `{{` left that Helm would read as an action.

/** What the `l1` classes of this library provide to the checks. */
export interface CheckedObject extends ApiObject {
  /** The manifest, without the checks. */
  _renderUnchecked(): any;
  /** apiVersion, kind, metadata and the spec fields that refer to other objects, resolved without rendering. */
  _referenceView(): any;
}

/** A problem a construct reports of itself at synth: the field and the reason. */
export interface SynthProblem {
  readonly field: string;
  readonly reason: string;
}

const CHECKED = Symbol.for('cdk8s-omnia.CheckedObject');
const SELF_CHECKS = Symbol.for('cdk8s-omnia.SelfChecks');

const isChecked = (c: unknown): c is CheckedObject => c !== null && typeof c === 'object' && CHECKED in c;

/** Whether an object is one of this library's, which check (and for Helm escape) what they emit. */
export const isCheckedObject = (c: unknown): boolean => isChecked(c);

/** Marks an `l1` object as checking its own output, and turns the checks on for its app unless chosen. */
export function registerChecked(obj: CheckedObject): void {
  Object.defineProperty(obj, CHECKED, { value: true });
  ensureChecks(obj);
}

/** Adds a check a construct of this library runs on itself at synth. */
export function addSelfCheck(scope: IConstruct, check: () => SynthProblem[]): void {
  let checks: Array<() => SynthProblem[]> | undefined = (scope as any)[SELF_CHECKS];
  if (!checks) {
    checks = [];
    Object.defineProperty(scope, SELF_CHECKS, { value: checks });
  }
  checks.push(check);
  ensureChecks(scope);
}

/** The app's state, with the app-wide check registered once. */
export function ensureChecks(scope: IConstruct): AppState {
  const state = AppState.of(scope);
  if (!state.checksRegistered) {
    state.checksRegistered = true;
    // Throws its own error, so that synth-time failures read exactly like construct-time ones.
    state.node.addValidation({ validate: () => checkApp(state) });
  }
  return state;
}

/**
 * Whether cdk8s is validating the app again for one chart of an `app.synth()`/`app.synthYaml()` that already
 * validated the whole app at its start: nothing changes the tree in between, so the check across objects
 * need not run again. Told from the call stack (cdk8s offers no hook, and patching its methods is not ours
 * to do); if cdk8s's frames ever read differently, the check simply runs each time, as before.
 */
function inChartOfAppSynth(): boolean {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 60;
  const stack = new Error().stack ?? '';
  Error.stackTraceLimit = limit;
  const frames = stack.split('\n').filter((f) => CDK8S_APP_FILE.test(f));
  return frames.some((f) => /\._synthChart \(/.test(f)) && frames.some((f) => /\.(synth|synthYaml) \(/.test(f));
}
// Its compiled file, or its source where source maps are applied (as under jest).
const CDK8S_APP_FILE = /[\\/]cdk8s[\\/](lib|src)[\\/]app\.[jt]s:/;

/** The check of an `l1` object's output: returns `json` when it is valid, else fails the synth. */
export function checkEmitted(obj: CheckedObject, json: any): any {
  const state = AppState.find(obj);
  if (!state) return json;
  if (state.checksEnabled) {
    const findings = schemaFindings(json, originOf(obj), state.target);
    if (findings.length) throw new AppView(state).failure(findings);
  }
  return writesHelmTemplates(state) ? escapeHelmJson(json) : json;
}

/**
 * The reference fields of a spec as the manifest will have them: only those fields are resolved (their
 * `Lazy` values produced), the object is not rendered.
 */
export function referenceView(obj: ApiObject, spec: any, fields: string[]): any {
  const isPlain = spec !== null && typeof spec === 'object' && Object.getPrototypeOf(spec) === Object.prototype;
  const source = isPlain ? spec : resolve(['spec'], spec, obj) ?? {};
  const picked: { [field: string]: unknown } = {};
  for (const field of fields) if (source[field] !== undefined) picked[field] = source[field];
  return {
    apiVersion: obj.apiVersion,
    kind: obj.kind,
    metadata: { name: obj.name, namespace: obj.metadata.namespace },
    spec: resolve(['spec'], picked, obj),
  };
}

/**
 * What the reference checks read of a checked object: the manifest itself once JSON patches changed it, else
 * the view its L2 gives from typed data (cheaper than resolving the spec), else `own()`.
 */
export function checkedReferenceView(obj: CheckedObject, patched: boolean, own: () => any): any {
  if (patched) return obj._renderUnchecked();
  const owner = obj.node.scope as any;
  return obj.node.id === 'Resource' && typeof owner?._referenceView === 'function' ? owner._referenceView() : own();
}

function checkApp(state: AppState): string[] {
  if (inChartOfAppSynth()) return [];
  // The plugin needs the metadata even when the in-app checks are off.
  const recording = (state.node.root as any).recordConstructMetadata === true;
  if (state.checksEnabled || recording) {
    const view = new AppView(state);
    if (recording) view.writePluginMetadata();
    if (state.checksEnabled) {
      const findings = view.acrossFindings();
      if (findings.length) throw view.failure(findings);
    }
  }
  if (writesHelmTemplates(state)) {
    const unrenderable = new AppView(state).helmActionProblems();
    if (unrenderable.length) throw mistake(`cdk8s-omnia: ${unrenderable.length} problem(s) in the app:\n  ${unrenderable.join('\n  ')}`, [], false);
  }
  return [];
}

/**
 * Whether the app's manifests are Helm templates: `OmniaHelm.use` said so, or the app writes into a chart's
 * templates/ folder (as `cdk8s synth --format helm` runs it).
 */
export function writesHelmTemplates(state: AppState): boolean {
  // Cached: the resolver asks for every value holding a `{{`.
  if (state.helmTemplates) return true;
  state.inHelmChart ??= writesIntoHelmChart(state.node.root);
  return state.inHelmChart;
}

/** The schema findings of one rendered object, against the CRDs of the app's target. */
function schemaFindings(json: any, origin: string, target: OmniaApiTarget): ValidationFinding[] {
  return checkEach([{ manifest: json, origin, checkedJson: true }], { target }).findings;
}

/**
 * The construct that made an object: the L2 around an `l1` object, the user's construct an object of this
 * library was made for (the ConfigMap of `PromptPack.fromFile`), else the object itself.
 */
function originOf(obj: ApiObject): string {
  const owner = ownerOf(obj);
  if (owner !== undefined) return owner;
  const scope = obj.node.scope;
  return scope && obj.node.id === 'Resource' && isDescribed(scope) && scope.node.path ? scope.node.path : obj.node.path;
}

/** One walk of the app's tree, and what the checks across objects need of it. */
class AppView implements ObjectIndex {
  private readonly checked: CheckedObject[] = [];
  private readonly foreign: ApiObject[] = [];
  private readonly externals: ExternalObject[] = [];
  private readonly selfChecked: IConstruct[] = [];
  /** Objects this library did not make, of cluster-scoped kinds, written with a namespace. */
  private readonly scopeFindings: ValidationFinding[] = [];
  private readonly objects = new Map<string, ApiObject>();
  /** Each object with the identity (group, kind, namespace, name) of an earlier one, and that one. */
  private readonly duplicates: Array<{ later: ApiObject; first: ApiObject }> = [];
  private readonly rendered = new Map<ApiObject, any>();
  /** The reference views of objects, once read. */
  private readonly views = new Map<ApiObject, any>();
  /** What objects this library did not make write, for a Helm chart escaped by the app's resolver. */
  private readonly written = new Map<ApiObject, any>();

  public constructor(private readonly state: AppState) {
    for (const c of state.node.root.node.findAll()) {
      if (ExternalReference.isExternalReference(c)) {
        this.externals.push({ kind: c.kind, name: c.name, namespace: c.namespace });
        continue;
      }
      if (SELF_CHECKS in c) this.selfChecked.push(c);
      if (!ApiObject.isApiObject(c)) continue;
      if (isChecked(c)) this.checked.push(c);
      else if (c.apiGroup === OMNIA_GROUP) this.foreign.push(c);
      else if (c.metadata.namespace) {
        // A cluster-scoped kind stamped with its chart's namespace; rendered only then (a JSON patch may drop it).
        const light = { apiVersion: c.apiVersion, kind: c.kind, metadata: { name: c.name, namespace: c.metadata.namespace } };
        const scoped = namespacedClusterObject(light, state.target) && namespacedClusterObject(this.render(c), state.target);
        if (scoped) this.scopeFindings.push({ ...scoped, origin: c.node.path });
      }
      this.addIdentity(c);
    }
  }

  /** The object with this identity, as the reference checks see it. */
  public find(group: string, kind: string, namespace: string, name: string): IndexedObject | undefined {
    const obj = this.objects.get(key(group, kind, namespace, name));
    if (!obj) return undefined;
    const owner = obj.node.scope;
    if (owner instanceof kplus.ConfigMap && obj.node.id === 'Resource') {
      return { keys: () => [...Object.keys(owner.data), ...Object.keys(owner.binaryData)], hasKey: (k) => Object.hasOwn(owner.data, k) || Object.hasOwn(owner.binaryData, k), text: (k) => (Object.hasOwn(owner.data, k) ? owner.data[k] : undefined), spec: () => undefined };
    }
    if (owner instanceof kplus.Secret && obj.node.id === 'Resource') {
      return { keys: () => manifestAsIndexed(this.render(obj)).keys(), hasKey: (k) => owner.getStringData(k) !== undefined, text: () => undefined, spec: () => undefined };
    }
    // Only the keys of other Secrets and ConfigMaps need their content: they are rendered when asked.
    if (kind === 'Secret' || kind === 'ConfigMap') return manifestAsIndexed(this.render(obj));
    // Of other objects, the spec as the reference checks read it (an object of this library's, from typed data).
    return { keys: () => [], hasKey: () => false, text: () => undefined, spec: () => this.referenceViewOf(obj)?.spec };
  }

  /** What the reference checks read of an object: the view of one of this library's, else the manifest. */
  private referenceViewOf(obj: ApiObject): any {
    let view = this.views.get(obj);
    if (view === undefined) {
      view = isChecked(obj) ? obj._referenceView() : this.render(obj);
      this.views.set(obj, view);
    }
    return view;
  }

  /** Findings across objects: objects this library did not make, references, duplicates, self-checks. */
  public acrossFindings(): ValidationFinding[] {
    const located = (obj: ApiObject): LocatedManifest => ({
      manifest: { apiVersion: obj.apiVersion, kind: obj.kind, metadata: { name: obj.name, namespace: obj.metadata.namespace } },
      origin: originOf(obj),
    });
    const findings = [...this.scopeFindings, ...this.duplicates.map(({ later, first }) => duplicateFinding(located(later), located(first)))];
    const referring: LocatedManifest[] = [];
    for (const obj of this.foreign) {
      const manifest = this.render(obj);
      findings.push(...schemaFindings(manifest, obj.node.path, this.state.target));
      referring.push({ manifest, origin: obj.node.path });
    }
    if (this.state.checkReferences) {
      for (const obj of this.checked) referring.push({ manifest: this.referenceViewOf(obj), origin: originOf(obj) });
      append(findings, referenceFindings(referring, this.externals, false, this, this.state.target));
    }
    for (const c of this.selfChecked) {
      // A construct describes its object; an object of this library is its own.
      const object = describedObject(c) ?? (ApiObject.isApiObject(c) ? { kind: c.kind, name: c.name, namespace: c.metadata.namespace } : undefined);
      for (const check of (c as any)[SELF_CHECKS] as Array<() => SynthProblem[]>) {
        for (const p of check()) {
          findings.push({
            apiVersion: '', kind: object?.kind ?? '', name: object?.name, namespace: object?.namespace,
            path: p.field, message: p.reason, check: FindingCheck.SCHEMA, origin: c.node.path,
          });
        }
      }
    }
    return findings;
  }

  /**
   * Throws the error of a failed synth, listing every problem of the app: on this path only, each object of
   * this library is also rendered to report its schema findings together. Its stack points at where the
   * constructs the findings name were made.
   */
  public failure(first: ValidationFinding[]): never {
    const all = [...first];
    for (const obj of this.checked) append(all, schemaFindings(obj._renderUnchecked(), originOf(obj), this.state.target));
    append(all, this.acrossFindings());
    const lines = [...new Set(all.map(formatFinding))];
    return mistake(`cdk8s-omnia: ${lines.length} problem(s) in the app:\n  ${lines.join('\n  ')}`, this.constructsAt(all.map((f) => f.origin)), false);
  }

  /** The constructs at these paths, in their order. */
  private constructsAt(paths: Array<string | undefined>): IConstruct[] {
    const byPath = new Map<string, IConstruct>();
    for (const c of this.state.node.root.node.findAll()) byPath.set(c.node.path, c);
    return paths.flatMap((p) => (p !== undefined && byPath.has(p) ? [byPath.get(p)!] : []));
  }

  /**
   * When the cdk8s CLI records construct metadata for validation plugins, tells this library's plugin
   * what only the app knows: the objects declared external, and which construct made each object. The
   * plugin removes the file once read. For a Helm chart it goes beside templates/, where Helm would render it.
   */
  public writePluginMetadata(): void {
    const root = this.state.node.root as any;
    if (typeof root.outdir !== 'string') return;
    const objects: { [identity: string]: string } = {};
    for (const [identity, obj] of this.objects) objects[identity] = originOf(obj);
    const externals = this.externals.map((e) => `${e.kind}/${e.namespace ? `${e.namespace}/` : ''}${e.name}`);
    // Beside the manifests, or for a Helm chart beside templates/, where Helm would render it.
    const file = besideManifests(root.outdir, APP_METADATA_FILE);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, JSON.stringify({ version: 1, target: this.state.target, externals, objects }));
  }

  private addIdentity(obj: ApiObject): void {
    // The reference checks spell the core group '' (as apiVersion `v1` does); cdk8s spells it 'core'.
    // A cluster-scoped object of the release classes is written without its chart's namespace.
    const namespace = (obj as any)._clusterScoped === true ? undefined : obj.metadata.namespace;
    const identity = key(obj.apiVersion.includes('/') ? obj.apiGroup : '', obj.kind, namespace ?? 'default', obj.name);
    const first = this.objects.get(identity);
    if (first) this.duplicates.push({ later: obj, first });
    else this.objects.set(identity, obj);
  }

  /**
   * Each `{{` that Helm would read as a template action in what the app writes: in objects this library did
   * not make (its own escape what they emit), in keys and JSON patches, which the app's resolver does not
   * see, or everywhere when the app has no `OmniaHelmResolver`.
   */
  public helmActionProblems(): string[] {
    const root = this.state.node.root as any;
    const resolving = Array.isArray(root.resolvers) && root.resolvers.some((r: any) => r?.[HELM_RESOLVER] === true);
    const problems: string[] = [];
    for (const c of this.state.node.root.node.findAll()) {
      if (!ApiObject.isApiObject(c) || isChecked(c)) continue;
      const field = helmActionField(this.renderForHelm(c));
      if (field === undefined) continue;
      const fix = resolving
        ? 'the app\'s OmniaHelmResolver escapes values, not keys or what a JSON patch sets: write that text with OmniaHelm.textFor(scope, text)'
        : 'create the app with `new App({ resolvers: [new OmniaHelmResolver()] })`, which escapes every value for Helm';
      problems.push(`${c.node.path}: ${objectLabel({ kind: c.kind, name: c.name, namespace: c.metadata.namespace })}: ${field}: holds "{{", which Helm reads as a template action (function "..." not defined when it renders): ${fix}`);
    }
    return problems;
  }

  /** An object this library did not make, as written (escaped for Helm by the app's resolver, if any). */
  private renderForHelm(obj: ApiObject): any {
    let json = this.written.get(obj);
    if (json === undefined) {
      json = obj.toJson();
      this.written.set(obj, json);
    }
    return json;
  }

  /** An object as the API server will receive it: for a Helm chart, the resolver's escapes undone. */
  private render(obj: ApiObject): any {
    let json = this.rendered.get(obj);
    if (json === undefined) {
      if (isChecked(obj)) json = obj._renderUnchecked();
      else json = writesHelmTemplates(this.state) ? unescapeHelmJson(this.renderForHelm(obj)) : obj.toJson();
      this.rendered.set(obj, json);
    }
    return json;
  }
}
