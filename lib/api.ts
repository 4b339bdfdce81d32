// The Omnia API this library writes: its group and version, defined once.

/** API group of the Omnia kinds. */
export const OMNIA_GROUP = 'omnia.altairalabs.ai';

/** Version of the Omnia API the CRDs of this package serve. */
export const OMNIA_VERSION = 'v1alpha1';

/** `apiVersion` of every Omnia object this library writes. */
export const OMNIA_API_VERSION = `${OMNIA_GROUP}/${OMNIA_VERSION}`;
