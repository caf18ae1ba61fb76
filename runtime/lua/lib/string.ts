// The Lua 5.3 `string` library (lstrlib.c) on byte strings. Pattern matching lives in patterns.ts,
// string.format in format.ts, pack/unpack in pack.ts. Hot functions (sub, byte, len, find, match) take
// explicit parameters and check their arguments only on the slow path, so plain integer calls do not
// allocate; `arguments.length` tells "no value" from nil in error messages.

import { constants as bufferConstants } from 'node:buffer';
import { LuaError, where } from '../error.js';
import { LuaTable } from '../table.js';
import { ret0, ret1, ret2, retN } from '../ret.js';
import { call } from '../call.js';
import { co } from '../coroutine.js';
import { shared } from '../meta.js';
import { index } from '../ops.js';
import { luaType, numberToString } from '../value.js';
import { argError, checkFunction, checkInt, checkString, optInt, optString } from './args.js';
import { MatchState, captureCount, getCapture, getCaptures, noSpecials, search } from './patterns.js';
import { makeFormat } from './format.js';
import { strPack, strPacksize, strUnpack } from './pack.js';

/** PUC 5.3's MAXSIZE (INT_MAX) bounds string.rep; V8's own string limit is lower still. */
const MAXSIZE = Math.min(2147483647, bufferConstants.MAX_STRING_LENGTH);

function libError(msg: string): LuaError {
  return new LuaError(where(1) + msg);
}

/** posrelat: a negative position counts from the end; before the start becomes 0. */
function posrelat(pos: number, len: number): number {
  if (pos >= 0) return pos;
  if (-pos > len) return 0;
  return len + pos + 1;
}

/** The actual arguments of a call made with at most 4 parameters, as an array (slow paths only). */
function argv(n: number, a: unknown, b: unknown, c: unknown, d: unknown): unknown[] {
  return [a, b, c, d].slice(0, n);
}

/** String of char codes, in chunks (apply has an argument-count limit). */
function fromCodes(codes: ArrayLike<number>): string {
  const n = codes.length;
  if (n <= 8192) return String.fromCharCode.apply(null, codes as number[]);
  let out = '';
  for (let i = 0; i < n; i += 8192) {
    out += String.fromCharCode.apply(null, Array.prototype.slice.call(codes, i, i + 8192) as number[]);
  }
  return out;
}

const isSmallInt = (v: unknown): v is number => typeof v === 'number' && (v | 0) === v;

// ---- len, sub, byte, char, rep, reverse, upper, lower ----

function len(s: unknown): unknown {
  if (typeof s === 'string') return ret1(s.length);
  return ret1(checkString(argv(arguments.length, s, undefined, undefined, undefined), 1, 'len').length);
}

function sub(s: unknown, i?: unknown, j?: unknown): unknown {
  if (typeof s === 'string' && isSmallInt(i) && (j === undefined || isSmallInt(j))) {
    return ret1(subRange(s, i, j === undefined ? -1 : j));
  }
  const args = argv(arguments.length, s, i, j, undefined);
  const str = checkString(args, 1, 'sub');
  return ret1(subRange(str, checkInt(args, 2, 'sub'), optInt(args, 3, 'sub', -1)));
}

function subRange(s: string, i: number, j: number): string {
  const l = s.length;
  let start = posrelat(i, l);
  let end = posrelat(j, l);
  if (start < 1) start = 1;
  if (end > l) end = l;
  return start <= end ? (start === 1 && end === l ? s : s.slice(start - 1, end)) : '';
}

