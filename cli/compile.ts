// `lunac compile FILE.lua`: print the JS module of a standalone script. Kept apart from script.ts, so
// compiling never loads the runtime.

import { existsSync, readFileSync } from 'node:fs';
import { loadCompiler, STANDALONE } from './cache.js';
import { writeAll } from '../runtime/lua/output.js';

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
    const out = (text: string) => writeAll(1, Buffer.from(text, 'utf8')); // ends quietly on EPIPE
    out('export default ');
    out(c.code);
    out('\n');
    if (withMap) out(`//# sourceMap ${JSON.stringify(c.map)}\n`);
    return 0;
  } catch (e) {
    return reportCompileError(e, debug);
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

