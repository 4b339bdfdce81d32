import * as path from 'path';
import * as kplus from 'cdk8s-plus-28';
import { Node } from 'constructs';
import { l1, OmniaApiTarget, OmniaSchema, PromptPack, Rollout } from '../../lib';
import { newChart, objectsOf, onlyOf } from '../util';

const packs = path.join(__dirname, '..', 'fixtures', 'packs');
const packFile = (name: string) => path.join(packs, name);

describe('PromptPack from a ConfigMap the user already has', () => {
  test('writes packName, version, the ConfigMap reference and the default rollout', () => {
    const chart = newChart();
    new PromptPack(chart, 'Pack', {
      metadata: { name: 'support' },
      packName: 'support', version: 'v1.0.0', configMap: kplus.ConfigMap.fromConfigMapName(chart, 'Cm', 'support-pack'),
    });
    const pack = onlyOf(chart, 'PromptPack');
    expect(pack.spec).toEqual({
      packName: 'support',
      version: 'v1.0.0',
      source: { type: 'configmap', configMapRef: { name: 'support-pack', key: 'pack.json' } },
      rollout: { type: 'immediate' },
    });
    expect(OmniaSchema.applyDefaultsFor(pack, OmniaApiTarget.DOCUMENTED)).toEqual(pack);
  });

  test('key and canary rollout', () => {
    const chart = newChart();
    new PromptPack(chart, 'Pack', {
      packName: 'support', version: '1.0.0', key: 'compiled.json', rollout: Rollout.canary(25),
      configMap: kplus.ConfigMap.fromConfigMapName(chart, 'Cm', 'cm'),
    });
    const { spec } = onlyOf(chart, 'PromptPack');
    expect(spec.source.configMapRef.key).toBe('compiled.json');
    expect(spec.rollout).toEqual({ type: 'canary', canary: { weight: 25 } });
  });

  test.each<[string, any, string]>([
    ['empty packName', { packName: '' }, 'test/Pack: PromptPack agents/test-pack-c88c126e: packName: must be a non-empty string'],
    ['version 1.0', { version: '1.0' }, 'test/Pack: PromptPack agents/test-pack-c88c126e: version: "1.0" is not a semantic version'],
    ['bad key', { key: 'pack json' }, 'test/Pack: PromptPack agents/test-pack-c88c126e: key: "pack json" is not a valid ConfigMap key'],
  ])('rejects %s', (_n, override, message) => {
    const chart = newChart();
    const configMap = kplus.ConfigMap.fromConfigMapName(chart, 'Cm', 'cm');
    expect(() => new PromptPack(chart, 'Pack', { packName: 'p', version: '1.0.0', configMap, ...override })).toThrow(message);
  });

  test.each([101, -1, 2.5])('rejects canary weight %d', (weight) => {
    expect(() => Rollout.canary(weight)).toThrow(`weight must be a whole percentage from 0 to 100, got ${weight}`);
  });
});

describe('PromptPack.fromFile', () => {
  test('creates the ConfigMap with the file under pack.json and takes id and version from it', () => {
    const chart = newChart();
    const pack = PromptPack.fromFile(chart, 'Pack', { metadata: { name: 'support' }, file: packFile('valid.json') });
    const [configMap] = objectsOf(chart, 'ConfigMap');
    const cr = onlyOf(chart, 'PromptPack');
    expect(configMap.metadata.name).toBe('support-pack');
    expect(configMap.metadata.namespace).toBe('agents');
    expect(JSON.parse(configMap.data['pack.json']).id).toBe('support');
    expect(cr.spec.packName).toBe('support');
    expect(cr.spec.version).toBe('2.1.0');
    expect(cr.spec.source.configMapRef).toEqual({ name: 'support-pack', key: 'pack.json' });
    expect(pack.packName).toBe('support');
    expect(configMap.metadata.labels['app.kubernetes.io/part-of']).toBe('omnia');
  });

  test('fromDirectory reads pack.json of the folder', () => {
    const chart = newChart();
    PromptPack.fromDirectory(chart, 'Pack', { directory: path.join(packs, 'dir') });
    expect(onlyOf(chart, 'PromptPack').spec.version).toBe('2.1.0');
  });

  test.each<[string, string]>([
    ['broken.json', 'is not valid JSON'],
    ['no-id.json', 'lacks "id"'],
    ['no-version.json', 'lacks "version"'],
    ['no-prompts.json', 'lacks "prompts"'],
    ['missing.json', 'cannot be read'],
  ])('%s fails naming the file and the problem', (file, problem) => {
    const chart = newChart();
    expect(() => PromptPack.fromFile(chart, 'Pack', { file: packFile(file) })).toThrow(`test/Pack: PromptPack agents/?: file: ${packFile(file)} ${problem}`);
  });

  test('a packName or version that contradicts the file fails', () => {
    const chart = newChart();
    expect(() => PromptPack.fromFile(chart, 'A', { file: packFile('valid.json'), packName: 'other' }))
      .toThrow('packName "other" differs from the pack\'s id "support"');
    expect(() => PromptPack.fromFile(chart, 'B', { file: packFile('valid.json'), version: '9.9.9' }))
      .toThrow('version "9.9.9" differs from the pack\'s version "2.1.0"');
  });
});

test('fromName synthesizes nothing and carries name and namespace', () => {
  const chart = newChart();
  const ref = PromptPack.fromName(chart, 'Ext', 'shared', 'platform');
  expect([ref.name, ref.namespace]).toEqual(['shared', 'platform']);
  expect(objectsOf(chart, 'PromptPack')).toEqual([]);
});

test('the L1 object is the default child', () => {
  const chart = newChart();
  const pack = PromptPack.fromFile(chart, 'Pack', { file: packFile('valid.json') });
  expect(Node.of(pack).defaultChild).toBeInstanceOf(l1.PromptPack);
});
