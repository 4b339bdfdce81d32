// Validates built-in objects against the Kubernetes OpenAPI schemas shipped by kubernetes-models
// (and the Prometheus Operator's, for ServiceMonitor).
const MODULES: Record<string, string> = {
  'v1': 'kubernetes-models/v1',
  'apps/v1': 'kubernetes-models/apps/v1',
  'rbac.authorization.k8s.io/v1': 'kubernetes-models/rbac.authorization.k8s.io/v1',
  'policy/v1': 'kubernetes-models/policy/v1',
  'networking.k8s.io/v1': 'kubernetes-models/networking.k8s.io/v1',
  'autoscaling/v2': 'kubernetes-models/autoscaling/v2',
  'apiextensions.k8s.io/v1': 'kubernetes-models/apiextensions.k8s.io/v1',
  'monitoring.coreos.com/v1': '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1',
};

/** Throws with the object and the schema's reason when `manifest` is not a valid object of its kind. */
export function validateBuiltIn(manifest: any): void {
  const module = MODULES[manifest.apiVersion];
  if (!module) throw new Error(`no schema module for ${manifest.apiVersion}`);
  const Model = require(module)[manifest.kind];
  if (!Model) throw new Error(`no schema for ${manifest.apiVersion} ${manifest.kind}`);
  try {
    new Model(manifest).validate();
  } catch (e) {
    throw new Error(`${manifest.kind} ${manifest.metadata?.name}: ${(e as Error).message}`);
  }
}

export function isBuiltIn(manifest: any): boolean {
  return !String(manifest.apiVersion).startsWith('omnia.altairalabs.ai/');
}
