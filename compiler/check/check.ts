// `lunac check`: load the app, check the entry graph and references, then every Lua entry (syntax,
// require against the link plan, method against what the chunk returns, opt-in lint rules). Facts about a
// chunk are cached by content hash, so a re-check after one edit only parses the edited file.

import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { CACHE_DIR, readCache, writeCache } from '../cache.js';
import { join, resolve } from 'node:path';
import { diagnostic, type Code, type Diagnostic } from '../diagnostics.js';
import { loadApp, type LoadCache, type LoadedApp } from '../entries/load.js';
import { checkGraph, linkPlan, type LinkPlan } from '../entries/graph.js';
import { importsOf, isLuaEntry, luaPos, methodOf, modulesOf, type Entry } from '../entries/entry.js';
import { isAmbient } from '../../runtime/modules/catalogue.js';
import type { ChunkFacts } from './facts.js';
import { checkRefs } from './refs.js';
import type { LintFinding } from './lint.js';

// Parsing and linting (luaparse, the scope analysis) are loaded only on a cache miss: a warm check of an
// unchanged app never needs them.
const require = createRequire(import.meta.url);
type Analysis = Pick<typeof import('./facts.js'), 'chunkFacts'> & Pick<typeof import('./lint.js'), 'lintChunk'>;
let analysis: Analysis | null = null;

function loadAnalysis(): Analysis {
  return (analysis ??= { ...(require('./facts.js') as typeof import('./facts.js')), ...(require('./lint.js') as typeof import('./lint.js')) });
}

/** Provide the analysis modules up front (tests run the TypeScript sources, which `require` cannot load). */
export function setAnalysis(a: Analysis): void {
  analysis = a;
}

export interface CheckOptions {
  /** Lint rules to run (codes, names or 'all'); none by default. */
  rules?: ReadonlySet<string>;
  /** Use and update the facts cache (default true). */
  cache?: boolean;
}

export interface CheckResult {
  diagnostics: Diagnostic[];
  app: LoadedApp;
}

/** Bump when the shape of cached facts or the analyses change. */
const CACHE_VERSION = 6;

export function checkApp(dir: string, opts: CheckOptions = {}): CheckResult {
  const cache = opts.cache === false ? null : FactsCache.open(resolve(dir));
  const app = loadApp(dir, cache ?? undefined);
  const diags = [...app.diagnostics, ...checkGraph(app), ...checkRefs(app)];
  const plans = new PlanCache(app);
  const consumers = consumersOf(app, plans);
  for (const e of app.entries) {
    if (isLuaEntry(e) && typeof e.data.source === 'string' && e.data.source.trim() !== '') {
      checkLuaEntry(plans, e, consumers, cache, opts.rules, diags);
    }
  }
  cache?.save();
  return { diagnostics: sortDiagnostics(diags), app };
}

export function sortDiagnostics(d: Diagnostic[]): Diagnostic[] {
  return d.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line || a.column - b.column || a.code.localeCompare(b.code)));
}

function checkLuaEntry(plans: PlanCache, e: Entry, consumers: Map<string, Entry[]>, cache: FactsCache | null, rules: ReadonlySet<string> | undefined, out: Diagnostic[]): void {
  const src = e.data.source as string;
  const hash = createHash('sha1').update(src, 'latin1').digest('hex');
  const lintKey = rules && rules.size > 0 ? `${hash}|${[...rules].sort().join(',')}|${declaredNames(e).sort().join(',')}` : null;
  let facts = cache?.facts(hash);
  let lint = lintKey === null ? [] : cache?.lint(lintKey);
  if (facts === undefined || lint === undefined) {
    const { chunkFacts, lintChunk } = loadAnalysis();
    const r = chunkFacts(src);
    facts = r.facts;
    lint = lintKey !== null && r.parsed ? lintChunk(r.parsed.ast as any, r.parsed.scopes as any, { rules: rules!, declared: declaredNames(e) }) : [];
    cache?.store(hash, facts, lintKey, lint);
  }
  const text = new LuaText(src);
  const report = (code: Code, line: number, column: number, msg: string) => {
    const p = luaPos(e, line, text.column(line, column));
    out.push(diagnostic(code, p.file, p.line, p.column, text.utf8(msg), e.id));
  };
  if (facts.syntaxError) {
    const s = facts.syntaxError;
    return report('P0001', s.line, s.column, s.message);
  }
  checkRequires(plans, e, facts, consumers, report);
  checkMethod(e, facts, report);
  for (const f of lint) report(f.code as Code, f.line, f.column, f.message);
}

/**
 * Sources are byte strings (latin1), so Lua positions count bytes and names taken from the source are
 * bytes too; people and editors read UTF-8 characters. (Messages are ASCII templates around such names.)
 */
class LuaText {
  private lines: string[] | null = null;
  private ascii: boolean;
  constructor(private src: string) {
    this.ascii = !/[\x80-\xff]/.test(src);
  }

  column(line: number, column: number): number {
    if (this.ascii) return column;
    const text = (this.lines ??= this.src.split('\n'))[line - 1] ?? '';
    return Buffer.from(text.slice(0, column - 1), 'latin1').toString('utf8').length + 1;
  }

  utf8(msg: string): string {
    return /[\x80-\xff]/.test(msg) && !/[^\x00-\xff]/.test(msg) ? Buffer.from(msg, 'latin1').toString('utf8') : msg;
  }
}

/** Globals an entry declares itself: module names and import aliases. */
function declaredNames(e: Entry): string[] {
  return [...modulesOf(e), ...importsOf(e).map(([alias]) => alias)];
}

