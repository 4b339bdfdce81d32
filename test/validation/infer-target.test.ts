// The CLI's target inference (lib/validation/infer-target.ts): the pure weighing, the observations made of
// manifests and CRDs, and the skim of YAML that stands in for a full read.
import * as Yaml from 'yaml';
import { OmniaApiTarget } from '../../lib';
import { crdsFor } from '../../lib/validation/crds';
import { inferTarget, observe, observeUnits, skimYaml, TargetObservation, TargetShape, targetShapes } from '../../lib/validation/infer-target';
import { readUnit, splitManifestText } from '../../lib/validation/read-manifests';
import { productionAgent, promptPack, toolRegistry } from './fixtures';

const RELEASE = OmniaApiTarget.V0_9_0_BETA_17;
const DOCUMENTED = OmniaApiTarget.DOCUMENTED;
const API = 'omnia.altairalabs.ai/v1alpha1';

/** Two targets, small enough to read: the documented one has no Provider; their AgentRuntimes differ. */
const shapes: TargetShape[] = [
  { target: DOCUMENTED, kinds: new Map([['AgentRuntime', new Set(['facade', 'provider', 'promptPackRef'])], ['PromptPack', new Set(['version', 'source', 'rollout'])]]) },
  { target: RELEASE, kinds: new Map([['AgentRuntime', new Set(['facades', 'providers', 'promptPackRef'])], ['PromptPack', new Set(['version', 'source'])], ['Provider', new Set(['type', 'model'])]]) },
];
const obs = (kind: string, specKeys: string[], label = `${kind} ns/x`, crd = false): TargetObservation => ({ kind, specKeys, label, crd });

describe('inferTarget', () => {
  test('nothing that tells the targets apart: the fallback, and the reason says so', () => {
    for (const input of [[], [obs('PromptPack', ['version', 'source'])], [obs('Unknown', ['a'])], [obs('AgentRuntime', ['promptPackRef'])]]) {
      expect(inferTarget(input, shapes, RELEASE)).toEqual({
        target: RELEASE, source: 'default', reason: 'the default, as nothing in the input tells the targets apart; pass --target to choose',
      });
    }
    // The fallback is the caller's.
    expect(inferTarget([], shapes, DOCUMENTED).target).toBe(DOCUMENTED);
  });

  test('a kind only one target serves', () => {
    expect(inferTarget([obs('PromptPack', ['version']), obs('Provider', ['type'], 'Provider a/claude at f.yaml:3')], shapes, DOCUMENTED)).toEqual({
      target: RELEASE, source: 'inferred', reason: `inferred from Provider a/claude at f.yaml:3 (only ${RELEASE} serves Provider)`,
    });
  });

  test('spec fields only one target knows, named in the reason; only the objects that spoke are counted', () => {
    const choice = inferTarget([obs('AgentRuntime', ['facade', 'provider', 'promptPackRef'], 'AgentRuntime a/one'), obs('PromptPack', ['version']), obs('AgentRuntime', ['facade'])], shapes, RELEASE);
    expect(choice).toEqual({
      target: DOCUMENTED, source: 'inferred', reason: 'inferred from AgentRuntime a/one (only documented knows spec.facade, spec.provider) and 1 more object(s)',
    });
    // A misspelt field does not hide what the rest says: the release knows more of these keys.
    expect(inferTarget([obs('AgentRuntime', ['facades', 'providers', 'facadez'])], shapes, DOCUMENTED)).toMatchObject({ target: RELEASE, source: 'inferred' });
  });

  test('a CRD installs the target whose kind it matches, both ways', () => {
    const documentedCrd = obs('AgentRuntime', ['facade', 'provider', 'promptPackRef'], 'CustomResourceDefinition agentruntimes.omnia.altairalabs.ai', true);
    expect(inferTarget([documentedCrd], shapes, RELEASE)).toEqual({
      target: DOCUMENTED, source: 'inferred', reason: 'inferred from CustomResourceDefinition agentruntimes.omnia.altairalabs.ai (its AgentRuntime is the one of documented)',
    });
    // A PromptPack CRD without rollout is the release's, though an object without it would fit both.
    expect(inferTarget([obs('PromptPack', ['version', 'source'], 'CRD', true)], shapes, DOCUMENTED).target).toBe(RELEASE);
    expect(inferTarget([obs('PromptPack', ['version', 'source'])], shapes, DOCUMENTED).source).toBe('default');
    expect(inferTarget([obs('Provider', ['type', 'model'], 'CRD providers', true)], shapes, DOCUMENTED).reason).toBe(`inferred from CRD providers (only ${RELEASE} serves Provider)`);
  });

  test('a mixed input falls back, naming an object of each side', () => {
    const choice = inferTarget([obs('AgentRuntime', ['facade'], 'AgentRuntime a/doc'), obs('PromptPack', ['version']), obs('Provider', ['type'], 'Provider a/rel')], shapes, RELEASE);
    expect(choice).toEqual({
      target: RELEASE, source: 'default',
      reason: `the default, as the input is mixed: AgentRuntime a/doc (only documented knows spec.facade) but Provider a/rel (only ${RELEASE} serves Provider); pass --target to choose`,
    });
  });

  test('with the real CRDs of both targets', () => {
    const real = targetShapes();
    expect(real.map((s) => s.target).sort()).toEqual([DOCUMENTED, RELEASE].sort());
    const releaseAgent = { apiVersion: API, kind: 'AgentRuntime', metadata: { name: 'a' }, spec: { facades: [{ type: 'websocket' }], providers: [{ name: 'p', providerRef: { name: 'p' } }], promptPackRef: { name: 'p' } } };
    expect(inferTarget(observe(releaseAgent), real, DOCUMENTED)).toMatchObject({ target: RELEASE, reason: expect.stringContaining(`only ${RELEASE} knows spec.facades, spec.providers`) });
    expect(inferTarget([productionAgent(), promptPack(), toolRegistry()].flatMap((m) => observe(m)), real, RELEASE)).toMatchObject({ target: DOCUMENTED, source: 'inferred' });
    // Each target's own CRDs, as an install writes them beside the objects.
    expect(inferTarget(crdsFor(DOCUMENTED).flatMap((c) => observe(c)), real, RELEASE)).toMatchObject({ target: DOCUMENTED, source: 'inferred' });
    expect(inferTarget(crdsFor(RELEASE).flatMap((c) => observe(c)), real, DOCUMENTED)).toMatchObject({ target: RELEASE, source: 'inferred' });
    // PromptPack and ToolRegistry objects written for both: nothing told.
    const neutral = [{ ...promptPack(), spec: { version: '1.0.0', source: promptPack().spec.source } }, toolRegistry()];
    expect(inferTarget(neutral.flatMap((m) => observe(m)), real, RELEASE).source).toBe('default');
  });
});

