// The Wippy `json` module (spec §3.2): encode/decode with Go encoding/json's output rules, and JSON Schema
// validation through ajv. Also home of the Lua value → data conversion (which tables are arrays, which are
// objects, what cannot be encoded) that `yaml` shares, so both modules refuse and accept the same values.

import { createHash } from 'node:crypto';
import { isUtf8 } from 'node:buffer';
import { createRequire } from 'node:module';
import type { Ajv, ValidateFunction, ErrorObject as AjvError } from 'ajv';
import { LuaTable } from '../lua/table.js';
import { ret1, ret2 } from '../lua/ret.js';
import { luaType, numberToString } from '../lua/value.js';
import { typeError } from '../lua/lib/args.js';
import { ErrorObject, KINDS, newError } from '../lua/lib/errors.js';
import { moduleTable, toBytes, fromBytes, type ModuleDef } from './module.js';

// ---- Lua value → data: the rules shared with yaml ----

/** A Lua value that JSON/YAML cannot represent; the module returns it as `nil, err` (kind INVALID). */
export class EncodeError extends Error {}

/** Tables nested deeper than this are refused (Wippy's limit; also bounds the recursion). */
export const MAX_DEPTH = 128;

/** What a conversion builds from each kind of value; strings and object keys arrive as Lua byte strings. */
export interface DataBuilder<T> {
  null(): T;
  boolean(b: boolean): T;
  number(x: number): T;
  string(bytes: string): T;
  array(items: T[]): T;
  /** Keys in table iteration order (insertion order for string keys). */
  object(keys: string[], values: T[]): T;
}

/**
 * Walk a Lua value with Wippy's rules: nil → null; a table with keys exactly 1..n → array; a table with only
 * string keys → object; the empty table → array; error objects → their message. Sparse arrays, integer keys
 * mixed with string keys, other key types, functions/userdata, a table inside itself and nesting deeper than
 * MAX_DEPTH throw EncodeError naming the path where it happened.
 */
export function convertLua<T>(root: unknown, b: DataBuilder<T>): T {
  const path: (string | number)[] = [];
  const open = new Set<LuaTable>();
  const fail = (msg: string) => new EncodeError(path.length === 0 ? msg : `${msg} at ${formatPath(path)}`);

  function value(v: unknown): T {
    switch (typeof v) {
      case 'undefined': return b.null();
      case 'boolean': return b.boolean(v);
      case 'number': return b.number(v);
      case 'string': return b.string(v);
    }
    if (v instanceof LuaTable) return table(v);
    if (v instanceof ErrorObject) return b.string(v.message);
    throw fail(`cannot encode a ${luaType(v)} value`);
  }

  function table(t: LuaTable): T {
    if (open.has(t)) throw fail('cannot encode a table that contains itself');
    if (open.size >= MAX_DEPTH) throw fail(`cannot encode tables nested more than ${MAX_DEPTH} levels deep`);
    open.add(t);
    const r = t.hashSize() === 0 ? sequence(t.arr) : record(t);
    open.delete(t);
    return r;
  }

  function sequence(arr: unknown[]): T {
    const items: T[] = new Array(arr.length);
    for (let i = 0; i < arr.length; i++) {
      if (arr[i] === undefined) throw fail(`cannot encode a sparse array (index ${i + 1} is nil)`);
      path.push(i + 1);
      items[i] = value(arr[i]);
      path.pop();
    }
    return b.array(items);
  }

  function record(t: LuaTable): T {
    // Classify every key before converting values, so a shape error is reported for this table.
    let ints = t.arr.length > 0;
    const keys: string[] = [];
    const vals: unknown[] = [];
    for (const [k, x] of t.entries()) {
      if (typeof k === 'string') {
        keys.push(k);
        vals.push(x);
      } else if (typeof k === 'number' && Number.isInteger(k)) {
        ints = true;
      } else {
        throw fail(typeof k === 'number' ? `cannot encode a non-integer key ${numberToString(k)}` : `cannot encode a ${luaType(k)} key`);
      }
    }
    if (ints) throw fail(keys.length > 0 ? 'cannot encode a table with both integer and string keys' : 'cannot encode a sparse array (keys are not 1..n)');
    const out: T[] = new Array(keys.length);
    for (let i = 0; i < keys.length; i++) {
      path.push(keys[i]);
      out[i] = value(vals[i]);
      path.pop();
    }
    return b.object(keys, out);
  }

  return value(root);
}

