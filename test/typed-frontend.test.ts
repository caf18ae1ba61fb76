// The typed front end: lexer, Wippy type-expression parser, and the position-preserving type eraser.

import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import luaparse from 'luaparse';
import { describe, expect, it } from 'vitest';
import { Lexer, LuaSyntaxError, numberValue, stringValue, tokenize } from '../compiler/parse/lexer.js';
import { parseTypeExpr, typeRefs, type TypeNode } from '../compiler/parse/type-parser.js';
import { eraseTypes, type TypeDecl } from '../compiler/parse/erase.js';

/** Erase and check the invariants every output must keep: same length, same newlines, only blanks/markers. */
function erase(src: string): { code: string; types: TypeDecl[] } {
  const r = eraseTypes(src);
  expect(r.code.length).toBe(src.length);
  for (let i = 0; i < src.length; i++) {
    const a = src[i], b = r.code[i];
    if (a === '\n' || a === '\r') expect(b).toBe(a);
    else if (a !== b) expect(' ;\xa7()').toContain(b);
  }
  return r;
}

function code(src: string): string {
  return erase(src).code;
}

function luaParse(code: string): any {
  return luaparse.parse(code, {
    luaVersion: '5.3', locations: true, ranges: true, encodingMode: 'pseudo-latin1', extendedIdentifiers: true,
  } as any);
}

/** The error a thunk throws (fails the test when it does not throw). */
function syntaxError(f: () => unknown): LuaSyntaxError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(LuaSyntaxError);
    return e as LuaSyntaxError;
  }
  throw new Error('expected a LuaSyntaxError');
}

// ---------------------------------------------------------------------------------------------------------------

describe('lexer', () => {
  const kinds = (src: string) => tokenize(src).map((t) => `${t.kind}:${t.value}`);

  it('tokenizes names, keywords, numbers, strings and every operator', () => {
    expect(kinds('local x = y.z')).toEqual(['keyword:local', 'name:x', 'symbol:=', 'name:y', 'symbol:.', 'name:z', 'eof:<eof>']);
    const ops = '+ - * / // % ^ # & ~ | << >> == ~= <= >= < > = ( ) { } [ ] :: ; : , . .. ... -> ? ! @';
    expect(tokenize(ops).slice(0, -1).map((t) => t.value)).toEqual(ops.split(' '));
    expect(tokenize(ops).slice(0, -1).every((t) => t.kind === 'symbol')).toBe(true);
  });

  it('reports exact offsets, 1-based lines and 0-based columns across \\n, \\r\\n and comments', () => {
    const src = 'a = 1\r\n  --[[ x\n y ]] b\n\tc';
    const t = tokenize(src);
    const at = (v: string) => t.find((x) => x.value === v)!;
    expect(at('a')).toMatchObject({ start: 0, end: 1, line: 1, column: 0 });
    expect(at('b')).toMatchObject({ start: src.indexOf('b'), line: 3, column: 6 });
    expect(at('c')).toMatchObject({ start: src.length - 1, line: 4, column: 1 });
  });

  it('lexes decimal, hex, hex-float and exponent numbers', () => {
    const nums = tokenize('3 3.0 3.1416 314.16e-2 0.31416E1 34e1 0x0.1E 0xA23p-4 0X1.921FB54442D18P+1 .5 0xff');
    expect(nums.slice(0, -1).every((t) => t.kind === 'number')).toBe(true);
    expect(nums.slice(0, -1).map((t) => numberValue(t.value))).toEqual(
      [3, 3, 3.1416, 3.1416, 3.1416, 340, 0.1171875, 162.1875, 3.141592653589793, 0.5, 255]);
  });

  it('decodes every short-string escape', () => {
    const src = String.raw`"a\tb\n\\\"\'\65\066\x41\u{48}\u{E9}\z
        end\
x"`;
    const [t] = tokenize(src);
    expect(t.kind).toBe('string');
    expect(t.value).toBe(src);
    expect(stringValue(t.value)).toBe('a\tb\n\\"\'AB' + 'AH\xc3\xa9end\nx');
  });

  it('long strings and comments with levels; first newline of a long string is skipped', () => {
    const t = tokenize('x = [==[\nhas ]] and ]=] inside]==] --[=[ comment ]] still ]=] y');
    expect(t.map((x) => x.value)).toEqual(['x', '=', '[==[\nhas ]] and ]=] inside]==]', 'y', '<eof>']);
    expect(stringValue(t[2].value)).toBe('has ]] and ]=] inside');
    expect(t[3].line).toBe(2);
  });

  it('skips a leading #! line', () => {
    const t = tokenize('#!/usr/bin/env lua\nprint(1)');
    expect(t[0]).toMatchObject({ value: 'print', line: 2, column: 0 });
  });

  it('reports unfinished strings and bad long brackets with positions', () => {
    const e = syntaxError(() => tokenize('x = 1\n  y = "abc\n'));
    expect(e.message).toMatch(/unfinished string/);
    expect([e.line, e.column]).toEqual([2, 6]);
    const l = syntaxError(() => tokenize('s = [==[ never closed'));
    expect(l.message).toMatch(/unfinished long string/);
    expect([l.line, l.column]).toEqual([1, 4]);
    expect(syntaxError(() => tokenize('x = [=x')).message).toMatch(/invalid long string delimiter/);
  });

  it('save/restore re-lexes from a saved position', () => {
    const lx = new Lexer('a b c');
    lx.next();
    const s = lx.save();
    expect(lx.next().value).toBe('b');
    expect(lx.next().value).toBe('c');
    lx.restore(s);
    expect(lx.next().value).toBe('b');
  });
});

