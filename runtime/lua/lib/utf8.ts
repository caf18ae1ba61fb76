// The `utf8` library (standalone scripts only): Lua 5.3's lutf8lib.c on byte strings. Code points go up
// to 0x10FFFF; surrogates are accepted, overlong forms and sequences of more than four bytes are not.
// Positions are 1-based byte indices, negative ones count from the end, as in the string library.

import { LuaError, where } from '../error.js';
import { LuaTable } from '../table.js';
import { strToNumber } from '../value.js';
import { ret0, ret1, ret2, retN } from '../ret.js';
import { argError, checkInt, checkString, optInt } from './args.js';

const MAXUNICODE = 0x10ffff;

/** Smallest code point that needs more than `count` continuation bytes (overlong check). */
const LIMITS = [0xff, 0x7f, 0x7ff, 0xffff];

/** "[\0-\x7F\xC2-\xF4][\x80-\xBF]*": one UTF-8 sequence, for string.gmatch and friends. */
const CHARPATTERN = '[\x00-\x7F\xC2-\xF4][\x80-\xBF]*';

/** Is byte `i` of `s` a continuation byte? Past the end is not (C sees the terminating '\0'). */
function iscont(s: string, i: number): boolean {
  return (s.charCodeAt(i) & 0xc0) === 0x80;
}

/** Negative positions count back from the end; too negative becomes 0 (u_posrelat). */
function posrelat(pos: number, len: number): number {
  if (pos >= 0) return pos;
  if (-pos > len) return 0;
  return len + pos + 1;
}

function fail(msg: string): LuaError {
  return new LuaError(where(1) + msg);
}

/**
 * Decode the sequence starting at byte `i` (utf8_decode). Sets `decoded` to its code point and returns
 * the index just past it, or -1 for an invalid sequence.
 */
let decoded = 0;
function decode(s: string, i: number): number {
  let c = s.charCodeAt(i);
  if (c < 0x80) {
    decoded = c;
    return i + 1;
  }
  let res = 0;
  let count = 0;
  while (c & 0x40) {
    const cc = s.charCodeAt(i + ++count); // NaN past the end: not a continuation byte
    if ((cc & 0xc0) !== 0x80) return -1;
    res = res * 64 + (cc & 0x3f);
    c <<= 1;
  }
  if (count > 3) return -1;
  res += (c & 0x7f) * 2 ** (count * 5);
  if (res > MAXUNICODE || res <= LIMITS[count]) return -1;
  decoded = res;
  return i + count + 1;
}

/** The UTF-8 encoding of code point `x` (0..0x10FFFF) as a byte string (luaO_utf8esc). */
function encode(x: number): string {
  if (x < 0x80) return String.fromCharCode(x);
  const bytes: number[] = [];
  let mfb = 0x3f; // largest value that still fits in the first byte
  do {
    bytes.push(0x80 | (x & 0x3f));
    x >>>= 6;
    mfb >>= 1;
  } while (x > mfb);
  bytes.push(((~mfb << 1) | x) & 0xff);
  return String.fromCharCode(...bytes.reverse());
}

function charArg(args: ArrayLike<unknown>, i: number): string {
  const code = checkInt(args, i, 'utf8.char');
  if (!(code >= 0 && code <= MAXUNICODE)) throw argError(i, 'utf8.char', 'value out of range');
  return encode(code);
}

/** utf8.char(...): the concatenated encodings of the arguments. */
function char(...args: unknown[]): string {
  if (args.length === 1) return ret1(charArg(args, 1));
  let out = '';
  for (let i = 1; i <= args.length; i++) out += charArg(args, i);
  return ret1(out);
}

