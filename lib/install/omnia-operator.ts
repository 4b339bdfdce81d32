import { ApiObject, Chart, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { OMNIA_RELEASE, OmniaApiTarget } from '../api';
import { invalidProp, madeFor } from '../core/errors';
import { recordCreationSite } from '../core/stack';
import { targetFor } from '../core/target';
import { releaseRbac } from '../validation/crds';
import { didYouMean, dnsLabelError } from '../validation/object-meta';
import { OmniaCrds } from './omnia-crds';
import { LEADER_ELECTION_RULES, OPERATOR_CLUSTER_RULES } from './operator-rbac';
import { renderResources } from '../core/resources';
import { checkArguments } from '../core/jsii-types';

const k8s = kplus.k8s;

/** Log levels of the operator (controller-runtime's zap flags). */
export enum OperatorLogLevel {
  /** Everything, including reconcile details. */
  DEBUG = 'debug',
  /** Normal operation. */
  INFO = 'info',
  /** Errors only. */
  ERROR = 'error',
}

/** Props of the Omnia operator install. */
export interface OmniaOperatorProps {
  /**
   * Namespace the operator runs in.
   * @default 'omnia-system'
   */
  readonly namespace?: string;
  /**
   * Whether to create the namespace.
   * @default true
   */
  readonly createNamespace?: boolean;
  /**
   * Whether to install the CRDs, in a chart of their own (`<id>-crds`, beside this one) that this one
   * depends on. For Helm output they are files of the chart's `crds/` folder (see `OmniaCrds`). Turn off where
   * a platform team owns CRDs (they can use `OmniaCrds`).
   * @default true
   */
  readonly installCrds?: boolean;
  /**
   * Operator image repository. For the documented API (an explicit choice of target) it must be given: no
   * released operator implements it.
   * @default - 'ghcr.io/altairalabs/omnia-operator', the released operator (the default target); for the documented API, none
   */
  readonly image?: string;
  /**
   * Operator image tag (also the tag of the agent images the operator starts, for a release target).
   * @default - the release's version (OmniaOperator.DEFAULT_TAG) for a release target, the default; for the documented API, none
   */
  readonly tag?: string;
  /**
   * Storage class of the workspace content volume the release's operator writes to.
   * @default - the cluster's default storage class
   */
  readonly workspaceStorageClass?: string;
  /**
   * Size of the workspace content volume (release targets only).
   * @default Size.gibibytes(50)
   */
  readonly workspaceSize?: Size;
  /**
   * Image pull policy.
   * @default kplus.ImagePullPolicy.IF_NOT_PRESENT
   */
  readonly imagePullPolicy?: kplus.ImagePullPolicy;
  /**
   * Secrets to pull the image with.
   * @default - none
   */
  readonly imagePullSecrets?: kplus.ISecret[];
  /**
   * Operator replicas; more than one needs leader election.
   * @default 1
   */
  readonly replicas?: number;
  /**
   * Resources of the operator container.
   * @default - requests 100m CPU and 256Mi memory, limits 1 CPU and 512Mi memory for a release target; requests
   *   10m CPU and 64Mi memory, limits 500m CPU and 128Mi memory for the documented API
   */
  readonly resources?: kplus.ContainerResources;
  /**
   * Node labels the operator pods must match.
   * @default - none
   */
  readonly nodeSelector?: { [key: string]: string };
  /**
   * Taints the operator pods tolerate.
   * @default - none
   */
  readonly tolerations?: kplus.k8s.Toleration[];
  /**
   * Scheduling affinity of the operator pods.
   * @default - none
   */
  readonly affinity?: kplus.k8s.Affinity;
  /**
   * Arguments appended to the operator's own.
   * @default - none
   */
  readonly extraArgs?: string[];
  /**
   * Environment variables of the operator container.
   * @default - none
   */
  readonly env?: { [name: string]: kplus.EnvValue };
  /**
   * Log level.
   * @default OperatorLogLevel.INFO
   */
  readonly logLevel?: OperatorLogLevel;
  /**
   * Whether replicas elect a leader (and get the Role for it).
   * @default true
   */
  readonly leaderElection?: boolean;
  /**
   * Whether to serve metrics on 8443 behind a Service.
   * @default true
   */
  readonly metrics?: boolean;
  /**
   * Add a PodDisruptionBudget with `maxUnavailable: 1`.
   * @default false
   */
  readonly podDisruptionBudget?: boolean;
  /**
   * Add a NetworkPolicy that admits ingress only to the metrics and health-probe ports.
   * @default false
   */
  readonly networkPolicy?: boolean;
  /**
   * Add a Prometheus Operator ServiceMonitor for the metrics Service. The cluster needs the Prometheus
   * Operator's `monitoring.coreos.com` CRDs, or the apply fails.
   * @default false
   */
  readonly serviceMonitor?: boolean;
  /**
   * Whether to run the release's manager with its enterprise controllers (`--enterprise`: SessionPrivacyPolicy,
   * ToolPolicy and license activation), with the RBAC the release grants them, and to install the CRDs of
   * the enterprise kinds (SessionPrivacyPolicy, RolloutAnalysis and the Arena kinds; the Arena kinds are
   * reconciled by the release's separate arena controller, which this install does not run).
   * @default false
   */
  readonly enterprise?: boolean;
}

const HEALTH_PORT = 8081;
const METRICS_PORT = 8443;
const WORKSPACE_CONTENT_PATH = '/workspace-content';

/**
 * Installs the Omnia operator: its CRDs (in a chart of their own, applied first), namespace, service account,
 * least-privilege RBAC, a Deployment that meets the `restricted` Pod Security Standard, and a metrics Service;
 * optionally a PodDisruptionBudget, a NetworkPolicy and a ServiceMonitor. It installs the API of the app's
 * target: by default the newest release, with that release's own operator image; for the documented API
 * (`OmniaTarget.use(app, OmniaApiTarget.DOCUMENTED)`) an operator built for it, whose image must be given.
 *
 * A chart without a namespace of its own, so cluster-scoped objects stay cluster-scoped; add it to the app
 * and let charts with agents depend on it: `agents.addDependency(operator)`.
 */
export class OmniaOperator extends Chart {
  /** The image tag of the release this version of the library targets (OMNIA_RELEASE without the `v`). */
  public static readonly DEFAULT_TAG = OMNIA_RELEASE.replace(/^v/, '');
  /** The operator image repository of the releases. */
  public static readonly DEFAULT_IMAGE = 'ghcr.io/altairalabs/omnia-operator';

  /** Namespace the operator runs in. */
  public readonly operatorNamespace: string;
  /** Full image reference of the operator. */
  public readonly image: string;
  /**
   * The CRDs chart, when this install creates it.
   * @default - none
   */
  public readonly crds?: OmniaCrds;
  /** The operator Deployment. */
  public readonly deployment: ApiObject;
  /** Labels selecting the operator pods. */
  public readonly selectorLabels: { [key: string]: string };
  /** The Omnia API the install is for (the app's target). */
  public readonly target: OmniaApiTarget;
  /** Whether the manager runs its enterprise controllers. */
  public readonly enterprise: boolean;

  public constructor(scope: Construct, id: string, props: OmniaOperatorProps = {}) {
    super(scope, id);
    recordCreationSite(this);
    checkArguments(this, 'cdk8s-omnia.OmniaOperator', undefined, [scope, id, props]);
    // null stands for props left out, as in every jsii language.
    props = props ?? {};
    const namespace = props.namespace ?? 'omnia-system';
    const replicas = props.replicas ?? 1;
    const leaderElection = props.leaderElection ?? true;
    const metrics = props.metrics ?? true;
    if (dnsLabelError(namespace) !== undefined) throw invalidProp(this, 'namespace', `${JSON.stringify(namespace)} is not a DNS-1123 label${didYouMean(namespace, false)}`);
    if (!Number.isInteger(replicas) || replicas < 1) throw invalidProp(this, 'replicas', `must be a whole number >= 1, got ${replicas}`);
    if (replicas > 1 && !leaderElection) {
      throw invalidProp(this, 'replicas', `${replicas} replicas without leader election would reconcile the same objects concurrently; keep leaderElection on`);
    }
    if (props.serviceMonitor && !metrics) throw invalidProp(this, 'serviceMonitor', 'needs metrics on');
    const enterprise = props.enterprise ?? false;

    this.operatorNamespace = namespace;
    this.target = targetFor(this);
    const release = this.target !== OmniaApiTarget.DOCUMENTED;
    if (enterprise && !release) throw invalidProp(this, 'enterprise', 'the documented API has no enterprise edition: it is the release\'s');
    this.enterprise = enterprise;
    this.image = operatorImage(this, release, props);
    const name = 'omnia-operator';
    this.selectorLabels = { 'app.kubernetes.io/name': name, 'app.kubernetes.io/instance': id };
    const labels = { ...this.selectorLabels, 'app.kubernetes.io/part-of': 'omnia', 'app.kubernetes.io/managed-by': 'cdk8s', 'app.kubernetes.io/component': 'controller' };
    const meta = (objectName: string) => ({ name: objectName, namespace, labels });

    if (props.installCrds ?? true) {
      // A sibling chart, so it synthesizes to its own file named after this one.
      this.crds = new OmniaCrds(scope, `${id}-crds`, { enterprise });
      // Findings about the CRDs name this install, which made them.
      madeFor(this.crds, this.node.path);
      this.addDependency(this.crds);
    }
    const ns = props.createNamespace ?? true
      ? new k8s.KubeNamespace(this, 'Namespace', {
        metadata: { name: namespace, labels: { ...labels, 'pod-security.kubernetes.io/enforce': 'restricted' } },
      })
      : undefined;

    const serviceAccount = new k8s.KubeServiceAccount(this, 'ServiceAccount', {
      metadata: meta(name),
      // The token is mounted by the pod that needs it, not by default for every pod using this account.
      automountServiceAccountToken: false,
    });
    const subject = { kind: 'ServiceAccount', name, namespace };
    const rbac = release ? releaseInstallRbac(this, enterprise) : undefined;
    const clusterRole = new k8s.KubeClusterRole(this, 'ClusterRole', {
      metadata: { name: `${name}-${namespace}`, labels },
      rules: rbac ? rbac.operator : OPERATOR_CLUSTER_RULES,
    });
    new k8s.KubeClusterRoleBinding(this, 'ClusterRoleBinding', {
      metadata: { name: `${name}-${namespace}`, labels },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: clusterRole.name },
      subjects: [subject],
    });
    const workspaceReader = rbac && new k8s.KubeClusterRole(this, 'AgentWorkspaceReaderRole', {
      // Bound by the operator to each agent's ServiceAccount (--agent-workspace-reader-clusterrole).
      metadata: { name: `${name}-${namespace}-agent-workspace-reader`, labels }, rules: rbac.agentWorkspaceReader,
    });
    if (rbac) {
      // For scrapers of the secure metrics endpoint: bind it to the scraper's ServiceAccount.
      new k8s.KubeClusterRole(this, 'MetricsReaderRole', { metadata: { name: `${name}-${namespace}-metrics-reader`, labels }, rules: rbac.metricsReader });
    }
    if (leaderElection) {
      const role = new k8s.KubeRole(this, 'LeaderElectionRole', { metadata: meta(`${name}-leader-election`), rules: rbac ? rbac.leaderElection : LEADER_ELECTION_RULES });
      new k8s.KubeRoleBinding(this, 'LeaderElectionRoleBinding', {
        metadata: meta(`${name}-leader-election`),
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: role.name },
        subjects: [subject],
      });
    }
    const workspace = release ? new k8s.KubePersistentVolumeClaim(this, 'WorkspaceContent', {
      metadata: meta(`${name}-workspace-content`),
      spec: {
        // Every operator replica and the workspace services mount it.
        accessModes: ['ReadWriteMany'],
        storageClassName: props.workspaceStorageClass,
        resources: { requests: { storage: k8s.Quantity.fromString(`${(props.workspaceSize ?? Size.gibibytes(50)).toMebibytes()}Mi`) } },
      },
    }) : undefined;

    const args = [
      ...(leaderElection ? ['--leader-elect'] : []),
      `--health-probe-bind-address=:${HEALTH_PORT}`,
      `--metrics-bind-address=${metrics ? `:${METRICS_PORT}` : '0'}`,
      ...(release ? releaseArgs(this.image, props.imagePullPolicy ?? kplus.ImagePullPolicy.IF_NOT_PRESENT, workspaceReader!.name, metrics) : []),
      ...(enterprise ? ['--enterprise'] : []),
      `--zap-log-level=${props.logLevel ?? OperatorLogLevel.INFO}`,
      ...(props.extraArgs ?? []),
    ];
    const probe = (path: string, initialDelaySeconds: number, periodSeconds: number) => ({
      httpGet: { path, port: k8s.IntOrString.fromString('health') }, initialDelaySeconds, periodSeconds,
    });
    const resources = renderResources(props.resources) ?? (release
      ? { requests: { cpu: '100m', memory: '256Mi' }, limits: { cpu: '1', memory: '512Mi' } }
      : { requests: { cpu: '10m', memory: '64Mi' }, limits: { cpu: '500m', memory: '128Mi' } });
    const env = [
      // Read by the release's Workspace and SessionRetentionPolicy controllers.
      ...(release ? [{ name: 'POD_NAMESPACE', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } }] : []),
      ...Object.entries(props.env ?? {}).map(([envName, v]) => ({ name: envName, value: v.value, valueFrom: v.valueFrom })),
    ];
    const quantities = (q?: { [key: string]: string }) => q && Object.fromEntries(Object.entries(q).map(([k, v]) => [k, k8s.Quantity.fromString(v)]));

    this.deployment = new k8s.KubeDeployment(this, 'Deployment', {
      metadata: meta(name),
      spec: {
        replicas,
        selector: { matchLabels: this.selectorLabels },
        template: {
          metadata: { labels, annotations: { 'kubectl.kubernetes.io/default-container': 'manager' } },
          spec: {
            serviceAccountName: name,
            automountServiceAccountToken: true,
            terminationGracePeriodSeconds: release ? 30 : 10,
            // fsGroup: the release's operator writes the workspace content volume as its non-root user.
            securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' }, fsGroup: release ? 65532 : undefined },
            volumes: workspace && [{ name: 'workspace-content', persistentVolumeClaim: { claimName: workspace.name } }],
            imagePullSecrets: props.imagePullSecrets?.map((s) => ({ name: s.name })),
            nodeSelector: props.nodeSelector,
            tolerations: props.tolerations,
            affinity: props.affinity,
            containers: [{
              name: 'manager',
              image: this.image,
              imagePullPolicy: props.imagePullPolicy ?? kplus.ImagePullPolicy.IF_NOT_PRESENT,
              args,
              env: env.length ? env : undefined,
              volumeMounts: workspace && [{ name: 'workspace-content', mountPath: WORKSPACE_CONTENT_PATH }],
              ports: [
                { name: 'health', containerPort: HEALTH_PORT, protocol: 'TCP' },
                ...(metrics ? [{ name: 'metrics', containerPort: METRICS_PORT, protocol: 'TCP' }] : []),
              ],
              livenessProbe: probe('/healthz', 15, 20),
              readinessProbe: probe('/readyz', 5, 10),
              resources: { requests: quantities(resources.requests), limits: quantities(resources.limits) },
              securityContext: {
                runAsNonRoot: true,
                allowPrivilegeEscalation: false,
                readOnlyRootFilesystem: true,
                capabilities: { drop: ['ALL'] },
                seccompProfile: { type: 'RuntimeDefault' },
              },
            }],
          },
        },
      },
    });
    this.deployment.node.addDependency(serviceAccount);
    if (workspace) this.deployment.node.addDependency(workspace);

    if (metrics) {
      new k8s.KubeService(this, 'MetricsService', {
        metadata: meta(`${name}-metrics`),
        spec: {
          selector: this.selectorLabels,
          ports: [{ name: 'https', port: METRICS_PORT, targetPort: k8s.IntOrString.fromString('metrics'), protocol: 'TCP' }],
        },
      });
    }
    if (props.podDisruptionBudget) {
      new k8s.KubePodDisruptionBudget(this, 'DisruptionBudget', {
        metadata: meta(name),
        // maxUnavailable, never minAvailable: a single replica must still be evictable for node drains.
        spec: { maxUnavailable: k8s.IntOrString.fromNumber(1), selector: { matchLabels: this.selectorLabels } },
      });
    }
    if (props.networkPolicy) {
      const port = (n: number) => ({ port: k8s.IntOrString.fromNumber(n), protocol: 'TCP' });
      new k8s.KubeNetworkPolicy(this, 'NetworkPolicy', {
        metadata: meta(name),
        spec: {
          podSelector: { matchLabels: this.selectorLabels },
          policyTypes: ['Ingress'],
          ingress: [{ ports: [port(HEALTH_PORT), ...(metrics ? [port(METRICS_PORT)] : [])] }],
        },
      });
    }
    if (props.serviceMonitor) {
      new ApiObject(this, 'ServiceMonitor', {
        apiVersion: 'monitoring.coreos.com/v1',
        kind: 'ServiceMonitor',
        metadata: meta(name),
        spec: {
          selector: { matchLabels: this.selectorLabels },
          namespaceSelector: { matchNames: [namespace] },
          endpoints: [{
            port: 'https', scheme: 'https', path: '/metrics',
            bearerTokenFile: '/var/run/secrets/kubernetes.io/serviceaccount/token',
            tlsConfig: { insecureSkipVerify: true },
          }],
        },
      });
    }
    // The namespace is applied first; everything else after it.
    if (ns) for (const child of this.node.findAll()) if (child !== ns && ApiObject.isApiObject(child)) child.node.addDependency(ns);
  }
}

