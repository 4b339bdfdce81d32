import { Construct } from 'constructs';
import { OmniaApiTarget } from '../api';
import { addSelfCheck } from '../checks/app-checks';
import { AppState } from '../core/app-state';
import { invalidProp, objectLabel } from '../core/errors';
import { ExternalReference } from '../core/references';
import { refusedByTarget } from '../core/target';
import { dnsSubdomainError } from '../validation/object-meta';
import { checkEvals, renderEvals } from './agent-evals';
import { checkMemory, renderMemory } from './agent-memory';
import { checkAdditionalProviders } from './agent-providers';
import { analysisSteps, candidateProviders, checkPinnedVersion, checkRollout, renderRollout } from './agent-rollout';
import type { AgentRuntimeProps } from './agent-runtime';
import { IProvider } from './provider';

/** The props of an AgentRuntime this file renders. */
export type AgentFeatureProps = Pick<AgentRuntimeProps, 'provider' | 'promptPack' | 'additionalProviders' | 'memory' | 'evals' | 'rollout'
| 'framework' | 'promptPackVersion' | 'privacyPolicy'>;

const WHAT: { [field: string]: string } = {
  additionalProviders: 'providers besides the primary one',
  memory: 'cross-session memory',
  evals: 'realtime evals',
  rollout: 'a progressive rollout of the agent',
  framework: 'a choice of agent framework',
  promptPackVersion: 'pinning the PromptPack version on the agent',
  privacyPolicy: 'a SessionPrivacyPolicy of the agent',
};

/**
 * Checks the props at construct time; for the release, declares the objects named by name only as outside
 * the app and checks at synth that the enterprise kinds they need are installed.
 */
export function checkAgentFeatures(agent: Construct, props: AgentFeatureProps, target: OmniaApiTarget, namespace: string | undefined): void {
  if (target === OmniaApiTarget.DOCUMENTED) {
    for (const field of Object.keys(WHAT)) {
      if ((props as any)[field] !== undefined) throw invalidProp(agent, field, refusedByTarget(target, WHAT[field]));
    }
    return;
  }
  checkAdditionalProviders(agent, 'additionalProviders', props.additionalProviders);
  checkMemory(agent, props.memory);
  checkEvals(agent, props.evals, namespace);
  checkRollout(agent, props.rollout, namespace);
  if (props.framework?._problems.length) throw invalidProp(agent, 'framework', props.framework._problems.join('; '));
  checkPinnedVersion(agent, 'promptPackVersion', props.promptPackVersion, props.promptPack);
  const policy = props.privacyPolicy;
  if (policy) {
    const error = typeof policy.name === 'string' ? dnsSubdomainError(policy.name, false) : 'must be a name';
    if (error) throw invalidProp(agent, 'privacyPolicy', `${JSON.stringify(policy.name)} ${error}`);
    const ns = policy.policy?.metadata.namespace;
    if (policy.policy && (ns ?? 'default') !== (namespace ?? 'default')) {
      throw invalidProp(agent, 'privacyPolicy', `${objectLabel({ kind: 'SessionPrivacyPolicy', name: policy.name, namespace: ns })} is in another namespace: the operator looks in the agent's (${namespace ?? 'default'})`);
    }
  }

  // Objects given by name live outside the app: the reference checks are told so.
  const external = new Map<string, { kind: string; name: string }>();
  for (const step of analysisSteps(props.rollout)) if (!step.object) external.set(`RolloutAnalysis-${step.name}`, { kind: 'RolloutAnalysis', name: step.name });
  if (policy && !policy.policy) external.set(`SessionPrivacyPolicy-${policy.name}`, { kind: 'SessionPrivacyPolicy', name: policy.name });
  if (external.size) {
    const scope = new Construct(agent, 'ExternalObjects');
    for (const [id, { kind, name }] of external) new ExternalReference(scope, id, kind, name, namespace);
  }
  const enterprise = [
    ...analysisSteps(props.rollout).filter((s) => !s.object).map((s) => ({ field: 'rollout.steps', kind: 'RolloutAnalysis', name: s.name })),
    ...(policy && !policy.policy ? [{ field: 'privacyPolicy', kind: 'SessionPrivacyPolicy', name: policy.name }] : []),
  ];
  if (enterprise.length) {
    addSelfCheck(agent, () => (AppState.of(agent).installsEnterpriseCrds === false ? enterprise.map((e) => ({
      field: e.field,
      reason: `${e.kind} ${e.name} is of an enterprise kind, and this app installs the release without its CRD: install it with OmniaOperator({ enterprise: true }) (or OmniaCrds({ enterprise: true }))`,
    })) : []));
  }
}

/** The release's spec fields of these props, but the providers and the PromptPack reference (rendered with the agent's). */
export function renderAgentFeatures(agent: Construct, props: AgentFeatureProps, namespace: string | undefined): any {
  return {
    memory: renderMemory(props.memory),
    evals: renderEvals(agent, props.evals, namespace),
    rollout: renderRollout(props.rollout, { namespace, provider: props.provider, additionalProviders: props.additionalProviders }),
    framework: props.framework?._render(),
    privacyPolicyRef: props.privacyPolicy && { name: props.privacyPolicy.name },
  };
}

/** Every Provider the agent's pods may read: the additional ones and the rollout candidate's. */
export function featureProviders(props: AgentFeatureProps): IProvider[] {
  return [...(props.additionalProviders ?? []).map((e) => e.provider), ...candidateProviders(props.rollout)];
}
