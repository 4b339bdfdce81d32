import { ApiObject, Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { OmniaApiTarget } from '../api';
import { AppState } from '../core/app-state';
import { targetFor } from '../core/target';
import { invalidProp } from '../core/errors';
import { helmCrdsFolderOf, writeHelmCrds } from '../core/helm';
import { recordCreationSite } from '../core/stack';
import { omniaCrds, releaseInstallCrds } from '../validation/crds';
import { checkArguments } from '../core/jsii-types';

/** Props of the CRDs chart. */
export interface OmniaCrdsProps {
  /**
   * Labels added to every CRD.
   * @default - the CRDs' own labels only
   */
  readonly labels?: { [key: string]: string };
  /**
   * Whether to install the CRDs of the release's enterprise kinds too (SessionPrivacyPolicy, RolloutAnalysis
   * and the Arena kinds), which the manager's enterprise controllers and the arena controller serve.
   * @default false
   */
  readonly enterprise?: boolean;
}

/**
 * The CustomResourceDefinitions of the app's target: for a release (by default the newest), every CRD its
 * operator's manager needs (with `enterprise`, those of the enterprise kinds too), derived from the release at
 * build time; for the documented API, AgentRuntime, PromptPack and ToolRegistry, read from the same
 * `lib/crds/*.yaml` files the L1 classes are generated from. A chart of its own, without
 * a namespace (CRDs are cluster-scoped), so it synthesizes to its own file: apply it first, or leave it to the
 * platform team.
 *
 * When the app writes into a Helm chart's `templates/` folder (`cdk8s synth --format helm`), the CRDs are
 * files of the chart's `crds/` folder instead, and this chart writes no objects: Helm installs `crds/` first
 * and the templates together after, so an AgentRuntime in the templates would find no CRD if it were beside
 * them ("no matches for kind"). Any other copy of these CRDs in that folder (cdk8s copies there the files
 * `imports:` in cdk8s.yaml lists) is taken out: the chart holds each CRD once, this one's.
 */
export class OmniaCrds extends Chart {
  /**
   * The CRD objects, AgentRuntime first. None when the app writes into a Helm chart (see `helmCrdsFolder`).
   */
  public readonly crds: ApiObject[];
  /**
   * The chart's `crds/` folder the CRDs are written to at synth, when the app writes into a Helm chart's
   * `templates/` folder. For an app writing into a folder under `templates/`, the same folder under `crds/`.
   * @default - none: the CRDs are objects of this chart
   */
  public readonly helmCrdsFolder?: string;
  /** Whether the CRDs of the release's enterprise kinds are installed. */
  public readonly enterprise: boolean;

  public constructor(scope: Construct, id: string, props: OmniaCrdsProps = {}) {
    super(scope, id);
    recordCreationSite(this);
    checkArguments(this, 'cdk8s-omnia.OmniaCrds', undefined, [scope, id, props]);
    // null stands for props left out, as in every jsii language.
    props = props ?? {};
    this.enterprise = props.enterprise ?? false;
    const documented = targetFor(this) === OmniaApiTarget.DOCUMENTED;
    if (documented && this.enterprise) throw invalidProp(this, 'enterprise', 'the documented API has no enterprise kinds: they are the release\'s');
    const state = AppState.of(this);
    state.installsEnterpriseCrds = (state.installsEnterpriseCrds ?? false) || this.enterprise;
    // The CRDs of the app's target: this package's own, or those of the release, derived from it at build time.
    const crds = (documented ? omniaCrds() : releaseInstallCrds(this.enterprise)).map((crd) => {
      const copy = structuredClone(crd);
      const labels = { ...copy.metadata.labels, ...props.labels };
      if (Object.keys(labels).length) copy.metadata.labels = labels;
      return copy;
    });
    // The output folder is known here (cdk8s sets it from CDK8S_OUTDIR when the app is made). In a chart no
    // objects are made at all, rather than objects kept out of the output: some output types (a file per
    // object) write every ApiObject of a chart whatever its toJson() returns. The files are written at synth
    // from a validation, which cdk8s runs before it writes, in every synth entry point and output type.
    this.helmCrdsFolder = helmCrdsFolderOf(this.node.root);
    if (this.helmCrdsFolder !== undefined) {
      const folder = this.helmCrdsFolder;
      this.crds = [];
      this.node.addValidation({ validate: () => { writeHelmCrds(folder, crds); return []; } });
    } else {
      this.crds = crds.map((crd) => new ApiObject(this, crd.spec.names.kind, crd));
    }
  }
}
