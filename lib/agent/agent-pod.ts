import * as kplus from 'cdk8s-plus-28';
import { IConstruct } from 'constructs';
import { invalidProp } from '../core/errors';

const k8s = kplus.k8s;

/** Where an agent's pods may run. */
export interface AgentPlacement {
  /**
   * Node labels a node must carry to run the pods.
   * @default - any node
   */
  readonly nodeSelector?: { [key: string]: string };
  /**
   * Node taints the pods tolerate (`kplus.NodeTaintQuery.is('gpu', 'true', { effect: kplus.TaintEffect.NO_SCHEDULE })`).
   * @default - none
   */
  readonly tolerations?: kplus.NodeTaintQuery[];
  /**
   * Node and pod affinity rules, as Kubernetes writes them. The release's operator spreads an agent of more
   * than one replica across zones only when no affinity is given.
   * @default - none (zone spreading for more than one replica)
   */
  readonly affinity?: kplus.k8s.Affinity;
}

/** A volume mounted into a container of the agent's pod. */
export interface AgentVolumeMount {
  /** The volume (`kplus.Volume.fromConfigMap`, `.fromSecret`, `.fromEmptyDir`, `.fromPersistentVolumeClaim`, `.fromCsi`, …). */
  readonly volume: kplus.Volume;
  /** Absolute path in the container. */
  readonly path: string;
  /**
   * Whether the container may only read it.
   * @default false
   */
  readonly readOnly?: boolean;
  /**
   * Path inside the volume to mount instead of its root (relative, without `..`).
   * @default - the volume's root
   */
  readonly subPath?: string;
}

