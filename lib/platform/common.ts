import { Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { IConstruct } from 'constructs';
import { OmniaApiTarget } from '../api';
import { describedObject, invalidProp, mistake, objectLabel } from '../core/errors';
import { refusedByTarget, targetFor } from '../core/target';
import { ExternalReference, IOmniaReference } from '../core/references';

// What the platform kinds (Workspace and the policies) share: the refusal under the documented API, and
// the release's duration, day-count, decimal and cron forms.

/** What the policy enums of AgentPolicy and ToolPolicy call the behaviour when evaluating a policy fails. */
export enum PolicyFailureAction {
  /** Refuse the request (the safe default). */
  DENY = 'deny',
  /** Let the request through. */
  ALLOW = 'allow',
}

/** Refuses a platform kind in an app of the documented API, which has none of them. */
export function refuseDocumented(scope: IConstruct, where: string, kind: string, name: string | undefined, namespace?: string): void {
  if (targetFor(scope) !== OmniaApiTarget.DOCUMENTED) return;
  throw mistake(`${where}: ${objectLabel({ kind, name, namespace })}: ${refusedByTarget(OmniaApiTarget.DOCUMENTED, `${/^[AEIOU]/.test(kind) ? 'an' : 'a'} ${kind}`)}`, [scope]);
}

function wholeSeconds(scope: IConstruct, field: string, duration: Duration): number {
  const ms = duration.toMilliseconds();
  if (!Number.isFinite(ms) || ms <= 0 || ms % 1000 !== 0) {
    throw invalidProp(scope, field, `must be a positive whole number of seconds, got ${ms}ms`);
  }
  return ms / 1000;
}

/** A duration in the `<d>d<h>h<m>m<s>s` form the memory policy's fields take (`180d`, `36h`). */
export function dayDuration(scope: IConstruct, field: string, duration: Duration): string {
  return durationText(wholeSeconds(scope, field, duration), true);
}

/** A duration in the `<h>h<m>m<s>s` form (no days) the session retention policy's fields take. */
export function hourDuration(scope: IConstruct, field: string, duration: Duration): string {
  return durationText(wholeSeconds(scope, field, duration), false);
}

function durationText(seconds: number, days: boolean): string {
  let out = '';
  const units: Array<[string, number]> = [['d', 86_400], ['h', 3_600], ['m', 60], ['s', 1]];
  for (const [unit, size] of days ? units : units.slice(1)) {
    const count = Math.floor(seconds / size);
    if (count > 0) out += `${count}${unit}`;
    seconds -= count * size;
  }
  return out;
}

/** A duration the release counts in whole days, within a range. */
export function wholeDays(scope: IConstruct, field: string, duration: Duration, min: number, max: number): number {
  const ms = duration.toMilliseconds();
  const days = ms / 86_400_000;
  if (!Number.isInteger(days) || days < min || days > max) {
    throw invalidProp(scope, field, `must be a whole number of days from ${min} to ${max}, got ${ms / 3_600_000}h`);
  }
  return days;
}

/** A whole number within a range, or a failure naming the field. */
export function checkInt(scope: IConstruct, field: string, value: number | undefined, min: number, max: number): void {
  if (value === undefined) return;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw invalidProp(scope, field, `must be a whole number from ${min} to ${max}, got ${JSON.stringify(value)}`);
  }
}

/** A number within a range written as the decimal string the release's fields take (`0.5`). */
export function decimalIn(scope: IConstruct, field: string, value: number | undefined, min: number, max: number): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
    throw invalidProp(scope, field, `must be a number from ${min} to ${max}, got ${JSON.stringify(value)}`);
  }
  const text = value.toLocaleString('en-US', { useGrouping: false, maximumFractionDigits: 6 });
  return text.includes('.') ? text : `${text}.0`;
}

// The cron forms the release's memory policy controller accepts (5 or 6 fields, or an @ shortcut).
const CRON = /^(@(every +[0-9]+(ns|us|µs|ms|s|m|h)|hourly|daily|weekly|monthly|yearly|reboot)|((\*|[0-9]+(,[0-9]+)*|[0-9]+(-|\/)[0-9]+|\*\/[0-9]+)( |$)){5,6})$/;

/** A cron schedule the release accepts, or a failure naming the field. */
export function checkCron(scope: IConstruct, field: string, schedule: string | undefined): void {
  if (schedule !== undefined && !CRON.test(schedule)) {
    throw invalidProp(scope, field, `${JSON.stringify(schedule)} is not a cron schedule the operator accepts (5 or 6 fields such as "0 3 * * *", or @daily)`);
  }
}

/**
 * The namespace an object of the app lives in, when the app defines it (undefined for one outside the
 * app, whose namespace the program does not know).
 */
export function namespaceOfApp(obj: IOmniaReference | kplus.ISecret | kplus.IServiceAccount): string | undefined {
  if (obj instanceof kplus.Resource) return obj.metadata.namespace ?? 'default';
  return ExternalReference.isExternalReference(obj) ? obj.namespace : undefined;
}

/** Fails when an object of the app that `scope` names is not in `namespace`, where the operator looks for it. */
export function checkSameNamespace(scope: IConstruct, field: string, obj: IOmniaReference | kplus.ISecret | kplus.IServiceAccount, namespace: string, why: string): void {
  const actual = namespaceOfApp(obj);
  const kind = describedObject(obj)?.kind ?? (obj instanceof kplus.Secret ? 'Secret' : obj instanceof kplus.ServiceAccount ? 'ServiceAccount' : 'object');
  if (actual !== undefined && actual !== namespace) {
    throw invalidProp(scope, field, `${kind} ${actual}/${obj.name} is not in namespace ${namespace}, ${why}`);
  }
}
