// An app whose strings hold every form of `{{` that Helm reads as a template action, in objects of every
// origin: a PromptPack on a ConfigMap of the user's, env values, a tool description and schema keys, a JSON
// patch, and an object this library knows nothing of. scripts/check-helm.sh writes it as a Helm chart and
// checks that `helm template` renders exactly the objects of its plain synth.
import { ApiObject, App, Chart, JsonPatch } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { AgentRuntime, OmniaApiTarget, OmniaHelm, OmniaHelmResolver, OmniaTarget, PromptPack, Provider, ProviderCredential, ProviderType, SecretKey, ToolHandler, ToolRegistry } from '../../lib';

/** Texts Helm would not render as themselves, each with the reason. */
export const ODD_TEXTS: { [why: string]: string } = {
  'variables': 'Hello {{name}}, order {{ order_id }} ships on {{date}}.',
  'a brace more': '{{{triple}}} and {{{{four}}}}',
  'trim markers': '{{- trimmed -}} and {{-}}',
  'a comment': '{{/* not a comment here */}}',
  'Helm functions': '{{ .Values.image | quote }} {{ include "x" . }} {{ template "y" }}',
  'already escaped, quoted': '{{ "{{" }} stays as written',
  'already escaped, raw': '{{`{{`}} stays as written',
  'delimiters alone': '}} then {{ and an open {{',
  'at the ends': '{{',
  'multi-line': 'line one {{a}}\n{{b}} line two\n  {{ c }}  \nlast {{d}}',
};

export function addEscapesChart(app: App): Chart {
  const chart = new Chart(app, 'helm-escapes', { namespace: 'escapes' });
  const texts = Object.values(ODD_TEXTS);
  const prompts: { [id: string]: any } = {};
  texts.forEach((t, i) => {
    prompts[`p${i}`] = { id: `p${i}`, name: `Prompt ${i}`, version: '1.0.0', system_template: t, variables: [], tools: [], parameters: {} };
  });
  const pack = { id: 'escapes', name: 'Escapes', version: '1.0.0', template_engine: { version: 'v1', syntax: '{{variable}}' }, prompts };
  const configMap = new kplus.ConfigMap(chart, 'PackData', { metadata: { name: 'escapes-pack' }, data: { 'pack.json': JSON.stringify(pack, null, 2) } });
  const promptPack = new PromptPack(chart, 'Pack', { metadata: { name: 'escapes' }, packName: 'escapes', version: '1.0.0', configMap, key: 'pack.json' });

  const apiKey = SecretKey.of(kplus.Secret.fromSecretName(chart, 'Key', 'llm-credentials'), 'api-key');
  const env: { [name: string]: kplus.EnvValue } = {};
  texts.forEach((t, i) => { env[`ODD_${i}`] = kplus.EnvValue.fromValue(t); });
  const tools = new ToolRegistry(chart, 'Tools', {
    metadata: { name: 'escapes-tools' },
    handlers: [ToolHandler.grpc({
      name: 'kb',
      endpoint: 'kb.escapes.svc:9090',
      tool: { name: 'search', description: ODD_TEXTS.variables, inputSchema: { type: 'object', properties: { '{{query}}': { type: 'string', description: ODD_TEXTS['trim markers'] } } } },
    })],
  });
  new AgentRuntime(chart, 'Agent', {
    metadata: { name: 'escapes' },
    provider: new Provider(chart, 'Provider', { type: ProviderType.CLAUDE, model: 'claude-sonnet-4', credential: ProviderCredential.fromSecretKey(apiKey) }),
    promptPack,
    toolRegistry: tools,
    env,
  });

  // An object this library knows nothing of, with `{{` in values (the app's resolver escapes them), and in
  // a key and values set by JSON patches, which no resolver sees: written with OmniaHelm.textFor.
  const thing = new ApiObject(chart, 'Thing', {
    apiVersion: 'example.com/v1',
    kind: 'Thing',
    metadata: { name: 'thing', annotations: { 'example.com/note': ODD_TEXTS['a brace more'] } },
  });
  const text = (t: string) => OmniaHelm.textFor(thing, t);
  thing.addJsonPatch(JsonPatch.add('/spec', { [text('{{key}}')]: text(ODD_TEXTS['already escaped, quoted']), 'list': texts.map(text) }));
  thing.addJsonPatch(JsonPatch.add('/spec/patched', text(ODD_TEXTS['delimiters alone'])));
  return chart;
}

/** The app as a user writes it: with the resolver that escapes other objects' values for Helm; for the documented API. */
export function newApp(outdir?: string): App {
  const app = new App({ outdir, resolvers: [new OmniaHelmResolver()] });
  OmniaTarget.use(app, OmniaApiTarget.DOCUMENTED);
  return app;
}

if (require.main === module) {
  const app = newApp();
  addEscapesChart(app);
  app.synth();
}
