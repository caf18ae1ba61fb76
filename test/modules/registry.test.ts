// The registry module (spec §7): get/find over the fixture app, every finder operator and root field, the
// unprefixed-key decision, snapshots, changesets and their validation, version history, build_delta.

import { afterEach, describe, expect, test } from 'vitest';
import { registryModule } from '../../runtime/modules/registry.js';
import { RegistryStore } from '../../runtime/app/registry-store.js';
import type { RegistryData } from '../../runtime/app/registry-data.js';
import { fromLua } from '../../runtime/modules/module.js';
import { runWithModules } from '../wippy-helpers.js';
import { registryFixture, FIXTURE_IDS } from './registry-fixture.js';

const PRELUDE = `
local function ids(list)
  local out = {}
  for i, e in ipairs(list) do out[i] = e.id end
  return table.concat(out, ",")
end
local function fail(err) return "ERR " .. err:kind() .. ": " .. err:message() end
`;

/** Run Lua with the registry module over `data` (a fresh fixture unless given; null: no registry). */
function run(src: string, data: RegistryData | null = registryFixture()): unknown[] {
  return runWithModules(PRELUDE + src, [registryModule], { registry: data ?? undefined }).results;
}

/** IDs that `registry.find(<filter>)` returns, comma-separated, or "ERR kind: message". */
function find(filter: string, data?: RegistryData): string {
  return run(`local r, err = registry.find(${filter}) if err then return fail(err) end return ids(r)`, data)[0] as string;
}

const LUA_OK = "{main = function() return 1 end}";

afterEach(() => {
  RegistryStore.validateLua = undefined;
});

