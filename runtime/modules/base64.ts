// The Wippy `base64` module (spec §3.2): standard alphabet with padding over raw bytes, decoding as strictly
// as Go's base64.StdEncoding (which skips only CR and LF), since Buffer's own decoder accepts almost anything.

import { ret1, ret2 } from '../lua/ret.js';
import { checkString } from '../lua/lib/args.js';
import { KINDS, newError } from '../lua/lib/errors.js';
import { moduleTable, bufferOf, bytesOf, type ModuleDef } from './module.js';

const ALPHABET = /[A-Za-z0-9+/]/;
const VALID = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

function encode(s: unknown): unknown {
  return ret1(bufferOf(checkString(arguments, 1, 'encode')).toString('base64'));
}

const isNewline = (c: string) => c === '\r' || c === '\n';

/** Offset where Go's decoder reports the input corrupt (its CorruptInputError), following its padding rules. */
function corruptAt(s: string): number {
  let j = 0; // characters of the current 4-character quantum
  for (let si = 0; si < s.length; ) {
    const c = s[si++];
    if (isNewline(c)) continue;
    if (c === '=') {
      if (j < 2) return si - 1;
      if (j === 2) {
        while (si < s.length && isNewline(s[si])) si++;
        if (si === s.length) return s.length;
        if (s[si] !== '=') return si - 1;
        si++;
      }
      while (si < s.length && isNewline(s[si])) si++;
      return si < s.length ? si : -1; // anything after the padding is garbage
    }
    if (!ALPHABET.test(c)) return si - 1;
    j = (j + 1) % 4;
  }
  return j === 0 ? -1 : s.length - j; // an incomplete last quantum: Go points at its start
}

function decode(s: unknown): unknown {
  const text = checkString(arguments, 1, 'decode');
  const clean = /[\r\n]/.test(text) ? text.replace(/[\r\n]/g, '') : text;
  if (!VALID.test(clean)) {
    return ret2(undefined, newError(`illegal base64 data at input byte ${corruptAt(text)}`, KINDS.INVALID));
  }
  return ret1(bytesOf(Buffer.from(clean, 'base64')));
}

export const base64Module: ModuleDef = {
  name: 'base64',
  open: () => moduleTable('base64', { encode, decode }),
};
