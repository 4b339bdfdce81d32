import { OMNIA_GROUP, OmniaApiTarget } from '../api';
import { locateInUnit, LocatedFinding } from './findings';
import { checkEach } from './manifests';
import { ManifestUnit, readUnit, UnreadableDocument } from './read-manifests';
import { groupOf, LocatedManifest } from './references';

/** What the checks of each object make of some units of manifest files. */
export interface UnitsChecked {
  /** The objects with an identity, for the checks across objects. */
  readonly objects: LocatedManifest[];
  /** Placed at their own field (line and column) where it was found. */
  readonly findings: LocatedFinding[];
  readonly unreadable: UnreadableDocument[];
  /** How many objects the units hold, lists expanded. */
  readonly count: number;
}

/**
 * Reads units and checks each object on its own; each finding is placed at its own field. With
 * `keepManifests` false the objects come back reduced to what the duplicate check reads (apiVersion, kind,
 * name, namespace): cheap to send between threads.
 */
export function checkUnits(units: ManifestUnit[], keepManifests: boolean, target: OmniaApiTarget): UnitsChecked {
  const objects: LocatedManifest[] = [];
  const findings: LocatedFinding[] = [];
  const unreadable: UnreadableDocument[] = [];
  let count = 0;
  const strings = new Strings();
  // One unit at a time, keeping only what the checks across objects need: less memory held, less GC.
  for (const unit of units) {
    const read = readUnit(unit);
    unreadable.push(...read.unreadable);
    if (!read.objects.length) continue;
    const each = checkEach(read.objects, { ownsObjects: true, target });
    count += each.count;
    // Placed while the unit is at hand, in the thread that checked it.
    if (each.findings.length) findings.push(...locateInUnit(each.findings, unit));
    // Copied: strings read from a file are slices of its text, which they would keep alive.
    for (const o of each.objects) objects.push({ ...o, manifest: keepManifests ? referenceView(o.manifest, strings) : identity(o.manifest, strings) });
  }
  return { objects, findings, unreadable, count };
}

/** What the duplicate check reads of an object: apiVersion, kind, name, namespace, copied. */
function identity(m: any, strings: Strings): any {
  return { apiVersion: strings.of(m.apiVersion), kind: strings.of(m.kind), metadata: { name: copy(m.metadata?.name), namespace: strings.of(m.metadata?.namespace) } };
}

/** A deep copy through JSON: it shares nothing with the file's text. */
const copy = (v: unknown): any => (v === undefined ? undefined : JSON.parse(JSON.stringify(v)));

/** Strings most objects repeat (apiVersion, kind, namespace), one copy each. */
class Strings {
  private readonly seen = new Map<string, string>();

  public of(v: unknown): any {
    if (typeof v !== 'string') return copy(v);
    let kept = this.seen.get(v);
    if (kept === undefined) {
      kept = copy(v) as string;
      this.seen.set(kept, kept);
    }
    return kept;
  }
}

// Property names are interned by the parser: they share nothing with the file's text.
const keysOnly = (v: unknown) => (v !== null && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.keys(v).map((k) => [k, ''])) : undefined);

/**
 * What the reference checks read of an object: of an Omnia object its identity and spec (it refers and is
 * referred to by its spec; labels are not read), the keys of a Secret (never its values), the texts of a
 * ConfigMap (a pack's JSON) and the keys of its binary data, and of any other object its identity.
 */
function referenceView(m: any, strings: Strings): any {
  const view = identity(m, strings);
  if (groupOf(m) === OMNIA_GROUP) return m.spec === undefined ? view : { ...view, spec: copy(m.spec) };
  if (groupOf(m) !== '') return view;
  if (m.kind === 'Secret') return { ...view, data: { ...keysOnly(m.data), ...keysOnly(m.stringData) } };
  if (m.kind === 'ConfigMap') return { ...view, data: copy(m.data), binaryData: keysOnly(m.binaryData) };
  return view;
}
