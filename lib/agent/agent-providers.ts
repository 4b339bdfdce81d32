import { IConstruct } from 'constructs';
import { invalidProp, objectLabel } from '../core/errors';
import { refTo } from '../core/references';
import { IProvider, Provider, ProviderCapability, ProviderRole } from './provider';

/**
 * A provider an agent uses besides its primary llm provider (the release's `spec.providers[]`): an embedding
 * model for memory, a judge for evals, speech for voice. The runtime keys each by its role.
 */
export interface AdditionalProvider {
  /**
   * Logical name of the entry (a DNS label, `judge`, `embeddings`); `default` is the agent's own `provider`.
   */
  readonly name: string;
  /** The Provider: one of this app (in any namespace) or one outside it (`Provider.fromProviderName`). */
  readonly provider: IProvider;
  /**
   * The role the agent expects of the Provider; the operator fails the agent when the Provider's role differs.
   * @default - the Provider's own role when it is one of this app's; ProviderRole.LLM for one outside it
   */
  readonly role?: ProviderRole;
  /**
   * Capabilities the Provider must advertise; the operator holds the agent Pending until it does.
   * @default - none
   */
  readonly requiredCapabilities?: ProviderCapability[];
}

/** The name the release's runtime takes its primary llm provider from. */
export const PRIMARY_PROVIDER_NAME = 'default';
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** What a Provider of the app advertises (its spec is computed when it is made). */
function capabilitiesOf(provider: Provider): string[] {
  const spec = (provider as any).spec;
  return Array.isArray(spec?.capabilities) ? spec.capabilities : [];
}

/** The role an entry declares: given, else the app's Provider's own, else llm (the CRD's default). */
export function roleOf(entry: AdditionalProvider): ProviderRole {
  if (entry.role !== undefined) return entry.role;
  return entry.provider instanceof Provider ? entry.provider.role : ProviderRole.LLM;
}

/** Checks a list of additional providers at `field` (`additionalProviders`, `rollout.candidate.additionalProviders`). */
export function checkAdditionalProviders(scope: IConstruct, field: string, entries: AdditionalProvider[] | undefined): void {
  if (entries === undefined || entries === null) return;
  const seen = new Set<string>();
  entries.forEach((entry, i) => {
    const at = `${field}[${i}]`;
    if (!entry || typeof entry !== 'object') throw invalidProp(scope, at, 'must be an AdditionalProvider');
    if (typeof entry.name !== 'string' || !DNS_LABEL.test(entry.name) || entry.name.length > 63) {
      throw invalidProp(scope, `${at}.name`, `must be a DNS label (lower-case letters, digits and '-'), got ${JSON.stringify(entry.name)}`);
    }
    if (entry.name === PRIMARY_PROVIDER_NAME) {
      throw invalidProp(scope, `${at}.name`, `"${PRIMARY_PROVIDER_NAME}" names the agent's own provider (the provider prop): choose another name`);
    }
    if (seen.has(entry.name)) throw invalidProp(scope, `${at}.name`, `${JSON.stringify(entry.name)} is given twice`);
    seen.add(entry.name);
    if (!entry.provider) throw invalidProp(scope, `${at}.provider`, 'is required');
    // Enum values are checked against the jsii assembly (checkArguments) before this.
    const capabilities = entry.requiredCapabilities ?? [];
    if (new Set(capabilities).size !== capabilities.length) throw invalidProp(scope, `${at}.requiredCapabilities`, 'lists a capability twice');
    if (entry.provider instanceof Provider) {
      const label = objectLabel({ kind: 'Provider', name: entry.provider.name, namespace: entry.provider.namespace });
      if (entry.provider.role !== roleOf(entry)) {
        throw invalidProp(scope, `${at}.role`, `${label} has role ${entry.provider.role}, not ${roleOf(entry)}: the operator would fail the agent`);
      }
      const have = capabilitiesOf(entry.provider);
      const missing = capabilities.filter((c) => !have.includes(c));
      if (missing.length) {
        throw invalidProp(scope, `${at}.requiredCapabilities`, `${label} does not advertise ${missing.join(', ')} (its capabilities: ${have.length ? have.join(', ') : 'none'}): the operator would hold the agent Pending`);
      }
    }
  });
}

/** The release's `providers[]`: the primary provider as `default`, then the additional ones. */
export function renderProviderList(primary: IProvider, entries: AdditionalProvider[] | undefined, referrerNamespace: string | undefined): any[] {
  return [
    { name: PRIMARY_PROVIDER_NAME, providerRef: refTo(primary, referrerNamespace) },
    ...(entries ?? []).map((e) => ({
      name: e.name,
      providerRef: refTo(e.provider, referrerNamespace),
      role: roleOf(e),
      requiredCapabilities: e.requiredCapabilities?.length ? [...e.requiredCapabilities] : undefined,
    })),
  ];
}