describe('observe', () => {
  test('Omnia objects, the items of lists (bare ones take the list\'s kind), Omnia CRDs; nothing else', () => {
    expect(observe({ apiVersion: API, kind: 'Provider', metadata: { name: 'p', namespace: 'n' }, spec: { type: 'claude' } }, 'f.yaml', 4))
      .toEqual([{ kind: 'Provider', specKeys: ['type'], label: 'Provider n/p at f.yaml:4' }]);
    expect(observe({ apiVersion: API, kind: 'ProviderList', items: [{ metadata: { name: 'a' }, spec: { model: 'm' } }, { apiVersion: 'v1', kind: 'ConfigMap' }] }))
      .toEqual([{ kind: 'Provider', specKeys: ['model'], label: 'Provider a' }]);
    const crd = crdsFor(DOCUMENTED).find((c) => c.spec.names.kind === 'PromptPack');
    expect(observe(crd, 'crds.yaml', 1)).toEqual([{ kind: 'PromptPack', specKeys: ['packName', 'version', 'source', 'rollout'], crd: true, label: 'CustomResourceDefinition promptpacks.omnia.altairalabs.ai at crds.yaml:1' }]);
    expect(observe({ ...crd, spec: { ...crd.spec, group: 'example.com' } })).toEqual([]);
    expect(observe({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' } })).toEqual([]);
    expect(observe('text')).toEqual([]);
  });

  test('units: only those naming the Omnia group are looked at; JSON is read in full', () => {
    const units = [
      ...splitManifestText('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n---\napiVersion: omnia.altairalabs.ai/v1alpha1\nkind: Provider\nmetadata:\n  name: p\nspec:\n  type: claude\n', 'a.yaml'),
      ...splitManifestText(JSON.stringify({ apiVersion: API, kind: 'AgentRuntime', metadata: { name: 'j' }, spec: { facade: {} } }), 'b.json'),
    ];
    expect(observeUnits(units)).toEqual([
      { kind: 'Provider', specKeys: ['type'], label: 'Provider p at a.yaml:6' },
      { kind: 'AgentRuntime', specKeys: ['facade'], label: 'AgentRuntime j at b.json:1' },
    ]);
  });
});

describe('skimYaml', () => {
  /** What reading the document in full makes of it. */
  const read = (text: string) => {
    const [o] = readUnit({ text, line: 1, document: 1, json: false }).objects;
    const m = o.manifest;
    return { apiVersion: m.apiVersion, kind: m.kind, name: m.metadata?.name, namespace: m.metadata?.namespace, specKeys: Object.keys(m.spec ?? {}) };
  };

  test('plain block YAML: the same as a full read', () => {
    const written = [productionAgent(), promptPack(), toolRegistry()].map((m) => Yaml.stringify(m));
    const byHand = [
      '# an agent\napiVersion: "omnia.altairalabs.ai/v1alpha1"   # quoted\nkind: \'AgentRuntime\'\r\nmetadata:\r\n    name: a   # comment\r\n    labels:\r\n        x: y\r\nspec:\r\n    "facade":\r\n      type: websocket\r\n    provider: {name: openai}\r\n\r\n    promptPackRef: &ref\r\n      name: p\r\n',
      'apiVersion: omnia.altairalabs.ai/v1alpha1\nkind: PromptPack\nmetadata:\n  name: p\nspec:\n  version: 1.0.0\n  description: |\n    text\n      more\n  source:\n    type: configmap\nstatus:\n  phase: Active\n',
      // Duplicate keys: the last wins, as kubectl reads them.
      'apiVersion: omnia.altairalabs.ai/v1alpha1\nkind: Provider\nkind: AgentRuntime\nspec:\n  a: 1\nspec:\n  facades: []\n  providers: []\n  facades: []\n',
      'apiVersion: omnia.altairalabs.ai/v1alpha1\nkind: AgentRuntime\nmetadata:\nspec:\n',
    ];
    for (const text of [...written, ...byHand]) {
      const skimmed = skimYaml(text);
      expect(skimmed).toBeDefined();
      expect(skimmed).toEqual(read(text));
    }
  });

  test('anything else is left to a full read', () => {
    const head = 'apiVersion: omnia.altairalabs.ai/v1alpha1\nkind: AgentRuntime\n';
    for (const text of [
      `${head}spec: {facade: {}}\n`, // a flow mapping
      `${head}spec: &s\n  facade: {}\n`, // an anchor
      `${head}spec:\n  <<: *s\n`, // a merge
      `${head}spec:\n  - facade\n`, // not a mapping
      `${head}spec:\n    facade: {}\n  provider: {}\n`, // indentation that goes back
      `${head}spec:\n\tfacade: {}\n`, // a tab
      `${head}"spec":\n  facade: {}\n`, // a quoted top-level key
      'apiVersion: omnia.altairalabs.ai/v1alpha1\nkind: Agent\n  Runtime\n', // a kind on two lines
      'apiVersion: omnia.altairalabs.ai/v1alpha1\nkind: !!str AgentRuntime\n', // a tag
      'apiVersion: v1\nkind: List\nitems: []\n',
      'apiVersion: omnia.altairalabs.ai/v1alpha1\nkind: AgentRuntimeList\n',
      'apiVersion: v1\nkind: Secret\nitems:\n- a\n',
      'apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\n',
      `${head}--- x\n`,
      '{"apiVersion": "v1"}\n',
      'kind: AgentRuntime\n', // no apiVersion
    ]) {
      expect(skimYaml(text)).toBeUndefined();
    }
  });

  test('what the skim leaves is still observed, by a full read', () => {
    const [unit] = splitManifestText('apiVersion: omnia.altairalabs.ai/v1alpha1\nkind: AgentRuntime\nmetadata: {name: a}\nspec: {facades: [], providers: []}\n', 'f.yaml');
    expect(skimYaml(unit.text)).toBeUndefined();
    expect(observeUnits([unit])).toEqual([{ kind: 'AgentRuntime', specKeys: ['facades', 'providers'], label: 'AgentRuntime a at f.yaml:1' }]);
  });
});
