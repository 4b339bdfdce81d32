import { ApiObjectMetadata, Chart } from 'cdk8s';
import { IConstruct } from 'constructs';
import { formatProblem } from '../validation/findings';

/** The Kubernetes object a construct of this library stands for, as errors name it. */
export interface DescribedObject {
  readonly kind: string;
  readonly name?: string;
  readonly namespace?: string;
}

const DESCRIBE = Symbol.for('cdk8s-omnia.describeObject');

/** Declares which object `scope` makes, so that its errors name it; called by the constructs of this library. */
export function describeObject(scope: IConstruct, describe: () => DescribedObject): void {
  Object.defineProperty(scope, DESCRIBE, { value: describe });
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
 * An error in the one format of this library, at construct time and at synth time alike:
 * `construct path: Kind namespace/name: field: reason`.
 */
export function invalidProp(scope: IConstruct, field: string, reason: string): Error {
  const object = describedObject(scope);
  return new Error(formatProblem(scope.node.path, object?.kind, object?.namespace, object?.name, field, reason));
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
