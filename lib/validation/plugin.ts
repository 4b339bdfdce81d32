import { FindingCheck } from './findings';
import { validateLocated } from './manifests';
import { LocatedManifest, parseExternal } from './references';

/**
 * A cdk8s CLI validation plugin: `cdk8s synth` runs it on the synthesized manifests when `cdk8s.yaml` lists
 *
 * ```yaml
 * validations:
 *   - package: cdk8s-omnia
 *     version: 0.1.0
 *     class: OmniaValidationPlugin
 * ```
 *
 * It applies the same checks as `OmniaValidation`, to YAML however it was written.
 */
export class OmniaValidationPlugin {
  /**
   * @param properties the `properties` of the plugin entry: `references: false` skips the reference checks;
   *   `external: ["PromptPack/agents/prompts", ...]` lists objects that live outside the manifests
   */
  public constructor(private readonly properties: { [key: string]: any } = {}) {}

  /**
   * Called by the cdk8s CLI with its validation context (manifests, parser and report).
   * @param context the cdk8s-cli `ValidationContext`
   */
  public async validate(context: any): Promise<void> {
    const objects: LocatedManifest[] = [];
    for (const file of context.manifests as string[]) {
      for (const manifest of context.parseManifest(file)) objects.push({ manifest, origin: file });
    }
    const findings = validateLocated(objects, {
      externals: ((this.properties.external ?? []) as string[]).map(parseExternal),
      references: this.properties.references !== false,
      fromFiles: true,
    });
    for (const f of findings) {
      context.report.addViolation({
        ruleName: `omnia-${f.check}`,
        recommendation: `${f.kind} ${f.namespace ? `${f.namespace}/` : ''}${f.name ?? '?'}: ${f.path}: ${f.message}`,
        fix: f.check === FindingCheck.SCHEMA ? `correct ${f.path} to satisfy the ${f.kind} CRD` : `correct ${f.path}`,
        violatingResources: [{ resourceName: f.name ?? '', locations: [f.path], manifestPath: f.origin ?? '' }],
      });
    }
    context.report.submit(findings.length ? 'failure' : 'success', { findings: String(findings.length) });
  }
}
