// The registry at run time (spec §7): immutable versions of the entry set built from RegistryData, changesets
// validated and committed as new versions, rollback/forward between versions, and the finder that filters
// entries. Plain JS data only; runtime/modules/registry.ts is the Lua face of it.
//
// Finder decisions (spec §7, §10.4). Criteria are AND-ed. `.kind`/`.ns`/`.name`/`.id` (and `.namespace`) match
// exactly or as a glob where `*` is any run of characters. `meta.a.b` compares a (nested) meta value: scalars by
// value, an array meta value contains the expected scalar or every element of an expected list, an expected
// map matches when each of its keys matches. `~meta.f` is an RE2 search, `*meta.f` a substring (also of any
// string in an array), `^meta.f` a prefix, `$meta.f` a suffix; these look at string values only.
// UNPREFIXED KEYS: Wippy's runtime ignores them (so such filters match everything), its docs say they work; we
// implement the documented meaning: `kind`, `ns`/`namespace`, `name`, `id` are the root fields (as with a dot),
// `meta = {k = v, ...}` means `meta.k = v` for each key, and any other plain key `k` means `meta.k`. An unknown
// dotted root field or an operator prefix not followed by `meta.` is an INVALID filter instead of a no-op.

import { parseId, type RegistryData, type RegistryEntry } from './registry-data.js';
import { createRequire } from 'node:module';

export type OpKind = 'entry.create' | 'entry.update' | 'entry.delete';

/** One change; a delete may name only the ID. */
export interface RegistryOp {
  kind: OpKind;
  entry: RegistryEntry | { id: string };
}

/** A refused lookup, filter or changeset; `kind` is the Wippy error kind (spec §6.1). */
export class RegistryError extends Error {
  constructor(readonly kind: 'Invalid' | 'NotFound' | 'AlreadyExists', message: string) {
    super(message);
  }
}

// ---- entries as frozen data ----

function deepFreeze<T>(v: T): T {
  if (v !== null && typeof v === 'object' && !Object.isFrozen(v)) {
    Object.freeze(v);
    for (const x of Object.values(v)) deepFreeze(x);
  }
  return v;
}

/** A private, frozen copy of an entry, so neither the caller nor anyone else can change a version. */
export function freezeEntry(e: RegistryEntry): RegistryEntry {
  return deepFreeze(structuredClone({ id: e.id, kind: e.kind, meta: e.meta ?? {}, data: e.data ?? {} }));
}

const byId = (a: RegistryEntry, b: RegistryEntry): number => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** Structural equality of JSON-like data (numbers by value). */
export function dataEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((x, i) => dataEqual(x, b[i]));
  if (isObject(a) && isObject(b)) {
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => k in b && dataEqual(a[k], b[k]));
  }
  return false;
}

// ---- the finder ----

type Test = (e: RegistryEntry) => boolean;


const ROOT_FIELDS: Record<string, (e: RegistryEntry) => string> = {
  kind: (e) => e.kind,
  ns: (e) => parseId(e.id).ns,
  namespace: (e) => parseId(e.id).ns,
  name: (e) => parseId(e.id).name,
  id: (e) => e.id,
};

/** Exact match, or a glob whose `*` matches any run of characters. */
function globMatcher(pattern: string): (s: string) => boolean {
  const parts = pattern.split('*');
  if (parts.length === 1) return (s) => s === pattern;
  const first = parts[0], last = parts[parts.length - 1], mid = parts.slice(1, -1);
  return (s) => {
    if (s.length < first.length + last.length || !s.startsWith(first) || !s.endsWith(last)) return false;
    let at = first.length;
    const end = s.length - last.length;
    for (const m of mid) {
      const i = s.indexOf(m, at);
      if (i < 0 || i + m.length > end) return false;
      at = i + m.length;
    }
    return true;
  };
}

/**
 * A meta value by dotted path. A key that itself contains dots (`meta["http.method"]`) wins over descending,
 * then shorter heads are tried first.
 */
export function metaPath(obj: unknown, path: string): unknown {
  if (!isObject(obj)) return undefined;
  if (Object.hasOwn(obj, path)) return obj[path];
  for (let i = path.indexOf('.'); i >= 0; i = path.indexOf('.', i + 1)) {
    const head = path.slice(0, i);
    if (Object.hasOwn(obj, head)) {
      const v = metaPath(obj[head], path.slice(i + 1));
      if (v !== undefined) return v;
    }
  }
  return undefined;
}

/** `meta.x = expected`: see the header for arrays and maps. */
export function metaMatches(actual: unknown, expected: unknown): boolean {
  if (actual === undefined || actual === null) return false;
  // An empty Lua table arrives as {} and stands for an empty list too.
  if (isObject(expected) && Object.keys(expected).length === 0 && Array.isArray(actual)) return true;
  if (Array.isArray(actual)) {
    if (Array.isArray(expected)) return expected.every((x) => actual.some((a) => metaMatches(a, x)));
    return actual.some((a) => metaMatches(a, expected));
  }
  if (isObject(expected)) return isObject(actual) && Object.entries(expected).every(([k, x]) => metaMatches(actual[k], x));
  if (Array.isArray(expected)) return false;
  return actual === expected;
}

