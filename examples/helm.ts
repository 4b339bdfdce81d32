// The install example for `cdk8s synth --format helm`: the chart's crds/ folder carries the CRDs (OmniaCrds
// writes them there when the app writes into a chart), so Helm installs them before the templates.
import { App } from 'cdk8s';
import { OmniaApiTarget, OmniaHelmResolver, OmniaTarget } from '../lib';
import { addInstallExample } from './install';

// The resolver escapes, when the app writes a Helm chart, each `{{` in objects the library did not make.
const app = new App({ resolvers: [new OmniaHelmResolver()] });
// The documented API; examples/helm-release.ts is the same for the release.
OmniaTarget.use(app, OmniaApiTarget.DOCUMENTED);
addInstallExample(app);
app.synth();
