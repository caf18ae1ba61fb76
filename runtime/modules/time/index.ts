// The Wippy `time` module (spec §3.2) without its blocking functions: sleep, after, timer and ticker need
// the process scheduler and are left to the process host, which gets durationArg and the Time/Duration
// constructors from here. Times, durations and locations are host objects with Go's semantics.

import { LuaObject, LuaUserdata, luaType } from '../../lua/value.js';
import type { LuaTable } from '../../lua/table.js';
import { LuaError, withWhere } from '../../lua/error.js';
import { ret1, ret2, retN } from '../../lua/ret.js';
import { argError, checkNumber, checkString, typeError } from '../../lua/lib/args.js';
import { newError, KINDS } from '../../lua/lib/errors.js';
import { hostObject, moduleTable, objectClass, type ModuleDef } from '../module.js';
import { GoTime, date, unixTime } from './calendar.js';
import { HOUR, MICROSECOND, MILLISECOND, MINUTE, NANOSECOND, SECOND, durationString, inUnits, parseDuration, wholeUnits } from './duration.js';
import { format, parse, LONG_DAYS, LONG_MONTHS } from './layout.js';
import { Location, UTC, fixedZone, loadLocation, localLocation } from './location.js';

export { GoTime } from './calendar.js';
export { Location } from './location.js';

/** Go's layout constants, under Wippy's names. */
const LAYOUTS = {
  LAYOUT: "01/02 03:04:05PM '06 -0700",
  ANSIC: 'Mon Jan _2 15:04:05 2006',
  UNIX_DATE: 'Mon Jan _2 15:04:05 MST 2006',
  RUBY_DATE: 'Mon Jan 02 15:04:05 -0700 2006',
  RFC822: '02 Jan 06 15:04 MST',
  RFC822Z: '02 Jan 06 15:04 -0700',
  RFC850: 'Monday, 02-Jan-06 15:04:05 MST',
  RFC1123: 'Mon, 02 Jan 2006 15:04:05 MST',
  RFC1123Z: 'Mon, 02 Jan 2006 15:04:05 -0700',
  RFC3339: '2006-01-02T15:04:05Z07:00',
  RFC3339NANO: '2006-01-02T15:04:05.999999999Z07:00',
  KITCHEN: '3:04PM',
  STAMP: 'Jan _2 15:04:05',
  STAMP_MILLI: 'Jan _2 15:04:05.000',
  STAMP_MICRO: 'Jan _2 15:04:05.000000',
  STAMP_NANO: 'Jan _2 15:04:05.000000000',
  DATE_TIME: '2006-01-02 15:04:05',
  DATE_ONLY: '2006-01-02',
  TIME_ONLY: '15:04:05',
};

const DEFAULT_LAYOUT = '2006-01-02 15:04:05.999999999 -0700 MST';

/** Go's Local for this process, read from $TZ when the module is opened. */
let local: Location = UTC;

// ---- host objects ----

type Fn = (...args: any[]) => unknown;

function compareError(a: unknown, b: unknown): LuaError {
  const name = (v: unknown) => (v instanceof LuaObject && typeof v.mt?.getStr('__name') === 'string' ? (v.mt.getStr('__name') as string) : luaType(v));
  const [ta, tb] = [name(a), name(b)];
  return new LuaError(withWhere(ta === tb ? `attempt to compare two ${ta} values` : `attempt to compare ${ta} with ${tb}`, 1));
}

export const isTime = (v: unknown): v is LuaUserdata & { data: GoTime } => v instanceof LuaUserdata && v.mt === TimeClass;
export const isDuration = (v: unknown): v is LuaUserdata & { data: number } => v instanceof LuaUserdata && v.mt === DurationClass;
const isLocation = (v: unknown): v is LuaUserdata & { data: Location } => v instanceof LuaUserdata && v.mt === LocationClass;

/** A Lua Time value. */
export const newTime = (t: GoTime): LuaUserdata => hostObject(t, TimeClass);
/** A Lua Duration value of `ns` nanoseconds (truncated to an integer). */
export const newDuration = (ns: number): LuaUserdata => hostObject(Math.trunc(ns) || 0, DurationClass);

