import { ApiObject, Size, SizeRoundingBehavior } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { OMNIA_API_VERSION } from '../api';
import { IProvider } from '../agent/provider';
import { describeObject, describeResource, invalidProp } from '../core/errors';
import { callSite, checkArguments } from '../core/jsii-types';
import { addStandardLabels } from '../core/labels';
import { ExternalReference, IOmniaReference } from '../core/references';
import { ReleaseObject } from '../targets/release-kinds';
import { dnsLabelError } from '../validation/object-meta';
import { checkInt, checkSameNamespace, refuseDocumented } from './common';
import { IMemoryPolicy } from './memory-policy';
import { ISessionRetentionPolicy } from './session-retention-policy';

/** A Workspace, defined in this app or outside it. */
export interface IWorkspace extends IOmniaReference {}

/** The tier of a Workspace. */
export enum WorkspaceEnvironment {
  /** Development. */
  DEVELOPMENT = 'development',
  /** Staging. */
  STAGING = 'staging',
  /** Production. */
  PRODUCTION = 'production',
}

/** A role in a Workspace. */
export enum WorkspaceRole {
  /** Full control, members included. */
  OWNER = 'owner',
  /** Creates and changes resources, not members. */
  EDITOR = 'editor',
  /** Reads. */
  VIEWER = 'viewer',
}

/** What happens when a Workspace's budget is spent. */
export enum BudgetExceededAction {
  /** Warnings are logged. */
  WARN = 'warn',
  /** Arena jobs are paused. */
  PAUSE_JOBS = 'pauseJobs',
  /** New API requests are refused. */
  BLOCK = 'block',
}

/** What happens to a Workspace's volume when the Workspace is deleted. */
export enum WorkspaceStorageRetention {
  /** Deleted with it. */
  DELETE = 'Delete',
  /** Kept. */
  RETAIN = 'Retain',
}

/** A role given to identity-provider groups and ServiceAccounts. */
export interface WorkspaceRoleBinding {
  /** The role. */
  readonly role: WorkspaceRole;
  /**
   * Identity-provider groups, as their group claim spells them.
   * @default - none
   */
  readonly groups?: string[];
  /**
   * ServiceAccounts of this app (in any namespace) or outside it (`kplus.ServiceAccount.fromServiceAccountName`,
   * whose namespace is then the Workspace's).
   * @default - none
   */
  readonly serviceAccounts?: kplus.IServiceAccount[];
}

/** A role given to one user. */
export interface WorkspaceDirectGrant {
  /** The user's email or name. */
  readonly user: string;
  /** The role. */
  readonly role: WorkspaceRole;
  /**
   * When the grant ends.
   * @default - never
   */
  readonly expires?: Date;
}

/** A spending alert. */
export interface CostAlertThreshold {
  /** Percent of the budget, 1 to 100. */
  readonly percent: number;
  /**
   * Email addresses told.
   * @default - none
   */
  readonly notify?: string[];
}

/** Budgets, in USD. */
export interface WorkspaceCostControls {
  /**
   * Daily budget.
   * @default - none
   */
  readonly dailyBudget?: number;
  /**
   * Monthly budget.
   * @default - none
   */
  readonly monthlyBudget?: number;
  /**
   * What happens when a budget is spent.
   * @default BudgetExceededAction.WARN
   */
  readonly budgetExceededAction?: BudgetExceededAction;
  /**
   * Alerts.
   * @default - none
   */
  readonly alertThresholds?: CostAlertThreshold[];
}

/** Network isolation of the Workspace's namespace (extra ingress and egress rules: `release.Workspace`). */
export interface WorkspaceNetworkIsolation {
  /**
   * Egress to public IPs.
   * @default true
   */
  readonly allowExternalApis?: boolean;
  /**
   * Traffic with namespaces labelled `omnia.altairalabs.ai/shared: "true"`.
   * @default true
   */
  readonly allowSharedNamespaces?: boolean;
  /**
   * Egress to private ranges (10/8, 172.16/12, 192.168/16) too.
   * @default false
   */
  readonly allowPrivateNetworks?: boolean;
}

