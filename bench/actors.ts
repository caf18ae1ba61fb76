// Actor benchmarks for `npm run bench`: the programs of bench/actors/ (a Wippy app: ping-pong, spawns,
// idle actors) run on lunac, and the same programs in Erlang (bench/actors/*.erl) run on BEAM in the same
// run, each measurement in a fresh process. Nothing is installed: without `erl`/`erlc` the BEAM column
// says "not installed".
//
// Figures: round trips/s between two actors, spawns/s (actors that exit at once, and actors that all stay
// alive until told to stop), and heap bytes per idle actor parked in `process.inbox():receive()`.
// Every timed program also runs with N = 0, so process start-up is visible on its own and the steady-state
// rate N / (t(N) − t(0)) can be read next to the whole-process rate N / t(N).
//
// `node dist/bench/actors.js` prints the section to stdout (options: --runs N, --timeout S, --budget S);
// `node --expose-gc dist/bench/actors.js --idle-heap N` is the memory harness run in a fresh process.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..'); // dist/bench/ -> repo
const APP = path.join(ROOT, 'bench/actors');
const CLI = path.join(ROOT, 'bin/lunac');
/** What `npm run build` makes for bin/lunac. */
const BUILT = path.join(ROOT, 'dist/cli/launch.cjs');
const HERE = fileURLToPath(import.meta.url);
const HOST = 'bench:host';

export const SECTION_START = '<!-- actors -->';
export const SECTION_END = '<!-- end of actors -->';

export interface ActorOptions { runs: number; timeout: number; budget: number }

/** Sizes: the issue's figures (200,000 round trips, 100,000 actors). */
const ROUND_TRIPS = 200_000;
const ACTORS = 100_000;

interface Program {
  key: string;
  title: string;
  n: number;
  /** Unit of the rate: what one of the N is. */
  unit: string;
  lunac: string; // entry ID
  beam: [string, string]; // module, function
  target?: number; // lunac rate must be at least BEAM rate / target
}

const PROGRAMS: Program[] = [
  { key: 'pingpong', title: 'ping-pong', n: ROUND_TRIPS, unit: 'round trips/s', lunac: 'bench:pingpong', beam: ['pingpong', 'main'], target: 3 },
  { key: 'spawn', title: 'spawn, workers exit at once', n: ACTORS, unit: 'spawns/s', lunac: 'bench:spawn', beam: ['spawn', 'main'], target: 3 },
  { key: 'spawn_alive', title: 'spawn, all alive until stopped', n: ACTORS, unit: 'spawns/s', lunac: 'bench:spawn_alive', beam: ['spawn', 'alive'] },
];
const IDLE_TARGET = 2048; // bytes per idle actor

// ---------------------------------------------------------------- running things

interface RunResult { seconds: number; stdout: string; error?: string }