// What the release's operator puts in the agent pod itself: a volume of ours must not take these names or paths.
const OPERATOR_VOLUMES = ['promptpack-config', 'tools-config', 'pack-cache', 'tool-secrets', 'workspace-content', 'canary-override', 'session-api-token'];
const OPERATOR_PATHS = ['/etc/omnia/pack', '/etc/omnia/tools', '/etc/omnia/tool-secrets', '/etc/omnia/canary', '/var/run/omnia/pack-cache', '/workspace-content', '/var/run/secrets/omnia/session-api'];
const LABEL_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const LABEL_KEY = /^(([a-z0-9]([-a-z0-9]*[a-z0-9])?)(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const LABEL_VALUE = /^([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)?$/;

/** Refuses keys (and for labels, values) Kubernetes refuses in a pod's metadata or node selector. */
export function checkStringMap(scope: IConstruct, field: string, map: { [key: string]: string } | undefined, labels: boolean): void {
  if (map === undefined || map === null) return;
  if (typeof map !== 'object' || Array.isArray(map)) throw invalidProp(scope, field, 'must be a map of strings');
  for (const [key, value] of Object.entries(map)) {
    if (!LABEL_KEY.test(key) || key.split('/').pop()!.length > 63) throw invalidProp(scope, `${field}.${key}`, 'is not a valid key: [prefix/]name, the name at most 63 letters, digits, "-", "_" or "."');
    if (typeof value !== 'string') throw invalidProp(scope, `${field}.${key}`, `must be a string, got ${typeof value}`);
    if (labels && (!LABEL_VALUE.test(value) || value.length > 63)) throw invalidProp(scope, `${field}.${key}`, `${JSON.stringify(value)} is not a valid label value (at most 63 letters, digits, "-", "_" or ".")`);
  }
}

/** The Kubernetes form of tolerations; throws on anything but NodeTaintQuery. */
export function renderTolerations(scope: IConstruct, field: string, tolerations: kplus.NodeTaintQuery[] | undefined): any[] | undefined {
  if (tolerations === undefined || tolerations === null) return undefined;
  if (!Array.isArray(tolerations)) throw invalidProp(scope, field, 'must be a list of kplus.NodeTaintQuery');
  return tolerations.map((t, i) => {
    if (!(t instanceof kplus.NodeTaintQuery)) throw invalidProp(scope, `${field}[${i}]`, 'must be a kplus.NodeTaintQuery (NodeTaintQuery.is, .exists or .any)');
    return k8s.toJson_Toleration(t._toKube());
  });
}

/** The release's `runtime.{nodeSelector, tolerations, affinity}` of a placement, checked. */
export function renderPlacement(scope: IConstruct, placement: AgentPlacement | undefined): any {
  if (!placement) return {};
  checkStringMap(scope, 'placement.nodeSelector', placement.nodeSelector, true);
  const affinity = placement.affinity;
  if (affinity !== undefined && (affinity === null || typeof affinity !== 'object' || Array.isArray(affinity))) {
    throw invalidProp(scope, 'placement.affinity', 'must be a kplus.k8s.Affinity object');
  }
  const rendered = affinity && k8s.toJson_Affinity(affinity);
  return {
    nodeSelector: placement.nodeSelector && Object.keys(placement.nodeSelector).length ? { ...placement.nodeSelector } : undefined,
    tolerations: renderTolerations(scope, 'placement.tolerations', placement.tolerations),
    affinity: rendered && Object.keys(rendered).length ? rendered : undefined,
  };
}

/** Volumes and mounts, rendered: each volume once, by name. */
export interface RenderedMounts {
  readonly volumes: any[];
  readonly mounts: any[];
}

/** What earlier lists of mounts put in the pod: volumes by name, and the paths mounted in the runtime container. */
export interface MountState {
  readonly volumes: Map<string, kplus.Volume>;
  readonly paths: Set<string>;
}

/**
 * Checks mounts and renders them with their volumes, each volume once. `state` holds what another list of
 * ours put in the pod already: its volumes are mounted, not written again, and its paths are not mounted twice.
 */
export function renderMounts(scope: IConstruct, field: string, mounts: AgentVolumeMount[] | undefined,
  state: MountState = { volumes: new Map(), paths: new Set() }): RenderedMounts {
  const taken = state.volumes;
  if (mounts === undefined || mounts === null) return { volumes: [], mounts: [] };
  if (!Array.isArray(mounts)) throw invalidProp(scope, field, 'must be a list of mounts');
  const volumes: any[] = [];
  const paths = state.paths;
  const rendered = mounts.map((m, i) => {
    const at = `${field}[${i}]`;
    if (!m || !(m.volume instanceof kplus.Volume)) throw invalidProp(scope, `${at}.volume`, 'must be a kplus.Volume');
    const name = m.volume.name;
    if (!LABEL_NAME.test(name) || name.length > 63) throw invalidProp(scope, `${at}.volume`, `name ${JSON.stringify(name)} is not a DNS label (lower case letters, digits and "-", at most 63)`);
    if (OPERATOR_VOLUMES.includes(name)) throw invalidProp(scope, `${at}.volume`, `name ${JSON.stringify(name)} is a volume the operator adds to the agent pod; choose another`);
    const known = taken.get(name);
    if (known && known !== m.volume) throw invalidProp(scope, `${at}.volume`, `another volume is already named ${JSON.stringify(name)} in the agent pod`);
    if (!known) {
      taken.set(name, m.volume);
      volumes.push(k8s.toJson_Volume(m.volume._toKube()));
    }
    if (typeof m.path !== 'string' || !m.path.startsWith('/') || m.path.includes(':')) throw invalidProp(scope, `${at}.path`, `must be an absolute path without ":", got ${JSON.stringify(m.path)}`);
    const path = m.path.replace(/\/+$/, '') || '/';
    if (OPERATOR_PATHS.some((p) => p === path || p.startsWith(`${path}/`) || path.startsWith(`${p}/`))) {
      throw invalidProp(scope, `${at}.path`, `${m.path} overlaps a path the operator mounts (${OPERATOR_PATHS.join(', ')})`);
    }
    if (paths.has(path)) throw invalidProp(scope, `${at}.path`, `${m.path} is mounted twice`);
    paths.add(path);
    if (m.subPath !== undefined && (typeof m.subPath !== 'string' || m.subPath.startsWith('/') || m.subPath.split('/').includes('..'))) {
      throw invalidProp(scope, `${at}.subPath`, `must be a relative path without "..", got ${JSON.stringify(m.subPath)}`);
    }
    return { name, mountPath: m.path, readOnly: m.readOnly ?? false, subPath: m.subPath || undefined };
  });
  return { volumes, mounts: rendered };
}

/** The pod props of an AgentRuntime, as `renderAgentPod` takes them. */
export interface AgentPodProps {
  readonly placement?: AgentPlacement;
  readonly volumeMounts?: AgentVolumeMount[];
  readonly podAnnotations?: { [key: string]: string };
}

/** The release's `runtime.{nodeSelector, tolerations, affinity, volumes, volumeMounts}` and `extraPodAnnotations`. */
export function renderAgentPod(scope: IConstruct, props: AgentPodProps, state: MountState): { runtime: any; extraPodAnnotations?: any } {
  checkStringMap(scope, 'podAnnotations', props.podAnnotations, false);
  const mounts = renderMounts(scope, 'volumeMounts', props.volumeMounts, state);
  const annotations = props.podAnnotations;
  return {
    runtime: {
      ...renderPlacement(scope, props.placement),
      volumes: mounts.volumes.length ? mounts.volumes : undefined,
      volumeMounts: mounts.mounts.length ? mounts.mounts : undefined,
    },
    extraPodAnnotations: annotations && Object.keys(annotations).length ? { ...annotations } : undefined,
  };
}
