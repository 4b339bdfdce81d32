// The helper thread of the CLI: loads the checks at once (while the main thread reads the files), then
// checks the share of the units it is sent (see check-units.ts) and sends back what it found.
import { parentPort } from 'worker_threads';
import { checkUnits } from './check-units';
import { OMNIA_API_VERSION } from '../api';
import { OmniaSchema } from './omnia-schema';

for (const kind of ['AgentRuntime', 'PromptPack', 'ToolRegistry']) OmniaSchema.validate({ apiVersion: OMNIA_API_VERSION, kind, metadata: { name: 'warm-up' } });

parentPort!.once('message', ({ units, keepManifests }) => {
  try {
    parentPort!.postMessage({ result: checkUnits(units, keepManifests) });
  } catch (e) {
    parentPort!.postMessage({ error: (e as Error)?.message ?? String(e) });
  }
});
