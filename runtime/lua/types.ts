// Runtime type values (spec §2.5): `type Name = …` declarations are Lua values of type "type". Calling one
// validates (`User(data)` returns data or raises), `T:is(v)` returns `v, nil` or `nil, err`, reflection methods
// (`kind`, `name`, `fields`, `elem`, ...) inspect the structure, and `==`, `<=`, `<` compare structurally and by
// subtyping. A type value is a TypeNode (from the compiler's type parser, JSON data) plus a context that resolves
// the names it mentions lazily, so forward and recursive references work.

import type { Annotation, Field, FunctionType, TypeNode } from '../../compiler/parse/type-parser.js';
import { LuaError, withWhere } from './error.js';
import { metamethod } from './meta.js';
import { ret0, ret1, ret2 } from './ret.js';
import { LuaTable } from './table.js';
import { LuaObject, luaType, numberToString } from './value.js';
import { MatchState, search } from './lib/patterns.js';

export type { TypeNode } from '../../compiler/parse/type-parser.js';

/** Resolution context of a type value: where its names point and how its generic parameters are bound. */
interface Ctx {
  /** Root name → thunk returning its runtime value (a TypeValue or a library table). */
  refs: Map<string, () => unknown>;
  /** Root name → resolved value (filled on first use). */
  resolved: Map<string, unknown>;
  /** Generic parameter → bound type (null: unbound, acts as `any`). */
  env: Map<string, TypeValue | null>;
  /** Per-node caches: dereferenced structure, wrapped sub-type values. */
  deref: Map<TypeNode, Res>;
  wrapped: Map<TypeNode, TypeValue>;
}

/** A structural node (no aliases left) with the context its names resolve in. */
interface Res {
  node: TypeNode;
  ctx: Ctx;
}

const PRIMITIVES: ReadonlySet<string> = new Set([
  'number', 'integer', 'string', 'boolean', 'nil', 'any', 'unknown', 'never', 'table', 'function', 'thread',
  'userdata', 'self',
]);

/** In the primitive context (primitiveType, typeOf) every name is a primitive `type()` name. */
function isPrim(name: string, ctx: Ctx): boolean {
  return ctx === EMPTY_CTX || (PRIMITIVES.has(name) && !ctx.env.has(name));
}

function newCtx(refs: Map<string, () => unknown>, resolved: Map<string, unknown>, env: Map<string, TypeValue | null>): Ctx {
  return { refs, resolved, env, deref: new Map(), wrapped: new Map() };
}

const EMPTY_CTX = newCtx(new Map(), new Map(), new Map());

/** A Lua value of type "type". */
export class TypeValue extends LuaObject {
  readonly ltype = 'type';
  constructor(
    /** Declared name (`type User = …`), or undefined for anonymous and structural sub-types. */
    readonly tname: string | undefined,
    readonly node: TypeNode,
    readonly ctx: Ctx,
    /** Unbound generic parameters (`type Box<T> = …`), bound by `Box<number>` in other types. */
    readonly generics: readonly string[] = [],
  ) {
    super();
    this.mt = TYPE_META;
  }

  /** Validate: the error message, or null when `v` conforms. */
  validate(v: unknown): string | null {
    const base = sp;
    try {
      const f = check(v, this.node, this.ctx);
      if (f === null) return null;
      if (f.mismatch && f.path.length === 0 && this.tname !== undefined && namedInMessage(deref(this.node, this.ctx))) {
        return `expected ${this.tname}, got ${f.got}`;
      }
      return formatFail(f);
    } catch (e) {
      if (e instanceof RangeError) return 'value is nested too deeply to validate';
      throw e;
    } finally {
      while (sp > base) pop();
    }
  }

  toString(): string {
    return describe(this.node);
  }
}

/**
 * Build the runtime value of a type declaration. `refs[i]` lazily returns the value of `typeRefs(node)[i]`
 * (another type value, or a library table in which the rest of a qualified name is looked up with raw gets).
 */
export function makeType(name: string | undefined, node: TypeNode, generics: string[], refs: (() => unknown)[]): TypeValue {
  const names = refNames(node, generics);
  const map = new Map<string, () => unknown>();
  for (let i = 0; i < names.length && i < refs.length; i++) map.set(names[i], refs[i]);
  const params = [...generics];
  if (node.generics) for (const g of node.generics) if (!params.includes(g)) params.push(g);
  const env = new Map<string, TypeValue | null>();
  for (const g of params) env.set(g, null);
  return new TypeValue(name, node, newCtx(map, new Map(), env), params);
}

const primitives = new Map<string, TypeValue>();

/** The type value of a primitive type name (`number`, `string`, ..., also `type`, `channel`: any `type()` name). */
export function primitiveType(name: string): TypeValue {
  let t = primitives.get(name);
  if (t === undefined) {
    t = new TypeValue(name, { kind: 'name', name }, EMPTY_CTX);
    primitives.set(name, t);
  }
  return t;
}

/** The runtime type of a value: its `type()` name as a primitive type (`typeof(v)` in Lua). */
export function typeOf(v: unknown): TypeValue {
  return primitiveType(luaType(v));
}

/**
 * The distinct root names a node refers to, in first-occurrence order, without primitives and generic parameters
 * in scope. Must agree exactly with `typeRefs` of compiler/parse/type-parser.ts (the compiler passes one thunk per
 * entry, in this order); test/runtime-types.test.ts checks that they agree.
 */
