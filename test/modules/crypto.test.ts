// The crypto module: random values, hex HMAC, AES-GCM and ChaCha20-Poly1305 (published vectors, round trips,
// tamper detection), JWT (the jwt.io token, HS/RS/ES, claim checks), RFC 6070 PBKDF2, constant-time compare.

import { describe, expect, test } from 'vitest';
import { createHmac, generateKeyPairSync, verify } from 'node:crypto';
import { cryptoModule } from '../../runtime/modules/crypto.js';
import { fromLua } from '../../runtime/modules/module.js';
import { runWithModules } from '../wippy-helpers.js';

const run = (src: string) => runWithModules(src, [cryptoModule]).results;
const hex = (bytes: unknown) => Buffer.from(bytes as string, 'latin1').toString('hex');
/** A Lua string literal holding the bytes of `h` (hex). */
const lit = (h: string) => `"${h.replace(/../g, (b) => `\\x${b}`)}"`;
/** Lua snippet tail: the error of `expr` as kind and message, with the value (must be nil). */
const failure = (expr: string) => run(`local v, err = ${expr} return v, err:kind(), err:message()`);

describe('crypto.random', () => {
  test('bytes(n) gives n random bytes', () => {
    const [a, b, n, empty] = run('local a = crypto.random.bytes(32) return a, crypto.random.bytes(32), #a, crypto.random.bytes(0)');
    expect(n).toBe(32);
    expect(a).not.toBe(b);
    expect(empty).toBe('');
  });

  test('bytes with a negative count returns nil and INVALID', () => {
    expect(failure('crypto.random.bytes(-1)')).toEqual([undefined, 'Invalid', 'byte count must be between 0 and 268435456, got -1']);
  });

  test('bytes raises on a count that is not an integer', () => {
    expect(() => run('return crypto.random.bytes(1.5)')).toThrow(/bad argument #1 to 'bytes' \(number has no integer representation\)/);
    expect(() => run('return crypto.random.bytes()')).toThrow(/bad argument #1 to 'bytes' \(number expected, got no value\)/);
  });

  test('string(n) defaults to the alphanumeric charset', () => {
    const [s, t] = run('return crypto.random.string(64), crypto.random.string(64)');
    expect(s).toMatch(/^[A-Za-z0-9]{64}$/);
    expect(s).not.toBe(t);
  });

  test('string draws every position of the charset equally often (no modulo bias)', () => {
    const [s, t] = run('return crypto.random.string(6000, "abc"), crypto.random.string(6000, string.rep("a", 64) .. string.rep("b", 128))');
    const count = (str: unknown, c: string) => (str as string).split(c).length - 1;
    // Expected 2000 each, standard deviation about 37.
    for (const c of 'abc') expect(Math.abs(count(s, c) - 2000)).toBeLessThan(250);
    // 64 of 192 positions are "a": 2000 expected. A byte taken modulo 192 would give "a" half the time (3000).
    expect(Math.abs(count(t, 'a') - 2000)).toBeLessThan(250);
    expect(count(t, 'a') + count(t, 'b')).toBe(6000);
  });

  test('string picks whole UTF-8 characters from a UTF-8 charset', () => {
    const [s] = run('return crypto.random.string(50, "é€x")');
    expect(Buffer.from(s as string, 'latin1').toString('utf8')).toMatch(/^[é€x]{50}$/u);
  });

  test('string with an empty charset or a negative length returns nil and INVALID', () => {
    expect(failure('crypto.random.string(5, "")')).toEqual([undefined, 'Invalid', 'charset is empty']);
    expect(failure('crypto.random.string(-5)')).toEqual([undefined, 'Invalid', 'length must be between 0 and 268435456, got -5']);
    expect(run('return crypto.random.string(0)')).toEqual(['']);
  });

  test('uuid gives a version-4 UUID', () => {
    const [a, b] = run('return crypto.random.uuid(), crypto.random.uuid()');
    expect(a).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(a).not.toBe(b);
  });
});

describe('crypto.hmac', () => {
  test('sha256 and sha512 take (key, data) and return lowercase hex (RFC 4231 test case 2)', () => {
    expect(run('return crypto.hmac.sha256("Jefe", "what do ya want for nothing?"), crypto.hmac.sha512("Jefe", "what do ya want for nothing?")')).toEqual([
      '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843',
      '164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7ea2505549758bf75c05a994a6d034f65f8f0e6fdcaeab1a34d4a6b4b636e070a38bce737',
    ]);
  });

  test('a binary key is used as bytes (RFC 4231 test case 1)', () => {
    expect(run('return crypto.hmac.sha256(string.rep("\\x0b", 20), "Hi There")')).toEqual(['b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7']);
  });

  test('a missing argument raises', () => {
    expect(() => run('return crypto.hmac.sha256("k")')).toThrow(/bad argument #2 to 'sha256' \(string expected, got no value\)/);
  });
});

describe('crypto.encrypt / crypto.decrypt', () => {
  // GCM spec (McGrew & Viega) test case 3: AES-128, 96-bit IV.
  const GCM = {
    key: 'feffe9928665731c6d6a8f9467308308',
    iv: 'cafebabefacedbaddecaf888',
    plain: 'd9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a721c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b391aafd255',
    cipher: '42831ec2217774244b7221b784d0d49ce3aa212f2c02a4e035c17e2329aca12e21d514b25466931c7d8f6a5aac84aa051ba30b396a0aac973d58e091473f5985',
    tag: '4d5c2af327cd64a62cf35abd2ba6fab4',
  };
  // RFC 8439 §2.8.2 AEAD_CHACHA20_POLY1305 example.
  const CHACHA = {
    key: '808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f',
    nonce: '070000004041424344454647',
    aad: '50515253c0c1c2c3c4c5c6c7',
    plain: "Ladies and Gentlemen of the class of '99: If I could offer you only one tip for the future, sunscreen would be it.",
    cipher: 'd31a8d34648e60db7b86afbc53ef7ec2a4aded51296e08fea9e2b5a736ee62d63dbea45e8ca9671282fafb69da92728b1a71de0a9e060b2905d6a5b67ecd3b3692ddbd7f2d778b8c9803aee328091b58fab324e4fad675945585808b4831d7bc3ff4def08e4b7a9de576d26586cec64b6116',
    tag: '1ae10b594f09e26a7e902ecbd0600691',
  };

  test('decrypt.aes reads nonce ‖ ciphertext ‖ tag (GCM test case 3)', () => {
    const [p] = run(`return crypto.decrypt.aes(${lit(GCM.iv + GCM.cipher + GCM.tag)}, ${lit(GCM.key)})`);
    expect(hex(p)).toBe(GCM.plain);
  });

  test('decrypt.chacha20 reads nonce ‖ ciphertext ‖ tag with AAD (RFC 8439 §2.8.2)', () => {
    const [p] = run(`return crypto.decrypt.chacha20(${lit(CHACHA.nonce + CHACHA.cipher + CHACHA.tag)}, ${lit(CHACHA.key)}, ${lit(CHACHA.aad)})`);
    expect(p).toBe(CHACHA.plain);
  });

  test('aes round-trips binary data with 128-, 192- and 256-bit keys; output is 12 + n + 16 bytes', () => {
    for (const n of [16, 24, 32]) {
      const [ok, len, differs] = run(`local data = "" for i = 0, 255 do data = data .. string.char(i) end
        local key = string.rep("k", ${n})
        local c = crypto.encrypt.aes(data, key)
        local p, err = crypto.decrypt.aes(c, key)
        return p == data and err == nil, #c, c ~= crypto.encrypt.aes(data, key)`);
      expect([ok, len, differs]).toEqual([true, 12 + 256 + 16, true]);
    }
  });

  test('chacha20 round-trips, including the empty message', () => {
    const [ok, len] = run(`local key = string.rep("\\x01", 32)
      local c = crypto.encrypt.chacha20("", key)
      return crypto.decrypt.chacha20(crypto.encrypt.chacha20("hello", key), key) == "hello" and crypto.decrypt.chacha20(c, key) == "", #c`);
    expect([ok, len]).toEqual([true, 28]);
  });

  test('the additional data must match for decryption', () => {
    for (const alg of ['aes', 'chacha20']) {
      const [good, v, kind, msg, none] = run(`local key = string.rep("k", 32)
        local c = crypto.encrypt.${alg}("secret", key, "header")
        local v, err = crypto.decrypt.${alg}(c, key, "other")
        local _, err2 = crypto.decrypt.${alg}(c, key)
        return crypto.decrypt.${alg}(c, key, "header"), v, err:kind(), err:message(), err2 and err2:kind()`);
      expect([good, v, kind, msg, none]).toEqual(['secret', undefined, 'Invalid', 'message authentication failed', 'Invalid']);
    }
  });

  test('a flipped bit anywhere (nonce, ciphertext or tag) or a wrong key is detected', () => {
    for (const alg of ['aes', 'chacha20']) {
      const r = run(`local key = string.rep("k", 32)
        local c = crypto.encrypt.${alg}("attack at dawn", key)
        local out = {}
        for _, i in ipairs({1, 12, 13, 20, #c}) do
          local bad = c:sub(1, i - 1) .. string.char(c:byte(i) ~ 1) .. c:sub(i + 1)
          local v, err = crypto.decrypt.${alg}(bad, key)
          out[#out + 1] = v == nil and err:kind() == "Invalid"
        end
        local v, err = crypto.decrypt.${alg}(c, string.rep("K", 32))
        out[#out + 1] = v == nil and err:message() == "message authentication failed"
        return table.unpack(out)`);
      expect(r).toEqual([true, true, true, true, true, true]);
    }
  });

  test('keys of the wrong size return nil and INVALID', () => {
    expect(failure('crypto.encrypt.aes("x", "short")')).toEqual([undefined, 'Invalid', 'aes key must be 16, 24 or 32 bytes, got 5']);
    expect(failure(`crypto.decrypt.aes(string.rep("x", 40), string.rep("k", 31))`)).toEqual([undefined, 'Invalid', 'aes key must be 16, 24 or 32 bytes, got 31']);
    expect(failure('crypto.encrypt.chacha20("x", string.rep("k", 16))')).toEqual([undefined, 'Invalid', 'chacha20 key must be 32 bytes, got 16']);
    expect(failure(`crypto.decrypt.chacha20(string.rep("x", 40), "k")`)).toEqual([undefined, 'Invalid', 'chacha20 key must be 32 bytes, got 1']);
  });

  test('input shorter than nonce and tag returns nil and INVALID', () => {
    expect(failure('crypto.decrypt.aes(string.rep("x", 27), string.rep("k", 16))')).toEqual([
      undefined, 'Invalid', 'ciphertext too short (27 bytes, at least 28 needed)',
    ]);
    expect(failure('crypto.decrypt.chacha20("", string.rep("k", 32))')).toEqual([
      undefined, 'Invalid', 'ciphertext too short (0 bytes, at least 28 needed)',
    ]);
  });

  test('non-string data, key or aad raises', () => {
    expect(() => run('return crypto.encrypt.aes(nil, "k")')).toThrow(/bad argument #1 to 'aes' \(string expected, got nil\)/);
    expect(() => run('return crypto.decrypt.chacha20("x")')).toThrow(/bad argument #2 to 'chacha20' \(string expected, got no value\)/);
    expect(() => run('return crypto.encrypt.aes("x", string.rep("k", 16), {})')).toThrow(/bad argument #3 to 'aes' \(string expected, got table\)/);
  });
});

describe('crypto.jwt', () => {
  const JWT_IO = 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c';
  const b64 = (s: string) => Buffer.from(s).toString('base64url');

  test('verify accepts the jwt.io example token and returns its claims', () => {
    const [claims, err] = run(`return crypto.jwt.verify("${JWT_IO}", "your-256-bit-secret")`);
    expect(err).toBeUndefined();
    expect(fromLua(claims)).toEqual({ sub: '1234567890', name: 'John Doe', iat: 1516239022 });
  });

  test('encode signs HS256 by default with sorted claims (as Go\'s encoding/json orders a map)', () => {
    const [token] = run('return crypto.jwt.encode({sub = "1234567890", name = "John Doe", iat = 1516239022}, "your-256-bit-secret")');
    const input = `${b64('{"alg":"HS256","typ":"JWT"}')}.${b64('{"iat":1516239022,"name":"John Doe","sub":"1234567890"}')}`;
    expect(token).toBe(`${input}.${createHmac('sha256', 'your-256-bit-secret').update(input).digest('base64url')}`);
  });

  test('encode writes nested tables, lists, booleans and UTF-8 text as JSON', () => {
    const [token] = run('return crypto.jwt.encode({roles = {"a", "b"}, meta = {ok = true, n = 1.5, tags = {}}, name = "é<>"}, "k")');
    const body = Buffer.from((token as string).split('.')[1], 'base64url').toString('utf8');
    expect(body).toBe('{"meta":{"n":1.5,"ok":true,"tags":[]},"name":"é\\u003c\\u003e","roles":["a","b"]}');
  });

  test('HS384 and HS512 round-trip and sign with their hashes', () => {
    for (const [alg, h] of [['HS384', 'sha384'], ['HS512', 'sha512']]) {
      const [token, sub] = run(`local t = crypto.jwt.encode({sub = "u1"}, "secret", "${alg}") return t, crypto.jwt.verify(t, "secret", "${alg}").sub`);
      const [head, body, sig] = (token as string).split('.');
      expect(JSON.parse(Buffer.from(head, 'base64url').toString())).toEqual({ alg, typ: 'JWT' });
      expect(sig).toBe(createHmac(h, 'secret').update(`${head}.${body}`).digest('base64url'));
      expect(sub).toBe('u1');
    }
  });

  test('RS256 signs with a PEM private key and verifies with the public key', () => {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const priv = privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
    const pub = publicKey.export({ type: 'spki', format: 'pem' }) as string;
    const [token, sub] = run(`local t = crypto.jwt.encode({sub = "rs"}, [[${priv}]], "RS256")
      return t, crypto.jwt.verify(t, [[${pub}]], "RS256").sub`);
    const [head, body, sig] = (token as string).split('.');
    expect(verify('sha256', Buffer.from(`${head}.${body}`), publicKey, Buffer.from(sig, 'base64url'))).toBe(true);
    expect(sub).toBe('rs');
  });

  test('ES256 signatures are raw r ‖ s (64 bytes) and verify with the public key', () => {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const priv = privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
    const pub = publicKey.export({ type: 'spki', format: 'pem' }) as string;
    const [token, sub] = run(`local t = crypto.jwt.encode({sub = "es"}, [[${priv}]], "ES256")
      return t, crypto.jwt.verify(t, [[${pub}]], "ES256").sub`);
    const [head, body, sig] = (token as string).split('.');
    const raw = Buffer.from(sig, 'base64url');
    expect(raw.length).toBe(64);
    expect(verify('sha256', Buffer.from(`${head}.${body}`), { key: publicKey, dsaEncoding: 'ieee-p1363' }, raw)).toBe(true);
    expect(sub).toBe('es');
    // The wrong public key fails the signature check.
    const other = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ type: 'spki', format: 'pem' }) as string;
    expect(run(`local c, err = crypto.jwt.verify("${token}", [[${other}]], "ES256") return c, err:message()`)).toEqual([undefined, 'JWT signature is invalid']);
  });

  test('a PEM key of the wrong type or no PEM at all returns nil and INVALID', () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
    const p384 = generateKeyPairSync('ec', { namedCurve: 'P-384' }).privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
    expect(failure(`crypto.jwt.encode({}, [[${rsa}]], "ES256")`)).toEqual([undefined, 'Invalid', 'ES256 needs an EC key, got rsa']);
    expect(failure(`crypto.jwt.encode({}, [[${p384}]], "ES256")`)).toEqual([undefined, 'Invalid', 'ES256 needs a key on curve prime256v1']);
    expect(failure('crypto.jwt.encode({}, "not a key", "RS256")')).toEqual([undefined, 'Invalid', 'RS256 needs a PEM private key']);
    expect(failure(`crypto.jwt.verify("${b64('{"alg":"RS256","typ":"JWT"}')}.e30.c2ln", "not a key", "RS256")`)).toEqual([undefined, 'Invalid', 'RS256 needs a PEM public key']);
  });

  test('verify rejects a wrong key and a tampered payload', () => {
    expect(failure(`crypto.jwt.verify("${JWT_IO}", "wrong-secret")`)).toEqual([undefined, 'Invalid', 'JWT signature is invalid']);
    const [, , sig] = JWT_IO.split('.');
    const forged = `${JWT_IO.split('.')[0]}.${b64('{"sub":"1234567890","name":"John Doe","iat":1516239022,"admin":true}')}.${sig}`;
    expect(failure(`crypto.jwt.verify("${forged}", "your-256-bit-secret")`)).toEqual([undefined, 'Invalid', 'JWT signature is invalid']);
  });

  test('verify demands the expected algorithm: no alg switching, no "none"', () => {
    expect(failure(`crypto.jwt.verify("${JWT_IO}", "your-256-bit-secret", "HS512")`)).toEqual([undefined, 'Invalid', 'JWT algorithm "HS256" does not match HS512']);
    const none = `${b64('{"alg":"none","typ":"JWT"}')}.${b64('{"sub":"x"}')}.`;
    expect(failure(`crypto.jwt.verify("${none}", "k")`)).toEqual([undefined, 'Invalid', 'JWT algorithm "none" does not match HS256']);
    expect(failure(`crypto.jwt.verify("${none}", "k", "none")`)).toEqual([undefined, 'Invalid', 'unsupported JWT algorithm "none" (HS256, HS384, HS512, RS256, RS384, RS512, ES256, ES384, ES512)']);
  });

  test('exp in the past fails, in the future passes; nbf in the future fails', () => {
    const r = run(`local now = os.time()
      local past = crypto.jwt.encode({exp = now - 10}, "k")
      local future = crypto.jwt.encode({exp = now + 60, nbf = now - 1}, "k")
      local early = crypto.jwt.encode({nbf = now + 60}, "k")
      local c1, e1 = crypto.jwt.verify(past, "k")
      local c2, e2 = crypto.jwt.verify(future, "k", "HS256", true)
      local c3, e3 = crypto.jwt.verify(early, "k")
      return c1, e1:message(), c2.exp == now + 60, e2, c3, e3:kind(), e3:message()`);
    expect(r).toEqual([undefined, 'JWT is expired', true, undefined, undefined, 'Invalid', 'JWT is not valid yet']);
  });

  test('require_exp rejects a token without exp; without it such a token passes', () => {
    expect(failure(`crypto.jwt.verify("${JWT_IO}", "your-256-bit-secret", nil, true)`)).toEqual([undefined, 'Invalid', 'JWT has no exp claim']);
    expect(run(`return crypto.jwt.verify("${JWT_IO}", "your-256-bit-secret", nil, false).sub`)).toEqual(['1234567890']);
  });

  test('an exp that is not a number fails', () => {
    expect(failure('crypto.jwt.verify(crypto.jwt.encode({exp = "tomorrow"}, "k"), "k")')).toEqual([undefined, 'Invalid', 'JWT claim exp is not a number']);
  });

  test('malformed tokens return nil and INVALID', () => {
    const cases: [string, string][] = [
      ['a.b', 'malformed JWT: expected three dot-separated parts'],
      ['a.b.c.d', 'malformed JWT: expected three dot-separated parts'],
      ['!!.e30.sig', 'malformed JWT header'],
      [`${b64('not json')}.e30.sig`, 'malformed JWT header'],
      [`${b64('[1]')}.e30.sig`, 'JWT header is not a JSON object'],
      [`${b64('{"alg":"HS256"}')}.${b64('"str"')}.sig`, 'JWT payload is not a JSON object'],
      [`${b64('{"alg":"HS256"}')}.e30.`, 'malformed JWT signature'],
      [`${b64('{"alg":"HS256"}')}.e30.a+b/`, 'malformed JWT signature'],
    ];
    for (const [token, msg] of cases) expect(failure(`crypto.jwt.verify("${token}", "k")`)).toEqual([undefined, 'Invalid', msg]);
  });

  test('encode refuses unknown algorithms, empty HMAC keys and payloads JSON cannot hold', () => {
    expect(failure('crypto.jwt.encode({}, "k", "HS1")')[2]).toMatch(/^unsupported JWT algorithm "HS1"/);
    expect(failure('crypto.jwt.encode({}, "")')).toEqual([undefined, 'Invalid', 'JWT HMAC key is empty']);
    expect(failure('crypto.jwt.verify("' + JWT_IO + '", "")')).toEqual([undefined, 'Invalid', 'JWT HMAC key is empty']);
    expect(failure('crypto.jwt.encode({"a", "b"}, "k")')).toEqual([undefined, 'Invalid', 'JWT payload must be a table of claims, not a list']);
    expect(failure('crypto.jwt.encode({f = print}, "k")')).toEqual([undefined, 'Invalid', 'JWT payload cannot hold a function']);
    expect(failure('crypto.jwt.encode({n = 0/0}, "k")')).toEqual([undefined, 'Invalid', 'JWT payload cannot hold NaN or infinity']);
    expect(run('local t = {} t.self = t local v, err = crypto.jwt.encode(t, "k") return v, err:message()')).toEqual([undefined, 'JWT payload contains itself']);
  });

  test('an empty payload encodes as an empty object', () => {
    const [token] = run('return crypto.jwt.encode({}, "k")');
    expect((token as string).split('.')[1]).toBe(b64('{}'));
  });

  test('a non-table payload or a missing key raises', () => {
    expect(() => run('return crypto.jwt.encode("claims", "k")')).toThrow(/bad argument #1 to 'encode' \(table expected, got string\)/);
    expect(() => run('return crypto.jwt.encode({})')).toThrow(/bad argument #2 to 'encode' \(string expected, got no value\)/);
    expect(() => run('return crypto.jwt.verify(nil, "k")')).toThrow(/bad argument #1 to 'verify' \(string expected, got nil\)/);
  });
});

describe('crypto.pbkdf2', () => {
  test('RFC 6070 PBKDF2-HMAC-SHA1 vectors', () => {
    const r = run('return crypto.pbkdf2("password", "salt", 1, 20, "sha1"), crypto.pbkdf2("password", "salt", 2, 20, "sha1"), crypto.pbkdf2("password", "salt", 4096, 20, "sha1")');
    expect(r.map(hex)).toEqual([
      '0c60c80f961f0e71f3a9b524af6012062fe037a6',
      'ea6c014dc72d6f8ccd1ed92ace1d41f0d8de8957',
      '4b007901b765489abead49d926f721d065a429c1',
    ]);
  });

  test('the hash defaults to sha256 and the result is raw bytes of key_len', () => {
    const [k, len, same] = run('local k = crypto.pbkdf2("password", "salt", 1, 32) return k, #k, k == crypto.pbkdf2("password", "salt", 1, 32, "SHA256")');
    expect(hex(k)).toBe('120fb6cffcf8b32c43e7225256c4f837a86548c92ccc35480805987cb70be17b');
    expect([len, same]).toEqual([32, true]);
  });

  test('bad iterations, key length or hash return nil and INVALID', () => {
    expect(failure('crypto.pbkdf2("p", "s", 0, 32)')).toEqual([undefined, 'Invalid', 'iterations must be between 1 and 2147483647, got 0']);
    expect(failure('crypto.pbkdf2("p", "s", 1, 0)')).toEqual([undefined, 'Invalid', 'key length must be between 1 and 268435456, got 0']);
    expect(failure('crypto.pbkdf2("p", "s", 1, 16, "md4")')).toEqual([undefined, 'Invalid', 'unsupported pbkdf2 hash "md4" (sha1, sha224, sha256, sha384, sha512)']);
  });

  test('missing arguments raise', () => {
    expect(() => run('return crypto.pbkdf2("p", "s")')).toThrow(/bad argument #3 to 'pbkdf2' \(number expected, got no value\)/);
  });
});

describe('crypto.constant_time_compare', () => {
  test('true only for identical byte strings', () => {
    expect(run('return crypto.constant_time_compare("abc", "abc"), crypto.constant_time_compare("abc", "abd"), crypto.constant_time_compare("abc", "abcd"), crypto.constant_time_compare("", ""), crypto.constant_time_compare("\\xff", "\\xfe")'))
      .toEqual([true, false, false, true, false]);
  });

  test('a non-string argument raises', () => {
    expect(() => run('return crypto.constant_time_compare("a")')).toThrow(/bad argument #2 to 'constant_time_compare' \(string expected, got no value\)/);
  });
});