/** The operator image: the release's by default; for the documented API one must be given. */
function operatorImage(scope: Construct, release: boolean, props: OmniaOperatorProps): string {
  if (!release && props.image === undefined) {
    throw invalidProp(scope, 'image', 'no released Omnia operator implements the documented API (its CRDs and fields differ), so there is '
      + `no image to pin: give the image of an operator built for it, or leave out OmniaTarget.use(app, OmniaApiTarget.DOCUMENTED) to target Omnia ${OMNIA_RELEASE}, whose operator image is the default`);
  }
  const repository = props.image ?? OmniaOperator.DEFAULT_IMAGE;
  const tag = props.tag ?? (release ? OmniaOperator.DEFAULT_TAG : undefined);
  if (tag === undefined) throw invalidProp(scope, 'tag', 'give the tag of the operator image (a version, never latest)');
  if (tag === 'latest') throw invalidProp(scope, 'tag', '"latest" is not a version: pin the tag the cluster should run');
  return `${repository}:${tag}`;
}

// The images of the agent pods and workspace services, which the release's operator is told by flags; they
// come from the operator image's registry, pinned to the operator's tag (their own fallbacks are `latest`
// tags that no release pushes).
const RELEASE_IMAGES: Array<[flag: string, image: string]> = [
  ['--facade-image', 'omnia-facade'],
  ['--framework-image', 'promptkit=omnia-runtime'],
  ['--session-api-image', 'omnia-session-api'],
  ['--memory-api-image', 'omnia-memory-api'],
  ['--privacy-api-image', 'omnia-privacy-api'],
  ['--eval-worker-image', 'omnia-eval-worker'],
];

