import * as fs from 'fs';
import * as path from 'path';

/** Folder of the CRD files, shipped in the package next to the compiled code. */
export const CRD_DIR = path.join(__dirname, '..', 'crds');

/** The CRD files, one per kind, in the order they are installed. */
export const CRD_FILES = ['agentruntime.yaml', 'promptpack.yaml', 'toolregistry.yaml'];

export const OMNIA_GROUP = 'omnia.altairalabs.ai';

let cache: any[] | undefined;

/** The three CustomResourceDefinitions, parsed once per process. Treat them as read-only. */
export function omniaCrds(): any[] {
  cache = cache ?? CRD_FILES.map(readCrd);
  return cache;
}

/** Whether `generated`, written by the build from `source`, exists and is at least as new as it. */
function isFresh(generated: string, source: string): boolean {
  const stat = fs.statSync(generated, { throwIfNoEntry: false });
  return stat !== undefined && stat.mtimeMs >= fs.statSync(source).mtimeMs;
}

/** Reads a CRD from the JSON copy the build writes when it is at least as new as the YAML, else the YAML. */
function readCrd(file: string): any {
  const yamlFile = path.join(CRD_DIR, file);
  const jsonFile = yamlFile.replace(/\.yaml$/, '.json');
  if (isFresh(jsonFile, yamlFile)) return JSON.parse(fs.readFileSync(jsonFile, 'utf8'));
  // Loaded only here: the yaml module is not needed when the build's JSON is there.
  return require('yaml').parse(fs.readFileSync(yamlFile, 'utf8'));
}

/** The CRD and version entry serving `apiVersion`/`kind`, if one of ours does. */
export function findCrdVersion(apiVersion: string, kind: string): { crd: any; version: any } | undefined {
  const [group, version] = apiVersion.split('/');
  const crd = omniaCrds().find((c) => c.spec.group === group && c.spec.names.kind === kind);
  const entry = crd?.spec.versions.find((v: any) => v.name === version && v.served);
  return entry ? { crd, version: entry } : undefined;
}

/** Where the build writes the standalone schema validator of a CRD version. */
export function precompiledValidatorFile(crd: any, version: string): string {
  return path.join(CRD_DIR, `${crd.spec.names.singular}.${version}.validate.js`);
}

/**
 * The validator the build generated for a CRD version, when it is at least as new as the CRD file and the
 * schema translation that produced it (so an edit of either, before the next build, is never masked).
 */
export function precompiledValidator(crd: any, version: string): any {
  const file = precompiledValidatorFile(crd, version);
  const sources = [
    path.join(CRD_DIR, CRD_FILES.find((f) => f.startsWith(crd.spec.names.singular))!),
    ...['.ts', '.js'].map((ext) => path.join(__dirname, `kubernetes-schema${ext}`)).filter((f) => fs.existsSync(f)),
  ];
  return sources.every((source) => isFresh(file, source)) ? require(file) : undefined;
}
