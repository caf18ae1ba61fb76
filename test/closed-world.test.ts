// Closed-world compilation of apps (compiler/bundle/image.ts, compiler/analyse/suspend.ts): when no chunk
// lets a blocking function escape the analysis, calls inside loops that cannot block take their callee's
// plain version. These apps run on the real process host; each must give the right answer whether its world
// is closed or open, and the blocking calls in it must still block (a plain call would raise "attempt to
// block across a C-call boundary").

import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildImage } from '../compiler/bundle/image.js';
import { createNode } from '../runtime/process/host.js';
import { fromLua, subTable } from '../runtime/modules/module.js';
import { HOST_BLOCKING_NAMES } from '../runtime/modules/catalogue.js';
import { ErrorObject } from '../runtime/lua/lib/errors.js';
import type { Outcome } from '../runtime/process/process.js';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

const VEC = `
local Vec = {}
Vec.__index = Vec
function Vec.new() return setmetatable({items = {}, n = 0}, Vec) end
function Vec:push(x) self.n = self.n + 1; self.items[self.n] = x end
function Vec:each(fn) for i = 1, self.n do fn(self.items[i]) end end
function Vec:sum() local s = 0; self:each(function(x) s = s + x end); return s end
return Vec
`;

/** The worker: a producer task sends 1..50 on a channel; the main loop receives them into a Vec. */
const WORKER = (extra: string) => `
local Vec = require("vec")
${extra}
local function produce(ch, n)
  for i = 1, n do ch:send(i) end
  ch:close()
end
local function main()
  local ch = channel.new(0)
  coroutine.spawn(function() produce(ch, 50) end)
  local v = Vec.new()
  while true do
    local x, ok = ch:receive()
    if not ok then break end
    v:push(x)
    if x % 10 == 0 then time.sleep("1ms") end
  end
  local squares = Vec.new()
  for i = 1, 3 do v:each(function(x) squares:push(x * x) end) end
  return v:sum() .. " " .. squares:sum() .. " " .. tostring(STEP_RESULT)
end
return { main = main }
`;

/** Build an app of a library `vec` and a process entry `worker`, run the worker, return (closed?, result). */
async function runApp(workerSource: string): Promise<{ closed: boolean; value: unknown; error?: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'lunac-closed-'));
  dirs.push(dir);
  mkdirSync(join(dir, 'src'));
  writeFileSync(join(dir, 'src', 'vec.lua'), VEC);
  writeFileSync(join(dir, 'src', 'worker.lua'), workerSource);
  writeFileSync(join(dir, 'src', '_index.yaml'), `version: "1.0"
namespace: app
entries:
  - name: host
    kind: process.host
  - name: vec
    kind: library.lua
    source: file://vec.lua
  - name: worker
    kind: process.lua
    source: file://worker.lua
    method: main
    modules: [time]
    imports:
      vec: app:vec
`);
  const built = buildImage(dir);
  expect(built.errors).toEqual([]);
  const node = createNode(built.image, { out: () => undefined, err: () => undefined });
  const p = node.spawn('app:worker', 'app:host', []);
  if (p instanceof ErrorObject) throw new Error(p.message);
  const o = await new Promise<Outcome>((r) => p.onDone(r));
  return { closed: built.closedWorld, value: fromLua(o.value), error: o.error?.message };
}

const EXPECTED = `1275 ${3 * 42925}`;

describe('closed-world apps', () => {
  it('an app that lets no blocking function escape is closed, and its blocking calls in loops still block', async () => {
    const r = await runApp(WORKER('STEP_RESULT = "plain"'));
    expect(r).toEqual({ closed: true, value: `${EXPECTED} plain`, error: undefined });
  });

  it('a blocking method stored in a table opens the world; the app still runs', async () => {
    const r = await runApp(WORKER(`
      local Box = {}
      Box.__index = Box
      function Box:wait(ch) return ch:receive() end
      STEP_RESULT = "open"`));
    expect(r).toEqual({ closed: false, value: `${EXPECTED} open`, error: undefined });
  });

  it('a blocking callback opens the world, and a loop calling it through a parameter blocks', async () => {
    const r = await runApp(WORKER(`
      local function each_tick(n, fn) for i = 1, n do fn(i) end end
      each_tick(3, function(i) time.sleep("1ms") end)
      STEP_RESULT = "callback"`));
    expect(r).toEqual({ closed: false, value: `${EXPECTED} callback`, error: undefined });
  });

  it('a blocking host method read as a value opens the world, and calling it through a local blocks', async () => {
    const r = await runApp(WORKER(`
      local c = channel.new(1)
      local send, recv = c.send, c.receive
      for i = 1, 2 do
        coroutine.spawn(function() send(c, i) end)
        STEP_RESULT = (STEP_RESULT or 0) + recv(c)
      end`));
    expect(r).toEqual({ closed: false, value: `${EXPECTED} 3`, error: undefined });
  });
});

describe('HOST_BLOCKING_NAMES', () => {
  it('names the blocking functions and methods, and a host table with an unlisted blocking function is refused', () => {
    for (const n of ['sleep', 'select', 'send', 'receive', 'call', 'async', 'exec', 'resume']) expect(HOST_BLOCKING_NAMES.has(n), n).toBe(true);
    const twin = Object.assign(() => undefined, { G: function* () { yield 1; } });
    expect(() => subTable({ wait_for: twin })).toThrow(/'wait_for' may block but is not in catalogue.ts's HOST_BLOCKING_NAMES/);
    expect(() => subTable({ receive: twin })).not.toThrow();
  });
});
