import { Duration } from 'cdk8s';
import { IConstruct } from 'constructs';
import { invalidProp } from '../core/errors';
import { checkArguments } from '../core/jsii-types';

/** Options of `KedaTrigger.prometheus`. */
export interface KedaPrometheusTriggerOptions {
  /** URL of the Prometheus server (e.g. `http://prometheus.monitoring:9090`). */
  readonly serverAddress: string;
  /** PromQL query whose value drives the pod count. */
  readonly query: string;
  /** Value of the query one pod is meant to handle. */
  readonly threshold: number;
  /**
   * Value of the query below which the agent scales to zero (with `minReplicas: 0`).
   * @default - KEDA's default (0)
   */
  readonly activationThreshold?: number;
}

/** Options of `KedaTrigger.cron`. */
export interface KedaCronTriggerOptions {
  /** IANA time zone of the schedule (e.g. `Europe/Paris`). */
  readonly timezone: string;
  /** Cron expression of when the window starts (e.g. `0 8 * * 1-5`). */
  readonly start: string;
  /** Cron expression of when the window ends. */
  readonly end: string;
  /** Pods to run during the window. */
  readonly desiredReplicas: number;
}

/**
 * A KEDA scaler that drives an agent's pod count: the release writes its type and metadata into the
 * ScaledObject its operator makes.
 */
export class KedaTrigger {
  /** A Prometheus query: one pod per `threshold` of its value. */
  public static prometheus(options: KedaPrometheusTriggerOptions): KedaTrigger {
    checkArguments('KedaTrigger.prometheus', 'cdk8s-omnia.KedaTrigger', 'prometheus', [options]);
    const metadata: { [key: string]: string } = {
      serverAddress: options.serverAddress,
      query: options.query,
      threshold: String(options.threshold),
    };
    if (options.activationThreshold !== undefined) metadata.activationThreshold = String(options.activationThreshold);
    return new KedaTrigger('prometheus', metadata, [
      ...(/^https?:\/\/[^\s/]+/.test(options.serverAddress) ? [] : [`serverAddress must be an http(s) URL, got ${JSON.stringify(options.serverAddress)}`]),
      ...(options.query.trim() ? [] : ['query must not be empty']),
      ...(Number.isFinite(options.threshold) && options.threshold > 0 ? [] : [`threshold must be a number > 0, got ${options.threshold}`]),
      ...(options.activationThreshold === undefined || (Number.isFinite(options.activationThreshold) && options.activationThreshold >= 0)
        ? [] : [`activationThreshold must be a number >= 0, got ${options.activationThreshold}`]),
    ]);
  }

  /** A time window with a fixed pod count (office hours, say). */
  public static cron(options: KedaCronTriggerOptions): KedaTrigger {
    checkArguments('KedaTrigger.cron', 'cdk8s-omnia.KedaTrigger', 'cron', [options]);
    const fields = (expr: string) => expr.trim().split(/\s+/).length;
    const problems: string[] = [];
    for (const key of ['start', 'end'] as const) {
      if (fields(options[key]) !== 5) problems.push(`${key} must be a cron expression of 5 fields, got ${JSON.stringify(options[key])}`);
    }
    if (!options.timezone.trim()) problems.push('timezone must not be empty');
    if (!Number.isInteger(options.desiredReplicas) || options.desiredReplicas < 1) problems.push(`desiredReplicas must be a whole number >= 1, got ${options.desiredReplicas}`);
    return new KedaTrigger('cron', {
      timezone: options.timezone,
      start: options.start,
      end: options.end,
      desiredReplicas: String(options.desiredReplicas),
    }, problems);
  }

  /**
   * Any other KEDA scaler, by its type and metadata as KEDA's documentation of that scaler gives them
   * (the release passes no `authenticationRef`: scalers that need credentials are out of reach).
   */
  public static of(type: string, metadata: { [key: string]: string }): KedaTrigger {
    checkArguments('KedaTrigger.of', 'cdk8s-omnia.KedaTrigger', 'of', [type, metadata]);
    return new KedaTrigger(type, { ...metadata }, /^[a-z0-9][a-z0-9-]*$/.test(type) ? [] : [`type must be a KEDA scaler name (lower case), got ${JSON.stringify(type)}`]);
  }

  /** KEDA scaler type (`prometheus`, `cron`, …). */
  public readonly type: string;
  /** Scaler settings, as KEDA reads them. */
  public readonly metadata: { [key: string]: string };
  /** @internal */
  public readonly _problems: string[];

  private constructor(type: string, metadata: { [key: string]: string }, problems: string[]) {
    this.type = type;
    this.metadata = metadata;
    this._problems = problems;
  }
}

/** KEDA settings of `AutoscaleOptions.keda`. */
export interface KedaScalingOptions {
  /**
   * How often KEDA reads the triggers (whole seconds, at least one).
   * @default Duration.seconds(30)
   */
  readonly pollingInterval?: Duration;
  /**
   * How long after the last active trigger KEDA waits before scaling to `minReplicas` (whole seconds).
   * @default Duration.minutes(5)
   */
  readonly cooldownPeriod?: Duration;
  /**
   * What drives the pod count.
   * @default - the operator's trigger: its bundled Prometheus's count of the agent's open connections, one pod
   * per `connectionThreshold` connections
   */
  readonly triggers?: KedaTrigger[];
  /**
   * Open connections per pod for the operator's default trigger; only without `triggers`. Media agents want
   * fewer (20, say).
   * @default 200
   */
  readonly connectionThreshold?: number;
}

/** The release's `runtime.autoscaling.keda`, defaults written; throws on options KEDA or the CRD refuse. */
export function renderKeda(scope: IConstruct, options: KedaScalingOptions): any {
  const fail = (field: string, reason: string) => invalidProp(scope, `autoscale.keda.${field}`, reason);
  const seconds = (value: Duration | undefined, fallback: Duration, field: string, min: number) => {
    if (value !== undefined && !(value instanceof Duration)) throw fail(field, 'must be a Duration');
    const ms = (value ?? fallback).toMilliseconds();
    if (!Number.isInteger(ms / 1000) || ms / 1000 < min || ms / 1000 > 2147483647) throw fail(field, `must be whole seconds >= ${min}, got ${ms} ms`);
    return ms / 1000;
  };
  const triggers = options.triggers ?? [];
  triggers.forEach((t, i) => {
    if (!(t instanceof KedaTrigger)) throw fail(`triggers[${i}]`, 'must be a KedaTrigger (KedaTrigger.prometheus, .cron or .of)');
    if (t._problems.length) throw fail(`triggers[${i}]`, t._problems.join('; '));
  });
  const threshold = options.connectionThreshold;
  if (threshold !== undefined) {
    if (triggers.length) throw fail('connectionThreshold', 'applies to the operator\'s default trigger only: drop it, or drop triggers');
    if (!Number.isInteger(threshold) || threshold < 1 || threshold > 2147483647) throw fail('connectionThreshold', `must be a whole number >= 1, got ${threshold}`);
  }
  return {
    pollingInterval: seconds(options.pollingInterval, Duration.seconds(30), 'pollingInterval', 1),
    cooldownPeriod: seconds(options.cooldownPeriod, Duration.minutes(5), 'cooldownPeriod', 0),
    triggers: triggers.length ? triggers.map((t) => ({ type: t.type, metadata: { ...t.metadata } })) : undefined,
    connectionThreshold: triggers.length ? undefined : threshold ?? 200,
  };
}
