import { Chart, Size, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import {
  BudgetExceededAction, MemoryPolicy, Provider, ProviderCredential, ProviderRole, ProviderType, SecretKey, SessionRetentionPolicy, Workspace,
  WorkspaceEnvironment, WorkspaceRole, WorkspaceServices, WorkspaceStorageRetention,
} from '../../lib';
import { documentedApp } from '../util';

const only = (chart: Chart, kind: string) => Testing.synth(chart).filter((o) => o.kind === kind);

describe('Workspace', () => {
  test('renders the namespace it governs, access, budgets, isolation, storage, runtime defaults and services, without a namespace of its own', () => {
    const app = Testing.app();
    const platform = new Chart(app, 'platform', { namespace: 'ignored' });
    const team = new Chart(app, 'support', { namespace: 'support' });
    const memory = new MemoryPolicy(platform, 'Memory', { metadata: { name: 'default' }, user: {} });
    const sessions = new SessionRetentionPolicy(platform, 'Sessions', { metadata: { name: 'default' } });
    const embeddings = new Provider(team, 'Embeddings', {
      metadata: { name: 'embeddings' }, type: ProviderType.OPENAI, role: ProviderRole.EMBEDDING,
      credential: ProviderCredential.fromSecretKey(SecretKey.of(kplus.Secret.fromSecretName(team, 'Key', 'openai'), 'api-key')),
    });
    const db = new kplus.Secret(team, 'Db', { metadata: { name: 'support-db' }, stringData: { POSTGRES_CONN: 'postgres://db/support' } });
    const identity = kplus.ServiceAccount.fromServiceAccountName(team, 'Identity', 'agents-identity');
    const ops = new kplus.ServiceAccount(new Chart(app, 'ops', { namespace: 'ops' }), 'Deployer', { metadata: { name: 'deployer' } });
    const workspace = new Workspace(platform, 'Workspace', {
      metadata: { name: 'support' },
      displayName: 'Customer support',
      description: 'The support team',
      namespace: 'support',
      environment: WorkspaceEnvironment.PRODUCTION,
      defaultTags: { team: 'support' },
      roleBindings: [{ role: WorkspaceRole.EDITOR, groups: ['support-engineers'], serviceAccounts: [ops, identity] }],
      directGrants: [{ user: 'ana@example.com', role: WorkspaceRole.OWNER, expires: new Date('2027-01-01T00:00:00Z') }],
      costControls: { monthlyBudget: 2000, alertThresholds: [{ percent: 80, notify: ['ops@example.com'] }] },
      networkIsolation: {},
      storage: { size: Size.mebibytes(512), retention: WorkspaceStorageRetention.RETAIN },
      runtimeDefaults: { serviceAccount: identity, podLabels: { 'azure.workload.identity/use': 'true' } },
      services: [
        WorkspaceServices.managed({ name: 'default', sessionDatabase: db, memoryDatabase: db, memoryPolicy: memory, sessionRetentionPolicy: sessions, embeddingProvider: embeddings }),
        WorkspaceServices.external({ name: 'shared', sessionUrl: 'https://session.example.com', memoryUrl: 'https://memory.example.com' }),
      ],
      privacyDatabase: db,
      tokenMintingServiceAccounts: [identity],
    });
    expect(workspace.namespace).toBeUndefined();
    expect(workspace.governedNamespace).toBe('support');
    const [w] = only(platform, 'Workspace');
    expect(w.metadata.namespace).toBeUndefined();
    expect(w.spec).toEqual({
      displayName: 'Customer support',
      description: 'The support team',
      environment: 'production',
      defaultTags: { team: 'support' },
      namespace: { name: 'support', create: false },
      runtime: { serviceAccountName: 'agents-identity', podLabels: { 'azure.workload.identity/use': 'true' } },
      roleBindings: [{ role: 'editor', groups: ['support-engineers'], serviceAccounts: [{ name: 'deployer', namespace: 'ops' }, { name: 'agents-identity', namespace: 'support' }] }],
      directGrants: [{ user: 'ana@example.com', role: 'owner', expires: '2027-01-01T00:00:00Z' }],
      costControls: { monthlyBudget: '2000.00', budgetExceededAction: 'warn', alertThresholds: [{ percent: 80, notify: ['ops@example.com'] }] },
      networkPolicy: { isolate: true, allowExternalAPIs: true, allowSharedNamespaces: true, allowPrivateNetworks: false },
      storage: { enabled: true, size: '512Mi', accessModes: ['ReadWriteMany'], retentionPolicy: 'Retain' },
      services: [
        {
          name: 'default', mode: 'managed',
          session: { database: { secretRef: { name: 'support-db' } }, policyRef: { name: 'default' } },
          memory: { database: { secretRef: { name: 'support-db' } }, providerRef: { name: 'embeddings' }, policyRef: { name: 'default' } },
        },
        { name: 'shared', mode: 'external', external: { sessionURL: 'https://session.example.com', memoryURL: 'https://memory.example.com' } },
      ],
      mgmtPlaneMintServiceAccounts: ['agents-identity'],
      privacy: { database: { secretRef: { name: 'support-db' } } },
    });
    expect(() => app.synth()).not.toThrow();
  });

  test('the reference checks report a policy the app does not define, and a database Secret without POSTGRES_CONN', () => {
    const app = Testing.app();
    const platform = new Chart(app, 'platform');
    const team = new Chart(app, 'support', { namespace: 'support' });
    const db = new kplus.Secret(team, 'Db', { metadata: { name: 'support-db' }, stringData: { url: 'postgres://db' } });
    // A policy of another app: this app's manifests do not hold it.
    const elsewhere = new MemoryPolicy(new Chart(Testing.app(), 'other-app'), 'Memory', { metadata: { name: 'retention' }, user: {} });
    new Workspace(platform, 'Workspace', {
      metadata: { name: 'support' }, displayName: 'Support', namespace: 'support',
      services: [WorkspaceServices.managed({ name: 'default', sessionDatabase: db, memoryDatabase: db, memoryPolicy: elsewhere })],
    });
    expect(() => app.synth()).toThrow(/spec\.services\[0\]\.memory\.policyRef: MemoryPolicy retention is not defined in the app; define it, or declare it as external with MemoryPolicy\.fromMemoryPolicyName\(scope, id, "retention"\)/);
    expect(() => app.synth()).toThrow(/spec\.services\[0\]\.session\.database\.secretRef: Secret support\/support-db has no key "POSTGRES_CONN"/);
  });

  test('a policy outside the app is declared with fromMemoryPolicyName and fromSessionRetentionPolicyName', () => {
    const app = Testing.app();
    const platform = new Chart(app, 'platform');
    const db = kplus.Secret.fromSecretName(platform, 'Db', 'support-db');
    new Workspace(platform, 'Workspace', {
      metadata: { name: 'support' }, displayName: 'Support', namespace: 'support',
      services: [WorkspaceServices.managed({
        name: 'default', sessionDatabase: db, memoryDatabase: db,
        memoryPolicy: MemoryPolicy.fromMemoryPolicyName(platform, 'Memory', 'org-memory'),
        sessionRetentionPolicy: SessionRetentionPolicy.fromSessionRetentionPolicyName(platform, 'Sessions', 'org-sessions'),
      })],
    });
    expect(() => app.synth()).not.toThrow();
    expect(only(platform, 'Workspace')[0].spec.services[0].memory.policyRef).toEqual({ name: 'org-memory' });
  });

  test('refuses bad input, naming the field', () => {
    const app = Testing.app();
    const platform = new Chart(app, 'platform');
    const other = new Chart(app, 'other', { namespace: 'other' });
    const base = { displayName: 'Support', namespace: 'support' };
    const db = new kplus.Secret(other, 'Db', { metadata: { name: 'db' }, stringData: { POSTGRES_CONN: 'x' } });
    expect(() => new Workspace(platform, 'A', { ...base, namespace: 'Support' })).toThrow(/platform\/A: Workspace .*: namespace: "Support"/);
    expect(() => new Workspace(platform, 'B', { ...base, displayName: '' })).toThrow(/displayName: must be 1 to 256 characters/);
    expect(() => new Workspace(platform, 'C', { ...base, services: [WorkspaceServices.managed({ name: 'default', sessionDatabase: db, memoryDatabase: db })] }))
      .toThrow(/services\[0\]\.sessionDatabase: Secret other\/db is not in namespace support, where the operator runs the services/);
    const external = (name: string) => WorkspaceServices.external({ name, sessionUrl: 'https://s', memoryUrl: 'https://m' });
    expect(() => new Workspace(platform, 'D', { ...base, services: [external('a'), external('a')] })).toThrow(/services: two groups are named "a"/);
    expect(() => new Workspace(platform, 'E', { ...base, services: [WorkspaceServices.external({ name: 'a', sessionUrl: 'session', memoryUrl: 'https://m' })] }))
      .toThrow(/services\[0\]\.sessionUrl: "session" is not an http\(s\) URL/);
    expect(() => new Workspace(platform, 'F', { ...base, costControls: { budgetExceededAction: BudgetExceededAction.BLOCK, alertThresholds: [{ percent: 120 }] } }))
      .toThrow(/costControls\.alertThresholds\[0\]\.percent: must be a whole number from 1 to 100/);
    expect(() => new Workspace(platform, 'G', { ...base, roleBindings: [{ role: WorkspaceRole.VIEWER }] })).toThrow(/roleBindings\[0\]: names no group and no ServiceAccount/);
    expect(() => new Workspace(platform, 'H', { ...base, runtimeDefaults: { serviceAccount: new kplus.ServiceAccount(other, 'Sa') } }))
      .toThrow(/runtimeDefaults\.serviceAccount: ServiceAccount other\/.* is not in namespace support, where agent pods run/);
    expect(() => new Workspace(platform, 'I', { ...base, services: [external('Bad_Name')] })).toThrow(/services\[0\]\.name: "Bad_Name"/);
  });

  test('takes no namespace of its own in its metadata', () => {
    const chart = new Chart(Testing.app(), 'platform');
    expect(() => new Workspace(chart, 'W', { metadata: { name: 'w', namespace: 'x' }, displayName: 'W', namespace: 'w' })).toThrow(/Workspace is cluster-scoped and takes no namespace/);
  });

  test('is refused under the documented API', () => {
    const chart = new Chart(documentedApp(), 'platform');
    expect(() => new Workspace(chart, 'W', { metadata: { name: 'w' }, displayName: 'W', namespace: 'w' })).toThrow(/platform\/W: Workspace w: a Workspace: the documented API has no equivalent/);
    expect(() => Workspace.fromWorkspaceName(chart, 'Ext', 'w')).toThrow(/platform\/Ext: Workspace w: a Workspace: the documented API has no equivalent/);
  });
});
