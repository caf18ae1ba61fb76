// The base library (spec §2.9): assert, error, pcall, xpcall, select, type, tostring, tonumber, next,
// pairs, ipairs, metatables, raw access, unpack, require, _G, _VERSION; plus `load` and
// `collectgarbage` in standalone mode. print's output goes through the `Output` the host provides.

import { LuaTable } from '../table.js';
import { LuaError, errorValue, luaFrames, formatTraceback, where } from '../error.js';
import { mv, ret0, ret1, ret2, retN } from '../ret.js';
import { call, callable } from '../call.js';
import { callG, index, len } from '../ops.js';
import { getMetatable, metamethod } from '../meta.js';
import { LuaObject, luaType, numberToString, rawToString, strToNumber } from '../value.js';
import { iterators } from '../forloop.js';
import { callNoYield } from '../coroutine.js';
import { argError, checkAny, checkInt, checkTable, typeError } from './args.js';

export interface BaseOptions {
  standalone: boolean;
  /** Where `print` writes: whole lines (with their newline), or what came before an argument that failed. */
  print: (text: string) => void;
  /** Compile and instantiate a chunk (standalone `load`); returns the chunk function or an error message. */
  load?: (src: string, chunkname: string, env: LuaTable) => unknown;
}

type Fn = ((...args: any[]) => unknown) & { G?: (...args: any[]) => Generator<unknown, unknown, unknown> };

/** tostring with `__tostring` and `__name`. */
export function tostring(v: unknown): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return numberToString(v);
  const mt = getMetatable(v);
  if (mt !== null) {
    const h = mt.getStr('__tostring');
    if (h !== undefined) {
      const s = callNoYield(h, v); // a C call in PUC Lua: __tostring cannot yield
      if (typeof s !== 'string') {
        if (typeof s === 'number') return numberToString(s);
        throw new LuaError(where(1) + "'__tostring' must return a string");
      }
      return s;
    }
    const name = mt.getStr('__name');
    if (typeof name === 'string' && (v instanceof LuaTable || v instanceof LuaObject)) {
      return rawToString(v).replace(/^[a-z]+/, name);
    }
  }
  return rawToString(v);
}

function tonumber(v: unknown, base?: unknown, nargs = 1): unknown {
  if (nargs < 2 || base === undefined) {
    if (typeof v === 'number') return v;
    if (typeof v === 'string') return strToNumber(v);
    if (nargs < 1) throw argError(1, 'tonumber', 'value expected');
    return undefined;
  }
  const b = checkInt([v, base], 2, 'tonumber');
  if (typeof v !== 'string') throw typeError([v, base], 1, 'tonumber', 'string');
  if (b < 2 || b > 36) throw argError(2, 'tonumber', 'base out of range');
  // C isspace only (JS trim would also strip bytes such as 0xA0); a sign may lead the digits.
  const s = v.replace(/^[ \f\n\r\t\v]+|[ \f\n\r\t\v]+$/g, '').toLowerCase();
  const m = /^([-+]?)([0-9a-z]+)$/.exec(s);
  if (!m) return undefined;
  let n = 0;
  for (const c of m[2]) {
    const d = c <= '9' ? c.charCodeAt(0) - 48 : c.charCodeAt(0) - 87;
    if (d >= b) return undefined;
    n = n * b + d;
  }
  return m[1] === '-' ? -n : n;
}

function pcallResult(r: unknown): unknown {
  const vals = mv(r);
  const out = new Array(vals.length + 1);
  out[0] = true;
  for (let i = 0; i < vals.length; i++) out[i + 1] = vals[i];
  return retN(out);
}

/**
 * Nesting of plain pcall/xpcall calls. PUC Lua counts C calls and fails at 200 ("C stack overflow"), which
 * is what stops unbounded recursion through pcall there; without the limit such a program would run until
 * the JS stack overflows, copying ever longer result lists on the way back. Generator-mode calls are not
 * counted: a coroutine suspended inside one would hold its count forever.
 */
let pdepth = 0;
const MAX_PCALL_DEPTH = 197;

