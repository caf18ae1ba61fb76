// The `math` library: Lua 5.3's functions on JS doubles, plus the 5.1 leftovers Wippy code still calls
// (pow, ldexp, frexp, log10, cosh, sinh, tanh, atan2). Integers are the integral doubles (math.type);
// math.random is Lua 5.4's xoshiro256**, so a given integer seed yields the same sequence as lua5.4.

import { LuaError, where } from '../error.js';
import { LuaTable } from '../table.js';
import { strToNumber } from '../value.js';
import { ret1, ret2, ret0 } from '../ret.js';
import { lt } from '../ops.js';
import { toInt64 } from '../bits.js';
import { luaPow } from '../pow.js';
import { argError, checkAny, checkInt, checkNumber } from './args.js';

const TWO32 = 4294967296;
const TWO53 = 9007199254740992;
const TWO63 = 9223372036854775808;

// ---- rounding and integer conversions ----

// `+ 0` turns -0 into 0: Lua converts floor(-0.0) and ceil(-0.5) to the integer 0.
function floor(x: unknown): number {
  return ret1(Math.floor(typeof x === 'number' ? x : checkNumber(arguments, 1, 'floor')) + 0);
}

function ceil(x: unknown): number {
  return ret1(Math.ceil(typeof x === 'number' ? x : checkNumber(arguments, 1, 'ceil')) + 0);
}

function abs(x: unknown): number {
  return ret1(Math.abs(typeof x === 'number' ? x : checkNumber(arguments, 1, 'abs')));
}

/** An integer in int64 range (2^63 itself is out: Lua's float → integer conversion rejects it). */
function toInteger(v: unknown): number | undefined {
  const n = typeof v === 'number' ? v : typeof v === 'string' ? strToNumber(v) : undefined;
  if (n === undefined || !Number.isInteger(n) || n < -TWO63 || n >= TWO63) return undefined;
  return n + 0;
}

function tointeger(x: unknown): number | undefined {
  const n = toInteger(x);
  if (n === undefined) checkAny(arguments, 1, 'tointeger');
  return ret1(n);
}

function type(x: unknown): string | undefined {
  checkAny(arguments, 1, 'type');
  if (typeof x !== 'number') return ret1(undefined);
  return ret1(Number.isInteger(x) ? 'integer' : 'float');
}

/** Unsigned 64-bit m < n: two's complement keeps the order within each sign; negatives are the large ones. */
function ult(m: unknown, n: unknown): boolean {
  const a = checkInt(arguments, 1, 'ult');
  const b = checkInt(arguments, 2, 'ult');
  if (Math.abs(a) < TWO53 && Math.abs(b) < TWO53) return ret1((a < 0) === (b < 0) ? a < b : b < 0);
  return ret1(BigInt.asUintN(64, int64Big(a)) < BigInt.asUintN(64, int64Big(b)));
}

function fmod(a: unknown, b: unknown): number {
  const x = checkNumber(arguments, 1, 'fmod');
  const y = checkNumber(arguments, 2, 'fmod');
  if (Number.isInteger(x) && Number.isInteger(y)) {
    // Integer operands: C's truncating %, with 0 rejected and -1 special-cased as in lmathlib.c.
    // Doubles cannot tell 5.0 from 5, so fmod(5.0, 0) raises here where PUC returns nan.
    if (y === 0) throw argError(2, 'fmod', 'zero');
    if (y === -1) return ret1(0);
    return ret1((x % y) + 0);
  }
  return ret1(x % y); // JS % is C fmod for doubles
}

function modf(x: unknown): unknown {
  const n = checkNumber(arguments, 1, 'modf');
  // `+ 0`: Lua's integral part is an integer, so modf(-0.5) gives 0, not -0 (1/ip is inf)
  if (Number.isInteger(n)) return ret2(n + 0, 0);
  const ip = (n < 0 ? Math.ceil(n) : Math.floor(n)) + 0;
  return ret2(ip, n === ip ? 0 : n - ip); // n === ip for ±inf: fraction 0, not nan
}

// ---- comparisons ----

// Lua 5.3/5.4 compare with the `<` operator (so math.max("10", "9") is "9"), keeping the first of equals.
function max(...args: unknown[]): unknown {
  if (args.length === 0) throw argError(1, 'max', 'value expected');
  let m = args[0];
  for (let i = 1; i < args.length; i++) if (lt(m, args[i])) m = args[i];
  return ret1(m);
}

function min(...args: unknown[]): unknown {
  if (args.length === 0) throw argError(1, 'min', 'value expected');
  let m = args[0];
  for (let i = 1; i < args.length; i++) if (lt(args[i], m)) m = args[i];
  return ret1(m);
}

// ---- transcendental ----

function unary(name: string, f: (x: number) => number): (x: unknown) => number {
  const fn = function (this: unknown, x: unknown): number {
    return ret1(f(typeof x === 'number' ? x : checkNumber(arguments, 1, name)));
  };
  return fn;
}

