import { App, Chart } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { OmniaHelmResolver, OmniaOperator } from '../lib';
import { facadesExample } from './release-features/facades';
import { functionsExample } from './release-features/functions';
import { policies } from './release-features/policies';
import { skills } from './release-features/skills';
import { tools } from './release-features/tools';
import { memoryFeature } from './release-features/memory';
import { providersFeature } from './release-features/providers';
import { rolloutFeature } from './release-features/rollout';
import { keda } from './release-features/keda';
import { placement } from './release-features/placement';

/**
 * One feature of the release shown with typed props: a function that fills the chart it is given (a namespace
 * of its own, named after the feature, applied after the install).
 */
export type FeatureExample = (chart: Chart) => void;

/**
 * What Omnia users do most, one namespace per feature, each written with the L2 constructs' typed props
 * only (no JSON patch, no `l1`/`release` class): the operator of `npm run test:cluster` reconciles every
 * agent here as it does the release example's. An app of its own (written to dist/omnia-<release>-features/)
 * so that the chat test keeps to the release example's agents.
 */
export const FEATURES: { readonly [namespace: string]: FeatureExample } = {
  facades: facadesExample,
  functions: functionsExample,
  policies,
  skills,
  tools,
  providers: providersFeature,
  memory: memoryFeature,
  rollout: rolloutFeature,
  placement,
  keda,
};

export function featuresApp(outdir: string, features: { readonly [namespace: string]: FeatureExample } = FEATURES): App {
  const app = new App({ outdir, resolvers: [new OmniaHelmResolver()] });
  const operator = new OmniaOperator(app, 'omnia');
  // Namespaces are cluster-scoped: a chart without a namespace holds them, applied before the features'.
  const namespaces = new Chart(app, 'features-namespaces');
  namespaces.addDependency(operator);
  for (const [namespace, fill] of Object.entries(features)) {
    new kplus.Namespace(namespaces, namespace, { metadata: { name: namespace } });
    const chart = new Chart(app, `feature-${namespace}`, { namespace });
    chart.addDependency(namespaces);
    fill(chart);
  }
  return app;
}
