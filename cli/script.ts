// `lunac run FILE.lua` and `lunac compile FILE.lua`: standalone scripts, run like the `lua` interpreter.

import { readFileSync, existsSync } from 'node:fs';
import { compileLua, CompileError } from '../compiler/compile.js';
import { formatDiagnostic } from '../compiler/diagnostics.js';
import { loadChunk } from '../runtime/lua/loader.js';
import { createEnv } from '../runtime/lua/env.js';
import { StdOutput } from '../runtime/lua/output.js';
import { LuaTable } from '../runtime/lua/table.js';
import { LuaError, errorValue } from '../runtime/lua/error.js';
import { tostring } from '../runtime/lua/lib/base.js';
import { getMetatable } from '../runtime/lua/meta.js';

/** Exit status for errors in the user's program vs misuse of the command. */
const USER_ERROR = 1, MISUSE = 2;

function readSource(file: string): string | null {
  if (!existsSync(file)) {
    process.stderr.write(`lunac: cannot open ${file}\n`);
    return null;
  }
  return readFileSync(file, 'latin1');
}

export function compileCommand(file: string, withMap: boolean, debug: boolean): number {
  const src = readSource(file);
  if (src === null) return MISUSE;
  try {
    const c = compileLua(src, file);
    process.stdout.write(`export default ${c.code}\n`);
    if (withMap) process.stdout.write(`//# sourceMap ${JSON.stringify(c.map)}\n`);
    return 0;
  } catch (e) {
    return reportCompileError(e, debug);
  }
}

function reportCompileError(e: unknown, debug: boolean): number {
  if (e instanceof CompileError) {
    process.stderr.write(formatDiagnostic(e.diag) + '\n');
    return USER_ERROR;
  }
  process.stderr.write(`lunac: internal compiler error: ${(e as Error).message}\n`);
  if (debug) process.stderr.write(String((e as Error).stack) + '\n');
  return MISUSE;
}

/** The message `lua` prints for an uncaught error value. */
function uncaughtMessage(v: unknown): string {
  if (typeof v === 'string' || typeof v === 'number') return tostring(v);
  const mt = getMetatable(v);
  if (mt !== null && mt.getStr('__tostring') !== undefined) return tostring(v);
  return `(error object is a ${v === undefined ? 'nil' : (v instanceof LuaTable ? 'table' : typeof v)} value)`;
}

export function runScriptCommand(file: string, args: string[], debug: boolean): number {
  const src = readSource(file);
  if (src === null) return MISUSE;
  const output = new StdOutput();
  const exit = (code: number): never => {
    output.flush();
    process.exit(code);
  };
  const env = createEnv({
    standalone: true,
    output,
    exit,
    load: (source, chunkname, e) => loadChunk(compileLua(source, chunkname))(e),
  });
  const arg = new LuaTable();
  arg.set(-1, 'lunac');
  arg.set(0, file);
  args.forEach((a, i) => arg.set(i + 1, Buffer.from(a, 'utf8').toString('latin1')));
  env.setStr('arg', arg);
  let main: (...a: unknown[]) => unknown;
  try {
    main = loadChunk(compileLua(src, file))(env);
  } catch (e) {
    return reportCompileError(e, debug);
  }
  try {
    main(...args.map((a) => Buffer.from(a, 'utf8').toString('latin1')));
    output.flush();
    return 0;
  } catch (e) {
    output.flush();
    const tb = e instanceof LuaError && e.traceback ? '\n' + e.traceback : '';
    process.stderr.write(Buffer.from(`lunac: ${uncaughtMessage(errorValue(e))}${tb}\n`, 'latin1'));
    if (debug && !(e instanceof LuaError)) process.stderr.write(String((e as Error)?.stack) + '\n');
    return USER_ERROR;
  }
}
