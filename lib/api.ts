// The Omnia API this library writes: its group and version, defined once.

/** API group of the Omnia kinds. */
export const OMNIA_GROUP = 'omnia.altairalabs.ai';

/** Version of the Omnia API the CRDs of this package serve. */
export const OMNIA_VERSION = 'v1alpha1';

/** `apiVersion` of every Omnia object this library writes. */
export const OMNIA_API_VERSION = `${OMNIA_GROUP}/${OMNIA_VERSION}`;

/** Go module of the Omnia operator: its tags are the releases. */
export const OMNIA_MODULE = 'github.com/altairalabs/omnia';

/** The release of the Omnia operator this version of the library targets (a tag of OMNIA_MODULE). */
export const OMNIA_RELEASE = 'v0.9.0-beta.17';

/**
 * Which Omnia API the manifests of an app are written for. The newest release is the default of an app,
 * the install, the CLI, the validation plugin and the checks; the documented API is an explicit choice.
 */
export enum OmniaApiTarget {
  /**
   * The documented API (the AgentRuntime reference page), with this package's own CRDs. No released
   * operator implements it: choose it explicitly (`OmniaTarget.use(app, OmniaApiTarget.DOCUMENTED)`,
   * `--target documented`) and install it with an operator image built for it.
   */
  DOCUMENTED = 'documented',
  /** The newest released operator, Omnia v0.9.0-beta.17, with that release's CRDs: the default. */
  V0_9_0_BETA_17 = 'v0.9.0-beta.17',
}

/** The target of whatever names none (an app, the CLI, the plugin, the checks): the newest release, OMNIA_RELEASE. */
export const DEFAULT_API_TARGET = OmniaApiTarget.V0_9_0_BETA_17;