export function refNames(node: TypeNode, generics: readonly string[] = []): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  const scope: string[] = [...generics];
  const add = (root: string) => {
    if (PRIMITIVES.has(root) || scope.includes(root) || seen.has(root)) return;
    seen.add(root);
    out.push(root);
  };
  const visit = (n: TypeNode | undefined): void => {
    if (!n) return;
    const pushed = n.generics ? n.generics.length : 0;
    if (pushed) scope.push(...n.generics!);
    switch (n.kind) {
      case 'name': {
        const dot = n.name.indexOf('.');
        add(dot < 0 ? n.name : n.name.slice(0, dot));
        n.args?.forEach(visit);
        break;
      }
      case 'literal': break;
      case 'optional': case 'keyof': case 'readonly': visit(n.inner); break;
      case 'union': case 'intersection': case 'tuple': n.types.forEach(visit); break;
      case 'array': visit(n.elem); break;
      case 'map': visit(n.key); visit(n.value); break;
      case 'record':
        for (const f of n.fields) visit(f.type);
        if (n.indexer) { visit(n.indexer.key); visit(n.indexer.value); }
        break;
      case 'interface':
        n.extends.forEach(visit);
        for (const f of n.fields) visit(f.type);
        if (n.indexer) { visit(n.indexer.key); visit(n.indexer.value); }
        break;
      case 'function':
        if (n.genericParams) for (const g of n.genericParams) { visit(g.constraint); visit(g.default); }
        for (const p of n.params) visit(p.type);
        visit(n.variadic);
        visit(n.returns);
        break;
      case 'typeof': if (n.path) add(n.path[0]); break;
      case 'index': visit(n.object); visit(n.index); break;
      case 'conditional': visit(n.check); visit(n.extends); visit(n.then); visit(n.else); break;
      case 'asserts': visit(n.type); break;
    }
    if (pushed) scope.length -= pushed;
  };
  visit(node);
  return out;
}

// ---- name resolution ----

const ANY: TypeNode = { kind: 'name', name: 'any' };
const ANY_RES: Res = { node: ANY, ctx: EMPTY_CTX };

function typeError(msg: string): LuaError {
  return new LuaError(withWhere(msg, 1));
}

/** The runtime value of a (possibly qualified) name through the context's refs. */
function lookupRef(name: string, ctx: Ctx): unknown {
  const dot = name.indexOf('.');
  const root = dot < 0 ? name : name.slice(0, dot);
  let v = ctx.resolved.get(root);
  if (v === undefined) {
    const thunk = ctx.refs.get(root);
    if (thunk === undefined) return undefined;
    v = thunk();
    if (v === undefined) throw typeError(`type '${root}' is not defined`);
    ctx.resolved.set(root, v);
  }
  if (dot >= 0) {
    for (const part of name.slice(dot + 1).split('.')) {
      if (!(v instanceof LuaTable)) throw typeError(`type '${name}' is not defined ('${root}' is not a table)`);
      v = v.getStr(part);
    }
    if (v === undefined) throw typeError(`type '${name}' is not defined`);
  }
  return v;
}

/** The type value a name node denotes (instantiating generics), or null for primitives and unbound generics. */
function nameTarget(node: TypeNode & { kind: 'name' }, ctx: Ctx): TypeValue | null {
  const name = node.name;
  if (ctx.env.has(name)) return ctx.env.get(name) ?? null;
  if (isPrim(name, ctx)) return null;
  const cached = ctx.wrapped.get(node);
  if (cached !== undefined) return cached;
  const v = lookupRef(name, ctx);
  if (v === undefined) return null; // a generic parameter of an enclosing function type: any
  if (!(v instanceof TypeValue)) throw typeError(`'${name}' is not a type (a ${luaType(v)} value)`);
  let target = v;
  if (node.args && node.args.length > 0) {
    const params = v.generics;
    const env = new Map(v.ctx.env);
    params.forEach((p, i) => env.set(p, i < node.args!.length ? wrap(node.args![i], ctx) : null));
    target = new TypeValue(v.tname, v.node, newCtx(v.ctx.refs, v.ctx.resolved, env));
  }
  ctx.wrapped.set(node, target);
  return target;
}

/** Follow aliases, generic parameters and type operators down to a structural node. */
function deref(node: TypeNode, ctx: Ctx): Res {
  switch (node.kind) {
    case 'name': case 'typeof': case 'keyof': case 'index': case 'conditional': case 'readonly': break;
    default: return { node, ctx };
  }
  const hit = ctx.deref.get(node);
  if (hit !== undefined) return hit;
  let res: Res = { node, ctx };
  for (let guard = 0; ; guard++) {
    if (guard > 100) throw typeError(`type '${describe(node)}' refers to itself`);
    const n = res.node, c = res.ctx;
    let next: Res | null = null;
    switch (n.kind) {
      case 'name': {
        if (isPrim(n.name, c)) break;
        const t = nameTarget(n, c);
        // null: an unbound generic parameter (or one of an enclosing function type), which admits anything.
        next = t === null ? ANY_RES : { node: t.node, ctx: t.ctx };
        break;
      }
      case 'typeof': {
        let v: unknown = undefined;
        if (n.path) {
          v = lookupRef(n.path[0], c);
          for (let i = 1; i < n.path.length && v instanceof LuaTable; i++) v = v.getStr(n.path[i]);
        }
        next = n.path ? { node: { kind: 'name', name: luaType(v) }, ctx: EMPTY_CTX } : ANY_RES;
        break;
      }
      case 'readonly':
        next = { node: n.inner, ctx: c };
        break;
      case 'keyof': {
        const inner = deref(n.inner, c);
        const fs = fieldsOf(inner);
        next = fs === null || fs.length === 0
          ? { node: { kind: 'name', name: fs === null ? 'any' : 'never' }, ctx: EMPTY_CTX }
          : { node: { kind: 'union', types: fs.map((f) => ({ kind: 'literal', value: f.field.name })) }, ctx: EMPTY_CTX };
        break;
      }
      case 'index': {
        const obj = deref(n.object, c);
        const idx = deref(n.index, c);
        next = indexType(obj, idx);
        break;
      }
      case 'conditional':
        next = isSub({ node: n.check, ctx: c }, { node: n.extends, ctx: c }, [])
          ? { node: n.then, ctx: c } : { node: n.else, ctx: c };
        break;
    }
    if (next === null) break;
    res = next;
    if (!(res.node.kind === 'name' || res.node.kind === 'typeof' || res.node.kind === 'keyof' || res.node.kind === 'index'
      || res.node.kind === 'conditional' || res.node.kind === 'readonly')) break;
  }
  // Annotations on the alias node itself (`type Age = number @min(0)`) stay on `node` and are checked there.
  ctx.deref.set(node, res);
  return res;
}

