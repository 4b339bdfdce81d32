// The install example for `cdk8s synth --format helm`: the chart's crds/ folder carries the CRDs
// (cdk8s copies the files listed under `imports:` in cdk8s.yaml), so the templates leave them out.
import { App } from 'cdk8s';
import { addInstallExample } from './install';

const app = new App();
addInstallExample(app, { installCrds: false });
app.synth();