/**
 * A literal require must name something bound in the entry's globals: an ambient module, or a module or
 * import of the entry or of anything it reaches. A library runs in its consumers' globals, so what they
 * bind counts for it too.
 */
function checkRequires(plans: PlanCache, e: Entry, facts: ChunkFacts, consumers: Map<string, Entry[]>, report: (c: Code, l: number, col: number, m: string) => void): void {
  if (facts.requires.length === 0) return;
  const bound = new Set<string>();
  for (const who of [e, ...(consumers.get(e.id) ?? [])]) {
    const plan = plans.get(who);
    plan.modules.forEach((m) => bound.add(m));
    plan.libraries.forEach((l) => bound.add(l.alias));
  }
  for (const r of facts.requires) {
    if (r.name === null) {
      report('E0102', r.line, r.column, 'require() with a computed name cannot be checked ahead of time');
    } else if (!bound.has(r.name) && !isAmbient(r.name)) {
      // A library runs in its consumers' globals: with no consumer in this app (vendored code, a library for
      // other apps) nobody can say whether the name will be bound, so it is only a warning.
      const unused = e.kind === 'library.lua' && (consumers.get(e.id) ?? []).length === 0;
      if (unused) report('E0112', r.line, r.column, `require("${r.name}") is not declared by this library, and no entry of the app imports it`);
      else report('E0101', r.line, r.column, `require("${r.name}") is not declared in modules or imports`);
    }
  }
}

/** Link plans computed once per entry per run (requires and consumers both need them). */
class PlanCache {
  private plans = new Map<string, LinkPlan>();
  constructor(private app: LoadedApp) {}

  get(e: Entry): LinkPlan {
    let p = this.plans.get(e.id);
    if (p === undefined) this.plans.set(e.id, (p = linkPlan(this.app, e)));
    return p;
  }
}

/** Entries that (transitively) import each library. */
function consumersOf(app: LoadedApp, plans: PlanCache): Map<string, Entry[]> {
  const out = new Map<string, Entry[]>();
  for (const e of app.entries) {
    if (!isLuaEntry(e) || e.kind === 'library.lua') continue;
    for (const lib of plans.get(e).libraries) {
      const list = out.get(lib.id) ?? [];
      if (!list.includes(e)) list.push(e);
      out.set(lib.id, list);
    }
  }
  return out;
}

/** Method resolution of spec §1.5, where the returned value is visible statically. */
function checkMethod(e: Entry, facts: ChunkFacts, report: (c: Code, l: number, col: number, m: string) => void): void {
  if (e.kind === 'library.lua') return;
  const method = methodOf(e);
  const x = facts.exports;
  if (method === undefined || x.kind === 'function' || x.kind === 'unknown') return;
  if (x.kind === 'none') {
    // Without an explicit method a process may run its chunk as the entry (legacy path).
    if (typeof e.data.method === 'string' && e.data.method !== '') report('E0108', 1, 1, `method "${method}" not found in module: the chunk returns nothing`);
  } else if (x.kind === 'value') {
    report('E0108', x.line, x.column, `method "${method}" not found in module: the chunk returns ${x.what}, not a table or function`);
  } else if (!x.keys.includes(method)) {
    const have = x.keys.length > 0 ? ` (it has ${x.keys.map((k) => `'${k}'`).join(', ')})` : ' (it is empty)';
    report('E0108', x.line, x.column, `method "${method}" not found in the table the chunk returns${have}`);
  }
}

// ---- the facts cache ----

interface CacheFile {
  version: number;
  /** Parsed definition files by path + content hash. */
  defs: Record<string, unknown>;
  facts: Record<string, ChunkFacts>;
  lint: Record<string, LintFinding[]>;
}

const emptyCache = (): CacheFile => ({ version: CACHE_VERSION, defs: {}, facts: {}, lint: {} });

/** Per-app JSON file of parsed definitions and chunk facts by content hash; what the last run did not use is dropped. */
class FactsCache implements LoadCache {
  private used: CacheFile = emptyCache();
  private dirty = false;
  private constructor(private file: string, private old: CacheFile) {}

  static open(root: string): FactsCache {
    const file = join(CACHE_DIR, `check-${createHash('sha1').update(root).digest('hex').slice(0, 16)}.json`);
    // First run, an unreadable cache or an older format: start empty.
    const parsed = readCache<CacheFile>(file);
    return new FactsCache(file, parsed?.version === CACHE_VERSION ? parsed : emptyCache());
  }

  get(key: string): unknown {
    const d = this.used.defs[key] ?? this.old.defs[key];
    if (d !== undefined) this.used.defs[key] = d;
    return d;
  }

  set(key: string, value: unknown): void {
    this.used.defs[key] = value;
    this.dirty = true;
  }

  facts(hash: string): ChunkFacts | undefined {
    const f = this.used.facts[hash] ?? this.old.facts[hash];
    if (f !== undefined) this.used.facts[hash] = f;
    return f;
  }

  lint(key: string): LintFinding[] | undefined {
    const l = this.used.lint[key] ?? this.old.lint[key];
    if (l !== undefined) this.used.lint[key] = l;
    return l;
  }

  store(hash: string, facts: ChunkFacts, lintKey: string | null, lint: LintFinding[]): void {
    this.used.facts[hash] = facts;
    if (lintKey !== null) this.used.lint[lintKey] = lint;
    this.dirty = true;
  }

  save(): void {
    const size = (c: CacheFile) => Object.keys(c.facts).length + Object.keys(c.defs).length + Object.keys(c.lint).length;
    const changed = this.dirty || size(this.used) !== size(this.old);
    if (changed) writeCache(this.file, this.used);
  }
}

