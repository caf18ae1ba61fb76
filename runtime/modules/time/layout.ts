// Go's reference layouts ("2006-01-02T15:04:05Z07:00", "Mon Jan _2 15:04:05 MST 2006") for Time.format
// and time.parse: a port of Go's nextStdChunk, appendFormat and parse (time/format.go), including its
// error messages and its rules for zone offsets and abbreviations found in the input.

import { GoTime, date, daysBefore, daysIn, isLeap } from './calendar.js';
import { goQuote } from './duration.js';
import { Location, UTC, fixedZone } from './location.js';

// Layout elements (Go's std* constants; the argument of fractional seconds is kept separately).
const enum Std {
  None, LongMonth, Month, NumMonth, ZeroMonth, LongWeekDay, WeekDay, Day, UnderDay, ZeroDay,
  UnderYearDay, ZeroYearDay, Hour, Hour12, ZeroHour12, Minute, ZeroMinute, Second, ZeroSecond,
  LongYear, Year, PM, pm, TZ, ISO8601TZ, ISO8601SecondsTZ, ISO8601ShortTZ, ISO8601ColonTZ,
  ISO8601ColonSecondsTZ, NumTZ, NumSecondsTz, NumShortTZ, NumColonTZ, NumColonSecondsTZ, FracSecond0, FracSecond9,
}

interface Chunk {
  prefix: string;
  std: Std;
  suffix: string;
  /** Fractional seconds: digit count and separator. */
  digits: number;
  sep: string;
}

const STD0X = [Std.ZeroMonth, Std.ZeroDay, Std.ZeroHour12, Std.ZeroMinute, Std.ZeroSecond, Std.Year];

const isDigit = (s: string, i: number) => i < s.length && s.charCodeAt(i) >= 48 && s.charCodeAt(i) <= 57;
const startsWithLower = (s: string) => s.length > 0 && s.charCodeAt(0) >= 97 && s.charCodeAt(0) <= 122;

const TZ_CHUNKS: Record<string, [string, Std][]> = {
  '-': [['-070000', Std.NumSecondsTz], ['-07:00:00', Std.NumColonSecondsTZ], ['-0700', Std.NumTZ], ['-07:00', Std.NumColonTZ], ['-07', Std.NumShortTZ]],
  Z: [['Z070000', Std.ISO8601SecondsTZ], ['Z07:00:00', Std.ISO8601ColonSecondsTZ], ['Z0700', Std.ISO8601TZ], ['Z07:00', Std.ISO8601ColonTZ], ['Z07', Std.ISO8601ShortTZ]],
};

/** Go's nextStdChunk: the text before the first layout element, the element, and the rest. */
function nextStdChunk(layout: string): Chunk {
  const at = (i: number, std: Std, len: number, digits = 0, sep = '.'): Chunk =>
    ({ prefix: layout.slice(0, i), std, suffix: layout.slice(i + len), digits, sep });
  const has = (i: number, s: string) => layout.startsWith(s, i);
  for (let i = 0; i < layout.length; i++) {
    const c = layout[i];
    switch (c) {
      case 'J':
        if (has(i, 'Jan')) {
          if (has(i, 'January')) return at(i, Std.LongMonth, 7);
          if (!startsWithLower(layout.slice(i + 3))) return at(i, Std.Month, 3);
        }
        break;
      case 'M':
        if (has(i, 'Mon')) {
          if (has(i, 'Monday')) return at(i, Std.LongWeekDay, 6);
          if (!startsWithLower(layout.slice(i + 3))) return at(i, Std.WeekDay, 3);
        }
        if (has(i, 'MST')) return at(i, Std.TZ, 3);
        break;
      case '0': {
        const d = layout.charCodeAt(i + 1);
        if (d >= 49 && d <= 54) return at(i, STD0X[d - 49], 2);
        if (has(i, '002')) return at(i, Std.ZeroYearDay, 3);
        break;
      }
      case '1':
        return has(i, '15') ? at(i, Std.Hour, 2) : at(i, Std.NumMonth, 1);
      case '2':
        return has(i, '2006') ? at(i, Std.LongYear, 4) : at(i, Std.Day, 1);
      case '_':
        if (layout[i + 1] === '2') {
          // "_2006" is a literal "_" followed by the year
          if (has(i + 1, '2006')) return { ...at(i + 1, Std.LongYear, 4) };
          return at(i, Std.UnderDay, 2);
        }
        if (has(i, '__2')) return at(i, Std.UnderYearDay, 3);
        break;
      case '3':
        return at(i, Std.Hour12, 1);
      case '4':
        return at(i, Std.Minute, 1);
      case '5':
        return at(i, Std.Second, 1);
      case 'P':
        if (layout[i + 1] === 'M') return at(i, Std.PM, 2);
        break;
      case 'p':
        if (layout[i + 1] === 'm') return at(i, Std.pm, 2);
        break;
      case '-':
      case 'Z':
        for (const [s, std] of TZ_CHUNKS[c]) if (has(i, s)) return at(i, std, s.length);
        break;
      case '.':
      case ',': {
        const ch = layout[i + 1];
        if (ch === '0' || ch === '9') {
          let j = i + 1;
          while (j < layout.length && layout[j] === ch) j++;
          // Only a fractional second if the run of digits ends here.
          if (!isDigit(layout, j)) return at(i, ch === '0' ? Std.FracSecond0 : Std.FracSecond9, j - i, j - (i + 1), c);
        }
        break;
      }
    }
  }
  return { prefix: layout, std: Std.None, suffix: '', digits: 0, sep: '.' };
}

