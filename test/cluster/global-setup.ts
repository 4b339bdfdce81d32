import { execFileSync } from 'child_process';
import * as path from 'path';
import { startControlPlane } from './control-plane';
import { buildOperator } from './operator';

/** Builds (or finds in .cache/) the control-plane binaries, starts them and tells the tests where they are. */
export default async function setup(): Promise<void> {
  let binDir: string;
  try {
    binDir = execFileSync('bash', [path.join(__dirname, 'build-control-plane.sh')], { stdio: ['ignore', 'pipe', 'inherit'] }).toString().trim();
  } catch {
    throw new Error('control plane: the binaries could not be built (see the line above)');
  }
  // The Omnia manager for operator.cluster.ts (instant when cached). A failure fails that file only.
  try {
    process.env.OMNIA_OPERATOR_BIN = await buildOperator();
  } catch (e) {
    process.env.OMNIA_OPERATOR_BUILD_ERROR = (e as Error).message;
  }
  const started = Date.now();
  const info = await startControlPlane(binDir);
  process.stderr.write(`\ncontrol plane: kube-apiserver ${info.version} ready at ${info.server} in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
  process.env.OMNIA_CONTROL_PLANE = JSON.stringify(info);
  (globalThis as any).omniaControlPlane = info;
}
