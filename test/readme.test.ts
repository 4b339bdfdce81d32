// The README and the docs, checked as a newcomer would use them.
//
// How the blocks of the README and of the pages that continue it (`userDocs`: docs/production.md,
// docs/targets.md, then the others) make a project (the rules `readmeProject` applies):
// - A block preceded by `<!-- readme-test: file NAME -->` is the file NAME of the project, as printed.
//   `main.ts` is the first ```ts block of the README: a complete program, ending with `app.synth();`.
// - Every later ```ts block without a marker continues that program: it goes just before its last
//   `app.synth();` line, in README order. Together they are `main.ts`, which `npx cdk8s synth` runs.
// - A ```ts block preceded by `<!-- readme-test: variant ... -->` is part of a
//   second program: `main.ts` with the block right after the line LINE and without the lines that start with
//   (after indentation) one of the PREFIXes, as the README's text around it says. The marker is written
//   `variant NAME, after "LINE", without "PREFIX", "PREFIX"` (`without` is optional); the blocks of one NAME
//   make one program, each after its own LINE.
// - A ```ts block preceded by `<!-- readme-test: template PATH -->` is the file PATH of the project
//   `cdk8s-omnia init` writes, as printed (scripts/check-template.sh runs that project's test in CI).
// - Any other ```ts block, or an unknown marker, fails the test: no TypeScript in the README goes unchecked.
// Every program is type-checked by `tsc` with the README's tsconfig.json, then synthesized by the cdk8s CLI.
// The project lives in test/.readme-*/ (gitignored), where `cdk8s-omnia` is this repository (a link in its
// node_modules, as `npm install` of the package would make it) and the other packages resolve from the
// repository's node_modules.
import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { App } from 'cdk8s';
import * as ts from 'typescript';
import { parseAllDocuments } from 'yaml';
import { addInstallExample } from '../examples/install';
import { releaseApp } from '../examples/release';
import { fencedBlocks, markdownSection, userDocs } from './markdown';
import { OmniaApiTarget, OmniaTarget } from '../lib';
import { main as cli } from '../lib/cli';
import { initProject } from '../lib/init';

const root = path.join(__dirname, '..');
const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');
const docs = userDocs();
const docText = (file: string) => docs.find((d) => d.file === file)!.text;
const packageJson = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
const bin = (name: string) => path.join(root, 'node_modules', '.bin', name);

const blocks = docs.flatMap((d) => fencedBlocks(d.text, d.file));

/** `text` with `search` replaced once; the search must be there, so an edit of the README fails loudly. */
function edit(text: string, search: string, replacement: string): string {
  const at = text.indexOf(search);
  if (at < 0) throw new Error(`the program has no ${JSON.stringify(search)}`);
  return text.slice(0, at) + replacement + text.slice(at + search.length);
}

interface VariantPart {
  /** The line of main.ts the block goes right after. */
  readonly after: string;
  readonly block: string;
}

interface Variant {
  readonly name: string;
  readonly parts: VariantPart[];
  readonly without: string[];
}

interface ReadmeProject {
  /** Files by name, as printed. */
  readonly files: Record<string, string>;
  /** The first program alone, before any later block. */
  readonly usage: string;
  /** The program as the README alone makes it: the first program and the README's later blocks. */
  readonly readmeMain: string;
  readonly main: string;
  readonly variants: Variant[];
}

function readmeProject(): ReadmeProject {
  const files: Record<string, string> = {};
  let usage: string | undefined;
  let main: string | undefined;
  let readmeMain: string | undefined;
  const template = templateFiles();
  const variants: Variant[] = [];
  for (const block of blocks) {
    const file = /^file (\S+)$/.exec(block.marker ?? '')?.[1];
    const templateFile = /^template (\S+)$/.exec(block.marker ?? '')?.[1];
    if (templateFile) {
      if (template[templateFile] === undefined) throw new Error(`cdk8s-omnia init writes no ${templateFile}`);
      if (block.text !== template[templateFile]) throw new Error(`the block of ${templateFile} in ${block.file} is not the file cdk8s-omnia init writes`);
      continue;
    }
    const variant = /^variant (\S+), after "([^"]+)"((?:, without "[^"]+"(?:, "[^"]+")*)?)$/.exec(block.marker ?? '');
    if (block.file !== 'README.md' && readmeMain === undefined) readmeMain = main;
    if (block.marker !== undefined && !file && !variant) throw new Error(`unknown readme-test marker: ${block.marker}`);
    if (file) {
      if (files[file] !== undefined) throw new Error(`two blocks are the file ${file}`);
      files[file] = block.text;
      if (file === 'main.ts') {
        if (block.lang !== 'ts') throw new Error('main.ts is not a ts block');
        if (main !== undefined) throw new Error('a ts block comes before the one marked as main.ts');
        usage = main = block.text;
      }
      continue;
    }
    if (block.lang !== 'ts') continue;
    if (main === undefined) throw new Error(`a ts block in "${block.section}" comes before main.ts: it belongs to no program`);
    if (variant) {
      const without = [...variant[3].matchAll(/"([^"]+)"/g)].map((m) => m[1]);
      const known = variants.find((v) => v.name === variant[1]);
      const part = { after: variant[2], block: block.text };
      if (known) {
        known.parts.push(part);
        known.without.push(...without);
      } else {
        variants.push({ name: variant[1], parts: [part], without });
      }
      continue;
    }
    const at = main.lastIndexOf('app.synth();');
    if (at < 0) throw new Error('main.ts has no app.synth();');
    main = main.slice(0, at) + block.text + main.slice(at);
  }
  if (usage === undefined || main === undefined) throw new Error('no block is marked as main.ts');
  delete files['main.ts'];
  return { files, usage, readmeMain: readmeMain ?? main, main, variants };
}

