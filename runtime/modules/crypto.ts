// The Wippy `crypto` module (spec §3.2): secure random values, HMAC (hex), AEAD encryption (AES-GCM and
// ChaCha20-Poly1305 with the 12-byte nonce prepended), JWT (HS/RS/ES with synchronous node:crypto), PBKDF2
// and constant-time comparison. Every input and output is a Lua byte string; failures are `nil, err`.

import {
  createCipheriv, createDecipheriv, createHmac, createPrivateKey, createPublicKey, pbkdf2Sync, randomBytes,
  randomInt, randomUUID, sign, timingSafeEqual, verify, type CipherGCMTypes, type KeyObject,
} from 'node:crypto';
import { LuaTable } from '../lua/table.js';
import { ret1, ret2 } from '../lua/ret.js';
import { checkInt, checkString, checkTable, optString } from '../lua/lib/args.js';
import { newError, KINDS } from '../lua/lib/errors.js';
import { luaType, numberToString } from '../lua/value.js';
import { bufferOf, bytesOf, fromBytes, moduleTable, subTable, toBytes, toLua, type ModuleDef } from './module.js';

/** Raised inside this module for bad input; turned into `nil, err` (INVALID) at the function's edge. */
class Invalid extends Error {}

/** Run `body`; an Invalid it throws becomes `nil, err` with kind INVALID. */
function guarded(body: () => unknown): unknown {
  try {
    return body();
  } catch (e) {
    if (e instanceof Invalid) return ret2(undefined, newError(e.message, KINDS.INVALID));
    throw e;
  }
}

const optBytes = (args: IArguments, i: number, fname: string): string | undefined =>
  args[i - 1] === undefined ? undefined : checkString(args, i, fname);

/** Longest byte string a random/pbkdf2 result may be (V8's string limit is about 2^29). */
const MAX_LEN = 2 ** 28;

function checkLength(n: number, what: string, min = 0): void {
  if (n < min || n > MAX_LEN) throw new Invalid(`${what} must be between ${min} and ${MAX_LEN}, got ${numberToString(n)}`);
}

// ---- random ----

const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** The characters of a charset: UTF-8 characters when it is valid UTF-8, else its bytes. */
function charsOf(charset: string): string[] {
  const text = fromBytes(charset);
  return toBytes(text) === charset ? Array.from(text, toBytes) : Array.from(charset);
}

const random = subTable({
  bytes: function bytes(_n: unknown) {
    const n = checkInt(arguments, 1, 'bytes');
    return guarded(() => {
      checkLength(n, 'byte count');
      return ret1(bytesOf(randomBytes(n)));
    });
  },
  string: function string(_n: unknown, _charset: unknown) {
    const n = checkInt(arguments, 1, 'string');
    const charset = optString(arguments, 2, 'string', ALPHANUMERIC);
    return guarded(() => {
      checkLength(n, 'length');
      const chars = charsOf(charset);
      if (chars.length === 0) throw new Invalid('charset is empty');
      // randomInt rejects out-of-range draws, so every character is equally likely (no modulo bias).
      let out = '';
      for (let i = 0; i < n; i++) out += chars[randomInt(chars.length)];
      return ret1(out);
    });
  },
  uuid: () => ret1(randomUUID()),
});

// ---- hmac (hex, like the hash module's default) ----

function hmacHex(algo: string, fname: string) {
  return function (this: unknown, _key: unknown, _data: unknown) {
    const key = checkString(arguments, 1, fname);
    const data = checkString(arguments, 2, fname);
    return ret1(createHmac(algo, bufferOf(key)).update(bufferOf(data)).digest('hex'));
  };
}

// ---- AEAD: nonce (12) ‖ ciphertext ‖ tag (16) ----

const NONCE = 12, TAG = 16;

function aeadCipher(kind: 'aes' | 'chacha20', key: Buffer): string {
  if (kind === 'chacha20') {
    if (key.length !== 32) throw new Invalid(`chacha20 key must be 32 bytes, got ${key.length}`);
    return 'chacha20-poly1305';
  }
  if (key.length !== 16 && key.length !== 24 && key.length !== 32) throw new Invalid(`aes key must be 16, 24 or 32 bytes, got ${key.length}`);
  return `aes-${key.length * 8}-gcm`;
}

