import { OMNIA_GROUP, OmniaApiTarget } from '../api';
import { FindingCheck, ValidationFinding } from './findings';
import { promptToolFindings } from './prompt-tools';

/** A manifest and where it came from. */
export interface LocatedManifest {
  readonly manifest: any;
  readonly origin?: string;
  /** 1-based index of the document in its file, when read from a file. */
  readonly document?: number;
  /** 1-based line where the document starts, when read from a file. */
  readonly line?: number;
  /**
   * Known to be plain JSON data (read from a file by this library, or rendered by cdk8s): no walk for
   * cycles and values JSON cannot hold. With `ownsObjects`, the checks may also write defaults into it.
   */
  readonly checkedJson?: boolean;
}

/** An object declared to live outside the manifests (`PromptPack.fromName` & co.). */
export interface ExternalObject {
  readonly kind: string;
  readonly name: string;
  /** Undefined: the referrer's namespace, whichever it is. */
  readonly namespace?: string;
}

const PACK_KEYS = ['id', 'version', 'prompts'];
// Env names that hold credentials: their value belongs in a Secret.
const CREDENTIAL_NAME = /(^|_)(API_?KEY|TOKEN|SECRET|PASSWORD|PASSWD|CREDENTIALS?)($|_)/i;
// How the construct of a kind declares an object outside the app.
const FROM_NAME: { [kind: string]: (name: string, namespace: string) => string } = {
  PromptPack: (name, ns) => `PromptPack.fromName(scope, id, ${JSON.stringify(name)}, ${JSON.stringify(ns)})`,
  ToolRegistry: (name, ns) => `ToolRegistry.fromName(scope, id, ${JSON.stringify(name)}, ${JSON.stringify(ns)})`,
  Provider: (name, ns) => `Provider.fromProviderName(scope, id, ${JSON.stringify(name)}, { namespace: ${JSON.stringify(ns)} })`,
  MemoryPolicy: (name) => `MemoryPolicy.fromMemoryPolicyName(scope, id, ${JSON.stringify(name)})`,
  SessionRetentionPolicy: (name) => `SessionRetentionPolicy.fromSessionRetentionPolicyName(scope, id, ${JSON.stringify(name)})`,
  SkillSource: (name) => `SkillSource.fromSkillSourceName(scope, id, ${JSON.stringify(name)})`,
};
const NOTE = Symbol.for('cdk8s-omnia.referenceNote');

/**
 * Marks a reference of an app's object with what the app knows and the manifest does not say (the Provider
 * an inline credential comes from): findings about the reference end with it.
 */
export function withReferenceNote<T extends object>(ref: T, note: string): T {
  Object.defineProperty(ref, NOTE, { value: note });
  return ref;
}
// HTTP headers that carry credentials.
const CREDENTIAL_HEADER = /^(authorization|proxy-authorization|x-api-key|api-key)$/i;

const namespaceOf = (m: any): string => m?.metadata?.namespace ?? 'default';

/** Parses `Kind/namespace/name` or `Kind/name` (any namespace), the form the CLI and plugin take. */
export function parseExternal(spec: string): ExternalObject {
  const parts = spec.split('/');
  if (parts.length < 2 || parts.length > 3 || parts.some((p) => !p)) {
    throw new Error(`external object ${JSON.stringify(spec)} must be Kind/namespace/name or Kind/name`);
  }
  return parts.length === 3 ? { kind: parts[0], namespace: parts[1], name: parts[2] } : { kind: parts[0], name: parts[1] };
}

/**
 * What the reference checks need to know of the objects that may be referred to: whether one is defined,
 * and the keys and values of Secrets and ConfigMaps. Built from manifests (CLI, plugin) or from an app.
 */
export interface ObjectIndex {
  /** The object with this API group ('' for the core group), kind, namespace and name, if defined. */
  find(group: string, kind: string, namespace: string, name: string): IndexedObject | undefined;
}

/** A defined object, as far as references look into it. */
export interface IndexedObject {
  /** The keys of a Secret (`data`, `stringData`) or ConfigMap (`data`, `binaryData`). */
  keys(): string[];
  /** Whether a Secret or ConfigMap has `key`. */
  hasKey(key: string): boolean;
  /** The text under `key` of a ConfigMap's `data`, if any. */
  text(key: string): string | undefined;
  /** The spec of an Omnia object, as far as the checks read it (a PromptPack's source, a ToolRegistry's handlers). */
  spec(): any;
}

