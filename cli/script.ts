// `lunac run FILE.lua`: standalone scripts, run like the `lua` interpreter.

import { compileCached, loadCompiler, STANDALONE } from './cache.js';
import { readSource, reportCompileError, USER_ERROR, MISUSE } from './compile.js';
import { loadChunk, type ChunkCode } from '../runtime/lua/loader.js';
import { createEnv } from '../runtime/lua/env.js';
import { StdOutput } from '../runtime/lua/output.js';
import { LuaTable } from '../runtime/lua/table.js';
import { LuaError, errorValue } from '../runtime/lua/error.js';
import { tostring } from '../runtime/lua/lib/base.js';
import { getMetatable } from '../runtime/lua/meta.js';
import { call } from '../runtime/lua/call.js';
import { luaType } from '../runtime/lua/value.js';

/**
 * The message `lua` prints for an uncaught error value (lua.c's msghandler): a string or number as is, else
 * what `__tostring` makes of it when that is a string, else its type. An error raised by `__tostring`
 * goes through the handler again, as PUC runs the message handler on it.
 */
function uncaughtMessage(v: unknown, depth = 0): string {
  if (typeof v === 'string' || typeof v === 'number') return tostring(v);
  const h = getMetatable(v)?.getStr('__tostring');
  if (h !== undefined && depth < 10) {
    try {
      const s = call(h, v);
      if (typeof s === 'string') return s;
    } catch (e) {
      return uncaughtMessage(errorValue(e), depth + 1);
    }
  }
  return `(error object is a ${luaType(v)} value)`;
}

export async function runScriptCommand(file: string, args: string[], debug: boolean): Promise<number> {
  const src = readSource(file);
  if (src === null) return MISUSE;
  const output = new StdOutput();
  // `load` compiles synchronously, so the compiler is imported up front when the script names it.
  let compileSync: ((s: string, n: string) => ChunkCode) | null = null;
  const exit = (code: number): never => {
    output.flush();
    process.exit(code);
  };
  const env = createEnv({
    standalone: true,
    output,
    exit,
    load: (source, chunkname, e) => {
      if (!compileSync) throw new LuaError('load is unavailable: the script does not name it');
      let chunk: ChunkCode;
      try {
        chunk = compileSync(source, chunkname);
      } catch (err) {
        // A syntax error is load's `nil, "chunk:line: message"`, positioned like any Lua error.
        const diag = (err as { diag?: { line: number; message: string } }).diag;
        if (diag) throw new LuaError(`${chunkname}:${diag.line}: ${diag.message}`);
        throw err;
      }
      return loadChunk(chunk)(e);
    },
  });
  const arg = new LuaTable();
  arg.set(-1, 'lunac');
  arg.set(0, file);
  args.forEach((a, i) => arg.set(i + 1, Buffer.from(a, 'utf8').toString('latin1')));
  env.setStr('arg', arg);
  let main: (...a: unknown[]) => unknown;
  if (/\bload\b/.test(src)) {
    const { compileLua } = loadCompiler();
    compileSync = (source, chunkname) => compileLua(source, chunkname, STANDALONE);
  }
  try {
    main = loadChunk(compileCached(src, file))(env);
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
