// Runtime support for loops: numeric `for` bound checks, the generic-`for` driver with fast paths for
// `pairs`/`next`/`ipairs` over tables, and the safepoint budget checked on loop back edges.

import { LuaTable, NO_ARRAY, OPEN } from './table.js';
import { siteError, type Site } from './error.js';
import { strToNumber } from './value.js';
import { RV } from './ret.js';
import { callable, type LuaFunction } from './call.js';
import { callG, index } from './ops.js';

function forNumber(v: unknown, what: string, s: Site | undefined): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'string') {
    const n = strToNumber(v);
    if (n !== undefined) return n;
  }
  throw siteError(s, `'for' ${what} must be a number`);
}

export function forstart(v: unknown, s?: Site): number {
  return forNumber(v, 'initial value', s);
}
export function forlimit(v: unknown, s?: Site): number {
  return forNumber(v, 'limit', s);
}
/** A zero step is allowed, as in Lua 5.1–5.3 (Wippy): the loop runs while limit <= i. */
export function forstep(v: unknown, s?: Site): number {
  return forNumber(v, 'step', s);
}

/**
 * Arrays `forfill` makes at once: from this length, where growing one append at a time costs most (above
 * 16K elements V8 moves each larger copy to its large-object space, onto freshly mapped pages), up to a
 * size beyond which the loop stores element by element, as Lua does. Shorter loops run as written: the
 * array made at once is HOLEY in V8's terms, appended ones are PACKED, and a site that sees both kinds is
 * reoptimised for two shapes of array.
 */
const MIN_FILL = 1 << 13, MAX_FILL = 1 << 24;

/**
 * `for i = 1, n do t[i] = K end` (K a literal), the usual way to make an array, when t has nothing in it yet:
 * one array of the final size instead of n appends. Returns false to let the loop run instead: t is not a
 * plain empty table (a metatable may watch the stores), n is not a count of integer steps, or n is out of
 * the range above.
 */
export function forfill(t: unknown, n: number, v: unknown): boolean {
  if (n < MIN_FILL || n > MAX_FILL || !(t instanceof LuaTable) || t.arr.length !== 0 || t.hash !== null || t.mt !== null || t.lock !== OPEN) return false;
  const old = spare;
  if (old !== null && old.length === n) {
    spare = null;
    t.arr = old.fill(v);
  } else t.arr = new Array(n).fill(v);
  return true;
}

/** The array of the last scratch table that died, kept for the next fill of its length. */
let spare: unknown[] | null = null;
/** Larger arrays are left to the GC: a spare is memory held for as long as no fill takes it. */
const MAX_SPARE = 1 << 20;

/**
 * A scratch table's function is returning (compiler/analyse/scratch.ts): nothing else can reach the table,
 * so its array may serve the next `forfill` of the same length. A fresh large array costs a page fault per
 * 4 KB in V8's large-object space; a recycled one is already mapped.
 */
export function recycle(t: LuaTable): void {
  const a = t.arr;
  if (a.length < MIN_FILL || a.length > MAX_SPARE || t.mt !== null) return;
  t.arr = NO_ARRAY;
  spare = a;
}

/** Identity of the builtins whose loops run without calls (set by the base library). */
export const iterators: { next: unknown; ipairsStep: unknown } = { next: undefined, ipairsStep: undefined };

/** The state of one generic `for` loop. */
export class ForIn {
  key: unknown = undefined;
  value: unknown = undefined;
  private rest: unknown[] | null = null;
  private i = 0;
  private slot = 0;
  private it: Iterator<[unknown, unknown]> | null = null;
  private mode: 0 | 1 | 2; // 0 generic, 1 table traversal, 2 array traversal
  constructor(private f: unknown, private s: unknown, private c: unknown) {
    if (f === iterators.next && s instanceof LuaTable && c === undefined) this.mode = 1;
    else if (f === iterators.ipairsStep && s instanceof LuaTable && c === 0) this.mode = 2;
    else this.mode = 0;
  }

  step(): boolean {
    if (this.mode === 1) return this.stepTable();
    if (this.mode === 2) return this.stepArray();
    const r = (typeof this.f === 'function' ? (this.f as LuaFunction) : callable(this.f))(this.s, this.c);
    return this.took(r);
  }

  *stepG(): Generator<unknown, boolean, unknown> {
    if (this.mode !== 0) return this.step();
    const r = yield* callG(this.f, this.s, this.c);
    return this.took(r);
  }

  extra(n: number): unknown {
    return this.rest !== null ? this.rest[n] : undefined;
  }

  private took(r: unknown): boolean {
    if (r === undefined) return false;
    const n = RV.n;
    this.key = this.c = r;
    this.value = n >= 2 ? RV.b : undefined;
    this.rest = n > 2 ? RV.v : null;
    return true;
  }

  /**
   * pairs/next: array part by index, then shaped string keys by slot, then the Map through a live
   * iterator (all stable under deletion, which leaves tombstones).
   */
  private stepTable(): boolean {
    const t = this.s as LuaTable;
    const a = t.arr;
    while (this.i < a.length) {
      const v = a[this.i++];
      if (v !== undefined) {
        this.key = this.i;
        this.value = v;
        return true;
      }
    }
    const sh = t.shape;
    if (sh !== null) {
      while (this.slot < sh.keys.length) {
        const v = t.slots[this.slot++];
        if (v !== undefined) {
          this.key = sh.keys[this.slot - 1];
          this.value = v;
          return true;
        }
      }
    }
    if (this.it === null) {
      if (t.hash === null) return false;
      this.it = t.hash.entries();
    }
    for (;;) {
      const r = this.it.next();
      if (r.done) return false;
      if (r.value[1] !== undefined) {
        this.key = r.value[0];
        this.value = r.value[1];
        return true;
      }
    }
  }

  /** ipairs: 1, 2, ... until nil, honouring __index like Lua 5.3. */
  private stepArray(): boolean {
    const t = this.s as LuaTable;
    const k = ++this.i;
    const v = t.mt === null ? t.getInt(k) : index(t, k);
    if (v === undefined) return false;
    this.key = k;
    this.value = v;
    return true;
  }
}

export function forin(triple: unknown[], _s?: Site): ForIn {
  return new ForIn(triple[0], triple[1], triple[2]);
}

/** Loop budget: compiled loops decrement `B.n` and call `tick()` when it runs out. */
export const B = { n: 1_000_000 };
/** Set by hosts that enforce timeouts or cancellation (the process host); called at safepoints. */
export const tickHooks: { onTick: (() => unknown) | null } = { onTick: null };

/**
 * Budget ran out: reset it and ask the host. The host may throw (timeout, cancellation) or return a
 * suspension that generator-mode code yields so other actors get a turn; plain code ignores it.
 */
export function tick(): unknown {
  B.n = 1_000_000;
  return tickHooks.onTick !== null ? tickHooks.onTick() : undefined;
}


/**
 * Iterations of an integer loop (start and step integral), computed up front like Lua 5.3 does so a
 * loop near 2^53 or to math.huge still ends; -1 marks a float loop, which compares on every step.
 */
export function forcount(start: number, limit: number, step: number): number {
  if (!Number.isInteger(start) || !Number.isInteger(step) || step === 0) return -1;
  if (limit !== limit) return 0;
  const n = step > 0 ? Math.floor((Math.floor(limit) - start) / step) + 1 : Math.floor((start - Math.ceil(limit)) / -step) + 1;
  return n > 0 ? n : 0;
}
