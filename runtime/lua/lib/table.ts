// The `table` library: Lua 5.3's functions (move too, though Wippy lists only the others) plus 5.1's getn/maxn and Wippy's create/make_immutable/is_immutable.
// Plain tables (no __index/__newindex/__len) are worked on through their array part directly; anything else
// goes through index/setindex/len from ops.ts, like PUC's lua_geti/lua_seti/luaL_len.

import { LuaError, where } from '../error.js';
import { LuaTable } from '../table.js';
import { luaType, numberToString } from '../value.js';
import { ret0, ret1, retN } from '../ret.js';
import type { LuaFunction } from '../call.js';
import { co } from '../coroutine.js';
import { eq, index, len, lt, setindex, truthy } from '../ops.js';
import { getMetatable, metamethod } from '../meta.js';
import { argError, checkInt, checkTable, optInt, optString, typeError } from './args.js';

/** Most values table.unpack may return (PUC's limit is the C stack size, about 1e6). */
const MAX_UNPACK = 1e6;

function fail(msg: string): LuaError {
  return new LuaError(where(1) + msg);
}

/** A table whose array part may be used directly: no metamethod can observe or redirect t[i]. */
function isPlain(t: unknown): t is LuaTable {
  if (!(t instanceof LuaTable)) return false;
  const mt = t.mt;
  return mt === null || (mt.getStr('__index') === undefined && mt.getStr('__newindex') === undefined && mt.getStr('__len') === undefined);
}

/**
 * PUC's checktab: a table, or any value whose metatable provides the operations the function needs
 * (r: __index, w: __newindex, l: __len).
 */
function checkTab(args: ArrayLike<unknown>, i: number, fname: string, r: boolean, w: boolean, l = true): unknown {
  const v = args[i - 1];
  if (v instanceof LuaTable) return v;
  const mt = getMetatable(v);
  if (mt !== null && (!r || mt.getStr('__index') !== undefined) && (!w || mt.getStr('__newindex') !== undefined) && (!l || mt.getStr('__len') !== undefined)) {
    return v;
  }
  throw typeError(args, i, fname, 'table');
}

/** luaL_len: `#t` with __len, which must give an integer. */
function lengthOf(t: unknown): number {
  const n = len(t);
  if (typeof n === 'number' && Number.isInteger(n)) return n;
  throw fail('object length is not an integer');
}

function checkWritable(t: unknown, what: string): void {
  if (t instanceof LuaTable && t.frozen) throw fail(`attempt to ${what} immutable table`);
}

// ---- insert / remove ----

function insert(t: unknown, a?: unknown, b?: unknown): undefined {
  const nargs = arguments.length;
  if (isPlain(t) && nargs === 2 && !t.frozen) {
    t.set(t.arr.length + 1, a); // the common append: O(1) amortised
    return ret0();
  }
  checkTab(arguments, 1, 'insert', true, true);
  checkWritable(t, 'insert into');
  const e = lengthOf(t) + 1; // first empty slot
  if (nargs === 2) {
    setindex(t, e, a);
    return ret0();
  }
  if (nargs !== 3) throw fail("wrong number of arguments to 'insert'");
  const pos = checkInt(arguments, 2, 'insert');
  if (pos < 1 || pos > e) throw argError(2, 'insert', 'position out of bounds');
  if (isPlain(t)) insertPlain(t, pos, b);
  else {
    for (let i = e; i > pos; i--) setindex(t, i, index(t, i - 1));
    setindex(t, pos, b);
  }
  return ret0();
}

function insertPlain(t: LuaTable, pos: number, v: unknown): void {
  const a = t.arr;
  const n = a.length;
  if (pos === n + 1) {
    t.set(pos, v);
    return;
  }
  t.set(n + 1, a[n - 1]); // grow through set() so keys waiting in the hash part migrate
  a.copyWithin(pos, pos - 1, n - 1);
  a[pos - 1] = v; // pos <= n, so never the last slot: a nil here leaves a hole, not a bad border
}

