// string.format: C printf conversions as Lua 5.3 uses them (glibc output), on JS doubles.
// Lunac deviations (Wippy): %d/%i/%o/%u/%x/%X/%c truncate a float with a fractional part toward zero
// instead of raising "number has no integer representation"; %s applies tostring (with __tostring);
// %q writes inf/-inf/nan as 1e9999/-1e9999/(0/0) so that the output reads back as Lua; %F is accepted;
// a width or precision of more than two digits raises Lua 5.4's "invalid conversion '%...' to 'format'".

import { LuaError, where } from '../error.js';
import { ret1 } from '../ret.js';
import { argError, checkNumber, checkString } from './args.js';

const TWO53 = 9007199254740992;
const TWO63 = 9223372036854775808;

/** One parsed conversion specification: flags, width (-1 = none) and precision (-1 = none). */
interface Spec {
  minus: boolean;
  plus: boolean;
  space: boolean;
  alt: boolean;
  zero: boolean;
  width: number;
  prec: number;
}

const isDigit = (c: number) => c >= 48 && c <= 57;

/** lua_pushfstring's %c: printable chars as themselves, others as <\code>. */
function showChar(c: number): string {
  if (c !== c) c = 0; // end of format string: C reads the terminating '\0'
  return c >= 32 && c < 127 ? String.fromCharCode(c) : `<\\${c}>`;
}

function fmtError(msg: string): LuaError {
  return new LuaError(where(1) + msg);
}

/** The string.format builtin; `tostring` is the library's tostring (with __tostring). */
export function makeFormat(tostring: (v: unknown) => string): (...args: unknown[]) => unknown {
  return function format(...args: unknown[]): unknown {
    const fmt = checkString(args, 1, 'format');
    // per call, not shared: %s may re-enter format through __tostring
    const spec: Spec = { minus: false, plus: false, space: false, alt: false, zero: false, width: -1, prec: -1 };
    const n = fmt.length;
    let out = '';
    let i = 0;
    let arg = 1;
    for (;;) {
      const k = fmt.indexOf('%', i);
      if (k < 0) break;
      if (k > i) out += fmt.slice(i, k);
      i = k + 1;
      if (fmt.charCodeAt(i) === 37) { // %%
        out += '%';
        i++;
        continue;
      }
      if (++arg > args.length) throw argError(arg, 'format', 'no value');
      // scanformat: flags, at most 2 width digits, '.', at most 2 precision digits
      const start = i;
      spec.minus = spec.plus = spec.space = spec.alt = spec.zero = false;
      for (;; i++) {
        const c = fmt.charCodeAt(i);
        if (c === 45) spec.minus = true;
        else if (c === 43) spec.plus = true;
        else if (c === 32) spec.space = true;
        else if (c === 35) spec.alt = true;
        else if (c === 48) spec.zero = true;
        else break;
      }
      if (i - start >= 6) throw fmtError('invalid format (repeated flags)');
      let width = -1;
      if (isDigit(fmt.charCodeAt(i))) {
        width = fmt.charCodeAt(i++) - 48;
        if (isDigit(fmt.charCodeAt(i))) width = width * 10 + fmt.charCodeAt(i++) - 48;
      }
      let prec = -1;
      if (fmt.charCodeAt(i) === 46) {
        i++;
        prec = 0;
        if (isDigit(fmt.charCodeAt(i))) {
          prec = fmt.charCodeAt(i++) - 48;
          if (isDigit(fmt.charCodeAt(i))) prec = prec * 10 + fmt.charCodeAt(i++) - 48;
        }
      }
      if (isDigit(fmt.charCodeAt(i))) throw fmtError(`invalid conversion '${badSpec(fmt, start)}' to 'format'`);
      spec.width = width;
      spec.prec = prec;
      const conv = fmt.charCodeAt(i++);
      const plain = i - start === 1; // no flags, width or precision
      switch (conv) {
        case 100: case 105: // d i
          out += fmtInt(intArg(args, arg), spec, 10, false, true);
          break;
        case 117: // u
          out += fmtInt(intArg(args, arg), spec, 10, false, false);
          break;
        case 111: // o
          out += fmtInt(intArg(args, arg), spec, 8, false, false);
          break;
        case 120: // x
          out += fmtInt(intArg(args, arg), spec, 16, false, false);
          break;
        case 88: // X
          out += fmtInt(intArg(args, arg), spec, 16, true, false);
          break;
        case 99: // c: the low byte of the int; C ignores the '0' flag here
          out += pad('', String.fromCharCode(intArg(args, arg) & 255), spec, false);
          break;
        case 102: case 70: case 101: case 69: case 103: case 71: case 97: case 65: // f F e E g G a A
          out += fmtFloat(checkNumber(args, arg, 'format'), spec, conv);
          break;
        case 113: // q (5.3 ignores modifiers)
          out += quoteLiteral(args, arg);
          break;
        case 115: { // s
          const s = tostring(args[arg - 1]);
          if (plain) out += s;
          else {
            if (s.indexOf('\0') >= 0) throw argError(arg, 'format', 'string contains zeros');
            // without precision, strings of 100+ bytes are kept whole (PUC: too long to format)
            if (prec < 0 && s.length >= 100) out += s;
            else out += pad('', prec >= 0 && prec < s.length ? s.slice(0, prec) : s, spec, false);
          }
          break;
        }
        default:
          throw fmtError(`invalid option '%${showChar(conv)}' to 'format'`);
      }
    }
    if (i === 0) return ret1(fmt);
    if (i < n) out += fmt.slice(i);
    return ret1(out);
  };
}

