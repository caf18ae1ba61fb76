// Time zones for the `time` module: UTC, fixed offsets and IANA zones. Offsets of IANA zones come from
// Intl.DateTimeFormat (always present in Node); abbreviations ("EST", "CET") from the system's TZif files
// when readable, as Go reads them, otherwise from Intl ("EST") or in tzdata's numeric style ("+04").

import { readFileSync, statSync } from 'node:fs';
import { daysFromCivil, SECONDS_PER_DAY } from './calendar.js';

/** A zone type of a TZif file: offset east of UTC and abbreviation. */
interface ZoneType {
  off: number;
  abbr: string;
}

/** The parts of a TZif file used here: transition instants, the type after each, and the types. */
interface Tzif {
  trans: number[];
  idx: number[];
  types: ZoneType[];
}

// Date's range, in seconds; Intl cannot format beyond it, so instants outside use the edge's offset.
const MAX_SEC = 8.64e12;
const INTL_RE = /^(\d+)\/(\d+)\/(\d+) (AD|BC), (\d+):(\d+):(\d+)$/;

export class Location {
  private fmt: Intl.DateTimeFormat | undefined;
  private nameFmt: Intl.DateTimeFormat | undefined;
  private cache = new Map<number, number>();
  private tzif: Tzif | null | undefined;

  constructor(
    /** Go's Location.String(): "UTC", "Local", "America/New_York", a fixed zone's name (maybe ""). */
    readonly name: string,
    /** IANA zone id for Intl; undefined for UTC and fixed zones. */
    readonly zone: string | undefined,
    /** Fixed zones: seconds east of UTC. */
    readonly fixedOffset = 0,
    /** TZif file with this zone's abbreviations ('' = look it up by zone id). */
    private tzifPath = '',
  ) {}

  /** Seconds east of UTC at Unix second `unix`. */
  offsetAt(unix: number): number {
    if (this.zone === undefined) return this.fixedOffset;
    let off = this.cache.get(unix);
    if (off === undefined) {
      off = this.intlOffset(unix);
      if (this.cache.size >= 1024) this.cache.clear();
      this.cache.set(unix, off);
    }
    return off;
  }

  /** The zone abbreviation at `unix`, where the offset is `off`. */
  abbrAt(unix: number, off: number): string {
    if (this.zone === undefined) return this.name;
    const tz = this.tzifData();
    return (tz && tzifAbbr(tz, unix, off)) ?? this.intlAbbr(unix, off);
  }

  /**
   * Go's Location.lookupName: the offset of a zone called `abbr` in this location, preferring one in
   * effect at `unix` (an abbreviation's wall time read as UTC); undefined if the location has no such zone.
   */
  lookupName(abbr: string, unix: number): number | undefined {
    if (this.zone === undefined) return abbr === this.name ? this.fixedOffset : undefined;
    const types = this.tzifData()?.types ?? this.sampledTypes(unix);
    for (const ty of types) {
      if (ty.abbr !== abbr) continue;
      const at = unix - ty.off;
      const off = this.offsetAt(at);
      if (this.abbrAt(at, off) === abbr) return off;
    }
    return types.find((ty) => ty.abbr === abbr)?.off;
  }

  private formatter(): Intl.DateTimeFormat {
    return (this.fmt ??= new Intl.DateTimeFormat('en-US', {
      timeZone: this.zone,
      hourCycle: 'h23',
      era: 'short',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    }));
  }

  /** The offset as the difference between Intl's wall clock and UTC. */
  private intlOffset(unix: number): number {
    const at = Math.max(-MAX_SEC, Math.min(MAX_SEC, unix));
    const f = this.formatter();
    let p = INTL_RE.exec(f.format(at * 1000));
    // Other ICU builds may punctuate differently: fall back to the (slower) parts.
    if (!p) {
      const parts: Record<string, string> = {};
      for (const x of f.formatToParts(at * 1000)) parts[x.type] = x.value;
      p = ['', parts.month, parts.day, parts.year, parts.era, parts.hour, parts.minute, parts.second] as unknown as RegExpExecArray;
    }
    const year = p[4] === 'BC' ? 1 - Number(p[3]) : Number(p[3]);
    const wall = daysFromCivil(year, Number(p[1]), Number(p[2])) * SECONDS_PER_DAY + Number(p[5]) * 3600 + Number(p[6]) * 60 + Number(p[7]);
    return wall - at;
  }

