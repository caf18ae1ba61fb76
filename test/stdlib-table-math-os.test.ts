// The table, math and os libraries and Wippy's errors global, called directly as builtins.
// Expected values come from the Debian lua5.3 (5.3.6) and lua5.4 (5.4.4) binaries.

import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { createTableLib } from '../runtime/lua/lib/table.js';
import { createMathLib } from '../runtime/lua/lib/math.js';
import { createOsLib } from '../runtime/lua/lib/os.js';
import { createErrorsLib, isErrorObject, newError, ErrorObject } from '../runtime/lua/lib/errors.js';
import { LuaTable } from '../runtime/lua/table.js';
import { LuaError, chunks } from '../runtime/lua/error.js';
import { RV, mv } from '../runtime/lua/ret.js';
import { concat as luaConcat, eq as luaEq } from '../runtime/lua/ops.js';
import { metamethod } from '../runtime/lua/meta.js';
import { luaType } from '../runtime/lua/value.js';
import { all, raised } from './helpers.js';

type Fn = (...args: any[]) => unknown;

const table = createTableLib();
const math = createMathLib();
const os = createOsLib({ standalone: false });
const errors = createErrorsLib();

const fn = (lib: LuaTable, name: string): Fn => {
  const f = lib.get(name);
  if (typeof f !== 'function') throw new Error(`missing ${name}`);
  return f as Fn;
};
const T = (name: string) => fn(table, name);
const M = (name: string) => fn(math, name);
const O = (name: string) => fn(os, name);
const E = (name: string) => fn(errors, name);


const list = (...vals: unknown[]) => LuaTable.from(vals);
const items = (t: LuaTable) => Array.from({ length: t.length() }, (_, i) => t.get(i + 1));

/** A proxy table whose reads and writes go through __index/__newindex/__len to `store`. */
function proxy(store: LuaTable): LuaTable {
  const p = new LuaTable();
  const mt = new LuaTable();
  mt.set('__index', (_t: unknown, k: unknown) => store.get(k));
  mt.set('__newindex', (_t: unknown, k: unknown, v: unknown) => store.set(k, v));
  mt.set('__len', () => store.length());
  p.mt = mt;
  return p;
}

describe('table.insert / table.remove', () => {
  it('appends and inserts at positions, shifting the rest', () => {
    const t = list(1, 2, 3);
    expect(T('insert')(t, 4)).toBeUndefined();
    expect(RV.n).toBe(0);
    T('insert')(t, 1, 9);
    T('insert')(t, 6, 7);
    T('insert')(t, 3, 8);
    expect(items(t)).toEqual([9, 1, 8, 2, 3, 4, 7]);
  });

  it('inserting nil in the middle leaves a hole, as in Lua (#t = 4, t[2] = nil)', () => {
    const t = list(1, 2, 3);
    T('insert')(t, 2, undefined);
    expect(t.length()).toBe(4);
    expect([t.get(1), t.get(2), t.get(3), t.get(4)]).toEqual([1, undefined, 2, 3]);
  });

  it('appending moves keys waiting in the hash part into the array part', () => {
    const t = list(1);
    t.set(3, 'c');
    T('insert')(t, 'b');
    expect(t.length()).toBe(3);
    expect(items(t)).toEqual([1, 'b', 'c']);
  });

  it('raises PUC errors for bad positions and argument counts', () => {
    expect(raised(T('insert'), list(1, 2, 3), 5, 2)).toBe("bad argument #2 to 'insert' (position out of bounds)");
    expect(raised(T('insert'), list(1, 2, 3), 0, 2)).toBe("bad argument #2 to 'insert' (position out of bounds)");
    expect(raised(T('insert'), list(1, 2, 3), 1.5, 2)).toBe("bad argument #2 to 'insert' (number has no integer representation)");
    expect(raised(T('insert'), list(1, 2, 3), 1, 2, 3)).toBe("wrong number of arguments to 'insert'");
    expect(raised(T('insert'), list())).toBe("wrong number of arguments to 'insert'");
    expect(raised(T('insert'), undefined, 1)).toBe("bad argument #1 to 'insert' (table expected, got nil)");
  });

  it('removes from the end and from positions, returning the value', () => {
    const t = list(1, 2, 3);
    expect(all(T('remove'), t, 1)).toEqual([1]);
    expect(items(t)).toEqual([2, 3]);
    expect(T('remove')(t)).toBe(3);
    expect(T('remove')(t)).toBe(2);
    expect(t.length()).toBe(0);
    // Empty table: one nil result (t[0] is read and cleared).
    expect(all(T('remove'), t)).toEqual([undefined]);
    const z = new LuaTable();
    z.set(0, 'zero');
    expect(T('remove')(z)).toBe('zero');
    expect(z.get(0)).toBeUndefined();
    expect(T('remove')(list(1, 2, 3), 4)).toBeUndefined();
  });

  it('remove blames argument #1 for a bad position, like 5.3 and 5.4', () => {
    expect(raised(T('remove'), list(1, 2, 3), 7)).toBe("bad argument #1 to 'remove' (position out of bounds)");
    expect(raised(T('remove'), list(1, 2, 3), 0)).toBe("bad argument #1 to 'remove' (position out of bounds)");
    expect(raised(T('remove'), list(), -1)).toBe("bad argument #1 to 'remove' (position out of bounds)");
    expect(() => T('remove')(list(), 0)).not.toThrow();
    expect(() => T('remove')(list(), 1)).not.toThrow();
  });

  it('go through __index/__newindex/__len when the table has them', () => {
    const store = list('a', 'b', 'c');
    const p = proxy(store);
    T('insert')(p, 'd');
    T('insert')(p, 1, 'z');
    expect(items(store)).toEqual(['z', 'a', 'b', 'c', 'd']);
    expect(T('remove')(p, 2)).toBe('a');
    expect(items(store)).toEqual(['z', 'b', 'c', 'd']);
    expect(p.hash).toBeNull(); // nothing was written raw into the proxy
  });

  it('append stays fast on big tables', () => {
    const t = new LuaTable();
    for (let i = 1; i <= 200000; i++) T('insert')(t, i);
    expect(t.length()).toBe(200000);
    expect(t.get(200000)).toBe(200000);
    for (let i = 0; i < 100000; i++) T('remove')(t);
    expect(t.length()).toBe(100000);
  });
});

