import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { translationKey } from './kubernetes-schema';

/** Folder of the CRD files, shipped in the package next to the compiled code. */
export const CRD_DIR = path.join(__dirname, '..', 'crds');

/** The CRD files, one per kind, in the order they are installed. */
export const CRD_FILES = ['agentruntime.yaml', 'promptpack.yaml', 'toolregistry.yaml'];


let cache: any[] | undefined;

/** The three CustomResourceDefinitions, parsed once per process. Treat them as read-only. */
export function omniaCrds(): any[] {
  cache = cache ?? CRD_FILES.map(readCrd);
  return cache;
}

/** SHA-256 of a text, hex. */
export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/**
 * Reads a CRD: from the JSON copy the build writes when that copy was made from exactly this YAML text
 * (its hash), else from the YAML. Chosen by content, so file dates (which npm does not keep) do not matter.
 */
function readCrd(file: string): any {
  const yamlFile = path.join(CRD_DIR, file);
  const text = fs.readFileSync(yamlFile, 'utf8');
  const copy = readJson(yamlFile.replace(/\.yaml$/, '.json'));
  if (copy?.sourceSha256 === sha256(text)) return copy.crd;
  // Loaded only here: the yaml module is not needed when the build's JSON is there.
  return require('yaml').parse(text);
}

function readJson(file: string): any {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}

/** The JSON copy of a CRD the build writes next to the YAML: the CRD and the hash of the YAML it came from. */
export function crdJsonCopy(yamlText: string, crd: any): string {
  return JSON.stringify({ sourceSha256: sha256(yamlText), crd });
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
 * The validator the build generated for a CRD version, when it was made from exactly this schema, this
 * translation and this ajv (its translation key); otherwise undefined, and the schema is compiled instead.
 */
export function precompiledValidator(crd: any, version: string): any {
  const file = precompiledValidatorFile(crd, version);
  if (!fs.existsSync(file)) return undefined;
  const schema = crd.spec.versions.find((v: any) => v.name === version)?.schema?.openAPIV3Schema;
  const validator = require(file);
  return validator.translationKey === translationKey(schema) ? validator : undefined;
}
