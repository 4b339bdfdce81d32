// Manifest files for the CLI rows of `npm run bench`: N complete AgentRuntimes of about 2.5 KB each, as a
// platform team's generated YAML would hold them (standard labels, a description, ten env variables).
'use strict';
const fs = require('fs');
const { stringify } = require('yaml');

function agent(i) {
  return {
    apiVersion: 'omnia.altairalabs.ai/v1alpha1',
    kind: 'AgentRuntime',
    metadata: {
      name: `agent-${i}`,
      namespace: `team-${i % 50}`,
      labels: {
        'app.kubernetes.io/name': 'agentruntime', 'app.kubernetes.io/instance': `agent-${i}`,
        'app.kubernetes.io/part-of': 'omnia', 'app.kubernetes.io/managed-by': 'cdk8s', team: `team-${i % 50}`,
      },
      annotations: { 'example.com/description': `Agent ${i} answers questions about orders, returns and invoices. `.repeat(20) },
    },
    spec: {
      replicas: 1 + (i % 3),
      provider: { name: 'openai', model: 'gpt-4-turbo', apiKeySecretRef: { name: 'openai-credentials', key: 'api-key' } },
      promptPackRef: { name: `pack-${i % 100}` },
      toolRegistryRef: { name: 'service-tools' },
      facade: { type: 'websocket', port: 8080 },
      session: { type: 'redis', ttl: '24h', storeRef: { name: 'redis-credentials', key: 'url' } },
      resources: { requests: { cpu: '500m', memory: '256Mi' }, limits: { cpu: '1000m', memory: '512Mi' } },
      env: Array.from({ length: 10 }, (_, j) => ({ name: `SETTING_${j}`, value: `value-${i}-${j}` })),
    },
  };
}

/**
 * Writes `n` agents to `file`, one YAML document each; returns the size in bytes. With `broken`, one agent in
 * 100 is invalid: agent-i with i % 200 == 0 breaks the schema (replicas as a word), i % 200 == 100 a CEL rule
 * of the CRD (a redis session without storeRef), which a JSON-schema validator cannot see.
 */
function writeAgents(file, n, broken = false) {
  const fd = fs.openSync(file, 'w');
  for (let i = 0; i < n; i++) {
    const a = agent(i);
    if (broken && i % 200 === 0) a.spec.replicas = 'two';
    if (broken && i % 200 === 100) delete a.spec.session.storeRef;
    fs.writeSync(fd, `${i ? '---\n' : ''}${stringify(a)}`);
  }
  fs.closeSync(fd);
  return fs.statSync(file).size;
}

/** The names of the agents `writeAgents(file, n, true)` breaks, by the kind of violation. */
function brokenAgents(n) {
  const schema = [];
  const cel = [];
  for (let i = 0; i < n; i++) {
    if (i % 200 === 0) schema.push(`agent-${i}`);
    if (i % 200 === 100) cel.push(`agent-${i}`);
  }
  return { schema, cel };
}

module.exports = { writeAgents, brokenAgents };
