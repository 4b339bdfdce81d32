// `npm run docgen`: API.md from the jsii assembly, with the L2 constructs (the package's root) and the L1
// classes (the `l1` submodule, for the documented API; the `release` submodule, one class per kind of the
// release) in parts of their own. jsii-docgen titles a type by its last name only, so `AgentRuntime` would
// head three sections; the L1 classes are titled with their submodule (`l1.AgentRuntime`). Anchors and links
// are jsii-docgen's own (the type's fully qualified name), so links across the parts keep working.
'use strict';
const fs = require('fs');
const path = require('path');
const { Documentation, Language, MarkdownRenderer } = require('jsii-docgen');

const root = path.join(__dirname, '..');

const PARTS = [
  { submodule: undefined, title: 'API Reference: L2 constructs (cdk8s-omnia)', id: 'api-reference' },
  { submodule: 'cdk8s-omnia.l1', name: 'l1', title: 'L1 classes of the documented API (the l1 submodule)', id: 'cdk8s-omnia.l1' },
  { submodule: 'cdk8s-omnia.release', name: 'release', title: 'L1 classes of the release (the release submodule)', id: 'cdk8s-omnia.release' },
];
const SECTIONS = ['constructs', 'structs', 'classes', 'interfaces', 'enums'];

async function main() {
  const out = process.argv[2] ?? path.join(root, 'API.md');
  const docs = await Documentation.forProject(root);
  const rendered = [];
  for (const part of PARTS) {
    const schema = (await docs.toJson({ language: Language.TYPESCRIPT, submodule: part.submodule, allSubmodules: false })).content;
    if (part.submodule) {
      for (const section of SECTIONS) {
        for (const type of schema.apiReference[section]) type.displayName = `${part.name}.${type.displayName}`;
      }
    }
    let text = MarkdownRenderer.fromSchema(schema, { header: { title: part.title, id: part.id } }).render();
    // The kind sections (Constructs, Structs, ...) of each part get anchors of their own too.
    if (part.submodule) text = text.replace(/^## (\w+) <a name="\1" id="\1"><\/a>$/gm, `## $1 <a name="${part.name}.$1" id="${part.name}.$1"></a>`);
    rendered.push(text);
  }
  const text = rendered.join('\n');
  // Every type heads one section, whatever part it is in.
  const headings = [...text.matchAll(/^### (\S+) <a name=/gm)].map((m) => m[1]);
  const twice = headings.filter((h, i) => headings.indexOf(h) !== i);
  if (twice.length > 0) throw new Error(`API.md would head two sections alike: ${[...new Set(twice)].join(', ')}`);
  fs.writeFileSync(out, text);
}

main().catch((e) => {
  console.error(`docgen: ${e.message}`);
  process.exit(1);
});