// ---------------------------------------------------------------------------------------------------------------

describe('type expression parser', () => {
  const T = parseTypeExpr;
  const n = (name: string, extra: object = {}): TypeNode => ({ kind: 'name', name, ...extra }) as TypeNode;

  it('primitive, alias and qualified names', () => {
    expect(T('number')).toEqual(n('number'));
    expect(T('nil')).toEqual(n('nil'));
    expect(T('User')).toEqual(n('User'));
    expect(T('mod.sub.Type')).toEqual(n('mod.sub.Type'));
  });

  it('literal types', () => {
    expect(T('"admin"')).toEqual({ kind: 'literal', value: 'admin' });
    expect(T('42')).toEqual({ kind: 'literal', value: 42 });
    expect(T('-1.5')).toEqual({ kind: 'literal', value: -1.5 });
    expect(T('true')).toEqual({ kind: 'literal', value: true });
    expect(T('false')).toEqual({ kind: 'literal', value: false });
  });

  it('optional, union, intersection with precedence', () => {
    expect(T('string?')).toEqual({ kind: 'optional', inner: n('string') });
    expect(T('"a" | "b" | nil')).toEqual({ kind: 'union', types: [{ kind: 'literal', value: 'a' }, { kind: 'literal', value: 'b' }, n('nil')] });
    expect(T('A & B | C')).toEqual({ kind: 'union', types: [{ kind: 'intersection', types: [n('A'), n('B')] }, n('C')] });
    expect(T('| A | B')).toEqual({ kind: 'union', types: [n('A'), n('B')] });
    expect(T('(A | B)?')).toEqual({ kind: 'optional', inner: { kind: 'union', types: [n('A'), n('B')] } });
  });

  it('arrays {T} and T[], maps, records', () => {
    expect(T('{number}')).toEqual({ kind: 'array', elem: n('number') });
    expect(T('string[]')).toEqual({ kind: 'array', elem: n('string') });
    expect(T('number[][]')).toEqual({ kind: 'array', elem: { kind: 'array', elem: n('number') } });
    expect(T('{string?}')).toEqual({ kind: 'array', elem: { kind: 'optional', inner: n('string') } });
    expect(T('{[string]: number}')).toEqual({ kind: 'map', key: n('string'), value: n('number') });
    expect(T('{}')).toEqual({ kind: 'record', fields: [] });
    expect(T('{name: string, age?: number; readonly id: integer, readonly: boolean,}')).toEqual({
      kind: 'record',
      fields: [
        { name: 'name', type: n('string') },
        { name: 'age', type: n('number'), optional: true },
        { name: 'id', type: n('integer'), readonly: true },
        { name: 'readonly', type: n('boolean') },
      ],
    });
    expect(T('{name: string, [string]: any}')).toEqual({
      kind: 'record', fields: [{ name: 'name', type: n('string') }], indexer: { key: n('string'), value: n('any') },
    });
    expect(T('{type: string, end: number}')).toMatchObject({ kind: 'record', fields: [{ name: 'type' }, { name: 'end' }] });
  });

  it('function types: arrow, named/unnamed/variadic params, multiple returns, fun(), generics', () => {
    expect(T('(a: number, string, ...: boolean) -> nil')).toEqual({
      kind: 'function',
      params: [{ name: 'a', type: n('number') }, { type: n('string') }],
      variadic: n('boolean'),
      returns: n('nil'),
    });
    expect(T('(number) -> (string, integer)')).toEqual({
      kind: 'function', params: [{ type: n('number') }],
      returns: { kind: 'tuple', types: [n('string'), n('integer')] },
    });
    expect(T('() -> ()')).toEqual({ kind: 'function', params: [], returns: { kind: 'tuple', types: [] } });
    expect(T('(x: number) -> (y: number) -> number')).toEqual({
      kind: 'function', params: [{ name: 'x', type: n('number') }],
      returns: { kind: 'function', params: [{ name: 'y', type: n('number') }], returns: n('number') },
    });
    expect(T('fun(a: A, b?: B): R')).toEqual({
      kind: 'function', params: [{ name: 'a', type: n('A') }, { name: 'b', type: n('B'), optional: true }], returns: n('R'),
    });
    expect(T('fun(...): (R1, R2)')).toEqual({
      kind: 'function', params: [], variadic: n('any'), returns: { kind: 'tuple', types: [n('R1'), n('R2')] },
    });
    expect(T('fun()')).toEqual({ kind: 'function', params: [], returns: { kind: 'tuple', types: [] } });
    expect(T('<T>(x: T) -> T')).toEqual({
      kind: 'function', params: [{ name: 'x', type: n('T') }], returns: n('T'), generics: ['T'],
    });
    expect(T('((a: number) -> string)?')).toMatchObject({ kind: 'optional', inner: { kind: 'function' } });
  });

  it('generic arguments, splitting >> when nested', () => {
    expect(T('Box<number>')).toEqual(n('Box', { args: [n('number')] }));
    expect(T('Map<string, Box<Box<T>>>')).toEqual(
      n('Map', { args: [n('string'), n('Box', { args: [n('Box', { args: [n('T')] })] })] }));
  });

  it('typeof with the source range of its expression, keyof, index access', () => {
    const src = 'typeof(config.db)';
    expect(T(src)).toEqual({
      kind: 'typeof', expr: 'config.db', start: 7, end: 16, line: 1, column: 7, path: ['config', 'db'],
    });
    expect(T('typeof(f(x)[1])')).toEqual({ kind: 'typeof', expr: 'f(x)[1]', start: 7, end: 14, line: 1, column: 7 });
    expect(T('keyof(User)')).toEqual({ kind: 'keyof', inner: n('User') });
    expect(T('User["name"]')).toEqual({ kind: 'index', object: n('User'), index: { kind: 'literal', value: 'name' } });
  });

  it('conditional, readonly, inline interface', () => {
    expect(T('T extends string ? "s" : "o"')).toEqual({
      kind: 'conditional', check: n('T'), extends: n('string'),
      then: { kind: 'literal', value: 's' }, else: { kind: 'literal', value: 'o' },
    });
    expect(T('T extends string? ? 1 : 2')).toMatchObject({ extends: { kind: 'optional' } });
    expect(T('readonly {number}')).toEqual({ kind: 'readonly', inner: { kind: 'array', elem: n('number') } });
    expect(T('interface {name: string}')).toEqual({ kind: 'interface', extends: [], fields: [{ name: 'name', type: n('string') }] });
  });

  it('validator annotations keep name and literal args', () => {
    expect(T('number @min(0) @max(150)')).toEqual(
      n('number', { annotations: [{ name: 'min', args: [0] }, { name: 'max', args: [150] }] }));
    expect(T('{code: string @pattern("^%d+$") @min_len(1), t: number @min(-5)}')).toEqual({
      kind: 'record',
      fields: [
        { name: 'code', type: n('string', { annotations: [{ name: 'pattern', args: ['^%d+$'] }, { name: 'min_len', args: [1] }] }) },
        { name: 't', type: n('number', { annotations: [{ name: 'min', args: [-5] }] }) },
      ],
    });
  });

  it('nodes are JSON-serialisable', () => {
    const node = T('{a: (x: number) -> (string, Box<integer>), b?: "lit" | 3 | true, c: typeof(x.y)}');
    expect(JSON.parse(JSON.stringify(node))).toEqual(node);
  });

  it('malformed types raise LuaSyntaxError with positions', () => {
    let e = syntaxError(() => T('{name: }'));
    expect(e.message).toBe("unexpected symbol near '}' in type expression");
    expect([e.line, e.column]).toEqual([1, 7]);
    e = syntaxError(() => T('Box<number'));
    expect(e.message).toMatch(/'>' expected near <eof>/);
    e = syntaxError(() => T('(a: number)'));
    expect(e.message).toMatch(/'->' expected/);
    e = syntaxError(() => T('{a: number b: string}'));
    expect(e.message).toMatch(/'}' expected near 'b' in record type/);
    expect(syntaxError(() => T('typeof(a')).message).toMatch(/'\)' expected/);
    expect(syntaxError(() => T('number @min(x)')).message).toMatch(/literal expected/);
  });
});

