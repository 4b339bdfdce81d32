// The `l1` submodule: the classes generated from the CRDs (imports/), each extended to check what it
// emits against its CRD at synth. The L2 constructs render through these classes too.
import { JsonPatch } from 'cdk8s';
import { Construct } from 'constructs';
import * as agentruntime from '../imports/agentruntime-omnia.altairalabs.ai';
import * as promptpack from '../imports/promptpack-omnia.altairalabs.ai';
import * as toolregistry from '../imports/toolregistry-omnia.altairalabs.ai';
import { OmniaApiTarget } from './api';
import { CheckedObject, checkEmitted, checkedReferenceView, referenceView, registerChecked } from './checks/app-checks';
import { mistake } from './core/errors';
import { recordCreationSite } from './core/stack';
import { targetFor } from './core/target';

export * from '../imports/agentruntime-omnia.altairalabs.ai';
export * from '../imports/promptpack-omnia.altairalabs.ai';
export * from '../imports/toolregistry-omnia.altairalabs.ai';

/**
 * An AgentRuntime written as a raw spec. Its manifest is checked against the CRD at synth, and its
 * references with the rest of the app.
 */
export class AgentRuntime extends agentruntime.AgentRuntime {
  private readonly spec: unknown;
  private patched = false;

  public constructor(scope: Construct, id: string, props: agentruntime.AgentRuntimeProps = {}) {
    super(scope, id, props);
    this.spec = props?.spec;
    registerDocumented(this);
  }

  /** Renders the object to Kubernetes JSON, checked against the AgentRuntime CRD. */
  public override toJson(): any {
    return checkEmitted(this, super.toJson());
  }

  /** @internal */
  public _renderUnchecked(): any {
    return super.toJson();
  }

  /** Adds JSON patches applied after rendering; the reference checks then read the patched manifest. */
  public override addJsonPatch(...ops: JsonPatch[]): void {
    super.addJsonPatch(...ops);
    this.patched = true;
  }

  /** @internal */
  public _referenceView(): any {
    return checkedReferenceView(this, this.patched, () => referenceView(this, this.spec, ['promptPackRef', 'toolRegistryRef', 'provider', 'session', 'env']));
  }
}

/** A PromptPack written as a raw spec, checked at synth like `AgentRuntime`. */
export class PromptPack extends promptpack.PromptPack {
  private readonly spec: unknown;
  private patched = false;

  public constructor(scope: Construct, id: string, props: promptpack.PromptPackProps = {}) {
    super(scope, id, props);
    this.spec = props?.spec;
    registerDocumented(this);
  }

  /** Renders the object to Kubernetes JSON, checked against the PromptPack CRD. */
  public override toJson(): any {
    return checkEmitted(this, super.toJson());
  }

  /** @internal */
  public _renderUnchecked(): any {
    return super.toJson();
  }

  /** Adds JSON patches applied after rendering; the reference checks then read the patched manifest. */
  public override addJsonPatch(...ops: JsonPatch[]): void {
    super.addJsonPatch(...ops);
    this.patched = true;
  }

  /** @internal */
  public _referenceView(): any {
    return checkedReferenceView(this, this.patched, () => referenceView(this, this.spec, ['packName', 'version', 'source']));
  }
}

/** A ToolRegistry written as a raw spec, checked at synth like `AgentRuntime`. */
export class ToolRegistry extends toolregistry.ToolRegistry {
  private readonly spec: unknown;
  private patched = false;

  public constructor(scope: Construct, id: string, props: toolregistry.ToolRegistryProps = {}) {
    super(scope, id, props);
    this.spec = props?.spec;
    registerDocumented(this);
  }

  /** Renders the object to Kubernetes JSON, checked against the ToolRegistry CRD. */
  public override toJson(): any {
    return checkEmitted(this, super.toJson());
  }

  /** @internal */
  public _renderUnchecked(): any {
    return super.toJson();
  }

  /** Adds JSON patches applied after rendering; the reference checks then read the patched manifest. */
  public override addJsonPatch(...ops: JsonPatch[]): void {
    super.addJsonPatch(...ops);
    this.patched = true;
  }

  /** @internal */
  public _referenceView(): any {
    return checkedReferenceView(this, this.patched, () => referenceView(this, this.spec, ['handlers']));
  }
}

/**
 * Registers an `l1` object with its app's checks. The `l1` classes are the documented API: an app that
 * targets a release writes its objects with the L2s.
 */
function registerDocumented(obj: CheckedObject): void {
  const target = targetFor(obj);
  if (target !== OmniaApiTarget.DOCUMENTED) {
    throw mistake(`${obj.node.path}: ${obj.kind}: the l1 classes write the documented API, and this app targets Omnia ${target}: use the L2 constructs, which render that release's shape, or choose the documented API with OmniaTarget.use(app, OmniaApiTarget.DOCUMENTED) before creating constructs`, [obj]);
  }
  registerChecked(obj);
  recordCreationSite(obj);
}
