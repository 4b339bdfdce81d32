import { Chart, Duration, Testing } from 'cdk8s';
import { MemoryPolicy, MemoryRetentionMode, ConsentRevocationAction, SessionRetentionPolicy } from '../../lib';
import { documentedApp } from '../util';

const synthOne = (chart: Chart, kind: string) => {
  const found = Testing.synth(chart).filter((o) => o.kind === kind);
  expect(found).toHaveLength(1);
  return found[0];
};

describe('MemoryPolicy', () => {
  test('renders every tier with the release\'s defaults written, and no namespace (cluster-scoped)', () => {
    const chart = new Chart(Testing.app(), 'platform', { namespace: 'agents' });
    const policy = new MemoryPolicy(chart, 'Memory', {
      metadata: { name: 'default' },
      agent: {
        mode: MemoryRetentionMode.COMPOSITE,
        ttl: { defaultTtl: Duration.days(180), maxAge: Duration.days(365) },
        decay: { minScore: 0.25, halfLife: Duration.days(30) },
        lru: {},
        perCategory: { 'memory:health': { mode: MemoryRetentionMode.TTL, ttl: { defaultTtl: Duration.hours(36) }, softDeleteGrace: Duration.days(0) } },
      },
      user: { mode: MemoryRetentionMode.TTL, ttl: { defaultTtl: Duration.days(90) } },
      consentRevocation: { action: ConsentRevocationAction.HARD_DELETE },
      tierPrecedence: { institutional: 2.5 },
      batchSize: 500,
    });
    expect(policy.namespace).toBeUndefined();
    const m = synthOne(chart, 'MemoryPolicy');
    expect(m.metadata.namespace).toBeUndefined();
    expect(m.spec).toEqual({
      tiers: {
        agent: {
          mode: 'Composite',
          softDeleteGraceDays: 30,
          ttl: { default: '180d', maxAge: '365d' },
          decay: { enabled: true, minScore: '0.25', halfLifeDays: 30, scoreFormula: { confidenceWeight: '0.5', accessFrequencyWeight: '0.3', recencyWeight: '0.2' } },
          lru: { enabled: true, staleAfter: '120d' },
          perCategory: { 'memory:health': { mode: 'TTL', softDeleteGraceDays: 0, ttl: { default: '1d12h' } } },
        },
        user: { mode: 'TTL', softDeleteGraceDays: 30, ttl: { default: '90d' } },
      },
      schedule: '0 3 * * *',
      batchSize: 500,
      consentRevocation: { action: 'HardDelete', graceDays: 7 },
      tierPrecedence: { multiplicative: { institutional: '2.5', agent: '1.0', user: '1.0' } },
    });
  });

  test('refuses what the CRD or the operator refuses, naming the field', () => {
    const chart = () => new Chart(Testing.app(), 'platform');
    expect(() => new MemoryPolicy(chart(), 'M', {})).toThrow(/platform\/M: MemoryPolicy .*: institutional: a MemoryPolicy needs the retention of at least one tier/);
    expect(() => new MemoryPolicy(chart(), 'M', { user: { ttl: { defaultTtl: Duration.days(400), maxAge: Duration.days(365) } } }))
      .toThrow(/user\.ttl\.defaultTtl: 400d exceeds maxAge 365d/);
    expect(() => new MemoryPolicy(chart(), 'M', { user: { decay: { minScore: 1.5 } } })).toThrow(/user\.decay\.minScore: must be a number from 0 to 1, got 1\.5/);
    expect(() => new MemoryPolicy(chart(), 'M', { user: { decay: { halfLife: Duration.hours(12) } } })).toThrow(/user\.decay\.halfLife: must be a whole number of days from 1 to 3650, got 12h/);
    expect(() => new MemoryPolicy(chart(), 'M', { user: { ttl: { defaultTtl: Duration.millis(1500) } } })).toThrow(/user\.ttl\.defaultTtl: must be a positive whole number of seconds/);
    expect(() => new MemoryPolicy(chart(), 'M', { user: {}, schedule: 'every night' })).toThrow(/schedule: "every night" is not a cron schedule/);
    expect(() => new MemoryPolicy(chart(), 'M', { user: {}, batchSize: 0 })).toThrow(/batchSize: must be a whole number from 1 to 100000, got 0/);
    expect(() => new MemoryPolicy(chart(), 'M', { user: {}, tierPrecedence: { agent: 11 } })).toThrow(/tierPrecedence\.agent: must be a number from 0 to 10/);
    expect(() => new MemoryPolicy(chart(), 'M', { user: { perCategory: { a: { perCategory: { b: {} } } } } })).toThrow(/user\.perCategory\[a\]\.perCategory: a consent category's retention cannot have categories of its own/);
  });

  test('is refused under the documented API, and so is one outside the app', () => {
    const chart = new Chart(documentedApp(), 'platform');
    expect(() => new MemoryPolicy(chart, 'M', { metadata: { name: 'default' }, user: {} })).toThrow(/platform\/M: MemoryPolicy default: a MemoryPolicy: the documented API has no equivalent/);
    expect(() => MemoryPolicy.fromMemoryPolicyName(chart, 'Ext', 'default')).toThrow(/platform\/Ext: MemoryPolicy default: a MemoryPolicy: the documented API has no equivalent/);
  });
});

describe('SessionRetentionPolicy', () => {
  test('renders the tiers given, their defaults written, without a namespace', () => {
    const chart = new Chart(Testing.app(), 'platform', { namespace: 'agents' });
    new SessionRetentionPolicy(chart, 'Sessions', {
      metadata: { name: 'default' },
      hotCache: { maxSessions: 10000 },
      warmStore: {},
      coldArchive: { retention: Duration.days(365) },
    });
    const s = synthOne(chart, 'SessionRetentionPolicy');
    expect(s.metadata.namespace).toBeUndefined();
    expect(s.spec).toEqual({
      hotCache: { enabled: true, ttlAfterInactive: '24h', maxSessions: 10000 },
      warmStore: { retentionDays: 7, partitionBy: 'week' },
      coldArchive: { enabled: true, retentionDays: 365, compactionSchedule: '0 2 * * *' },
    });
  });

  test('writes a TTL of days in hours, the only form the CRD takes', () => {
    const chart = new Chart(Testing.app(), 'platform');
    new SessionRetentionPolicy(chart, 'Sessions', { hotCache: { ttlAfterInactive: Duration.days(2) } });
    expect(synthOne(chart, 'SessionRetentionPolicy').spec.hotCache.ttlAfterInactive).toBe('48h');
  });

  test('refuses bad input, naming the field', () => {
    const chart = () => new Chart(Testing.app(), 'platform');
    expect(() => new SessionRetentionPolicy(chart(), 'S', { warmStore: { retention: Duration.days(4000) } })).toThrow(/warmStore\.retention: must be a whole number of days from 1 to 3650/);
    expect(() => new SessionRetentionPolicy(chart(), 'S', { hotCache: { maxSessions: 0 } })).toThrow(/hotCache\.maxSessions: must be a whole number from 1/);
    expect(() => new SessionRetentionPolicy(chart(), 'S', { coldArchive: { retention: Duration.days(30), compactionSchedule: 'nightly' } })).toThrow(/coldArchive\.compactionSchedule: "nightly" is not a cron schedule/);
    expect(() => new SessionRetentionPolicy(chart(), 'S', { hotCache: { ttlAfterInactive: Duration.millis(10) } })).toThrow(/hotCache\.ttlAfterInactive: must be a positive whole number of seconds/);
  });

  test('is refused under the documented API', () => {
    const chart = new Chart(documentedApp(), 'platform');
    expect(() => new SessionRetentionPolicy(chart, 'S')).toThrow(/platform\/S: SessionRetentionPolicy .*the documented API has no equivalent/);
    expect(() => SessionRetentionPolicy.fromSessionRetentionPolicyName(chart, 'Ext', 'x')).toThrow(/the documented API has no equivalent/);
  });
});
