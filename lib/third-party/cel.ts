// The CEL engine and its strings extension, in one bundle because the extension registers into the
// engine's own types.
export { celEnv, isCelError, parse, plan } from '@bufbuild/cel';
export type { CelInput } from '@bufbuild/cel';
export { strings } from '@bufbuild/cel/ext';
