// `lunac check`: the clean fixture app has no findings; every diagnostic code is produced by a broken fixture
// with its exact severity, position, entry and message; the CLI prints them for people (code frame, summary)
// and as JSON (spec §8), filters them, exits 0/1/2, and its facts cache never serves stale results.
//
// The CLI tests run dist/cli/main.js: build first with `./node_modules/.bin/tsc -p tsconfig.json`.

import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkApp, type CheckResult } from '../compiler/check/check.js';
import { CODES, type Diagnostic } from '../compiler/diagnostics.js';
import { lunac as lunacRaw, type RunResult } from './helpers.js';

const APPS = resolve(__dirname, '../fixtures/apps');
const VALID = join(APPS, 'check-valid');
const BROKEN = join(APPS, 'check-broken/app');
const LINT = join(APPS, 'check-broken/lint');
const UNICODE = join(APPS, 'check-broken/unicode');

/** The CLI, its output decoded as UTF-8 (the shared helper keeps raw bytes as latin1 for Lua output). */
async function lunac(args: string[]): Promise<RunResult> {
  const r = await lunacRaw(args);
  const utf8 = (s: string) => Buffer.from(s, 'latin1').toString('utf8');
  return { status: r.status, stdout: utf8(r.stdout), stderr: utf8(r.stderr) };
}

/** A path as diagnostics display it: relative to the working directory. */
const shown = (abs: string) => relative(process.cwd(), abs);
const B = (p: string) => shown(join(BROKEN, p));

/** The source text at a diagnostic's position (to prove line/column point at the right token). */
function textAt(d: Diagnostic): string {
  const line = readFileSync(resolve(d.file), 'utf8').split('\n')[d.line - 1];
  return line.slice(d.column - 1);
}

const temps: string[] = [];
function copyApp(src: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'lunac-check-'));
  temps.push(dir);
  cpSync(src, join(dir, 'app'), { recursive: true });
  return join(dir, 'app');
}
afterAll(() => temps.forEach((d) => rmSync(d, { recursive: true, force: true })));

// ---------------------------------------------------------------------------------------------------------
// The clean app
// ---------------------------------------------------------------------------------------------------------

describe('check-valid: everything legal passes', () => {
  let r: CheckResult;
  beforeAll(() => {
    r = checkApp(VALID, { cache: false });
  });

  it('has zero diagnostics', () => {
    expect(r.diagnostics).toEqual([]);
  });

  it('loads every entry of src/ (YAML, single-entry form, .json) and nothing outside the wippy.lock directories', () => {
    expect(r.app.entries.map((e) => e.id).sort()).toEqual([
      'app.extra:greeter', 'app.extra:settings', 'app.extra:ticker', 'app.lib:fmt', 'app.lib:util',
      'app:add', 'app:api', 'app:gateway', 'app:hello', 'app:hello.endpoint', 'app:host', 'app:order_flow',
      'app:stats', 'app:worker', 'app:worker.service',
    ]);
    expect(r.app.files.some((f) => f.endsWith('stray.yaml'))).toBe(false);
  });

  it('covers all four Lua kinds', () => {
    expect(new Set(r.app.entries.map((e) => e.kind))).toEqual(new Set([
      'function.lua', 'process.lua', 'workflow.lua', 'library.lua', 'process.host', 'process.service',
      'http.service', 'http.router', 'http.endpoint', 'registry.entry',
    ]));
  });

  it('merges file-level meta under entry meta, shapes single-entry and JSON data, resolves file:// to source text', () => {
    const worker = r.app.byId.get('app:worker')!;
    expect(worker.meta).toEqual({ owner: 'platform', tags: ['demo'], comment: 'long-lived actor, `return {main = main}` style' });
    expect(worker.data.source).toBe(readFileSync(join(VALID, 'src/worker.lua'), 'latin1'));
    const greeter = r.app.byId.get('app.extra:greeter')!;
    expect(greeter.kind).toBe('function.lua');
    expect(greeter.meta).toEqual({ comment: 'single-entry form' });
    expect(Object.keys(greeter.data).sort()).toEqual(['imports', 'method', 'source']);
    expect(r.app.byId.get('app.extra:settings')!.data).toEqual({ limit: 10 });
    expect(r.app.byId.get('app:add')!.data.source).toMatch(/^type Pair = \{a: number, b: number\}\n/);
  });

  it('without wippy.lock the stray YAML next to src/ is loaded, and it is broken', () => {
    const dir = copyApp(VALID);
    rmSync(join(dir, 'wippy.lock'));
    const d = checkApp(dir, { cache: false }).diagnostics;
    expect(d.map((x) => `${x.code} ${x.entry}`)).toEqual(['Y0008 stray:broken', 'E0104 stray:broken', 'P0001 stray:broken']);
  });

  it('transitive globals are what makes the worker clean: without its import, fmt and base64 are undeclared', () => {
    const dir = copyApp(VALID);
    const idx = join(dir, 'src/_index.yaml');
    writeFileSync(idx, readFileSync(idx, 'utf8').replace('    imports:\n      util: app.lib:util\n\n  - name: worker.service', '\n  - name: worker.service'));
    const d = checkApp(dir, { cache: false }).diagnostics;
    expect(d.map((x) => `${x.code} ${x.line}:${x.column} ${x.message}`)).toEqual([
      'E0101 4:13 require("fmt") is not declared in modules or imports',
      'E0101 5:13 require("base64") is not declared in modules or imports',
    ]);
  });
});