function pcall(f: unknown, ...args: unknown[]): unknown {
  if (arguments.length === 0) throw argError(1, 'pcall', 'value expected');
  if (pdepth >= MAX_PCALL_DEPTH) return ret2(false, 'C stack overflow');
  pdepth++;
  try {
    const r = pcallResult((typeof f === 'function' ? (f as Fn) : callable(f))(...args));
    pdepth--;
    return r;
  } catch (e) {
    pdepth--;
    return ret2(false, errorValue(e));
  }
}
function* pcallG(f: unknown, ...args: unknown[]): Generator<unknown, unknown, unknown> {
  try {
    return pcallResult(yield* callG(f, ...args));
  } catch (e) {
    return ret2(false, errorValue(e));
  }
}

/**
 * The message handler's first result replaces the error value. An error inside the handler is handled by
 * the handler again, as in PUC Lua, until the C-stack limit (about 200 nested handlers there) turns it
 * into "error in error handling".
 */
function xpcallFail(handler: unknown, e: unknown): unknown {
  let err = errorValue(e);
  for (let i = 0; i < 200; i++) {
    try {
      return ret2(false, callNoYield(handler, err)); // the message handler runs as a non-yieldable call
    } catch (e2) {
      // A handler that overflows the stack would overflow again each time (and each try costs a full stack).
      if (e2 instanceof RangeError) break;
      err = errorValue(e2);
    }
  }
  return ret2(false, 'error in error handling');
}
function xpcall(f: unknown, handler: unknown, ...args: unknown[]): unknown {
  if (typeof handler !== 'function') throw typeError(arguments, 2, 'xpcall', 'function');
  if (pdepth >= MAX_PCALL_DEPTH) return xpcallFail(handler, new LuaError('C stack overflow'));
  pdepth++;
  try {
    const r = pcallResult(call(f, ...args));
    pdepth--;
    return r;
  } catch (e) {
    pdepth--;
    return xpcallFail(handler, e);
  }
}
function* xpcallG(f: unknown, handler: unknown, ...args: unknown[]): Generator<unknown, unknown, unknown> {
  if (typeof handler !== 'function') throw typeError(arguments, 2, 'xpcall', 'function');
  try {
    return pcallResult(yield* callG(f, ...args));
  } catch (e) {
    return xpcallFail(handler, e);
  }
}

function error(v?: unknown, level?: unknown): never {
  const lv = level === undefined ? 1 : typeof level === 'number' && Number.isInteger(level) ? level : checkInt([v, level], 2, 'error');
  if (typeof v === 'string' && lv > 0) throw new LuaError(where(lv) + v, formatTraceback(luaFrames()));
  throw new LuaError(v);
}

/**
 * Whether the running builtin was called by a generic `for` (ForIn.step/stepG a few JS frames up): PUC
 * names such a function 'for iterator' in argument errors. Only used on error paths.
 */
function calledByForIn(below: Function): boolean {
  const holder: { stack?: unknown } = {};
  const prevPrepare = Error.prepareStackTrace;
  const prevLimit = Error.stackTraceLimit;
  Error.stackTraceLimit = 4;
  Error.prepareStackTrace = (_e, sites) => sites;
  try {
    Error.captureStackTrace(holder, below);
    const sites = Array.isArray(holder.stack) ? (holder.stack as NodeJS.CallSite[]) : [];
    return sites.some((cs) => {
      const fn = cs.getFunctionName() ?? '';
      return (fn === 'step' || fn === 'stepG' || fn.endsWith('.step') || fn.endsWith('.stepG')) && cs.getTypeName() === 'ForIn';
    });
  } catch {
    return false;
  } finally {
    Error.prepareStackTrace = prevPrepare;
    Error.stackTraceLimit = prevLimit;
  }
}

function next(t: unknown, k?: unknown): unknown {
  if (!(t instanceof LuaTable)) throw typeError(arguments.length === 0 ? [] : [t], 1, calledByForIn(next) ? 'for iterator' : 'next', 'table');
  const tbl = t;
  const r = tbl.next(k);
  return r === undefined ? ret1(undefined) : ret2(r[0], r[1]);
}

function ipairsStep(t: unknown, i: number): unknown {
  const k = i + 1;
  const v = cIndex(t, k);
  return v === undefined ? ret1(undefined) : ret2(k, v);
}

/** lua_geti from a builtin: indexing a value without `__index` fails inside C in PUC Lua, hence no position. */
function cIndex(t: unknown, k: number): unknown {
  if (t instanceof LuaTable && t.mt === null) return t.getInt(k);
  if (!(t instanceof LuaTable) && metamethod(t, '__index') === undefined) throw new LuaError(`attempt to index a ${luaType(t)} value`);
  return index(t, k);
}

