// What every Wippy module implementation shares: how a module is described (`ModuleDef`), how its table is
// built (immutable, with qualified names for argument errors), how host objects get methods, and the
// conversions at the edge between Lua byte strings / tables and JS text / data.
//
// WRITING A MODULE? Read runtime/modules/README.md first: calling convention (ret1/ret2/retN), errors,
// tests with runWithModules, and the rules for working in this shared tree (no npm build/install/test).

import { LuaTable } from '../lua/table.js';
import { LuaUserdata } from '../lua/value.js';
import { libraries } from '../lua/lib/args.js';
import { HOST_BLOCKING_NAMES } from './catalogue.js';

/**
 * What a module may ask of the app and host that binds it. Pure modules ignore it; the process host,
 * registry, env and logger modules read their parts. Grows with the host (issue 4).
 */
export interface ModuleContext {
  /** Registry entries of the running app (see runtime/app/registry-data.ts), when there is an app. */
  registry?: import('../app/registry-data.js').RegistryData;
  /** Where structured log lines and `print` go (defaults to stderr / stdout). */
  log?: (line: string) => void;
  /** The process host running the app (funcs, ctx, events… need it). */
  node?: import('../process/node.js').Node;
}

export interface ModuleDef {
  name: string;
  /** Build the module table. Called once per app (module tables are shared and immutable). */
  open(ctx: ModuleContext): LuaTable;
}

type Member = ((...args: any[]) => unknown) | LuaTable | string | number | boolean;

/**
 * An immutable module table. Function members are named `name.member` in argument errors raised from C
 * context (pcall(json.encode, …)), like the standard libraries.
 */
export function moduleTable(name: string, members: Record<string, Member>): LuaTable {
  const t = subTable(members);
  libraries.set(name, t);
  return t;
}

/** A frozen table of sub-members (e.g. `crypto.random`, `http.STATUS`). */
export function subTable(members: Record<string, Member>): LuaTable {
  checkTwins(members);
  const t = new LuaTable();
  for (const [k, v] of Object.entries(members)) t.setStr(k, v);
  t.freeze();
  return t;
}

/**
 * A member with a generator twin may block, and the compiler must know it by name (catalogue.ts,
 * HOST_BLOCKING_NAMES): a missing name would let compiled code call it where it cannot suspend.
 */
function checkTwins(members: Record<string, Member>): void {
  for (const [k, v] of Object.entries(members)) {
    if (typeof v === 'function' && (v as { G?: unknown }).G !== undefined && !HOST_BLOCKING_NAMES.has(k)) {
      throw new Error(`internal: host function '${k}' may block but is not in catalogue.ts's HOST_BLOCKING_NAMES`);
    }
  }
}

/**
 * The metatable for a kind of host object: `__name` for messages and `type`-like display, methods via
 * `__index`, and `__metatable` so Lua cannot reach or replace the methods table.
 */
export function objectClass(typeName: string, methods: Record<string, (...args: any[]) => unknown>, extra: Record<string, unknown> = {}): LuaTable {
  const mt = new LuaTable();
  mt.setStr('__index', subTable(methods));
  mt.setStr('__name', typeName);
  mt.setStr('__metatable', false);
  for (const [k, v] of Object.entries(extra)) mt.setStr(k, v);
  mt.freeze();
  return mt;
}

/** A host object of class `mt` wrapping JS data. */
export function hostObject<T>(data: T, mt: LuaTable): LuaUserdata & { data: T } {
  return new LuaUserdata(data, mt) as LuaUserdata & { data: T };
}

// ---- edges: Lua byte strings ↔ JS text ----

/** JS text (UTF-16) → Lua byte string (UTF-8 bytes, one char per byte). */
export function toBytes(text: string): string {
  // ASCII needs no conversion and is by far the common case.
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) > 0x7f) return Buffer.from(text, 'utf8').toString('latin1');
  return text;
}

/** Lua byte string → JS text (bytes decoded as UTF-8). */
export function fromBytes(bytes: string): string {
  for (let i = 0; i < bytes.length; i++) if (bytes.charCodeAt(i) > 0x7f) return Buffer.from(bytes, 'latin1').toString('utf8');
  return bytes;
}

/** Lua byte string → Buffer; Buffer → Lua byte string. */
export const bufferOf = (bytes: string): Buffer => Buffer.from(bytes, 'latin1');
export const bytesOf = (buf: Uint8Array): string => Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength).toString('latin1');

// ---- edges: plain data ↔ Lua values ----

/**
 * JS data (from JSON, YAML, a manifest) → Lua: objects become tables, arrays 1-based tables, strings byte
 * strings, null nil. Non-data values (functions, class instances other than plain objects) are refused.
 */
export function toLua(v: unknown): unknown {
  if (v === null || v === undefined) return undefined;
  switch (typeof v) {
    case 'string': return toBytes(v);
    case 'number': case 'boolean': return v;
    case 'bigint': return Number(v);
  }
  if (Array.isArray(v)) {
    const t = new LuaTable();
    for (let i = 0; i < v.length; i++) t.set(i + 1, toLua(v[i]));
    return t;
  }
  if (v instanceof Date) return toBytes(v.toISOString());
  if (typeof v === 'object') {
    const t = new LuaTable();
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) t.set(toBytes(k), toLua(x));
    return t;
  }
  throw new TypeError(`cannot convert ${typeof v} to a Lua value`);
}

/**
 * Lua → JS data: tables with keys 1..n (n ≥ 1, no others) become arrays, other tables objects with string
 * keys (numbers converted), byte strings text. `seen` guards against cycles (they throw).
 */
export function fromLua(v: unknown, seen: Set<LuaTable> = new Set()): unknown {
  if (typeof v === 'string') return fromBytes(v);
  if (!(v instanceof LuaTable)) return v === undefined ? null : v;
  if (seen.has(v)) throw new TypeError('cannot convert a table that contains itself');
  seen.add(v);
  let out: unknown;
  const arr = v.arr;
  if (arr.length > 0 && v.hashSize() === 0 && !arr.includes(undefined)) {
    out = arr.map((x) => fromLua(x, seen));
  } else {
    const o: Record<string, unknown> = {};
    arr.forEach((x, i) => x !== undefined && (o[String(i + 1)] = fromLua(x, seen)));
    for (const [k, x] of v.entries()) o[typeof k === 'string' ? fromBytes(k) : String(k)] = fromLua(x, seen);
    out = o;
  }
  seen.delete(v);
  return out;
}
