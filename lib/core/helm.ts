import * as fs from 'fs';
import * as path from 'path';
import { Yaml } from 'cdk8s';
import { readManifests } from '../validation/read-manifests';

// Helm renders every file of a chart's templates/ folder (at any depth) with Go's text/template, for which
// each `{{` opens an action: the only text Helm reads as anything but itself. `}}` outside an action, `{`
// and the trim marker `-` are text. So a manifest becomes a template Helm renders back to exactly itself by
// writing each `{{` as an action whose output is `{{`: a raw-string literal, `{{`{{`}}`. It holds no quote,
// backslash or space, so YAML writes it as is in every scalar style and never folds it.

const ACTION = '{{';
const ESCAPED_ACTION = '{{`{{`}}';

/**
 * `text` as Helm template text that renders to exactly `text`. Each leftmost `{{` is replaced (so `{{{`
 * is `{{`{{`}}{`); the replacement ends in `}}`, so it never forms a new `{{` with the text around it.
 */
export function escapeHelmText(text: string): string {
  return text.includes(ACTION) ? text.split(ACTION).join(ESCAPED_ACTION) : text;
}

/**
 * The text `escapeHelmText` was given, or undefined when `text` holds a `{{` that is not one of its
 * replacements (an action Helm would run, which only Helm can render).
 */
export function unescapeHelmText(text: string): string | undefined {
  if (!text.includes(ACTION)) return text;
  const parts = text.split(ESCAPED_ACTION);
  return parts.some((p) => p.includes(ACTION)) ? undefined : parts.join(ACTION);
}

/** The line (from 1) of the first `{{` of `text` that is not an escape, if any. */
export function helmActionLine(text: string): number | undefined {
  const masked = text.split(ESCAPED_ACTION).join('\0'.repeat(ESCAPED_ACTION.length));
  const at = masked.indexOf(ACTION);
  return at < 0 ? undefined : masked.slice(0, at).split('\n').length;
}

/** A JSON value with every string and every key escaped for Helm (a new value; `value` is not changed). */
export function escapeHelmJson(value: any): any {
  return mapStrings(value, escapeHelmText);
}

/**
 * A JSON value with every string and key `escapeHelmJson` escaped given back as it was; a string holding a
 * `{{` that is no escape is kept as is.
 */
export function unescapeHelmJson(value: any): any {
  return mapStrings(value, (text) => unescapeHelmText(text) ?? text);
}

/** A copy of a JSON value with `f` applied to every string and every key. */
function mapStrings(value: any, f: (text: string) => string): any {
  if (typeof value === 'string') return f(value);
  if (Array.isArray(value)) return value.map((v) => mapStrings(v, f));
  if (value === null || typeof value !== 'object') return value;
  const out: { [key: string]: any } = {};
  for (const [k, v] of Object.entries(value)) {
    // defineProperty: a key such as `__proto__` stays a key.
    Object.defineProperty(out, f(k), { value: mapStrings(v, f), enumerable: true, writable: true, configurable: true });
  }
  return out;
}

/** The path (`spec.env[0].value`; a key is named with `(key)`) of the first `{{` that is no escape, if any. */
export function helmActionField(value: any, at = ''): string | undefined {
  if (typeof value === 'string') return unescapeHelmText(value) === undefined ? at : undefined;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = helmActionField(value[i], `${at}[${i}]`);
      if (found !== undefined) return found;
    }
    return undefined;
  }
  if (value === null || typeof value !== 'object') return undefined;
  for (const [k, v] of Object.entries(value)) {
    const field = at ? `${at}.${k}` : k;
    if (unescapeHelmText(k) === undefined) return `${field} (key)`;
    const found = helmActionField(v, field);
    if (found !== undefined) return found;
  }
  return undefined;
}

/** Marks the resolver that escapes values for Helm (`OmniaHelmResolver`), so the app's check can find it. */
export const HELM_RESOLVER = Symbol.for('cdk8s-omnia.helm-resolver');

/** Where a folder lies in a Helm chart's templates/ folder. */
export interface HelmLocation {
  /** The chart's folder (it holds `Chart.yaml`). */
  readonly chart: string;
  /** The folder's path inside templates/ ('' for templates/ itself). */
  readonly inTemplates: string;
}