function log(x: unknown, base?: unknown): number {
  const v = checkNumber(arguments, 1, 'log');
  if (base === undefined) return ret1(Math.log(v));
  const b = checkNumber(arguments, 2, 'log');
  if (b === 2) return ret1(Math.log2(v));
  if (b === 10) return ret1(Math.log10(v));
  return ret1(Math.log(v) / Math.log(b));
}

function atan(y: unknown, x?: unknown): number {
  const a = checkNumber(arguments, 1, 'atan');
  const b = x === undefined ? 1 : checkNumber(arguments, 2, 'atan');
  return ret1(Math.atan2(a, b));
}

function atan2(y: unknown, x: unknown): number {
  return ret1(Math.atan2(checkNumber(arguments, 1, 'atan2'), checkNumber(arguments, 2, 'atan2')));
}

function pow(x: unknown, y: unknown): number {
  return ret1(luaPow(checkNumber(arguments, 1, 'pow'), checkNumber(arguments, 2, 'pow')));
}

/** m * 2^e without overflowing the intermediate power for large |e|. */
function scale2(m: number, e: number): number {
  if (e > 1023) {
    m *= 2 ** 1023;
    e -= 1023;
    if (e > 1023) {
      m *= 2 ** 1023;
      e = Math.min(e - 1023, 1023);
    }
  } else if (e < -1022) {
    m *= 2 ** -1022;
    e += 1022;
    if (e < -1022) {
      m *= 2 ** -1022;
      e = Math.max(e + 1022, -1022);
    }
  }
  return m * 2 ** e;
}

function ldexp(m: unknown, e: unknown): number {
  return ret1(scale2(checkNumber(arguments, 1, 'ldexp'), checkInt(arguments, 2, 'ldexp')));
}

/** frexp: x = m * 2^e with 0.5 <= |m| < 1 (m = x, e = 0 for 0, inf and nan). */
function frexp(x: unknown): unknown {
  const v = checkNumber(arguments, 1, 'frexp');
  if (v === 0 || !Number.isFinite(v)) return ret2(v, 0);
  let e = Math.max(-1073, Math.floor(Math.log2(Math.abs(v))) + 1);
  let m = scale2(v, -e);
  // log2 can be off by one near powers of two.
  while (Math.abs(m) < 0.5) { m *= 2; e--; }
  while (Math.abs(m) >= 1) { m /= 2; e++; }
  return ret2(m, e);
}

// ---- random: xoshiro256** on 32-bit halves ----

/** State s0..s3 as (hi, lo) uint32 pairs: s[0]=s0.hi, s[1]=s0.lo, ... */
const S = new Uint32Array(8);
/** Last output of next(): high and low 32 bits. */
let outHi = 0, outLo = 0;

/** (hi, lo) * k mod 2^64 for a small k (5 or 9). */
function mulSmall(hi: number, lo: number, k: number): [number, number] {
  const p = lo * k; // < 2^36: exact
  return [(Math.imul(hi, k) + Math.floor(p / TWO32)) >>> 0, p >>> 0];
}

/** rotl of a 64-bit (hi, lo) by n (0 < n < 64). */
function rotl(hi: number, lo: number, n: number): [number, number] {
  if (n >= 32) { const t = hi; hi = lo; lo = t; n -= 32; }
  if (n === 0) return [hi, lo];
  return [((hi << n) | (lo >>> (32 - n))) >>> 0, ((lo << n) | (hi >>> (32 - n))) >>> 0];
}

function nextRand(): void {
  // result = rotl(s1 * 5, 7) * 9
  const [mh, ml] = mulSmall(S[2], S[3], 5);
  const [rh, rl] = rotl(mh, ml, 7);
  [outHi, outLo] = mulSmall(rh, rl, 9);
  // t = s1 << 17
  const th = ((S[2] << 17) | (S[3] >>> 15)) >>> 0, tl = (S[3] << 17) >>> 0;
  S[4] ^= S[0]; S[5] ^= S[1]; // s2 ^= s0
  S[6] ^= S[2]; S[7] ^= S[3]; // s3 ^= s1
  S[2] ^= S[4]; S[3] ^= S[5]; // s1 ^= s2
  S[0] ^= S[6]; S[1] ^= S[7]; // s0 ^= s3
  S[4] ^= th; S[5] ^= tl; // s2 ^= t
  const [h3, l3] = rotl(S[6], S[7], 45); // s3 = rotl(s3, 45)
  S[6] = h3; S[7] = l3;
}