const locationObjects = new WeakMap<Location, LuaUserdata>();
/** The Lua Location value of a zone (one per zone, so `t:location() == time.utc` holds). */
function locationObject(loc: Location): LuaUserdata {
  let o = locationObjects.get(loc);
  if (!o) locationObjects.set(loc, (o = hostObject(loc, LocationClass)));
  return o;
}

function timeArg(args: ArrayLike<unknown>, i: number, fname: string): GoTime {
  const v = args[i - 1];
  if (isTime(v)) return v.data;
  throw typeError(args, i, fname, 'time.Time');
}

function locationArg(args: ArrayLike<unknown>, i: number, fname: string): Location {
  const v = args[i - 1];
  if (isLocation(v)) return v.data;
  throw typeError(args, i, fname, 'time.Location');
}

/** An integer argument; fractions are truncated, as Go's conversions of Lua numbers do. */
function intArg(args: ArrayLike<unknown>, i: number, fname: string): number {
  const n = checkNumber(args, i, fname);
  if (!Number.isFinite(n)) throw argError(i, fname, 'number has no integer representation');
  return Math.trunc(n) || 0;
}
const optIntArg = (args: ArrayLike<unknown>, i: number, fname: string): number => (args[i - 1] === undefined ? 0 : intArg(args, i, fname));

/**
 * A duration argument as nanoseconds: a Duration, a number of nanoseconds (truncated) or a Go duration
 * string ("1h30m", "250ms"). Anything else, or a malformed string, raises an argument error. For the
 * process host's sleep/after/timer/ticker too.
 */
export function durationArg(v: unknown, fname: string, argIndex: number): number {
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw argError(argIndex, fname, 'number has no integer representation');
    return Math.trunc(v) || 0;
  }
  if (typeof v === 'string') {
    const d = parseDuration(v);
    if (typeof d === 'number') return d;
    throw argError(argIndex, fname, d.error);
  }
  if (isDuration(v)) return v.data;
  const args: unknown[] = [];
  args[argIndex - 1] = v;
  throw typeError(args, argIndex, fname, 'duration');
}

function durationObjectArg(args: ArrayLike<unknown>, i: number, fname: string): number {
  const v = args[i - 1];
  if (isDuration(v)) return v.data;
  throw typeError(args, i, fname, 'time.Duration');
}

// Methods receive `self` first; each checks it (raising "calling 'x' on bad self" for method calls).
const timeMethod = (fname: string, f: (t: GoTime, args: IArguments) => unknown): Fn =>
  function (this: unknown) {
    return f(timeArg(arguments, 1, fname), arguments);
  };

const field = (fname: string, get: (t: GoTime) => number | boolean | string): [string, Fn] => [fname, timeMethod(fname, (t) => ret1(get(t)))];

