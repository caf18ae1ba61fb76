// string.pack, string.unpack and string.packsize: Lua 5.3's binary formats (lstrlib.c) on a little-endian
// 64-bit C model (int 4, long 8, size_t 8, lua_Integer 8, max alignment 8). Lua numbers are doubles here, so
// 64-bit integers are exact up to 2^53; wide integer conversions go through BigInt.

import { LuaError, where } from '../error.js';
import { ret1, retN } from '../ret.js';
import { argError, checkInt, checkNumber, checkString, optInt } from './args.js';

const MAXINTSIZE = 16;
const NATIVE_ALIGN = 8;
/** PUC's MAXSIZE for 5.3 (INT_MAX): bound of sizes and results. */
const MAXSIZE = 2147483647;
const TWO63 = 9223372036854775808;

const enum K { Int, Uint, Float, Char, String, Zstr, Padding, PaddAlign, Nop }

/** Parser state over a format string: position, endianness and maximum alignment. */
interface Header {
  fmt: string;
  /** End of the format: PUC stops at the first '\0'. */
  end: number;
  pos: number;
  little: boolean;
  maxAlign: number;
  fname: string;
}

function header(fmt: string, fname: string): Header {
  const z = fmt.indexOf('\0');
  return { fmt, end: z < 0 ? fmt.length : z, pos: 0, little: true, maxAlign: 1, fname };
}

function err(msg: string): LuaError {
  return new LuaError(where(1) + msg);
}

const isDigit = (c: number) => c >= 48 && c <= 57;

function getNum(h: Header, df: number): number {
  if (!isDigit(h.fmt.charCodeAt(h.pos))) return df;
  let a = 0;
  do {
    a = a * 10 + (h.fmt.charCodeAt(h.pos++) - 48);
  } while (isDigit(h.fmt.charCodeAt(h.pos)) && a <= (MAXSIZE - 9) / 10);
  return a;
}

function getNumLimit(h: Header, df: number): number {
  const sz = getNum(h, df);
  if (sz > MAXINTSIZE || sz <= 0) throw err(`integral size (${sz}) out of limits [1,${MAXINTSIZE}]`);
  return sz;
}

/** One option: its kind and size (getoption). */
function getOption(h: Header, out: { size: number }): K {
  const opt = h.fmt.charCodeAt(h.pos++);
  out.size = 0;
  switch (opt) {
    case 98: out.size = 1; return K.Int; // b
    case 66: out.size = 1; return K.Uint; // B
    case 104: out.size = 2; return K.Int; // h
    case 72: out.size = 2; return K.Uint; // H
    case 108: case 106: out.size = 8; return K.Int; // l j
    case 76: case 74: case 84: out.size = 8; return K.Uint; // L J T
    case 102: out.size = 4; return K.Float; // f
    case 100: case 110: out.size = 8; return K.Float; // d n
    case 105: out.size = getNumLimit(h, 4); return K.Int; // i[n]
    case 73: out.size = getNumLimit(h, 4); return K.Uint; // I[n]
    case 115: out.size = getNumLimit(h, 8); return K.String; // s[n]
    case 99: // c[n]
      out.size = getNum(h, -1);
      if (out.size === -1) throw err("missing size for format option 'c'");
      return K.Char;
    case 122: return K.Zstr; // z
    case 120: out.size = 1; return K.Padding; // x
    case 88: return K.PaddAlign; // X
    case 32: break;
    case 60: h.little = true; break; // <
    case 62: h.little = false; break; // >
    case 61: h.little = true; break; // = (native: little-endian)
    case 33: h.maxAlign = getNumLimit(h, NATIVE_ALIGN); break; // !
    default: throw err(`invalid format option '${String.fromCharCode(opt)}'`);
  }
  return K.Nop;
}

const opt2 = { size: 0 };