/** The conversion spec as Lua 5.4 shows it in "invalid conversion" (flags, digits, '.', next char). */
function badSpec(fmt: string, start: number): string {
  let j = start;
  while (j < fmt.length && '-+ #0123456789.'.indexOf(fmt[j]) >= 0) j++;
  return '%' + fmt.slice(start, j + 1);
}

/** An integer argument; floats with a fraction truncate toward zero (Wippy), non-int64 values fail. */
function intArg(args: unknown[], i: number): number {
  const x = checkNumber(args, i, 'format');
  if (!(x >= -TWO63 && x < TWO63)) throw argError(i, 'format', 'number has no integer representation');
  return Math.trunc(x);
}

/** Pad `prefix + body` to the width: left-justified, zero-filled after the prefix, or right-justified. */
function pad(prefix: string, body: string, sp: Spec, zeroOk: boolean): string {
  const len = prefix.length + body.length;
  if (sp.width <= len) return prefix + body;
  const fill = sp.width - len;
  if (sp.minus) return prefix + body + ' '.repeat(fill);
  if (sp.zero && zeroOk) return prefix + '0'.repeat(fill) + body;
  return ' '.repeat(fill) + prefix + body;
}

/** Digits of an integral double in radix; unsigned conversions see negatives as 64-bit two's complement. */
function intDigits(n: number, radix: number, signed: boolean): string {
  if (n < 0) {
    if (signed) return n > -TWO53 ? (-n).toString(radix) : BigInt(-n).toString(radix);
    return BigInt.asUintN(64, BigInt(n)).toString(radix);
  }
  return n < TWO53 ? n.toString(radix) : BigInt(n).toString(radix);
}

/** %d %i %u %o %x %X. */
function fmtInt(n: number, sp: Spec, radix: number, upper: boolean, signed: boolean): string {
  let digits = intDigits(n, radix, signed);
  if (sp.prec >= 0) {
    if (sp.prec === 0 && n === 0) digits = '';
    else if (digits.length < sp.prec) digits = '0'.repeat(sp.prec - digits.length) + digits;
  }
  let prefix = '';
  if (signed) {
    if (n < 0) prefix = '-';
    else if (sp.plus) prefix = '+';
    else if (sp.space) prefix = ' ';
  } else if (sp.alt) {
    if (radix === 8 && digits.charCodeAt(0) !== 48) digits = '0' + digits; // '#': first digit is 0
    else if (radix === 16 && n !== 0) prefix = upper ? '0X' : '0x';
  }
  if (upper) digits = digits.toUpperCase();
  // With a precision, C ignores the '0' flag of integer conversions.
  return pad(prefix, digits, sp, sp.prec < 0);
}

