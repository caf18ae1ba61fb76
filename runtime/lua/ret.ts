// Multiple results: the side channel every Lua function and builtin uses (see docs/architecture.md).
// A call returns its first value directly; RV.n says how many values it produced. When n >= 2, RV.b
// holds the second value, and when n > 2, RV.v holds all of them. Every return sets RV.n, so a caller
// that needs more than the first value reads RV immediately after the call. Two results, the common
// `value, err` and `value, pos` shapes, thus need no array: `local a, b = f()` reads `RV.b`. Arrays in
// RV.v are owned by the receiver but must not be mutated.

export const RV: { n: number; b: unknown; v: unknown[] } = { n: 1, b: undefined, v: [] };

/** Return exactly one value (builtins use this; compiled code inlines `RV.n = 1`). */
export function ret1<T>(v: T): T {
  RV.n = 1;
  return v;
}

/** Return no values. */
export function ret0(): undefined {
  RV.n = 0;
  return undefined;
}

/** Return all values of `vals` (length = result count; trailing nils count). */
export function retN(vals: unknown[]): unknown {
  const n = vals.length;
  RV.n = n;
  if (n > 1) {
    RV.b = vals[1];
    RV.v = vals;
  }
  return vals[0];
}

/**
 * The values a resume sends into a yield: one value is sent as itself, any other number as an array (a JS
 * array is never a Lua value), so a coroutine passing one value per message allocates no array for it.
 */
export function recv(sent: unknown): unknown {
  return Array.isArray(sent) ? retN(sent) : ret1(sent);
}

/**
 * A yield of one value, as resume returns it: `[true, v]` in one shared array. Every consumer of resume's
 * result copies the values out at once (`retN` leaves the second in RV.b; `mv` builds a fresh pair), so
 * the ring's messages allocate no array.
 */
const YIELD1: unknown[] = [true, undefined];
export function yield1(v: unknown): unknown[] {
  YIELD1[1] = v;
  return YIELD1;
}

/** Return two values, the common `value, err` shape. */
export function ret2(a: unknown, b: unknown): unknown {
  RV.n = 2;
  RV.b = b;
  return a;
}

/** All results of the call that just returned `first`, as an array (shared; do not mutate). */
export function mv(first: unknown): unknown[] {
  const n = RV.n;
  if (n === 1) return [first];
  if (n === 0) return [];
  if (n === 2) return [first, RV.b];
  return RV.v;
}
