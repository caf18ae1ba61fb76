// Compiled-chunk cache for `lunac run`: keyed by the source, its chunk name and the compiler build, so a
// script that did not change starts without loading the compiler at all (Babel alone costs ~200 ms).

import { createHash } from 'node:crypto';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ChunkCode } from '../runtime/lua/loader.js';
import { CACHE_DIR, readCache, writeCache } from '../compiler/cache.js';

/** Identity of the compiler build: the modification time of its entry module. */
function compilerId(): string {
  try {
    return String(statSync(fileURLToPath(new URL('../compiler/compile.js', import.meta.url))).mtimeMs);
  } catch {
    return 'dev';
  }
}

export async function compileCached(src: string, chunkname: string): Promise<ChunkCode> {
  const key = createHash('sha256').update(compilerId()).update('\0').update(chunkname).update('\0').update(src, 'latin1').digest('hex');
  const file = join(CACHE_DIR, key + '.json');
  const cached = readCache<ChunkCode>(file);
  if (cached !== undefined) return cached;
  const { compileLua } = await import('../compiler/compile.js');
  const c = compileLua(src, chunkname);
  writeCache(file, c);
  return c;
}