/** An index over plain manifests. */
export function manifestIndex(objects: LocatedManifest[]): ObjectIndex {
  const index = new Map<string, any>();
  for (const o of objects) {
    if (o.manifest?.kind && o.manifest?.metadata?.name) {
      index.set(key(groupOf(o.manifest), o.manifest.kind, namespaceOf(o.manifest), o.manifest.metadata.name), o.manifest);
    }
  }
  return {
    find: (group, kind, namespace, name) => {
      const m = index.get(key(group, kind, namespace, name));
      return m === undefined ? undefined : manifestAsIndexed(m);
    },
  };
}

/** A manifest seen by the reference checks. */
export function manifestAsIndexed(m: any): IndexedObject {
  const keysOf = (v: unknown) => (isObject(v) ? Object.keys(v) : []);
  const keys = () => (m.kind === 'Secret' ? [...keysOf(m.data), ...keysOf(m.stringData)] : [...keysOf(m.data), ...keysOf(m.binaryData)]);
  return {
    keys,
    hasKey: (k) => keys().includes(k),
    text: (k) => (isObject(m.data) && typeof m.data[k] === 'string' ? m.data[k] : undefined),
    spec: () => m.spec,
  };
}

/**
 * Checks what no schema can: that references between objects resolve, that the keys they name exist,
 * that a PromptPack's ConfigMap holds the pack it announces, and that credentials are not inlined.
 * `objects` are the referring objects; `index` the objects they may refer to (by default, `objects`);
 * `target` the API whose fields the references are read from.
 */