/** The files `cdk8s-omnia init` writes, by path. */
function templateFiles(): Record<string, string> {
  const dir = path.join(fs.mkdtempSync(path.join(root, 'test', '.readme-')), 'project');
  try {
    return Object.fromEntries(initProject(dir).map((f) => [f, fs.readFileSync(path.join(dir, f), 'utf8')]));
  } finally {
    fs.rmSync(path.dirname(dir), { recursive: true, force: true });
  }
}

/** A program of the README with a variant applied. */
function applyVariant(main: string, variant: Variant): string {
  const lines = main.split('\n');
  for (const part of variant.parts) {
    const anchor = lines.indexOf(part.after);
    if (anchor < 0) throw new Error(`variant ${variant.name}: main.ts has no line ${JSON.stringify(part.after)}`);
    lines.splice(anchor + 1, 0, ...part.block.replace(/\n$/, '').split('\n'));
  }
  for (const prefix of variant.without) {
    const before = lines.length;
    for (let i = lines.length - 1; i >= 0; i--) if (lines[i].trimStart().startsWith(prefix.trimStart())) lines.splice(i, 1);
    if (lines.length === before) throw new Error(`variant ${variant.name}: no line of main.ts starts with ${JSON.stringify(prefix)}`);
  }
  return lines.join('\n');
}

/** A project folder with the README's files, where `cdk8s-omnia` resolves to this repository. */
function makeProject(project: ReadmeProject, programs: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(root, 'test', '.readme-'));
  for (const [name, text] of Object.entries({ ...project.files, ...programs })) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  // What `npm init -y` writes, in the fields that matter here.
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'support-agents', version: '1.0.0', type: 'commonjs' }, undefined, 2));
  fs.mkdirSync(path.join(dir, 'node_modules'));
  fs.symlinkSync(root, path.join(dir, 'node_modules', 'cdk8s-omnia'), 'dir');
  // `npx ts-node`, which cdk8s.yaml runs, finds ts-node in the project's node_modules/.bin.
  fs.symlinkSync(path.join(root, 'node_modules', '.bin'), path.join(dir, 'node_modules', '.bin'), 'dir');
  return dir;
}

function run(command: string, args: string[], cwd: string): string {
  try {
    return execFileSync(command, args, { cwd, env: { ...process.env, CDK8S_CHECK_UPGRADE: 'false' }, stdio: 'pipe', encoding: 'utf8' });
  } catch (e) {
    const error = e as { stdout?: string; stderr?: string; message: string };
    throw new Error(`${[command, ...args].join(' ')} failed in ${cwd}:\n${error.stdout ?? ''}${error.stderr ?? error.message}`);
  }
}

/** The objects of each file of a synth output folder. */
function readOutput(dir: string): Record<string, any[]> {
  const out: Record<string, any[]> = {};
  for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort()) {
    out[file] = parseAllDocuments(fs.readFileSync(path.join(dir, file), 'utf8')).map((d) => d.toJS());
  }
  return out;
}

const kinds = (objects: any[]) => objects.map((o) => o.kind).sort();
const find = (objects: any[], kind: string, name: string) => {
  const found = objects.filter((o) => o.kind === kind && o.metadata.name === name);
  expect(found).toHaveLength(1);
  return found[0];
};

