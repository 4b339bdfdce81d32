// The release target: the artifacts the build derives from the Omnia Go module, the schema checks against
// the release's CRDs, the references of its shape, and the target as the CLI and the plugin take it.
import { spawnSync } from 'child_process';
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { isDeepStrictEqual } from 'util';
import * as Yaml from 'yaml';
import { FindingCheck, OmniaApiTarget, OmniaSchema, validateManifests } from '../../lib';
import { OMNIA_MODULE, OMNIA_RELEASE } from '../../lib/api';
import { ExitCode, main } from '../../lib/cli';
import {
  findCrdVersion, omniaCrds, precompiledValidator, RELEASE_CRD_PLURALS, RELEASE_ENTERPRISE_PLURALS, RELEASE_PRECOMPILED_PLURALS,
  releaseCrds, releaseCrdsArtifact, releaseRbac,
} from '../../lib/validation/crds';
import { readManifests } from '../../lib/validation/read-manifests';
import { referenceFindings } from '../../lib/validation/references';
import { documentLines } from './field-place';

const RELEASE = OmniaApiTarget.V0_9_0_BETA_17;
const API = 'omnia.altairalabs.ai/v1alpha1';
const NS = 'release-agents';
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'release-test-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** The module as the Go toolchain has it: downloaded (or taken from Go's cache) now, as the build does. */
function moduleDownload(): { Dir: string; Sum: string } {
  const command = ['mod', 'download', '-json', `${OMNIA_MODULE}@${OMNIA_RELEASE}`];
  const result = spawnSync('go', command, { cwd: os.tmpdir(), encoding: 'utf8', timeout: 120_000 });
  if (result.error || result.status !== 0) {
    throw new Error(`\`go ${command.join(' ')}\` failed: ${result.error?.message ?? (result.stdout + result.stderr).trim()}`);
  }
  return JSON.parse(result.stdout);
}

// --- Objects of the release's shape.

function agent(mutate: (spec: any, obj: any) => void = () => {}): any {
  const obj = {
    apiVersion: API, kind: 'AgentRuntime', metadata: { name: 'support', namespace: NS },
    spec: {
      facades: [{ type: 'websocket', port: 8080 }],
      providers: [{ name: 'main', providerRef: { name: 'claude' } }],
      promptPackRef: { name: 'support-prompts' },
      toolRegistryRef: { name: 'tools' },
      context: { type: 'redis', ttl: '1h', storeRef: { name: 'redis' } },
      runtime: { replicas: 2, resources: { requests: { cpu: '100m', memory: '128Mi' } }, extraEnv: [{ name: 'LOG_LEVEL', value: 'debug' }] },
    },
  };
  mutate(obj.spec, obj);
  return obj;
}

function provider(mutate: (spec: any) => void = () => {}): any {
  const obj = {
    apiVersion: API, kind: 'Provider', metadata: { name: 'claude', namespace: NS },
    spec: { type: 'claude', model: 'claude-sonnet-4', credential: { secretRef: { name: 'anthropic', key: 'api-key' } } },
  };
  mutate(obj.spec);
  return obj;
}

function promptPack(mutate: (spec: any) => void = () => {}): any {
  const obj = {
    apiVersion: API, kind: 'PromptPack', metadata: { name: 'support-prompts', namespace: NS },
    spec: { version: '1.0.0', source: { type: 'configmap', configMapRef: { name: 'support-pack' } } },
  };
  mutate(obj.spec);
  return obj;
}

function toolRegistry(mutate: (spec: any) => void = () => {}): any {
  const obj = {
    apiVersion: API, kind: 'ToolRegistry', metadata: { name: 'tools', namespace: NS },
    spec: {
      handlers: [{
        name: 'orders', type: 'http',
        httpConfig: { endpoint: 'http://orders.shop.svc:8080/v1/orders' },
        auth: { type: 'bearer', secretRef: { name: 'tools-token', key: 'token' } },
        tool: { name: 'order_lookup', description: 'Finds an order by id', inputSchema: { type: 'object' } },
      }],
    },
  };
  mutate(obj.spec);
  return obj;
}

const secret = (name: string, data: { [key: string]: string }) => ({ apiVersion: 'v1', kind: 'Secret', metadata: { name, namespace: NS }, stringData: data });
const PACK = JSON.stringify({ id: 'support', version: '1.0.0', prompts: { main: { system_template: 'You help.' } } });
const packConfigMap = (pack = PACK) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'support-pack', namespace: NS }, data: { 'pack.json': pack } });

/** An app of the release's shape whose references all resolve. */
function releaseApp(): any[] {
  return [
    secret('anthropic', { 'api-key': 'x' }), secret('redis', { url: 'redis://redis:6379' }), secret('tools-token', { token: 't' }),
    provider(), packConfigMap(), promptPack(), toolRegistry(), agent(),
  ];
}