export const LONG_DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
export const LONG_MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const SHORT_DAYS = LONG_DAYS.map((d) => d.slice(0, 3));
const SHORT_MONTHS = LONG_MONTHS.map((m) => m.slice(0, 3));

/** Go's appendInt: x in decimal, zero-padded to `width` digits after the sign. */
function pad(x: number, width: number): string {
  const s = String(Math.abs(x)).padStart(width, '0');
  return x < 0 ? '-' + s : s;
}

function fraction(nsec: number, digits: number, sep: string, trim: boolean): string {
  if (trim && (digits === 0 || nsec === 0)) return '';
  let s = pad(nsec, 9);
  if (digits < 9) s = s.slice(0, digits);
  if (trim) s = s.replace(/0+$/, '');
  return s === '' ? '' : sep + s;
}

function numericZone(std: Std, offset: number): string {
  const isISO = std === Std.ISO8601TZ || std === Std.ISO8601ColonTZ || std === Std.ISO8601SecondsTZ || std === Std.ISO8601ShortTZ || std === Std.ISO8601ColonSecondsTZ;
  if (offset === 0 && isISO) return 'Z';
  const colon = std === Std.ISO8601ColonTZ || std === Std.NumColonTZ || std === Std.ISO8601ColonSecondsTZ || std === Std.NumColonSecondsTZ;
  const short = std === Std.NumShortTZ || std === Std.ISO8601ShortTZ;
  const seconds = std === Std.ISO8601SecondsTZ || std === Std.NumSecondsTz || std === Std.NumColonSecondsTZ || std === Std.ISO8601ColonSecondsTZ;
  // Go's sign comes from the offset in whole minutes (truncated).
  let zone = Math.trunc(offset / 60);
  let abs = offset;
  let out = '+';
  if (zone < 0) [out, zone, abs] = ['-', -zone, -offset];
  out += pad(Math.trunc(zone / 60), 2);
  if (colon) out += ':';
  if (!short) out += pad(zone % 60, 2);
  if (seconds) out += (colon ? ':' : '') + pad(abs % 60, 2);
  return out;
}

