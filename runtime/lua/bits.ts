// 64-bit two's-complement bitwise operations on doubles (Wippy: operands are truncated to int64 first).
// Values are split into a signed high and an unsigned low 32-bit half; results are exact while they fit
// in a double's 53-bit mantissa (see docs/semantics.md for the wider case).

const TWO32 = 4294967296;
const TWO63 = 9223372036854775808;

/** Truncate to an int64 value (as a double); out-of-range values wrap like a 64-bit conversion. */
export function toInt64(x: number): number {
  const t = Math.trunc(x);
  if (t >= -TWO63 && t < TWO63) return t;
  if (!Number.isFinite(t)) return 0;
  return Number(BigInt.asIntN(64, BigInt(t)));
}

function hi(x: number): number {
  return Math.floor(x / TWO32) | 0;
}
function lo(x: number): number {
  return (x - Math.floor(x / TWO32) * TWO32) >>> 0;
}
function join(h: number, l: number): number {
  return h * TWO32 + (l >>> 0);
}

export function band64(a: number, b: number): number {
  return join(hi(a) & hi(b), lo(a) & lo(b));
}
export function bor64(a: number, b: number): number {
  return join(hi(a) | hi(b), lo(a) | lo(b));
}
export function bxor64(a: number, b: number): number {
  return join(hi(a) ^ hi(b), lo(a) ^ lo(b));
}

/** a << n; negative n shifts right; |n| >= 64 gives 0. */
export function shl64(a: number, n: number): number {
  if (n < 0) return shr64(a, -n);
  if (n >= 64) return 0;
  return Number(BigInt.asIntN(64, BigInt(a) << BigInt(n)));
}

/** Arithmetic (sign-propagating) a >> n, as in Wippy; negative n shifts left; |n| >= 64 gives 0. */
export function shr64(a: number, n: number): number {
  if (n < 0) return shl64(a, -n);
  if (n >= 64) return 0;
  return Math.floor(a / Math.pow(2, n));
}
