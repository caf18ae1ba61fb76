// Running Wippy-mode Lua in the test process with chosen modules bound as globals: for module tests that
// call a module the way entry code does, without an app on disk.

import { compileLua } from '../compiler/compile.js';
import { loadChunk } from '../runtime/lua/loader.js';
import { createEnv } from '../runtime/lua/env.js';
import { LuaError } from '../runtime/lua/error.js';
import { mv } from '../runtime/lua/ret.js';
import { toBytes, type ModuleContext, type ModuleDef } from '../runtime/modules/module.js';

export interface WippyRun {
  /** What `print` wrote. */
  out: string;
  /** The chunk's return values. */
  results: unknown[];
}

/** Run `src` (JS text: non-ASCII becomes UTF-8 bytes, as in a .lua file) as a Wippy chunk with `modules` bound under their names; Lua errors are rethrown as JS errors. */
export function runWithModules(src: string, modules: ModuleDef[], ctx: ModuleContext = {}): WippyRun {
  let out = '';
  const env = createEnv({ standalone: false, output: { out: (s) => (out += s), err: (s) => (out += s) } });
  for (const m of modules) env.setStr(m.name, m.open(ctx));
  const main = loadChunk(compileLua(toBytes(src), 'test.lua'))(env);
  try {
    const results = mv(main()).slice();
    return { out, results };
  } catch (e) {
    if (e instanceof LuaError) throw new Error(`Lua error: ${typeof e.value === 'string' ? e.value : String(e.value)}`);
    throw e;
  }
}