export function referenceFindings(
  objects: LocatedManifest[], externals: ExternalObject[] = [], fromFiles = false, index: ObjectIndex = manifestIndex(objects),
  target: OmniaApiTarget,
): ValidationFinding[] {
  // Secrets and ConfigMaps are core objects; packs and registries are Omnia's: a kind of another group never matches.
  const find = (kind: string, namespace: string, name: string) =>
    index.find(kind === 'Secret' || kind === 'ConfigMap' ? '' : OMNIA_GROUP, kind, namespace, name);
  const isExternal = (kind: string, namespace: string, name: string) =>
    externals.some((e) => e.kind === kind && e.name === name && (e.namespace === undefined || e.namespace === namespace));

  const findings: ValidationFinding[] = [];
  const users = target === OmniaApiTarget.DOCUMENTED ? new Map<string, string[]>() : providerUsers(objects);
  for (const { manifest, origin, document, line } of objects) {
    const ns = namespaceOf(manifest);
    // A Provider's broken Secret fails every agent that uses it: its findings name them.
    const agents = manifest?.kind === 'Provider' ? users.get(`${ns}/${manifest.metadata?.name}`) : undefined;
    const report = (path: string, message: string, check = FindingCheck.REFERENCE) => findings.push({
      apiVersion: manifest.apiVersion, kind: manifest.kind, name: manifest.metadata?.name,
      namespace: manifest.metadata?.namespace, path, check, origin, document, line,
      message: agents && check === FindingCheck.REFERENCE ? `${message}; the Provider is used by ${agents.join(', ')}` : message,
    });
    const spec = isObject(manifest?.spec) ? manifest.spec : {};

    /**
     * A key of a Secret or ConfigMap in the manifests must exist; objects outside them are not checked, nor
     * references Kubernetes treats as optional (`optional: true`: the pod starts without the key).
     */
    const checkKey = (path: string, kind: 'Secret' | 'ConfigMap', ref: any, key = ref?.key, inNs = ns) => {
      if (!ref?.name || key === undefined || ref.optional === true) return;
      const referred = find(kind, inNs, ref.name);
      if (!referred) return;
      if (!referred.hasKey(key)) {
        const keys = referred.keys();
        const note = typeof ref[NOTE] === 'string' ? `; ${ref[NOTE]}` : '';
        report(path, `${kind} ${inNs}/${ref.name} has no key ${JSON.stringify(key)} (it has ${keys.length ? keys.map((k) => JSON.stringify(k)).join(', ') : 'no keys'})${note}`);
      }
    };

    /** A reference to an object of the app must resolve in the namespace the operator looks in. */
    const checkRef = (path: string, kind: string, ref: any, sameNamespaceOnly = false) => {
      if (!ref?.name) return;
      const targetNs = sameNamespaceOnly ? ns : ref.namespace ?? ns;
      if (find(kind, targetNs, ref.name) || isExternal(kind, targetNs, ref.name)) return;
      // A cluster-scoped object is indexed under `default` but named without a namespace.
      const id = ref[CLUSTER_SCOPED] ? ref.name : `${targetNs}/${ref.name}`;
      const how = fromFiles
        ? `list it as external (${kind}/${id} in the plugin's "external" property or the CLI's --external)`
        : FROM_NAME[kind] ? `declare it as external with ${FROM_NAME[kind](ref.name, targetNs)}` : undefined;
      report(path, `${kind} ${id} is not defined in the ${fromFiles ? 'manifests' : 'app'}${how ? `; define it, or ${how}` : ''}`);
    };

    /** Environment variables: their Secret and ConfigMap keys, and credentials written in plain text. */
    const checkEnv = (path: string, list: unknown) => {
      listOf(list).forEach((env: any, i: number) => {
        checkKey(`${path}[${i}].valueFrom.secretKeyRef`, 'Secret', env?.valueFrom?.secretKeyRef);
        checkKey(`${path}[${i}].valueFrom.configMapKeyRef`, 'ConfigMap', env?.valueFrom?.configMapKeyRef);
        if (typeof env?.value === 'string' && env.value && CREDENTIAL_NAME.test(env.name ?? '')) {
          report(`${path}[${i}].value`, `${env.name} looks like a credential and is written in plain text; use a Secret (kplus.EnvValue.fromSecretValue)`, FindingCheck.PLAIN_TEXT_SECRET);
        }
      });
    };

    /**
     * The keys a pod's volumes project from Secrets and ConfigMaps (`items`): kubelet fails the mount on a
     * missing one unless the source is optional.
     */
    const checkVolumes = (path: string, list: unknown) => {
      const checkItems = (at: string, kind: 'Secret' | 'ConfigMap', source: any, name: unknown) => {
        listOf(source?.items).forEach((item: any, j: number) => {
          if (typeof item?.key === 'string') checkKey(`${at}.items[${j}].key`, kind, { name, optional: source.optional }, item.key);
        });
      };
      listOf(list).forEach((volume: any, i: number) => {
        checkItems(`${path}[${i}].secret`, 'Secret', volume?.secret, volume?.secret?.secretName);
        checkItems(`${path}[${i}].configMap`, 'ConfigMap', volume?.configMap, volume?.configMap?.name);
        listOf(volume?.projected?.sources).forEach((source: any, j: number) => {
          const at = `${path}[${i}].projected.sources[${j}]`;
          checkItems(`${at}.secret`, 'Secret', source?.secret, source?.secret?.name);
          checkItems(`${at}.configMap`, 'ConfigMap', source?.configMap, source?.configMap?.name);
        });
      });
    };

    /** HTTP headers that carry credentials in plain text. */
    const checkHeaders = (path: string, headers: unknown, use: string) => {
      for (const header of Object.keys(isObject(headers) ? headers : {})) {
        if (CREDENTIAL_HEADER.test(header)) {
          report(`${path}[${header}]`, `the ${header} header is written in plain text; put the credential in a Secret and use ${use}`, FindingCheck.PLAIN_TEXT_SECRET);
        }
      }
    };

    /**
     * The tools the prompts of the pack `packRef` names are provided by the registry `registryRef` (absent: the
     * agent has none); `packHere`: the pack is looked up in the agent's namespace only.
     */
    const checkTools = (packRef: any, registryRef: any, packHere: boolean, path: string) => {
      if (typeof packRef?.name !== 'string') return;
      const packNs = packHere || typeof packRef.namespace !== 'string' ? ns : packRef.namespace;
      const packObject = find('PromptPack', packNs, packRef.name);
      const registryNs = typeof registryRef?.namespace === 'string' ? registryRef.namespace : ns;
      const registry = registryRef === undefined || registryRef === null ? undefined : {
        namespace: registryNs, name: String(registryRef.name),
        object: typeof registryRef.name === 'string' ? find('ToolRegistry', registryNs, registryRef.name) : undefined,
      };
      promptToolFindings(
        { pack: packObject && { object: packObject, namespace: packNs, name: packRef.name }, registry, path },
        target, (namespace, name) => find('ConfigMap', namespace, name), report,
      );
    };

    if (groupOf(manifest) !== OMNIA_GROUP) continue;
    if (target !== OmniaApiTarget.DOCUMENTED) {
      const checkKeyIn = (path: string, inNs: string, ref: any, key: string) => checkKey(path, 'Secret', ref, key, inNs);
      releaseReferences(manifest.kind, spec, { report, find, ns, checkKey, checkKeyIn, checkRef, checkEnv, checkVolumes, checkHeaders, checkTools });
      continue;
    }
    switch (manifest.kind) {
      case 'AgentRuntime':
        checkRef('spec.promptPackRef', 'PromptPack', spec.promptPackRef);
        checkRef('spec.toolRegistryRef', 'ToolRegistry', spec.toolRegistryRef);
        checkKey('spec.provider.apiKeySecretRef', 'Secret', spec.provider?.apiKeySecretRef);
        checkKey('spec.session.storeRef', 'Secret', spec.session?.storeRef);
        checkEnv('spec.env', spec.env);
        checkTools(spec.promptPackRef, spec.toolRegistryRef, false, 'spec.toolRegistryRef');
        break;
      case 'ToolRegistry':
        listOf(spec.handlers).forEach((handler: any, i: number) => {
          checkKey(`spec.handlers[${i}].authSecretRef`, 'Secret', handler?.authSecretRef);
          checkHeaders(`spec.handlers[${i}].httpConfig.headers`, handler?.httpConfig?.headers, 'authSecretRef');
        });
        break;
      case 'PromptPack': {
        const ref = spec.source?.configMapRef;
        const configMap = ref?.name ? find('ConfigMap', ns, ref.name) : undefined;
        if (configMap) checkPack(configMap, `ConfigMap ${ns}/${ref.name}`, ref.key ?? 'pack.json', spec, report);
        break;
      }
    }
  }
  return findings;
}

