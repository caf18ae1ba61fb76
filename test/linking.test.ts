// Linking at run time (spec §1.6): an entry's globals hold exactly its modules, its imports (each library
// run once per alias, deepest dependencies first, in the consumer's globals) and the ambient globals;
// `require` of anything else fails at run time as well as in `lunac check`.

import { describe, expect, test } from 'vitest';
import { resolve } from 'node:path';
import { buildImage } from '../compiler/bundle/image.js';
import { createNode } from '../runtime/process/host.js';
import { ErrorObject } from '../runtime/lua/lib/errors.js';
import { luaToData } from '../runtime/modules/json.js';
import type { Outcome } from '../runtime/process/process.js';

const APP = resolve(__dirname, '../fixtures/apps/linking');

function call(id: string): Promise<Outcome> {
  const { image, errors } = buildImage(APP);
  expect(errors).toEqual([]);
  const node = createNode(image, { out: () => {}, err: () => {} });
  const p = node.call(id, []);
  if (p instanceof ErrorObject) throw new Error(p.message);
  return new Promise((done) => p.onDone(done));
}

describe('linking entries through imports', () => {
  test('libraries run deepest first, once per alias, in the consumer globals', async () => {
    const o = await call('link:run');
    expect(o.error).toBeUndefined();
    const r = luaToData(o.value) as Record<string, unknown>;
    // c1 and c2 are two instances of link:counter; link:base runs before link:mid, which imports it.
    expect(r.order).toBe('counter,counter,base,mid');
    expect(r.instances).toEqual([1, 2, 1]);
  });

  test("a library's own imports and modules are globals of the consumer too", async () => {
    const r = luaToData((await call('link:run')).value) as Record<string, unknown>;
    expect(r.twice).toBe('<eA==><eA==>');
    expect(r.transitive).toBe(true);
    expect(r.ambient).toBe(true);
  });

  test('require of an undeclared module fails at run time with Lua\'s message', async () => {
    const r = luaToData((await call('link:run')).value) as Record<string, unknown>;
    expect(r.missing_ok).toBe(false);
    expect(r.missing).toBe("module 'sql' not found");
    const o = await call('link:undeclared');
    expect(o.error?.message).toBe("module 'json' not found");
  });
});