const timeMethods: Record<string, Fn> = {
  add: timeMethod('add', (t, a) => ret1(newTime(t.add(durationArg(a[1], 'add', 2))))),
  sub: timeMethod('sub', (t, a) => ret1(newDuration(t.sub(timeArg(a, 2, 'sub'))))),
  add_date: timeMethod('add_date', (t, a) => ret1(newTime(t.addDate(intArg(a, 2, 'add_date'), intArg(a, 3, 'add_date'), intArg(a, 4, 'add_date'))))),
  before: timeMethod('before', (t, a) => ret1(t.compare(timeArg(a, 2, 'before')) < 0)),
  after: timeMethod('after', (t, a) => ret1(t.compare(timeArg(a, 2, 'after')) > 0)),
  equal: timeMethod('equal', (t, a) => ret1(t.compare(timeArg(a, 2, 'equal')) === 0)),
  format: timeMethod('format', (t, a) => ret1(format(t, checkString(a, 2, 'format')))),
  format_rfc3339: timeMethod('format_rfc3339', (t) => ret1(format(t, LAYOUTS.RFC3339))),
  date: timeMethod('date', (t) => retN(t.date())),
  clock: timeMethod('clock', (t) => retN(t.clock())),
  utc: timeMethod('utc', (t) => ret1(newTime(t.in(UTC)))),
  in_local: timeMethod('in_local', (t) => ret1(newTime(t.in(local)))),
  in_location: timeMethod('in_location', (t, a) => ret1(newTime(t.in(locationArg(a, 2, 'in_location'))))),
  location: timeMethod('location', (t) => ret1(locationObject(t.loc))),
  round: timeMethod('round', (t, a) => ret1(newTime(t.round(durationObjectArg(a, 2, 'round'))))),
  truncate: timeMethod('truncate', (t, a) => ret1(newTime(t.truncate(durationObjectArg(a, 2, 'truncate'))))),
  ...Object.fromEntries([
    field('unix', (t) => t.sec),
    field('unix_nano', (t) => t.unixNano()),
    field('year', (t) => t.date()[0]),
    field('month', (t) => t.date()[1]),
    field('day', (t) => t.date()[2]),
    field('hour', (t) => t.clock()[0]),
    field('minute', (t) => t.clock()[1]),
    field('second', (t) => t.clock()[2]),
    field('nanosecond', (t) => t.nsec),
    field('weekday', (t) => t.weekday()),
    field('year_day', (t) => t.yearDay()),
    field('is_zero', (t) => t.isZero()),
  ]),
};

/** Order of two Times for < and <=; other operands cannot be compared. */
function compareTimes(a: unknown, b: unknown): number {
  if (isTime(a) && isTime(b)) return a.data.compare(b.data);
  throw compareError(a, b);
}

const timeMeta = {
  __tostring: timeMethod('tostring', (t) => ret1(format(t, DEFAULT_LAYOUT))),
  // Instants compare, whatever their locations (Go's Equal, not Go's ==).
  __eq: (a: unknown, b: unknown) => ret1(isTime(a) && isTime(b) && a.data.compare(b.data) === 0),
  __lt: (a: unknown, b: unknown) => ret1(compareTimes(a, b) < 0),
  __le: (a: unknown, b: unknown) => ret1(compareTimes(a, b) <= 0),
};

const durationMethod = (fname: string, f: (d: number) => unknown): Fn =>
  function (this: unknown) {
    return ret1(f(durationObjectArg(arguments, 1, fname)));
  };

const durationMethods: Record<string, Fn> = {
  hours: durationMethod('hours', (d) => inUnits(d, HOUR)),
  minutes: durationMethod('minutes', (d) => inUnits(d, MINUTE)),
  seconds: durationMethod('seconds', (d) => inUnits(d, SECOND)),
  milliseconds: durationMethod('milliseconds', (d) => wholeUnits(d, MILLISECOND)),
  microseconds: durationMethod('microseconds', (d) => wholeUnits(d, MICROSECOND)),
  nanoseconds: durationMethod('nanoseconds', (d) => d),
  string: durationMethod('string', durationString),
};

/** Difference of two Durations for < and <=. */
function compareDurations(a: unknown, b: unknown): number {
  if (isDuration(a) && isDuration(b)) return a.data - b.data;
  throw compareError(a, b);
}

const durationMeta = {
  __tostring: durationMethod('tostring', durationString),
  __eq: (a: unknown, b: unknown) => ret1(isDuration(a) && isDuration(b) && a.data === b.data),
  __lt: (a: unknown, b: unknown) => ret1(compareDurations(a, b) < 0),
  __le: (a: unknown, b: unknown) => ret1(compareDurations(a, b) <= 0),
};

const locationString = function (this: unknown) {
  return ret1(locationArg(arguments, 1, 'string').name);
};

// (The helpers above refer to these classes only when called.)
export const TimeClass = objectClass('time.Time', timeMethods, timeMeta);
export const DurationClass = objectClass('time.Duration', durationMethods, durationMeta);
export const LocationClass = objectClass('time.Location', { string: locationString }, { __tostring: locationString });

