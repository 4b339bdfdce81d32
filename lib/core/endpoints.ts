// Where a tool endpoint lives, for the egress rules of an agent's NetworkPolicy.

/**
 * The in-cluster destination of a tool endpoint (`http://svc.ns.svc:8080/x`, `svc.ns.svc.cluster.local:50051`,
 * or a bare Service name such as `stock:50051`, which resolves in the caller's namespace), or undefined for
 * endpoints outside the cluster.
 */
export function inClusterEndpoint(endpoint: string, defaultNamespace: string): { namespace: string; port: number } | undefined {
  const match = /^(?:(https?):\/\/)?([a-z0-9-]+)((?:\.([a-z0-9-]+))?\.svc(?:\.cluster\.local)?)?(?::(\d+))?(?:[/?#]|$)/.exec(endpoint);
  if (!match || match[2] === 'localhost') return undefined;
  const [, scheme, , , namespace, port] = match;
  return { namespace: namespace ?? defaultNamespace, port: port ? Number(port) : scheme === 'https' ? 443 : 80 };
}
