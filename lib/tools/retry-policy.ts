import { Duration } from 'cdk8s';
import { goDuration } from '../core/duration';

// The retry policies of the release's tool handlers (v0.9.0-beta.17): `httpConfig.retryPolicy` (also
// `openAPIConfig.retryPolicy`), `grpcConfig.retryPolicy` and `mcpConfig.retryPolicy`. The operator validates
// them when it reconciles the registry (maxBackoff >= initialBackoff, multiplier >= 1, known gRPC codes);
// the same rules are checked here at construct time. Without a policy a call is made once.

/** How a failed tool call is retried: what every handler's policy has. */
export interface RetryPolicy {
  /** Attempts in all, the first included: 1 (no retry) to 10. */
  readonly maxAttempts: number;
  /**
   * Delay before the first retry.
   * @default Duration.millis(100)
   */
  readonly initialBackoff?: Duration;
  /**
   * Factor the delay grows by from one retry to the next; at least 1.
   * @default 2
   */
  readonly backoffMultiplier?: number;
  /**
   * Longest delay between two attempts; at least `initialBackoff`.
   * @default Duration.seconds(30)
   */
  readonly maxBackoff?: Duration;
}

/** Retries of an http or OpenAPI tool call. */
export interface HttpRetryPolicy extends RetryPolicy {
  /**
   * HTTP status codes that are retried; an empty list retries on none.
   * @default [408, 429, 500, 502, 503, 504]
   */
  readonly retryOn?: number[];
  /**
   * Whether connection, DNS and timeout errors (no status code received) are retried.
   * @default true
   */
  readonly retryOnNetworkError?: boolean;
  /**
   * Whether a `Retry-After` header of a 429 or 503 answer sets the delay of that retry.
   * @default true
   */
  readonly respectRetryAfter?: boolean;
}

/** gRPC status codes (google.rpc.Code names). */
export enum GrpcStatusCode {
  /** OK */
  OK = 'OK',
  /** CANCELLED */
  CANCELLED = 'CANCELLED',
  /** UNKNOWN */
  UNKNOWN = 'UNKNOWN',
  /** INVALID_ARGUMENT */
  INVALID_ARGUMENT = 'INVALID_ARGUMENT',
  /** DEADLINE_EXCEEDED */
  DEADLINE_EXCEEDED = 'DEADLINE_EXCEEDED',
  /** NOT_FOUND */
  NOT_FOUND = 'NOT_FOUND',
  /** ALREADY_EXISTS */
  ALREADY_EXISTS = 'ALREADY_EXISTS',
  /** PERMISSION_DENIED */
  PERMISSION_DENIED = 'PERMISSION_DENIED',
  /** RESOURCE_EXHAUSTED */
  RESOURCE_EXHAUSTED = 'RESOURCE_EXHAUSTED',
  /** FAILED_PRECONDITION */
  FAILED_PRECONDITION = 'FAILED_PRECONDITION',
  /** ABORTED */
  ABORTED = 'ABORTED',
  /** OUT_OF_RANGE */
  OUT_OF_RANGE = 'OUT_OF_RANGE',
  /** UNIMPLEMENTED */
  UNIMPLEMENTED = 'UNIMPLEMENTED',
  /** INTERNAL */
  INTERNAL = 'INTERNAL',
  /** UNAVAILABLE */
  UNAVAILABLE = 'UNAVAILABLE',
  /** DATA_LOSS */
  DATA_LOSS = 'DATA_LOSS',
  /** UNAUTHENTICATED */
  UNAUTHENTICATED = 'UNAUTHENTICATED',
}

/** Retries of a gRPC tool call. */
export interface GrpcRetryPolicy extends RetryPolicy {
  /**
   * Status codes that are retried; an empty list retries on none.
   * @default [UNAVAILABLE, DEADLINE_EXCEEDED, RESOURCE_EXHAUSTED]
   */
  readonly retryableStatusCodes?: GrpcStatusCode[];
}

// The operator's defaults (internal/controller/tools_config.go), written out so the manifest says what runs.
const DEFAULT_INITIAL = Duration.millis(100);
const DEFAULT_MAX = Duration.seconds(30);
const DEFAULT_MULTIPLIER = 2;
const DEFAULT_HTTP_RETRY_ON = [408, 429, 500, 502, 503, 504];
const DEFAULT_GRPC_CODES = [GrpcStatusCode.UNAVAILABLE, GrpcStatusCode.DEADLINE_EXCEEDED, GrpcStatusCode.RESOURCE_EXHAUSTED];

/** The fields every policy has, checked; throws `retryPolicy.<field>: reason`. */
export function renderRetryPolicy(policy: RetryPolicy): any {
  const fail = (field: string, reason: string) => {
    throw new Error(`retryPolicy.${field}: ${reason}`);
  };
  const attempts = policy.maxAttempts;
  if (!Number.isInteger(attempts) || attempts < 1 || attempts > 10) fail('maxAttempts', `must be a whole number from 1 to 10, got ${JSON.stringify(attempts)}`);
  const multiplier = policy.backoffMultiplier ?? DEFAULT_MULTIPLIER;
  if (typeof multiplier !== 'number' || !Number.isFinite(multiplier) || multiplier < 1) {
    fail('backoffMultiplier', `must be a number of at least 1, got ${JSON.stringify(multiplier)}`);
  }
  const initial = policy.initialBackoff ?? DEFAULT_INITIAL;
  const max = policy.maxBackoff ?? DEFAULT_MAX;
  const duration = (field: string, d: Duration) => {
    try {
      return goDuration(d);
    } catch (e) {
      return fail(field, (e as Error).message);
    }
  };
  const rendered = {
    maxAttempts: attempts,
    initialBackoff: duration('initialBackoff', initial),
    // The CRD takes the multiplier as a decimal string (`2.0`, `1.5`).
    backoffMultiplier: Number.isInteger(multiplier) ? multiplier.toFixed(1) : multiplier.toLocaleString('en-US', { useGrouping: false, maximumFractionDigits: 20 }),
    maxBackoff: duration('maxBackoff', max),
  };
  if (max.toMilliseconds() < initial.toMilliseconds()) {
    fail('maxBackoff', `${rendered.maxBackoff} is shorter than initialBackoff ${rendered.initialBackoff}; the operator refuses the handler`);
  }
  return rendered;
}

/** An http or OpenAPI handler's `retryPolicy`. */
export function renderHttpRetryPolicy(policy: HttpRetryPolicy): any {
  const retryOn = policy.retryOn ?? DEFAULT_HTTP_RETRY_ON;
  for (const code of retryOn) {
    if (!Number.isInteger(code) || code < 100 || code > 599) throw new Error(`retryPolicy.retryOn: ${JSON.stringify(code)} is not an HTTP status code`);
  }
  return {
    ...renderRetryPolicy(policy),
    retryOn: [...retryOn],
    retryOnNetworkError: policy.retryOnNetworkError ?? true,
    respectRetryAfter: policy.respectRetryAfter ?? true,
  };
}

/** A gRPC handler's `retryPolicy`. */
export function renderGrpcRetryPolicy(policy: GrpcRetryPolicy): any {
  const codes = policy.retryableStatusCodes ?? DEFAULT_GRPC_CODES;
  const known = Object.values(GrpcStatusCode) as string[];
  for (const code of codes) {
    if (!known.includes(code)) throw new Error(`retryPolicy.retryableStatusCodes: ${JSON.stringify(code)} is not a gRPC status code name (${known.join(', ')})`);
  }
  return { ...renderRetryPolicy(policy), retryableStatusCodes: [...codes] };
}