function run(argv: string[], timeoutSec: number, env?: NodeJS.ProcessEnv): RunResult {
  const start = process.hrtime.bigint();
  const r = spawnSync(argv[0]!, argv.slice(1), {
    cwd: ROOT, encoding: 'utf8', timeout: timeoutSec * 1000, maxBuffer: 64 << 20, env: env ?? process.env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const errLines = (r.stderr ?? '').split('\n').map((l) => l.trim()).filter((l) => l);
  let error: string | undefined;
  if (r.error && (r.error as NodeJS.ErrnoException).code === 'ETIMEDOUT') error = `timeout (>${timeoutSec} s)`;
  else if (r.error) error = r.error.message;
  else if (r.status !== 0) error = errLines.find((l) => /Error\b|^lunac:/.test(l)) ?? errLines[0] ?? (r.signal ? `killed by ${r.signal}` : `exit code ${r.status}`);
  return { seconds, stdout: r.stdout ?? '', error };
}

// Like bench/run.ts: honour the CLI's shebang flags without relying on the executable bit.
function scriptCommand(script: string): string[] {
  const first = fs.readFileSync(script, 'utf8').split('\n', 1)[0] ?? '';
  const m = /^#!\s*(\S+)\s*(.*)$/.exec(first);
  if (!m) return [process.execPath, script];
  return m[2] ? [m[1]!, m[2].trim(), script] : [m[1]!, script];
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};
const cellText = (s: string) => s.replace(/\|/g, '\\|').replace(/\s+/g, ' ').slice(0, 100);
const int = (x: number) => Math.round(x).toLocaleString('en-US');

interface Impl {
  name: 'lunac' | 'BEAM';
  /** Why it cannot run (not installed, not built, does not compile). */
  problem?: string;
  command(p: Program, n: number): string[];
  idle(n: number): string[];
  /** Parses the idle program's output into bytes per actor. */
  idleBytes(stdout: string): number | undefined;
}

function lunacImpl(): Impl {
  return {
    name: 'lunac',
    problem: fs.existsSync(BUILT) ? undefined : `${path.relative(ROOT, BUILT)} not built`,
    command: (p, n) => [...scriptCommand(CLI), 'run', p.lunac, String(n), '-C', APP],
    idle: (n) => [process.execPath, '--expose-gc', HERE, '--idle-heap', String(n)],
    idleBytes: (out) => {
      try {
        const r = JSON.parse(out.trim().split('\n').pop() ?? '') as { n: number; before: number; after: number };
        return (r.after - r.before) / r.n;
      } catch {
        return undefined;
      }
    },
  };
}

function beamImpl(tmp: string): Impl {
  const erl = 'erl';
  const have = (cmd: string) => !spawnSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' }).status;
  let problem: string | undefined;
  if (!have('erl') || !have('erlc')) problem = 'not installed';
  else {
    const sources = fs.readdirSync(APP).filter((f) => f.endsWith('.erl')).map((f) => path.join(APP, f));
    const r = spawnSync('erlc', ['-o', tmp, ...sources], { encoding: 'utf8' });
    if (r.status !== 0) problem = `erlc failed: ${cellText((r.stderr || r.stdout || String(r.error)).trim())}`;
  }
  const cmd = (mod: string, fn: string, n: number) => [erl, '-noshell', '-pa', tmp, '-run', mod, fn, String(n)];
  return {
    name: 'BEAM',
    problem,
    command: (p, n) => cmd(p.beam[0], p.beam[1], n),
    idle: (n) => cmd('idle', 'main', n),
    idleBytes: (out) => {
      const m = /^(\d+) (\d+) (\d+)\s*$/m.exec(out);
      return m ? (Number(m[3]) - Number(m[2])) / Number(m[1]) : undefined;
    },
  };
}

function lunacVersion(): string {
  const git = spawnSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).stdout?.trim() || '?';
  const dirty = spawnSync('git', ['status', '--porcelain', '--untracked-files=no'], { cwd: ROOT, encoding: 'utf8' }).stdout?.trim();
  return `at ${git}${dirty ? ' (with uncommitted changes)' : ''}`;
}

function beamVersion(): string {
  const r = spawnSync('erl', ['-noshell', '-eval',
    'io:format("Erlang/OTP ~s, ERTS ~s, ~B schedulers", [erlang:system_info(otp_release), erlang:system_info(version), erlang:system_info(schedulers_online)]), halt().'],
  { encoding: 'utf8' });
  return r.error || r.status !== 0 ? 'Erlang not installed' : r.stdout.trim();
}

// ---------------------------------------------------------------- the memory harness (child process)

/**
 * Runs `bench:idle N` on a process host built in this process and prints the heap before and after the
 * N sleepers are parked, after full collections: {"n", "before", "after", "rssBefore", "rssAfter"}.
 */
async function idleHeap(n: number): Promise<void> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('run with node --expose-gc');
  const { buildImage } = await import('../compiler/bundle/image.js');
  const { createNode } = await import('../runtime/process/host.js');
  const built = buildImage(APP);
  if (built.errors.length) throw new Error(`bench/actors does not build: ${built.errors[0]!.message}`);
  let ready: () => void = () => {};
  const isReady = new Promise<void>((resolve) => (ready = resolve));
  const node = createNode(built.image, {
    out: (s) => { if (s.trim() === 'ready') ready(); else process.stderr.write(s); },
    err: (s) => process.stderr.write(s),
  });
  const settle = async () => {
    for (let i = 0; i < 3; i++) {
      await new Promise((r) => setImmediate(r));
      gc();
    }
  };
  await settle();
  const before = process.memoryUsage();
  const p = node.spawn('bench:idle', HOST, [n]);
  if (!('pid' in p)) throw new Error(`spawn failed: ${p.message}`);
  await isReady;
  await settle();
  const after = process.memoryUsage();
  if (node.size !== n + 1) throw new Error(`expected ${n + 1} live processes, found ${node.size}`);
  process.stdout.write(JSON.stringify({ n, before: before.heapUsed, after: after.heapUsed, rssBefore: before.rss, rssAfter: after.rss }) + '\n');
  process.exit(0);
}

// ---------------------------------------------------------------- the section

interface Cell { times: number[]; stdout?: string; problem?: string }

