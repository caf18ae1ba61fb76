// The Wippy `hash` module (spec §3.2): md5/sha1/sha256/sha512 digests and their HMACs (lowercase hex, or the
// raw digest bytes when `raw` is true), and Go's hash/fnv FNV-1 (New32/New64) as numbers. Inputs are Lua
// byte strings and are hashed as bytes.

import { createHash, createHmac } from 'node:crypto';
import { ret1 } from '../lua/ret.js';
import { checkString } from '../lua/lib/args.js';
import { bufferOf, bytesOf, moduleTable, type ModuleDef } from './module.js';

const truthy = (v: unknown): boolean => v !== undefined && v !== false;

const encode = (digest: Buffer, raw: unknown): string => (truthy(raw) ? bytesOf(digest) : digest.toString('hex'));

function digest(algo: string, fname: string) {
  return function (this: unknown, _data: unknown, raw: unknown) {
    const data = checkString(arguments, 1, fname);
    return ret1(encode(createHash(algo).update(bufferOf(data)).digest(), raw));
  };
}

function hmac(algo: string, fname: string) {
  return function (this: unknown, _data: unknown, _secret: unknown, raw: unknown) {
    const data = checkString(arguments, 1, fname);
    const secret = checkString(arguments, 2, fname);
    return ret1(encode(createHmac(algo, bufferOf(secret)).update(bufferOf(data)).digest(), raw));
  };
}

/** 32-bit FNV-1 (Go's fnv.New32): multiply by the prime, then xor the byte. */
export function fnv1_32(data: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < data.length; i++) h = (Math.imul(h, 0x01000193) ^ data.charCodeAt(i)) >>> 0;
  return h;
}

/**
 * 64-bit FNV-1 (Go's fnv.New64) in four 16-bit limbs (exact without BigInt). The prime is 2^40 + 0x1b3, so
 * h * prime = h * 0x1b3 + (h << 40). The result is the unsigned value rounded to the nearest double: exact
 * below 2^53, within 2^11 of it above.
 */
export function fnv1_64(data: string): number {
  let h0 = 0x2325, h1 = 0x8422, h2 = 0x9ce4, h3 = 0xcbf2;
  for (let i = 0; i < data.length; i++) {
    const t0 = h0 * 0x1b3;
    const t1 = h1 * 0x1b3 + (t0 >>> 16);
    const t2 = h2 * 0x1b3 + (h0 << 8) + (t1 >>> 16);
    const t3 = h3 * 0x1b3 + (h1 << 8) + (t2 >>> 16);
    h0 = (t0 & 0xffff) ^ data.charCodeAt(i);
    h1 = t1 & 0xffff;
    h2 = t2 & 0xffff;
    h3 = t3 & 0xffff;
  }
  // The low 48 bits are exact, so the one addition rounds the 64-bit value correctly.
  return h3 * 2 ** 48 + (h2 * 2 ** 32 + h1 * 2 ** 16 + h0);
}

export const hashModule: ModuleDef = {
  name: 'hash',
  open: () => moduleTable('hash', {
    md5: digest('md5', 'md5'),
    sha1: digest('sha1', 'sha1'),
    sha256: digest('sha256', 'sha256'),
    sha512: digest('sha512', 'sha512'),
    hmac_md5: hmac('md5', 'hmac_md5'),
    hmac_sha1: hmac('sha1', 'hmac_sha1'),
    hmac_sha256: hmac('sha256', 'hmac_sha256'),
    hmac_sha512: hmac('sha512', 'hmac_sha512'),
    fnv32: function fnv32(_data: unknown) {
      return ret1(fnv1_32(checkString(arguments, 1, 'fnv32')));
    },
    fnv64: function fnv64(_data: unknown) {
      return ret1(fnv1_64(checkString(arguments, 1, 'fnv64')));
    },
  }),
};