describe('immutable tables', () => {
  it('make_immutable freezes, is_immutable reports, writes raise', () => {
    const t = list(3, 1, 2);
    expect(T('is_immutable')(t)).toBe(false);
    expect(T('make_immutable')(t)).toBe(t);
    expect(T('is_immutable')(t)).toBe(true);
    expect(String(raised(T('insert'), t, 4))).toContain('immutable table');
    expect(String(raised(T('insert'), t, 1, 4))).toContain('immutable table');
    expect(String(raised(T('remove'), t))).toContain('immutable table');
    expect(String(raised(T('sort'), t))).toContain('immutable table');
    expect(items(t)).toEqual([3, 1, 2]);
    // Reading is fine.
    expect(T('concat')(t, ',')).toBe('3,1,2');
  });
});

describe('table.concat', () => {
  it('joins strings and numbers formatted like tostring', () => {
    expect(T('concat')(list(1, 2.5, 3, 'x'), '-')).toBe('1-2.5-3-x');
    expect(T('concat')(list(1, 2, 3), 0)).toBe('10203');
    expect(T('concat')(list('a', 'b', 'c'), ',', 2)).toBe('b,c');
    expect(T('concat')(list('a', 'b', 'c'), ',', 2, 2)).toBe('b');
    expect(T('concat')(list(), 'x', 3, 1)).toBe('');
    expect(T('concat')(list(1e100, -0.5))).toBe('1e+100-0.5');
  });

  it('rejects non-string values with the index and type', () => {
    expect(raised(T('concat'), list(1, new LuaTable(), 3))).toBe("invalid value (table) at index 2 in table for 'concat'");
    expect(raised(T('concat'), list(1, 2, 3), ', ', 2, 5)).toBe("invalid value (nil) at index 4 in table for 'concat'");
    expect(raised(T('concat'), list(1, 2, 3), new LuaTable())).toBe("bad argument #2 to 'concat' (string expected, got table)");
    expect(raised(T('concat'), undefined)).toBe("bad argument #1 to 'concat' (table expected, got nil)");
  });
});

describe('table.unpack / table.pack', () => {
  it('returns every value, counting nil holes and explicit ranges', () => {
    expect(all(T('unpack'), list(1, 2, 3))).toEqual([1, 2, 3]);
    expect(RV.n).toBe(3);
    const holes = list(1, undefined, 3);
    expect(all(T('unpack'), holes)).toEqual([1, undefined, 3]);
    expect(all(T('unpack'), holes, 1, 5)).toEqual([1, undefined, 3, undefined, undefined]);
    expect(T('unpack')(list(1, 2, 3), 3, 2)).toBeUndefined();
    expect(RV.n).toBe(0);
    expect(all(T('unpack'), list(1, 2, 3), -1, 1)).toEqual([undefined, undefined, 1]);
    expect(T('unpack')(list('only'))).toBe('only');
    expect(RV.n).toBe(1);
  });

  it('refuses huge ranges and non-tables like PUC', () => {
    expect(raised(T('unpack'), list(), 1, 1e7)).toBe('too many results to unpack');
    expect(raised(T('unpack'), list(), 1, 2 ** 40)).toBe('too many results to unpack');
    expect(raised(T('unpack'), list(), -(2 ** 63), 2 ** 63)).toBe('too many results to unpack');
    expect(raised(T('unpack'), undefined)).toBe('attempt to get length of a nil value');
    expect(raised(T('unpack'), undefined, 1, 2)).toBe('attempt to index a nil value');
  });

  it('pack stores n, keeping holes', () => {
    const p = T('pack')(1, undefined, 3) as LuaTable;
    expect(p.get('n')).toBe(3);
    expect([p.get(1), p.get(2), p.get(3)]).toEqual([1, undefined, 3]);
    expect(p.length()).toBe(3);
    expect((T('pack')() as LuaTable).get('n')).toBe(0);
  });
});

describe('table.move', () => {
  it('moves within a table in either direction and into another table', () => {
    const a = list(1, 2, 3, 4, 5);
    expect(T('move')(a, 2, 4, 1)).toBe(a);
    expect(items(a)).toEqual([2, 3, 4, 4, 5]);
    const b = list(1, 2, 3, 4, 5);
    T('move')(b, 1, 3, 3); // overlapping upwards: copied from the end
    expect(items(b)).toEqual([1, 2, 1, 2, 3]);
    const dst = list('x');
    expect(T('move')(list(1, 2, 3), 1, 3, 2, dst)).toBe(dst);
    expect(items(dst)).toEqual(['x', 1, 2, 3]);
    expect((T('move')(list(), 1, 0, 1, new LuaTable()) as LuaTable).length()).toBe(0);
  });

  it('checks its arguments like 5.3', () => {
    expect(raised(T('move'), list(1, 2, 3), 1, 3)).toBe("bad argument #4 to 'move' (number expected, got no value)");
    expect(raised(T('move'), undefined, 1, 3, 1)).toBe("bad argument #1 to 'move' (table expected, got nil)");
    expect(raised(T('move'), list(), 1, 3, 1, 5)).toBe("bad argument #5 to 'move' (table expected, got number)");
    expect(raised(T('move'), list(), -1, 2 ** 63, 1)).toBe("bad argument #3 to 'move' (too many elements to move)");
    const frozen = list(1);
    frozen.freeze();
    expect(String(raised(T('move'), list(1, 2), 1, 2, 1, frozen))).toContain('immutable table');
  });
});

