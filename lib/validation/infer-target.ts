// Which Omnia API a set of manifests is written for, told from the manifests themselves: the kinds and spec
// fields of their Omnia objects, and the CRDs of the Omnia group among them.
import { OMNIA_GROUP, OmniaApiTarget } from '../api';
import { crdsFor } from './crds';
import { ManifestUnit, readUnit } from './read-manifests';

/** What one object of the input says about the API it is written for. */
export interface TargetObservation {
  /** The kind of the Omnia object, or the kind a CRD of the Omnia group installs. */
  readonly kind: string;
  /** The keys of the object's spec, or the spec properties the CRD's schema declares. */
  readonly specKeys: readonly string[];
  /** A CustomResourceDefinition of the Omnia group, not an object. */
  readonly crd?: boolean;
  /** The object as the reason names it: `Provider agents/claude at dist/app.yaml:12`. */
  readonly label: string;
}

/** The kinds an API target serves, each with the properties of its spec. */
export interface TargetShape {
  readonly target: OmniaApiTarget;
  readonly kinds: ReadonlyMap<string, ReadonlySet<string>>;
}

/** The target the checks use, and why. */
export interface TargetChoice {
  readonly target: OmniaApiTarget;
  /** `option`: named by --target; `inferred`: told by the input; `default`: nothing (or too much) told. */
  readonly source: 'option' | 'inferred' | 'default';
  /** One sentence for people. */
  readonly reason: string;
}

/** An observation that fits some targets better than the others. */
interface Evidence {
  readonly observation: TargetObservation;
  readonly targets: ReadonlySet<OmniaApiTarget>;
  readonly why: string;
}

/**
 * Infers the target of the input from what it holds. An observation speaks for the targets it fits best:
 * a kind only some targets serve, spec keys only some know (an object need not set every field, so only
 * the keys the target lacks count against it), or for a CRD the spec properties closest to a target's
 * (both ways). Observations that fit every target alike say nothing. When the ones that speak agree on one
 * target it is inferred; when none speaks, or they disagree (a mixed input), `fallback` is used and the
 * reason says so.
 */
export function inferTarget(observations: Iterable<TargetObservation>, shapes: readonly TargetShape[], fallback: OmniaApiTarget): TargetChoice {
  // One example of each set of targets that observations spoke for, and how many spoke.
  const examples: Evidence[] = [];
  let spoke = 0;
  let agreed: Set<OmniaApiTarget> | undefined;
  for (const observation of observations) {
    const found = weigh(observation, shapes);
    if (!found) continue;
    spoke++;
    agreed = new Set([...(agreed ?? found.targets)].filter((t) => found.targets.has(t)));
    if (!examples.some((e) => sameTargets(e.targets, found.targets))) examples.push(found);
  }
  const choose = '; pass --target to choose';
  const shown = (e: Evidence) => `${e.observation.label} (${e.why})`;
  if (agreed?.size === 1) {
    const more = spoke > 1 ? ` and ${spoke - 1} more object(s)` : '';
    return { target: [...agreed][0], source: 'inferred', reason: `inferred from ${shown(examples[0])}${more}` };
  }
  if (!agreed || agreed.size > 1) {
    // Nothing spoke, or whatever did left several targets standing.
    return { target: fallback, source: 'default', reason: `the default, as nothing in the input tells the targets apart${choose}` };
  }
  const a = examples[0];
  const b = examples.find((e) => ![...e.targets].some((t) => a.targets.has(t))) ?? examples[examples.length - 1];
  return { target: fallback, source: 'default', reason: `the default, as the input is mixed: ${shown(a)} but ${shown(b)}${choose}` };
}

function sameTargets(a: ReadonlySet<OmniaApiTarget>, b: ReadonlySet<OmniaApiTarget>): boolean {
  return a.size === b.size && [...a].every((t) => b.has(t));
}

/** The targets an observation fits best, and why, when that is not all of them. */
function weigh(observation: TargetObservation, shapes: readonly TargetShape[]): Evidence | undefined {
  const { kind, crd } = observation;
  const serving = shapes.filter((s) => s.kinds.has(kind));
  if (!serving.length) return undefined; // a kind no target serves: the checks report it
  const misses = serving.map((s) => distance(observation, s.kinds.get(kind)!));
  const best = Math.min(...misses);
  const fitting = serving.filter((_, i) => misses[i] === best);
  if (fitting.length === shapes.length) return undefined;
  const targets = new Set(fitting.map((s) => s.target));
  const names = fitting.map((s) => s.target).join(' and ');
  const others = shapes.filter((s) => !targets.has(s.target));
  const own = observation.specKeys.filter((k) => others.every((s) => !s.kinds.get(kind)?.has(k))).map((k) => `spec.${k}`);
  let why: string;
  if (fitting.length === serving.length) why = `only ${names} serves ${kind}`;
  else if (crd) why = `its ${kind} is the one of ${names}`;
  else if (own.length) why = `only ${names} knows ${own.join(', ')}`;
  else why = `its spec fits ${names} best`;
  return { observation, targets, why };
}