describe('registry.get', () => {
  test('returns id, kind, meta and data of an entry, data converted to Lua', () => {
    const [e] = run('return registry.get("app.api:get_user")');
    expect(fromLua(e)).toEqual(registryFixture().entries.find((x) => x.id === 'app.api:get_user'));
    const r = run(`local e = registry.get("sys:config")
      return e.kind, e.data.debug, e.data.limits.burst[3], #e.data.limits.burst, e.meta.version`);
    expect(r).toEqual(['registry.entry', false, 3, 3, '1.4.2']);
  });

  test('a missing entry is nil plus a NotFound error', () => {
    expect(run('local e, err = registry.get("app:nope") return e, fail(err)')).toEqual([undefined, 'ERR NotFound: entry "app:nope" not found']);
  });

  test('returned tables are fresh copies: mutating them does not change the registry', () => {
    const r = run(`local e = registry.get("app.api:get_user")
      e.kind = "x"; e.meta.tags[1] = "changed"; e.data.source = ""
      local again = registry.get("app.api:get_user")
      return again.kind, again.meta.tags[1], #again.data.source > 0, rawequal(e, again)`);
    expect(r).toEqual(['function.lua', 'users', true, false]);
  });

  test('a non-string ID is an argument error', () => {
    expect(() => run('registry.get({})')).toThrow(/bad argument #1 to 'get' \(string expected, got table\)/);
  });
});

describe('registry.find: root fields and globs', () => {
  test('an empty or nil filter returns every entry ordered by ID', () => {
    expect(find('{}')).toBe(FIXTURE_IDS.join(','));
    expect(find('nil')).toBe(FIXTURE_IDS.join(','));
  });

  test('.kind, .ns, .name and .id match exactly', () => {
    expect(find('{[".kind"] = "process.lua"}')).toBe('app.workers:mailer');
    expect(find('{[".ns"] = "app.workers"}')).toBe('app.workers:mailer,app.workers:mailer.service');
    expect(find('{[".name"] = "router"}')).toBe('app.api:router');
    expect(find('{[".id"] = "lib:strings"}')).toBe('lib:strings');
    expect(find('{[".ns"] = "app.api"}')).toBe(FIXTURE_IDS.filter((id) => id.startsWith('app.api:')).join(','));
    expect(find('{[".ns"] = "app"}')).toBe('app:db,app:gateway,app:processes');
  });

  test('globs with one star: prefix "app.*", suffix "*.lua", infix "pre*suf"', () => {
    expect(find('{[".ns"] = "app.*"}')).toBe(FIXTURE_IDS.filter((id) => id.startsWith('app.')).join(','));
    expect(find('{[".kind"] = "*.lua"}')).toBe('app.api:create_order,app.api:get_user,app.api:list_orders,app.flows:checkout,app.workers:mailer,lib:strings,test.api:get_user_test');
    expect(find('{[".name"] = "get*endpoint"}')).toBe('app.api:get_user.endpoint');
    expect(find('{[".id"] = "app:*"}')).toBe('app:db,app:gateway,app:processes');
    expect(find('{[".kind"] = "http.*"}')).toBe('app.api:get_user.endpoint,app.api:list_orders.endpoint,app.api:router,app:gateway');
  });

  test('a glob must match the whole value (no partial matches)', () => {
    expect(find('{[".kind"] = "function"}')).toBe('');
    expect(find('{[".name"] = "get*"}')).toBe('app.api:get_user,app.api:get_user.endpoint,test.api:get_user_test');
    expect(find('{[".name"] = "*user"}')).toBe('app.api:get_user');
  });

  test('.namespace is a synonym of .ns; an unknown root field is an Invalid filter', () => {
    expect(find('{[".namespace"] = "lib"}')).toBe('lib:strings');
    expect(find('{[".owner"] = "x"}')).toBe('ERR Invalid: unknown root field ".owner" in filter (use .kind, .ns, .name or .id)');
  });
});

describe('registry.find: meta fields', () => {
  test('meta.x equality on strings and numbers', () => {
    expect(find('{["meta.type"] = "handler"}')).toBe('app.api:create_order,app.api:get_user,app.api:list_orders');
    expect(find('{["meta.priority"] = 2}')).toBe('app.api:get_user');
    expect(find('{["meta.priority"] = "2"}')).toBe('');
    expect(find('{["meta.type"] = "nope"}')).toBe('');
  });

  test('an array meta value contains an expected scalar', () => {
    expect(find('{["meta.tags"] = "orders"}')).toBe('app.api:create_order,app.api:list_orders,app.flows:checkout');
  });

  test('an expected list needs every element present in the array', () => {
    expect(find('{["meta.tags"] = {"orders", "read"}}')).toBe('app.api:list_orders');
    expect(find('{["meta.tags"] = {"api", "read"}}')).toBe('app.api:get_user,app.api:list_orders');
    expect(find('{["meta.tags"] = {"orders", "missing"}}')).toBe('');
    // A list never equals a scalar meta value.
    expect(find('{["meta.type"] = {"handler"}}')).toBe('');
  });

  test('nested meta paths, keys containing dots, and expected maps', () => {
    expect(find('{["meta.owner.team"] = "billing"}')).toBe('app.api:create_order,app.api:list_orders');
    expect(find('{["meta.http.method"] = "GET"}')).toBe('app.api:get_user.endpoint,app.api:list_orders.endpoint');
    expect(find('{["meta.owner"] = {team = "core"}}')).toBe('app.api:get_user');
    expect(find('{["meta.owner"] = {team = "billing", oncall = "bob"}}')).toBe('app.api:list_orders');
  });

  test('~meta.f is an RE2 search on strings', () => {
    expect(find('{["~meta.comment"] = "^(Fetch|List) "}')).toBe('app.api:get_user,app.api:list_orders');
    // POSIX classes are RE2 syntax that JS RegExp does not have.
    expect(find('{["~meta.comment"] = "[[:digit:]]{4}-release"}')).toBe('sys:config');
    expect(find('{["~meta.priority"] = "2"}')).toBe('');
    expect(find('{["~meta.comment"] = "(unclosed"}')).toMatch(/^ERR Invalid: invalid regexp in filter: .*missing closing \)/);
  });

  test('*meta.f is a substring, also of strings inside arrays', () => {
    expect(find('{["*meta.comment"] = "order"}')).toBe('app.api:create_order,app.api:list_orders');
    expect(find('{["*meta.tags"] = "ord"}')).toBe('app.api:create_order,app.api:list_orders,app.flows:checkout');
  });

  test('^meta.f is a prefix and $meta.f a suffix, of string values only', () => {
    expect(find('{["^meta.comment"] = "S"}')).toBe('app.workers:mailer,lib:strings');
    expect(find('{["$meta.comment"] = "user"}')).toBe('app.api:list_orders');
    expect(find('{["^meta.tags"] = "ord"}')).toBe('');
    expect(find('{["$meta.owner.oncall"] = "ol"}')).toBe('app.api:create_order');
  });

  test('non-ASCII text is compared as text and returned as UTF-8 bytes', () => {
    const data: RegistryData = { entries: [{ id: 'app:café', kind: 'registry.entry', meta: { comment: 'Crème brûlée' }, data: {} }] };
    const r = run(`local r = registry.find({["$meta.comment"] = "brûlée", ["~meta.comment"] = "^Cr.me "})
      return #r, r[1].id, #r[1].id, #registry.find({["~meta.comment"] = "^Cr..me"})`, data);
    expect(r).toEqual([1, 'app:caf\xc3\xa9', 9, 0]);
  });

  test('all criteria are AND-ed', () => {
    expect(find('{[".kind"] = "function.lua", ["meta.type"] = "handler", ["*meta.tags"] = "write"}')).toBe('app.api:create_order');
    expect(find('{[".ns"] = "app.*", ["meta.tags"] = "orders", [".kind"] = "workflow.lua"}')).toBe('app.flows:checkout');
    expect(find('{[".kind"] = "process.lua", ["meta.type"] = "handler"}')).toBe('');
  });

  test('an operator not followed by meta., a non-string operand or a list filter is Invalid', () => {
    expect(find('{["~type"] = "x"}')).toBe('ERR Invalid: filter operator "~" must be followed by meta.<field> (got "~type")');
    expect(find('{["^meta.comment"] = {}}')).toBe('ERR Invalid: filter "^meta.comment" expects a string');
    expect(find('{"function.lua"}')).toBe('ERR Invalid: filter keys must be strings');
    expect(() => find('"function.lua"')).toThrow(/bad argument #1 to 'find' \(table expected, got string\)/);
  });
});

describe('registry.find: unprefixed keys follow the documented meaning', () => {
  test('kind, ns, namespace, name and id act as root fields, globs included', () => {
    expect(find('{kind = "function.lua"}')).toBe(find('{[".kind"] = "function.lua"}'));
    expect(find('{kind = "function.lua"}')).toBe('app.api:create_order,app.api:get_user,app.api:list_orders,test.api:get_user_test');
    expect(find('{ns = "app.workers"}')).toBe('app.workers:mailer,app.workers:mailer.service');
    expect(find('{namespace = "lib"}')).toBe('lib:strings');
    expect(find('{name = "*.endpoint"}')).toBe('app.api:get_user.endpoint,app.api:list_orders.endpoint');
    expect(find('{id = "sys:*"}')).toBe('sys:config');
  });

  test('any other plain key is a meta field', () => {
    expect(find('{type = "test"}')).toBe('test.api:get_user_test');
    expect(find('{tags = "email"}')).toBe('app.workers:mailer');
  });

  test('a nested meta table means meta.<key> for each of its keys', () => {
    expect(find('{meta = {type = "handler", priority = 3}}')).toBe('app.api:create_order');
    expect(find('{kind = "function.lua", meta = {suite = "api"}}')).toBe('test.api:get_user_test');
  });
});

describe('registry.find: caching', () => {
  test('results are cached per version and a new version sees new entries', () => {
    const data = registryFixture();
    const store = RegistryStore.of(data);
    const first = store.current().find({ 'meta.type': 'handler' });
    expect(store.current().find({ 'meta.type': 'handler' })).toBe(first);
    const r = run(`local c = registry.snapshot():changes()
      c:create({id = "app.api:delete_order", kind = "function.lua", meta = {type = "handler"}, data = {source = "return ${LUA_OK}", method = "main"}})
      assert(c:apply())
      return ids(registry.find({["meta.type"] = "handler"}))`, data);
    expect(r[0]).toBe('app.api:create_order,app.api:delete_order,app.api:get_user,app.api:list_orders');
    expect(store.version(1)!.find({ 'meta.type': 'handler' })).toBe(first);
  });
});

describe('registry.parse_id', () => {
  test('splits on the first colon; without one the namespace is empty', () => {
    const r = run(`local a, b, c = registry.parse_id("app.api:get_user"), registry.parse_id("a:b:c"), registry.parse_id("plain")
      return a.ns, a.name, b.ns, b.name, c.ns, c.name`);
    expect(r).toEqual(['app.api', 'get_user', 'a', 'b:c', '', 'plain']);
  });
});

describe('snapshots', () => {
  test('entries, get, find, namespace and version of a snapshot', () => {
    const r = run(`local s, err = registry.snapshot()
      assert(err == nil)
      local missing, e2 = s:get("app:none")
      return ids(s:entries()), s:get("lib:strings").kind, ids(s:find({[".kind"] = "http.endpoint"})),
        ids(s:namespace("app.workers")), ids(s:namespace("none")), s:version():id(), missing, fail(e2)`);
    expect(r).toEqual([
      FIXTURE_IDS.join(','), 'library.lua', 'app.api:get_user.endpoint,app.api:list_orders.endpoint',
      'app.workers:mailer,app.workers:mailer.service', '', 1, undefined, 'ERR NotFound: entry "app:none" not found',
    ]);
  });

  test('a snapshot does not see later applies; a new snapshot does', () => {
    const r = run(`local old = registry.snapshot()
      local c = old:changes()
      c:create({id = "app:new", kind = "registry.entry", data = {x = 1}})
      c:delete("sys:config")
      local v = assert(c:apply())
      local gone, err = old:get("app:new")
      local now = registry.snapshot()
      return #old:entries(), gone == nil, err:kind(), old:get("sys:config").kind, old:version():id(),
        #now:entries(), now:get("app:new").data.x, now:get("sys:config"), now:version():id(), v:id()`);
    expect(r).toEqual([15, true, 'NotFound', 'registry.entry', 1, 15, 1, undefined, 2, 2]);
  });

  test('snapshot_at gives the entries of an older version', () => {
    const r = run(`local c = registry.snapshot():changes()
      c:delete("lib:strings")
      assert(c:apply())
      local s1 = assert(registry.snapshot_at(1))
      local s2 = assert(registry.snapshot_at(registry.current_version()))
      local none, err = registry.snapshot_at(7)
      return #s1:entries(), s1:get("lib:strings") ~= nil, #s2:entries(), none, fail(err)`);
    expect(r).toEqual([15, true, 14, undefined, 'ERR NotFound: version 7 not found']);
  });

  test('snapshot methods check their receiver', () => {
    expect(() => run('local s = registry.snapshot() return s.entries({})')).toThrow(/bad argument #1 to 'entries' \(registry.Snapshot expected, got table\)/);
  });
});

describe('changes', () => {
  test('create, update and delete are recorded as ops and applied as one new version', () => {
    const r = run(`local c = registry.snapshot():changes()
      c:create({id = "app:cache", kind = "store.memory", meta = {tags = {"a", "b"}}, data = {size = 10}})
      c:update({id = "app:db", kind = "db.sql.sqlite", meta = {type = "database"}, data = {file = "x.db"}})
      c:delete({ns = "app.workers", name = "mailer.service"})
      local ops = c:ops()
      local kinds = {}
      for i, op in ipairs(ops) do kinds[i] = op.kind .. " " .. op.entry.id end
      local v, err = c:apply()
      local db = registry.get("app:db")
      local gone, e2 = registry.get("app.workers:mailer.service")
      return table.concat(kinds, ";"), ops[1].entry.meta.tags[2], ops[3].entry.kind, v:id(), v:previous():id(), err,
        registry.get("app:cache").data.size, db.kind, db.data.file, db.data.dsn, db.meta.tags, e2:kind()`);
    expect(r).toEqual([
      'entry.create app:cache;entry.update app:db;entry.delete app.workers:mailer.service', 'b', undefined, 2, 1, undefined,
      10, 'db.sql.sqlite', 'x.db', undefined, undefined, 'NotFound',
    ]);
  });

  test('an entry may be given with ns/name and root-level data, as in definition files', () => {
    const r = run(`local c = registry.snapshot():changes()
      c:create({ns = "app", name = "job", kind = "function.lua", source = "return ${LUA_OK}", method = "main", modules = {"json"}})
      c:create({id = {ns = "app", name = "other"}, kind = "registry.entry"})
      assert(c:apply())
      local e = registry.get("app:job")
      return e.data.method, e.data.modules[1], e.data.kind, e.data.name, registry.get("app:other").id`);
    expect(r).toEqual(['main', 'json', undefined, undefined, 'app:other']);
  });

  test('create then update then delete of one ID inside a changeset apply in order', () => {
    const r = run(`local c = registry.snapshot():changes()
      c:create({id = "app:tmp", kind = "a.b"}):update({id = "app:tmp", kind = "c.d"})
      c:create({id = "app:tmp2", kind = "a.b"}):delete("app:tmp2")
      assert(c:apply())
      return registry.get("app:tmp").kind, (registry.get("app:tmp2"))`);
    expect(r).toEqual(['c.d', undefined]);
  });

  test('apply refuses existing creates, missing updates and deletes, and malformed entries', () => {
    const cases: [string, string][] = [
      ['c:create({id = "app:db", kind = "x.y"})', 'ERR AlreadyExists: cannot create entry "app:db": already exists'],
      ['c:update({id = "app:none", kind = "x.y"})', 'ERR NotFound: cannot update entry "app:none": not found'],
      ['c:delete("app:none")', 'ERR NotFound: cannot delete entry "app:none": not found'],
      ['c:create({id = "nonamespace", kind = "x.y"})', 'ERR Invalid: invalid entry "nonamespace": namespace is required'],
      ['c:create({id = "app:", kind = "x.y"})', 'ERR Invalid: invalid entry "app:": name is required'],
      ['c:create({id = "app:k"})', 'ERR Invalid: invalid entry "app:k": kind is required'],
      ['c:create({id = "app:k", kind = "library.lua", data = {}})', 'ERR Invalid: invalid entry "app:k": source is required'],
      ['c:create({id = "app:k", kind = "function.lua", data = {source = "return 1"}})', 'ERR Invalid: invalid entry "app:k": method is required'],
    ];
    for (const [op, expected] of cases) {
      const r = run(`local c = registry.snapshot():changes() ${op}
        local v, err = c:apply()
        return v, fail(err), registry.current_version():id()`);
      expect(r).toEqual([undefined, expected, 1]);
    }
  });

  test('a failing op rejects the whole changeset', () => {
    const r = run(`local c = registry.snapshot():changes()
      c:create({id = "app:fine", kind = "x.y"})
      c:delete("lib:strings")
      c:create({id = "app:db", kind = "x.y"})
      local v, err = c:apply()
      return v, err:kind(), registry.get("app:fine"), registry.get("lib:strings").id, #registry.versions()`);
    expect(r).toEqual([undefined, 'AlreadyExists', undefined, 'lib:strings', 1]);
  });

  test('the Lua validator hook rejects an entry whose source does not compile', () => {
    const seen: string[] = [];
    RegistryStore.validateLua = (source, id) => {
      seen.push(`${id}=${source}`);
      return source.includes('%%') ? `${id}:1: syntax error near '%'` : undefined;
    };
    const r = run(`local c = registry.snapshot():changes()
      c:create({id = "app:ok", kind = "function.lua", data = {source = "return 1", method = "main"}})
      c:create({id = "app:bad", kind = "library.lua", data = {source = "return %%"}})
      local v, err = c:apply()
      local c2 = registry.snapshot():changes()
      c2:create({id = "app:ok", kind = "function.lua", data = {source = "return 1", method = "main"}})
      c2:create({id = "app:cfg", kind = "registry.entry", data = {source = "%%"}})
      local v2, err2 = c2:apply()
      return v, fail(err), registry.get("app:ok") ~= nil, v2:id(), err2`);
    expect(r).toEqual([undefined, `ERR Invalid: invalid entry "app:bad": app:bad:1: syntax error near '%'`, true, 2, undefined]);
    // The non-Lua entry's "source" is not Lua and is not checked.
    expect(seen).toEqual(['app:ok=return 1', 'app:bad=return %%', 'app:ok=return 1']);
  });

  test('an update to a Lua entry is checked too', () => {
    RegistryStore.validateLua = (source) => (source === 'broken' ? 'unexpected symbol' : undefined);
    const r = run(`local c = registry.snapshot():changes()
      c:update({id = "lib:strings", kind = "library.lua", data = {source = "broken"}})
      local v, err = c:apply()
      return v, fail(err)`);
    expect(r).toEqual([undefined, 'ERR Invalid: invalid entry "lib:strings": unexpected symbol']);
  });

  test('an empty changeset changes nothing', () => {
    expect(run('local v = registry.snapshot():changes():apply() return v:id(), #registry.versions()')).toEqual([1, 1]);
  });

  test('malformed entry tables are argument errors', () => {
    expect(() => run('registry.snapshot():changes():create("app:x")')).toThrow(/bad argument #1 to 'create' \(entry table expected\)/);
    expect(() => run('registry.snapshot():changes():create({id = "a:b", kind = 1})')).toThrow(/entry kind must be a string/);
    expect(() => run('registry.snapshot():changes():delete(5)')).toThrow(/bad argument #1 to 'delete'/);
  });
});

describe('versions and history', () => {
  const TWO_APPLIES = `
    local function add(id)
      local c = registry.snapshot():changes()
      c:create({id = id, kind = "registry.entry"})
      return assert(c:apply())
    end
    local v2 = add("app:two")
    local v3 = add("app:three")
    local v1 = v2:previous()`;

  test('current_version, versions and Version methods', () => {
    const r = run(`${TWO_APPLIES}
      local cur, err = registry.current_version()
      local all = registry.versions()
      local list = {}
      for i, v in ipairs(all) do list[i] = v:string() end
      return cur:id(), err, table.concat(list, ","), v1:id(), v1:previous(), v1:next():id(), v2:next():id(), v3:next(),
        tostring(v2), v2 == registry.versions()[2], v2 == v3`);
    expect(r).toEqual([3, undefined, '1,2,3', 1, undefined, 2, 3, undefined, '2', true, false]);
  });

  test('history: versions, get_version and snapshot_at', () => {
    const r = run(`${TWO_APPLIES}
      local h, err = registry.history()
      local vs = h:versions()
      local got = assert(h:get_version(2))
      local none, e2 = h:get_version(9)
      local s = assert(h:snapshot_at(got))
      local s1 = assert(h:snapshot_at(1))
      return err, #vs, vs[3]:id(), got:id(), fail(e2), s:get("app:two") ~= nil, (s:get("app:three")), (s1:get("app:two"))`);
    expect(r).toEqual([undefined, 3, 3, 2, 'ERR NotFound: version 9 not found', true, undefined, undefined]);
  });

  test('apply_version rolls back and forward without making versions', () => {
    const r = run(`${TWO_APPLIES}
      local ok, err = registry.apply_version(v1)
      local back = {registry.current_version():id(), registry.get("app:two") == nil, #registry.versions()}
      assert(registry.apply_version(3))
      local fwd = {registry.current_version():id(), registry.get("app:three").id}
      local none, e2 = registry.apply_version(42)
      return ok, err, table.concat(back, " ", 1, 1), back[2], back[3], fwd[1], fwd[2], none, fail(e2)`);
    expect(r).toEqual([true, undefined, '1', true, 3, 3, 'app:three', undefined, 'ERR NotFound: version 42 not found']);
  });

  test('applying after a rollback branches from the restored version', () => {
    const r = run(`${TWO_APPLIES}
      registry.apply_version(v1)
      local v4 = add("app:four")
      return v4:id(), v4:previous():id(), v1:next():id(), registry.get("app:two"), registry.get("app:four").id`);
    expect(r).toEqual([4, 1, 4, undefined, 'app:four']);
  });

  test('the store is shared by every module instance of one registry data', () => {
    const data = registryFixture();
    run('local c = registry.snapshot():changes() c:delete("sys:config") assert(c:apply())', data);
    expect(run('return registry.current_version():id(), (registry.get("sys:config"))', data)).toEqual([2, undefined]);
    expect(run('return registry.current_version():id(), registry.get("sys:config").id')).toEqual([1, 'sys:config']);
  });

  test('without registry data the registry is empty', () => {
    const r = run('local e, err = registry.get("app:x") return #registry.find({}), e, err:kind(), registry.current_version():id()', null);
    expect(r).toEqual([0, undefined, 'NotFound', 1]);
  });
});

describe('registry.build_delta', () => {
  test('creates, updates and deletes between two entry lists, each ordered by ID', () => {
    const r = run(`local from = registry.snapshot():entries()
      local c = registry.snapshot():changes()
      c:create({id = "app:z", kind = "x.y"})
      c:create({id = "app:a", kind = "x.y"})
      c:update({id = "app:db", kind = "db.sql.postgres", meta = {type = "database", tags = {"storage", "primary"}}, data = {dsn = "\${env:DB_DSN}"}})
      c:delete("lib:strings")
      assert(c:apply())
      local ops, err = registry.build_delta(from, registry.snapshot():entries())
      local out = {}
      for i, op in ipairs(ops) do out[i] = op.kind .. " " .. op.entry.id end
      return table.concat(out, ";"), err, ops[3].entry.meta.tags[2], ops[4].entry.kind`);
    expect(r).toEqual([
      'entry.create app:a;entry.create app:z;entry.update app:db;entry.delete lib:strings', undefined, 'primary', 'library.lua',
    ]);
  });

  test('equal lists give no ops; kind, meta or data differences give an update', () => {
    const r = run(`local a = {{id = "n:x", kind = "k", meta = {t = {1, 2}}, data = {v = {w = 1}}}}
      local same = registry.build_delta(a, {{id = "n:x", kind = "k", meta = {t = {1, 2}}, data = {v = {w = 1}}}})
      local kind = registry.build_delta(a, {{id = "n:x", kind = "j", meta = {t = {1, 2}}, data = {v = {w = 1}}}})
      local meta = registry.build_delta(a, {{id = "n:x", kind = "k", meta = {t = {2, 1}}, data = {v = {w = 1}}}})
      local data = registry.build_delta(a, {{id = "n:x", kind = "k", meta = {t = {1, 2}}, data = {v = {w = 2}}}})
      return #same, kind[1].kind, meta[1].kind, data[1].kind`);
    expect(r).toEqual([0, 'entry.update', 'entry.update', 'entry.update']);
  });

  test('a delta between snapshots re-applies as changes', () => {
    const r = run(`local s1 = registry.snapshot()
      local c = s1:changes()
      c:create({id = "app:new", kind = "x.y"})
      c:delete("app:db")
      assert(c:apply())
      local back = registry.snapshot():changes()
      for _, op in ipairs(registry.build_delta(registry.snapshot():entries(), s1:entries())) do
        if op.kind == "entry.create" then back:create(op.entry)
        elseif op.kind == "entry.update" then back:update(op.entry)
        else back:delete(op.entry.id) end
      end
      local v = assert(back:apply())
      return v:id(), registry.get("app:new"), registry.get("app:db").kind, #registry.find({})`);
    expect(r).toEqual([3, undefined, 'db.sql.postgres', 15]);
  });

  test('non-table arguments are argument errors', () => {
    expect(() => run('registry.build_delta({}, "x")')).toThrow(/bad argument #2 to 'build_delta' \(table expected, got string\)/);
  });
});
