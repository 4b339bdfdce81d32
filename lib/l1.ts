// The generated L1 classes, re-exported as the `l1` submodule: an escape hatch to write raw specs.
export * from '../imports/agentruntime-omnia.altairalabs.ai';
export * from '../imports/promptpack-omnia.altairalabs.ai';
export * from '../imports/toolregistry-omnia.altairalabs.ai';
