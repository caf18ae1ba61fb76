// Runtime type values (spec §2.5): validation by call and :is(), reflection, validators, equality and subtyping.
// Types are built the way compiled code builds them: makeType(name, node, generics, thunks for typeRefs(node)).

import { describe, expect, it } from 'vitest';
import { parseTypeExpr, typeRefs, type TypeNode } from '../compiler/parse/type-parser.js';
import { eraseTypes } from '../compiler/parse/erase.js';
import { makeType, primitiveType, refNames, typeOf, TypeValue } from '../runtime/lua/types.js';
import { LuaTable } from '../runtime/lua/table.js';
import { LuaError } from '../runtime/lua/error.js';
import { call } from '../runtime/lua/call.js';
import { eq, index, le, lt } from '../runtime/lua/ops.js';
import { mv } from '../runtime/lua/ret.js';
import { luaType } from '../runtime/lua/value.js';
import { metamethod } from '../runtime/lua/meta.js';
import { tostring } from '../runtime/lua/lib/base.js';

/** Declare types like a chunk does: every declaration can refer to every other one (hoisting). */
function declare(src: string, globals: Record<string, unknown> = {}): Record<string, TypeValue> {
  const { types } = eraseTypes(src);
  const scope: Record<string, unknown> = { ...globals };
  for (const d of types) {
    scope[d.name] = makeType(d.name, d.node, d.generics, typeRefs(d.node).map((n) => () => scope[n]));
  }
  return scope as Record<string, TypeValue>;
}

function type1(expr: string, globals: Record<string, unknown> = {}): TypeValue {
  const node = parseTypeExpr(expr);
  return makeType(undefined, node, [], typeRefs(node).map((n) => () => globals[n]));
}

/** A Lua table from a JS object/array (arrays become sequences). */
function lua(v: unknown): unknown {
  if (Array.isArray(v)) return LuaTable.from(v.map(lua));
  if (v && typeof v === 'object' && !(v instanceof LuaTable) && !(v instanceof TypeValue)) {
    const t = new LuaTable();
    for (const [k, x] of Object.entries(v)) t.set(k, lua(x));
    return t;
  }
  return v;
}

/** `T:method(...)` with all results. */
function method(t: unknown, name: string, ...args: unknown[]): unknown[] {
  const f = index(t, name);
  return [...mv(call(f, t, ...args))];
}

/** `T(v)`: the value, or the error message. */
function validate(t: TypeValue, v: unknown): { ok: unknown } | { err: string } {
  try {
    return { ok: call(t, v) };
  } catch (e) {
    expect(e).toBeInstanceOf(LuaError);
    return { err: String((e as LuaError).value) };
  }
}

function errorOf(t: TypeValue, v: unknown): string {
  const r = validate(t, v);
  if ('ok' in r) throw new Error('expected a validation error');
  return r.err;
}

describe('type values are Lua values of type "type"', () => {
  it('type() and __name', () => {
    const { User } = declare('type User = {name: string}');
    expect(User).toBeInstanceOf(TypeValue);
    expect(luaType(User)).toBe('type');
    expect(metamethod(User, '__name')).toBe('type');
  });

  it('typeOf gives the primitive type of a value', () => {
    expect(typeOf(1)).toBe(primitiveType('number'));
    expect(typeOf('s')).toBe(primitiveType('string'));
    expect(typeOf(undefined)).toBe(primitiveType('nil'));
    expect(typeOf(new LuaTable())).toBe(primitiveType('table'));
    expect(typeOf(() => 0)).toBe(primitiveType('function'));
    expect(method(typeOf(true), 'kind')).toEqual(['boolean']);
    expect(method(typeOf(primitiveType('number')), 'kind')).toEqual(['type']);
  });
});

