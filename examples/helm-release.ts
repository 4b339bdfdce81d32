// The release example (examples/release.ts) as a Helm chart:
//   npx cdk8s synth --app "npx ts-node --project tsconfig.dev.json examples/helm-release.ts" --format helm --chart-version 0.1.0 -o chart
// The release's CRDs are files of the chart's crds/ folder (OmniaCrds writes them there when the app writes
// into a chart), which Helm installs before the templates. `--support-replicas=N` in the app command changes
// the support agent's replicas (2 by default), as a new version of the program would: the cluster tests
// upgrade the installed chart with it.
import { releaseApp } from './release';

const option = process.argv.slice(2).find((a) => a.startsWith('--support-replicas='));
const supportReplicas = option === undefined ? undefined : Number(option.slice('--support-replicas='.length));
// cdk8s runs the app with its output folder in CDK8S_OUTDIR: the chart's templates/ for --format helm.
releaseApp(process.env.CDK8S_OUTDIR ?? 'dist', { supportReplicas }).synth();
