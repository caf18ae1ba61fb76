// Lossless UTF-8 ⇄ JS text for the text module. Lua strings are bytes and may hold invalid UTF-8; Go keeps
// such bytes (its string ops never rewrite them), so each invalid byte b decodes to the lone low surrogate
// U+DC00+b (Python's "surrogateescape") and encodes back to b. It counts as one character, as a RuneError does in Go.

const ESC = 0xdc00;

/** Length in bytes of the valid UTF-8 sequence at `i`, or 0 if the byte there starts none (Go's DecodeRune rules). */
export function seqLen(b: string, i: number): number {
  const c = b.charCodeAt(i);
  if (c < 0x80) return 1;
  let size: number;
  let lo = 0x80;
  let hi = 0xbf;
  if (c >= 0xc2 && c <= 0xdf) size = 2;
  else if (c >= 0xe0 && c <= 0xef) {
    size = 3;
    if (c === 0xe0) lo = 0xa0;
    else if (c === 0xed) hi = 0x9f; // surrogate code points are not valid UTF-8
  } else if (c >= 0xf0 && c <= 0xf4) {
    size = 4;
    if (c === 0xf0) lo = 0x90;
    else if (c === 0xf4) hi = 0x8f;
  } else return 0;
  if (i + size > b.length) return 0;
  const c1 = b.charCodeAt(i + 1);
  if (c1 < lo || c1 > hi) return 0;
  for (let k = 2; k < size; k++) if ((b.charCodeAt(i + k) & 0xc0) !== 0x80) return 0;
  return size;
}

function isAscii(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 0x7f) return false;
  return true;
}

/** Byte offset of the first byte that is not valid UTF-8, or -1. */
export function firstInvalid(b: string): number {
  for (let i = 0; i < b.length; ) {
    const n = seqLen(b, i);
    if (n === 0) return i;
    i += n;
  }
  return -1;
}

/** Lua byte string → JS text, invalid bytes escaped as U+DC80..U+DCFF. */
export function decodeText(b: string): string {
  if (isAscii(b)) return b;
  let out = '';
  let run = 0; // start of the current stretch of valid bytes
  for (let i = 0; i < b.length; ) {
    const n = seqLen(b, i);
    if (n > 0) {
      i += n;
      continue;
    }
    out += Buffer.from(b.slice(run, i), 'latin1').toString('utf8') + String.fromCharCode(ESC + b.charCodeAt(i));
    run = ++i;
  }
  return out + Buffer.from(b.slice(run), 'latin1').toString('utf8');
}

/** JS text → Lua byte string; escaped bytes come back as themselves, a stray surrogate as U+FFFD. */
export function encodeText(t: string): string {
  if (isAscii(t)) return t;
  const out = new Uint8Array(t.length * 3);
  let n = 0;
  for (let i = 0; i < t.length; i++) {
    let c = t.charCodeAt(i);
    if (c < 0x80) {
      out[n++] = c;
      continue;
    }
    if (c >= 0xdc80 && c <= 0xdcff) {
      out[n++] = c - ESC;
      continue;
    }
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < t.length) {
      const d = t.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        c = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00);
        i++;
      }
    }
    if (c >= 0xd800 && c <= 0xdfff) c = 0xfffd;
    if (c < 0x800) {
      out[n++] = 0xc0 | (c >> 6);
    } else if (c < 0x10000) {
      out[n++] = 0xe0 | (c >> 12);
      out[n++] = 0x80 | ((c >> 6) & 0x3f);
    } else {
      out[n++] = 0xf0 | (c >> 18);
      out[n++] = 0x80 | ((c >> 12) & 0x3f);
      out[n++] = 0x80 | ((c >> 6) & 0x3f);
    }
    out[n++] = 0x80 | (c & 0x3f);
  }
  return Buffer.from(out.buffer, 0, n).toString('latin1');
}

/** Number of characters (code points; an escaped byte is one) in JS text, like Go's utf8.RuneCountInString. */
export function charCount(t: string): number {
  let n = t.length;
  for (let i = 0; i < t.length - 1; i++) {
    const c = t.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const d = t.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        n--;
        i++;
      }
    }
  }
  return n;
}