/** Go's Time.Format. */
export function format(t: GoTime, layout: string): string {
  let out = '';
  let ymd: [number, number, number] | undefined;
  let hms: [number, number, number] | undefined;
  while (layout !== '') {
    const ch = nextStdChunk(layout);
    out += ch.prefix;
    if (ch.std === Std.None) break;
    layout = ch.suffix;
    const [year, month, day] = (ymd ??= t.date());
    const dateStd = ch.std <= Std.ZeroYearDay || ch.std === Std.LongYear || ch.std === Std.Year;
    const [hour, min, sec] = dateStd ? [0, 0, 0] : (hms ??= t.clock());
    switch (ch.std) {
      case Std.Year: out += pad(Math.abs(year) % 100, 2); break;
      case Std.LongYear: out += pad(year, 4); break;
      case Std.Month: out += SHORT_MONTHS[month - 1]; break;
      case Std.LongMonth: out += LONG_MONTHS[month - 1]; break;
      case Std.NumMonth: out += month; break;
      case Std.ZeroMonth: out += pad(month, 2); break;
      case Std.WeekDay: out += SHORT_DAYS[t.weekday()]; break;
      case Std.LongWeekDay: out += LONG_DAYS[t.weekday()]; break;
      case Std.Day: out += day; break;
      case Std.UnderDay: out += (day < 10 ? ' ' : '') + day; break;
      case Std.ZeroDay: out += pad(day, 2); break;
      case Std.UnderYearDay: out += String(t.yearDay()).padStart(3, ' '); break;
      case Std.ZeroYearDay: out += pad(t.yearDay(), 3); break;
      case Std.Hour: out += pad(hour, 2); break;
      case Std.Hour12: out += hour % 12 || 12; break;
      case Std.ZeroHour12: out += pad(hour % 12 || 12, 2); break;
      case Std.Minute: out += min; break;
      case Std.ZeroMinute: out += pad(min, 2); break;
      case Std.Second: out += sec; break;
      case Std.ZeroSecond: out += pad(sec, 2); break;
      case Std.PM: out += hour >= 12 ? 'PM' : 'AM'; break;
      case Std.pm: out += hour >= 12 ? 'pm' : 'am'; break;
      case Std.TZ: {
        const name = t.abbr();
        if (name !== '') {
          out += name;
        } else {
          // No name known: print the offset as -0700.
          const zone = Math.trunc(t.offset() / 60);
          out += (zone < 0 ? '-' : '+') + pad(Math.trunc(Math.abs(zone) / 60), 2) + pad(Math.abs(zone) % 60, 2);
        }
        break;
      }
      case Std.FracSecond0: out += fraction(t.nsec, ch.digits, ch.sep, false); break;
      case Std.FracSecond9: out += fraction(t.nsec, ch.digits, ch.sep, true); break;
      default: out += numericZone(ch.std, t.offset());
    }
  }
  return out;
}

// ---- parsing ----

class ParseFailure {
  constructor(readonly message: string) {}
}

/** Go's ParseError.Error(). */
function parseError(layout: string, value: string, layoutElem: string, valueElem: string, message: string): ParseFailure {
  if (message !== '') return new ParseFailure(`parsing time ${goQuote(value)}${message}`);
  return new ParseFailure(`parsing time ${goQuote(value)} as ${goQuote(layout)}: cannot parse ${goQuote(valueElem)} as ${goQuote(layoutElem)}`);
}

const BAD = Symbol('bad');

/** Go's getnum: one or two digits (exactly two when fixed). */
function getnum(s: string, fixed: boolean): [number, string] | typeof BAD {
  if (!isDigit(s, 0)) return BAD;
  if (!isDigit(s, 1)) return fixed ? BAD : [s.charCodeAt(0) - 48, s.slice(1)];
  return [(s.charCodeAt(0) - 48) * 10 + s.charCodeAt(1) - 48, s.slice(2)];
}

/** Go's getnum3: one to three digits (exactly three when fixed). */
function getnum3(s: string, fixed: boolean): [number, string] | typeof BAD {
  let n = 0;
  let i = 0;
  for (; i < 3 && isDigit(s, i); i++) n = n * 10 + s.charCodeAt(i) - 48;
  if (i === 0 || (fixed && i !== 3)) return BAD;
  return [n, s.slice(i)];
}

/** Go's atoi: optional sign and decimal digits, all of s. */
function atoi(s: string): number | typeof BAD {
  const m = /^([+-]?)(\d+)$/.exec(s);
  if (!m || m[2].length > 19) return BAD;
  return m[1] === '-' ? -Number(m[2]) : Number(m[2]);
}

/** Go's lookup: a case-insensitive prefix match against a table of names. */
function lookup(tab: string[], val: string): [number, string] | typeof BAD {
  for (let i = 0; i < tab.length; i++) {
    const v = tab[i];
    if (val.length >= v.length && val.slice(0, v.length).toLowerCase() === v.toLowerCase()) return [i, val.slice(v.length)];
  }
  return BAD;
}

/** Go's skip: the layout text `prefix` must start value; runs of spaces match runs of spaces. */
function skip(value: string, prefix: string): string | typeof BAD {
  while (prefix.length > 0) {
    if (prefix[0] === ' ') {
      if (value.length > 0 && value[0] !== ' ') return BAD;
      prefix = prefix.replace(/^ +/, '');
      value = value.replace(/^ +/, '');
      continue;
    }
    if (value.length === 0 || value[0] !== prefix[0]) return BAD;
    prefix = prefix.slice(1);
    value = value.slice(1);
  }
  return value;
}

