import { App, Chart, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { OmniaApiTarget, OmniaCrds, OmniaOperator, OmniaTarget, release, ToolRegistry } from '../../lib';
import { releaseCrds, releaseInstallCrds, RELEASE_ENTERPRISE_PLURALS } from '../../lib/validation/crds';

const RELEASE = OmniaApiTarget.V0_9_0_BETA_17;

function releaseApp(): App {
  const app = Testing.app();
  OmniaTarget.use(app, RELEASE);
  return app;
}

const skillSource = (chart: Chart, spec: any = { type: release.SkillSourceSpecType.CONFIGMAP, configMap: { name: 'skills' }, interval: '5m' }) =>
  new release.SkillSource(chart, 'Skills', { metadata: { name: 'skills' }, spec });

describe('the release submodule', () => {
  test('has a class for each kind of the release\'s CRDs, each based on ReleaseObject', () => {
    const kinds = releaseCrds().map((c) => c.spec.names.kind).sort();
    expect(kinds).toHaveLength(16);
    for (const kind of kinds) {
      const cls = (release as any)[kind];
      expect({ kind, isReleaseObject: typeof cls === 'function' && Object.getPrototypeOf(cls) === release.ReleaseObject }).toEqual({ kind, isReleaseObject: true });
      expect(cls.GVK).toEqual({ apiVersion: 'omnia.altairalabs.ai/v1alpha1', kind });
    }
  });

  test('a typed spec renders with the CRD\'s field names, in the chart\'s namespace', () => {
    const chart = new Chart(releaseApp(), 'test', { namespace: 'agents' });
    ToolRegistry.fromName(chart, 'Tools', 'tools');
    new release.ToolPolicy(chart, 'Policy', {
      metadata: { name: 'limits' },
      spec: {
        selector: { registry: 'tools' },
        rules: [{ name: 'cap', deny: { cel: 'body.amount > 10', message: 'too much' } }],
        mode: release.ToolPolicySpecMode.AUDIT,
      },
    });
    expect(Testing.synth(chart)).toEqual([{
      apiVersion: 'omnia.altairalabs.ai/v1alpha1',
      kind: 'ToolPolicy',
      metadata: { name: 'limits', namespace: 'agents' },
      spec: { selector: { registry: 'tools' }, rules: [{ name: 'cap', deny: { cel: 'body.amount > 10', message: 'too much' } }], mode: 'audit' },
    }]);
  });

  test('an object that breaks its CRD fails the synth, naming the construct, object and field', () => {
    const chart = new Chart(releaseApp(), 'test', { namespace: 'agents' });
    skillSource(chart, { type: release.SkillSourceSpecType.CONFIGMAP, configMap: { name: 'skills' } } as any);
    expect(() => Testing.synth(chart)).toThrow(/test\/Skills.*SkillSource agents\/skills.*spec\.interval.*Required/s);
  });

  test('a cluster-scoped kind in a namespaced chart is written without the chart\'s namespace', () => {
    const chart = new Chart(releaseApp(), 'test', { namespace: 'agents' });
    new release.Workspace(chart, 'Workspace', { metadata: { name: 'support' }, spec: { displayName: 'Support', namespace: { name: 'agents' } } });
    new release.SessionRetentionPolicy(chart, 'Retention', { metadata: { name: 'default' }, spec: {} });
    const objects = Testing.synth(chart);
    expect(objects.map((o) => [o.kind, o.metadata])).toEqual([['Workspace', { name: 'support' }], ['SessionRetentionPolicy', { name: 'default' }]]);
  });

  test('a cluster-scoped kind given a namespace is refused', () => {
    const chart = new Chart(releaseApp(), 'test');
    expect(() => new release.MemoryPolicy(chart, 'Memory', { metadata: { name: 'default', namespace: 'agents' }, spec: { tiers: {} } }))
      .toThrow('test/Memory: MemoryPolicy default: metadata.namespace: MemoryPolicy is cluster-scoped and takes no namespace');
  });

  test('is refused in an app that targets the documented API', () => {
    const app = Testing.app();
    OmniaTarget.use(app, OmniaApiTarget.DOCUMENTED);
    expect(() => skillSource(new Chart(app, 'test', { namespace: 'agents' })))
      .toThrow(/test\/Skills: SkillSource: the release classes write Omnia v0\.9\.0-beta\.17, and this app targets the documented API/);
  });
});

describe('the enterprise kinds', () => {
  const arenaSource = (chart: Chart) => new release.ArenaSource(chart, 'Scenarios', {
    metadata: { name: 'scenarios' },
    spec: { type: release.ArenaSourceSpecType.CONFIGMAP, configMap: { name: 'scenarios' }, interval: '5m' },
  });

  test('are refused at synth in an app that installs the release without them, saying how to install them', () => {
    const app = releaseApp();
    new OmniaOperator(app, 'omnia');
    const chart = new Chart(app, 'evals', { namespace: 'evals' });
    arenaSource(chart);
    expect(() => app.synth()).toThrow(/evals\/Scenarios.*ArenaSource evals\/scenarios: kind: ArenaSource is an enterprise kind of Omnia v0\.9\.0-beta\.17.*OmniaOperator\(\{ enterprise: true \}\)/s);
  });

  test('are accepted with the enterprise install, which runs the manager with --enterprise and installs their CRDs and RBAC', () => {
    const app = releaseApp();
    const operator = new OmniaOperator(app, 'omnia', { enterprise: true });
    arenaSource(new Chart(app, 'evals', { namespace: 'evals' }));
    expect(() => app.synth()).not.toThrow();
    expect(operator.enterprise).toBe(true);
    expect(operator.crds!.crds.map((c) => c.name)).toHaveLength(16);
    const manager = Testing.synth(operator).find((o) => o.kind === 'Deployment').spec.template.spec.containers[0];
    expect(manager.args).toContain('--enterprise');
    const role = Testing.synth(operator).find((o) => o.kind === 'ClusterRole' && o.metadata.name === 'omnia-operator-omnia-system');
    expect(role.rules.some((r: any) => r.resources.includes('sessionprivacypolicies') && r.verbs.includes('watch'))).toBe(true);
  });

  test('the plain install has neither their CRDs nor the flag, and the CRDs of an install are those the release lists', () => {
    const app = releaseApp();
    const operator = new OmniaOperator(app, 'omnia');
    const plurals = operator.crds!.crds.map((c) => c.toJson().spec.names.plural);
    expect(plurals).toEqual(releaseInstallCrds(false).map((c) => c.spec.names.plural));
    expect(plurals.filter((p) => RELEASE_ENTERPRISE_PLURALS.includes(p))).toEqual([]);
    const manager = Testing.synth(operator).find((o) => o.kind === 'Deployment').spec.template.spec.containers[0];
    expect(manager.args).not.toContain('--enterprise');
  });

  test('an app that installs no CRDs is not told how to (someone else installs them)', () => {
    const app = releaseApp();
    arenaSource(new Chart(app, 'evals', { namespace: 'evals' }));
    expect(() => app.synth()).not.toThrow();
  });

  test('the documented API has no enterprise install', () => {
    const app = Testing.app();
    OmniaTarget.use(app, OmniaApiTarget.DOCUMENTED);
    expect(() => new OmniaCrds(app, 'crds', { enterprise: true })).toThrow('crds: enterprise: the documented API has no enterprise kinds');
  });
});

test('a Namespace in a chart with a namespace fails the synth, naming the field and what to do', () => {
  const app = releaseApp();
  const chart = new Chart(app, 'agents', { namespace: 'agents' });
  new kplus.Namespace(chart, 'Namespace', { metadata: { name: 'agents' } });
  skillSource(chart);
  expect(() => app.synth()).toThrow(/Namespace agents\/agents: metadata\.namespace: Namespace is cluster-scoped and takes no namespace \("agents"\): put it in a chart without a namespace/);
});

describe('references between release objects', () => {
  test('an AgentPolicy, a ToolPolicy and an ArenaJob name objects that must exist in their namespace', () => {
    const app = releaseApp();
    const chart = new Chart(app, 'agents', { namespace: 'agents' });
    new release.AgentPolicy(chart, 'AgentPolicy', { metadata: { name: 'only-support' }, spec: { selector: { agents: ['support'] } } });
    new release.ToolPolicy(chart, 'ToolPolicy', {
      metadata: { name: 'limits' },
      spec: { selector: { registry: 'tools' }, rules: [{ name: 'cap', deny: { cel: 'true', message: 'no' } }] },
    });
    new release.ArenaJob(chart, 'Job', { metadata: { name: 'run' }, spec: { sourceRef: { name: 'scenarios' } } });
    const error = (() => { try { app.synth(); return ''; } catch (e) { return (e as Error).message; } })();
    expect(error).toMatch(/agents\/AgentPolicy: AgentPolicy agents\/only-support: spec\.selector\.agents\[0\]: AgentRuntime agents\/support is not defined in the app/);
    expect(error).toMatch(/agents\/ToolPolicy: ToolPolicy agents\/limits: spec\.selector\.registry: ToolRegistry agents\/tools is not defined in the app/);
    expect(error).toMatch(/agents\/Job: ArenaJob agents\/run: spec\.sourceRef: ArenaSource agents\/scenarios is not defined in the app/);
  });

  test('a SkillSource\'s ConfigMap is copied whole (every key a file): no key is required of it', () => {
    const app = releaseApp();
    const chart = new Chart(app, 'agents', { namespace: 'agents' });
    new kplus.ConfigMap(chart, 'Bundle', { metadata: { name: 'skills' }, data: { 'refunds__SKILL.md': '---\nname: refunds\ndescription: d\n---\n' } });
    skillSource(chart);
    expect(() => app.synth()).not.toThrow();
  });

  test('a SkillSource\'s credentials Secret must hold the key it names', () => {
    const app = releaseApp();
    const chart = new Chart(app, 'agents', { namespace: 'agents' });
    new kplus.Secret(chart, 'Creds', { metadata: { name: 'git' }, stringData: { username: 'u' } });
    skillSource(chart, { type: release.SkillSourceSpecType.GIT, git: { url: 'https://git.example/skills', secretRef: { name: 'git', key: 'password' } }, interval: '5m' });
    expect(() => app.synth()).toThrow(/SkillSource agents\/skills: spec\.git\.secretRef: Secret agents\/git has no key "password" \(it has "username"\)/);
  });

  test('a Workspace\'s policies are cluster-scoped: found whichever chart defines them, refused when missing', () => {
    const app = releaseApp();
    const agents = new Chart(app, 'agents', { namespace: 'agents' });
    new release.MemoryPolicy(agents, 'Memory', { metadata: { name: 'memory' }, spec: { tiers: {} } });
    const service = (memoryPolicy: string) => ({
      name: 'default',
      memory: { database: { secretRef: { name: 'memory-db' } }, policyRef: { name: memoryPolicy } },
      session: { database: { secretRef: { name: 'session-db' } }, policyRef: { name: 'retention' } },
    });
    new release.Workspace(new Chart(app, 'platform'), 'Workspace', {
      metadata: { name: 'support' },
      spec: { displayName: 'Support', namespace: { name: 'agents' }, services: [service('memory') as any] },
    });
    const error = (() => { try { app.synth(); return ''; } catch (e) { return (e as Error).message; } })();
    expect(error).not.toMatch(/MemoryPolicy/);
    // Cluster-scoped: named without a namespace.
    expect(error).toMatch(/spec\.services\[0\]\.session\.policyRef: SessionRetentionPolicy retention is not defined in the app/);
  });
});