function remove(t: unknown, p?: unknown): unknown {
  checkTab(arguments, 1, 'remove', true, true);
  checkWritable(t, 'remove from');
  const size = lengthOf(t);
  let pos = size;
  if (arguments.length >= 2 && p !== undefined) {
    pos = checkInt(arguments, 2, 'remove');
    // Lua 5.3 and 5.4 both blame argument #1 here.
    if (pos !== size && (pos < 1 || pos > size + 1)) throw argError(1, 'remove', 'position out of bounds');
  }
  if (isPlain(t) && pos >= 1 && pos <= size) {
    const a = t.arr;
    const v = a[pos - 1];
    if (pos < size) a.copyWithin(pos - 1, pos, size);
    t.set(size, undefined); // drops the last slot (and any nils before it)
    return ret1(v);
  }
  const v = index(t, pos);
  for (; pos < size; pos++) setindex(t, pos, index(t, pos + 1));
  setindex(t, pos, undefined);
  return ret1(v);
}

/** table.move(a1, f, e, t [, a2]): a2[t..] = a1[f..e], copying backwards when the ranges overlap upwards. */
function move(a1: unknown, fv: unknown, ev: unknown, tv: unknown, a2?: unknown): unknown {
  const f = checkInt(arguments, 2, 'move');
  const e = checkInt(arguments, 3, 'move');
  const t = checkInt(arguments, 4, 'move');
  const dstArg = a2 !== undefined ? 5 : 1;
  checkTab(arguments, 1, 'move', true, false, false);
  const dst = checkTab(arguments, dstArg, 'move', false, true, false);
  if (e >= f) {
    if (!(f > 0 || e < MAXINT + f)) throw argError(3, 'move', 'too many elements to move');
    const n = e - f + 1;
    if (!(t <= MAXINT - n + 1)) throw argError(4, 'move', 'destination wrap around');
    checkWritable(dst, 'move into');
    if (t > e || t <= f || (dstArg !== 1 && !eq(a1, dst))) {
      for (let i = 0; i < n; i++) setindex(dst, t + i, index(a1, f + i));
    } else {
      for (let i = n - 1; i >= 0; i--) setindex(dst, t + i, index(a1, f + i));
    }
  }
  return ret1(dst);
}

/** math.maxinteger as a double (2^63): the bounds checks of move only need to stop absurd ranges. */
const MAXINT = 9223372036854775807;

// ---- concat / unpack / pack ----

// The wording of the installed lua5.3 (5.3.6) and lua5.4 (5.4.4) binaries.
function concatError(v: unknown, i: number): LuaError {
  return fail(`invalid value (${luaType(v)}) at index ${i} in table for 'concat'`);
}

function concat(t: unknown): string {
  checkTab(arguments, 1, 'concat', true, false);
  let last = lengthOf(t);
  const sep = optString(arguments, 2, 'concat', '');
  const first = optInt(arguments, 3, 'concat', 1);
  last = optInt(arguments, 4, 'concat', last);
  if (first > last) return ret1('');
  const plain = isPlain(t);
  // The whole array part, all strings (the common string builder): joined as it is, no copy.
  if (plain && first === 1 && last === (t as LuaTable).arr.length && allStrings((t as LuaTable).arr)) return ret1((t as LuaTable).arr.join(sep));
  const parts: string[] = [];
  for (let i = first; i <= last; i++) {
    const v = plain ? (t as LuaTable).getInt(i) : index(t, i);
    if (typeof v === 'string') parts.push(v);
    else if (typeof v === 'number') parts.push(numberToString(v));
    else throw concatError(v, i);
  }
  return ret1(parts.join(sep));
}

function allStrings(a: unknown[]): boolean {
  for (let i = 0; i < a.length; i++) if (typeof a[i] !== 'string') return false;
  return true;
}

/** Named 'table.unpack' in errors: a bare 'unpack' would be taken for string.unpack. */
function unpack(t: unknown): unknown {
  const i = optInt(arguments, 2, 'table.unpack', 1);
  const e = arguments.length >= 3 && arguments[2] !== undefined ? checkInt(arguments, 3, 'table.unpack') : lengthOf(t);
  if (i > e) return ret0();
  if (e - i >= MAX_UNPACK) throw fail('too many results to unpack');
  const n = e - i + 1;
  if (isPlain(t) && i === 1 && e === t.arr.length) return retN(t.arr.slice());
  const out: unknown[] = new Array(n);
  if (t instanceof LuaTable && t.mt === null) {
    for (let k = 0; k < n; k++) out[k] = t.getInt(i + k);
  } else {
    for (let k = 0; k < n; k++) out[k] = index(t, i + k);
  }
  return retN(out);
}

