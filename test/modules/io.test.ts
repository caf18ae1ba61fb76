// The terminal io module: output through the node's Output, reads from an injected input stream that park
// the calling process until data arrives, EOF handling, stdin paused when nobody reads, args and raw.

import { afterEach, describe, expect, test } from 'vitest';
import { PassThrough } from 'node:stream';
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildSync } from 'esbuild';
import { ioModule, setTerminalArgs, setTerminalInput } from '../../runtime/modules/io.js';
import { blockingCall } from '../../runtime/modules/catalogue.js';
import { registerModules } from '../../runtime/modules/index.js';
import { fromLua, toBytes } from '../../runtime/modules/module.js';
import { createNode } from '../../runtime/process/host.js';
import { Node } from '../../runtime/process/node.js';
import { compileLua } from '../../compiler/compile.js';
import type { AppImage } from '../../runtime/app/image.js';
import type { Outcome, Process } from '../../runtime/process/process.js';
import { runWithModules } from '../wippy-helpers.js';

registerModules([ioModule]);

interface Term {
  node: Node;
  out: string;
  err: string;
  flushes: number;
}

/** A node whose process.lua entries (ID → source returning the main function) use `io`; output captured. */
function terminal(procs: Record<string, string>): Term {
  const image: AppImage = { registry: { entries: [] }, chunks: {}, plans: {} };
  for (const [id, source] of Object.entries(procs)) {
    image.registry.entries.push({ id, kind: 'process.lua', meta: {}, data: { source, method: '', modules: ['io'] } });
    image.chunks[id] = compileLua(toBytes(source), id, { hostSuspension: true, blocking: blockingCall });
    image.plans[id] = { modules: ['io'], libraries: [] };
  }
  const t = { out: '', err: '', flushes: 0 } as Term;
  t.node = createNode(image, { out: (s) => (t.out += s), err: (s) => (t.err += s), flush: () => t.flushes++ } as never);
  return t;
}

function start(t: Term, id: string): Process {
  const p = t.node.spawn(id, Node.DEFAULT_HOST, []);
  if (!('pid' in p)) throw new Error(p.message);
  return p;
}

async function value(p: Process): Promise<unknown> {
  const o = await new Promise<Outcome>((r) => p.onDone(r));
  if (o.error) throw new Error(o.error.message);
  return fromLua(o.value);
}

const tick = (ms = 10) => new Promise((r) => setTimeout(r, ms));

afterEach(() => {
  setTerminalInput(new PassThrough());
  setTerminalArgs([]);
});

