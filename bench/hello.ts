// The reference point of the end-to-end benchmark: a hello-world cdk8s app with one Deployment.
import { App, Chart } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';

const app = new App();
const chart = new Chart(app, 'hello');
new kplus.Deployment(chart, 'Web', { containers: [{ image: 'nginx:1.27', portNumber: 80 }] });
app.synth();
