// The `yaml` package, for CRD files.
export { parse as parseYaml } from 'yaml';
