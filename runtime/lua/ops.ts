// Lua operators with metamethods. Each operator has a fast path small enough for V8 to inline into
// compiled code and a separate slow path. Generator-mode code (inside coroutines) uses the `Q` variants,
// which return MM instead of calling a metamethod that could yield, and then runs the `G` generator.

import { EMPTY_SHAPE, FROZEN, LuaTable, OPEN, PROTO, WATCHED, type Shape } from './table.js';
import { LuaObject, luaType as rawType, numberToString, toNumber } from './value.js';
import { siteError, type Site, LuaError, NO_SHAPE } from './error.js';
import { metamethod } from './meta.js';
import { callable, type LuaFunction } from './call.js';
import { toInt64, band64, bor64, bxor64, shl64, shr64 } from './bits.js';
import { luaPow } from './pow.js';

/** Marker returned by `Q` operators: a metamethod with a generator twin must run. */
export const MM: unique symbol = Symbol('metamethod');

type GenFn = LuaFunction & { G?: (...args: any[]) => Generator<unknown, unknown, unknown> };

const what = (w: string | undefined) => (w ? ` (${w})` : '');

/** Type name for error messages: a string `__name` in the metatable wins, as in PUC Lua. */
function luaType(v: unknown): string {
  if (v instanceof LuaTable || v instanceof LuaObject) {
    const n = v.mt?.getStr('__name');
    if (typeof n === 'string') return n;
  }
  return rawType(v);
}

export function truthy(v: unknown): boolean {
  return v !== undefined && v !== false;
}

/** Call a metamethod and keep its first result. */
function mmCall(h: unknown, a: unknown, b: unknown): unknown {
  return (typeof h === 'function' ? (h as LuaFunction) : callable(h))(a, b);
}

function hasG(h: unknown): boolean {
  return typeof h === 'function' && (h as GenFn).G !== undefined;
}

/** Call any Lua value in generator mode: its generator twin if it has one, else a plain call. */
export function* callG(f: unknown, ...args: unknown[]): Generator<unknown, unknown, unknown> {
  if (typeof f === 'function') {
    const g = (f as GenFn).G;
    return g !== undefined ? yield* g(...args) : (f as LuaFunction)(...args);
  }
  const mm = metamethod(f, '__call');
  if (mm === undefined) return callable(f)(...args); // raises the error
  return yield* callG(mm, f, ...args);
}

// ---- indexing ----

export function index(t: unknown, k: unknown, s?: Site): unknown {
  if (t instanceof LuaTable) {
    const v = t.get(k);
    if (v !== undefined || t.mt === null) return v;
  }
  return indexSlow(t, k, s, false);
}

/** The slot of key k in shape sh (-1: absent), through the site's two-entry inline cache. */
function ownSlot(sh: Shape, k: string, s: Site | undefined): number {
  if (s === undefined) return sh.index.get(k) ?? -1;
  if (s.shape === sh) return s.slot;
  if (s.shape2 === sh) return s.slot2;
  const i = sh.index.get(k) ?? -1;
  s.shape2 = s.shape;
  s.slot2 = s.slot;
  s.shape = sh;
  s.slot = i;
  return i;
}

/** Raw t[k] for a string key, caching the slot for shape-laid-out tables in `chain[at]`, `chain[at + 1]`. */
function cachedGet(t: LuaTable, k: string, chain: unknown[], at: number): unknown {
  const sh = t.shape;
  if (sh === null) return t.hash === null ? undefined : t.hash.get(k);
  let slot: number;
  if (chain[at] === sh) slot = chain[at + 1] as number;
  else {
    slot = sh.index.get(k) ?? -1;
    chain[at] = sh;
    chain[at + 1] = slot;
  }
  return slot >= 0 ? t.slots[slot] : undefined;
}

/** Class chains deeper than this take the generic path. */
const MAX_CACHED_LEVELS = 6;

/** chainGet's answer when a handler is a function or the chain is deeper than it caches. */
const GENERIC = Symbol('generic');

/**
 * t.k through t's `__index` tables when t's own value is nil, with the slot of `__index` in each
 * metatable and of k in each table cached on the site (`chain`, 4 entries per level).
 */
