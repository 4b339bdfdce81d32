import { Construct, IConstruct } from 'constructs';

/** An Omnia object an AgentRuntime can refer to by name. */
export interface IOmniaReference extends IConstruct {
  /** metadata.name of the object. */
  readonly name: string;
  /**
   * Namespace of the object, when known.
   * @default - the namespace of the object that refers to it
   */
  readonly namespace?: string;
}

const EXTERNAL = Symbol.for('cdk8s-omnia.ExternalReference');

/** A handle on an object that lives outside the app: nothing is synthesized for it. */
export class ExternalReference extends Construct implements IOmniaReference {
  /** Whether `x` declares an external object (a type guard that works across copies of this library). */
  public static isExternalReference(x: unknown): x is ExternalReference {
    return x !== null && typeof x === 'object' && EXTERNAL in x;
  }

  public constructor(scope: Construct, id: string, public readonly kind: string, public readonly name: string, public readonly namespace?: string) {
    super(scope, id);
    Object.defineProperty(this, EXTERNAL, { value: true });
  }
}

/** The `{name, namespace}` of a reference, with the namespace left out when it is the referrer's own. */
export function refTo(target: IOmniaReference, referrerNamespace: string | undefined): { name: string; namespace?: string } {
  const namespace = target.namespace;
  return namespace && namespace !== referrerNamespace ? { name: target.name, namespace } : { name: target.name };
}