/** Go's parseNanoseconds: value[0] is the separator, value[1:n] the digits (at most 9 count). */
function parseNanoseconds(value: string, n: number): { ns: number; range: string } | typeof BAD {
  if (value[0] !== '.' && value[0] !== ',') return BAD;
  if (n > 10) n = 10;
  const ns = atoi(value.slice(1, n));
  if (ns === BAD) return BAD;
  if (ns < 0) return { ns: 0, range: 'fractional second' };
  return { ns: ns * 10 ** (10 - n), range: '' };
}

/** Go's parseSignedOffset: length of "+03"/"-4" (hours up to 23), 0 if none. */
function parseSignedOffset(value: string): number {
  const m = /^[+-](\d+)/.exec(value);
  if (!m || m[1].length > 19 || Number(m[1]) > 23) return 0;
  return m[0].length;
}

/** Go's parseTimeZone: the length of a zone abbreviation at the start of value, 0 if none. */
function parseTimeZone(value: string): number {
  if (value.length < 3) return 0;
  if (value.startsWith('ChST') || value.startsWith('MeST')) return 4;
  if (value.startsWith('GMT')) return value.length === 3 ? 3 : 3 + parseSignedOffset(value.slice(3));
  if (value[0] === '+' || value[0] === '-') return parseSignedOffset(value);
  let n = 0;
  while (n < 6 && n < value.length && value[n] >= 'A' && value[n] <= 'Z') n++;
  if (n === 3) return 3;
  if (n === 4 && (value[3] === 'T' || value.startsWith('WITA'))) return 4;
  if (n === 5 && value[4] === 'T') return 5;
  return 0;
}

/**
 * Go's time.Parse (defaultLoc = UTC, local = Local) and time.ParseInLocation (both = loc): the time, or
 * Go's error message.
 */
export function parse(layout: string, value: string, defaultLoc: Location, local: Location): GoTime | { error: string } {
  try {
    return parseTime(layout, value, defaultLoc, local);
  } catch (e) {
    if (e instanceof ParseFailure) return { error: e.message };
    throw e;
  }
}