function chainGet(t: LuaTable, k: string, s: Site): unknown {
  const chain = (s.chain ??= []);
  let tbl: LuaTable = t;
  for (let level = 0; level < MAX_CACHED_LEVELS; level++) {
    const mt = tbl.mt;
    if (mt === null) return undefined;
    const idx = cachedGet(mt, '__index', chain, level * 4);
    if (idx === undefined) return undefined;
    if (!(idx instanceof LuaTable)) return GENERIC;
    const v = cachedGet(idx, k, chain, level * 4 + 2);
    if (v !== undefined) return v;
    tbl = idx;
  }
  return GENERIC;
}

/**
 * t.k for a constant string key, where a compiled site's inline test failed. Small enough for TurboFan to
 * inline into a hot site: it answers the usual miss, a key of the site's shape whose value is nil (a field
 * not set yet or cleared, or one that layout lacks), when the table has no metatable or when the prototype
 * path the site learnt still holds. Everything else goes to indexStrFull.
 */
export function indexStr(t: unknown, k: string, s?: Site): unknown {
  if (s !== undefined && t instanceof LuaTable && t.shape === s.shape && t.shape !== null) {
    const v = s.slot >= 0 ? t.slots[s.slot] : undefined;
    if (v !== undefined) return v;
    const mt = t.mt;
    if (mt === null) return undefined;
    if (pathHolds(mt, s)) return s.pholder!.slots[s.pslot];
  }
  return indexStrFull(t, k, s);
}

/**
 * t.k for a constant string key, with the site's inline caches: the key's slot in the table's shape;
 * for a nil own value, the prototype path the site learnt (learnProto), else the per-level slots of
 * `__index` and of the key along the chain (chainGet), so a warm lookup hashes nothing.
 */
function indexStrFull(t: unknown, k: string, s?: Site): unknown {
  if (t instanceof LuaTable) {
    let v: unknown;
    const sh = t.shape;
    if (sh !== null) {
      const i = ownSlot(sh, k, s);
      if (i >= 0) v = t.slots[i];
    } else if (t.hash !== null) v = t.hash.get(k);
    const tmt = t.mt;
    if (v !== undefined || tmt === null) return v;
    if (s !== undefined) {
      // The own value is nil: the last path through the prototypes gives the answer while it holds.
      if (pathHolds(tmt, s)) return s.pholder!.slots[s.pslot];
      v = chainGet(t, k, s);
      if (s.plearnt < MAX_PROTO_LEARNT) learnProto(t, k, s);
      if (v !== GENERIC) return v;
    }
  } else if (t instanceof LuaObject && s !== undefined) {
    // Host objects (channels, messages, times…): methods live in their class's `__index` table. Classes
    // are frozen, so the method found for a metatable can be cached on the site as it is.
    const mt = t.mt;
    if (mt === null) return indexSlow(t, k, s, false);
    if (s.umt === mt) return s.uval;
    const chain = (s.chain ??= []);
    const idx = cachedGet(mt, '__index', chain, 0);
    if (idx instanceof LuaTable) {
      const v = cachedGet(idx, k, chain, 2);
      if (v !== undefined) {
        if (mt.frozen && idx.frozen) {
          s.umt = mt;
          s.uval = v;
        }
        return v;
      }
    }
  }
  return indexSlow(t, k, s, false);
}

/**
 * The callee of `obj:name(...)` when the call site's inline check (its last prototype path, see
 * learnProto) missed. A site that meets objects of several classes keeps a few more such paths, valid
 * for the epoch it learnt them in; otherwise the method is looked up in full (which learns its path).
 */
export function method(o: unknown, k: string, s: Site): unknown {
  if (o instanceof LuaTable) {
    const paths = s.mpaths as MethodPath[] | null;
    const mt = o.mt;
    if (paths !== null && mt !== null && s.mepoch === PROTO.epoch) {
      for (let i = 0; i < paths.length; i++) {
        const p = paths[i]!;
        if (o.shape === p.own && leadsTo(mt, p.mtshape, p.mtslot, p.proto)) {
          const f = p.holder.slots[p.slot];
          if (typeof f === 'function') return f;
        }
      }
    }
  }
  const f = indexStr(o, k, s);
  if (typeof f === 'function' && o instanceof LuaTable && s.mlearnt < MAX_METHOD_RELEARN) keepPath(o, k, s);
  return f;
}