/** How far an observation is from a kind of a target: spec keys it lacks; for a CRD, also keys it has more. */
function distance(observation: TargetObservation, properties: ReadonlySet<string>): number {
  const keys = new Set(observation.specKeys);
  let n = 0;
  for (const k of keys) if (!properties.has(k)) n++;
  if (observation.crd) for (const p of properties) if (!keys.has(p)) n++;
  return n;
}

// What follows gathers the observations and shapes that `inferTarget` weighs.

/** The shape of each target whose CRDs this package holds. */
export function targetShapes(): TargetShape[] {
  const shapes: TargetShape[] = [];
  for (const target of Object.values(OmniaApiTarget)) {
    let crds: any[];
    try {
      crds = crdsFor(target);
    } catch {
      continue; // a package built without that target's CRDs: it cannot be checked, nor inferred
    }
    const kinds = new Map<string, Set<string>>();
    for (const crd of crds) if (crd?.spec?.group === OMNIA_GROUP) kinds.set(crd.spec.names.kind, crdSpecProperties(crd));
    shapes.push({ target, kinds });
  }
  return shapes;
}

/** The spec properties a CRD declares, over its served versions. */
function crdSpecProperties(crd: any): Set<string> {
  const properties = new Set<string>();
  for (const version of Array.isArray(crd?.spec?.versions) ? crd.spec.versions : []) {
    if (version?.served === false) continue;
    const spec = version?.schema?.openAPIV3Schema?.properties?.spec?.properties;
    if (isMap(spec)) for (const key of Object.keys(spec)) properties.add(key);
  }
  return properties;
}

/**
 * The observations of the units that name the Omnia group. A plain YAML document is skimmed for its
 * apiVersion, kind, metadata name and spec keys (much cheaper than reading it, which the checks do later);
 * JSON, lists, CRDs and any YAML the skim is unsure of are read in full.
 */
export function observeUnits(units: Iterable<ManifestUnit>): TargetObservation[] {
  const observations: TargetObservation[] = [];
  for (const unit of units) {
    if (!unit.text.includes(OMNIA_GROUP)) continue;
    const skimmed = unit.json ? undefined : skimYaml(unit.text);
    if (skimmed) {
      if (groupOf(skimmed.apiVersion) === OMNIA_GROUP) {
        observations.push({ kind: skimmed.kind, specKeys: skimmed.specKeys, label: label(skimmed.kind, skimmed.namespace, skimmed.name, unit.origin, unit.line) });
      }
      continue;
    }
    for (const o of readUnit(unit).objects) observations.push(...observe(o.manifest, o.origin, o.line));
  }
  return observations;
}

/** What a manifest (a list: its items, one level deep as kubectl reads them) says about its target. */
export function observe(manifest: any, origin?: string, line?: number, inList = false): TargetObservation[] {
  if (!isMap(manifest)) return [];
  if (Array.isArray(manifest.items)) {
    if (inList) return [];
    const itemKind = typeof manifest.kind === 'string' ? manifest.kind.replace(/List$/, '') : '';
    return manifest.items.flatMap((item: any) => observe(isMap(item) && !item.kind && !item.apiVersion ? { ...item, apiVersion: manifest.apiVersion, kind: itemKind } : item, origin, line, true));
  }
  const { apiVersion, kind, metadata, spec } = manifest;
  if (typeof apiVersion !== 'string' || typeof kind !== 'string') return [];
  const name = isMap(metadata) && typeof metadata.name === 'string' ? metadata.name : undefined;
  const namespace = isMap(metadata) && typeof metadata.namespace === 'string' ? metadata.namespace : undefined;
  if (groupOf(apiVersion) === 'apiextensions.k8s.io' && kind === 'CustomResourceDefinition') {
    if (!isMap(spec) || spec.group !== OMNIA_GROUP || typeof spec.names?.kind !== 'string') return [];
    return [{ kind: spec.names.kind, specKeys: [...crdSpecProperties(manifest)], crd: true, label: label(kind, undefined, name, origin, line) }];
  }
  if (groupOf(apiVersion) !== OMNIA_GROUP) return [];
  return [{ kind, specKeys: isMap(spec) ? Object.keys(spec) : [], label: label(kind, namespace, name, origin, line) }];
}

