// The lunac command line: running scripts like `lua`, compiling, diagnostics and exit codes.

import { describe, expect, test } from 'vitest';
import { lunac, runLua } from './helpers.js';

describe('lunac run FILE.lua', () => {
  test('prints, receives arg and ..., and exits 0', async () => {
    const r = await runLua('print(arg[0] ~= nil, arg[1], arg[2], select("#", ...), ...)', ['a', 'b c']);
    expect(r).toMatchObject({ status: 0, stdout: 'true\ta\tb c\t2\ta\tb c\n' });
  });

  test('an uncaught error prints lunac: FILE:LINE: message and exits 1', async () => {
    const r = await runLua('local x = 1\nerror("boom")');
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^lunac: .*main\.lua:2: boom\n/);
  });

  test('an uncaught runtime error names the variable', async () => {
    const r = await runLua('local user\nprint(user.name)');
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/main\.lua:2: attempt to index a nil value \(local 'user'\)/);
  });

  test('an uncaught non-string error value is described', async () => {
    const r = await runLua('error({code = 1})');
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('lunac: (error object is a table value)');
  });

  test('os.exit sets the exit status and flushes output', async () => {
    const r = await runLua('io.write("partial") os.exit(3)');
    expect(r).toMatchObject({ status: 3, stdout: 'partial' });
  });

  test('io.read reads lines and numbers from stdin', async () => {
    const s = await runLuaWithInput('local a = io.read("n") local l = io.read("l") local rest = io.read("a") print(a * 2, l, #rest)', '21 tail\nmore\n');
    expect(s.stdout).toBe('42\t tail\t5\n');
  });

  test('os.getenv reads the environment', async () => {
    const r = await runLua('print(os.getenv("HOME") ~= nil, os.getenv("LUNAC_SURELY_UNSET"))');
    expect(r.stdout).toBe('true\tnil\n');
  });

  test('load compiles a chunk at run time with its own chunk name', async () => {
    const r = await runLua('local f = load("return 1 + ...") print(f(41)) print(load("x ="))');
    expect(r.stdout).toMatch(/^42\nnil\t.*/);
  });

  test('deep recursion of 100,000 frames works and overflow is catchable', async () => {
    const r = await runLua('local function d(n) if n == 0 then return 0 end return 1 + d(n - 1) end\nprint(d(100000))\nlocal function inf(n) return inf(n + 1) + 1 end\nprint((pcall(inf, 1)))');
    expect(r.stdout).toBe('100000\nfalse\n');
  });

  test('bin/lunac runs scripts on the main thread with room for 190,000 nested Lua calls', async () => {
    // PUC Lua 5.4 allows about 200,000; the launcher raises the stack limit and passes --stack-size.
    const r = await runLua('local function d(n) if n == 0 then return 0 end return 1 + d(n - 1) end\nprint(d(190000))\nprint(coroutine.wrap(function() return d(100000) end)())\nlocal function inf(n) return inf(n + 1) + 1 end\nprint(pcall(inf, 1))');
    expect(r.stdout).toMatch(/^190000\n100000\nfalse\t.*main\.lua:4: stack overflow\n$/);
  });

  test('without the launcher (node dist/cli/main.js, as where the stack limit cannot be raised) scripts run on a worker thread just as deep', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lunac-test-'));
    const file = join(dir, 'main.lua');
    writeFileSync(file, 'local function d(n) if n == 0 then return 0 end return 1 + d(n - 1) end\nprint(d(190000), ...)\nerror("late")');
    const r = await new Promise<{ status: number; stdout: string; stderr: string }>((done) => {
      const p = spawn(process.execPath, [join(__dirname, '../dist/cli/main.js'), 'run', file, 'x']);
      let stdout = '', stderr = '';
      p.stdout.setEncoding('latin1').on('data', (d) => (stdout += d));
      p.stderr.setEncoding('latin1').on('data', (d) => (stderr += d));
      p.on('close', (code) => done({ status: code ?? -1, stdout, stderr }));
    });
    expect(r).toMatchObject({ status: 1, stdout: '190000\tx\n' });
    expect(r.stderr).toMatch(/^lunac: .*main\.lua:3: late\n/);
  });

  test('lunac starts Node without NODE_EXTRA_CA_CERTS (Node would parse the certificates) yet scripts see it in their environment', async () => {
    // Node warns at start-up when it cannot load the file; a script run never makes Node load it.
    const dir = mkdtempSync(join(tmpdir(), 'lunac-test-'));
    const file = join(dir, 'main.lua');
    writeFileSync(file, 'print(os.getenv("NODE_EXTRA_CA_CERTS"), os.getenv("LUNAC_EXTRA_CA_CERTS"))');
    const r = await new Promise<{ status: number; stdout: string; stderr: string }>((done) => {
      const p = spawn(CLI, ['run', file], { env: { ...process.env, NODE_EXTRA_CA_CERTS: join(dir, 'missing.pem') } });
      let stdout = '', stderr = '';
      p.stdout.setEncoding('latin1').on('data', (d) => (stdout += d));
      p.stderr.setEncoding('latin1').on('data', (d) => (stderr += d));
      p.on('close', (code) => done({ status: code ?? -1, stdout, stderr }));
    });
    expect(r).toMatchObject({ status: 0, stdout: `${join(dir, 'missing.pem')}\tnil\n`, stderr: '' });
  });

  test('bin/lunac finds its installation through a symlink (npm bin links) and from a relative path', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lunac-test-'));
    const file = join(dir, 'main.lua');
    writeFileSync(file, 'print("ok", #arg)');
    symlinkSync(CLI, join(dir, 'lunac'));
    const run = (cmd: string, cwd: string) => new Promise<{ status: number; stdout: string }>((done) => {
      const p = spawn(cmd, ['run', file, 'x'], { cwd });
      let stdout = '';
      p.stdout.setEncoding('latin1').on('data', (d) => (stdout += d));
      p.on('close', (code) => done({ status: code ?? -1, stdout }));
    });
    expect(await run(join(dir, 'lunac'), dir)).toEqual({ status: 0, stdout: 'ok\t1\n' });
    expect(await run('./lunac', dirname(CLI))).toEqual({ status: 0, stdout: 'ok\t1\n' });
  });

  test('a missing argument or an unknown command is a usage error (exit 2)', async () => {
    expect((await lunac(['run'])).status).toBe(2);
    expect((await lunac(['frobnicate'])).status).toBe(2);
    expect((await lunac(['--help'])).status).toBe(0);
  });

  test('a missing file is a usage error (exit 2)', async () => {
    const r = await lunac(['run', 'does/not/exist.lua']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('cannot open');
  });
});

