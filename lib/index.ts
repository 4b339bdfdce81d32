// The API target: the documented API or a released operator.
export { OmniaApiTarget } from './api';
export { OmniaTarget } from './core/target';
// Agents: the AgentRuntime and what it is made of, and its companions.
export * from './agent/agent-runtime';
export * from './agent/external-auth';
export * from './agent/facade';
export * from './agent/agent-mode';
export * from './agent/provider';
export * from './agent/session';
export * from './agent/companion-options';
export { AgentCompanions } from './agent/companions';
// What an agent uses beyond its pod and facades (release target).
export type { AdditionalProvider } from './agent/agent-providers';
export { MemoryRetrievalStrategy } from './agent/agent-memory';
export type { AgentMemory, MemoryRetrievalOptions } from './agent/agent-memory';
export type { AgentEvals } from './agent/agent-evals';
export { AgentFramework } from './agent/agent-framework';
export type { FrameworkOptions, FrameworkImageOptions } from './agent/agent-framework';
export { RolloutStep, TrafficRouting, RollbackMode } from './agent/agent-rollout';
export type { AgentRollout, RolloutCandidate, AnalysisStepOptions, MeshTrafficOptions, IstioTrafficOptions } from './agent/agent-rollout';
export { PrivacyPolicyRef } from './agent/privacy-policy';
export type { AgentPlacement, AgentVolumeMount } from './agent/agent-pod';
export { KedaTrigger } from './agent/keda';
export type { KedaScalingOptions, KedaPrometheusTriggerOptions, KedaCronTriggerOptions } from './agent/keda';
export type { PodOverrides } from './agent/pod-overrides';
// Prompts and tools the agents refer to.
export * from './prompts/prompt-pack';
export * from './prompts/skill-source';
export * from './tools/tool-registry';
export * from './tools/tool-handler';
export * from './tools/tool-auth';
export type { RetryPolicy, HttpRetryPolicy, GrpcRetryPolicy } from './tools/retry-policy';
export { GrpcStatusCode } from './tools/retry-policy';
export * from './core/secret-key';
// The platform around the agents (release target): Workspace and the policies.
export * from './platform/workspace';
export * from './platform/memory-policy';
export * from './platform/session-retention-policy';
export * from './platform/agent-policy';
export * from './platform/tool-policy';
export { PolicyFailureAction } from './platform/common';
export type { IOmniaReference } from './core/references';
// The install: CRDs and operator.
export * from './install/omnia-crds';
export * from './install/omnia-operator';
// Checks: at synth, on manifests, and as a cdk8s CLI plugin.
export * from './checks/omnia-validation';
export { FindingCheck, formatFinding } from './validation/findings';
export type { ValidationFinding } from './validation/findings';
export { validateManifests } from './validation/manifests';
export type { ValidateManifestsOptions } from './validation/manifests';
export * from './validation/omnia-schema';
export { OmniaValidationPlugin } from './validation/plugin';
// Helm: manifests written as templates Helm renders back to themselves.
export * from './checks/omnia-helm';
// The generated L1 classes, as the `l1` submodule: an escape hatch to write raw specs.
export * as l1 from './l1';
// The typed L1 classes of every kind of the pinned release, generated at build time, as the `release` submodule.
export * as release from './release-l1';
