import { Chart } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';

/**
 * The namespaces the example agents live in. Namespaces are cluster-scoped, so they sit in a chart of their
 * own with no namespace, written before the charts that use them: `kubectl apply -f dist/` creates them first.
 */
export class ExampleNamespacesChart extends Chart {
  public constructor(scope: Construct, id: string, names: string[]) {
    super(scope, id);
    for (const name of names) new kplus.Namespace(this, name, { metadata: { name } });
  }
}
