// The stack of an error of the user's program: which frames are the user's, where constructs were made,
// and what the errors of this library carry in `stack` (test/core/printed-errors.test.ts runs programs and
// reads what Node, ts-node and the cdk8s CLI print of it).
import * as fs from 'fs';
import * as path from 'path';
import { ApiObject, App, Chart, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { IConstruct } from 'constructs';
import { documentedApp, externalPack, openai } from '../util';
import { AgentRuntime, OmniaCrds, OmniaOperator, PromptPack, Provider, ProviderType, release } from '../../lib';
import { invalidProp } from '../../lib/core/errors';
import { creationFrames, debugging, isUserFile, MAX_FRAMES, mistakeFrames, parseFrame, recordCreationSite, userFrames } from '../../lib/core/stack';

const lines = fs.readFileSync(__filename, 'utf8').split('\n');
/** `at <this file>:<line>:` of the line of this file ending with the comment `// <mark>`. */
function at(mark: string): string {
  const line = lines.findIndex((l) => l.endsWith(`// ${mark}`)) + 1;
  if (line === 0) throw new Error(`no line is marked ${mark}`);
  return `    at ${__filename}:${line}:`;
}
const frameLines = (stack: string | undefined) => (stack ?? '').split('\n').filter((l) => /^\s+at /.test(l));

function thrown(fn: () => unknown): Error {
  try {
    fn();
  } catch (e) {
    return e as Error;
  }
  throw new Error('nothing was thrown');
}

/** With CDK8S_OMNIA_DEBUG set to `value` (or unset) while `fn` runs. */
function withDebug<T>(value: string | undefined, fn: () => T): T {
  const before = process.env.CDK8S_OMNIA_DEBUG;
  if (value === undefined) delete process.env.CDK8S_OMNIA_DEBUG;
  else process.env.CDK8S_OMNIA_DEBUG = value;
  try {
    return fn();
  } finally {
    if (before === undefined) delete process.env.CDK8S_OMNIA_DEBUG;
    else process.env.CDK8S_OMNIA_DEBUG = before;
  }
}

const LIBRARY = ['/p/node_modules/cdk8s-omnia/lib/', '/work/repo/lib/', '/work/repo/imports/'];

describe('frames', () => {
  test.each([
    ['    at new AgentRuntime (/work/repo/lib/agent/agent-runtime.ts:132:22)', '/work/repo/lib/agent/agent-runtime.ts', 132, 22],
    ['    at /p/main.ts:43:15', '/p/main.ts', 43, 15],
    ['    at Object.<anonymous> (/p/main.ts:43:15)', '/p/main.ts', 43, 15],
    ['    at makeAgent (/home/me/My Projects (old)/main.ts:4:1)', '/home/me/My Projects (old)/main.ts', 4, 1],
    ['    at eval (eval at run (/p/runner.ts:1:2), <anonymous>:3:4)', '<anonymous>', 3, 4],
    ['    at Module._compile (node:internal/modules/cjs/loader:1521:14)', 'node:internal/modules/cjs/loader', 1521, 14],
    ['    at C:\\p\\main.ts:43:15', 'C:\\p\\main.ts', 43, 15],
    ['    at async file:///p/main.mjs:3:1', 'file:///p/main.mjs', 3, 1],
  ])('%s points at %s:%d:%d', (line, file, lineNumber, column) => {
    expect(parseFrame(line)).toEqual({ file, line: lineNumber, column });
  });

  test.each([
    'Error: support/Agent: AgentRuntime agents/a: x:1:2',
    '    at Array.map (<anonymous>)',
    '    at async Promise.all (index 0)',
    '    at fn (native)',
    '',
  ])('%j is no position', (line) => {
    expect(parseFrame(line)).toBeUndefined();
  });

  test.each([
    ['/p/main.ts', true],
    ['/work/repo/test/app.test.ts', true],
    ['C:\\p\\main.ts', true],
    ['file:///p/main.mjs', true],
    ['/work/repo/lib/core/errors.ts', false],
    ['/work/repo/imports/agentruntime-omnia.altairalabs.ai.js', false],
    ['/p/node_modules/cdk8s-omnia/lib/core/errors.js', false],
    ['/p/node_modules/cdk8s/lib/app.js', false],
    ['/p/node_modules/ts-node/src/index.ts', false],
    ['C:\\p\\node_modules\\constructs\\lib\\construct.js', false],
    ['file:///p/node_modules/cdk8s/lib/app.js', false],
    ['node:internal/modules/cjs/loader', false],
    ['internal/modules/cjs/loader.js', false],
    ['<anonymous>', false],
    ['native', false],
  ])('%s is the user\'s: %s', (file, expected) => {
    expect(isUserFile(file, LIBRARY)).toBe(expected);
  });

  test('of a stack, the user\'s frames are kept, innermost first, without function names', () => {
    const stack = [
      'Error: support/Agent: AgentRuntime agents/Support_Agent: metadata.name: "Support_Agent" must be a lowercase RFC 1123 subdomain',
      '    at invalidProp (/work/repo/lib/core/errors.ts:49:10)',
      '    at addStandardLabels (/work/repo/lib/core/labels.ts:16:35)',
      '    at new AgentRuntime (/work/repo/lib/agent/agent-runtime.ts:132:22)',
      '    at makeAgent (/p/agents.ts:12:3)',
      '    at Object.<anonymous> (/p/main.ts:43:15)',
      '    at Module._compile (node:internal/modules/cjs/loader:1521:14)',
      '    at Module.m._compile (/p/node_modules/ts-node/src/index.ts:1618:23)',
      '    at Function.Module._load (node:internal/modules/cjs/loader:1091:12)',
    ].join('\n');
    expect(userFrames(stack, LIBRARY)).toEqual(['    at /p/agents.ts:12:3', '    at /p/main.ts:43:15']);
    expect(userFrames(undefined, LIBRARY)).toEqual([]);
  });

  test.each([
    [undefined, false], ['', false], ['0', false], ['false', false], ['FALSE', false], ['1', true], ['true', true], ['yes', true],
  ])('CDK8S_OMNIA_DEBUG=%j keeps the library\'s frames: %s', (value, expected) => {
    expect(debugging({ CDK8S_OMNIA_DEBUG: value })).toBe(expected);
  });
});

describe('an error of the user\'s program', () => {
  test('at construct time: the message, then the line that made the faulty construct, and only the user\'s lines', () => {
    const chart = new Chart(documentedApp(), 'support', { namespace: 'agents' });
    const error = thrown(() => new AgentRuntime(chart, 'Agent', { metadata: { name: 'Support_Agent' }, provider: openai(chart), promptPack: externalPack(chart) })); // bad name
    expect(error.message).toMatch(/^support\/Agent: AgentRuntime agents\/Support_Agent: metadata\.name: "Support_Agent" must be a lowercase RFC 1123 subdomain/);
    const stack = error.stack!.split('\n');
    expect(stack[0]).toBe(`Error: ${error.message}`);
    const frames = frameLines(error.stack);
    expect(stack).toEqual([`Error: ${error.message}`, ...frames]);
    expect(frames.length).toBeGreaterThanOrEqual(2);
    expect(frames.length).toBeLessThanOrEqual(MAX_FRAMES);
    expect(frames[0].startsWith(at('bad name'))).toBe(true);
    for (const frame of frames) expect(frame).toMatch(new RegExp(`^    at ${__filename.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:\\d+:\\d+$`));
  });

  test('CDK8S_OMNIA_DEBUG=1 keeps the whole stack: the library\'s frames and those of its dependencies', () => {
    const chart = new Chart(documentedApp(), 'support', { namespace: 'agents' });
    const error = withDebug('1', () => thrown(() => new AgentRuntime(chart, 'Agent', { metadata: { name: 'Support_Agent' }, provider: openai(chart), promptPack: externalPack(chart) })));
    const frames = frameLines(error.stack);
    expect(frames.length).toBeGreaterThan(MAX_FRAMES);
    expect(frames[0]).toMatch(/at invalidProp \(.*[/\\]lib[/\\]core[/\\]errors\.ts:\d+:\d+\)$/);
    expect(frames.some((f) => f.includes(`${path.sep}node_modules${path.sep}`))).toBe(true);
    // V8's own frames, with function names: the user's among them.
    expect(frames.some((f) => f.includes(`(${__filename}:`))).toBe(true);
  });

  test('a method called on a construct: the line of the call, then where the construct was made', () => {
    const chart = new Chart(new App(), 'support', { namespace: 'agents' });
    const agent = new AgentRuntime(chart, 'Agent', { metadata: { name: 'a' }, provider: openai(chart), promptPack: externalPack(chart) }); // made
    let error = new Error('nothing was thrown');
    try {
      agent.addDisruptionBudget(); // called
    } catch (e) {
      error = e as Error;
    }
    expect(error.message).toContain('support/Agent: AgentRuntime agents/a: disruptionBudget: ');
    const frames = frameLines(error.stack);
    expect(frames).toHaveLength(2);
    expect(frames[0].startsWith(at('called'))).toBe(true);
    expect(frames[1].startsWith(at('made'))).toBe(true);
  });

  test('at synth: the line that made the construct the finding names, not the line of the synth', () => {
    const app = new App();
    const chart = new Chart(app, 'support', { namespace: 'agents' });
    new AgentRuntime(chart, 'Agent', { // the agent
      metadata: { name: 'a' },
      provider: openai(chart),
      promptPack: externalPack(chart),
      env: { OPENAI_API_KEY: kplus.EnvValue.fromValue('sk-123') },
    });
    const error = thrown(() => app.synth()); // synth
    expect(error.message).toMatch(/^cdk8s-omnia: 1 problem\(s\) in the app:\n {2}support\/Agent: AgentRuntime agents\/a: spec\.runtime\.extraEnv\[0\]\.value: OPENAI_API_KEY looks like a credential/);
    const frames = frameLines(error.stack);
    expect(frames[0].startsWith(at('the agent'))).toBe(true);
    expect(frames.some((f) => f.startsWith(at('synth')))).toBe(false);
    expect(error.stack!.split('\n').slice(0, 2 + frames.length)).toEqual([...`Error: ${error.message}`.split('\n'), ...frames]);
  });

  test('an object rendered at synth (Testing.synth): the line that made its construct', () => {
    const chart = new Chart(new App(), 'support', { namespace: 'agents' });
    const agent = new AgentRuntime(chart, 'Agent', { metadata: { name: 'a' }, provider: openai(chart), promptPack: externalPack(chart) }); // rendered agent
    agent.addEnv('OPENAI_API_KEY', kplus.EnvValue.fromValue('sk-123'));
    const error = thrown(() => Testing.synth(chart));
    expect(frameLines(error.stack)[0].startsWith(at('rendered agent'))).toBe(true);
  });
});

describe('where a construct was made', () => {
  /** Made by a helper of the user's: its line, then the line that called it. */
  function helperAgent(chart: Chart, name: string): AgentRuntime {
    const promptPack = (chart.node.tryFindChild('ExternalPack') as PromptPack | undefined) ?? externalPack(chart);
    return new AgentRuntime(chart, name, { metadata: { name }, provider: openai(chart), promptPack }); // helper
  }

  test('a construct of this library: the user\'s lines of its creation; its own objects resolve to it', () => {
    const chart = new Chart(new App(), 'support', { namespace: 'agents' });
    const agent = helperAgent(chart, 'a'); // helper call
    const frames = creationFrames(agent);
    expect(frames[0].startsWith(at('helper'))).toBe(true);
    expect(frames[1].startsWith(at('helper call'))).toBe(true);
    expect(creationFrames(ApiObject.of(agent))).toEqual(frames);
  });

  test('a construct of the user\'s own (no library construct around it) has no recorded site', () => {
    const chart = new Chart(new App(), 'support', { namespace: 'agents' });
    const config = new kplus.ConfigMap(chart, 'Mine', { data: { a: '1' } });
    expect(creationFrames(config)).toEqual([]);
  });

  test('a companion: the line of the call that chose it', () => {
    const chart = new Chart(documentedApp(), 'support', { namespace: 'agents' });
    const agent = new AgentRuntime(chart, 'Agent', { metadata: { name: 'a' }, provider: openai(chart), promptPack: externalPack(chart) });
    agent.autoscale({ maxReplicas: 3 }); // autoscale
    expect(creationFrames(agent.node.findChild('Autoscaler'))[0].startsWith(at('autoscale'))).toBe(true);
  });

  test('the ConfigMap of PromptPack.fromFile: the line of fromFile, and findings name the PromptPack', () => {
    const app = new App();
    const chart = new Chart(app, 'support', { namespace: 'agents' });
    const pack = PromptPack.fromFile(chart, 'Prompts', { metadata: { name: 'customer-service' }, file: path.join(__dirname, '..', '..', 'examples', 'prompts', 'customer-service.json') }); // from file
    const configMap = pack.configMap as kplus.ConfigMap;
    expect(configMap.node.path).toBe('support/PromptsPack/ConfigMap');
    expect(creationFrames(configMap)[0].startsWith(at('from file'))).toBe(true);
    new kplus.ConfigMap(chart, 'Mine', { metadata: { name: 'customer-service-pack' }, data: { a: '1' } });
    const error = thrown(() => app.synth());
    expect(error.message).toContain('support/Mine/Resource: ConfigMap agents/customer-service-pack: metadata.name: ConfigMap agents/customer-service-pack is defined twice (also in support/Prompts)');
  });

  test('a PromptPack of fromDirectory, which calls fromFile: the line of fromDirectory', () => {
    const chart = new Chart(new App(), 'support', { namespace: 'agents' });
    const pack = PromptPack.fromDirectory(chart, 'Prompts', { directory: path.join(__dirname, '..', '..', 'examples', 'prompts'), fileName: 'customer-service.json' }); // from directory
    expect(creationFrames(pack)[0].startsWith(at('from directory'))).toBe(true);
    expect(creationFrames(pack.configMap as kplus.ConfigMap)[0].startsWith(at('from directory'))).toBe(true);
  });

  test('errors of several constructs show the first line of each, at most three in all', () => {
    const chart = new Chart(new App(), 'support', { namespace: 'agents' });
    const agents = ['a', 'b', 'c', 'd'].map((name) => helperAgent(chart, name));
    const frames = mistakeFrames(new Error('x'), agents, false);
    // All four were made on the same line of the helper: one frame.
    expect(frames).toHaveLength(1);
    const made: IConstruct[] = [];
    const promptPack = agents[0].promptPack;
    made.push(new AgentRuntime(chart, 'e', { metadata: { name: 'e' }, provider: openai(chart), promptPack })); // e
    made.push(new AgentRuntime(chart, 'f', { metadata: { name: 'f' }, provider: openai(chart), promptPack })); // f
    made.push(new AgentRuntime(chart, 'g', { metadata: { name: 'g' }, provider: openai(chart), promptPack })); // g
    made.push(new AgentRuntime(chart, 'h', { metadata: { name: 'h' }, provider: openai(chart), promptPack })); // h
    const several = mistakeFrames(new Error('x'), made, false);
    expect(several.map((f) => f.replace(/\d+$/, ''))).toEqual(['e', 'f', 'g'].map((m) => at(m)));
  });

  test('a site recorded with a maker that is not on the stack has no frames; the enclosing construct\'s counts', () => {
    const chart = new Chart(new App(), 'support', { namespace: 'agents' });
    const agent = helperAgent(chart, 'a');
    const inner = new kplus.ConfigMap(agent, 'Inner', { data: { a: '1' } });
    recordCreationSite(inner, thrown, true);
    expect(creationFrames(inner)).toEqual(creationFrames(agent));
  });

  test('invalidProp names the construct a library object was made for', () => {
    const chart = new Chart(new App(), 'support', { namespace: 'agents' });
    const pack = PromptPack.fromFile(chart, 'Prompts', { metadata: { name: 'customer-service' }, file: path.join(__dirname, '..', '..', 'examples', 'prompts', 'customer-service.json') });
    const error = thrown(() => invalidProp((pack.configMap as kplus.ConfigMap).node.scope!, 'id', 'is wrong'));
    expect(error.message).toBe('support/Prompts: id: is wrong');
  });
});

describe('a finding about an object this library made names the user\'s construct that made it', () => {
  test('the CRDs of an OmniaOperator: the operator', () => {
    const app = documentedApp();
    new OmniaOperator(app, 'omnia', { image: 'registry.example.com/omnia-operator', tag: '1.0.0' });
    new OmniaCrds(app, 'crds'); // crds
    // An agent, whose checks look across the app.
    const chart = new Chart(app, 'support', { namespace: 'agents' });
    new AgentRuntime(chart, 'Agent', { metadata: { name: 'a' }, provider: openai(chart), promptPack: externalPack(chart) });
    const error = thrown(() => app.synth());
    expect(error.message).toContain('crds/AgentRuntime: CustomResourceDefinition agentruntimes.omnia.altairalabs.ai: metadata.name: '
      + 'CustomResourceDefinition default/agentruntimes.omnia.altairalabs.ai is defined twice (also in omnia)');
    expect(frameLines(error.stack)[0].startsWith(at('crds'))).toBe(true);
  });

  test('a companion: the agent, in its path', () => {
    const app = documentedApp();
    const chart = new Chart(app, 'support', { namespace: 'agents' });
    new AgentRuntime(chart, 'Agent', { metadata: { name: 'a' }, provider: openai(chart), promptPack: externalPack(chart) }).autoscale({ maxReplicas: 3 });
    new ApiObject(chart, 'Mine', { apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name: 'a' } });
    expect(thrown(() => app.synth()).message).toContain('support/Mine: HorizontalPodAutoscaler agents/a: metadata.name: HorizontalPodAutoscaler agents/a is defined twice (also in support/Agent/Autoscaler)');
  });

  test('the object of a Provider: the Provider', () => {
    const app = new App();
    const chart = new Chart(app, 'support', { namespace: 'agents' });
    new Provider(chart, 'OpenAI', { metadata: { name: 'openai' }, type: ProviderType.MOCK });
    new release.Provider(chart, 'Mine', { metadata: { name: 'openai' }, spec: { type: 'mock' } as release.ProviderSpec });
    expect(thrown(() => app.synth()).message).toContain('support/Mine: Provider agents/openai: metadata.name: Provider agents/openai is defined twice (also in support/OpenAI)');
  });
});
