import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { OMNIA_RELEASE, OmniaApiTarget } from '../api';
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
  return (require('../third-party/yaml') as typeof import('../third-party/yaml')).parseYaml(text);
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

/** The CRDs an API target is checked against: this package's for the documented API, else the release's. */
export function crdsFor(target: OmniaApiTarget): any[] {
  switch (target) {
    case OmniaApiTarget.DOCUMENTED: return omniaCrds();
    case OmniaApiTarget.V0_9_0_BETA_17: return releaseCrds();
    default: throw new Error(unknownTargetMessage(target));
  }
}

/** Whether `target` is one of the API targets (for values from JavaScript, the CLI or a plugin's properties). */
export function isApiTarget(target: unknown): target is OmniaApiTarget {
  return Object.values(OmniaApiTarget).includes(target as OmniaApiTarget);
}

/** Why a value is no API target. */
export function unknownTargetMessage(target: unknown): string {
  return `unknown Omnia API target ${JSON.stringify(target)}: use ${Object.values(OmniaApiTarget).map((t) => JSON.stringify(t)).join(' or ')}`;
}

/** The CRD and version entry serving `apiVersion`/`kind` for `target`, if one does. */
export function findCrdVersion(apiVersion: string, kind: string, target: OmniaApiTarget): { crd: any; version: any } | undefined {
  const [group, version] = apiVersion.split('/');
  const crd = crdsFor(target).find((c) => c.spec.group === group && c.spec.names.kind === kind);
  const entry = crd?.spec.versions.find((v: any) => v.name === version && v.served);
  return entry ? { crd, version: entry } : undefined;
}

/**
 * Where the build writes the standalone schema validator of a CRD version of `target` (by default a CRD of
 * this package's own, in `lib/crds/`, as the build names them).
 */
export function precompiledValidatorFile(crd: any, version: string, target: OmniaApiTarget = OmniaApiTarget.DOCUMENTED): string {
  return target === OmniaApiTarget.DOCUMENTED
    ? path.join(CRD_DIR, `${crd.spec.names.singular}.${version}.validate.js`)
    : path.join(releaseDir(target), `${crd.spec.names.plural}.${version}.validate.js`);
}

/**
 * The validator the build generated for a CRD version, when it was made from exactly this schema, this
 * translation and this ajv (its translation key); otherwise undefined, and the schema is compiled instead.
 */
export function precompiledValidator(crd: any, version: string, target: OmniaApiTarget = OmniaApiTarget.DOCUMENTED): any {
  const file = precompiledValidatorFile(crd, version, target);
  if (!fs.existsSync(file)) return undefined;
  const schema = crd.spec.versions.find((v: any) => v.name === version)?.schema?.openAPIV3Schema;
  const validator = require(file);
  return validator.translationKey === translationKey(schema) ? validator : undefined;
}

// --- The pinned release: artifacts derived at build time from its Go module (scripts/fetch-release.js).

/**
 * The CRDs of the release its operator's manager needs (it registers a controller for each, or watches it),
 * by plural, in the order they are installed.
 */
export const RELEASE_CRD_PLURALS = [
  'agentpolicies', 'agentruntimes', 'memorypolicies', 'promptpacks', 'providers',
  'sessionretentionpolicies', 'skillsources', 'toolpolicies', 'toolregistries', 'workspaces',
];

/**
 * The CRDs of the release's enterprise kinds, by plural: their Go types live under `ee/`, and their controllers
 * start with the manager's `--enterprise` flag (the Arena kinds' with the separate arena controller). Installed
 * with `OmniaOperator({ enterprise: true })`; the checks know them always.
 */
export const RELEASE_ENTERPRISE_PLURALS = [
  'sessionprivacypolicies', 'rolloutanalyses', 'arenasources', 'arenatemplatesources', 'arenajobs', 'arenadevsessions',
];

/**
 * The release's kinds whose validators the build precompiles: every kind, as this library writes each (an app
 * that writes a kind would otherwise compile its schema at synth: 10-25 ms a kind).
 */
export const RELEASE_PRECOMPILED_PLURALS = [...RELEASE_CRD_PLURALS, ...RELEASE_ENTERPRISE_PLURALS];

/** Version of the layout of the release artifacts: artifacts of another layout are made again. */
export const RELEASE_ARTIFACTS_FORMAT = 2;

/** Folder of the artifacts derived from a release, shipped in the package next to the compiled code. */
export function releaseDir(release: string = OMNIA_RELEASE): string {
  return path.join(__dirname, '..', 'release', release);
}

/** What every release artifact records of what it was made from. */
export interface ReleaseStamp {
  /** Go module path, `github.com/altairalabs/omnia`. */
  readonly module: string;
  /** The tag of the module. */
  readonly version: string;
  /** The module's `h1:` hash, as `go mod download -json` reports it (and go.sum records it). */
  readonly sum: string;
  /** sha256 of the script and settings that made the artifact. */
  readonly generator: string;
}