describe('T(v) validates', () => {
  const { User, Address } = declare(`
    type Address = {street: string, zip: string?}
    type User = {name: string, age: number, email: string?, address: Address?}
  `);

  it('returns the value itself when it conforms', () => {
    const u = lua({ name: 'Ann', age: 30 });
    expect(validate(User, u)).toEqual({ ok: u });
    const v = lua({ name: 'Bob', age: 1, address: { street: 'Main' }, extra: true });
    expect(validate(User, v)).toEqual({ ok: v });
  });

  it('names the failing field, the expected and the actual type', () => {
    expect(errorOf(User, lua({ name: 'Ann', age: 'old' }))).toBe("field 'age': expected number, got string");
    expect(errorOf(User, lua({ age: 3 }))).toBe("field 'name': expected string, got nil");
    expect(errorOf(User, lua({ name: 'A', age: 1, email: 5 }))).toBe("field 'email': expected string?, got number");
    expect(errorOf(User, lua({ name: 'A', age: 1, address: { street: 1 } }))).toBe("field 'address.street': expected string, got number");
    expect(errorOf(User, 'nope')).toBe('expected User, got string');
    expect(errorOf(Address, undefined)).toBe('expected Address, got nil');
  });

  it('T:is(v) returns v, nil or nil, err', () => {
    const u = lua({ name: 'Ann', age: 30 });
    expect(method(User, 'is', u)).toEqual([u, undefined]);
    expect(method(User, 'is', lua({ name: 'Ann' }))).toEqual([undefined, "field 'age': expected number, got nil"]);
  });

  it('primitives: integer accepts integral numbers only; any/unknown accept nil; never accepts nothing', () => {
    const I = primitiveType('integer');
    expect(validate(I, 3)).toEqual({ ok: 3 });
    expect(validate(I, 3.0)).toEqual({ ok: 3 });
    expect(errorOf(I, 3.5)).toBe('expected integer, got number');
    expect(validate(primitiveType('any'), undefined)).toEqual({ ok: undefined });
    expect(validate(primitiveType('unknown'), 'x')).toEqual({ ok: 'x' });
    expect(errorOf(primitiveType('never'), 1)).toBe('expected never, got number');
    expect(errorOf(primitiveType('string'), 1)).toBe('expected string, got number');
    expect(validate(primitiveType('table'), new LuaTable()).hasOwnProperty('ok')).toBe(true);
    expect(errorOf(primitiveType('function'), new LuaTable())).toBe('expected function, got table');
  });

  it('arrays check every element and reject non-sequence keys', () => {
    const A = type1('{number}');
    expect(validate(A, lua([1, 2, 3]))).toHaveProperty('ok');
    expect(validate(A, new LuaTable())).toHaveProperty('ok');
    expect(errorOf(A, lua([1, 'x', 3]))).toBe("field '[2]': expected number, got string");
    expect(errorOf(A, lua({ name: 'x' }))).toBe('expected {number}, got table with key "name"');
    const B = type1('string[]');
    expect(errorOf(B, lua(['a', 2]))).toBe("field '[2]': expected string, got number");
  });

  it('maps check every key and value', () => {
    const M = type1('{[string]: number}');
    expect(validate(M, lua({ a: 1, b: 2 }))).toHaveProperty('ok');
    expect(errorOf(M, lua({ a: 1, b: 'x' }))).toBe("field 'b': expected number, got string");
    expect(errorOf(M, lua([5]))).toBe("field '[1]': invalid key: expected string, got number");
    const N = type1('{[integer]: {string}}');
    expect(errorOf(N, lua([['a'], ['b', false]]))).toBe("field '[2][2]': expected string, got boolean");
  });

  it('records with an indexer check the remaining entries', () => {
    const R = type1('{id: integer, [string]: string}');
    expect(validate(R, lua({ id: 1, a: 'x' }))).toHaveProperty('ok');
    expect(errorOf(R, lua({ id: 1, a: 2 }))).toBe("field 'a': expected string, got number");
  });

  it('unions, optionals and literals', () => {
    const S = type1('"admin" | "user" | nil');
    expect(validate(S, 'admin')).toEqual({ ok: 'admin' });
    expect(validate(S, undefined)).toEqual({ ok: undefined });
    expect(errorOf(S, 'root')).toBe('expected "admin" | "user" | nil, got "root"');
    const O = type1('number?');
    expect(validate(O, undefined)).toEqual({ ok: undefined });
    expect(errorOf(O, 'x')).toBe('expected number?, got string');
    expect(errorOf(type1('42'), 41)).toBe('expected 42, got 41');
    expect(errorOf(type1('true'), false)).toBe('expected true, got false');
  });

  it('a union of records reports the inner failure of the only variant that fits the shape', () => {
    const { Shape } = declare('type Shape = {kind: "circle", r: number} | string');
    expect(errorOf(Shape, lua({ kind: 'circle', r: 'big' }))).toBe("field 'r': expected number, got string");
    expect(errorOf(Shape, 7)).toBe('expected {kind: "circle", r: number} | string, got number');
  });

  it('intersections require every part', () => {
    const { Named, Aged, Person } = declare('type Named = {name: string}\ntype Aged = {age: number}\ntype Person = Named & Aged');
    expect(validate(Person, lua({ name: 'a', age: 1 }))).toHaveProperty('ok');
    expect(errorOf(Person, lua({ name: 'a' }))).toBe("field 'age': expected number, got nil");
    void Named; void Aged;
  });

  it('function types accept functions and callable values', () => {
    const F = type1('(a: number) -> string');
    expect(validate(F, () => 'x')).toHaveProperty('ok');
    const callable = new LuaTable();
    callable.mt = new LuaTable();
    callable.mt.setStr('__call', () => 1);
    expect(validate(F, callable)).toHaveProperty('ok');
    expect(errorOf(F, 3)).toBe('expected (a: number) -> string, got number');
  });

  it('interfaces accept tables and objects whose methods come through __index', () => {
    const { Shape } = declare('interface Shape\n  function area(self): number\n  name: string\nend');
    const proto = new LuaTable();
    proto.setStr('area', () => 1);
    const obj = lua({ name: 'sq' }) as LuaTable;
    obj.mt = new LuaTable();
    obj.mt.setStr('__index', proto);
    expect(validate(Shape, obj)).toHaveProperty('ok');
    expect(errorOf(Shape, lua({ name: 'x' }))).toBe("field 'area': expected (self: self) -> number, got nil");
    expect(errorOf(Shape, lua({ name: 'x', area: 1 }))).toBe("field 'area': expected (self: self) -> number, got number");
  });

  it('interfaces inherit the fields of their bases', () => {
    const { Named, Animal } = declare(`
      interface Named
        name: string
      end
      interface Animal : Named
        function speak(self): string
      end`);
    const fn = () => 'x';
    expect(validate(Animal, lua({ name: 'rex', speak: fn }))).toHaveProperty('ok');
    expect(errorOf(Animal, lua({ speak: fn }))).toBe("field 'name': expected string, got nil");
    expect(method(Animal, 'kind')).toEqual(['interface']);
    void Named;
  });
});