/**
 * Does metatable `mt` start a learnt prototype path: its layout is `mtshape` and its `__index` (at `mtslot`)
 * is `proto`? Compiled method calls write the same test inline (codegen/call.ts).
 */
function leadsTo(mt: LuaTable, mtshape: unknown, mtslot: number, proto: unknown): boolean {
  return mt.shape === mtshape && mt.slots[mtslot] === proto;
}

/** The prototype path site `s` learnt starts at `mt` and is still valid (no watched prototype changed since). */
function pathHolds(mt: LuaTable, s: Site): boolean {
  return leadsTo(mt, s.pmtshape, s.pmtslot, s.pproto) && s.pepoch === PROTO.epoch;
}

/** No `__newindex` can apply under metatable `mt`: there is none, or its layout lacks the key. */
function noNewindex(mt: LuaTable | null): boolean {
  return mt === null || (mt.shape !== null && !mt.shape.newindex);
}

/** One path of a polymorphic method call site: the fields learnProto leaves on the site. */
class MethodPath {
  constructor(readonly own: unknown, readonly mtshape: unknown, readonly mtslot: number, readonly proto: unknown,
    readonly holder: { slots: unknown[] }, readonly slot: number) {}
}

/** How many paths one call site learns before it stops trying. */
const MAX_METHOD_RELEARN = 8;

/** How many paths a call site keeps: a method called on objects of a few classes (polymorphic `self`). */
const MAX_METHOD_PATHS = 4;

/**
 * Add o's method path to the site's list, when the site's prototype path serves o's metatable (indexStr
 * has just used or learnt it) and o's own layout lacks the key.
 */
function keepPath(o: LuaTable, k: string, s: Site): void {
  const mt = o.mt, own = o.shape;
  if (mt === null || own === null || own.index.has(k) || !pathHolds(mt, s)) return;
  s.mlearnt++;
  if (s.mepoch !== PROTO.epoch) {
    s.mpaths = [];
    s.mepoch = PROTO.epoch;
  }
  const paths = (s.mpaths ??= []) as MethodPath[];
  const p = new MethodPath(own, s.pmtshape, s.pmtslot, s.pproto, s.pholder!, s.pslot);
  if (paths.length < MAX_METHOD_PATHS) paths.push(p);
  else paths[s.mlearnt % MAX_METHOD_PATHS] = p;
}

/** How many times a site learns a path through prototypes (each change of PROTO.epoch costs one). */
const MAX_PROTO_LEARNT = 16;

/** Levels of `__index` tables a remembered path may cross. */
const MAX_PROTO_LEVELS = 8;

/** Where a path that found nothing points: a table whose one slot stays empty. */
const NOWHERE = LuaTable.record(EMPTY_SHAPE, [undefined]);
NOWHERE.freeze();

/**
 * Remember on site s where t.k was found (or that it was found nowhere) through t's prototypes, for
 * lookups of k in tables whose own value is nil. The path starts at t's metatable, tested by shape and
 * by the identity of its `__index` table (so objects that each have their own metatable share it); the
 * tables after that are marked WATCHED, so a change that could alter the outcome moves PROTO.epoch. Paths
 * through a function handler, a dictionary-mode holder or more than MAX_PROTO_LEVELS tables are not kept.
 */