/** `T[K]`: a record's field type, an array's element type, a map's value type. */
function indexType(obj: Res, idx: Res): Res {
  if (idx.node.kind === 'literal' && typeof idx.node.value === 'string') {
    const fs = fieldsOf(obj);
    const key = idx.node.value;
    const f = fs?.find((x) => x.field.name === key);
    if (f) return { node: f.field.type, ctx: f.ctx };
  }
  if (obj.node.kind === 'array') return { node: obj.node.elem, ctx: obj.ctx };
  if (obj.node.kind === 'map') return { node: obj.node.value, ctx: obj.ctx };
  if ((obj.node.kind === 'record' || obj.node.kind === 'interface') && obj.node.indexer) {
    return { node: obj.node.indexer.value, ctx: obj.ctx };
  }
  return ANY_RES;
}

interface CtxField {
  field: Field;
  ctx: Ctx;
}

/** Fields of a record or interface (bases first, overridden by own fields), or null for other kinds. */
function fieldsOf(r: Res, depth = 0): CtxField[] | null {
  const n = r.node;
  if (n.kind === 'record') return n.fields.map((field) => ({ field, ctx: r.ctx }));
  if (n.kind === 'interface') {
    const out: CtxField[] = [];
    if (depth < 50) {
      for (const b of n.extends) {
        const bf = fieldsOf(deref(b, r.ctx), depth + 1);
        if (bf) for (const f of bf) if (!n.fields.some((x) => x.name === f.field.name)) out.push(f);
      }
    }
    for (const field of n.fields) out.push({ field, ctx: r.ctx });
    return out;
  }
  if (n.kind === 'intersection') {
    const out: CtxField[] = [];
    for (const t of n.types) {
      const fs = fieldsOf(deref(t, r.ctx), depth + 1);
      if (fs) out.push(...fs);
    }
    return out;
  }
  return null;
}

/** A type value for a sub-node: references to named types give that type value itself. */
function wrap(node: TypeNode, ctx: Ctx): TypeValue {
  if (node.kind === 'name' && !node.annotations) {
    if (isPrim(node.name, ctx)) return primitiveType(node.name === 'self' ? 'any' : node.name);
    const t = nameTarget(node, ctx);
    return t !== null ? t : primitiveType('any');
  }
  let w = ctx.wrapped.get(node);
  if (w === undefined) {
    w = new TypeValue(undefined, node, ctx);
    ctx.wrapped.set(node, w);
  }
  return w;
}

// ---- validation ----

interface Fail {
  /** Path segments, innermost first. */
  path: string[];
  msg: string;
  /** A plain type mismatch (`expected X, got Y`), as opposed to a validator failure. */
  mismatch: boolean;
  /** For mismatches: the description of the value. */
  got?: string;
}

/**
 * Tables (with the node and context checking them) on the current validation path, as triples below `sp`: a
 * value met again with the same type is cyclic and is accepted (coinductively).
 */
const stack: unknown[] = [];
let sp = 0;

function onStack(v: unknown, node: TypeNode, ctx: Ctx): boolean {
  for (let i = 0; i < sp; i += 3) {
    if (stack[i] === v && stack[i + 1] === node && stack[i + 2] === ctx) return true;
  }
  return false;
}

function push(v: unknown, node: TypeNode, ctx: Ctx): void {
  stack[sp] = v;
  stack[sp + 1] = node;
  stack[sp + 2] = ctx;
  sp += 3;
}

function pop(): void {
  sp -= 3;
  stack[sp] = stack[sp + 1] = stack[sp + 2] = undefined;
}

function formatFail(f: Fail): string {
  if (f.path.length === 0) return f.msg;
  let p = '';
  for (let i = f.path.length - 1; i >= 0; i--) {
    const s = f.path[i];
    p += s.charCodeAt(0) === 91 /* [ */ || p === '' ? s : '.' + s;
  }
  return `field '${p}': ${f.msg}`;
}

function fail(node: TypeNode, v: unknown, expected = describe(node)): Fail {
  const got = valueDesc(v, node);
  return { path: [], msg: `expected ${expected}, got ${got}`, mismatch: true, got };
}