describe('references, generics and recursion', () => {
  it('forward references resolve on first use', () => {
    const scope: Record<string, unknown> = {};
    const { types } = eraseTypes('type A = {b: B}\ntype B = {n: number}');
    const [a, b] = types;
    const A = makeType('A', a.node, [], typeRefs(a.node).map((n) => () => scope[n]));
    scope.A = A; // B is not defined yet: making A does not touch it
    scope.B = makeType('B', b.node, [], typeRefs(b.node).map((n) => () => scope[n]));
    expect(errorOf(A, lua({ b: { n: 'x' } }))).toBe("field 'b.n': expected number, got string");
  });

  it('recursive types and cyclic values', () => {
    const { Node } = declare('type Node = {value: number, next: Node?}');
    expect(validate(Node, lua({ value: 1, next: { value: 2, next: { value: 3 } } }))).toHaveProperty('ok');
    expect(errorOf(Node, lua({ value: 1, next: { value: 2, next: { value: 'x' } } })))
      .toBe("field 'next.next.value': expected number, got string");
    const cyc = lua({ value: 1 }) as LuaTable;
    cyc.setStr('next', cyc);
    expect(validate(Node, cyc)).toEqual({ ok: cyc });
    const { Tree } = declare('type Tree = {children: {Tree}}');
    expect(errorOf(Tree, lua({ children: [{ children: [] }, { children: [1] }] })))
      .toBe("field 'children[2].children[1]': expected Tree, got number");
  });

  it('deep values validate; too deep ones fail cleanly instead of crashing', () => {
    const { List } = declare('type List = {v: integer, rest: List?}');
    let l: LuaTable | undefined;
    for (let i = 0; i < 500; i++) {
      const t = new LuaTable();
      t.setStr('v', i);
      if (l) t.setStr('rest', l);
      l = t;
    }
    expect(validate(List, l)).toEqual({ ok: l });
    for (let i = 0; i < 100000; i++) {
      const t = new LuaTable();
      t.setStr('v', i);
      t.setStr('rest', l);
      l = t;
    }
    expect(method(List, 'is', l)).toEqual([undefined, 'value is nested too deeply to validate']);
  });

  it('generic types are instantiated by their arguments', () => {
    const { Box, Boxes } = declare('type Box<T> = {value: T}\ntype Boxes = {a: Box<number>, b: Box<Box<string>>}');
    expect(validate(Boxes, lua({ a: { value: 1 }, b: { value: { value: 's' } } }))).toHaveProperty('ok');
    expect(errorOf(Boxes, lua({ a: { value: 'x' }, b: { value: { value: 's' } } }))).toBe("field 'a.value': expected number, got string");
    expect(errorOf(Boxes, lua({ a: { value: 1 }, b: { value: { value: 2 } } }))).toBe("field 'b.value.value': expected string, got number");
    // The generic itself: T unbound admits anything.
    expect(validate(Box, lua({ value: false }))).toHaveProperty('ok');
    expect(errorOf(Box, 1)).toBe('expected Box, got number');
  });

  it('qualified names look the type up in a library table', () => {
    const lib = new LuaTable();
    const { Config } = declare('type Config = {port: integer}');
    lib.setStr('Config', Config);
    const { Server } = declare('type Server = {cfg: mylib.Config}', { mylib: lib });
    expect(errorOf(Server, lua({ cfg: { port: 1.5 } }))).toBe("field 'cfg.port': expected integer, got number");
    const { Bad } = declare('type Bad = {x: mylib.Missing}', { mylib: lib });
    expect(errorOf(Bad, lua({ x: 1 }))).toMatch(/type 'mylib.Missing' is not defined/);
  });

  it('undefined or non-type references raise clear errors', () => {
    const { A } = declare('type A = {b: Nope}');
    expect(errorOf(A, lua({ b: 1 }))).toMatch(/type 'Nope' is not defined/);
    const { C } = declare('type C = {b: notatype}', { notatype: 5 });
    expect(errorOf(C, lua({ b: 1 }))).toMatch(/'notatype' is not a type \(a number value\)/);
  });

  it('the runtime walk of refs agrees with the compiler typeRefs', () => {
    const exprs = [
      '{a: User, b: mod.Config, c: {User}, d: number, e: Box<Item>, f: mod.Other}',
      '<T>(x: T, y: U, ...: V) -> (T, W)',
      'A extends B ? {[K]: V} : readonly L[] | keyof(M) | N["x"] | typeof(cfg.a) | interface {f: O}',
      'fun(a: self, b?: P): asserts a is Q',
    ];
    for (const e of exprs) {
      const node = parseTypeExpr(e);
      expect(refNames(node)).toEqual(typeRefs(node));
    }
    const decl = eraseTypes('type G<T, U> = {a: T, b: U, c: X}').types[0];
    expect(refNames(decl.node, decl.generics)).toEqual(typeRefs(decl.node));
  });
});