describe('the Usage project, built from the README as printed', () => {
  const project = readmeProject();

  test('has its configuration, the pack and two programs', () => {
    expect(Object.keys(project.files).sort()).toEqual(['cdk8s.yaml', 'prompts/customer-service.json', 'tsconfig.json']);
    // The pack printed in the README is the file shipped in examples/, byte for byte.
    expect(project.files['prompts/customer-service.json']).toBe(fs.readFileSync(path.join(root, 'examples', 'prompts', 'customer-service.json'), 'utf8'));
    expect(project.variants.map((v) => v.name).sort()).toEqual(['documented', 'helm', 'production']);
    expect(project.variants.find((v) => v.name === 'documented')!.parts).toHaveLength(3);
    expect(project.main).not.toBe(project.usage);
    expect(project.readmeMain).not.toBe(project.usage);
    expect(project.main).not.toBe(project.readmeMain);
  });

  test('type-checks with tsc, and `npx cdk8s synth` writes the install and the agent', () => {
    const documented = applyVariant(project.main, project.variants.find((v) => v.name === 'documented')!);
    const helm = applyVariant(project.readmeMain, project.variants.find((v) => v.name === 'helm')!);
    const production = applyVariant(project.main, project.variants.find((v) => v.name === 'production')!);
    const dir = makeProject(project, {
      'main.ts': project.main, 'usage.ts': project.usage, 'readme.ts': project.readmeMain, 'documented.ts': documented, 'helm.ts': helm,
      'production.ts': production,
    });
    try {
      // A real type check of every program, with the README's tsconfig.json (tsc reads it from the folder).
      run(bin('tsc'), ['--noEmit', '-p', '.'], dir);

      // The README's command, with its cdk8s.yaml: the program names no target, so it writes the newest release.
      run(bin('cdk8s'), ['synth'], dir);
      const main = readOutput(path.join(dir, 'dist'));
      expect(Object.keys(main)).toEqual(['0000-omnia-crds.k8s.yaml', '0001-omnia.k8s.yaml', '0002-support.k8s.yaml']);
      for (const file of Object.keys(main)) expect(readme).toContain(`dist/${file}`);
      const crds = main['0000-omnia-crds.k8s.yaml'];
      expect(kinds(crds)).toHaveLength(10);
      expect(crds.map((c) => c.spec.names.kind)).toEqual(expect.arrayContaining(['AgentRuntime', 'PromptPack', 'ToolRegistry', 'Provider']));
      const operator = find(main['0001-omnia.k8s.yaml'], 'Deployment', 'omnia-operator');
      expect(operator.spec.template.spec.containers[0].image).toBe('ghcr.io/altairalabs/omnia-operator:0.9.0-beta.17');
      expect(readme).toContain('`ghcr.io/altairalabs/omnia-operator:0.9.0-beta.17`');
      expect(kinds(main['0001-omnia.k8s.yaml'])).toContain('NetworkPolicy');

      const support = main['0002-support.k8s.yaml'];
      // docs/production.md adds the NetworkPolicy and a ToolRegistry of the `release` submodule.
      expect(kinds(support)).toEqual(['AgentRuntime', 'ConfigMap', 'NetworkPolicy', 'PromptPack', 'Provider', 'ToolRegistry', 'ToolRegistry']);
      expect(find(support, 'ToolRegistry', 'found-tools').spec.handlers).toEqual([
        { name: 'kb', type: 'mcp', selector: { matchLabels: { 'tools.example.com/kb': 'true' }, port: 'mcp' }, mcpConfig: { transport: 'streamable-http' } },
      ]);
      const agent = find(support, 'AgentRuntime', 'support-agent');
      expect(agent.metadata.namespace).toBe('agents');
      expect(agent.spec.runtime.replicas).toBeUndefined();
      expect(agent.spec.runtime.autoscaling).toMatchObject({ enabled: true, minReplicas: 2, maxReplicas: 10, targetCPUUtilizationPercentage: 70 });
      expect(agent.spec.facades).toEqual([{ type: 'websocket', port: 8080 }]);
      expect(agent.spec.promptPackRef).toEqual({ name: 'customer-service' });
      expect(agent.spec.toolRegistryRef).toEqual({ name: 'support-tools' });
      expect(agent.spec.context).toEqual({ type: 'redis', ttl: '24h', storeRef: { name: 'redis-credentials' } });
      const provider = find(support, 'Provider', agent.spec.providers[0].providerRef.name);
      expect(provider.spec).toMatchObject({ type: 'openai', model: 'gpt-4-turbo', credential: { secretRef: { name: 'openai-credentials', key: 'api-key' } } });
      const pack = find(support, 'PromptPack', 'customer-service');
      expect(pack.spec).toMatchObject({ version: '1.0.0', source: { type: 'configmap', configMapRef: { name: 'customer-service-pack' } } });
      expect(find(support, 'ConfigMap', 'customer-service-pack').data['pack.json']).toBe(project.files['prompts/customer-service.json']);
      // What the synth wrote is what the CLI accepts with no --target: it infers the release from it, and says so.
      const lines: string[] = [];
      expect(cli(['validate', path.join(dir, 'dist')], (l) => lines.push(l))).toBe(0);
      expect(lines).toEqual([expect.stringMatching(/ object\(s\), no findings; target v0\.9\.0-beta\.17, inferred from /)]);

      // The first program alone, as the README describes its output.
      run(bin('cdk8s'), ['synth', '--app', 'npx ts-node --transpile-only usage.ts', '--output', 'dist-usage'], dir);
      const usage = readOutput(path.join(dir, 'dist-usage'));
      expect(Object.keys(usage)).toEqual(['support.k8s.yaml']);
      expect(readme).toContain('`dist/support.k8s.yaml`');
      expect(kinds(usage['support.k8s.yaml'])).toEqual(['AgentRuntime', 'ConfigMap', 'PromptPack', 'Provider', 'ToolRegistry']);
      expect(Object.keys(find(usage['support.k8s.yaml'], 'AgentRuntime', 'support-agent').spec).sort())
        .toEqual(['context', 'facades', 'promptPackRef', 'providers', 'runtime', 'toolRegistryRef']);

      // The documented variant: this package's CRDs, the image given, the HPA and the budget as objects.
      run(bin('cdk8s'), ['synth', '--app', 'npx ts-node --transpile-only documented.ts', '--output', 'dist-documented'], dir);
      const doc = readOutput(path.join(dir, 'dist-documented'));
      expect(Object.keys(doc)).toEqual(['0000-omnia-crds.k8s.yaml', '0001-omnia.k8s.yaml', '0002-support.k8s.yaml']);
      expect(kinds(doc['0000-omnia-crds.k8s.yaml'])).toEqual(['CustomResourceDefinition', 'CustomResourceDefinition', 'CustomResourceDefinition']);
      const docOperator = find(doc['0001-omnia.k8s.yaml'], 'Deployment', 'omnia-operator');
      expect(docOperator.spec.template.spec.containers[0].image).toBe('registry.example.com/platform/omnia-operator:1.0.0');
      expect(kinds(doc['0001-omnia.k8s.yaml'])).toContain('NetworkPolicy');
      const docSupport = doc['0002-support.k8s.yaml'];
      expect(kinds(docSupport)).toEqual(['AgentRuntime', 'ConfigMap', 'HorizontalPodAutoscaler', 'NetworkPolicy', 'PodDisruptionBudget', 'PromptPack', 'ToolRegistry']);
      const docAgent = find(docSupport, 'AgentRuntime', 'support-agent');
      expect(docAgent.spec.replicas).toBeUndefined();
      expect(docAgent.spec.provider).toMatchObject({ name: 'openai', model: 'gpt-4-turbo' });
      expect(docAgent.spec.session).toEqual({ type: 'redis', ttl: '24h', storeRef: { name: 'redis-credentials', key: 'url' } });
      const hpa = find(docSupport, 'HorizontalPodAutoscaler', 'support-agent');
      expect(hpa.spec).toMatchObject({
        minReplicas: 2,
        maxReplicas: 10,
        scaleTargetRef: { apiVersion: 'omnia.altairalabs.ai/v1alpha1', kind: 'AgentRuntime', name: 'support-agent' },
        metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } }],
      });
      expect(find(docSupport, 'PromptPack', 'customer-service').spec).toMatchObject({ packName: 'customer-service', version: '1.0.0', source: { configMapRef: { name: 'customer-service-pack', key: 'pack.json' } } });
      const docLines: string[] = [];
      expect(cli(['validate', '--target', 'documented', path.join(dir, 'dist-documented')], (l) => docLines.push(l))).toBe(0);
      expect(docLines).toEqual([expect.stringMatching(/ object\(s\), no findings$/)]);

      // The production variant (docs/production.md): an agent with two facades, externalAuth, memory and a
      // canary rollout, and the Workspace whose memory service it uses.
      run(bin('cdk8s'), ['synth', '--app', 'npx ts-node --transpile-only production.ts', '--output', 'dist-production'], dir);
      const prod = readOutput(path.join(dir, 'dist-production'))['0002-support.k8s.yaml'];
      expect(kinds(prod)).toEqual(expect.arrayContaining(['MemoryPolicy', 'Workspace']));
      const assistant = find(prod, 'AgentRuntime', 'support-assistant');
      expect(assistant.metadata.namespace).toBe('agents');
      expect(assistant.spec.facades).toEqual([
        { type: 'websocket', port: 8080 },
        { type: 'a2a', a2a: { port: 9999, agentCard: { name: 'Support', description: 'Answers questions about orders', skills: [{ id: 'orders', name: 'Order status' }] } } },
      ]);
      expect(assistant.spec.externalAuth).toEqual({
        oidc: { issuer: 'https://login.example.com', audience: 'support-agents' },
        sharedToken: { secretRef: { name: 'support-client-token' } },
      });
      expect(assistant.spec.memory).toEqual({ enabled: true, retrieval: { enabled: true, strategy: 'keyword', limit: 5 } });
      expect(assistant.spec.rollout).toEqual({
        candidate: { providerRefs: [{ name: 'default', providerRef: { name: 'openai-next' } }] },
        steps: [{ setWeight: 10 }, { pause: { duration: '1h' } }, { setWeight: 50 }, { pause: { duration: '4h' } }, { setWeight: 100 }],
        stickySession: { hashOn: 'x-user-id' },
        rollback: { mode: 'automatic', cooldown: '5m' },
      });
      expect(find(prod, 'Provider', 'openai-next').spec).toMatchObject({ type: 'openai', model: 'gpt-4o' });
      // Memory works in the namespace a Workspace governs, whose service group names the MemoryPolicy.
      const workspace = find(prod, 'Workspace', 'support');
      expect(workspace.metadata.namespace).toBeUndefined();
      expect(workspace.spec.namespace).toMatchObject({ name: assistant.metadata.namespace });
      expect(workspace.spec.services).toEqual([expect.objectContaining({ name: 'default', memory: expect.objectContaining({ policyRef: { name: 'support-memory' } }) })]);
      expect(find(prod, 'MemoryPolicy', 'support-memory').metadata.namespace).toBeUndefined();
      const prodLines: string[] = [];
      expect(cli(['validate', path.join(dir, 'dist-production')], (l) => prodLines.push(l))).toBe(0);
      expect(prodLines).toEqual([expect.stringMatching(/ object\(s\), no findings; target v0\.9\.0-beta\.17, inferred from /)]);

      // The program as the README alone makes it, deployed as its "Deploy with kubectl" section says.
      run(bin('cdk8s'), ['synth', '--app', 'npx ts-node --transpile-only readme.ts', '--output', 'dist-readme'], dir);
      const deployed = readOutput(path.join(dir, 'dist-readme'));
      expect(Object.keys(deployed)).toEqual(['0000-omnia-crds.k8s.yaml', '0001-omnia.k8s.yaml', '0002-support.k8s.yaml']);
      const deploy = fencedBlocks(markdownSection(readme, '## Deploy with kubectl')).filter((b) => b.lang === 'sh')
        .flatMap((b) => b.text.replace(/\\\n/g, ' ').split('\n')).filter((l) => l.startsWith('kubectl '));
      const files = deploy.flatMap((c) => [...c.matchAll(/ -f (\S+)/g)].map((m) => m[1]));
      expect(files.length).toBeGreaterThan(3);
      for (const file of files) expect(fs.existsSync(path.join(dir, file.replace(/^dist\//, 'dist-readme/')))).toBe(true);
      // The upgrade: --prune with a label selects exactly the agents' file's objects (kubectl skips, and never
      // prunes, an object without it), and its allowlist names every kind of them (kubectl prunes no other kind).
      const prune = deploy.filter((c) => c.includes('--prune'));
      expect(prune).toHaveLength(1);
      const [, label, value] = /-l (\S+)=(\S+)/.exec(prune[0])!;
      const pruned = deployed[/ -f dist\/(\S+)/.exec(prune[0])![1]];
      expect(pruned.length).toBeGreaterThan(4);
      // The program of the docs too (docs/production.md adds a NetworkPolicy and release objects to the chart).
      const full = support;
      for (const objects of [pruned, full]) {
        expect(objects.filter((o) => o.metadata.labels?.[label] !== value).map((o) => `${o.kind} ${o.metadata.name}`)).toEqual([]);
      }
      const allowlist = [...prune[0].matchAll(/--prune-allowlist=(\S+)/g)].map((m) => m[1]).sort();
      const gvk = (o: any) => `${o.apiVersion.includes('/') ? o.apiVersion : `core/${o.apiVersion}`}/${o.kind}`;
      // Every kind of the README's program, and only kinds the programs of the README and the docs write.
      expect(allowlist).toEqual(expect.arrayContaining([...new Set(pruned.map(gvk))]));
      expect([...new Set(full.map(gvk))]).toEqual(expect.arrayContaining(allowlist));
      // Nothing of the install carries the label: pruning the agents never removes the operator.
      const install = [...deployed['0000-omnia-crds.k8s.yaml'], ...deployed['0001-omnia.k8s.yaml']];
      expect(install.filter((o) => o.metadata.labels?.[label] === value)).toEqual([]);

      // The Helm variant: `--format helm` writes the CRDs into crds/ and the objects, their {{ escaped, into templates/.
      run(bin('cdk8s'), ['synth', '--app', 'npx ts-node --transpile-only helm.ts', '--format', 'helm', '--chart-version', '0.1.0', '--output', 'chart'], dir);
      expect(readme).toContain('npx cdk8s synth --format helm --chart-version 0.1.0 -o chart');
      const crdFiles = fs.readdirSync(path.join(dir, 'chart', 'crds'));
      expect(crdFiles.length).toBe(kinds(crds).length);
      const templates = fs.readdirSync(path.join(dir, 'chart', 'templates')).map((f) => fs.readFileSync(path.join(dir, 'chart', 'templates', f), 'utf8')).join('\n');
      expect(templates).not.toContain('kind: CustomResourceDefinition');
      expect(templates).toContain('kind: AgentRuntime');
      expect(templates).toContain('You are a support agent for {{`{{`}}company}}.');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 300_000);

  test('the install lines pin the versions this repository builds and tests with', () => {
    const setup = blocks.find((b) => b.lang === 'sh' && b.section === 'Install');
    expect(setup).toBeDefined();
    const pins = [...setup!.text.matchAll(/(@?[a-z0-9][\w./-]*)@(\d[\w.-]*)/g)].map((m) => [m[1], m[2]]);
    expect(pins.map(([name]) => name).sort()).toEqual(['@types/node', 'cdk8s', 'cdk8s-cli', 'cdk8s-plus-28', 'constructs', 'ts-node', 'typescript']);
    for (const [name, version] of pins) {
      const ours: string = packageJson.devDependencies[name];
      // @types/node is pinned by major version: its patch releases follow Node's.
      if (name === '@types/node') expect(ours.split('.')[0]).toBe(version);
      else expect(`${name}@${version}`).toBe(`${name}@${ours}`);
    }
    expect(setup!.text).toContain('npm install cdk8s-omnia ');
  });
});

describe('Troubleshooting: the library messages it quotes are what the library prints', () => {
  const project = readmeProject();
  const documented = project.variants.find((v) => v.name === 'documented')!;
  const documentedProgram = applyVariant(project.main, documented);
  /** The documented variant's block that goes after `line`. */
  const partAfter = (line: string) => documented.parts.find((p) => p.after.startsWith(line))!.block;

  /**
   * Runs a program in this process (transpiled; the README's programs are type-checked above) in a folder with
   * the pack (none for `null`) and returns the message it throws, the folder written `<project>`.
   */
  function failure(program: string, pack: string | null = project.files['prompts/customer-service.json']): string {
    const dir = fs.mkdtempSync(path.join(root, 'test', '.readme-'));
    const outdir = process.env.CDK8S_OUTDIR;
    try {
      if (pack !== null) {
        fs.mkdirSync(path.join(dir, 'prompts'));
        fs.writeFileSync(path.join(dir, 'prompts', 'customer-service.json'), pack);
      }
      const js = ts.transpileModule(program, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true } }).outputText;
      const load = (id: string) => require(id === 'cdk8s-omnia' ? path.join(root, 'lib') : id);
      process.env.CDK8S_OUTDIR = path.join(dir, 'dist');
      try {
        new Function('require', 'exports', '__dirname', '__filename', js)(load, {}, dir, path.join(dir, 'main.ts'));
      } catch (e) {
        return `Error: ${(e as Error).message}`.split(dir).join('<project>');
      }
      throw new Error('the program did not fail');
    } finally {
      if (outdir === undefined) delete process.env.CDK8S_OUTDIR;
      else process.env.CDK8S_OUTDIR = outdir;
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }

  const agentProps = "  metadata: { name: 'support-agent' },\n";
  const mistakes: Record<string, () => string> = {
    'the pack file is missing': () => failure(project.usage, null),
    'the pack file lacks its id': () => {
      const { id, ...rest } = JSON.parse(project.files['prompts/customer-service.json']);
      expect(id).toBe('customer-service');
      return failure(project.usage, JSON.stringify(rest));
    },
    'an autoscaled agent sets replicas': () => failure(edit(project.main, agentProps, `${agentProps}  replicas: 3,\n`)),
    'an API key in plain text': () => failure(edit(project.usage, "env: { LOG_LEVEL: kplus.EnvValue.fromValue('info') }",
      "env: { LOG_LEVEL: kplus.EnvValue.fromValue('info'), OPENAI_API_KEY: kplus.EnvValue.fromValue('sk-...') }")),
    'a facade port out of range': () => failure(edit(edit(project.usage, 'import {\n  AgentRuntime,', 'import {\n  AgentRuntime, Facade,'),
      agentProps, `${agentProps}  facade: Facade.websocket({ port: 80800 }),\n`)),
    'the operator without an image': () => failure(documentedProgram.split('\n').filter((l) => !/^ {2}(image|tag): /.test(l)).join('\n')),
    'the operator without a tag': () => failure(documentedProgram.split('\n').filter((l) => !/^ {2}tag: /.test(l)).join('\n')),
    'the target chosen after the agent': () => failure(edit(project.main, 'app.synth();', `${partAfter('const app')}app.synth();`)),
    'a disruption budget for the release': () => failure(edit(project.main, 'app.synth();', `${partAfter('agent.autoscale')}app.synth();`)),
  };

  test('an error is printed as the section shows: the message, the line of main.ts, then the CLI\'s own error', () => {
    const shown = blocks.filter((b) => b.file === 'README.md' && b.section === 'When something is wrong' && b.text.startsWith('$ npx cdk8s synth\n'));
    expect(shown).toHaveLength(1);
    const [, ...expected] = shown[0].text.replace(/\n$/, '').split('\n');
    const program = edit(project.usage, "metadata: { name: 'support-agent' }", "metadata: { name: 'Support_Agent' }");
    const dir = makeProject(project, { 'main.ts': program });
    try {
      const result = spawnSync(bin('cdk8s'), ['synth'], { cwd: dir, env: { ...process.env, CDK8S_CHECK_UPGRADE: 'false', CDK8S_OMNIA_DEBUG: '' }, encoding: 'utf8' });
      expect(result.status).toBe(1);
      // The project is a folder of this repository, whose node_modules hold the CLI.
      const printed = `${result.stdout}${result.stderr}`.split(dir).join('<project>').split(root).join('<project>').split('\n').filter((l) => l !== '');
      // Up to the CLI's error, as printed; the CLI's stack has its own frames (their lines vary with Node).
      const cli = expected.findIndex((l) => l.startsWith('Error: command '));
      expect(cli).toBe(3);
      expect(printed.slice(0, cli + 1)).toEqual(expected.slice(0, cli + 1));
      expect(expected[2]).toBe(`    at <project>/main.ts:${program.split('\n').findIndex((l) => l.includes('new AgentRuntime(')) + 1}:15`);
      expect(printed.slice(cli + 1).map((l) => l.replace(/:\d+:\d+\)$/, ')'))).toEqual(expected.slice(cli + 1).map((l) => l.replace(/:\d+:\d+\)$/, ')')));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 300_000);

  test('each quoted cdk8s-omnia error is produced by one mistake, and each mistake is quoted', () => {
    // The library's messages are the blocks that start with `Error: `; the tools' messages start otherwise.
    const quoted = blocks.filter((b) => b.file === 'docs/troubleshooting.md' && b.text.startsWith('Error: ')).map((b) => b.text.replace(/\n$/, ''));
    const produced = Object.entries(mistakes).map(([mistake, make]) => [mistake, make()]);
    for (const [mistake, message] of produced) expect({ mistake, quoted: quoted.includes(message) ? message : quoted }).toEqual({ mistake, quoted: message });
    expect(quoted.sort()).toEqual(produced.map(([, message]) => message).sort());
  });
});

describe('the README and the docs name only what exists', () => {
  test('every repository path they mention exists', () => {
    const paths = new Set(docs.flatMap((d) => [...d.text.matchAll(/`((?:examples|lib|test|scripts|bench|imports|docs|\.ci)\/[\w./*-]*)`/g)].map((m) => m[1])));
    const project = readmeProject();
    const template = templateFiles();
    const missing = [...paths].filter((p) => {
      if (project.files[p] !== undefined || template[p] !== undefined || p === 'main.ts' || p === 'cdk8s-omnia-metadata.json' || p === 'construct-metadata.json') return false; // files of the reader's project or of a synth
      const dir = path.join(root, path.dirname(p));
      const base = path.basename(p);
      if (!base.includes('*')) return !fs.existsSync(path.join(root, p));
      const pattern = new RegExp(`^${base.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`);
      return !fs.existsSync(dir) || !fs.readdirSync(dir).some((f) => pattern.test(f));
    });
    expect(paths.has('examples/prompts/customer-service.json')).toBe(true);
    expect(missing).toEqual([]);
  });

  test('every relative link points at a file, and at a heading of it', () => {
    /** GitHub's anchor of a heading: lower case, punctuation but '-' and '_' dropped, spaces as '-'. */
    const slug = (heading: string) => heading.trim().toLowerCase().replace(/[^\w\- ]/g, '').replace(/ /g, '-');
    const anchors = (text: string) => new Set(text.split('\n').filter((l) => /^#{1,6} /.test(l)).map((l) => slug(l.replace(/^#+ /, ''))));
    const broken: string[] = [];
    let links = 0;
    for (const { file, text } of docs) {
      const outside = fencedBlocks(text).reduce((t, b) => t.replace(b.text, ''), text);
      for (const [, target] of outside.matchAll(/\]\(([^)\s]+)\)/g)) {
        if (/^[a-z]+:/.test(target)) continue;
        links++;
        const [where, anchor] = target.split('#');
        const resolved = where ? path.join(path.dirname(file), where) : file;
        if (!fs.existsSync(path.join(root, resolved))) broken.push(`${file}: ${target}`);
        else if (anchor !== undefined && resolved.endsWith('.md') && !anchors(fs.readFileSync(path.join(root, resolved), 'utf8')).has(anchor)) broken.push(`${file}: ${target}`);
      }
    }
    expect(links).toBeGreaterThan(20);
    expect(broken).toEqual([]);
  });

  test('the README is the user\'s page: at most 300 lines, the two commands, and the contributors\' matter elsewhere', () => {
    expect(readme.split('\n').length - 1).toBeLessThanOrEqual(300);
    expect(readme).toContain('npm ci && npx cdk8s synth');
    expect(readme).toContain('npm ci && npm test');
    for (const heading of ['## Layout', '## Performance', '## Changing a CRD', '## Tests on a real Kubernetes API server']) {
      expect(readme).not.toContain(`\n${heading}\n`);
      expect(docText('CONTRIBUTING.md')).toContain(`\n${heading}\n`);
    }
  });

  test('every command of the Quick start and of CONTRIBUTING is one this repository supports, and CI runs the main ones', () => {
    const ci = fs.readFileSync(path.join(root, '.ci', 'run'), 'utf8').split('\n');
    const sections = [
      markdownSection(readme, '## Quick start'),
      markdownSection(docText('CONTRIBUTING.md'), '## The examples'),
      markdownSection(docText('CONTRIBUTING.md'), '## Tests on a real Kubernetes API server'),
    ];
    const commands = sections.flatMap((section) => fencedBlocks(section)).filter((b) => b.lang === 'sh')
      .flatMap((b) => b.text.split('\n'))
      .filter((l) => l.trim() && !l.trim().startsWith('#'))
      .flatMap((l) => l.split('&&').map((c) => c.trim()));
    expect(commands.length).toBeGreaterThan(5);

    // The files the kubectl commands read: what the examples write, with the names cdk8s gives them.
    const out = fs.mkdtempSync(path.join(root, 'test', '.readme-'));
    try {
      const app = new App({ outdir: path.join(out, 'dist') });
      OmniaTarget.use(app, OmniaApiTarget.DOCUMENTED); // as examples/main.ts does
      addInstallExample(app);
      app.synth();
      releaseApp(path.join(out, 'dist', 'omnia-v0.9.0-beta.17')).synth();
      const cdk8sYaml = fs.readFileSync(path.join(root, 'cdk8s.yaml'), 'utf8');
      for (const command of commands) {
        const [tool, verb, ...args] = command.split(/\s+/);
        if (tool === 'npm' && verb === 'ci') {
          expect(fs.existsSync(path.join(root, 'package-lock.json'))).toBe(true);
        } else if (tool === 'npm' && (verb === 'test' || verb === 'run')) {
          expect(packageJson.scripts[verb === 'test' ? 'test' : args[0]]).toBeDefined();
        } else if (tool === 'npx' && verb === 'cdk8s' && args.join(' ') === 'synth') {
          expect(packageJson.devDependencies['cdk8s-cli']).toBeDefined();
          expect(cdk8sYaml).toMatch(/^app: .*examples\/main\.ts$/m);
          expect(cdk8sYaml).toMatch(/^output: dist$/m);
        } else if (tool === 'kubectl' && ['apply', 'wait'].includes(verb)) {
          const file = args[args.indexOf('-f') + 1];
          expect(file).toMatch(/^dist\//);
          expect(fs.existsSync(path.join(out, file))).toBe(true);
        } else {
          throw new Error(`the Quick start runs a command this test does not know: ${command}`);
        }
      }
      for (const main of ['npm ci', 'npm test', 'npx cdk8s synth', 'npm run test:cluster']) {
        expect(commands).toContain(main);
        expect(ci).toContain(main);
      }
    } finally {
      fs.rmSync(out, { recursive: true, force: true });
    }
  });
});
