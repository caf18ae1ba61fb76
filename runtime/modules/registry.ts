// The `registry` module (spec §7): entry lookup and the finder, snapshots, changesets and version history over
// the app's RegistryStore (runtime/app/registry-store.ts, where the filter semantics are described).
// Entries handed to Lua are fresh tables; permissions (registry.get, registry.apply, …) are not modelled yet.

import { LuaTable } from '../lua/table.js';
import { LuaUserdata } from '../lua/value.js';
import { ret1, ret2 } from '../lua/ret.js';
import { argError, checkString, typeError } from '../lua/lib/args.js';
import { KINDS, newError } from '../lua/lib/errors.js';
import { moduleTable, objectClass, hostObject, toLua, fromLua, toBytes, fromBytes, type ModuleDef } from './module.js';
import { parseId, type RegistryEntry } from '../app/registry-data.js';
import {
  RegistryStore, RegistryVersion, RegistryError, buildDelta, type RegistryOp,
} from '../app/registry-store.js';

// ---- conversions ----

function entryToLua(e: RegistryEntry | { id: string }): LuaTable {
  const t = new LuaTable();
  t.setStr('id', toBytes(e.id));
  if ('kind' in e) {
    t.setStr('kind', toBytes(e.kind));
    t.setStr('meta', toLua(e.meta));
    t.setStr('data', toLua(e.data));
  }
  return t;
}

function listToLua(es: readonly RegistryEntry[]): LuaTable {
  return LuaTable.adopt(es.map(entryToLua));
}

function opsToLua(ops: readonly RegistryOp[]): LuaTable {
  return LuaTable.adopt(ops.map((op) => {
    const t = new LuaTable();
    t.setStr('kind', op.kind);
    t.setStr('entry', entryToLua(op.entry));
    return t;
  }));
}

const ENTRY_KEYS = new Set(['id', 'ns', 'namespace', 'name', 'kind', 'meta', 'data']);

/** An ID given as `"ns:name"`, as `{ns, name}`, or (inside an entry table) as `ns`/`name` fields. */
function idOf(v: unknown, fname: string, argi: number): string {
  if (typeof v === 'string') return fromBytes(v);
  if (v instanceof LuaTable) {
    const id = v.getStr('id');
    if (typeof id === 'string' || id instanceof LuaTable) return idOf(id, fname, argi);
    const ns = v.getStr('ns') ?? v.getStr('namespace') ?? '';
    const name = v.getStr('name') ?? '';
    if (typeof ns !== 'string' || typeof name !== 'string') throw argError(argi, fname, 'ns and name must be strings');
    return `${fromBytes(ns)}:${fromBytes(name)}`;
  }
  throw argError(argi, fname, 'entry ID expected (string or {ns, name})');
}

/**
 * A Lua entry table → data. Shape `{id, kind, meta, data}`; as in definition files (spec §1.2), without a
 * `data` key every other key is the payload. Missing parts are left for apply() to refuse.
 */
function entryFromLua(v: unknown, fname: string, argi: number): RegistryEntry {
  if (!(v instanceof LuaTable)) throw argError(argi, fname, 'entry table expected');
  const kind = v.getStr('kind') ?? '';
  if (typeof kind !== 'string') throw argError(argi, fname, 'entry kind must be a string');
  const meta = v.getStr('meta');
  if (meta !== undefined && !(meta instanceof LuaTable)) throw argError(argi, fname, 'entry meta must be a table');
  let data = v.getStr('data');
  if (data !== undefined && !(data instanceof LuaTable)) throw argError(argi, fname, 'entry data must be a table');
  if (data === undefined) {
    data = new LuaTable();
    for (const [k, x] of v.entries()) if (typeof k === 'string' && !ENTRY_KEYS.has(k)) (data as LuaTable).setStr(k, x);
  }
  return {
    id: idOf(v, fname, argi),
    kind: fromBytes(kind),
    meta: meta === undefined ? {} : asRecord(fromLua(meta)),
    data: asRecord(fromLua(data)),
  };
}

/** An empty Lua table converts to {}; a list where a map belongs keeps its 1-based keys. */
function asRecord(v: unknown): Record<string, unknown> {
  if (Array.isArray(v)) return Object.fromEntries(v.map((x, i) => [String(i + 1), x]));
  return v as Record<string, unknown>;
}