function pairs(t: unknown): unknown {
  const h = metamethod(t, '__pairs');
  if (h !== undefined) {
    const vals = mv(call(h, t));
    return retN([vals[0], vals[1], vals[2]]);
  }
  // Lua 5.4: any value is accepted here; a non-table fails when the loop calls next.
  if (arguments.length === 0) throw argError(1, 'pairs', 'value expected');
  return retN([next, t, undefined]);
}

function ipairs(...args: unknown[]): unknown {
  checkAny(args, 1, 'ipairs');
  return retN([ipairsStep, args[0], 0]);
}

function select(n: unknown, ...args: unknown[]): unknown {
  if (n === '#') return ret1(args.length);
  const i = typeof n === 'number' && Number.isInteger(n) ? n : checkInt(arguments.length === 0 ? [] : [n], 1, 'select');
  if (i < 0) {
    if (-i > args.length) throw argError(1, 'select', 'index out of range');
    return retN(args.slice(args.length + i));
  }
  if (i === 0) throw argError(1, 'select', 'index out of range');
  return retN(args.slice(i - 1));
}

function setmetatable(...args: unknown[]): unknown {
  const tbl = checkTable(args, 1, 'setmetatable');
  const mt = args[1];
  if (args.length < 2 || (mt !== undefined && !(mt instanceof LuaTable))) throw typeError(args, 2, 'setmetatable', 'nil or table');
  if (tbl.mt !== null && tbl.mt.getStr('__metatable') !== undefined) throw new LuaError('cannot change a protected metatable');
  tbl.setMeta((mt as LuaTable | undefined) ?? null);
  return ret1(tbl);
}

function getmetatable(v: unknown): unknown {
  if (v === undefined && arguments.length === 0) throw argError(1, 'getmetatable', 'value expected');
  const mt = getMetatable(v);
  if (mt === null) return ret1(undefined);
  const protectedMt = mt.getStr('__metatable');
  return ret1(protectedMt !== undefined ? protectedMt : mt);
}

/** luaL_len for unpack: `#t` with `__len`; errors raised "inside C" carry no position, like PUC's. */
function unpackLen(t: unknown): number {
  if (t instanceof LuaTable && t.mt === null) return t.length();
  if (typeof t === 'string') return t.length;
  if (!(t instanceof LuaTable) && metamethod(t, '__len') === undefined) throw new LuaError(`attempt to get length of a ${luaType(t)} value`);
  const n = len(t);
  if (typeof n === 'number' && Number.isInteger(n)) return n;
  throw new LuaError(where(1) + 'object length is not an integer');
}

function unpack(...args: unknown[]): unknown {
  const t = args[0];
  const i = args[1] === undefined ? 1 : checkInt(args, 2, '_G.unpack');
  const j = args[2] === undefined ? unpackLen(t) : checkInt(args, 3, '_G.unpack');
  if (i > j) return ret0();
  if (j - i >= 1e6) throw new LuaError(where(1) + 'too many results to unpack');
  const out = new Array(j - i + 1);
  for (let k = i; k <= j; k++) out[k - i] = cIndex(t, k);
  return retN(out);
}

