// The `payload` global (spec §2.9, §3.2): Payload objects with data/get_format/transcode/unmarshal and the
// format constants; what message and future results arrive as.

import { describe, expect, test } from 'vitest';
import { runWithModules } from '../wippy-helpers.js';
import { createPayloadLib } from '../../runtime/process/payload.js';
import '../../runtime/process/host.js'; // registers the JSON codec used by transcode
import { fromLua } from '../../runtime/modules/module.js';

const payload = { name: 'payload', open: () => createPayloadLib() };

describe('payload', () => {
  test('new wraps a copy of a Lua value; data returns it', () => {
    const r = runWithModules(`
      local t = {a = 1, list = {1, 2}}
      local p = payload.new(t)
      t.a = 99
      local d = p:data()
      return d.a, d.list[2], p:get_format() == payload.format.LUA`, [payload]);
    expect(r.results).toEqual([1, 2, true]);
  });

  test('transcode to JSON gives text; data decodes it back; unmarshal too', () => {
    const r = runWithModules(`
      local p = payload.new({name = "ada", n = 3})
      local j, err = p:transcode(payload.format.JSON)
      assert(err == nil)
      local back = j:data()
      local again = j:unmarshal()
      return j:get_format(), back.name, again.n`, [payload]);
    expect(r.results).toEqual(['json/plain', 'ada', 3]);
  });

  test('transcode to STRING encodes tables as JSON text and keeps strings', () => {
    const r = runWithModules(`
      local s = payload.new({1, 2}):transcode(payload.format.STRING)
      local t = payload.new("plain"):transcode(payload.format.STRING)
      return s:data(), t:data()`, [payload]);
    expect(r.results).toEqual(['[1,2]', 'plain']);
  });

  test('an unknown target format is an Invalid error, not a raise', () => {
    const r = runWithModules(`
      local p, err = payload.new(1):transcode("x/unknown")
      return p, err:kind()`, [payload]);
    expect(r.results).toEqual([undefined, 'Invalid']);
  });

  test('format constants are the documented names', () => {
    const r = runWithModules('return payload.format', [payload]);
    expect(Object.keys(fromLua(r.results[0]) as object).sort()).toEqual(['BYTES', 'ERROR', 'GOLANG', 'JSON', 'LUA', 'MSGPACK', 'STRING', 'YAML']);
  });

  test('new without a value is an argument error', () => {
    expect(() => runWithModules('return payload.new()', [payload])).toThrow(/bad argument #1 to 'new'/);
  });
});