describe('validators', () => {
  const { Person } = declare(`
    type Age = number @min(0) @max(150)
    type Person = {
      name: string @min_len(1) @max_len(5),
      age: Age,
      code: string? @pattern("^%u%u%d+$"),
      tags: {string} @max_len(2),
    }
  `);
  const ok = { name: 'Ann', age: 30, code: 'AB12', tags: ['a'] };

  it('pass when every constraint holds', () => {
    expect(validate(Person, lua(ok))).toHaveProperty('ok');
    expect(validate(Person, lua({ ...ok, code: undefined }))).toHaveProperty('ok');
  });

  it('@min / @max on numbers, through an alias', () => {
    expect(errorOf(Person, lua({ ...ok, age: -1 }))).toBe("field 'age': value -1 is less than minimum 0");
    expect(errorOf(Person, lua({ ...ok, age: 200 }))).toBe("field 'age': value 200 is greater than maximum 150");
    expect(errorOf(Person, lua({ ...ok, age: 'x' }))).toBe("field 'age': expected Age, got string");
  });

  it('@min_len / @max_len on strings and tables', () => {
    expect(errorOf(Person, lua({ ...ok, name: '' }))).toBe("field 'name': length 0 is less than minimum length 1");
    expect(errorOf(Person, lua({ ...ok, name: 'Annabel' }))).toBe("field 'name': length 7 is greater than maximum length 5");
    expect(errorOf(Person, lua({ ...ok, tags: ['a', 'b', 'c'] }))).toBe("field 'tags': length 3 is greater than maximum length 2");
  });

  it('@pattern is a Lua pattern', () => {
    expect(errorOf(Person, lua({ ...ok, code: 'ab12' }))).toBe('field \'code\': value "ab12" does not match pattern "^%u%u%d+$"');
    expect(method(type1('string @pattern("%d")'), 'is', 'x1y')).toEqual(['x1y', undefined]);
  });

  it('apply in T:is too', () => {
    const [v, err] = method(Person, 'is', lua({ ...ok, age: 151 }));
    expect(v).toBeUndefined();
    expect(err).toBe("field 'age': value 151 is greater than maximum 150");
  });
});