/** Runs every actor program on lunac and BEAM and returns the markdown section (with its markers). */
export function actorSection(opts: ActorOptions, log: (s: string) => void = (s) => process.stderr.write(s + '\n')): string[] {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'lunac-actors-'));
  const loadAtStart = os.loadavg().map((x) => x.toFixed(2)).join(' / ');
  const impls = [lunacImpl(), beamImpl(tmp)];
  const notes: string[] = [];

  // Timed programs: for each run, N = 0 and N on both implementations in turn, so load changes hit all alike.
  const cells = new Map<string, Cell>(); // `${impl}/${program}/${n}`
  const key = (i: Impl, p: Program, n: number) => `${i.name}/${p.key}/${n}`;
  for (const p of PROGRAMS) {
    for (const i of impls) for (const n of [0, p.n]) cells.set(key(i, p, n), { times: [], problem: i.problem });
    for (let r = 0; r < opts.runs; r++) {
      for (const i of impls) {
        for (const n of [0, p.n]) {
          const cell = cells.get(key(i, p, n))!;
          if (cell.problem || cell.times.reduce((a, b) => a + b, 0) > opts.budget) continue;
          const res = run(i.command(p, n), opts.timeout);
          log(`actors ${p.key.padEnd(12)} ${i.name.padEnd(6)} N=${String(n).padEnd(7)} run ${r + 1}/${opts.runs}  ${res.error ?? res.seconds.toFixed(3) + ' s'}`);
          if (res.error) { cell.problem = (res.error.startsWith('timeout') ? '' : 'error: ') + cellText(res.error); continue; }
          if (cell.stdout !== undefined && cell.stdout !== res.stdout) cell.problem = '**MISMATCH** (output changed between runs)';
          cell.stdout = res.stdout;
          cell.times.push(res.seconds);
        }
      }
    }
    // Both sides print the same checksum.
    const outs = impls.map((i) => cells.get(key(i, p, p.n))!).filter((c) => !c.problem && c.stdout !== undefined);
    if (outs.length === 2 && outs[0]!.stdout!.trim() !== outs[1]!.stdout!.trim()) {
      cells.get(key(impls[0]!, p, p.n))!.problem = `**MISMATCH** (lunac printed ${cellText(outs[0]!.stdout!)}, BEAM ${cellText(outs[1]!.stdout!)})`;
    }
  }

  // Idle memory: one fresh process per run.
  const idle = new Map<string, { bytes: number[]; problem?: string }>();
  for (const i of impls) {
    const m = { bytes: [] as number[], problem: i.problem };
    idle.set(i.name, m);
    for (let r = 0; r < opts.runs && !m.problem; r++) {
      const res = run(i.idle(ACTORS), opts.timeout);
      const b = res.error ? undefined : i.idleBytes(res.stdout);
      log(`actors idle         ${i.name.padEnd(6)} N=${ACTORS} run ${r + 1}/${opts.runs}  ${res.error ?? (b === undefined ? `unreadable output ${JSON.stringify(res.stdout)}` : `${b.toFixed(0)} B/actor`)}`);
      if (res.error || b === undefined) m.problem = 'error: ' + cellText(res.error ?? `unreadable output ${res.stdout}`);
      else m.bytes.push(b);
    }
  }
  fs.rmSync(tmp, { recursive: true, force: true });

  // ---------------------------------------------------------------- report
  const t = (i: Impl, p: Program, n: number) => {
    const c = cells.get(key(i, p, n))!;
    return c.problem || !c.times.length ? undefined : median(c.times);
  };
  const showTime = (i: Impl, p: Program, n: number) => {
    const c = cells.get(key(i, p, n))!;
    if (c.problem) return c.problem;
    const short = c.times.length < opts.runs;
    if (short) note(`† marks a median of fewer runs than requested: the ${opts.budget} s budget per cell was used up`);
    return `${median(c.times).toFixed(3)}${short ? ' †' : ''}`;
  };
  function note(text: string): string {
    const k = notes.indexOf(text);
    return ` [${k >= 0 ? k + 1 : notes.push(text)}]`;
  }
  const [lunac, beam] = impls as [Impl, Impl];
  const steady = (i: Impl, p: Program) => {
    const a = t(i, p, 0), b = t(i, p, p.n);
    return a === undefined || b === undefined || b <= a ? undefined : p.n / (b - a);
  };
  const whole = (i: Impl, p: Program) => {
    const b = t(i, p, p.n);
    return b === undefined ? undefined : p.n / b;
  };
  const rate = (x?: number) => (x === undefined ? '–' : int(x));
  const idleOf = (i: Impl) => {
    const m = idle.get(i.name)!;
    return m.problem || !m.bytes.length ? undefined : median(m.bytes);
  };
  const showIdle = (i: Impl) => idle.get(i.name)!.problem ?? (idleOf(i) === undefined ? '–' : `${int(idleOf(i)!)}`);

  const lines: string[] = [
    SECTION_START,
    '## Actors', '',
    `Measured on ${new Date().toISOString().replace(/\.\d+Z$/, 'Z')} by \`npm run bench\` (bench/actors.ts; \`--only actors\` runs just this part). ` +
      `Load average ${loadAtStart} at the start, ${os.loadavg().map((x) => x.toFixed(2)).join(' / ')} at the end. ` +
      `lunac: ${lunacVersion()}, node ${process.version}. ` +
      `BEAM: ${beam.problem === 'not installed' ? 'not installed (`erl`/`erlc` not found)' : beamVersion()} (\`erl -noshell\`, default flags).`, '',
    `Wall-clock seconds, median of ${opts.runs} fresh processes per cell, start-up included (the N = 0 columns are start-up alone: ` +
      'Node or the Erlang VM, for lunac also building the app image).', '',
    '| program | N | lunac N = 0 | lunac | BEAM N = 0 | BEAM |',
    '|---|---:|---:|---:|---:|---:|',
  ];
  for (const p of PROGRAMS) {
    lines.push(`| ${p.title} (\`${p.lunac}\` / \`${p.beam.join(':')}\`) | ${int(p.n)} | ${showTime(lunac, p, 0)} | ${showTime(lunac, p, p.n)} | ${showTime(beam, p, 0)} | ${showTime(beam, p, p.n)} |`);
  }
  lines.push('', 'Rates: *steady* is N / (t(N) − t(0)), *whole* is N / t(N).', '',
    '| figure | lunac | BEAM | lunac / BEAM | target | met |', '|---|---:|---:|---:|---|---|');
  for (const p of PROGRAMS) {
    const a = steady(lunac, p), b = steady(beam, p);
    const r = a !== undefined && b !== undefined ? a / b : undefined;
    const met = r === undefined || p.target === undefined ? '' : r >= 1 / p.target ? 'yes' : 'no';
    lines.push(`| ${p.unit}, ${p.title}, steady (whole) | ${rate(a)} (${rate(whole(lunac, p))}) | ${rate(b)} (${rate(whole(beam, p))}) | ` +
      `${r === undefined ? '–' : `${r.toFixed(2)}×`} | ${p.target ? `≥ 1/${p.target} of BEAM` : ''} | ${met} |`);
  }
  const li = idleOf(lunac), bi = idleOf(beam);
  lines.push(`| bytes per idle actor, N = ${int(ACTORS)} | ${showIdle(lunac)} | ${showIdle(beam)} | ` +
    `${li !== undefined && bi !== undefined ? `${(li / bi).toFixed(2)}×` : '–'} | < ${int(IDLE_TARGET)} | ${li === undefined ? '' : li < IDLE_TARGET ? 'yes' : 'no'} |`);
  if (notes.length) lines.push('', ...notes.map((n, k) => `${k + 1}. ${n}`));
  lines.push('',
    'Idle memory: lunac is V8 `heapUsed` after − before spawning the sleepers, each after full collections (`node --expose-gc`,',
    'the app run on a process host inside the harness), divided by N; BEAM is the `erlang:memory(processes)` delta divided by N.',
    'Both include the parent\'s share (one process) and exclude the code. The programs are in `bench/actors/` (`_index.yaml`',
    'for lunac, `*.erl` for BEAM) and print the same checksums; a **MISMATCH** cell replaces a time when they disagree.',
    SECTION_END);
  return lines;
}

