// The events module: subscriptions by system glob and kind, event tables {system, kind, path, data} on a
// channel, deep-copied data, close, one bus per node, and subscriptions ending with their process.

import { describe, expect, test } from 'vitest';
import { eventsModule, busOf, globRegExp } from '../../runtime/modules/events.js';
import { registerModules } from '../../runtime/modules/index.js';
import { fromLua, toBytes } from '../../runtime/modules/module.js';
import { createNode } from '../../runtime/process/host.js';
import { Node } from '../../runtime/process/node.js';
import { compileLua } from '../../compiler/compile.js';
import type { AppImage } from '../../runtime/app/image.js';
import type { Outcome } from '../../runtime/process/process.js';
import { runWithModules } from '../wippy-helpers.js';

registerModules([eventsModule]);

/** A node running process.lua entries (ID → source returning the main function) that use `events`. */
function appNode(procs: Record<string, string>): Node {
  const image: AppImage = { registry: { entries: [] }, chunks: {}, plans: {} };
  for (const [id, source] of Object.entries(procs)) {
    image.registry.entries.push({ id, kind: 'process.lua', meta: {}, data: { source, method: '', modules: ['events'] } });
    image.chunks[id] = compileLua(toBytes(source), id, { hostSuspension: true });
    image.plans[id] = { modules: ['events'], libraries: [] };
  }
  return createNode(image, { out: () => undefined, err: () => undefined });
}

async function run(node: Node, id: string): Promise<Outcome> {
  const p = node.spawn(id, Node.DEFAULT_HOST, []);
  if (!('pid' in p)) throw new Error(p.message);
  return new Promise((r) => p.onDone(r));
}

async function value(node: Node, id: string): Promise<unknown> {
  const o = await run(node, id);
  if (o.error) throw new Error(o.error.message);
  return fromLua(o.value);
}

describe('events', () => {
  test('a subscriber receives matching events as {system, kind, path, data} tables, in order', async () => {
    const node = appNode({
      'app:main': `return function()
        local sub = assert(events.subscribe("orders.*"))
        assert(events.send("orders.eu", "created", "/orders/1", {id = 1, items = {"a", "b"}}))
        assert(events.send("users", "created", "/users/9"))           -- other system: not delivered
        assert(events.send("orders.us", "paid", "/orders/2", 99))
        local ch = sub:channel()
        local a = ch:receive()
        local b = ch:receive()
        sub:close()
        return {a, b}
      end`,
    });
    expect(await value(node, 'app:main')).toEqual([
      { system: 'orders.eu', kind: 'created', path: '/orders/1', data: { id: 1, items: ['a', 'b'] } },
      { system: 'orders.us', kind: 'paid', path: '/orders/2', data: 99 },
    ]);
  });

  test('the kind filter selects events of that kind only', async () => {
    const node = appNode({
      'app:main': `return function()
        local sub = events.subscribe("orders", "paid")
        events.send("orders", "created", "/1")
        events.send("orders", "paid", "/2")
        local e = sub:channel():receive()
        return e.path
      end`,
    });
    expect(await value(node, 'app:main')).toBe('/2');
  });

  test('events cross processes: a spawned sender wakes a parked subscriber', async () => {
    const node = appNode({
      'app:main': `return function()
        local sub = events.subscribe("jobs.*")
        process.spawn("app:sender", "lunac:host")
        local e = sub:channel():receive()
        return {e.system, e.kind, e.data.n}
      end`,
      'app:sender': `return function()
        events.send("jobs.batch", "done", "/j/1", {n = 7})
      end`,
    });
    expect(await value(node, 'app:main')).toEqual(['jobs.batch', 'done', 7]);
  });

  test('data is deep-copied at send: later changes by the sender are not seen', async () => {
    const node = appNode({
      'app:main': `return function()
        local sub = events.subscribe("s")
        local d = {inner = {x = 1}}
        events.send("s", "k", "/", d)
        d.inner.x = 2
        local e = sub:channel():receive()
        return {same = e.data == d, x = e.data.inner.x}
      end`,
    });
    expect(await value(node, 'app:main')).toEqual({ same: false, x: 1 });
  });

  test('close ends the subscription: its channel closes and later events are not queued', async () => {
    const node = appNode({
      'app:main': `return function()
        local sub = events.subscribe("s")
        local ch = sub:channel()
        sub:close()
        events.send("s", "k", "/")
        local v, ok = ch:receive()
        return {v == nil, ok, sub:close()}
      end`,
    });
    expect(await value(node, 'app:main')).toEqual([true, false, true]);
    expect(busOf(node).subs.size).toBe(0);
  });

  test('a subscription is released when its process ends', async () => {
    const node = appNode({ 'app:main': 'return function() events.subscribe("a.*") events.subscribe("b") return true end' });
    expect(await value(node, 'app:main')).toBe(true);
    expect(busOf(node).subs.size).toBe(0);
  });

  test('each node has its own bus', async () => {
    const src = 'return function() local s = events.subscribe("x") events.send("x", "k", "/") return s:channel():receive().kind end';
    const a = appNode({ 'app:main': src });
    const b = appNode({ 'app:main': src });
    expect(await value(a, 'app:main')).toBe('k');
    expect(busOf(b).subs.size).toBe(0);
    expect(busOf(a)).not.toBe(busOf(b));
  });

  test('without a process (module alone) subscribe and send still work; bad arguments raise', () => {
    const r = runWithModules(`
      local sub = events.subscribe("*")
      local ok = events.send("any.system", "k", "/p", "d")
      local e = sub:channel():receive()
      local _, err = events.subscribe("")
      return ok, e.system, e.data, err:kind()
    `, [eventsModule]);
    expect(r.results).toEqual([true, 'any.system', 'd', 'Invalid']);
    expect(() => runWithModules('events.send("s")', [eventsModule])).toThrow(/bad argument #2 to 'send' \(string expected, got no value\)/);
    expect(() => runWithModules('events.subscribe({})', [eventsModule])).toThrow(/bad argument #1 to 'subscribe' \(string expected, got table\)/);
  });

  test('system globs: * matches any run of characters, the rest is literal', () => {
    expect(globRegExp('orders.*').test('orders.eu.north')).toBe(true);
    expect(globRegExp('orders.*').test('ordersXeu')).toBe(false);
    expect(globRegExp('orders.*').test('orders')).toBe(false);
    expect(globRegExp('*.created').test('a.b.created')).toBe(true);
    expect(globRegExp('a+b').test('a+b')).toBe(true);
  });
});