// ---- floating point ----

const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);

function signBit(x: number): boolean {
  f64[0] = x;
  return (u32[1] & 0x80000000) !== 0;
}

/** %f %F %e %E %g %G %a %A of x. */
function fmtFloat(x: number, sp: Spec, conv: number): string {
  const upper = conv === 70 || conv === 69 || conv === 71 || conv === 65;
  const neg = signBit(x);
  const sign = neg ? '-' : sp.plus ? '+' : sp.space ? ' ' : '';
  if (!isFinite(x)) {
    const body = x !== x ? 'nan' : 'inf';
    return pad(sign, upper ? body.toUpperCase() : body, sp, false); // no zero fill for inf/nan
  }
  const a = Math.abs(x);
  let body: string;
  let prefix = sign;
  switch (conv) {
    case 102: case 70: // f F
      body = fixed(a, sp.prec < 0 ? 6 : sp.prec);
      if (sp.alt && body.indexOf('.') < 0) body += '.';
      break;
    case 101: case 69: // e E
      body = expo(a, sp.prec < 0 ? 6 : sp.prec, sp.alt);
      break;
    case 103: case 71: // g G
      body = general(a, sp.prec < 0 ? 6 : sp.prec === 0 ? 1 : sp.prec, sp.alt);
      break;
    default: // a A
      body = hexFloat(a, sp.prec, sp.alt);
      prefix = sign + '0x';
      break;
  }
  if (upper) {
    body = body.toUpperCase();
    prefix = prefix.toUpperCase();
  }
  return pad(prefix, body, sp, true);
}

/** Round a digit string (with an optional '.') up by one unit in its last place. */
function incDigits(s: string): string {
  const d = s.split('');
  let i = d.length - 1;
  for (; i >= 0; i--) {
    if (d[i] === '.') continue;
    if (d[i] === '9') d[i] = '0';
    else {
      d[i] = String.fromCharCode(d[i].charCodeAt(0) + 1);
      return d.join('');
    }
  }
  return '1' + d.join('');
}

/** `s` is exact and ends in a '5' one digit past the wanted precision: round half to even like glibc. */
function dropTie(s: string): string {
  let t = s.slice(0, -1);
  if (t.endsWith('.')) t = t.slice(0, -1);
  const last = t.charCodeAt(t.length - 1);
  return (last & 1) === 1 ? incDigits(t) : t;
}

/** %.<p>f of a finite x >= 0, correctly rounded with glibc's ties-to-even. */
export function fixed(x: number, p: number): string {
  if (x >= 1e21) { // toFixed switches to exponent form here; such doubles are integers
    const s = BigInt(x).toString();
    return p > 0 ? s + '.' + '0'.repeat(p) : s;
  }
  // JS rounds exact ties away from zero. A tie needs x to have exactly p+1 decimals, which happens
  // iff x * 2^(p+1) is an integer; then toFixed(p+1) is exact and shows the tie.
  if (Number.isInteger(x * Math.pow(2, p + 1))) {
    const s = x.toFixed(p + 1);
    if (s.charCodeAt(s.length - 1) === 53) return dropTie(s);
  }
  return x.toFixed(p);
}

