// `lunac serve [DIR]`: build the app image in memory (reporting errors like `lunac run`), then serve it on a
// process node until SIGINT/SIGTERM (runtime/host/serve.ts: supervisor, signals, one log line per service
// state change on stderr). Exit codes: 0 stopped or everything ended, 1 errors in the app or a required
// service failed, 2 misuse.

import { existsSync, statSync, writeSync } from 'node:fs';
import { buildImage } from '../compiler/bundle/image.js';
import { formatDiagnostic } from '../compiler/diagnostics.js';
import { createNode } from '../runtime/process/host.js';
import { EventLoopOutput } from '../runtime/lua/output.js';
import { serveNode } from '../runtime/host/serve.js';

const USER_ERROR = 1, MISUSE = 2;

function say(line: string): void {
  writeSync(2, Buffer.from(line + '\n', 'latin1'));
}

export async function serveCommand(dir: string): Promise<number> {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    say(`lunac: ${dir} is not a directory`);
    return MISUSE;
  }
  const built = buildImage(dir);
  for (const d of built.errors) say(formatDiagnostic(d));
  if (built.errors.length > 0) return USER_ERROR;
  const node = createNode(built.image, new EventLoopOutput());
  // Lua entries an app adds through the registry are compiled before they are accepted, as with `lunac run`.
  const { installValidator } = await import('./app.js');
  installValidator();
  return serveNode(node);
}