describe('typeRefs', () => {
  it('lists distinct non-primitive roots in first-occurrence order', () => {
    expect(typeRefs(parseTypeExpr('{a: User, b: mod.Config, c: {User}, d: number, e: Box<Item>, f: mod.Other}')))
      .toEqual(['User', 'mod', 'Box', 'Item']);
  });

  it('excludes primitives, self and generic parameters in scope', () => {
    expect(typeRefs(parseTypeExpr('(self, x: string, y: table, z: thread) -> userdata | nil | any | unknown | never'))).toEqual([]);
    expect(typeRefs(parseTypeExpr('<T>(x: T, y: U) -> T'))).toEqual(['U']);
    expect(typeRefs(parseTypeExpr('{v: T, w: K}'), ['T'])).toEqual(['K']);
    // A generic declaration carries its parameters on the node, so typeRefs(decl.node) alone is right.
    const [decl] = eraseTypes('type Pair<K, V> = {key: K, value: V, next: Pair<K, V>?, meta: Meta}').types;
    expect(typeRefs(decl.node)).toEqual(['Pair', 'Meta']);
  });

  it('typeof contributes the root of a plain path', () => {
    expect(typeRefs(parseTypeExpr('{a: typeof(cfg.db), b: typeof(f(x))}'))).toEqual(['cfg']);
  });
});

