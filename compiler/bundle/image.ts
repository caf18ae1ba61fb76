// App → AppImage: load and check the app, compile every Lua entry (cached by content), and record each
// entry's link plan. The image is what the runtime runs (`lunac run/serve/test`) and what `lunac build`
// writes to disk.

import { createHash } from 'node:crypto';
import { readdirSync, statSync } from 'node:fs';
import { CACHE_DIR, readCache, writeCache } from '../cache.js';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import type { CompiledChunk } from '../compile.js';
import type { SuspendOptions } from '../analyse/suspend.js';
import { loadApp, type LoadCache, type LoadedApp } from '../entries/load.js';
import { checkGraph, linkPlan } from '../entries/graph.js';
import { isLuaEntry, type Entry } from '../entries/entry.js';
import { diagnostic, type Diagnostic } from '../diagnostics.js';
import type { AppImage } from '../../runtime/app/image.js';
import { blockingCall, HOST_BLOCKING_NAMES, MODULE_INFO } from '../../runtime/modules/catalogue.js';
import type { RegistryEntry } from '../../runtime/app/registry-data.js';

export interface BuiltImage {
  image: AppImage;
  app: LoadedApp;
  /** Errors that stop the app from running (warnings are left to `lunac check`). */
  errors: Diagnostic[];
  /** The app was compiled as a closed world for blocking (see closedWorld). */
  closedWorld: boolean;
}

/** Entries compile for the process host: any call may block, so functions get generator twins. */
export const COMPILE_OPTIONS = { hostSuspension: true };

/** Modules every entry sees as globals (spec §2.9): their functions' blocking is known too. */
const AMBIENT = [...MODULE_INFO.values()].filter((m) => m.ambient).map((m) => m.name);

/**
 * Compile options for an entry: calls of its modules' functions that never block leave the caller plain.
 * Only modules the entry really binds count (another global of the same name could be anything). `closed`:
 * the app is a closed world for blocking (see closedWorld below); what a `library` returns goes to other
 * chunks, what any other entry returns only to the host.
 */
export function entryOptions(modules: readonly string[], closed = false, library = true): typeof COMPILE_OPTIONS & SuspendOptions {
  const bound = new Set([...modules, ...AMBIENT]);
  return {
    ...COMPILE_OPTIONS,
    hostExports: !library,
    blocking: (lib, name) => (bound.has(lib) ? blockingCall(lib, name) : undefined),
    ...(closed ? { closedWorld: HOST_BLOCKING_NAMES } : {}),
  };
}

export function buildImage(dir: string): BuiltImage {
  const app = loadApp(dir, DEFINITIONS);
  const errors = [...app.diagnostics, ...checkGraph(app)].filter((d) => d.severity === 'error');
  const image: AppImage = { registry: { entries: app.entries.map(registryEntry) }, chunks: {}, plans: {} };
  const lua = app.entries.filter((e): e is Entry & { data: { source: string } } => isLuaEntry(e) && typeof e.data.source === 'string');
  for (const e of lua) image.plans[e.id] = linkPlan(app, e);
  const closed = closedWorld(lua.map((e) => ({ src: e.data.source, modules: image.plans[e.id]!.modules, library: isLibrary(e) })));
  for (const e of lua) {
    try {
      image.chunks[e.id] = compileCachedSync(e.data.source, chunkName(e), image.plans[e.id]!.modules, closed, isLibrary(e));
    } catch (err) {
      const d = (err as { diag?: Diagnostic }).diag;
      if (d === undefined) throw err;
      const at = e.sourceAt;
      errors.push(diagnostic('P0001', at?.file ?? e.pos.file, d.line + (at?.lineOffset ?? 0), d.column, d.message, e.id));
    }
  }
  return { image, app, errors, closedWorld: closed };
}

/** Lua error positions name the file the user edits, or the entry ID for inline sources. */
function chunkName(e: Entry): string {
  return e.sourceAt && !e.sourceAt.indentAllLines && e.sourceAt.lineOffset === 0 ? e.sourceAt.file : e.id;
}

