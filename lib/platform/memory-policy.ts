import { ApiObject, Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { OMNIA_API_VERSION } from '../api';
import { describeObject, describeResource, invalidProp } from '../core/errors';
import { callSite, checkArguments } from '../core/jsii-types';
import { addStandardLabels } from '../core/labels';
import { ExternalReference, IOmniaReference } from '../core/references';
import { ReleaseObject } from '../targets/release-kinds';
import { checkCron, checkInt, dayDuration, decimalIn, refuseDocumented, wholeDays } from './common';

/** A MemoryPolicy, defined in this app or outside it. */
export interface IMemoryPolicy extends IOmniaReference {}

/** How the memories of a tier are pruned. */
export enum MemoryRetentionMode {
  /** Never pruned automatically: only an explicit forget or a data-subject request deletes them. */
  MANUAL = 'Manual',
  /** Pruned when they expire (`ttl`). */
  TTL = 'TTL',
  /** Pruned when their score decays below a floor (`decay`). */
  DECAY = 'Decay',
  /** Pruned when not read for a while (`lru`). */
  LRU = 'LRU',
  /** TTL, decay and LRU each apply; the first to fire prunes. */
  COMPOSITE = 'Composite',
}

/** What the retention worker does when a user revokes a consent category. */
export enum ConsentRevocationAction {
  /** Marks the memories forgotten, deleting them after a grace period. */
  SOFT_DELETE = 'SoftDelete',
  /** Deletes them at once. */
  HARD_DELETE = 'HardDelete',
  /** Keeps them, and stops new writes of the category (not GDPR-compliant in most places). */
  STOP = 'Stop',
}

/** The TTL branch of a tier's retention. */
export interface MemoryTtl {
  /**
   * Expiry given to a memory saved without one.
   * @default - none: such memories never expire by TTL
   */
  readonly defaultTtl?: Duration;
  /**
   * Cap on any expiry a client asks for; at least `defaultTtl`.
   * @default - no cap
   */
  readonly maxAge?: Duration;
}

/** The decay branch of a tier's retention: a score of confidence, access frequency and recency. */
export interface MemoryDecay {
  /**
   * Whether the branch runs.
   * @default true
   */
  readonly enabled?: boolean;
  /**
   * Score under which a memory is pruned, 0 to 1.
   * @default 0.2
   */
  readonly minScore?: number;
  /**
   * How fast recency pulls the score down, in whole days from 1 to 3650.
   * @default Duration.days(90)
   */
  readonly halfLife?: Duration;
  /**
   * Weight of confidence in the score, 0 to 1.
   * @default 0.5
   */
  readonly confidenceWeight?: number;
  /**
   * Weight of access frequency, 0 to 1.
   * @default 0.3
   */
  readonly accessFrequencyWeight?: number;
  /**
   * Weight of recency, 0 to 1.
   * @default 0.2
   */
  readonly recencyWeight?: number;
}

/** The LRU branch of a tier's retention. */
export interface MemoryLru {
  /**
   * Whether the branch runs.
   * @default true
   */
  readonly enabled?: boolean;
  /**
   * Age of the last read past which a memory is pruned.
   * @default Duration.days(120)
   */
  readonly staleAfter?: Duration;
}

/** The retention of one memory tier, or of one consent category in it. */
export interface MemoryTierRetention {
  /**
   * How memories are pruned.
   * @default MemoryRetentionMode.MANUAL
   */
  readonly mode?: MemoryRetentionMode;
  /**
   * Time between a soft delete and the hard delete, in whole days from 0 to 3650.
   * @default Duration.days(30)
   */
  readonly softDeleteGrace?: Duration;
  /**
   * The TTL branch.
   * @default - off
   */
  readonly ttl?: MemoryTtl;
  /**
   * The decay branch.
   * @default - off
   */
  readonly decay?: MemoryDecay;
  /**
   * The LRU branch.
   * @default - off
   */
  readonly lru?: MemoryLru;
  /**
   * Overrides for consent categories (`memory:health`, say); not inside a category's own retention.
   * @default - none
   */
  readonly perCategory?: { [category: string]: MemoryTierRetention };
}

/** Reaction to a revoked consent category. */
export interface MemoryConsentRevocation {
  /**
   * What happens to the category's memories.
   * @default ConsentRevocationAction.SOFT_DELETE
   */
  readonly action?: ConsentRevocationAction;
  /**
   * Time between soft and hard delete (soft delete only), in whole days from 0 to 365.
   * @default Duration.days(7)
   */
  readonly grace?: Duration;
}

/** Weights multiplying the retrieval score of each tier, 0 to 10. */
export interface MemoryTierPrecedence {
  /**
   * Institutional tier.
   * @default 1
   */
  readonly institutional?: number;
  /**
   * Agent tier.
   * @default 1
   */
  readonly agent?: number;
  /**
   * User tier.
   * @default 1
   */
  readonly user?: number;
}

/** Props of a MemoryPolicy. */
export interface MemoryPolicyProps extends kplus.ResourceProps {
  /**
   * Retention of the institutional tier (shared knowledge). At least one tier is needed.
   * @default - not configured
   */
  readonly institutional?: MemoryTierRetention;
  /**
   * Retention of the agent tier.
   * @default - not configured
   */
  readonly agent?: MemoryTierRetention;
  /**
   * Retention of the user tier.
   * @default - not configured
   */
  readonly user?: MemoryTierRetention;
  /**
   * When the retention worker runs, a cron schedule.
   * @default '0 3 * * *'
   */
  readonly schedule?: string;
  /**
   * Rows the worker handles per transaction, 1 to 100000.
   * @default 1000
   */
  readonly batchSize?: number;
  /**
   * Reaction to revoked consent.
   * @default - the memory-api's (soft delete, 7 days)
   */
  readonly consentRevocation?: MemoryConsentRevocation;
  /**
   * Multipliers of each tier's retrieval score.
   * @default - 1 for every tier
   */
  readonly tierPrecedence?: MemoryTierPrecedence;
}

const TIERS = ['institutional', 'agent', 'user'] as const;

/**
 * How agents' memories are kept and pruned, tier by tier: a cluster-scoped object that Workspaces name
 * from their service groups (`WorkspaceServices.managed({ memoryPolicy })`). The recall, dedup,
 * consolidation, projection and ingestion settings are left to `release.MemoryPolicy`. Release target
 * only: the documented API has no such kind.
 */
export class MemoryPolicy extends kplus.Resource implements IMemoryPolicy {
  /** Refers to a MemoryPolicy outside this app; nothing is synthesized for it. Documented API: refused. */
  public static fromMemoryPolicyName(scope: Construct, id: string, name: string): IMemoryPolicy {
    const where = callSite(scope, id, 'MemoryPolicy.fromMemoryPolicyName');
    checkArguments(where, 'cdk8s-omnia.MemoryPolicy', 'fromMemoryPolicyName', [scope, id, name]);
    refuseDocumented(scope, where, 'MemoryPolicy', name);
    return new ExternalReference(scope, id, 'MemoryPolicy', name);
  }

  /** @see kplus.Resource */
  public readonly resourceType = 'memorypolicies';
  protected readonly apiObject: ApiObject;
  private readonly spec: any;

  public constructor(scope: Construct, id: string, props: MemoryPolicyProps) {
    super(scope, id);
    describeObject(this, () => ({ ...describeResource(this, 'MemoryPolicy', props?.metadata), namespace: undefined }));
    checkArguments(this, 'cdk8s-omnia.MemoryPolicy', undefined, [scope, id, props]);
    refuseDocumented(this, this.node.path, 'MemoryPolicy', props.metadata?.name);
    this.spec = this.renderSpec(props);
    this.apiObject = new ReleaseObject(this, 'Resource', {
      apiVersion: OMNIA_API_VERSION,
      kind: 'MemoryPolicy',
      metadata: props.metadata,
      spec: this.spec,
    });
    addStandardLabels(this, this.metadata, 'memorypolicy', this.name);
  }

  /** Cluster-scoped: no namespace. */
  public get namespace(): string | undefined {
    return undefined;
  }

  /** @internal */
  public _referenceView(): any {
    return { apiVersion: OMNIA_API_VERSION, kind: 'MemoryPolicy', metadata: { name: this.name }, spec: this.spec };
  }

  private renderSpec(props: MemoryPolicyProps): any {
    if (TIERS.every((t) => props[t] === undefined)) {
      throw invalidProp(this, 'institutional', 'a MemoryPolicy needs the retention of at least one tier (institutional, agent or user)');
    }
    checkCron(this, 'schedule', props.schedule);
    checkInt(this, 'batchSize', props.batchSize, 1, 100000);
    const tiers: { [tier: string]: any } = {};
    for (const tier of TIERS) {
      const retention = props[tier];
      if (retention !== undefined) tiers[tier] = this.tier(tier, retention, true);
    }
    const consent = props.consentRevocation;
    const precedence = props.tierPrecedence;
    return {
      tiers,
      schedule: props.schedule ?? '0 3 * * *',
      batchSize: props.batchSize ?? 1000,
      consentRevocation: consent && {
        action: consent.action ?? ConsentRevocationAction.SOFT_DELETE,
        graceDays: wholeDays(this, 'consentRevocation.grace', consent.grace ?? Duration.days(7), 0, 365),
      },
      tierPrecedence: precedence && {
        multiplicative: {
          institutional: decimalIn(this, 'tierPrecedence.institutional', precedence.institutional ?? 1, 0, 10),
          agent: decimalIn(this, 'tierPrecedence.agent', precedence.agent ?? 1, 0, 10),
          user: decimalIn(this, 'tierPrecedence.user', precedence.user ?? 1, 0, 10),
        },
      },
    };
  }

  private tier(field: string, r: MemoryTierRetention, top: boolean): any {
    if (!top && r.perCategory !== undefined) {
      throw invalidProp(this, `${field}.perCategory`, 'a consent category\'s retention cannot have categories of its own');
    }
    const ttl = r.ttl;
    const defaultTtl = ttl?.defaultTtl && dayDuration(this, `${field}.ttl.defaultTtl`, ttl.defaultTtl);
    const maxAge = ttl?.maxAge && dayDuration(this, `${field}.ttl.maxAge`, ttl.maxAge);
    if (ttl?.defaultTtl && ttl.maxAge && ttl.defaultTtl.toMilliseconds() > ttl.maxAge.toMilliseconds()) {
      throw invalidProp(this, `${field}.ttl.defaultTtl`, `${defaultTtl} exceeds maxAge ${maxAge}; the operator refuses the policy`);
    }
    const d = r.decay;
    const l = r.lru;
    const perCategory: { [category: string]: any } = {};
    for (const [category, retention] of Object.entries(r.perCategory ?? {})) {
      if (!category) throw invalidProp(this, `${field}.perCategory`, 'a consent category must not be empty');
      perCategory[category] = this.tier(`${field}.perCategory[${category}]`, retention, false);
    }
    return {
      mode: r.mode ?? MemoryRetentionMode.MANUAL,
      softDeleteGraceDays: wholeDays(this, `${field}.softDeleteGrace`, r.softDeleteGrace ?? Duration.days(30), 0, 3650),
      ttl: ttl && { default: defaultTtl, maxAge },
      decay: d && {
        enabled: d.enabled ?? true,
        minScore: decimalIn(this, `${field}.decay.minScore`, d.minScore ?? 0.2, 0, 1),
        halfLifeDays: wholeDays(this, `${field}.decay.halfLife`, d.halfLife ?? Duration.days(90), 1, 3650),
        scoreFormula: {
          confidenceWeight: decimalIn(this, `${field}.decay.confidenceWeight`, d.confidenceWeight ?? 0.5, 0, 1),
          accessFrequencyWeight: decimalIn(this, `${field}.decay.accessFrequencyWeight`, d.accessFrequencyWeight ?? 0.3, 0, 1),
          recencyWeight: decimalIn(this, `${field}.decay.recencyWeight`, d.recencyWeight ?? 0.2, 0, 1),
        },
      },
      lru: l && { enabled: l.enabled ?? true, staleAfter: dayDuration(this, `${field}.lru.staleAfter`, l.staleAfter ?? Duration.days(120)) },
      perCategory: top && r.perCategory ? perCategory : undefined,
    };
  }
}