function seal(kind: 'aes' | 'chacha20', fname: string, args: IArguments) {
  const data = checkString(args, 1, fname);
  const key = bufferOf(checkString(args, 2, fname));
  const aad = optBytes(args, 3, fname);
  return guarded(() => {
    const nonce = randomBytes(NONCE);
    const c = createCipheriv(aeadCipher(kind, key) as CipherGCMTypes, key, nonce, { authTagLength: TAG });
    if (aad !== undefined) c.setAAD(bufferOf(aad));
    const body = Buffer.concat([c.update(bufferOf(data)), c.final()]);
    return ret1(bytesOf(Buffer.concat([nonce, body, c.getAuthTag()])));
  });
}

function open(kind: 'aes' | 'chacha20', fname: string, args: IArguments) {
  const data = bufferOf(checkString(args, 1, fname));
  const key = bufferOf(checkString(args, 2, fname));
  const aad = optBytes(args, 3, fname);
  return guarded(() => {
    const cipher = aeadCipher(kind, key);
    if (data.length < NONCE + TAG) throw new Invalid(`ciphertext too short (${data.length} bytes, at least ${NONCE + TAG} needed)`);
    const d = createDecipheriv(cipher as CipherGCMTypes, key, data.subarray(0, NONCE), { authTagLength: TAG });
    d.setAuthTag(data.subarray(data.length - TAG));
    if (aad !== undefined) d.setAAD(bufferOf(aad));
    const body = d.update(data.subarray(NONCE, data.length - TAG));
    try {
      return ret1(bytesOf(Buffer.concat([body, d.final()])));
    } catch {
      throw new Invalid('message authentication failed');
    }
  });
}

// ---- JWT ----

interface JwtAlg {
  kind: 'HS' | 'RS' | 'ES';
  hash: string;
  /** ECDSA curve as node names it. */
  curve?: string;
}

const ALGS: Record<string, JwtAlg> = {
  HS256: { kind: 'HS', hash: 'sha256' },
  HS384: { kind: 'HS', hash: 'sha384' },
  HS512: { kind: 'HS', hash: 'sha512' },
  RS256: { kind: 'RS', hash: 'sha256' },
  RS384: { kind: 'RS', hash: 'sha384' },
  RS512: { kind: 'RS', hash: 'sha512' },
  ES256: { kind: 'ES', hash: 'sha256', curve: 'prime256v1' },
  ES384: { kind: 'ES', hash: 'sha384', curve: 'secp384r1' },
  ES512: { kind: 'ES', hash: 'sha512', curve: 'secp521r1' },
};

function algOf(name: string): JwtAlg {
  const a = Object.hasOwn(ALGS, name) ? ALGS[name] : undefined;
  if (a === undefined) throw new Invalid(`unsupported JWT algorithm ${JSON.stringify(name)} (${Object.keys(ALGS).join(', ')})`);
  return a;
}

/** A PEM key for an RS/ES algorithm, checked to be of the algorithm's type (and curve). */
function pemKey(pem: string, alg: JwtAlg, name: string, priv: boolean): KeyObject {
  let key: KeyObject;
  try {
    key = priv ? createPrivateKey(fromBytes(pem)) : createPublicKey(fromBytes(pem));
  } catch {
    throw new Invalid(`${name} needs a PEM ${priv ? 'private' : 'public'} key`);
  }
  const type = alg.kind === 'RS' ? 'rsa' : 'ec';
  if (key.asymmetricKeyType !== type) throw new Invalid(`${name} needs an ${type.toUpperCase()} key, got ${key.asymmetricKeyType}`);
  if (alg.curve !== undefined && key.asymmetricKeyDetails?.namedCurve !== alg.curve) throw new Invalid(`${name} needs a key on curve ${alg.curve}`);
  return key;
}

function hmacKey(key: string): Buffer {
  if (key.length === 0) throw new Invalid('JWT HMAC key is empty');
  return bufferOf(key);
}

function jwtSign(input: string, key: string, alg: JwtAlg, name: string): Buffer {
  if (alg.kind === 'HS') return createHmac(alg.hash, hmacKey(key)).update(input).digest();
  return sign(alg.hash, Buffer.from(input), { key: pemKey(key, alg, name, true), dsaEncoding: 'ieee-p1363' });
}