function learnProto(t: LuaTable, k: string, s: Site): void {
  const mt = t.mt!, msh = mt.shape;
  if (msh === null) return;
  const at = msh.index.get('__index');
  if (at === undefined) return;
  const proto = mt.slots[at];
  if (!(proto instanceof LuaTable)) return;
  const path: LuaTable[] = [];
  let holder: LuaTable | null = null, slot = 0;
  for (let p: LuaTable = proto, level = 0; holder === null; level++) {
    if (level === MAX_PROTO_LEVELS) return;
    path.push(p);
    const sh = p.shape;
    const i = sh === null ? undefined : sh.index.get(k);
    if (i !== undefined && p.slots[i] !== undefined) {
      holder = p;
      slot = i;
      break;
    }
    if (sh === null && p.hash !== null && p.hash.get(k) !== undefined) return; // no slot to read it from
    const m = p.mt;
    const next = m === null ? undefined : m.getStr('__index');
    if (next === undefined) holder = NOWHERE;
    else if (!(next instanceof LuaTable)) return;
    else {
      path.push(m!);
      p = next;
    }
  }
  for (const p of path) if (p.lock === OPEN) p.lock = WATCHED;
  s.plearnt++;
  s.pmtshape = msh;
  s.pmtslot = at;
  s.pproto = proto;
  s.pholder = holder;
  s.pslot = slot;
  s.pepoch = PROTO.epoch;
  const own = t.shape;
  s.pshape = own !== null && !own.index.has(k) ? own : NO_SHAPE;
}

/**
 * t.k = v for a constant string key, where a compiled site's inline test failed. Small enough to inline,
 * like indexStr: a key of the site's shape whose value is nil is written in place when no `__newindex` can
 * apply (no metatable, or one whose layout has no such key). Everything else goes to setindexStrFull.
 */
export function setindexStr(t: unknown, k: string, v: unknown, s?: Site): void {
  if (s !== undefined && t instanceof LuaTable && t.shape === s.shape && s.slot >= 0 && t.lock === OPEN) {
    if (noNewindex(t.mt) || t.slots[s.slot] !== undefined) {
      t.slots[s.slot] = v;
      return;
    }
  }
  setindexStrFull(t, k, v, s);
}

/** t.k = v for a constant string key: an existing key of a cached shape is written in place. */
function setindexStrFull(t: unknown, k: string, v: unknown, s?: Site): void {
  if (t instanceof LuaTable && t.lock !== FROZEN) {
    const sh = t.shape, mt = t.mt;
    const raw = noNewindex(mt);
    if (sh !== null) {
      // An existing key is written in place (a present value means no __newindex applies either).
      const i = ownSlot(sh, k, s);
      if (i >= 0 && (raw || t.slots[i] !== undefined)) {
        if (t.lock === OPEN) t.slots[i] = v;
        else t.setStr(k, v); // a prototype: setStr tells the caches when it matters
        return;
      }
    }
    if (raw) {
      t.setStr(k, v);
      return;
    }
  }
  setSlow(t, k, v, s, false);
}

/** The `__index` handler of `t` for a missing key (undefined: none; raw nil result). */
function indexHandler(t: unknown, s: Site | undefined, named = true): unknown {
  if (t instanceof LuaTable) {
    const mt = t.mt;
    return mt === null ? undefined : mt.getStr('__index');
  }
  const h = metamethod(t, '__index');
  if (h === undefined) throw indexError(t, s, named);
  return h;
}

/** `attempt to index a T value`, naming the variable only for the value it holds, not a handler found on the way. */
function indexError(t: unknown, s: Site | undefined, named: boolean): LuaError {
  return siteError(s, `attempt to index a ${luaType(t)} value${named ? what(s?.what) : ''}`);
}

function indexSlow(t: unknown, k: unknown, s: Site | undefined, quick: boolean): unknown {
  for (let loop = 0; loop < 2000; loop++) {
    if (t instanceof LuaTable) {
      const v = t.get(k);
      if (v !== undefined) return v;
    }
    const h = indexHandler(t, s, loop === 0);
    if (h === undefined) return undefined;
    if (typeof h === 'function') {
      if (quick && hasG(h)) return MM;
      return (h as LuaFunction)(t, k);
    }
    t = h;
  }
  throw siteError(s, "'__index' chain too long; possible loop");
}

export function indexQ(t: unknown, k: unknown, s?: Site): unknown {
  if (t instanceof LuaTable) {
    const v = t.get(k);
    if (v !== undefined || t.mt === null) return v;
  }
  return indexSlow(t, k, s, true);
}

