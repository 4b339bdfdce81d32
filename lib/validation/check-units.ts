import type { ValidationFinding } from './findings';
import { checkEach } from './manifests';
import { ManifestUnit, readUnit, UnreadableDocument } from './read-manifests';
import type { LocatedManifest } from './references';

/** What the checks of each object make of some units of manifest files. */
export interface UnitsChecked {
  /** The objects with an identity, for the checks across objects. */
  readonly objects: LocatedManifest[];
  readonly findings: ValidationFinding[];
  readonly unreadable: UnreadableDocument[];
  /** How many objects the units hold, lists expanded. */
  readonly count: number;
}

/**
 * Reads units and checks each object on its own. With `keepManifests` false the objects come back reduced
 * to what the duplicate check reads (apiVersion, kind, name, namespace): cheap to send between threads.
 */
export function checkUnits(units: ManifestUnit[], keepManifests: boolean): UnitsChecked {
  const located: LocatedManifest[] = [];
  const unreadable: UnreadableDocument[] = [];
  for (const unit of units) {
    const read = readUnit(unit);
    located.push(...read.objects);
    unreadable.push(...read.unreadable);
  }
  const { objects, findings, count } = checkEach(located, { ownsObjects: true });
  const kept = keepManifests ? objects : objects.map((o) => ({
    ...o,
    manifest: { apiVersion: o.manifest.apiVersion, kind: o.manifest.kind, metadata: { name: o.manifest.metadata?.name, namespace: o.manifest.metadata?.namespace } },
  }));
  return { objects: kept, findings, unreadable, count };
}
