// The Wippy `yaml` module (spec §3.2) on the `yaml` package, loaded on first use. Encoding accepts exactly
// the Lua values json.encode accepts (the conversion rules live in json.ts); mapping keys can be put in a
// chosen order (`field_order`, then the rest sorted with `sort_unordered`). Decoding follows YAML 1.2.

import { createRequire } from 'node:module';
import type * as YamlLib from 'yaml';
import { LuaTable } from '../lua/table.js';
import { ret1, ret2 } from '../lua/ret.js';
import { luaType } from '../lua/value.js';
import { argError, typeError } from '../lua/lib/args.js';
import { KINDS, newError } from '../lua/lib/errors.js';
import { moduleTable, toBytes, fromBytes, type ModuleDef } from './module.js';
import { convertLua, goText, EncodeError } from './json.js';

let lib: typeof YamlLib | undefined;
const yamlLib = (): typeof YamlLib => (lib ??= createRequire(import.meta.url)('yaml') as typeof YamlLib);

interface KeyOrder {
  /** Keys to emit first, byte strings → position. */
  first: Map<string, number>;
  sort: boolean;
}

/** Order of a mapping's keys (byte strings): listed keys first, then the rest sorted bytewise or as they came. */
function orderKeys(keys: string[], order: KeyOrder): number[] {
  const idx = keys.map((_, i) => i);
  if (order.first.size === 0 && !order.sort) return idx;
  const rank = (i: number) => order.first.get(keys[i]) ?? Infinity;
  // Array.prototype.sort is stable, so unsorted remaining keys keep table order.
  return idx.sort((a, b) => rank(a) - rank(b) || (order.sort && rank(a) === Infinity ? (keys[a] < keys[b] ? -1 : 1) : 0));
}

/** Lua value → JS data for the yaml package: mappings are Maps, so the chosen key order survives. */
function toYamlData(v: unknown, order: KeyOrder): unknown {
  return convertLua<unknown>(v, {
    null: () => null,
    boolean: (x) => x,
    number: (x) => (x === 0 ? 0 : x), // -0 is an integer 0 that went through unary minus
    string: goText,
    array: (items) => items,
    object: (keys, values) => new Map(orderKeys(keys, order).map((i) => [goText(keys[i]), values[i]])),
  });
}

/** The options table: `{field_order = {"name", ...}, sort_unordered = true}`. */
function keyOrder(opts: unknown, args: IArguments): KeyOrder {
  const order: KeyOrder = { first: new Map(), sort: false };
  if (opts === undefined) return order;
  if (!(opts instanceof LuaTable)) throw typeError(args, 2, 'encode', 'table');
  const fields = opts.getStr('field_order');
  if (fields instanceof LuaTable) {
    fields.arr.forEach((k, i) => {
      if (typeof k !== 'string') throw argError(2, 'encode', `field_order[${i + 1}] must be a string, got ${luaType(k)}`);
      if (!order.first.has(k)) order.first.set(k, i);
    });
  } else if (fields !== undefined) {
    throw argError(2, 'encode', `field_order must be a table, got ${luaType(fields)}`);
  }
  order.sort = opts.getStr('sort_unordered') === true;
  return order;
}

function encode(v: unknown, opts: unknown): unknown {
  const order = keyOrder(opts, arguments);
  let data: unknown;
  try {
    data = toYamlData(v, order);
  } catch (e) {
    if (e instanceof EncodeError) return ret2(undefined, newError(e.message, KINDS.INVALID));
    throw e;
  }
  // lineWidth 0: long strings stay on one line instead of being folded.
  return ret1(toBytes(yamlLib().stringify(data, { lineWidth: 0 })));
}

/** Parsed YAML → Lua: mapping keys keep their type (integers stay integers, as go-yaml decodes them). */
function yamlToLua(v: unknown): unknown {
  if (v === null || v === undefined) return undefined;
  switch (typeof v) {
    case 'string': return toBytes(v);
    case 'number': case 'boolean': return v;
    case 'bigint': return Number(v);
  }
  if (Array.isArray(v)) {
    const t = new LuaTable();
    v.forEach((x, i) => t.set(i + 1, yamlToLua(x)));
    return t;
  }
  if (v instanceof Map) {
    const t = new LuaTable();
    for (const [k, x] of v) {
      const key = typeof k === 'number' || typeof k === 'boolean' ? k : toBytes(String(k));
      if (key === key) t.set(key, yamlToLua(x)); // a .nan key has no Lua equivalent
    }
    return t;
  }
  if (v instanceof Uint8Array) return Buffer.from(v).toString('latin1');
  return toBytes(String(v));
}

/** "yaml: line 3, column 5: <reason>" from the package's error (whose message also carries a source excerpt). */
function yamlErrorMessage(e: YamlLib.YAMLError): string {
  const reason = e.message.split(/ at line \d+, column \d+/)[0];
  const pos = e.linePos?.[0];
  return toBytes(pos === undefined ? `yaml: ${reason}` : `yaml: line ${pos.line}, column ${pos.col}: ${reason}`);
}

/** Where toJS would fail on an alias whose anchor does not exist (the package reports that without a position). */
function unresolvedAlias(doc: YamlLib.Document, lines: YamlLib.LineCounter): string | undefined {
  let found: string | undefined;
  yamlLib().visit(doc, {
    Alias(_, node) {
      if (node.resolve(doc) !== undefined) return undefined;
      const pos = lines.linePos(node.range?.[0] ?? 0);
      found = `yaml: line ${pos.line}, column ${pos.col}: unknown anchor '${node.source}' referenced`;
      return yamlLib().visit.BREAK;
    },
  });
  return found;
}

function decode(s: unknown): unknown {
  if (typeof s !== 'string') return ret2(undefined, newError(`yaml string expected, got ${luaType(s)}`, KINDS.INVALID));
  const Y = yamlLib();
  const lines = new Y.LineCounter();
  const docs = Y.parseAllDocuments(fromBytes(s), { lineCounter: lines });
  // Like go-yaml's Unmarshal, only the first document counts.
  const doc = Array.isArray(docs) ? docs[0] : undefined;
  if (doc === undefined) return ret1(undefined);
  if (doc.errors.length > 0) return ret2(undefined, newError(yamlErrorMessage(doc.errors[0]), KINDS.INTERNAL));
  try {
    return ret1(yamlToLua(doc.toJS({ mapAsMap: true, maxAliasCount: 100 })));
  } catch (e) {
    // Unknown anchors and alias bombs surface only here.
    if (!(e instanceof Error)) throw e;
    return ret2(undefined, newError(toBytes(unresolvedAlias(doc, lines) ?? `yaml: ${e.message}`), KINDS.INTERNAL));
  }
}

export const yamlModule: ModuleDef = {
  name: 'yaml',
  open: () => moduleTable('yaml', { encode, decode }),
};
