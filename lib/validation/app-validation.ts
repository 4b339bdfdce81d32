import { ApiObject, App } from 'cdk8s';
import { IConstruct } from 'constructs';
import { ExternalReference } from '../external-reference';
import { formatFinding, ValidationFinding } from './findings';
import { validateLocated, validateManifests } from './manifests';
import { ExternalObject, LocatedManifest } from './references';

/** Options of the synth-time checks. */
export interface OmniaValidationOptions {
  /**
   * Also check references between objects (packs, registries, Secret and ConfigMap keys, pack contents).
   * @default true
   */
  readonly references?: boolean;
}

interface State {
  enabled: boolean;
  references: boolean;
}

// One state per app: the checks run once per synth over the whole app, whatever scope turned them on.
const states = new WeakMap<IConstruct, State>();

// Kinds whose rendered form the checks read; other objects are not rendered twice.
const READ_KINDS = new Set(['Secret', 'ConfigMap']);

/**
 * Synth-time checks of every Omnia object in an app — made with the L2 constructs, the `l1` classes, an
 * `Include` or a hand-written `ApiObject` — against the CRDs, plus references across the app.
 * A synth with findings fails and lists all of them, each with its construct path, object, field and reason.
 *
 * The L2 constructs turn the checks on for their app; an app built only from `l1` classes or `Include`
 * calls `OmniaValidation.enable(app)` once.
 */
export class OmniaValidation {
  /** Turns the checks on for the app that `scope` belongs to. */
  public static enable(scope: IConstruct, options: OmniaValidationOptions = {}): void {
    const state = register(scope);
    state.enabled = true;
    state.references = options.references ?? true;
  }

  /** Turns the checks off for the app that `scope` belongs to, for example to measure their cost. */
  public static disable(scope: IConstruct): void {
    register(scope).enabled = false;
  }

  /** Whether the checks will run when the app of `scope` is synthesized. */
  public static isEnabled(scope: IConstruct): boolean {
    return states.get(scope.node.root)?.enabled ?? false;
  }

  /**
   * Validates manifests made without a cdk8s app (parsed YAML, for instance): each Omnia object against
   * its CRD and the references between the given objects.
   */
  public static validateManifests(manifests: any[]): ValidationFinding[] {
    return validateManifests(manifests);
  }

  /**
   * Turns the checks on unless the app already chose; called by every L2 construct.
   * @internal
   */
  public static _onByDefault(scope: IConstruct): void {
    register(scope);
  }

  private constructor() {}
}

function register(scope: IConstruct): State {
  const root = scope.node.root;
  let state = states.get(root);
  if (!state) {
    const created: State = { enabled: true, references: true };
    states.set(root, created);
    root.node.addValidation({ validate: () => (created.enabled ? checkApp(root, created) : []) });
    state = created;
  }
  return state;
}

// Rendering is the largest cost of the checks, and cdk8s validates the whole app again for every chart it
// renders. Inside one App.synth or synthYaml call no user code runs between those passes and the rendering,
// so within such a call the checks run once and what they render is handed to the synth instead of being
// rendered again. The wrapper below marks the call; outside it (Testing.synth, Chart.toJson) every pass
// checks and renders afresh, and nothing rendered by the checks outlives the call.
let rendered = new WeakMap<ApiObject, any>();
const reusing = new WeakSet<ApiObject>();
let synthCall = 0;
let checkedInCall = -1;
let findingsOfCall: string[] = [];
let inSynth = false;

for (const method of ['synth', 'synthYaml'] as const) {
  const original = (App.prototype as any)[method];
  if (original.__omniaWrapped) continue;
  const wrapped = function (this: App, ...args: unknown[]) {
    if (inSynth) return original.apply(this, args);
    inSynth = true;
    synthCall++;
    try {
      return original.apply(this, args);
    } finally {
      inSynth = false;
      rendered = new WeakMap();
    }
  };
  (wrapped as any).__omniaWrapped = true;
  (App.prototype as any)[method] = wrapped;
}

function renderForSynth(obj: ApiObject): any {
  const json = obj.toJson();
  if (!inSynth) return json;
  rendered.set(obj, json);
  if (!reusing.has(obj)) {
    reusing.add(obj);
    const render = obj.toJson;
    obj.toJson = function (this: ApiObject) {
      const cached = rendered.get(this);
      if (cached === undefined) return render.call(this);
      rendered.delete(this);
      return cached;
    };
  }
  return json;
}

function checkApp(root: IConstruct, state: State): string[] {
  if (inSynth && checkedInCall === synthCall) return findingsOfCall;
  rendered = new WeakMap();
  const objects: LocatedManifest[] = [];
  const externals: ExternalObject[] = [];
  for (const c of root.node.findAll()) {
    if (ExternalReference.isExternalReference(c)) {
      externals.push({ kind: c.kind, name: c.name, namespace: c.namespace });
    } else if (ApiObject.isApiObject(c) && (c.apiGroup === 'omnia.altairalabs.ai' || READ_KINDS.has(c.kind))) {
      objects.push({ manifest: renderForSynth(c), origin: c.node.path, checkedJson: true });
    }
  }
  const findings = validateLocated(objects, { externals, references: state.references }).map(formatFinding);
  if (inSynth) {
    checkedInCall = synthCall;
    findingsOfCall = findings;
  }
  return findings;
}