describe('table.getn / maxn / create', () => {
  it('getn is the raw border, maxn the largest positive numeric key', () => {
    const t = list(1, 2);
    t.set(10, 3);
    t.set(2.5, 1);
    t.set('x', 1);
    t.set(-4, 1);
    expect(T('getn')(t)).toBe(2);
    expect(T('maxn')(t)).toBe(10);
    expect(T('maxn')(list())).toBe(0);
    const f = new LuaTable();
    f.set(0.5, true);
    expect(T('maxn')(f)).toBe(0.5);
  });

  it('create returns a new empty table', () => {
    const a = T('create')(10, 5) as LuaTable;
    expect(a).toBeInstanceOf(LuaTable);
    expect(a.length()).toBe(0);
    expect(T('create')()).not.toBe(a);
  });
});

describe('table.sort', () => {
  it('sorts numbers and strings with Lua <', () => {
    const t = list(5, 2, 8, 1, 9, 3, 7, 4, 6, 0);
    T('sort')(t);
    expect(items(t)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const s = list('pear', 'Apple', 'fig', 'apple', 'b');
    T('sort')(s);
    expect(items(s)).toEqual(['Apple', 'apple', 'b', 'fig', 'pear']);
  });

  it('uses a custom comparator with Lua truthiness', () => {
    const t = list(3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5);
    T('sort')(t, (a: number, b: number) => a > b);
    expect(items(t)).toEqual([9, 6, 5, 5, 5, 4, 3, 3, 2, 1, 1]);
    // Records sorted by a key: the result does not depend on stability because keys are distinct.
    const recs = list(...[['bob', 3], ['amy', 1], ['cid', 2]].map(([n, k]) => {
      const r = new LuaTable();
      r.set('name', n);
      r.set('k', k);
      return r;
    }));
    T('sort')(recs, (a: LuaTable, b: LuaTable) => ((a.get('k') as number) < (b.get('k') as number) ? 1 : undefined));
    expect(items(recs).map((r) => (r as LuaTable).get('name'))).toEqual(['amy', 'cid', 'bob']);
  });

  it('uses __lt for tables', () => {
    const mt = new LuaTable();
    mt.set('__lt', (a: LuaTable, b: LuaTable) => (a.get('v') as number) < (b.get('v') as number));
    const t = list(...Array.from({ length: 10 }, (_, i) => {
      const o = new LuaTable();
      o.set('v', 10 - i);
      o.mt = mt;
      return o;
    }));
    T('sort')(t);
    expect(items(t).map((o) => (o as LuaTable).get('v'))).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  });

  it('raises the comparison and argument errors of PUC', () => {
    expect(raised(T('sort'), list(3, 'a', 1))).toBe('attempt to compare string with number');
    expect(raised(T('sort'), list(3, undefined, 1))).toBe('attempt to compare nil with number');
    expect(raised(T('sort'), list(3, 1, new LuaTable()))).toBe('attempt to compare table with number');
    expect(raised(T('sort'), list(3, 2, 1), 5)).toBe("bad argument #2 to 'sort' (function expected, got number)");
    expect(raised(T('sort'), list(5, 4, 3, 2, 1, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16), () => true)).toBe('invalid order function for sorting');
  });

  it('sorts 10^5 sorted, reversed and equal items without going quadratic', () => {
    const n = 100000;
    const up = list(...Array.from({ length: n }, (_, i) => i + 1));
    T('sort')(up);
    expect(items(up).every((v, i) => v === i + 1)).toBe(true);
    const down = list(...Array.from({ length: n }, (_, i) => n - i));
    T('sort')(down);
    expect(items(down).every((v, i) => v === i + 1)).toBe(true);
    const desc = list(...Array.from({ length: n }, (_, i) => i));
    T('sort')(desc, (a: number, b: number) => a > b);
    expect(items(desc).every((v, i) => v === n - 1 - i)).toBe(true);
    const same = list(...Array.from({ length: n }, () => 7));
    T('sort')(same);
    expect(items(same).every((v) => v === 7)).toBe(true);
  });

  it('sorts random data like Array.prototype.sort', () => {
    const vals = Array.from({ length: 5000 }, () => Math.floor(Math.random() * 1000));
    const t = list(...vals);
    T('sort')(t);
    expect(items(t)).toEqual([...vals].sort((a, b) => a - b));
  });

  it('sorts through __index/__newindex for proxies', () => {
    const store = list(4, 2, 5, 1, 3);
    T('sort')(proxy(store));
    expect(items(store)).toEqual([1, 2, 3, 4, 5]);
    const vals = Array.from({ length: 300 }, () => Math.floor(Math.random() * 50));
    const big = list(...vals);
    T('sort')(proxy(big), (a: number, b: number) => a > b);
    expect(items(big)).toEqual([...vals].sort((a, b) => b - a));
    expect(raised(T('sort'), proxy(list(5, 4, 3, 2, 1, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16)), () => true)).toBe('invalid order function for sorting');
  });
});

describe('math', () => {
  it('type, tointeger and ult edge cases', () => {
    expect([M('type')(1), M('type')(1.5), M('type')('1'), M('type')(undefined)]).toEqual(['integer', 'float', undefined, undefined]);
    expect(raised(M('type'))).toBe("bad argument #1 to 'type' (value expected)");
    expect([M('tointeger')('3'), M('tointeger')(3.0), M('tointeger')(3.5), M('tointeger')(2 ** 63), M('tointeger')(-(2 ** 63))])
      .toEqual([3, 3, undefined, undefined, -(2 ** 63)]);
    expect(M('tointeger')({})).toBeUndefined();
    expect(RV.n).toBe(1);
    expect(raised(M('tointeger'))).toBe("bad argument #1 to 'tointeger' (value expected)");
    expect([M('ult')(1, -1), M('ult')(-1, 1), M('ult')(-2, -1), M('ult')(3, 2), M('ult')(0, 1)]).toEqual([true, false, true, false, true]);
    expect(M('ult')(math.get('maxinteger'), math.get('mininteger'))).toBe(true);
    expect(raised(M('ult'), 1.5, 2)).toBe("bad argument #1 to 'ult' (number has no integer representation)");
  });

  it('fmod has Lua 5.3 semantics', () => {
    expect([M('fmod')(-6, 4), M('fmod')(6, -4), M('fmod')(5.5, 2), M('fmod')(-5, 3), M('fmod')(5, -3)]).toEqual([-2, 2, 1.5, -2, 2]);
    expect(Object.is(M('fmod')(5, -1), 0)).toBe(true);
    expect(Object.is(M('fmod')(-5, -1), 0)).toBe(true);
    expect(M('fmod')(1, Infinity)).toBe(1);
    expect(M('fmod')(Infinity, 1)).toBeNaN();
    expect(M('fmod')(1, 0.5)).toBe(0);
    expect(raised(M('fmod'), 5, 0)).toBe("bad argument #2 to 'fmod' (zero)");
    expect(raised(M('fmod'), 'x', 1)).toBe("bad argument #1 to 'fmod' (number expected, got string)");
  });

  it('modf splits integral and fractional parts', () => {
    const [i1, f1] = all(M('modf'), 3.7) as number[];
    expect(i1).toBe(3);
    expect(f1).toBeCloseTo(0.7, 14);
    const [i2, f2] = all(M('modf'), -3.7) as number[];
    expect(i2).toBe(-3);
    expect(f2).toBeCloseTo(-0.7, 14);
    expect(all(M('modf'), 5)).toEqual([5, 0]);
    expect(all(M('modf'), Infinity)).toEqual([Infinity, 0]);
    expect(all(M('modf'), -Infinity)).toEqual([-Infinity, 0]);
    const [i3, f3] = all(M('modf'), NaN) as number[];
    expect(i3).toBeNaN();
    expect(f3).toBeNaN();
  });

  it('floor and ceil', () => {
    expect(Object.is(M('floor')(-0), 0)).toBe(true);
    expect(Object.is(M('ceil')(-0.5), 0)).toBe(true);
    expect([M('floor')('3.7'), M('floor')(-3.5), M('ceil')(3.2), M('floor')(1e100), M('floor')(2 ** 70), M('ceil')(-(2 ** 60))])
      .toEqual([3, -4, 4, 1e100, 2 ** 70, -(2 ** 60)]);
    expect(M('floor')(Infinity)).toBe(Infinity);
    expect(raised(M('floor'), 'x')).toBe("bad argument #1 to 'floor' (number expected, got string)");
    expect(raised(M('ceil'))).toBe("bad argument #1 to 'ceil' (number expected, got no value)");
  });

  it('max and min compare with Lua < and keep the first of equals', () => {
    expect(M('max')(3, 1, 2)).toBe(3);
    expect(M('min')(3, 1, 2)).toBe(1);
    expect(M('max')(1.5)).toBe(1.5);
    expect(M('max')('10', '9')).toBe('9');
    expect(Object.is(M('min')(-0, 0), -0)).toBe(true);
    expect(raised(M('max'))).toBe("bad argument #1 to 'max' (value expected)");
    expect(raised(M('max'), 1, 'x')).toBe('attempt to compare number with string');
    expect(raised(M('min'), 1, new LuaTable())).toBe('attempt to compare table with number');
  });

  it('constants and elementary functions', () => {
    expect(math.get('pi')).toBe(Math.PI);
    expect(math.get('huge')).toBe(Infinity);
    expect(math.get('maxinteger')).toBe(2 ** 63);
    expect(math.get('mininteger')).toBe(-(2 ** 63));
    expect(M('type')(math.get('maxinteger'))).toBe('integer');
    expect(M('abs')(-3)).toBe(3);
    expect(M('deg')(Math.PI)).toBe(180);
    expect(M('rad')(180)).toBe(Math.PI);
    expect(M('exp')(1)).toBeCloseTo(2.718281828459, 12);
    expect(M('sqrt')(2)).toBeCloseTo(1.4142135623731, 12);
    expect(M('atan')(1, 2)).toBeCloseTo(0.46364760900081, 13);
    expect(M('atan')(1)).toBe(Math.PI / 4);
    expect(M('asin')(1)).toBe(Math.PI / 2);
    expect(M('acos')(0)).toBe(Math.PI / 2);
    expect([M('sin')(0), M('cos')(0), M('tan')(0)]).toEqual([0, 1, 0]);
    expect(M('log')(8, 2)).toBe(3);
    expect(M('log')(100, 10)).toBe(2);
    expect(M('log')(27, 3)).toBeCloseTo(3, 14);
    expect(M('log')(1)).toBe(0);
    expect(M('log')(0)).toBe(-Infinity);
    expect(raised(M('sqrt'), undefined)).toBe("bad argument #1 to 'sqrt' (number expected, got nil)");
  });

  it('5.1 leftovers: pow, ldexp, frexp, log10, hyperbolics, atan2', () => {
    expect(M('pow')(2, 10)).toBe(1024);
    expect(M('ldexp')(0.5, 4)).toBe(8);
    expect(M('ldexp')(1, -1074)).toBe(5e-324);
    expect(M('ldexp')(0.75, 1025)).toBe(Infinity);
    expect(M('ldexp')(3, -1075)).toBe(1e-323); // 9.8813129168249e-324
    expect(M('ldexp')(2 ** -1070, 2000)).toBe(2 ** 930);
    expect(all(M('frexp'), 8)).toEqual([0.5, 4]);
    expect(all(M('frexp'), -3)).toEqual([-0.75, 2]);
    expect(all(M('frexp'), 0.1)).toEqual([0.8, -3]);
    expect(all(M('frexp'), 5e-324)).toEqual([0.5, -1073]);
    expect(all(M('frexp'), 2 ** 1023 * 1.5)).toEqual([0.75, 1024]);
    expect(all(M('frexp'), 0)).toEqual([0, 0]);
    expect(M('log10')(1000)).toBe(3);
    expect(M('sinh')(1)).toBeCloseTo(1.1752011936438, 12);
    expect(M('cosh')(1)).toBeCloseTo(1.5430806348152, 12);
    expect(M('tanh')(1)).toBeCloseTo(0.76159415595576, 13);
    expect(M('atan2')(1, 1)).toBe(Math.PI / 4);
  });

  it('random stays in range', () => {
    for (let i = 0; i < 2000; i++) {
      const f = M('random')() as number;
      expect(f >= 0 && f < 1).toBe(true);
      const a = M('random')(6) as number;
      expect(Number.isInteger(a) && a >= 1 && a <= 6).toBe(true);
      const b = M('random')(-3, 3) as number;
      expect(Number.isInteger(b) && b >= -3 && b <= 3).toBe(true);
    }
    expect(M('random')(5, 5)).toBe(5);
    const seen = new Set<unknown>();
    for (let i = 0; i < 500; i++) seen.add(M('random')(1, 4));
    expect([...seen].sort()).toEqual([1, 2, 3, 4]);
  });

  it('random follows Lua 5.4 (xoshiro256**) after randomseed', () => {
    const r = M('random');
    expect(M('randomseed')(42)).toBeUndefined();
    expect([r(1, 100), r(1, 100)]).toEqual([50, 76]);
    expect(r()).toBeCloseTo(0.79358935263827, 13);
    expect([r(10), r(-5, 5), r(1, 2 ** 40), r(0, 2 ** 53)]).toEqual([6, 1, 1061609342578, 2636613191718040]);
    M('randomseed')(0);
    expect([r(1, 6), r(1, 6), r(1, 6), r(1, 6)]).toEqual([2, 1, 4, 6]);
    expect(r(math.get('mininteger'), math.get('maxinteger'))).toBe(Number(-476379886374458193n));
    M('randomseed')(3, 4);
    expect(r(1, 100)).toBe(61);
    expect(r()).toBeCloseTo(0.15853526644972, 13);
    // Reproducible: same seed, same sequence.
    M('randomseed')(-7);
    const a = Array.from({ length: 20 }, () => r(1, 1000000));
    M('randomseed')(-7);
    const b = Array.from({ length: 20 }, () => r(1, 1000000));
    expect(a).toEqual(b);
    expect(a[0]).toBe(708804);
  });

  it('random argument errors', () => {
    expect(raised(M('random'), 0)).toBe("bad argument #1 to 'random' (interval is empty)");
    expect(raised(M('random'), 2, 1)).toBe("bad argument #1 to 'random' (interval is empty)");
    expect(raised(M('random'), 1, 2, 3)).toBe('wrong number of arguments');
    expect(raised(M('random'), 1.5)).toBe("bad argument #1 to 'random' (number has no integer representation)");
  });
});

describe('os', () => {
  let savedTz: string | undefined;
  beforeAll(() => {
    savedTz = process.env.TZ;
    process.env.TZ = 'UTC';
  });
  afterAll(() => {
    if (savedTz === undefined) delete process.env.TZ;
    else process.env.TZ = savedTz;
  });

  const date = (...a: unknown[]) => O('date')(...a);
  const time = (fields: Record<string, unknown>) => {
    const t = new LuaTable();
    for (const [k, v] of Object.entries(fields)) t.set(k, v);
    return O('time')(t);
  };

  it('formats dates in UTC with !', () => {
    expect(date('!%Y-%m-%d %H:%M:%S', 86400 * 365)).toBe('1971-01-01 00:00:00');
    expect(date('!%a %A %b %B %c|%d %D %e %F %H %I %j %m %M %n %p %S %t %T %u %w %x %X %y %Y %Z %%', 1700000000))
      .toBe('Tue Tuesday Nov November Tue Nov 14 22:13:20 2023|14 11/14/23 14 2023-11-14 22 10 318 11 13 \n PM 20 \t 22:13:20 2 2 11/14/23 22:13:20 23 2023 GMT %');
    expect(date('!%C %g %G %h %r %R %U %V %W %z %Ec %EC %Ex %EX %Ey %EY %Od %Oe %OH %OI %Om %OM %OS %Ou %OU %OV %Ow %OW %Oy', 1700000000))
      .toBe('20 23 2023 Nov 10:13:20 PM 22:13 46 46 46 +0000 Tue Nov 14 22:13:20 2023 20 11/14/23 22:13:20 23 2023 14 14 22 10 11 13 20 2 46 46 2 46 23');
    expect(date('!%c', 0)).toBe('Thu Jan  1 00:00:00 1970');
    expect(date('!%x %X %p %I', 13 * 3600)).toBe('01/01/70 13:00:00 PM 01');
    expect(date('!%c', -1e10)).toBe('Mon Feb 10 06:13:20 1653');
    expect(date('!%I %p', 0)).toBe('12 AM');
    expect(date()).toMatch(/^[A-Z][a-z]{2} [A-Z][a-z]{2} [ 1-3]\d \d\d:\d\d:\d\d \d{4}$/); // default %c, now
    expect(date('no conversions')).toBe('no conversions');
  });

  it('ISO and Sunday/Monday week numbers around new year', () => {
    const at = (y: number, m: number, d: number) => time({ year: y, month: m, day: d, hour: 12 });
    expect(date('!%V %G %U %W', at(2021, 1, 1))).toBe('53 2020 00 00');
    expect(date('!%V %G %U %W', at(2020, 12, 31))).toBe('53 2020 52 52');
    expect(date('!%V %G %U %W %j', at(2026, 12, 31))).toBe('53 2026 52 52 365');
  });

  it('years before 1000 and before year 0 print like glibc', () => {
    const cases: [number, string][] = [
      [5, '5|0|05|4|04|5-01-01|Sat Jan  1 00:00:00 5'],
      [50, '50|0|50|49|49|50-01-01|Sat Jan  1 00:00:00 50'],
      [550, '550|5|50|550|50|550-01-01|Thu Jan  1 00:00:00 550'],
      [-5, '-5|-1|95|-6|94|-5-01-01|Sun Jan  1 00:00:00 -5'],
      [-101, '-101|-2|99|-102|98|-101-01-01|Sun Jan  1 00:00:00 -101'],
      [12345, '12345|123|45|12345|45|12345-01-01|Mon Jan  1 00:00:00 12345'],
    ];
    for (const [y, want] of cases) expect(date('!%Y|%C|%y|%G|%g|%F|%c', time({ year: y, month: 1, day: 1, hour: 0 }))).toBe(want);
    expect(time({ year: 50, month: 1, day: 1, hour: 0 })).toBe(-60589296000);
    expect(time({ year: -100, month: 1, day: 1, hour: 0 })).toBe(-65322892800);
  });

  it('*t and !*t tables', () => {
    const t = date('!*t', 1700000000) as LuaTable;
    const fields = ['year', 'month', 'day', 'hour', 'min', 'sec', 'wday', 'yday', 'isdst'].map((k) => t.get(k));
    expect(fields).toEqual([2023, 11, 14, 22, 13, 20, 3, 318, false]);
    expect((date('*t', 0) as LuaTable).get('year')).toBe(1970);
  });

  it('time normalises out-of-range fields like mktime and writes them back', () => {
    expect(time({ year: 2023, month: 11, day: 14, hour: 22, min: 13, sec: 20 })).toBe(1700000000);
    const t = new LuaTable();
    for (const [k, v] of Object.entries({ year: 2023, month: 14, day: -3, hour: 25, min: -70, sec: 3661 })) t.set(k, v);
    expect(O('time')(t)).toBe(1706489461);
    const got = ['year', 'month', 'day', 'hour', 'min', 'sec', 'yday', 'wday', 'isdst'].map((k) => t.get(k));
    expect(got).toEqual([2024, 1, 29, 0, 51, 1, 29, 2, false]);
    // hour defaults to 12; numeric strings are accepted.
    expect(time({ year: 2020, month: 1, day: '3' })).toBe(1578052800);
  });

  it('time round-trips with date("*t")', () => {
    for (const ts of [0, 1700000000, 951782400, -86400 * 1000, 4102444800]) {
      expect(O('time')(date('*t', ts))).toBe(ts);
    }
    const now = O('time')() as number;
    expect(Math.abs(now - Date.now() / 1000)).toBeLessThan(2);
    expect(O('time')(date('*t', now))).toBe(now);
  });

  it('time and date errors', () => {
    expect(raised(O('time'), new LuaTable())).toBe("field 'day' missing in date table");
    expect(raised(time, { year: 2020, month: 1 })).toBe("field 'day' missing in date table");
    expect(raised(time, { year: 2020, month: 1, day: 1.5 })).toBe("field 'day' is not an integer");
    expect(raised(time, { year: 2020, month: 1, day: 'x' })).toBe("field 'day' is not an integer");
    expect(raised(time, { year: 2 ** 40, month: 1, day: 1 })).toBe("field 'year' is out-of-bound");
    expect(raised(O('time'), 5)).toBe("bad argument #1 to 'time' (table expected, got number)");
    expect(raised(date, '%Ez abc')).toBe("bad argument #1 to 'date' (invalid conversion specifier '%Ez abc')");
    expect(raised(date, '%Q')).toBe("bad argument #1 to 'date' (invalid conversion specifier '%Q')");
    expect(raised(date, 'x%')).toBe("bad argument #1 to 'date' (invalid conversion specifier '%')");
    expect(raised(date, '%Y', 2 ** 60)).toBe('time result cannot be represented in this installation');
    expect(raised(date, '%Y', 1.5)).toBe("bad argument #2 to 'date' (number has no integer representation)");
  });

  it('honours an explicit isdst like glibc (UTC: isdst=true shifts one hour)', () => {
    expect(time({ year: 2023, month: 1, day: 1, hour: 0, isdst: true })).toBe(1672527600);
    expect(time({ year: 2023, month: 1, day: 1, hour: 0, isdst: false })).toBe(1672531200);
  });

  it('local time follows TZ (America/New_York, as lua5.3 with TZ set)', () => {
    process.env.TZ = 'America/New_York';
    try {
      expect(time({ year: 2023, month: 1, day: 1, hour: 0 })).toBe(1672549200);
      expect(time({ year: 2023, month: 1, day: 1, hour: 0, isdst: true })).toBe(1672545600);
      expect(time({ year: 2023, month: 7, day: 1, hour: 0 })).toBe(1688184000);
      expect(time({ year: 2023, month: 7, day: 1, hour: 0, isdst: false })).toBe(1688187600);
      expect(time({ year: 2023, month: 3, day: 12, hour: 2, min: 30 })).toBe(1678606200); // skipped hour
      // Repeated hour: the first (EDT) one, as lua5.3 in a fresh process (glibc caches its last offset).
      expect(time({ year: 2023, month: 11, day: 5, hour: 1, min: 30 })).toBe(1699162200);
      expect(date('%Z %z %c', 1700000000)).toBe('EST -0500 Tue Nov 14 17:13:20 2023');
      expect(date('%Z %z', 1690000000)).toBe('EDT -0400');
      const t = date('*t', 1690000000) as LuaTable;
      expect([t.get('isdst'), t.get('hour')]).toEqual([true, 0]);
      expect(date('!%H', 1690000000)).toBe('04');
      process.env.TZ = 'Europe/Berlin';
      expect(time({ year: 2023, month: 10, day: 29, hour: 2, min: 30 })).toBe(1698543000);
      expect(time({ year: 2023, month: 3, day: 26, hour: 2, min: 30 })).toBe(1679794200);
    } finally {
      process.env.TZ = 'UTC';
    }
  });

  it('clock, difftime and platform', () => {
    const c0 = O('clock')() as number;
    let x = 0;
    for (let i = 0; i < 2e6; i++) x += i;
    expect(x).toBeGreaterThan(0);
    const c1 = O('clock')() as number;
    expect(c0).toBeGreaterThan(0);
    expect(c1).toBeGreaterThanOrEqual(c0);
    expect(O('difftime')(10, 5)).toBe(5);
    expect(raised(O('difftime'), 5)).toBe("bad argument #2 to 'difftime' (number expected, got no value)");
    expect(os.get('platform')).toBe('wippy');
  });

  it('exit and getenv exist only in standalone mode; execute/remove/rename/tmpname never', () => {
    for (const k of ['exit', 'getenv', 'execute', 'remove', 'rename', 'tmpname']) expect(os.get(k)).toBeUndefined();
    const codes: number[] = [];
    const sa = createOsLib({
      standalone: true,
      exit: (code: number): never => {
        codes.push(code);
        throw new Error('exited');
      },
      getenv: (name) => (name === 'HOME' ? '/home/é' : undefined),
    });
    const exit = fn(sa, 'exit');
    for (const arg of [[], [true], [false], [3]]) expect(() => exit(...arg)).toThrow('exited');
    expect(codes).toEqual([0, 0, 1, 3]);
    expect(fn(sa, 'getenv')('HOME')).toBe('/home/\xc3\xa9'); // UTF-8 bytes
    expect(fn(sa, 'getenv')('NOPE')).toBeUndefined();
    expect(RV.n).toBe(1);
    for (const k of ['execute', 'remove', 'rename', 'tmpname']) expect(sa.get(k)).toBeUndefined();
  });
});

describe('errors', () => {
  const tostring = (e: unknown) => (metamethod(e, '__tostring') as Fn)(e);
  const method = (e: unknown, name: string) => ((metamethod(e, '__index') as LuaTable).get(name) as Fn)(e);

  it('kind constants have the spec strings', () => {
    expect(Object.fromEntries(['UNKNOWN', 'INVALID', 'NOT_FOUND', 'ALREADY_EXISTS', 'PERMISSION_DENIED', 'UNAVAILABLE', 'INTERNAL', 'CANCELED', 'CONFLICT', 'TIMEOUT', 'RATE_LIMITED'].map((k) => [k, errors.get(k)])))
      .toEqual({
        UNKNOWN: 'Unknown', INVALID: 'Invalid', NOT_FOUND: 'NotFound', ALREADY_EXISTS: 'AlreadyExists',
        PERMISSION_DENIED: 'PermissionDenied', UNAVAILABLE: 'Unavailable', INTERNAL: 'Internal', CANCELED: 'Canceled',
        CONFLICT: 'Conflict', TIMEOUT: 'Timeout', RATE_LIMITED: 'RateLimited',
      });
  });

  it('new from a string and from a table', () => {
    const e = E('new')('boom');
    expect(isErrorObject(e)).toBe(true);
    expect(luaType(e)).toBe('error');
    expect(method(e, 'message')).toBe('boom');
    expect(method(e, 'kind')).toBe('Unknown');
    expect(method(e, 'retryable')).toBeUndefined();
    expect(method(e, 'details')).toBeUndefined();
    const details = new LuaTable();
    details.set('id', 7);
    const spec = new LuaTable();
    spec.set('message', 'no user');
    spec.set('kind', errors.get('NOT_FOUND'));
    spec.set('retryable', false);
    spec.set('details', details);
    const e2 = E('new')(spec);
    expect([method(e2, 'message'), method(e2, 'kind'), method(e2, 'retryable'), method(e2, 'details')]).toEqual(['no user', 'NotFound', false, details]);
  });

  it('new requires a message', () => {
    const spec = new LuaTable();
    spec.set('kind', 'Invalid');
    expect(String(raised(E('new'), spec))).toContain('message');
    expect(raised(E('new'))).toBe("bad argument #1 to 'new' (string or table expected, got no value)");
    expect(raised(E('new'), true)).toBe("bad argument #1 to 'new' (string or table expected, got boolean)");
  });

  it('is checks the kind and is false for non-errors', () => {
    const spec = new LuaTable();
    spec.set('message', 'slow');
    spec.set('kind', 'Timeout');
    spec.set('retryable', true);
    const e = E('new')(spec);
    expect(E('is')(e, errors.get('TIMEOUT'))).toBe(true);
    expect(E('is')(e, errors.get('INTERNAL'))).toBe(false);
    expect(E('is')('slow', 'Timeout')).toBe(false);
    expect(E('is')(undefined, 'Timeout')).toBe(false);
  });

  it('wrap prefixes the context and keeps kind, retryable and details', () => {
    const spec = new LuaTable();
    spec.set('message', 'connection refused');
    spec.set('kind', 'Unavailable');
    spec.set('retryable', true);
    const inner = E('new')(spec);
    const outer = E('wrap')(inner, 'load user');
    expect(method(outer, 'message')).toBe('load user: connection refused');
    expect(tostring(outer)).toBe('load user: connection refused');
    expect(method(outer, 'kind')).toBe('Unavailable');
    expect(method(outer, 'retryable')).toBe(true);
    expect(E('is')(outer, 'Unavailable')).toBe(true);
    expect(method(inner, 'message')).toBe('connection refused');
    const twice = E('wrap')(outer, 'handler');
    expect(tostring(twice)).toBe('handler: load user: connection refused');
    const fromString = E('wrap')('disk full', 'save');
    expect([method(fromString, 'message'), method(fromString, 'kind')]).toEqual(['save: disk full', 'Unknown']);
    expect(E('wrap')(undefined, 'ctx')).toBeUndefined();
    expect(RV.n).toBe(1);
    expect(raised(E('wrap'), inner)).toBe("bad argument #2 to 'wrap' (string expected, got no value)");
  });

  it('tostring, .. and == work on error objects', () => {
    const e = E('new')('bad thing');
    expect(tostring(e)).toBe('bad thing');
    expect(luaConcat('error: ', e)).toBe('error: bad thing');
    expect(luaConcat(e, '!')).toBe('bad thing!');
    expect(luaConcat(1, e)).toBe('1bad thing');
    expect(() => luaConcat(e, new LuaTable())).toThrow(LuaError);
    expect(luaEq(e, e)).toBe(true);
    expect(luaEq(e, E('new')('bad thing'))).toBe(false);
  });

  it('methods reject non-error receivers', () => {
    const kind = (metamethod(E('new')('x'), '__index') as LuaTable).get('kind') as Fn;
    expect(raised(kind, 'x')).toBe("bad argument #1 to 'kind' (error expected, got string)");
  });

  it('newError for other modules', () => {
    const e = newError('rate limited', 'RateLimited', true);
    expect(e).toBeInstanceOf(ErrorObject);
    expect([e.message, e.kind, e.retryable]).toEqual(['rate limited', 'RateLimited', true]);
    expect(newError('x').kind).toBe('Unknown');
  });

  it('call_stack lists the Lua frames captured at creation', () => {
    // Pretend this test file is a compiled chunk whose JS lines are its Lua lines.
    const file = currentFile();
    chunks.set(file, { chunkname: 'app/user.lua', lineOf: (l) => l });
    let e: unknown;
    try {
      const inner$2 = () => E('new')('deep');
      const outer$1 = () => inner$2();
      e = outer$1();
    } finally {
      chunks.delete(file);
    }
    const cs = E('call_stack')(e) as LuaTable;
    expect(cs).toBeInstanceOf(LuaTable);
    expect(cs.get('thread')).toBe('main');
    const frames = cs.get('frames') as LuaTable;
    const f1 = frames.get(1) as LuaTable, f2 = frames.get(2) as LuaTable;
    expect([f1.get('level'), f1.get('source'), f1.get('name'), f1.get('type')]).toEqual([1, 'app/user.lua', 'inner', 'Lua']);
    expect([f2.get('level'), f2.get('name')]).toEqual([2, 'outer']);
    expect(typeof f1.get('line')).toBe('number');
    expect(method(e, 'stack')).toMatch(/^stack traceback:\n\tapp\/user\.lua:\d+: in function 'inner'/);
    // Wrapping keeps the original stack; non-errors and errors made outside Lua code have none.
    expect(((E('call_stack')(E('wrap')(e, 'ctx')) as LuaTable).get('frames') as LuaTable).length()).toBe(frames.length());
    expect(E('call_stack')('not an error')).toBeUndefined();
    expect(E('call_stack')(E('new')('no lua frames'))).toBeUndefined();
  });
});

function currentFile(): string {
  const holder: { stack?: unknown } = {};
  const prev = Error.prepareStackTrace;
  Error.prepareStackTrace = (_e, sites) => sites;
  try {
    Error.captureStackTrace(holder);
    return (holder.stack as NodeJS.CallSite[])[0].getFileName() ?? '';
  } finally {
    Error.prepareStackTrace = prev;
  }
}
