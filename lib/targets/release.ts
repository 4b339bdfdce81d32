// How the L2 props render for the released operator (OMNIA_RELEASE): field by field, the documented API's
// concepts in that release's shape. Facts of the release (field names, enums) are read from its CRDs in
// ../shared/omnia-upstream.md and checked at synth against the CRDs the build derives from the Go module.
import { toJson_ToolRegistrySpecHandlers, ToolRegistrySpecHandlers } from '../../imports/toolregistry-omnia.altairalabs.ai';

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
