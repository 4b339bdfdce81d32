// Entry point of `cdk8s synth` (see cdk8s.yaml): every example chart, one file each in dist/.
import { App } from 'cdk8s';
import { addInstallExample } from './install';
import { MinimalAgentChart } from './minimal-agent';
import { MultiAgentChart } from './multi-agent';
import { ProductionAgentChart } from './production-agent';
import { ProductionAgentL1Chart } from './production-agent-l1';

const app = new App();
new ProductionAgentL1Chart(app, 'production-agent-l1');
new ProductionAgentChart(app, 'production-agent');
new MinimalAgentChart(app, 'minimal-agent');
new MultiAgentChart(app, 'multi-agent');
addInstallExample(app);
app.synth();
