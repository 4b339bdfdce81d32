// The `yaml` package: for CRD files, and for the places of fields in manifests (its nodes keep their ranges).
export { parse as parseYaml, parseAllDocuments, isAlias, isMap, isScalar, isSeq } from 'yaml';
export type { Document, Node as YamlNode, Pair as YamlPair } from 'yaml';
