import * as path from 'path';
import { Chart, Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import type { FeatureExample } from '../release-features';
import { PromptPack, SkillOrigin, SkillSelector, SkillSource } from '../../lib';

/**
 * A support pack that takes skills from two SkillSources of its namespace: the team's own, kept in a
 * ConfigMap (each key a file, `__` for `/`), and a Git repository of shared skills, of which it uses two.
 */
export const skills: FeatureExample = (chart: Chart): void => {
  const files = new kplus.ConfigMap(chart, 'TeamSkillFiles', {
    metadata: { name: 'support-team-skills' },
    data: {
      'refunds__SKILL.md': [
        '---', 'name: refunds', 'description: Decides whether an order can be refunded and how.', '---',
        'Orders delivered less than 30 days ago are refunded in full; later ones get store credit.', '',
      ].join('\n'),
      'escalation__SKILL.md': [
        '---', 'name: escalation', 'description: When and how to hand a conversation to a person.', '---',
        'Hand over when the customer asks for a person twice, or mentions a legal claim.', '',
      ].join('\n'),
    },
  });
  const team = new SkillSource(chart, 'TeamSkills', {
    metadata: { name: 'support-team' },
    origin: SkillOrigin.configMap(files),
    interval: Duration.minutes(5),
  });
  const shared = new SkillSource(chart, 'SharedSkills', {
    metadata: { name: 'shared' },
    origin: SkillOrigin.git({
      url: 'https://git.example.com/platform/agent-skills.git',
      branch: 'main',
      path: 'skills',
      // The owner creates it (keys username and password); it is never written here.
      credentials: kplus.Secret.fromSecretName(chart, 'GitCredentials', 'agent-skills-git'),
    }),
    interval: Duration.hours(1),
    filter: { include: ['customer/*'] },
  });

  PromptPack.fromFile(chart, 'Pack', {
    metadata: { name: 'support-with-skills' },
    file: path.join(__dirname, '..', 'prompts', 'support-release.json'),
    skills: [
      { source: team, mountAs: 'team' },
      { source: shared, include: ['tone-of-voice', 'privacy'], mountAs: 'shared' },
    ],
    maxActiveSkills: 3,
    skillSelector: SkillSelector.MODEL_DRIVEN,
  });
};
