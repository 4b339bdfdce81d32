import { ApiObjectMetadataDefinition, Lazy } from 'cdk8s';
import { IConstruct } from 'constructs';
import { invalidProp } from './errors';
import { dnsSubdomainError, labelValueError } from '../validation/object-meta';

/** The recommended labels `addStandardLabels` stamps. */
const STANDARD_LABELS = ['app.kubernetes.io/name', 'app.kubernetes.io/instance', 'app.kubernetes.io/part-of', 'app.kubernetes.io/managed-by'] as const;

/**
 * Stamps the recommended `app.kubernetes.io/*` labels on an object this library creates.
 * Labels the user already set win: they are added only where missing.
 * The instance label carries `instance` (the object's name unless `source` says otherwise): a value the
 * API server would refuse as a name or a label value is refused here, at construct time, with the reason.
 */
export function addStandardLabels(
  scope: IConstruct, metadata: ApiObjectMetadataDefinition, component: string, instance: string, source = 'metadata.name',
): void {
  const nameError = source === 'metadata.name' ? dnsSubdomainError(instance) : undefined;
  if (nameError) throw invalidProp(scope, source, `${JSON.stringify(instance)} ${nameError}`);
  const labelError = labelValueError(instance);
  if (labelError) {
    throw invalidProp(scope, source, `${JSON.stringify(instance)} becomes the app.kubernetes.io/instance label, and ${labelError}`);
  }
  const standard: Record<(typeof STANDARD_LABELS)[number], string> = {
    'app.kubernetes.io/name': component,
    'app.kubernetes.io/instance': instance,
    'app.kubernetes.io/part-of': 'omnia',
    'app.kubernetes.io/managed-by': 'cdk8s',
  };
  for (const [key, value] of Object.entries(standard)) {
    if (metadata.getLabel(key) === undefined) metadata.addLabel(key, value);
  }
}

/**
 * Gives an object the library makes for another (an agent's NetworkPolicy, its Roles) the other's recommended
 * labels as they are at synth, so that `kubectl apply --prune -l app.kubernetes.io/part-of=...` selects both
 * or neither, whatever sets the owner's labels (its chart, its props, `metadata.addLabel`) and when.
 */
export function followStandardLabels(owner: ApiObjectMetadataDefinition, metadata: ApiObjectMetadataDefinition): void {
  for (const key of STANDARD_LABELS) metadata.addLabel(key, Lazy.any({ produce: () => owner.getLabel(key) }) as unknown as string);
}
