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

const CHECK_RULES: { [check in FindingCheck]: { name: string; text: string } } = {
  [FindingCheck.SCHEMA]: { name: 'CrdSchema', text: 'The API server would refuse the object: its CRD\'s OpenAPI schema or one of its CEL rules, or its metadata.' },
  [FindingCheck.REFERENCE]: { name: 'Reference', text: 'A reference to another object does not resolve: a missing object or key, a mismatched pack.' },
  [FindingCheck.PLAIN_TEXT_SECRET]: { name: 'PlainTextSecret', text: 'A credential written in plain text where a Secret reference belongs.' },
  [FindingCheck.DUPLICATE]: { name: 'Duplicate', text: 'The same object (group, kind, namespace, name) is defined twice: the later definition replaces the earlier one.' },
  [FindingCheck.INTERNAL]: { name: 'InternalError', text: 'The check itself failed on this object: a bug of cdk8s-omnia, to be reported.' },
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
    ...Object.values(FindingCheck).map((check) => rule(`omnia-${check}`, CHECK_RULES[check].name, CHECK_RULES[check].text)),
    rule(UNREADABLE_RULE, 'Unreadable', 'Input kubectl cannot read: YAML or JSON that does not parse, YAML that is not UTF-8, a document that is no object, no objects at all.'),
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
  return {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [{
      tool: {
        driver: {
          name: 'cdk8s-omnia',
          ...(input.version ? { version: input.version } : {}),
          informationUri: 'https://github.com/cdk8s-omnia/cdk8s-omnia',
          rules,
        },
      },
      originalUriBaseIds: { '%SRCROOT%': { uri: `${pathToFileURL(root).href.replace(/\/?$/, '/')}` } },
      columnKind: 'utf16CodeUnits',
      invocations: [{ executionSuccessful: input.exitCode <= 1, exitCode: input.exitCode }],
      properties: { target: input.target.target, targetSource: input.target.source, targetReason: input.target.reason },
      results,
    }],
  };
}

function rule(id: string, name: string, text: string) {
  return { id, name, shortDescription: { text }, defaultConfiguration: { level: 'error' } };
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
