// The hash module: RFC 1321 / FIPS 180 digests, RFC 2202 / 4231 HMACs, Go's FNV-1 golden values, raw
// output, and byte-string inputs.

import { describe, expect, test } from 'vitest';
import { createHash } from 'node:crypto';
import { hashModule } from '../../runtime/modules/hash.js';
import { runWithModules } from '../wippy-helpers.js';

const run = (src: string) => runWithModules(src, [hashModule]).results;
const hex = (bytes: unknown) => Buffer.from(bytes as string, 'latin1').toString('hex');

describe('hash digests', () => {
  test('md5, sha1, sha256 and sha512 of "abc" match the RFC 1321 / FIPS 180-2 answers', () => {
    expect(run('return hash.md5("abc"), hash.sha1("abc"), hash.sha256("abc"), hash.sha512("abc")')).toEqual([
      '900150983cd24fb0d6963f7d28e17f72',
      'a9993e364706816aba3e25717850c26c9cd0d89d',
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
      'ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f',
    ]);
  });

  test('the empty string has the well-known empty digests', () => {
    expect(run('return hash.md5(""), hash.sha256("")')).toEqual([
      'd41d8cd98f00b204e9800998ecf8427e',
      'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    ]);
  });

  test('a digest returns no error value beside it', () => {
    expect(run('local h, err = hash.sha1("abc") return select("#", hash.sha1("abc")), err')).toEqual([1, undefined]);
  });

  test('raw = true returns the digest bytes, raw = false the hex', () => {
    const [raw, len, h] = run('local r = hash.sha256("abc", true) return r, #r, hash.sha256("abc", false)');
    expect(len).toBe(32);
    expect(hex(raw)).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(h).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    const [md5, sha512] = run('return #hash.md5("", true), #hash.sha512("", 1)');
    expect([md5, sha512]).toEqual([16, 64]);
  });

  test('strings are hashed as their bytes (UTF-8 text and binary alike)', () => {
    const [utf8, bin] = run('return hash.md5("é"), hash.sha1("\\xff\\x00\\x80")');
    expect(utf8).toBe(createHash('md5').update(Buffer.from([0xc3, 0xa9])).digest('hex'));
    expect(bin).toBe(createHash('sha1').update(Buffer.from([0xff, 0x00, 0x80])).digest('hex'));
  });

  test('a number argument is hashed as its Lua string form', () => {
    expect(run('return hash.md5(123) == hash.md5("123"), hash.md5(1.5) == hash.md5("1.5")')).toEqual([true, true]);
  });

  test('a non-string argument raises', () => {
    expect(() => run('return hash.md5(nil)')).toThrow(/bad argument #1 to 'md5' \(string expected, got nil\)/);
    expect(() => run('return hash.sha512({})')).toThrow(/bad argument #1 to 'sha512' \(string expected, got table\)/);
  });
});

describe('hash hmac', () => {
  test('RFC 2202 / RFC 4231 test case 2 (key "Jefe")', () => {
    const r = run(`local d, k = "what do ya want for nothing?", "Jefe"
      return hash.hmac_md5(d, k), hash.hmac_sha1(d, k), hash.hmac_sha256(d, k), hash.hmac_sha512(d, k)`);
    expect(r).toEqual([
      '750c783e6ab0b503eaa86e310a5db738',
      'effcdf6ae5eb2fa2d27416d5f184df9c259a7c79',
      '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843',
      '164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7ea2505549758bf75c05a994a6d034f65f8f0e6fdcaeab1a34d4a6b4b636e070a38bce737',
    ]);
  });

  test('RFC 2202 / RFC 4231 test case 1 (binary key of 0x0b bytes)', () => {
    const r = run(`return hash.hmac_md5("Hi There", string.rep("\\x0b", 16)), hash.hmac_sha1("Hi There", string.rep("\\x0b", 20)),
      hash.hmac_sha256("Hi There", string.rep("\\x0b", 20)), hash.hmac_sha512("Hi There", string.rep("\\x0b", 20))`);
    expect(r).toEqual([
      '9294727a3638bb1c13f48ef8158bfc9d',
      'b617318655057264e28bc0b6fb378c8ef146be00',
      'b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7',
      '87aa7cdea5ef619d4ff0b4241a1d6cb02379f4e2ce4ec2787ad0b30545e17cdedaa833b7d6b8a702038b274eaea3f4e4be9d914eeb61f1702e696c203a126854',
    ]);
  });

  test('raw = true returns the MAC bytes', () => {
    const [raw, len] = run('local r = hash.hmac_sha256("what do ya want for nothing?", "Jefe", true) return r, #r');
    expect(len).toBe(32);
    expect(hex(raw)).toBe('5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843');
  });

  test('data comes first and the secret second', () => {
    expect(run('return hash.hmac_sha256("a", "b") ~= hash.hmac_sha256("b", "a")')).toEqual([true]);
  });

  test('a missing secret raises', () => {
    expect(() => run('return hash.hmac_sha256("data")')).toThrow(/bad argument #2 to 'hmac_sha256' \(string expected, got no value\)/);
    expect(() => run('return hash.hmac_md5(nil, "k")')).toThrow(/bad argument #1 to 'hmac_md5' \(string expected, got nil\)/);
  });
});

describe('hash fnv', () => {
  test('fnv32 is FNV-1 (Go fnv.New32) with Go\'s golden values', () => {
    expect(run('return hash.fnv32(""), hash.fnv32("a"), hash.fnv32("ab"), hash.fnv32("abc"), hash.fnv32("foobar")')).toEqual([
      0x811c9dc5, 0x050c5d7e, 0x70772d38, 0x439c2f4b, 0x31f0b262,
    ]);
  });

  test('fnv64 is FNV-1 (Go fnv.New64) with Go\'s golden values, as the nearest double', () => {
    const r = run('return hash.fnv64(""), hash.fnv64("a"), hash.fnv64("ab"), hash.fnv64("abc"), hash.fnv64("foobar")');
    expect(r).toEqual([0xcbf29ce484222325n, 0xaf63bd4c8601b7ben, 0x08326707b4eb37b8n, 0xd8dcca186bafadcbn, 0x340d8765a4dda9c2n].map(Number));
  });

  test('fnv64 values below 2^53 are exact integers', () => {
    expect(run('local h = hash.fnv64("qw3t9") return h, math.type(h), h == 8335679500854081')).toEqual([8335679500854081, 'integer', true]);
  });

  test('fnv hashes bytes, not characters', () => {
    const oneByte = Number(((0x811c9dc5n * 0x01000193n) % 2n ** 32n) ^ 0xffn);
    expect(run('return hash.fnv32("é") == hash.fnv32("\\xc3\\xa9"), hash.fnv32("\\xff")')).toEqual([true, oneByte]);
  });

  test('a non-string argument raises', () => {
    expect(() => run('return hash.fnv64()')).toThrow(/bad argument #1 to 'fnv64' \(string expected, got no value\)/);
  });
});