/** `items[2].name`, `["a b"]` — Lua-style, indices 1-based. */
function formatPath(path: (string | number)[]): string {
  let s = '';
  for (const p of path) {
    if (typeof p === 'number') s += `[${p}]`;
    else if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(p)) s += s === '' ? p : `.${p}`;
    else s += `["${p}"]`;
  }
  return s;
}

/**
 * Length of the valid UTF-8 sequence at s[i] (a byte ≥ 0x80), or 0 when none starts there. Go's rules
 * (no overlong forms, surrogates or code points past U+10FFFF), so invalid input is replaced byte by byte.
 */
function utf8SeqLen(s: string, i: number): number {
  const b = s.charCodeAt(i);
  const cont = (j: number, lo = 0x80, hi = 0xbf) => {
    const x = s.charCodeAt(i + j);
    return x >= lo && x <= hi; // NaN past the end: false
  };
  if (b >= 0xc2 && b <= 0xdf) return cont(1) ? 2 : 0;
  if (b >= 0xe0 && b <= 0xef) return cont(1, b === 0xe0 ? 0xa0 : 0x80, b === 0xed ? 0x9f : 0xbf) && cont(2) ? 3 : 0;
  if (b >= 0xf0 && b <= 0xf4) return cont(1, b === 0xf0 ? 0x90 : 0x80, b === 0xf4 ? 0x8f : 0xbf) && cont(2) && cont(3) ? 4 : 0;
  return 0;
}

/** Lua byte string → JS text, each byte of an invalid UTF-8 sequence becoming U+FFFD (as Go does). */
export function goText(bytes: string): string {
  if (!/[\x80-\xff]/.test(bytes)) return bytes;
  const buf = Buffer.from(bytes, 'latin1');
  if (isUtf8(buf)) return buf.toString('utf8');
  let fixed = '';
  let start = 0;
  for (let i = 0; i < bytes.length; ) {
    if (bytes.charCodeAt(i) < 0x80) { i++; continue; }
    const n = utf8SeqLen(bytes, i);
    if (n > 0) { i += n; continue; }
    fixed += bytes.slice(start, i) + '\xef\xbf\xbd';
    start = ++i;
  }
  return fromBytes(fixed + bytes.slice(start));
}

/** Sets o[k] as an own data property even for `__proto__`. */
function setOwn(o: Record<string, unknown>, k: string, v: unknown): void {
  if (k === '__proto__') Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true });
  else o[k] = v;
}

/**
 * Lua value → plain JS data (text strings, arrays, plain objects), by convertLua's rules. `jsonNumbers` maps
 * NaN/±Inf to null as JSON does. Throws EncodeError.
 */
export function luaToData(v: unknown, opts: { jsonNumbers?: boolean } = {}): unknown {
  return convertLua<unknown>(v, {
    null: () => null,
    boolean: (x) => x,
    number: (x) => (x === 0 ? 0 : opts.jsonNumbers && !Number.isFinite(x) ? null : x),
    string: goText,
    array: (items) => items,
    object: (keys, values) => {
      const o: Record<string, unknown> = {};
      keys.forEach((k, i) => setOwn(o, goText(k), values[i]));
      return o;
    },
  });
}

// ---- encode: Go encoding/json output, built directly as a byte string ----

