// How the L2 props render for the released operator (OMNIA_RELEASE): field by field, the documented API's
// concepts in that release's shape. Facts of the release (field names, enums) are read from its CRDs in
// ../shared/omnia-upstream.md and checked at synth against the CRDs the build derives from the Go module.
import { createHash } from 'crypto';
import { Chart } from 'cdk8s';
import { IConstruct } from 'constructs';
import { OMNIA_API_VERSION } from '../api';
import { toJson_ToolRegistrySpecHandlers, ToolRegistrySpecHandlers } from '../../imports/toolregistry-omnia.altairalabs.ai';
import { ReleaseApiObject } from './release-object';

/** A provider as the release's Provider object describes it. */
export interface ReleaseProvider {
  readonly type: string;
  readonly model: string;
  readonly secretName: string;
  readonly secretKey: string;
}

/**
 * The release has no provider inside the AgentRuntime: agents refer to Provider objects. One is made per
 * distinct configuration and namespace, in the agent's chart, and shared by the agents that have it.
 * Returns its name.
 */
export function providerObject(agent: IConstruct, namespace: string | undefined, provider: ReleaseProvider): string {
  const chart = Chart.of(agent);
  const hash = createHash('sha256').update(JSON.stringify([provider.type, provider.model, provider.secretName, provider.secretKey])).digest('hex').slice(0, 8);
  const model = provider.model.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '');
  const name = `${provider.type}-${model}`.slice(0, 54).replace(/-+$/, '') + `-${hash}`;
  const id = `Provider-${namespace ?? ''}-${name}`;
  if (!chart.node.tryFindChild(id)) {
    new ReleaseApiObject(chart, id, {
      apiVersion: OMNIA_API_VERSION,
      kind: 'Provider',
      metadata: {
        name,
        namespace,
        labels: { 'app.kubernetes.io/name': 'provider', 'app.kubernetes.io/instance': name, 'app.kubernetes.io/part-of': 'omnia', 'app.kubernetes.io/managed-by': 'cdk8s' },
      },
      spec: {
        type: provider.type,
        model: provider.model,
        // The operator and the agent's runtime read the key through the API; it never becomes an env value.
        credential: { secretRef: { name: provider.secretName, key: provider.secretKey } },
      },
    });
  }
  return name;
}

/** A documented handler spec (the typed L1 form) in the release's shape. */
export function releaseHandler(spec: ToolRegistrySpecHandlers): any {
  const { authSecretRef, tool, openAPIConfig, ...rest } = toJson_ToolRegistrySpecHandlers(spec) as any;
  const handler: any = { ...rest };
  if (openAPIConfig) {
    const { operations, ...config } = openAPIConfig;
    handler.openAPIConfig = { ...config, ...(operations ? { operationFilter: operations } : {}) };
  }
  // The release requires an input schema; a tool without arguments takes an empty object.
  if (tool) handler.tool = { ...tool, inputSchema: tool.inputSchema ?? { type: 'object' } };
  // The documented handler-level bearer token is the release's `auth` of type bearer.
  if (authSecretRef) handler.auth = { type: 'bearer', secretRef: authSecretRef };
  return handler;
}