function pack(...vals: unknown[]): LuaTable {
  const t = LuaTable.from(vals); // nils in the middle stay as holes of the array part
  t.set('n', vals.length);
  return ret1(t);
}

// ---- 5.1 leftovers and Wippy extensions ----

function getn(t: unknown): number {
  return ret1(checkTable(arguments, 1, 'getn').arr.length);
}

function maxn(t: unknown): number {
  const tab = checkTable(arguments, 1, 'maxn');
  let max = tab.arr.length;
  for (const [k] of tab.entries()) if (typeof k === 'number' && k > max) max = k;
  return ret1(max);
}

function create(): LuaTable {
  optInt(arguments, 1, 'table.create', 0);
  optInt(arguments, 2, 'table.create', 0);
  return ret1(new LuaTable());
}

function makeImmutable(t: unknown): LuaTable {
  const tab = checkTable(arguments, 1, 'make_immutable');
  tab.freeze();
  return ret1(tab);
}

function isImmutable(t: unknown): boolean {
  return ret1(checkTable(arguments, 1, 'is_immutable').frozen);
}

// ---- sort ----

type Less = (a: unknown, b: unknown) => boolean;

/** Accessors for the generic (metamethod-respecting) sort path. */
interface Slots {
  get(i: number): unknown;
  set(i: number, v: unknown): void;
}

const RANLIMIT = 100;

function randomPivotSeed(): number {
  return (Math.random() * 0x100000000) >>> 0;
}

/**
 * PUC Lua 5.3's auxsort on a JS array (1-based positions lo..up map to a[lo-1]..a[up-1]): median-of-three
 * pivot, recursion on the smaller half, randomised pivots once a partition turns out badly unbalanced.
 */
function sortArray(a: unknown[], lo: number, up: number, less: Less, rnd: number): void {
  while (lo < up) {
    if (less(a[up - 1], a[lo - 1])) swap(a, lo, up);
    if (up - lo === 1) break;
    let p = up - lo < RANLIMIT || rnd === 0 ? Math.floor((lo + up) / 2) : choosePivot(lo, up, rnd);
    if (less(a[p - 1], a[lo - 1])) swap(a, p, lo);
    else if (less(a[up - 1], a[p - 1])) swap(a, p, up);
    if (up - lo === 2) break;
    const pivot = a[p - 1];
    swap(a, p, up - 1);
    p = partitionArray(a, lo, up, pivot, less);
    let n: number;
    if (p - lo < up - p) {
      sortArray(a, lo, p - 1, less, rnd);
      n = p - lo;
      lo = p + 1;
    } else {
      sortArray(a, p + 1, up, less, rnd);
      n = up - p;
      up = p - 1;
    }
    if ((up - lo) / 128 > n) rnd = randomPivotSeed();
  }
}

function swap(a: unknown[], i: number, j: number): void {
  const t = a[i - 1];
  a[i - 1] = a[j - 1];
  a[j - 1] = t;
}

function choosePivot(lo: number, up: number, rnd: number): number {
  const r4 = Math.floor((up - lo) / 4);
  return (rnd % (r4 * 2)) + lo + r4;
}

/** Invariant: a[lo..i] <= P <= a[j..up], a[up-1] == P. */
function partitionArray(a: unknown[], lo: number, up: number, pivot: unknown, less: Less): number {
  let i = lo, j = up - 1;
  for (;;) {
    while (less(a[++i - 1], pivot)) {
      if (i === up - 1) throw fail('invalid order function for sorting');
    }
    while (less(pivot, a[--j - 1])) {
      if (j < i) throw fail('invalid order function for sorting');
    }
    if (j < i) {
      swap(a, up - 1, i);
      return i;
    }
    swap(a, i, j);
  }
}