export function* indexG(t: unknown, k: unknown, s?: Site): Generator<unknown, unknown, unknown> {
  for (let loop = 0; loop < 2000; loop++) {
    if (t instanceof LuaTable) {
      const v = t.get(k);
      if (v !== undefined) return v;
    }
    const h = indexHandler(t, s, loop === 0);
    if (h === undefined) return undefined;
    if (typeof h === 'function') return yield* callG(h, t, k);
    t = h;
  }
  throw siteError(s, "'__index' chain too long; possible loop");
}

export function setindex(t: unknown, k: unknown, v: unknown, s?: Site): void {
  // nil and NaN keys take the slow path, which raises the error with the site's position.
  if (t instanceof LuaTable && t.mt === null && k !== undefined && k === k) {
    t.set(k, v);
    return;
  }
  setSlow(t, k, v, s, false);
}

function newindexHandler(t: unknown, k: unknown, s: Site | undefined, named = true): unknown {
  if (t instanceof LuaTable) {
    const mt = t.mt;
    if (mt === null || t.get(k) !== undefined) return undefined;
    return mt.getStr('__newindex');
  }
  const h = metamethod(t, '__newindex');
  if (h === undefined) throw indexError(t, s, named);
  return h;
}

function setSlow(t: unknown, k: unknown, v: unknown, s: Site | undefined, quick: boolean): unknown {
  for (let loop = 0; loop < 2000; loop++) {
    const h = newindexHandler(t, k, s, loop === 0);
    if (h === undefined) {
      rawsetChecked(t as LuaTable, k, v, s);
      return undefined;
    }
    if (typeof h === 'function') {
      if (quick && hasG(h)) return MM;
      (h as LuaFunction)(t, k, v);
      return undefined;
    }
    t = h;
  }
  throw siteError(s, "'__newindex' chain too long; possible loop");
}

/** Raw set that reports `table index is nil/NaN` at the site (also used by table constructors). */
export function rawsetChecked(t: LuaTable, k: unknown, v: unknown, s: Site | undefined): void {
  try {
    t.set(k, v);
  } catch (e) {
    if (e instanceof LuaError && typeof e.value === 'string' && s) throw siteError(s, e.value);
    throw e;
  }
}

export function setindexQ(t: unknown, k: unknown, v: unknown, s?: Site): unknown {
  if (t instanceof LuaTable && t.mt === null && k !== undefined && k === k) {
    t.set(k, v);
    return undefined;
  }
  return setSlow(t, k, v, s, true);
}

export function* setindexG(t: unknown, k: unknown, v: unknown, s?: Site): Generator<unknown, unknown, unknown> {
  for (let loop = 0; loop < 2000; loop++) {
    const h = newindexHandler(t, k, s, loop === 0);
    if (h === undefined) {
      rawsetChecked(t as LuaTable, k, v, s);
      return undefined;
    }
    if (typeof h === 'function') {
      yield* callG(h, t, k, v);
      return undefined;
    }
    t = h;
  }
  throw siteError(s, "'__newindex' chain too long; possible loop");
}

// ---- arithmetic ----

export type ArithOp = '__add' | '__sub' | '__mul' | '__div' | '__mod' | '__pow' | '__idiv' | '__band' | '__bor' | '__bxor' | '__shl' | '__shr';

/** Lua's float modulo: the result has the sign of the divisor. */
export function mod(a: number, b: number): number {
  const m = a % b;
  return m !== 0 && (m < 0) !== (b < 0) ? m + b : m;
}

/** Wippy's `//`: both operands truncated to integers, floor division, division by zero is an error. */
export function idiv(a: number, b: number, s?: Site): number {
  const x = Math.trunc(a), y = Math.trunc(b);
  if (y === 0) throw siteError(s, 'attempt to divide by zero');
  return Math.floor(x / y);
}

function numArith(op: ArithOp, a: number, b: number, s: Site | undefined): number {
  switch (op) {
    case '__add': return a + b;
    case '__sub': return a - b;
    case '__mul': return a * b;
    case '__div': return a / b;
    case '__mod': return mod(a, b);
    case '__pow': return luaPow(a, b);
    case '__idiv': return idiv(a, b, s);
    case '__band': return band64(toInt64(a), toInt64(b));
    case '__bor': return bor64(toInt64(a), toInt64(b));
    case '__bxor': return bxor64(toInt64(a), toInt64(b));
    case '__shl': return shl64(toInt64(a), toInt64(b));
    case '__shr': return shr64(toInt64(a), toInt64(b));
  }
}