/** The Workspace's shared volume (Arena content, packs, datasets). */
export interface WorkspaceStorage {
  /**
   * Storage class.
   * @default - the cluster's default
   */
  readonly storageClass?: string;
  /**
   * Size.
   * @default Size.gibibytes(10)
   */
  readonly size?: Size;
  /**
   * Access modes.
   * @default [kplus.PersistentVolumeAccessMode.READ_WRITE_MANY]
   */
  readonly accessModes?: kplus.PersistentVolumeAccessMode[];
  /**
   * What happens to it when the Workspace is deleted.
   * @default WorkspaceStorageRetention.DELETE
   */
  readonly retention?: WorkspaceStorageRetention;
}

/** Defaults of every agent pod of the Workspace: the cloud workload identity keyless providers use. */
export interface WorkspaceRuntimeDefaults {
  /**
   * The ServiceAccount agent pods run as, in the Workspace's namespace.
   * @default - the operator's per-agent ServiceAccount
   */
  readonly serviceAccount?: kplus.IServiceAccount;
  /**
   * Labels of agent pods (`azure.workload.identity/use: "true"`, say).
   * @default - none
   */
  readonly podLabels?: { [key: string]: string };
  /**
   * Annotations of agent pods.
   * @default - none
   */
  readonly podAnnotations?: { [key: string]: string };
}

/** Options of `WorkspaceServices.managed`. */
export interface ManagedWorkspaceServicesOptions {
  /** Name of the group, which agents name (a DNS label). */
  readonly name: string;
  /** Secret in the Workspace's namespace holding the session database's connection string under `POSTGRES_CONN`. */
  readonly sessionDatabase: kplus.ISecret;
  /** Secret in the Workspace's namespace holding the memory database's connection string under `POSTGRES_CONN`. */
  readonly memoryDatabase: kplus.ISecret;
  /**
   * Retention of the session history.
   * @default - the session-api's defaults
   */
  readonly sessionRetentionPolicy?: ISessionRetentionPolicy;
  /**
   * Retention of memories.
   * @default - the memory-api's legacy interval policy
   */
  readonly memoryPolicy?: IMemoryPolicy;
  /**
   * Provider of embeddings for memory, in the Workspace's namespace.
   * @default - no embeddings
   */
  readonly embeddingProvider?: IProvider;
}

/** Options of `WorkspaceServices.external`. */
export interface ExternalWorkspaceServicesOptions {
  /** Name of the group, which agents name (a DNS label). */
  readonly name: string;
  /** Base URL of the session-api. */
  readonly sessionUrl: string;
  /** Base URL of the memory-api. */
  readonly memoryUrl: string;
}

/**
 * A group of session and memory services of a Workspace, which agents name (redis targets, pod
 * overrides, eval worker and autoscaling defaults: `release.Workspace`).
 */
export class WorkspaceServices {
  /** Services the operator runs in the Workspace's namespace. */
  public static managed(options: ManagedWorkspaceServicesOptions): WorkspaceServices {
    checkArguments('WorkspaceServices.managed', 'cdk8s-omnia.WorkspaceServices', 'managed', [options]);
    return new WorkspaceServices(options.name, 'managed', options);
  }

  /** Services that run elsewhere, at these URLs. */
  public static external(options: ExternalWorkspaceServicesOptions): WorkspaceServices {
    checkArguments('WorkspaceServices.external', 'cdk8s-omnia.WorkspaceServices', 'external', [options]);
    return new WorkspaceServices(options.name, 'external', undefined, options);
  }

  private constructor(
    /** Name of the group. */
    public readonly name: string,
    /** `managed` or `external`. */
    public readonly mode: string,
    private readonly managedOptions?: ManagedWorkspaceServicesOptions,
    private readonly externalOptions?: ExternalWorkspaceServicesOptions,
  ) {}

