/*
 * Differential test corpus: every Lua program under fixtures/lua/<area>/<name>.lua is run by a reference
 * and by lunac (`bin/lunac run <fixture>`, build first with `npm run build`), and the
 * two must agree.
 *
 * Reference rules
 * ---------------
 * - Default: the reference is Debian's `lua5.4`. Default fixtures are also checked by hand to print the same
 *   under `lua5.3`, and they avoid every construct where Wippy (which lunac follows) differs from PUC Lua:
 *   they never print integral floats (`1.0`, `10/2`, `2^3`) or long non-integral floats (they use
 *   `string.format("%.3f", x)` or `%g` instead), never print table/function addresses, never depend on
 *   `pairs` order over hash keys, stay within ±2^53, use `//` only on integers with a non-zero divisor,
 *   never use `%` by zero, `>>` on negative numbers, `math.type`, `%q`, non-ASCII upper/lower, 5.4-only
 *   features or the Wippy reserved words (`fun`, `interface`, `as`, `is`, `typeof`, …) as names.
 * - First line `-- expect: lua5.3` (or `-- expect: lua5.4`): that interpreter is the reference (used for
 *   5.1/5.3 idioms such as a zero `for` step, `math.pow`).
 * - First line `-- expect: wippy (spec §…: rule)`: a deliberate test of Wippy-specific behaviour (number
 *   printing, `//` and `%` rules, the typed dialect, `table.make_immutable`, `errors.*`, `string.gfind`,
 *   `os.platform`, …). The expected stdout is the file `<name>.expected` next to the program, written by hand
 *   from the spec rule named in the header. The program must exit with status 0 unless a file
 *   `<name>.expected-stderr` exists, holding the expected first line of stderr without the program prefix.
 *
 * Comparison: identical stdout (bytes), the same exit status class (0 vs non-zero), and for programs that end
 * with an uncaught error the same first line of stderr once the `lua5.4: ` / `lua5.3: ` / `lunac: ` prefix is
 * removed (so `lunac: fixtures/lua/errors/x.lua:3: boom` matches `lua5.4: fixtures/lua/errors/x.lua:3: boom`).
 * Both programs run with the repository root as cwd and the fixture's relative path, so error positions name
 * the same chunk. Each run gets 20 s; fixtures themselves finish in well under a second under lua5.4.
 *
 * Programs must be deterministic: no clock or time-of-day output, no printed random values (only their
 * properties), no output that depends on hash iteration order.
 */
import { describe, expect, test } from 'vitest';
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import os from 'node:os';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const FIXTURES = join(ROOT, 'fixtures', 'lua');
const CLI = join(ROOT, 'bin', 'lunac');
const BUILT = join(ROOT, 'dist', 'cli', 'launch.cjs');
const RUN_TIMEOUT_MS = 20_000;
/** Processes running at once: one per core on the 2-core CI machine (each test runs two processes in turn). */
const SLOTS = Math.max(1, Math.min(typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length, 4));
/** Per-test budget: two runs plus the time spent waiting for a free slot. */
const TEST_TIMEOUT_MS = 4 * RUN_TIMEOUT_MS + 60_000;

// ---- fixture discovery ----

interface Fixture {
  /** Path relative to the repo root with `/` separators, e.g. `fixtures/lua/basics/varargs.lua`. */
  rel: string;
  abs: string;
  /** `lua5.4`, `lua5.3` or `wippy` (expected output in `<name>.expected`). */
  reference: string;
  header: string;
}

function walk(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...walk(p));
    else if (name.endsWith('.lua')) out.push(p);
  }
  return out;
}

function fixtureOf(abs: string): Fixture {
  const rel = relative(ROOT, abs).split(sep).join('/');
  const first = readFileSync(abs, 'latin1').split('\n', 1)[0].trim();
  const m = /^--\s*expect:\s*(\S+)/.exec(first);
  const reference = m ? m[1] : 'lua5.4';
  return { rel, abs, reference, header: first };
}

const fixtures = walk(FIXTURES).map(fixtureOf);

// ---- process running with a concurrency limit ----

let running = 0;
const waiting: Array<() => void> = [];

async function withSlot<T>(fn: () => Promise<T>): Promise<T> {
  if (running >= SLOTS) await new Promise<void>((resolve) => waiting.push(resolve));
  running++;
  try {
    return await fn();
  } finally {
    running--;
    waiting.shift()?.();
  }
}

interface RunResult {
  stdout: string;
  stderr: string;
  code: number | null;
  timedOut: boolean;
  spawnError?: NodeJS.ErrnoException;
}

