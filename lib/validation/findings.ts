import { SchemaViolation } from './omnia-schema';

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