/** Put the actor section into a benchmarks.md text: replace the old one, else insert it before `before`
 *  (at the end when `before` is undefined or absent). */
export function spliceSection(doc: string, section: string[], before?: string): string {
  const text = section.join('\n');
  const a = doc.indexOf(SECTION_START), b = doc.indexOf(SECTION_END);
  if (a >= 0 && b > a) return doc.slice(0, a) + text + doc.slice(b + SECTION_END.length);
  const at = before === undefined ? -1 : doc.indexOf(before);
  if (at < 0) return doc.replace(/\n*$/, '\n\n') + text + '\n';
  return doc.slice(0, at) + text + '\n\n' + doc.slice(at);
}

function parse(argv: string[]): ActorOptions {
  const o: ActorOptions = { runs: 5, timeout: 180, budget: 60 };
  for (let i = 0; i < argv.length; i += 2) {
    const v = Number(argv[i + 1]);
    if (argv[i] === '--runs') o.runs = Math.max(1, v);
    else if (argv[i] === '--timeout') o.timeout = v;
    else if (argv[i] === '--budget') o.budget = v;
    else throw new Error(`unknown option ${argv[i]} (see the top of bench/actors.ts)`);
  }
  return o;
}

if (process.argv[1] && HERE === path.resolve(process.argv[1])) {
  const argv = process.argv.slice(2);
  if (argv[0] === '--idle-heap') await idleHeap(Number(argv[1] ?? ACTORS));
  else process.stdout.write(actorSection(parse(argv)).join('\n') + '\n');
}
