import { CelInput, celEnv, isCelError, parse, plan, strings } from '../third-party/cel';

/** One `x-kubernetes-validations` entry of a CRD schema. */
export interface ValidationRuleSpec {
  readonly rule: string;
  readonly message?: string;
  readonly fieldPath?: string;
}

/** Why a rule did not hold: it returned false, or it could not run on this value. */
export interface RuleOutcome {
  readonly message: string;
  readonly evaluationError: boolean;
}

/** A rule parsed and planned once, ready to run against many objects. */
export interface CompiledRule {
  readonly spec: ValidationRuleSpec;
  /**
   * Returns undefined when the rule holds for `self`, a value converted with `toCel` (the rules of one
   * schema node share one conversion).
   */
  check(self: CelInput): RuleOutcome | undefined;
}

// One environment for every rule: the standard library plus the strings extension the API server also offers.
const env = celEnv({ funcs: strings });

export function compileRule(spec: ValidationRuleSpec): CompiledRule {
  let program: ReturnType<typeof plan>;
  try {
    program = plan(env, parse(spec.rule));
  } catch (e) {
    throw new Error(`x-kubernetes-validations rule ${JSON.stringify(spec.rule)} does not parse: ${(e as Error).message}`);
  }
  return {
    spec,
    check(self: CelInput) {
      const result = program({ self });
      if (result === true) return undefined;
      if (isCelError(result)) {
        return { message: `rule ${JSON.stringify(spec.rule)} could not be evaluated: ${result.message}`, evaluationError: true };
      }
      return { message: spec.message ?? `failed rule: ${spec.rule}`, evaluationError: false };
    },
  };
}

/**
 * Converts decoded JSON to CEL values the way the API server sees them:
 * integers are CEL ints (bigint), objects are maps whose fields `has()` can test.
 */
export function toCel(value: unknown): CelInput {
  if (typeof value === 'number') return Number.isInteger(value) ? BigInt(value) : value;
  if (Array.isArray(value)) return value.map(toCel);
  if (value !== null && typeof value === 'object') {
    return new Map(Object.entries(value).map(([k, v]) => [k, toCel(v)]));
  }
  return value as CelInput;
}
