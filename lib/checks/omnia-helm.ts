import { IConstruct } from 'constructs';
import { AppState } from '../core/app-state';
import { escapeHelmText } from '../core/helm';
import { ensureChecks, writesHelmTemplates } from './app-checks';

/**
 * Manifests written as Helm templates. Helm reads every `{{` of a file in a chart's `templates/` folder as a
 * template action, so the prompt templates of a PromptPack (`Hello {{name}}`) stop `helm template` with
 * `function "name" not defined`. An app that writes into a chart's `templates/` folder, as
 * `cdk8s synth --format helm` runs it, writes every string of every object (keys too, in every chart of
 * the app, whoever made the object) with each `{{` escaped as `` {{`{{`}} ``, which Helm renders back to
 * exactly the original text; the synth-time checks still read the original. Other output is unchanged.
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
    return state !== undefined && state.checksRegistered && writesHelmTemplates(state);
  }

  private constructor() {}
}
