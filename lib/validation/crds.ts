import * as fs from 'fs';
import * as path from 'path';
import { parse } from 'yaml';

/** Folder of the CRD files, shipped in the package next to the compiled code. */
export const CRD_DIR = path.join(__dirname, '..', 'crds');

/** The CRD files, one per kind, in the order they are installed. */
export const CRD_FILES = ['agentruntime.yaml', 'promptpack.yaml', 'toolregistry.yaml'];

export const OMNIA_GROUP = 'omnia.altairalabs.ai';

let cache: any[] | undefined;

/** The three CustomResourceDefinitions, parsed once per process. Treat them as read-only. */
export function omniaCrds(): any[] {
  cache = cache ?? CRD_FILES.map((file) => parse(fs.readFileSync(path.join(CRD_DIR, file), 'utf8')));
  return cache;
}

/** The CRD and version entry serving `apiVersion`/`kind`, if one of ours does. */
export function findCrdVersion(apiVersion: string, kind: string): { crd: any; version: any } | undefined {
  const [group, version] = apiVersion.split('/');
  const crd = omniaCrds().find((c) => c.spec.group === group && c.spec.names.kind === kind);
  const entry = crd?.spec.versions.find((v: any) => v.name === version && v.served);
  return entry ? { crd, version: entry } : undefined;
}