function jwtCheck(input: string, sig: Buffer, key: string, alg: JwtAlg, name: string): boolean {
  if (alg.kind === 'HS') {
    const want = createHmac(alg.hash, hmacKey(key)).update(input).digest();
    return want.length === sig.length && timingSafeEqual(want, sig);
  }
  const pub = pemKey(key, alg, name, false);
  try {
    return verify(alg.hash, Buffer.from(input), { key: pub, dsaEncoding: 'ieee-p1363' }, sig);
  } catch {
    return false; // a signature of the wrong size for the key
  }
}

/** JSON string as Go's encoding/json writes it: <, >, & and U+2028/2029 escaped too. */
const goString = (s: string): string =>
  JSON.stringify(s).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);

/**
 * A Lua value as JSON text with object keys sorted (as Go's encoding/json writes the maps golang-jwt
 * signs). Sequences become arrays, an empty nested table `[]` (as the json module does).
 */
function toJson(v: unknown, seen: Set<LuaTable>): string {
  switch (typeof v) {
    case 'undefined': return 'null';
    case 'boolean': return String(v);
    case 'string': return goString(fromBytes(v));
    case 'number':
      if (!Number.isFinite(v)) throw new Invalid('JWT payload cannot hold NaN or infinity');
      return JSON.stringify(v);
  }
  if (!(v instanceof LuaTable)) throw new Invalid(`JWT payload cannot hold a ${luaType(v)}`);
  if (seen.has(v)) throw new Invalid('JWT payload contains itself');
  seen.add(v);
  let out: string;
  const arr = v.arr;
  if (v.hashSize() === 0 && !arr.includes(undefined)) {
    out = `[${arr.map((x) => toJson(x, seen)).join(',')}]`;
  } else {
    const fields: [string, string][] = [];
    arr.forEach((x, i) => x !== undefined && fields.push([String(i + 1), toJson(x, seen)]));
    for (const [k, x] of v.entries()) {
      if (typeof k === 'string') fields.push([fromBytes(k), toJson(x, seen)]);
      else if (typeof k === 'number') fields.push([numberToString(k), toJson(x, seen)]);
      else throw new Invalid(`JWT payload cannot have a ${luaType(k)} key`);
    }
    fields.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    out = `{${fields.map(([k, x]) => `${goString(k)}:${x}`).join(',')}}`;
  }
  seen.delete(v);
  return out;
}

const b64url = (s: string | Buffer): string => Buffer.from(s).toString('base64url');

/** A base64url segment (unpadded, strict alphabet) parsed as a JSON object. */
function segmentObject(seg: string, what: string): Record<string, unknown> {
  if (!/^[A-Za-z0-9_-]*$/.test(seg)) throw new Invalid(`malformed JWT ${what}`);
  let v: unknown;
  try {
    v = JSON.parse(Buffer.from(seg, 'base64url').toString('utf8'));
  } catch {
    throw new Invalid(`malformed JWT ${what}`);
  }
  if (v === null || typeof v !== 'object' || Array.isArray(v)) throw new Invalid(`JWT ${what} is not a JSON object`);
  return v as Record<string, unknown>;
}

/** exp/nbf as golang-jwt v5 checks them (no leeway): valid while now < exp and from nbf on. */
function checkTimes(claims: Record<string, unknown>, requireExp: boolean): void {
  const now = Date.now() / 1000;
  for (const name of ['exp', 'nbf']) {
    const t = claims[name];
    if (t === undefined) continue;
    if (typeof t !== 'number') throw new Invalid(`JWT claim ${name} is not a number`);
  }
  const { exp, nbf } = claims as { exp?: number; nbf?: number };
  if (exp === undefined && requireExp) throw new Invalid('JWT has no exp claim');
  if (exp !== undefined && !(now < exp)) throw new Invalid('JWT is expired');
  if (nbf !== undefined && now < nbf) throw new Invalid('JWT is not valid yet');
}