/** What the checks of one referring object offer to the checks of a target's shape. */
interface ReferenceChecks {
  readonly ns: string;
  report(path: string, message: string, check?: FindingCheck): void;
  find(kind: string, namespace: string, name: string): IndexedObject | undefined;
  checkKey(path: string, kind: 'Secret' | 'ConfigMap', ref: any, key?: string): void;
  /** checkKey for a Secret in another namespace than the referrer's. */
  checkKeyIn(path: string, namespace: string, ref: any, key: string): void;
  checkRef(path: string, kind: string, ref: any, sameNamespaceOnly?: boolean): void;
  checkEnv(path: string, list: unknown): void;
  checkVolumes(path: string, list: unknown): void;
  checkHeaders(path: string, headers: unknown, use: string): void;
  checkTools(packRef: any, registryRef: any, packHere: boolean, path: string): void;
}

/**
 * The references of the release's shape (v0.9.0-beta.17), where its operator resolves them: providers are
 * `Provider` objects, a pack is looked up in the agent's namespace only, a Secret is read in the namespace of
 * the object that names it.
 */
function releaseReferences(kind: string, spec: any, c: ReferenceChecks): void {
  switch (kind) {
    case 'AgentRuntime':
      listOf(spec.providers).forEach((p: any, i: number) => c.checkRef(`spec.providers[${i}].providerRef`, 'Provider', p?.providerRef));
      c.checkRef('spec.promptPackRef', 'PromptPack', spec.promptPackRef, true);
      c.checkRef('spec.toolRegistryRef', 'ToolRegistry', spec.toolRegistryRef);
      // The operator reads the store's URL from this one key.
      c.checkKey('spec.context.storeRef', 'Secret', spec.context?.storeRef, 'url');
      // The facade reads the shared token from this one key.
      c.checkKey('spec.externalAuth.sharedToken.secretRef', 'Secret', spec.externalAuth?.sharedToken?.secretRef, 'token');
      c.checkEnv('spec.runtime.extraEnv', spec.runtime?.extraEnv);
      c.checkEnv('spec.podOverrides.extraEnv', spec.podOverrides?.extraEnv);
      c.checkVolumes('spec.runtime.volumes', spec.runtime?.volumes);
      c.checkVolumes('spec.podOverrides.extraVolumes', spec.podOverrides?.extraVolumes);
      c.checkEnv('spec.evals.podOverrides.extraEnv', spec.evals?.podOverrides?.extraEnv);
      c.checkVolumes('spec.evals.podOverrides.extraVolumes', spec.evals?.podOverrides?.extraVolumes);
      c.checkRef('spec.privacyPolicyRef', 'SessionPrivacyPolicy', spec.privacyPolicyRef, true);
      c.checkRef('spec.rollout.candidate.promptPackRef', 'PromptPack', spec.rollout?.candidate?.promptPackRef, true);
      c.checkRef('spec.rollout.candidate.toolRegistryRef', 'ToolRegistry', spec.rollout?.candidate?.toolRegistryRef);
      listOf(spec.rollout?.candidate?.providerRefs).forEach((p: any, i: number) => c.checkRef(`spec.rollout.candidate.providerRefs[${i}].providerRef`, 'Provider', p?.providerRef));
      listOf(spec.rollout?.steps).forEach((s: any, i: number) => c.checkRef(`spec.rollout.steps[${i}].analysis.templateName`, 'RolloutAnalysis', s?.analysis && { name: s.analysis.templateName }, true));
      listOf(spec.facades).forEach((f: any, i: number) => {
        c.checkEnv(`spec.facades[${i}].extraEnv`, f?.extraEnv);
        // The facade reads the task store's Redis URL, and each client's bearer token, from these keys.
        c.checkKey(`spec.facades[${i}].a2a.taskStore.redisSecretRef`, 'Secret', f?.a2a?.taskStore?.redisSecretRef, 'url');
        listOf(f?.a2a?.clients).forEach((client: any, j: number) => {
          c.checkRef(`spec.facades[${i}].a2a.clients[${j}].agentRuntimeRef`, 'AgentRuntime', client?.agentRuntimeRef);
          c.checkKey(`spec.facades[${i}].a2a.clients[${j}].authentication.secretRef`, 'Secret', client?.authentication?.secretRef, 'token');
        });
      });
      c.checkTools(spec.promptPackRef, spec.toolRegistryRef, true, 'spec.toolRegistryRef');
      // A candidate runs the stable pack and registry unless it overrides them.
      if (spec.rollout?.candidate?.toolRegistryRef) {
        c.checkTools(spec.rollout.candidate.promptPackRef ?? spec.promptPackRef, spec.rollout.candidate.toolRegistryRef, true, 'spec.rollout.candidate.toolRegistryRef');
      } else if (spec.rollout?.candidate?.promptPackRef) {
        c.checkTools(spec.rollout.candidate.promptPackRef, spec.toolRegistryRef, true, 'spec.rollout.candidate.promptPackRef');
      }
      break;
    case 'Provider': {
      const ref = spec.credential?.secretRef;
      if (ref?.key !== undefined) {
        c.checkKey('spec.credential.secretRef', 'Secret', ref);
      } else if (ref?.name) {
        // Without a key the operator takes the first of these the Secret holds.
        const secret = c.find('Secret', c.ns, ref.name);
        const expected = providerCredentialKeys(spec.type);
        if (secret && !expected.some((k) => secret.hasKey(k))) {
          const keys = secret.keys();
          c.report('spec.credential.secretRef', `Secret ${c.ns}/${ref.name} has none of the keys the operator reads for a ${spec.type} provider without a key (${expected.map((k) => JSON.stringify(k)).join(', ')}); it has ${keys.length ? keys.map((k) => JSON.stringify(k)).join(', ') : 'no keys'}`);
        }
      }
      const auth = spec.auth?.credentialsSecretRef;
      const platformKeys = auth?.key !== undefined ? [auth.key] : platformCredentialKeys(spec.platform?.type, spec.auth?.type);
      for (const key of platformKeys) c.checkKey('spec.auth.credentialsSecretRef', 'Secret', auth, key);
      c.checkHeaders('spec.headers', spec.headers, 'spec.credential.secretRef');
      break;
    }
    case 'ToolRegistry':
      listOf(spec.handlers).forEach((handler: any, i: number) => {
        c.checkKey(`spec.handlers[${i}].auth.secretRef`, 'Secret', handler?.auth?.secretRef);
        c.checkKey(`spec.handlers[${i}].httpConfig.authSecretRef`, 'Secret', handler?.httpConfig?.authSecretRef);
        c.checkKey(`spec.handlers[${i}].openAPIConfig.authSecretRef`, 'Secret', handler?.openAPIConfig?.authSecretRef);
        c.checkHeaders(`spec.handlers[${i}].httpConfig.headers`, handler?.httpConfig?.headers, 'auth.secretRef');
        c.checkHeaders(`spec.handlers[${i}].openAPIConfig.headers`, handler?.openAPIConfig?.headers, 'auth.secretRef');
      });
      break;
    case 'Workspace': {
      // Cluster-scoped: the policies it names are too; its services run in the namespace it governs.
      const governed = spec.namespace?.name;
      listOf(spec.services).forEach((service: any, i: number) => {
        c.checkRef(`spec.services[${i}].memory.policyRef`, 'MemoryPolicy', clusterRef(service?.memory?.policyRef));
        c.checkRef(`spec.services[${i}].session.policyRef`, 'SessionRetentionPolicy', clusterRef(service?.session?.policyRef));
        if (typeof governed === 'string') {
          c.checkRef(`spec.services[${i}].memory.providerRef`, 'Provider', refIn(service?.memory?.providerRef, governed));
          c.checkRef(`spec.services[${i}].privacyPolicyRef`, 'SessionPrivacyPolicy', refIn(service?.privacyPolicyRef, governed));
          // The services read their database's connection string from this one key, in the governed namespace.
          c.checkKeyIn(`spec.services[${i}].session.database.secretRef`, governed, service?.session?.database?.secretRef, 'POSTGRES_CONN');
          c.checkKeyIn(`spec.services[${i}].memory.database.secretRef`, governed, service?.memory?.database?.secretRef, 'POSTGRES_CONN');
        }
      });
      if (typeof governed === 'string') c.checkKeyIn('spec.privacy.database.secretRef', governed, spec.privacy?.database?.secretRef, 'POSTGRES_CONN');
      break;
    }
    case 'SkillSource':
      // The operator copies every key of the ConfigMap (each a file) and reads the whole credentials Secret.
      c.checkKey('spec.git.secretRef', 'Secret', spec.git?.secretRef);
      c.checkKey('spec.oci.secretRef', 'Secret', spec.oci?.secretRef);
      break;
    case 'ArenaSource':
    case 'ArenaTemplateSource':
      // A source's bundle and the credentials of its repository or registry.
      c.checkKey('spec.configMap', 'ConfigMap', spec.configMap, spec.configMap?.key ?? 'pack.json');
      c.checkKey('spec.git.secretRef', 'Secret', spec.git?.secretRef);
      c.checkKey('spec.oci.secretRef', 'Secret', spec.oci?.secretRef);
      break;
    case 'ArenaJob':
      c.checkRef('spec.sourceRef', 'ArenaSource', spec.sourceRef, true);
      break;
    case 'ToolPolicy':
      c.checkRef('spec.selector.registry', 'ToolRegistry', { name: spec.selector?.registry }, true);
      break;
    case 'AgentPolicy':
      listOf(spec.selector?.agents).forEach((agent: unknown, i: number) => c.checkRef(`spec.selector.agents[${i}]`, 'AgentRuntime', { name: agent }, true));
      listOf(spec.toolAccess?.rules).forEach((rule: any, i: number) => c.checkRef(`spec.toolAccess.rules[${i}].registry`, 'ToolRegistry', { name: rule?.registry }, true));
      break;
    case 'PromptPack': {
      // The release mounts the ConfigMap and reads pack.json; the pack has no name to match.
      const ref = spec.source?.configMapRef;
      const configMap = ref?.name ? c.find('ConfigMap', c.ns, ref.name) : undefined;
      if (configMap) checkPack(configMap, `ConfigMap ${c.ns}/${ref.name}`, 'pack.json', spec, c.report, false);
      // The operator looks a pack's SkillSources up in the pack's namespace only.
      listOf(spec.skills).forEach((s: any, i: number) => c.checkRef(`spec.skills[${i}].source`, 'SkillSource', { name: s?.source }, true));
      break;
    }
  }
}

