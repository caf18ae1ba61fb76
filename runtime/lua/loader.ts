// Instantiating compiled chunks: evaluate the module text once under a unique file name, register the
// source map so JS stack frames map back to Lua lines, and bind the chunk to its environment table.

import vm from 'node:vm';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type * as TraceMapping from '@jridgewell/trace-mapping';

// Source maps are decoded only when an error or traceback needs a Lua line, so the library is loaded
// lazily: it is CommonJS and costs start-up time every script would pay (so does node:module itself).
let traceMapping: typeof TraceMapping | null = null;
import { chunks } from './error.js';
import { rt } from './rt.js';
import type { LuaTable } from './table.js';

export interface ChunkCode {
  code: string;
  map: { mappings: string; sources: string[]; names: string[]; version: number } | null;
  chunkname: string;
}

/** A compiled module: given the runtime handle once, it returns the binder of Lua states (ENV → chunk). */
export type Factory = (r: typeof rt) => (env: LuaTable) => (...args: unknown[]) => unknown;

let serial = 0;

/** Evaluate a compiled chunk; call the result with an environment table to get the Lua function. */
export function loadChunk(c: ChunkCode): (env: LuaTable) => (...args: unknown[]) => unknown {
  const filename = `lua/${++serial}/${c.chunkname}.js`;
  registerMap(filename, c.chunkname, c.code, c.map);
  const factory = vm.runInThisContext(c.code, { filename }) as Factory;
  return factory(rt);
}

/**
 * A chunk that was imported as a real ES module (a `lunac build` output file): register its source map
 * under the module's URL so errors name Lua lines, and bind it like loadChunk does.
 */
export function adoptChunk(factory: Factory, map: ChunkCode['map'], chunkname: string, url: string): (env: LuaTable) => (...args: unknown[]) => unknown {
  // The module text is read only if an error message needs it (method-call argument numbering).
  let text: string | null = null;
  registerMap(url, chunkname, () => (text ??= readFileSync(fileURLToPath(url), 'utf8')), map);
  return factory(rt);
}

function registerMap(filename: string, chunkname: string, code: string | (() => string), map: ChunkCode['map']): void {
  if (!map) return;
  // Decoded on first use: only errors and tracebacks need it.
  let tm: TraceMapping.TraceMap | null = null;
  chunks.set(filename, {
    chunkname,
    get code() {
      return typeof code === 'string' ? code : code();
    },
    lineOf: (line, column) => {
      traceMapping ??= process.getBuiltinModule('node:module').createRequire(import.meta.url)('@jridgewell/trace-mapping') as typeof TraceMapping;
      const { TraceMap, originalPositionFor, LEAST_UPPER_BOUND } = traceMapping;
      tm ??= new TraceMap(map as any);
      const p = originalPositionFor(tm, { line, column });
      if (p.line !== null) return p.line;
      const q = originalPositionFor(tm, { line, column, bias: LEAST_UPPER_BOUND });
      return q.line ?? undefined;
    },
  });
}
