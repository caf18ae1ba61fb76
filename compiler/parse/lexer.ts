// Lua 5.3 tokenizer with exact source positions, plus the tokens of Wippy's type syntax (`?`, `!`, `@`,
// `->`, `::`). The source is a latin1 string (one char code per byte). One pass, no regular expressions.
// String and number tokens keep their raw text; `stringValue`/`numberValue` decode them on demand.

export type TokenKind = 'name' | 'keyword' | 'number' | 'string' | 'symbol' | 'eof';

export interface Token {
  kind: TokenKind;
  /** Names, keywords, symbols: the text. Strings and numbers: the raw source text (quotes included). */
  value: string;
  /** Offset of the first char. */
  start: number;
  /** Offset after the last char. */
  end: number;
  /** 1-based line of the first char. */
  line: number;
  /** 0-based column of the first char. */
  column: number;
}

/** A syntax error at a source position (printed by the CLI as `FILE:LINE:COL: error P0001: message`). */
export class LuaSyntaxError extends Error {
  constructor(message: string, public line: number, public column: number) {
    super(message);
    this.name = 'LuaSyntaxError';
  }
}

export const KEYWORDS: ReadonlySet<string> = new Set([
  'and', 'break', 'do', 'else', 'elseif', 'end', 'false', 'for', 'function', 'goto', 'if', 'in',
  'local', 'nil', 'not', 'or', 'repeat', 'return', 'then', 'true', 'until', 'while',
]);

const enum C {
  TAB = 9, LF = 10, VT = 11, FF = 12, CR = 13, SPACE = 32, BANG = 33, DQUOTE = 34, HASH = 35,
  PERCENT = 37, AMP = 38, SQUOTE = 39, LPAREN = 40, RPAREN = 41, STAR = 42, PLUS = 43, COMMA = 44,
  MINUS = 45, DOT = 46, SLASH = 47, D0 = 48, D9 = 57, COLON = 58, SEMI = 59, LT = 60, EQ = 61, GT = 62,
  QUESTION = 63, AT = 64, LBRACKET = 91, BACKSLASH = 92, RBRACKET = 93, CARET = 94, LBRACE = 123,
  PIPE = 124, RBRACE = 125, TILDE = 126,
}

/** First letters of keywords ('a'..'z'), a cheap filter before the set lookup. */
const KW_FIRST = new Uint8Array(26);
for (const k of KEYWORDS) KW_FIRST[k.charCodeAt(0) - 97] = 1;

// Character classes, indexed by char code 0..255.
const NAME_START = new Uint8Array(256);
const NAME_PART = new Uint8Array(256);
const HEX = new Uint8Array(256);
for (let c = 0; c < 256; c++) {
  const alpha = (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c >= 128;
  NAME_START[c] = alpha ? 1 : 0;
  NAME_PART[c] = alpha || (c >= 48 && c <= 57) ? 1 : 0;
  HEX[c] = (c >= 48 && c <= 57) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102) ? 1 : 0;
}

function isSpace(c: number): boolean {
  return c === C.SPACE || c === C.TAB || c === C.VT || c === C.FF;
}

/** Tokenize `src` (latin1). The last token has kind 'eof'. Comments and whitespace are skipped. */
export function tokenize(src: string): Token[] {
  return new Lexer(src).all();
}

export interface LexState {
  i: number;
  line: number;
  lineStart: number;
}

/** A streaming tokenizer: `next()` returns one token at a time; `save`/`restore` allow backtracking. */
export class Lexer {
  private i = 0;
  private line = 1;
  private lineStart = 0;
  private readonly n: number;

  constructor(private readonly src: string) {
    this.n = src.length;
    // A UTF-8 byte order mark is skipped, as lua.c does, then a leading `#!` line is a comment.
    const bom = hasBom(src) ? 3 : 0;
    this.i = bom;
    if (src.charCodeAt(bom) === C.HASH && src.charCodeAt(bom + 1) === C.BANG) {
      let i = bom + 2;
      while (i < this.n) {
        const c = src.charCodeAt(i);
        if (c === C.LF || c === C.CR) break;
        i++;
      }
      this.i = i;
    }
  }

