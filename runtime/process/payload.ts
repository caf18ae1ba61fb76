// Values crossing a process boundary (spec §4.2, §6.2): deep copies of tables, errors kept, functions and
// other host objects dropped; and the `payload` global with Payload objects, which is how message and
// async results arrive (`p:data()`).

import { LuaTable } from '../lua/table.js';
import { LuaObject } from '../lua/value.js';
import { ret1, ret2 } from '../lua/ret.js';
import { argError, typeError } from '../lua/lib/args.js';
import { ErrorObject, KINDS, newError } from '../lua/lib/errors.js';
import { objectClass, subTable } from '../modules/module.js';

/**
 * A copy of `v` another process (or a caller) may own: tables are copied deeply (shared and cyclic
 * structure is preserved, metatables are not), error objects pass as they are (immutable), functions,
 * coroutines and host objects become nil.
 */
export function exportValue(v: unknown, seen: Map<LuaTable, LuaTable> = new Map()): unknown {
  switch (typeof v) {
    case 'undefined': case 'boolean': case 'number': case 'string':
      return v;
    case 'function':
      return undefined;
  }
  if (v instanceof LuaTable) {
    const done = seen.get(v);
    if (done !== undefined) return done;
    const t = new LuaTable();
    seen.set(v, t);
    for (let i = 0; i < v.arr.length; i++) t.set(i + 1, exportValue(v.arr[i], seen));
    for (const [k, x] of v.entries()) {
      const key = k instanceof LuaTable ? exportValue(k, seen) : k;
      if (key !== undefined && !(key instanceof LuaObject && !(key instanceof ErrorObject))) t.set(key, exportValue(x, seen));
    }
    return t;
  }
  if (v instanceof ErrorObject) return v;
  if (v instanceof Payload) return v;
  return undefined;
}

// ---- Payload ----

export const FORMATS = {
  JSON: 'json/plain',
  YAML: 'yaml/plain',
  STRING: 'text/plain',
  GOLANG: 'golang/any',
  LUA: 'lua/any',
  BYTES: 'application/octet-stream',
  MSGPACK: 'application/msgpack',
  ERROR: 'golang/error',
} as const;

/** Encoders for transcoding, provided by the json/yaml modules when they are loaded (avoids a cycle). */
export const codecs: {
  encode: Partial<Record<string, (v: unknown) => [unknown, unknown]>>;
  decode: Partial<Record<string, (s: string) => [unknown, unknown]>>;
} = { encode: {}, decode: {} };

export class Payload extends LuaObject {
  readonly ltype = 'userdata';
  constructor(
    public format: string,
    public value: unknown,
    /** The value was copied for this payload alone (a received message): data() need not copy it again. */
    readonly owned = false,
  ) {
    super();
    this.mt = payloadMeta;
  }
}

function self(v: unknown, fname: string): Payload {
  if (v instanceof Payload) return v;
  throw typeError([v], 1, fname, 'payload');
}

/** The Lua value a payload carries, decoding serialised formats. */
export function payloadData(p: Payload): [unknown, ErrorObject | undefined] {
  if (p.format === FORMATS.LUA || p.format === FORMATS.GOLANG || p.format === FORMATS.ERROR) return [p.owned ? p.value : exportValue(p.value), undefined];
  if (p.format === FORMATS.STRING || p.format === FORMATS.BYTES) return [p.value, undefined];
  const dec = codecs.decode[p.format];
  if (dec === undefined) return [undefined, newError(`cannot decode payload of format ${p.format}`, KINDS.INVALID)];
  const [v, err] = dec(p.value as string);
  return [v, err as ErrorObject | undefined];
}

function transcode(p: Payload, fmt: string): [Payload | undefined, ErrorObject | undefined] {
  if (fmt === p.format) return [p, undefined];
  const [data, err] = payloadData(p);
  if (err) return [undefined, err];
  if (fmt === FORMATS.LUA || fmt === FORMATS.GOLANG) return [new Payload(fmt, data), undefined];
  if (fmt === FORMATS.STRING || fmt === FORMATS.BYTES) {
    if (typeof data === 'string') return [new Payload(fmt, data), undefined];
    const enc = codecs.encode[FORMATS.JSON];
    if (!enc) return [undefined, newError('json encoder unavailable', KINDS.INTERNAL)];
    const [s, e] = enc(data);
    return e ? [undefined, e as ErrorObject] : [new Payload(fmt, s), undefined];
  }
  const enc = codecs.encode[fmt];
  if (enc === undefined) return [undefined, newError(`cannot transcode payload to ${fmt}`, KINDS.INVALID)];
  const [s, e] = enc(data);
  return e ? [undefined, e as ErrorObject] : [new Payload(fmt, s), undefined];
}

const payloadMeta = objectClass('payload', {
  data: (p: unknown) => {
    const [v, err] = payloadData(self(p, 'data'));
    return err ? ret2(undefined, err) : ret1(v);
  },
  get_format: (p: unknown) => ret1(self(p, 'get_format').format),
  transcode: (p: unknown, fmt: unknown) => {
    if (typeof fmt !== 'string') throw typeError([p, fmt], 2, 'transcode', 'string');
    const [r, err] = transcode(self(p, 'transcode'), fmt);
    return err ? ret2(undefined, err) : ret1(r);
  },
  unmarshal: (p: unknown) => {
    const [v, err] = payloadData(self(p, 'unmarshal'));
    return err ? ret2(undefined, err) : ret1(v);
  },
});

/** The `payload` global. */
export function createPayloadLib(): LuaTable {
  return subTable({
    new: (...args: unknown[]) => {
      if (args.length === 0) throw argError(1, 'new', 'value expected');
      const v = args[0];
      return ret1(v instanceof Payload ? v : new Payload(FORMATS.LUA, exportValue(v)));
    },
    format: subTable({ ...FORMATS }),
  });
}

// ---- messages ----

/**
 * A message (spec §4.2): topic, sender and the sent values, already exported (copied) for the receiver. It
 * is itself the Lua object the inbox delivers (`msg:topic()`, `msg:from()`, `msg:payload()`), so a message
 * costs one object while it waits in a mailbox.
 */
export class Message extends LuaObject {
  readonly ltype = 'userdata';
  payload: Payload | undefined = undefined;
  constructor(readonly topic: string, readonly from: string | undefined, readonly values: unknown[]) {
    super();
    this.mt = messageMeta;
  }
}

/** The payload a message carries: one value, or a table when several were sent (made once per message). */
export function messagePayload(m: Message): Payload {
  if (m.payload !== undefined) return m.payload;
  if (m.values.length === 1 && m.values[0] instanceof Payload) return (m.payload = m.values[0]);
  return (m.payload = new Payload(FORMATS.LUA, m.values.length <= 1 ? m.values[0] : LuaTable.from(m.values), true));
}

function message(v: unknown, fname: string): Message {
  if (v instanceof Message) return v;
  throw typeError([v], 1, fname, 'process.Message');
}

const messageMeta = objectClass('process.Message', {
  topic: (m: unknown) => ret1(message(m, 'topic').topic),
  from: (m: unknown) => ret1(message(m, 'from').from),
  payload: (m: unknown) => ret1(messagePayload(message(m, 'payload'))),
});
