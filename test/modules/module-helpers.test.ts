// The shared module machinery: immutable module tables, host objects with methods, data conversions.

import { describe, expect, test } from 'vitest';
import { moduleTable, objectClass, hostObject, toLua, fromLua, toBytes, fromBytes } from '../../runtime/modules/module.js';
import { ret1 } from '../../runtime/lua/ret.js';
import { runWithModules } from '../wippy-helpers.js';

const demo = {
  name: 'demo',
  open: () => {
    const Point = objectClass('demo.Point', { x: (p: { data: { x: number } }) => ret1(p.data.x) });
    return moduleTable('demo', {
      point: (x: number) => ret1(hostObject({ x }, Point)),
      data: (s: string) => ret1(toLua(JSON.parse(fromBytes(s)))),
      VERSION: 'v1',
    });
  },
};

describe('module machinery', () => {
  test('module tables are read-only for Lua code', () => {
    expect(() => runWithModules('demo.extra = 1', [demo])).toThrow(/read-only/);
  });

  test('host objects expose their methods and hide their metatable', () => {
    const r = runWithModules('local p = demo.point(7) return p:x(), getmetatable(p), type(p)', [demo]);
    expect(r.results).toEqual([7, false, 'userdata']);
  });

  test('data converts to tables and back, text as UTF-8 bytes', () => {
    const r = runWithModules('local d = demo.data(\'{"a":[1,2,3],"b":"é"}\') return d.a[3], #d.b, d', [demo]);
    expect(r.results[0]).toBe(3);
    expect(r.results[1]).toBe(2);
    expect(fromLua(r.results[2])).toEqual({ a: [1, 2, 3], b: 'é' });
    expect(toBytes('é')).toBe('\xc3\xa9');
  });

  test('a table with holes or extra keys becomes an object', () => {
    const t = toLua({ 1: 'a', 3: 'c' });
    expect(fromLua(t)).toEqual({ 1: 'a', 3: 'c' });
  });
});
