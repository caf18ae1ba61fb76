// Shared helpers for tests: driving the real CLI (build first: `npm test` does) and calling builtins directly.

import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { LuaError } from '../runtime/lua/error.js';
import { mv } from '../runtime/lua/ret.js';

/** The `lunac` command as npm installs it (bin/lunac → dist/cli). */
export const CLI = resolve(__dirname, '../bin/lunac');

export interface RunResult {
  status: number;
  stdout: string;
  stderr: string;
}

/** Run the lunac CLI with arguments. */
export function lunac(args: string[], opts: { cwd?: string; input?: string } = {}): Promise<RunResult> {
  return new Promise((done) => {
    const p = spawn(CLI, args, { cwd: opts.cwd ?? resolve(__dirname, '..') });
    let stdout = '', stderr = '';
    p.stdout.setEncoding('latin1').on('data', (d) => (stdout += d));
    p.stderr.setEncoding('latin1').on('data', (d) => (stderr += d));
    p.on('close', (code) => done({ status: code ?? -1, stdout, stderr }));
    p.stdin.end(opts.input ?? '');
  });
}

/** Write `src` to a temporary script and run it with `lunac run`. */
export function runLua(src: string, args: string[] = []): Promise<RunResult> {
  const dir = mkdtempSync(join(tmpdir(), 'lunac-test-'));
  const file = join(dir, 'main.lua');
  writeFileSync(file, src, 'latin1');
  return lunac(['run', file, ...args]);
}


type Builtin = (...args: any[]) => unknown;

/** All results of a builtin call, read from RV right after it returns. */
export function all(f: Builtin, ...args: unknown[]): unknown[] {
  const first = f(...args);
  return mv(first).slice();
}

/** The Lua error value raised by a call (fails the test when nothing is raised). */
export function raised(f: Builtin, ...args: unknown[]): unknown {
  try {
    f(...args);
  } catch (e) {
    if (e instanceof LuaError) return e.value;
    throw e;
  }
  throw new Error('expected a Lua error');
}
