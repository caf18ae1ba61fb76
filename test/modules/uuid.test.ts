// The uuid module: generation (v1/v3/v4/v5/v7), Go google/uuid parsing rules, inspection and formatting,
// with the RFC 9562 example values as known answers.

import { describe, expect, test } from 'vitest';
import { uuidModule } from '../../runtime/modules/uuid.js';
import { fromLua } from '../../runtime/modules/module.js';
import { runWithModules } from '../wippy-helpers.js';

const run = (src: string) => runWithModules(src, [uuidModule]).results;

const STANDARD = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const DNS = '6ba7b810-9dad-11d1-80b4-00c04fd430c8';
// RFC 9562 appendix A: one instant (2022-02-22 19:22:22 UTC) as v1, v6 and v7.
const RFC_V1 = 'C232AB00-9414-11EC-B3C8-9F6BDECED846';
const RFC_V6 = '1EC9414C-232A-6B00-B3C8-9F6BDECED846';
const RFC_V7 = '017F22E2-79B0-7CC3-98C4-DC0C0C07398F';
const RFC_TIME = 1645557742;

describe('uuid generation', () => {
  test('v4 gives a random RFC 4122 version-4 UUID in standard form', () => {
    const [a, b, ver, variant, err] = run('local a, err = uuid.v4() local b = uuid.v4() return a, b, uuid.version(a), uuid.variant(a), err');
    expect(a).toMatch(STANDARD);
    expect(a).not.toBe(b);
    expect([ver, variant, err]).toEqual([4, 'RFC4122', undefined]);
  });

  test('v1 carries the current time and a 48-bit node', () => {
    const before = Date.now() / 1000;
    const [id, info] = run('local id = uuid.v1() return id, uuid.parse(id)');
    const p = fromLua(info) as { version: number; variant: string; timestamp: number; node: string };
    expect(id).toMatch(STANDARD);
    expect(p.version).toBe(1);
    expect(p.variant).toBe('RFC4122');
    expect(p.node).toMatch(/^[0-9a-f]{12}$/);
    expect(p.timestamp).toBeGreaterThanOrEqual(Math.floor(before) - 1);
    expect(p.timestamp).toBeLessThanOrEqual(Date.now() / 1000 + 1);
  });

  test('v7 carries the current unix time in milliseconds and sorts by creation', () => {
    const before = Date.now();
    const [a, b, info] = run('local a = uuid.v7() local b = uuid.v7() return a, b, uuid.parse(a)');
    const p = fromLua(info) as { version: number; timestamp: number; node?: string };
    expect(p.version).toBe(7);
    expect(p.node).toBeUndefined();
    expect(p.timestamp * 1000).toBeGreaterThanOrEqual(before);
    expect(p.timestamp * 1000).toBeLessThanOrEqual(Date.now());
    expect((a as string) < (b as string)).toBe(true);
  });

  test('v3 and v5 match the RFC 9562 examples for www.example.com in the DNS namespace', () => {
    expect(run(`return uuid.v3("${DNS}", "www.example.com"), uuid.v5("${DNS}", "www.example.com")`)).toEqual([
      '5df41881-3aed-3515-88a7-2f4a814cf09e',
      '2ed6657d-e927-568b-95e1-2665a8aea6a2',
    ]);
  });

  test('v5 accepts the namespace in every form Go parses and hashes the name as bytes', () => {
    const forms = [DNS.toUpperCase(), `{${DNS}}`, `urn:uuid:${DNS}`, DNS.replace(/-/g, '')];
    const r = run(forms.map((f) => `uuid.v5("${f}", "www.example.com")`).join(', ').replace(/^/, 'return '));
    expect(new Set(r)).toEqual(new Set(['2ed6657d-e927-568b-95e1-2665a8aea6a2']));
    // "é" is two UTF-8 bytes; the same bytes written as escapes give the same UUID.
    const [a, b] = run(`return uuid.v5("${DNS}", "é"), uuid.v5("${DNS}", "\\xc3\\xa9")`);
    expect(a).toBe(b);
  });

  test('v3/v5 with an invalid namespace return nil and an INVALID error', () => {
    for (const f of ['v3', 'v5']) {
      expect(run(`local id, err = uuid.${f}("dns", "x") return id, err:kind(), err:message()`)).toEqual([
        undefined, 'Invalid', 'invalid namespace UUID: "dns"',
      ]);
    }
  });

  test('v3/v5 raise on a missing name', () => {
    expect(() => run(`return uuid.v5("${DNS}")`)).toThrow(/bad argument #2 to 'v5' \(string expected, got no value\)/);
    expect(() => run('return uuid.v3(nil, "x")')).toThrow(/bad argument #1 to 'v3' \(string expected, got nil\)/);
  });
});

describe('uuid inspection', () => {
  test('validate accepts Go\'s four forms in either case and rejects everything else', () => {
    const good = [DNS, DNS.toUpperCase(), `{${DNS}}`, `URN:UUID:${DNS}`, DNS.replace(/-/g, ''), '00000000-0000-0000-0000-000000000000'];
    const bad = ['', DNS.slice(1), `${DNS}0`, DNS.replace(/-/g, '_'), DNS.replace('6', 'g'), `[${DNS}]`, `uuid:${DNS}`];
    expect(run(`return ${good.map((s) => `uuid.validate("${s}")`).join(', ')}`)).toEqual(good.map(() => true));
    expect(run(`return ${bad.map((s) => `uuid.validate("${s}")`).join(', ')}`)).toEqual(bad.map(() => false));
  });

  test('validate is false for non-strings', () => {
    expect(run('return uuid.validate(nil), uuid.validate(42), uuid.validate({}), uuid.validate(true)')).toEqual([false, false, false, false]);
  });

  test('version reads the version nibble of any valid UUID', () => {
    expect(run(`return uuid.version("${RFC_V1}"), uuid.version("${RFC_V6}"), uuid.version("${RFC_V7}"), uuid.version("00000000-0000-0000-0000-000000000000")`)).toEqual([1, 6, 7, 0]);
  });

  test('variant names the variant bits as Go\'s google/uuid does', () => {
    const id = (b: string) => `00000000-0000-4000-${b}00-000000000000`;
    expect(run(`return uuid.variant("${id('80')}"), uuid.variant("${id('bf')}"), uuid.variant("${id('c0')}"), uuid.variant("${id('e0')}"), uuid.variant("${id('00')}"), uuid.variant("${id('7f')}")`))
      .toEqual(['RFC4122', 'RFC4122', 'Microsoft', 'Future', 'Reserved', 'Reserved']);
  });

  test('version, variant, parse and format return nil and INVALID for a malformed id', () => {
    for (const call of ['version("nope")', 'variant("nope")', 'parse("nope")', 'format("nope", "simple")']) {
      expect(run(`local v, err = uuid.${call} return v, err:kind(), err:message()`)).toEqual([undefined, 'Invalid', 'invalid UUID: "nope"']);
    }
  });

  test('inspection functions raise on a non-string id', () => {
    expect(() => run('return uuid.version({})')).toThrow(/bad argument #1 to 'version' \(string expected, got table\)/);
    expect(() => run('return uuid.parse()')).toThrow(/bad argument #1 to 'parse' \(string expected, got no value\)/);
  });

  test('parse of the RFC 9562 v1 example gives its time in unix seconds and its node in hex', () => {
    const [t] = run(`return uuid.parse("${RFC_V1}")`);
    expect(fromLua(t)).toEqual({ version: 1, variant: 'RFC4122', timestamp: RFC_TIME, node: '9f6bdeced846' });
  });

  test('parse of the RFC 9562 v6 and v7 examples gives the same instant', () => {
    const [v6, v7] = run(`return uuid.parse("${RFC_V6}"), uuid.parse("${RFC_V7}")`);
    expect(fromLua(v6)).toEqual({ version: 6, variant: 'RFC4122', timestamp: RFC_TIME, node: '9f6bdeced846' });
    expect(fromLua(v7)).toEqual({ version: 7, variant: 'RFC4122', timestamp: RFC_TIME });
  });

  test('parse keeps sub-second precision as a fraction of a second', () => {
    // v7 with unix ms 1645557742123; v1 with 1234567 extra 100 ns ticks.
    const [v7, v1] = run('return uuid.parse("017f22e2-7a2b-7cc3-98c4-dc0c0c07398f"), uuid.parse("c2458187-9414-11ec-b3c8-9f6bdeced846")');
    expect((fromLua(v7) as { timestamp: number }).timestamp).toBe(1645557742.123);
    expect((fromLua(v1) as { timestamp: number }).timestamp).toBeCloseTo(RFC_TIME + 0.1234567, 6);
  });

  test('parse of a v4 or v5 UUID has neither timestamp nor node', () => {
    const [t] = run('return uuid.parse("2ed6657d-e927-568b-95e1-2665a8aea6a2")');
    expect(fromLua(t)).toEqual({ version: 5, variant: 'RFC4122' });
  });
});

describe('uuid format', () => {
  test('standard, simple and urn forms, lowercased, from any accepted input form', () => {
    expect(run(`return uuid.format("${RFC_V1}", "standard"), uuid.format("{${RFC_V1}}", "simple"), uuid.format("${RFC_V1.replace(/-/g, '')}", "urn")`)).toEqual([
      'c232ab00-9414-11ec-b3c8-9f6bdeced846',
      'c232ab00941411ecb3c89f6bdeced846',
      'urn:uuid:c232ab00-9414-11ec-b3c8-9f6bdeced846',
    ]);
  });

  test('the format defaults to standard', () => {
    expect(run(`return uuid.format("urn:uuid:${DNS}")`)).toEqual([DNS]);
  });

  test('an unknown format name returns nil and INVALID', () => {
    expect(run(`local s, err = uuid.format("${DNS}", "braces") return s, err:kind(), err:message()`)).toEqual([
      undefined, 'Invalid', 'unknown UUID format "braces" (standard, simple or urn)',
    ]);
  });
});
