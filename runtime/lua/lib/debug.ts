// The `debug` library (standalone scripts only): just traceback, enough for `xpcall(f, debug.traceback)`.
// Frames are the Lua frames on the JS stack (luaFrames); PUC's C-function lines ("[C]: in function
// 'error'") have no counterpart, so levels count Lua functions only.

import { formatTraceback, luaFrames } from '../error.js';
import { LuaTable } from '../table.js';
import { numberToString } from '../value.js';
import { ret1 } from '../ret.js';
import { optInt } from './args.js';
import { Coroutine, co } from '../coroutine.js';

/**
 * debug.traceback([msg [, level]]): `msg`, a newline and "stack traceback:" with the Lua frames from
 * `level` outwards (1, the default, is the function that called traceback). A `msg` that is neither a
 * string, a number nor nil is returned unchanged, as Lua does, so error objects pass through xpcall.
 */
function traceback(this: unknown, msg?: unknown, _level?: unknown): unknown {
  if (msg instanceof Coroutine) {
    // debug.traceback(thread [, msg [, level]]). The running thread is the plain case; the Lua frames of
    // another coroutine live in its suspended generators and are not kept, so only the header follows.
    const m = arguments[1];
    if (msg === (co.current ?? co.main)) return traceback(m, arguments[2]);
    if (m !== undefined && typeof m !== 'string' && typeof m !== 'number') return ret1(m);
    optInt(arguments, 3, 'traceback', 0);
    const header = formatTraceback([]);
    return ret1(m === undefined ? header : `${typeof m === 'number' ? numberToString(m) : m}\n${header}`);
  }
  if (msg !== undefined && typeof msg !== 'string' && typeof msg !== 'number') return ret1(msg);
  const level = optInt(arguments, 2, 'traceback', 1);
  // Lua frames only: level 0 (traceback itself) shows the same frames as level 1.
  const skip = Math.max(level - 1, 0);
  // Room for the skipped frames too (each Lua frame is one JS frame, plus runtime helpers in between).
  const frames = level < 0 ? [] : luaFrames(64 + Math.min(skip, 1000) * 4).slice(skip);
  const trace = formatTraceback(frames);
  if (msg === undefined) return ret1(trace);
  return ret1(`${typeof msg === 'number' ? numberToString(msg) : msg}\n${trace}`);
}

export function createDebugLib(): LuaTable {
  const lib = new LuaTable();
  lib.set('traceback', traceback);
  return lib;
}
