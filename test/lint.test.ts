// Opt-in lint rules (`lunac check --rules`, W0001–W0007): one positive case per rule with exact position and
// message, plus the exemptions and uses that must stay silent.

import { describe, expect, it } from 'vitest';
import { parseLua } from '../compiler/parse/parse.js';
import { resolveScopes } from '../compiler/analyse/scope.js';
import { LINT_RULES, lintChunk, type LintFinding } from '../compiler/check/lint.js';

function lint(src: string, rules: string[] = ['all'], declared: string[] = []): LintFinding[] {
  const { ast, types } = parseLua(src);
  return lintChunk(ast, resolveScopes(ast, types), { rules: new Set(rules), declared });
}

/** Findings of one rule as `line:column message`. */
function only(code: string, src: string, declared: string[] = []): string[] {
  return lint(src, [code], declared).map((f) => `${f.line}:${f.column} ${f.message}`);
}

describe('rule selection', () => {
  it('enables rules by code, by name, or all', () => {
    const src = 'local x = 1\ny = 2';
    expect(lint(src, ['W0004']).map((f) => f.code)).toEqual(['W0004']);
    expect(lint(src, ['no-global-assign']).map((f) => f.code)).toEqual(['W0002']);
    expect(lint(src, ['all']).map((f) => f.code)).toEqual(['W0004', 'W0002']);
    expect(lint(src, [])).toEqual([]);
  });

  it('lists the seven rules with their spec names', () => {
    expect(LINT_RULES.map((r) => `${r.code} ${r.name}`)).toEqual([
      'W0001 no-empty-blocks', 'W0002 no-global-assign', 'W0003 no-self-compare', 'W0004 no-unused-vars',
      'W0005 no-unused-params', 'W0006 no-unused-imports', 'W0007 no-shadowed-vars',
    ]);
  });

  it('fills in code, name, 1-based line and column', () => {
    expect(lint('local a = 1\n  local b = a', ['W0004'])).toEqual([
      { code: 'W0004', name: 'no-unused-vars', line: 2, column: 9, message: "unused local variable 'b'" },
    ]);
  });
});

describe('W0001 no-empty-blocks', () => {
  it('flags empty do, while, repeat and for bodies at the statement start', () => {
    const src = 'do end\n  while f() do end\nrepeat until f()\nfor i = 1, 2 do end\nfor k in pairs(t) do end';
    expect(only('W0001', src)).toEqual(['1:1 empty block', '2:3 empty block', '3:1 empty block', '4:1 empty block', '5:1 empty block']);
  });

  it('flags each empty if/elseif/else branch at its keyword', () => {
    const src = 'if a then\n  f()\nelseif b then\nelse\nend';
    expect(only('W0001', src)).toEqual(['3:1 empty block', '4:1 empty block']);
    expect(only('W0001', 'if a then end')).toEqual(['1:1 empty block']);
  });

  it('allows empty function bodies and non-empty blocks', () => {
    const src = 'local f = function() end\nlocal function g() end\ndo f() end\nwhile g() do break end\nreturn f, g';
    expect(only('W0001', src)).toEqual([]);
  });
});

describe('W0002 no-global-assign', () => {
  it('flags assignment and function declaration to globals at any depth', () => {
    const src = 'counter = 1\nlocal function f()\n  function helper() end\n  x, counter = 1, 2\nend\nreturn f';
    expect(only('W0002', src)).toEqual([
      "1:1 assignment to global 'counter'",
      "3:12 assignment to global 'helper'",
      "4:3 assignment to global 'x'",
      "4:6 assignment to global 'counter'",
    ]);
  });

  it('ignores locals, upvalues, fields, and names the entry declared', () => {
    const src = 'local n = 0\nlocal function f() n = n + 1 end\nM.x = 1\nfunction M.g() end\njson = nil\nreturn f';
    expect(only('W0002', src, ['json'])).toEqual([]);
    expect(only('W0002', 'json = nil')).toEqual(["1:1 assignment to global 'json'"]);
  });
});

describe('W0003 no-self-compare', () => {
  it('flags an identifier compared with itself, with the NaN hint for equality', () => {
    expect(only('W0003', 'local a = f()\nif a ~= a then end\nreturn  a == a')).toEqual([
      "2:4 comparison of 'a' with itself (use 'a ~= a' only as a NaN test)",
      "3:9 comparison of 'a' with itself (use 'a ~= a' only as a NaN test)",
    ]);
  });

  it('flags same field paths and ordering comparisons', () => {
    expect(only('W0003', 'return t.x.y < t.x.y, t[1] >= t[1], t["k"] <= t["k"]')).toEqual([
      "1:8 comparison of 't.x.y' with itself",
      "1:23 comparison of 't[1]' with itself",
      '1:37 comparison of \'t["k"]\' with itself',
    ]);
  });

  it('ignores different operands, calls and non-comparisons', () => {
    expect(only('W0003', 'return a == b, t.x == t.y, f() == f(), t[i] == t[i], a + a, a and a, a:b() == a:b()')).toEqual([]);
  });
});

