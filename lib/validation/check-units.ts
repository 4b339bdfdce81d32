import { OmniaApiTarget } from '../api';
import { locateInUnit, LocatedFinding } from './findings';
import { checkEach } from './manifests';
import { ManifestUnit, readUnit, UnreadableDocument } from './read-manifests';
import type { LocatedManifest } from './references';

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
    for (const o of each.objects) {
      objects.push(keepManifests ? o : {
        ...o,
        manifest: { apiVersion: o.manifest.apiVersion, kind: o.manifest.kind, metadata: { name: o.manifest.metadata?.name, namespace: o.manifest.metadata?.namespace } },
      });
    }
  }
  return { objects, findings, unreadable, count };
}
