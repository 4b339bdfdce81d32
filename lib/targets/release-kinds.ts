import { ApiObject, ApiObjectProps, JsonPatch } from 'cdk8s';
import { Construct } from 'constructs';
import { OmniaApiTarget } from '../api';
import { addSelfCheck, checkEmitted, checkedReferenceView, registerChecked } from '../checks/app-checks';
import { AppState } from '../core/app-state';
import { targetFor } from '../core/target';
import { isReleaseEnterpriseKind, releaseCrds } from '../validation/crds';
import { describeObject, invalidProp, mistake } from '../core/errors';

/**
 * An object of the pinned release, which checks what it emits against the release's CRD at synth and takes
 * part in the app's reference checks: the base of the `release` classes (generated at build time from the
 * release's CRDs), and what the L2 constructs write for the release. The release's shape is refused in an
 * app that targets the documented API, which does not install it.
 */
export class ReleaseObject extends ApiObject {
  private patched = false;
  /**
   * Whether the kind lives outside namespaces: then a chart's namespace is not written.
   * @internal
   */
  public readonly _clusterScoped: boolean;

  public constructor(scope: Construct, id: string, props: ApiObjectProps) {
    super(scope, id, props);
    this._clusterScoped = releaseCrds().some((c) => c.spec.names.kind === this.kind && c.spec.scope === 'Cluster');
    describeObject(this, () => ({ kind: this.kind, name: this.name, namespace: this._clusterScoped ? undefined : this.metadata.namespace }));
    if (this._clusterScoped && props.metadata?.namespace) {
      throw invalidProp(this, 'metadata.namespace', `${this.kind} is cluster-scoped and takes no namespace: leave it out (a chart's namespace is not written on it)`);
    }
    const target = targetFor(this);
    if (target === OmniaApiTarget.DOCUMENTED) {
      throw mistake(`${this.node.path}: ${this.kind}: the release classes write Omnia ${OmniaApiTarget.V0_9_0_BETA_17}, and this app targets the documented API: `
        + 'drop the OmniaTarget.use call that chose it, or write the documented kinds with the l1 classes', [this]);
    }
    registerChecked(this);
    if (isReleaseEnterpriseKind(this.kind)) {
      addSelfCheck(this, () => (AppState.of(this).installsEnterpriseCrds === false ? [{
        field: 'kind',
        reason: `${this.kind} is an enterprise kind of Omnia ${OmniaApiTarget.V0_9_0_BETA_17}, and this app installs the release without its CRD: `
          + 'install it with OmniaOperator({ enterprise: true }) (or OmniaCrds({ enterprise: true }))',
      }] : []));
    }
  }

  /** Renders the object to Kubernetes JSON, checked against the release's CRD of its kind. */
  public override toJson(): any {
    return checkEmitted(this, this._renderUnchecked());
  }

  /** Adds JSON patches applied after rendering; the reference checks then read the patched manifest. */
  public override addJsonPatch(...ops: JsonPatch[]): void {
    super.addJsonPatch(...ops);
    this.patched = true;
  }

  /**
   * The manifest, without the checks; each generated class maps its props to the CRD's field names here.
   * @internal
   */
  public _renderUnchecked(): any {
    return this._resolveObject();
  }

  /**
   * What ApiObject renders (metadata, the props resolved), before a generated class maps it.
   * @internal
   */
  public _resolveObject(): any {
    const json = super.toJson();
    if (this._clusterScoped && json.metadata) delete json.metadata.namespace;
    return json;
  }

  /** @internal */
  public _referenceView(): any {
    return checkedReferenceView(this, this.patched, () => this._renderUnchecked());
  }
}