function byte(s: unknown, i?: unknown, j?: unknown): unknown {
  if (typeof s === 'string' && j === undefined) {
    // one position: the common s:byte(i) (default 1)
    if (i === undefined) return s.length > 0 ? ret1(s.charCodeAt(0)) : ret0();
    if (isSmallInt(i)) {
      const l = s.length;
      const k = i > 0 ? i : i < 0 ? l + i + 1 : 0;
      return k >= 1 && k <= l ? ret1(s.charCodeAt(k - 1)) : ret0();
    }
  }
  const args = argv(arguments.length, s, i, j, undefined);
  const str = checkString(args, 1, 'byte');
  const l = str.length;
  let posi = posrelat(optInt(args, 2, 'byte', 1), l);
  let pose = posrelat(optInt(args, 3, 'byte', posi), l);
  if (posi < 1) posi = 1;
  if (pose > l) pose = l;
  if (posi > pose) return ret0();
  const n = pose - posi + 1;
  if (n >= 1000000) throw libError('stack overflow (string slice too long)'); // PUC's stack limit
  if (n === 1) return ret1(str.charCodeAt(posi - 1));
  const out = new Array<number>(n);
  for (let k = 0; k < n; k++) out[k] = str.charCodeAt(posi - 1 + k);
  return retN(out);
}

function char(...args: unknown[]): unknown {
  const n = args.length;
  const codes = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    const v = args[i];
    const c = isSmallInt(v) ? v : checkInt(args, i + 1, 'char');
    if (c < 0 || c > 255) throw argError(i + 1, 'char', 'value out of range');
    codes[i] = c;
  }
  return ret1(fromCodes(codes));
}

function rep(...args: unknown[]): unknown {
  const s = checkString(args, 1, 'rep');
  const n = checkInt(args, 2, 'rep');
  const sep = optString(args, 3, 'rep', '');
  if (n <= 0) return ret1('');
  const unit = s.length + sep.length;
  if (unit === 0) return ret1('');
  if (unit * n - sep.length > MAXSIZE) throw libError('resulting string too large');
  if (n === 1) return ret1(s);
  return ret1(sep === '' ? s.repeat(n) : (s + sep).repeat(n - 1) + s);
}

function reverse(...args: unknown[]): unknown {
  const s = checkString(args, 1, 'reverse');
  const n = s.length;
  if (n < 2) return ret1(s);
  const codes = new Uint16Array(n);
  for (let i = 0; i < n; i++) codes[i] = s.charCodeAt(n - 1 - i);
  return ret1(fromCodes(codes));
}

/** ASCII-only case mapping (C locale): JS's own mapping would touch Latin-1 bytes (and make 'ÿ' > 255). */
function mapCase(s: string, lo: number, hi: number, native: (s: string) => string): string {
  const n = s.length;
  let ascii = true;
  for (let i = 0; i < n; i++) {
    if (s.charCodeAt(i) > 127) {
      ascii = false;
      break;
    }
  }
  if (ascii) return native(s);
  const codes = new Uint16Array(n);
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    codes[i] = c >= lo && c <= hi ? c ^ 32 : c;
  }
  return fromCodes(codes);
}

const toUpper = (s: string) => s.toUpperCase();
const toLower = (s: string) => s.toLowerCase();

function upper(...args: unknown[]): unknown {
  return ret1(mapCase(checkString(args, 1, 'upper'), 97, 122, toUpper));
}

function lower(...args: unknown[]): unknown {
  return ret1(mapCase(checkString(args, 1, 'lower'), 65, 90, toLower));
}

function dump(...args: unknown[]): unknown {
  checkFunction(args, 1, 'dump');
  throw libError('unable to dump given function');
}

// ---- find, match, gmatch, gsub ----

const lastEnd = { end: 0 };

/** str_find_aux's argument checks: string.find (find = true) and string.match. */
function findAux(find: boolean, args: unknown[]): unknown {
  const fname = find ? 'find' : 'match';
  const s = checkString(args, 1, fname);
  const p = checkString(args, 2, fname);
  const init = optInt(args, 3, fname, 1);
  return findCore(find, s, p, init, args[3] !== undefined && args[3] !== false);
}

