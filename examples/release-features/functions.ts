import * as path from 'path';
import { Chart } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import {
  AgentMode, AgentRuntime, ExternalAuth, Facade, FunctionOutputFormat, PromptPack, Provider, ProviderCredential, ProviderType, SecretKey,
} from '../../lib';
import type { FeatureExample } from '../release-features';
import { MODEL_SERVER } from '../release';

/**
 * A function-mode agent: one-shot calls (`POST /functions/sentiment`) whose JSON input and answer are
 * checked against schemas, served over REST and, beside it, MCP.
 */
export const functionsExample: FeatureExample = (chart: Chart): void => {
  const provider = new Provider(chart, 'Provider', {
    metadata: { name: 'functions-llm' },
    type: ProviderType.OPENAI,
    model: 'support-model',
    baseUrl: MODEL_SERVER,
    credential: ProviderCredential.fromSecretKey(SecretKey.of(kplus.Secret.fromSecretName(chart, 'Credentials', 'provider-credentials'), 'api-key')),
  });
  new AgentRuntime(chart, 'Sentiment', {
    metadata: { name: 'sentiment' },
    provider,
    promptPack: PromptPack.fromFile(chart, 'Prompts', {
      metadata: { name: 'sentiment-prompts' },
      file: path.join(__dirname, '..', 'prompts', 'sentiment-function.json'),
    }),
    externalAuth: ExternalAuth.sharedToken(kplus.Secret.fromSecretName(chart, 'ClientToken', 'functions-client-token')),
    mode: AgentMode.FUNCTION,
    inputSchema: {
      type: 'object',
      properties: { message: { type: 'string', minLength: 1 } },
      required: ['message'],
    },
    outputSchema: {
      type: 'object',
      properties: {
        sentiment: { type: 'string', enum: ['positive', 'neutral', 'negative'] },
        confidence: { type: 'number', minimum: 0, maximum: 1 },
      },
      required: ['sentiment', 'confidence'],
    },
    outputFormat: FunctionOutputFormat.JSON_SCHEMA,
    facades: [Facade.rest(), Facade.mcp()],
  });
};
