// The helper thread of the CLI: loads the checks at once (while the main thread reads the files), then
// checks the share of the units it is sent (see check-units.ts) and sends back what it found.
import { parentPort, workerData } from 'worker_threads';
import { checkUnits } from './check-units';
import { DEFAULT_API_TARGET, OMNIA_API_VERSION, OmniaApiTarget } from '../api';
import { OmniaSchema } from './omnia-schema';

const target: OmniaApiTarget = workerData?.target ?? DEFAULT_API_TARGET;
const kinds = target === OmniaApiTarget.DOCUMENTED ? ['AgentRuntime', 'PromptPack', 'ToolRegistry'] : ['AgentRuntime', 'Provider', 'PromptPack', 'ToolRegistry'];
try {
  for (const kind of kinds) OmniaSchema.validateFor({ apiVersion: OMNIA_API_VERSION, kind, metadata: { name: 'warm-up' } }, target);
} catch {
  // The checks themselves report what failed here, object by object.
}

// The target comes with the units: inferred from the input, it may not be the one warmed up.
// Batches come one after the other as the main thread reads them; each is answered with its id.
parentPort!.on('message', ({ id, units, keepManifests, target: chosen }) => {
  try {
    parentPort!.postMessage({ id, result: checkUnits(units, keepManifests, chosen ?? target) });
  } catch (e) {
    parentPort!.postMessage({ id, error: (e as Error)?.message ?? String(e) });
  }
});