  /** @internal */
  public _render(workspace: Workspace, field: string, namespace: string): any {
    const m = this.managedOptions;
    const e = this.externalOptions;
    const nameError = dnsLabelError(this.name ?? '');
    if (nameError) throw invalidProp(workspace, `${field}.name`, `${JSON.stringify(this.name)} ${nameError}`);
    if (m) {
      const why = 'where the operator runs the services';
      checkSameNamespace(workspace, `${field}.sessionDatabase`, m.sessionDatabase, namespace, why);
      checkSameNamespace(workspace, `${field}.memoryDatabase`, m.memoryDatabase, namespace, why);
      if (m.embeddingProvider) checkSameNamespace(workspace, `${field}.embeddingProvider`, m.embeddingProvider, namespace, 'where the memory-api looks it up');
      return {
        name: this.name,
        mode: 'managed',
        session: { database: { secretRef: { name: m.sessionDatabase.name } }, policyRef: m.sessionRetentionPolicy && { name: m.sessionRetentionPolicy.name } },
        memory: {
          database: { secretRef: { name: m.memoryDatabase.name } },
          providerRef: m.embeddingProvider && { name: m.embeddingProvider.name },
          policyRef: m.memoryPolicy && { name: m.memoryPolicy.name },
        },
      };
    }
    for (const [key, url] of [['sessionUrl', e!.sessionUrl], ['memoryUrl', e!.memoryUrl]]) {
      if (!/^https?:\/\/[^/]/.test(url ?? '')) throw invalidProp(workspace, `${field}.${key}`, `${JSON.stringify(url)} is not an http(s) URL`);
    }
    return { name: this.name, mode: 'external', external: { sessionURL: e!.sessionUrl, memoryURL: e!.memoryUrl } };
  }
}

/** Props of a Workspace. */
export interface WorkspaceProps extends kplus.ResourceProps {
  /** Name shown to people, 1 to 256 characters. */
  readonly displayName: string;
  /** The namespace the Workspace governs (a DNS label). */
  readonly namespace: string;
  /**
   * Whether the operator creates the namespace; otherwise it must exist (made by your app, say).
   * @default false
   */
  readonly createNamespace?: boolean;
  /**
   * Labels the operator puts on the namespace.
   * @default - none
   */
  readonly namespaceLabels?: { [key: string]: string };
  /**
   * Annotations the operator puts on the namespace.
   * @default - none
   */
  readonly namespaceAnnotations?: { [key: string]: string };
  /**
   * What the Workspace is for.
   * @default - none
   */
  readonly description?: string;
  /**
   * Tier.
   * @default WorkspaceEnvironment.DEVELOPMENT
   */
  readonly environment?: WorkspaceEnvironment;
  /**
   * Labels of every resource made in the Workspace (cost attribution).
   * @default - none
   */
  readonly defaultTags?: { [key: string]: string };
  /**
   * Roles of groups and ServiceAccounts.
   * @default - none
   */
  readonly roleBindings?: WorkspaceRoleBinding[];
  /**
   * Roles of single users (exceptions).
   * @default - none
   */
  readonly directGrants?: WorkspaceDirectGrant[];
  /**
   * A role for people who are not signed in (editor and owner let them change things: for isolated
   * development only).
   * @default - no anonymous access
   */
  readonly anonymousRole?: WorkspaceRole;
  /**
   * Budgets.
   * @default - none
   */
  readonly costControls?: WorkspaceCostControls;
  /**
   * Isolates the namespace with a NetworkPolicy.
   * @default - not isolated
   */
  readonly networkIsolation?: WorkspaceNetworkIsolation;
  /**
   * A shared volume.
   * @default - the operator's (a 10Gi ReadWriteMany volume)
   */
  readonly storage?: WorkspaceStorage;
  /**
   * Defaults of agent pods.
   * @default - none
   */
  readonly runtimeDefaults?: WorkspaceRuntimeDefaults;
  /**
   * Session and memory service groups.
   * @default - none
   */
  readonly services?: WorkspaceServices[];
  /**
   * Secret in the Workspace's namespace holding the consent database's connection string under
   * `POSTGRES_CONN`: the operator then runs a privacy-api for the Workspace.
   * @default - no privacy-api
   */
  readonly privacyDatabase?: kplus.ISecret;
  /**
   * ServiceAccounts of the Workspace's namespace that may mint management-plane tokens.
   * @default - `arena-worker` (the consumers' default)
   */
  readonly tokenMintingServiceAccounts?: kplus.IServiceAccount[];
}

