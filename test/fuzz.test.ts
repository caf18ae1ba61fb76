/*
 * Differential fuzzing: random programs from test/fuzz/generate.ts run under lua5.4 and under lunac
 * (`bin/lunac run`, build first) must print the same stdout and end with the same exit status; when
 * both fail, the first stderr lines must agree once the `lua5.4: ` / `lunac: ` prefix is removed (the same rule
 * as test/differential.test.ts).
 *
 * The test runs for a wall-time budget: FUZZ_SECONDS (default 60) seconds of generating and running programs,
 * two processes at a time, from seed FUZZ_SEED on (default 1, so CI is reproducible; FUZZ_RANDOM=1 starts from
 * a random seed, printed at the start). Every mismatch is written to fixtures/fuzz-failures/seed-<n>.lua
 * (git-ignored) and reported with its seed and output diff; reproduce one with
 * `FUZZ_SEED=<n> FUZZ_SECONDS=1 npx vitest run test/fuzz.test.ts`. FUZZ_PRINT=1 prints each generated program.
 * See the header of test/fuzz/generate.ts for what the programs contain.
 */
import { describe, expect, test } from 'vitest';
import { spawn } from 'node:child_process';
import { randomInt } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateProgram } from './fuzz/generate.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const CLI = join(ROOT, 'bin', 'lunac');
const BUILT = join(ROOT, 'dist', 'cli', 'launch.cjs');
const FAILURES = join(ROOT, 'fixtures', 'fuzz-failures');

const BUDGET_MS = Number(process.env.FUZZ_SECONDS ?? 60) * 1000;
// CI must be reproducible (a submission whose CI fails does not land), so the default is a fixed seed
// sequence; FUZZ_RANDOM=1 explores from a random seed instead.
const START_SEED = process.env.FUZZ_SEED !== undefined ? Number(process.env.FUZZ_SEED) >>> 0
  : process.env.FUZZ_RANDOM === '1' ? randomInt(1, 2 ** 31) : 1;
const PRINT = process.env.FUZZ_PRINT === '1';
/** Programs running at once (each runs lua5.4, then lunac). */
const CONCURRENCY = 2;
/** A generated program takes milliseconds under lua5.4; lunac's start-up and compilation dominate. */
const RUN_TIMEOUT_MS = 20_000;
/** Mismatches reported in detail (all of them are written to fixtures/fuzz-failures/). */
const MAX_REPORTED = 5;

interface RunResult {
  stdout: string;
  stderr: string;
  code: number | null;
  signal: NodeJS.Signals | null;
  timedOut: boolean;
  spawnError?: Error;
}

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv): Promise<RunResult> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let timedOut = false;
    let spawnError: Error | undefined;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, RUN_TIMEOUT_MS);
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', (e) => {
      spawnError = e;
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({
        stdout: Buffer.concat(out).toString('latin1'),
        stderr: Buffer.concat(err).toString('latin1'),
        code,
        signal,
        timedOut,
        spawnError,
      });
    });
  });
}

/** What a run is compared on (as in test/differential.test.ts). */
interface Outcome {
  stdout: string;
  status: number;
  error?: string;
}

function outcomeOf(r: RunResult): Outcome | string {
  if (r.spawnError) return `cannot start: ${r.spawnError.message}`;
  if (r.timedOut) return `timed out after ${RUN_TIMEOUT_MS / 1000} s`;
  if (r.signal) return `killed by ${r.signal}`;
  if (r.code === 0) return { stdout: r.stdout, status: 0 };
  const line = r.stderr.split('\n', 1)[0].replace(/\r$/, '');
  return { stdout: r.stdout, status: 1, error: line.replace(/^(lua5\.[1-4]|lua|lunac): /, '') };
}

/** The first differing line of two outputs with a little context. */
function diff(want: string, got: string): string {
  const a = want.split('\n');
  const b = got.split('\n');
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  const from = Math.max(0, i - 3);
  const show = (xs: string[]) =>
    xs
      .slice(from, i + 3)
      .map((l, j) => `${from + j + 1 === i + 1 ? '>' : ' '} ${from + j + 1}: ${l}`)
      .join('\n');
  return `first difference at stdout line ${i + 1}\n--- lua5.4\n${show(a)}\n--- lunac\n${show(b)}`;
}

function describeOutcome(o: Outcome | string): string {
  return typeof o === 'string' ? o : `status ${o.status}${o.error !== undefined ? `, error: ${o.error}` : ''}`;
}

interface Mismatch {
  seed: number;
  file: string;
  report: string;
}

