// The `os` library as Wippy offers it (time, date, clock, difftime, platform), plus exit and getenv when
// lunac runs a standalone script. Dates follow Lua 5.3 on glibc: C-locale strftime, mktime normalisation
// of out-of-range fields, the local time zone of the process (TZ) unless the format starts with '!'.

import { LuaError, where } from '../error.js';
import { LuaTable } from '../table.js';
import { strToNumber } from '../value.js';
import { ret1 } from '../ret.js';
import { index, truthy } from '../ops.js';
import { argError, checkInt, checkString, optString, typeError } from './args.js';

export interface OsOptions {
  /** Standalone scripts (`lunac run`) also get os.exit and os.getenv. */
  standalone: boolean;
  exit?: (code: number) => never;
  getenv?: (name: string) => string | undefined;
}

const INT_MAX = 2147483647;
const INT_MIN = -2147483648;

function fail(msg: string): LuaError {
  return new LuaError(where(1) + msg);
}

// ---- calendar arithmetic (proleptic Gregorian, any year; H. Hinnant's civil-days algorithms) ----

const mod = (a: number, b: number) => ((a % b) + b) % b;

function daysFromCivil(y: number, m: number, d: number): number {
  y -= m <= 2 ? 1 : 0;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (m > 2 ? m - 3 : m + 9) + 2) / 5) + d - 1;
  return era * 146097 + yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy - 719468;
}

function civilFromDays(z: number): [number, number, number] {
  z += 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  return [yoe + era * 400 + (m <= 2 ? 1 : 0), m, d];
}

/** C's struct tm with Lua's field conventions (month 1-12, wday 1-7 from Sunday, yday 1-366). */
interface Tm {
  year: number; month: number; day: number;
  hour: number; min: number; sec: number;
  wday: number; yday: number; isdst: boolean;
  /** Seconds east of UTC (for %z); utc: broken down by gmtime (%Z is GMT). */
  off: number; utc: boolean;
}

/** Local offset (seconds east of UTC) at time t, or undefined outside the range of JS dates. */
function localOffset(t: number): number | undefined {
  const d = new Date(t * 1000);
  const m = d.getTimezoneOffset();
  if (Number.isNaN(m)) return undefined;
  // getTimezoneOffset drops seconds; old local mean times (New York LMT: -4:56:02) and Liberia until
  // 1972 have them, so ask Intl for dates before 1973.
  return t < 94694400 ? preciseOffset(d) ?? -m * 60 : -m * 60;
}