/** str_find_aux proper, on checked arguments. */
function findCore(find: boolean, s: string, p: string, init: number, plain: boolean): unknown {
  const ls = s.length;
  init = posrelat(init, ls);
  if (init < 1) init = 1;
  else if (init > ls + 1) return ret1(undefined); // start after the end: nothing to find
  if (find && (plain || noSpecials(p))) {
    const k = s.indexOf(p, init - 1);
    return k < 0 ? ret1(undefined) : ret2(k + 1, k + p.length);
  }
  const ms = MatchState.forCall(s, p, true);
  const st = search(ms, init - 1, lastEnd);
  let r: unknown;
  if (st < 0) r = ret1(undefined);
  else {
    const e = lastEnd.end;
    if (find) r = ms.level === 0 ? ret2(st + 1, e) : retN([st + 1, e, ...getCaptures(ms, st, e, false)]);
    else r = retCaptures(ms, st, e);
  }
  ms.release();
  return r;
}

/** The captures of the match [s, e) as the call's results (the whole match when there are none). */
function retCaptures(ms: MatchState, s: number, e: number): unknown {
  const n = captureCount(ms, true);
  if (n === 1) return ret1(getCapture(ms, 0, s, e));
  if (n === 2) return ret2(getCapture(ms, 0, s, e), getCapture(ms, 1, s, e));
  return retN(getCaptures(ms, s, e, true));
}

function find(s: unknown, p?: unknown, init?: unknown, plain?: unknown): unknown {
  if (typeof s === 'string' && typeof p === 'string' && (init === undefined || isSmallInt(init)) &&
      (plain === undefined || typeof plain === 'boolean')) {
    return findCore(true, s, p, init === undefined ? 1 : init, plain === true);
  }
  return findAux(true, argv(arguments.length, s, p, init, plain));
}

function match(s: unknown, p?: unknown, init?: unknown): unknown {
  if (typeof s === 'string' && typeof p === 'string' && (init === undefined || isSmallInt(init))) {
    return findCore(false, s, p, init === undefined ? 1 : init, false);
  }
  return findAux(false, argv(arguments.length, s, p, init, undefined));
}

function gmatch(...args: unknown[]): unknown {
  const s = checkString(args, 1, 'gmatch');
  const p = checkString(args, 2, 'gmatch');
  let src = 0;
  let lastMatch = -1;
  // A match state per call, not per iterator: the loop body may run for long and start other matches.
  return ret1(function gmatchIter(): unknown {
    const ms = MatchState.forCall(s, p, false); // 5.3: '^' is not an anchor in gmatch
    let r: unknown;
    for (;;) {
      const start = src <= ms.srcEnd ? search(ms, src, lastEnd) : -1;
      if (start < 0) {
        src = ms.srcEnd + 1;
        r = ret0();
        break;
      }
      const e = lastEnd.end;
      if (e === lastMatch) { // an empty match right after the previous one is skipped
        src = start + 1;
        continue;
      }
      src = lastMatch = e;
      r = retCaptures(ms, start, e);
      break;
    }
    ms.release();
    return r;
  });
}

/** The text that replaces the match [s, e) (add_value), or undefined to keep the original. */
function replacement(ms: MatchState, s: number, e: number, repl: unknown, kind: number): string | undefined {
  let v: unknown;
  if (kind === 0) return expandRepl(ms, s, e, repl as ReplPart[]);
  if (kind === 1) v = index(repl, getCapture(ms, 0, s, e));
  else if (captureCount(ms, true) === 1) v = call(repl, getCapture(ms, 0, s, e));
  else v = call(repl, ...getCaptures(ms, s, e, true));
  if (v === undefined || v === false) return undefined;
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return numberToString(v);
  throw libError(`invalid replacement value (a ${luaType(v)})`);
}

/** A piece of a replacement string: literal text, a capture index (-1: the whole match) or BAD_ESCAPE. */
type ReplPart = string | number;
const BAD_ESCAPE = -2;

