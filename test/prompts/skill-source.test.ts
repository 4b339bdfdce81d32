import * as path from 'path';
import { Chart, Duration, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { OmniaApiTarget, OmniaSchema, PromptPack, SkillOrigin, SkillSelector, SkillSource } from '../../lib';
import { newChart } from '../util';

const PACK = path.join(__dirname, '..', '..', 'examples', 'prompts', 'support-release.json');
const NS = 'skills';
const releaseChart = () => new Chart(Testing.app(), 'test', { namespace: NS });
const byKind = (chart: Chart, kind: string) => Testing.synth(chart).filter((o) => o.kind === kind);

describe('SkillSource', () => {
  test('from a ConfigMap, with the defaults written out', () => {
    const chart = releaseChart();
    const files = kplus.ConfigMap.fromConfigMapName(chart, 'Files', 'skill-files');
    new SkillSource(chart, 'Skills', { metadata: { name: 'support' }, origin: SkillOrigin.configMap(files) });
    const [source] = byKind(chart, 'SkillSource');
    expect(source.spec).toEqual({ type: 'configmap', configMap: { name: 'skill-files' }, interval: '1h', timeout: '1m', suspend: false, createVersionOnSync: true });
    expect(source.metadata.labels['app.kubernetes.io/name']).toBe('skillsource');
    expect(OmniaSchema.validateFor(source, OmniaApiTarget.V0_9_0_BETA_17)).toEqual([]);
  });

  test('from git and oci, with their credentials Secret by name (the operator reads its protocol keys)', () => {
    const chart = releaseChart();
    new SkillSource(chart, 'Git', {
      metadata: { name: 'git' },
      origin: SkillOrigin.git({ url: 'ssh://git.example.com/skills.git', tag: 'v2.0.0', path: 'skills', credentials: kplus.Secret.fromSecretName(chart, 'Deploy', 'deploy-key') }),
      interval: Duration.minutes(10), timeout: Duration.minutes(5), suspend: true, targetPath: 'skills/team', createVersionOnSync: false,
      filter: { include: ['team/*'], exclude: ['team/old/*'], names: ['refunds'] },
    });
    new SkillSource(chart, 'Oci', { metadata: { name: 'oci' }, origin: SkillOrigin.oci({ url: 'oci://ghcr.io/acme/skills:1.0.0', insecure: true }) });
    const [git, oci] = byKind(chart, 'SkillSource');
    expect(git.spec).toEqual({
      type: 'git', git: { url: 'ssh://git.example.com/skills.git', ref: { tag: 'v2.0.0' }, path: 'skills', secretRef: { name: 'deploy-key' } },
      interval: '10m', timeout: '5m', suspend: true, targetPath: 'skills/team', createVersionOnSync: false,
      filter: { include: ['team/*'], exclude: ['team/old/*'], names: ['refunds'] },
    });
    expect(oci.spec).toEqual({ type: 'oci', oci: { url: 'oci://ghcr.io/acme/skills:1.0.0', insecure: true }, interval: '1h', timeout: '1m', suspend: false, createVersionOnSync: true });
  });

  test.each<[string, (c: Chart) => SkillOrigin, any, string]>([
    ['a git URL without a scheme', () => SkillOrigin.git({ url: 'git.example.com/skills' }), {}, 'origin: git.url: "git.example.com/skills" is not an https://, http:// or ssh:// URL'],
    ['a branch and a tag', () => SkillOrigin.git({ url: 'https://g/s', branch: 'main', tag: 'v1' }), {}, 'origin: git.tag: give one of branch, tag and commit, not branch and tag'],
    ['a commit that is no SHA', () => SkillOrigin.git({ url: 'https://g/s', commit: 'HEAD~1' }), {}, 'origin: git.commit: "HEAD~1" is not a commit SHA'],
    ['a path leaving the repository', () => SkillOrigin.git({ url: 'https://g/s', path: '../etc' }), {}, 'origin: git.path: "../etc" must be a relative path'],
    ['an oci URL of another scheme', () => SkillOrigin.oci({ url: 'https://ghcr.io/x' }), {}, 'origin: oci.url: "https://ghcr.io/x" is not an oci:// URL'],
    ['an absolute target path', (c) => SkillOrigin.configMap(kplus.ConfigMap.fromConfigMapName(c, 'C', 'c')), { targetPath: '/skills' }, 'targetPath: "/skills" must be a relative path'],
    ['an empty filter entry', (c) => SkillOrigin.configMap(kplus.ConfigMap.fromConfigMapName(c, 'C', 'c')), { filter: { names: [''] } }, 'filter.names: entries must be non-empty'],
    ['credentials in another namespace', (c) => SkillOrigin.oci({ url: 'oci://r/s', credentials: new kplus.Secret(c, 'Creds', { metadata: { name: 'creds', namespace: 'other' } }) }), {},
      'origin: Secret other/creds is not in the SkillSource\'s namespace (skills), where the operator reads it'],
  ])('%s', (_name, origin, extra, message) => {
    const chart = releaseChart();
    expect(() => new SkillSource(chart, 'Skills', { metadata: { name: 's' }, origin: origin(chart), ...extra })).toThrow(`test/Skills: SkillSource ${NS}/s: ${message}`);
  });

  test('the documented API has no SkillSource', () => {
    const chart = newChart();
    expect(() => new SkillSource(chart, 'Skills', { metadata: { name: 's' }, origin: SkillOrigin.oci({ url: 'oci://r/s' }) }))
      .toThrow('test/Skills: SkillSource agents/s: kind: a SkillSource: the documented API has no equivalent');
    expect(() => SkillSource.fromSkillSourceName(chart, 'Shared', 'shared')).toThrow('the documented API has no equivalent');
  });
});

describe('PromptPack skills', () => {
  test('skills from SkillSources of the app and outside it, and the skills config', () => {
    const chart = releaseChart();
    const local = new SkillSource(chart, 'Skills', { metadata: { name: 'support-skills' }, origin: SkillOrigin.oci({ url: 'oci://r/s:1' }) });
    const pack = PromptPack.fromFile(chart, 'Pack', { metadata: { name: 'support' }, file: PACK, skills: [{ source: local, include: ['refunds'], mountAs: 'support' }], maxActiveSkills: 2 });
    pack.addSkills(SkillSource.fromSkillSourceName(chart, 'Shared', 'shared-skills'));
    const [manifest] = byKind(chart, 'PromptPack');
    expect(manifest.spec).toEqual({
      version: '1.0.0', source: { type: 'configmap', configMapRef: { name: 'support-pack' } },
      skills: [{ source: 'support-skills', include: ['refunds'], mountAs: 'support' }, { source: 'shared-skills' }],
      skillsConfig: { maxActive: 2, selector: 'model-driven' },
    });
    expect(OmniaSchema.validateFor(manifest, OmniaApiTarget.V0_9_0_BETA_17)).toEqual([]);
  });

  test('a pack without skills writes neither field', () => {
    const chart = releaseChart();
    PromptPack.fromFile(chart, 'Pack', { metadata: { name: 'support' }, file: PACK });
    const [manifest] = byKind(chart, 'PromptPack');
    expect(Object.keys(manifest.spec).sort()).toEqual(['source', 'version']);
  });

  test('a SkillSource the app does not define fails at synth, saying how to declare it', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'test', { namespace: NS });
    const elsewhere = new Chart(app, 'elsewhere', { namespace: NS });
    const source = new SkillSource(elsewhere, 'Skills', { metadata: { name: 'kept' }, origin: SkillOrigin.oci({ url: 'oci://r/s:1' }) });
    const pack = PromptPack.fromFile(chart, 'Pack', { metadata: { name: 'support' }, file: PACK, skills: [{ source }] });
    expect(() => app.synth()).not.toThrow();
    // A source named but defined nowhere.
    const app2 = Testing.app();
    const chart2 = new Chart(app2, 'test', { namespace: NS });
    PromptPack.fromFile(chart2, 'Pack', { metadata: { name: 'support' }, file: PACK, skills: [{ source: { name: 'missing', node: pack.node } as any }] });
    expect(() => app2.synth()).toThrow(/spec\.skills\[0\]\.source: SkillSource skills\/missing is not defined in the app; define it, or declare it as external with SkillSource\.fromSkillSourceName\(scope, id, "missing"\)/);
  });

  test.each<[string, (c: Chart) => any, string]>([
    ['a source in another namespace', (c) => ({ skills: [{ source: new SkillSource(c, 'Other', { metadata: { name: 'o', namespace: 'other' }, origin: SkillOrigin.oci({ url: 'oci://r/s' }) }) }] }),
      'skills[0].source: SkillSource other/o is not in the pack\'s namespace (skills)'],
    ['mountAs that is no DNS label', (c) => ({ skills: [{ source: SkillSource.fromSkillSourceName(c, 'S', 's'), mountAs: 'Support_Skills' }] }), 'skills[0].mountAs: "Support_Skills" must be lowercase letters'],
    ['a skill named twice', (c) => ({ skills: [{ source: SkillSource.fromSkillSourceName(c, 'S', 's'), include: ['a', 'a'] }] }), 'skills[0].include: names a skill twice'],
    ['maxActiveSkills of 0', () => ({ maxActiveSkills: 0 }), 'maxActiveSkills: must be a whole number of at least 1, got 0'],
  ])('%s', (_name, props, message) => {
    const chart = releaseChart();
    expect(() => PromptPack.fromFile(chart, 'Pack', { metadata: { name: 'p' }, file: PACK, ...props(chart) })).toThrow(message);
  });

  test('a version the release refuses: no \'-\' inside a pre-release identifier', () => {
    const chart = releaseChart();
    const configMap = kplus.ConfigMap.fromConfigMapName(chart, 'Cm', 'cm');
    expect(() => new PromptPack(chart, 'Pack', { metadata: { name: 'p' }, packName: 'p', version: '1.0.0-rc-1', configMap }))
      .toThrow('test/Pack: PromptPack skills/p: version: "1.0.0-rc-1" is not a semantic version such as 1.2.0 or v1.2.0 (the release allows no \'-\' inside a pre-release or build identifier)');
    expect(() => new PromptPack(chart, 'Pack2', { metadata: { name: 'p2' }, packName: 'p', version: '1.0.0-rc.1', configMap })).not.toThrow();
  });

  test('a skills config without skills fails at synth', () => {
    const chart = releaseChart();
    PromptPack.fromFile(chart, 'Pack', { metadata: { name: 'p' }, file: PACK, skillSelector: SkillSelector.EMBEDDING });
    expect(() => Testing.synth(chart)).toThrow('skillSelector: a pack without skills has no skills to configure');
  });

  test('the documented API refuses skills and the skills config', () => {
    const chart = newChart();
    expect(() => PromptPack.fromFile(chart, 'Pack', { metadata: { name: 'p' }, file: PACK, maxActiveSkills: 3 }))
      .toThrow('test/Pack: PromptPack agents/p: maxActiveSkills: a skills config: the documented API has no equivalent');
  });
});
