// Go's time.Time for the `time` module: an instant as Unix seconds (an integral double) plus nanoseconds
// (0..999999999) and a Location, so nanosecond precision survives without a total-ns double. Calendar
// fields follow Go: proleptic Gregorian, any year; Date() normalises out-of-range fields like time.Date.

import type { Location } from './location.js';

export const SECONDS_PER_DAY = 86400;
/** Seconds from Go's zero time (0001-01-01 00:00:00 UTC) to the Unix epoch. */
export const ZERO_TO_UNIX = 62135596800;

export const isLeap = (y: number): boolean => y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);

/** Days in month m (1..12) of year y. */
export function daysIn(m: number, y: number): number {
  if (m === 2) return isLeap(y) ? 29 : 28;
  return 30 + ((m + (m >> 3)) & 1);
}

/** Days in a non-leap year before month m (1..13). */
export const daysBefore = (m: number): number => Math.trunc((214 * m - 211) / 7) + (m >= 3 ? -2 : 0);

/** Days since 1970-01-01 of y-m-d (m 1..12; d may exceed the month: it just counts on). H. Hinnant's algorithm. */
export function daysFromCivil(y: number, m: number, d: number): number {
  y -= m <= 2 ? 1 : 0;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (m > 2 ? m - 3 : m + 9) + 2) / 5) + d - 1;
  return era * 146097 + yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy - 719468;
}

/** [year, month, day] of a day count since 1970-01-01. */
export function civilFromDays(z: number): [number, number, number] {
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

/** Go's norm: hi*base + lo == nhi*base + nlo with 0 <= nlo < base. */
function norm(hi: number, lo: number, base: number): [number, number] {
  const q = Math.floor(lo / base);
  return [hi + q, lo - q * base];
}

export class GoTime {
  /** Zone offset at this instant, looked up once (times are immutable). */
  private off: number | undefined;

  constructor(
    /** Unix seconds (integral). */
    readonly sec: number,
    /** Nanoseconds within the second, 0..999999999. */
    readonly nsec: number,
    readonly loc: Location,
  ) {}

  offset(): number {
    return (this.off ??= this.loc.offsetAt(this.sec));
  }

  /** Zone abbreviation in effect ("EST", "" for an unnamed fixed zone). */
  abbr(): string {
    return this.loc.abbrAt(this.sec, this.offset());
  }

  /** Seconds since 1970-01-01 00:00:00 of the local wall clock. */
  private wall(): number {
    return this.sec + this.offset();
  }

  days(): number {
    return Math.floor(this.wall() / SECONDS_PER_DAY);
  }

  date(): [number, number, number] {
    return civilFromDays(this.days());
  }

  clock(): [number, number, number] {
    const s = this.wall() - this.days() * SECONDS_PER_DAY;
    return [Math.floor(s / 3600), Math.floor(s / 60) % 60, s % 60];
  }

  /** 0 = Sunday (1970-01-01 was a Thursday). */
  weekday(): number {
    return (((this.days() + 4) % 7) + 7) % 7;
  }

  /** 1..366 */
  yearDay(): number {
    const days = this.days();
    return days - daysFromCivil(civilFromDays(days)[0], 1, 1) + 1;
  }

  isZero(): boolean {
    return this.sec === -ZERO_TO_UNIX && this.nsec === 0;
  }

  in(loc: Location): GoTime {
    return loc === this.loc ? this : new GoTime(this.sec, this.nsec, loc);
  }

  compare(u: GoTime): number {
    if (this.sec !== u.sec) return this.sec < u.sec ? -1 : 1;
    return this.nsec === u.nsec ? 0 : this.nsec < u.nsec ? -1 : 1;
  }

  /** Nanoseconds since 1970 as a double: exact while below 2^53 (about 104 days from 1970), else rounded. */
  unixNano(): number {
    return this.sec * 1e9 + this.nsec;
  }

  /** t + d nanoseconds (Go's Add). */
  add(d: number): GoTime {
    const r = d % 1e9; // exact; the sign follows d, as Go's %
    let sec = this.sec + (d - r) / 1e9;
    let nsec = this.nsec + r;
    if (nsec >= 1e9) {
      sec++;
      nsec -= 1e9;
    } else if (nsec < 0) {
      sec--;
      nsec += 1e9;
    }
    return new GoTime(sec, nsec, this.loc);
  }

  /** t - u in nanoseconds, saturated to Go's Duration range like Go's Sub. */
  sub(u: GoTime): number {
    const d = (this.sec - u.sec) * 1e9 + (this.nsec - u.nsec);
    return Math.max(-MAX_DURATION, Math.min(MAX_DURATION, d));
  }

  addDate(years: number, months: number, days: number): GoTime {
    const [y, m, d] = this.date();
    const [h, mi, s] = this.clock();
    return date(y + years, m + months, d + days, h, mi, s, this.nsec, this.loc);
  }

  /** Go's Truncate: round down to a multiple of d ns since the zero time (d <= 0: unchanged). */
  truncate(d: number): GoTime {
    if (d <= 0) return this;
    return this.add(-Number(this.remainder(d)));
  }

  /** Go's Round: to the nearest multiple of d since the zero time, halves up. */
  round(d: number): GoTime {
    if (d <= 0) return this;
    const r = this.remainder(d);
    const D = BigInt(Math.trunc(d));
    return r + r < D ? this.add(-Number(r)) : this.add(Number(D - r));
  }

  /** (t - zero time) mod d, non-negative, exact (Go's div). */
  private remainder(d: number): bigint {
    const D = BigInt(Math.trunc(d));
    const total = (BigInt(this.sec) + BigInt(ZERO_TO_UNIX)) * 1000000000n + BigInt(this.nsec);
    const r = total % D;
    return r < 0n ? r + D : r;
  }
}

/** Go's maximum Duration (2^63 - 1 ns) as the nearest double. */
export const MAX_DURATION = 9223372036854775807;

/**
 * Go's time.Date: month, day, hour, minute, second and nanosecond may be out of range and are normalised
 * (month 13 is January of the next year, day 0 the last day of the previous month). A wall time that a
 * zone transition skips or repeats resolves as Go's does (one lookup at the wall time taken as UTC, a
 * second at the shifted instant).
 */
export function date(year: number, month: number, day: number, hour: number, min: number, sec: number, nsec: number, loc: Location): GoTime {
  let m: number;
  [year, m] = norm(year, month - 1, 12);
  [sec, nsec] = norm(sec, nsec, 1e9);
  [min, sec] = norm(min, sec, 60);
  [hour, min] = norm(hour, min, 60);
  [day, hour] = norm(day, hour, 24);
  let unix = daysFromCivil(year, m + 1, day) * SECONDS_PER_DAY + hour * 3600 + min * 60 + sec;
  const offset = loc.offsetAt(unix);
  // Equivalent to Go's check of the zone period's bounds: the second lookup is in the same period unless
  // the shift crossed a transition, and then Go uses the zone at the shifted instant too.
  if (offset !== 0) unix -= loc.offsetAt(unix - offset);
  return new GoTime(unix, nsec, loc);
}

/** Go's time.Unix: nsec outside 0..999999999 carries into the seconds. */
export function unixTime(sec: number, nsec: number, loc: Location): GoTime {
  if (nsec < 0 || nsec >= 1e9) {
    const n = Math.trunc(nsec / 1e9);
    sec += n;
    nsec -= n * 1e9;
    if (nsec < 0) {
      nsec += 1e9;
      sec--;
    }
  }
  return new GoTime(sec, nsec, loc);
}