/** Mantissa digits (p+1 of them, no point) and decimal exponent of finite x >= 0, rounded half-even. */
function expDigits(x: number, p: number): [string, number] {
  let s = x.toExponential(p);
  let k = s.indexOf('e');
  let exp = +s.slice(k + 1);
  // Cheap necessary condition for an exact tie (with the exponent before JS rounding, exp or exp-1).
  if (x !== 0 && p < 100 && maybeExact(x, p + 2 - exp)) {
    const s1 = x.toExponential(p + 1);
    const k1 = s1.indexOf('e');
    const e1 = +s1.slice(k1 + 1);
    if (s1.charCodeAt(k1 - 1) === 53 && maybeExact(x, p + 1 - e1) &&
        (p + 1 - e1 >= 0 || BigInt(x) % (10n ** BigInt(e1 - p - 1)) === 0n)) {
      let m = dropTie(s1.slice(0, k1));
      exp = e1;
      if (m.charCodeAt(0) === 49 && m.charCodeAt(1) === 48) { // carried into a new digit: 10.0 → 1.00
        m = p === 0 ? '1' : '1.' + '0'.repeat(p);
        exp++;
      }
      s = m;
      k = s.length;
    }
  }
  const mant = s.slice(0, k);
  return [p === 0 ? mant : mant.slice(0, 1) + mant.slice(2), exp];
}

/** x * 2^k is an integer (k may be huge: then no tie is possible within 100 digits). */
function maybeExact(x: number, k: number): boolean {
  if (k > 1100) return false;
  if (k < 0) return Number.isInteger(x) && Number.isInteger(x * Math.pow(2, k));
  return Number.isInteger(x * Math.pow(2, k));
}

function expSuffix(exp: number): string {
  const a = exp < 0 ? -exp : exp;
  return (exp < 0 ? 'e-' : 'e+') + (a < 10 ? '0' + a : String(a));
}

/** %.<p>e of finite x >= 0. */
function expo(x: number, p: number, alt: boolean): string {
  const [d, exp] = expDigits(x, p);
  const mant = p === 0 ? (alt ? d + '.' : d) : d[0] + '.' + d.slice(1);
  return mant + expSuffix(exp);
}

/** %.<P>g of finite x >= 0: %e or %f by C's rule on the exponent, trailing zeros removed unless '#'. */
function general(x: number, P: number, alt: boolean): string {
  if (!alt) {
    const short = shortGeneral(x, P);
    if (short !== null) return short;
  }
  const [d, X] = expDigits(x, P - 1);
  // glibc quirk: when rounding carries x below 10^P up to 10^P, '#' output keeps no decimals ("1.e+03")
  if (alt && X === P && x < Number('1e' + P)) return '1.' + expSuffix(X);
  let s: string;
  if (X < P && X >= -4) { // fixed notation with P-1-X decimals: the same digits as %e
    if (X >= 0) s = X + 1 < d.length ? d.slice(0, X + 1) + '.' + d.slice(X + 1) : d;
    else s = '0.' + '0'.repeat(-X - 1) + d;
    if (!alt) s = stripZeros(s);
    else if (s.indexOf('.') < 0) s += '.';
    return s;
  }
  s = d.length > 1 ? d[0] + '.' + d.slice(1) : alt ? d + '.' : d;
  if (!alt) s = stripZeros(s);
  return s + expSuffix(X);
}

/**
 * %.<P>g straight from JS's shortest round-trip digits (the `%.14g` of every JSON encoder), when there are at
 * most P <= 15 of them and %g picks fixed notation; else null. A double lies within half an ulp (2^-53
 * relative) of those digits, far inside half a unit of the P-th digit (at least 5e-16 relative), so they
 * are also x correctly rounded to P digits, which is what C prints.
 */
function shortGeneral(x: number, P: number): string | null {
  if (P > 15 || x === 0) return null;
  const s = String(x);
  if (s.indexOf('e') >= 0) return null;
  const dot = s.indexOf('.');
  let X: number, sig: number; // decimal exponent, significant digits
  if (s.charCodeAt(0) !== 48) {
    X = (dot < 0 ? s.length : dot) - 1;
    if (dot >= 0) sig = s.length - 1; // JS writes no trailing zeros after the point
    else {
      sig = s.length;
      while (s.charCodeAt(sig - 1) === 48) sig--;
    }
  } else { // 0.000ddd
    let z = 2;
    while (s.charCodeAt(z) === 48) z++;
    X = 1 - z;
    sig = s.length - z;
  }
  return X >= -4 && X < P && sig <= P ? s : null;
}

