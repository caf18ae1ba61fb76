// Argument checks for builtins, with PUC Lua's messages ("bad argument #1 to 'rep' (number expected,
// got no value)"). Errors carry the position of the Lua code that called the builtin.

import { LuaError, where, calledAsMethod } from '../error.js';
import { LuaTable } from '../table.js';
import { luaType, numberToString, strToNumber } from '../value.js';
import { metamethod } from '../meta.js';

/** Library tables by global name, so errors of builtins called from C can say 'string.rep'. */
export const libraries = new Map<string, LuaTable>();

/** Builtins that always pass their qualified name, so a bare name (coroutine's 'create') is not theirs. */
const passQualified = new Set(['table.create', 'table.unpack', 'utf8.char', 'utf8.len']);

/**
 * PUC names the function as the calling code did; a builtin called from a C function (pcall) has no
 * such name, so Lua searches the loaded libraries and reports the qualified name. A builtin whose name
 * another library shares passes it qualified: `utf8.char` (not `string.char`), or `_G.type` for a base
 * function, which PUC finds as a global and names just `type`.
 */
function qualified(fname: string): string {
  if (fname.startsWith('_G.')) return fname.slice(3);
  if (fname.includes('.')) return fname;
  for (const [lib, t] of libraries) {
    if (typeof t.getStr(fname) === 'function' && !passQualified.has(`${lib}.${fname}`)) return `${lib}.${fname}`;
  }
  return fname;
}

export function argError(i: number, fname: string, msg: string): LuaError {
  const pos = where(1);
  const bare = fname.slice(fname.indexOf('.') + 1); // the name at the call site
  if (pos !== '' && calledAsMethod()) {
    // Like luaL_argerror: `self` is not counted in a method call.
    if (--i === 0) return new LuaError(`${pos}calling '${bare}' on bad self (${msg})`);
  }
  return new LuaError(`${pos}bad argument #${i} to '${pos === '' ? qualified(fname) : bare}' (${msg})`);
}

function typeName(args: ArrayLike<unknown>, i: number): string {
  if (i > args.length) return 'no value';
  const v = args[i - 1];
  const n = metamethod(v, '__name');
  return typeof n === 'string' ? n : luaType(v);
}

export function typeError(args: ArrayLike<unknown>, i: number, fname: string, expected: string): LuaError {
  return argError(i, fname, `${expected} expected, got ${typeName(args, i)}`);
}

/** Argument i (1-based) as a number; numeric strings convert. */
export function checkNumber(args: ArrayLike<unknown>, i: number, fname: string): number {
  const v = args[i - 1];
  if (typeof v === 'number') return v;
  if (typeof v === 'string') {
    const n = strToNumber(v);
    if (n !== undefined) return n;
  }
  throw typeError(args, i, fname, 'number');
}

/** Argument i as an integer (floats with an exact integer value are accepted). */
export function checkInt(args: ArrayLike<unknown>, i: number, fname: string): number {
  const n = checkNumber(args, i, fname);
  if (Number.isInteger(n)) return n;
  throw argError(i, fname, 'number has no integer representation');
}

export function optInt(args: ArrayLike<unknown>, i: number, fname: string, def: number): number {
  return args[i - 1] === undefined ? def : checkInt(args, i, fname);
}

export function optNumber(args: ArrayLike<unknown>, i: number, fname: string, def: number): number {
  return args[i - 1] === undefined ? def : checkNumber(args, i, fname);
}

/** Argument i as a string; numbers convert as Lua's tostring does. */
export function checkString(args: ArrayLike<unknown>, i: number, fname: string): string {
  const v = args[i - 1];
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return numberToString(v);
  throw typeError(args, i, fname, 'string');
}

export function optString(args: ArrayLike<unknown>, i: number, fname: string, def: string): string {
  return args[i - 1] === undefined ? def : checkString(args, i, fname);
}

export function checkTable(args: ArrayLike<unknown>, i: number, fname: string): LuaTable {
  const v = args[i - 1];
  if (v instanceof LuaTable) return v;
  throw typeError(args, i, fname, 'table');
}

export function checkAny(args: ArrayLike<unknown>, i: number, fname: string): unknown {
  if (i > args.length) throw argError(i, fname, 'value expected');
  return args[i - 1];
}

export function checkFunction(args: ArrayLike<unknown>, i: number, fname: string): unknown {
  const v = args[i - 1];
  if (typeof v === 'function') return v;
  throw typeError(args, i, fname, 'function');
}
