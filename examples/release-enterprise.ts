import { App, Chart } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { HeaderInjection, OmniaHelmResolver, OmniaOperator, release, ToolPolicy, ToolRegistry } from '../lib';

/**
 * The release's enterprise edition: the operator runs its enterprise controllers and installs the enterprise
 * kinds' CRDs, and a namespace holds one object of each enterprise kind: a SessionPrivacyPolicy, a
 * RolloutAnalysis and the Arena kinds (a source of scenarios, a source of templates, a job that evaluates
 * them, a development session) with the typed `release` classes, and ToolPolicies, which the enterprise
 * controllers reconcile and its policy broker enforces, with the L2 construct. An app of its own: one
 * install per app.
 */
export function enterpriseApp(outdir: string): App {
  const app = new App({ outdir, resolvers: [new OmniaHelmResolver()] });
  const operator = new OmniaOperator(app, 'omnia', { enterprise: true });

  // The namespace is cluster-scoped: a chart without a namespace holds it.
  const namespaces = new Chart(app, 'enterprise-namespaces');
  new kplus.Namespace(namespaces, 'Evals', { metadata: { name: 'evals' } });
  const evals = new Chart(app, 'enterprise-evals', { namespace: 'evals' });
  evals.addDependency(operator, namespaces);

  // The ToolPolicy controller runs with --enterprise only: a policy on a registry another team runs.
  new ToolPolicy(evals, 'ToolPolicy', {
    metadata: { name: 'read-only-tools' },
    registry: ToolRegistry.fromName(evals, 'Tools', 'eval-tools'),
    rules: [{ name: 'no-writes', denyWhen: "headers['x-method'] != 'GET'", message: 'evaluations only read' }],
    // The tools see which policy let the call through.
    headerInjection: [HeaderInjection.withValue('X-Omnia-Policy', 'read-only-tools')],
  });
  new release.SessionPrivacyPolicy(evals, 'Privacy', {
    metadata: { name: 'redact-pii' },
    spec: { recording: { enabled: true, facadeData: true, runtimeData: false } },
  });
  new release.RolloutAnalysis(evals, 'Analysis', {
    metadata: { name: 'error-rate' },
    spec: {
      metrics: [{
        name: 'error-rate',
        interval: '1m',
        count: 5,
        successCondition: 'result < 0.05',
        provider: { prometheus: { address: 'http://prometheus.monitoring.svc:9090', query: 'sum(rate(omnia_agent_errors_total[5m]))' } },
      }],
    },
  });
  const scenarios = new release.ArenaSource(evals, 'Scenarios', {
    metadata: { name: 'support-scenarios' },
    spec: { type: release.ArenaSourceSpecType.CONFIGMAP, configMap: { name: 'support-scenarios' }, interval: '10m' },
  });
  new release.ArenaTemplateSource(evals, 'Templates', {
    metadata: { name: 'support-templates' },
    spec: { type: release.ArenaTemplateSourceSpecType.CONFIGMAP, configMap: { name: 'support-templates' } },
  });
  new release.ArenaJob(evals, 'Evaluation', {
    metadata: { name: 'support-evaluation' },
    spec: { sourceRef: { name: scenarios.name }, type: release.ArenaJobSpecType.EVALUATION, workers: { replicas: 1 } },
  });
  new release.ArenaDevSession(evals, 'DevSession', {
    metadata: { name: 'support-dev' },
    spec: { projectId: 'support', workspace: 'support', idleTimeout: '30m' },
  });
  return app;
}
