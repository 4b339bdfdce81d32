import * as fs from 'fs';
import * as path from 'path';
import { ControlPlaneInfo } from './control-plane';

/** What one cluster test file adds to the summary line. */
export interface RunSummary {
  readonly objectsAccepted?: number;
  readonly cases?: number;
  readonly agree?: number;
  readonly disagree?: number;
  /** A line of its own under the summary line (the Helm install's, the operator's). */
  readonly line?: string;
  /** Where the time went, printed before `line`. */
  readonly detail?: string;
}

/** The control plane the global setup started. */
export function controlPlane(): ControlPlaneInfo {
  const raw = process.env.OMNIA_CONTROL_PLANE;
  if (!raw) throw new Error('no control plane: run the cluster tests with `npm run test:cluster`');
  return JSON.parse(raw);
}

export function resultsDir(info: ControlPlaneInfo): string {
  return path.join(info.dir, 'results');
}

/** Records a test file's figures for the summary line the global teardown prints. */
export function recordSummary(name: string, summary: RunSummary): void {
  const dir = resultsDir(controlPlane());
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, `${name}.json`), JSON.stringify(summary));
}
