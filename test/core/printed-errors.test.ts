// What a person sees of a mistake in their program, run as users run it: `npx ts-node main.ts`, `npx cdk8s
// synth` (which runs the program and then prints an error of its own), and plain `node`. The project lives in
// test/.readme-errors-*/ (gitignored), where `cdk8s-omnia` is this repository, as test/readme.test.ts makes it.
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

const root = path.join(__dirname, '..', '..');
const bin = (name: string) => path.join(root, 'node_modules', '.bin', name);

// The README's first program, made small, with one mistake: a name the API server refuses.
const invalidName = `import * as path from 'path';
import { App, Chart } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { AgentRuntime, PromptPack, Provider, ProviderCredential, ProviderType, SecretKey } from 'cdk8s-omnia';

const app = new App();
const chart = new Chart(app, 'support', { namespace: 'agents' });
const apiKey = kplus.Secret.fromSecretName(chart, 'OpenAIKey', 'openai-credentials');
const prompts = PromptPack.fromFile(chart, 'Prompts', {
  metadata: { name: 'customer-service' },
  file: path.join(__dirname, 'prompts', 'customer-service.json'),
});
const openai = new Provider(chart, 'OpenAI', {
  metadata: { name: 'openai' },
  type: ProviderType.OPENAI,
  model: 'gpt-4-turbo',
  credential: ProviderCredential.fromSecretKey(SecretKey.of(apiKey, 'api-key')),
});
new AgentRuntime(chart, 'Agent', {
  metadata: { name: 'Support_Agent' },
  provider: openai,
  promptPack: prompts,
});
app.synth();
`;

// A mistake found at synth: an API key in plain text.
const plainTextKey = invalidName
  .replace("name: 'Support_Agent' },", "name: 'support-agent' },\n  env: { OPENAI_API_KEY: kplus.EnvValue.fromValue('sk-123') },");

// The first mistake, in JavaScript for plain `node`.
const plainNode = `const { App, Chart } = require('cdk8s');
const { Provider, ProviderType } = require('cdk8s-omnia');
const app = new App();
const chart = new Chart(app, 'support', { namespace: 'agents' });
new Provider(chart, 'OpenAI', { metadata: { name: 'Open_AI' }, type: ProviderType.MOCK });
app.synth();
`;

/** The 1-based line of `program` that holds `text`. */
function lineOf(program: string, text: string): number {
  const line = program.split('\n').findIndex((l) => l.includes(text)) + 1;
  if (line === 0) throw new Error(`the program has no ${JSON.stringify(text)}`);
  return line;
}

