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

/** Reads a CRD from the JSON copy the build writes when it is at least as new as the YAML, else the YAML. */
function readCrd(file: string): any {
  const yamlFile = path.join(CRD_DIR, file);
  const jsonFile = yamlFile.replace(/\.yaml$/, '.json');
  const json = fs.statSync(jsonFile, { throwIfNoEntry: false });
  if (json && json.mtimeMs >= fs.statSync(yamlFile).mtimeMs) return JSON.parse(fs.readFileSync(jsonFile, 'utf8'));
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