  /** Without tzdata files: Intl's short name when it is an abbreviation ("EST"), else tzdata's "+04" style. */
  private intlAbbr(unix: number, off: number): string {
    const at = Math.max(-MAX_SEC, Math.min(MAX_SEC, unix)) * 1000;
    this.nameFmt ??= new Intl.DateTimeFormat('en-US', { timeZone: this.zone, timeZoneName: 'short' });
    const name = this.nameFmt
      .formatToParts(at)
      .find((x) => x.type === 'timeZoneName')?.value;
    if (name && /^[A-Z]{3,5}$/.test(name) && (off === 0 || !name.startsWith('GMT'))) return name;
    // Offsets with seconds are local mean time, which tzdata calls LMT.
    return off % 60 !== 0 ? 'LMT' : numericAbbr(off);
  }

  private sampledTypes(unix: number): ZoneType[] {
    return [unix - 182 * SECONDS_PER_DAY, unix, unix + 182 * SECONDS_PER_DAY].map((t) => {
      const off = this.offsetAt(t);
      return { off, abbr: this.abbrAt(t, off) };
    });
  }

  private tzifData(): Tzif | null {
    if (this.tzif === undefined) this.tzif = readTzif(this.tzifPath || zoneFile(this.zone!));
    return this.tzif;
  }
}

/** tzdata's abbreviation for zones without letters: "+04", "-0330". */
function numericAbbr(off: number): string {
  const sign = off < 0 ? '-' : '+';
  const a = Math.abs(off);
  const h = String(Math.floor(a / 3600)).padStart(2, '0');
  const m = Math.floor(a / 60) % 60;
  return sign + h + (m ? String(m).padStart(2, '0') : '');
}

export const UTC = new Location('UTC', undefined, 0);

/** Go's FixedZone. */
export const fixedZone = (name: string, offset: number): Location => new Location(name, undefined, offset);

// ---- IANA zones ----

/** Directories Go searches for zoneinfo files on Unix ($ZONEINFO first when it is a directory). */
function zoneDirs(): string[] {
  const dirs = ['/usr/share/zoneinfo/', '/usr/share/lib/zoneinfo/', '/usr/lib/locale/TZ/', '/etc/zoneinfo/'];
  const env = process.env.ZONEINFO;
  if (env && !env.endsWith('.zip')) dirs.unshift(env.endsWith('/') ? env : env + '/');
  return dirs;
}

function zoneFile(zone: string): string {
  for (const dir of zoneDirs()) if (statSync(dir + zone, { throwIfNoEntry: false })?.isFile()) return dir + zone;
  return '';
}

function readTzif(path: string): Tzif | null {
  if (path === '') return null;
  try {
    return parseTzif(readFileSync(path));
  } catch {
    return null;
  }
}

/** TZif (RFC 8536): the 64-bit data block of version 2+ files, else the 32-bit one. */
export function parseTzif(b: Buffer): Tzif | null {
  if (b.length < 44 || b.toString('latin1', 0, 4) !== 'TZif') return null;
  const counts = (at: number) => [0, 1, 2, 3, 4, 5].map((i) => b.readUInt32BE(at + 20 + i * 4));
  let at = 0;
  let [isut, isstd, leap, timecnt, typecnt, charcnt] = counts(0);
  let size = 4;
  if (b[4] >= 0x32) {
    at = 44 + timecnt * 5 + typecnt * 6 + charcnt + leap * 8 + isstd + isut;
    [isut, isstd, leap, timecnt, typecnt, charcnt] = counts(at);
    size = 8;
  }
  let p = at + 44;
  const trans: number[] = [];
  for (let i = 0; i < timecnt; i++, p += size) trans.push(size === 8 ? Number(b.readBigInt64BE(p)) : b.readInt32BE(p));
  const idx = [...b.subarray(p, p + timecnt)];
  p += timecnt;
  const raw: [number, number][] = [];
  for (let i = 0; i < typecnt; i++, p += 6) raw.push([b.readInt32BE(p), b[p + 5]]);
  const chars = b.toString('latin1', p, p + charcnt);
  const types = raw.map(([off, ai]) => {
    const end = chars.indexOf('\0', ai);
    return { off, abbr: chars.slice(ai, end < 0 ? chars.length : end) };
  });
  return { trans, idx, types };
}

