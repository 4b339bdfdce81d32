// How much of the release a user can write with types: from the release's CRDs (read at build time from its
// Go module) and what the L2 constructs write when the release examples and the coverage programs
// (test/fixtures/release-coverage/) are synthesized. A leaf spec field counts when an object that an L2
// construct rendered holds it, with no JSON patch on that object. An embedded Kubernetes type (an affinity, a
// volume, an env var, ...) counts as one leaf: the L2 props take it whole, as cdk8s-plus types do.
//   npm run coverage:release [-- --missing]    (--missing lists the leaf fields no L2 writes)
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ApiObject, App, Chart } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { featuresApp } from '../examples/release-features';
import { releaseApp } from '../examples/release';
import { AgentRuntime, OmniaOperator, PromptPack, Provider, release, ToolRegistry } from '../lib';
import { ReleaseObject } from '../lib/targets/release-kinds';
import { releaseCrds } from '../lib/validation/crds';
import { COVERAGE_AREAS } from '../test/fixtures/release-coverage';

/** The kinds whose leaf fields are counted, with the L2 class that writes each. */
export const COUNTED_KINDS: { readonly [kind: string]: Function } = { AgentRuntime, Provider, PromptPack, ToolRegistry };

/**
 * Kubernetes types the release's CRDs embed, known by their properties: each is one leaf, wherever it sits.
 * `required` are properties the type always has; `some` holds when at least `min` of them are present too.
 */
const EMBEDDED_TYPES: { name: string; exactly?: string[]; required?: string[]; some?: string[]; min?: number }[] = [
  { name: 'Affinity', exactly: ['nodeAffinity', 'podAffinity', 'podAntiAffinity'] },
  { name: 'Toleration', exactly: ['effect', 'key', 'operator', 'tolerationSeconds', 'value'] },
  { name: 'VolumeMount', required: ['mountPath', 'name', 'readOnly', 'subPath'] },
  { name: 'Volume', required: ['name'], some: ['configMap', 'secret', 'emptyDir', 'persistentVolumeClaim', 'hostPath', 'projected'], min: 4 },
  { name: 'EnvVar', exactly: ['name', 'value', 'valueFrom'] },
  { name: 'EnvFromSource', exactly: ['configMapRef', 'prefix', 'secretRef'] },
  { name: 'ResourceRequirements', exactly: ['claims', 'limits', 'requests'] },
];

/** The Kubernetes type a schema node is, if it is one that counts as a single leaf. */
export function embeddedType(schema: any): string | undefined {
  const props = Object.keys(schema?.properties ?? {}).sort();
  if (props.length === 0) return undefined;
  return EMBEDDED_TYPES.find((t) => {
    if (t.exactly) return t.exactly.length === props.length && t.exactly.every((p) => props.includes(p));
    if (!t.required!.every((p) => props.includes(p))) return false;
    return !t.some || t.some.filter((p) => props.includes(p)).length >= (t.min ?? 1);
  })?.name;
}

/** Every leaf field path of a schema: `spec.a.b`, `spec.list[].c`; an embedded type is one path. */
export function leafPaths(schema: any, at: string, out: Map<string, string | undefined> = new Map()): Map<string, string | undefined> {
  const items = schema?.type === 'array' ? schema.items : undefined;
  const node = items ?? schema;
  const where = items ? `${at}[]` : at;
  const embedded = embeddedType(node);
  if (embedded) out.set(where, embedded);
  else if (node?.type === 'object' && node.properties) {
    for (const [key, child] of Object.entries(node.properties)) leafPaths(child, `${where}.${key}`, out);
  } else out.set(where, undefined);
  return out;
}

/** The leaf paths a rendered value holds, walked along its schema (the same paths as `leafPaths`). */
export function writtenPaths(schema: any, value: any, at: string, out: Set<string> = new Set()): Set<string> {
  if (value === undefined || value === null) return out;
  if (schema?.type === 'array' && Array.isArray(value)) {
    for (const item of value) writtenPaths(schema.items, item, `${at}[]`, out);
    return out;
  }
  if (!embeddedType(schema) && schema?.type === 'object' && schema.properties && typeof value === 'object') {
    for (const [key, child] of Object.entries(value)) {
      if (schema.properties[key]) writtenPaths(schema.properties[key], child, `${at}.${key}`, out);
    }
    return out;
  }
  out.add(at);
  return out;
}