const isBitwise = (op: ArithOp) => op === '__band' || op === '__bor' || op === '__bxor' || op === '__shl' || op === '__shr';

/** The metamethod for a binary operator whose operands are not both numbers (throws if none). */
function arithHandler(op: ArithOp, a: unknown, b: unknown, s: Site | undefined): unknown {
  let h = metamethod(a, op);
  if (h === undefined) h = metamethod(b, op);
  if (h !== undefined) return h;
  const bad = toNumber(a) === undefined ? 0 : 1;
  const v = bad === 0 ? a : b;
  const w = bad === 0 ? s?.what : s?.what2;
  if (isBitwise(op)) throw siteError(s, `attempt to perform bitwise operation on a ${luaType(v)} value${what(w)}`);
  throw siteError(s, `attempt to perform arithmetic on a ${luaType(v)} value${what(w)}`);
}

export function arith(op: ArithOp, a: unknown, b: unknown, s?: Site): unknown {
  const x = toNumber(a), y = toNumber(b);
  if (x !== undefined && y !== undefined) return numArith(op, x, y, s);
  return mmCall(arithHandler(op, a, b, s), a, b);
}

export function arithQ(op: ArithOp, a: unknown, b: unknown, s?: Site): unknown {
  const x = toNumber(a), y = toNumber(b);
  if (x !== undefined && y !== undefined) return numArith(op, x, y, s);
  const h = arithHandler(op, a, b, s);
  return hasG(h) ? MM : mmCall(h, a, b);
}

export function* arithG(op: ArithOp, a: unknown, b: unknown, s?: Site): Generator<unknown, unknown, unknown> {
  return yield* callG(arithHandler(op, a, b, s), a, b);
}

export function add(a: unknown, b: unknown, s?: Site): unknown {
  return typeof a === 'number' && typeof b === 'number' ? a + b : arith('__add', a, b, s);
}
export function sub(a: unknown, b: unknown, s?: Site): unknown {
  return typeof a === 'number' && typeof b === 'number' ? a - b : arith('__sub', a, b, s);
}
export function mul(a: unknown, b: unknown, s?: Site): unknown {
  return typeof a === 'number' && typeof b === 'number' ? a * b : arith('__mul', a, b, s);
}
export function div(a: unknown, b: unknown, s?: Site): unknown {
  return typeof a === 'number' && typeof b === 'number' ? a / b : arith('__div', a, b, s);
}
export function modulo(a: unknown, b: unknown, s?: Site): unknown {
  return typeof a === 'number' && typeof b === 'number' ? mod(a, b) : arith('__mod', a, b, s);
}
export function pow(a: unknown, b: unknown, s?: Site): unknown {
  return typeof a === 'number' && typeof b === 'number' ? luaPow(a, b) : arith('__pow', a, b, s);
}
export function floordiv(a: unknown, b: unknown, s?: Site): unknown {
  return typeof a === 'number' && typeof b === 'number' ? idiv(a, b, s) : arith('__idiv', a, b, s);
}
export function band(a: unknown, b: unknown, s?: Site): unknown {
  if (typeof a === 'number' && typeof b === 'number' && (a | 0) === a && (b | 0) === b) return a & b;
  return arith('__band', a, b, s);
}
export function bor(a: unknown, b: unknown, s?: Site): unknown {
  if (typeof a === 'number' && typeof b === 'number' && (a | 0) === a && (b | 0) === b) return a | b;
  return arith('__bor', a, b, s);
}
export function bxor(a: unknown, b: unknown, s?: Site): unknown {
  if (typeof a === 'number' && typeof b === 'number' && (a | 0) === a && (b | 0) === b) return a ^ b;
  return arith('__bxor', a, b, s);
}
export function shl(a: unknown, b: unknown, s?: Site): unknown {
  return arith('__shl', a, b, s);
}
export function shr(a: unknown, b: unknown, s?: Site): unknown {
  return arith('__shr', a, b, s);
}