/** Split a replacement string at its %-escapes once per gsub call (errors wait until a match uses them). */
function parseRepl(r: string): ReplPart[] {
  const parts: ReplPart[] = [];
  const n = r.length;
  let from = 0;
  for (let k = r.indexOf('%'); k >= 0; k = from < n ? r.indexOf('%', from) : -1) {
    if (k > from) parts.push(r.slice(from, k));
    const c = r.charCodeAt(k + 1); // NaN for a '%' at the end: invalid, as PUC reads the '\0'
    if (c >= 48 && c <= 57) parts.push(c - 49);
    else if (c === 37) parts.push('%');
    else {
      parts.push(BAD_ESCAPE);
      return parts; // the error ends every expansion: the rest is never read
    }
    from = k + 2;
  }
  if (from < n) parts.push(r.slice(from));
  return parts;
}

/** add_s: the replacement for one match, its pieces applied in order (as PUC raises their errors). */
function expandRepl(ms: MatchState, s: number, e: number, parts: ReplPart[]): string {
  let out = '';
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i];
    if (typeof p === 'string') out += p;
    else if (p === -1) out += ms.src.slice(s, e);
    else if (p === BAD_ESCAPE) throw libError("invalid use of '%' in replacement string");
    else {
      const cap = getCapture(ms, p, s, e);
      out += typeof cap === 'number' ? numberToString(cap) : cap;
    }
  }
  return out;
}

function gsub(...args: unknown[]): unknown {
  const src = checkString(args, 1, 'gsub');
  const p = checkString(args, 2, 'gsub');
  const maxS = optInt(args, 4, 'gsub', src.length + 1);
  let repl = args[2];
  let kind: number; // 0 string, 1 table, 2 function
  if (typeof repl === 'string') {
    kind = 0;
    repl = parseRepl(repl);
  } else if (typeof repl === 'number') {
    kind = 0;
    repl = parseRepl(numberToString(repl));
  } else if (repl instanceof LuaTable) kind = 1;
  else if (typeof repl === 'function') kind = 2;
  else throw argError(3, 'gsub', 'string/function/table expected');
  const ms = MatchState.acquire(src, p, true);
  const end = src.length;
  let out = '';
  let copied = 0; // src[copied, pos) is pending unchanged text
  let pos = 0;
  let lastMatch = -1;
  let n = 0;
  // A replacement function or __index runs inside a C call in PUC Lua: `coroutine.isyieldable()` is false there.
  if (kind !== 0) co.nny++;
  try {
    while (n < maxS) {
      const st = search(ms, pos, lastEnd); // only at pos when anchored
      if (st < 0) break;
      const e = lastEnd.end;
      if (e !== lastMatch) {
        n++;
        const r = replacement(ms, st, e, repl, kind);
        if (r !== undefined) { // else the match stays in the pending unchanged text
          out += st > copied ? src.slice(copied, st) + r : r;
          copied = e;
        }
        pos = lastMatch = e;
      } else if (st < end) { // an empty match right after the previous one is skipped
        pos = st + 1;
      } else {
        break;
      }
      if (ms.anchor) break;
    }
  } finally {
    if (kind !== 0) co.nny--;
  }
  ms.release();
  if (n === 0) return ret2(src, 0);
  if (copied < end) out += src.slice(copied);
  return ret2(out, n);
}

// ---- the library ----

/** The `string` table; `tostring` is the base library's (used by %s, with __tostring). */
export function createStringLib(tostring: (v: unknown) => string): LuaTable {
  const lib = new LuaTable();
  const fns: Record<string, (...args: any[]) => unknown> = {
    byte, char, dump, find, format: makeFormat(tostring), gmatch, gsub, len, lower, match, rep, reverse,
    sub, upper, pack: strPack, packsize: strPacksize, unpack: strUnpack, gfind: gmatch,
  };
  for (const name of Object.keys(fns)) lib.setStr(name, fns[name]);
  return lib;
}

/** Give strings their metatable {__index = lib}, so ("x"):upper() works. */
export function installStringMetatable(lib: LuaTable): void {
  const mt = new LuaTable();
  mt.setStr('__index', lib);
  shared.stringMeta = mt;
}
