// lunac's on-disk caches (compiled chunks, checker facts) share one directory and one way of writing: a
// whole JSON file renamed into place, so a reader never sees half a file. Losing a write only costs speed.

import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** `$LUNAC_CACHE_DIR`, or a per-user folder in the system temp directory. */
export const CACHE_DIR = process.env.LUNAC_CACHE_DIR ?? join(tmpdir(), `lunac-cache-${process.getuid?.() ?? 0}`);

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
  } catch {
    // A read-only or full disk only costs speed.
  }
}
