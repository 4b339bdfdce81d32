import type { SchemaViolation } from './omnia-schema';
import { FieldPositions, ManifestUnit } from './read-manifests';

/** What kind of check produced a finding. */
export enum FindingCheck {
  /** The CRD's OpenAPI schema or one of its CEL rules. */
  SCHEMA = 'schema',
  /** A reference to another object of the app: missing object, missing key, mismatched pack. */
  REFERENCE = 'reference',
  /** A credential written in plain text where a Secret reference belongs. */
  PLAIN_TEXT_SECRET = 'plain-text-secret',
  /** The same object (group, kind, namespace, name) defined twice. */
  DUPLICATE = 'duplicate',
  /** The check itself failed on this object: a bug of this library, to be reported. */
  INTERNAL = 'internal',
}

/** One problem found in a set of manifests. */
export interface ValidationFinding extends SchemaViolation {
  /** The check that failed. */
  readonly check: FindingCheck;
  /**
   * Where the object came from: its construct path at synth, or the file the CLI and plugin read.
   * @default - unknown
   */
  readonly origin?: string;
  /**
   * 1-based index of the object's document in its file, when read from a file.
   * @default - not read from a file
   */
  readonly document?: number;
  /**
   * 1-based line where the object's document starts, when read from a file.
   * @default - not read from a file
   */
  readonly line?: number;
}

/** `origin: Kind namespace/name: path: message`, the one-line form used in errors and CLI output. */
export function formatFinding(finding: ValidationFinding): string {
  const at = finding.line ? `${finding.origin ?? ''}:${finding.line} (document ${finding.document})` : finding.origin;
  return formatProblem(at, finding.kind, finding.namespace, finding.name, finding.path, finding.message);
}

/**
 * The one line every error and finding of this library is written as: where it comes from (a construct
 * path or a file), the object, the field and the reason. Parts that are unknown are left out.
 */
export function formatProblem(origin: string | undefined, kind: string | undefined, namespace: string | undefined, name: string | undefined, field: string, reason: string): string {
  const object = kind ? `${kind} ${namespace ? `${namespace}/` : ''}${name ?? '?'}: ` : '';
  return `${origin ? `${origin}: ` : ''}${object}${field}: ${reason}`;
}

/** A finding read from a file, placed at its own field: `line` and `column` are the field's. */
export interface LocatedFinding extends ValidationFinding {
  /**
   * 1-based column of the field on `line`, when it was found in the file (then `line` is the field's line).
   * @default - not found: `line` is where the object's document starts
   */
  readonly column?: number;
}

/**
 * The findings in their order, each one read from `units` and not placed yet now placed at its own field
 * (line and column). Each unit with such findings is read again once, for all of them, then let go.
 */
export function locateFindings(findings: readonly LocatedFinding[], units: readonly ManifestUnit[]): LocatedFinding[] {
  const unplaced = (f: LocatedFinding) => !f.column && !!f.line && !!f.document;
  const wanted = new Set(findings.filter(unplaced).map((f) => f.origin ?? ''));
  if (!wanted.size) return [...findings];
  const unitKey = (origin: string | undefined, document: number | 'json') => `${origin ?? ''}\0${document}`;
  const byKey = new Map<string, ManifestUnit>();
  for (const unit of units) {
    if (!wanted.has(unit.origin ?? '')) continue;
    const key = unitKey(unit.origin, unit.json ? 'json' : unit.document);
    if (!byKey.has(key)) byKey.set(key, unit);
  }
  const byUnit = new Map<ManifestUnit, number[]>();
  findings.forEach((f, i) => {
    if (!unplaced(f)) return;
    const unit = byKey.get(unitKey(f.origin, f.document!)) ?? byKey.get(unitKey(f.origin, 'json'));
    if (!unit) return;
    const indexes = byUnit.get(unit);
    if (indexes) indexes.push(i);
    else byUnit.set(unit, [i]);
  });
  const located = [...findings];
  for (const [unit, indexes] of byUnit) {
    const placed = locateInUnit(indexes.map((i) => findings[i]), unit);
    indexes.forEach((i, j) => { located[i] = placed[j]; });
  }
  return located;
}

/** Findings about the objects of one unit, placed at their own field where it can be found. */
export function locateInUnit(findings: readonly ValidationFinding[], unit: ManifestUnit): LocatedFinding[] {
  const positions = new FieldPositions(unit);
  return findings.map((f) => {
    const at = f.document ? positions.positionOf(f.document, f.path, { kind: f.kind, name: f.name }) : undefined;
    return at ? { ...f, line: at.line, column: at.column } : f;
  });
}

/** `file:line:column: Kind namespace/name: path: message` for a finding placed at its field, else `formatFinding`. */
export function formatLocatedFinding(finding: LocatedFinding): string {
  if (!finding.line || !finding.column) return formatFinding(finding);
  return `${finding.origin ?? ''}:${finding.line}:${finding.column}: ${formatProblem(undefined, finding.kind, finding.namespace, finding.name, finding.path, finding.message)}`;
}
