import { IConstruct } from 'constructs';
import { DEFAULT_API_TARGET, OMNIA_RELEASE, OmniaApiTarget } from '../api';
import { AppState } from './app-state';
import { mistake } from './errors';
import { checkArguments } from './jsii-types';

/**
 * The app-wide choice of which Omnia API the manifests are written for: the newest released operator
 * (Omnia v0.9.0-beta.17, the default: an app that chooses nothing targets it) or the documented API, chosen
 * explicitly with `OmniaTarget.use(app, OmniaApiTarget.DOCUMENTED)`. One app writes one API: the same L2
 * props render either shape, and what a target cannot express is refused at construct time, naming the
 * construct, the field and the target.
 */
export class OmniaTarget {
  /** The release of the Omnia operator this version of the library targets, and the default target. */
  public static readonly RELEASE = OMNIA_RELEASE;

  /**
   * Chooses the target of the app `scope` belongs to (without a call, the newest release). Call it before
   * creating any construct of this library in the app: they render for the target in force when they are made.
   */
  public static use(scope: IConstruct, target: OmniaApiTarget): void {
    checkArguments(scope?.node ? scope : 'OmniaTarget.use', 'cdk8s-omnia.OmniaTarget', 'use', [scope, target]);
    const state = AppState.of(scope);
    if (state.target === target) return;
    if (state.hasOmniaConstructs) {
      throw mistake(`${scope.node.path || '<app>'}: target: choose the API target before creating Omnia constructs; this app already has some, written for ${state.target}`);
    }
    state.target = target;
  }

  /** The target of the app `scope` belongs to: the newest release unless the app chose another. */
  public static of(scope: IConstruct): OmniaApiTarget {
    return AppState.find(scope)?.target ?? DEFAULT_API_TARGET;
  }

  private constructor() {}
}

/** The target an Omnia construct renders for, recorded as used; called by every construct of this library. */
export function targetFor(scope: IConstruct): OmniaApiTarget {
  const state = AppState.of(scope);
  state.hasOmniaConstructs = true;
  return state.target;
}

/** An error for a concept the app's target cannot express, saying which target can. */
export function refusedByTarget(target: OmniaApiTarget, what: string): string {
  if (target === OmniaApiTarget.DOCUMENTED) {
    return `${what}: the documented API has no equivalent (the app chose it with OmniaTarget.use; Omnia ${OMNIA_RELEASE}, the default, supports it)`;
  }
  return `${what}: Omnia ${target} has no equivalent (the app targets ${target}; the documented API supports it: choose it with OmniaTarget.use(app, OmniaApiTarget.DOCUMENTED) before creating constructs)`;
}
