import type { CelInput } from '../third-party/cel';

// The CEL interpreter is the largest module of the checks (most of the CLI's start-up): it is loaded when a
// rule first runs, so input whose objects reach no rule never loads it.
type Cel = typeof import('../third-party/cel');
let cel: { module: Cel; env: ReturnType<Cel['celEnv']> } | undefined;
function loadCel(): NonNullable<typeof cel> {
  if (!cel) {
    const module: Cel = require('../third-party/cel');
    // One environment for every rule: the standard library plus the strings extension the API server also offers.
    cel = { module, env: module.celEnv({ funcs: module.strings }) };
  }
  return cel;
}

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

/** Parses and plans a rule now: throws when it does not parse. */
function planRule(spec: ValidationRuleSpec): (self: CelInput) => unknown {
  const { module, env } = loadCel();
  try {
    const program = module.plan(env, module.parse(spec.rule));
    return (self) => program({ self });
  } catch (e) {
    throw new Error(`x-kubernetes-validations rule ${JSON.stringify(spec.rule)} does not parse: ${(e as Error).message}`);
  }
}

/** Checks that a rule parses (a CRD of the input): throws when it does not. */
export function parseRule(spec: ValidationRuleSpec): void {
  planRule(spec);
}

/** A rule of this library's CRDs, parsed and planned when it first runs, once. */
export function compileRule(spec: ValidationRuleSpec): CompiledRule {
  let program: ((self: CelInput) => unknown) | undefined;
  return {
    spec,
    check(self: CelInput) {
      try {
        program ??= planRule(spec);
      } catch (e) {
        return { message: (e as Error).message, evaluationError: true };
      }
      const result = program(self);
      if (result === true) return undefined;
      if (cel!.module.isCelError(result)) {
        return { message: `rule ${JSON.stringify(spec.rule)} could not be evaluated: ${(result as any).message}`, evaluationError: true };
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
