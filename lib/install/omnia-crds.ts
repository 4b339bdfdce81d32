import { ApiObject, Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { OmniaApiTarget } from '../api';
import { AppState } from '../core/app-state';
import { targetFor } from '../core/target';
import { invalidProp } from '../core/errors';
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
 */
export class OmniaCrds extends Chart {
  /** The CRD objects, AgentRuntime first. */
  public readonly crds: ApiObject[];
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
    const crds = documented ? omniaCrds() : releaseInstallCrds(this.enterprise);
    this.crds = crds.map((crd) => {
      const { apiVersion, kind, metadata, ...rest } = structuredClone(crd);
      return new ApiObject(this, crd.spec.names.kind, {
        apiVersion,
        kind,
        metadata: { ...metadata, labels: { ...metadata.labels, ...props.labels } },
        ...rest,
      });
    });
  }
}
