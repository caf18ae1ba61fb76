// The global environment of a chunk: the base library and the standard library tables. Standalone
// scripts (`lunac run FILE.lua`) also get load, io, os.exit and os.getenv; Wippy entries get shared,
// immutable library tables and only what spec §2.9 lists.

import { GLOBALS_SHAPE, LuaTable } from './table.js';
import { openBase, tostring } from './lib/base.js';
import { createStringLib, installStringMetatable } from './lib/string.js';
import { createTableLib } from './lib/table.js';
import { createMathLib } from './lib/math.js';
import { createOsLib } from './lib/os.js';
import { createCoroutineLib } from './lib/coroutine.js';
import { createErrorsLib } from './lib/errors.js';
import { createIoLib, type Output } from './lib/io.js';
import { createUtf8Lib } from './lib/utf8.js';
import { createDebugLib } from './lib/debug.js';
import { libraries } from './lib/args.js';
import { typeOf } from './types.js';
import { ret1 } from './ret.js';

export interface EnvOptions {
  /** Standalone script mode (like the `lua` interpreter) rather than a Wippy entry. */
  standalone: boolean;
  output: Output;
  /** Compile + instantiate source for `load` (standalone only). */
  load?: (src: string, chunkname: string, env: LuaTable) => unknown;
  exit?: (code: number) => never;
  /** Blocking calls may suspend the whole actor (inside a process host). */
  hostSuspension?: boolean;
  /** `coroutine.spawn(fn)`, provided by the process host. */
  spawn?: (fn: unknown) => unknown;
}

export function createEnv(opts: EnvOptions): LuaTable {
  const G = new LuaTable();
  G.shape = GLOBALS_SHAPE;
  openBase(G, { standalone: opts.standalone, print: (text) => opts.output.out(text), load: opts.load });
  const string = createStringLib(tostring);
  installStringMetatable(string);
  const libs: [string, LuaTable][] = [
    ['string', string],
    ['table', createTableLib()],
    ['math', createMathLib()],
    ['os', createOsLib({ standalone: opts.standalone, exit: opts.exit, getenv: (n) => process.env[n] })],
    ['coroutine', createCoroutineLib({ hostSuspension: !!opts.hostSuspension, spawn: opts.spawn })],
    ['errors', createErrorsLib()],
  ];
  // Standalone scripts are plain Lua 5.3: io, utf8 and debug.traceback exist there, not in Wippy entries.
  if (opts.standalone) libs.push(['io', createIoLib(opts.output)], ['utf8', createUtf8Lib()], ['debug', createDebugLib()]);
  for (const [name, lib] of libs) {
    if (name !== 'errors') libraries.set(name, lib);
    // Wippy shares immutable library tables between entries; standalone Lua lets scripts extend them.
    if (!opts.standalone) lib.freeze();
    G.setStr(name, lib);
  }
  G.setStr('typeof', (v: unknown) => ret1(typeOf(v)));
  return G;
}