  /** Lexer position, for backtracking (`restore` re-lexes from there). */
  save(): LexState {
    return { i: this.i, line: this.line, lineStart: this.lineStart };
  }

  restore(s: LexState): void {
    this.i = s.i;
    this.line = s.line;
    this.lineStart = s.lineStart;
  }

  all(): Token[] {
    const out: Token[] = [];
    for (;;) {
      const t = this.next();
      out.push(t);
      if (t.kind === 'eof') return out;
    }
  }

  private error(msg: string, at: number, line = this.line, lineStart = this.lineStart): LuaSyntaxError {
    return new LuaSyntaxError(msg, line, at - lineStart);
  }

  /** Consume a newline sequence at `i` (\n, \r, \r\n or \n\r count as one) and return the offset after it. */
  private newline(i: number): number {
    const src = this.src;
    const c = src.charCodeAt(i);
    const d = src.charCodeAt(i + 1);
    i++;
    if ((c === C.LF && d === C.CR) || (c === C.CR && d === C.LF)) i++;
    this.line++;
    this.lineStart = i;
    return i;
  }

  private tok(kind: TokenKind, value: string, start: number, end: number, line: number, col: number): Token {
    this.i = end;
    return { kind, value, start, end, line, column: col };
  }

  next(): Token {
    const src = this.src;
    const n = this.n;
    let i = this.i;
    // Skip whitespace and comments.
    for (;;) {
      if (i >= n) {
        this.i = i;
        return { kind: 'eof', value: '<eof>', start: n, end: n, line: this.line, column: n - this.lineStart };
      }
      const c = src.charCodeAt(i);
      if (c === C.LF || c === C.CR) { i = this.newline(i); continue; }
      if (isSpace(c)) { i++; continue; }
      if (c === C.MINUS && src.charCodeAt(i + 1) === C.MINUS) {
        i += 2;
        if (src.charCodeAt(i) === C.LBRACKET) {
          const level = this.longBracketLevel(i);
          if (level >= 0) { i = this.skipLong(i, level, 'comment'); continue; }
        }
        while (i < n) {
          const d = src.charCodeAt(i);
          if (d === C.LF || d === C.CR) break;
          i++;
        }
        continue;
      }
      break;
    }
    const start = i;
    const line = this.line;
    const col = i - this.lineStart;
    const c = src.charCodeAt(i);
    if (c < 256 && NAME_START[c]) {
      let j = i + 1;
      while (j < n) {
        const d = src.charCodeAt(j);
        if (d >= 256 || !NAME_PART[d]) break;
        j++;
      }
      const v = src.slice(i, j);
      const kw = j - i <= 8 && c >= 97 && KW_FIRST[c - 97] === 1 && KEYWORDS.has(v);
      this.i = j;
      return { kind: kw ? 'keyword' : 'name', value: v, start, end: j, line, column: col };
    }
    if ((c >= C.D0 && c <= C.D9) || (c === C.DOT && isDigit(src.charCodeAt(i + 1)))) {
      const j = this.numberEnd(i);
      return this.tok('number', src.slice(i, j), start, j, line, col);
    }
    switch (c) {
      case C.DQUOTE:
      case C.SQUOTE: {
        const j = this.shortStringEnd(i, c, line, col);
        return this.tok('string', src.slice(start, j), start, j, line, col);
      }
      case C.LBRACKET: {
        const level = this.longBracketLevel(i);
        if (level >= 0) {
          const j = this.skipLong(i, level, 'string');
          return this.tok('string', src.slice(start, j), start, j, line, col);
        }
        if (level === -2) throw this.error(`invalid long string delimiter near '${src.slice(i, i + 2)}'`, i);
        return this.tok('symbol', '[', start, i + 1, line, col);
      }
      case C.MINUS:
        if (src.charCodeAt(i + 1) === C.GT) return this.tok('symbol', '->', start, i + 2, line, col);
        return this.tok('symbol', '-', start, i + 1, line, col);
      case C.DOT:
        if (src.charCodeAt(i + 1) === C.DOT) {
          if (src.charCodeAt(i + 2) === C.DOT) return this.tok('symbol', '...', start, i + 3, line, col);
          return this.tok('symbol', '..', start, i + 2, line, col);
        }
        return this.tok('symbol', '.', start, i + 1, line, col);
      case C.EQ:
        if (src.charCodeAt(i + 1) === C.EQ) return this.tok('symbol', '==', start, i + 2, line, col);
        return this.tok('symbol', '=', start, i + 1, line, col);
      case C.LT:
        if (src.charCodeAt(i + 1) === C.EQ) return this.tok('symbol', '<=', start, i + 2, line, col);
        if (src.charCodeAt(i + 1) === C.LT) return this.tok('symbol', '<<', start, i + 2, line, col);
        return this.tok('symbol', '<', start, i + 1, line, col);
      case C.GT:
        if (src.charCodeAt(i + 1) === C.EQ) return this.tok('symbol', '>=', start, i + 2, line, col);
        if (src.charCodeAt(i + 1) === C.GT) return this.tok('symbol', '>>', start, i + 2, line, col);
        return this.tok('symbol', '>', start, i + 1, line, col);
      case C.TILDE:
        if (src.charCodeAt(i + 1) === C.EQ) return this.tok('symbol', '~=', start, i + 2, line, col);
        return this.tok('symbol', '~', start, i + 1, line, col);
      case C.COLON:
        if (src.charCodeAt(i + 1) === C.COLON) return this.tok('symbol', '::', start, i + 2, line, col);
        return this.tok('symbol', ':', start, i + 1, line, col);
      case C.SLASH:
        if (src.charCodeAt(i + 1) === C.SLASH) return this.tok('symbol', '//', start, i + 2, line, col);
        return this.tok('symbol', '/', start, i + 1, line, col);
      case C.PLUS: return this.tok('symbol', '+', start, i + 1, line, col);
      case C.STAR: return this.tok('symbol', '*', start, i + 1, line, col);
      case C.PERCENT: return this.tok('symbol', '%', start, i + 1, line, col);
      case C.CARET: return this.tok('symbol', '^', start, i + 1, line, col);
      case C.HASH: return this.tok('symbol', '#', start, i + 1, line, col);
      case C.AMP: return this.tok('symbol', '&', start, i + 1, line, col);
      case C.PIPE: return this.tok('symbol', '|', start, i + 1, line, col);
      case C.LPAREN: return this.tok('symbol', '(', start, i + 1, line, col);
      case C.RPAREN: return this.tok('symbol', ')', start, i + 1, line, col);
      case C.LBRACE: return this.tok('symbol', '{', start, i + 1, line, col);
      case C.RBRACE: return this.tok('symbol', '}', start, i + 1, line, col);
      case C.RBRACKET: return this.tok('symbol', ']', start, i + 1, line, col);
      case C.SEMI: return this.tok('symbol', ';', start, i + 1, line, col);
      case C.COMMA: return this.tok('symbol', ',', start, i + 1, line, col);
      case C.QUESTION: return this.tok('symbol', '?', start, i + 1, line, col);
      case C.BANG: return this.tok('symbol', '!', start, i + 1, line, col);
      case C.AT: return this.tok('symbol', '@', start, i + 1, line, col);
    }
    throw this.error(`unexpected symbol near '${src[i]}'`, i);
  }