describe('reflection', () => {
  const { User, Status, Handler, Scores, Pair } = declare(`
    type User = {name: string, age: number?, tags: {string}}
    type Status = "on" | "off"
    type Handler = (req: table, n: integer) -> (boolean, string?)
    type Scores = {[string]: number}
    type Pair<K, V> = {key: K, value: V}
  `);

  it('kind and name', () => {
    expect(method(User, 'kind')).toEqual(['record']);
    expect(method(User, 'name')).toEqual(['User']);
    expect(method(Status, 'kind')).toEqual(['union']);
    expect(method(Handler, 'kind')).toEqual(['function']);
    expect(method(Scores, 'kind')).toEqual(['map']);
    expect(method(primitiveType('number'), 'kind')).toEqual(['number']);
    expect(method(primitiveType('number'), 'name')).toEqual(['number']);
    expect(method(type1('string?'), 'kind')).toEqual(['optional']);
    expect(method(type1('"x"'), 'kind')).toEqual(['literal']);
    expect(method(type1('{number}'), 'kind')).toEqual(['array']);
    expect(method(type1('{number}'), 'name')).toEqual([undefined]);
    expect(method(Pair, 'kind')).toEqual(['record']);
    const { Alias } = declare('type Alias = User', { User });
    expect(method(Alias, 'kind')).toEqual(['record']);
    expect(method(Alias, 'name')).toEqual(['Alias']);
  });

  it('T.field and :fields()', () => {
    const nameT = index(User, 'name'); // the method wins over a field called `name`
    expect(typeof nameT).toBe('function');
    const ageT = index(User, 'age') as TypeValue;
    expect(tostring(ageT)).toBe('number?');
    expect(method(index(User, 'tags'), 'kind')).toEqual(['array']);
    expect(index(User, 'missing')).toBeUndefined();
    const [iter] = method(User, 'fields');
    const seen: string[] = [];
    for (;;) {
      const [k, t] = [...mv(call(iter))];
      if (k === undefined) break;
      seen.push(`${k}=${tostring(t)}`);
    }
    expect(seen).toEqual(['name=string', 'age=number?', 'tags={string}']);
  });

  it(':elem, :key, :val, :inner, :variants, :params, :ret', () => {
    expect(method(index(User, 'tags'), 'elem')[0]).toBe(primitiveType('string'));
    expect(method(Scores, 'key')[0]).toBe(primitiveType('string'));
    expect(method(Scores, 'val')[0]).toBe(primitiveType('number'));
    expect(method(index(User, 'age'), 'inner')[0]).toBe(primitiveType('number'));
    const [vs] = method(Status, 'variants') as [LuaTable];
    expect(vs.arr.map((t) => tostring(t))).toEqual(['"on"', '"off"']);
    const [ps] = method(Handler, 'params') as [LuaTable];
    expect(ps.arr).toEqual([primitiveType('table'), primitiveType('integer')]);
    const [r] = method(Handler, 'ret');
    expect(method(r, 'kind')).toEqual(['tuple']);
    expect(tostring(r)).toBe('(boolean, string?)');
    expect(method(User, 'elem')).toEqual([undefined]);
  });

  it('references to named types reflect as those type values', () => {
    const { Order, Item } = declare('type Item = {sku: string}\ntype Order = {items: {Item}, first: Item}');
    expect(index(Order, 'first')).toBe(Item);
    expect(method(index(Order, 'items'), 'elem')[0]).toBe(Item);
  });

  it('tostring shows the structure', () => {
    expect(tostring(User)).toBe('{name: string, age: number?, tags: {string}}');
    expect(tostring(Status)).toBe('"on" | "off"');
    expect(tostring(Handler)).toBe('(req: table, n: integer) -> (boolean, string?)');
    expect(tostring(Scores)).toBe('{[string]: number}');
    expect(tostring(type1('number @min(0) @max(9)'))).toBe('number @min(0) @max(9)');
    expect(tostring(type1('((a: number) -> string)?'))).toBe('((a: number) -> string)?');
    expect(tostring(type1('(A | B)[]', {}))).toBe('{A | B}');
  });

  it('non-type receivers are rejected', () => {
    const kind = index(User, 'kind');
    expect(() => call(kind, 5)).toThrow(LuaError);
  });
});

