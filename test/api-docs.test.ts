import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const root = path.join(__dirname, '..');

// `npm test` builds first, so .jsii describes the current public API.
test('API.md is what jsii-docgen makes of the current public API', () => {
  const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'omnia-docs-')), 'API.md');
  execFileSync(path.join(root, 'node_modules', '.bin', 'jsii-docgen'), ['-o', out], { cwd: root, stdio: 'pipe' });
  const fresh = fs.readFileSync(out, 'utf8');
  if (fresh !== fs.readFileSync(path.join(root, 'API.md'), 'utf8')) {
    throw new Error("API.md is out of date: run 'npm run build && npm run docgen' and commit it");
  }
});