  /** Lua's read_numeral: digits, hex digits, '.', exponents with a sign. Validity is luaparse's business. */
  private numberEnd(i: number): number {
    const src = this.src;
    const n = this.n;
    let e1 = 101, e2 = 69; // 'e' 'E'
    if (src.charCodeAt(i) === C.D0) {
      const x = src.charCodeAt(i + 1);
      if (x === 120 || x === 88) { i += 2; e1 = 112; e2 = 80; } // 'p' 'P'
    }
    while (i < n) {
      const c = src.charCodeAt(i);
      if (c === e1 || c === e2) {
        i++;
        const s = src.charCodeAt(i);
        if (s === C.PLUS || s === C.MINUS) i++;
        continue;
      }
      if ((c < 256 && HEX[c]) || c === C.DOT) { i++; continue; }
      break;
    }
    return i;
  }

  /** At a '[': the level of a long bracket `[==[` (>= 0), -1 if this is a plain '[', -2 if `[=` without '['. */
  private longBracketLevel(i: number): number {
    const src = this.src;
    let j = i + 1;
    while (src.charCodeAt(j) === C.EQ) j++;
    if (src.charCodeAt(j) === C.LBRACKET) return j - i - 1;
    return j === i + 1 ? -1 : -2;
  }

  /** Skip a long string/comment starting at the '[' at `i`; returns the offset after the closing bracket. */
  private skipLong(i: number, level: number, what: 'string' | 'comment'): number {
    const src = this.src;
    const n = this.n;
    const startLine = this.line;
    const startLineStart = this.lineStart;
    const start = i;
    i += level + 2;
    while (i < n) {
      const c = src.charCodeAt(i);
      if (c === C.RBRACKET) {
        let j = i + 1;
        while (src.charCodeAt(j) === C.EQ) j++;
        if (j - i - 1 === level && src.charCodeAt(j) === C.RBRACKET) return j + 1;
        i = j;
        continue;
      }
      if (c === C.LF || c === C.CR) { i = this.newline(i); continue; }
      i++;
    }
    throw this.error(`unfinished long ${what} near '<eof>'`, start, startLine, startLineStart);
  }