// ---------------------------------------------------------------------------------------------------------------

describe('eraser: annotations', () => {
  it('local annotations, several names, optional types', () => {
    expect(code('local a: number, b: {string}? = 1, nil')).toBe('local a        , b            = 1, nil');
    expect(code('local m: {[string]: Box<number>} = {}')).toBe('local m                          = {}');
  });

  it('for variables', () => {
    expect(code('for i: integer = 1, 10 do end')).toBe('for i          = 1, 10 do end');
    expect(code('for k: string, v: number in pairs(t) do end')).toBe('for k        , v         in pairs(t) do end');
  });

  it('parameters, typed varargs, optional parameters', () => {
    expect(code('function f(a: number, b, ...: string) end')).toBe('function f(a        , b, ...        ) end');
    expect(code('local g = function(x: T?, y?: number) end')).toBe('local g = function(x    , y         ) end');
  });

  it('return annotations: single, tuple, asserts', () => {
    expect(code('function f(a): number return a end')).toBe('function f(a)         return a end');
    expect(code('function f(): (string, integer?) end')).toBe('function f()                     end');
    expect(code('local function check(x): asserts x is string end')).toBe('local function check(x)                      end');
    expect(code('function g(x): asserts x end')).toBe('function g(x)            end');
    expect(code('local h = function(): (a: number) -> string end')).toBe('local h = function()                        end');
  });

  it('generic parameter lists on every kind of function', () => {
    expect(code('function f<T, U: Constraint>(a: T): U end')).toBe('function f                  (a   )    end');
    expect(code('local function f<T>(x: T): T end')).toBe('local function f   (x   )    end');
    expect(code('function M.f<T>(x) end')).toBe('function M.f   (x) end');
    expect(code('function M.a.b:m<T>(x) end')).toBe('function M.a.b:m   (x) end');
    expect(code('local f = function<T>(x: T) end')).toBe('local f = function   (x   ) end');
  });

  it('method calls and method definitions are never annotations', () => {
    const src = 'function obj:method(a) return self:other(a):more "s" end\nlocal x = obj:go{1}:is(x)';
    expect(code(src)).toBe(src);
  });
});

