// Lua values on JS: nil = undefined, boolean, number (double), string (byte string: every char code 0–255),
// function (JS function), table (LuaTable), and runtime objects that carry their Lua type name in `ltype`
// (threads, userdata, type values, error objects). Nothing else may ever reach Lua code.

import { LuaTable, tableId } from './table.js';

/** Base of every non-table object Lua code can hold. `ltype` is what `type()` returns. */
export abstract class LuaObject {
  abstract readonly ltype: string;
  mt: LuaTable | null = null;
}

/** Host data exposed to Lua only through its metatable (methods via `__index`). */
export class LuaUserdata extends LuaObject {
  readonly ltype = 'userdata';
  constructor(public data: unknown, mt: LuaTable | null = null) {
    super();
    this.mt = mt;
  }
}

export function luaType(v: unknown): string {
  switch (typeof v) {
    case 'undefined': return 'nil';
    case 'boolean': return 'boolean';
    case 'number': return 'number';
    case 'string': return 'string';
    case 'function': return 'function';
    default:
      if (v instanceof LuaTable) return 'table';
      if (v instanceof LuaObject) return v.ltype;
      return 'userdata';
  }
}

// ---- numbers ----

const TWO63 = 9223372036854775808;

/** Wippy's number → string: integral values in the int64 range print as integers, others Go-style %g (spec §2.7). */
export function numberToString(x: number): string {
  if (Number.isInteger(x) && x >= -TWO63 && x < TWO63) {
    if (x === 0) return '0';
    // Beyond 2^53 String() rounds the digits (2^60 → ...847000); the double's exact value is wanted.
    return x > -9007199254740992 && x < 9007199254740992 ? String(x) : BigInt(x).toString();
  }
  if (x !== x) return signBit(x) ? '-nan' : 'nan';
  if (x === Infinity) return 'inf';
  if (x === -Infinity) return '-inf';
  const e = x.toExponential();
  const p = e.indexOf('e');
  const exp = Number(e.slice(p + 1));
  // Go's shortest %g (strconv 'g', -1): exponent form below 1e-4 and from 1e6 (precision 6 decides).
  if (exp < -4 || exp >= 6) {
    const a = Math.abs(exp);
    return `${e.slice(0, p)}e${exp < 0 ? '-' : '+'}${a < 10 ? '0' + a : a}`;
  }
  return String(x);
}

const f64 = new Float64Array(1);
const u8 = new Uint8Array(f64.buffer);
function signBit(x: number): boolean {
  f64[0] = x;
  return (u8[7] & 0x80) !== 0;
}

/** `math.type` semantics on doubles: integral values in the safe range count as integers. */
export function isInteger(x: number): boolean {
  return Number.isInteger(x);
}

const decRe = /^[ \t\n\r\f\v]*([-+]?)(?:(\d+\.?\d*|\.\d+)(?:[eE]([-+]?\d+))?)[ \t\n\r\f\v]*$/;
const hexRe = /^[ \t\n\r\f\v]*([-+]?)0[xX]([0-9a-fA-F]*)(?:\.([0-9a-fA-F]*))?(?:[pP]([-+]?\d+))?[ \t\n\r\f\v]*$/;

/** Lua's string → number conversion (lua_stringtonumber): decimal and hex, ints and floats. */
export function strToNumber(s: string): number | undefined {
  // The common case first: a short run of decimal digits ("42" from gmatch captures, CSV fields, JSON).
  const n = s.length;
  if (n > 0 && n < 16) {
    let v = 0, i = 0;
    for (; i < n; i++) {
      const c = s.charCodeAt(i) - 48;
      if (c < 0 || c > 9) break;
      v = v * 10 + c;
    }
    if (i === n) return v;
  }
  let m = decRe.exec(s);
  if (m) {
    const v = Number(s.trim());
    return Number.isNaN(v) ? Number(m[1] + m[2] + (m[3] !== undefined ? 'e' + m[3] : '')) : v;
  }
  m = hexRe.exec(s);
  if (m) {
    const [, sign, int, frac, exp] = m;
    if (int === '' && (frac === undefined || frac === '')) return undefined;
    let v: number;
    if (frac === undefined && exp === undefined) {
      // Hex integers wrap around modulo 2^64, as in Lua 5.3.
      v = Number(BigInt.asIntN(64, BigInt('0x' + int)));
    } else {
      v = 0;
      for (const c of int) v = v * 16 + parseInt(c, 16);
      let scale = 1 / 16;
      for (const c of frac ?? '') { v += parseInt(c, 16) * scale; scale /= 16; }
      if (exp !== undefined) v *= Math.pow(2, Number(exp));
    }
    return sign === '-' ? -v : v;
  }
  return undefined;
}

/** Value → number for arithmetic: numbers pass, numeric strings convert, anything else is undefined. */
export function toNumber(v: unknown): number | undefined {
  if (typeof v === 'number') return v;
  if (typeof v === 'string') return strToNumber(v);
  return undefined;
}

/** tostring() without metamethods. */
export function rawToString(v: unknown): string {
  switch (typeof v) {
    case 'undefined': return 'nil';
    case 'boolean': return v ? 'true' : 'false';
    case 'number': return numberToString(v);
    case 'string': return v;
    case 'function': return `function: ${addr(fnId(v))}`;
    default:
      if (v instanceof LuaTable) return `table: ${addr(tableId(v))}`;
      if (v instanceof LuaObject) return `${v.ltype}: ${addr(tableId(v))}`;
      return 'userdata: 0x0';
  }
}

const fnIds = new WeakMap<object, number>();
let nextFnId = 1;
function fnId(f: object): number {
  let id = fnIds.get(f);
  if (id === undefined) fnIds.set(f, (id = 0x100000 + nextFnId++));
  return id;
}

function addr(id: number): string {
  return '0x' + (0x55550000 + id * 64).toString(16).padStart(12, '0');
}