/** Build the base library into `G`. */
export function openBase(G: LuaTable, opts: BaseOptions): void {
  const set = (name: string, f: unknown) => G.setStr(name, f);
  (pcall as Fn).G = pcallG;
  (xpcall as Fn).G = xpcallG;
  iterators.next = next;
  iterators.ipairsStep = ipairsStep;
  set('assert', (...args: unknown[]) => {
    if (args.length === 0) throw argError(1, 'assert', 'value expected');
    const v = args[0];
    if (v === undefined || v === false) {
      // Like PUC: assert calls error(message), so a string message gets the caller's position.
      error(args.length >= 2 ? args[1] : 'assertion failed!');
    }
    return retN(args);
  });
  set('error', error);
  set('pcall', pcall);
  set('xpcall', xpcall);
  set('select', select);
  set('type', (...args: unknown[]) => {
    if (args.length === 0) throw argError(1, '_G.type', 'value expected');
    return ret1(luaType(args[0]));
  });
  set('tostring', (...args: unknown[]) => ret1(tostring(checkAny(args, 1, 'tostring'))));
  set('tonumber', function (v: unknown, base?: unknown) {
    return ret1(tonumber(v, base, arguments.length));
  });
  set('next', next);
  set('pairs', pairs);
  set('ipairs', ipairs);
  set('setmetatable', setmetatable);
  set('getmetatable', getmetatable);
  set('rawequal', function (a: unknown, b: unknown) {
    if (b === undefined && arguments.length < 2) throw argError(arguments.length + 1, 'rawequal', 'value expected');
    return ret1(a === b);
  });
  set('rawget', function (t: unknown, k: unknown) {
    const tbl = t instanceof LuaTable ? t : checkTable(arguments.length === 0 ? [] : [t], 1, 'rawget');
    if (k === undefined && arguments.length < 2) throw argError(2, 'rawget', 'value expected');
    return ret1(tbl.get(k));
  });
  set('rawset', function (t: unknown, k: unknown, v: unknown) {
    const tbl = t instanceof LuaTable ? t : checkTable(arguments.length === 0 ? [] : [t], 1, 'rawset');
    if (v === undefined && arguments.length < 3) throw argError(arguments.length < 2 ? 2 : 3, 'rawset', 'value expected');
    tbl.set(k, v);
    return ret1(t);
  });
  set('rawlen', function (v: unknown) {
    if (v instanceof LuaTable) return ret1(v.length());
    if (typeof v === 'string') return ret1(v.length);
    throw typeError(arguments, 1, 'rawlen', 'table or string');
  });
  set('unpack', unpack);
  set('print', (...args: unknown[]) => {
    let line = '';
    for (let i = 0; i < args.length; i++) {
      let s: string;
      try {
        s = tostring(args[i]);
      } catch (e) {
        if (i > 0) opts.print(line); // Lua 5.3 has written the earlier arguments already (5.4 also the tab)
        throw e;
      }
      line += (i ? '\t' : '') + s;
    }
    opts.print(line + '\n');
    return ret0();
  });
  set('_G', G);
  set('_VERSION', 'Lua 5.3');
  set('require', function (name: unknown) {
    if (typeof name !== 'string' && typeof name !== 'number') throw typeError(arguments, 1, 'require', 'string');
    const v = typeof name === 'string' ? G.get(name) : undefined;
    // luaL_error: the position of the code calling require.
    if (v === undefined) throw new LuaError(`${where(1)}module '${tostring(name)}' not found`);
    return ret1(v);
  });
  if (opts.standalone) {
    set('collectgarbage', (opt?: unknown) => ret1(opt === 'count' ? process.memoryUsage().heapUsed / 1024 : 0));
    if (opts.load) set('load', loadFn(G, opts.load));
  }
}

/** load(chunk [, chunkname [, mode [, env]]]): compile a string (or the pieces a reader function returns). */
function loadFn(G: LuaTable, load: NonNullable<BaseOptions['load']>) {
  return (chunk: unknown, chunkname?: unknown, _mode?: unknown, env?: unknown) => {
    let src: string;
    if (typeof chunk === 'string') src = chunk;
    else if (typeof chunk === 'function') {
      // The reader runs in protected mode: its errors become load's `nil, message`.
      src = '';
      try {
        for (;;) {
          const piece = call(chunk);
          if (piece === undefined || piece === '') break;
          if (typeof piece !== 'string') return ret2(undefined, 'reader function must return a string');
          src += piece;
        }
      } catch (e) {
        return ret2(undefined, errorValue(e));
      }
    } else throw typeError([chunk], 1, 'load', 'string');
    // PUC's default chunk name: the source string itself, or "=(load)" for a reader function.
    const name = typeof chunkname === 'string' ? chunkname : typeof chunk === 'string' ? src : '=(load)';
    try {
      return ret1(load(src, displayName(name), env instanceof LuaTable ? env : G));
    } catch (e) {
      return ret2(undefined, errorValue(e));
    }
  };
}

/** luaO_chunkid with LUA_IDSIZE 60: `[string "first line..."]`, keeping at most 45 characters of the source. */
function chunkDisplay(src: string): string {
  const nl = src.indexOf('\n');
  if (src.length < 45 && nl < 0) return `[string "${src}"]`;
  const first = nl < 0 ? src : src.slice(0, nl);
  return `[string "${first.slice(0, 45)}..."]`;
}

/** Lua chunk names: "=name" and "@file" show as given (cut like luaO_chunkid); other strings as [string "..."]. */
function displayName(name: string): string {
  if (name.startsWith('=')) return name.slice(1, 60);
  if (name.startsWith('@')) return name.length <= 60 ? name.slice(1) : '...' + name.slice(name.length - 56);
  return chunkDisplay(name);
}