function entriesFromLua(args: IArguments, argi: number, fname: string): RegistryEntry[] {
  const v = args[argi - 1];
  if (!(v instanceof LuaTable)) throw typeError(args, argi, fname, 'table');
  return v.arr.map((e) => entryFromLua(e, fname, argi));
}

/** A filter table → JS data; nil is the empty filter (everything). */
function filterFromLua(args: IArguments, argi: number, fname: string): Record<string, unknown> {
  const v = args[argi - 1];
  if (v === undefined) return {};
  if (!(v instanceof LuaTable)) throw typeError(args, argi, fname, 'table');
  if (v.arr.length > 0) throw new RegistryError('Invalid', 'filter keys must be strings');
  const f: Record<string, unknown> = {};
  for (const [k, x] of v.entries()) {
    if (typeof k !== 'string') throw new RegistryError('Invalid', 'filter keys must be strings');
    f[fromBytes(k)] = fromLua(x);
  }
  return f;
}

/** Run `f`, turning a RegistryError into the `nil, err` result. */
function attempt(f: () => unknown): unknown {
  try {
    return ret2(f(), undefined);
  } catch (e) {
    if (e instanceof RegistryError) return ret2(undefined, newError(e.message, e.kind));
    throw e;
  }
}

// ---- host objects ----

interface VersionRef { store: RegistryStore; v: RegistryVersion }
interface SnapshotRef { store: RegistryStore; v: RegistryVersion }
interface ChangesRef { store: RegistryStore; ops: RegistryOp[] }

function selfOf<T>(args: IArguments, mt: LuaTable, typeName: string, fname: string): T {
  const s = args[0];
  if (s instanceof LuaUserdata && s.mt === mt) return s.data as T;
  throw typeError(args, 1, fname, typeName);
}

/** A version argument: a Version object or its numeric ID. */
function versionId(args: IArguments, i: number, fname: string): number {
  const v = args[i - 1];
  if (typeof v === 'number') return v;
  if (v instanceof LuaUserdata && v.mt === VersionMT) return (v.data as VersionRef).v.id;
  throw typeError(args, i, fname, 'registry.Version or integer');
}

function versionAt(store: RegistryStore, id: number): RegistryVersion {
  const v = store.version(id);
  if (v === undefined) throw new RegistryError('NotFound', `version ${id} not found`);
  return v;
}

const newVersion = (store: RegistryStore, v: RegistryVersion | undefined) => (v === undefined ? undefined : hostObject<VersionRef>({ store, v }, VersionMT));
const newSnapshot = (store: RegistryStore, v: RegistryVersion) => hostObject<SnapshotRef>({ store, v }, SnapshotMT);

const V = (args: IArguments, fname: string) => selfOf<VersionRef>(args, VersionMT, 'registry.Version', fname);
const VersionMT: LuaTable = objectClass('registry.Version', {
  id(_s: unknown) { return ret1(V(arguments, 'id').v.id); },
  string(_s: unknown) { return ret1(String(V(arguments, 'string').v.id)); },
  previous(_s: unknown) {
    const { store, v } = V(arguments, 'previous');
    return ret1(newVersion(store, v.previous === undefined ? undefined : store.version(v.previous)));
  },
  next(_s: unknown) {
    const { store, v } = V(arguments, 'next');
    return ret1(newVersion(store, store.next(v.id)));
  },
}, {
  __tostring: (s: unknown) => ret1(s instanceof LuaUserdata && s.mt === VersionMT ? String((s.data as VersionRef).v.id) : '?'),
  __eq: (a: unknown, b: unknown) => ret1(a instanceof LuaUserdata && b instanceof LuaUserdata && a.mt === b.mt
    && (a.data as VersionRef).store === (b.data as VersionRef).store && (a.data as VersionRef).v.id === (b.data as VersionRef).v.id),
});

const S = (args: IArguments, fname: string) => selfOf<SnapshotRef>(args, SnapshotMT, 'registry.Snapshot', fname);
const SnapshotMT: LuaTable = objectClass('registry.Snapshot', {
  entries(_s: unknown) { return ret1(listToLua(S(arguments, 'entries').v.entries())); },
  get(_s: unknown, _id: unknown) {
    const { v } = S(arguments, 'get');
    return getEntry(v, fromBytes(checkString(arguments, 2, 'get')));
  },
  find(_s: unknown, _filter: unknown) {
    const { v } = S(arguments, 'find');
    const args = arguments;
    return attempt(() => listToLua(v.find(filterFromLua(args, 2, 'find'))));
  },
  namespace(_s: unknown, _ns: unknown) {
    const { v } = S(arguments, 'namespace');
    return ret1(listToLua(v.namespace(fromBytes(checkString(arguments, 2, 'namespace')))));
  },
  version(_s: unknown) {
    const { store, v } = S(arguments, 'version');
    return ret1(newVersion(store, v));
  },
  changes(_s: unknown) {
    return ret1(hostObject<ChangesRef>({ store: S(arguments, 'changes').store, ops: [] }, ChangesMT));
  },
});

