import { ApiObject, Lazy } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { OMNIA_API_VERSION, OMNIA_RELEASE } from '../api';
import { addSelfCheck } from '../checks/app-checks';
import { AppState } from '../core/app-state';
import { describeObject, describeResource, invalidProp } from '../core/errors';
import { callSite, checkArguments } from '../core/jsii-types';
import { addStandardLabels } from '../core/labels';
import { ExternalReference, IOmniaReference } from '../core/references';
import { ReleaseObject } from '../targets/release-kinds';
import { parse } from '../third-party/cel';
import { IToolRegistry } from '../tools/tool-registry';
import { checkSameNamespace, PolicyFailureAction, refuseDocumented } from './common';

/** A ToolPolicy, defined in this app or outside it. */
export interface IToolPolicy extends IOmniaReference {}

/** Whether a ToolPolicy blocks the calls it denies. */
export enum ToolPolicyMode {
  /** Denied calls are blocked. */
  ENFORCE = 'enforce',
  /** Denied calls are logged and let through. */
  AUDIT = 'audit',
}

/** A rule of a ToolPolicy: a CEL expression over the call's `headers` and `body` that denies it when true. */
export interface ToolPolicyRule {
  /** Name, unique in the policy. */
  readonly name: string;
  /** The CEL expression; true denies the call (`has(body.amount) && body.amount > 500`). */
  readonly denyWhen: string;
  /** What the caller is told when the rule denies. */
  readonly message: string;
  /**
   * What the rule is for.
   * @default - none
   */
  readonly description?: string;
}

/** A claim every call must carry (the `X-Omnia-Claim-<claim>` header the facade sets from the caller's token). */
export interface ToolPolicyRequiredClaim {
  /** The claim's name. */
  readonly claim: string;
  /** What the caller is told when it is missing. */
  readonly message: string;
}

/** A header added to the calls a ToolPolicy lets through. */
export class HeaderInjection {
  /** A fixed value. */
  public static withValue(header: string, value: string): HeaderInjection {
    checkArguments('HeaderInjection.withValue', 'cdk8s-omnia.HeaderInjection', 'withValue', [header, value]);
    return new HeaderInjection(header, value, undefined);
  }

  /** A value computed by a CEL expression over the call's `headers` and `body`. */
  public static fromCel(header: string, expression: string): HeaderInjection {
    checkArguments('HeaderInjection.fromCel', 'cdk8s-omnia.HeaderInjection', 'fromCel', [header, expression]);
    return new HeaderInjection(header, undefined, expression);
  }

  private constructor(
    /** The header's name. */
    public readonly header: string,
    /**
     * The fixed value.
     * @default - computed by `expression`
     */
    public readonly value?: string,
    /**
     * The CEL expression.
     * @default - a fixed value
     */
    public readonly expression?: string,
  ) {}
}

/** Options of `ToolPolicy.fromToolPolicyName`. */
export interface ToolPolicyReferenceOptions {
  /**
   * Namespace of the policy.
   * @default - the namespace of the object that refers to it
   */
  readonly namespace?: string;
}

/** Props of a ToolPolicy. */
export interface ToolPolicyProps extends kplus.ResourceProps {
  /** The registry whose tools it governs, in the policy's namespace. */
  readonly registry: IToolRegistry;
  /**
   * The tools of the registry it governs.
   * @default - all of them
   */
  readonly tools?: string[];
  /** The rules, evaluated in order until one denies; at least one. */
  readonly rules: ToolPolicyRule[];
  /**
   * Claims every call must carry.
   * @default - none
   */
  readonly requiredClaims?: ToolPolicyRequiredClaim[];
  /**
   * Block, or only log.
   * @default ToolPolicyMode.ENFORCE
   */
  readonly mode?: ToolPolicyMode;
  /**
   * What happens to a call when evaluating the policy fails.
   * @default PolicyFailureAction.DENY
   */
  readonly onFailure?: PolicyFailureAction;
  /**
   * Headers added to the calls it lets through.
   * @default - none
   */
  readonly headerInjection?: HeaderInjection[];
}

const HEADER = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/**
 * CEL rules on the calls agents make to the tools of a registry, enforced by the enterprise edition's
 * policy broker: an app with a ToolPolicy installs the release with `OmniaOperator({ enterprise: true })`
 * (without it nothing enforces the policy, and the synth fails). Release target only.
 */
