import * as fs from 'fs';
import * as path from 'path';
import { fencedBlocks, markdownSection } from './markdown';

// docs/other-languages.md shows, per language, an install line and a snippet. The snippets must
// be the examples CI runs (scripts/check-<language>-example.sh), and the install lines the names and version
// the jsii targets of package.json publish, so neither can drift from what is checked.
const root = path.join(__dirname, '..');
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
const targets = pkg.jsii.targets;
const other = fs.readFileSync(path.join(root, 'docs', 'other-languages.md'), 'utf8');

/** The fenced code blocks of a text, with their language tags and without the final newline. */
const blocks = (text: string) => fencedBlocks(text).map((b) => ({ lang: b.lang, code: b.text.replace(/\n$/, '') }));

function dedent(lines: string[]): string[] {
  const indent = Math.min(...lines.filter((l) => l.trim() !== '').map((l) => l.length - l.trimStart().length));
  return lines.map((l) => l.slice(indent));
}

/** Whether `snippet` appears in `file` as consecutive lines, exactly but for a uniform indentation. */
function appearsIn(snippet: string, file: string): boolean {
  const want = dedent(snippet.split('\n')).join('\n');
  const lines = file.split('\n');
  const n = snippet.split('\n').length;
  for (let i = 0; i + n <= lines.length; i++) {
    if (dedent(lines.slice(i, i + n)).join('\n') === want) return true;
  }
  return false;
}

const read = (file: string) => fs.readFileSync(path.join(root, file), 'utf8');

test('docs/other-languages.md has a section per jsii target, and the README links to it', () => {
  expect([...other.matchAll(/^## (.*)$/gm)].map((m) => m[1])).toEqual(['Python', 'Java', 'Go']);
  expect(fs.readFileSync(path.join(root, 'README.md'), 'utf8')).toContain('(docs/other-languages.md)');
  expect(Object.keys(targets).sort()).toEqual(['go', 'java', 'python']);
});

test.each([
  ['Python', 'python', 'examples/python/production_agent.py'],
  ['Java', 'java', 'examples/java/src/main/java/examples/ProductionAgent.java'],
  ['Go', 'go', 'examples/go/main.go'],
])('the %s snippet is part of the example CI runs', (heading, lang, file) => {
  const code = blocks(markdownSection(other, `## ${heading}`)).filter((b) => b.lang === lang);
  expect(code).toHaveLength(1);
  expect(code[0].code.split('\n').length).toBeGreaterThan(10);
  expect(appearsIn(code[0].code, read(file))).toBe(true);
});

test('the snippet check catches a changed line', () => {
  const [go] = blocks(markdownSection(other, '## Go')).filter((b) => b.lang === 'go');
  expect(appearsIn(go.code.replace('jsii.Number(3)', 'jsii.Number(2)'), read('examples/go/main.go'))).toBe(false);
});

test('the Python install line names the wheel pacmak builds', () => {
  const sh = blocks(markdownSection(other, '## Python')).filter((b) => b.lang === 'sh');
  expect(sh.map((b) => b.code)).toEqual([`pip install ${targets.python.distName}==${pkg.version}`]);
});

test('the Java dependency is the artifact pacmak builds, as the example pom declares it', () => {
  const xml = blocks(markdownSection(other, '## Java')).filter((b) => b.lang === 'xml');
  expect(xml.map((b) => b.code)).toEqual([[
    '<dependency>',
    `  <groupId>${targets.java.maven.groupId}</groupId>`,
    `  <artifactId>${targets.java.maven.artifactId}</artifactId>`,
    `  <version>${pkg.version}</version>`,
    '</dependency>',
  ].join('\n')]);
  expect(appearsIn(xml[0].code, read('examples/java/pom.xml'))).toBe(true);
});

test('the Go install line names the module pacmak builds, as the example go.mod requires it', () => {
  const module = `${targets.go.moduleName}/${targets.go.packageName}`;
  const sh = blocks(markdownSection(other, '## Go')).filter((b) => b.lang === 'sh');
  expect(sh.map((b) => b.code)).toEqual([`go get ${module}@v${pkg.version}`]);
  expect(read('examples/go/go.mod')).toContain(`\t${module} v${pkg.version}\n`);
  expect(read('examples/go/main.go')).toContain(`"${module}"`);
});

test('the examples pin the cdk8s, cdk8s-plus-28 and constructs versions package.json pins', () => {
  const dev = pkg.devDependencies;
  const pom = read('examples/java/pom.xml');
  for (const [group, artifact, version] of [
    ['org.cdk8s', 'cdk8s', dev.cdk8s], ['org.cdk8s', 'cdk8s-plus-28', dev['cdk8s-plus-28']], ['software.constructs', 'constructs', dev.constructs],
  ]) {
    expect(pom).toContain(`<groupId>${group}</groupId>\n      <artifactId>${artifact}</artifactId>\n      <version>${version}</version>`);
  }
  const gomod = read('examples/go/go.mod');
  expect(gomod).toContain(`\tgithub.com/cdk8s-team/cdk8s-core-go/cdk8s/v2 v${dev.cdk8s}\n`);
  expect(gomod).toContain(`\tgithub.com/cdk8s-team/cdk8s-plus-go/cdk8splus28/v2 v${dev['cdk8s-plus-28']}\n`);
  expect(gomod).toContain(`\tgithub.com/aws/constructs-go/constructs/v10 v${dev.constructs}\n`);
  const requirements = read('examples/python/requirements.txt');
  for (const name of ['cdk8s', 'cdk8s-plus-28', 'constructs']) expect(requirements).toContain(`\n${name}==${dev[name]}\n`);
});
