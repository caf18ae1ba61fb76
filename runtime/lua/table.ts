// Lua tables: an array part for keys 1..n, string keys in "shape" slots, and a Map for everything else.
//
// Invariants: arr[n-1] is never nil (n = arr.length is a border, so `#t` is O(1)); the Map never holds
// a key in 1..n+1. String keys of small record-like tables live in `slots`, laid out by a Shape shared by
// all tables that received the same keys in the same order (hidden classes, as in JS engines), so a
// compiled access site can cache (shape, slot) and read a field without hashing. A nil assigned to an
// existing key leaves a tombstone (undefined) in its slot or Map entry, so `next`/`pairs` stay stable
// while a traversal clears entries. Tables with many or unusual string keys switch to "dictionary mode"
// (shape = null): all string keys then live in the Map. No Lua key ever becomes a JS property name.

import { LuaError } from './error.js';

let nextId = 1;

/** The layout of a table's string keys: slot i holds keys[i]. Shapes are immutable and shared. */
export class Shape {
  private next: Map<string, Shape> | null = null;
  /**
   * The layout has a `__newindex` key. A metatable whose shape has none has no `__newindex` handler, so
   * writes to its tables need no lookup (the common case of class metatables).
   */
  readonly newindex: boolean;
  /** The layout has an `__eq` key: `a == b` on two tables whose metatables' shapes have none needs no lookup. */
  readonly eq: boolean;
  constructor(readonly keys: readonly string[], readonly index: ReadonlyMap<string, number>,
    /** How many keys tables of this layout may hold before they become dictionaries. */
    readonly limit = MAX_SLOTS) {
    this.newindex = index.has('__newindex');
    this.eq = index.has('__eq');
  }

  /**
   * The shape after adding key k, or null when the table should become a dictionary. `always` is for
   * shapes the compiler asks for (constructors with at most MAX_SLOTS constant keys).
   */
  add(k: string, always = false): Shape | null {
    let n = this.next?.get(k);
    if (n !== undefined) return n;
    if (!always && (this.keys.length >= this.limit || (this.next !== null && this.next.size >= MAX_TRANSITIONS))) return null;
    const index = new Map(this.index);
    index.set(k, this.keys.length);
    n = new Shape([...this.keys, k], index, this.limit);
    (this.next ??= new Map()).set(k, n);
    return n;
  }
}

/** Record-like tables stay shaped up to this many string keys. */
const MAX_SLOTS = 32;
/** A shape that many different tables extend in different ways is a dictionary in disguise. */
const MAX_TRANSITIONS = 24;
export const EMPTY_SHAPE = new Shape([], new Map());
/**
 * The layout a global table starts from. Globals are read by name at compiled sites, which inline-cache
 * a shape and a slot, so the environment stays shaped well past MAX_SLOTS (the standard library alone
 * is 35 names; a script's own global functions come on top).
 */
export const GLOBALS_SHAPE = new Shape([], new Map(), 1024);
const NO_SLOTS: unknown[] = [];

/** Values of LuaTable.lock. */
export const OPEN = 0, WATCHED = 1, FROZEN = 2;

/**
 * Validity of the lookups call sites cache through prototype chains (ops.ts): a site that found (or
 * missed) key k by way of `__index` tables remembers where, with the epoch of the time. Every table on
 * such a path is WATCHED, and adding or removing a key in a watched table, changing its `__index` or its
 * metatable moves the epoch on, which drops every such cache at once (as V8's prototype validity cells,
 * but one for all: programs rarely reshape their classes once objects use them).
 */
export const PROTO = { epoch: 0 };
/**
 * The array part of every table until its first array element: one shared array, so a record or an empty
 * table costs no array of its own. Frozen, so a write that forgot to replace it throws instead of
 * corrupting every table (compiled appends leave index 0 to `set`, which replaces it).
 */
export const NO_ARRAY: unknown[] = Object.freeze([]) as unknown as unknown[];

/**
 * The Map of a table's other keys, with the bookkeeping only such tables need: a table object stays
 * small (six fields), which matters for programs that allocate millions of little tables.
 */
export class HashPart extends Map<unknown, unknown> {
  /** Tombstones (keys whose value was set to nil). */
  dead = 0;
  /** Cursor of the last `next` over the Map, so `for k in next, t` is O(1) per step. */
  cursorKey: unknown = undefined;
  cursor: Iterator<[unknown, unknown]> | null = null;
}

/** tostring identities, assigned on first use. */
const ids = new WeakMap<object, number>();

export class LuaTable {
  arr: unknown[];
  /** Layout of `slots`; null in dictionary mode. */
  shape: Shape | null = EMPTY_SHAPE;
  /** Values of the shaped string keys; shared empty array until the first key arrives. */
  slots: unknown[] = NO_SLOTS;
  /** Keys that are neither array indices nor shaped strings. */
  hash: HashPart | null = null;
  mt: LuaTable | null = null;
  /**
   * OPEN, WATCHED or FROZEN. Compiled code writes in place only to OPEN tables; the others take `set`/`setStr`,
   * which refuse writes to FROZEN tables (table.make_immutable, Wippy's shared library tables) and report
   * writes to WATCHED ones (prototypes that call sites cache lookups through; see PROTO).
   */
  lock: number = OPEN;