function parseTime(alayout: string, avalue: string, defaultLoc: Location, local: Location): GoTime {
  let layout = alayout;
  let value = avalue;
  let rangeErr = '';
  let amSet = false;
  let pmSet = false;
  let year = 0, month = -1, day = -1, yday = -1, hour = 0, min = 0, sec = 0, nsec = 0;
  let z: Location | undefined;
  let zoneOffset = -1;
  let zoneName = '';

  for (;;) {
    const ch = nextStdChunk(layout);
    const stdstr = layout.slice(ch.prefix.length, layout.length - ch.suffix.length);
    const rest = skip(value, ch.prefix);
    if (rest === BAD) throw parseError(alayout, avalue, ch.prefix, value, '');
    value = rest;
    if (ch.std === Std.None) {
      if (value.length !== 0) throw parseError(alayout, avalue, '', value, `: extra text: ${goQuote(value)}`);
      break;
    }
    layout = ch.suffix;
    const hold = value;
    let bad = false;
    // Read a number with getnum/getnum3/lookup, advancing value; false when the input does not match.
    const take = (r: [number, string] | typeof BAD): number => {
      if (r === BAD) {
        bad = true;
        return 0;
      }
      value = r[1];
      return r[0];
    };
    switch (ch.std) {
      case Std.Year: {
        if (value.length < 2) { bad = true; break; }
        const y = atoi(value.slice(0, 2));
        value = value.slice(2);
        if (y === BAD) { bad = true; break; }
        year = y >= 69 ? y + 1900 : y + 2000;
        break;
      }
      case Std.LongYear: {
        if (value.length < 4 || !isDigit(value, 0)) { bad = true; break; }
        const y = atoi(value.slice(0, 4));
        value = value.slice(4);
        if (y === BAD) bad = true;
        else year = y;
        break;
      }
      case Std.Month: month = take(lookup(SHORT_MONTHS, value)) + 1; break;
      case Std.LongMonth: month = take(lookup(LONG_MONTHS, value)) + 1; break;
      case Std.NumMonth:
      case Std.ZeroMonth:
        month = take(getnum(value, ch.std === Std.ZeroMonth));
        if (!bad && (month <= 0 || month > 12)) rangeErr = 'month';
        break;
      case Std.WeekDay: take(lookup(SHORT_DAYS, value)); break;
      case Std.LongWeekDay: take(lookup(LONG_DAYS, value)); break;
      case Std.Day:
      case Std.UnderDay:
      case Std.ZeroDay:
        if (ch.std === Std.UnderDay && value[0] === ' ') value = value.slice(1);
        // Any one- or two-digit day; checked against the month at the end.
        day = take(getnum(value, ch.std === Std.ZeroDay));
        break;
      case Std.UnderYearDay:
      case Std.ZeroYearDay:
        for (let i = 0; i < 2; i++) if (ch.std === Std.UnderYearDay && value[0] === ' ') value = value.slice(1);
        yday = take(getnum3(value, ch.std === Std.ZeroYearDay));
        break;
      case Std.Hour:
        hour = take(getnum(value, false));
        if (hour < 0 || hour >= 24) rangeErr = 'hour';
        break;
      case Std.Hour12:
      case Std.ZeroHour12:
        hour = take(getnum(value, ch.std === Std.ZeroHour12));
        if (hour < 0 || hour > 12) rangeErr = 'hour';
        break;
      case Std.Minute:
      case Std.ZeroMinute:
        min = take(getnum(value, ch.std === Std.ZeroMinute));
        if (min < 0 || min >= 60) rangeErr = 'minute';
        break;
      case Std.Second:
      case Std.ZeroSecond: {
        sec = take(getnum(value, ch.std === Std.ZeroSecond));
        if (bad) break;
        if (sec < 0 || sec >= 60) {
          rangeErr = 'second';
          break;
        }
        // A fractional second in the input that the layout does not spell out is accepted.
        if (value.length >= 2 && (value[0] === '.' || value[0] === ',') && isDigit(value, 1)) {
          const next = nextStdChunk(layout).std;
          if (next === Std.FracSecond0 || next === Std.FracSecond9) break;
          let n = 2;
          while (n < value.length && isDigit(value, n)) n++;
          const r = parseNanoseconds(value, n);
          if (r === BAD) bad = true;
          else [nsec, rangeErr] = [r.ns, r.range];
          value = value.slice(n);
        }
        break;
      }
      case Std.PM:
      case Std.pm: {
        if (value.length < 2) { bad = true; break; }
        const p = value.slice(0, 2);
        value = value.slice(2);
        const [pm, am] = ch.std === Std.PM ? ['PM', 'AM'] : ['pm', 'am'];
        if (p === pm) pmSet = true;
        else if (p === am) amSet = true;
        else bad = true;
        break;
      }
      case Std.TZ: {
        if (value.startsWith('UTC')) {
          z = UTC;
          value = value.slice(3);
          break;
        }
        const n = parseTimeZone(value);
        if (n === 0) { bad = true; break; }
        zoneName = value.slice(0, n);
        value = value.slice(n);
        break;
      }
      case Std.FracSecond0: {
        // Exactly as many digits as the layout has.
        const ndigit = 1 + ch.digits;
        if (value.length < ndigit) { bad = true; break; }
        const r = parseNanoseconds(value, ndigit);
        if (r === BAD) bad = true;
        else [nsec, rangeErr] = [r.ns, r.range];
        value = value.slice(ndigit);
        break;
      }
      case Std.FracSecond9: {
        if (value.length < 2 || (value[0] !== '.' && value[0] !== ',') || !isDigit(value, 1)) break; // omitted
        // Any number of digits, even more than the layout asks for.
        let i = 0;
        while (isDigit(value, i + 1)) i++;
        const r = parseNanoseconds(value, 1 + i);
        if (r === BAD) bad = true;
        else [nsec, rangeErr] = [r.ns, r.range];
        value = value.slice(1 + i);
        break;
      }
      default: {
        // Numeric zones; the ISO 8601 forms also accept "Z".
        const iso = ch.std >= Std.ISO8601TZ && ch.std <= Std.ISO8601ColonSecondsTZ;
        if (iso && value[0] === 'Z') {
          value = value.slice(1);
          z = UTC;
          break;
        }
        const r = zoneOffsetOf(ch.std, value);
        if (r === BAD) { bad = true; break; }
        value = r.rest;
        zoneOffset = r.offset;
        rangeErr = r.range;
        bad = r.bad;
      }
    }
    if (rangeErr !== '') throw parseError(alayout, avalue, stdstr, value, `: ${rangeErr} out of range`);
    if (bad) throw parseError(alayout, avalue, stdstr, hold, '');
  }

  if (pmSet && hour < 12) hour += 12;
  else if (amSet && hour === 12) hour = 0;

  if (yday >= 0) {
    let d = 0;
    let m = 0;
    if (isLeap(year)) {
      if (yday === 31 + 29) [m, d] = [2, 29];
      else if (yday > 31 + 29) yday--;
    }
    if (yday < 1 || yday > 365) throw parseError(alayout, avalue, '', value, ': day-of-year out of range');
    if (m === 0) {
      m = Math.trunc((yday - 1) / 31) + 1;
      if (daysBefore(m + 1) < yday) m++;
      d = yday - daysBefore(m);
    }
    if (month >= 0 && month !== m) throw parseError(alayout, avalue, '', value, ': day-of-year does not match month');
    month = m;
    if (day >= 0 && day !== d) throw parseError(alayout, avalue, '', value, ': day-of-year does not match day');
    day = d;
  } else {
    if (month < 0) month = 1;
    if (day < 0) day = 1;
  }
  if (day < 1 || day > daysIn(month, year)) throw parseError(alayout, avalue, '', value, ': day out of range');

  if (z) return date(year, month, day, hour, min, sec, nsec, z);

  if (zoneOffset !== -1) {
    const t = date(year, month, day, hour, min, sec, nsec, UTC).add(-zoneOffset * 1e9);
    // The local zone, if it had this offset (and name) at that instant; else a zone fixed at the offset.
    const off = local.offsetAt(t.sec);
    if (off === zoneOffset && (zoneName === '' || local.abbrAt(t.sec, off) === zoneName)) return t.in(local);
    return t.in(fixedZone(zoneName, zoneOffset));
  }

  if (zoneName !== '') {
    const t = date(year, month, day, hour, min, sec, nsec, UTC);
    const off = local.lookupName(zoneName, t.sec);
    if (off !== undefined) return new GoTime(t.sec - off, t.nsec, local);
    // Unknown abbreviation: a zone of that name at offset 0 (GMT+h at h hours).
    let offset = 0;
    if (zoneName.length > 3 && zoneName.startsWith('GMT')) offset = Number(zoneName.slice(3)) * 3600;
    return t.in(fixedZone(zoneName, offset));
  }

  return date(year, month, day, hour, min, sec, nsec, defaultLoc);
}

