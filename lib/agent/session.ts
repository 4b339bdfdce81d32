import { Duration } from 'cdk8s';
import { SecretKey } from '../core/secret-key';
import { checkArguments } from '../core/jsii-types';

/** Options of an in-memory session store. */
export interface MemorySessionOptions {
  /**
   * Idle time after which a session expires.
   * @default Duration.hours(1)
   */
  readonly ttl?: Duration;
}

/** Options of a redis session store. */
export interface RedisSessionOptions {
  /**
   * Idle time after which a session expires.
   * @default Duration.hours(1)
   */
  readonly ttl?: Duration;
  /** Secret key whose value is the redis URL (it may hold a password, so it is never inlined). */
  readonly url: SecretKey;
}

/** Where an agent keeps conversation state. */
export class Session {
  /** State kept inside each agent pod; lost when the pod goes. */
  public static memory(options: MemorySessionOptions = {}): Session {
    checkArguments('Session.memory', 'cdk8s-omnia.Session', 'memory', [options]);
    options = options ?? {}; // null: options left out
    return new Session('memory', options.ttl ?? Duration.hours(1));
  }

  /** State shared by all agent pods in redis. */
  public static redis(options: RedisSessionOptions): Session {
    checkArguments('Session.redis', 'cdk8s-omnia.Session', 'redis', [options]);
    return new Session('redis', options?.ttl ?? Duration.hours(1), options?.url);
  }

  private constructor(
    /** Store type as the CRD spells it. */
    public readonly type: string,
    /** Session time to live. */
    public readonly ttl: Duration,
    /** Secret key holding the store URL; only for redis. */
    public readonly url?: SecretKey,
  ) {}
}