// ---- module functions ----

// Wall-clock milliseconds with sub-millisecond resolution: the monotonic clock anchored to Date.now(),
// re-anchored when the wall clock steps.
let anchor = Date.now() - performance.now();
function nowMs(): number {
  const p = performance.now();
  const wall = Date.now();
  let ms = anchor + p;
  if (Math.abs(ms - wall) > 2) {
    anchor = wall - p;
    ms = wall;
  }
  return ms;
}

/** The current time in the local zone, to the microsecond. */
export function now(): GoTime {
  const ms = nowMs();
  const sec = Math.floor(ms / 1000);
  const us = Math.min(999999, Math.round((ms - sec * 1000) * 1000));
  return new GoTime(sec, us * 1000, local);
}

function timeNow() {
  return ret1(newTime(now()));
}

function timeDate(this: unknown) {
  const a = arguments;
  const n = (i: number) => (i <= 3 ? intArg(a, i, 'date') : optIntArg(a, i, 'date'));
  const loc = a[7] === undefined ? local : locationArg(a, 8, 'date');
  return ret1(newTime(date(n(1), n(2), n(3), n(4), n(5), n(6), n(7), loc)));
}

function timeUnix(this: unknown) {
  return ret1(newTime(unixTime(intArg(arguments, 1, 'unix'), optIntArg(arguments, 2, 'unix'), local)));
}

function timeParse(this: unknown) {
  const layout = checkString(arguments, 1, 'parse');
  const value = checkString(arguments, 2, 'parse');
  // With a location: Go's ParseInLocation; without: Parse (UTC by default, offsets matched against Local).
  const loc = arguments[2] === undefined ? undefined : locationArg(arguments, 3, 'parse');
  const t = parse(layout, value, loc ?? UTC, loc ?? local);
  if (t instanceof GoTime) return ret1(newTime(t));
  return ret2(undefined, newError(t.error, KINDS.INVALID));
}

function timeParseDuration(v: unknown) {
  if (isDuration(v)) return ret1(v);
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) return ret2(undefined, newError('time: invalid duration (not a finite number)', KINDS.INVALID));
    return ret1(newDuration(v));
  }
  if (typeof v !== 'string') return ret2(undefined, newError(`time: invalid duration type ${luaType(v)}`, KINDS.INVALID));
  const d = parseDuration(v);
  return typeof d === 'number' ? ret1(newDuration(d)) : ret2(undefined, newError(d.error, KINDS.INVALID));
}

function timeLoadLocation(this: unknown) {
  const r = loadLocation(checkString(arguments, 1, 'load_location'), local);
  if (r instanceof Location) return ret1(locationObject(r));
  return ret2(undefined, newError(r.error, r.notFound ? KINDS.NOT_FOUND : KINDS.INVALID));
}

function timeFixedZone(this: unknown) {
  return ret1(locationObject(fixedZone(checkString(arguments, 1, 'fixed_zone'), intArg(arguments, 2, 'fixed_zone'))));
}

const MONTHS = Object.fromEntries(LONG_MONTHS.map((m, i) => [m.toUpperCase(), i + 1]));
const DAYS = Object.fromEntries(LONG_DAYS.map((d, i) => [d.toUpperCase(), i]));

export const timeModule: ModuleDef = {
  name: 'time',
  open: () => {
    local = localLocation();
    return moduleTable('time', {
      now: timeNow,
      date: timeDate,
      unix: timeUnix,
      parse: timeParse,
      parse_duration: timeParseDuration,
      load_location: timeLoadLocation,
      fixed_zone: timeFixedZone,
      // moduleTable's Member type does not list host objects yet; the table stores any Lua value.
      utc: locationObject(UTC) as unknown as LuaTable,
      localtz: locationObject(local) as unknown as LuaTable,
      NANOSECOND,
      MICROSECOND,
      MILLISECOND,
      SECOND,
      MINUTE,
      HOUR,
      ...LAYOUTS,
      ...MONTHS,
      ...DAYS,
    });
  },
};
