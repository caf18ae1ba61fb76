// The Wippy `time` module: Go's layouts, durations, time.Date normalisation, zones and every Time and
// Duration method, called from Lua as entry code does. Expected values are the outputs of Go's own
// documented examples (time/example_test.go) or of Go 1.26 run on the same inputs.

import { existsSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { timeModule, durationArg, newDuration, isDuration } from '../../runtime/modules/time/index.js';
import { runWithModules } from '../wippy-helpers.js';

/** Run `src` with the time module, the local zone read from TZ=`tz` (Go's Local). */
function lua(src: string, tz: string | undefined = 'UTC'): unknown[] {
  const old = process.env.TZ;
  if (tz === undefined) delete process.env.TZ;
  else process.env.TZ = tz;
  try {
    return runWithModules(src, [timeModule]).results;
  } finally {
    if (old === undefined) delete process.env.TZ;
    else process.env.TZ = old;
  }
}

/** Abbreviations other than the US ones (CEST, AEDT) come from the system's tzdata files. */
const hasTzdata = existsSync('/usr/share/zoneinfo/Europe/Berlin');

const MST = 'local mst = time.fixed_zone("MST", -7 * 3600)\nlocal ref = time.date(2006, 1, 2, 15, 4, 5, 0, mst)\n';

describe('constants', () => {
  test('durations are nanosecond counts', () => {
    expect(lua('return time.NANOSECOND, time.MICROSECOND, time.MILLISECOND, time.SECOND, time.MINUTE, time.HOUR')).toEqual([1, 1e3, 1e6, 1e9, 60e9, 3600e9]);
  });

  test('layouts are Go layout strings', () => {
    expect(lua('return time.RFC3339, time.RFC3339NANO, time.RFC822, time.RFC822Z, time.RFC850, time.RFC1123, time.RFC1123Z')).toEqual([
      '2006-01-02T15:04:05Z07:00', '2006-01-02T15:04:05.999999999Z07:00', '02 Jan 06 15:04 MST', '02 Jan 06 15:04 -0700',
      'Monday, 02-Jan-06 15:04:05 MST', 'Mon, 02 Jan 2006 15:04:05 MST', 'Mon, 02 Jan 2006 15:04:05 -0700',
    ]);
    expect(lua('return time.DATE_TIME, time.DATE_ONLY, time.TIME_ONLY, time.KITCHEN, time.STAMP, time.STAMP_MILLI, time.STAMP_MICRO, time.STAMP_NANO')).toEqual([
      '2006-01-02 15:04:05', '2006-01-02', '15:04:05', '3:04PM', 'Jan _2 15:04:05', 'Jan _2 15:04:05.000', 'Jan _2 15:04:05.000000', 'Jan _2 15:04:05.000000000',
    ]);
    expect(lua('return time.ANSIC, time.UNIX_DATE, time.RUBY_DATE, time.LAYOUT')).toEqual([
      'Mon Jan _2 15:04:05 2006', 'Mon Jan _2 15:04:05 MST 2006', 'Mon Jan 02 15:04:05 -0700 2006', "01/02 03:04:05PM '06 -0700",
    ]);
  });

  test('months count from 1, weekdays from Sunday = 0', () => {
    expect(lua('return time.JANUARY, time.FEBRUARY, time.JUNE, time.DECEMBER, time.SUNDAY, time.MONDAY, time.SATURDAY')).toEqual([1, 2, 6, 12, 0, 1, 6]);
  });

  test('the module table is read-only', () => {
    expect(() => lua('time.now = nil')).toThrow(/read-only/);
  });
});

describe('format with Go reference layouts', () => {
  test('the reference time Mon Jan 2 15:04:05 MST 2006 in every predefined layout', () => {
    const r = lua(`${MST}
      local out = {}
      for _, k in ipairs({"LAYOUT", "ANSIC", "UNIX_DATE", "RUBY_DATE", "RFC822", "RFC822Z", "RFC850", "RFC1123", "RFC1123Z",
          "RFC3339", "RFC3339NANO", "KITCHEN", "STAMP", "STAMP_MILLI", "STAMP_MICRO", "STAMP_NANO", "DATE_TIME", "DATE_ONLY", "TIME_ONLY"}) do
        out[#out + 1] = ref:format(time[k])
      end
      return table.concat(out, "|")`);
    expect((r[0] as string).split('|')).toEqual([
      "01/02 03:04:05PM '06 -0700", 'Mon Jan  2 15:04:05 2006', 'Mon Jan  2 15:04:05 MST 2006', 'Mon Jan 02 15:04:05 -0700 2006',
      '02 Jan 06 15:04 MST', '02 Jan 06 15:04 -0700', 'Monday, 02-Jan-06 15:04:05 MST', 'Mon, 02 Jan 2006 15:04:05 MST',
      'Mon, 02 Jan 2006 15:04:05 -0700', '2006-01-02T15:04:05-07:00', '2006-01-02T15:04:05-07:00', '3:04PM', 'Jan  2 15:04:05',
      'Jan  2 15:04:05.000', 'Jan  2 15:04:05.000000', 'Jan  2 15:04:05.000000000', '2006-01-02 15:04:05', '2006-01-02', '15:04:05',
    ]);
  });

  test("Go's Time.Format example (a time parsed in Los Angeles)", () => {
    const r = lua(`
      local t = assert(time.parse(time.UNIX_DATE, "Wed Feb 25 11:06:39 PST 2015"))
      local sh = assert(time.load_location("Asia/Shanghai"))
      local t2 = assert(time.parse(time.UNIX_DATE, "Wed Feb 25 11:06:39.1234 PST 2015"))
      return tostring(t), t:format(time.UNIX_DATE), t:utc():format(time.UNIX_DATE),
        t:in_location(sh):format("2006-01-02T15:04:05 -070000"), t:in_location(sh):format("2006-01-02T15:04:05 -07:00:00"),
        t:format("Mon Jan 2 15:04:05 MST 2006"), t:format("2006/01/02"), t:format("3PM==3pm==15h"),
        t2:format(time.UNIX_DATE), t2:format("15:04:05.00000"), t2:format("15:04:05.99999999")`, 'America/Los_Angeles');
    expect(r).toEqual([
      '2015-02-25 11:06:39 -0800 PST', 'Wed Feb 25 11:06:39 PST 2015', 'Wed Feb 25 19:06:39 UTC 2015', '2015-02-26T03:06:39 +080000',
      '2015-02-26T03:06:39 +08:00:00', 'Wed Feb 25 11:06:39 PST 2015', '2015/02/25', '11AM==11am==11h', 'Wed Feb 25 11:06:39 PST 2015',
      '11:06:39.12340', '11:06:39.1234',
    ]);
  });

  test("Go's padding example: _2 pads with a space, 02 with a zero", () => {
    const r = lua(`
      local t = time.date(2015, 3, 7, 11, 6, 39, 0, time.fixed_zone("PST", -8 * 3600))
      return t:format(time.UNIX_DATE), t:format("<2>"), t:format("<_2>"), t:format("<02>"), t:format("04:05")`);
    expect(r).toEqual(['Sat Mar  7 11:06:39 PST 2015', '<7>', '< 7>', '<07>', '06:39']);
  });

  test('names, 12-hour clock, day of year and ISO zones', () => {
    const r = lua(`
      local t = time.date(2024, 2, 29, 13, 45, 7, 123000000, time.utc)
      return t:format("Monday January 2 2006 002 __2 3:04:05.000 PM pm Z07:00 -07 MST"),
        time.date(2024, 1, 5, 0, 0, 0, 0, time.utc):format("__2|002|3PM|03"), time.date(2024, 12, 31, 12, 0, 0, 0, time.utc):format("__2 3pm")`);
    expect(r).toEqual(['Thursday February 29 2024 060  60 1:45:07.123 PM pm Z +00 UTC', '  5|005|12AM|12', '366 12pm']);
  });

  test('fractional seconds: .000 keeps zeros, .999 trims them, a comma separates too', () => {
    const r = lua(`
      local t = time.date(2024, 1, 1, 0, 0, 1, 120000000, time.utc)
      local z = time.date(2024, 1, 1, 0, 0, 1, 0, time.utc)
      return t:format("05.000"), t:format("05.999"), t:format("05,000000"), t:format("05.9"), z:format("05.999"), z:format("05.000"),
        t:format(time.RFC3339NANO), time.date(2000, 2, 1, 12, 13, 14, 15, time.utc):format(time.RFC3339NANO)`);
    expect(r).toEqual(['01.120', '01.12', '01,120000', '01.1', '01', '01.000', '2024-01-01T00:00:01.12Z', '2000-02-01T12:13:14.000000015Z']);
  });

  test('zones: Z for UTC only in ISO forms, numeric forms with seconds, unnamed fixed zones print their offset', () => {
    const r = lua(`
      local u = time.date(2024, 1, 1, 0, 0, 0, 0, time.utc)
      local ist = time.unix(0, 0):in_location(time.fixed_zone("", 5 * 3600 + 30 * 60))
      local lmt = u:in_location(time.fixed_zone("LMT", -17762))
      return u:format("Z07:00 Z0700 Z07 -07:00 -0700 -07 MST"), ist:format("MST -0700 Z07:00 -07"), lmt:format("-07:00:00 -070000 Z07:00:00 MST"),
        tostring(ist)`);
    expect(r).toEqual(['Z Z Z +00:00 +0000 +00 UTC', '+0530 +0530 +05:30 +05', '-04:56:02 -045602 -04:56:02 LMT', '1970-01-01 05:30:00 +0530 +0530']);
  });

  test('years before 1 and beyond 9999', () => {
    const r = lua(`
      local bc = time.date(-44, 3, 15, 0, 0, 0, 0, time.utc)
      return bc:format(time.RFC3339), bc:format("06 2006"), time.date(12345, 1, 1, 0, 0, 0, 0, time.utc):format(time.DATE_ONLY),
        time.date(0, 1, 1, 0, 0, 0, 0, time.utc):format(time.DATE_ONLY)`);
    expect(r).toEqual(['-0044-03-15T00:00:00Z', '44 -0044', '12345-01-01', '0000-01-01']);
  });

  test('text that is not a layout element is copied, including lookalikes such as Month and Janet', () => {
    expect(lua('return time.date(2024, 1, 1, 0, 0, 0, 0, time.utc):format("Monday Mon Month Jan January Janet _2006 hello")')).toEqual([
      'Monday Mon Month Jan January Janet _2024 hello',
    ]);
  });

  test("tostring of a Time is Go's String()", () => {
    const r = lua(`return tostring(time.date(2000, 2, 1, 12, 13, 14, 15, time.utc)), tostring(time.date(2000, 2, 1, 12, 13, 14, 0, time.utc)),
      tostring(time.date(2009, 11, 10, 23, 0, 0, 0, time.utc):in_local())`, 'America/Los_Angeles');
    expect(r).toEqual(['2000-02-01 12:13:14.000000015 +0000 UTC', '2000-02-01 12:13:14 +0000 UTC', '2009-11-10 15:00:00 -0800 PST']);
  });
});

describe('parse', () => {
  test("Go's Parse example (Local = Los Angeles)", () => {
    const r = lua(`
      local a = time.parse("Jan 2, 2006 at 3:04pm (MST)", "Feb 3, 2013 at 7:54pm (PST)")
      local b = time.parse("2006-Jan-02", "2013-Feb-03")
      local c = time.parse(time.RFC3339, "2006-01-02T15:04:05Z")
      local d = time.parse(time.RFC3339, "2006-01-02T15:04:05+07:00")
      local e, err = time.parse(time.RFC3339, time.RFC3339)
      return tostring(a), tostring(b), tostring(c), tostring(d), e, err:message(), err:kind() == errors.INVALID,
        a:location():string(), b:location() == time.utc, d:location():string()`, 'America/Los_Angeles');
    expect(r).toEqual([
      '2013-02-03 19:54:00 -0800 PST', '2013-02-03 00:00:00 +0000 UTC', '2006-01-02 15:04:05 +0000 UTC', '2006-01-02 15:04:05 +0700 +0700',
      undefined, 'parsing time "2006-01-02T15:04:05Z07:00": extra text: "07:00"', true, 'America/Los_Angeles', true, '',
    ]);
  });

  test('an abbreviation the local zone does not know is read as UTC and kept as the zone name; GMT+h carries its hours', () => {
    const r = lua(`
      local a = time.parse(time.UNIX_DATE, "Thu Mar 14 12:00:00 PDT 2024")
      local b = time.parse(time.UNIX_DATE, "Thu Mar 14 12:00:00 GMT+3 2024")
      local c = time.parse(time.UNIX_DATE, "Thu Mar 14 12:00:00 UTC 2024")
      return tostring(a), tostring(b), tostring(c), c:location() == time.utc`);
    expect(r).toEqual(['2024-03-14 12:00:00 +0000 PDT', '2024-03-14 15:00:00 +0300 GMT+3', '2024-03-14 12:00:00 +0000 UTC', true]);
  });

  test('an offset that the local zone has at that instant gives a local time', () => {
    const r = lua(`
      local a = time.parse(time.RFC3339, "2024-01-10T02:30:00-05:00")
      local b = time.parse(time.RFC3339, "2024-07-10T02:30:00-05:00")
      return tostring(a), a:location():string(), tostring(b), b:location():string()`, 'America/New_York');
    expect(r).toEqual(['2024-01-10 02:30:00 -0500 EST', 'America/New_York', '2024-07-10 02:30:00 -0500 -0500', '']);
  });

  test('with a location: wall times without a zone are in it, abbreviations are looked up in it', () => {
    const r = lua(`
      local ny = time.load_location("America/New_York")
      local a = time.parse(time.DATE_TIME, "2024-07-04 12:00:00", ny)
      local b = time.parse(time.UNIX_DATE, "Thu Jan 11 09:00:00 EST 2024", ny)
      local c = time.parse(time.UNIX_DATE, "Thu Jul 11 09:00:00 EDT 2024", ny)
      return tostring(a), a:unix(), tostring(b), tostring(c), a:location() == ny`);
    expect(r).toEqual(['2024-07-04 12:00:00 -0400 EDT', 1720108800, '2024-01-11 09:00:00 -0500 EST', '2024-07-11 09:00:00 -0400 EDT', true]);
  });

  test.skipIf(!hasTzdata)("Go's ParseInLocation example: CEST in Europe/Berlin", () => {
    const r = lua(`
      local berlin = time.load_location("Europe/Berlin")
      local a = time.parse("Jan 2, 2006 at 3:04pm (MST)", "Jul 9, 2012 at 5:02am (CEST)", berlin)
      local b = time.parse("2006-Jan-02", "2012-Jul-09", berlin)
      return tostring(a), tostring(b)`);
    expect(r).toEqual(['2012-07-09 05:02:00 +0200 CEST', '2012-07-09 00:00:00 +0200 CEST']);
  });

  test('fractional seconds are read even when the layout has none; .000 needs exactly three digits', () => {
    const r = lua(`
      local a = time.parse(time.RFC3339, "2024-07-10T02:30:00.123456789+05:30")
      local b = time.parse(time.TIME_ONLY, "23:59:59,9")
      local c = time.parse(time.RFC3339NANO, "2024-07-10T02:30:00.1234567891234Z")
      local d, err = time.parse("15:04:05.000", "23:59:59.98")
      return a:nanosecond(), a:format(time.RFC3339NANO), b:nanosecond(), c:nanosecond(), d, err:message()`);
    expect(r).toEqual([123456789, '2024-07-10T02:30:00.123456789+05:30', 900000000, 123456789, undefined,
      'parsing time "23:59:59.98" as "15:04:05.000": cannot parse ".98" as ".000"']);
  });

  test('month and day names match case-insensitively; two-digit years pivot at 69', () => {
    const r = lua(`
      local a = time.parse("January 2, 2006", "february 29, 2024")
      local b = time.parse(time.RFC822, "14 Mar 68 12:00 UTC")
      local c = time.parse(time.RFC822, "14 Mar 69 12:00 UTC")
      return a:format(time.DATE_ONLY), b:year(), c:year()`);
    expect(r).toEqual(['2024-02-29', 2068, 1969]);
  });

  test('day of year (002) sets the month and day', () => {
    const r = lua(`
      local a = time.parse("2006-002", "2024-060")
      local b = time.parse("2006-002", "2023-060")
      local _, err = time.parse("2006-01-02 002", "2024-03-01 062")
      return a:format(time.DATE_ONLY), b:format(time.DATE_ONLY), err:message()`);
    expect(r).toEqual(['2024-02-29', '2023-03-01', 'parsing time "2024-03-01 062": day-of-year does not match day']);
  });

  test('12-hour clocks: 12AM is midnight, 12PM noon', () => {
    expect(lua('return time.parse(time.KITCHEN, "12:00AM"):hour(), time.parse(time.KITCHEN, "12:30PM"):hour(), time.parse("3:04pm", "11:59pm"):hour()')).toEqual([0, 12, 23]);
  });

  test('spaces in the layout match runs of spaces', () => {
    expect(lua('return time.parse("2006-01-02 15:04", "2024-01-01     15:04"):minute()')).toEqual([4]);
  });

  test('round trip: format then parse gives the same instant for layouts with full information', () => {
    const r = lua(`
      local ny = time.load_location("America/New_York")
      local t = time.date(2024, 7, 4, 18, 30, 15, 123456789, ny)
      local out = {}
      for _, k in ipairs({"RFC3339", "RFC3339NANO", "RFC1123Z", "RUBY_DATE", "RFC822Z", "DATE_TIME"}) do
        local p = assert(time.parse(time[k], t:format(time[k]), ny))
        out[#out + 1] = p:unix() .. "." .. p:nanosecond()
      end
      return table.concat(out, " ")`);
    expect(r).toEqual(['1720132215.0 1720132215.123456789 1720132215.0 1720132215.0 1720132200.0 1720132215.0']);
  });

  test('bad values come back as nil plus an INVALID error with Go\'s message', () => {
    const r = lua(`
      local out = {}
      for _, c in ipairs({
        {"2006-01-02", "2024-13-01"}, {"2006-01-02", "2024-02-30"}, {"2006-01-02", "2024-Feb-01"}, {"15:04", "25:00"},
        {"2006-01-02", "2024-01-01 extra"}, {"2006-01-02", "24-01-01"}, {"2006-01-02T15:04:05-0700", "2024-01-01T00:00:00+2500"},
        {"Mon Jan _2", "Xyz Mar 14"}, {"2006-01-02", "\\"2024\\""},
      }) do
        local t, err = time.parse(c[1], c[2])
        assert(t == nil and err:kind() == errors.INVALID)
        out[#out + 1] = err:message()
      end
      return table.unpack(out)`);
    expect(r).toEqual([
      'parsing time "2024-13-01": month out of range',
      'parsing time "2024-02-30": day out of range',
      'parsing time "2024-Feb-01" as "2006-01-02": cannot parse "Feb-01" as "01"',
      'parsing time "25:00": hour out of range',
      'parsing time "2024-01-01 extra": extra text: " extra"',
      'parsing time "24-01-01" as "2006-01-02": cannot parse "24-01-01" as "2006"',
      'parsing time "2024-01-01T00:00:00+2500": time zone offset hour out of range',
      'parsing time "Xyz Mar 14" as "Mon Jan _2": cannot parse "Xyz Mar 14" as "Mon"',
      'parsing time "\\"2024\\"" as "2006-01-02": cannot parse "\\"2024\\"" as "2006"',
    ]);
  });

  test('wrong argument types raise', () => {
    expect(() => lua('time.parse(time.RFC3339)')).toThrow(/bad argument #2 to 'parse' \(string expected, got no value\)/);
    expect(() => lua('time.parse(time.RFC3339, "2024-01-01T00:00:00Z", "UTC")')).toThrow(/bad argument #3 to 'parse' \(time.Location expected, got string\)/);
  });
});

describe('durations', () => {
  test("parse_duration reads Go duration strings; tostring is Go's String()", () => {
    const r = lua(`
      local out = {}
      for _, s in ipairs({"1h30m", "1.5s", "300ms", "-2h45m", "1µs", "1us", "1μs", "42ns", "0", "-0", "+5m", "1h15m30.918273645s", ".5h", "1.s"}) do
        local d = assert(time.parse_duration(s))
        out[#out + 1] = d:nanoseconds() .. "=" .. tostring(d)
      end
      return table.concat(out, " ")`);
    expect(r[0]).toBe(
      '5400000000000=1h30m0s 1500000000=1.5s 300000000=300ms -9900000000000=-2h45m0s 1000=1\xc2\xb5s 1000=1\xc2\xb5s 1000=1\xc2\xb5s ' +
        '42=42ns 0=0s 0=0s 300000000000=5m0s 4530918273645=1h15m30.918273645s 1800000000000=30m0s 1000000000=1s',
    );
  });

  test('a number is nanoseconds and a Duration passes through', () => {
    const r = lua(`
      local d = time.parse_duration(1500)
      local same = time.parse_duration(d)
      return tostring(d), same == d, tostring(time.parse_duration(2.9)), tostring(time.parse_duration(time.HOUR + 2 * time.MINUTE + 300 * time.MILLISECOND))`);
    expect(r).toEqual(['1.5\xc2\xb5s', true, '2ns', '1h2m0.3s']);
  });

  test('bad strings and types give nil plus an INVALID error with Go\'s message', () => {
    const r = lua(`
      local out = {}
      for _, v in ipairs({"abc", "1", "1d", "", "-", ".s", "1h-1m", "9223372037s"}) do
        local d, err = time.parse_duration(v)
        assert(d == nil and err:kind() == errors.INVALID)
        out[#out + 1] = err:message()
      end
      local d, err = time.parse_duration({})
      out[#out + 1] = err:message()
      return table.unpack(out)`);
    expect(r).toEqual([
      'time: invalid duration "abc"', 'time: missing unit in duration "1"', 'time: unknown unit "d" in duration "1d"', 'time: invalid duration ""',
      'time: invalid duration "-"', 'time: invalid duration ".s"', 'time: unknown unit "h-" in duration "1h-1m"', 'time: invalid duration "9223372037s"',
      'time: invalid duration type table',
    ]);
  });

  test("methods follow Go: hours, minutes, seconds are fractional, milliseconds and microseconds truncate", () => {
    const r = lua(`
      local d = time.parse_duration("1h15m30.918273645s")
      local n = time.parse_duration("-1.5s")
      return time.parse_duration("4h30m"):hours(), time.parse_duration("1h30m"):minutes(), time.parse_duration("1m30s"):seconds(),
        time.parse_duration("1s"):milliseconds(), time.parse_duration("1s"):microseconds(), time.parse_duration("1µs"):nanoseconds(),
        d:hours(), d:minutes(), d:seconds(), d:milliseconds(), d:microseconds(), n:minutes(), n:milliseconds(), d:string()`);
    expect(r).toEqual([4.5, 90, 90, 1000, 1000000, 1000, 1.2585884093458333, 75.51530456075, 4530.918273645, 4530918, 4530918273, -0.025, -1500, '1h15m30.918273645s']);
  });

  test('durations compare by length', () => {
    const r = lua(`
      local a, b = time.parse_duration("90s"), time.parse_duration("1m30s")
      local c = time.parse_duration("2m")
      return a == b, a < c, c <= a, a <= b, pcall(function() return a < 5 end)`);
    expect(r.slice(0, 5)).toEqual([true, true, false, true, false]);
    expect(r[5]).toMatch(/attempt to compare time.Duration with number/);
  });
});

describe('date and unix', () => {
  test("time.date normalises like Go's time.Date", () => {
    const r = lua(`
      local function d(...) return time.date(...):format("2006-01-02 15:04:05.000000000") end
      return d(2024, 13, 1, 0, 0, 0, 0, time.utc), d(2024, 0, 0, 0, 0, 0, 0, time.utc), d(2023, 2, 29, 24, 0, 0, 0, time.utc),
        d(2011, 10, 32, 0, 0, 0, 0, time.utc), d(2024, 1, 1, -1, 0, 0, 0, time.utc), d(2024, 1, 1, 0, 0, 0, -1, time.utc),
        d(2024, 1, 1, 0, 0, 0, 1500000000, time.utc), d(2024, 13, 32, 25, 61, 61, 0, time.utc), d(2024, -1, 1, 0, 0, 0, 0, time.utc),
        d(2024, 1, 400, 0, 0, 0, 0, time.utc)`);
    expect(r).toEqual([
      '2025-01-01 00:00:00.000000000', '2023-11-30 00:00:00.000000000', '2023-03-02 00:00:00.000000000', '2011-11-01 00:00:00.000000000',
      '2023-12-31 23:00:00.000000000', '2023-12-31 23:59:59.999999999', '2024-01-01 00:00:01.500000000', '2025-02-02 02:02:01.000000000',
      '2023-11-01 00:00:00.000000000', '2025-02-03 00:00:00.000000000',
    ]);
  });

  test('the local zone is the default; the clock fields default to 0', () => {
    const r = lua('local t = time.date(2024, 7, 1) return tostring(t), t:location() == time.localtz, time.localtz:string()', 'Asia/Tokyo');
    expect(r).toEqual(['2024-07-01 00:00:00 +0900 JST', true, 'Asia/Tokyo']);
  });

  test("Go's Unix example: seconds and nanoseconds carry into each other", () => {
    const r = lua(`
      return tostring(time.unix(1e9, 0):utc()), tostring(time.unix(0, 1e18):utc()), tostring(time.unix(2e9, -1e18):utc()),
        time.date(2001, 9, 9, 1, 46, 40, 0, time.utc):unix(), time.date(2001, 9, 9, 1, 46, 40, 0, time.utc):unix_nano(),
        time.unix(-1, 0):utc():format(time.RFC3339), time.unix(5):nanosecond(), time.unix(0, 0):location() == time.localtz`);
    expect(r).toEqual(['2001-09-09 01:46:40 +0000 UTC', '2001-09-09 01:46:40 +0000 UTC', '2001-09-09 01:46:40 +0000 UTC', 1000000000, 1e18,
      '1969-12-31T23:59:59Z', 0, true]);
  });

  test('now() is the current local time', () => {
    const before = Date.now() / 1000;
    const r = lua('local t = time.now() return t:unix(), t:nanosecond(), t:location() == time.localtz, t:year()', 'Europe/Paris');
    expect(Math.abs((r[0] as number) - before)).toBeLessThan(5);
    expect(r[1]).toBeGreaterThanOrEqual(0);
    expect(r[1]).toBeLessThan(1e9);
    expect(r[2]).toBe(true);
    expect(r[3]).toBe(new Date().getUTCFullYear());
  });
});

describe('locations', () => {
  test('America/New_York: EST in winter, EDT in summer, switching at 2am local', () => {
    const r = lua(`
      local ny = assert(time.load_location("America/New_York"))
      local function f(t) return t:in_location(ny):format("2006-01-02 15:04:05 -0700 MST") end
      return f(time.date(2024, 1, 15, 12, 0, 0, 0, time.utc)), f(time.date(2024, 7, 15, 12, 0, 0, 0, time.utc)),
        f(time.date(2024, 3, 10, 6, 59, 59, 0, time.utc)), f(time.date(2024, 3, 10, 7, 0, 0, 0, time.utc)),
        f(time.date(2024, 11, 3, 5, 59, 59, 0, time.utc)), f(time.date(2024, 11, 3, 6, 0, 0, 0, time.utc)), ny:string(), tostring(ny)`);
    expect(r).toEqual([
      '2024-01-15 07:00:00 -0500 EST', '2024-07-15 08:00:00 -0400 EDT', '2024-03-10 01:59:59 -0500 EST', '2024-03-10 03:00:00 -0400 EDT',
      '2024-11-03 01:59:59 -0400 EDT', '2024-11-03 01:00:00 -0500 EST', 'America/New_York', 'America/New_York',
    ]);
  });

  test('wall times skipped or repeated by a transition resolve as in Go', () => {
    const r = lua(`
      local ny = time.load_location("America/New_York")
      return tostring(time.date(2024, 3, 10, 2, 30, 0, 0, ny)), tostring(time.date(2024, 11, 3, 1, 30, 0, 0, ny)),
        time.date(2024, 11, 4, 0, 0, 0, 0, ny):sub(time.date(2024, 11, 3, 0, 0, 0, 0, ny)):hours()`);
    expect(r).toEqual(['2024-03-10 01:30:00 -0500 EST', '2024-11-03 01:30:00 -0400 EDT', 25]);
  });

  test("Go's LoadLocation example and local mean time before 1883", () => {
    const r = lua(`
      local la = time.load_location("America/Los_Angeles")
      local ny = time.load_location("America/New_York")
      return tostring(time.date(2018, 8, 30, 12, 0, 0, 0, time.utc):in_location(la)), tostring(time.date(1850, 1, 1, 0, 0, 0, 0, ny))`);
    expect(r).toEqual(['2018-08-30 05:00:00 -0700 PDT', '1850-01-01 00:00:00 -0456 LMT']);
  });

  test.skipIf(!hasTzdata)("Go's AddDate example: a day in Zurich across the DST switch lasts 23 hours", () => {
    const r = lua(`
      local start = time.date(2023, 3, 25, 12, 0, 0, 0, time.utc)
      local zurich = time.load_location("Europe/Zurich")
      local sz = time.date(2023, 3, 25, 12, 0, 0, 0, zurich)
      return tostring(start:add_date(0, 0, 1)), tostring(start:add_date(0, 1, 0)), tostring(start:add_date(1, 0, 0)),
        tostring(sz:add_date(0, 0, 1)), tostring(start:add_date(0, 0, 1):sub(start)), tostring(sz:add_date(0, 0, 1):sub(sz))`);
    expect(r).toEqual(['2023-03-26 12:00:00 +0000 UTC', '2023-04-25 12:00:00 +0000 UTC', '2024-03-25 12:00:00 +0000 UTC',
      '2023-03-26 12:00:00 +0200 CEST', '24h0m0s', '23h0m0s']);
  });

  test('fixed zones: name and offset (Go FixedZone and Location examples)', () => {
    const r = lua(`
      local loc = time.fixed_zone("UTC-8", -8 * 60 * 60)
      local beijing = time.fixed_zone("Beijing Time", 8 * 3600)
      return time.date(2009, 11, 10, 23, 0, 0, 0, loc):format(time.RFC822),
        time.date(2009, 1, 1, 12, 0, 0, 0, time.utc):equal(time.date(2009, 1, 1, 20, 0, 0, 0, beijing)), loc:string(), tostring(beijing)`);
    expect(r).toEqual(['10 Nov 09 23:00 UTC-8', true, 'UTC-8', 'Beijing Time']);
  });

  test('load_location: "" and "UTC" are time.utc, "Local" is time.localtz; unknown names are NOT_FOUND, bad ones INVALID', () => {
    const r = lua(`
      local u1, u2, l = time.load_location(""), time.load_location("UTC"), time.load_location("Local")
      local a, e1 = time.load_location("Nowhere/City")
      local b, e2 = time.load_location("../etc/passwd")
      local c, e3 = time.load_location("/etc/localtime")
      return u1 == time.utc, u2 == time.utc, l == time.localtz, a, e1:kind() == errors.NOT_FOUND, e1:message(),
        b, e2:kind() == errors.INVALID, e2:message(), c, e3:message(), time.utc:string(), time.load_location("Etc/GMT+5"):string()`, 'Asia/Kolkata');
    expect(r).toEqual([true, true, true, undefined, true, 'unknown time zone Nowhere/City', undefined, true, 'time: invalid location name',
      undefined, 'time: invalid location name', 'UTC', 'Etc/GMT+5']);
  });

  test.skipIf(!hasTzdata)('zone names are case-sensitive, as Go reads them from files', () => {
    expect(lua('local l, err = time.load_location("america/new_york") return l, err:message()')).toEqual([undefined, 'unknown time zone america/new_york']);
  });

  test('TZ decides the local zone as in Go: empty is UTC, unknown falls back to UTC, ":name" names a zone', () => {
    expect(lua('return time.localtz:string(), tostring(time.date(2024, 1, 1))', '')).toEqual(['UTC', '2024-01-01 00:00:00 +0000 UTC']);
    expect(lua('return time.localtz:string()', 'No/Such_Zone')).toEqual(['UTC']);
    expect(lua('return time.localtz:string(), time.date(2024, 1, 1):format("-07:00")', ':Asia/Kolkata')).toEqual(['Asia/Kolkata', '+05:30']);
  });
});

describe('Time methods', () => {
  test('add takes a Duration, a number of nanoseconds or a Go duration string', () => {
    const r = lua(`
      local start = time.date(2009, 1, 1, 12, 0, 0, 0, time.utc)
      return tostring(start:add(time.parse_duration("10s"))), tostring(start:add(10 * time.MINUTE)), tostring(start:add("10h")),
        tostring(start:add(time.HOUR * 24 * 10)), tostring(start:add(-1)), tostring(start:add("-1.5s"))`);
    expect(r).toEqual(['2009-01-01 12:00:10 +0000 UTC', '2009-01-01 12:10:00 +0000 UTC', '2009-01-01 22:00:00 +0000 UTC',
      '2009-01-11 12:00:00 +0000 UTC', '2009-01-01 11:59:59.999999999 +0000 UTC', '2009-01-01 11:59:58.5 +0000 UTC']);
  });

  test('add with a bad duration raises an argument error', () => {
    expect(() => lua('time.now():add("soon")')).toThrow(/bad argument #1 to 'add' \(time: invalid duration "soon"\)/);
    expect(() => lua('time.now():add({})')).toThrow(/bad argument #1 to 'add' \(duration expected, got table\)/);
  });

  test('sub gives a Duration, nanosecond exact', () => {
    const r = lua(`
      local a = time.date(2000, 1, 1, 0, 0, 0, 0, time.utc)
      local b = time.date(2000, 1, 1, 12, 0, 0, 1, time.utc)
      local d = b:sub(a)
      return tostring(d), d:nanoseconds(), tostring(a:sub(b)), tostring(a:sub(a))`);
    expect(r).toEqual(['12h0m0.000000001s', 43200000000001, '-12h0m0.000000001s', '0s']);
  });

  test('add_date normalises (Oct 31 plus a month is Dec 1)', () => {
    const r = lua(`
      local t = time.date(2011, 1, 1, 10, 20, 30, 5, time.utc)
      return tostring(t:add_date(-1, 2, 3)), time.date(2023, 10, 31, 0, 0, 0, 0, time.utc):add_date(0, 1, 0):format(time.DATE_ONLY),
        time.date(2024, 2, 29, 0, 0, 0, 0, time.utc):add_date(1, 0, 0):format(time.DATE_ONLY)`);
    expect(r).toEqual(['2010-03-04 10:20:30.000000005 +0000 UTC', '2023-12-01', '2025-03-01']);
  });

  test('before, after and equal compare instants, whatever the zones; so do == < <=', () => {
    const r = lua(`
      local y2000 = time.date(2000, 1, 1, 0, 0, 0, 0, time.utc)
      local y3000 = time.date(3000, 1, 1, 0, 0, 0, 0, time.utc)
      local same = y2000:in_location(time.fixed_zone("X", 3600))
      return y3000:after(y2000), y2000:after(y3000), y2000:before(y3000), y3000:before(y2000), y2000:equal(same), y2000 == same,
        y2000 < y3000, y3000 <= y2000, y2000 <= same, y2000 == y3000`);
    expect(r).toEqual([true, false, true, false, true, true, true, false, true, false]);
  });

  test('calendar and clock fields', () => {
    const r = lua(`
      local t = time.date(2000, 2, 1, 12, 30, 45, 999, time.fixed_zone("", -3600))
      local y, m, d = t:date()
      local h, mi, s = t:clock()
      return y, m, d, h, mi, s, t:year(), t:month(), t:day(), t:hour(), t:minute(), t:second(), t:nanosecond(), t:weekday(), t:year_day(),
        time.date(2024, 12, 31, 0, 0, 0, 0, time.utc):year_day(), time.date(2006, 1, 2, 0, 0, 0, 0, time.utc):weekday() == time.MONDAY`);
    expect(r).toEqual([2000, 2, 1, 12, 30, 45, 2000, 2, 1, 12, 30, 45, 999, 2, 32, 366, true]);
  });

  test('unix and unix_nano (nanoseconds exact only below 2^53)', () => {
    const r = lua(`
      local t = time.date(1970, 1, 2, 0, 0, 0, 123456789, time.utc)
      return t:unix(), t:unix_nano(), time.date(1969, 12, 31, 23, 59, 59, 0, time.utc):unix(), time.date(2024, 1, 1, 0, 0, 0, 0, time.utc):unix_nano()`);
    expect(r).toEqual([86400, 86400123456789, -1, 1704067200000000000]);
  });

  test('is_zero is true only for Go\'s zero time, January 1 of year 1 UTC', () => {
    expect(lua(`return time.date(1, 1, 1, 0, 0, 0, 0, time.utc):is_zero(), time.unix(-62135596800, 0):is_zero(),
      time.date(1, 1, 1, 0, 0, 0, 1, time.utc):is_zero(), time.unix(0, 0):is_zero()`)).toEqual([true, true, false, false]);
  });

  test('utc, in_local, in_location and location keep the instant and change the zone', () => {
    const r = lua(`
      local ny = time.load_location("America/New_York")
      local t = time.date(2024, 7, 4, 12, 0, 0, 0, ny)
      return tostring(t:utc()), t:utc():location() == time.utc, tostring(t:in_local()), t:in_local():location() == time.localtz,
        t:location() == ny, t:location():string(), t:utc():unix() == t:unix(), tostring(t:in_location(time.fixed_zone("", 19800)))`, 'Asia/Tokyo');
    expect(r).toEqual(['2024-07-04 16:00:00 +0000 UTC', true, '2024-07-05 01:00:00 +0900 JST', true, true, 'America/New_York', true,
      '2024-07-04 21:30:00 +0530 +0530']);
  });

  test("round and truncate (Go's examples): multiples of the duration since the zero time", () => {
    const r = lua(`
      local t = time.date(0, 0, 0, 12, 15, 30, 918273645, time.utc)
      local u = time.parse("2006 Jan 02 15:04:05", "2012 Dec 07 12:15:30.918273645")
      local out = {}
      for _, s in ipairs({"1ns", "1us", "1ms", "1s", "2s", "1m", "10m", "1h"}) do
        local d = time.parse_duration(s)
        out[#out + 1] = t:round(d):format("15:04:05.999999999") .. "/" .. u:truncate(d):format("15:04:05.999999999")
      end
      return table.concat(out, " "), tostring(t:round(time.parse_duration(0))), tostring(u:truncate(time.parse_duration(-5)))`);
    expect(r).toEqual([
      '12:15:30.918273645/12:15:30.918273645 12:15:30.918274/12:15:30.918273 12:15:30.918/12:15:30.918 12:15:31/12:15:30 ' +
        '12:15:30/12:15:30 12:16:00/12:15:00 12:20:00/12:10:00 12:00:00/12:00:00',
      '-0001-11-30 12:15:30.918273645 +0000 UTC', '2012-12-07 12:15:30.918273645 +0000 UTC',
    ]);
  });

  test('round and truncate work from the zero time, not the local midnight', () => {
    const r = lua(`
      local t = time.date(2024, 7, 4, 13, 45, 0, 0, time.load_location("Asia/Kolkata"))
      return t:truncate(time.parse_duration("1h")):format("15:04 -0700"), t:round(time.parse_duration("24h")):format(time.RFC3339),
        t:truncate(time.parse_duration("7h")):utc():format(time.RFC3339)`);
    expect(r).toEqual(['13:30 +0530', '2024-07-04T05:30:00+05:30', '2024-07-04T05:00:00Z']);
  });

  test('round and truncate take Duration values only', () => {
    expect(() => lua('time.now():round(1000)')).toThrow(/bad argument #1 to 'round' \(time.Duration expected, got number\)/);
    expect(() => lua('time.now():truncate("1h")')).toThrow(/bad argument #1 to 'truncate' \(time.Duration expected, got string\)/);
  });

  test('methods check their self and arguments', () => {
    expect(() => lua('local t = time.now() t.year()')).toThrow(/bad argument #1 to 'year' \(time.Time expected, got no value\)/);
    expect(() => lua('time.now():before(5)')).toThrow(/bad argument #1 to 'before' \(time.Time expected, got number\)/);
    expect(() => lua('time.now():in_location("UTC")')).toThrow(/bad argument #1 to 'in_location' \(time.Location expected, got string\)/);
    expect(() => lua('local d = time.parse_duration("1s") d.hours(time.now())')).toThrow(/bad argument #1 to 'hours' \(time.Duration expected, got time.Time\)/);
    expect(lua('local ok, e = pcall(function() return time.now() < 1 end) return ok, e')[1]).toMatch(/attempt to compare time.Time with number/);
  });

  test('host objects are userdata with hidden metatables', () => {
    expect(lua('return type(time.now()), getmetatable(time.now()), type(time.utc), type(time.parse_duration(1))')).toEqual(['userdata', false, 'userdata', 'userdata']);
  });
});

describe('exports for the process host', () => {
  test('durationArg accepts strings, nanosecond numbers and Durations', () => {
    expect(durationArg('1.5s', 'sleep', 1)).toBe(1.5e9);
    expect(durationArg(250.7, 'sleep', 1)).toBe(250);
    expect(durationArg(newDuration(42), 'sleep', 1)).toBe(42);
    expect(isDuration(newDuration(1))).toBe(true);
  });

  test('durationArg raises argument errors for anything else', () => {
    const message = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        return (e as { value: unknown }).value;
      }
    };
    expect(message(() => durationArg('1d', 'sleep', 1))).toMatch(/bad argument #1 to 'sleep' \(time: unknown unit "d" in duration "1d"\)/);
    expect(message(() => durationArg(undefined, 'after', 2))).toMatch(/bad argument #2 to 'after' \(duration expected, got nil\)/);
    expect(message(() => durationArg(Infinity, 'timer', 1))).toMatch(/bad argument #1 to 'timer' \(number has no integer representation\)/);
  });

  test('the blocking functions are left to the process host', () => {
    expect(lua('return time.sleep, time.after, time.timer, time.ticker')).toEqual([undefined, undefined, undefined, undefined]);
  });
});
