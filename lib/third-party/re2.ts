// Go's regexp semantics (RE2), as the API server matches CRD patterns.
export { RE2JS } from 're2js';
