import * as path from 'path';
import { Chart } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { ExternalAuth, PromptPack, Provider, ProviderCapability, ProviderCredential, ProviderRole, ProviderType, SecretKey } from '../../lib';
import { MODEL_SERVER } from '../release';

// What the agents of the providers, memory and rollout features share: a tool-less pack and providers on the
// in-cluster model server (which `npm run test:cluster` serves with a stand-in).

/** The assistant pack of `version` (1.0.0 or 2.0.0), named after it. */
export function assistantPack(chart: Chart, version = '1.0.0'): PromptPack {
  const major = version.split('.')[0];
  return PromptPack.fromFile(chart, `Assistant${major}`, {
    metadata: { name: `assistant-v${major}` },
    file: path.join(__dirname, '..', 'prompts', major === '1' ? 'assistant-release.json' : `assistant-release-v${major}.json`),
  });
}

/** A Provider of the model server with `role`, its key in the Secret `model-credentials` (made by its owner). */
export function modelProvider(chart: Chart, name: string, model: string, role = ProviderRole.LLM, capabilities?: ProviderCapability[]): Provider {
  const secret = (chart.node.tryFindChild('Credentials') as kplus.ISecret | undefined) ?? kplus.Secret.fromSecretName(chart, 'Credentials', 'model-credentials');
  return new Provider(chart, name, {
    metadata: { name },
    type: ProviderType.OPENAI,
    role,
    model,
    capabilities,
    baseUrl: MODEL_SERVER,
    credential: ProviderCredential.fromSecretKey(SecretKey.of(secret, 'api-key')),
  });
}

/** Clients share a token, read from the Secret `client-token` (made by its owner). */
export function clientToken(chart: Chart): ExternalAuth {
  return ExternalAuth.sharedToken(kplus.Secret.fromSecretName(chart, 'ClientToken', 'client-token'));
}
