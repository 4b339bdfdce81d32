import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const root = path.join(__dirname, '..');

/** The TypeScript sources of a folder (the build leaves .js and .d.ts next to them). */
function sources(dir: string): string[] {
  return fs.readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts')).sort();
}

test('imports/ is exactly what cdk8s import makes of the CRDs listed in cdk8s.yaml', () => {
  const fresh = fs.mkdtempSync(path.join(os.tmpdir(), 'omnia-imports-'));
  try {
    execFileSync(path.join(root, 'node_modules', '.bin', 'cdk8s'), ['import', '--output', fresh, '--no-check-upgrade'], {
      cwd: root,
      env: { ...process.env, CDK8S_CHECK_UPGRADE: 'false' },
      stdio: 'pipe',
    });
    const committed = sources(path.join(root, 'imports'));
    expect(committed).toEqual(sources(fresh));
    for (const file of committed) {
      const stale = fs.readFileSync(path.join(root, 'imports', file), 'utf8') !== fs.readFileSync(path.join(fresh, file), 'utf8');
      if (stale) throw new Error(`imports/${file} is stale: run 'npm run import' and commit the result`);
    }
  } finally {
    fs.rmSync(fresh, { recursive: true, force: true });
  }
});

test('one L1 class per kind is generated', () => {
  const text = sources(path.join(root, 'imports')).map((f) => fs.readFileSync(path.join(root, 'imports', f), 'utf8')).join('\n');
  for (const kind of ['AgentRuntime', 'PromptPack', 'ToolRegistry']) {
    expect(text).toContain(`export class ${kind} extends ApiObject`);
  }
});