/** A reference to a cluster-scoped object: such objects are indexed without a namespace, as `default`. */
const CLUSTER_SCOPED = Symbol('cluster-scoped');
const clusterRef = (ref: any) => (typeof ref?.name === 'string' ? { name: ref.name, namespace: 'default', [CLUSTER_SCOPED]: true } : undefined);
/** A reference resolved in a namespace the referrer names elsewhere. */
const refIn = (ref: any, namespace: string) => (typeof ref?.name === 'string' ? { name: ref.name, namespace } : undefined);

/** `namespace/name` of each Provider the release's AgentRuntimes of `objects` refer to, with those agents. */
function providerUsers(objects: LocatedManifest[]): Map<string, string[]> {
  const users = new Map<string, string[]>();
  for (const { manifest } of objects) {
    if (manifest?.kind !== 'AgentRuntime' || groupOf(manifest) !== OMNIA_GROUP) continue;
    const ns = namespaceOf(manifest);
    for (const p of listOf(manifest.spec?.providers)) {
      const ref = p?.providerRef;
      if (typeof ref?.name !== 'string') continue;
      const id = `${typeof ref.namespace === 'string' ? ref.namespace : ns}/${ref.name}`;
      users.set(id, [...users.get(id) ?? [], `AgentRuntime ${ns}/${manifest.metadata?.name}`]);
    }
  }
  return users;
}

