import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { initProject, runInit } from '../lib/init';

const own = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'package.json'), 'utf8'));
const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'omnia-init-'));

test('writes a project that pins what this package is built with, and depends on this version', () => {
  const dir = path.join(tmp(), 'Support Agents');
  const files = initProject(dir);
  expect(files.sort()).toEqual(['.gitignore', 'cdk8s.yaml', 'lib/agent-chart.ts', 'main.ts', 'package.json', 'prompts/assistant.json', 'test/agent-chart.test.ts', 'tsconfig.json']);
  const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
  expect(pkg.name).toBe('support-agents');
  expect(pkg.dependencies).toEqual({
    'cdk8s-omnia': `^${own.version}`, 'cdk8s': own.devDependencies.cdk8s, 'cdk8s-plus-28': own.devDependencies['cdk8s-plus-28'], 'constructs': own.devDependencies.constructs,
  });
  for (const [name, version] of Object.entries(pkg.devDependencies)) expect(`${name}@${version}`).toBe(`${name}@${own.devDependencies[name]}`);
  expect(pkg.devDependencies.typescript).toMatch(/^6\./);
  // The validation plugin runs from the installed package: cdk8s installs nothing for it.
  expect(fs.readFileSync(path.join(dir, 'cdk8s.yaml'), 'utf8')).toContain('  - package: ./node_modules/cdk8s-omnia\n    version: ' + own.version);
  // The pack is one the library reads: id, version and prompts.
  const pack = JSON.parse(fs.readFileSync(path.join(dir, 'prompts', 'assistant.json'), 'utf8'));
  expect(Object.keys(pack)).toEqual(expect.arrayContaining(['id', 'version', 'prompts']));
});

test('refuses a folder that is not empty, and says so on the command line with exit status 2', () => {
  const dir = tmp();
  fs.writeFileSync(path.join(dir, 'main.ts'), '// mine');
  expect(() => initProject(dir)).toThrow(`${dir} is not empty: init writes a new project into an empty folder`);
  const lines: string[] = [];
  expect(runInit([dir], (l) => lines.push(l))).toBe(2);
  expect(lines).toEqual([`cdk8s-omnia init: ${dir} is not empty: init writes a new project into an empty folder`]);
  expect(fs.readFileSync(path.join(dir, 'main.ts'), 'utf8')).toBe('// mine');
});

test('--omnia sets the dependency (a tarball in CI), and the command says what to run next', () => {
  const dir = path.join(tmp(), 'app');
  const lines: string[] = [];
  expect(runInit([dir, '--omnia', 'file:../cdk8s-omnia-0.1.0.tgz'], (l) => lines.push(l))).toBe(0);
  expect(JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')).dependencies['cdk8s-omnia']).toBe('file:../cdk8s-omnia-0.1.0.tgz');
  expect(lines[1]).toBe(`next: cd ${dir} && npm install && npm test && npx cdk8s synth`);
  expect(lines[2]).toMatch(/^commit the snapshot that the first `npm test` writes/);
});