function label(kind: string, namespace: string | undefined, name: string | undefined, origin: string | undefined, line: number | undefined): string {
  const at = origin ? ` at ${origin}${line ? `:${line}` : ''}` : '';
  return `${kind} ${namespace ? `${namespace}/` : ''}${name ?? '?'}${at}`;
}

function groupOf(apiVersion: string): string {
  return apiVersion.includes('/') ? apiVersion.split('/')[0] : '';
}

function isMap(value: unknown): value is { [key: string]: any } {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** What the skim of a YAML document finds. */
interface Skimmed {
  readonly apiVersion: string;
  readonly kind: string;
  readonly name?: string;
  readonly namespace?: string;
  readonly specKeys: string[];
}

const TOP_KEY = /^([A-Za-z_][\w.-]*):(?:[ \t]+(.*))?$/;
const CHILD_KEY = /^([A-Za-z_$][\w.$/-]*|"[^"\\]*"|'[^']*'):(?:[ \t]+(.*))?$/;
const SIMPLE_VALUE = /^(?:"([\w./-]+)"|'([\w./-]+)'|([\w./-]+))(?:[ \t]+#.*)?$/;
const EMPTY_VALUE = /^(?:#.*)?$/;
const SPACE = 32;
const CR = 13;

/**
 * The apiVersion, kind, metadata name and namespace and the keys of the spec of a YAML document written in
 * plain block style (as generators and people write manifests), read line by line; undefined wherever the
 * document uses anything else (flow collections for these keys, anchors, tags, quoted top-level keys, tabs,
 * lists at the top, `items`), so that the caller reads it in full. Lines deeper than the keys it looks for
 * cost a count of their leading spaces.
 */
export function skimYaml(text: string): Skimmed | undefined {
  const top = new Map<string, string>();
  const children: { [section: string]: Map<string, string | undefined> } = {};
  let section: Map<string, string | undefined> | undefined; // the children of `spec:` or `metadata:`, while in it
  let indent = 0;
  let lastTop = '';
  for (let pos = 0; pos < text.length;) {
    let end = text.indexOf('\n', pos);
    if (end === -1) end = text.length;
    const from = pos;
    pos = end + 1;
    let i = from;
    while (i < end && text.charCodeAt(i) === SPACE) i++;
    const first = text[i];
    if (i === end || first === '#' || (first === '\r' && i + 1 === end)) continue; // blank or comment
    if (first === '\t') return undefined;
    const lineEnd = text.charCodeAt(end - 1) === CR ? end - 1 : end;
    if (i === from) {
      const m = TOP_KEY.exec(text.slice(i, lineEnd));
      if (!m) return undefined;
      const [, key, rest = ''] = m;
      lastTop = key;
      section = undefined;
      if (key === 'spec' || key === 'metadata') {
        if (!EMPTY_VALUE.test(rest.trim())) return undefined;
        section = children[key] = new Map();
        indent = 0;
      } else if (key === 'apiVersion' || key === 'kind') {
        const v = SIMPLE_VALUE.exec(rest.trim());
        if (!v) return undefined;
        top.set(key, v[1] ?? v[2] ?? v[3]);
      } else if (key === 'items') {
        return undefined;
      }
      continue;
    }
    // An indented line continues the last top-level key; the scalars skimmed must be on one line.
    if (lastTop === 'apiVersion' || lastTop === 'kind') return undefined;
    if (!section) continue;
    const at = i - from;
    if (!indent) indent = at;
    if (at > indent) continue;
    const m = at === indent ? CHILD_KEY.exec(text.slice(i, lineEnd)) : undefined;
    if (!m) return undefined;
    const key = /^["']/.test(m[1]) ? m[1].slice(1, -1) : m[1];
    const value = SIMPLE_VALUE.exec((m[2] ?? '').trim());
    // The last of duplicate keys wins, in the place of the first (as in the object a full read makes).
    section.set(key, value ? value[1] ?? value[2] ?? value[3] : undefined);
  }
  const apiVersion = top.get('apiVersion');
  const kind = top.get('kind');
  if (!apiVersion || !kind || kind === 'CustomResourceDefinition' || kind.endsWith('List')) return undefined;
  const metadata = children.metadata;
  return { apiVersion, kind, name: metadata?.get('name'), namespace: metadata?.get('namespace'), specKeys: [...(children.spec?.keys() ?? [])] };
}
