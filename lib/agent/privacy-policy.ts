import { checkArguments } from '../core/jsii-types';
import { SessionPrivacyPolicy } from '../release/kinds';

/**
 * The SessionPrivacyPolicy an agent uses instead of its service group's (the release's
 * `spec.privacyPolicyRef`; an enterprise kind, looked up in the agent's namespace).
 */
export class PrivacyPolicyRef {
  /** A SessionPrivacyPolicy of this app (`release.SessionPrivacyPolicy`), in the agent's namespace. */
  public static of(policy: SessionPrivacyPolicy): PrivacyPolicyRef {
    checkArguments('PrivacyPolicyRef.of', 'cdk8s-omnia.PrivacyPolicyRef', 'of', [policy]);
    return new PrivacyPolicyRef(policy?.name, policy);
  }

  /** A SessionPrivacyPolicy outside this app, in the agent's namespace. */
  public static fromName(name: string): PrivacyPolicyRef {
    checkArguments('PrivacyPolicyRef.fromName', 'cdk8s-omnia.PrivacyPolicyRef', 'fromName', [name]);
    return new PrivacyPolicyRef(name);
  }

  private constructor(
    /** Name of the SessionPrivacyPolicy. */
    public readonly name: string,
    /** The policy object, when it is one of this app's. */
    public readonly policy?: SessionPrivacyPolicy,
  ) {}
}
