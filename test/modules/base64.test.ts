// The base64 module: standard alphabet with padding over raw bytes, and decoding as strict as Go's
// StdEncoding (CR/LF skipped, anything else wrong → nil, err with the offending offset).

import { describe, expect, test } from 'vitest';
import { base64Module } from '../../runtime/modules/base64.js';
import { toBytes } from '../../runtime/modules/module.js';
import { runWithModules } from '../wippy-helpers.js';

const run = (src: string): unknown[] => runWithModules(src, [base64Module]).results;

describe('base64.encode', () => {
  test('RFC 4648 test vectors, with padding', () => {
    expect(run('return base64.encode(""), base64.encode("f"), base64.encode("fo"), base64.encode("foo"), base64.encode("foob"), base64.encode("fooba"), base64.encode("foobar")'))
      .toEqual(['', 'Zg==', 'Zm8=', 'Zm9v', 'Zm9vYg==', 'Zm9vYmE=', 'Zm9vYmFy']);
  });

  test('uses + and / (not the URL alphabet)', () => {
    expect(run('return base64.encode("\\251\\255\\191")')).toEqual(['+/+/']);
  });

  test('encodes raw bytes, including NUL and invalid UTF-8', () => {
    expect(run('return base64.encode("a\\0b\\255")')).toEqual(['YQBi/w==']);
  });

  test('encodes the UTF-8 bytes of text', () => {
    expect(run('return base64.encode("héllo")')).toEqual(['aMOpbGxv']);
  });

  test('numbers are encoded as their string form; other types raise', () => {
    expect(run('return base64.encode(123)')).toEqual(['MTIz']);
    expect(() => run('base64.encode(nil)')).toThrow(/bad argument #1 to 'encode' \(string expected, got nil\)/);
    expect(() => run('base64.encode({})')).toThrow(/string expected, got table/);
  });
});

describe('base64.decode', () => {
  test('decodes the RFC 4648 vectors', () => {
    expect(run('return base64.decode(""), base64.decode("Zg=="), base64.decode("Zm8="), base64.decode("Zm9v"), base64.decode("Zm9vYmFy")')).toEqual(['', 'f', 'fo', 'foo', 'foobar']);
  });

  test('every byte value round-trips', () => {
    const [same, len] = run('local t = {} for i = 0, 255 do t[#t + 1] = string.char(i) end local s = table.concat(t) local d = base64.decode(base64.encode(s)) return d == s, #d');
    expect([same, len]).toEqual([true, 256]);
  });

  test('decodes to UTF-8 bytes', () => {
    expect(run('return base64.decode("aMOpbGxv")')).toEqual([toBytes('héllo')]);
  });

  test('CR and LF are skipped, as in Go', () => {
    expect(run('return base64.decode("Zm9v\\r\\nYmFy\\n"), base64.decode("Zg=\\n=")')).toEqual(['foobar', 'f']);
  });

  test('non-zero trailing bits are accepted (Go StdEncoding is not strict)', () => {
    expect(run('return base64.decode("Zh==")')).toEqual(['f']);
  });

  // Offsets as Go's CorruptInputError reports them.
  const bad: [string, number][] = [
    ['Zm9', 0], // incomplete quantum: Go points at its start
    ['Zm9vY', 4],
    ['Zg', 0],
    ['Zg=', 3], // missing second =
    ['Zg===', 4], // extra padding
    ['Zg==Zg==', 4], // data after padding
    ['=', 0],
    ['Zm 9v', 2], // spaces are not skipped
    ['Zm9v!', 4],
    ['a-b_', 1], // URL alphabet
    ['Zm9=x', 4], // garbage after complete padding
  ];
  test.each(bad)('invalid input %j → nil, err (Invalid) at byte %i', (input, at) => {
    expect(run(`local v, e = base64.decode(${JSON.stringify(input)}) return v, e:kind(), e:message()`)).toEqual([undefined, 'Invalid', `illegal base64 data at input byte ${at}`]);
  });

  test('a non-string argument raises', () => {
    expect(() => run('base64.decode(nil)')).toThrow(/bad argument #1 to 'decode' \(string expected, got nil\)/);
  });
});
