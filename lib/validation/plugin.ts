import * as fs from 'fs';
import * as path from 'path';
import { FindingCheck } from './findings';
import { validateLocated } from './manifests';
import { readManifests } from './read-manifests';
import { ExternalObject, groupOf, key, LocatedManifest, parseExternal } from './references';

/** The file an app writes next to its manifests for this plugin (see `checks/app-checks.ts`). */
export const APP_METADATA_FILE = 'cdk8s-omnia-metadata.json';

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
    const app = readAppMetadata(context.manifests as string[]);
    const findings = validateLocated(objects, {
      externals: [...((this.properties.external ?? []) as string[]).map(parseExternal), ...app.externals],
      references: this.properties.references !== false,
      fromFiles: true,
    });
    for (const f of findings) {
      // Named by kind, namespace and name: objects of two kinds may share a name. The construct that made
      // the object is entered under that name in the CLI's metadata, which the report reads.
      const identity = `${f.kind}/${f.namespace ? `${f.namespace}/` : ''}${f.name ?? '?'}`;
      const constructPath = app.paths.get(key(groupOf({ apiVersion: f.apiVersion }), f.kind, f.namespace ?? 'default', f.name ?? ''));
      if (constructPath && context.metadata) context.metadata[identity] = { path: constructPath };
      context.report.addViolation({
        ruleName: `omnia-${f.check}`,
        recommendation: `${f.kind} ${f.namespace ? `${f.namespace}/` : ''}${f.name ?? '?'}: ${f.path}: ${f.message}`,
        fix: f.check === FindingCheck.SCHEMA ? `correct ${f.path} to satisfy the ${f.kind} CRD` : `correct ${f.path}`,
        violatingResources: [{ resourceName: identity, locations: [f.path], manifestPath: f.origin ?? '' }],
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

/** What the app told the plugin: objects declared external in code, and the construct of each object. */
function readAppMetadata(manifests: string[]): { externals: ExternalObject[]; paths: Map<string, string> } {
  const externals: ExternalObject[] = [];
  const paths = new Map<string, string>();
  for (const dir of new Set(manifests.map((m) => path.dirname(m)))) {
    const file = path.join(dir, APP_METADATA_FILE);
    if (!fs.existsSync(file)) continue;
    try {
      const data = JSON.parse(fs.readFileSync(file, 'utf8'));
      for (const e of data.externals ?? []) externals.push(parseExternal(e));
      for (const [identity, constructPath] of Object.entries(data.objects ?? {})) paths.set(identity, String(constructPath));
    } catch {
      // A file of another version or a broken one: the findings are still made, only their paths are missing.
    }
  }
  return { externals, paths };
}

/**
 * The cdk8s CLI records construct metadata next to the manifests for validation plugins and reads it
 * before any plugin runs. Left there, `kubectl apply -f dist/` takes it for a manifest and stops
 * ("Object 'Kind' is missing"), so it goes once read.
 */
function removeConstructMetadata(manifests: string[]): void {
  for (const dir of new Set(manifests.map((m) => path.dirname(m)))) {
    fs.rmSync(path.join(dir, 'construct-metadata.json'), { force: true });
    fs.rmSync(path.join(dir, APP_METADATA_FILE), { force: true });
  }
}
