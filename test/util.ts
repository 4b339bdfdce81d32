import { App, AppProps, Chart, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { OmniaApiTarget, OmniaTarget, PromptPack, Provider, ProviderCredential, ProviderType, SecretKey } from '../lib';

/** A test app that targets the documented API, chosen explicitly (the default is the newest release). */
export function documentedApp(props?: AppProps): App {
  const app = Testing.app(props);
  OmniaTarget.use(app, OmniaApiTarget.DOCUMENTED);
  return app;
}

/** A chart of a documented-API app. */
export function newChart(namespace: string | undefined = 'agents'): Chart {
  return new Chart(documentedApp(), 'test', { namespace });
}

/** The synthesized objects of `kind` in the chart. */
export function objectsOf(chart: Chart, kind: string): any[] {
  return Testing.synth(chart).filter((o) => o.kind === kind);
}

export function onlyOf(chart: Chart, kind: string): any {
  const found = objectsOf(chart, kind);
  if (found.length !== 1) throw new Error(`expected one ${kind}, found ${found.length}`);
  return found[0];
}

/** An OpenAI Provider of `model` in the chart, made once per model. */
export function openai(chart: Chart, model = 'gpt-4o'): Provider {
  const existing = chart.node.tryFindChild(`Provider${model}`);
  if (existing) return existing as Provider;
  return providerOf(chart, `Provider${model}`, ProviderType.OPENAI, model, SecretKey.of(kplus.Secret.fromSecretName(chart, `Key${model}`, 'openai'), 'api-key'));
}

/** A Provider reading its API key from `key`. */
export function providerOf(scope: Construct, id: string, type: ProviderType, model: string, key: SecretKey, name?: string): Provider {
  return new Provider(scope, id, { metadata: name ? { name } : undefined, type, model, credential: ProviderCredential.fromSecretKey(key) });
}

export function externalPack(chart: Chart) {
  return PromptPack.fromName(chart, 'ExternalPack', 'prompts');
}