/** Escapes for ASCII bytes (undefined = as is). Go escapes < > & for HTML safety by default; so do we. */
const ESC: (string | undefined)[] = new Array(128).fill(undefined);
for (let c = 0; c < 0x20; c++) ESC[c] = '\\u00' + c.toString(16).padStart(2, '0');
Object.assign(ESC, { 8: '\\b', 9: '\\t', 10: '\\n', 12: '\\f', 13: '\\r', 0x22: '\\"', 0x5c: '\\\\', 0x3c: '\\u003c', 0x3e: '\\u003e', 0x26: '\\u0026' });
const NEEDS_ESCAPE = /[\x00-\x1f"\\<>&\x80-\xff]/;

/** A byte string as a JSON string literal: valid UTF-8 copied, invalid bytes → \ufffd, U+2028/9 escaped. */
function quote(s: string): string {
  if (!NEEDS_ESCAPE.test(s)) return `"${s}"`;
  let out = '"';
  let start = 0;
  for (let i = 0; i < s.length; ) {
    const b = s.charCodeAt(i);
    if (b < 0x80) {
      const e = ESC[b];
      if (e !== undefined) {
        out += s.slice(start, i) + e;
        start = i + 1;
      }
      i++;
      continue;
    }
    const n = utf8SeqLen(s, i);
    if (n === 0) {
      out += s.slice(start, i) + '\\ufffd';
      start = ++i;
    } else if (b === 0xe2 && s.charCodeAt(i + 1) === 0x80 && (s.charCodeAt(i + 2) & 0xfe) === 0xa8) {
      // Go escapes LINE/PARAGRAPH SEPARATOR: they end a JavaScript string literal.
      out += s.slice(start, i) + (s.charCodeAt(i + 2) === 0xa8 ? '\\u2028' : '\\u2029');
      start = i += 3;
    } else {
      i += n;
    }
  }
  return out + s.slice(start) + '"';
}

const TWO53 = 2 ** 53;
const TWO63 = 2 ** 63;

/**
 * Integral values in the int64 range print as integers with their exact digits; other numbers as Go prints
 * a float64, which is JS's shortest round-trip form with the same exponent thresholds (1e-7, 1e+21).
 */
function jsonNumber(x: number): string {
  if (!Number.isFinite(x)) return 'null';
  if (x === 0) return '0'; // -0 too: lunac cannot tell it from an integer 0
  if (Number.isInteger(x) && Math.abs(x) >= TWO53 && x >= -TWO63 && x < TWO63) return BigInt(x).toString();
  return String(x);
}

/** Keys sorted bytewise, as Go marshals maps. */
function jsonObject(keys: string[], values: string[]): string {
  const order = keys.map((_, i) => i).sort((a, b) => (keys[a] < keys[b] ? -1 : 1));
  let s = '{';
  for (let j = 0; j < order.length; j++) {
    const i = order[j];
    s += (j === 0 ? '' : ',') + quote(keys[i]) + ':' + values[i];
  }
  return s + '}';
}

const jsonBuilder: DataBuilder<string> = {
  null: () => 'null',
  boolean: (x) => (x ? 'true' : 'false'),
  number: jsonNumber,
  string: quote,
  array: (items) => `[${items.join(',')}]`,
  object: jsonObject,
};

/** Lua value → JSON byte string (throws EncodeError). */
export function encodeJson(v: unknown): string {
  return convertLua(v, jsonBuilder);
}

function encode(v: unknown): unknown {
  try {
    return ret1(encodeJson(v));
  } catch (e) {
    if (e instanceof EncodeError) return ret2(undefined, newError(e.message, KINDS.INVALID));
    throw e;
  }
}

// ---- decode ----

/** A JSON syntax error with Go's wording and where it is. */
class JsonSyntaxError extends Error {}

/** JSON.parse result → Lua: null → nil, arrays 1-based, strings as UTF-8 bytes. */
function jsonToLua(v: unknown): unknown {
  if (v === null) return undefined;
  switch (typeof v) {
    case 'string': return toBytes(v);
    case 'number':
      // JSON.parse turns 1e400 into Infinity; Go refuses to unmarshal it into a float64.
      if (!Number.isFinite(v)) throw new JsonSyntaxError('number out of range');
      return v;
    case 'boolean': return v;
  }
  if (Array.isArray(v)) {
    const items = v.map(jsonToLua);
    if (!items.includes(undefined)) return new LuaTable(items);
    const t = new LuaTable();
    items.forEach((x, i) => t.set(i + 1, x));
    return t;
  }
  const t = new LuaTable();
  for (const k of Object.keys(v as object)) {
    const x = jsonToLua((v as Record<string, unknown>)[k]);
    if (x !== undefined) t.set(toBytes(k), x);
  }
  return t;
}

/** Go's quoteChar: how a byte is shown in a syntax error. */
function quoteChar(c: number): string {
  if (c === 0x27) return "'\\''";
  if (c >= 0x20 && c < 0x7f) return `'${String.fromCharCode(c)}'`;
  const named: Record<number, string> = { 9: '\\t', 10: '\\n', 13: '\\r' };
  return `'${named[c] ?? '\\x' + c.toString(16).padStart(2, '0')}'`;
}

/**
 * Scan JSON text (a byte string) the way Go's scanner does and throw a JsonSyntaxError for the first
 * error: Go's message plus line and column (1-based, in bytes). Only run after JSON.parse failed.
 */
function checkJsonSyntax(s: string): void {
  const n = s.length;
  let i = 0;
  const fail = (what: string): never => {
    const reason = i >= n ? 'unexpected end of JSON input' : `invalid character ${quoteChar(s.charCodeAt(i))} ${what}`;
    const before = s.slice(0, i);
    const line = before.split('\n').length;
    throw new JsonSyntaxError(`${reason} at line ${line}, column ${i - before.lastIndexOf('\n')}`);
  };
  const ws = () => {
    while (i < n && (s[i] === ' ' || s[i] === '\n' || s[i] === '\t' || s[i] === '\r')) i++;
  };
  const digits = () => {
    while (s[i] >= '0' && s[i] <= '9') i++;
  };
  const isDigit = () => s[i] >= '0' && s[i] <= '9';

  function literal(word: string): void {
    for (let j = 1; j < word.length; j++) {
      if (s[i + j] !== word[j]) {
        i += j;
        fail(`in literal ${word} (expecting ${quoteChar(word.charCodeAt(j))})`);
      }
    }
    i += word.length;
  }
  function number(): void {
    if (s[i] === '-') i++;
    if (!isDigit()) fail('in numeric literal');
    if (s[i] === '0') i++;
    else digits();
    if (s[i] === '.') {
      i++;
      if (!isDigit()) fail('after decimal point in numeric literal');
      digits();
    }
    if (s[i] === 'e' || s[i] === 'E') {
      i++;
      if (s[i] === '+' || s[i] === '-') i++;
      if (!isDigit()) fail('in exponent of numeric literal');
      digits();
    }
  }
  function string(): void {
    for (i++; ; ) {
      if (i >= n) fail('');
      const c = s.charCodeAt(i);
      if (c === 0x22) { i++; return; }
      if (c < 0x20) fail('in string literal');
      if (c !== 0x5c) { i++; continue; }
      i++;
      if (s[i] === 'u') {
        for (let j = 0; j < 4; j++) {
          i++;
          if (!/[0-9a-fA-F]/.test(s[i] ?? '')) fail('in \\u hexadecimal character escape');
        }
        i++;
      } else if ('"\\/bfnrt'.includes(s[i] ?? 'x')) i++;
      else fail('in string escape code');
    }
  }
  function value(): void {
    ws();
    const c = s[i];
    if (c === '{') {
      i++;
      ws();
      if (s[i] === '}') { i++; return; }
      for (;;) {
        ws();
        if (s[i] !== '"') fail('looking for beginning of object key string');
        string();
        ws();
        if (s[i] !== ':') fail('after object key');
        i++;
        value();
        ws();
        if (s[i] === ',') { i++; continue; }
        if (s[i] === '}') { i++; return; }
        fail('after object key:value pair');
      }
    }
    if (c === '[') {
      i++;
      ws();
      if (s[i] === ']') { i++; return; }
      for (;;) {
        value();
        ws();
        if (s[i] === ',') { i++; continue; }
        if (s[i] === ']') { i++; return; }
        fail('after array element');
      }
    }
    if (c === '"') return string();
    if (c === '-' || (c >= '0' && c <= '9')) return number();
    if (c === 't') return literal('true');
    if (c === 'f') return literal('false');
    if (c === 'n') return literal('null');
    fail('looking for beginning of value');
  }
  value();
  ws();
  if (i < n) fail('after top-level value');
}

/** Parse JSON text (a byte string) into JS data; throws JsonSyntaxError. */
function parseJsonText(s: string): unknown {
  try {
    return JSON.parse(fromBytes(s));
  } catch (e) {
    const reason = toBytes(e instanceof Error ? e.message : String(e));
    try {
      checkJsonSyntax(s);
    } catch (found) {
      if (found instanceof JsonSyntaxError) throw found;
      // Our scanner ran out of stack on absurd nesting: keep JSON.parse's message.
    }
    throw new JsonSyntaxError(reason);
  }
}

/** JSON byte string → Lua value (throws JsonSyntaxError). */
export function decodeJson(s: string): unknown {
  return jsonToLua(parseJsonText(s));
}

function decode(s: unknown): unknown {
  if (typeof s !== 'string') return ret2(undefined, newError(`json string expected, got ${luaType(s)}`, KINDS.INVALID));
  if (s === '') return ret2(undefined, newError('empty JSON input', KINDS.INVALID));
  try {
    return ret1(decodeJson(s));
  } catch (e) {
    if (e instanceof JsonSyntaxError) return ret2(undefined, newError(e.message, KINDS.INTERNAL));
    if (e instanceof RangeError) return ret2(undefined, newError('JSON nested too deeply', KINDS.INTERNAL));
    throw e;
  }
}

// ---- validate: JSON Schema through ajv, loaded on first use ----

const require = createRequire(import.meta.url);
const ajvs = new Map<string, Ajv>();

/** One ajv per draft: 2020-12 and 2019-09 when `$schema` names them, draft-07 (ajv's default) otherwise. */
function ajvFor(draft: string): Ajv {
  let ajv = ajvs.get(draft);
  if (ajv === undefined) {
    const mod = require(draft === '2020' ? 'ajv/dist/2020' : draft === '2019' ? 'ajv/dist/2019' : 'ajv');
    const Ctor = mod.default ?? mod;
    ajv = new Ctor({ allErrors: true, strict: false }) as Ajv;
    const addFormats = require('ajv-formats');
    (addFormats.default ?? addFormats)(ajv);
    ajvs.set(draft, ajv);
  }
  return ajv;
}

/** A schema that does not parse or compile. */
class SchemaError extends Error {}

const MAX_CACHED = 256;
const compiled = new Map<string, { ajv: Ajv; fn: ValidateFunction }>();

/** Keywords whose value is an array; everywhere else an empty schema table means `{}`. */
const ARRAY_KEYWORDS = new Set(['required', 'enum', 'type', 'allOf', 'anyOf', 'oneOf', 'prefixItems', 'examples']);
/** Keywords whose value maps names to schemas (its keys are names, not keywords). */
const NAME_MAPS = new Set(['properties', 'patternProperties', 'definitions', '$defs', 'dependentSchemas']);

/**
 * A schema written as a Lua table encodes `properties = {}` as `[]` (the empty table is an array): turn
 * empty arrays back into `{}` except under keywords that take arrays.
 */
function fixEmptySchemas(node: unknown, inNameMap = false): unknown {
  if (Array.isArray(node)) return node.map((x) => fixEmptySchemas(x));
  if (node === null || typeof node !== 'object') return node;
  const o = node as Record<string, unknown>;
  for (const k of Object.keys(o)) {
    const v = o[k];
    if (Array.isArray(v) && v.length === 0) {
      if (inNameMap || !ARRAY_KEYWORDS.has(k)) o[k] = {};
    } else {
      o[k] = fixEmptySchemas(v, !inNameMap && NAME_MAPS.has(k));
    }
  }
  return o;
}

/** The compiled validator for a schema given as a Lua table or JSON text; cached by a hash of that JSON. */
function schemaValidator(schema: LuaTable | string): ValidateFunction {
  const text = typeof schema === 'string' ? schema : encodeJson(schema);
  const key = createHash('sha256').update(text, 'latin1').digest('base64');
  const hit = compiled.get(key);
  if (hit !== undefined) {
    // Refresh its place in the eviction order.
    compiled.delete(key);
    compiled.set(key, hit);
    return hit.fn;
  }
  let data: unknown;
  try {
    data = fixEmptySchemas(parseJsonText(text));
  } catch (e) {
    if (e instanceof JsonSyntaxError) throw new SchemaError(`invalid schema JSON: ${e.message}`);
    throw e;
  }
  if (typeof data !== 'object' && typeof data !== 'boolean') throw new SchemaError('schema must be an object or a boolean');
  const meta = data !== null && typeof data === 'object' ? (data as Record<string, unknown>).$schema : undefined;
  const draft = typeof meta === 'string' ? (meta.includes('2020-12') ? '2020' : meta.includes('2019-09') ? '2019' : meta.includes('draft-07') ? '07' : 'other') : '07';
  if (draft === 'other') {
    // A meta-schema ajv does not have (draft-04, -06…): validate with draft-07 rules rather than refuse.
    data = { ...(data as object) };
    delete (data as Record<string, unknown>).$schema;
  }
  const ajv = ajvFor(draft === 'other' ? '07' : draft);
  const id = (data as Record<string, unknown> | null)?.$id;
  let fn: ValidateFunction;
  try {
    // ajv refuses a second schema with an $id it has seen; the newest one wins here.
    if (typeof id === 'string') ajv.removeSchema(id);
    fn = ajv.compile(data as object);
  } catch (e) {
    throw new SchemaError(toBytes(`invalid schema: ${e instanceof Error ? e.message : String(e)}`));
  }
  if (compiled.size >= MAX_CACHED) {
    const [oldKey, old] = compiled.entries().next().value!;
    compiled.delete(oldKey);
    old.ajv.removeSchema(old.fn.schema as object);
  }
  compiled.set(key, { ajv, fn });
  return fn;
}

/** JSON pointer of a child: RFC 6901 escaping, as ajv's instancePath. */
const pointer = (base: string, key: string | number) => `${base}/${String(key).replace(/~/g, '~0').replace(/\//g, '~1')}`;

/** Where each empty array sits (holder + key + pointer); in data from Lua, every one is an empty table. */
function emptyTables(root: { v: unknown }): { holder: Record<string | number, unknown>; key: string | number; ptr: string }[] {
  const found: { holder: Record<string | number, unknown>; key: string | number; ptr: string }[] = [];
  const walk = (holder: Record<string | number, unknown>, key: string | number, ptr: string) => {
    const v = holder[key];
    if (Array.isArray(v)) {
      if (v.length === 0) found.push({ holder, key, ptr });
      else v.forEach((_, i) => walk(v as unknown as Record<number, unknown>, i, pointer(ptr, i)));
    } else if (v !== null && typeof v === 'object') {
      for (const k of Object.keys(v)) walk(v as Record<string, unknown>, k, pointer(ptr, k));
    }
  };
  walk(root as unknown as Record<string, unknown>, 'v', '');
  return found;
}

/**
 * Validate Lua data. A Lua empty table is both `[]` and `{}`, so it must satisfy `type: "object"` as well
 * as `type: "array"`: each empty table starts as `[]` (what json.encode emits); when validation fails with a
 * type error at an empty table's location that an object would satisfy, that table becomes `{}` and the
 * validation runs again. Each table flips at most once, so this ends after at most one run per empty table.
 */
function validateLua(fn: ValidateFunction, value: unknown): AjvError[] | null {
  const root = { v: luaToData(value, { jsonNumbers: true }) };
  const empties = emptyTables(root);
  for (;;) {
    if (fn(root.v)) return null;
    const errors = fn.errors ?? [];
    const flip = empties.filter((e) => Array.isArray(e.holder[e.key]) && errors.some(
      (err) => err.keyword === 'type' && err.instancePath === e.ptr && String(err.params.type).includes('object')));
    if (flip.length === 0) return errors;
    for (const e of flip) e.holder[e.key] = {};
  }
}

/** "validation failed: /name: must be string; (root): must have required property 'id'". */
function failureMessage(errors: AjvError[]): string {
  const lines = new Set<string>();
  for (const e of errors) {
    let msg = e.message ?? e.keyword;
    if (e.keyword === 'additionalProperties') msg += ` '${e.params.additionalProperty}'`;
    lines.add(`${e.instancePath === '' ? '(root)' : e.instancePath}: ${msg}`);
  }
  return toBytes(`validation failed: ${[...lines].join('; ')}`);
}

function checkSchemaArg(args: IArguments, fname: string): LuaTable | string {
  const schema = args[0];
  if (typeof schema !== 'string' && !(schema instanceof LuaTable)) throw typeError(args, 1, fname, 'table or string');
  return schema;
}

/** `true`, or `false, err` (kind INVALID) for a failed validation, a bad schema or data that cannot be JSON. */
function runValidation(schema: LuaTable | string, check: (fn: ValidateFunction) => AjvError[] | null): unknown {
  try {
    const errors = check(schemaValidator(schema));
    return errors === null ? ret1(true) : ret2(false, newError(failureMessage(errors), KINDS.INVALID));
  } catch (e) {
    if (e instanceof SchemaError || e instanceof EncodeError) return ret2(false, newError(e.message, KINDS.INVALID));
    if (e instanceof JsonSyntaxError) return ret2(false, newError(`invalid JSON: ${e.message}`, KINDS.INVALID));
    throw e;
  }
}

function validate(_schema: unknown, value: unknown): unknown {
  return runValidation(checkSchemaArg(arguments, 'validate'), (fn) => validateLua(fn, value));
}

function validateString(_schema: unknown, json: unknown): unknown {
  const schema = checkSchemaArg(arguments, 'validate_string');
  if (typeof json !== 'string') throw typeError(arguments, 2, 'validate_string', 'string');
  // JSON text is unambiguous ([] vs {}), so it is validated as written.
  return runValidation(schema, (fn) => {
    const data = parseJsonText(json);
    return fn(data) ? null : fn.errors ?? [];
  });
}

export const jsonModule: ModuleDef = {
  name: 'json',
  open: () => moduleTable('json', { encode, decode, validate, validate_string: validateString }),
};
