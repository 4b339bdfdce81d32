import { FindingCheck, ValidationFinding } from './findings';
import { OmniaSchema } from './omnia-schema';
import { ExternalObject, LocatedManifest, referenceFindings } from './references';

/** How the manifests were gathered and which checks to run. */
export interface LocatedValidationOptions {
  readonly externals?: ExternalObject[];
  readonly references?: boolean;
  /** The manifests came from files (CLI, plugin) rather than from an app: affects the hints only. */
  readonly fromFiles?: boolean;
}

/** Checks located manifests: each Omnia object against its CRD, then the references between all of them. */
export function validateLocated(objects: LocatedManifest[], options: LocatedValidationOptions = {}): ValidationFinding[] {
  const findings: ValidationFinding[] = [];
  for (const { manifest, origin } of objects) {
    for (const v of OmniaSchema.validate(manifest)) findings.push({ ...v, check: FindingCheck.SCHEMA, origin });
  }
  if (options.references ?? true) findings.push(...referenceFindings(objects, options.externals, options.fromFiles));
  return findings;
}

/**
 * Validates manifests written with or without this library: every Omnia object against its CRD (schema,
 * defaults, CEL rules) and the references between the objects given. Returns every finding, never throws.
 */
export function validateManifests(manifests: any[]): ValidationFinding[] {
  return validateLocated(manifests.map((manifest) => ({ manifest })), { fromFiles: true });
}