// ---- unary ----

function unaryHandler(op: '__unm' | '__bnot' | '__len', a: unknown, s: Site | undefined): unknown {
  const h = metamethod(a, op);
  if (h !== undefined) return h;
  if (op === '__len') throw siteError(s, `attempt to get length of a ${luaType(a)} value${what(s?.what)}`);
  if (op === '__bnot') throw siteError(s, `attempt to perform bitwise operation on a ${luaType(a)} value${what(s?.what)}`);
  throw siteError(s, `attempt to perform arithmetic on a ${luaType(a)} value${what(s?.what)}`);
}

function unaryRaw(op: '__unm' | '__bnot' | '__len', a: unknown): unknown {
  if (op === '__len') {
    if (typeof a === 'string') return a.length;
    if (a instanceof LuaTable && (a.mt === null || a.mt.getStr('__len') === undefined)) return a.arr.length;
    return undefined;
  }
  const x = toNumber(a);
  if (x === undefined) return undefined;
  return op === '__unm' ? -x : bnotNum(x);
}

function bnotNum(x: number): number {
  return (x | 0) === x ? ~x : bxor64(toInt64(x), -1);
}

export function unm(a: unknown, s?: Site): unknown {
  if (typeof a === 'number') return -a;
  const r = unaryRaw('__unm', a);
  return r !== undefined ? r : mmCall(unaryHandler('__unm', a, s), a, a);
}
export function bnot(a: unknown, s?: Site): unknown {
  const r = unaryRaw('__bnot', a);
  return r !== undefined ? r : mmCall(unaryHandler('__bnot', a, s), a, a);
}
export function len(a: unknown, s?: Site): unknown {
  if (typeof a === 'string') return a.length;
  if (a instanceof LuaTable && a.mt === null) return a.arr.length;
  const r = unaryRaw('__len', a);
  return r !== undefined ? r : mmCall(unaryHandler('__len', a, s), a, a);
}
export function unaryQ(op: '__unm' | '__bnot' | '__len', a: unknown, s?: Site): unknown {
  const r = unaryRaw(op, a);
  if (r !== undefined) return r;
  const h = unaryHandler(op, a, s);
  return hasG(h) ? MM : mmCall(h, a, a);
}
export function* unaryG(op: '__unm' | '__bnot' | '__len', a: unknown, s?: Site): Generator<unknown, unknown, unknown> {
  return yield* callG(unaryHandler(op, a, s), a, a);
}

// ---- concatenation ----

function concatRaw(a: unknown, b: unknown): string | undefined {
  const ta = typeof a, tb = typeof b;
  if ((ta === 'string' || ta === 'number') && (tb === 'string' || tb === 'number')) {
    return (ta === 'string' ? (a as string) : numberToString(a as number)) + (tb === 'string' ? (b as string) : numberToString(b as number));
  }
  return undefined;
}

function concatHandler(a: unknown, b: unknown, s: Site | undefined): unknown {
  let h = metamethod(a, '__concat');
  if (h === undefined) h = metamethod(b, '__concat');
  if (h !== undefined) return h;
  const bad = typeof a === 'string' || typeof a === 'number' ? 1 : 0;
  throw siteError(s, `attempt to concatenate a ${luaType(bad ? b : a)} value${what(bad ? s?.what2 : s?.what)}`);
}

export function concat(a: unknown, b: unknown, s?: Site): unknown {
  if (typeof a === 'string' && typeof b === 'string') return a + b;
  const r = concatRaw(a, b);
  return r !== undefined ? r : mmCall(concatHandler(a, b, s), a, b);
}
export function concatQ(a: unknown, b: unknown, s?: Site): unknown {
  const r = concatRaw(a, b);
  if (r !== undefined) return r;
  const h = concatHandler(a, b, s);
  return hasG(h) ? MM : mmCall(h, a, b);
}
export function* concatG(a: unknown, b: unknown, s?: Site): Generator<unknown, unknown, unknown> {
  return yield* callG(concatHandler(a, b, s), a, b);
}

// ---- comparison ----

