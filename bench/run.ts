// `npm run bench`: runs bench/programs/*.lua on lunac and on reference Lua implementations, each run in a
// fresh process, and writes the medians, ratios and machine details to docs/benchmarks.md.
// Options: --runs N (default 5), --only name,name, --impls name,name, --timeout S (per run, default 180),
//          --budget S (per program and implementation, default 30), --out FILE (default docs/benchmarks.md).
// The actor figures (bench/actors.ts: lunac against Erlang/BEAM) are part of a full run; `--only actors`
// runs just them and replaces only their section of the file, `--only fib,json` leaves them out.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { actorSection, spliceSection } from './actors.js';
import { checkSection, spliceCheck } from './check.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..'); // dist/bench/ -> repo
const PROGRAMS = path.join(ROOT, 'bench/programs');
const CLI = path.join(ROOT, 'bin/lunac');
/** What `npm run build` makes for bin/lunac. */
const BUILT = path.join(ROOT, 'dist/cli/launch.cjs');
const RING = 'coroutine-ring'; // reported on its own: it measures coroutines, not CPU code
const MARKER = '<!-- end of generated figures -->';
const ACTORS = 'actors'; // --only name of the actor section

interface Options { runs: number; only: string[] | null; impls: string[] | null; timeout: number; budget: number; out: string }

function parseOptions(argv: string[]): Options {
  const opts: Options = { runs: 5, only: null, impls: null, timeout: 180, budget: 30, out: path.join(ROOT, 'docs/benchmarks.md') };
  for (let i = 0; i < argv.length; i++) {
    const value = argv[i + 1];
    const list = () => (value ?? '').split(',').map((s) => s.trim()).filter(Boolean);
    switch (argv[i]) {
      case '--runs': opts.runs = Math.max(1, Number(value)); i++; break;
      case '--only': opts.only = list(); i++; break;
      case '--impls': opts.impls = list(); i++; break;
      case '--timeout': opts.timeout = Number(value); i++; break;
      case '--budget': opts.budget = Number(value); i++; break;
      case '--out': opts.out = path.resolve(value ?? ''); i++; break;
      default: throw new Error(`unknown option ${argv[i]} (see the top of bench/run.ts)`);
    }
  }
  return opts;
}

// The kernel runs `#!INTERPRETER ARG` as [interpreter, arg, script]. Doing the same here runs bin/lunac
// exactly as a user's shell does, without depending on the file's executable bit.
function scriptCommand(script: string): string[] {
  const first = fs.readFileSync(script, 'utf8').split('\n', 1)[0] ?? '';
  const m = /^#!\s*(\S+)\s*(.*)$/.exec(first);
  if (!m) return [process.execPath, script];
  return m[2] ? [m[1]!, m[2].trim(), script] : [m[1]!, script];
}

interface Impl {
  name: string;
  command(file: string, args: string[]): string[];
  /** Turn a program file into what `command` runs (the in-process variant makes an app of it). */
  prepare?(file: string, tmp: string): string;
}

/**
 * The program as the `main` method of a process entry of a one-entry app: compiled for the process host
 * (any call may suspend, loops are preemptible) and run by `lunac run bench:main -C APP`.
 */