/** The Secret keys the release's Provider controller tries, in order, when `credential.secretRef.key` is left out. */
function providerCredentialKeys(type: unknown): string[] {
  switch (type) {
    case 'claude': return ['ANTHROPIC_API_KEY', 'CLAUDE_API_KEY', 'api-key'];
    case 'openai': return ['OPENAI_API_KEY', 'OPENAI_TOKEN', 'api-key'];
    case 'gemini': return ['GEMINI_API_KEY', 'GOOGLE_API_KEY', 'api-key'];
    case 'voyageai': return ['VOYAGE_API_KEY', 'api-key'];
    default: return ['api-key', 'ANTHROPIC_API_KEY', 'OPENAI_API_KEY', 'GEMINI_API_KEY'];
  }
}

/** The keys the release requires, all of them, in a platform's credentials Secret when no key is named. */
function platformCredentialKeys(platform: unknown, auth: unknown): string[] {
  if (platform === 'bedrock' && auth === 'accessKey') return ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY'];
  if (platform === 'vertex' && auth === 'serviceAccount') return ['credentials.json'];
  if (platform === 'azure' && auth === 'servicePrincipal') return ['AZURE_TENANT_ID', 'AZURE_CLIENT_ID', 'AZURE_CLIENT_SECRET'];
  return [];
}

