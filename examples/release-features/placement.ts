import { Chart, Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { AgentRuntime, ExternalAuth, PromptPack, Provider, ProviderCredential, ProviderType, SecretKey } from '../../lib';
import { FeatureExample } from '../release-features';
import { MODEL_SERVER } from '../release';

/**
 * Where an agent's pods run and what they carry: a node pool of their own (node selector, a toleration of the
 * pool's taint, pods kept apart by anti-affinity), a volume of reference documents mounted into the runtime,
 * and pod overrides: a ServiceAccount for the cloud's workload identity, team labels, a private registry's
 * pull Secret, and a proxy setting read from a ConfigMap in both containers.
 */
export const placement: FeatureExample = (chart: Chart) => {
  const provider = new Provider(chart, 'Provider', {
    metadata: { name: 'placement-llm' },
    type: ProviderType.OPENAI,
    model: 'support-model',
    baseUrl: MODEL_SERVER,
    credential: ProviderCredential.fromSecretKey(SecretKey.of(kplus.Secret.fromSecretName(chart, 'Credentials', 'provider-credentials'), 'api-key')),
  });
  const prompts = answersPack(chart);

  // The identity the cloud maps to its own (GKE's Workload Identity here); the agent reads the API with its token.
  const identity = new kplus.ServiceAccount(chart, 'Identity', {
    metadata: { name: 'support-agent', annotations: { 'iam.gke.io/gcp-service-account': 'support-agent@example-project.iam.gserviceaccount.com' } },
    automountToken: true,
  });
  // Registry credentials are created by whoever owns them, never written here.
  const registry = kplus.Secret.fromSecretName(chart, 'Registry', 'registry-credentials');
  const network = new kplus.ConfigMap(chart, 'Network', { metadata: { name: 'egress-proxy' }, data: { HTTPS_PROXY: 'http://proxy.egress.svc.cluster.local:3128', NO_PROXY: '.svc,.cluster.local' } });
  const documents = new kplus.ConfigMap(chart, 'Documents', {
    metadata: { name: 'support-documents' },
    data: { 'returns.md': '# Returns\nItems may be returned within 30 days.\n', 'shipping.md': '# Shipping\nOrders ship within 2 working days.\n' },
  });

  new AgentRuntime(chart, 'Support', {
    metadata: { name: 'support' },
    provider,
    promptPack: prompts,
    externalAuth: ExternalAuth.sharedToken(kplus.Secret.fromSecretName(chart, 'ClientToken', 'support-client-token')),
    replicas: 2,
    placement: {
      nodeSelector: { 'node.example.com/pool': 'agents' },
      tolerations: [
        kplus.NodeTaintQuery.is('dedicated', 'agents', { effect: kplus.TaintEffect.NO_SCHEDULE }),
        // Spot nodes may go: the pods move after a minute rather than at once.
        kplus.NodeTaintQuery.exists('node.example.com/spot', { effect: kplus.TaintEffect.NO_EXECUTE, evictAfter: Duration.minutes(1) }),
      ],
      affinity: {
        podAntiAffinity: {
          preferredDuringSchedulingIgnoredDuringExecution: [{
            weight: 100,
            podAffinityTerm: { topologyKey: 'kubernetes.io/hostname', labelSelector: { matchLabels: { 'app.kubernetes.io/instance': 'support' } } },
          }],
        },
      },
    },
    volumeMounts: [{ volume: kplus.Volume.fromConfigMap(chart, 'DocumentsVolume', documents, { name: 'documents' }), path: '/var/lib/support/documents', readOnly: true }],
    podAnnotations: { 'fluentbit.io/parser': 'json' },
    podOverrides: {
      serviceAccount: identity,
      labels: { 'team': 'customer-care', 'cost-center': 'cc-042' },
      imagePullSecrets: [registry],
      envFrom: [kplus.Env.fromConfigMap(network)],
    },
  });
};

/** A pack of one prompt without tools, in the chart's namespace (the release reads a pack in the agent's own). */
export function answersPack(chart: Chart): PromptPack {
  const pack = {
    id: 'answers',
    name: 'Answers',
    version: '1.0.0',
    template_engine: { version: 'v1', syntax: '{{variable}}' },
    prompts: {
      default: {
        id: 'default',
        name: 'Support answers',
        version: '1.0.0',
        system_template: 'You answer questions about returns and shipping, briefly and politely.',
        parameters: { temperature: 0.2, max_tokens: 512 },
      },
    },
  };
  const configMap = new kplus.ConfigMap(chart, 'PromptsConfig', { metadata: { name: 'answers-pack' }, data: { 'pack.json': JSON.stringify(pack, undefined, 2) } });
  return new PromptPack(chart, 'Prompts', { metadata: { name: 'answers' }, packName: pack.id, version: pack.version, configMap });
}
