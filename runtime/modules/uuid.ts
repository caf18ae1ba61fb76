// The Wippy `uuid` module (spec §3.2): generation (v1, v3, v4, v5, v7) and inspection (validate, version,
// variant, parse, format). Parsing follows Go's google/uuid, which Wippy uses: the standard, {braced},
// urn:uuid: and 32-hex-digit forms are all accepted, and any hex digits are valid (no version check).

import { v1 as genV1, v3 as genV3, v4 as genV4, v5 as genV5, v7 as genV7 } from 'uuid';
import { LuaTable } from '../lua/table.js';
import { ret1, ret2 } from '../lua/ret.js';
import { checkString, optString } from '../lua/lib/args.js';
import { newError, KINDS } from '../lua/lib/errors.js';
import { bufferOf, moduleTable, type ModuleDef } from './module.js';

const HEX = /^[0-9a-fA-F]{32}$/;

/** google/uuid's Parse: the 16 bytes of `s`, or undefined when it is not a UUID in one of Go's four forms. */
export function parseUuid(s: string): Uint8Array | undefined {
  if (s.length === 45 && s.slice(0, 9).toLowerCase() === 'urn:uuid:') s = s.slice(9);
  else if (s.length === 38 && s[0] === '{' && s[37] === '}') s = s.slice(1, 37);
  if (s.length === 36) {
    if (s[8] !== '-' || s[13] !== '-' || s[18] !== '-' || s[23] !== '-') return undefined;
    s = s.slice(0, 8) + s.slice(9, 13) + s.slice(14, 18) + s.slice(19, 23) + s.slice(24);
  }
  if (!HEX.test(s)) return undefined;
  return Uint8Array.from(Buffer.from(s, 'hex'));
}

function standard(b: Uint8Array): string {
  const h = Buffer.from(b).toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** google/uuid's Variant names, from the top bits of byte 8. */
function variantName(b: Uint8Array): string {
  const v = b[8];
  if ((v & 0xc0) === 0x80) return 'RFC4122';
  if ((v & 0xe0) === 0xc0) return 'Microsoft';
  if ((v & 0xe0) === 0xe0) return 'Future';
  return 'Reserved';
}

const versionOf = (b: Uint8Array): number => b[6] >> 4;

const GREGORIAN_TO_UNIX_100NS = 122192928000000000n;

/**
 * Unix time in seconds (fractional part = sub-second precision) of a time-based UUID, as Go's
 * `uuid.Time().UnixTime()` gives it: 100 ns ticks since 1582 for v1/v6, milliseconds for v7.
 */
function timestampOf(b: Uint8Array, version: number): number | undefined {
  const d = Buffer.from(b);
  if (version === 7) return d.readUIntBE(0, 6) / 1000;
  let ticks: bigint;
  if (version === 1) {
    ticks = BigInt(d.readUInt32BE(0)) | (BigInt(d.readUInt16BE(4)) << 32n) | (BigInt(d.readUInt16BE(6) & 0xfff) << 48n);
  } else if (version === 6) {
    ticks = (BigInt(d.readUInt32BE(0)) << 28n) | (BigInt(d.readUInt16BE(4)) << 12n) | BigInt(d.readUInt16BE(6) & 0xfff);
  } else {
    return undefined;
  }
  const t = ticks - GREGORIAN_TO_UNIX_100NS;
  // Whole seconds and the remainder separately, so the seconds part stays exact.
  const sec = t / 10000000n, rem = t % 10000000n;
  return Number(sec) + Number(rem) / 1e7;
}

function invalidId(id: string) {
  return ret2(undefined, newError(`invalid UUID: ${JSON.stringify(id)}`, KINDS.INVALID));
}

/** v3/v5: namespace (a UUID in any accepted form) + name bytes. */
function nameBased(gen: typeof genV5, fname: string, args: IArguments) {
  const ns = checkString(args, 1, fname);
  const name = checkString(args, 2, fname);
  const nsBytes = parseUuid(ns);
  if (nsBytes === undefined) return ret2(undefined, newError(`invalid namespace UUID: ${JSON.stringify(ns)}`, KINDS.INVALID));
  return ret1(gen(bufferOf(name), nsBytes));
}

export const uuidModule: ModuleDef = {
  name: 'uuid',
  open: () => moduleTable('uuid', {
    v1: () => ret1(genV1()),
    v4: () => ret1(genV4()),
    v7: () => ret1(genV7()),
    v3: function v3(_ns: unknown, _name: unknown) {
      return nameBased(genV3, 'v3', arguments);
    },
    v5: function v5(_ns: unknown, _name: unknown) {
      return nameBased(genV5, 'v5', arguments);
    },
    validate: (x: unknown) => ret1(typeof x === 'string' && parseUuid(x) !== undefined),
    version: function version(_id: unknown) {
      const id = checkString(arguments, 1, 'version');
      const b = parseUuid(id);
      return b === undefined ? invalidId(id) : ret1(versionOf(b));
    },
    variant: function variant(_id: unknown) {
      const id = checkString(arguments, 1, 'variant');
      const b = parseUuid(id);
      return b === undefined ? invalidId(id) : ret1(variantName(b));
    },
    parse: function parse(_id: unknown) {
      const id = checkString(arguments, 1, 'parse');
      const b = parseUuid(id);
      if (b === undefined) return invalidId(id);
      const version = versionOf(b);
      const info = new LuaTable();
      info.setStr('version', version);
      info.setStr('variant', variantName(b));
      const ts = timestampOf(b, version);
      if (ts !== undefined) info.setStr('timestamp', ts);
      if (version === 1 || version === 6) info.setStr('node', Buffer.from(b.subarray(10)).toString('hex'));
      return ret1(info);
    },
    format: function format(_id: unknown, _fmt: unknown) {
      const id = checkString(arguments, 1, 'format');
      const fmt = optString(arguments, 2, 'format', 'standard');
      const b = parseUuid(id);
      if (b === undefined) return invalidId(id);
      switch (fmt) {
        case 'standard': return ret1(standard(b));
        case 'simple': return ret1(Buffer.from(b).toString('hex'));
        case 'urn': return ret1(`urn:uuid:${standard(b)}`);
      }
      return ret2(undefined, newError(`unknown UUID format ${JSON.stringify(fmt)} (standard, simple or urn)`, KINDS.INVALID));
    },
  }),
};
