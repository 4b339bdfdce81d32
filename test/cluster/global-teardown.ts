import * as fs from 'fs';
import * as path from 'path';
import { ControlPlaneInfo, stopControlPlane } from './control-plane';
import { resultsDir, RunSummary } from './results';

/** Prints the summary line of the cluster run, then stops the control plane and removes its folder. */
export default async function teardown(): Promise<void> {
  const info = (globalThis as any).omniaControlPlane as ControlPlaneInfo | undefined;
  if (!info) return;
  try {
    const dir = resultsDir(info);
    const summaries: RunSummary[] = fs.existsSync(dir)
      ? fs.readdirSync(dir).map((f) => JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')))
      : [];
    const sum = (key: keyof RunSummary) => summaries.reduce((n, s) => n + ((s[key] as number) ?? 0), 0);
    process.stdout.write(`\ncluster: ${sum('objectsAccepted')} objects accepted by kube-apiserver ${info.version}; `
      + `${sum('cases')} cases, ${sum('agree')} agree, ${sum('disagree')} disagree\n`);
    // Then each file's own line: `helm install: ...` (helm.cluster.ts), `operator ...` (operator.cluster.ts).
    for (const s of summaries) {
      for (const text of [s.detail, s.line]) if (text) process.stderr.write(`${text}\n`);
    }
  } finally {
    stopControlPlane(info);
  }
}