function run(cmd: string, args: string[]): Promise<RunResult> {
  return withSlot(
    () =>
      new Promise<RunResult>((resolve) => {
        const child = spawn(cmd, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
        const out: Buffer[] = [];
        const err: Buffer[] = [];
        let timedOut = false;
        let spawnError: NodeJS.ErrnoException | undefined;
        const timer = setTimeout(() => {
          timedOut = true;
          child.kill('SIGKILL');
        }, RUN_TIMEOUT_MS);
        child.stdout.on('data', (b: Buffer) => out.push(b));
        child.stderr.on('data', (b: Buffer) => err.push(b));
        child.on('error', (e: NodeJS.ErrnoException) => {
          spawnError = e;
        });
        child.on('close', (code) => {
          clearTimeout(timer);
          resolve({
            stdout: Buffer.concat(out).toString('latin1'),
            stderr: Buffer.concat(err).toString('latin1'),
            code,
            timedOut,
            spawnError,
          });
        });
      }),
  );
}

const interpreterChecks = new Map<string, Promise<void>>();

/** Fails with installation advice when a reference interpreter is missing. */
function requireInterpreter(name: string): Promise<void> {
  let p = interpreterChecks.get(name);
  if (!p) {
    p = run(name, ['-v']).then((r) => {
      if (r.spawnError || r.code !== 0) {
        throw new Error(
          `reference interpreter '${name}' is not available (${r.spawnError?.code ?? `exit ${r.code}`}): ` +
            `install Debian's lua5.3 and lua5.4 packages (apt-get install lua5.3 lua5.4); CI installs them`,
        );
      }
    });
    interpreterChecks.set(name, p);
  }
  return p;
}

/** What a run is compared on. */
interface Outcome {
  stdout: string;
  /** 0 for success, 1 for any failure. */
  status: number;
  /** First stderr line without the program-name prefix, only for failed runs. */
  error?: string;
}

function firstErrorLine(stderr: string): string {
  const line = stderr.split('\n', 1)[0].replace(/\r$/, '');
  return line.replace(/^(lua5\.[1-4]|lua|lunac): /, '');
}

function outcomeOf(r: RunResult, who: string): Outcome {
  if (r.spawnError) throw new Error(`${who}: cannot start (${r.spawnError.message})`);
  if (r.timedOut) throw new Error(`${who}: timed out after ${RUN_TIMEOUT_MS / 1000} s`);
  const status = r.code === 0 ? 0 : 1;
  return status === 0 ? { stdout: r.stdout, status } : { stdout: r.stdout, status, error: firstErrorLine(r.stderr) };
}

async function referenceOutcome(f: Fixture): Promise<Outcome> {
  if (f.reference === 'wippy') {
    const base = f.abs.replace(/\.lua$/, '');
    const expected = `${base}.expected`;
    if (!existsSync(expected)) throw new Error(`${f.rel}: header says '${f.header}' but ${expected} is missing`);
    const stdout = readFileSync(expected, 'latin1');
    const errFile = `${base}.expected-stderr`;
    if (existsSync(errFile)) return { stdout, status: 1, error: readFileSync(errFile, 'latin1').split('\n', 1)[0] };
    return { stdout, status: 0 };
  }
  if (!/^lua5\.[34]$/.test(f.reference)) throw new Error(`${f.rel}: unknown reference '${f.reference}' in '${f.header}'`);
  await requireInterpreter(f.reference);
  return outcomeOf(await run(f.reference, [f.rel]), f.reference);
}

async function lunacOutcome(f: Fixture): Promise<Outcome> {
  if (!existsSync(BUILT)) throw new Error(`${relative(ROOT, BUILT)} is missing: build first with npm run build`);
  return outcomeOf(await run(CLI, ['run', f.rel]), 'lunac');
}

// ---- the tests ----

describe('differential corpus', () => {
  test('corpus is present and consistent', () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(300);
    for (const f of fixtures) {
      const hasExpected = existsSync(f.abs.replace(/\.lua$/, '.expected'));
      expect(hasExpected, `${f.rel}: a .expected file goes with a '-- expect: wippy (…)' header`).toBe(
        f.reference === 'wippy',
      );
    }
  });

  for (const f of fixtures) {
    test.concurrent(
      f.rel,
      async () => {
        const want = await referenceOutcome(f);
        const got = await lunacOutcome(f);
        expect(got).toEqual(want);
      },
      TEST_TIMEOUT_MS,
    );
  }
});
