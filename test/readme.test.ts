import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';

const root = path.join(__dirname, '..');

test('the README usage snippet runs and synthesizes a pack, a registry and an agent', () => {
  const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');
  const usage = readme.slice(readme.indexOf('## Usage'));
  const snippet = usage.slice(usage.indexOf('```ts') + 5, usage.indexOf('```', usage.indexOf('```ts') + 5));
  // Run it inside the repository so that 'cdk8s-omnia' can point at lib/ and node_modules resolves.
  const dir = fs.mkdtempSync(path.join(root, 'test', '.readme-'));
  try {
    fs.cpSync(path.join(root, 'examples', 'prompts'), path.join(dir, 'prompts'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'app.ts'), snippet.replace("from 'cdk8s-omnia'", `from ${JSON.stringify(path.join(root, 'lib'))}`));
    execFileSync(path.join(root, 'node_modules', '.bin', 'ts-node'), ['--project', path.join(root, 'tsconfig.dev.json'), path.join(dir, 'app.ts')], {
      cwd: dir, env: { ...process.env, CDK8S_OUTDIR: path.join(dir, 'out') }, stdio: 'pipe',
    });
    const kinds = parseAllDocuments(fs.readFileSync(path.join(dir, 'out', 'support.k8s.yaml'), 'utf8')).map((d) => d.toJS().kind);
    expect(kinds.sort()).toEqual(['AgentRuntime', 'ConfigMap', 'PromptPack', 'ToolRegistry']);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