/** One CRD of the release, with the file of the module it was read from. */
export interface ReleaseCrdEntry {
  readonly plural: string;
  /** Path of the source file inside the module. */
  readonly file: string;
  /** sha256 of the source file, hex. */
  readonly sha256: string;
  /** The CustomResourceDefinition, as kubectl reads the file. */
  readonly crd: any;
  /** Whether the kind is an enterprise kind (RELEASE_ENTERPRISE_PLURALS). */
  readonly enterprise: boolean;
}

/** `crds.json`: the release's CRDs in install order. */
export interface ReleaseCrds extends ReleaseStamp {
  readonly crds: ReleaseCrdEntry[];
}

/** One RBAC rule, as in a Role or ClusterRole. */
export interface ReleasePolicyRule {
  readonly apiGroups?: string[];
  readonly resources?: string[];
  readonly resourceNames?: string[];
  readonly nonResourceURLs?: string[];
  readonly verbs: string[];
}

/** A role file of the module that `rbac.json` was made from. */
export interface ReleaseRbacSource {
  /** The key of the role in `ReleaseRbac.roles`. */
  readonly role: string;
  /** Path of the source file inside the module. */
  readonly file: string;
  /** Kind (`Role` or `ClusterRole`) and name of the object the rules were taken from. */
  readonly kind: string;
  readonly name: string;
  /** sha256 of the source file, hex. */
  readonly sha256: string;
}

/** The rules of the release's own roles, by our name of each role. */
export interface ReleaseRbacRoles {
  /** `config/rbac/role.yaml`, ClusterRole `manager-role`: what the manager's controllers need. */
  readonly manager: ReleasePolicyRule[];
  /** `config/rbac/leader_election_role.yaml`, Role `leader-election-role`: leases, configmaps, events in its namespace. */
  readonly leaderElection: ReleasePolicyRule[];
  /** `config/rbac/metrics_auth_role.yaml`, ClusterRole `metrics-auth-role`: tokenreviews and subjectaccessreviews for secure metrics. */
  readonly metricsAuth: ReleasePolicyRule[];
  /** `config/rbac/metrics_reader_role.yaml`, ClusterRole `metrics-reader`: `/metrics` (nonResourceURLs) for scrapers. */
  readonly metricsReader: ReleasePolicyRule[];
  /**
   * `config/rbac/agent_workspace_reader_clusterrole.yaml`, ClusterRole `agent-workspace-reader`: what agent
   * pods read; the operator binds it per pod by the name given in `--agent-workspace-reader-clusterrole`.
   */
  readonly agentWorkspaceReader: ReleasePolicyRule[];
  /**
   * `ee/config/rbac/role.yaml`, ClusterRole `arena-manager-role`: what the enterprise controllers need beyond
   * the manager's role (the session privacy policies among them).
   */
  readonly enterprise: ReleasePolicyRule[];
}

/** `rbac.json`. */
export interface ReleaseRbac extends ReleaseStamp {
  readonly sources: ReleaseRbacSource[];
  readonly roles: ReleaseRbacRoles;
}

const releaseCache = new Map<string, any>();

function readReleaseArtifact(file: string): any {
  let artifact = releaseCache.get(file);
  if (!artifact) {
    const full = path.join(releaseDir(), file);
    try {
      artifact = JSON.parse(fs.readFileSync(full, 'utf8'));
    } catch (e) {
      throw new Error(`the artifacts of Omnia ${OMNIA_RELEASE} cannot be read (${full}: ${(e as Error).message}); `
        + 'the package build derives them from the release\'s Go module: run `npm run build` (scripts/fetch-release.js)');
    }
    if (artifact.version !== OMNIA_RELEASE) {
      throw new Error(`${full} was made from Omnia ${artifact.version}, not ${OMNIA_RELEASE}: run \`npm run build\` again`);
    }
    releaseCache.set(file, artifact);
  }
  return artifact;
}

/** `crds.json` of the pinned release, read once per process. Treat it as read-only. */
export function releaseCrdsArtifact(): ReleaseCrds {
  return readReleaseArtifact('crds.json');
}

/**
 * The CRDs of the pinned release, the enterprise kinds' last, parsed once per process: what the checks know.
 * Read-only.
 */
export function releaseCrds(): any[] {
  let crds = releaseCache.get('crds');
  if (!crds) {
    crds = releaseCrdsArtifact().crds.map((entry) => entry.crd);
    releaseCache.set('crds', crds);
  }
  return crds;
}

/** The CRDs an install of the release applies, in install order: the enterprise kinds' only when asked. Read-only. */
export function releaseInstallCrds(enterprise: boolean): any[] {
  return releaseCrdsArtifact().crds.filter((entry) => enterprise || !entry.enterprise).map((entry) => entry.crd);
}

/** Whether `kind` is an enterprise kind of the pinned release. */
export function isReleaseEnterpriseKind(kind: string): boolean {
  return releaseCrdsArtifact().crds.some((entry) => entry.enterprise && entry.crd.spec.names.kind === kind);
}

/** `rbac.json` of the pinned release, read once per process. Treat it as read-only. */
export function releaseRbac(): ReleaseRbac {
  return readReleaseArtifact('rbac.json');
}
