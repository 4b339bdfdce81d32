// `cdk8s-omnia init [FOLDER]`: a ready cdk8s app for the release in an empty folder. The versions it pins are
// the ones this package is built and tested with (its own package.json), so a new project starts from a
// combination CI has run.
import * as fs from 'fs';
import * as path from 'path';

/** The tools of the template and the versions they are pinned to: this package's own pins. */
const PINNED_DEPENDENCIES = ['cdk8s', 'cdk8s-plus-28', 'constructs'];
const PINNED_DEV_DEPENDENCIES = ['cdk8s-cli', 'typescript', 'ts-node', 'jest', 'ts-jest', '@types/jest', '@types/node'];

/** Options of `initProject`. */
export interface InitOptions {
  /** The project's package name: by default the folder's name. */
  readonly name?: string;
  /** How the project depends on cdk8s-omnia: by default `^<this version>`; a `file:` path to a tarball in CI. */
  readonly omniaSpec?: string;
}

/** Writes the template into `dir`, which must be empty or missing. Returns the files written, relative to it. */
export function initProject(dir: string, options: InitOptions = {}): string[] {
  if (fs.existsSync(dir) && fs.readdirSync(dir).length > 0) {
    throw new Error(`${dir} is not empty: init writes a new project into an empty folder`);
  }
  const own = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'package.json'), 'utf8'));
  const pin = (names: string[]) => Object.fromEntries(names.map((n) => {
    const version = own.devDependencies?.[n];
    if (!version) throw new Error(`cdk8s-omnia's package.json pins no ${n}: the template cannot pin it`);
    return [n, version];
  }));
  const name = (options.name ?? path.basename(path.resolve(dir))).toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '') || 'omnia-agents';
  const files: Record<string, string> = {
    'package.json': `${JSON.stringify({
      name,
      version: '0.1.0',
      private: true,
      scripts: { synth: 'cdk8s synth', test: 'jest' },
      dependencies: { 'cdk8s-omnia': options.omniaSpec ?? `^${own.version}`, ...pin(PINNED_DEPENDENCIES) },
      devDependencies: pin(PINNED_DEV_DEPENDENCIES),
      jest: { testEnvironment: 'node', testMatch: ['<rootDir>/test/**/*.test.ts'], transform: { '^.+\\.ts$': 'ts-jest' } },
    }, undefined, 2)}\n`,
    'tsconfig.json': `${JSON.stringify({
      compilerOptions: { module: 'nodenext', target: 'es2022', strict: true, skipLibCheck: true, esModuleInterop: true, types: ['node', 'jest'] },
      include: ['*.ts', 'lib/**/*.ts', 'test/**/*.ts'],
    }, undefined, 2)}\n`,
    // The plugin checks the written manifests too; a local path, so cdk8s installs nothing for it.
    'cdk8s.yaml': [
      'language: typescript',
      'app: npx ts-node main.ts',
      'output: dist',
      'validations:',
      '  - package: ./node_modules/cdk8s-omnia',
      `    version: ${own.version}`,
      '    class: OmniaValidationPlugin',
      '',
    ].join('\n'),
    '.gitignore': 'node_modules/\ndist/\n',
    'main.ts': [
      "import { App } from 'cdk8s';",
      "import { AgentChart } from './lib/agent-chart';",
      '',
      'const app = new App();',
      "new AgentChart(app, 'assistant', { namespace: 'agents' });",
      'app.synth();',
      '',
    ].join('\n'),
    'lib/agent-chart.ts': [
      "import * as path from 'path';",
      "import { Chart, ChartProps } from 'cdk8s';",
      "import * as kplus from 'cdk8s-plus-28';",
      "import { Construct } from 'constructs';",
      "import { AgentRuntime, PromptPack, Provider, ProviderCredential, ProviderType, SecretKey } from 'cdk8s-omnia';",
      '',
      '/** One agent of the released Omnia operator: its model, its prompts, and the agent itself. */',
      'export class AgentChart extends Chart {',
      '  public readonly agent: AgentRuntime;',
      '',
      '  public constructor(scope: Construct, id: string, props: ChartProps = {}) {',
      '    super(scope, id, props);',
      '    // The key is never written here: create the Secret with your secret manager.',
      "    const key = kplus.Secret.fromSecretName(this, 'Key', 'openai-credentials');",
      "    const provider = new Provider(this, 'Model', {",
      "      metadata: { name: 'openai' },",
      '      type: ProviderType.OPENAI,',
      "      model: 'gpt-4o',",
      "      credential: ProviderCredential.fromSecretKey(SecretKey.of(key, 'api-key')),",
      '    });',
      "    const prompts = PromptPack.fromFile(this, 'Prompts', {",
      "      metadata: { name: 'assistant' },",
      "      file: path.join(__dirname, '..', 'prompts', 'assistant.json'),",
      '    });',
      "    this.agent = new AgentRuntime(this, 'Agent', { metadata: { name: 'assistant' }, provider, promptPack: prompts });",
      '  }',
      '}',
      '',
    ].join('\n'),
    'prompts/assistant.json': `${JSON.stringify({
      id: 'assistant',
      name: 'Assistant',
      version: '1.0.0',
      template_engine: { version: 'v1', syntax: '{{variable}}' },
      prompts: {
        chat: {
          id: 'chat',
          name: 'Chat',
          version: '1.0.0',
          system_template: 'You are a helpful assistant. Answer briefly.',
          variables: [],
          tools: [],
          parameters: { temperature: 0.3 },
        },
      },
    }, undefined, 2)}\n`,
    'test/agent-chart.test.ts': [
      "import { Testing } from 'cdk8s';",
      "import { AgentChart } from '../lib/agent-chart';",
      '',
      "test('the agent refers to its Provider and pack, and the manifests stay as reviewed', () => {",
      "  const chart = new AgentChart(Testing.app(), 'assistant', { namespace: 'agents' });",
      '  const manifests = Testing.synth(chart);',
      "  const agent = manifests.find((m) => m.kind === 'AgentRuntime');",
      "  expect(agent.spec.providers).toEqual([expect.objectContaining({ providerRef: { name: 'openai' } })]);",
      "  expect(agent.spec.promptPackRef).toEqual({ name: 'assistant' });",
      "  expect(manifests.map((m) => m.kind).sort()).toEqual(['AgentRuntime', 'ConfigMap', 'PromptPack', 'Provider']);",
      '  expect(manifests).toMatchSnapshot();',
      '});',
      '',
    ].join('\n'),
  };
  for (const [file, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), text);
  }
  return Object.keys(files);
}

