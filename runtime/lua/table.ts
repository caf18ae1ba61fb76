// Lua tables: an array part for keys 1..n plus a Map for every other key.
// Invariants: arr[n-1] is never nil (n = arr.length is a border, so `#t` is O(1)); the Map never holds
// a key in 1..n+1; a nil assigned to a Map key leaves a tombstone (value undefined) so `next` stays
// stable while a traversal deletes entries. No Lua key ever becomes a JS property name.

import { LuaError } from './error.js';

let nextId = 1;

export class LuaTable {
  arr: unknown[];
  hash: Map<unknown, unknown> | null = null;
  mt: LuaTable | null = null;
  /** Tombstones in `hash`. */
  dead = 0;
  /** Set by table.make_immutable and for Wippy's shared library tables. */
  frozen = false;
  /** Identity shown by tostring, assigned on first use. */
  id = 0;
  /** Cursor of the last `next` over the hash part, so `for k in next, t` is O(1) per step. */
  private cursorKey: unknown = undefined;
  private cursor: Iterator<[unknown, unknown]> | null = null;

  constructor(arr?: unknown[]) {
    this.arr = arr ?? [];
  }

  /** A table whose array part is `vals` (copied; trailing nils dropped). */
  static from(vals: readonly unknown[]): LuaTable {
    let n = vals.length;
    while (n > 0 && vals[n - 1] === undefined) n--;
    return new LuaTable(vals.slice(0, n));
  }

  get(k: unknown): unknown {
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
    const h = this.hash;
    return h === null ? undefined : h.get(k);
  }

  set(k: unknown, v: unknown): void {
    if (this.frozen) throw new LuaError('attempt to modify a read-only table');
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
          a.push(v);
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
    if (this.frozen) throw new LuaError('attempt to modify a read-only table');
    this.hashSet(k, v);
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
    if (v !== undefined && h !== null && this.dead === 0) {
      h.set(k, v);
      return;
    }
    if (h === null) {
      if (v === undefined) return;
      h = this.hash = new Map();
    }
    if (v === undefined) {
      if (h.get(k) !== undefined) {
        h.set(k, undefined);
        this.dead++;
      }
      return;
    }
    if (this.dead > 16 && !h.has(k) && this.dead * 2 > h.size) this.compact();
    this.hash!.set(k, v);
  }

  /** Drop tombstones; only done when a new key is added, which Lua forbids during traversal. */
  private compact(): void {
    const fresh = new Map<unknown, unknown>();
    for (const [k, v] of this.hash!) if (v !== undefined) fresh.set(k, v);
    this.hash = fresh;
    this.dead = 0;
    this.cursor = null;
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
        if (h.has(k)) { h.delete(k); this.dead--; }
        return;
      }
      h.delete(k);
      a.push(v);
    }
  }

  /**
   * The entry after key `k` (undefined = first), as [key, value], or undefined at the end.
   * Throws for a key that is not in the table.
   */
  next(k: unknown): [unknown, unknown] | undefined {
    const a = this.arr;
    let i = 0;
    if (k !== undefined) {
      const j = typeof k === 'number' ? k - 1 : -1;
      if ((j >>> 0) === j && j < a.length) i = j + 1;
      else return this.nextInHash(k);
    }
    for (; i < a.length; i++) {
      const v = a[i];
      if (v !== undefined) return [i + 1, v];
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
    } else if (this.cursor !== null && this.cursorKey === k) {
      it = this.cursor;
    } else {
      if (!h.has(k)) throw new LuaError("invalid key to 'next'");
      it = h.entries();
      for (;;) {
        const r = it.next();
        if (r.done) return undefined;
        if (r.value[0] === k || (k !== k && r.value[0] !== r.value[0])) break;
      }
    }
    for (;;) {
      const r = it.next();
      if (r.done) {
        this.cursor = null;
        return undefined;
      }
      if (r.value[1] !== undefined) {
        this.cursor = it;
        this.cursorKey = r.value[0];
        return r.value;
      }
    }
  }

  /** Number of non-nil entries in the hash part (for table.maxn, json, ...). */
  hashSize(): number {
    return this.hash === null ? 0 : this.hash.size - this.dead;
  }
}

/** Stateful traversal used by compiled `for k, v in pairs(t)` loops: O(1) per step, stable under deletion. */
export class TableIter {
  key: unknown = undefined;
  value: unknown = undefined;
  private i = 0;
  private it: Iterator<[unknown, unknown]> | null = null;
  constructor(private t: LuaTable) {}

  step(): boolean {
    const a = this.t.arr;
    while (this.i < a.length) {
      const v = a[this.i++];
      if (v !== undefined) {
        this.key = this.i;
        this.value = v;
        return true;
      }
    }
    if (this.it === null) {
      const h = this.t.hash;
      if (h === null) return false;
      this.it = h.entries();
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
}

export function tableId(t: { id: number }): number {
  if (t.id === 0) t.id = nextId++;
  return t.id;
}
