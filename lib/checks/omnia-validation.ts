import { IConstruct } from 'constructs';
import { AppState } from '../core/app-state';
import { formatFinding, ValidationFinding } from '../validation/findings';
import { validateManifests, ValidateManifestsOptions } from '../validation/manifests';
import { ensureChecks } from './app-checks';

/** Options of the synth-time checks. */
export interface OmniaValidationOptions {
  /**
   * Also check references between objects (packs, registries, Secret and ConfigMap keys, pack contents).
   * @default true
   */
  readonly references?: boolean;
}

/**
 * Synth-time checks of every Omnia object in an app — made with the L2 constructs, the `l1` classes, an
 * `Include` or a hand-written `ApiObject` — against the CRDs, plus references across the app.
 * A synth with findings fails and lists all of them, each with its construct path, object, field and reason.
 *
 * The L2 constructs and the `l1` classes turn the checks on for their app; an app whose only Omnia
 * objects come from an `Include` or an `ApiObject` calls `OmniaValidation.enable(app)` once.
 */
export class OmniaValidation {
  /** Turns the checks on for the app that `scope` belongs to. */
  public static enable(scope: IConstruct, options: OmniaValidationOptions = {}): void {
    const state = ensureChecks(scope);
    state.checksEnabled = true;
    state.checkReferences = options?.references ?? true;
  }

  /** Turns the checks off for the app that `scope` belongs to, for example to measure their cost. */
  public static disable(scope: IConstruct): void {
    const state = ensureChecks(scope);
    state.checksEnabled = false;
  }

  /** Whether the checks will run when the app of `scope` is synthesized. */
  public static isEnabled(scope: IConstruct): boolean {
    return AppState.find(scope)?.checksEnabled ?? false;
  }

  /**
   * Validates manifests made without a cdk8s app (parsed YAML, for instance): each Omnia object against
   * its CRD and the references between the given objects. Returns every finding, never throws.
   */
  public static validateManifests(manifests: any[], options: ValidateManifestsOptions = {}): ValidationFinding[] {
    return validateManifests(manifests, options ?? {});
  }

  /** A finding as one line: `origin: Kind namespace/name: field: reason`, as errors and the CLI print it. */
  public static formatFinding(finding: ValidationFinding): string {
    return formatFinding(finding);
  }

  private constructor() {}
}