describe('eraser: casts and non-nil assertions', () => {
  it('as casts after names, calls, indexes, literals, varargs and tables', () => {
    expect(code('local x = y as string')).toBe('local x = y          ');
    expect(code('local x = f(a) as {number}')).toBe('local x = f(a)            ');
    expect(code('local x = t[1] as Box<Box<integer>>, ... as number')).toBe('local x = t[1]                     , ...          ');
    expect(code('local x = "s" as string .. ({} as Rec).name')).toBe('local x = "s"           .. ({}       ).name');
    expect(code('local f = function() end as () -> ()')).toBe('local f = function() end            ');
  });

  it(':: casts, and ::name:: labels on one line', () => {
    expect(code('local n = (v :: number) + 1')).toBe('local n = (v          ) + 1');
    expect(code('goto done\n::done::')).toBe('goto done\n::done::');
    expect(code('f()\n::continue::\nx = 1')).toBe('f()\n::continue::\nx = 1');
    // `::` then a name on the next line: a cast (spec §2.2)
    expect(code('local y = x ::\nnumber')).toBe('local y = x   \n      ');
  });

  it('a cast ends where the type ends: comparisons, operators and keywords are Lua', () => {
    expect(code('if x as number < 3 then end')).toBe('if x           < 3 then end');
    expect(code('local b = x as number > 0 and y as string == "a"')).toBe('local b = x           > 0 and y           == "a"');
    expect(code('local s = (x as string or "") .. y')).toBe('local s = (x           or "") .. y');
    expect(code('local u = v as string | nil')).toBe('local u = v                ');
  });

  it('postfix ! anywhere in a suffix chain', () => {
    expect(code('local v = t.x!.y!:z()!')).toBe('local v = t.x .y :z() ');
    expect(code('return (a or b)!')).toBe('return (a or b) ');
    expect(syntaxError(() => eraseTypes('if a != b then end')).message).toMatch(/'~='/);
  });

  it('a cast followed by ( on the next line keeps statements apart with ;', () => {
    const src = 'local x = y as T\n(f)()';
    expect(code(src)).toBe('local x = y    ;\n(f)()');
    const ast = luaParse(code(src));
    expect(ast.body.map((s: any) => s.type)).toEqual(['LocalStatement', 'CallStatement']);
  });

  it('as is a plain name where Lua uses it as one', () => {
    const src = 'local t = {as = 1, type = 2}\nt.as = t.as + 1\nlocal v = t:as(1)\nx = y\nas = 3\nz = w\nas(1)\nprint(as)';
    expect(code(src)).toBe(src);
  });
});