let re2: typeof import('re2js').RE2JS | undefined;

/** RE2 (Go regexp) search, loaded on first use. */
function regexTest(pattern: string): (s: string) => boolean {
  re2 ??= (createRequire(import.meta.url)('re2js') as typeof import('re2js')).RE2JS;
  try {
    const r = re2.compile(pattern);
    return (s) => r.test(s);
  } catch (e) {
    throw new RegistryError('Invalid', `invalid regexp in filter: ${(e as Error).message}`);
  }
}

const STRING_OPS: Record<string, (want: string) => (s: string) => boolean> = {
  '~': regexTest,
  '*': (w) => (s) => s.includes(w),
  '^': (w) => (s) => s.startsWith(w),
  '$': (w) => (s) => s.endsWith(w),
};

function scalarText(key: string, v: unknown): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  throw new RegistryError('Invalid', `filter "${key}" expects a string`);
}

function rootTest(key: string, field: string, want: unknown): Test {
  const get = ROOT_FIELDS[field];
  if (get === undefined) throw new RegistryError('Invalid', `unknown root field "${key}" in filter (use .kind, .ns, .name or .id)`);
  const match = globMatcher(scalarText(key, want));
  return (e) => match(get(e));
}

function opTest(key: string, want: unknown): Test {
  const op = key[0];
  if (!key.startsWith('meta.', 1)) throw new RegistryError('Invalid', `filter operator "${op}" must be followed by meta.<field> (got "${key}")`);
  const path = key.slice(6);
  const match = STRING_OPS[op](scalarText(key, want));
  // Substring also looks inside string arrays (spec §7); the other operators see strings only.
  return (e) => {
    const v = metaPath(e.meta, path);
    if (typeof v === 'string') return match(v);
    return op === '*' && Array.isArray(v) && v.some((x) => typeof x === 'string' && match(x));
  };
}

function metaTest(path: string, want: unknown): Test {
  return (e) => metaMatches(metaPath(e.meta, path), want);
}

function criterion(key: string, want: unknown): Test[] {
  if (key.startsWith('.')) return [rootTest(key, key.slice(1), want)];
  if (key.length > 0 && key[0] in STRING_OPS) return [opTest(key, want)];
  if (key.startsWith('meta.')) return [metaTest(key.slice(5), want)];
  if (key === 'meta' && isObject(want)) return Object.entries(want).map(([k, v]) => metaTest(k, v));
  if (key in ROOT_FIELDS) return [rootTest(key, key, want)];
  return [metaTest(key, want)];
}

