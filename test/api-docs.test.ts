import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const root = path.join(__dirname, '..');
const fresh = (() => {
  // `npm test` builds first, so .jsii describes the current public API.
  const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'omnia-docs-')), 'API.md');
  execFileSync(process.execPath, [path.join(root, 'scripts', 'docgen.js'), out], { cwd: root, stdio: 'pipe' });
  return fs.readFileSync(out, 'utf8');
})();

test('API.md is what npm run docgen makes of the current public API', () => {
  if (fresh !== fs.readFileSync(path.join(root, 'API.md'), 'utf8')) {
    throw new Error("API.md is out of date: run 'npm run build && npm run docgen' and commit it");
  }
});

test('API.md keeps the L2 constructs and the L1 classes apart, each type under a heading of its own', () => {
  const parts = [...fresh.matchAll(/^# (.*?) <a /gm)].map((m) => m[1]);
  expect(parts).toEqual([
    'API Reference: L2 constructs (cdk8s-omnia)',
    'L1 classes of the documented API (the l1 submodule)',
    'L1 classes of the release (the release submodule)',
  ]);
  const headings = [...fresh.matchAll(/^### (\S+) <a name="[^"]*" id="([^"]+)"/gm)].map((m) => [m[1], m[2]]);
  expect(headings.filter(([h]) => /(^|\.)AgentRuntime$/.test(h))).toEqual([
    ['AgentRuntime', 'cdk8s-omnia.AgentRuntime'],
    ['l1.AgentRuntime', 'cdk8s-omnia.l1.AgentRuntime'],
    ['release.AgentRuntime', 'cdk8s-omnia.release.AgentRuntime'],
  ]);
  const titles = headings.map(([h]) => h);
  expect(titles.filter((h, i) => titles.indexOf(h) !== i)).toEqual([]);
  // Each heading sits in its part: L2 types before the first L1 part, l1.* and release.* in theirs.
  const at = (text: string) => fresh.indexOf(text);
  expect(at('### AgentRuntime <a')).toBeLessThan(at('# L1 classes of the documented API'));
  expect(at('### l1.AgentRuntime <a')).toBeGreaterThan(at('# L1 classes of the documented API'));
  expect(at('### release.AgentRuntime <a')).toBeGreaterThan(at('# L1 classes of the release'));
  // Links across the parts point at anchors that exist.
  const ids = new Set([...fresh.matchAll(/ id="([^"]+)"/g)].map((m) => m[1]));
  const broken = [...new Set([...fresh.matchAll(/href="#([^"]+)"/g)].map((m) => m[1]))].filter((id) => !ids.has(id));
  expect(broken).toEqual([]);
});
