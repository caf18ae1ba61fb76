// The suspension analysis decides which functions get generator twins. Code that cannot suspend must
// compile to plain JS functions only; functions on a path to a yield must get a twin.

import { describe, expect, test } from 'vitest';
import { compileLua, keepsClosedWorld } from '../compiler/compile.js';
import { HOST_BLOCKING_NAMES } from '../runtime/modules/catalogue.js';

const twins = (src: string) => (compileLua(src, 'x.lua').code.match(/function\*\s*([\w$]+)/g) ?? []).map((s) => s.replace(/function\*\s*/, ''));

describe('suspension analysis', () => {
  test('a program that never yields has no generator functions', () => {
    const src = `
      local function fib(n) if n < 2 then return n end return fib(n - 1) + fib(n - 2) end
      local Account = {} Account.__index = Account
      function Account:deposit(v) self.balance = self.balance + v end
      local co = coroutine.wrap(function() return fib(20) end)
      print(co())`;
    expect(twins(src)).toEqual([]);
  });

  test('only functions on a path to coroutine.yield get twins', () => {
    const src = `
      local function pure(x) return x * 2 end
      local function producer(n) for i = 1, n do coroutine.yield(pure(i)) end end
      local function driver() producer(3) end
      local co = coroutine.wrap(driver)`;
    const names = twins(src);
    expect(names.some((n) => n.startsWith('producer'))).toBe(true);
    expect(names.some((n) => n.startsWith('driver'))).toBe(true);
    expect(names.some((n) => n.startsWith('pure'))).toBe(false);
  });

  test('an alias of coroutine.yield is followed', () => {
    expect(twins('local yield = coroutine.yield\nlocal function body(t) while true do t = yield(t + 1) end end').length).toBe(1);
  });

  test('a forward-declared local assigned one function is followed like a local function', () => {
    const src = `
      local step, walk
      local function pure(x) return step(x) end
      step = function(x) return x + 1 end
      function walk(n) coroutine.yield(n) end
      local function driver() walk(pure(1)) end
      local co = coroutine.wrap(driver)`;
    const names = twins(src);
    expect(names.some((n) => n.startsWith('driver'))).toBe(true);
    // pure calls step, which never yields: without following the assignment it would be unknown.
    expect(names.some((n) => n.startsWith('pure'))).toBe(false);
    // Assigned twice: no longer a known function.
    expect(twins(`local f\nf = function() end\nf = function() coroutine.yield() end\nlocal function g() f() end\nlocal co = coroutine.wrap(g)`)
      .some((n) => n.startsWith('g'))).toBe(true);
  });

  test('methods that yield make calls to that method name suspendable', () => {
    const src = `
      local Gen = {} Gen.__index = Gen
      function Gen:next() return coroutine.yield(self.v) end
      local function run(g) return g:next() end`;
    const names = twins(src);
    expect(names.some((n) => n.startsWith('Gen$next'))).toBe(true);
    expect(names.some((n) => n.startsWith('run'))).toBe(true);
  });

  test('a yielding function that escapes into a table makes unknown calls suspendable', () => {
    const src = `
      local handlers = {}
      handlers[1] = function() coroutine.yield() end
      local function dispatch(i) return handlers[i]() end`;
    expect(twins(src).some((n) => n.startsWith('dispatch'))).toBe(true);
  });

  test('a yielding metamethod makes operators in twins yieldable', () => {
    const code = compileLua(`
      local mt = {__index = function(t, k) return coroutine.yield(k) end}
      local function get(t) return t.x end`, 'x.lua').code;
    expect(code).toMatch(/\$indexQ/);
    expect(code).toMatch(/\$indexG/);
  });

  test('in the process host, a call inside a loop to a function that may only pause (not block) calls its plain version', () => {
    const src = `
      local function step(bodies) for i = 1, #bodies do bodies[i] = bodies[i] + 1 end end
      local function waits(ch) for i = 1, 2 do ch:receive() end end
      local function main(bodies, ch)
        step(bodies)
        for i = 1, 10 do step(bodies) end
        for i = 1, 10 do waits(ch) end
      end
      return main`;
    const code = compileLua(src, 'x.lua', { hostSuspension: true }).code;
    const body = code.slice(code.indexOf('function* main'));
    // step has loops, so it has a twin and the call outside a loop uses it; inside the loop the plain step runs.
    expect(body.match(/yield\* [\w$]+\.G\(bodies/g)?.length).toBe(1);
    expect(body).toMatch(/\n\s*step\$\d+\(bodies\$\d+\)/);
    // waits may block (an unknown method call): it stays on the generator path inside the loop.
    expect(body).toMatch(/yield\* [\w$]+\.G\(ch/);
  });

  test('in the process host, loops over pairs, ipairs and string.gmatch (or an alias) do not make a function block', () => {
    const src = `
      local gmatch = string.gmatch
      local function count(text, t)
        local n = 0
        for w in gmatch(text, '%a+') do n = n + 1 end
        for k in pairs(t) do n = n + 1 end
        for w in string.gmatch(text, '%d') do n = n + 1 end
        return n
      end
      local function main(text, t)
        for i = 1, 3 do count(text, t) end
      end
      return main`;
    const code = compileLua(src, 'x.lua', { hostSuspension: true }).code;
    const body = code.slice(code.indexOf('function* main'));
    // count may only pause (its loops), never block: main's loop calls the plain version.
    expect(body).toMatch(/\n\s*count\$\d+\(text\$\d+, t\$\d+\)/);
    expect(body).not.toMatch(/\.G\(text/);
  });

  describe('closed world (an app where no blocking function goes where the analysis cannot follow)', () => {
    const HOST = { hostSuspension: true, hostExports: true, closedWorld: HOST_BLOCKING_NAMES };
    const holds = (src: string, library = false) => keepsClosedWorld(src, { ...HOST, hostExports: !library });
    const OO = `
      local Vec = {} Vec.__index = Vec
      function Vec.new() return setmetatable({items = {}, n = 0}, Vec) end
      function Vec:push(v) self.n = self.n + 1; self.items[self.n] = v end
      function Vec:each(fn) for i = 1, self.n do fn(self.items[i]) end end
      local function main(n)
        local v, sum = Vec.new(), 0
        for i = 1, n do v:push(i) end
        for i = 1, 3 do v:each(function(x) sum = sum + x end) end
        return sum
      end
      return { main = main }`;

    test('code that never blocks keeps it, and its loops call methods and callbacks plainly', () => {
      expect(holds(OO)).toBe(true);
      const open = compileLua(OO, 'x.lua', { hostSuspension: true, hostExports: true }).code;
      const closed = compileLua(OO, 'x.lua', HOST).code;
      const main = (code: string) => { const m = code.slice(code.indexOf('function* main')); return m.slice(0, m.indexOf('return $ret1')); };
      const generatorCalls = (code: string) => main(code).match(/yield\* [\w$]+\.G\(/g)?.length ?? 0;
      // Without the closed world, v:push and v:each in the loops could be blocking methods of another chunk;
      // Vec.new(), outside a loop, keeps its generator call in both (a loop in a callee still pauses there).
      expect(generatorCalls(open)).toBe(3);
      expect(generatorCalls(closed)).toBe(1);
      // fn(...) inside Vec:each's loop is plain too.
      const each = closed.slice(closed.indexOf('function* Vec$each'));
      expect(each.slice(0, each.indexOf('$RV.n = 0'))).not.toMatch(/\.G\(/);
    });

    test('a blocking entry point that only the host calls keeps it; blocking host methods stay on the generator path', () => {
      const src = `
        local function main()
          local inbox = process.inbox()
          for i = 1, 3 do local msg = inbox:receive() print(msg) end
        end
        return { main = main }`;
      expect(holds(src)).toBe(true);
      const code = compileLua(src, 'x.lua', HOST).code;
      expect(code.slice(code.indexOf('function* main'))).toMatch(/yield\* [\w$]+\.G\(/);
      // A library's returned table goes to other chunks: a blocking function in it does not keep the world closed.
      expect(holds(src, true)).toBe(false);
    });

    test('anything that lets a blocking function escape the analysis opens the world', () => {
      const cases = {
        'a method that blocks': `local C = {} function C:wait(ch) return ch:receive() end return {}`,
        'a blocking callback': `local function run(f) f() end local ch = channel.new(0) run(function() ch:receive() end) return {}`,
        'a blocking host method read as a value': `local ch = channel.new(0) local recv = ch.receive return {}`,
        'a blocking module function read as a value': `local s = time.sleep return {}`,
        'coroutine.wrap': `local g = coroutine.wrap(function() end) return {}`,
        'a global function that blocks': `function wait_all() time.sleep(1) end return {}`,
      };
      for (const [what, src] of Object.entries(cases)) expect(holds(src), what).toBe(false);
      expect(holds(`local function f() return 1 end local t = {f = f} return {}`)).toBe(true);
    });
  });
});