describe('equality and subtyping', () => {
  const { User, User2, Named, Admin, N } = declare(`
    type User = {name: string, age: number?}
    type User2 = {age: number?, name: string}
    type Named = {name: string}
    type Admin = {name: string, age: number?, level: integer}
    type N = number
  `);

  it('== is structural and aliases are transparent', () => {
    expect(eq(User, User2)).toBe(true);
    expect(eq(User, Named)).toBe(false);
    expect(eq(N, primitiveType('number'))).toBe(true);
    expect(eq(type1('"a" | "b"'), type1('"b" | "a"'))).toBe(true);
    expect(eq(type1('{number}'), type1('number[]'))).toBe(true);
    expect(eq(type1('{number}'), type1('{string}'))).toBe(false);
    expect(eq(type1('number @min(1)'), type1('number'))).toBe(false);
    const { L1, L2 } = declare('type L1 = {next: L1?}\ntype L2 = {next: L2?}');
    expect(eq(L1, L2)).toBe(true);
  });

  it('<= is subtyping; < is strict', () => {
    const I = primitiveType('integer'), Num = primitiveType('number');
    expect(le(I, Num)).toBe(true);
    expect(le(Num, I)).toBe(false);
    expect(lt(I, Num)).toBe(true);
    expect(lt(Num, Num)).toBe(false);
    expect(le(Num, Num)).toBe(true);
    expect(le(Admin, User)).toBe(true);
    expect(le(User, Admin)).toBe(false);
    expect(le(User, Named)).toBe(true);
    expect(lt(Admin, Named)).toBe(true);
    expect(le(type1('"a"'), primitiveType('string'))).toBe(true);
    expect(le(type1('"a" | "b"'), type1('string?'))).toBe(true);
    expect(le(type1('string?'), primitiveType('string'))).toBe(false);
    expect(le(primitiveType('nil'), type1('number?'))).toBe(true);
    expect(le(type1('{integer}'), type1('{number}'))).toBe(true);
    expect(le(type1('{[string]: integer}'), type1('{[string]: number}'))).toBe(true);
    expect(le(User, primitiveType('table'))).toBe(true);
    expect(le(User, primitiveType('any'))).toBe(true);
    expect(le(primitiveType('never'), User)).toBe(true);
    expect(le(type1('(x: number) -> integer'), type1('(x: integer) -> number'))).toBe(true);
    expect(le(type1('(x: integer) -> number'), type1('(x: number) -> integer'))).toBe(false);
    expect(le(type1('number @min(0)'), primitiveType('number'))).toBe(true);
    expect(le(primitiveType('number'), type1('number @min(0)'))).toBe(false);
  });

  it('recursive types compare without looping', () => {
    const { A, B } = declare('type A = {v: integer, next: A?}\ntype B = {v: number, next: B?}');
    expect(le(A, B)).toBe(true);
    expect(le(B, A)).toBe(false);
  });

  it('comparing a type with a non-type is an error', () => {
    expect(() => le(User, 1)).toThrow(LuaError);
  });

  it('type values can be table keys (by identity)', () => {
    const t = new LuaTable();
    t.set(User, 'u');
    t.set(Named, 'n');
    expect(t.get(User)).toBe('u');
    expect(t.get(Named)).toBe('n');
  });
});