function asProcessApp(file: string, tmp: string): string {
  const name = path.basename(file, '.lua');
  const dir = path.join(tmp, `app-${name}`);
  fs.mkdirSync(path.join(dir, 'src'), { recursive: true });
  const source = fs.readFileSync(file, 'latin1').replace(/^#!/, '--');
  // One line of prefix, so Lua line numbers in messages are off by one only.
  fs.writeFileSync(path.join(dir, 'src', 'main.lua'), `local function main(...) local arg = {...}\n${source}\nend\nreturn { main = main }\n`, 'latin1');
  fs.writeFileSync(path.join(dir, 'src', '_index.yaml'),
    'namespace: bench\nentries:\n  - name: host\n    kind: process.host\n  - name: main\n    kind: process.lua\n    source: file://main.lua\n');
  return dir;
}

const IMPLS: Impl[] = [
  { name: 'lunac', command: (f, a) => [...scriptCommand(CLI), 'run', f, ...a] },
  // The same program as a process entry, where any call could suspend (design bar: at most 1.5× lunac).
  { name: 'lunac-in-process', command: (f, a) => [...scriptCommand(CLI), 'run', 'bench:main', '-C', f, ...a], prepare: asProcessApp },
  { name: 'lua5.4', command: (f, a) => ['lua5.4', f, ...a] },
  { name: 'luajit', command: (f, a) => ['luajit', f, ...a] },
  { name: 'fengari', command: (f, a) => [process.execPath, path.join(ROOT, 'bench/drivers/fengari.mjs'), f, ...a] },
  { name: 'wasmoon', command: (f, a) => [process.execPath, path.join(ROOT, 'bench/drivers/wasmoon.mjs'), f, ...a] },
];

interface RunResult { seconds: number; stdout: string; error?: string }

function run(argv: string[], timeoutSec: number, quiet = false): RunResult {
  const start = process.hrtime.bigint();
  const r = spawnSync(argv[0]!, argv.slice(1), {
    cwd: ROOT, encoding: 'latin1', timeout: timeoutSec * 1000, maxBuffer: 256 << 20,
    stdio: ['ignore', quiet ? 'ignore' : 'pipe', 'pipe'],
  });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const stdout = r.stdout ?? '';
  const errLines = (r.stderr ?? '').split('\n').map((l) => l.trim()).filter((l) => l);
  // An uncaught Node exception starts with its source location ("node:internal/…:1210"); the message comes later.
  const nodeCrash = /^(node:|file:|\/)\S*:\d+$/.test(errLines[0] ?? '');
  const firstLine = (nodeCrash && errLines.find((l) => /^\w*Error\b/.test(l))) || (errLines[0] ?? '');
  let error: string | undefined;
  if (r.error && (r.error as NodeJS.ErrnoException).code === 'ETIMEDOUT') error = `timeout (>${timeoutSec} s)`;
  else if (r.error) error = r.error.message;
  else if (r.status !== 0) error = firstLine || (r.signal ? `killed by ${r.signal}` : `exit code ${r.status}`);
  return { seconds, stdout, error };
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};
const geomean = (xs: number[]) => Math.exp(xs.reduce((a, x) => a + Math.log(x), 0) / xs.length);
const cellText = (s: string) => s.replace(/\|/g, '\\|').replace(/\s+/g, ' ').slice(0, 100);

// A cell is a time, or the reason there is none (error, timeout, n/a, mismatch).
interface Cell { times: number[]; stdout?: string; problem?: string }

function firstDifference(expected: string, got: string): string {
  const a = expected.split('\n'), b = got.split('\n');
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    if (a[i] !== b[i]) return `line ${i + 1}: expected ${JSON.stringify(a[i] ?? '<end>')}, got ${JSON.stringify(b[i] ?? '<end>')}`;
  }
  return 'outputs differ';
}

// ---------------------------------------------------------------- compile-speed input

// ~100,000 lines of typed Lua: type declarations, annotated functions, tables, loops and method calls.
// Each unit sits in its own do-block, so the chunk stays under Lua's 200-locals limit.
export function typedSource(lines: number): string {
  const out: string[] = ['-- generated by bench/run.ts for the compile-speed figure', 'local M = {}'];
  for (let i = 0; ; i++) {
    const unit = `do
  type Point${i} = {x: number, y: number}
  type Shape${i} = {name: string, points: {Point${i}}, closed: boolean?}

  local function dist${i}(a: Point${i}, b: Point${i}): number
    local dx: number = a.x - b.x
    local dy: number = a.y - b.y
    return math.sqrt(dx * dx + dy * dy)
  end

  local function label${i}(n: number, s: string): string
    local parts: {string} = {}
    for k = 1, n do
      parts[#parts + 1] = s .. k
    end
    return table.concat(parts, ",")
  end

  local Counter${i} = {}
  Counter${i}.__index = Counter${i}

  function Counter${i}.new(start: number)
    return setmetatable({value = start, step = ${(i % 7) + 1}}, Counter${i})
  end

  function Counter${i}:add(n: number): number
    self.value = self.value + n * self.step
    return self.value
  end

  function M.run${i}(limit: number, shape: Shape${i}): number
    local c = Counter${i}.new(0)
    local total = 0
    while total < limit do
      total = total + c:add(1)
      if total % 2 == 0 then total = total + 1 elseif total > 1000 then break end
    end
    for _, p in ipairs(shape.points) do
      total = total + dist${i}(p, {x = 0, y = 0})
    end
    return total + #label${i}(3, shape.name)
  end
end`.split('\n');
    if (out.length + unit.length > lines - 1) break;
    out.push(...unit);
  }
  for (let k = 0; out.length < lines - 1; k++) out.push(`M.pad${k} = ${k}`); // fill up to the exact count
  out.push('return M');
  return out.join('\n') + '\n';
}