/** The flags of the release's operator beyond the common ones, as its own chart sets them. */
function releaseArgs(operatorImageRef: string, pullPolicy: string, workspaceReaderRole: string, metrics: boolean): string[] {
  const colon = operatorImageRef.lastIndexOf(':');
  const [repository, tag] = [operatorImageRef.slice(0, colon), operatorImageRef.slice(colon + 1)];
  const registry = repository.slice(0, repository.lastIndexOf('/') + 1);
  const images = RELEASE_IMAGES.flatMap(([flag, image]) => {
    const [framework, name] = image.includes('=') ? image.split('=') : [undefined, image];
    return [`${flag}=${framework ? `${framework}=` : ''}${registry}${name}:${tag}`, `${flag}-pull-policy=${pullPolicy}`];
  });
  return [
    ...(metrics ? ['--metrics-secure=true'] : []),
    ...images,
    `--agent-workspace-reader-clusterrole=${workspaceReaderRole}`,
    `--workspace-content-path=${WORKSPACE_CONTENT_PATH}`,
  ];
}

/**
 * The RBAC of the release, as its own role files grant it (read from the release at build time; with
 * `enterprise`, the enterprise controllers' role too), plus what
 * secure metrics need: TokenReviews and SubjectAccessReviews for the operator, a `/metrics` reader role
 * for scrapers. A wildcard is refused: every verb must be listed.
 */
