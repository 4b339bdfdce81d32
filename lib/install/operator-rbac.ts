// The permissions of the Omnia operator, as data: the ClusterRole and the leader-election Role.
// Listed verb by verb, never '*', so that a review of this file is a review of what the operator may do.

/** One RBAC policy rule. */
export interface RbacRule {
  readonly apiGroups: string[];
  readonly resources: string[];
  readonly verbs: string[];
}

const ALL = ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'];
const READ = ['get', 'list', 'watch'];
import { OMNIA_GROUP as OMNIA } from '../api';

const KINDS = ['agentruntimes', 'promptpacks', 'toolregistries'];

/** What the operator does cluster-wide: reconcile the three kinds and the objects it creates per agent. */
export const OPERATOR_CLUSTER_RULES: RbacRule[] = [
  { apiGroups: [OMNIA], resources: KINDS, verbs: ALL },
  { apiGroups: [OMNIA], resources: KINDS.map((k) => `${k}/status`), verbs: ['get', 'patch', 'update'] },
  { apiGroups: [OMNIA], resources: KINDS.map((k) => `${k}/finalizers`), verbs: ['update'] },
  { apiGroups: ['apps'], resources: ['deployments'], verbs: ALL },
  { apiGroups: [''], resources: ['configmaps', 'serviceaccounts', 'services'], verbs: ALL },
  { apiGroups: [''], resources: ['secrets'], verbs: READ },
  { apiGroups: [''], resources: ['events'], verbs: ['create', 'patch'] },
  { apiGroups: [''], resources: ['pods'], verbs: READ },
  { apiGroups: ['autoscaling'], resources: ['horizontalpodautoscalers'], verbs: ALL },
  { apiGroups: ['policy'], resources: ['poddisruptionbudgets'], verbs: ALL },
  { apiGroups: ['networking.k8s.io'], resources: ['networkpolicies'], verbs: ALL },
];

/** What leader election needs, in the operator's namespace only. */
export const LEADER_ELECTION_RULES: RbacRule[] = [
  { apiGroups: ['coordination.k8s.io'], resources: ['leases'], verbs: ALL },
  { apiGroups: [''], resources: ['configmaps'], verbs: ALL },
  { apiGroups: [''], resources: ['events'], verbs: ['create', 'patch'] },
];