// ---------------------------------------------------------------------------------------------------------
// Every code, from the broken apps
// ---------------------------------------------------------------------------------------------------------

describe('check-broken: every diagnostic code', () => {
  let r: CheckResult;
  let lint: Diagnostic[];
  const only = (code: string) => r.diagnostics.filter((d) => d.code === code);
  const ofEntry = (id: string) => r.diagnostics.filter((d) => d.entry === id);
  beforeAll(() => {
    r = checkApp(BROKEN, { cache: false });
    lint = checkApp(LINT, { cache: false, rules: new Set(['all']) }).diagnostics;
  });

  it('the fixtures produce every code in compiler/diagnostics.ts', () => {
    const seen = new Set([...r.diagnostics, ...lint].map((d) => d.code));
    expect([...seen].sort()).toEqual(Object.keys(CODES).sort());
    for (const d of [...r.diagnostics, ...lint]) expect(d.severity).toBe(CODES[d.code as keyof typeof CODES].severity);
  });

  it('P0001: Lua syntax error in a file:// source, at the Lua position', () => {
    const d = only('P0001').find((x) => x.entry === 'lua:syntax')!;
    expect(d).toEqual({ code: 'P0001', severity: 'error', file: B('src/syntax.lua'), line: 2, column: 13, message: "<expression> expected near '='", entry: 'lua:syntax' });
    expect(textAt(d)).toBe('= 1');
  });

  it('P0001: Lua syntax error in an inline block scalar, at the YAML line and column', () => {
    const d = only('P0001').find((x) => x.entry === 'lua:inline')!;
    expect(d).toEqual({ code: 'P0001', severity: 'error', file: B('src/lua.yaml'), line: 14, column: 7, message: "<expression> expected near 'end'", entry: 'lua:inline' });
    expect(textAt(d)).toBe('end');
  });

  it('Y0001: YAML and JSON syntax errors; the other files still load', () => {
    expect(only('Y0001')).toEqual([
      { code: 'Y0001', severity: 'error', file: B('src/bad_json.json'), line: 1, column: 79, message: 'Flow sequence in block collection must be sufficiently indented and end with a ]' },
      { code: 'Y0001', severity: 'error', file: B('src/bad_yaml.yaml'), line: 6, column: 3, message: 'Flow sequence in block collection must be sufficiently indented and end with a ]' },
    ]);
    expect(r.app.entries.some((e) => e.ns === 'yamlbad' || e.ns === 'jsonbad')).toBe(false);
    // Files sorted after the broken ones still contribute entries.
    for (const id of ['ents:dup', 'graph:flow', 'lua:inline', 'web:handler', 'files:outside']) expect(r.app.byId.has(id)).toBe(true);
    expect(r.app.entries).toHaveLength(39);
  });

  it('Y0002: not a map, an entry that is not a map, neither entries nor name+kind', () => {
    expect(only('Y0002')).toEqual([
      { code: 'Y0002', severity: 'error', file: B('src/entries.yaml'), line: 3, column: 5, message: "entry 1 of namespace 'ents' is not a map" },
      { code: 'Y0002', severity: 'error', file: B('src/not_map.yaml'), line: 1, column: 1, message: 'a definition file must be a map' },
      { code: 'Y0002', severity: 'error', file: B('src/shapes.yaml'), line: 1, column: 1, message: "definition file of namespace 'shapes' has neither 'entries' nor 'name' and 'kind'" },
    ]);
  });

  it('Y0003: entry without a name', () => {
    expect(only('Y0003')).toEqual([{ code: 'Y0003', severity: 'error', file: B('src/entries.yaml'), line: 4, column: 5, message: "entry in namespace 'ents' has no name" }]);
  });

  it('Y0004: entry without a kind', () => {
    expect(only('Y0004')).toEqual([{ code: 'Y0004', severity: 'error', file: B('src/entries.yaml'), line: 6, column: 5, message: "entry 'ents:kindless' has no kind", entry: 'ents:kindless' }]);
  });

  it('Y0005: duplicate ID, reported at the second name and pointing at the first definition', () => {
    const [d, ...rest] = only('Y0005');
    expect(rest).toEqual([]);
    expect(d).toEqual({ code: 'Y0005', severity: 'error', file: B('src/entries.yaml'), line: 8, column: 11, message: `duplicate entry ID 'ents:dup' (first defined at ${B('src/dup.yaml')}:5)`, entry: 'ents:dup' });
    expect(readFileSync(join(BROKEN, 'src/dup.yaml'), 'utf8').split('\n')[4]).toBe('  - name: dup');
    // The first definition is the one kept.
    expect(r.app.byId.get('ents:dup')!.pos.file).toBe(B('src/dup.yaml'));
  });

  it('Y0006: file:// escaping the app, a missing file, an empty path', () => {
    expect(only('Y0006')).toEqual([
      { code: 'Y0006', severity: 'error', file: B('escape.yaml'), line: 6, column: 13, message: 'file://../outside.lua escapes the app directory', entry: 'files:outside' },
      { code: 'Y0006', severity: 'error', file: B('escape.yaml'), line: 11, column: 13, message: `cannot read file://src/nope.lua (${B('src/nope.lua')}: no such file)`, entry: 'files:missing' },
      { code: 'Y0006', severity: 'error', file: B('escape.yaml'), line: 15, column: 13, message: 'empty file:// path', entry: 'files:empty_ref' },
    ]);
    // outside.lua exists (next to the app) and was not read.
    expect(existsSync(join(BROKEN, '../outside.lua'))).toBe(true);
    expect(r.app.byId.get('files:outside')!.data.source).toBeUndefined();
    // A failed file:// source is not also reported as a missing source.
    expect(ofEntry('files:outside').map((d) => d.code)).toEqual(['Y0006']);
  });

  it('Y0007: Lua entry without source, or with a blank one', () => {
    expect(only('Y0007')).toEqual([
      { code: 'Y0007', severity: 'error', file: B('src/entries.yaml'), line: 10, column: 5, message: "library.lua entry 'ents:nosource' has no source", entry: 'ents:nosource' },
      { code: 'Y0007', severity: 'error', file: B('src/entries.yaml'), line: 14, column: 13, message: "library.lua entry 'ents:blank_source' has no source", entry: 'ents:blank_source' },
    ]);
  });

  it('Y0008: function.lua without method', () => {
    expect(only('Y0008')).toEqual([{ code: 'Y0008', severity: 'error', file: B('src/entries.yaml'), line: 16, column: 11, message: "function.lua entry 'ents:nomethod' needs a method", entry: 'ents:nomethod' }]);
  });

  it('Y0009: modules not a list, imports not a map', () => {
    expect(only('Y0009')).toEqual([
      { code: 'Y0009', severity: 'error', file: B('src/entries.yaml'), line: 21, column: 14, message: "'modules' of 'ents:bad_modules' must be a list of module names", entry: 'ents:bad_modules' },
      { code: 'Y0009', severity: 'error', file: B('src/entries.yaml'), line: 25, column: 14, message: "'imports' of 'ents:bad_imports' must map aliases to entry IDs", entry: 'ents:bad_imports' },
    ]);
  });

  it('E0101: literal require of an undeclared module; declared and ambient ones pass', () => {
    const d = only('E0101');
    expect(d).toEqual([{ code: 'E0101', severity: 'error', file: B('src/requires.lua'), line: 2, column: 12, message: 'require("sql") is not declared in modules or imports', entry: 'lua:requires' }]);
    expect(textAt(d[0])).toBe('require("sql")');
  });

  it('E0112: an undeclared require in a library that nothing imports is only a warning', () => {
    const d = only('E0112');
    expect(d).toEqual([{ code: 'E0112', severity: 'warning', file: B('src/lua.yaml'), line: 71, column: 20, message: 'require("http") is not declared by this library, and no entry of the app imports it', entry: 'lua:orphan_lib' }]);
  });

  it('E0102: non-literal require is a warning', () => {
    const d = only('E0102');
    expect(d).toEqual([{ code: 'E0102', severity: 'warning', file: B('src/requires.lua'), line: 4, column: 11, message: 'require() with a computed name cannot be checked ahead of time', entry: 'lua:requires' }]);
    expect(textAt(d[0])).toBe('require(name)');
  });

  it('E0103: unknown module name, with the closest suggestion', () => {
    const d = only('E0103');
    expect(d).toEqual([{ code: 'E0103', severity: 'error', file: B('src/lua.yaml'), line: 20, column: 21, message: "unknown module 'jsn' (did you mean 'json'?)", entry: 'lua:requires' }]);
    expect(textAt(d[0])).toBe('jsn]');
  });

  it('E0104 / E0105: import of a missing entry, import of a non-library', () => {
    expect(only('E0104')).toEqual([{ code: 'E0104', severity: 'error', file: B('src/graph.yaml'), line: 8, column: 14, message: "import 'ghost' names 'graph:ghost', which does not exist", entry: 'graph:consumer' }]);
    expect(only('E0105')).toEqual([{ code: 'E0105', severity: 'error', file: B('src/graph.yaml'), line: 9, column: 11, message: "import 'fn' names 'graph:plain_fn', a function.lua (only library.lua entries can be imported)", entry: 'graph:consumer' }]);
  });

  it('E0106: an import cycle, reported once and printed with →', () => {
    expect(only('E0106')).toEqual([{ code: 'E0106', severity: 'error', file: B('src/graph.yaml'), line: 27, column: 10, message: 'import cycle: graph:cyc_a → graph:cyc_b → graph:cyc_a', entry: 'graph:cyc_b' }]);
  });

  it('E0107: alias collision between a module and an import anywhere in the transitive graph', () => {
    expect(only('E0107')).toEqual([
      { code: 'E0107', severity: 'error', file: B('src/graph.yaml'), line: 38, column: 13, message: "alias 'json' is claimed twice among the dependencies of 'graph:right': graph:right binds it to graph:left; graph:left binds it to module json", entry: 'graph:right' },
      { code: 'E0107', severity: 'error', file: B('src/graph.yaml'), line: 45, column: 7, message: "alias 'json' is claimed twice among the dependencies of 'graph:collide': graph:left binds it to module json; graph:right binds it to graph:left", entry: 'graph:collide' },
    ]);
  });

  it('E0108: method missing from `return {main = main}`, from `local M = {} … return M`, and for non-table returns', () => {
    const d = only('E0108');
    expect(d).toEqual([
      { code: 'E0108', severity: 'error', file: B('src/local_table.lua'), line: 7, column: 8, message: `method "handle" not found in the table the chunk returns (it has 'start', 'stop')`, entry: 'lua:local_table_method' },
      { code: 'E0108', severity: 'error', file: B('src/lua.yaml'), line: 28, column: 14, message: `method "run" not found in the table the chunk returns (it has 'main')`, entry: 'lua:table_method' },
      { code: 'E0108', severity: 'error', file: B('src/lua.yaml'), line: 38, column: 21, message: 'method "main" not found in module: the chunk returns a number, not a table or function', entry: 'lua:value_method' },
      { code: 'E0108', severity: 'error', file: B('src/lua.yaml'), line: 43, column: 14, message: 'method "main" not found in module: the chunk returns nothing', entry: 'lua:none_method' },
    ]);
    expect(textAt(d[0])).toBe('M');
    expect(textAt(d[1])).toBe('{main = main}');
    expect(textAt(d[2])).toBe('42"');
  });

  it('E0108 is not reported when the returned table cannot be known (setmetatable, a call, an escaping local)', () => {
    for (const id of ['lua:metatable_method', 'lua:unknown_method', 'lua:escaped_table_method']) {
      expect(r.app.byId.has(id)).toBe(true);
      expect(ofEntry(id)).toEqual([]);
    }
  });

  it('E0109: workflow using an io module directly and through libraries (the path is shown)', () => {
    expect(only('E0109')).toEqual([
      { code: 'E0109', severity: 'error', file: B('src/graph.yaml'), line: 62, column: 21, message: "workflow 'graph:flow' may not use module 'http_client' (class io): graph:flow → modules: http_client", entry: 'graph:flow' },
      { code: 'E0109', severity: 'error', file: B('src/graph.yaml'), line: 64, column: 12, message: "workflow 'graph:flow' may not use module 'sql' (class io): graph:flow → graph:mid_lib → graph:db_lib → modules: sql", entry: 'graph:flow' },
    ]);
  });

  it('E0110: unresolved meta.router, a router of the wrong kind, a service whose process is a host', () => {
    const d = only('E0110');
    expect(d).toEqual([
      { code: 'E0110', severity: 'error', file: B('src/refs.yaml'), line: 15, column: 15, message: "'meta.router' names 'web:no_router', which does not exist", entry: 'web:lost.endpoint' },
      { code: 'E0110', severity: 'error', file: B('src/refs.yaml'), line: 23, column: 15, message: "'meta.router' names 'web:server', a http.service, where a http.router is expected", entry: 'web:wrong.endpoint' },
      { code: 'E0110', severity: 'error', file: B('src/refs.yaml'), line: 46, column: 14, message: "'process' names 'web:host', a process.host, where a process entry is expected", entry: 'web:bad.service' },
    ]);
    expect(textAt(d[0])).toBe('web:no_router');
  });

  it('E0111: references and imports into a namespace that is not loaded are warnings', () => {
    expect(only('E0111')).toEqual([
      { code: 'E0111', severity: 'warning', file: B('src/graph.yaml'), line: 10, column: 12, message: "import 'far' names 'vendor.auth:lib' in namespace 'vendor.auth', which is not loaded (is a dependency missing?)", entry: 'graph:consumer' },
      { code: 'E0111', severity: 'warning', file: B('src/refs.yaml'), line: 31, column: 15, message: "'meta.router' names 'vendor.http:router' in namespace 'vendor.http', which is not loaded (is a dependency missing?)", entry: 'web:vendor.endpoint' },
    ]);
  });

  it('non-ASCII Lua: names in messages are UTF-8, columns count characters (file:// and inline sources)', () => {
    const d = checkApp(UNICODE, { cache: false }).diagnostics;
    const U = (p: string) => shown(join(UNICODE, p));
    expect(d).toEqual([
      { code: 'E0101', severity: 'error', file: U('_index.yaml'), line: 12, column: 38, message: 'require("brûlée") is not declared in modules or imports', entry: 'uni:inline' },
      { code: 'E0101', severity: 'error', file: U('greet.lua'), line: 2, column: 42, message: 'require("naïve") is not declared in modules or imports', entry: 'uni:greet' },
      { code: 'E0108', severity: 'error', file: U('greet.lua'), line: 4, column: 8, message: `method "main" not found in the table the chunk returns (it has 'mäin')`, entry: 'uni:greet' },
    ]);
    expect(textAt(d[0])).toBe('require("brûlée")');
    expect(textAt(d[1])).toBe('require("naïve")');
  });

  it('W0001–W0007 only with rules, each at its position', () => {
    expect(checkApp(LINT, { cache: false }).diagnostics).toEqual([]);
    const F = shown(join(LINT, 'messy.lua'));
    expect(lint).toEqual([
      { code: 'W0006', severity: 'warning', file: F, line: 1, column: 1, message: "'base64' is imported but never used", entry: 'lint:messy' },
      { code: 'W0005', severity: 'warning', file: F, line: 1, column: 24, message: "parameter 'unused_param' is never used", entry: 'lint:messy' },
      { code: 'W0004', severity: 'warning', file: F, line: 2, column: 9, message: "unused local variable 'unused_local'", entry: 'lint:messy' },
      { code: 'W0001', severity: 'warning', file: F, line: 3, column: 3, message: 'empty block', entry: 'lint:messy' },
      { code: 'W0002', severity: 'warning', file: F, line: 5, column: 3, message: "assignment to global 'counter'", entry: 'lint:messy' },
      { code: 'W0003', severity: 'warning', file: F, line: 6, column: 6, message: "comparison of 'a' with itself (use 'a ~= a' only as a NaN test)", entry: 'lint:messy' },
      { code: 'W0007', severity: 'warning', file: F, line: 7, column: 11, message: "local 'a' shadows a parameter declared at line 1", entry: 'lint:messy' },
    ]);
    expect(checkApp(LINT, { cache: false, rules: new Set(['W0002']) }).diagnostics.map((d) => d.code)).toEqual(['W0002']);
  });
});

