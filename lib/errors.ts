import { IConstruct } from 'constructs';

/** An error that says which construct, which field and why, so the user can find and fix the prop. */
export function invalidProp(scope: IConstruct, field: string, reason: string): Error {
  return new Error(`${scope.node.path}: ${field}: ${reason}`);
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

export function isDnsLabel(value: string): boolean {
  return value.length <= 63 && DNS_LABEL.test(value);
}

export function isDnsSubdomain(value: string): boolean {
  return value.length <= 253 && DNS_SUBDOMAIN.test(value);
}