/** `cdk8s-omnia init [FOLDER] [--omnia SPEC]`: writes the template and says what to run next. Returns the exit code. */
export function runInit(args: string[], out: (line: string) => void = console.log): number {
  let dir = '.';
  let omniaSpec: string | undefined;
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--omnia') omniaSpec = args[++i];
    else if (args[i] === '-h' || args[i] === '--help') {
      out('usage: cdk8s-omnia init [FOLDER] [--omnia SPEC]\n\nWrites a cdk8s app with one agent of the released Omnia operator into FOLDER (default: here), which must be\nempty. --omnia sets how it depends on cdk8s-omnia (default ^<this version>; a file: path for a tarball).');
      return 0;
    } else if (args[i].startsWith('-')) {
      out(`cdk8s-omnia init: unknown option ${args[i]}`);
      return 2;
    } else dir = args[i];
  }
  try {
    const files = initProject(dir, { omniaSpec });
    out(`wrote ${files.length} files into ${dir}: ${files.join(', ')}`);
    out(`next: cd ${dir} && npm install && npm test && npx cdk8s synth`);
    out('commit the snapshot that the first `npm test` writes (test/__snapshots__/): jest in CI (CI=true) compares with it and never writes one');
    return 0;
  } catch (e) {
    out(`cdk8s-omnia init: ${(e as Error).message}`);
    return 2;
  }
}