const C = (args: IArguments, fname: string) => selfOf<ChangesRef>(args, ChangesMT, 'registry.Changes', fname);
const ChangesMT: LuaTable = objectClass('registry.Changes', {
  create(self: unknown, e: unknown) {
    C(arguments, 'create').ops.push({ kind: 'entry.create', entry: entryFromLua(e, 'create', 2) });
    return ret1(self);
  },
  update(self: unknown, e: unknown) {
    C(arguments, 'update').ops.push({ kind: 'entry.update', entry: entryFromLua(e, 'update', 2) });
    return ret1(self);
  },
  delete(self: unknown, id: unknown) {
    C(arguments, 'delete').ops.push({ kind: 'entry.delete', entry: { id: idOf(id, 'delete', 2) } });
    return ret1(self);
  },
  ops(_s: unknown) { return ret1(opsToLua(C(arguments, 'ops').ops)); },
  apply(_s: unknown) {
    const { store, ops } = C(arguments, 'apply');
    return attempt(() => newVersion(store, store.apply(ops)));
  },
});

const H = (args: IArguments, fname: string) => selfOf<RegistryStore>(args, HistoryMT, 'registry.History', fname);
const HistoryMT: LuaTable = objectClass('registry.History', {
  versions(_s: unknown) {
    const store = H(arguments, 'versions');
    return ret1(LuaTable.adopt(store.allVersions().map((v) => newVersion(store, v))));
  },
  get_version(_s: unknown, _n: unknown) {
    const store = H(arguments, 'get_version');
    const id = versionId(arguments, 2, 'get_version');
    return attempt(() => newVersion(store, versionAt(store, id)));
  },
  snapshot_at(_s: unknown, _v: unknown) {
    const store = H(arguments, 'snapshot_at');
    const id = versionId(arguments, 2, 'snapshot_at');
    return attempt(() => newSnapshot(store, versionAt(store, id)));
  },
});

function getEntry(v: RegistryVersion, id: string): unknown {
  const e = v.get(id);
  return e === undefined ? ret2(undefined, newError(`entry "${id}" not found`, KINDS.NOT_FOUND)) : ret2(entryToLua(e), undefined);
}

// ---- the module ----

export const registryModule: ModuleDef = {
  name: 'registry',
  open(ctx) {
    const store = RegistryStore.of(ctx.registry);
    return moduleTable('registry', {
      get(_id: unknown) {
        return getEntry(store.current(), fromBytes(checkString(arguments, 1, 'get')));
      },
      find(_filter: unknown) {
        const args = arguments;
        return attempt(() => listToLua(store.current().find(filterFromLua(args, 1, 'find'))));
      },
      parse_id(_s: unknown) {
        const { ns, name } = parseId(fromBytes(checkString(arguments, 1, 'parse_id')));
        const t = new LuaTable();
        t.setStr('ns', toBytes(ns));
        t.setStr('name', toBytes(name));
        return ret1(t);
      },
      snapshot() {
        return ret2(newSnapshot(store, store.current()), undefined);
      },
      snapshot_at(_v: unknown) {
        const id = versionId(arguments, 1, 'snapshot_at');
        return attempt(() => newSnapshot(store, versionAt(store, id)));
      },
      current_version() {
        return ret2(newVersion(store, store.current()), undefined);
      },
      versions() {
        return ret2(LuaTable.adopt(store.allVersions().map((v) => newVersion(store, v))), undefined);
      },
      history() {
        return ret2(hostObject(store, HistoryMT), undefined);
      },
      apply_version(_v: unknown) {
        const id = versionId(arguments, 1, 'apply_version');
        return attempt(() => (store.applyVersion(id), true));
      },
      build_delta(_from: unknown, _to: unknown) {
        const a = entriesFromLua(arguments, 1, 'build_delta');
        const b = entriesFromLua(arguments, 2, 'build_delta');
        return ret2(opsToLua(buildDelta(a, b)), undefined);
      },
    });
  },
};