/** utf8.codepoint(s [, i [, j]]): the code points of all sequences that start in s[i..j] (default j = i). */
function codepoint(this: unknown): unknown {
  const s = checkString(arguments, 1, 'utf8.codepoint');
  const len = s.length;
  const posi = posrelat(optInt(arguments, 2, 'utf8.codepoint', 1), len);
  const pose = posrelat(optInt(arguments, 3, 'utf8.codepoint', posi), len);
  if (!(posi >= 1)) throw argError(2, 'utf8.codepoint', 'out of range');
  if (!(pose <= len)) throw argError(3, 'utf8.codepoint', 'out of range');
  if (posi > pose) return ret0();
  if (pose - posi >= 2147483647) throw fail('string slice too long');
  const out: number[] = [];
  for (let p = posi - 1; p < pose; ) {
    p = decode(s, p);
    if (p < 0) throw fail('invalid UTF-8 code');
    out.push(decoded);
  }
  return retN(out);
}

/** utf8.len(s [, i [, j]]): sequences starting in s[i..j], or nil and the position of the first invalid byte. */
function len(this: unknown): unknown {
  const s = checkString(arguments, 1, 'utf8.len');
  const n = s.length;
  let posi = posrelat(optInt(arguments, 2, 'utf8.len', 1), n);
  let posj = posrelat(optInt(arguments, 3, 'utf8.len', -1), n);
  if (!(posi >= 1 && --posi <= n)) throw argError(2, 'utf8.len', 'initial position out of string');
  if (!(--posj < n)) throw argError(3, 'utf8.len', 'final position out of string');
  let count = 0;
  while (posi <= posj) {
    const next = decode(s, posi);
    if (next < 0) return ret2(undefined, posi + 1);
    posi = next;
    count++;
  }
  return ret1(count);
}

/** utf8.offset(s, n [, i]): byte position where the n-th character counted from position i starts. */
function offset(this: unknown): number | undefined {
  const s = checkString(arguments, 1, 'utf8.offset');
  const len = s.length;
  let n = checkInt(arguments, 2, 'utf8.offset');
  let posi = posrelat(optInt(arguments, 3, 'utf8.offset', n >= 0 ? 1 : len + 1), len);
  if (!(posi >= 1 && --posi <= len)) throw argError(3, 'utf8.offset', 'position out of range');
  if (n === 0) {
    // The start of the sequence containing byte i.
    while (posi > 0 && iscont(s, posi)) posi--;
  } else {
    if (iscont(s, posi)) throw fail('initial position is a continuation byte');
    if (n < 0) {
      while (n < 0 && posi > 0) {
        do posi--;
        while (posi > 0 && iscont(s, posi));
        n++;
      }
    } else {
      n--; // the character at i is the first
      while (n > 0 && posi < len) {
        do posi++;
        while (iscont(s, posi));
        n--;
      }
    }
  }
  return ret1(n === 0 ? posi + 1 : undefined);
}

/** lua_tointeger: the control variable as an integer, 0 when it is not one. */
function toInteger(v: unknown): number {
  const n = typeof v === 'number' ? v : typeof v === 'string' ? strToNumber(v) : undefined;
  return n !== undefined && Number.isInteger(n) ? n : 0;
}

/** The iterator of utf8.codes: the position and code point of the sequence after byte `ctl`. */
function iterAux(this: unknown, str: unknown, ctl: unknown): unknown {
  const s = typeof str === 'string' ? str : checkString(arguments, 1, 'for iterator');
  const len = s.length;
  let n = toInteger(ctl) - 1;
  if (n < 0) n = 0;
  else if (n < len) {
    n++; // skip the current byte and its continuations
    while (iscont(s, n)) n++;
  }
  if (n >= len) return ret0();
  const next = decode(s, n);
  if (next < 0 || iscont(s, next)) throw fail('invalid UTF-8 code');
  return ret2(n + 1, decoded);
}

/** utf8.codes(s): `for p, c in utf8.codes(s)` walks the sequences of s, raising on invalid ones. */
function codes(this: unknown, s: unknown): unknown {
  // luaL_checkstring converts a number argument in place, so the loop state is the string.
  return retN([iterAux, checkString(arguments, 1, 'utf8.codes'), 0]);
}

export function createUtf8Lib(): LuaTable {
  const lib = new LuaTable();
  const fns: Record<string, unknown> = { char, charpattern: CHARPATTERN, codepoint, len, offset, codes };
  for (const [k, v] of Object.entries(fns)) lib.set(k, v);
  return lib;
}
