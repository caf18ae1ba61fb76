// Compiled-chunk cache for `lunac run`: keyed by the source, its chunk name and the compiler build, so a
// script that did not change starts without loading the compiler at all (Babel alone costs ~200 ms).

import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, statSync, writeFileSync, renameSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ChunkCode } from '../runtime/lua/loader.js';

const dir = process.env.LUNAC_CACHE_DIR ?? join(tmpdir(), `lunac-cache-${process.getuid?.() ?? 0}`);

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
  const file = join(dir, key + '.json');
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as ChunkCode;
  } catch {
    // Not cached yet.
  }
  const { compileLua } = await import('../compiler/compile.js');
  const c = compileLua(src, chunkname);
  try {
    mkdirSync(dir, { recursive: true });
    const tmp = `${file}.${process.pid}`;
    writeFileSync(tmp, JSON.stringify(c));
    renameSync(tmp, file);
  } catch {
    // A read-only or full disk only costs speed.
  }
  return c;
}