/** What the registry module serves: ID, kind, meta and data (Lua sources as text). */
function registryEntry(e: Entry): RegistryEntry {
  const data = { ...e.data };
  if (typeof data.source === 'string') data.source = Buffer.from(data.source, 'latin1').toString('utf8');
  return { id: e.id, kind: e.kind, meta: e.meta, data };
}

// ---- compile cache (shared with `lunac run FILE.lua`'s directory) ----


/** Identity of the compiler build: the newest modification time among its files (built JS or TS sources). */
function compilerId(): string {
  const root = fileURLToPath(new URL('..', import.meta.url));
  let newest = 0;
  const walk = (dir: string) => {
    for (const d of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, d.name);
      if (d.isDirectory()) walk(p);
      else if (/\.(js|ts)$/.test(d.name)) newest = Math.max(newest, statSync(p).mtimeMs);
    }
  };
  try {
    walk(root);
  } catch {
    return 'unknown';
  }
  return String(newest);
}

const ID = compilerId();

/**
 * Parsed definition files, one cache file each (keyed by path, content and compiler build): an unchanged
 * app starts without loading the YAML library, whose first parse alone costs ~0.1 s.
 */
const DEFINITIONS: LoadCache = {
  get: (key) => readCache(join(CACHE_DIR, `def-${ID}-${key}.json`)),
  set: (key, value) => writeCache(join(CACHE_DIR, `def-${ID}-${key}.json`), value),
};

// The compiler (Babel above all) is loaded only on a cache miss: an unchanged app starts without it.
const require = createRequire(import.meta.url);
let compiler: typeof import('../compile.js') | null = null;

/** The compiler module, loaded synchronously on first use. */
export function loadCompiler(): typeof import('../compile.js') {
  return (compiler ??= require('../compile.js') as typeof import('../compile.js'));
}

/** Provide the compiler module up front (tests run the TypeScript sources, which `require` cannot load). */
export function setCompiler(c: typeof import('../compile.js')): void {
  compiler = c;
}

const isLibrary = (e: Entry) => e.kind === 'library.lua';

/**
 * The value cached under the key made of `parts` (with the compiler build and the chunk's modules and
 * source), or `make()`'s, written to the cache.
 */
function cachedFor<T>(parts: readonly string[], modules: readonly string[], src: string, make: () => T): T {
  const h = createHash('sha256').update(ID);
  for (const p of parts) h.update('\0').update(p);
  const key = h.update('\0').update([...modules].sort().join(',')).update('\0').update(src, 'latin1').digest('hex');
  const file = join(CACHE_DIR, key + '.json');
  const cached = readCache<T>(file);
  if (cached !== undefined) return cached;
  const v = make();
  writeCache(file, v);
  return v;
}

function compileCachedSync(src: string, chunkname: string, modules: readonly string[], closed: boolean, library: boolean): CompiledChunk {
  return cachedFor([closed ? 'closed' : 'entry', library ? 'lib' : 'entry', chunkname], modules, src,
    () => loadCompiler().compileLua(src, chunkname, entryOptions(modules, closed, library)));
}

/**
 * Is the app a closed world for blocking? Functions cross neither processes nor entries other than through
 * the `require`s of a link plan, so every function a Lua state can call is in one of the app's chunks or
 * is a host function. When no chunk lets a blocking function go where the analysis cannot follow it
 * (SuspendInfo.closedWorldHolds), a call the analysis cannot resolve never blocks, and calls in loops that
 * cannot block may take their callee's plain version (docs/architecture.md). Answers are cached per chunk.
 */
function closedWorld(chunks: readonly { src: string; modules: readonly string[]; library: boolean }[]): boolean {
  return chunks.every(({ src, modules, library }) =>
    cachedFor(['world', library ? 'lib' : 'entry'], modules, src, () => loadCompiler().keepsClosedWorld(src, entryOptions(modules, true, library))));
}