/**
 * The chart whose templates/ folder holds `dir`, at any depth: a folder named `templates` with a
 * `Chart.yaml` beside it, as `cdk8s synth --format helm` makes before it runs the app with
 * `CDK8S_OUTDIR=<chart>/templates`. The innermost such chart (a subchart) wins.
 */
export function helmLocationOf(dir: string): HelmLocation | undefined {
  let current = path.resolve(dir);
  for (;;) {
    const parent = path.dirname(current);
    if (parent === current) return undefined;
    if (path.basename(current) === 'templates' && fs.existsSync(path.join(parent, 'Chart.yaml'))) {
      return { chart: parent, inTemplates: path.relative(current, path.resolve(dir)) };
    }
    current = parent;
  }
}

/** Whether the app `root` writes into a chart's templates/ folder (its `outdir`, as the CLI's `--format helm` sets it). */
export function writesIntoHelmChart(root: unknown): boolean {
  const outdir = (root as { outdir?: unknown } | undefined)?.outdir;
  return typeof outdir === 'string' && helmLocationOf(outdir) !== undefined;
}

/** The chart folder that holds, for the plugin, what the app writes next to templates/ (never inside it). */
export const HELM_SIDE_FOLDER = '.cdk8s-omnia';

/**
 * Where a file the app writes for the plugin beside its manifests goes: in `dir`, unless `dir` is in a
 * chart's templates/ folder, where Helm would render it as a template: then in the same place under the
 * chart's `.cdk8s-omnia/` folder.
 */
export function besideManifests(dir: string, file: string): string {
  const helm = helmLocationOf(dir);
  return helm ? path.join(helm.chart, HELM_SIDE_FOLDER, helm.inTemplates, file) : path.join(dir, file);
}

/**
 * The folder of a chart's `crds/` the CRDs of the app `root` go to when its output folder lies in the chart's
 * templates/ folder: `crds/` itself, or for an app writing into a folder under templates/ the same folder
 * under `crds/` (as `besideManifests` does), so that two apps of one chart never overwrite each other's.
 */
export function helmCrdsFolderOf(root: unknown): string | undefined {
  const outdir = (root as { outdir?: unknown } | undefined)?.outdir;
  const helm = typeof outdir === 'string' ? helmLocationOf(outdir) : undefined;
  return helm ? path.join(helm.chart, 'crds', helm.inTemplates) : undefined;
}

/** The file `writeHelmCrds` writes a CRD to. */
export const helmCrdFile = (crd: any): string => `${crd.metadata.name}.yaml`;

/**
 * Writes each CRD into `folder` as a file of its own, named after it, as is: Helm never renders crds/, so
 * nothing is escaped. Any other copy of a CRD of the same name in the folder's files is taken out (a file left
 * with nothing else is removed): `cdk8s synth --format helm` copies there the CRDs that `imports:` in cdk8s.yaml
 * lists before it runs the app, and a chart must hold each CRD once (Helm keeps the first it reads, by file name).
 */
export function writeHelmCrds(folder: string, crds: any[]): void {
  fs.mkdirSync(folder, { recursive: true });
  const names = new Set(crds.map((crd) => crd.metadata.name as string));
  const own = new Set(crds.map(helmCrdFile));
  for (const file of fs.readdirSync(folder)) {
    const full = path.join(folder, file);
    if (own.has(file) || !/\.(ya?ml|json)$/.test(file) || !fs.statSync(full).isFile()) continue;
    const docs = readManifests(fs.readFileSync(full, 'utf8'), full).objects.map((o) => o.manifest);
    const kept = docs.filter((d) => !(d.kind === 'CustomResourceDefinition' && names.has(d.metadata?.name)));
    if (kept.length === docs.length) continue;
    if (kept.length) fs.writeFileSync(full, Yaml.stringify(...kept));
    else fs.rmSync(full);
  }
  for (const crd of crds) fs.writeFileSync(path.join(folder, helmCrdFile(crd)), Yaml.stringify(crd));
}