function stripTrailing0(s: string): string {
  let e = s.length;
  while (e > 0 && s.charCodeAt(e - 1) === 48) e--;
  return s.slice(0, e);
}

function stripZeros(s: string): string {
  if (s.indexOf('.') < 0) return s;
  let e = s.length;
  while (s.charCodeAt(e - 1) === 48) e--;
  if (s.charCodeAt(e - 1) === 46) e--;
  return s.slice(0, e);
}

/**
 * glibc's %a of finite x >= 0 without the "0x": "1.8p+1"; subnormals as "0.xxxp-1022". A precision
 * rounds the 13 fraction hex digits half-to-even and may carry into the leading digit ("2.0p+0").
 */
export function hexFloat(x: number, prec: number, alt: boolean): string {
  f64[0] = x;
  const hi = u32[1], lo = u32[0];
  const bexp = (hi >>> 20) & 0x7ff;
  let frac = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  let lead = bexp === 0 ? 0 : 1;
  const exp = x === 0 ? 0 : bexp === 0 ? -1022 : bexp - 1023;
  let digits: string;
  if (prec < 0) {
    digits = frac === 0n ? '' : stripTrailing0(frac.toString(16).padStart(13, '0'));
  } else if (prec >= 13) {
    digits = frac.toString(16).padStart(13, '0') + '0'.repeat(prec - 13);
  } else {
    const drop = BigInt(52 - 4 * prec);
    let keep = frac >> drop;
    const rem = frac & ((1n << drop) - 1n);
    const half = 1n << (drop - 1n);
    const odd = prec === 0 ? (lead & 1) === 1 : (keep & 1n) === 1n;
    if (rem > half || (rem === half && odd)) {
      keep++;
      if (keep >> BigInt(4 * prec) !== 0n) { // carry into the leading digit
        keep = 0n;
        lead++;
      }
    }
    frac = keep;
    digits = prec === 0 ? '' : keep.toString(16).padStart(prec, '0');
  }
  const point = digits.length > 0 || alt ? '.' : '';
  return `${lead}${point}${digits}p${exp < 0 ? '-' : '+'}${Math.abs(exp)}`;
}

// ---- %q ----

/** Lua 5.3's %q: a string, number, boolean or nil written as a Lua literal that reads back the same. */
function quoteLiteral(args: unknown[], i: number): string {
  const v = args[i - 1];
  switch (typeof v) {
    case 'string': return quoteString(v);
    case 'number':
      if (Number.isInteger(v) && v >= -TWO63 && v < TWO63) {
        return v === -TWO63 ? '0x8000000000000000' : (v < 0 ? '-' : '') + intDigits(v, 10, true);
      }
      if (v === Infinity) return '1e9999';
      if (v === -Infinity) return '-1e9999';
      if (v !== v) return '(0/0)';
      return (v < 0 ? '-0x' : '0x') + hexFloat(Math.abs(v), -1, false);
    case 'undefined': return 'nil';
    case 'boolean': return v ? 'true' : 'false';
  }
  throw argError(i, 'format', 'value has no literal form');
}

/** addquoted: escape '"', '\\' and newline with a backslash, control chars as \ddd (short when safe). */
export function quoteString(s: string): string {
  let out = '"';
  let from = 0;
  const n = s.length;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    let esc: string;
    if (c === 34 || c === 92 || c === 10) esc = '\\' + s[i];
    else if (c < 32 || c === 127) {
      // a following digit would extend the escape: use the 3-digit form then
      esc = isDigit(s.charCodeAt(i + 1)) ? '\\' + String(c).padStart(3, '0') : '\\' + c;
    } else continue;
    out += s.slice(from, i) + esc;
    from = i + 1;
  }
  return out + s.slice(from) + '"';
}