/** A numeric zone offset ("-0700", "+07:00", "-07", "+070000", "-07:00:00") at the start of value. */
function zoneOffsetOf(std: Std, value: string): { offset: number; rest: string; range: string; bad: boolean } | typeof BAD {
  let sign: string, hh: string, mm: string, ss: string, rest: string;
  if (std === Std.ISO8601ColonTZ || std === Std.NumColonTZ) {
    if (value.length < 6 || value[3] !== ':') return BAD;
    [sign, hh, mm, ss, rest] = [value[0], value.slice(1, 3), value.slice(4, 6), '00', value.slice(6)];
  } else if (std === Std.NumShortTZ || std === Std.ISO8601ShortTZ) {
    if (value.length < 3) return BAD;
    [sign, hh, mm, ss, rest] = [value[0], value.slice(1, 3), '00', '00', value.slice(3)];
  } else if (std === Std.ISO8601ColonSecondsTZ || std === Std.NumColonSecondsTZ) {
    if (value.length < 9 || value[3] !== ':' || value[6] !== ':') return BAD;
    [sign, hh, mm, ss, rest] = [value[0], value.slice(1, 3), value.slice(4, 6), value.slice(7, 9), value.slice(9)];
  } else if (std === Std.ISO8601SecondsTZ || std === Std.NumSecondsTz) {
    if (value.length < 7) return BAD;
    [sign, hh, mm, ss, rest] = [value[0], value.slice(1, 3), value.slice(3, 5), value.slice(5, 7), value.slice(7)];
  } else {
    if (value.length < 5) return BAD;
    [sign, hh, mm, ss, rest] = [value[0], value.slice(1, 3), value.slice(3, 5), '00', value.slice(5)];
  }
  // As Go: a bad field stops the reading, but the range checks still see the fields read so far.
  let hr = 0, mn = 0, sc = 0;
  let bad = false;
  const h = getnum(hh, true);
  if (h === BAD) bad = true;
  else {
    hr = h[0];
    const m = getnum(mm, true);
    if (m === BAD) bad = true;
    else {
      mn = m[0];
      const s = getnum(ss, true);
      if (s === BAD) bad = true;
      else sc = s[0];
    }
  }
  // Go checks the ranges with > (offsets of 24 hours or 60 minutes occur in the wild).
  let range = '';
  if (hr > 24) range = 'time zone offset hour';
  if (mn > 60) range = 'time zone offset minute';
  if (sc > 60) range = 'time zone offset second';
  const offset = (hr * 60 + mn) * 60 + sc;
  if (sign !== '+' && sign !== '-') bad = true;
  return { offset: sign === '-' ? -offset : offset, rest, range, bad };
}
