import { Chart, Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { AgentRuntime, ExternalAuth, KedaTrigger, Provider, ProviderCredential, ProviderType, SecretKey } from '../../lib';
import { FeatureExample } from '../release-features';
import { MODEL_SERVER } from '../release';
import { answersPack } from './placement';

/**
 * An agent scaled by KEDA: none of its pods run at night and at weekends, three during office hours, and
 * more when the open conversations its Prometheus counts need them. The release's operator makes the KEDA
 * ScaledObject; on a cluster without KEDA it says so in the AgentRuntime's AutoscalingReady condition
 * (reason KEDANotInstalled) and keeps the pods it has.
 */
export const keda: FeatureExample = (chart: Chart) => {
  const provider = new Provider(chart, 'Provider', {
    metadata: { name: 'keda-llm' },
    type: ProviderType.OPENAI,
    model: 'support-model',
    baseUrl: MODEL_SERVER,
    credential: ProviderCredential.fromSecretKey(SecretKey.of(kplus.Secret.fromSecretName(chart, 'Credentials', 'provider-credentials'), 'api-key')),
  });
  const agent = new AgentRuntime(chart, 'Support', {
    metadata: { name: 'support' },
    provider,
    promptPack: answersPack(chart),
    externalAuth: ExternalAuth.sharedToken(kplus.Secret.fromSecretName(chart, 'ClientToken', 'support-client-token')),
  });
  agent.autoscale({
    minReplicas: 0,
    maxReplicas: 10,
    keda: {
      pollingInterval: Duration.seconds(15),
      cooldownPeriod: Duration.minutes(10),
      triggers: [
        KedaTrigger.cron({ timezone: 'Europe/Paris', start: '0 8 * * 1-5', end: '0 19 * * 1-5', desiredReplicas: 3 }),
        KedaTrigger.prometheus({
          serverAddress: 'http://omnia-prometheus-server.omnia-system.svc.cluster.local/prometheus',
          query: 'sum(omnia_agent_connections_active{agent="support",namespace="keda"})',
          threshold: 100,
        }),
      ],
    },
  });
};
