import { ApiObject, ApiObjectProps, JsonPatch } from 'cdk8s';
import { Construct } from 'constructs';
import { checkEmitted, checkedReferenceView, registerChecked } from '../checks/app-checks';

/**
 * An object written in a released operator's shape, which no generated class describes (upstream's CRDs are
 * read at build time, never committed, so nothing is generated from them). Like the `l1` classes, it checks
 * what its `toJson()` emits, against that release's CRD.
 */
export class ReleaseApiObject extends ApiObject {
  private patched = false;

  public constructor(scope: Construct, id: string, props: ApiObjectProps) {
    super(scope, id, props);
    registerChecked(this);
  }

  /** Renders the object to Kubernetes JSON, checked against the release's CRD. */
  public override toJson(): any {
    return checkEmitted(this, super.toJson());
  }

  /** Adds JSON patches applied after rendering; the reference checks then read the patched manifest. */
  public override addJsonPatch(...ops: JsonPatch[]): void {
    super.addJsonPatch(...ops);
    this.patched = true;
  }

  /** @internal */
  public _renderUnchecked(): any {
    return super.toJson();
  }

  /** @internal */
  public _referenceView(): any {
    return checkedReferenceView(this, this.patched, () => this._renderUnchecked());
  }
}