/** Intl formatters for the current TZ (they capture the zone when created). */
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(locale: string, opts: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${process.env.TZ ?? ''}|${locale}|${opts.timeZoneName}`;
  let f = formatters.get(key);
  if (f === undefined) {
    if (formatters.size > 64) formatters.clear();
    formatters.set(key, (f = new Intl.DateTimeFormat(locale, opts)));
  }
  return f;
}

function zonePart(locale: string, style: 'short' | 'longOffset', d: Date): string | undefined {
  try {
    return formatter(locale, { timeZoneName: style }).formatToParts(d).find((p) => p.type === 'timeZoneName')?.value;
  } catch {
    return undefined;
  }
}

/** The offset with seconds, from Intl's "GMT-04:56:02" form. */
function preciseOffset(d: Date): number | undefined {
  const s = zonePart('en-US', 'longOffset', d);
  if (s === 'GMT') return 0;
  const m = s === undefined ? null : /^GMT([+-])(\d\d):(\d\d)(?::(\d\d))?$/.exec(s);
  if (!m) return undefined;
  const v = Number(m[2]) * 3600 + Number(m[3]) * 60 + Number(m[4] ?? 0);
  return m[1] === '-' ? -v : v;
}

/** Whether local time t is daylight saving time: its offset exceeds the smaller of January's and July's. */
/** The DST step of t's year in seconds (Lord Howe: 30 minutes); an hour where the year has no DST. */
function dstStep(t: number): number {
  const d = new Date(t * 1000);
  d.setMonth(0, 1);
  const jan = d.getTimezoneOffset();
  d.setMonth(6, 1);
  return Math.abs(jan - d.getTimezoneOffset()) * 60 || 3600;
}

function isDst(t: number, off: number): boolean {
  const d = new Date(t * 1000);
  d.setMonth(0, 1);
  const jan = -d.getTimezoneOffset();
  d.setMonth(6, 1);
  const jul = -d.getTimezoneOffset();
  return off / 60 - Math.min(jan, jul) >= 1; // DST steps are 20 minutes or more; LMT seconds are not one
}

/** gmtime/localtime; undefined when the year does not fit C's int (PUC's "cannot be represented"). */
function breakDown(t: number, utc: boolean): Tm | undefined {
  let off = 0;
  if (!utc) {
    const o = localOffset(t);
    if (o === undefined) return undefined;
    off = o;
  }
  const lt = t + off;
  const days = Math.floor(lt / 86400);
  const sod = lt - days * 86400;
  const [year, month, day] = civilFromDays(days);
  if (!(year - 1900 <= INT_MAX && year - 1900 >= INT_MIN)) return undefined;
  return {
    year, month, day,
    hour: Math.floor(sod / 3600), min: Math.floor(sod / 60) % 60, sec: sod % 60,
    wday: (((days + 4) % 7) + 7) % 7 + 1, // 1970-01-01 was a Thursday
    yday: days - daysFromCivil(year, 1, 1) + 1,
    isdst: utc ? false : isDst(t, off),
    off, utc,
  };
}

function tmTable(tm: Tm, t: LuaTable = new LuaTable()): LuaTable {
  t.set('year', tm.year);
  t.set('month', tm.month);
  t.set('day', tm.day);
  t.set('hour', tm.hour);
  t.set('min', tm.min);
  t.set('sec', tm.sec);
  t.set('yday', tm.yday);
  t.set('wday', tm.wday);
  t.set('isdst', tm.isdst);
  return t;
}

// ---- os.time ----

/** PUC's getfield: an integer field (numeric strings too), `d` when absent (-1: required). */
function getField(t: LuaTable, key: string, d: number, delta: number): number {
  const v = index(t, key);
  const n = typeof v === 'number' ? v : typeof v === 'string' ? strToNumber(v) : undefined;
  if (n === undefined || !Number.isInteger(n)) {
    if (v !== undefined) throw fail(`field '${key}' is not an integer`);
    if (d < 0) throw fail(`field '${key}' missing in date table`);
    return d;
  }
  if (!(n >= 0 ? n - delta <= INT_MAX : INT_MIN + delta <= n)) throw fail(`field '${key}' is out-of-bound`);
  return n;
}

/** Local wall-clock fields (any range; they carry over like C's normalisation) as seconds since the epoch. */
function wallSeconds(year: number, month: number, day: number, hour: number, min: number, sec: number): number {
  year += Math.floor((month - 1) / 12);
  month = mod(month - 1, 12) + 1;
  return (daysFromCivil(year, month, 1) + day - 1) * 86400 + hour * 3600 + min * 60 + sec;
}

/**
 * mktime: a local wall-clock time to a time. (any range; they carry over like C's normalisation) to a time.
 * Like glibc in a fresh process, start from offset 0 and follow the zone offset to a fixed point: a
 * repeated wall time gets whichever occurrence that reaches, a skipped one moves forward by the gap.
 */
function mktime(wall: number): number | undefined {
  let t = wall;
  for (let i = 0; i < 4; i++) {
    const off = localOffset(t);
    if (off === undefined) return undefined;
    const next = wall - off;
    if (next === t) return t;
    if (i === 3) return Math.max(t, next); // oscillating across a gap: the pre-transition offset
    t = next;
  }
  return t;
}

function time(t?: unknown): number {
  if (t === undefined) return ret1(Math.floor(Date.now() / 1000));
  if (!(t instanceof LuaTable)) throw typeError(arguments, 1, 'time', 'table');
  // Lua 5.3's order, so the first missing field named in errors matches.
  const sec = getField(t, 'sec', 0, 0);
  const min = getField(t, 'min', 0, 0);
  const hour = getField(t, 'hour', 12, 0);
  const day = getField(t, 'day', -1, 0);
  const month = getField(t, 'month', -1, 1);
  const year = getField(t, 'year', -1, 1900);
  const dst = index(t, 'isdst');
  const wall = wallSeconds(year, month, day, hour, min, sec);
  let r = mktime(wall);
  if (r === undefined) throw fail('time result cannot be represented in this installation');
  if (dst !== undefined) r = applyIsdst(wall, r, truthy(dst));
  const tm = breakDown(r, false);
  if (tm === undefined) throw fail('time result cannot be represented in this installation');
  if (!t.frozen) tmTable(tm, t); // 5.3 writes the normalised fields back
  return ret1(r);
}

/**
 * glibc reads the wall time with the offset of the requested DST state: the zone's offset at t, one DST
 * step away when t's state differs. A wall time inside a spring-forward gap thus reads as
 * standard time for isdst=false and as daylight time for isdst=true.
 */
function applyIsdst(wall: number, t: number, want: boolean): number {
  const off = localOffset(t)!;
  const actual = isDst(t, off);
  if (want === actual) return wall - off;
  const step = dstStep(t);
  return wall - (want ? off + step : off - step);
}

function difftime(a: unknown, b: unknown): number {
  const t1 = checkInt(arguments, 1, 'difftime');
  const t2 = checkInt(arguments, 2, 'difftime');
  return ret1(t1 - t2);
}

function clock(): number {
  const u = process.cpuUsage();
  return ret1((u.user + u.system) / 1e6);
}

// ---- os.date ----

const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** C99 conversions Lua accepts: one letter, or E/O followed by the letters listed (same output in the C locale). */
const SINGLE = 'aAbBcCdDeFgGhHIjmMnprRStTuUVwWxXyYzZ%';
const EMOD = 'cCxXyY';
const OMOD = 'deHImMSuUVwWy';

const pad = (n: number, w: number, c = '0') => String(n).padStart(w, c);

/** ISO 8601 week number and week-based year. */
function isoWeek(tm: Tm): [number, number] {
  const wdayMon = (tm.wday + 5) % 7; // 0 = Monday
  const yday0 = tm.yday - 1;
  let week = Math.floor((yday0 - wdayMon + 10) / 7);
  let year = tm.year;
  if (week < 1) {
    year--;
    week = isoWeeksIn(year);
  } else if (week > isoWeeksIn(year)) {
    year++;
    week = 1;
  }
  return [week, year];
}

function isoWeeksIn(y: number): number {
  const p = (x: number) => mod(x + Math.floor(x / 4) - Math.floor(x / 100) + Math.floor(x / 400), 7);
  return p(y) === 4 || p(y - 1) === 3 ? 53 : 52;
}

/** English locales whose short zone names cover the common abbreviations (CET, BST, AEST, IST, ...). */
const ZONE_LOCALES = ['en-US', 'en-GB', 'en-AU', 'en-IN', 'en-NZ', 'en-CA', 'en-ZA', 'en-SG'];

function abbreviation(d: Date): string | undefined {
  for (const loc of ZONE_LOCALES) {
    const n = zonePart(loc, 'short', d);
    if (n !== undefined && !/^(GMT|UTC)[+-]/.test(n)) return n;
  }
  return undefined;
}

/** %Z: the zone abbreviation glibc would print from tzdata, as far as Intl knows it. */
function zoneName(tm: Tm, t: number): string {
  if (tm.utc) return 'GMT'; // glibc's gmtime names its zone GMT
  const n = abbreviation(new Date(t * 1000));
  if (n !== undefined) return n;
  if (tm.off % 60 !== 0) return 'LMT'; // old local mean time: its offset has seconds
  // ICU lacks most historical names: take this year's name for the same offset (1950 EST → EST).
  const year = new Date().getFullYear();
  for (const month of [0, 6]) {
    const ref = new Date(year, month, 15);
    if (-ref.getTimezoneOffset() * 60 === tm.off) {
      const r = abbreviation(ref);
      if (r !== undefined) return r;
    }
  }
  // No abbreviation at all: tzdata's numeric form, "+04" or "+0530".
  const a = Math.abs(tm.off);
  const mins = Math.floor(a / 60) % 60;
  return `${tm.off < 0 ? '-' : '+'}${pad(Math.floor(a / 3600), 2)}${mins ? pad(mins, 2) : ''}`;
}

function conv(c: string, tm: Tm, t: number): string {
  switch (c) {
    case 'a': return DAYS[tm.wday - 1].slice(0, 3);
    case 'A': return DAYS[tm.wday - 1];
    case 'b': case 'h': return MONTHS[tm.month - 1].slice(0, 3);
    case 'B': return MONTHS[tm.month - 1];
    case 'c': return `${conv('a', tm, t)} ${conv('b', tm, t)} ${pad(tm.day, 2, ' ')} ${conv('T', tm, t)} ${tm.year}`;
    case 'C': return String(Math.floor(tm.year / 100));
    case 'd': return pad(tm.day, 2);
    case 'D': case 'x': return `${pad(tm.month, 2)}/${pad(tm.day, 2)}/${pad(mod(tm.year, 100), 2)}`;
    case 'e': return pad(tm.day, 2, ' ');
    case 'F': return `${tm.year}-${pad(tm.month, 2)}-${pad(tm.day, 2)}`;
    case 'g': return pad(mod(isoWeek(tm)[1], 100), 2);
    case 'G': return String(isoWeek(tm)[1]);
    case 'H': return pad(tm.hour, 2);
    case 'I': return pad(tm.hour % 12 || 12, 2);
    case 'j': return pad(tm.yday, 3);
    case 'm': return pad(tm.month, 2);
    case 'M': return pad(tm.min, 2);
    case 'n': return '\n';
    case 'p': return tm.hour < 12 ? 'AM' : 'PM';
    case 'r': return `${conv('I', tm, t)}:${pad(tm.min, 2)}:${pad(tm.sec, 2)} ${conv('p', tm, t)}`;
    case 'R': return `${pad(tm.hour, 2)}:${pad(tm.min, 2)}`;
    case 'S': return pad(tm.sec, 2);
    case 't': return '\t';
    case 'T': case 'X': return `${pad(tm.hour, 2)}:${pad(tm.min, 2)}:${pad(tm.sec, 2)}`;
    case 'u': return String(tm.wday === 1 ? 7 : tm.wday - 1);
    case 'U': return pad(Math.floor((tm.yday - 1 + 7 - (tm.wday - 1)) / 7), 2);
    case 'V': return pad(isoWeek(tm)[0], 2);
    case 'w': return String(tm.wday - 1);
    case 'W': return pad(Math.floor((tm.yday - 1 + 7 - ((tm.wday + 5) % 7)) / 7), 2);
    case 'y': return pad(mod(tm.year, 100), 2);
    case 'Y': return String(tm.year);
    case 'z': {
      const a = Math.abs(tm.off);
      return `${tm.off < 0 ? '-' : '+'}${pad(Math.floor(a / 3600), 2)}${pad(Math.floor(a / 60) % 60, 2)}`;
    }
    case 'Z': return zoneName(tm, t);
    default: return '%'; // '%%'
  }
}

function strftime(fmt: string, tm: Tm, t: number): string {
  let out = '';
  let i = 0;
  const n = fmt.length;
  while (i < n) {
    const p = fmt.indexOf('%', i);
    if (p < 0) {
      out += fmt.slice(i);
      break;
    }
    out += fmt.slice(i, p);
    const c = fmt[p + 1];
    if (c !== undefined && SINGLE.includes(c)) {
      out += conv(c, tm, t);
      i = p + 2;
    } else if ((c === 'E' && p + 2 < n && EMOD.includes(fmt[p + 2])) || (c === 'O' && p + 2 < n && OMOD.includes(fmt[p + 2]))) {
      out += conv(fmt[p + 2], tm, t);
      i = p + 3;
    } else {
      // PUC quotes the whole rest of the format.
      throw argError(1, 'date', `invalid conversion specifier '${fmt.slice(p)}'`);
    }
  }
  return out;
}

function date(fmt?: unknown, tv?: unknown): unknown {
  let s = optString(arguments, 1, 'date', '%c');
  const t = tv === undefined ? Math.floor(Date.now() / 1000) : checkInt(arguments, 2, 'date');
  let utc = false;
  if (s.charCodeAt(0) === 33 /* ! */) {
    utc = true;
    s = s.slice(1);
  }
  const tm = breakDown(t, utc);
  if (tm === undefined) throw fail('time result cannot be represented in this installation');
  if (s === '*t') return ret1(tmTable(tm));
  return ret1(strftime(s, tm, t));
}

// ---- standalone only ----

function makeExit(opts: OsOptions) {
  return function exit(code?: unknown): never {
    let status: number;
    if (typeof code === 'boolean') status = code ? 0 : 1;
    else status = code === undefined ? 0 : checkInt(arguments, 1, 'exit');
    if (opts.exit) return opts.exit(status);
    return process.exit(status);
  };
}

function makeGetenv(opts: OsOptions) {
  return function getenv(name: unknown): string | undefined {
    const key = checkString(arguments, 1, 'getenv');
    // Lua strings are bytes: the name is UTF-8 in, the value UTF-8 out.
    const k = Buffer.from(key, 'latin1').toString('utf8');
    const v = opts.getenv ? opts.getenv(k) : process.env[k];
    return ret1(v === undefined ? undefined : Buffer.from(v, 'utf8').toString('latin1'));
  };
}

export function createOsLib(opts: OsOptions): LuaTable {
  const lib = new LuaTable();
  lib.set('time', time);
  lib.set('date', date);
  lib.set('clock', clock);
  lib.set('difftime', difftime);
  lib.set('platform', 'wippy');
  if (opts.standalone) {
    lib.set('exit', makeExit(opts));
    lib.set('getenv', makeGetenv(opts));
  }
  return lib;
}
