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
  // One unit at a time, keeping only what the checks across objects need: less memory held, less GC.
  for (const unit of units) {
    const read = readUnit(unit);
    unreadable.push(...read.unreadable);
    if (!read.objects.length) continue;
    const each = checkEach(read.objects, { ownsObjects: true, target });
    count += each.count;
    // Placed while the unit is at hand, in the thread that checked it.
    if (each.findings.length) findings.push(...locateInUnit(each.findings, unit));
    // Copied through JSON: strings read from a file are slices of its text, which they would keep alive.
    for (const o of each.objects) objects.push({ ...o, manifest: JSON.parse(JSON.stringify(keepManifests ? referenceView(o.manifest) : identity(o.manifest))) });
  }
  return { objects, findings, unreadable, count };
}

/** What the duplicate check reads of an object: apiVersion, kind, name, namespace. */
function identity(m: any): any {
  return { apiVersion: m.apiVersion, kind: m.kind, metadata: { name: m.metadata?.name, namespace: m.metadata?.namespace } };
}

const keysOnly = (v: unknown) => (v !== null && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.keys(v).map((k) => [k, ''])) : undefined);

/**
 * What the reference checks read of an object: an Omnia object whole (it refers, or is referred to by its
 * spec), the keys of a Secret (never its values), the texts of a ConfigMap (a pack's JSON) and the keys of
 * its binary data, and of any other object its identity.
 */
function referenceView(m: any): any {
  if (groupOf(m) === OMNIA_GROUP) return m;
  const view = identity(m);
  if (groupOf(m) !== '') return view;
  if (m.kind === 'Secret') return { ...view, data: { ...keysOnly(m.data), ...keysOnly(m.stringData) } };
  if (m.kind === 'ConfigMap') return { ...view, data: m.data, binaryData: keysOnly(m.binaryData) };
  return view;
}