export class ToolPolicy extends kplus.Resource implements IToolPolicy {
  /** Refers to a ToolPolicy outside this app; nothing is synthesized for it. Documented API: refused. */
  public static fromToolPolicyName(scope: Construct, id: string, name: string, options: ToolPolicyReferenceOptions = {}): IToolPolicy {
    const where = callSite(scope, id, 'ToolPolicy.fromToolPolicyName');
    checkArguments(where, 'cdk8s-omnia.ToolPolicy', 'fromToolPolicyName', [scope, id, name, options]);
    refuseDocumented(scope, where, 'ToolPolicy', name, options?.namespace);
    return new ExternalReference(scope, id, 'ToolPolicy', name, options?.namespace);
  }

  /** @see kplus.Resource */
  public readonly resourceType = 'toolpolicies';
  protected readonly apiObject: ApiObject;
  private readonly spec: any;

  public constructor(scope: Construct, id: string, props: ToolPolicyProps) {
    super(scope, id);
    describeObject(this, () => describeResource(this, 'ToolPolicy', props?.metadata));
    checkArguments(this, 'cdk8s-omnia.ToolPolicy', undefined, [scope, id, props]);
    refuseDocumented(this, this.node.path, 'ToolPolicy', props.metadata?.name);
    this.apiObject = new ReleaseObject(this, 'Resource', {
      apiVersion: OMNIA_API_VERSION,
      kind: 'ToolPolicy',
      metadata: props.metadata,
      spec: Lazy.any({ produce: () => this.spec }),
    });
    this.spec = this.renderSpec(props);
    addStandardLabels(this, this.metadata, 'toolpolicy', this.name);
    // Only the enterprise manager runs the ToolPolicy controller and injects the broker that enforces it.
    addSelfCheck(this, () => (AppState.of(this).installsEnterpriseCrds === false ? [{
      field: 'kind',
      reason: `a ToolPolicy is enforced by the enterprise edition of Omnia ${OMNIA_RELEASE} only, and this app installs the release without it: `
        + 'install it with OmniaOperator({ enterprise: true })',
    }] : []));
  }

  /** Namespace of the ToolPolicy. */
  public get namespace(): string | undefined {
    return this.metadata.namespace;
  }

  /** @internal */
  public _referenceView(): any {
    return { apiVersion: OMNIA_API_VERSION, kind: 'ToolPolicy', metadata: { name: this.name, namespace: this.namespace }, spec: this.spec };
  }

  private cel(field: string, expression: string): void {
    if (!expression) throw invalidProp(this, field, 'must be a CEL expression, not empty');
    try {
      parse(expression);
    } catch (e) {
      throw invalidProp(this, field, `${JSON.stringify(expression)} is not valid CEL: ${(e as Error).message}`);
    }
  }

  private renderSpec(props: ToolPolicyProps): any {
    const ns = this.namespace ?? 'default';
    checkSameNamespace(this, 'registry', props.registry, ns, 'where the policy broker matches registries by name');
    (props.tools ?? []).forEach((tool, i) => {
      if (!tool) throw invalidProp(this, `tools[${i}]`, 'a tool name must not be empty');
    });
    if (!props.rules?.length) throw invalidProp(this, 'rules', 'needs at least one rule');
    const seen = new Set<string>();
    props.rules.forEach((rule, i) => {
      if (!rule.name) throw invalidProp(this, `rules[${i}].name`, 'must not be empty');
      if (seen.has(rule.name)) throw invalidProp(this, `rules[${i}].name`, `two rules are named ${JSON.stringify(rule.name)}; names must be unique`);
      seen.add(rule.name);
      this.cel(`rules[${i}].denyWhen`, rule.denyWhen);
      if (!rule.message) throw invalidProp(this, `rules[${i}].message`, 'must not be empty');
    });
    (props.requiredClaims ?? []).forEach((c, i) => {
      if (!c.claim) throw invalidProp(this, `requiredClaims[${i}].claim`, 'must not be empty');
      if (!c.message) throw invalidProp(this, `requiredClaims[${i}].message`, 'must not be empty');
    });
    (props.headerInjection ?? []).forEach((h, i) => {
      if (!HEADER.test(h.header ?? '')) throw invalidProp(this, `headerInjection[${i}].header`, `${JSON.stringify(h.header)} is not an HTTP header name`);
      if (h.expression !== undefined) this.cel(`headerInjection[${i}].expression`, h.expression);
    });
    return {
      selector: { registry: props.registry.name, tools: props.tools?.length ? [...props.tools] : undefined },
      rules: props.rules.map((r) => ({ name: r.name, description: r.description, deny: { cel: r.denyWhen, message: r.message } })),
      requiredClaims: props.requiredClaims?.map((c) => ({ claim: c.claim, message: c.message })),
      mode: props.mode ?? ToolPolicyMode.ENFORCE,
      onFailure: props.onFailure ?? PolicyFailureAction.DENY,
      headerInjection: props.headerInjection?.map((h) => ({ header: h.header, value: h.value, cel: h.expression })),
    };
  }
}