  constructor(arr?: unknown[]) {
    this.arr = arr ?? NO_ARRAY;
  }

  /** A table whose array part is `vals` (copied; trailing nils dropped). */
  static from(vals: readonly unknown[]): LuaTable {
    let n = vals.length;
    while (n > 0 && vals[n - 1] === undefined) n--;
    return new LuaTable(vals.slice(0, n));
  }

  /** A table that takes ownership of a fresh array (table constructors): no copy. */
  static adopt(vals: unknown[]): LuaTable {
    while (vals.length > 0 && vals[vals.length - 1] === undefined) vals.pop();
    return new LuaTable(vals);
  }

  /** A record built by a constructor with constant string keys: shape and slots prepared by the compiler. */
  static record(shape: Shape, slots: unknown[], arr?: unknown[]): LuaTable {
    const t = new LuaTable(arr);
    t.shape = shape;
    t.slots = slots;
    return t;
  }

  get frozen(): boolean {
    return this.lock === FROZEN;
  }

  freeze(): void {
    this.lock = FROZEN;
  }

  /** setmetatable: a prototype's own chain changing invalidates the lookups cached through it. */
  setMeta(mt: LuaTable | null): void {
    if (this.lock !== OPEN) PROTO.epoch++;
    this.mt = mt;
  }

  get(k: unknown): unknown {
    if (typeof k === 'string') return this.getStr(k);
    if (typeof k === 'number') {
      const i = k - 1;
      if ((i >>> 0) === i && i < this.arr.length) return this.arr[i];
    }
    const h = this.hash;
    return h === null ? undefined : h.get(k);
  }

  /** Fast path for integer keys. */
  getInt(k: number): unknown {
    const i = k - 1;
    if ((i >>> 0) === i && i < this.arr.length) return this.arr[i];
    const h = this.hash;
    return h === null ? undefined : h.get(k);
  }

  /** Fast path for string keys. */
  getStr(k: string): unknown {
    const sh = this.shape;
    if (sh !== null) {
      const i = sh.index.get(k);
      return i === undefined ? undefined : this.slots[i];
    }
    const h = this.hash;
    return h === null ? undefined : h.get(k);
  }

  set(k: unknown, v: unknown): void {
    if (typeof k === 'string') return this.setStr(k, v);
    if (this.lock === FROZEN) throw new LuaError('attempt to modify a read-only table');
    if (typeof k === 'number') {
      const a = this.arr;
      const i = k - 1;
      if ((i >>> 0) === i) {
        if (i < a.length) {
          if (v === undefined && i === a.length - 1) this.shrink();
          else a[i] = v;
          return;
        }
        if (i === a.length) {
          if (v === undefined) {
            if (this.hash !== null) this.hashSet(k, v);
            return;
          }
          if (a === NO_ARRAY) this.arr = [v];
          else a.push(v);
          if (this.hash !== null) this.migrate();
          return;
        }
      } else if (k !== k) {
        throw new LuaError('table index is NaN');
      }
    } else if (k === undefined) {
      throw new LuaError('table index is nil');
    }
    this.hashSet(k, v);
  }

  setStr(k: string, v: unknown): void {
    if (this.lock !== OPEN) {
      if (this.lock === FROZEN) throw new LuaError('attempt to modify a read-only table');
      // A key appearing or disappearing, or another `__index`, changes what lookups through this prototype find.
      if (k === '__index' || v === undefined || this.getStr(k) === undefined) PROTO.epoch++;
    }
    const sh = this.shape;
    if (sh === null) return this.hashSet(k, v);
    const i = sh.index.get(k);
    if (i !== undefined) {
      this.slots[i] = v;
      return;
    }
    if (v === undefined) return;
    const next = sh.add(k);
    if (next === null) {
      this.toDictionary();
      this.hashSet(k, v);
      return;
    }
    this.shape = next;
    if (this.slots === NO_SLOTS) this.slots = [v];
    else this.slots.push(v);
  }

  /** Move shaped string keys into the Map (keeping their order) and stop using shapes. */
  private toDictionary(): void {
    const sh = this.shape!;
    const h = new HashPart();
    sh.keys.forEach((k, i) => {
      if (this.slots[i] !== undefined) h.set(k, this.slots[i]);
    });
    if (this.hash !== null) for (const [k, v] of this.hash) if (v !== undefined) h.set(k, v);
    this.hash = h;
    this.shape = null;
    this.slots = NO_SLOTS;
  }

  /** Append after the border (table.insert(t, v), t[#t+1] = v). */
  push(v: unknown): void {
    this.set(this.arr.length + 1, v);
  }

