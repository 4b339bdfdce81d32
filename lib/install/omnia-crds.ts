import { ApiObject, Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { OmniaApiTarget } from '../api';
import { targetFor } from '../core/target';
import { omniaCrds, releaseCrds } from '../validation/crds';
import { checkArguments } from '../core/jsii-types';

/** Props of the CRDs chart. */
export interface OmniaCrdsProps {
  /**
   * Labels added to every CRD.
   * @default - the CRDs' own labels only
   */
  readonly labels?: { [key: string]: string };
}

/**
 * The CustomResourceDefinitions of the app's target: for a release (by default the newest), every CRD its
 * operator's manager needs, derived from the release at build time; for the documented API, AgentRuntime,
 * PromptPack and ToolRegistry, read from the same `lib/crds/*.yaml` files the L1 classes are generated from. A chart of its own, without
 * a namespace (CRDs are cluster-scoped), so it synthesizes to its own file: apply it first, or leave it to the
 * platform team.
 */
export class OmniaCrds extends Chart {
  /** The CRD objects, AgentRuntime first. */
  public readonly crds: ApiObject[];

  public constructor(scope: Construct, id: string, props: OmniaCrdsProps = {}) {
    super(scope, id);
    checkArguments(this, 'cdk8s-omnia.OmniaCrds', undefined, [scope, id, props]);
    // null stands for props left out, as in every jsii language.
    props = props ?? {};
    // The CRDs of the app's target: this package's own, or those of the release, derived from it at build time.
    const crds = targetFor(this) === OmniaApiTarget.DOCUMENTED ? omniaCrds() : releaseCrds();
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