function eqHandler(a: unknown, b: unknown): unknown {
  if (a instanceof LuaTable && b instanceof LuaTable) {
    const h = tableEq(a);
    return h === undefined ? tableEq(b) : h;
  }
  if (!(a instanceof LuaObject && b instanceof LuaObject)) return undefined;
  let h = metamethod(a, '__eq');
  if (h === undefined) h = metamethod(b, '__eq');
  return h;
}

/** A table's `__eq` handler; objects compared by identity (class metatables without `__eq`) look nothing up. */
function tableEq(t: LuaTable): unknown {
  const mt = t.mt;
  if (mt === null || (mt.shape !== null && !mt.shape.eq)) return undefined;
  return mt.getStr('__eq');
}

export function eq(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object') return false;
  const h = eqHandler(a, b);
  return h === undefined ? false : truthy(mmCall(h, a, b));
}
export function eqQ(a: unknown, b: unknown): boolean | typeof MM {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object') return false;
  const h = eqHandler(a, b);
  if (h === undefined) return false;
  return hasG(h) ? MM : truthy(mmCall(h, a, b));
}
export function* eqG(a: unknown, b: unknown): Generator<unknown, boolean, unknown> {
  return truthy(yield* callG(eqHandler(a, b), a, b));
}

function compareError(a: unknown, b: unknown, s: Site | undefined): LuaError {
  const ta = luaType(a), tb = luaType(b);
  return siteError(s, ta === tb ? `attempt to compare two ${ta} values` : `attempt to compare ${ta} with ${tb}`);
}

function orderHandler(op: '__lt' | '__le', a: unknown, b: unknown, s: Site | undefined): unknown {
  let h = metamethod(a, op);
  if (h === undefined) h = metamethod(b, op);
  if (h === undefined) throw compareError(a, b, s);
  return h;
}

function orderRaw(op: '__lt' | '__le', a: unknown, b: unknown): boolean | undefined {
  const ta = typeof a, tb = typeof b;
  if ((ta === 'number' && tb === 'number') || (ta === 'string' && tb === 'string')) {
    return op === '__lt' ? (a as number) < (b as number) : (a as number) <= (b as number);
  }
  return undefined;
}

export function lt(a: unknown, b: unknown, s?: Site): boolean {
  if (typeof a === 'number' && typeof b === 'number') return a < b;
  const r = orderRaw('__lt', a, b);
  return r !== undefined ? r : truthy(mmCall(orderHandler('__lt', a, b, s), a, b));
}
export function le(a: unknown, b: unknown, s?: Site): boolean {
  if (typeof a === 'number' && typeof b === 'number') return a <= b;
  const r = orderRaw('__le', a, b);
  if (r !== undefined) return r;
  // Lua 5.1–5.3: without __le, a <= b is not (b < a).
  if (metamethod(a, '__le') === undefined && metamethod(b, '__le') === undefined) {
    if (metamethod(a, '__lt') === undefined && metamethod(b, '__lt') === undefined) throw compareError(a, b, s);
    return !truthy(mmCall(orderHandler('__lt', b, a, s), b, a));
  }
  return truthy(mmCall(orderHandler('__le', a, b, s), a, b));
}
export function orderQ(op: '__lt' | '__le', a: unknown, b: unknown, s?: Site): boolean | typeof MM {
  const r = orderRaw(op, a, b);
  if (r !== undefined) return r;
  if (op === '__le' && metamethod(a, '__le') === undefined && metamethod(b, '__le') === undefined) {
    const h = orderHandler('__lt', b, a, s);
    return hasG(h) ? MM : !truthy(mmCall(h, b, a));
  }
  const h = orderHandler(op, a, b, s);
  return hasG(h) ? MM : truthy(mmCall(h, a, b));
}
export function* orderG(op: '__lt' | '__le', a: unknown, b: unknown, s?: Site): Generator<unknown, boolean, unknown> {
  if (op === '__le' && metamethod(a, '__le') === undefined && metamethod(b, '__le') === undefined) {
    return !truthy(yield* callG(orderHandler('__lt', b, a, s), b, a));
  }
  return truthy(yield* callG(orderHandler(op, a, b, s), a, b));
}

