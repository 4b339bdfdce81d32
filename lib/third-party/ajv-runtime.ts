// The ajv helpers that standalone validators call, kept apart from ajv itself so that a prebuilt validator
// loads a few lines, not the compiler. Keyed by the module name ajv's generated code requires.
import equal from 'ajv/dist/runtime/equal';
import ucs2length from 'ajv/dist/runtime/ucs2length';
import uri from 'ajv/dist/runtime/uri';

export const runtime: Record<string, { default: unknown }> = {
  equal: { default: equal },
  ucs2length: { default: ucs2length },
  uri: { default: uri },
};

/** ajv's version, part of a prebuilt validator's stamp: read here so that checking a stamp loads no compiler. */
export const AJV_VERSION: string = require('ajv/package.json').version;