interface Printed {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

let dir: string;

function withoutTools(pack: any): any {
  for (const prompt of Object.values(pack.prompts) as any[]) prompt.tools = [];
  return pack;
}

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(root, 'test', '.readme-errors-'));
  const files: Record<string, string> = {
    'main.ts': invalidName,
    'synth.ts': plainTextKey,
    'plain.js': plainNode,
    // The examples' pack without its tools: the programs have no ToolRegistry, and each is to hold one mistake.
    'prompts/customer-service.json': JSON.stringify(withoutTools(JSON.parse(fs.readFileSync(path.join(root, 'examples', 'prompts', 'customer-service.json'), 'utf8')))),
    // The README's, for ts-node with TypeScript 6.
    'tsconfig.json': JSON.stringify({ compilerOptions: { module: 'nodenext', target: 'es2022', strict: true, skipLibCheck: true, types: ['node'] } }),
    'cdk8s.yaml': 'language: typescript\napp: npx ts-node main.ts\noutput: dist\n',
    'package.json': JSON.stringify({ name: 'support-agents', version: '1.0.0', type: 'commonjs' }),
  };
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  fs.mkdirSync(path.join(dir, 'node_modules'));
  fs.symlinkSync(root, path.join(dir, 'node_modules', 'cdk8s-omnia'), 'dir');
  fs.symlinkSync(path.join(root, 'node_modules', '.bin'), path.join(dir, 'node_modules', '.bin'), 'dir');
});

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function run(command: string, args: string[], env: Record<string, string> = {}): Printed {
  const { CDK8S_OMNIA_DEBUG, ...inherited } = process.env;
  const result = spawnSync(command, args, {
    cwd: dir,
    env: { ...inherited, CDK8S_CHECK_UPGRADE: 'false', FORCE_COLOR: '0', ...env },
    encoding: 'utf8',
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

const isFrame = (line: string) => /^\s+at /.test(line);

/**
 * Checks what the program printed of a mistake: the message first (nothing of the library above it), then
 * at most three frame lines, all of the program's own file, the first at `file:line`.
 */
function expectReadable(printed: string[], message: string, file: string, line: number): void {
  const text = printed.join('\n');
  expect(printed[0]).toBe(`Error: ${message.split('\n')[0]}`);
  expect(text.startsWith(`Error: ${message}\n`)).toBe(true);
  const frames = printed.filter(isFrame);
  expect(frames.length).toBeGreaterThanOrEqual(1);
  expect(frames.length).toBeLessThanOrEqual(3);
  expect(frames[0]).toMatch(new RegExp(`^ {4}at ${path.join(dir, file).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:${line}:\\d+$`));
  for (const frame of frames) expect(frame.startsWith(`    at ${path.join(dir, file)}:`)).toBe(true);
  // Nothing of the library, its dependencies or Node: no frame, and no source line with a caret.
  expect(text).not.toContain(`${root}${path.sep}lib${path.sep}`);
  expect(text).not.toContain('node_modules');
  expect(text).not.toContain('node:internal');
  expect(printed.some((l) => /^\s*\^+\s*$/.test(l))).toBe(false);
}

describe('a mistake in a program, as printed', () => {
  const agentLine = lineOf(invalidName, 'new AgentRuntime(');
  const nameMessage = 'support/Agent: AgentRuntime agents/Support_Agent: metadata.name: "Support_Agent" must be a lowercase RFC 1123 subdomain: '
    + "lower case letters, digits, '-' and '.', starting and ending with a letter or digit; did you mean \"support-agent\"?";

  test('npx ts-node main.ts: the message, then the line of main.ts that made the agent', () => {
    const printed = run(bin('ts-node'), ['main.ts']);
    expect(printed.status).toBe(1);
    const lines = printed.stderr.split('\n').filter((l) => l.trim() !== '');
    expectReadable(lines, nameMessage, 'main.ts', agentLine);
    expect(lines).toHaveLength(2);
  }, 120_000);

  test('npx cdk8s synth: the program\'s error as above, then only the CLI\'s own', () => {
    const printed = run(bin('cdk8s'), ['synth']);
    expect(printed.status).toBe(1);
    expect(printed.stdout).toBe('Synthesizing application\n');
    const lines = printed.stderr.split('\n').filter((l) => l.trim() !== '');
    // The cdk8s CLI says the program failed, with a stack of its own that the program cannot change.
    const cli = lines.findIndex((l) => l.startsWith('Error: command "npx ts-node main.ts'));
    expect(cli).toBeGreaterThan(0);
    expect(lines.slice(cli + 1).every((l) => isFrame(l) && /node_modules[/\\]cdk8s-cli|node:/.test(l))).toBe(true);
    expectReadable(lines.slice(0, cli), nameMessage, 'main.ts', agentLine);
    expect(cli).toBe(2);
  }, 120_000);

  test('CDK8S_OMNIA_DEBUG=1: the whole stack, the library\'s frames and Node\'s included', () => {
    const printed = run(bin('ts-node'), ['--transpile-only', 'main.ts'], { CDK8S_OMNIA_DEBUG: '1' });
    expect(printed.status).toBe(1);
    const frames = printed.stderr.split('\n').filter(isFrame);
    expect(printed.stderr).toContain(`Error: ${nameMessage}`);
    expect(frames.length).toBeGreaterThan(3);
    expect(frames.some((f) => f.includes(path.join(root, 'lib', 'core', 'errors.ts')))).toBe(true);
    expect(frames.some((f) => f.includes(`(${path.join(dir, 'main.ts')}:${agentLine}:`))).toBe(true);
    expect(frames.some((f) => f.includes('node:internal'))).toBe(true);
  }, 120_000);

  test('a finding at synth: the message, then the line that made the agent, not that of app.synth()', () => {
    const printed = run(bin('cdk8s'), ['synth', '--app', 'npx ts-node --transpile-only synth.ts']);
    expect(printed.status).toBe(1);
    const lines = printed.stderr.split('\n').filter((l) => l.trim() !== '');
    const cli = lines.findIndex((l) => l.startsWith('Error: command "npx ts-node --transpile-only synth.ts'));
    expect(cli).toBeGreaterThan(0);
    const message = 'cdk8s-omnia: 1 problem(s) in the app:\n  support/Agent: AgentRuntime agents/support-agent: spec.runtime.extraEnv[0].value: '
      + 'OPENAI_API_KEY looks like a credential and is written in plain text; use a Secret (kplus.EnvValue.fromSecretValue)';
    expectReadable(lines.slice(0, cli), message, 'synth.ts', lineOf(plainTextKey, 'new AgentRuntime('));
    expect(lines.slice(0, cli).join('\n')).not.toContain(`synth.ts:${lineOf(plainTextKey, 'app.synth()')}:`);
  }, 120_000);

  test('plain node: no source line of the library above the message', () => {
    const printed = run(process.execPath, ['plain.js']);
    expect(printed.status).toBe(1);
    const lines = printed.stderr.split('\n').filter((l) => l.trim() !== '');
    // Node ends with its version.
    expect(lines[lines.length - 1]).toBe(`Node.js ${process.version}`);
    const message = 'support/OpenAI: Provider agents/Open_AI: metadata.name: "Open_AI" must be a lowercase RFC 1123 subdomain: '
      + "lower case letters, digits, '-' and '.', starting and ending with a letter or digit; did you mean \"open-ai\"?";
    expectReadable(lines.slice(0, -1), message, 'plain.js', lineOf(plainNode, 'new Provider('));
  }, 120_000);
});
