// Lua pattern character classes in the C locale (lstrlib.c's match_class, matchbracketclass, classEnd),
// shared by the pattern interpreter (patterns.ts) and the pattern compiler (pattern-compile.ts).
// Strings are byte strings: every function here works on char codes 0–255.

export const ESC = 37; // '%'
export const C_LPAREN = 40;
export const C_RPAREN = 41;
export const C_STAR = 42;
export const C_PLUS = 43;
export const C_MINUS = 45;
export const C_DOT = 46;
export const C_QMARK = 63;
export const C_DOLLAR = 36;
export const C_LBRACKET = 91;
export const C_RBRACKET = 93;
export const C_CARET = 94;

const ALPHA = 1, CNTRL = 2, DIGIT = 4, GRAPH = 8, LOWER = 16, PUNCT = 32, SPACE = 64, UPPER = 128,
  ALNUM = 256, XDIGIT = 512, ZERO = 1024;

/** ctype bits of every byte. */
const CTYPE = new Uint16Array(256);
/** Class letter → ctype bit (0: not a class letter, the item matches itself). */
const CLASS_BIT = new Uint16Array(256);
/** Class letter is upper case: the class is complemented. */
const CLASS_NEG = new Uint8Array(256);

(function initClasses() {
  for (let c = 0; c < 256; c++) {
    let m = 0;
    const upper = c >= 65 && c <= 90, lower = c >= 97 && c <= 122, digit = c >= 48 && c <= 57;
    if (upper || lower) m |= ALPHA;
    if (upper) m |= UPPER;
    if (lower) m |= LOWER;
    if (digit) m |= DIGIT;
    if (upper || lower || digit) m |= ALNUM;
    if (digit || (c >= 97 && c <= 102) || (c >= 65 && c <= 70)) m |= XDIGIT;
    if (c < 32 || c === 127) m |= CNTRL;
    if (c === 32 || (c >= 9 && c <= 13)) m |= SPACE;
    if (c > 32 && c < 127) m |= GRAPH;
    if (c > 32 && c < 127 && !(upper || lower || digit)) m |= PUNCT;
    if (c === 0) m |= ZERO;
    CTYPE[c] = m;
  }
  const letters: [string, number][] = [['a', ALPHA], ['c', CNTRL], ['d', DIGIT], ['g', GRAPH], ['l', LOWER],
    ['p', PUNCT], ['s', SPACE], ['u', UPPER], ['w', ALNUM], ['x', XDIGIT], ['z', ZERO]];
  for (const [l, bit] of letters) {
    const lc = l.charCodeAt(0);
    CLASS_BIT[lc] = bit;
    CLASS_BIT[lc - 32] = bit;
    CLASS_NEG[lc - 32] = 1;
  }
})();

/** Does byte c belong to class `%cl` (cl a letter) or equal cl (any other char)? */
export function matchClass(c: number, cl: number): boolean {
  const bit = cl < 256 ? CLASS_BIT[cl] : 0;
  if (bit === 0) return cl === c;
  const r = (CTYPE[c] & bit) !== 0;
  return CLASS_NEG[cl] === 0 ? r : !r;
}

/** Does byte c match the set [p, ec] where pat[p] = '[' and pat[ec] = ']'? */
export function matchBracketClass(pat: string, c: number, p: number, ec: number): boolean {
  let sig = true;
  if (pat.charCodeAt(p + 1) === C_CARET) {
    sig = false;
    p++;
  }
  while (++p < ec) {
    const pc = pat.charCodeAt(p);
    if (pc === ESC) {
      p++;
      if (matchClass(c, pat.charCodeAt(p))) return sig;
    } else if (pat.charCodeAt(p + 1) === C_MINUS && p + 2 < ec) {
      p += 2;
      if (pc <= c && c <= pat.charCodeAt(p)) return sig;
    } else if (pc === c) {
      return sig;
    }
  }
  return !sig;
}

/**
 * End of the single-char class starting at p (PUC's classEnd), or -1 when it is malformed: a '%' at the
 * end of the pattern, or a '[' set without its ']'.
 */
export function classEndOf(pat: string, p: number, pEnd: number): number {
  const c = pat.charCodeAt(p++);
  if (c === ESC) return p >= pEnd ? -1 : p + 1;
  if (c === C_LBRACKET) {
    if (pat.charCodeAt(p) === C_CARET) p++;
    do { // look for a ']'; the first char of the set may itself be ']'
      if (p >= pEnd) return -1;
      if (pat.charCodeAt(p++) === ESC && p < pEnd) p++; // skip escapes such as '%]'
    } while (pat.charCodeAt(p) !== C_RBRACKET);
    return p + 1;
  }
  return p;
}