  /** Find the end of a short string starting at the quote at `i`. */
  private shortStringEnd(i: number, quote: number, line: number, col: number): number {
    const src = this.src;
    const n = this.n;
    const start = i;
    i++;
    while (i < n) {
      const c = src.charCodeAt(i);
      if (c === quote) return i + 1;
      if (c === C.LF || c === C.CR) break;
      if (c === C.BACKSLASH) {
        const d = src.charCodeAt(i + 1);
        if (d === C.LF || d === C.CR) { i = this.newline(i + 1); continue; }
        if (d === 122) { // \z: skip the following whitespace, newlines included
          i += 2;
          while (i < n) {
            const e = src.charCodeAt(i);
            if (e === C.LF || e === C.CR) i = this.newline(i);
            else if (isSpace(e)) i++;
            else break;
          }
          continue;
        }
        i += 2;
        continue;
      }
      i++;
    }
    throw new LuaSyntaxError(`unfinished string near '${src.slice(start, Math.min(i, start + 40))}'`, line, col);
  }
}

/** The source (latin1) starts with a UTF-8 byte order mark. */
export function hasBom(src: string): boolean {
  return src.charCodeAt(0) === 0xef && src.charCodeAt(1) === 0xbb && src.charCodeAt(2) === 0xbf;
}

function isDigit(c: number): boolean {
  return c >= C.D0 && c <= C.D9;
}