describe('eraser: type declarations', () => {
  it('type declarations become §() markers with the TypeDecl list', () => {
    const src = 'local a = 1\ntype User = {\n  name: string,\n  age: number?,\n}\ntype Box<T> = {value: T}\nprint(type(a))';
    const r = erase(src);
    expect(r.code).toBe('local a = 1\n\xa7()          \n               \n               \n \n\xa7()                     \nprint(type(a))');
    expect(r.types).toEqual([
      {
        name: 'User', generics: [], line: 2, column: 0, kind: 'type',
        node: { kind: 'record', fields: [{ name: 'name', type: { kind: 'name', name: 'string' } }, { name: 'age', type: { kind: 'optional', inner: { kind: 'name', name: 'number' } } }] },
      },
      {
        name: 'Box', generics: ['T'], line: 6, column: 0, kind: 'type',
        node: { kind: 'record', fields: [{ name: 'value', type: { kind: 'name', name: 'T' } }], generics: ['T'] },
      },
    ]);
    const ast = luaParse(r.code);
    expect(ast.body[1]).toMatchObject({ type: 'CallStatement', expression: { base: { name: '\xa7' } }, loc: { start: { line: 2, column: 0 } } });
    expect(ast.body[2].loc.start).toEqual({ line: 6, column: 0 });
  });

  it('interfaces with bases, methods and fields', () => {
    const src = 'interface Shape : Base, Named\n  function area(self): number\n  function scale(self, k: number)\n  id: integer\nend\nx = 1';
    const r = erase(src);
    expect(r.code).toBe('\xa7()' + ' '.repeat(26) + '\n' + ' '.repeat(29) + '\n' + ' '.repeat(33) + '\n' + ' '.repeat(13) + '\n   \nx = 1');
    expect(r.types).toEqual([{
      name: 'Shape', generics: [], line: 1, column: 0, kind: 'interface',
      node: {
        kind: 'interface',
        extends: [{ kind: 'name', name: 'Base' }, { kind: 'name', name: 'Named' }],
        fields: [
          { name: 'area', method: true, type: { kind: 'function', params: [{ name: 'self', type: { kind: 'name', name: 'self' } }], returns: { kind: 'name', name: 'number' } } },
          { name: 'scale', method: true, type: { kind: 'function', params: [{ name: 'self', type: { kind: 'name', name: 'self' } }, { name: 'k', type: { kind: 'name', name: 'number' } }], returns: { kind: 'tuple', types: [] } } },
          { name: 'id', type: { kind: 'name', name: 'integer' } },
        ],
      },
    }]);
  });

  it('nested declarations inside functions keep their order and positions', () => {
    const src = 'local function f()\n  type Inner = string\n  return Inner\nend\ntype Outer = Inner';
    const r = erase(src);
    expect(r.types.map((t) => [t.name, t.line, t.column])).toEqual([['Inner', 2, 2], ['Outer', 5, 0]]);
    expect(r.code).toBe('local function f()\n  \xa7()                \n  return Inner\nend\n\xa7()               ');
  });

  it('a declaration inside a generic function treats the function\'s type parameters as generics', () => {
    const r = erase('local function wrap<T>(x: T)\n  type Box = {value: T, meta: Meta}\n  return Box\nend\ntype After = {v: T}');
    expect(r.types[0]).toMatchObject({ name: 'Box', generics: [], node: { generics: ['T'] } });
    expect(typeRefs(r.types[0].node)).toEqual(['Meta']);
    // outside the function T is an ordinary reference again
    expect(r.types[1].node.generics).toBeUndefined();
    expect(typeRefs(r.types[1].node)).toEqual(['T']);
  });

  it('a declaration followed by ( on the next line ends with ;', () => {
    expect(code('type A = number\n(f)()')).toBe('\xa7()           ;\n(f)()');
  });

  it('`type` is ordinary Lua unless it starts a declaration', () => {
    const src = 'local type = type\nM = {}\nprint(type(x), x.type, {type = 1})\ntype = 1\nlocal interface = 2\ninterface.x = 1';
    const r = erase(src);
    expect(r.code).toBe(src);
    expect(r.types).toEqual([]);
  });
});

