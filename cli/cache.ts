// Compiled-chunk cache for `lunac run`: keyed by the source, its chunk name and the compiler build, so a
// script that did not change starts without loading the compiler at all.

import { statSync } from 'node:fs';
import { join } from 'node:path';
import type { ChunkCode } from '../runtime/lua/loader.js';
import { CACHE_DIR, readCache, writeCache } from '../compiler/cache.js';

/**
 * The compiler, loaded when a cache misses. A synchronous require of its ES module rather than a dynamic
 * import: the launcher evaluates the CLI bundles through V8's code cache, where import() is unavailable.
 */
export function loadCompiler(): typeof import('../compiler/compile.js') {
  const { createRequire } = process.getBuiltinModule('node:module'); // loaded only when a cache misses
  return createRequire(import.meta.url)('../compiler/compile.js') as typeof import('../compiler/compile.js');
}

/** Identity of the compiler build: the modification time of its entry module. */
function compilerId(): string {
  try {
    return String(statSync(join(import.meta.dirname, '../compiler/compile.js')).mtimeMs);
  } catch {
    return 'dev';
  }
}

/** Standalone scripts: no host listens at loop safepoints, so there are none (see docs/architecture.md). */
export const STANDALONE = { safepoints: false } as const;

/** A cached chunk keeps its source: a hit is an exact match, so the key can be a cheap hash. */
interface Cached extends ChunkCode {
  src: string;
  compiler: string;
}

export function compileCached(src: string, chunkname: string): ChunkCode {
  const compiler = compilerId();
  const file = join(CACHE_DIR, `run-${hash(src, hash(chunkname, hash(compiler, 0x811c9dc5)))}.json`);
  const cached = readCache<Cached>(file);
  if (cached !== undefined && cached.src === src && cached.chunkname === chunkname && cached.compiler === compiler) return cached;
  const c = loadCompiler().compileLua(src, chunkname, STANDALONE);
  writeCache(file, { ...c, src, compiler });
  return c;
}

/**
 * FNV-1a over the string's char codes, continuing from h (unsigned 32 bits). Not a cryptographic hash:
 * node:crypto costs ~5 ms to load, and hits are verified against the stored source anyway.
 */
function hash(s: string, h: number): number {
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}