function releaseInstallRbac(scope: Construct, enterprise: boolean) {
  const rbac = releaseRbac().roles;
  const manager = enterprise ? [...rbac.manager, ...rbac.enterprise] : rbac.manager;
  const toKube = (rules: any[]): kplus.k8s.PolicyRule[] => rules.map((r) => ({
    apiGroups: r.apiGroups, resources: r.resources, resourceNames: r.resourceNames, verbs: r.verbs, nonResourceUrLs: r.nonResourceURLs,
  }));
  const all = [...manager, ...rbac.metricsAuth, ...rbac.leaderElection, ...rbac.metricsReader, ...rbac.agentWorkspaceReader];
  for (const rule of all) {
    for (const field of ['apiGroups', 'resources', 'verbs', 'nonResourceURLs']) {
      if ((rule as any)[field]?.includes('*')) throw invalidProp(scope, 'rbac', `the release's rules hold a wildcard in ${field} (${JSON.stringify(rule)}); this install lists every verb`);
    }
  }
  return {
    operator: toKube([...manager, ...rbac.metricsAuth]),
    leaderElection: toKube(rbac.leaderElection),
    metricsReader: toKube(rbac.metricsReader),
    agentWorkspaceReader: toKube(rbac.agentWorkspaceReader),
  };
}
