// ajv with its standalone code generator. The build (scripts/bundle-third-party.js) inlines the package into
// this file, so the published package carries only the ajv code that runs.
export { default as Ajv, _ } from 'ajv';
export { default as standaloneCode } from 'ajv/dist/standalone';
