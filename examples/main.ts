// Entry point of `cdk8s synth` (see cdk8s.yaml): every example chart, one file each in dist/.
import { App } from 'cdk8s';
import { ProductionAgentChart } from './production-agent';

const app = new App();
new ProductionAgentChart(app, 'production-agent');
app.synth();