describe('io output', () => {
  test('write joins strings and numbers without newline; print tab-separates with tostring; eprint goes to stderr', async () => {
    const t = terminal({
      'app:main': `return function()
        io.write("a", 1, "b", 2.5)
        io.print("x", nil, true, 10)
        io.eprint("oops", 3)
        io.flush()
        return true
      end`,
    });
    expect(await value(start(t, 'app:main'))).toBe(true);
    expect(t.out).toBe('a1b2.5x\tnil\ttrue\t10\n');
    expect(t.err).toBe('oops\t3\n');
    expect(t.flushes).toBe(1);
  });

  test('write refuses tables with an argument error', () => {
    expect(() => runWithModules('io.write("a", {})', [ioModule])).toThrow(/bad argument #2 to 'write' \(string expected, got table\)/);
  });
});

describe('io input', () => {
  test('readline parks the process until lines arrive, strips \\n and \\r\\n, and returns nil at EOF', async () => {
    const input = new PassThrough();
    setTerminalInput(input);
    const t = terminal({
      'app:main': `return function()
        local a = io.readline()
        local b = io.readline()
        local c = io.readline()
        local d = io.readline()
        return {a, b, c, d == nil}
      end`,
    });
    const p = start(t, 'app:main');
    await tick();
    expect(p.alive).toBe(true); // parked: nothing to read yet
    input.write('one\ntw');
    await tick();
    input.write('o\r\nthree');
    input.end();
    expect(await value(p)).toEqual(['one', 'two', 'three', true]);
  });

  test('read(n) returns what is available up to n bytes; read("a") reads to EOF; bytes are kept', async () => {
    const input = new PassThrough();
    setTerminalInput(input);
    const t = terminal({
      'app:main': `return function()
        local a = io.read(3)
        local rest = io.read("*a")
        local eof = io.read(10)
        return {a, #rest, rest:byte(1), rest:byte(-1), eof == nil}
      end`,
    });
    const p = start(t, 'app:main');
    input.write(Buffer.from([0x41, 0x42, 0x43, 0x44, 0xff, 0x00, 0x45]));
    input.end();
    expect(await value(p)).toEqual(['ABC', 4, 0x44, 0x45, true]);
  });

  test('reads are served in order across processes, and stdin is paused once nobody waits', async () => {
    const input = new PassThrough();
    setTerminalInput(input);
    const t = terminal({ 'app:reader': 'return function() return io.readline() end' });
    const p1 = start(t, 'app:reader');
    await tick();
    const p2 = start(t, 'app:reader');
    await tick();
    expect(input.isPaused()).toBe(false);
    input.write('first\nsecond\n');
    expect(await value(p1)).toBe('first');
    expect(await value(p2)).toBe('second');
    expect(input.isPaused()).toBe(true);
  });

  test('a reader killed while parked does not swallow the next line', async () => {
    const input = new PassThrough();
    setTerminalInput(input);
    const t = terminal({ 'app:reader': 'return function() return io.readline() end' });
    const dead = start(t, 'app:reader');
    await tick();
    t.node.terminate(dead);
    const live = start(t, 'app:reader');
    await tick();
    input.write('line\n');
    expect(await value(live)).toBe('line');
  });

  test('outside a process a read that would wait raises; bad read formats raise', () => {
    setTerminalInput(new PassThrough());
    expect(() => runWithModules('io.readline()', [ioModule])).toThrow(/io\.readline: blocking call outside a process/);
    expect(() => runWithModules('io.read("x")', [ioModule])).toThrow(/bad argument #1 to 'read' \(invalid format\)/);
    expect(() => runWithModules('io.read(0)', [ioModule])).toThrow(/byte count must be a positive integer/);
  });
});

describe('io on the real stdin', () => {
  // A child Node process reads two lines through io.readline's generator twin (driving the Block by hand),
  // with stdin a pipe the parent keeps open: it must get lines written in pieces and then exit on its own.
  test('reads process.stdin asynchronously and lets the process exit while stdin stays open', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lunac-io-'));
    const io = fileURLToPath(new URL('../../runtime/modules/io.ts', import.meta.url));
    writeFileSync(join(dir, 'entry.ts'), `
      import { ioModule } from ${JSON.stringify(io)};
      const rl = ioModule.open({}).getStr('readline') as { G: () => Generator<unknown, unknown, unknown> };
      function read(): Promise<unknown> {
        const g = rl.G();
        const r = g.next();
        if (r.done) return Promise.resolve(r.value);
        return new Promise((res) => (r.value as (w: (ok: boolean, v: unknown) => void) => void)((_ok, v) => res(g.next(v).value)));
      }
      const a = await read();
      const b = await read();
      process.stdout.write(JSON.stringify([a, b]) + '\\n');
    `);
    buildSync({ entryPoints: [join(dir, 'entry.ts')], bundle: true, platform: 'node', format: 'esm', outfile: join(dir, 'out.mjs'), logLevel: 'error' });
    const child = spawn(process.execPath, [join(dir, 'out.mjs')], { stdio: ['pipe', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    const exited = new Promise<number | null>((r) => child.on('exit', r));
    child.stdin.write('one\nt');
    await tick(50);
    child.stdin.write('wo\nthree\n');
    const timer = setTimeout(() => child.kill(), 5000);
    const code = await exited;
    clearTimeout(timer);
    child.stdin.destroy();
    expect(code).toBe(0); // killed (null) if the open stdin kept it alive
    expect(out).toBe('["one","two"]\n');
  }, 15000);
});

describe('io.args and io.raw', () => {
  test('args returns the terminal arguments as byte strings', () => {
    setTerminalArgs(['--name', 'é', '3']);
    const r = runWithModules('local a = io.args() return #a, a[1], a[2], a[3]', [ioModule]);
    expect(r.results).toEqual([3, '--name', '\xc3\xa9', '3']);
    setTerminalArgs([]);
    expect(runWithModules('return #io.args()', [ioModule]).results).toEqual([0]);
  });

  test('raw on a stream that is not a terminal fails with UNAVAILABLE; on a TTY it sets raw mode', () => {
    setTerminalInput(new PassThrough());
    expect(runWithModules('local ok, err = io.raw(true) return ok, err:kind()', [ioModule]).results).toEqual([undefined, 'Unavailable']);
    const tty = Object.assign(new PassThrough(), { isTTY: true, modes: [] as boolean[], setRawMode(this: { modes: boolean[] }, on: boolean) { this.modes.push(on); } });
    setTerminalInput(tty);
    expect(runWithModules('return io.raw(true), io.raw(false)', [ioModule]).results).toEqual([true, true]);
    expect(tty.modes).toEqual([true, false]);
  });
});
