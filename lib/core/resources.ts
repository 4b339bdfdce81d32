import * as kplus from 'cdk8s-plus-28';

/** Requests and limits as quantity strings, keyed by resource name. */
export interface RenderedResources {
  requests?: { [key: string]: string };
  limits?: { [key: string]: string };
}

/** Renders cdk8s-plus container resources as the requests/limits maps of a core/v1 ResourceRequirements. */
export function renderResources(resources: kplus.ContainerResources | undefined): RenderedResources | undefined {
  if (!resources) return undefined;
  const requests: { [key: string]: string } = {};
  const limits: { [key: string]: string } = {};
  const put = (key: string, request?: string, limit?: string) => {
    if (request !== undefined) requests[key] = request;
    if (limit !== undefined) limits[key] = limit;
  };
  const mebibytes = (size?: { toMebibytes(): number }) => (size ? `${size.toMebibytes()}Mi` : undefined);
  put('cpu', resources.cpu?.request?.amount, resources.cpu?.limit?.amount);
  put('memory', mebibytes(resources.memory?.request), mebibytes(resources.memory?.limit));
  put('ephemeral-storage', mebibytes(resources.ephemeralStorage?.request), mebibytes(resources.ephemeralStorage?.limit));
  return {
    requests: Object.keys(requests).length ? requests : undefined,
    limits: Object.keys(limits).length ? limits : undefined,
  };
}