// ---------------------------------------------------------------- machine and versions

function machine(): string {
  const cpuinfo = fs.existsSync('/proc/cpuinfo') ? fs.readFileSync('/proc/cpuinfo', 'utf8') : '';
  const model = /^model name\s*:\s*(.*)$/m.exec(cpuinfo)?.[1] ?? os.cpus()[0]?.model ?? 'unknown';
  return `${model}, ${os.cpus().length} cores, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB memory, ${os.platform()} ${os.release()}`;
}

// Other work on the machine slows every implementation; the load average says how busy it was.
const loadavg = () => os.loadavg().map((x) => x.toFixed(2)).join(' / ');

function versions(): string[] {
  const firstLine = (argv: string[]) => {
    const r = spawnSync(argv[0]!, argv.slice(1), { encoding: 'utf8' });
    return r.error ? `not found (${r.error.message})` : ((r.stdout || r.stderr).split('\n')[0] ?? '').trim();
  };
  const pkg = (dir: string) => {
    try { return JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')).version as string; }
    catch { return 'not installed'; }
  };
  const dep = (name: string) => pkg(path.join(ROOT, 'node_modules', name));
  const git = spawnSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).stdout?.trim() || '?';
  const dirty = spawnSync('git', ['status', '--porcelain', '--untracked-files=no'], { cwd: ROOT, encoding: 'utf8' }).stdout?.trim();
  return [`lunac ${pkg(ROOT)} at ${git}${dirty ? ' (with uncommitted changes)' : ''}`, `node ${process.version}`,
    firstLine(['lua5.4', '-v']), firstLine(['luajit', '-v']), `fengari ${dep('fengari')}`, `wasmoon ${dep('wasmoon')}`];
}

// ---------------------------------------------------------------- main