describe('lunac compile FILE.lua', () => {
  test('prints a module that only names its runtime handle', async () => {
    const r = await lunac(['compile', 'fixtures/examples/hello.lua']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^export default \(function lua_chunk\(\$\)/);
    expect(r.stdout).not.toMatch(/\b(globalThis|process|require|Function)\b/);
  });

  test('a syntax error is FILE:LINE:COL: error P0001 and exit 1', async () => {
    const r = await runLua('local x = 1\nlocal y = = 2\n');
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/main\.lua:2:11: error P0001: /);
  });

  test('a malformed type annotation is a P0001 with its position', async () => {
    const r = await runLua('local x: {number = 1\n');
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/main\.lua:1:\d+: error P0001: /);
  });
});

import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { CLI } from './helpers.js';
import { pruneCache } from '../compiler/cache.js';

function runLuaWithInput(src: string, input: string): Promise<{ status: number; stdout: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'lunac-test-'));
  const file = join(dir, 'main.lua');
  writeFileSync(file, src, 'latin1');
  return new Promise((done) => {
    const p = spawn(CLI, ['run', file]);
    let stdout = '';
    p.stdout.setEncoding('latin1').on('data', (d) => (stdout += d));
    p.on('close', (code) => done({ status: code ?? -1, stdout }));
    p.stdin.end(input);
  });
}

describe('the cache directory', () => {
  test('pruneCache removes the least recently written files beyond the bound, and nothing below it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lunac-prune-'));
    try {
      for (let i = 0; i < 50; i++) {
        const f = join(dir, `run-${i}.json`);
        writeFileSync(f, '{}');
        utimesSync(f, 1_000_000 + i, 1_000_000 + i); // run-0 is the oldest
      }
      expect(pruneCache(dir, 60)).toBe(0);
      expect(readdirSync(dir)).toHaveLength(50);
      expect(pruneCache(dir, 40)).toBe(20); // down to three quarters of the bound
      const left = readdirSync(dir).map((n) => Number(/\d+/.exec(n)![0])).sort((a, b) => a - b);
      expect(left).toEqual(Array.from({ length: 30 }, (_, i) => i + 20));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