/** getdetails: the next option, its size and the padding needed before it to align it at `total`. */
function getDetails(h: Header, total: number, d: { size: number; ntoalign: number }): K {
  const opt = getOption(h, d);
  let align = d.size; // usually, alignment follows size
  if (opt === K.PaddAlign) { // 'X' takes its alignment from the following option
    if (h.pos >= h.end || getOption(h, opt2) === K.Char || (align = opt2.size) === 0) {
      throw argError(1, h.fname, "invalid next option for option 'X'");
    }
  }
  if (align <= 1 || opt === K.Char) d.ntoalign = 0;
  else {
    if (align > h.maxAlign) align = h.maxAlign;
    if ((align & (align - 1)) !== 0) throw argError(1, h.fname, 'format asks for alignment not power of 2');
    d.ntoalign = (align - (total & (align - 1))) & (align - 1);
  }
  return opt;
}

/** An int64 argument (integral doubles only, like luaL_checkinteger). */
function int64Arg(args: unknown[], i: number, fname: string): number {
  const n = checkInt(args, i, fname);
  if (n < -TWO63 || n >= TWO63) throw argError(i, fname, 'number has no integer representation');
  return n;
}

/** `size` bytes of integer n (two's complement, sign-extended past 8 bytes). */
function packInt(n: number, little: boolean, size: number): string {
  const bytes = new Array<number>(size);
  if (size <= 6) { // callers checked the range, so n mod 2^(8 size) fits a double exactly
    let v = n < 0 ? n + Math.pow(2, 8 * size) : n;
    for (let i = 0; i < size; i++) {
      bytes[little ? i : size - 1 - i] = v % 256;
      v = Math.floor(v / 256);
    }
  } else {
    let v = BigInt.asUintN(64, BigInt(n));
    for (let i = 0; i < size; i++) {
      const b = i < 8 ? Number(v & 255n) : n < 0 ? 255 : 0;
      bytes[little ? i : size - 1 - i] = b;
      v >>= 8n;
    }
  }
  return String.fromCharCode.apply(null, bytes);
}

function unpackInt(data: string, at: number, little: boolean, size: number, signed: boolean): number {
  const byte = (i: number) => data.charCodeAt(at + (little ? i : size - 1 - i));
  if (size <= 6) {
    let v = 0;
    for (let i = size - 1; i >= 0; i--) v = v * 256 + byte(i);
    if (signed) {
      const lim = Math.pow(2, 8 * size - 1);
      if (v >= lim) v -= 2 * lim;
    }
    return v;
  }
  const limit = size <= 8 ? size : 8;
  let res = 0n;
  for (let i = limit - 1; i >= 0; i--) res = (res << 8n) | BigInt(byte(i));
  if (size < 8) {
    if (signed) res = BigInt.asIntN(8 * size, res);
    return Number(res);
  }
  const v = BigInt.asIntN(64, res); // 64-bit values wrap to lua_Integer, also for unsigned formats
  if (size > 8) { // the extra bytes must be a pure sign extension
    const mask = !signed || v >= 0n ? 0 : 255;
    for (let i = limit; i < size; i++) {
      if (byte(i) !== mask) throw err(`${size}-byte integer does not fit into Lua Integer`);
    }
  }
  return Number(v);
}

const fbuf = new DataView(new ArrayBuffer(8));

function packFloat(n: number, little: boolean, size: number): string {
  if (size === 4) fbuf.setFloat32(0, n, little);
  else fbuf.setFloat64(0, n, little);
  let s = '';
  for (let i = 0; i < size; i++) s += String.fromCharCode(fbuf.getUint8(i));
  return s;
}

function unpackFloat(data: string, at: number, little: boolean, size: number): number {
  for (let i = 0; i < size; i++) fbuf.setUint8(i, data.charCodeAt(at + i));
  return size === 4 ? fbuf.getFloat32(0, little) : fbuf.getFloat64(0, little);
}

