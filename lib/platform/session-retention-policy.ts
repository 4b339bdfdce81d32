import { ApiObject, Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { OMNIA_API_VERSION } from '../api';
import { describeObject, describeResource } from '../core/errors';
import { callSite, checkArguments } from '../core/jsii-types';
import { addStandardLabels } from '../core/labels';
import { ExternalReference, IOmniaReference } from '../core/references';
import { ReleaseObject } from '../targets/release-kinds';
import { checkCron, checkInt, hourDuration, refuseDocumented, wholeDays } from './common';

/** A SessionRetentionPolicy, defined in this app or outside it. */
export interface ISessionRetentionPolicy extends IOmniaReference {}

/** The redis tier of recent sessions. */
export interface SessionHotCache {
  /**
   * Whether sessions are cached in redis.
   * @default true
   */
  readonly enabled?: boolean;
  /**
   * How long an inactive session stays in the cache; whole seconds (written in hours, minutes and seconds).
   * @default Duration.hours(24)
   */
  readonly ttlAfterInactive?: Duration;
  /**
   * Most sessions kept in the cache.
   * @default - no limit
   */
  readonly maxSessions?: number;
  /**
   * Most messages kept per cached session.
   * @default - no limit
   */
  readonly maxMessagesPerSession?: number;
}

/** The postgres tier of session history (partitioned by week, the release's only strategy). */
export interface SessionWarmStore {
  /**
   * How long history is kept, in whole days from 1 to 3650.
   * @default Duration.days(7)
   */
  readonly retention?: Duration;
}

/** The archive tier (object storage), on when given. */
export interface SessionColdArchive {
  /** How long archived history is kept, in whole days from 1 to 36500. */
  readonly retention: Duration;
  /**
   * When archival runs, a cron schedule.
   * @default '0 2 * * *'
   */
  readonly compactionSchedule?: string;
}

/** Props of a SessionRetentionPolicy. */
export interface SessionRetentionPolicyProps extends kplus.ResourceProps {
  /**
   * The redis tier.
   * @default - the session-api's own defaults
   */
  readonly hotCache?: SessionHotCache;
  /**
   * The postgres tier.
   * @default - the session-api's own defaults
   */
  readonly warmStore?: SessionWarmStore;
  /**
   * The archive tier.
   * @default - no archive
   */
  readonly coldArchive?: SessionColdArchive;
}

/**
 * How long session history is kept in each tier (redis, postgres, archive): a cluster-scoped object that
 * Workspaces name from their service groups (`WorkspaceServices.managed({ sessionRetentionPolicy })`).
 * Release target only: the documented API has no such kind.
 */
export class SessionRetentionPolicy extends kplus.Resource implements ISessionRetentionPolicy {
  /** Refers to a SessionRetentionPolicy outside this app; nothing is synthesized for it. Documented API: refused. */
  public static fromSessionRetentionPolicyName(scope: Construct, id: string, name: string): ISessionRetentionPolicy {
    const where = callSite(scope, id, 'SessionRetentionPolicy.fromSessionRetentionPolicyName');
    checkArguments(where, 'cdk8s-omnia.SessionRetentionPolicy', 'fromSessionRetentionPolicyName', [scope, id, name]);
    refuseDocumented(scope, where, 'SessionRetentionPolicy', name);
    return new ExternalReference(scope, id, 'SessionRetentionPolicy', name);
  }

  /** @see kplus.Resource */
  public readonly resourceType = 'sessionretentionpolicies';
  protected readonly apiObject: ApiObject;
  private readonly spec: any;

  public constructor(scope: Construct, id: string, props: SessionRetentionPolicyProps = {}) {
    super(scope, id);
    describeObject(this, () => ({ ...describeResource(this, 'SessionRetentionPolicy', props?.metadata), namespace: undefined }));
    checkArguments(this, 'cdk8s-omnia.SessionRetentionPolicy', undefined, [scope, id, props]);
    props = props ?? {};
    refuseDocumented(this, this.node.path, 'SessionRetentionPolicy', props.metadata?.name);
    this.spec = this.renderSpec(props);
    this.apiObject = new ReleaseObject(this, 'Resource', {
      apiVersion: OMNIA_API_VERSION,
      kind: 'SessionRetentionPolicy',
      metadata: props.metadata,
      spec: this.spec,
    });
    addStandardLabels(this, this.metadata, 'sessionretentionpolicy', this.name);
  }

  /** Cluster-scoped: no namespace. */
  public get namespace(): string | undefined {
    return undefined;
  }

  /** @internal */
  public _referenceView(): any {
    return { apiVersion: OMNIA_API_VERSION, kind: 'SessionRetentionPolicy', metadata: { name: this.name }, spec: this.spec };
  }

  private renderSpec(props: SessionRetentionPolicyProps): any {
    const hot = props.hotCache;
    const warm = props.warmStore;
    const cold = props.coldArchive;
    checkInt(this, 'hotCache.maxSessions', hot?.maxSessions, 1, 2147483647);
    checkInt(this, 'hotCache.maxMessagesPerSession', hot?.maxMessagesPerSession, 1, 2147483647);
    checkCron(this, 'coldArchive.compactionSchedule', cold?.compactionSchedule);
    return {
      hotCache: hot && {
        enabled: hot.enabled ?? true,
        ttlAfterInactive: hourDuration(this, 'hotCache.ttlAfterInactive', hot.ttlAfterInactive ?? Duration.hours(24)),
        maxSessions: hot.maxSessions,
        maxMessagesPerSession: hot.maxMessagesPerSession,
      },
      warmStore: warm && {
        retentionDays: wholeDays(this, 'warmStore.retention', warm.retention ?? Duration.days(7), 1, 3650),
        partitionBy: 'week',
      },
      coldArchive: cold && {
        enabled: true,
        retentionDays: wholeDays(this, 'coldArchive.retention', cold.retention, 1, 36500),
        compactionSchedule: cold.compactionSchedule ?? '0 2 * * *',
      },
    };
  }
}
