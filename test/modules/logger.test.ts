// The logger module: one JSON line per call through ctx.log, with level, RFC3339 ms timestamp, message,
// dotted logger names, inherited fields, the Lua caller position, and pid/entry inside a process.

import { afterEach, describe, expect, test } from 'vitest';
import { formatLogLine, loggerModule, minLevel } from '../../runtime/modules/logger.js';
import { registerModules } from '../../runtime/modules/index.js';
import { createNode } from '../../runtime/process/host.js';
import { Node } from '../../runtime/process/node.js';
import { compileLua } from '../../compiler/compile.js';
import { toBytes } from '../../runtime/modules/module.js';
import type { AppImage } from '../../runtime/app/image.js';
import type { Outcome } from '../../runtime/process/process.js';
import { runWithModules } from '../wippy-helpers.js';

/** Run `src` with the logger bound; the parsed log lines. */
function logs(src: string, level?: string): Record<string, unknown>[] {
  const prev = process.env.LUNAC_LOG_LEVEL;
  if (level === undefined) delete process.env.LUNAC_LOG_LEVEL;
  else process.env.LUNAC_LOG_LEVEL = level;
  const lines: string[] = [];
  try {
    runWithModules(src, [loggerModule], { log: (l) => lines.push(l) });
  } finally {
    if (prev === undefined) delete process.env.LUNAC_LOG_LEVEL;
    else process.env.LUNAC_LOG_LEVEL = prev;
  }
  // Lines are byte strings (UTF-8), as Output expects.
  return lines.map((l) => JSON.parse(Buffer.from(l, 'latin1').toString('utf8')));
}

afterEach(() => {
  delete process.env.LUNAC_LOG_LEVEL;
});

describe('logger', () => {
  test('info writes one JSON line with level, RFC3339 ms timestamp, message, caller and fields', () => {
    const [l, ...rest] = logs('\nlogger:info("user created", {id = 42, name = "ann", ok = true})');
    expect(rest).toEqual([]);
    expect(l.level).toBe('info');
    expect(l.msg).toBe('user created');
    expect(l.ts).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(Math.abs(Date.parse(l.ts as string) - Date.now())).toBeLessThan(5000);
    expect(l.caller).toBe('test.lua:2');
    expect(l).toMatchObject({ id: 42, name: 'ann', ok: true });
    expect(l.pid).toBeUndefined(); // not inside a process
  });

  test('each level method logs at its level, in call order', () => {
    const ls = logs('logger:debug("d") logger:info("i") logger:warn("w") logger:error("e")', 'debug');
    expect(ls.map((l) => [l.level, l.msg])).toEqual([['debug', 'd'], ['info', 'i'], ['warn', 'w'], ['error', 'e']]);
  });

  test('LUNAC_LOG_LEVEL drops lines below the minimum; the default is info', () => {
    const src = 'logger:debug("d") logger:info("i") logger:warn("w") logger:error("e")';
    expect(logs(src).map((l) => l.level)).toEqual(['info', 'warn', 'error']);
    expect(logs(src, 'warn').map((l) => l.level)).toEqual(['warn', 'error']);
    expect(logs(src, 'none')).toEqual([]);
    expect(minLevel('WARNING')).toBe(2);
    expect(minLevel('bogus')).toBe(1);
  });

  test('with() returns a logger carrying fields; call fields override them; the parent is unchanged', () => {
    const ls = logs(`
      local l = logger:with({request = "r1", user = "ann"})
      l:info("a", {user = "bob"})
      local l2 = l:with({step = 2})
      l2:warn("b")
      logger:info("c")
    `);
    expect(ls[0]).toMatchObject({ msg: 'a', request: 'r1', user: 'bob' });
    expect(ls[1]).toMatchObject({ msg: 'b', request: 'r1', user: 'ann', step: 2, level: 'warn' });
    expect(ls[2].request).toBeUndefined();
    expect(ls[2].msg).toBe('c');
  });

  test('named() names the logger, dotted when nested, and keeps fields', () => {
    const ls = logs(`
      local db = logger:named("db")
      db:info("one")
      db:with({shard = 3}):named("pool"):info("two")
      logger:info("three")
    `);
    expect(ls[0].logger).toBe('db');
    expect(ls[1]).toMatchObject({ logger: 'db.pool', shard: 3 });
    expect(ls[2].logger).toBeUndefined();
  });

  test('field values: error objects become their message, tables arrays/objects, UTF-8 text', () => {
    const [l] = logs(`
      local t = {tags = {"a", "b"}, nested = {x = 1}, err = errors.new("boom"), empty = {}, text = "héllo"}
      logger:error("failed", t)
    `);
    expect(l).toMatchObject({ tags: ['a', 'b'], nested: { x: 1 }, err: 'boom', empty: {}, text: 'héllo' });
  });

  test('reserved keys cannot be overridden by fields; cyclic tables are cut', () => {
    const [l] = logs('local t = {} t.self = t logger:info("m", {level = "x", msg = "y", loop = t})');
    expect(l.level).toBe('info');
    expect(l.msg).toBe('m');
    expect(l.loop).toEqual({ self: '<cycle>' });
  });

  test('non-string messages are converted with tostring; dot calls log through the root logger', () => {
    const ls = logs('logger:info(12) logger.warn("dot", {k = 1})');
    expect(ls[0].msg).toBe('12');
    expect(ls[1]).toMatchObject({ level: 'warn', msg: 'dot', k: 1 });
  });

  test('formatLogLine gives the root logger line for host use (print override)', () => {
    const l = JSON.parse(formatLogLine('info', 'from host'));
    expect(l).toMatchObject({ level: 'info', msg: 'from host' });
    expect(l.caller).toBeUndefined(); // no Lua code on the stack
  });

  test('fields must be a table', () => {
    expect(() => logs('logger:info("m", 5)')).toThrow(/bad argument #2 to 'info' \(table expected, got number\)/);
    expect(() => logs('logger:with("x")')).toThrow(/bad argument #1 to 'with' \(table expected, got string\)/);
  });

  test('inside a process, lines carry its pid and entry ID and the caller names the entry', async () => {
    registerModules([loggerModule]);
    const src = 'return function()\n  logger:info("hi")\n  return 0\nend';
    const image: AppImage = {
      registry: { entries: [{ id: 'app:worker', kind: 'process.lua', meta: {}, data: { source: src, method: '', modules: ['logger'] } }] },
      chunks: { 'app:worker': compileLua(toBytes(src), 'app:worker', { hostSuspension: true }) },
      plans: { 'app:worker': { modules: ['logger'], libraries: [] } },
    };
    let err = '';
    const node = createNode(image, { out: () => undefined, err: (s) => (err += s) });
    const p = node.spawn('app:worker', Node.DEFAULT_HOST, []);
    if (!('pid' in p)) throw new Error(String(p));
    const o = await new Promise<Outcome>((r) => p.onDone(r));
    expect(o.error).toBeUndefined();
    const l = JSON.parse(err.trim());
    expect(l).toMatchObject({ level: 'info', msg: 'hi', pid: p.pid, entry: 'app:worker', caller: 'app:worker:2' });
  });
});