/** Canonical text of filter data (sorted keys): the cache key. */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (isObject(v)) return `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${canonical(v[k])}`).join(',')}}`;
  return JSON.stringify(v) ?? 'null';
}

/** Compile a filter (JS data: keys as in Lua) into one test; throws RegistryError for a malformed filter. */
export function compileFilter(filter: Record<string, unknown>): { test: Test } {
  const tests = Object.entries(filter).flatMap(([k, v]) => criterion(k, v));
  return { test: (e) => tests.every((t) => t(e)) };
}

// ---- versions ----

/** Most filters an app uses are fixed strings in its code; this bounds the ones built at run time. */
const FIND_CACHE_LIMIT = 256;

/** One immutable state of the registry. */
export class RegistryVersion {
  private sortedCache: readonly RegistryEntry[] | undefined;
  private readonly findCache = new Map<string, readonly RegistryEntry[]>();

  constructor(
    readonly id: number,
    /** The version this one was made from (undefined for the first). */
    readonly previous: number | undefined,
    private readonly byId: ReadonlyMap<string, RegistryEntry>,
  ) {}

  get(id: string): RegistryEntry | undefined {
    return this.byId.get(id);
  }

  has(id: string): boolean {
    return this.byId.has(id);
  }

  /** All entries, ordered by ID. */
  entries(): readonly RegistryEntry[] {
    return (this.sortedCache ??= [...this.byId.values()].sort(byId));
  }

  namespace(ns: string): RegistryEntry[] {
    return this.entries().filter((e) => parseId(e.id).ns === ns);
  }

  /** Entries matching `filter`, ordered by ID; results are cached per version (regexps compile on a miss only). */
  find(filter: Record<string, unknown>): readonly RegistryEntry[] {
    const key = canonical(filter);
    let r = this.findCache.get(key);
    if (r === undefined) {
      r = this.entries().filter(compileFilter(filter).test);
      if (this.findCache.size >= FIND_CACHE_LIMIT) this.findCache.clear();
      this.findCache.set(key, r);
    }
    return r;
  }

  /** The entry map, for building the next version. */
  copyMap(): Map<string, RegistryEntry> {
    return new Map(this.byId);
  }
}

const NON_SOURCE_LUA = new Set(['module.lua']);

/** The versioned registry of one app. */
export class RegistryStore {
  /**
   * Compiles a Lua entry's source (JS text) and returns an error message if it does not; installed by the CLI
   * because the runtime cannot import the compiler. Unset: Lua sources are not checked.
   */
  static validateLua?: (source: string, id: string) => string | undefined;

  private static readonly stores = new WeakMap<RegistryData, RegistryStore>();

  /** The one store of an app's registry data (every entry of the app sees the same versions). */
  static of(data: RegistryData | undefined): RegistryStore {
    if (data === undefined) return new RegistryStore({ entries: [] });
    let s = RegistryStore.stores.get(data);
    if (s === undefined) RegistryStore.stores.set(data, (s = new RegistryStore(data)));
    return s;
  }

  private readonly versions = new Map<number, RegistryVersion>();
  /** Versions made from each version, oldest first (history branches after a rollback). */
  private readonly children = new Map<number, number[]>();
  private currentId = 1;
  private lastId = 1;

  constructor(data: RegistryData) {
    const m = new Map<string, RegistryEntry>();
    for (const e of data.entries) m.set(e.id, freezeEntry(e));
    this.versions.set(1, new RegistryVersion(1, undefined, m));
  }

  current(): RegistryVersion {
    return this.versions.get(this.currentId)!;
  }

  version(id: number): RegistryVersion | undefined {
    return this.versions.get(id);
  }

  /** Every version ever made, oldest first. */
  allVersions(): RegistryVersion[] {
    return [...this.versions.values()];
  }

  /** The latest version made from `id`: the way forward again after a rollback. */
  next(id: number): RegistryVersion | undefined {
    const c = this.children.get(id);
    return c === undefined ? undefined : this.versions.get(c[c.length - 1]);
  }

  /** Validate `ops` against the current version and commit them as a new one (no ops: nothing changes). */
  apply(ops: readonly RegistryOp[]): RegistryVersion {
    const base = this.current();
    if (ops.length === 0) return base;
    const m = base.copyMap();
    for (const op of ops) applyOp(m, op);
    const v = new RegistryVersion(++this.lastId, base.id, m);
    this.versions.set(v.id, v);
    const c = this.children.get(base.id);
    if (c === undefined) this.children.set(base.id, [v.id]);
    else c.push(v.id);
    this.currentId = v.id;
    return v;
  }

  /** Make version `id` current again (rollback or forward); no new version is made. */
  applyVersion(id: number): RegistryVersion {
    const v = this.versions.get(id);
    if (v === undefined) throw new RegistryError('NotFound', `version ${id} not found`);
    this.currentId = id;
    return v;
  }
}

function applyOp(m: Map<string, RegistryEntry>, op: RegistryOp): void {
  const id = op.entry.id;
  if (op.kind === 'entry.delete') {
    if (!m.delete(id)) throw new RegistryError('NotFound', `cannot delete entry "${id}": not found`);
    return;
  }
  const e = op.entry as RegistryEntry;
  validateEntry(e);
  if (op.kind === 'entry.create' && m.has(id)) throw new RegistryError('AlreadyExists', `cannot create entry "${id}": already exists`);
  if (op.kind === 'entry.update' && !m.has(id)) throw new RegistryError('NotFound', `cannot update entry "${id}": not found`);
  m.set(id, freezeEntry(e));
}

/** Registration-time checks (spec §1.5, §8): identity, kind, and for Lua entries a source that compiles. */
function validateEntry(e: RegistryEntry): void {
  const { ns, name } = parseId(e.id);
  const bad = (why: string) => new RegistryError('Invalid', `invalid entry "${e.id}": ${why}`);
  if (ns === '') throw bad('namespace is required');
  if (name === '') throw bad('name is required');
  if (typeof e.kind !== 'string' || e.kind === '') throw bad('kind is required');
  if (!e.kind.endsWith('.lua') || NON_SOURCE_LUA.has(e.kind)) return;
  const source = e.data?.source;
  if (typeof source !== 'string' || source === '') throw bad('source is required');
  if (e.kind === 'function.lua' && (typeof e.data.method !== 'string' || e.data.method === '')) throw bad('method is required');
  const err = RegistryStore.validateLua?.(source, e.id);
  if (err !== undefined) throw bad(err);
}

/** The ops that turn entry set `from` into `to`: creates, updates, deletes, each ordered by ID. */
export function buildDelta(from: readonly RegistryEntry[], to: readonly RegistryEntry[]): RegistryOp[] {
  const before = new Map(from.map((e) => [e.id, e]));
  const after = new Map(to.map((e) => [e.id, e]));
  const ops: RegistryOp[] = [];
  const sorted = (m: Map<string, RegistryEntry>) => [...m.values()].sort(byId);
  for (const e of sorted(after)) if (!before.has(e.id)) ops.push({ kind: 'entry.create', entry: e });
  for (const e of sorted(after)) {
    const old = before.get(e.id);
    if (old !== undefined && !(old.kind === e.kind && dataEqual(old.meta, e.meta) && dataEqual(old.data, e.data))) ops.push({ kind: 'entry.update', entry: e });
  }
  for (const e of sorted(before)) if (!after.has(e.id)) ops.push({ kind: 'entry.delete', entry: e });
  return ops;
}