export function strPack(...args: unknown[]): unknown {
  const h = header(checkString(args, 1, 'pack'), 'pack');
  const d = { size: 0, ntoalign: 0 };
  const parts: string[] = [];
  let total = 0;
  let arg = 1;
  while (h.pos < h.end) {
    const opt = getDetails(h, total, d);
    const size = d.size;
    total += d.ntoalign + size;
    if (d.ntoalign > 0) parts.push('\0'.repeat(d.ntoalign));
    arg++;
    // PUC pushes a nil mark after the arguments: a missing one reads as nil, not "no value"
    if (arg > args.length && opt < K.Padding) args.length = arg;
    switch (opt) {
      case K.Int: {
        const n = int64Arg(args, arg, 'pack');
        if (size < 8) {
          const lim = Math.pow(2, size * 8 - 1);
          if (!(-lim <= n && n < lim)) throw argError(arg, 'pack', 'integer overflow');
        }
        parts.push(packInt(n, h.little, size));
        break;
      }
      case K.Uint: {
        const n = int64Arg(args, arg, 'pack');
        // PUC compares as unsigned: negatives are huge and overflow every size below 8
        if (size < 8 && !(n >= 0 && n < Math.pow(2, size * 8))) throw argError(arg, 'pack', 'unsigned overflow');
        parts.push(packInt(n, h.little, size));
        break;
      }
      case K.Float:
        parts.push(packFloat(checkNumber(args, arg, 'pack'), h.little, size));
        break;
      case K.Char: {
        const s = checkString(args, arg, 'pack');
        if (s.length > size) throw argError(arg, 'pack', 'string longer than given size');
        parts.push(s);
        if (s.length < size) parts.push('\0'.repeat(size - s.length));
        break;
      }
      case K.String: {
        const s = checkString(args, arg, 'pack');
        if (size < 8 && s.length >= Math.pow(2, size * 8)) {
          throw argError(arg, 'pack', 'string length does not fit in given size');
        }
        parts.push(packInt(s.length, h.little, size), s);
        total += s.length;
        break;
      }
      case K.Zstr: {
        const s = checkString(args, arg, 'pack');
        if (s.indexOf('\0') >= 0) throw argError(arg, 'pack', 'string contains zeros');
        parts.push(s, '\0');
        total += s.length + 1;
        break;
      }
      case K.Padding:
        parts.push('\0');
        arg--;
        break;
      default: // PaddAlign, Nop
        arg--;
    }
  }
  return ret1(parts.join(''));
}

export function strPacksize(...args: unknown[]): unknown {
  const h = header(checkString(args, 1, 'packsize'), 'packsize');
  const d = { size: 0, ntoalign: 0 };
  let total = 0;
  while (h.pos < h.end) {
    const opt = getDetails(h, total, d);
    const size = d.size + d.ntoalign;
    if (total > MAXSIZE - size) throw argError(1, 'packsize', 'format result too large');
    total += size;
    if (opt === K.String || opt === K.Zstr) throw argError(1, 'packsize', 'variable-length format');
  }
  return ret1(total);
}

export function strUnpack(...args: unknown[]): unknown {
  const h = header(checkString(args, 1, 'unpack'), 'unpack');
  const data = checkString(args, 2, 'unpack');
  const ld = data.length;
  const init = optInt(args, 3, 'unpack', 1);
  let pos = (init >= 0 ? init : -init > ld ? 0 : ld + init + 1) - 1;
  if (pos < 0 || pos > ld) throw argError(3, 'unpack', 'initial position out of string');
  const d = { size: 0, ntoalign: 0 };
  const out: unknown[] = [];
  while (h.pos < h.end) {
    const opt = getDetails(h, pos, d);
    const size = d.size;
    if (pos + d.ntoalign + size > ld) throw argError(2, 'unpack', 'data string too short');
    pos += d.ntoalign;
    switch (opt) {
      case K.Int:
      case K.Uint:
        out.push(unpackInt(data, pos, h.little, size, opt === K.Int));
        break;
      case K.Float:
        out.push(unpackFloat(data, pos, h.little, size));
        break;
      case K.Char:
        out.push(data.slice(pos, pos + size));
        break;
      case K.String: {
        const len = unpackInt(data, pos, h.little, size, false);
        if (!(len >= 0 && pos + len + size <= ld)) throw argError(2, 'unpack', 'data string too short');
        out.push(data.slice(pos + size, pos + size + len));
        pos += len;
        break;
      }
      case K.Zstr: {
        // 5.3 reads up to the '\0' that terminates every Lua string when the data has none
        const z = data.indexOf('\0', pos);
        const len = (z < 0 ? ld : z) - pos;
        out.push(data.slice(pos, pos + len));
        pos += len + 1;
        break;
      }
      default:
        break;
    }
    pos += size;
  }
  out.push(pos + 1);
  return retN(out);
}