describe('eraser: plain Lua passes through unchanged', () => {
  const tricky = [
    '#!/usr/bin/env lua',
    '-- comments mention x: number, y as string, t!, ::cast::, type X = {}, interface I end',
    '--[==[ long comment with function f<T>(a: T): T end ]==]',
    'local s1 = "a: b as c ! d :: e type X = 1 \\" still"',
    "local s2 = 'function<T>(x: T) interface Foo end'",
    'local s3 = [[',
    'type User = {name: string}',
    'local x: number = y as any',
    ']]',
    'local obj = {name = "n", as = 1, type = "t", ["is"] = true}',
    'function obj:greet(who) return self.name .. ":" .. who end',
    'function obj.static(a, b, ...) return select("#", ...) end',
    'local function helper(a, b) return a ~= b, a // b, a >> 1, a << 2, ~a, a & b, a | b end',
    'for i = 1, 10, 2 do if i % 3 == 0 then goto continue end print(i) ::continue:: end',
    'for k, v in pairs(obj) do print(k, v) end',
    'local t = {1, 2, 3; n = 3, [10] = "x", f = function(...) return ... end}',
    'while #t > 0 do table.remove(t) end',
    'repeat local z = 1 until z == 1',
    'local chained = obj:greet("a"):upper():sub(1, 2)',
    'print(("x"):rep(3), #"abc", -2 ^ 2, not nil)',
    'do local a <const> = 1 end',
  ].join('\n');

  it('a realistic program with tricky strings and comments is byte-for-byte identical', () => {
    const r = erase(tricky);
    expect(r.code).toBe(tricky);
    expect(r.types).toEqual([]);
  });

  const root = join(__dirname, '..', 'fixtures', 'lua');
  const files = existsSync(root)
    ? readdirSync(root).filter((d) => d !== 'typed').flatMap((d) => readdirSync(join(root, d)).filter((f) => f.endsWith('.lua')).map((f) => join(root, d, f)))
    : [];
  it.runIf(files.length > 0)(`every plain-Lua fixture (${files.length}) is unchanged`, () => {
    for (const f of files) {
      const src = readFileSync(f, 'latin1');
      expect(eraseTypes(src).code === src, f).toBe(true);
    }
  });
});

describe('eraser: the typed fixtures', () => {
  const dir = join(__dirname, '..', 'fixtures', 'lua', 'typed');
  const files = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.lua')) : [];
  it.runIf(files.length > 0)(`every typed fixture (${files.length}) erases to Lua that luaparse accepts`, () => {
    let decls = 0;
    for (const f of files) {
      const src = readFileSync(join(dir, f), 'latin1');
      const r = erase(src);
      const markers = (r.code.match(/\xa7\(\)/g) ?? []).length;
      expect(markers, f).toBe(r.types.length);
      decls += markers;
      expect(() => luaParse(r.code), f).not.toThrow();
    }
    expect(decls).toBeGreaterThan(0);
  });
});

describe('eraser: positions survive for luaparse', () => {
  it('identifiers after erased syntax keep their line and column', () => {
    const src = [
      'type Point = {x: number, y: number}',
      'local function dist<T>(p: Point, q: Point): number',
      '  local dx: number, dy = (p.x - q.x) :: number, p.y! - q.y',
      '  return math.sqrt(dx * dx + dy * dy) as number',
      'end',
      'local result = dist({x = 0, y = 0}, {x = 3, y = 4})',
    ].join('\n');
    const r = erase(src);
    const ast = luaParse(r.code);
    const ids: Record<string, { line: number; column: number }> = {};
    const walk = (n: any) => {
      if (!n || typeof n !== 'object') return;
      if (Array.isArray(n)) return n.forEach(walk);
      if (n.type === 'Identifier' && !ids[n.name]) ids[n.name] = n.loc.start;
      for (const k of Object.keys(n)) if (k !== 'loc' && k !== 'range') walk(n[k]);
    };
    walk(ast);
    const lines = src.split('\n');
    for (const [name, pos] of Object.entries(ids)) {
      if (name === '\xa7') continue;
      expect(lines[pos.line - 1].slice(pos.column, pos.column + name.length), name).toBe(name);
    }
    expect(ids.dy).toEqual({ line: 3, column: 20 });
    expect(ids.result).toEqual({ line: 6, column: 6 });
  });
});

describe('eraser: malformed type syntax', () => {
  it('reports line and column of the offending token', () => {
    let e = syntaxError(() => eraseTypes('local x = 1\nlocal y: {name: } = {}'));
    expect(e.message).toBe("unexpected symbol near '}' in type expression");
    expect([e.line, e.column]).toEqual([2, 16]);
    e = syntaxError(() => eraseTypes('function f(a: ) end'));
    expect([e.line, e.column]).toEqual([1, 14]);
    e = syntaxError(() => eraseTypes('type X = \nlocal y = 1'));
    expect(e.message).toMatch(/near 'local'/);
    expect([e.line, e.column]).toEqual([2, 0]);
    e = syntaxError(() => eraseTypes('interface I\n  function m(): number\n'));
    expect(e.message).toMatch(/'end' expected near <eof> in interface/);
    e = syntaxError(() => eraseTypes('type Box<T = {value: T}'));
    expect(e.message).toMatch(/'>' expected/);
  });
});