/** Lua 5.4's setseed: s = {n1, 0xff, n2, 0}, then 16 discarded outputs. */
function setSeed(n1: bigint, n2: bigint): void {
  const u1 = BigInt.asUintN(64, n1), u2 = BigInt.asUintN(64, n2);
  S[0] = Number(u1 >> 32n); S[1] = Number(u1 & 0xffffffffn);
  S[2] = 0; S[3] = 0xff;
  S[4] = Number(u2 >> 32n); S[5] = Number(u2 & 0xffffffffn);
  S[6] = 0; S[7] = 0;
  for (let i = 0; i < 16; i++) nextRand();
}

// process.hrtime rather than performance.now(): the latter loads perf_hooks, a cost every script would pay.
setSeed(BigInt(Date.now()), (process.hrtime.bigint() / 1000n) ^ BigInt(process.pid));

/** Random integer in [0, n] for 0 <= n < 2^32, as Lua 5.4's project(): mask to 2^b-1, retry when above n. */
function project32(n: number): number {
  let lim = n;
  lim |= lim >>> 1; lim |= lim >>> 2; lim |= lim >>> 4; lim |= lim >>> 8; lim |= lim >>> 16;
  lim >>>= 0;
  let r = (outLo & lim) >>> 0;
  while (r > n) {
    nextRand();
    r = (outLo & lim) >>> 0;
  }
  return r;
}

/** The same for any unsigned 64-bit n (rare: intervals wider than 2^32). */
function projectBig(n: bigint): bigint {
  let lim = n;
  for (const s of [1n, 2n, 4n, 8n, 16n, 32n]) lim |= lim >> s;
  const cur = () => ((BigInt(outHi) << 32n) | BigInt(outLo)) & lim;
  let r = cur();
  while (r > n) {
    nextRand();
    r = cur();
  }
  return r;
}

function random(m?: unknown, n?: unknown): number {
  nextRand();
  let low: number, up: number;
  switch (arguments.length) {
    case 0: return ret1((outHi * 2097152 + (outLo >>> 11)) / TWO53); // top 53 bits
    case 1:
      low = 1;
      up = checkInt(arguments, 1, 'random');
      break;
    case 2:
      low = checkInt(arguments, 1, 'random');
      up = checkInt(arguments, 2, 'random');
      break;
    default: throw new LuaError(where(1) + 'wrong number of arguments');
  }
  if (!(low <= up)) throw argError(1, 'random', 'interval is empty');
  const span = up - low;
  if (span < TWO32 && low > -TWO53 && up < TWO53) return ret1(low + project32(span));
  const bl = int64Big(low);
  const r = projectBig(BigInt.asUintN(64, int64Big(up) - bl));
  return ret1(Number(BigInt.asIntN(64, r + bl)));
}

const MAXINT = (1n << 63n) - 1n;
const MININT = -(1n << 63n);

/** An integral double as an int64 BigInt; math.maxinteger (2^63 as a double) means 2^63 - 1. */
function int64Big(x: number): bigint {
  const b = BigInt(x);
  return b > MAXINT ? MAXINT : b < MININT ? MININT : b;
}

function randomseed(x?: unknown, y?: unknown): undefined {
  if (arguments.length === 0) {
    setSeed(BigInt(Date.now()), process.hrtime.bigint() / 1000n);
    return ret0();
  }
  // Lua 5.4 wants integers; floats (os.clock()*1000...) are floored as Lua 5.3 does.
  const n1 = Math.floor(checkNumber(arguments, 1, 'randomseed'));
  const n2 = y === undefined ? 0 : Math.floor(checkNumber(arguments, 2, 'randomseed'));
  setSeed(seedBits(n1), seedBits(n2));
  return ret0();
}

function seedBits(n: number): bigint {
  return Number.isFinite(n) ? BigInt(toInt64(n)) : 0n;
}

export function createMathLib(): LuaTable {
  const lib = new LuaTable();
  const fns: Record<string, unknown> = {
    abs, ceil, floor, fmod, modf, tointeger, type, ult, max, min, log, atan, atan2, pow, ldexp, frexp, random, randomseed,
    cos: unary('cos', Math.cos),
    sin: unary('sin', Math.sin),
    tan: unary('tan', Math.tan),
    acos: unary('acos', Math.acos),
    asin: unary('asin', Math.asin),
    exp: unary('exp', Math.exp),
    sqrt: unary('sqrt', Math.sqrt),
    deg: unary('deg', (x) => x * (180 / Math.PI)),
    rad: unary('rad', (x) => x * (Math.PI / 180)),
    log10: unary('log10', Math.log10),
    cosh: unary('cosh', Math.cosh),
    sinh: unary('sinh', Math.sinh),
    tanh: unary('tanh', Math.tanh),
    pi: Math.PI,
    huge: Infinity,
    // Lua's int64 limits. As doubles both round to ±2^63 (2^63 - 1 is not representable), so
    // maxinteger is really 2^63; math.type still calls them integers.
    maxinteger: 9223372036854775807,
    mininteger: -9223372036854775808,
  };
  for (const [k, v] of Object.entries(fns)) lib.set(k, v);
  return lib;
}
