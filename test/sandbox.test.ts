// Attacks on the sandbox: Lua code must never reach a JS object of the host (globalThis, process,
// require, Function, constructors, prototypes), whatever it indexes or calls. Each attack runs as a real
// script through the CLI and must end in a Lua error (or a harmless nil), never in host access.

import { describe, expect, test } from 'vitest';
import { runLua } from './helpers.js';

const attacks: [string, string][] = [
  ['string constructor', 'return ("").constructor'],
  ['string __proto__', 'return ("x").__proto__'],
  ['string metatable __index constructor', 'return getmetatable("").__index.constructor'],
  ['table constructor field', 'local t = {} return t.constructor'],
  ['table __proto__ key', 'local t = {} return t.__proto__'],
  ['table prototype key', 'local t = {} return t["prototype"]'],
  ['hasOwnProperty through table', 'local t = {} return t.hasOwnProperty'],
  ['global process', 'return process'],
  ['global require of host module', 'return require("fs")'],
  ['global globalThis', 'return globalThis'],
  ['global Function', 'return Function'],
  ['global eval', 'return eval'],
  ['function fields', 'return print.constructor'],
  ['function call field', 'return print.call'],
  ['coroutine object field', 'local co = coroutine.create(print) return co.constructor'],
  ['error value fields', 'local ok, e = pcall(error, "x") return e.constructor'],
  ['error from runtime', 'local ok, e = pcall(function() return nil + 1 end) return type(e) == "string" and e.constructor'],
  ['number fields', 'return (1).constructor'],
  ['_G __proto__', 'return _G.__proto__'],
  ['rawget prototype', 'return rawget(_G, "__proto__")'],
  ['setting __proto__ key keeps a plain key', 'local t = {} t.__proto__ = {x = 1} return t.x'],
  ['metatable of a function', 'return getmetatable(print)'],
  ['G field of a function', 'return print.G'],
];

describe('sandbox: Lua cannot reach the host', () => {
  test.each(attacks)('%s', async (_name, body) => {
    const src = `local ok, v = pcall(function() ${body} end)\nprint(ok, type(v))`;
    const r = await runLua(src);
    expect(r.status).toBe(0);
    // Either a Lua error, or a nil/boolean/string value: never a host object shown as function/userdata.
    expect(r.stdout).toMatch(/^(false\tstring|true\tnil|true\tboolean|true\tstring)\n$/);
  });

  test('a __proto__ key is an ordinary key', async () => {
    const r = await runLua('local t = {} t.__proto__ = 5 t["constructor"] = 6 print(t.__proto__, t.constructor, #t, next({}))');
    expect(r.stdout).toBe('5\t6\t0\tnil\n');
  });

  test('errors raised inside the runtime are Lua strings', async () => {
    const r = await runLua('local ok, e = pcall(string.rep) print(ok, type(e), e:match("bad argument") ~= nil)');
    expect(r.stdout).toBe('false\tstring\ttrue\n');
  });

  test('a JS stack overflow becomes a catchable Lua error', async () => {
    const r = await runLua('local function f(n) return f(n + 1) + 1 end local ok, e = pcall(f, 1) print(ok, e:find("stack overflow") ~= nil)');
    expect(r.stdout).toBe('false\ttrue\n');
  });

  test('tostring of host-backed values shows Lua type names only', async () => {
    const r = await runLua('print(tostring(print):match("^function: 0x%x+$") ~= nil, tostring(coroutine.create(print)):match("^thread: ") ~= nil)');
    expect(r.stdout).toBe('true\ttrue\n');
  });
});