/** The same algorithm through index/setindex, with PUC's exact sequence of reads and writes. */
function sortSlots(s: Slots, lo: number, up: number, less: Less, rnd: number): void {
  while (lo < up) {
    let alo = s.get(lo), aup = s.get(up);
    if (less(aup, alo)) { s.set(lo, aup); s.set(up, alo); }
    if (up - lo === 1) break;
    let p = up - lo < RANLIMIT || rnd === 0 ? Math.floor((lo + up) / 2) : choosePivot(lo, up, rnd);
    const ap = s.get(p);
    alo = s.get(lo);
    if (less(ap, alo)) { s.set(p, alo); s.set(lo, ap); }
    else {
      aup = s.get(up);
      if (less(aup, ap)) { s.set(p, aup); s.set(up, ap); }
    }
    if (up - lo === 2) break;
    const pivot = s.get(p);
    s.set(p, s.get(up - 1));
    s.set(up - 1, pivot);
    p = partitionSlots(s, lo, up, pivot, less);
    let n: number;
    if (p - lo < up - p) {
      sortSlots(s, lo, p - 1, less, rnd);
      n = p - lo;
      lo = p + 1;
    } else {
      sortSlots(s, p + 1, up, less, rnd);
      n = up - p;
      up = p - 1;
    }
    if ((up - lo) / 128 > n) rnd = randomPivotSeed();
  }
}

function partitionSlots(s: Slots, lo: number, up: number, pivot: unknown, less: Less): number {
  let i = lo, j = up - 1;
  for (;;) {
    let ai: unknown, aj: unknown;
    while (less((ai = s.get(++i)), pivot)) {
      if (i === up - 1) throw fail('invalid order function for sorting');
    }
    while (less(pivot, (aj = s.get(--j)))) {
      if (j < i) throw fail('invalid order function for sorting');
    }
    if (j < i) {
      s.set(up - 1, ai);
      s.set(i, pivot);
      return i;
    }
    s.set(i, aj);
    s.set(j, ai);
  }
}

/** The default order: `<`, but a failed comparison has no position (PUC raises it inside C sort). */
function sortLt(a: unknown, b: unknown): boolean {
  if (typeof a === 'number' && typeof b === 'number') return a < b;
  if (typeof a === 'string' && typeof b === 'string') return a < b;
  return sortLtMeta(a, b);
}

function sortLtMeta(a: unknown, b: unknown): boolean {
  if (metamethod(a, '__lt') === undefined && metamethod(b, '__lt') === undefined) {
    const ta = luaType(a), tb = luaType(b);
    throw new LuaError(ta === tb ? `attempt to compare two ${ta} values` : `attempt to compare ${ta} with ${tb}`);
  }
  return lt(a, b);
}

function sort(t: unknown, comp?: unknown): undefined {
  checkTab(arguments, 1, 'sort', true, true);
  checkWritable(t, 'sort');
  const n = lengthOf(t);
  if (n <= 1) return ret0();
  if (n >= 0x7fffffff) throw argError(1, 'sort', 'array too big');
  let less: Less = sortLt;
  if (comp !== undefined) {
    if (typeof comp !== 'function') throw typeError(arguments, 2, 'sort', 'function');
    // comp is a JS function (checked above): what call() would do, minus its rest-argument array.
    less = (a, b) => truthy((comp as LuaFunction)(a, b));
  }
  // The comparator and metamethods run inside a C call in PUC Lua: `coroutine.isyieldable()` is false there.
  co.nny++;
  try {
    if (isPlain(t)) {
      const a = t.arr;
      sortArray(a, 1, n, less, 0);
      // A comparator that shrank the table mid-sort could leave trailing nils: restore the border.
      while (a.length > 0 && a[a.length - 1] === undefined) a.pop();
    } else {
      sortSlots({ get: (i) => index(t, i), set: (i, v) => setindex(t, i, v) }, 1, n, less, 0);
    }
  } finally {
    co.nny--;
  }
  return ret0();
}

export function createTableLib(): LuaTable {
  const lib = new LuaTable();
  const fns: Record<string, (...args: any[]) => unknown> = {
    insert, remove, move, concat, sort, unpack, pack, getn, maxn, create,
    make_immutable: makeImmutable,
    is_immutable: isImmutable,
  };
  for (const [k, f] of Object.entries(fns)) lib.set(k, f);
  return lib;
}