// ---------------------------------------------------------------------------------------------------------
// The CLI
// ---------------------------------------------------------------------------------------------------------

const rel = (abs: string) => relative(resolve(__dirname, '..'), abs);

describe('lunac check (CLI)', () => {
  it('human output: file:line:col: severity CODE: message (entry ID), a code frame with a caret, a summary', async () => {
    const r = await lunac(['check', rel(BROKEN), '--no-cache', '--code', 'P0001,E0102']);
    expect(r.status).toBe(1);
    expect(r.stderr).toBe('');
    const F = rel(BROKEN);
    expect(r.stdout).toBe(
      `${F}/src/lua.yaml:14:7: error P0001: <expression> expected near 'end' (entry lua:inline)\n` +
      ` 14 |       end\n` +
      `    |       ^\n` +
      `${F}/src/requires.lua:4:11: warning E0102: require() with a computed name cannot be checked ahead of time (entry lua:requires)\n` +
      ` 4 | local t = require(name)\n` +
      `   |           ^\n` +
      `${F}/src/syntax.lua:2:13: error P0001: <expression> expected near '=' (entry lua:syntax)\n` +
      ` 2 |   local x = = 1\n` +
      `   |             ^\n` +
      `2 errors, 1 warning in 39 entries\n`,
    );
  });

  it('human output: the caret sits under the character after non-ASCII text', async () => {
    const r = await lunac(['check', rel(UNICODE), '--no-cache', '--code', 'E0101']);
    expect(r.stdout.split('\n').slice(3, 6)).toEqual([
      `${rel(UNICODE)}/greet.lua:2:42: error E0101: require("naïve") is not declared in modules or imports (entry uni:greet)`,
      ' 2 | local greeting = "héllo wörld" local t = require("naïve")',
      '   |                                          ^',
    ]);
  });

  it('human output: a finding without an entry has no entry suffix', async () => {
    const r = await lunac(['check', rel(BROKEN), '--no-cache', '--code', 'Y0002']);
    const first = r.stdout.split('\n')[0];
    expect(first).toBe(`${rel(BROKEN)}/src/entries.yaml:3:5: error Y0002: entry 1 of namespace 'ents' is not a map`);
    expect(r.stdout.trimEnd().split('\n').at(-1)).toBe('3 errors, 0 warnings in 39 entries');
  });

  it('clean app: "no problems", exit 0', async () => {
    const r = await lunac(['check', rel(VALID), '--no-cache']);
    expect(r).toEqual({ status: 0, stdout: 'no problems in 15 entries\n', stderr: '' });
  });

  it('--json: exactly the shape of spec §8 (plus file), consistent counts, same findings as in-process', async () => {
    const r = await lunac(['check', rel(BROKEN), '--no-cache', '--json']);
    expect(r.status).toBe(1);
    const j = JSON.parse(r.stdout);
    expect(Object.keys(j).sort()).toEqual(['diagnostics', 'error_count', 'hint_count', 'total_entries', 'warning_count']);
    expect(j.total_entries).toBe(39);
    expect(Array.isArray(j.diagnostics)).toBe(true);
    for (const d of j.diagnostics) {
      expect(Object.keys(d).sort()).toEqual(['code', 'column', 'entry_id', 'file', 'line', 'message', 'severity']);
      expect(d.code).toMatch(/^[PYEW]\d{4}$/);
      expect(['error', 'warning', 'hint']).toContain(d.severity);
      expect(typeof d.message).toBe('string');
      expect(typeof d.file).toBe('string');
      expect(Number.isInteger(d.line) && d.line >= 1).toBe(true);
      expect(Number.isInteger(d.column) && d.column >= 1).toBe(true);
      expect(d.entry_id === null || typeof d.entry_id === 'string').toBe(true);
    }
    const count = (s: string) => j.diagnostics.filter((d: any) => d.severity === s).length;
    expect([j.error_count, j.warning_count, j.hint_count]).toEqual([count('error'), count('warning'), count('hint')]);
    expect(j.warning_count).toBe(4);
    const inProcess = checkApp(BROKEN, { cache: false }).diagnostics;
    expect(j.diagnostics).toEqual(inProcess.map((d) => ({ entry_id: d.entry ?? null, code: d.code, severity: d.severity, message: d.message, line: d.line, column: d.column, file: d.file })));
    expect(j.diagnostics.find((d: any) => d.code === 'Y0003').entry_id).toBeNull();
  });

  it('--json on a clean app', async () => {
    const r = await lunac(['check', rel(VALID), '--no-cache', '--json']);
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ diagnostics: [], total_entries: 15, error_count: 0, warning_count: 0, hint_count: 0 });
  });

  it('exit 2 for a missing directory and for a bad --level', async () => {
    const missing = await lunac(['check', 'fixtures/apps/no-such-app']);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toBe('lunac: fixtures/apps/no-such-app is not a directory\n');
    expect(missing.stdout).toBe('');
    const level = await lunac(['check', rel(VALID), '--level', 'loud']);
    expect(level.status).toBe(2);
    expect(level.stderr).toBe('lunac: --level must be error, warning or hint\n');
  });

  it('--rules all adds the W codes (warnings only: exit 0); by name selects one rule', async () => {
    const plain = await lunac(['check', rel(LINT), '--no-cache', '--json']);
    expect(JSON.parse(plain.stdout).diagnostics).toEqual([]);
    const all = await lunac(['check', rel(LINT), '--no-cache', '--json', '--rules', 'all']);
    expect(all.status).toBe(0);
    const j = JSON.parse(all.stdout);
    expect(j.diagnostics.map((d: any) => d.code)).toEqual(['W0006', 'W0005', 'W0004', 'W0001', 'W0002', 'W0003', 'W0007']);
    expect(j.warning_count).toBe(7);
    const one = await lunac(['check', rel(LINT), '--no-cache', '--json', '--rules', 'no-shadowed-vars']);
    expect(JSON.parse(one.stdout).diagnostics.map((d: any) => `${d.code} ${d.line}:${d.column}`)).toEqual(['W0007 7:11']);
  });

  it('--level error hides warnings but errors still fail the run', async () => {
    const all = JSON.parse((await lunac(['check', rel(BROKEN), '--no-cache', '--json'])).stdout);
    const r = await lunac(['check', rel(BROKEN), '--no-cache', '--json', '--level', 'error']);
    expect(r.status).toBe(1);
    const j = JSON.parse(r.stdout);
    expect(j.warning_count).toBe(0);
    expect(j.diagnostics.every((d: any) => d.severity === 'error')).toBe(true);
    expect(j.error_count).toBe(all.error_count);
    expect(j.diagnostics.length).toBe(all.diagnostics.length - all.warning_count);
  });

  it('--code E01 keeps only linking codes (prefix match)', async () => {
    const r = await lunac(['check', rel(BROKEN), '--no-cache', '--json', '--code', 'E01']);
    const codes = new Set(JSON.parse(r.stdout).diagnostics.map((d: any) => d.code));
    expect([...codes].sort()).toEqual(['E0101', 'E0102', 'E0103', 'E0104', 'E0105', 'E0106', 'E0107', 'E0108', 'E0109', 'E0110', 'E0111', 'E0112']);
  });

  it('the facts cache never serves stale results across edits', async () => {
    const app = copyApp(VALID);
    const cacheDir = mkdtempSync(join(tmpdir(), 'lunac-cache-test-'));
    temps.push(cacheDir);
    const saved = process.env.LUNAC_CACHE_DIR;
    process.env.LUNAC_CACHE_DIR = cacheDir;
    try {
      const check = async () => {
        const r = await lunac(['check', app, '--json']);
        return { status: r.status, d: JSON.parse(r.stdout).diagnostics.map((x: any) => `${x.code} ${x.entry_id} ${x.line}:${x.column} ${x.message}`) };
      };
      expect(await check()).toEqual({ status: 0, d: [] });
      const files = readdirSync(cacheDir).filter((f) => f.startsWith('check-'));
      expect(files).toHaveLength(1);
      const cached = JSON.parse(readFileSync(join(cacheDir, files[0]), 'utf8'));
      expect(Object.keys(cached.facts).length).toBeGreaterThanOrEqual(9);
      expect(Object.keys(cached.defs)).toHaveLength(4);

      // A warm run with nothing changed: same answer from the cache.
      expect(await check()).toEqual({ status: 0, d: [] });

      // Edit a .lua file: syntax error.
      const hello = join(app, 'src/hello.lua');
      const original = readFileSync(hello, 'utf8');
      writeFileSync(hello, original.replace('return json.encode', 'return = json.encode'));
      expect(await check()).toEqual({ status: 1, d: ["P0001 app:hello 3:10 'end' expected near '='"] });

      // Fix it, and break what the chunk returns in another file instead.
      writeFileSync(hello, original);
      const worker = join(app, 'src/worker.lua');
      writeFileSync(worker, readFileSync(worker, 'utf8').replace('return {main = main}', 'return {run = main}'));
      expect(await check()).toEqual({ status: 1, d: [`E0108 app:worker 20:8 method "main" not found in the table the chunk returns (it has 'run')`] });

      // Edit a definition file (the parsed-definition cache): an unknown module.
      const idx = join(app, 'src/lib/_index.yaml');
      writeFileSync(idx, readFileSync(idx, 'utf8').replace('modules: [base64]', 'modules: [base64, nope]'));
      const r = await check();
      expect(r).toEqual({
        status: 1,
        d: ["E0103 app.lib:fmt 13:23 unknown module 'nope'", `E0108 app:worker 20:8 method "main" not found in the table the chunk returns (it has 'run')`],
      });

      // And back: with every edit undone the cached run is clean again.
      writeFileSync(idx, readFileSync(idx, 'utf8').replace('modules: [base64, nope]', 'modules: [base64]'));
      writeFileSync(worker, readFileSync(worker, 'utf8').replace('return {run = main}', 'return {main = main}'));
      expect(await check()).toEqual({ status: 0, d: [] });
    } finally {
      if (saved === undefined) delete process.env.LUNAC_CACHE_DIR;
      else process.env.LUNAC_CACHE_DIR = saved;
    }
  });
});

