// The CLI's findings as a SARIF 2.1.0 log, the format code-scanning tools (GitHub's among them) read.
import * as path from 'path';
import { pathToFileURL } from 'url';
import { FindingCheck, formatProblem, LocatedFinding } from './findings';
import type { TargetChoice } from './infer-target';
import type { UnreadableDocument } from './read-manifests';

/** The schema a SARIF 2.1.0 log names (OASIS' own copy; nothing fetches it). */
export const SARIF_SCHEMA = 'https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json';

/** The rule of input that cannot be read, beside one rule per check. */
export const UNREADABLE_RULE = 'omnia-unreadable';

interface RuleText {
  readonly name: string;
  readonly short: string;
  readonly full: string;
  readonly help: string;
}

const CHECK_RULES: { [check in FindingCheck]: RuleText } = {
  [FindingCheck.SCHEMA]: {
    name: 'CrdSchema', short: 'The API server would refuse the object.',
    full: 'The object breaks its CRD\'s OpenAPI schema or one of its CEL rules, or its metadata is no valid ObjectMeta, as the API server checks them on create.',
    help: 'Correct the field the message names so that it satisfies the CRD of its kind for the API target the manifests are checked for.',
  },
  [FindingCheck.REFERENCE]: {
    name: 'Reference', short: 'A reference to another object does not resolve.',
    full: 'An object refers to another (a PromptPack, a ToolRegistry, a Provider, a Secret or ConfigMap key) that the manifests do not define, or whose contents do not match.',
    help: 'Define the object the field refers to among the manifests, correct the reference, or declare the object as external with --external Kind/namespace/name.',
  },
  [FindingCheck.PLAIN_TEXT_SECRET]: {
    name: 'PlainTextSecret', short: 'A credential is written in plain text.',
    full: 'A value that holds a credential (an API key, a token, a password) is written in the manifest where a reference to a Secret belongs.',
    help: 'Move the value into a Secret and refer to it (valueFrom.secretKeyRef, or the field\'s Secret reference).',
  },
  [FindingCheck.DUPLICATE]: {
    name: 'Duplicate', short: 'The same object is defined twice.',
    full: 'Two manifests define the same group, kind, namespace and name: applied together, the later definition replaces the earlier one.',
    help: 'Remove one of the definitions, or give them different names or namespaces.',
  },
  [FindingCheck.INTERNAL]: {
    name: 'InternalError', short: 'The check itself failed on this object.',
    full: 'A check of cdk8s-omnia failed on this object: a bug of the tool, not necessarily of the manifest.',
    help: 'Report it to cdk8s-omnia with the object that caused it.',
  },
};

const UNREADABLE_TEXT: RuleText = {
  name: 'Unreadable', short: 'Input that kubectl cannot read.',
  full: 'A file or document kubectl would refuse: YAML or JSON that does not parse, YAML that is not UTF-8, a document that aliases itself or expands too far, no objects at all.',
  help: 'Make the file valid YAML or JSON holding Kubernetes objects.',
};

/** What a SARIF log is made of. */
export interface SarifInput {
  readonly findings: readonly LocatedFinding[];
  readonly unreadable: readonly UnreadableDocument[];
  readonly target: TargetChoice;
  readonly exitCode: number;
  /** The version of this package, for the tool entry. */
  readonly version?: string;
  /** Files under it are named relative to it (`%SRCROOT%`), as code scanning expects. Default: the working directory. */
  readonly root?: string;
}

/** The SARIF 2.1.0 log of a run of the CLI: one rule per check, one result per finding or unreadable input. */
export function sarifLog(input: SarifInput): object {
  const root = path.resolve(input.root ?? process.cwd());
  const rules = [
    ...Object.values(FindingCheck).map((check) => rule(`omnia-${check}`, CHECK_RULES[check])),
    rule(UNREADABLE_RULE, UNREADABLE_TEXT),
  ];
  const ruleIndex = new Map(rules.map((r, i) => [r.id, i]));
  const result = (ruleId: string, text: string, origin: string | undefined, line: number | undefined, column: number | undefined, logical?: object) => {
    const physical = physicalLocation(origin, line, column, root);
    const location = { ...(physical ? { physicalLocation: physical } : {}), ...(logical ? { logicalLocations: [logical] } : {}) };
    return {
      ruleId, ruleIndex: ruleIndex.get(ruleId), level: 'error', message: { text },
      locations: Object.keys(location).length ? [location] : [],
    };
  };
  const results = [
    ...input.unreadable.map((u) => result(UNREADABLE_RULE, u.document ? `document ${u.document}: ${u.message}` : u.message, u.origin, u.line || undefined, undefined)),
    ...input.findings.map((f) => result(
      `omnia-${f.check}`,
      formatProblem(undefined, f.kind, f.namespace, f.name, f.path, f.message),
      f.origin, f.line, f.column,
      { name: f.path || f.kind, fullyQualifiedName: `${f.kind}/${f.namespace ? `${f.namespace}/` : ''}${f.name ?? '?'}${f.path ? `:${f.path}` : ''}`, kind: 'object' },
    )),
  ];
  const rootUri = pathToFileURL(root).href.replace(/\/?$/, '/');
  // The version first, so that readers can tell it before reading the rest.
  return {
    version: '2.1.0',
    $schema: SARIF_SCHEMA,
    runs: [{
      tool: {
        driver: {
          name: 'cdk8s-omnia',
          ...(input.version ? { version: input.version } : {}),
          informationUri: 'https://github.com/cdk8s-omnia/cdk8s-omnia',
          rules,
        },
      },
      originalUriBaseIds: { '%SRCROOT%': { uri: rootUri } },
      columnKind: 'utf16CodeUnits',
      // Findings are a successful run; unreadable input (exit 2) and internal errors (3) are not.
      invocations: [{ executionSuccessful: input.exitCode <= 1, exitCode: input.exitCode, workingDirectory: { uri: rootUri } }],
      properties: { target: input.target.target, targetSource: input.target.source, targetReason: input.target.reason },
      results,
    }],
  };
}

function rule(id: string, text: RuleText) {
  return {
    id, name: text.name, shortDescription: { text: text.short }, fullDescription: { text: text.full }, help: { text: text.help },
    defaultConfiguration: { level: 'error' },
  };
}

/** A file and a place in it; standard input has no URI, only a description. */
function physicalLocation(origin: string | undefined, line: number | undefined, column: number | undefined, root: string): object | undefined {
  if (!origin) return undefined;
  const region = line ? { region: { startLine: line, ...(column ? { startColumn: column } : {}) } } : {};
  if (origin === '<stdin>') return { artifactLocation: { description: { text: 'standard input' } }, ...region };
  const absolute = path.resolve(origin);
  const relative = path.relative(root, absolute);
  const inside = relative && !relative.startsWith('..') && !path.isAbsolute(relative);
  const artifactLocation = inside
    ? { uri: relative.split(path.sep).map(encodeURIComponent).join('/'), uriBaseId: '%SRCROOT%' }
    : { uri: pathToFileURL(absolute).href };
  return { artifactLocation, ...region };
}