/** The spec schema of a kind of the release. */
function specSchema(kind: string): any {
  const crd = releaseCrds().find((c) => c.spec.names.kind === kind);
  if (!crd) throw new Error(`the release has no CRD of kind ${kind}`);
  return crd.spec.versions.find((v: any) => v.storage).schema.openAPIV3Schema.properties.spec;
}

/** The apps whose L2 objects are counted: the release examples and an app of the coverage programs. */
export function exampleApps(outdir: string): App[] {
  const coverage = new App({ outdir: path.join(outdir, 'coverage') });
  const operator = new OmniaOperator(coverage, 'omnia', { enterprise: true });
  const namespaces = new Chart(coverage, 'namespaces');
  for (const [area, fill] of Object.entries(COVERAGE_AREAS)) {
    new kplus.Namespace(namespaces, area, { metadata: { name: `coverage-${area}` } });
    const chart = new Chart(coverage, `coverage-${area}`, { namespace: `coverage-${area}` });
    chart.addDependency(operator, namespaces);
    fill(chart);
  }
  return [releaseApp(path.join(outdir, 'release')), featuresApp(path.join(outdir, 'features')), coverage];
}

export interface Coverage {
  /** Per counted kind: every leaf path, and those some L2 object wrote. */
  readonly kinds: { kind: string; leaves: string[]; written: string[] }[];
  /** Kinds of the release, and those the `release` submodule has a checked class for. */
  readonly releaseKinds: string[];
  readonly typedKinds: string[];
}

/** Synthesizes the apps (every check runs) and counts what their L2 objects wrote. */
export function measure(apps: (outdir: string) => App[] = exampleApps): Coverage {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'release-coverage-'));
  const written = new Map<string, Set<string>>(Object.keys(COUNTED_KINDS).map((k) => [k, new Set<string>()]));
  try {
    for (const app of apps(outdir)) {
      app.synth();
      for (const c of app.node.findAll()) {
        if (!(c instanceof ApiObject) || !written.has(c.kind)) continue;
        const owner = c.node.scope as Construct;
        if (!(owner instanceof COUNTED_KINDS[c.kind] && c.node.id === 'Resource' && ReleaseObject.prototype.isPrototypeOf(c))) continue;
        // A patched object says what the patch wrote, not what the props can.
        if ((c as any).patched) throw new Error(`${c.node.path}: a JSON patch on an object the coverage counts: write it with typed props`);
        writtenPaths(specSchema(c.kind), c.toJson().spec, 'spec', written.get(c.kind));
      }
    }
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
  const releaseKinds = releaseCrds().map((c) => c.spec.names.kind as string).sort();
  // ApiObject's `instanceof` accepts any ApiObject: the prototype chain says which class it is.
  const typedKinds = releaseKinds.filter((k) => typeof (release as any)[k] === 'function' && ReleaseObject.prototype.isPrototypeOf((release as any)[k].prototype));
  return {
    kinds: Object.keys(COUNTED_KINDS).map((kind) => {
      const leaves = [...leafPaths(specSchema(kind), 'spec').keys()];
      return { kind, leaves, written: leaves.filter((l) => written.get(kind)!.has(l)) };
    }),
    releaseKinds,
    typedKinds,
  };
}

export function report(coverage: Coverage, missing: boolean): string[] {
  const total = coverage.kinds.reduce((n, k) => n + k.leaves.length, 0);
  const typed = coverage.kinds.reduce((n, k) => n + k.written.length, 0);
  const pct = (a: number, b: number) => `${Math.round((1000 * a) / b) / 10}%`;
  const lines = [
    `release coverage: L2 ${typed}/${total} leaf fields (${pct(typed, total)}) in ${coverage.kinds.map((k) => k.kind).join(', ')}; `
      + `typed L1 ${coverage.typedKinds.length}/${coverage.releaseKinds.length} kinds`,
    ...coverage.kinds.map((k) => `  ${k.kind}: ${k.written.length}/${k.leaves.length} (${pct(k.written.length, k.leaves.length)})`),
  ];
  if (missing) {
    for (const k of coverage.kinds) for (const leaf of k.leaves.filter((l) => !k.written.includes(l))) lines.push(`  untyped: ${k.kind} ${leaf}`);
  }
  return lines;
}

if (require.main === module) {
  for (const line of report(measure(), process.argv.includes('--missing'))) console.log(line);
}
