// Serving an app on a node: start its services under the supervisor and run until SIGINT or SIGTERM (or
// until every service has ended). Used by `lunac serve` and by built apps (`BuiltApp.serve()`); needs no
// compiler. Each service state change is one line on stderr:
//   service app:worker running (pid {app:host|00002})
//   service app:worker failed: [Internal] src/worker.lua:3: boom; restarting in 1.2s (attempt 2)
// The result is the exit status: 0 after a requested stop or when everything ended, 1 when the service
// configuration is invalid or a required service failed. A second signal while stopping terminates every
// process at once (status 1).

import { writeSync } from 'node:fs';
import type { Node } from '../process/node.js';
import type { ErrorObject } from '../lua/lib/errors.js';
import { Supervisor, type ServiceEvent } from './supervisor.js';
import { formatMs } from './lifecycle.js';

/** Write one line to stderr synchronously (Lua text is bytes: latin1 strings). */
function stderrLine(line: string): void {
  writeSync(2, Buffer.from(line + '\n', 'latin1'));
}

function errorText(e: ErrorObject): string {
  return `${e.kind && e.kind !== 'Unknown' ? `[${e.kind}] ` : ''}${e.message}`;
}

/** The log line for a state change. */
export function formatEvent(e: ServiceEvent): string {
  const head = `service ${e.id}`;
  switch (e.state) {
    case 'running':
      return `${head} running${e.pid !== undefined ? ` (pid ${e.pid})` : ''}`;
    case 'failed': {
      const why = e.error ? `: ${errorText(e.error)}` : '';
      if (e.retryInMs === undefined) return `${head} failed${why}; ${e.note ?? 'not restarting'}`;
      const of = e.maxAttempts ? ` of ${e.maxAttempts}` : '';
      return `${head} failed${why}; restarting in ${formatMs(e.retryInMs)} (attempt ${e.attempt}${of})`;
    }
    case 'exited':
      return `${head} exited${e.error ? `: ${errorText(e.error)}` : ''}`;
    case 'stopped':
      if (!e.terminated) return `${head} stopped`;
      return `${head} stopped (${e.kind.endsWith('.host') ? 'processes still running were' : 'it was'} terminated after stop_timeout ${formatMs(e.stopTimeoutMs ?? 0)})`;
    default:
      return `${head} ${e.state}`;
  }
}

export interface ServeOptions {
  /** Where log lines go (default: stderr). */
  log?: (line: string) => void;
}

export async function serveNode(node: Node, o: ServeOptions = {}): Promise<number> {
  const log = o.log ?? stderrLine;
  const sup = new Supervisor(node, node.app.image.registry.entries, { onEvent: (e) => log(formatEvent(e)) });
  for (const w of sup.warnings) log(`lunac: warning: ${w}`);
  if (sup.errors.length > 0) {
    for (const m of sup.errors) log(`lunac: error: ${m}`);
    return 1;
  }
  if (sup.order.length === 0) log('lunac: no services to start (set lifecycle.auto_start: true on a service)');

  let signals = 0;
  const onSignal = (sig: NodeJS.Signals): void => {
    signals++;
    if (signals === 1) {
      log(`lunac: ${sig}: stopping services`);
      void sup.stop();
    } else {
      log(`lunac: ${sig} again: terminating every process`);
      sup.kill();
    }
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    await sup.start();
    const r = await sup.finished;
    (node.app.output as { flush?: () => void }).flush?.();
    if (r.code !== 0) log(`lunac: ${r.reason}`);
    else if (r.reason === 'all services ended') log('lunac: all services ended');
    return r.code;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
