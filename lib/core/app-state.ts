import { ApiObject } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { DEFAULT_API_TARGET, OmniaApiTarget } from '../api';

const STATE_ID = 'cdk8s-omnia';

/**
 * What this library keeps for one app: its API target, whether the synth-time checks run, the
 * companions chosen for scopes, and whether its manifests are written as Helm templates. It lives in the
 * app's own tree (a construct under the root, like aws-cdk's stack metadata), so every app has its own,
 * nothing is global, and it goes with the app.
 */
export class AppState extends Construct {
  /** The state of the app `scope` belongs to, made on first use. */
  public static of(scope: IConstruct): AppState {
    const root = scope.node.root as Construct;
    return AppState.find(scope) ?? new AppState(root, root.node.tryFindChild(STATE_ID) ? `${STATE_ID}-${root.node.children.length}` : STATE_ID);
  }

  /** The state of the app `scope` belongs to, if it has one. */
  public static find(scope: IConstruct): AppState | undefined {
    const root = scope.node.root;
    const child = root.node.tryFindChild(STATE_ID);
    if (child instanceof AppState) return child;
    // The id is taken by something else (another copy of this library, say): look for ours.
    return child ? root.node.children.find((c): c is AppState => c instanceof AppState) : undefined;
  }

  /** The Omnia API the app's manifests are written for: the newest release unless `OmniaTarget.use` says otherwise. */
  public target: OmniaApiTarget = DEFAULT_API_TARGET;
  /** Whether an Omnia construct exists in the app (then the target can no longer change). */
  public hasOmniaConstructs = false;
  /**
   * Whether the app installs the CRDs of the release's enterprise kinds; undefined while it installs no CRDs
   * (then someone else does, and the checks cannot tell which).
   */
  public installsEnterpriseCrds?: boolean;
  /** Whether the synth-time checks run. */
  public checksEnabled = true;
  /** Whether the checks include references across objects. */
  public checkReferences = true;
  /** Whether the app-wide check is registered. */
  public checksRegistered = false;
  /** Companions chosen for a scope with `AgentCompanions.applyTo`, by scope. */
  public readonly companionDefaults = new Map<IConstruct, unknown>();
  /** Whether `OmniaHelm.use` asked for Helm templates whatever the output folder. */
  public helmTemplates = false;
  /** Whether the app's output folder lies in a chart's templates/ folder; found on first use. */
  public inHelmChart?: boolean;
  /**
   * An object outside the app's tree (never written) that the metadata of Providers written for the documented
   * API point at: that API has no Provider kind. One for them all.
   */
  public documentedProviderObject?: ApiObject;

  private constructor(scope: Construct, id: string) {
    super(scope, id);
  }
}
