import * as kplus from 'cdk8s-plus-28';
import { IConstruct } from 'constructs';
import { invalidProp } from '../core/errors';
import { AgentVolumeMount, checkStringMap, MountState, renderMounts, renderTolerations } from './agent-pod';

const k8s = kplus.k8s;

/**
 * Changes to a pod the release's operator builds (the agent's facade and runtime pod; later the eval worker's),
 * merged into what the operator sets. Pod-level settings apply to the pod; env, envFrom and volume mounts to
 * each of its own containers (not to sidecars the operator injects).
 */
export interface PodOverrides {
  /**
   * ServiceAccount the pod runs as, instead of the one the operator makes (`<agent>-facade`): one annotated
   * for workload identity (`iam.gke.io/gcp-service-account`, `eks.amazonaws.com/role-arn`,
   * `azure.workload.identity/client-id`), in the pod's namespace. The operator binds its own Role to it, and
   * the pod needs its token: a `kplus.ServiceAccount` of the app must have `automountToken: true`.
   * @default - the operator's `<agent>-facade`
   */
  readonly serviceAccount?: kplus.IServiceAccount;
  /**
   * Labels added to the pod; the operator's own labels win on a clash.
   * @default - none
   */
  readonly labels?: { [key: string]: string };
  /**
   * Annotations added to the pod; these win over the operator's on a clash.
   * @default - none
   */
  readonly annotations?: { [key: string]: string };
  /**
   * Node labels merged into the pod's node selector; these win on a clash.
   * @default - none
   */
  readonly nodeSelector?: { [key: string]: string };
  /**
   * Tolerations appended to the pod's.
   * @default - none
   */
  readonly tolerations?: kplus.NodeTaintQuery[];
  /**
   * PriorityClass of the pod.
   * @default - the cluster's default priority
   */
  readonly priorityClassName?: string;
  /**
   * Secrets with registry credentials (`kplus.DockerConfigSecret`) for pulling the pod's images.
   * @default - none
   */
  readonly imagePullSecrets?: kplus.ISecret[];
  /**
   * Environment variables added to each container of the pod.
   * @default - none
   */
  readonly env?: { [name: string]: kplus.EnvValue };
  /**
   * ConfigMaps and Secrets whose every key becomes an environment variable of each container
   * (`kplus.Env.fromSecret`, `kplus.Env.fromConfigMap`).
   * @default - none
   */
  readonly envFrom?: kplus.EnvFrom[];
  /**
   * Volumes mounted into each container of the pod (the volumes are added to the pod once each).
   * @default - none
   */
  readonly volumeMounts?: AgentVolumeMount[];
}

const PRIORITY_CLASS = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/**
 * The release's `PodOverrides` object (field names as its CRD has them), checked; `field` is the prop's path
 * for errors, `namespace` the pod's, `state` what other props put in the pod already.
 */
export function renderPodOverrides(scope: IConstruct, field: string, overrides: PodOverrides | undefined, namespace: string | undefined,
  state?: MountState): any {
  if (overrides === undefined || overrides === null) return undefined;
  const fail = (sub: string, reason: string) => invalidProp(scope, `${field}.${sub}`, reason);
  checkStringMap(scope, `${field}.labels`, overrides.labels, true);
  checkStringMap(scope, `${field}.annotations`, overrides.annotations, false);
  checkStringMap(scope, `${field}.nodeSelector`, overrides.nodeSelector, true);

  const sa = overrides.serviceAccount;
  if (sa) {
    if (typeof sa.name !== 'string') throw fail('serviceAccount', 'must be a kplus.IServiceAccount');
    if (sa instanceof kplus.ServiceAccount) {
      const saNamespace = sa.metadata.namespace ?? 'default';
      if (saNamespace !== (namespace ?? 'default')) throw fail('serviceAccount', `ServiceAccount ${sa.name} is in namespace ${saNamespace}; a pod runs as one of its own namespace (${namespace ?? 'default'})`);
      if (!sa.automountToken) throw fail('serviceAccount', `ServiceAccount ${sa.name} has automountToken false: the agent reads its AgentRuntime and Provider through the API with that token; give it automountToken: true`);
    }
  }
  const priority = overrides.priorityClassName;
  if (priority !== undefined && (typeof priority !== 'string' || !PRIORITY_CLASS.test(priority) || priority.length > 253)) {
    throw fail('priorityClassName', `must be a DNS subdomain name, got ${JSON.stringify(priority)}`);
  }
  const pullSecrets = (overrides.imagePullSecrets ?? []).map((s, i) => {
    if (!s || typeof s.name !== 'string') throw fail(`imagePullSecrets[${i}]`, 'must be a kplus.ISecret');
    const own = (s as any).metadata?.namespace;
    if (s instanceof kplus.Secret && (own ?? 'default') !== (namespace ?? 'default')) {
      throw fail(`imagePullSecrets[${i}]`, `Secret ${s.name} is in namespace ${own ?? 'default'}; a pod pulls with Secrets of its own namespace (${namespace ?? 'default'})`);
    }
    return { name: s.name };
  });
  const env = Object.entries(overrides.env ?? {}).map(([name, value]) => {
    // The CRD allows any printable ASCII but "=" in a name.
    if (!/^[\x21-\x3c\x3e-\x7e]+$/.test(name)) throw fail(`env.${name}`, 'is not a valid environment variable name (printable ASCII without "=" or spaces)');
    if (!(value instanceof kplus.EnvValue)) throw fail(`env.${name}`, 'must be a kplus.EnvValue');
    return { name, value: value.value, valueFrom: value.valueFrom && k8s.toJson_EnvVarSource(value.valueFrom) };
  });
  const envFrom = (overrides.envFrom ?? []).map((e, i) => {
    if (!(e instanceof kplus.EnvFrom)) throw fail(`envFrom[${i}]`, 'must be a kplus.EnvFrom (kplus.Env.fromSecret or kplus.Env.fromConfigMap)');
    return k8s.toJson_EnvFromSource(e._toKube());
  });
  const mounts = renderMounts(scope, `${field}.volumeMounts`, overrides.volumeMounts, state);
  const nonEmpty = <T>(list: T[]) => (list.length ? list : undefined);
  const map = (m: { [key: string]: string } | undefined) => (m && Object.keys(m).length ? { ...m } : undefined);
  return {
    serviceAccountName: sa?.name,
    labels: map(overrides.labels),
    annotations: map(overrides.annotations),
    nodeSelector: map(overrides.nodeSelector),
    tolerations: nonEmpty(renderTolerations(scope, `${field}.tolerations`, overrides.tolerations) ?? []),
    priorityClassName: priority,
    imagePullSecrets: nonEmpty(pullSecrets),
    extraEnv: nonEmpty(env),
    extraEnvFrom: nonEmpty(envFrom),
    extraVolumes: nonEmpty(mounts.volumes),
    extraVolumeMounts: nonEmpty(mounts.mounts),
  };
}