describe('references filled in by ns.requirement', () => {
  const app = (withRequirement: boolean) => {
    const dir = mkdtempSync(join(tmpdir(), 'lunac-check-req-'));
    writeFileSync(join(dir, '_index.yaml'), [
      'namespace: mod',
      'entries:',
      '  - name: handler',
      '    kind: function.lua',
      '    method: main',
      '    source: "return {main = function() end}"',
      '  - name: endpoint',
      '    kind: http.endpoint',
      '    meta:',
      '      router: router_placeholder',
      '    method: GET',
      '    path: /x',
      '    func: handler',
      ...(withRequirement ? [
        '  - name: router',
        '    kind: ns.requirement',
        '    targets:',
        '      - entry: endpoint',
        '        path: .meta.router',
      ] : []),
      '',
    ].join('\n'));
    return dir;
  };

  it('a field an ns.requirement patches is not checked (its written value is a placeholder)', () => {
    expect(checkApp(app(true), { cache: false }).diagnostics).toEqual([]);
  });

  it('without the requirement the same placeholder is an unresolved reference', () => {
    const d = checkApp(app(false), { cache: false }).diagnostics;
    expect(d.map((x) => [x.code, x.message])).toEqual([['E0110', "'meta.router' names 'mod:router_placeholder', which does not exist"]]);
  });
});
