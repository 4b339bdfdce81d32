// js-yaml, for manifests: its schema can be built type by type to read scalars as sigs.k8s.io/yaml does.
import * as jsYaml from 'js-yaml';
export { FAILSAFE_SCHEMA, loadAll, Type } from 'js-yaml';
// `<<` merge keys; the typings of js-yaml 4 do not list its built-in types.
export const mergeKeyType: jsYaml.Type = (jsYaml as any).types.merge;