/**
 * The abbreviation of the TZif zone in effect at `unix` if its offset agrees with Intl's; otherwise the
 * nearest earlier (then any) zone type with that offset, which covers instants past the last transition
 * of "slim" files (the footer's rule names the same types).
 */
function tzifAbbr(tz: Tzif, unix: number, off: number): string | undefined {
  let lo = 0;
  let hi = tz.trans.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (tz.trans[mid] <= unix) lo = mid + 1;
    else hi = mid;
  }
  for (let i = lo - 1; i >= 0; i--) {
    const ty = tz.types[tz.idx[i]];
    if (ty.off === off) return ty.abbr;
  }
  return tz.types.find((ty) => ty.off === off)?.abbr;
}

/** Does Intl know this zone id? */
function intlKnows(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

let canonical: Set<string> | undefined;
/** Loaded zones by name: one Location (and one set of Intl caches) per zone. */
const loaded = new Map<string, Location>();

/**
 * Go's LoadLocation: "" and "UTC" are UTC, "Local" the local zone; names with ".." or a leading slash
 * are invalid; other names must be IANA zones. Intl matches ids case-insensitively where Go (reading
 * files) does not, so a name must also be Intl's canonical spelling or a zoneinfo file of that name.
 */
export function loadLocation(name: string, local: Location): Location | { error: string; notFound: boolean } {
  if (name === '' || name === 'UTC') return UTC;
  if (name === 'Local') return local;
  if (name.includes('..') || name[0] === '/' || name[0] === '\\') return { error: 'time: invalid location name', notFound: false };
  const known = loaded.get(name);
  if (known) return known;
  canonical ??= new Set(Intl.supportedValuesOf('timeZone'));
  const file = zoneFile(name);
  if (!intlKnows(name) || !(canonical.has(name) || file !== '' || !zoneDirs().some(dirExists))) {
    return { error: `unknown time zone ${name}`, notFound: true };
  }
  const loc = new Location(name, name, 0, file);
  loaded.set(name, loc);
  return loc;
}

const dirExists = (dir: string): boolean => statSync(dir, { throwIfNoEntry: false })?.isDirectory() === true;

/**
 * Go's Local, from $TZ as Go reads it: unset → the system zone (/etc/localtime), named "Local"; empty or
 * "UTC" → UTC; ":name" or "name" → that zone, named after it; an absolute path → that file; a zone that
 * cannot be loaded → UTC.
 */
export function localLocation(tz: string | undefined = process.env.TZ): Location {
  // ICU reads the same $TZ and /etc/localtime for Intl's default zone.
  const system = () => {
    const zone = new Intl.DateTimeFormat().resolvedOptions().timeZone;
    return zone && intlKnows(zone) ? zone : 'UTC';
  };
  if (tz === undefined) return new Location('Local', system(), 0, '/etc/localtime');
  if (tz[0] === ':') tz = tz.slice(1);
  if (tz === '' || tz === 'UTC') return UTC;
  if (tz[0] === '/') {
    const tzif = readTzif(tz);
    if (tzif) return new Location(tz === '/etc/localtime' ? 'Local' : tz, system(), 0, tz);
    return UTC;
  }
  const loc = loadLocation(tz, UTC);
  return loc instanceof Location ? loc : UTC;
}
