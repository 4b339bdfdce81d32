import { ApiObject, App, IResolver, ResolutionContext } from 'cdk8s';
import { IConstruct } from 'constructs';
import { AppState } from '../core/app-state';
import { escapeHelmText, HELM_RESOLVER, writesIntoHelmChart } from '../core/helm';
import { ensureChecks, isCheckedObject, writesHelmTemplates } from './app-checks';

/**
 * Manifests written as Helm templates. Helm reads every `{{` of a file in a chart's `templates/` folder as a
 * template action, so the prompt templates of a PromptPack (`Hello {{name}}`) would stop `helm template` with
 * `function "name" not defined`. An app that writes into a chart's `templates/` folder, as
 * `cdk8s synth --format helm` runs it, writes each `{{` as `` {{`{{`}} ``, which Helm renders back to exactly
 * the original text; the synth-time checks still read the original. The objects of this library do so by
 * themselves; other objects (the ConfigMap holding a pack, an `Include`) through the app's resolver,
 * `new App({ resolvers: [new OmniaHelmResolver()] })`. Without it, or for a `{{` in a key or a JSON patch,
 * the synth fails and says where. Other output is unchanged.
 */
export class OmniaHelm {
  /**
   * `text` as Helm template text that renders to exactly `text`: each `{{` becomes `` {{`{{`}} ``.
   * For text of your own templates; the manifests of an app are escaped for you.
   */
  public static escape(text: string): string {
    return escapeHelmText(text);
  }

  /**
   * Writes the manifests of the app `scope` belongs to as Helm templates whatever its output folder: for
   * `app.synthYaml()` or a folder copied into a chart later. Needed only then: an app whose output folder
   * lies in a chart's `templates/` folder (a `Chart.yaml` beside it) does so by itself.
   */
  public static use(scope: IConstruct): void {
    ensureChecks(scope).helmTemplates = true;
  }

  /** Whether the app of `scope` writes its manifests as Helm templates (see `use`). */
  public static isUsed(scope: IConstruct): boolean {
    const state = AppState.find(scope);
    return state ? writesHelmTemplates(state) : writesIntoHelmChart(scope.node.root);
  }

  /**
   * `text` as the app of `scope` must write it: escaped when the app writes Helm templates, else as is.
   * For text no resolver sees: a key of an object this library did not make, or a value a JSON patch sets.
   */
  public static textFor(scope: IConstruct, text: string): string {
    return OmniaHelm.isUsed(scope) ? escapeHelmText(text) : text;
  }

  private constructor() {}
}

/**
 * The app's resolver that writes, when the app writes Helm templates (see `OmniaHelm`), each `{{` in the
 * values of objects this library did not make as `` {{`{{`}} ``: the ConfigMap of a PromptPack, an
 * `Include`, any other object. Elsewhere it changes nothing. Give it to the app:
 * `new App({ resolvers: [new OmniaHelmResolver()] })`.
 */
export class OmniaHelmResolver implements IResolver {
  /**
   * What this resolver wrote, by object: cdk8s resolves a replaced value again, and an object's metadata
   * twice, and what is escaped must stay as it is. (Text of a user's that equals one of these is kept too.)
   */
  private readonly written = new WeakMap<ApiObject, Set<string>>();

  public constructor() {
    Object.defineProperty(this, HELM_RESOLVER, { value: true });
  }

  public resolve(context: ResolutionContext): void {
    const value = context.value;
    if (typeof value !== 'string' || !value.includes('{{')) return;
    let written = this.written.get(context.obj);
    if (written?.has(value)) return;
    // This library's objects escape what they emit, after their checks.
    if (isCheckedObject(context.obj) || !OmniaHelm.isUsed(App.of(context.obj))) return;
    const escaped = escapeHelmText(value);
    if (!written) this.written.set(context.obj, written = new Set());
    written.add(escaped);
    context.replaceValue(escaped);
  }
}