/** Decode the raw text of a string token (short or long) into its byte-string value. */
export function stringValue(raw: string): string {
  const q = raw.charCodeAt(0);
  if (q === C.LBRACKET) {
    let j = 1;
    while (raw.charCodeAt(j) === C.EQ) j++;
    const level = j - 1;
    let body = raw.slice(level + 2, raw.length - level - 2);
    // The first newline right after the opening bracket is skipped.
    if (body.startsWith('\r\n') || body.startsWith('\n\r')) body = body.slice(2);
    else if (body[0] === '\n' || body[0] === '\r') body = body.slice(1);
    return normalizeNewlines(body);
  }
  let out = '';
  const end = raw.length - 1;
  let i = 1;
  let run = 1;
  while (i < end) {
    const c = raw.charCodeAt(i);
    if (c !== C.BACKSLASH) { i++; continue; }
    out += raw.slice(run, i);
    const d = raw.charCodeAt(i + 1);
    i += 2;
    switch (d) {
      case 110: out += '\n'; break; // n
      case 116: out += '\t'; break; // t
      case 114: out += '\r'; break; // r
      case 97: out += '\x07'; break; // a
      case 98: out += '\b'; break; // b
      case 102: out += '\f'; break; // f
      case 118: out += '\v'; break; // v
      case C.LF: case C.CR: {
        out += '\n';
        const e = raw.charCodeAt(i);
        if ((e === C.LF || e === C.CR) && e !== d) i++;
        break;
      }
      case 120: { // \xXX
        let v = 0, k = 0;
        while (k < 2 && HEX[raw.charCodeAt(i)]) { v = v * 16 + parseInt(raw[i], 16); i++; k++; }
        out += String.fromCharCode(v);
        break;
      }
      case 122: // \z
        while (i < end) {
          const e = raw.charCodeAt(i);
          if (isSpace(e) || e === C.LF || e === C.CR) i++;
          else break;
        }
        break;
      case 117: { // \u{XXX}: UTF-8 bytes
        let j = i + 1;
        let cp = 0;
        while (j < end && raw.charCodeAt(j) !== C.RBRACE) { cp = cp * 16 + parseInt(raw[j], 16); j++; }
        i = j + 1;
        out += utf8Bytes(cp);
        break;
      }
      default:
        if (isDigit(d)) {
          let v = d - C.D0;
          let k = 1;
          while (k < 3 && isDigit(raw.charCodeAt(i))) { v = v * 10 + raw.charCodeAt(i) - C.D0; i++; k++; }
          out += String.fromCharCode(v & 255);
        } else {
          out += raw[i - 1]; // \\ \" \' and unknown escapes yield the char itself
        }
    }
    run = i;
  }
  return out + raw.slice(run, end);
}

function normalizeNewlines(s: string): string {
  if (s.indexOf('\r') < 0) return s;
  return s.replace(/\r\n|\n\r|\r/g, '\n');
}

function utf8Bytes(cp: number): string {
  if (cp < 0x80) return String.fromCharCode(cp);
  if (cp < 0x800) return String.fromCharCode(0xc0 | (cp >> 6), 0x80 | (cp & 63));
  if (cp < 0x10000) return String.fromCharCode(0xe0 | (cp >> 12), 0x80 | ((cp >> 6) & 63), 0x80 | (cp & 63));
  if (cp < 0x200000) {
    return String.fromCharCode(0xf0 | (cp >> 18), 0x80 | ((cp >> 12) & 63), 0x80 | ((cp >> 6) & 63), 0x80 | (cp & 63));
  }
  if (cp < 0x4000000) {
    return String.fromCharCode(0xf8 | (cp >> 24), 0x80 | ((cp >> 18) & 63), 0x80 | ((cp >> 12) & 63),
      0x80 | ((cp >> 6) & 63), 0x80 | (cp & 63));
  }
  return String.fromCharCode(0xfc | ((cp / 0x40000000) & 1), 0x80 | ((cp >> 24) & 63), 0x80 | ((cp >> 18) & 63),
    0x80 | ((cp >> 12) & 63), 0x80 | ((cp >> 6) & 63), 0x80 | (cp & 63));
}

/** The numeric value of a number token's raw text (decimal, hex, hex floats, exponents). */
export function numberValue(raw: string): number {
  const c1 = raw.charCodeAt(1);
  if (raw.charCodeAt(0) === C.D0 && (c1 === 120 || c1 === 88)) {
    let i = 2;
    let v = 0;
    let any = false;
    let intPart = true;
    let scale = 1;
    let exp = 0;
    for (; i < raw.length; i++) {
      const c = raw.charCodeAt(i);
      if (c === C.DOT) { intPart = false; continue; }
      if (c === 112 || c === 80) { exp = Number(raw.slice(i + 1)); break; }
      const d = parseInt(raw[i], 16);
      if (Number.isNaN(d)) return NaN;
      any = true;
      if (intPart) v = v * 16 + d;
      else { scale /= 16; v += d * scale; }
    }
    if (!any) return NaN;
    if (intPart && exp === 0 && !/[pP.]/.test(raw)) {
      // Hex integers wrap modulo 2^64 as in Lua 5.3.
      return Number(BigInt.asIntN(64, BigInt(raw.toLowerCase())));
    }
    return v * Math.pow(2, exp);
  }
  return Number(raw);
}
