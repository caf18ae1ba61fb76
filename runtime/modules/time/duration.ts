// Go's time.Duration for the `time` module: nanoseconds held in a double. Integers up to 2^53 ns (about
// 104 days) are exact, and whole seconds stay exact up to about 146 years; beyond that a duration is the
// nearest double (Go's int64 would be exact). Parsing and String() follow Go byte for byte.

import { MAX_DURATION } from './calendar.js';

export const NANOSECOND = 1;
export const MICROSECOND = 1e3;
export const MILLISECOND = 1e6;
export const SECOND = 1e9;
export const MINUTE = 60e9;
export const HOUR = 3600e9;

/** Go's time.quote: double quotes, `"` and `\` escaped, bytes outside printable ASCII as \xNN. */
export function goQuote(s: string): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x80 || c < 0x20) out += '\\x' + c.toString(16).padStart(2, '0');
    else out += c === 0x22 || c === 0x5c ? '\\' + s[i] : s[i];
  }
  return out + '"';
}

const UNITS: Record<string, bigint> = {
  ns: 1n,
  us: 1000n,
  '\xc2\xb5s': 1000n, // U+00B5 micro sign, as UTF-8 bytes
  '\xce\xbcs': 1000n, // U+03BC Greek mu
  ms: 1000000n,
  s: 1000000000n,
  m: 60000000000n,
  h: 3600000000000n,
};

const LIMIT = 1n << 63n;
const isDigitCode = (c: number) => c >= 48 && c <= 57;

/**
 * Go's time.ParseDuration on a Lua byte string ("1h30m", "-1.5s", "300ms", "2µs"): the duration in
 * nanoseconds, or Go's error message as a string.
 */
export function parseDuration(orig: string): number | { error: string } {
  const fail = (msg: string) => ({ error: `time: ${msg} ${goQuote(orig)}` });
  let s = orig;
  let neg = false;
  if (s !== '' && (s[0] === '-' || s[0] === '+')) {
    neg = s[0] === '-';
    s = s.slice(1);
  }
  if (s === '0') return 0;
  if (s === '') return fail('invalid duration');
  let d = 0n;
  let i = 0;
  while (i < s.length) {
    const c0 = s.charCodeAt(i);
    if (!(c0 === 46 || isDigitCode(c0))) return fail('invalid duration');
    // [0-9]*
    const pl = i;
    let v = 0n;
    for (; i < s.length && isDigitCode(s.charCodeAt(i)); i++) {
      v = v * 10n + BigInt(s.charCodeAt(i) - 48);
      if (v > LIMIT) return fail('invalid duration');
    }
    const pre = i !== pl;
    // (\.[0-9]*)? : digits beyond int64 precision are dropped, as Go's leadingFraction does
    let f = 0n;
    let scale = 1;
    let post = false;
    if (i < s.length && s[i] === '.') {
      i++;
      const fl = i;
      let overflow = false;
      for (; i < s.length && isDigitCode(s.charCodeAt(i)); i++) {
        if (overflow) continue;
        const y = f * 10n + BigInt(s.charCodeAt(i) - 48);
        if (y > LIMIT) {
          overflow = true;
          continue;
        }
        f = y;
        scale *= 10;
      }
      post = i !== fl;
    }
    if (!pre && !post) return fail('invalid duration');
    const us = i;
    for (; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (c === 46 || isDigitCode(c)) break;
    }
    if (i === us) return fail('missing unit in duration');
    const u = s.slice(us, i);
    const unit = UNITS[u];
    if (unit === undefined) return { error: `time: unknown unit ${goQuote(u)} in duration ${goQuote(orig)}` };
    if (v > LIMIT / unit) return fail('invalid duration');
    v *= unit;
    if (f > 0n) {
      // Go computes the fraction in float64 (exact to the nanosecond for fractions of an hour).
      v += BigInt(Math.trunc(Number(f) * (Number(unit) / scale)));
      if (v > LIMIT) return fail('invalid duration');
    }
    d += v;
    if (d > LIMIT) return fail('invalid duration');
  }
  if (neg) return -Number(d);
  if (d > LIMIT - 1n) return fail('invalid duration');
  return Number(d);
}

/** Go's fmtFrac: the fraction v / 10^prec without trailing zeros (and no dot when it is zero). */
function fmtFrac(v: bigint, prec: number): [string, bigint] {
  let out = '';
  let print = false;
  for (let i = 0; i < prec; i++) {
    const digit = v % 10n;
    print ||= digit !== 0n;
    if (print) out = String(digit) + out;
    v /= 10n;
  }
  return [print ? '.' + out : '', v];
}

/** A Go duration string (Lua bytes) in milliseconds, or undefined when malformed: for timeouts and deadlines. */
export function durationMs(s: string): number | undefined {
  const d = parseDuration(s);
  return typeof d === 'number' ? d / 1e6 : undefined;
}

/** Go's Duration.String(): "1h30m0s", "1.5s", "300ms", "2µs" (µ as UTF-8 bytes), "0s". */
export function durationString(d: number): string {
  let u = BigInt(Math.trunc(Math.max(-MAX_DURATION, Math.min(MAX_DURATION, d))));
  if (u >= LIMIT) u = LIMIT - 1n;
  const neg = u < 0n;
  if (neg) u = -u;
  let out: string;
  if (u < 1000000000n) {
    if (u === 0n) return '0s';
    let unit: string;
    let prec: number;
    if (u < 1000n) [unit, prec] = ['ns', 0];
    else if (u < 1000000n) [unit, prec] = ['\xc2\xb5s', 3];
    else [unit, prec] = ['ms', 6];
    const [frac, whole] = fmtFrac(u, prec);
    out = String(whole) + frac + unit;
  } else {
    const [frac, secs] = fmtFrac(u, 9);
    out = String(secs % 60n) + frac + 's';
    const mins = secs / 60n;
    if (mins > 0n) {
      out = String(mins % 60n) + 'm' + out;
      const hours = mins / 60n;
      if (hours > 0n) out = String(hours) + 'h' + out;
    }
  }
  return neg ? '-' + out : out;
}

/** Whole units of d toward zero plus the fraction, as Go's Hours/Minutes/Seconds compute them. */
export function inUnits(d: number, unit: number): number {
  const r = d % unit;
  return (d - r) / unit + r / unit;
}

/** Go's integer conversions (Milliseconds, Microseconds): truncated toward zero. */
export function wholeUnits(d: number, unit: number): number {
  return (d - (d % unit)) / unit;
}
