// Entry point of `cdk8s synth` (see cdk8s.yaml): every example chart, one file each in dist/, numbered in
// the order `kubectl apply -f dist/` applies them: the CRDs and the operator first, then the namespaces,
// then the agents. These target the documented API, chosen explicitly (the default is the newest release);
// the release example is an app of its own, written to dist/omnia-v0.9.0-beta.17/ (the API target is app-wide),
// and so are the release's enterprise edition (dist/omnia-v0.9.0-beta.17-enterprise/: one operator install per app)
// and the release's features, one namespace each (dist/omnia-v0.9.0-beta.17-features/).
import * as path from 'path';
import { App } from 'cdk8s';
import { addInstallExample } from './install';
import { MinimalAgentChart } from './minimal-agent';
import { MultiAgentChart } from './multi-agent';
import { ExampleNamespacesChart } from './namespaces';
import { ProductionAgentChart } from './production-agent';
import { ProductionAgentL1Chart } from './production-agent-l1';
import { releaseApp } from './release';
import { enterpriseApp } from './release-enterprise';
import { featuresApp } from './release-features';
import { OmniaApiTarget, OmniaHelmResolver, OmniaTarget } from '../lib';

// The resolver matters only for `cdk8s synth --format helm`: it escapes each `{{` of the packs' ConfigMaps.
const app = new App({ resolvers: [new OmniaHelmResolver()] });
OmniaTarget.use(app, OmniaApiTarget.DOCUMENTED);
addInstallExample(app);
new ExampleNamespacesChart(app, 'namespaces', ['agents', 'agents-l1', 'shop']);
// The L1 twin of the production agent lives in a namespace of its own: one cluster can hold both.
new ProductionAgentL1Chart(app, 'production-agent-l1', { namespace: 'agents-l1' });
new ProductionAgentChart(app, 'production-agent');
new MinimalAgentChart(app, 'minimal-agent');
new MultiAgentChart(app, 'multi-agent');
app.synth();
releaseApp(path.join(app.outdir, `omnia-${OmniaTarget.RELEASE}`)).synth();
enterpriseApp(path.join(app.outdir, `omnia-${OmniaTarget.RELEASE}-enterprise`)).synth();
featuresApp(path.join(app.outdir, `omnia-${OmniaTarget.RELEASE}-features`)).synth();
