// The install example for `cdk8s synth --format helm`: the chart's crds/ folder carries the CRDs
// (cdk8s copies the files listed under `imports:` in cdk8s.yaml), so the templates leave them out.
import { App } from 'cdk8s';
import { OmniaApiTarget, OmniaHelmResolver, OmniaTarget } from '../lib';
import { addInstallExample } from './install';

// The resolver escapes, when the app writes a Helm chart, each `{{` in objects the library did not make.
const app = new App({ resolvers: [new OmniaHelmResolver()] });
// The documented API, whose CRDs `imports:` lists.
OmniaTarget.use(app, OmniaApiTarget.DOCUMENTED);
addInstallExample(app, { installCrds: false });
app.synth();