describe('the artifacts derived from the Go module', () => {
  const download = moduleDownload();

  test('crds.json holds the CRDs the manager needs, in install order, exactly as the module files read', () => {
    const artifact = releaseCrdsArtifact();
    expect({ module: artifact.module, version: artifact.version, sum: artifact.sum }).toEqual({ module: OMNIA_MODULE, version: OMNIA_RELEASE, sum: download.Sum });
    expect(artifact.crds.map((c) => `${c.plural}${c.enterprise ? ' (enterprise)' : ''}`)).toEqual([
      'agentpolicies', 'agentruntimes', 'memorypolicies', 'promptpacks', 'providers',
      'sessionretentionpolicies', 'skillsources', 'toolpolicies', 'toolregistries', 'workspaces',
      'sessionprivacypolicies (enterprise)', 'rolloutanalyses (enterprise)', 'arenasources (enterprise)',
      'arenatemplatesources (enterprise)', 'arenajobs (enterprise)', 'arenadevsessions (enterprise)',
    ]);
    expect([...RELEASE_CRD_PLURALS, ...RELEASE_ENTERPRISE_PLURALS]).toEqual(artifact.crds.map((c) => c.plural));
    // Every CRD of the module is one of them: the checks know every kind of the release.
    const moduleCrds = fs.readdirSync(path.join(download.Dir, 'config', 'crd', 'bases')).filter((f) => f.endsWith('.yaml'));
    expect(moduleCrds.sort()).toEqual(artifact.crds.map((c) => `omnia.altairalabs.ai_${c.plural}.yaml`).sort());
    for (const entry of artifact.crds) {
      expect(entry.file).toBe(`config/crd/bases/omnia.altairalabs.ai_${entry.plural}.yaml`);
      const text = fs.readFileSync(path.join(download.Dir, entry.file), 'utf8');
      expect(`${entry.plural} ${entry.sha256}`).toBe(`${entry.plural} ${sha256(text)}`);
      // Re-read as kubectl reads it: the JSON is the file, not a rewrite of it.
      const [read] = readManifests(text).objects;
      expect(isDeepStrictEqual(read.manifest, entry.crd)).toBe(true);
      expect(entry.crd.spec.names.plural).toBe(entry.plural);
    }
    expect(releaseCrds().map((c) => c.metadata.name)).toEqual(artifact.crds.map((c) => `${c.plural}.omnia.altairalabs.ai`));
  });

  test('rbac.json holds the rules of the release roles, from files whose sha256 matches the module', () => {
    const rbac = releaseRbac();
    expect(rbac.sum).toBe(download.Sum);
    expect(Object.keys(rbac.roles).sort()).toEqual(['agentWorkspaceReader', 'enterprise', 'leaderElection', 'manager', 'metricsAuth', 'metricsReader']);
    for (const source of rbac.sources) {
      const text = fs.readFileSync(path.join(download.Dir, source.file), 'utf8');
      expect(`${source.file} ${source.sha256}`).toBe(`${source.file} ${sha256(text)}`);
      const object = readManifests(text).objects.map((o) => o.manifest).find((m) => m.kind === source.kind && m.metadata.name === source.name);
      expect(isDeepStrictEqual(object.rules, (rbac.roles as any)[source.role])).toBe(true);
    }
    // What the install builds on: secure metrics, the /metrics reader, no wildcard.
    expect(rbac.roles.metricsAuth).toEqual(expect.arrayContaining([
      expect.objectContaining({ apiGroups: ['authentication.k8s.io'], resources: ['tokenreviews'], verbs: ['create'] }),
      expect.objectContaining({ apiGroups: ['authorization.k8s.io'], resources: ['subjectaccessreviews'], verbs: ['create'] }),
    ]));
    expect(rbac.roles.metricsReader).toEqual([{ nonResourceURLs: ['/metrics'], verbs: ['get'] }]);
    expect(rbac.roles.manager.some((r) => r.apiGroups?.includes('omnia.altairalabs.ai') && r.resources?.includes('providers'))).toBe(true);
    expect(JSON.stringify(rbac.roles)).not.toContain('"*"');
  });

  test('the build precompiled the validators of the kinds the library writes, from the same schemas', () => {
    for (const crd of releaseCrds()) {
      const validator = precompiledValidator(crd, 'v1alpha1', RELEASE);
      expect(`${crd.spec.names.plural}: ${validator ? 'precompiled' : 'compiled on use'}`)
        .toBe(`${crd.spec.names.plural}: ${RELEASE_PRECOMPILED_PLURALS.includes(crd.spec.names.plural) ? 'precompiled' : 'compiled on use'}`);
    }
  });

  test('the NOTICE names the module, the tag and the sum the artifacts were made from', () => {
    const notice = fs.readFileSync(path.join(__dirname, '..', '..', 'NOTICE'), 'utf8');
    for (const fact of ['AltairaLabs', 'Apache License', OMNIA_MODULE, OMNIA_RELEASE, download.Sum, 'not stored in the source repository']) {
      expect(notice).toContain(fact);
    }
    expect(JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8')).files).toEqual(expect.arrayContaining(['NOTICE', 'lib/release/**/*.json']));
  });

  test('a rebuild with the artifacts in place does not derive them again', () => {
    const script = path.join(__dirname, '..', '..', 'scripts', 'fetch-release.js');
    const crdsFile = path.join(__dirname, '..', '..', 'lib', 'release', OMNIA_RELEASE, 'crds.json');
    const before = fs.statSync(crdsFile).mtimeMs;
    const result = spawnSync(process.execPath, [script], { encoding: 'utf8', timeout: 120_000 });
    expect(result.status).toBe(0);
    expect(result.stdout).toContain(`${OMNIA_MODULE}@${OMNIA_RELEASE} (${download.Sum}) artifacts up to date`);
    expect(fs.statSync(crdsFile).mtimeMs).toBe(before);
  });

  test('without Go the script prints the command and the error on one line and fails', () => {
    const script = path.join(__dirname, '..', '..', 'scripts', 'fetch-release.js');
    const result = spawnSync(process.execPath, [script], { encoding: 'utf8', env: { ...process.env, PATH: '/nonexistent' }, timeout: 60_000 });
    expect(result.status).toBe(1);
    expect(result.stderr.trim()).toBe(`fetch-release: \`go mod download -json ${OMNIA_MODULE}@${OMNIA_RELEASE}\` failed: go is not installed (not on PATH)`);
  });
});

describe('CRD lookup by target', () => {
  test('the same apiVersion and kind find this package\'s CRD for the documented API and the release\'s for the release', () => {
    expect(findCrdVersion(API, 'AgentRuntime', OmniaApiTarget.DOCUMENTED)!.crd).toBe(omniaCrds()[0]);
    const release = findCrdVersion(API, 'AgentRuntime', RELEASE)!;
    expect(release.crd).toBe(releaseCrds()[1]);
    expect(release.version.schema.openAPIV3Schema.properties.spec.required).toEqual(expect.arrayContaining(['facades', 'promptPackRef']));
    expect(findCrdVersion(API, 'Provider', OmniaApiTarget.DOCUMENTED)).toBeUndefined();
    expect(findCrdVersion(API, 'Provider', RELEASE)!.crd.spec.names.plural).toBe('providers');
  });
});

describe('OmniaSchema.validateFor the release', () => {
  test.each([
    ['AgentRuntime', agent()],
    ['AgentRuntime with memory context and an a2a facade', agent((s) => { s.context = { type: 'memory' }; s.facades.push({ type: 'a2a', port: 9000 }); })],
    ['Provider', provider()],
    ['Provider of type mock without a credential', provider((s) => { s.type = 'mock'; delete s.credential; delete s.model; })],
    ['PromptPack', promptPack()],
    ['ToolRegistry', toolRegistry()],
  ])('a valid %s passes', (_, manifest) => {
    expect(OmniaSchema.validateFor(manifest, RELEASE)).toEqual([]);
  });

  test.each<[string, () => any, string, string]>([
    ['duplicate facade types', () => agent((s) => { s.facades.push({ type: 'websocket', port: 8081 }); }), 'spec', 'spec.facades must not contain duplicate facade types'],
    ['no facade', () => agent((s) => { s.facades = []; }), 'spec.facades', 'Invalid value: []: must NOT have fewer than 1 items'],
    ['redis context without storeRef', () => agent((s) => { delete s.context.storeRef; }), 'spec.context', "spec.context.storeRef is required when context.type is 'redis'"],
    ['a context type the release dropped', () => agent((s) => { s.context.type = 'postgres'; }), 'spec.context.type', 'Unsupported value: "postgres": supported values: "memory", "redis"'],
    ['a provider entry without providerRef', () => agent((s) => { delete s.providers[0].providerRef; }), 'spec.providers[0].providerRef', 'Required value'],
    ['two provider entries of one name', () => agent((s) => { s.providers.push({ name: 'main', providerRef: { name: 'other' } }); }), 'spec.providers[1]', 'Duplicate value: ["main"]'],
    ['negative replicas', () => agent((s) => { s.runtime.replicas = -1; }), 'spec.runtime.replicas', 'must be >= 0'],
    ['the documented shape: spec.provider', () => agent((s) => { s.provider = { name: 'claude' }; }), 'spec.provider', 'unknown field'],
    ['the documented shape: a pack in another namespace', () => agent((s) => { s.promptPackRef.namespace = 'other'; }), 'spec.promptPackRef.namespace', 'unknown field'],
  ])('an AgentRuntime with %s fails at the field, with the reason', (_, make, field, reason) => {
    const violations = OmniaSchema.validateFor(make(), RELEASE);
    expect(violations.filter((v) => v.path === field && v.message.includes(reason))).toHaveLength(1);
    expect(violations[0]).toMatchObject({ apiVersion: API, kind: 'AgentRuntime', name: 'support', namespace: NS });
  });

  test.each<[string, () => any, string, string]>([
    ['Provider of an unknown type', () => provider((s) => { s.type = 'anthropic'; }), 'spec.type', 'Unsupported value: "anthropic": supported values: "claude", "openai"'],
    ['Provider with two credential methods', () => provider((s) => { s.credential.envVar = 'ANTHROPIC_API_KEY'; }), 'spec.credential', 'at most one credential method may be specified'],
    ['Provider of a tts-only vendor as llm', () => provider((s) => { s.type = 'cartesia'; }), 'spec', "cartesia is a tts-only vendor; set spec.role to 'tts'"],
    ['PromptPack with the documented packName', () => promptPack((s) => { s.packName = 'support'; }), 'spec.packName', 'unknown field'],
    ['PromptPack with a version that is no semver', () => promptPack((s) => { s.version = '1.0'; }), 'spec.version', 'Invalid value: "1.0"'],
    ['ToolRegistry with bearer auth and no secret', () => toolRegistry((s) => { delete s.handlers[0].auth.secretRef; }), 'spec.handlers[0].auth', 'auth.type bearer/basic requires secretRef'],
    ['ToolRegistry with both auth stanzas', () => toolRegistry((s) => { s.handlers[0].httpConfig.authSecretRef = { name: 'x', key: 'y' }; }), 'spec.handlers[0]', 'set either the handler-level auth stanza'],
  ])('a %s fails at the field, with the reason', (_, make, field, reason) => {
    const violations = OmniaSchema.validateFor(make(), RELEASE);
    expect(violations.filter((v) => v.path === field && v.message.includes(reason))).toHaveLength(1);
  });

  test('validate() and applyDefaults() check the release, the default; validateFor(documented) refuses the release shape', () => {
    expect(OmniaSchema.validate(agent())).toEqual([]);
    expect(OmniaSchema.validate(provider())).toEqual([]);
    expect(OmniaSchema.applyDefaults(agent())).toEqual(OmniaSchema.applyDefaultsFor(agent(), RELEASE));
    expect(OmniaSchema.validateFor(agent(), OmniaApiTarget.DOCUMENTED).map((v) => v.path))
      .toEqual(expect.arrayContaining(['spec.provider', 'spec.facades', 'spec.providers', 'spec.context', 'spec.runtime']));
    expect(OmniaSchema.validateFor(provider(), OmniaApiTarget.DOCUMENTED)).toEqual([expect.objectContaining({ path: 'kind', message: `no CRD in this package serves Provider in ${API} (Omnia v0.9.0-beta.17 does: were these manifests written for that target?)` })]);
    expect(OmniaSchema.validateFor({ apiVersion: API, kind: 'Gadget', metadata: { name: 'g' } }, RELEASE))
      .toEqual([expect.objectContaining({ path: 'kind', message: `no CRD of Omnia ${OMNIA_RELEASE} serves Gadget in ${API}` })]);
  });

  test('applyDefaultsFor writes the release\'s defaults; an unknown target throws', () => {
    const defaulted = OmniaSchema.applyDefaultsFor(agent((s) => { s.context = { type: 'memory' }; s.facades = [{ type: 'websocket' }]; }), RELEASE);
    expect(defaulted.spec).toMatchObject({ mode: 'agent', context: { type: 'memory', ttl: '24h' }, facades: [{ type: 'websocket', port: 8080, handler: 'runtime' }], providers: [{ role: 'llm' }] });
    expect(() => OmniaSchema.applyDefaultsFor(agent((s) => { s.facades = []; }), RELEASE)).toThrow(/cannot default an invalid object:\n {2}spec.facades/);
    expect(() => OmniaSchema.validateFor(agent(), 'v9' as any)).toThrow('unknown Omnia API target "v9": use "documented" or "v0.9.0-beta.17"');
  });
});

describe('references in the release shape', () => {
  const check = (manifests: any[], external: string[] = []) => validateManifests(manifests, { target: RELEASE, external });
  const without = (kind: string, name: string) => releaseApp().filter((m) => !(m.kind === kind && m.metadata.name === name));
  const replace = (replacement: any) => releaseApp().map((m) => (m.kind === replacement.kind && m.metadata.name === replacement.metadata.name ? replacement : m));
  const lines = (findings: ReturnType<typeof check>) => findings.map((f) => `${f.kind} ${f.namespace}/${f.name}: ${f.path}: ${f.message}`);

  test('an app whose references resolve has no findings', () => {
    expect(check(releaseApp())).toEqual([]);
  });

  test('a providerRef must name a Provider of the manifests (its namespace, or the agent\'s), or an external one', () => {
    expect(lines(check(without('Provider', 'claude')))).toEqual([
      `AgentRuntime ${NS}/support: spec.providers[0].providerRef: Provider ${NS}/claude is not defined in the manifests; define it, or list it as external (Provider/${NS}/claude in the plugin's "external" property or the CLI's --external)`,
    ]);
    expect(check(without('Provider', 'claude'), [`Provider/${NS}/claude`])).toEqual([]);
    const elsewhere = replace(agent((s) => { s.providers[0].providerRef.namespace = 'shared'; }));
    expect(lines(check(elsewhere))).toEqual([expect.stringContaining('spec.providers[0].providerRef: Provider shared/claude is not defined')]);
    // In an app, the finding says how to declare a Provider outside it.
    expect(referenceFindings([{ manifest: agent() }], [], false, undefined, RELEASE).map((f) => f.message))
      .toContain(`Provider ${NS}/claude is not defined in the app; define it, or declare it as external with Provider.fromProviderName(scope, id, "claude", { namespace: "${NS}" })`);
    // A Provider of another group is not a Provider.
    const foreign = [...without('Provider', 'claude'), { ...provider(), apiVersion: 'example.com/v1' }];
    expect(lines(check(foreign))).toContainEqual(expect.stringContaining('Provider release-agents/claude is not defined'));
  });

  test('the pack is looked up in the agent\'s namespace; the registry where toolRegistryRef says', () => {
    expect(lines(check(without('PromptPack', 'support-prompts')))).toEqual([expect.stringContaining(`spec.promptPackRef: PromptPack ${NS}/support-prompts is not defined`)]);
    const registryElsewhere = replace(agent((s) => { s.toolRegistryRef.namespace = 'tools'; }));
    expect(lines(check(registryElsewhere))).toEqual([expect.stringContaining('spec.toolRegistryRef: ToolRegistry tools/tools is not defined')]);
  });

  test('a Provider\'s credential Secret must hold the key it names, or one the operator reads for its type', () => {
    expect(lines(check(replace(secret('anthropic', { token: 'x' }))))).toEqual([
      `Provider ${NS}/claude: spec.credential.secretRef: Secret ${NS}/anthropic has no key "api-key" (it has "token"); the Provider is used by AgentRuntime ${NS}/support`,
    ]);
    const keyless = replace(provider((s) => { delete s.credential.secretRef.key; }));
    expect(check(keyless)).toEqual([]);
    const keylessWrong = [...keyless.filter((m) => m.metadata.name !== 'anthropic'), secret('anthropic', { OPENAI_API_KEY: 'x' })];
    expect(lines(check(keylessWrong))).toEqual([
      `Provider ${NS}/claude: spec.credential.secretRef: Secret ${NS}/anthropic has none of the keys the operator reads for a claude provider without a key ("ANTHROPIC_API_KEY", "CLAUDE_API_KEY", "api-key"); it has "OPENAI_API_KEY"; the Provider is used by AgentRuntime ${NS}/support`,
    ]);
    // A Secret outside the manifests is not checked.
    expect(check(without('Secret', 'anthropic'))).toEqual([]);
    // A platform's credentials Secret must hold every key the platform needs.
    const bedrock = [
      ...releaseApp().filter((m) => m.kind !== 'Provider'),
      provider((s) => { s.platform = { type: 'bedrock', region: 'us-east-1' }; s.auth = { type: 'accessKey', credentialsSecretRef: { name: 'aws' } }; delete s.credential; }),
      secret('aws', { AWS_ACCESS_KEY_ID: 'a' }),
    ];
    expect(OmniaSchema.validateFor(bedrock[bedrock.length - 2], RELEASE)).toEqual([]);
    expect(lines(check(bedrock))).toEqual([`Provider ${NS}/claude: spec.auth.credentialsSecretRef: Secret ${NS}/aws has no key "AWS_SECRET_ACCESS_KEY" (it has "AWS_ACCESS_KEY_ID"); the Provider is used by AgentRuntime ${NS}/support`]);
  });

  test('the context store\'s Secret must hold "url"; extraEnv keys must exist and credentials not be inlined', () => {
    expect(lines(check(replace(secret('redis', { uri: 'x' }))))).toEqual([`AgentRuntime ${NS}/support: spec.context.storeRef: Secret ${NS}/redis has no key "url" (it has "uri")`]);
    const env = replace(agent((s) => {
      s.runtime.extraEnv = [{ name: 'SEARCH_TOKEN', value: 'abc' }, { name: 'KEY', valueFrom: { secretKeyRef: { name: 'anthropic', key: 'nope' } } }];
      s.facades[0].extraEnv = [{ name: 'CFG', valueFrom: { configMapKeyRef: { name: 'support-pack', key: 'other.json' } } }];
    }));
    const found = check(env);
    expect(lines(found)).toEqual([
      `AgentRuntime ${NS}/support: spec.runtime.extraEnv[0].value: SEARCH_TOKEN looks like a credential and is written in plain text; use a Secret (kplus.EnvValue.fromSecretValue)`,
      `AgentRuntime ${NS}/support: spec.runtime.extraEnv[1].valueFrom.secretKeyRef: Secret ${NS}/anthropic has no key "nope" (it has "api-key")`,
      `AgentRuntime ${NS}/support: spec.facades[0].extraEnv[0].valueFrom.configMapKeyRef: ConfigMap ${NS}/support-pack has no key "other.json" (it has "pack.json")`,
    ]);
    expect(found[0].check).toBe(FindingCheck.PLAIN_TEXT_SECRET);
  });

  test('a key reference Kubernetes treats as optional is no finding when the key is absent; the same one required is', () => {
    const refs = (optional: boolean | undefined) => replace(agent((s) => {
      const opt = optional === undefined ? {} : { optional };
      s.runtime.extraEnv = [{ name: 'KEY', valueFrom: { secretKeyRef: { name: 'anthropic', key: 'nope', ...opt } } }];
      s.facades[0].extraEnv = [{ name: 'CFG', valueFrom: { configMapKeyRef: { name: 'support-pack', key: 'other.json', ...opt } } }];
      s.podOverrides = { extraEnv: [{ name: 'K2', valueFrom: { secretKeyRef: { name: 'anthropic', key: 'gone', ...opt } } }] };
      s.runtime.volumes = [
        { name: 'creds', secret: { secretName: 'anthropic', items: [{ key: 'cert', path: 'cert' }], ...opt } },
        { name: 'cfg', configMap: { name: 'support-pack', items: [{ key: 'pack.json', path: 'a' }, { key: 'extra.json', path: 'b' }], ...opt } },
        { name: 'all', projected: { sources: [{ secret: { name: 'redis', items: [{ key: 'password', path: 'p' }], ...opt } }] } },
      ];
    }));
    for (const manifests of [refs(true), refs(false), refs(undefined)]) expect(OmniaSchema.validateFor(manifests[manifests.length - 1], RELEASE)).toEqual([]);
    expect(check(refs(true))).toEqual([]);
    const required = [
      `AgentRuntime ${NS}/support: spec.runtime.extraEnv[0].valueFrom.secretKeyRef: Secret ${NS}/anthropic has no key "nope" (it has "api-key")`,
      `AgentRuntime ${NS}/support: spec.podOverrides.extraEnv[0].valueFrom.secretKeyRef: Secret ${NS}/anthropic has no key "gone" (it has "api-key")`,
      `AgentRuntime ${NS}/support: spec.runtime.volumes[0].secret.items[0].key: Secret ${NS}/anthropic has no key "cert" (it has "api-key")`,
      `AgentRuntime ${NS}/support: spec.runtime.volumes[1].configMap.items[1].key: ConfigMap ${NS}/support-pack has no key "extra.json" (it has "pack.json")`,
      `AgentRuntime ${NS}/support: spec.runtime.volumes[2].projected.sources[0].secret.items[0].key: Secret ${NS}/redis has no key "password" (it has "url")`,
      `AgentRuntime ${NS}/support: spec.facades[0].extraEnv[0].valueFrom.configMapKeyRef: ConfigMap ${NS}/support-pack has no key "other.json" (it has "pack.json")`,
    ];
    expect(lines(check(refs(false)))).toEqual(required);
    expect(lines(check(refs(undefined)))).toEqual(required);
    // An optional object that is absent is no finding either (nor is a required one: it may live outside the manifests).
    expect(check(refs(true).filter((m) => m.kind !== 'Secret'))).toEqual([]);
  });

  test('the CLI: optional key references pass (exit 0), the same ones required fail (exit 1) at their lines', () => {
    const file = (name: string, optional: boolean) => {
      const f = path.join(tmp, name);
      const manifests = replace(agent((s) => {
        s.runtime.extraEnv = [{ name: 'KEY', valueFrom: { secretKeyRef: { name: 'anthropic', key: 'nope', optional } } }];
        s.runtime.volumes = [{ name: 'creds', secret: { secretName: 'anthropic', optional, items: [{ key: 'cert', path: 'cert' }] } }];
      }));
      fs.writeFileSync(f, manifests.map((m) => Yaml.stringify(m)).join('---\n'));
      return f;
    };
    const run = (f: string) => {
      const out: string[] = [];
      return { code: main(['validate', f], (l) => out.push(l)), out };
    };
    expect(run(file('optional.yaml', true))).toEqual({ code: ExitCode.CLEAN, out: [expect.stringMatching(/^8 object\(s\), no findings/)] });
    const required = run(file('required.yaml', false));
    expect(required.code).toBe(ExitCode.FINDINGS);
    expect(required.out.slice(0, 2)).toEqual([
      expect.stringMatching(/required\.yaml:\d+:\d+: AgentRuntime release-agents\/support: spec\.runtime\.extraEnv\[0\]\.valueFrom\.secretKeyRef: Secret release-agents\/anthropic has no key "nope"/),
      expect.stringMatching(/required\.yaml:\d+:\d+: AgentRuntime release-agents\/support: spec\.runtime\.volumes\[0\]\.secret\.items\[0\]\.key: Secret release-agents\/anthropic has no key "cert"/),
    ]);
  });

  test('a PromptPack\'s ConfigMap must hold pack.json with the version the PromptPack announces', () => {
    const older = replace(packConfigMap(JSON.stringify({ ...JSON.parse(PACK), version: '0.9.0' })));
    expect(lines(check(older))).toEqual([`PromptPack ${NS}/support-prompts: spec.version: "1.0.0" differs from the pack's version "0.9.0" in ConfigMap ${NS}/support-pack`]);
    const elsewhere = replace({ ...packConfigMap(), data: { 'other.json': PACK } });
    expect(lines(check(elsewhere))).toEqual([`PromptPack ${NS}/support-prompts: spec.source.configMapRef: ConfigMap ${NS}/support-pack has no key "pack.json"`]);
    // The pack's id has no field to match in the release.
    expect(check(replace(packConfigMap(JSON.stringify({ ...JSON.parse(PACK), id: 'another' }))))).toEqual([]);
  });

  test('a ToolRegistry handler\'s secrets, by the release\'s names, must hold their keys; credential headers are refused', () => {
    expect(lines(check(replace(secret('tools-token', { bearer: 't' }))))).toEqual([`ToolRegistry ${NS}/tools: spec.handlers[0].auth.secretRef: Secret ${NS}/tools-token has no key "token" (it has "bearer")`]);
    const legacy = replace(toolRegistry((s) => {
      delete s.handlers[0].auth;
      s.handlers[0].httpConfig.authSecretRef = { name: 'tools-token', key: 'api' };
      s.handlers[0].httpConfig.headers = { Authorization: 'Bearer abc' };
    }));
    expect(lines(check(legacy))).toEqual([
      `ToolRegistry ${NS}/tools: spec.handlers[0].httpConfig.authSecretRef: Secret ${NS}/tools-token has no key "api" (it has "token")`,
      `ToolRegistry ${NS}/tools: spec.handlers[0].httpConfig.headers[Authorization]: the Authorization header is written in plain text; put the credential in a Secret and use auth.secretRef`,
    ]);
  });

  test('the documented target reads the documented fields only: the release\'s references are not its business', () => {
    const findings = validateManifests(without('Provider', 'claude'), { target: OmniaApiTarget.DOCUMENTED });
    expect(findings.filter((f) => f.check === FindingCheck.REFERENCE && f.path.startsWith('spec.providers'))).toEqual([]);
    expect(validateManifests([], { target: 'nope' as any })).toEqual([expect.objectContaining({ path: 'target', message: expect.stringContaining('unknown Omnia API target "nope"') })]);
  });
});

describe('the CLI with --target', () => {
  const write = (manifests: any[]) => {
    const file = path.join(fs.mkdtempSync(path.join(tmp, 'cli-')), 'app.yaml');
    fs.writeFileSync(file, manifests.map((m) => Yaml.stringify(m)).join('---\n'));
    return file;
  };
  const cli = (...args: string[]) => {
    const lines: string[] = [];
    const code = main(args, (l) => lines.push(l), () => Buffer.from(''));
    return { code, output: lines.join('\n') };
  };

  test('exit codes: 0 for a valid release app, 1 for findings, 2 for a bad target', () => {
    const app = write(releaseApp());
    expect(cli('validate', '--target', RELEASE, app)).toEqual({ code: ExitCode.CLEAN, output: '8 object(s), no findings' });
    // Without --target the release is inferred from its kinds, and the summary says so.
    const text = fs.readFileSync(app, 'utf8').split('\n');
    const providerAt = documentLines(app).find((d) => text.slice(d.first - 1, d.last).includes('kind: Provider'))!.first;
    expect(cli('validate', app)).toEqual({
      code: ExitCode.CLEAN,
      output: `8 object(s), no findings; target ${RELEASE}, inferred from Provider release-agents/claude at ${app}:${providerAt} (only ${RELEASE} serves Provider) and 1 more object(s)`,
    });
    const documented = cli('validate', '--target', 'documented', app);
    expect(documented.code).toBe(ExitCode.FINDINGS);
    expect(documented.output).toContain('Provider release-agents/claude: kind: no CRD in this package serves Provider');
    const bad = write(releaseApp().map((m) => (m.kind === 'AgentRuntime' ? agent((s) => { s.facades.push({ type: 'websocket' }); }) : m)));
    const result = cli('validate', '--target', RELEASE, bad);
    expect(result.code).toBe(ExitCode.FINDINGS);
    expect(result.output).toContain(`${bad}:`);
    expect(result.output).toContain('AgentRuntime release-agents/support: spec: spec.facades must not contain duplicate facade types');
    expect(cli('validate', '--target', 'v1', app)).toMatchObject({ code: ExitCode.USAGE_OR_INPUT, output: expect.stringContaining('--target takes documented or v0.9.0-beta.17, not "v1"') });
    expect(cli('validate', app, '--target').code).toBe(ExitCode.USAGE_OR_INPUT);
  });

  test('--help documents --target, the inference without it, and the outputs', () => {
    const help = cli('--help').output;
    expect(help).toMatch(/--target v0\.9\.0-beta\.17\|documented\s+the Omnia API the manifests are written for/);
    expect(help).toMatch(/Without it the input tells: kinds only one target has\s+\(Provider, Workspace, \.\.\.\), spec fields only one knows \(spec\.facades or\s+spec\.facade\), or Omnia CRDs among the files/);
    expect(help).toMatch(/default, v0\.9\.0-beta\.17 \(the newest release\)/);
    expect(help).toMatch(/--output text\|json\|sarif\s+how findings are printed/);
    expect(help).toContain('FILE:LINE:COLUMN: Kind namespace/name: field: reason');
  });

  test('a large release input shared with a second thread gives the output of one thread', () => {
    const docs = Array.from({ length: 2200 }, (_, i) => {
      const p = provider();
      p.metadata = { name: `p-${i}`, namespace: NS, annotations: { note: 'n'.repeat(2000) } } as any;
      if (i % 700 === 5) p.spec.type = 'anthropic';
      return Yaml.stringify(p);
    });
    const file = path.join(tmp, 'many-providers.yaml');
    fs.writeFileSync(file, `# many providers\n${docs.join('---\n')}`);
    expect(fs.statSync(file).size).toBeGreaterThan(4 * 2 ** 20);
    const sequential = cli('validate', '--target', RELEASE, '--no-references', file);
    const threaded = spawnSync(process.execPath, [path.join(__dirname, '..', '..', 'lib', 'cli.js'), 'validate', '--target', RELEASE, '--no-references', file], { encoding: 'utf8', timeout: 60_000 });
    expect(sequential.code).toBe(ExitCode.FINDINGS);
    expect(sequential.output.split('\n').filter((l) => l.includes('spec.type: Unsupported value: "anthropic"'))).toHaveLength(4);
    expect({ code: threaded.status, output: threaded.stdout.trimEnd() }).toEqual(sequential);
  }, 60_000);
});

describe('the CLI on what `npx cdk8s synth` writes for the examples', () => {
  // examples/main.ts, run as cdk8s.yaml runs it, into a folder of this test.
  const out = path.join(tmp, 'dist');
  beforeAll(() => {
    const root = path.join(__dirname, '..', '..');
    const result = spawnSync(path.join(root, 'node_modules', '.bin', 'ts-node'), ['--transpile-only', '--project', 'tsconfig.dev.json', 'examples/main.ts'],
      { cwd: root, encoding: 'utf8', env: { ...process.env, CDK8S_OUTDIR: out }, timeout: 120_000 });
    if (result.status !== 0) throw new Error(`examples/main.ts failed: ${result.stderr}`);
  }, 120_000);
  const cli = (...args: string[]) => {
    const lines: string[] = [];
    const code = main(args, (l) => lines.push(l), () => Buffer.from(''));
    return { code, lines };
  };
  const documentedFiles = () => fs.readdirSync(out).filter((f) => f.endsWith('.yaml')).map((f) => path.join(out, f));
  // What the documented examples declare in code with fromName: the CLI learns it from --external.
  const externals = ['PromptPack/agents/hello-prompts', 'PromptPack/agents/customer-service-prompts', 'ToolRegistry/agents/service-tools',
    'PromptPack/agents-l1/customer-service-prompts', 'ToolRegistry/agents-l1/service-tools'].flatMap((e) => ['--external', e]);

  test('the release app\'s folder has no findings without --target: the release is the default', () => {
    const release = path.join(out, `omnia-${OMNIA_RELEASE}`);
    const { code, lines } = cli('validate', release);
    // Inferred from the release's CRDs, installed from the same folder.
    expect({ code, lines }).toEqual({
      code: ExitCode.CLEAN,
      lines: [expect.stringMatching(new RegExp(`^\\d+ object\\(s\\), no findings; target ${RELEASE.replace(/\./g, '\\.')}, inferred from CustomResourceDefinition \\S+\\.omnia\\.altairalabs\\.ai at `))],
    });
    expect(Number(lines[0].split(' ')[0])).toBeGreaterThan(20);
    // The same files for the documented API: the release's kinds and fields are findings there.
    const documented = cli('validate', '--target', 'documented', release);
    expect(documented.code).toBe(ExitCode.FINDINGS);
    expect(documented.lines.join('\n')).toContain('kind: no CRD in this package serves Provider');
  });

  test('the enterprise app\'s folder, every enterprise kind among its objects, has no findings without --target', () => {
    const enterprise = path.join(out, `omnia-${OMNIA_RELEASE}-enterprise`);
    const { code, lines } = cli('validate', '--external', 'ToolRegistry/evals/eval-tools', enterprise);
    expect({ code, lines }).toEqual({ code: ExitCode.CLEAN, lines: [expect.stringMatching(new RegExp(`^\\d+ object\\(s\\), no findings; target ${RELEASE.replace(/\./g, '\\.')}, inferred from `))] });
    const kinds = fs.readdirSync(enterprise).flatMap((f) => fs.readFileSync(path.join(enterprise, f), 'utf8').match(/^kind: (Arena\w+|SessionPrivacyPolicy|RolloutAnalysis)$/gm) ?? []);
    expect(new Set(kinds).size).toBe(6);
  });

  test('the documented examples have no findings with --target documented or without it (inferred), findings for the release', () => {
    const files = documentedFiles();
    expect(files.map((f) => path.basename(f))).toContainEqual(expect.stringMatching(/^\d{4}-production-agent\.k8s\.yaml$/));
    const { code, lines } = cli('validate', '--target', 'documented', ...externals, ...files);
    expect({ code, lines }).toEqual({ code: ExitCode.CLEAN, lines: [expect.stringMatching(/^\d+ object\(s\), no findings$/)] });
    const inferred = cli('validate', ...externals, ...files);
    expect(inferred).toEqual({ code: ExitCode.CLEAN, lines: [expect.stringMatching(/^\d+ object\(s\), no findings; target documented, inferred from CustomResourceDefinition agentruntimes\.omnia\.altairalabs\.ai at .*0000-omnia-crds\.k8s\.yaml:1 \(its AgentRuntime is the one of documented\)/)] });
    // Both folders at once: a mixed input is checked for the default, which says so; --target still wins.
    const mixed = cli('validate', ...externals, out);
    expect(mixed.code).toBe(ExitCode.FINDINGS);
    expect(mixed.lines[mixed.lines.length - 1]).toMatch(new RegExp(`; target ${RELEASE.replace(/\./g, '\\.')}, the default, as the input is mixed: .* \\(its AgentRuntime is the one of documented\\) but .* \\(only ${RELEASE.replace(/\./g, '\\.')} serves \\w+\\); pass --target to choose$`));
    const asRelease = cli('validate', '--target', RELEASE, ...externals, ...files);
    expect(asRelease.code).toBe(ExitCode.FINDINGS);
    expect(asRelease.lines.join('\n')).toContain('AgentRuntime agents/production-agent: spec.provider:');
  });
});

describe('the plugin and the target', () => {
  const { ValidationContext } = require(path.join(__dirname, '..', '..', 'node_modules', 'cdk8s-cli', 'lib', 'plugins', 'validation.js'));
  const { OmniaValidationPlugin } = require('../../lib');

  function folder(manifests: any[], metadata?: any): string {
    const dir = fs.mkdtempSync(path.join(tmp, 'dist-'));
    fs.writeFileSync(path.join(dir, 'app.k8s.yaml'), manifests.map((m) => Yaml.stringify(m)).join('---\n'));
    if (metadata) fs.writeFileSync(path.join(dir, 'cdk8s-omnia-metadata.json'), JSON.stringify(metadata));
    return path.join(dir, 'app.k8s.yaml');
  }
  async function run(files: string[], properties: any = {}) {
    const context = new ValidationContext(files, 'cdk8s-omnia', '0.1.0', {}, false);
    await new OmniaValidationPlugin(properties).validate(context);
    return context.report.toJson();
  }

  test('each folder is checked for the target its app wrote; the property covers folders without one', async () => {
    const release = folder(releaseApp(), { target: RELEASE, externals: [], objects: {} });
    // The documented examples beside it, in a folder of their own: the same objects fail there.
    const documented = folder([provider()], { target: 'documented', externals: [], objects: {} });
    const report = await run([release, documented]);
    expect(report.violations.map((v: any) => v.recommendation)).toEqual([`Provider ${NS}/claude: kind: no CRD in this package serves Provider in ${API} (Omnia v0.9.0-beta.17 does: were these manifests written for that target?)`]);
    expect(report.violations[0].violatingConstructs[0].manifestPath).toBe(documented);
    // A folder without the app's word: the property's target, else the newest release.
    expect((await run([folder([provider()])])).violations).toEqual([]);
    expect((await run([folder([provider()])], { target: RELEASE })).violations).toEqual([]);
    expect((await run([folder([provider()])], { target: 'documented' })).violations).toHaveLength(1);
    // The app's word wins over the property.
    expect((await run([folder([provider()], { target: 'documented' })], { target: RELEASE })).violations).toHaveLength(1);
  });

  test('findings in a release folder use the release\'s references and the construct paths of that folder', async () => {
    const file = folder(releaseApp().filter((m) => m.kind !== 'Provider'), {
      target: RELEASE, externals: [], objects: { [`omnia.altairalabs.ai\u0000AgentRuntime\u0000${NS}\u0000support`]: 'release/Support' },
    });
    const report = await run([file]);
    expect(report.violations.map((v: any) => v.recommendation)).toEqual([expect.stringContaining('spec.providers[0].providerRef: Provider release-agents/claude is not defined')]);
    expect(report.violations[0].violatingConstructs[0].constructPath).toBe('release/Support');
    expect((await run([folder(releaseApp().filter((m) => m.kind !== 'Provider'), { target: RELEASE, externals: [`Provider/${NS}/claude`] })])).violations).toEqual([]);
  });

  test('an unknown target, in the app\'s file or the property, fails the validation and says which', async () => {
    const report = await run([folder(releaseApp(), { target: 'v2' })]);
    expect(report.violations.map((v: any) => v.recommendation)).toContainEqual(expect.stringContaining('unknown Omnia API target "v2"'));
    const property = await run([folder([])], { target: 'latest' });
    expect(property.violations.map((v: any) => v.recommendation)).toEqual([expect.stringContaining('the plugin\'s target property: unknown Omnia API target "latest"')]);
  });
});
