import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Chart, Testing, Yaml } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { OmniaCrds, OmniaOperator, OmniaOperatorProps, OperatorLogLevel } from '../../lib';
import { validateBuiltIn } from '../k8s-schemas';
import { documentedApp } from '../util';

// The documented API has no released operator: these installs name one built for it.
const IMAGE = { image: 'registry.example.com/omnia-operator', tag: '1.0.0' };

function install(props: OmniaOperatorProps = {}) {
  const app = documentedApp();
  const operator = new OmniaOperator(app, 'omnia', { ...IMAGE, ...props });
  const objects = Testing.synth(operator);
  const of = (kind: string) => objects.filter((o) => o.kind === kind);
  const one = (kind: string) => {
    const found = of(kind);
    if (found.length !== 1) throw new Error(`expected one ${kind}, found ${found.length}`);
    return found[0];
  };
  const pod = () => one('Deployment').spec.template.spec;
  return { app, operator, objects, of, one, pod, container: () => pod().containers[0] };
}

const ALL = ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'];

describe('default install', () => {
  const { objects, one, of, pod, container, app } = install();

  test('objects in apply order, namespace first', () => {
    expect(objects.map((o) => o.kind)).toEqual([
      'Namespace', 'ClusterRole', 'ClusterRoleBinding', 'Role', 'RoleBinding', 'ServiceAccount', 'Deployment', 'Service',
    ]);
  });

  test('the CRDs are a chart of their own that the operator chart depends on', () => {
    const charts = app.charts.map((c) => c.node.id);
    expect(charts).toEqual(['omnia-crds', 'omnia']);
    const crds = app.charts[0] as OmniaCrds;
    expect(Testing.synth(crds).map((c) => c.metadata.name)).toEqual([
      'agentruntimes.omnia.altairalabs.ai', 'promptpacks.omnia.altairalabs.ai', 'toolregistries.omnia.altairalabs.ai',
    ]);
  });

  test('cluster-scoped objects carry no namespace, the others omnia-system', () => {
    for (const o of objects) {
      const clusterScoped = ['Namespace', 'ClusterRole', 'ClusterRoleBinding'].includes(o.kind);
      expect([o.kind, o.metadata.namespace]).toEqual([o.kind, clusterScoped ? undefined : 'omnia-system']);
    }
    expect(one('Namespace').metadata).toMatchObject({ name: 'omnia-system', labels: { 'pod-security.kubernetes.io/enforce': 'restricted' } });
  });

  test('ClusterRole: exactly the rules of the contract', () => {
    expect(one('ClusterRole').rules).toEqual([
      { apiGroups: ['omnia.altairalabs.ai'], resources: ['agentruntimes', 'promptpacks', 'toolregistries'], verbs: ALL },
      { apiGroups: ['omnia.altairalabs.ai'], resources: ['agentruntimes/status', 'promptpacks/status', 'toolregistries/status'], verbs: ['get', 'patch', 'update'] },
      { apiGroups: ['omnia.altairalabs.ai'], resources: ['agentruntimes/finalizers', 'promptpacks/finalizers', 'toolregistries/finalizers'], verbs: ['update'] },
      { apiGroups: ['apps'], resources: ['deployments'], verbs: ALL },
      { apiGroups: [''], resources: ['configmaps', 'serviceaccounts', 'services'], verbs: ALL },
      { apiGroups: [''], resources: ['secrets'], verbs: ['get', 'list', 'watch'] },
      { apiGroups: [''], resources: ['events'], verbs: ['create', 'patch'] },
      { apiGroups: [''], resources: ['pods'], verbs: ['get', 'list', 'watch'] },
      { apiGroups: ['autoscaling'], resources: ['horizontalpodautoscalers'], verbs: ALL },
      { apiGroups: ['policy'], resources: ['poddisruptionbudgets'], verbs: ALL },
      { apiGroups: ['networking.k8s.io'], resources: ['networkpolicies'], verbs: ALL },
    ]);
  });

  test('leader-election Role in the operator namespace', () => {
    expect(one('Role').rules).toEqual([
      { apiGroups: ['coordination.k8s.io'], resources: ['leases'], verbs: ALL },
      { apiGroups: [''], resources: ['configmaps'], verbs: ALL },
      { apiGroups: [''], resources: ['events'], verbs: ['create', 'patch'] },
    ]);
  });

  test('no wildcard anywhere in RBAC', () => {
    for (const role of [...of('ClusterRole'), ...of('Role')]) {
      expect(JSON.stringify(role.rules)).not.toContain('*');
    }
  });

  test('bindings tie the roles to the service account', () => {
    const subject = [{ kind: 'ServiceAccount', name: 'omnia-operator', namespace: 'omnia-system' }];
    expect(one('ClusterRoleBinding')).toMatchObject({ roleRef: { kind: 'ClusterRole', name: one('ClusterRole').metadata.name }, subjects: subject });
    expect(one('RoleBinding')).toMatchObject({ roleRef: { kind: 'Role', name: one('Role').metadata.name }, subjects: subject });
    expect(pod().serviceAccountName).toBe(one('ServiceAccount').metadata.name);
  });

  test('the token is mounted only in the operator pod', () => {
    expect(one('ServiceAccount').automountServiceAccountToken).toBe(false);
    expect(pod().automountServiceAccountToken).toBe(true);
  });

  test('pod security context, field by field (restricted)', () => {
    expect(pod().securityContext).toEqual({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
  });

  test('container security context, field by field (restricted)', () => {
    const sc = container().securityContext;
    expect(sc.runAsNonRoot).toBe(true);
    expect(sc.allowPrivilegeEscalation).toBe(false);
    expect(sc.readOnlyRootFilesystem).toBe(true);
    expect(sc.capabilities).toEqual({ drop: ['ALL'] });
    expect(sc.seccompProfile).toEqual({ type: 'RuntimeDefault' });
    expect(sc.privileged).toBeUndefined();
    expect(Object.keys(sc).sort()).toEqual(['allowPrivilegeEscalation', 'capabilities', 'readOnlyRootFilesystem', 'runAsNonRoot', 'seccompProfile']);
  });

  test('the image given, as given', () => {
    expect(container().image).toBe('registry.example.com/omnia-operator:1.0.0');
    expect(OmniaOperator.DEFAULT_TAG).toMatch(/^\d+\.\d+\.\d+/);
  });

  test('args: leader election, probes on 8081, metrics on 8443, log level', () => {
    expect(container().args).toEqual(['--leader-elect', '--health-probe-bind-address=:8081', '--metrics-bind-address=:8443', '--zap-log-level=info']);
  });

  test('ports and probes', () => {
    expect(container().ports).toEqual([
      { name: 'health', containerPort: 8081, protocol: 'TCP' },
      { name: 'metrics', containerPort: 8443, protocol: 'TCP' },
    ]);
    expect(container().livenessProbe).toEqual({ httpGet: { path: '/healthz', port: 'health' }, initialDelaySeconds: 15, periodSeconds: 20 });
    expect(container().readinessProbe).toEqual({ httpGet: { path: '/readyz', port: 'health' }, initialDelaySeconds: 5, periodSeconds: 10 });
  });

  test('requests and limits set', () => {
    expect(container().resources).toEqual({ requests: { cpu: '10m', memory: '64Mi' }, limits: { cpu: '500m', memory: '128Mi' } });
  });

  test('metrics Service selects exactly the operator pods', () => {
    const service = one('Service');
    expect(service.spec.ports).toEqual([{ name: 'https', port: 8443, targetPort: 'metrics', protocol: 'TCP' }]);
    expect(service.spec.selector).toEqual(one('Deployment').spec.selector.matchLabels);
    expect(one('Deployment').spec.template.metadata.labels).toMatchObject(service.spec.selector);
  });

  test('every object validates against the Kubernetes schemas', () => {
    for (const o of [...objects, ...Testing.synth(app.charts[0] as Chart)]) validateBuiltIn(o);
  });
});

describe('options', () => {
  test('namespace, image, tag, pull policy and pull secrets', () => {
    const app = documentedApp();
    const secret = kplus.Secret.fromSecretName(new Chart(app, 'x'), 'Pull', 'registry-creds');
    const operator = new OmniaOperator(app, 'omnia', {
      namespace: 'ai', image: 'registry.example/omnia', tag: '1.0.0', imagePullPolicy: kplus.ImagePullPolicy.ALWAYS, imagePullSecrets: [secret],
    });
    const objects = Testing.synth(operator);
    const pod = objects.find((o) => o.kind === 'Deployment').spec.template.spec;
    expect(pod.containers[0].image).toBe('registry.example/omnia:1.0.0');
    expect(pod.containers[0].imagePullPolicy).toBe('Always');
    expect(pod.imagePullSecrets).toEqual([{ name: 'registry-creds' }]);
    expect(objects.find((o) => o.kind === 'Namespace').metadata.name).toBe('ai');
    expect(objects.filter((o) => o.metadata.namespace).every((o) => o.metadata.namespace === 'ai')).toBe(true);
  });

  test('replicas, resources, scheduling, extra args, env and log level', () => {
    const { one, pod, container } = install({
      replicas: 2,
      resources: { cpu: { request: kplus.Cpu.millis(50) } },
      nodeSelector: { 'kubernetes.io/os': 'linux' },
      tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'ai', effect: 'NoSchedule' }],
      affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'tier', operator: 'In', values: ['system'] }] }] } } },
      extraArgs: ['--max-concurrent-reconciles=4'],
      env: { GOMEMLIMIT: kplus.EnvValue.fromValue('100MiB') },
      logLevel: OperatorLogLevel.DEBUG,
    });
    expect(one('Deployment').spec.replicas).toBe(2);
    expect(container().resources).toEqual({ requests: { cpu: '50m' } });
    expect(pod().nodeSelector).toEqual({ 'kubernetes.io/os': 'linux' });
    expect(pod().tolerations).toEqual([{ key: 'dedicated', operator: 'Equal', value: 'ai', effect: 'NoSchedule' }]);
    expect(pod().affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[0]).toEqual({ key: 'tier', operator: 'In', values: ['system'] });
    expect(container().args).toEqual(['--leader-elect', '--health-probe-bind-address=:8081', '--metrics-bind-address=:8443', '--zap-log-level=debug', '--max-concurrent-reconciles=4']);
    expect(container().env).toEqual([{ name: 'GOMEMLIMIT', value: '100MiB' }]);
  });

  test('leader election off: no Role, no flag', () => {
    const { of, container } = install({ leaderElection: false });
    expect(of('Role')).toEqual([]);
    expect(of('RoleBinding')).toEqual([]);
    expect(container().args).not.toContain('--leader-elect');
  });

  test('metrics off: no Service, no port, metrics disabled', () => {
    const { of, container } = install({ metrics: false });
    expect(of('Service')).toEqual([]);
    expect(container().ports.map((p: any) => p.containerPort)).toEqual([8081]);
    expect(container().args).toContain('--metrics-bind-address=0');
  });

  test('no CRDs and no namespace when told', () => {
    const { app, of } = install({ installCrds: false, createNamespace: false });
    expect(app.charts.map((c) => c.node.id)).toEqual(['omnia']);
    expect(of('Namespace')).toEqual([]);
  });

  test('opt-in PodDisruptionBudget: maxUnavailable 1, never minAvailable', () => {
    const { one } = install({ podDisruptionBudget: true });
    const pdb = one('PodDisruptionBudget');
    expect(pdb.spec).toEqual({ maxUnavailable: 1, selector: { matchLabels: one('Deployment').spec.selector.matchLabels } });
    validateBuiltIn(pdb);
  });

  test('opt-in NetworkPolicy: ingress only to the probe and metrics ports', () => {
    const { one } = install({ networkPolicy: true });
    const policy = one('NetworkPolicy');
    expect(policy.spec).toEqual({
      podSelector: { matchLabels: one('Deployment').spec.selector.matchLabels },
      policyTypes: ['Ingress'],
      ingress: [{ ports: [{ port: 8081, protocol: 'TCP' }, { port: 8443, protocol: 'TCP' }] }],
    });
    validateBuiltIn(policy);
    expect(install({ networkPolicy: true, metrics: false }).one('NetworkPolicy').spec.ingress).toEqual([{ ports: [{ port: 8081, protocol: 'TCP' }] }]);
  });

  test('opt-in ServiceMonitor selects the metrics Service', () => {
    const { one } = install({ serviceMonitor: true });
    const monitor = one('ServiceMonitor');
    expect(monitor.apiVersion).toBe('monitoring.coreos.com/v1');
    expect(monitor.spec.selector.matchLabels).toEqual(one('Deployment').spec.selector.matchLabels);
    expect(one('Service').metadata.labels).toMatchObject(monitor.spec.selector.matchLabels);
    expect(monitor.spec.endpoints).toEqual([expect.objectContaining({ port: 'https', scheme: 'https', path: '/metrics' })]);
    validateBuiltIn(monitor);
  });

  test.each<[string, OmniaOperatorProps, string]>([
    ['zero replicas', { replicas: 0 }, 'omnia: replicas: must be a whole number >= 1, got 0'],
    ['several replicas without leader election', { replicas: 2, leaderElection: false }, 'omnia: replicas: 2 replicas without leader election'],
    ['ServiceMonitor without metrics', { serviceMonitor: true, metrics: false }, 'omnia: serviceMonitor: needs metrics on'],
    ['bad namespace', { namespace: 'Omnia_System' }, 'omnia: namespace: "Omnia_System" is not a DNS-1123 label'],
  ])('refuses %s', (_name, props, message) => {
    expect(() => new OmniaOperator(documentedApp(), 'omnia', { ...IMAGE, ...props })).toThrow(message);
  });
});

test('a chart of agents that depends on the install is written after it, CRDs first', () => {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'omnia-order-'));
  try {
    const app = documentedApp({ outdir });
    const agents = new Chart(app, 'agents', { namespace: 'agents' });
    const operator = new OmniaOperator(app, 'omnia', IMAGE);
    agents.addDependency(operator);
    new kplus.ConfigMap(agents, 'Config', { data: { a: 'b' } });
    app.synth();
    const files = fs.readdirSync(outdir).filter((f) => f.endsWith('.k8s.yaml')).sort();
    expect(files).toEqual(['0000-omnia-crds.k8s.yaml', '0001-omnia.k8s.yaml', '0002-agents.k8s.yaml']);
    const kinds = Yaml.load(path.join(outdir, files[0])).map((o: any) => o.kind);
    expect(kinds).toEqual(['CustomResourceDefinition', 'CustomResourceDefinition', 'CustomResourceDefinition']);
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
});

test('the schema check used above rejects a broken object', () => {
  const { one } = install();
  const deployment = one('Deployment');
  delete deployment.spec.selector;
  expect(() => validateBuiltIn(deployment)).toThrow('Deployment omnia-operator');
});