/** How a failing value is shown: its type, or the value itself when literals of that type were expected. */
function valueDesc(v: unknown, node: TypeNode): string {
  if ((typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') && expectsLiteral(node, typeof v)) {
    return literalText(v);
  }
  const n = metamethod(v, '__name');
  return typeof n === 'string' && !(v instanceof TypeValue) ? n : luaType(v);
}

function expectsLiteral(node: TypeNode, t: string): boolean {
  if (node.kind === 'literal') return typeof node.value === t;
  if (node.kind === 'union') return node.types.some((x) => expectsLiteral(x, t));
  if (node.kind === 'optional') return expectsLiteral(node.inner, t);
  return false;
}

/** Does the failure message get the declared name (`expected User`) rather than the structure? */
function namedInMessage(r: Res): boolean {
  return r.node.kind !== 'union' && r.node.kind !== 'optional';
}

function keySeg(k: unknown): string {
  if (typeof k === 'string') return /^[A-Za-z_][A-Za-z0-9_]*$/.test(k) ? k : `[${literalText(k)}]`;
  if (typeof k === 'number') return `[${numberToString(k)}]`;
  return `[${luaType(k)}]`;
}

/** Check `v` against `node` in `ctx`; null when it conforms. */
function check(v: unknown, node: TypeNode, ctx: Ctx): Fail | null {
  let f: Fail | null;
  switch (node.kind) {
    case 'name':
      if (isPrim(node.name, ctx)) {
        f = checkPrimitive(v, node.name) ? null : fail(node, v);
      } else {
        const r = deref(node, ctx);
        f = check(v, r.node, r.ctx);
        if (f !== null && f.mismatch && f.path.length === 0 && !ctx.env.has(node.name) && namedInMessage(r)) {
          // Name the declared type in the message (`expected User, got string`).
          f = fail(node, v);
        }
      }
      break;
    case 'literal':
      f = v === node.value ? null : fail(node, v);
      break;
    case 'optional':
      f = v === undefined ? null : check(v, node.inner, ctx);
      if (f !== null && f.mismatch && f.path.length === 0) f = fail(node, v);
      break;
    case 'union':
      f = checkUnion(v, node.types, node, ctx);
      break;
    case 'intersection':
      f = null;
      for (const t of node.types) {
        f = check(v, t, ctx);
        if (f !== null) break;
      }
      break;
    case 'array':
      f = checkArray(v, node, ctx);
      break;
    case 'map':
      f = checkMap(v, node, ctx);
      break;
    case 'record':
    case 'interface':
      f = checkRecord(v, node, ctx);
      break;
    case 'function':
      f = typeof v === 'function' || metamethod(v, '__call') !== undefined ? null : fail(node, v);
      break;
    case 'tuple':
      f = node.types.length === 0 ? (v === undefined ? null : fail(node, v)) : check(v, node.types[0], ctx);
      break;
    case 'asserts':
      f = null;
      break;
    default: {
      const r = deref(node, ctx);
      f = check(v, r.node, r.ctx);
    }
  }
  if (f === null && node.annotations !== undefined) return checkAnnotations(v, node.annotations);
  return f;
}

function checkPrimitive(v: unknown, name: string): boolean {
  switch (name) {
    case 'number': return typeof v === 'number';
    case 'integer': return typeof v === 'number' && Number.isInteger(v);
    case 'string': return typeof v === 'string';
    case 'boolean': return typeof v === 'boolean';
    case 'nil': return v === undefined;
    case 'any': case 'unknown': case 'self': return true;
    case 'never': return false;
    case 'table': return v instanceof LuaTable;
    case 'function': return typeof v === 'function';
    default: return luaType(v) === name;
  }
}

function checkUnion(v: unknown, types: TypeNode[], node: TypeNode, ctx: Ctx): Fail | null {
  let tableFail: Fail | null = null;
  let tableVariants = 0;
  for (const t of types) {
    const f = check(v, t, ctx);
    if (f === null) return null;
    if (f.path.length > 0) { tableFail = f; tableVariants++; }
  }
  // A table that fits the shape of exactly one variant: report that variant's inner failure.
  if (tableVariants === 1) return tableFail;
  return fail(node, v);
}

function checkArray(v: unknown, node: TypeNode & { kind: 'array' }, ctx: Ctx): Fail | null {
  if (!(v instanceof LuaTable)) return fail(node, v);
  {
    for (const [k] of v.entries()) {
      if (typeof k !== 'number') {
        return { path: [], msg: `expected ${describe(node)}, got table with key ${keyText(k)}`, mismatch: false };
      }
    }
  }
  if (onStack(v, node, ctx)) return null;
  push(v, node, ctx);
  let f: Fail | null = null;
  const a = v.arr;
  for (let i = 0; i < a.length; i++) {
    f = check(a[i], node.elem, ctx);
    if (f !== null) {
      f.path.push(`[${i + 1}]`);
      break;
    }
  }
  pop();
  return f;
}

function keyText(k: unknown): string {
  return typeof k === 'string' ? literalText(k) : luaType(k);
}

function checkMap(v: unknown, node: TypeNode & { kind: 'map' }, ctx: Ctx): Fail | null {
  if (!(v instanceof LuaTable)) return fail(node, v);
  if (onStack(v, node, ctx)) return null;
  push(v, node, ctx);
  const f = checkEntries(v, node.key, node.value, ctx, null);
  pop();
  return f;
}

/** Check every entry of `t` against key/value types, skipping the names in `skip` (declared record fields). */
function checkEntries(t: LuaTable, key: TypeNode, value: TypeNode, ctx: Ctx, skip: Set<string> | null): Fail | null {
  const a = t.arr;
  for (let i = 0; i < a.length; i++) {
    if (a[i] === undefined) continue;
    let f = check(i + 1, key, ctx);
    if (f !== null) return { path: [`[${i + 1}]`], msg: `invalid key: ${formatFail(f)}`, mismatch: false };
    f = check(a[i], value, ctx);
    if (f !== null) { f.path.push(`[${i + 1}]`); return f; }
  }
  {
    for (const [k, x] of t.entries()) {
      if (skip !== null && typeof k === 'string' && skip.has(k)) continue;
      let f = check(k, key, ctx);
      if (f !== null) return { path: [keySeg(k)], msg: `invalid key: ${formatFail(f)}`, mismatch: false };
      f = check(x, value, ctx);
      if (f !== null) { f.path.push(keySeg(k)); return f; }
    }
  }
  return null;
}

const UNKNOWN_FIELD = Symbol('unknown');

/** A field of a table or object: raw get, then `__index` tables; UNKNOWN_FIELD behind a function `__index`. */
function fieldOf(v: unknown, name: string): unknown {
  for (let i = 0; i < 100; i++) {
    if (v instanceof LuaTable) {
      const x = v.getStr(name);
      if (x !== undefined) return x;
    }
    const h = metamethod(v, '__index');
    if (h === undefined) return undefined;
    if (typeof h === 'function') return UNKNOWN_FIELD;
    v = h;
  }
  return undefined;
}

function checkRecord(v: unknown, node: TypeNode & { kind: 'record' | 'interface' }, ctx: Ctx): Fail | null {
  const isInterface = node.kind === 'interface';
  if (!(v instanceof LuaTable) && !(isInterface && v instanceof LuaObject)) return fail(node, v);
  if (onStack(v, node, ctx)) return null;
  push(v, node, ctx);
  const f = checkFields(v, node, ctx);
  pop();
  return f;
}

function checkFields(v: unknown, node: TypeNode & { kind: 'record' | 'interface' }, ctx: Ctx): Fail | null {
  const fields = node.kind === 'interface' ? fieldsOf({ node, ctx })! : null;
  const count = fields ? fields.length : node.fields.length;
  for (let i = 0; i < count; i++) {
    const field = fields ? fields[i].field : node.fields[i];
    const fctx = fields ? fields[i].ctx : ctx;
    const x = fieldOf(v, field.name);
    if (x === UNKNOWN_FIELD) continue;
    if (x === undefined && field.optional) continue;
    const f = check(x, field.type, fctx);
    if (f !== null) {
      f.path.push(field.name);
      return f;
    }
  }
  if (node.indexer && v instanceof LuaTable) {
    const skip = new Set(node.fields.map((x) => x.name));
    return checkEntries(v, node.indexer.key, node.indexer.value, ctx, skip);
  }
  return null;
}

function checkAnnotations(v: unknown, anns: Annotation[]): Fail | null {
  for (const a of anns) {
    const msg = checkAnnotation(v, a);
    if (msg !== null) return { path: [], msg, mismatch: false };
  }
  return null;
}

function checkAnnotation(v: unknown, a: Annotation): string | null {
  const arg = a.args[0];
  switch (a.name) {
    case 'min':
      if (typeof v === 'number' && typeof arg === 'number' && !(v >= arg)) {
        return `value ${numberToString(v)} is less than minimum ${numberToString(arg)}`;
      }
      return null;
    case 'max':
      if (typeof v === 'number' && typeof arg === 'number' && !(v <= arg)) {
        return `value ${numberToString(v)} is greater than maximum ${numberToString(arg)}`;
      }
      return null;
    case 'min_len': case 'max_len': {
      const n = typeof v === 'string' ? v.length : v instanceof LuaTable ? v.length() : undefined;
      if (n === undefined || typeof arg !== 'number') return null;
      if (a.name === 'min_len' && n < arg) return `length ${n} is less than minimum length ${numberToString(arg)}`;
      if (a.name === 'max_len' && n > arg) return `length ${n} is greater than maximum length ${numberToString(arg)}`;
      return null;
    }
    case 'pattern':
      if (typeof v === 'string' && typeof arg === 'string' && search(new MatchState(v, arg, true), 0, { end: 0 }) < 0) {
        return `value ${literalText(v)} does not match pattern ${literalText(arg)}`;
      }
      return null;
    default:
      return null; // unknown annotations are documentation
  }
}

// ---- subtyping and equality ----

type Pairs = Res[];

function seenPair(assumed: Pairs, a: Res, b: Res): boolean {
  for (let i = 0; i < assumed.length; i += 2) {
    const x = assumed[i], y = assumed[i + 1];
    if (x.node === a.node && x.ctx === a.ctx && y.node === b.node && y.ctx === b.ctx) return true;
  }
  return false;
}

function isTop(n: TypeNode): boolean {
  return n.kind === 'name' && (n.name === 'any' || n.name === 'unknown' || n.name === 'self');
}

function annKey(n: TypeNode): string {
  return n.annotations ? JSON.stringify(n.annotations) : '';
}

/** Structural subtyping: every value of `a` is a value of `b`. */
function isSub(a0: Res, b0: Res, assumed: Pairs): boolean {
  const a = deref(a0.node, a0.ctx), b = deref(b0.node, b0.ctx);
  // Validators of b must also hold for a (we only know that when a carries the same ones).
  const bAnn = annKey(b0.node) || annKey(b.node);
  if (bAnn !== '' && bAnn !== (annKey(a0.node) || annKey(a.node))) return false;
  const an = a.node, bn = b.node;
  if (isTop(bn)) return true;
  if (an.kind === 'name' && an.name === 'never') return true;
  if (seenPair(assumed, a, b)) return true;
  assumed.push(a, b);
  try {
    // Unions and optionals on the left: every alternative must fit.
    if (an.kind === 'union') return an.types.every((t) => isSub({ node: t, ctx: a.ctx }, b, assumed));
    if (an.kind === 'optional') {
      return isSub({ node: { kind: 'name', name: 'nil' }, ctx: EMPTY_CTX }, b, assumed)
        && isSub({ node: an.inner, ctx: a.ctx }, b, assumed);
    }
    if (bn.kind === 'union') return bn.types.some((t) => isSub(a, { node: t, ctx: b.ctx }, assumed));
    if (bn.kind === 'optional') {
      return (an.kind === 'name' && an.name === 'nil') || isSub(a, { node: bn.inner, ctx: b.ctx }, assumed);
    }
    if (bn.kind === 'intersection') return bn.types.every((t) => isSub(a, { node: t, ctx: b.ctx }, assumed));
    if (an.kind === 'intersection') {
      if (an.types.some((t) => isSub({ node: t, ctx: a.ctx }, b, assumed))) return true;
      if (bn.kind !== 'record' && bn.kind !== 'interface') return false;
    }
    if (isTop(an)) return false;
    switch (bn.kind) {
      case 'name':
        return primitiveSub(a, bn.name);
      case 'literal':
        return an.kind === 'literal' && an.value === bn.value;
      case 'array':
        return an.kind === 'array' && isSub({ node: an.elem, ctx: a.ctx }, { node: bn.elem, ctx: b.ctx }, assumed);
      case 'map':
        if (an.kind === 'map') {
          return isSub({ node: an.key, ctx: a.ctx }, { node: bn.key, ctx: b.ctx }, assumed)
            && isSub({ node: an.value, ctx: a.ctx }, { node: bn.value, ctx: b.ctx }, assumed);
        }
        if (an.kind === 'array') {
          return isSub({ node: { kind: 'name', name: 'integer' }, ctx: EMPTY_CTX }, { node: bn.key, ctx: b.ctx }, assumed)
            && isSub({ node: an.elem, ctx: a.ctx }, { node: bn.value, ctx: b.ctx }, assumed);
        }
        return false;
      case 'record':
      case 'interface': {
        const af = fieldsOf(a);
        const bf = fieldsOf(b);
        if (af === null || bf === null) return false;
        for (const f of bf) {
          const g = af.find((x) => x.field.name === f.field.name);
          if (g === undefined) {
            if (f.field.optional) continue;
            return false;
          }
          if (g.field.optional && !f.field.optional) return false;
          if (!isSub({ node: g.field.type, ctx: g.ctx }, { node: f.field.type, ctx: f.ctx }, assumed)) return false;
        }
        return true;
      }
      case 'function': {
        if (an.kind !== 'function') return false;
        return funcSub(an, a.ctx, bn, b.ctx, assumed);
      }
      case 'tuple': {
        if (an.kind !== 'tuple' || an.types.length !== bn.types.length) return false;
        return an.types.every((t, i) => isSub({ node: t, ctx: a.ctx }, { node: bn.types[i], ctx: b.ctx }, assumed));
      }
      default:
        return false;
    }
  } finally {
    assumed.length -= 2;
  }
}

function funcSub(a: FunctionType, actx: Ctx, b: FunctionType, bctx: Ctx, assumed: Pairs): boolean {
  // Parameters are contravariant, results covariant.
  for (let i = 0; i < b.params.length; i++) {
    const ap = i < a.params.length ? a.params[i].type : a.variadic;
    if (ap === undefined) continue; // a ignores the extra argument
    if (!isSub({ node: b.params[i].type, ctx: bctx }, { node: ap, ctx: actx }, assumed)) return false;
  }
  for (let i = b.params.length; i < a.params.length; i++) {
    if (!a.params[i].optional && !isSub({ node: { kind: 'name', name: 'nil' }, ctx: EMPTY_CTX }, { node: a.params[i].type, ctx: actx }, assumed)) return false;
  }
  return isSub({ node: a.returns, ctx: actx }, { node: b.returns, ctx: bctx }, assumed);
}

/** Is the structural type `a` a subtype of the primitive `name`? */
function primitiveSub(a: Res, name: string): boolean {
  const n = a.node;
  if (n.kind === 'name') {
    if (n.name === name) return true;
    return n.name === 'integer' && name === 'number';
  }
  if (n.kind === 'literal') {
    if (typeof n.value === 'string') return name === 'string';
    if (typeof n.value === 'boolean') return name === 'boolean';
    return name === 'number' || (name === 'integer' && Number.isInteger(n.value));
  }
  if (name === 'table') return n.kind === 'record' || n.kind === 'array' || n.kind === 'map' || n.kind === 'interface';
  if (name === 'function') return n.kind === 'function';
  return false;
}

/** Structural equality (aliases are transparent; unions compare as sets). */
function typeEq(a0: Res, b0: Res, assumed: Pairs): boolean {
  const a = deref(a0.node, a0.ctx), b = deref(b0.node, b0.ctx);
  if ((annKey(a0.node) || annKey(a.node)) !== (annKey(b0.node) || annKey(b.node))) return false;
  const an = a.node, bn = b.node;
  if (an.kind !== bn.kind) return false;
  if (seenPair(assumed, a, b)) return true;
  assumed.push(a, b);
  const eq = (x: TypeNode, xc: Ctx, y: TypeNode, yc: Ctx) => typeEq({ node: x, ctx: xc }, { node: y, ctx: yc }, assumed);
  try {
    switch (an.kind) {
      case 'name': return an.name === (bn as typeof an).name;
      case 'literal': return an.value === (bn as typeof an).value;
      case 'optional': return eq(an.inner, a.ctx, (bn as typeof an).inner, b.ctx);
      case 'union': case 'intersection': case 'tuple': {
        const bt = (bn as typeof an).types;
        if (an.kind === 'tuple') return an.types.length === bt.length && an.types.every((t, i) => eq(t, a.ctx, bt[i], b.ctx));
        return an.types.every((t) => bt.some((u) => eq(t, a.ctx, u, b.ctx)))
          && bt.every((u) => an.types.some((t) => eq(t, a.ctx, u, b.ctx)));
      }
      case 'array': return eq(an.elem, a.ctx, (bn as typeof an).elem, b.ctx);
      case 'map': {
        const m = bn as typeof an;
        return eq(an.key, a.ctx, m.key, b.ctx) && eq(an.value, a.ctx, m.value, b.ctx);
      }
      case 'record': case 'interface': {
        const af = fieldsOf(a)!, bf = fieldsOf(b)!;
        if (af.length !== bf.length) return false;
        const ai = (an as { indexer?: { key: TypeNode; value: TypeNode } }).indexer;
        const bi = (bn as { indexer?: { key: TypeNode; value: TypeNode } }).indexer;
        if (!ai !== !bi) return false;
        if (ai && bi && !(eq(ai.key, a.ctx, bi.key, b.ctx) && eq(ai.value, a.ctx, bi.value, b.ctx))) return false;
        return af.every((f) => {
          const g = bf.find((x) => x.field.name === f.field.name);
          return g !== undefined && !!g.field.optional === !!f.field.optional && eq(f.field.type, f.ctx, g.field.type, g.ctx);
        });
      }
      case 'function': {
        const m = bn as typeof an;
        if (an.params.length !== m.params.length || !an.variadic !== !m.variadic) return false;
        if (!an.params.every((p, i) => eq(p.type, a.ctx, m.params[i].type, b.ctx))) return false;
        if (an.variadic && !eq(an.variadic, a.ctx, m.variadic!, b.ctx)) return false;
        return eq(an.returns, a.ctx, m.returns, b.ctx);
      }
      case 'asserts': {
        const m = bn as typeof an;
        return an.param === m.param && (!an.type === !m.type) && (!an.type || eq(an.type, a.ctx, m.type!, b.ctx));
      }
      default:
        return false;
    }
  } finally {
    assumed.length -= 2;
  }
}

// ---- printing ----

function literalText(v: string | number | boolean): string {
  if (typeof v === 'string') return '"' + v.replace(/[\\"]/g, (c) => '\\' + c).replace(/\n/g, '\\n') + '"';
  if (typeof v === 'number') return numberToString(v);
  return v ? 'true' : 'false';
}

function annText(anns: Annotation[] | undefined): string {
  if (!anns) return '';
  let s = '';
  for (const a of anns) {
    s += ` @${a.name}`;
    if (a.args.length) s += `(${a.args.map((x) => (x === null ? 'nil' : literalText(x))).join(', ')})`;
  }
  return s;
}

/**
 * The text of a type. `top` expands the node itself (tostring of a declared type shows its structure); names
 * inside are shown as written.
 */
function describe(node: TypeNode): string {
  return show(node, 0);
  function show(n: TypeNode, prec: number): string {
    const s = body(n, prec);
    const ann = annText(n.annotations);
    return ann ? (prec > 0 ? `(${s}${ann})` : s + ann) : s;
  }
  // prec: 0 top level, 1 inside union/intersection, 2 operand of a postfix (`?`, `[]`)
  function body(n: TypeNode, prec: number): string {
    switch (n.kind) {
      case 'name': return n.name + (n.args ? `<${n.args.map((x) => show(x, 0)).join(', ')}>` : '');
      case 'literal': return literalText(n.value);
      case 'optional': return show(n.inner, 2) + '?';
      case 'union': case 'intersection': {
        const s = n.types.map((t) => show(t, 1)).join(n.kind === 'union' ? ' | ' : ' & ');
        return prec > 0 ? `(${s})` : s;
      }
      case 'array': return `{${show(n.elem, 0)}}`;
      case 'map': return `{[${show(n.key, 0)}]: ${show(n.value, 0)}}`;
      case 'record': case 'interface': {
        const parts = n.fields.map(fieldText);
        if (n.indexer) parts.push(`[${show(n.indexer.key, 0)}]: ${show(n.indexer.value, 0)}`);
        const rec = `{${parts.join(', ')}}`;
        if (n.kind === 'interface') {
          const ext = n.extends.length ? ` : ${n.extends.map((x) => show(x, 0)).join(', ')}` : '';
          return `interface${ext} ${rec}`;
        }
        return rec;
      }
      case 'function': {
        const ps = n.params.map((p) => (p.name ? `${p.name}${p.optional ? '?' : ''}: ` : '') + show(p.type, 0));
        if (n.variadic) ps.push(`...: ${show(n.variadic, 0)}`);
        const gen = n.generics ? `<${n.generics.join(', ')}>` : '';
        const ret = n.returns.kind === 'tuple' ? show(n.returns, 0) : show(n.returns, 1);
        const s = `${gen}(${ps.join(', ')}) -> ${ret}`;
        return prec > 0 ? `(${s})` : s;
      }
      case 'tuple': return `(${n.types.map((t) => show(t, 0)).join(', ')})`;
      case 'typeof': return `typeof(${n.expr})`;
      case 'keyof': return `keyof(${show(n.inner, 0)})`;
      case 'index': return `${show(n.object, 2)}[${show(n.index, 0)}]`;
      case 'conditional': {
        const s = `${show(n.check, 1)} extends ${show(n.extends, 1)} ? ${show(n.then, 0)} : ${show(n.else, 0)}`;
        return prec > 0 ? `(${s})` : s;
      }
      case 'readonly': return `readonly ${show(n.inner, 2)}`;
      case 'asserts': return `asserts ${n.param}${n.type ? ` is ${show(n.type, 0)}` : ''}`;
    }
  }
  function fieldText(f: Field): string {
    if (f.method && f.type.kind === 'function') {
      return `${f.readonly ? 'readonly ' : ''}${f.name}: ${show(f.type, 0)}`;
    }
    return `${f.readonly ? 'readonly ' : ''}${f.name}${f.optional ? '?' : ''}: ${show(f.type, 0)}`;
  }
}

// ---- the metatable ----

function self(v: unknown, fname: string): TypeValue {
  if (v instanceof TypeValue) return v;
  throw typeError(`bad argument #1 to '${fname}' (type expected, got ${v === undefined ? 'no value' : luaType(v)})`);
}

function structural(t: TypeValue): Res {
  return deref(t.node, t.ctx);
}

function kindOf(t: TypeValue): string {
  const r = structural(t);
  const n = r.node;
  if (n.kind === 'name') return n.name === 'self' ? 'any' : n.name;
  return n.kind;
}

function toTable(list: TypeValue[]): LuaTable {
  return LuaTable.from(list);
}

const METHODS = new LuaTable();

METHODS.setStr('is', (t: unknown, v: unknown) => {
  const msg = self(t, 'is').validate(v);
  return msg === null ? ret2(v, undefined) : ret2(undefined, msg);
});

METHODS.setStr('kind', (t: unknown) => ret1(kindOf(self(t, 'kind'))));

METHODS.setStr('name', (t: unknown) => {
  const tv = self(t, 'name');
  if (tv.tname !== undefined) return ret1(tv.tname);
  const n = tv.node;
  return ret1(n.kind === 'name' ? describe(n) : undefined);
});

METHODS.setStr('fields', (t: unknown) => {
  const tv = self(t, 'fields');
  const fs = fieldsOf(structural(tv)) ?? [];
  let i = 0;
  const iter = () => {
    if (i >= fs.length) return ret1(undefined);
    const f = fs[i++];
    return ret2(f.field.name, wrap(fieldType(f.field), f.ctx));
  };
  return ret1(iter);
});

const optionalOf = new WeakMap<Field, TypeNode>();

/** The type a field holds: optional fields also admit nil. */
function fieldType(f: Field): TypeNode {
  if (!f.optional || f.type.kind === 'optional') return f.type;
  let t = optionalOf.get(f);
  if (t === undefined) optionalOf.set(f, (t = { kind: 'optional', inner: f.type }));
  return t;
}

METHODS.setStr('elem', (t: unknown) => {
  const r = structural(self(t, 'elem'));
  return ret1(r.node.kind === 'array' ? wrap(r.node.elem, r.ctx) : undefined);
});

function indexer(r: Res): { key: TypeNode; value: TypeNode } | undefined {
  const n = r.node;
  if (n.kind === 'map') return n;
  if (n.kind === 'record' || n.kind === 'interface') return n.indexer;
  return undefined;
}

METHODS.setStr('key', (t: unknown) => {
  const r = structural(self(t, 'key'));
  const ix = indexer(r);
  return ret1(ix ? wrap(ix.key, r.ctx) : undefined);
});

METHODS.setStr('val', (t: unknown) => {
  const r = structural(self(t, 'val'));
  const ix = indexer(r);
  return ret1(ix ? wrap(ix.value, r.ctx) : undefined);
});

METHODS.setStr('inner', (t: unknown) => {
  const tv = self(t, 'inner');
  if (tv.node.kind === 'readonly') return ret1(wrap(tv.node.inner, tv.ctx));
  const r = structural(tv);
  return ret1(r.node.kind === 'optional' ? wrap(r.node.inner, r.ctx) : undefined);
});

METHODS.setStr('variants', (t: unknown) => {
  const r = structural(self(t, 'variants'));
  const n = r.node;
  if (n.kind === 'union' || n.kind === 'intersection') return ret1(toTable(n.types.map((x) => wrap(x, r.ctx))));
  if (n.kind === 'optional') return ret1(toTable([wrap(n.inner, r.ctx), primitiveType('nil')]));
  return ret1(undefined);
});

METHODS.setStr('params', (t: unknown) => {
  const r = structural(self(t, 'params'));
  const n = r.node;
  if (n.kind !== 'function') return ret1(undefined);
  const ps = n.params.map((p) => wrap(p.type, r.ctx));
  return ret1(toTable(ps));
});

METHODS.setStr('ret', (t: unknown) => {
  const r = structural(self(t, 'ret'));
  const n = r.node;
  if (n.kind !== 'function') return ret1(undefined);
  if (n.returns.kind === 'tuple' && n.returns.types.length === 0) return ret0();
  return ret1(wrap(n.returns, r.ctx));
});

const TYPE_META = new LuaTable();

TYPE_META.setStr('__name', 'type');

TYPE_META.setStr('__index', (t: unknown, k: unknown) => {
  if (typeof k !== 'string') return ret1(undefined);
  const m = METHODS.getStr(k);
  if (m !== undefined) return ret1(m);
  const tv = t as TypeValue;
  const fs = fieldsOf(structural(tv));
  if (fs === null) return ret1(undefined);
  for (const f of fs) if (f.field.name === k) return ret1(wrap(fieldType(f.field), f.ctx));
  return ret1(undefined);
});

TYPE_META.setStr('__call', (t: unknown, v: unknown) => {
  const msg = self(t, 'call').validate(v);
  if (msg !== null) throw typeError(msg);
  return ret1(v);
});

TYPE_META.setStr('__tostring', (t: unknown) => ret1(self(t, 'tostring').toString()));

TYPE_META.setStr('__eq', (a: unknown, b: unknown) => {
  if (!(a instanceof TypeValue) || !(b instanceof TypeValue)) return ret1(false);
  return ret1(a === b || typeEq({ node: a.node, ctx: a.ctx }, { node: b.node, ctx: b.ctx }, []));
});

TYPE_META.setStr('__le', (a: unknown, b: unknown) => ret1(subtype(a, b)));

TYPE_META.setStr('__lt', (a: unknown, b: unknown) => ret1(subtype(a, b) && !subtype(b, a)));

function subtype(a: unknown, b: unknown): boolean {
  if (!(a instanceof TypeValue) || !(b instanceof TypeValue)) {
    const ta = luaType(a), tb = luaType(b);
    throw typeError(ta === tb ? `attempt to compare two ${ta} values` : `attempt to compare ${ta} with ${tb}`);
  }
  return isSub({ node: a.node, ctx: a.ctx }, { node: b.node, ctx: b.ctx }, []);
}

/** `a <= b` on type values (exported for the static checker and tests). */
export function isSubtype(a: TypeValue, b: TypeValue): boolean {
  return subtype(a, b);
}

/** Structural equality of type values. */
export function typeEquals(a: TypeValue, b: TypeValue): boolean {
  return a === b || typeEq({ node: a.node, ctx: a.ctx }, { node: b.node, ctx: b.ctx }, []);
}