function checkPack(configMap: IndexedObject, where: string, packKey: string, spec: any, report: (path: string, message: string) => void, matchName = true): void {
  const path = 'spec.source.configMapRef';
  const text = configMap.text(packKey);
  if (text === undefined) {
    report(path, `${where} has no key ${JSON.stringify(packKey)}`);
    return;
  }
  let pack: any;
  try {
    pack = JSON.parse(text);
  } catch (e) {
    report(path, `${where} key ${JSON.stringify(packKey)} is not valid JSON: ${(e as Error).message}`);
    return;
  }
  const missing = PACK_KEYS.filter((k) => pack?.[k] === undefined);
  if (missing.length) {
    report(path, `${where} key ${JSON.stringify(packKey)} is not a PromptPack: it lacks ${missing.join(', ')}`);
    return;
  }
  if (matchName && typeof spec.packName === 'string' && pack.id !== spec.packName) report('spec.packName', `${JSON.stringify(spec.packName)} differs from the pack's id ${JSON.stringify(pack.id)} in ${where}`);
  if (pack.version !== spec.version) report('spec.version', `${JSON.stringify(spec.version)} differs from the pack's version ${JSON.stringify(pack.version)} in ${where}`);
}

// The schema check reports values of the wrong type; the reference checks just skip them.
const isObject = (v: unknown): v is { [key: string]: any } => v !== null && typeof v === 'object' && !Array.isArray(v);
const listOf = (v: unknown): any[] => (Array.isArray(v) ? v : []);

export function key(group: string, kind: string, namespace: string, name: string): string {
  // Joined, not concatenated: one flat string, where `+` makes a tree of parts that keeps each part alive
  // (measured: 200 bytes more per key, and the apiVersion each group is a slice of).
  return [group, kind, namespace, name].join('\u0000');
}

/** API group of a manifest: '' for the core group (`apiVersion: v1`). */
export function groupOf(manifest: any): string {
  const apiVersion = String(manifest?.apiVersion ?? '');
  return apiVersion.includes('/') ? apiVersion.split('/')[0] : '';
}
