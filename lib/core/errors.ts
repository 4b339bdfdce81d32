import { ApiObjectMetadata, Chart } from 'cdk8s';
import { IConstruct } from 'constructs';
import { debugging, deepError, mistakeFrames, recordCreationSite, withFrames } from './stack';
import { formatProblem } from '../validation/findings';

/** The Kubernetes object a construct of this library stands for, as errors name it. */
export interface DescribedObject {
  readonly kind: string;
  readonly name?: string;
  readonly namespace?: string;
}

const DESCRIBE = Symbol.for('cdk8s-omnia.describeObject');

/**
 * Declares which object `scope` makes, so that its errors name it, and records where the user made it, so
 * that findings at synth point there; called by the constructs of this library.
 */
export function describeObject(scope: IConstruct, describe: () => DescribedObject): void {
  Object.defineProperty(scope, DESCRIBE, { value: describe });
  recordCreationSite(scope);
}

const MADE_FOR = Symbol.for('cdk8s-omnia.madeFor');

/**
 * Declares that this library made `scope` for the user's construct at `owner` (a path) outside that
 * construct's own subtree, so that findings about the objects under `scope` name that construct.
 */
export function madeFor(scope: IConstruct, owner: string): void {
  Object.defineProperty(scope, MADE_FOR, { value: owner });
}

/** The path of the user's construct `scope` was made for, when this library made it outside that one's subtree. */
export function ownerOf(scope: IConstruct): string | undefined {
  for (let c: IConstruct | undefined = scope; c; c = c.node.scope) {
    const owner = (c as any)[MADE_FOR];
    if (typeof owner === 'string') return owner;
  }
  return undefined;
}

/** How the nearest construct from `scope` up that declared its object describes it. */
function describerOf(scope: IConstruct): (() => DescribedObject) | undefined {
  for (let c: IConstruct | undefined = scope; c; c = c.node.scope) {
    const describe = (c as any)[DESCRIBE];
    if (typeof describe === 'function') return describe;
  }
  return undefined;
}

/** The object a construct makes, or the nearest enclosing construct's object. */
export function describedObject(scope: IConstruct): DescribedObject | undefined {
  return describerOf(scope)?.();
}

/** Whether `scope` or an enclosing construct declares its object (without describing it). */
export function isDescribed(scope: IConstruct): boolean {
  return describerOf(scope) !== undefined;
}

/** `Kind namespace/name`, as errors and findings name an object. */
export function objectLabel(object: DescribedObject): string {
  return `${object.kind} ${object.namespace ? `${object.namespace}/` : ''}${object.name ?? '?'}`;
}

/**
 * Throws the error of a user's mistake in the one format of this library, at construct time and at synth
 * time alike: `construct path: Kind namespace/name: field: reason`, printed as `mistake` prints it.
 * Call sites read `throw invalidProp(...)`.
 */
export function invalidProp(scope: IConstruct, field: string, reason: string): never {
  const object = describedObject(scope);
  return mistake(formatProblem(ownerOf(scope) ?? scope.node.path, object?.kind, object?.namespace, object?.name, field, reason), [scope]);
}

/**
 * Throws an Error for a mistake in the user's program. What Node (and ts-node) print of it uncaught is
 * the message, then the user's own lines, at most three: those of the call that threw (unless `callStack`
 * is false, as at synth, where the call is only `app.synth()`), then where the `constructs` at fault were
 * made. No frame of this library, its dependencies or Node; `CDK8S_OMNIA_DEBUG=1` keeps the whole stack.
 */
export function mistake(message: string, constructs: IConstruct[] = [], callStack = true): never {
  const error = deepError(message, mistake);
  if (!debugging()) {
    const frames = mistakeFrames(error, constructs, callStack);
    if (frames.length) error.stack = withFrames(error, frames);
  }
  // Node prints the source line of the `throw` above an uncaught error, here a line of this library,
  // unless that line holds the marker that follows.
  throw error; // node-do-not-add-exception-line
}

/**
 * The object of a cdk8s-plus style resource: its `apiObject` once made, else what its props say (errors
 * of the props come before the object exists).
 */
export function describeResource(resource: IConstruct, kind: string, metadata: ApiObjectMetadata | undefined): DescribedObject {
  const apiObject = (resource as any).apiObject;
  if (apiObject) return { kind, name: apiObject.name, namespace: apiObject.metadata.namespace };
  return { kind, name: metadata?.name, namespace: metadata?.namespace ?? Chart.of(resource).namespace };
}
