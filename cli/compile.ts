// `lunac compile FILE.lua`: print the JS module of a standalone script. Kept apart from script.ts, so
// compiling never loads the runtime.

import { existsSync, readFileSync, writeSync } from 'node:fs';
import { loadCompiler, STANDALONE } from './cache.js';

/** Exit status for errors in the user's program vs misuse of the command. */
export const USER_ERROR = 1, MISUSE = 2;

export function readSource(file: string): string | null {
  if (!existsSync(file)) {
    process.stderr.write(`lunac: cannot open ${file}\n`);
    return null;
  }
  return readFileSync(file, 'latin1');
}

export async function compileCommand(file: string, withMap: boolean, debug: boolean): Promise<number> {
  const src = readSource(file);
  if (src === null) return MISUSE;
  const { compileLua } = loadCompiler();
  try {
    const c = compileLua(src, file, { ...STANDALONE, sourceMap: withMap }); // the map only when it is printed
    // Written in pieces: one `export default …` string of a big module would be another copy of it.
    writeAll('export default ');
    writeAll(c.code);
    writeAll('\n');
    if (withMap) writeAll(`//# sourceMap ${JSON.stringify(c.map)}\n`);
    return 0;
  } catch (e) {
    return reportCompileError(e, debug);
  }
}

/** Synchronous, whole: stdout may be a pipe that accepts part of a write. */
function writeAll(text: string): void {
  const buf = Buffer.from(text, 'utf8');
  for (let off = 0; off < buf.length;) {
    try {
      off += writeSync(1, buf, off);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'EPIPE') process.exit(141); // the reader went away (`| head`): end quietly
      if (code !== 'EAGAIN') throw e;
    }
  }
}

export function reportCompileError(e: unknown, debug: boolean): number {
  const diag = (e as { diag?: { file: string; line: number; column: number; severity: string; code: string; message: string } }).diag;
  if (diag) {
    process.stderr.write(`${diag.file}:${diag.line}:${diag.column}: ${diag.severity} ${diag.code}: ${diag.message}\n`);
    return USER_ERROR;
  }
  process.stderr.write(`lunac: internal compiler error: ${(e as Error).message}\n`);
  if (debug) process.stderr.write(String((e as Error).stack) + '\n');
  return MISUSE;
}