/**
 * A team's space: the namespace it governs, who may do what there, budgets, isolation, storage and the
 * session and memory services its agents use. Cluster-scoped: a chart's namespace is not written on it.
 * Release target only: the documented API has no such kind.
 */
export class Workspace extends kplus.Resource implements IWorkspace {
  /** Refers to a Workspace outside this app; nothing is synthesized for it. Documented API: refused. */
  public static fromWorkspaceName(scope: Construct, id: string, name: string): IWorkspace {
    const where = callSite(scope, id, 'Workspace.fromWorkspaceName');
    checkArguments(where, 'cdk8s-omnia.Workspace', 'fromWorkspaceName', [scope, id, name]);
    refuseDocumented(scope, where, 'Workspace', name);
    return new ExternalReference(scope, id, 'Workspace', name);
  }

  /** @see kplus.Resource */
  public readonly resourceType = 'workspaces';
  /** The namespace the Workspace governs. */
  public readonly governedNamespace: string;
  protected readonly apiObject: ApiObject;
  private readonly spec: any;

  public constructor(scope: Construct, id: string, props: WorkspaceProps) {
    super(scope, id);
    describeObject(this, () => ({ ...describeResource(this, 'Workspace', props?.metadata), namespace: undefined }));
    checkArguments(this, 'cdk8s-omnia.Workspace', undefined, [scope, id, props]);
    refuseDocumented(this, this.node.path, 'Workspace', props.metadata?.name);
    this.governedNamespace = props.namespace;
    this.spec = this.renderSpec(props);
    this.apiObject = new ReleaseObject(this, 'Resource', {
      apiVersion: OMNIA_API_VERSION,
      kind: 'Workspace',
      metadata: props.metadata,
      spec: this.spec,
    });
    addStandardLabels(this, this.metadata, 'workspace', this.name);
  }

  /** Cluster-scoped: no namespace. */
  public get namespace(): string | undefined {
    return undefined;
  }

  /** @internal */
  public _referenceView(): any {
    return { apiVersion: OMNIA_API_VERSION, kind: 'Workspace', metadata: { name: this.name }, spec: this.spec };
  }

