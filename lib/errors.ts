import { IConstruct } from 'constructs';
import { dnsLabelError, dnsSubdomainError } from './validation/object-meta';

/** An error that says which construct, which field and why, so the user can find and fix the prop. */
export function invalidProp(scope: IConstruct, field: string, reason: string): Error {
  return new Error(`${scope.node.path}: ${field}: ${reason}`);
}

export function isDnsLabel(value: string): boolean {
  return dnsLabelError(value) === undefined;
}

export function isDnsSubdomain(value: string): boolean {
  return dnsSubdomainError(value) === undefined;
}
