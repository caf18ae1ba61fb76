// Runs a standalone script on a worker thread whose stack is large enough for deep Lua recursion
// (hundreds of thousands of frames, like PUC Lua's limit), while the main thread just waits.

import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { createRequire } from 'node:module';

/** Stack for Lua code: ~64 MiB gives about half a million Lua frames. */
const STACK_MB = 64;

export function runScriptInWorker(file: string, args: string[], debug: boolean): Promise<number> {
  return new Promise((resolve) => {
    const w = new Worker(new URL(import.meta.url), {
      workerData: { file, args, debug },
      resourceLimits: { stackSizeMb: STACK_MB },
    });
    let status: number | null = null;
    w.on('message', (m: number) => (status = m));
    w.on('error', (e) => {
      process.stderr.write(`lunac: ${e.message}\n`);
      status = 2;
    });
    w.on('exit', (code) => resolve(status ?? code));
  });
}

if (!isMainThread && parentPort && workerData?.file !== undefined) {
  const { file, args, debug } = workerData as { file: string; args: string[]; debug: boolean };
  // The runtime is loaded only here, on the worker, so the main thread stays light. The build bundles it
  // into one CommonJS file (script.bundle.cjs): loading ~40 small ES modules cost more than the script often does.
  const { runScriptCommand } = createRequire(import.meta.url)('./script.bundle.cjs') as typeof import('./script.js');
  runScriptCommand(file, args, debug).then((code) => parentPort!.postMessage(code));
}