describe('differential fuzzing against lua5.4', () => {
  test(
    `random programs for ${BUDGET_MS / 1000} s from seed ${START_SEED}`,
    async () => {
      if (!existsSync(BUILT)) throw new Error(`${relative(ROOT, BUILT)} is missing: build first with npm run build`);
      const probe = await run('lua5.4', ['-v'], process.env);
      if (probe.spawnError || probe.code !== 0) {
        throw new Error("lua5.4 is not available: install Debian's lua5.4 package (apt-get install lua5.4); CI installs it");
      }
      console.log(`fuzz: seeds from ${START_SEED}, ${BUDGET_MS / 1000} s (reproduce with FUZZ_SEED=${START_SEED})`);

      const dir = mkdtempSync(join(tmpdir(), 'lunac-fuzz-'));
      // A private compile cache, removed at the end, so the shared one does not fill up with one-off programs.
      const env = { ...process.env, LUNAC_CACHE_DIR: join(dir, 'cache') };
      const started = Date.now();
      let next = START_SEED;
      let ran = 0;
      let skipped = 0;
      const mismatches: Mismatch[] = [];

      const save = (seed: number, src: string) => {
        mkdirSync(FAILURES, { recursive: true });
        const saved = join(FAILURES, `seed-${seed}.lua`);
        writeFileSync(saved, src, 'latin1');
        return saved;
      };

      const one = async (seed: number) => {
        const src = generateProgram(seed);
        if (PRINT) console.log(src);
        const file = join(dir, `seed-${seed}.lua`);
        writeFileSync(file, src, 'latin1');
        const refRun = await run('lua5.4', [file], env);
        const ref = outcomeOf(refRun);
        if (typeof ref === 'string') {
          // A reference killed by a signal is a crash of lua5.4 itself (Lua 5.4.4 has a few bugs): it says
          // nothing about lunac. A timeout is a generator bug (programs must finish in milliseconds).
          if (refRun.signal && !refRun.timedOut) {
            console.warn(`fuzz: seed ${seed} skipped: lua5.4 ${ref}`);
            skipped++;
            return;
          }
          const saved = save(seed, src);
          mismatches.push({ seed, file: saved, report: `seed ${seed}: ${relative(ROOT, saved)}
lua5.4 ${ref}: a generator bug` });
          return;
        }
        const got = outcomeOf(await run(CLI, ['run', file], env));
        ran++;
        if (typeof got !== 'string' && got.stdout === ref.stdout && got.status === ref.status && got.error === ref.error) return;
        const saved = save(seed, src);
        const parts = [`seed ${seed}: ${relative(ROOT, saved)}`];
        if (typeof got === 'string') parts.push(`lunac ${got}`);
        else {
          if (got.stdout !== ref.stdout) parts.push(diff(ref.stdout, got.stdout));
          if (got.status !== ref.status || got.error !== ref.error) {
            parts.push(`lua5.4: ${describeOutcome(ref)}\nlunac:  ${describeOutcome(got)}`);
          }
        }
        mismatches.push({ seed, file: saved, report: parts.join('\n') });
      };

      // At least one program, then more while the budget lasts.
      const worker = async () => {
        do {
          const seed = next;
          next = (next + 1) >>> 0;
          await one(seed);
        } while (Date.now() - started < BUDGET_MS);
      };
      try {
        await Promise.all(Array.from({ length: CONCURRENCY }, worker));
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }

      const secs = ((Date.now() - started) / 1000).toFixed(1);
      console.log(`fuzz: ${ran} programs compared in ${secs} s (seeds ${START_SEED}..${next - 1}), ${skipped} skipped, ${mismatches.length} mismatches`);
      if (mismatches.length > 0) {
        mismatches.sort((a, b) => a.seed - b.seed);
        const shown = mismatches.slice(0, MAX_REPORTED).map((m) => m.report);
        const more = mismatches.length > MAX_REPORTED ? `\n\n… and ${mismatches.length - MAX_REPORTED} more: ${mismatches.slice(MAX_REPORTED).map((m) => m.seed).join(', ')}` : '';
        expect.fail(
          `${mismatches.length} generated program(s) behave differently under lunac and lua5.4 ` +
            `(reproduce one with FUZZ_SEED=<seed> FUZZ_SECONDS=1 npx vitest run test/fuzz.test.ts):\n\n` +
            shown.join('\n\n') +
            more,
        );
      }
      expect(ran).toBeGreaterThan(0);
    },
    BUDGET_MS + 2 * RUN_TIMEOUT_MS + 30_000,
  );
});