  length(): number {
    return this.arr.length;
  }

  private hashSet(k: unknown, v: unknown): void {
    let h = this.hash;
    // Updating or adding a key without tombstones to worry about: one Map operation.
    if (v !== undefined && h !== null && h.dead === 0) {
      h.set(k, v);
      return;
    }
    if (h === null) {
      if (v === undefined) return;
      h = this.hash = new HashPart();
    }
    if (v === undefined) {
      if (h.get(k) !== undefined) {
        h.set(k, undefined);
        h.dead++;
      }
      return;
    }
    if (h.dead > 16 && !h.has(k) && h.dead * 2 > h.size) this.compact();
    this.hash!.set(k, v);
  }

  /** Drop tombstones; only done when a new key is added, which Lua forbids during traversal. */
  private compact(): void {
    const fresh = new HashPart();
    for (const [k, v] of this.hash!) if (v !== undefined) fresh.set(k, v);
    this.hash = fresh;
  }

  /** Remove trailing nils after the last element was cleared. */
  private shrink(): void {
    const a = this.arr;
    a.pop();
    while (a.length > 0 && a[a.length - 1] === undefined) a.pop();
  }

  /** Move keys n+1, n+2, ... from the Map into the array part after it grew. */
  private migrate(): void {
    const h = this.hash!;
    const a = this.arr;
    for (;;) {
      const k = a.length + 1;
      const v = h.get(k);
      if (v === undefined) {
        if (h.has(k)) { h.delete(k); h.dead--; }
        return;
      }
      h.delete(k);
      a.push(v);
    }
  }

  /**
   * The entry after key `k` (undefined = first), as [key, value], or undefined at the end.
   * Order: array part, shaped string keys, Map. Throws for a key that is not in the table.
   */
  next(k: unknown): [unknown, unknown] | undefined {
    const a = this.arr;
    let i = 0;
    if (k !== undefined) {
      const j = typeof k === 'number' ? k - 1 : -1;
      if ((j >>> 0) === j && j < a.length) i = j + 1;
      else if (typeof k === 'string' && this.shape !== null && this.shape.index.has(k)) return this.nextSlot(this.shape.index.get(k)! + 1);
      else return this.nextInHash(k);
    }
    for (; i < a.length; i++) {
      const v = a[i];
      if (v !== undefined) return [i + 1, v];
    }
    return this.nextSlot(0);
  }

  private nextSlot(from: number): [unknown, unknown] | undefined {
    const sh = this.shape;
    if (sh !== null) {
      for (let i = from; i < sh.keys.length; i++) {
        const v = this.slots[i];
        if (v !== undefined) return [sh.keys[i], v];
      }
    }
    return this.nextInHash(undefined);
  }

  private nextInHash(k: unknown): [unknown, unknown] | undefined {
    const h = this.hash;
    if (h === null) {
      if (k === undefined) return undefined;
      throw new LuaError("invalid key to 'next'");
    }
    let it: Iterator<[unknown, unknown]>;
    if (k === undefined) {
      it = h.entries();
    } else if (h.cursor !== null && h.cursorKey === k) {
      it = h.cursor;
    } else {
      if (!h.has(k)) throw new LuaError("invalid key to 'next'");
      it = h.entries();
      for (;;) {
        const r = it.next();
        if (r.done) return undefined;
        if (r.value[0] === k) break;
      }
    }
    for (;;) {
      const r = it.next();
      if (r.done) {
        h.cursor = null;
        return undefined;
      }
      if (r.value[1] !== undefined) {
        h.cursor = it;
        h.cursorKey = r.value[0];
        return r.value;
      }
    }
  }

  /** Every non-nil entry outside the array part: shaped string keys, then the Map. */
  *entries(): Generator<[unknown, unknown]> {
    const sh = this.shape;
    if (sh !== null) {
      for (let i = 0; i < sh.keys.length; i++) if (this.slots[i] !== undefined) yield [sh.keys[i], this.slots[i]];
    }
    if (this.hash !== null) for (const e of this.hash) if (e[1] !== undefined) yield e;
  }

  /** Number of non-nil entries outside the array part. */
  hashSize(): number {
    let n = this.hash === null ? 0 : this.hash.size - this.hash.dead;
    if (this.shape !== null) for (const v of this.slots) if (v !== undefined) n++;
    return n;
  }
}

/** The shape of a table whose string keys were added in this order (compile-time constructors; global tables from GLOBALS_SHAPE). */
export function shapeOf(keys: readonly string[], root: Shape = EMPTY_SHAPE): Shape {
  let sh = root;
  for (const k of keys) sh = sh.add(k, true)!;
  return sh;
}

/** The number tostring shows for a table or host object (`table: 0x…`): stable, assigned on first use. */
export function tableId(t: object): number {
  let id = ids.get(t);
  if (id === undefined) ids.set(t, (id = nextId++));
  return id;
}
