import * as fs from 'fs';
import * as path from 'path';
import { FindingCheck } from './findings';
import { validateLocated } from './manifests';
import { readManifests } from './read-manifests';
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
    const unreadable: string[] = [];
    for (const file of context.manifests as string[]) {
      // Read as kubectl will read the file, not with the CLI's YAML 1.2 parser.
      const read = readManifests(fs.readFileSync(file, 'utf8'), file);
      objects.push(...read.objects);
      unreadable.push(...read.unreadable.map((u) => `document ${u.document} (line ${u.line}): ${u.message}`));
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
    for (const u of unreadable) {
      context.report.addViolation({
        ruleName: 'omnia-unreadable', recommendation: u, fix: 'make the file valid YAML or JSON',
        violatingResources: [{ resourceName: '', locations: [], manifestPath: '' }],
      });
    }
    const failed = findings.length + unreadable.length > 0;
    context.report.submit(failed ? 'failure' : 'success', { findings: String(findings.length + unreadable.length) });
    removeConstructMetadata(context.manifests as string[]);
  }
}

/**
 * The cdk8s CLI records construct metadata next to the manifests for validation plugins and reads it
 * before any plugin runs. Left there, `kubectl apply -f dist/` takes it for a manifest and stops
 * ("Object 'Kind' is missing"), so it goes once read.
 */
function removeConstructMetadata(manifests: string[]): void {
  for (const dir of new Set(manifests.map((m) => path.dirname(m)))) {
    fs.rmSync(path.join(dir, 'construct-metadata.json'), { force: true });
  }
}