describe('W0004 no-unused-vars', () => {
  it('flags never-read locals, including assigned-only ones', () => {
    const src = 'local a, b = 1, 2\nlocal c\nc = 3\nprint(a)';
    expect(only('W0004', src)).toEqual(["1:10 unused local variable 'b'", "2:7 unused local variable 'c'"]);
  });

  it('names loop variables and local functions, which may not only call themselves', () => {
    const src = 'for i = 1, 3 do end\nfor k, v in pairs(t) do print(k) end\nlocal function loop() loop() end';
    expect(only('W0004', src)).toEqual([
      "1:5 unused loop variable 'i'",
      "2:8 unused loop variable 'v'",
      "3:16 unused local function 'loop'",
    ]);
  });

  it('counts reads from nested functions, repeat conditions, field writes and type declarations', () => {
    const src = [
      'local up = 1',
      'local t = {}',
      'local Base = {}',
      'type Point = {x: number, base: Base}',
      'local function f() return function() return up end end',
      't.x = 1',
      'repeat local done = true until done',
      'local function rec(k) if k > 0 then return rec(k - 1) end end',
      'return f, rec',
    ].join('\n');
    expect(only('W0004', src)).toEqual([]);
    // Sanity check of the same shape: dropping the closure's read makes `up` unused.
    expect(only('W0004', 'local up = 1\nlocal function f() return function() end end\nreturn f')).toEqual([
      "1:7 unused local variable 'up'",
    ]);
  });

  it('exempts `_`-prefixed names and never flags type declarations', () => {
    const src = 'local _ = f()\nlocal _tmp = 1\nfor _, v in ipairs(t) do print(v) end\ntype Unused = {x: number}\ninterface Shape\n  function area(self): number\nend';
    expect(only('W0004', src)).toEqual([]);
  });

  it('sees through erased type annotations at the original positions', () => {
    const src = 'local count: number = 0\nlocal name: string? = nil\nprint(name :: string)';
    expect(only('W0004', src)).toEqual(["1:7 unused local variable 'count'"]);
  });
});

describe('W0005 no-unused-params', () => {
  it('flags a trailing unused parameter', () => {
    expect(only('W0005', 'local function f(a, b)\n  return a\nend\nreturn f')).toEqual(["1:21 parameter 'b' is never used"]);
  });

  it('flags every parameter of a function that reads none (after-used)', () => {
    expect(only('W0005', 'return function(x, y) end')).toEqual([
      "1:17 parameter 'x' is never used",
      "1:20 parameter 'y' is never used",
    ]);
  });

  it('keeps leading unused params when a later one is used, and exempts self, _, and ...', () => {
    const src = [
      'local M = {}',
      'function M:method(_opts, ...) return 1 end',
      'function M.explicit(self) return 2 end',
      'local cb = function(event, payload) return payload end',
      'local function typed(a: number, b: string): string return b end',
      'return M, cb, typed',
    ].join('\n');
    expect(only('W0005', src)).toEqual([]);
  });

  it('counts a read from a nested function', () => {
    expect(only('W0005', 'return function(v) return function() return v end end')).toEqual([]);
  });
});

describe('W0006 no-unused-imports', () => {
  it('flags a declared global never referenced, once, at the chunk start', () => {
    expect(only('W0006', 'local x = json.encode({})\nreturn x', ['json', 'http', 'http'])).toEqual([
      "1:1 'http' is imported but never used",
    ]);
  });

  it('counts bare globals, literal require in both call forms, and type references', () => {
    const src = 'local s = require("sql")\nlocal h = require "http"\ntype T = {v: store.Item}\nreturn s, h, json';
    expect(only('W0006', src, ['json', 'sql', 'http', 'store'])).toEqual([]);
  });

  it('ignores a local that merely has the same name as the import', () => {
    expect(only('W0006', 'local json = {}\nreturn json', ['json'])).toEqual(["1:1 'json' is imported but never used"]);
  });
});

describe('W0007 no-shadowed-vars', () => {
  it('flags a local shadowing an outer local, with the outer line', () => {
    const src = 'local v = 1\n\nlocal function f()\n  local v = 2\n  return v\nend\nreturn v, f';
    expect(only('W0007', src)).toEqual(["4:9 local 'v' shadows a local declared at line 1"]);
  });

  it('flags params shadowing outer locals and locals shadowing params or loop variables', () => {
    const src = [
      'local n = 1',
      'local function f(n, m)',
      '  do local m = 2 end',
      '  for i = 1, 2 do local i = 3 end',
      'end',
    ].join('\n');
    expect(only('W0007', src)).toEqual([
      "2:18 parameter 'n' shadows a local declared at line 1",
      "3:12 local 'm' shadows a parameter declared at line 2",
      "4:25 local 'i' shadows a local declared at line 4",
    ]);
  });

  it('ignores globals, `_`, same-block redeclaration, siblings, and the `local x = x` copy', () => {
    const src = [
      'local print = print',
      'local _ = 1',
      'local a = 1',
      'local a = 2',
      'do local b = 1 end',
      'do local b = 2 end',
      'for _, x in ipairs(t) do local _ = x end',
      'local function g(c) return function() local c = c return c end end',
      'type Item = number',
      'local function h(Item) return Item end',
    ].join('\n');
    expect(only('W0007', src)).toEqual([]);
    // …whereas a different initialiser is a real shadow.
    expect(only('W0007', 'local c = 1\ndo local c = c + 1 end')).toEqual(["2:10 local 'c' shadows a local declared at line 1"]);
  });
});
