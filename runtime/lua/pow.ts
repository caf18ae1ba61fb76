// Lua's `^` and math.pow: x^y rounded as C's pow rounds it.
// V8's Math.pow is off by an ulp for common cases (10^-4 → 9.999999999999999e-05, 10^23) where C's pow
// is correctly rounded; with an integer exponent, squaring in double-double arithmetic fixes that.

let ddLo = 0; // low word of the last dd* result (avoids allocating pairs)

/** a * b exactly as hi + ddLo (Dekker's product, no FMA in JS). */
function twoProd(a: number, b: number): number {
  const p = a * b;
  const ca = 134217729 * a, ah = ca - (ca - a), al = a - ah;
  const cb = 134217729 * b, bh = cb - (cb - b), bl = b - bh;
  ddLo = ((ah * bh - p) + ah * bl + al * bh) + al * bl;
  return p;
}

/** (ah + al) * (bh + bl) in double-double; returns hi, low word in ddLo. */
function ddMul(ah: number, al: number, bh: number, bl: number): number {
  const p = twoProd(ah, bh);
  const e = ddLo + (ah * bl + al * bh);
  const hi = p + e;
  ddLo = e - (hi - p);
  return hi;
}

/** x^y with C pow's rounding for integer y; x^0..x^2 (exact in Math.pow), other exponents and extreme results use Math.pow. */
export function luaPow(x: number, y: number): number {
  if (y === 2) return x * x; // one rounding, as C's pow (the common square)
  const r = Math.pow(x, y);
  if (!Number.isInteger(y) || (y >= 0 && y <= 2) || !(Math.abs(r) > 1e-290 && Math.abs(r) < 1e290) || Math.abs(y) > 0x40000000) return r;
  let n = Math.abs(y);
  let bh = x, bl = 0, rh = 1, rl = 0;
  for (;;) {
    if (n % 2 === 1) { rh = ddMul(rh, rl, bh, bl); rl = ddLo; }
    n = Math.floor(n / 2);
    if (n === 0) break;
    bh = ddMul(bh, bl, bh, bl); bl = ddLo;
    if (!Number.isFinite(bh)) return r;
  }
  if (y > 0) return rh + rl;
  // 1 / (rh + rl): first quotient, then correct it by the exact remainder
  const q = 1 / rh;
  const p = twoProd(q, rh);
  const rem = (1 - p - ddLo) - q * rl;
  return q + rem / rh;
}