  private renderSpec(props: WorkspaceProps): any {
    const ns = props.namespace;
    const nsError = dnsLabelError(ns ?? '');
    if (nsError) throw invalidProp(this, 'namespace', `${JSON.stringify(ns)} ${nsError}`);
    if (!props.displayName || props.displayName.length > 256) {
      throw invalidProp(this, 'displayName', `must be 1 to 256 characters, got ${props.displayName?.length ?? 0}`);
    }
    const bindings = (props.roleBindings ?? []).map((b, i) => {
      if (!b.groups?.length && !b.serviceAccounts?.length) throw invalidProp(this, `roleBindings[${i}]`, 'names no group and no ServiceAccount');
      return {
        role: b.role,
        groups: b.groups?.length ? [...b.groups] : undefined,
        serviceAccounts: b.serviceAccounts?.map((sa) => ({ name: sa.name, namespace: (sa instanceof kplus.Resource ? sa.metadata.namespace : undefined) ?? ns })),
      };
    });
    const grants = (props.directGrants ?? []).map((g, i) => {
      if (!g.user) throw invalidProp(this, `directGrants[${i}].user`, 'must not be empty');
      if (g.expires !== undefined && Number.isNaN(g.expires.getTime())) throw invalidProp(this, `directGrants[${i}].expires`, 'is not a valid date');
      return { user: g.user, role: g.role, expires: g.expires && g.expires.toISOString().replace(/\.\d{3}Z$/, 'Z') };
    });
    const cost = props.costControls;
    const budget = (field: string, v: number | undefined) => {
      if (v === undefined) return undefined;
      if (!Number.isFinite(v) || v < 0) throw invalidProp(this, `costControls.${field}`, `must be a non-negative amount in USD, got ${v}`);
      return v.toFixed(2);
    };
    cost?.alertThresholds?.forEach((t, i) => checkInt(this, `costControls.alertThresholds[${i}].percent`, t.percent, 1, 100));
    const iso = props.networkIsolation;
    const storage = props.storage;
    const runtime = props.runtimeDefaults;
    if (runtime?.serviceAccount) checkSameNamespace(this, 'runtimeDefaults.serviceAccount', runtime.serviceAccount, ns, 'where agent pods run');
    const why = 'the Workspace\'s namespace, where the operator runs the privacy-api';
    if (props.privacyDatabase) checkSameNamespace(this, 'privacyDatabase', props.privacyDatabase, ns, why);
    const minting = props.tokenMintingServiceAccounts;
    minting?.forEach((sa, i) => checkSameNamespace(this, `tokenMintingServiceAccounts[${i}]`, sa, ns, 'where the dashboard looks for them'));
    if ((minting?.length ?? 0) > 16) throw invalidProp(this, 'tokenMintingServiceAccounts', `at most 16, got ${minting!.length}`);
    const services = props.services ?? [];
    if (services.length > 64) throw invalidProp(this, 'services', `at most 64 groups, got ${services.length}`);
    const groupNames = services.map((s) => s.name);
    const twice = groupNames.find((n, i) => groupNames.indexOf(n) !== i);
    if (twice !== undefined) throw invalidProp(this, 'services', `two groups are named ${JSON.stringify(twice)}; names must be unique`);
    return {
      displayName: props.displayName,
      description: props.description,
      environment: props.environment ?? WorkspaceEnvironment.DEVELOPMENT,
      defaultTags: props.defaultTags,
      namespace: { name: ns, create: props.createNamespace ?? false, labels: props.namespaceLabels, annotations: props.namespaceAnnotations },
      runtime: runtime && { serviceAccountName: runtime.serviceAccount?.name, podLabels: runtime.podLabels, podAnnotations: runtime.podAnnotations },
      roleBindings: bindings.length ? bindings : undefined,
      directGrants: grants.length ? grants : undefined,
      anonymousAccess: props.anonymousRole && { enabled: true, role: props.anonymousRole },
      costControls: cost && {
        dailyBudget: budget('dailyBudget', cost.dailyBudget),
        monthlyBudget: budget('monthlyBudget', cost.monthlyBudget),
        budgetExceededAction: cost.budgetExceededAction ?? BudgetExceededAction.WARN,
        alertThresholds: cost.alertThresholds?.map((t) => ({ percent: t.percent, notify: t.notify })),
      },
      networkPolicy: iso && {
        isolate: true,
        allowExternalAPIs: iso.allowExternalApis ?? true,
        allowSharedNamespaces: iso.allowSharedNamespaces ?? true,
        allowPrivateNetworks: iso.allowPrivateNetworks ?? false,
      },
      storage: storage && {
        enabled: true,
        storageClass: storage.storageClass,
        size: sizeText(storage.size ?? Size.gibibytes(10)),
        accessModes: storage.accessModes ?? [kplus.PersistentVolumeAccessMode.READ_WRITE_MANY],
        retentionPolicy: storage.retention ?? WorkspaceStorageRetention.DELETE,
      },
      services: services.length ? services.map((s, i) => s._render(this, `services[${i}]`, ns)) : undefined,
      mgmtPlaneMintServiceAccounts: minting?.map((sa) => sa.name),
      privacy: props.privacyDatabase && { database: { secretRef: { name: props.privacyDatabase.name } } },
    };
  }
}

/** A Size as a quantity: in Gi when whole, else in Mi. */
function sizeText(size: Size): string {
  const gi = size.toGibibytes({ rounding: SizeRoundingBehavior.NONE });
  return Number.isInteger(gi) ? `${gi}Gi` : `${size.toMebibytes({ rounding: SizeRoundingBehavior.NONE })}Mi`;
}
