import { ApiObject, Lazy } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { addSelfCheck } from '../checks/app-checks';
import { describeObject, describeResource, invalidProp } from '../core/errors';
import { callSite, checkArguments } from '../core/jsii-types';
import { addStandardLabels } from '../core/labels';
import { ExternalReference, IOmniaReference } from '../core/references';
import { OMNIA_API_VERSION, OmniaApiTarget } from '../api';
import { targetFor } from '../core/target';
import * as l1 from '../l1';
import { ReleaseObject } from '../targets/release-kinds';
import { ToolHandler } from './tool-handler';

/** A ToolRegistry, defined in this app or outside it. */
export interface IToolRegistry extends IOmniaReference {}

/** Props of a ToolRegistry. */
export interface ToolRegistryProps extends kplus.ResourceProps {
  /**
   * The handlers; more can be added with `addHandler`. At least one is needed by synth time.
   *
   * Both targets write `spec.handlers[]`. Release: in its shape (`auth` of type bearer for `authSecretRef`,
   * `openAPIConfig.operationFilter` for `operations`, an empty-object input schema when a tool has none).
   * @default - none yet
   */
  readonly handlers?: ToolHandler[];
}

/** The tools agents may call and the handlers that serve them. */
export class ToolRegistry extends kplus.Resource implements IToolRegistry {
  /** Refers to a ToolRegistry that exists outside this app; nothing is synthesized for it. */
  public static fromName(scope: Construct, id: string, name: string, namespace?: string): IToolRegistry {
    checkArguments(callSite(scope, id, 'ToolRegistry.fromName'), 'cdk8s-omnia.ToolRegistry', 'fromName', [scope, id, name, namespace]);
    return new ExternalReference(scope, id, 'ToolRegistry', name, namespace);
  }

  /** @see kplus.Resource */
  public readonly resourceType = 'toolregistries';
  protected readonly apiObject: ApiObject;
  private readonly _handlers: ToolHandler[] = [];
  /** Whether the registry is written in the shape of the app's release target. */
  private readonly released: boolean;

  public constructor(scope: Construct, id: string, props: ToolRegistryProps = {}) {
    super(scope, id);
    describeObject(this, () => describeResource(this, 'ToolRegistry', props?.metadata));
    checkArguments(this, 'cdk8s-omnia.ToolRegistry', undefined, [scope, id, props]);
    // null stands for props left out, as in every jsii language.
    props = props ?? {};
    this.released = targetFor(this) !== OmniaApiTarget.DOCUMENTED;
    // Handlers are read at synth, so those added after construction are included.
    this.apiObject = this.released
      ? new ReleaseObject(this, 'Resource', {
        apiVersion: OMNIA_API_VERSION,
        kind: 'ToolRegistry',
        metadata: props.metadata,
        spec: { handlers: Lazy.any({ produce: () => this._handlers.map((h) => h._specFor(true)) }) },
      })
      : new l1.ToolRegistry(this, 'Resource', {
        metadata: props.metadata,
        spec: { handlers: Lazy.any({ produce: () => this._handlers.map((h) => h._specFor(false)) }) },
      });
    for (const handler of props.handlers ?? []) this.addHandler(handler);
    addStandardLabels(this, this.metadata, 'toolregistry', this.name);
    addSelfCheck(this, () => (this._handlers.length ? [] : [{ field: 'handlers', reason: 'a ToolRegistry needs at least one handler' }]));
  }

  /**
   * Adds a handler; its name must be unique in the registry, its options valid and expressible in the app's
   * target (retry policies, mappings, stdio MCP servers, client tools and auth beyond bearer are the release's).
   */
  public addHandler(handler: ToolHandler): void {
    checkArguments(this, 'cdk8s-omnia.ToolRegistry', 'addHandler', [handler]);
    const field = `handlers[${this._handlers.length}] (${JSON.stringify(handler.name)})`;
    try {
      handler._specFor(this.released);
    } catch (e) {
      throw invalidProp(this, field, (e as Error).message);
    }
    if (this._handlers.some((h) => h.name === handler.name)) {
      throw invalidProp(this, 'handlers', `two handlers are named ${JSON.stringify(handler.name)}; names must be unique`);
    }
    this._handlers.push(handler);
  }

  /** The handlers of this registry. */
  public get handlers(): ToolHandler[] {
    return [...this._handlers];
  }

  /**
   * What the reference checks read of the manifest, from the handlers (without rendering).
   * @internal
   */
  public _referenceView(): any {
    return {
      apiVersion: this.apiObject.apiVersion,
      kind: 'ToolRegistry',
      metadata: { name: this.name, namespace: this.namespace },
      spec: { handlers: this._handlers.map((h) => h._specFor(this.released)) },
    };
  }

  /** Namespace of the ToolRegistry. */
  public get namespace(): string | undefined {
    return this.metadata.namespace;
  }
}