function main() {
  const opts = parseOptions(process.argv.slice(2));
  const loadAtStart = loadavg();
  const allPrograms = fs.readdirSync(PROGRAMS).filter((f) => f.endsWith('.lua')).map((f) => f.slice(0, -4)).sort();
  for (const name of opts.only ?? []) if (name !== ACTORS && !allPrograms.includes(name)) throw new Error(`no program bench/programs/${name}.lua`);
  for (const name of opts.impls ?? []) if (!IMPLS.some((i) => i.name === name)) throw new Error(`no implementation ${name}`);
  const programs = allPrograms.filter((p) => !opts.only || opts.only.includes(p));
  const impls = IMPLS.filter((i) => !opts.impls || opts.impls.includes(i.name));
  const log = (s: string) => process.stderr.write(s + '\n');
  const withActors = !opts.only || opts.only.includes(ACTORS);
  if (opts.only && programs.length === 0) {
    // Only the actor figures: replace their section and keep everything else in the file as it is.
    const section = actorSection(opts, log);
    const old = fs.existsSync(opts.out) ? fs.readFileSync(opts.out, 'utf8') : '';
    const at = old.indexOf(MARKER);
    const generated = at >= 0 ? old.slice(0, at) : old;
    const anchor = ['\n## Notes\n', '\n## How to read this\n'].find((a) => generated.includes(a));
    fs.mkdirSync(path.dirname(opts.out), { recursive: true });
    fs.writeFileSync(opts.out, spliceSection(generated, section, anchor === undefined ? undefined : anchor.slice(1)) + (at >= 0 ? old.slice(at) : ''));
    log(`wrote the actor section of ${path.relative(process.cwd(), opts.out)}`);
    return;
  }
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'lunac-bench-'));
  const notes: string[] = [];
  const note = (text: string) => { const n = notes.indexOf(text); return ` [${n >= 0 ? n + 1 : notes.push(text)}]`; };

  // Start-up cost and availability: every implementation must run a one-line script.
  const hello = path.join(tmp, 'hello.lua');
  fs.writeFileSync(hello, 'print("ok")\n');
  const startup = new Map<string, Cell>();
  for (const impl of impls) {
    if (impl.name.startsWith('lunac') && !fs.existsSync(BUILT)) {
      startup.set(impl.name, { times: [], problem: 'n/a' + note(`${impl.name}: ${path.relative(ROOT, CLI)} not found (run \`npm run build\`)`) });
      continue;
    }
    const target = impl.prepare ? impl.prepare(hello, tmp) : hello;
    const results = [0, 1, 2].map(() => run(impl.command(target, []), 30));
    const bad = results.find((r) => r.error || r.stdout.trim() !== 'ok');
    startup.set(impl.name, bad
      ? { times: [], problem: 'n/a' + note(`${impl.name} failed to start: ${cellText(bad.error ?? `printed ${JSON.stringify(bad.stdout)}`)}`) }
      : { times: results.map((r) => r.seconds) });
  }
  const available = impls.filter((i) => !startup.get(i.name)!.problem);

  // Programs: round-robin over implementations for each run, so load changes on the machine hit all alike.
  const table = new Map<string, Map<string, Cell>>();
  for (const prog of programs) {
    const file = path.join(PROGRAMS, prog + '.lua');
    const prepared = new Map(impls.map((i) => [i.name, i.prepare ? i.prepare(file, tmp) : file]));
    const row = new Map<string, Cell>(impls.map((i) => [i.name, { times: [], problem: startup.get(i.name)!.problem }]));
    for (let r = 0; r < opts.runs; r++) {
      for (const impl of available) {
        const cell = row.get(impl.name)!;
        if (cell.problem || cell.times.reduce((a, b) => a + b, 0) > opts.budget) continue;
        const res = run(impl.command(prepared.get(impl.name)!, []), opts.timeout);
        log(`${prog.padEnd(16)} ${impl.name.padEnd(20)} run ${r + 1}/${opts.runs}  ${res.error ? res.error : res.seconds.toFixed(3) + ' s'}`);
        if (res.error) { cell.problem = (res.error.startsWith('timeout') ? '' : 'error: ') + cellText(res.error); continue; }
        if (cell.stdout !== undefined && cell.stdout !== res.stdout) cell.problem = '**MISMATCH**' + note(`${prog} on ${impl.name}: output changed between runs`);
        cell.stdout = res.stdout;
        cell.times.push(res.seconds);
      }
    }
    // Every output must agree with lua5.4's (or with the first implementation that produced one).
    const refName = ['lua5.4', ...row.keys()].find((n) => { const c = row.get(n); return c && !c.problem && c.stdout !== undefined; });
    const reference = refName ? row.get(refName)!.stdout! : undefined;
    for (const [name, cell] of row) {
      if (!cell.problem && reference !== undefined && cell.stdout !== reference) {
        cell.problem = '**MISMATCH**' + note(`${prog} on ${name}, compared with ${refName}: ${cellText(firstDifference(reference, cell.stdout!))}`);
      }
      if (!cell.problem && cell.times.length < opts.runs) {
        note(`† marks a median of fewer runs than requested: the implementation used up the ${opts.budget} s budget for the program`);
      }
    }
    table.set(prog, row);
  }

  // Compile speed: one 100,000-line typed Lua file, median of 3.
  let compile: string;
  const big = path.join(tmp, 'big.lua');
  fs.writeFileSync(big, typedSource(100_000));
  if (!fs.existsSync(BUILT)) compile = `n/a (${path.relative(ROOT, BUILT)} not built)`;
  else {
    const runs: RunResult[] = [];
    for (let i = 0; i < 3 && !runs.some((r) => r.error); i++) runs.push(run([...scriptCommand(CLI), 'compile', big], opts.timeout, true));
    const failed = runs.find((r) => r.error);
    compile = failed ? `error: ${cellText(failed.error!)}` : `${median(runs.map((r) => r.seconds)).toFixed(2)} s`;
    log(`compile 100k lines: ${compile}`);
  }
  const bigLines = fs.readFileSync(big, 'utf8').split('\n').length - 1;
  fs.rmSync(tmp, { recursive: true, force: true });

  // Actors: lunac against Erlang/BEAM, a section of its own; `lunac check` speed on a generated app too.
  const actors = withActors ? actorSection(opts, log) : [];
  const check = withActors ? checkSection(Math.min(opts.runs, 5), log) : [];

  // ---------------------------------------------------------------- report
  const time = (c: Cell | undefined) => (!c || c.problem || !c.times.length ? undefined : median(c.times));
  const show = (c: Cell) => c.problem ?? `${median(c.times).toFixed(3)}${c.times.length < opts.runs ? ' †' : ''}`;
  const ratio = (a?: number, b?: number) => (a !== undefined && b !== undefined ? `${(a / b).toFixed(2)}×` : '–');
  const names = impls.map((i) => i.name);
  const lines: string[] = [
    '# Benchmarks', '',
    `Generated by \`npm run bench\` (bench/run.ts) on ${new Date().toISOString().replace(/\.\d+Z$/, 'Z')}.`, '',
    `- Machine: ${machine()}; load average (1/5/15 min) ${loadAtStart} at the start, ${loadavg()} at the end`,
    `- Versions: ${versions().join('; ')}`,
    `- Runs: median of ${opts.runs} wall-clock runs per cell, each in a fresh process, process start-up included; ` +
      `per-run timeout ${opts.timeout} s, per-cell budget ${opts.budget} s.`, '',
    '## Run time (seconds)', '',
    `| program | ${names.join(' | ')} | lunac / lua5.4 | in-process / lunac |`,
    `|---|${names.map(() => '---:').join('|')}|---:|---:|`,
  ];
  const startRow = names.map((n) => { const c = startup.get(n)!; return c.problem ?? median(c.times).toFixed(3); });
  lines.push(`| *start-up (\`print("ok")\`)* | ${startRow.join(' | ')} | | |`);
  for (const [prog, row] of table) {
    const t = (n: string) => time(row.get(n));
    lines.push(`| ${prog} | ${names.map((n) => show(row.get(n)!)).join(' | ')} | ${ratio(t('lunac'), t('lua5.4'))} | ${ratio(t('lunac-in-process'), t('lunac'))} |`);
  }

  // Geometric means over the CPU programs where both sides have a time; the ring separately.
  const mean = (a: string, b: string, progs: string[]) => {
    const rs = progs.map((p) => [time(table.get(p)!.get(a)), time(table.get(p)!.get(b))])
      .filter(([x, y]) => x !== undefined && y !== undefined).map(([x, y]) => x! / y!);
    return rs.length ? `${geomean(rs).toFixed(2)}× (${rs.length} of ${progs.length} programs)` : 'n/a';
  };
  const cpu = [...table.keys()].filter((p) => p !== RING);
  const ring = table.has(RING) ? [RING] : [];
  lines.push('', '## Summary', '', '| figure | measured | bar (design.md) |', '|---|---|---|',
    `| lunac / lua5.4, geometric mean over the CPU programs | ${mean('lunac', 'lua5.4', cpu)} | ≤ 0.5× (long run: LuaJIT) |`,
    `| luajit / lua5.4, same programs | ${mean('luajit', 'lua5.4', cpu)} | |`,
    `| lunac-in-process / lunac, CPU programs | ${mean('lunac-in-process', 'lunac', cpu)} | ≤ 1.5× |`,
    `| coroutine-ring: lunac / lua5.4 | ${ring.length ? mean('lunac', 'lua5.4', ring) : 'n/a'} | < 1× |`,
    `| compile 100k lines (\`lunac compile\` of a ${bigLines}-line typed file, median of 3) | ${compile} | < 3 s |`);
  if (actors.length) lines.push('', ...actors);
  if (notes.length) lines.push('', '## Notes', '', ...notes.map((n, i) => `${i + 1}. ${n}`));
  lines.push('', '## How to read this', '',
    'Each cell is the median wall-clock time of a fresh process running the program at its default size, so it includes',
    'process start-up; the *start-up* row shows what that alone costs (the Node-based implementations pay for starting',
    'Node and loading their code, native Lua does not). Ratios below 1× mean lunac is faster than Lua 5.4. A † marks a',
    'median of fewer runs: slow implementations stop after the per-cell budget. *lunac-in-process* runs the same',
    'program as the `main` method of a process entry (`lunac run bench:main -C APP`), where any call may suspend; its ratio to *lunac*',
    'is the cost of colourless suspension. Every implementation must print exactly what the others print; a **MISMATCH**',
    'cell replaces the time when it does not. The machine may be shared, so compare ratios from the same run rather than',
    'absolute times across runs (the load average above shows how busy the machine was). Programs and their sizes are',
    'described at the top of each file in `bench/programs/`.', '',
    'Reproduce with `npm run build && npm run bench` (options: `--runs N`, `--only fib,json` or `--only actors`,',
    '`--impls lunac,lua5.4` (CPU programs only), `--timeout S`, `--budget S`, `--out FILE`).', '');

  // Keep whatever the team wrote below the marker.
  const old = fs.existsSync(opts.out) ? fs.readFileSync(opts.out, 'utf8') : '';
  const at = old.indexOf(MARKER);
  const kept = at >= 0 ? old.slice(at + MARKER.length) : old ? `\n\n${old}` : '\n';
  fs.mkdirSync(path.dirname(opts.out), { recursive: true });
  const generated = check.length > 0 ? spliceCheck(lines.join('\n'), check) : lines.join('\n');
  fs.writeFileSync(opts.out, generated + MARKER + kept);
  log(`wrote ${path.relative(process.cwd(), opts.out)}`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) main();
