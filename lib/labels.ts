import { ApiObjectMetadataDefinition } from 'cdk8s';

/**
 * Stamps the recommended `app.kubernetes.io/*` labels on an object this library creates.
 * Labels the user already set win: they are added only where missing.
 */
export function addStandardLabels(metadata: ApiObjectMetadataDefinition, component: string, instance: string): void {
  const standard: Record<string, string> = {
    'app.kubernetes.io/name': component,
    'app.kubernetes.io/instance': instance,
    'app.kubernetes.io/part-of': 'omnia',
    'app.kubernetes.io/managed-by': 'cdk8s',
  };
  for (const [key, value] of Object.entries(standard)) {
    if (metadata.getLabel(key) === undefined) metadata.addLabel(key, value);
  }
}