describe('conditional, keyof, index and typeof types resolve at run time', () => {
  it('keyof gives the union of field names', () => {
    const { Keys } = declare('type U = {a: number, b: string}\ntype Keys = keyof(U)');
    expect(validate(Keys, 'a')).toEqual({ ok: 'a' });
    expect(errorOf(Keys, 'c')).toBe('expected "a" | "b", got "c"');
    expect(method(Keys, 'kind')).toEqual(['union']);
  });

  it('T["field"] is the field type', () => {
    const { Name } = declare('type U = {name: string}\ntype Name = U["name"]');
    expect(validate(Name, 'x')).toEqual({ ok: 'x' });
    expect(errorOf(Name, 1)).toBe('expected Name, got number');
  });

  it('conditional types pick a branch by subtyping', () => {
    const { Yes, No } = declare('type Yes = integer extends number ? "y" : "n"\ntype No = string extends number ? "y" : "n"');
    expect(validate(Yes, 'y')).toEqual({ ok: 'y' });
    expect(validate(No, 'n')).toEqual({ ok: 'n' });
  });

  it('typeof(expr) is the runtime type of the referenced value', () => {
    const cfg = lua({ port: 80 });
    const { Port } = declare('type Port = typeof(cfg.port)', { cfg });
    expect(method(Port, 'kind')).toEqual(['number']);
    expect(errorOf(Port, 'x')).toBe('expected Port, got string');
  });
});

describe('makeType from raw nodes', () => {
  it('accepts JSON-cloned nodes (as emitted into generated code)', () => {
    const node: TypeNode = JSON.parse(JSON.stringify(parseTypeExpr('{id: integer, kids: {Self2}?}')));
    let T: TypeValue;
    T = makeType('Self2', node, [], [() => T]);
    expect(validate(T, lua({ id: 1, kids: [{ id: 2 }] }))).toHaveProperty('ok');
    expect(errorOf(T, lua({ id: 1, kids: [{ id: 'x' }] }))).toBe("field 'kids[1].id': expected integer, got string");
  });
});
