import * as fs from 'fs';
import * as path from 'path';
import { DEFAULT_API_TARGET, OmniaApiTarget } from '../api';
import { besideManifests, HELM_SIDE_FOLDER, helmActionLine, helmLocationOf, unescapeHelmText } from '../core/helm';
import { append } from './append';
import { isApiTarget, unknownTargetMessage } from './crds';
import { FindingCheck, formatProblem, ValidationFinding } from './findings';
import { validateLocated } from './manifests';
import { readManifests } from './read-manifests';
import { ExternalObject, groupOf as groupOfManifest, key, LocatedManifest, parseExternal } from './references';

const groupOfApiVersion = (apiVersion: string) => groupOfManifest({ apiVersion });

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
 * It applies the same checks as `OmniaValidation`, to YAML however it was written. The manifests of a folder
 * are checked for the API target the app wrote them for (it says so in the folder's metadata file), else
 * for the `target` property, else for the newest release.
 */
export class OmniaValidationPlugin {
  /**
   * @param properties the `properties` of the plugin entry: `references: false` skips the reference checks;
   *   `external: ["PromptPack/agents/prompts", ...]` lists objects that live outside the manifests;
   *   `target: documented` checks manifests of folders the app said nothing about for the documented API
   *   (default: the newest release, `v0.9.0-beta.17`)
   */
  public constructor(private readonly properties: { [key: string]: any } = {}) {}

  /**
   * Called by the cdk8s CLI with its validation context (manifests, parser and report).
   * @param context the cdk8s-cli `ValidationContext`
   */
  public async validate(context: any): Promise<void> {
    const objects: LocatedManifest[] = [];
    const unreadable: string[] = [];
    const helmActions: string[] = [];
    for (const file of context.manifests as string[]) {
      let text = fs.readFileSync(file, 'utf8');
      if (helmLocationOf(path.dirname(file))) {
        // A Helm template: checked as Helm will render it, which only an app's escapes allow here.
        const unescaped = unescapeHelmText(text);
        if (unescaped === undefined) {
          helmActions.push(`${file}: line ${helmActionLine(text)}: "{{" is read by Helm as a template action (function "..." not defined when it renders); an app of this library escapes its objects in a chart's templates/ folder: call OmniaHelm.use(app) if none of its objects comes from this library`);
          continue;
        }
        text = unescaped;
      }
      // Read as kubectl will read the file, not with the CLI's YAML 1.2 parser.
      const read = readManifests(text, file);
      append(objects, read.objects);
      append(unreadable, read.unreadable.map((u) => `document ${u.document} (line ${u.line}): ${u.message}`));
    }
    const folders = readAppMetadata(context.manifests as string[]);
    const findings: ValidationFinding[] = [];
    const defaultTarget = this.properties.target ?? DEFAULT_API_TARGET;
    const targetProblems: string[] = [];
    if (!isApiTarget(defaultTarget)) targetProblems.push(`the plugin's target property: ${unknownTargetMessage(defaultTarget)}`);
    // The folder of an app (its metadata says so) is checked as one set of manifests; folders no app spoke
    // of are checked together, for the default target. Two apps are two installs, even of one target.
    const groups = new Map<string, { target: OmniaApiTarget; objects: LocatedManifest[]; externals: ExternalObject[] }>();
    const groupOf = (dir: string) => {
      const folder = folders.get(dir);
      const target = folder?.target ?? (isApiTarget(defaultTarget) ? defaultTarget : DEFAULT_API_TARGET);
      const id = folder?.target ? `app ${dir}` : `target ${target}`;
      let group = groups.get(id);
      if (!group) {
        group = { target, objects: [], externals: ((this.properties.external ?? []) as string[]).map(parseExternal) };
        groups.set(id, group);
      }
      return group;
    };
    for (const [dir, folder] of folders) {
      groupOf(dir).externals.push(...folder.externals);
      targetProblems.push(...folder.problems);
    }
    for (const o of objects) groupOf(path.dirname(o.origin ?? '')).objects.push(o);
    for (const { target, objects: manifests, externals } of groups.values()) {
      append(findings, validateLocated(manifests, { externals, references: this.properties.references !== false, fromFiles: true, target }));
    }
    for (const f of findings) {
      // Named by kind, namespace and name: objects of two kinds may share a name. The construct that made
      // the object is entered under that name in the CLI's metadata, which the report reads.
      const identity = `${f.kind}/${f.namespace ? `${f.namespace}/` : ''}${f.name ?? '?'}`;
      const paths = f.origin ? folders.get(path.dirname(f.origin))?.paths : undefined;
      const constructPath = paths?.get(key(groupOfApiVersion(f.apiVersion), f.kind, f.namespace ?? 'default', f.name ?? ''));
      if (constructPath && context.metadata) context.metadata[identity] = { path: constructPath };
      context.report.addViolation({
        ruleName: `omnia-${f.check}`,
        recommendation: formatProblem(undefined, f.kind, f.namespace, f.name, f.path, f.message),
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
    for (const h of helmActions) {
      context.report.addViolation({
        ruleName: 'omnia-helm', recommendation: h, fix: 'escape each "{{" as {{`{{`}} (OmniaHelm.escape)',
        violatingResources: [{ resourceName: '', locations: [], manifestPath: h.slice(0, h.indexOf(': line ')) }],
      });
    }
    for (const t of targetProblems) {
      context.report.addViolation({
        ruleName: 'omnia-target', recommendation: t, fix: `name one of the targets: ${Object.values(OmniaApiTarget).join(', ')}`,
        violatingResources: [{ resourceName: '', locations: [], manifestPath: '' }],
      });
    }
    const problems = findings.length + unreadable.length + helmActions.length + targetProblems.length;
    context.report.submit(problems ? 'failure' : 'success', { findings: String(problems) });
    removeConstructMetadata(context.manifests as string[]);
  }
}

/** What the app told the plugin of one folder: objects declared external in code, the construct of each object, its target. */
interface FolderMetadata {
  readonly externals: ExternalObject[];
  readonly paths: Map<string, string>;
  /** Undefined: the app did not say (a file of an older version, or no app). */
  readonly target?: OmniaApiTarget;
  /** What in the file cannot be used. */
  readonly problems: string[];
}

/** The metadata the app wrote, by folder of the manifests. */
function readAppMetadata(manifests: string[]): Map<string, FolderMetadata> {
  const folders = new Map<string, FolderMetadata>();
  for (const dir of new Set(manifests.map((m) => path.dirname(m)))) {
    const file = besideManifests(dir, APP_METADATA_FILE);
    if (!fs.existsSync(file)) continue;
    const externals: ExternalObject[] = [];
    const paths = new Map<string, string>();
    const problems: string[] = [];
    let target: OmniaApiTarget | undefined;
    try {
      const data = JSON.parse(fs.readFileSync(file, 'utf8'));
      for (const e of data.externals ?? []) externals.push(parseExternal(e));
      for (const [identity, constructPath] of Object.entries(data.objects ?? {})) paths.set(identity, String(constructPath));
      if (data.target !== undefined) {
        if (isApiTarget(data.target)) target = data.target;
        // Checking for another target than the app's would report the wrong problems: say so instead.
        else problems.push(`${file}: ${unknownTargetMessage(data.target)}`);
      }
    } catch {
      // A file of another version or a broken one: the findings are still made, only their paths are missing.
    }
    folders.set(dir, { externals, paths, target, problems });
  }
  return folders;
}

/**
 * The cdk8s CLI records construct metadata next to the manifests for validation plugins and reads it
 * before any plugin runs. Left there, `kubectl apply -f dist/` takes it for a manifest and stops
 * ("Object 'Kind' is missing"), and in a Helm chart's templates/ folder `helm template` writes it out as a
 * manifest and `helm lint` refuses its extension; so it goes once read, with the app's file for this
 * plugin (beside templates/ for a chart, see `besideManifests`).
 */
function removeConstructMetadata(manifests: string[]): void {
  for (const dir of new Set(manifests.map((m) => path.dirname(m)))) {
    fs.rmSync(path.join(dir, 'construct-metadata.json'), { force: true });
    const file = besideManifests(dir, APP_METADATA_FILE);
    fs.rmSync(file, { force: true });
    const helm = helmLocationOf(dir);
    if (helm) removeEmptyFolders(path.dirname(file), path.join(helm.chart, HELM_SIDE_FOLDER));
  }
}

/** Removes `dir` and its parents up to and with `top` while they are empty. */
function removeEmptyFolders(dir: string, top: string): void {
  for (let d = dir; d.startsWith(top); d = path.dirname(d)) {
    try {
      if (fs.readdirSync(d).length) return;
      fs.rmdirSync(d);
    } catch {
      return;
    }
    if (d === top) return;
  }
}
