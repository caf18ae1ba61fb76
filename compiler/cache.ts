// lunac's on-disk caches (compiled chunks, checker facts) share one directory and one way of writing: a
// whole JSON file renamed into place, so a reader never sees half a file. Losing a write only costs speed.

import { mkdirSync, readdirSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** `$LUNAC_CACHE_DIR`, or a per-user folder in the system temp directory. */
export const CACHE_DIR = process.env.LUNAC_CACHE_DIR ?? join(tempDir(), `lunac-cache-${process.getuid?.() ?? 0}`);

/**
 * os.tmpdir(), which every `lunac run` needs: on POSIX systems it reads the same variables, and loading
 * node:os for it would cost a third of a millisecond of start-up.
 */
export function tempDir(): string {
  if (process.platform === 'win32') return process.getBuiltinModule('node:os').tmpdir();
  const dir = process.env.TMPDIR || process.env.TMP || process.env.TEMP || '/tmp';
  return dir.length > 1 && dir.endsWith('/') ? dir.slice(0, -1) : dir;
}

/** The cached value in `file`, or undefined when there is none (or it is unreadable). */
export function readCache<T>(file: string): T | undefined {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as T;
  } catch {
    return undefined;
  }
}

export function writeCache(file: string, value: unknown): void {
  try {
    mkdirSync(dirname(file), { recursive: true });
    const tmp = `${file}.${process.pid}`;
    writeFileSync(tmp, JSON.stringify(value));
    renameSync(tmp, file);
    // Every edited script or entry leaves an entry behind: now and then, keep the directory bounded.
    if (Math.random() * PRUNE_EVERY < 1) pruneCache(dirname(file), MAX_FILES);
  } catch {
    // A read-only or full disk only costs speed.
  }
}

/** The cache directory holds at most this many files (chunks are a few KB to a few MB each). */
export const MAX_FILES = 4000;
/** One write in this many checks the size of the directory (listing it costs ~1 ms per 1,000 files). */
const PRUNE_EVERY = 64;

/**
 * Keep `dir` to at most `max` files: when it has more, remove the least recently written until a quarter
 * of the room is free again (so the next prune is far off). Returns how many files were removed.
 */
export function pruneCache(dir: string, max: number): number {
  const names = readdirSync(dir);
  if (names.length <= max) return 0;
  const files: { name: string; time: number }[] = [];
  for (const name of names) {
    try {
      files.push({ name, time: statSync(join(dir, name)).mtimeMs });
    } catch {
      // removed meanwhile by another lunac
    }
  }
  files.sort((a, b) => a.time - b.time);
  const drop = files.length - Math.floor(max * 0.75);
  let removed = 0;
  for (let i = 0; i < drop; i++) {
    try {
      unlinkSync(join(dir, files[i]!.name));
      removed++;
    } catch {
      // another lunac got there first
    }
  }
  return removed;
}