const jwt = subTable({
  encode: function encode(_payload: unknown, _key: unknown, _alg: unknown) {
    const payload = checkTable(arguments, 1, 'encode');
    const key = checkString(arguments, 2, 'encode');
    const name = optString(arguments, 3, 'encode', 'HS256');
    return guarded(() => {
      const alg = algOf(name);
      const body = toJson(payload, new Set());
      if (!body.startsWith('{') && body !== '[]') throw new Invalid('JWT payload must be a table of claims, not a list');
      const input = `${b64url(JSON.stringify({ alg: name, typ: 'JWT' }))}.${b64url(Buffer.from(body === '[]' ? '{}' : body, 'utf8'))}`;
      return ret1(`${input}.${b64url(jwtSign(input, key, alg, name))}`);
    });
  },
  verify: function verify_(_token: unknown, _key: unknown, _alg: unknown, requireExp: unknown) {
    const token = checkString(arguments, 1, 'verify');
    const key = checkString(arguments, 2, 'verify');
    const name = optString(arguments, 3, 'verify', 'HS256');
    return guarded(() => {
      const alg = algOf(name);
      const parts = token.split('.');
      if (parts.length !== 3) throw new Invalid('malformed JWT: expected three dot-separated parts');
      const header = segmentObject(parts[0], 'header');
      // The expected algorithm comes from the caller, never from the token (no alg confusion, no "none").
      if (header.alg !== name) throw new Invalid(`JWT algorithm ${JSON.stringify(header.alg)} does not match ${name}`);
      const claims = segmentObject(parts[1], 'payload');
      if (!/^[A-Za-z0-9_-]+$/.test(parts[2])) throw new Invalid('malformed JWT signature');
      if (!jwtCheck(`${parts[0]}.${parts[1]}`, Buffer.from(parts[2], 'base64url'), key, alg, name)) throw new Invalid('JWT signature is invalid');
      checkTimes(claims, requireExp !== undefined && requireExp !== false);
      return ret1(toLua(claims));
    });
  },
});

// ---- pbkdf2, comparison ----

const PBKDF2_HASHES = new Set(['sha1', 'sha224', 'sha256', 'sha384', 'sha512']);

function pbkdf2(_password: unknown, _salt: unknown, _iterations: unknown, _keyLen: unknown, _hash: unknown) {
  const password = checkString(arguments, 1, 'pbkdf2');
  const salt = checkString(arguments, 2, 'pbkdf2');
  const iterations = checkInt(arguments, 3, 'pbkdf2');
  const keyLen = checkInt(arguments, 4, 'pbkdf2');
  const hash = optString(arguments, 5, 'pbkdf2', 'sha256');
  return guarded(() => {
    if (iterations < 1 || iterations > 0x7fffffff) throw new Invalid(`iterations must be between 1 and ${0x7fffffff}, got ${numberToString(iterations)}`);
    checkLength(keyLen, 'key length', 1);
    const algo = hash.toLowerCase();
    if (!PBKDF2_HASHES.has(algo)) throw new Invalid(`unsupported pbkdf2 hash ${JSON.stringify(hash)} (${[...PBKDF2_HASHES].join(', ')})`);
    return ret1(bytesOf(pbkdf2Sync(bufferOf(password), bufferOf(salt), iterations, keyLen, algo)));
  });
}

function constant_time_compare(_a: unknown, _b: unknown) {
  const a = bufferOf(checkString(arguments, 1, 'constant_time_compare'));
  const b = bufferOf(checkString(arguments, 2, 'constant_time_compare'));
  // Like Go's subtle.ConstantTimeCompare: only the length is not hidden.
  return ret1(a.length === b.length && timingSafeEqual(a, b));
}

export const cryptoModule: ModuleDef = {
  name: 'crypto',
  open: () => moduleTable('crypto', {
    random,
    hmac: subTable({ sha256: hmacHex('sha256', 'sha256'), sha512: hmacHex('sha512', 'sha512') }),
    encrypt: subTable({
      aes: function aes(_d: unknown, _k: unknown, _aad: unknown) { return seal('aes', 'aes', arguments); },
      chacha20: function chacha20(_d: unknown, _k: unknown, _aad: unknown) { return seal('chacha20', 'chacha20', arguments); },
    }),
    decrypt: subTable({
      aes: function aes(_d: unknown, _k: unknown, _aad: unknown) { return open('aes', 'aes', arguments); },
      chacha20: function chacha20(_d: unknown, _k: unknown, _aad: unknown) { return open('chacha20', 'chacha20', arguments); },
    }),
    jwt,
    pbkdf2,
    constant_time_compare,
  }),
};
