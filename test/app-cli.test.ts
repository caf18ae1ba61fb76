// `lunac run ENTRY_ID [args] -C DIR` and `lunac test DIR` on the process fixture apps: results, exit codes,
// argument conversion, error reporting, print output and the test runner's report.
//
// These run dist/cli/main.js: build first with `./node_modules/.bin/tsc -p tsconfig.json`.

import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lunac } from './helpers.js';

const HOST_APP = resolve(__dirname, '../fixtures/apps/process/host');
const SUITE = resolve(__dirname, '../fixtures/apps/process/suite');

const run = (id: string, args: string[] = [], dir = HOST_APP) => lunac(['run', id, ...args, '-C', dir]);

describe.concurrent('lunac run ENTRY_ID', { timeout: 30_000 }, () => {
  it('a function entry prints its result as JSON and exits 0', async () => {
    const r = await run('app:unbuffered');
    expect(r).toEqual({ status: 0, stdout: '"send1 sent1 send2 recv1 recv2 sent2 send3 sent3 recv3 closed"\n', stderr: '' });
  });

  it('arguments are JSON values when they parse, strings otherwise', async () => {
    const r = await run('app:arg_types', ['1', '{"a":1}', 'x', 'true']);
    expect(r.stdout).toBe('"number:1 table:1 string:x boolean:true"\n');
    expect(r.status).toBe(0);
  });

  it('a table result is printed as JSON', async () => {
    const r = await run('app:select_fairness');
    expect(r.status).toBe(0);
    const v = JSON.parse(r.stdout) as { a: number; b: number };
    expect(v.a + v.b).toBe(1000);
  });

  it('a failing function (nil, err) exits 1 with kind and message on stderr', async () => {
    const r = await run('app:ret_error_obj');
    expect(r).toEqual({ status: 1, stdout: '', stderr: 'lunac: [NotFound] typed failure\n' });
  });

  it('a deadlock is reported, not hung on', async () => {
    const r = await run('app:deadlock');
    expect(r.status).toBe(1);
    expect(r.stderr).toBe('lunac: [Internal] DeadlockError: all coroutines blocked with no pending operations\n');
  });

  it('a timed-out call inside the entry is reported and the entry continues', async () => {
    const r = await run('app:timeout');
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toBe('spin -> nil | Timeout in_time=true\nslow -> nil | Timeout\nquick -> fast\nafter -> z');
  });

  it("a process entry's integer result is the exit status; print output reaches stdout", async () => {
    expect((await run('app:adder', ['2', '3'])).status).toBe(5);
    const r = await run('app:module_state');
    expect(r.stdout).toBe('counter\t1\ncounter\t2\ncounter\t3\n"1,2,3"\n');
  });

  it('a failing process exits 1 with its error', async () => {
    const r = await run('app:fails', ['errobj']);
    expect(r).toEqual({ status: 1, stdout: '', stderr: 'lunac: [Conflict] typed\n' });
  });

  it('a cancel deadline does not keep the CLI alive after the canceled process ended', async () => {
    const t0 = performance.now();
    const r = await run('app:cancel_quick');
    expect(r.stdout).toBe('canceled from_parent=true deadline=20000\n');
    expect(r.status).toBe(3);
    expect(performance.now() - t0).toBeLessThan(10_000); // the 20 s deadline timer is dropped at exit
  });

  it('an unknown entry or a non-runnable kind is a usage error (2)', async () => {
    const r = await run('app:nope');
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(`lunac: no entry 'app:nope' in ${HOST_APP}\n`);
    const h = await run('app:host');
    expect(h.status).toBe(2);
    expect(h.stderr).toBe("lunac: 'app:host' is a process.host; run takes a function.lua or process.lua entry\n");
  });
});

describe.concurrent('lunac test DIR', { timeout: 30_000 }, () => {
  it('runs every meta.type=test function in ID order, one line each, a summary, and exits 1 on failures', async () => {
    const r = await lunac(['test', SUITE]);
    expect(r.status).toBe(1);
    const lines = r.stdout.replace(/\(\d+ ms\)/g, '(N ms)').split('\n');
    expect(lines).toEqual([
      'FAIL suite:deadlocks (N ms): [Internal] DeadlockError: all coroutines blocked with no pending operations',
      'PASS suite:exec_roundtrip (N ms)',
      'pipeline sum\t6',
      'PASS suite:pipeline (N ms)',
      'FAIL suite:raises (N ms): [Internal] expected 1, got 2',
      'FAIL suite:returns_error (N ms): [NotFound] no such thing',
      '2 passed, 3 failed',
      '',
    ]);
  });

  it('an app without tests passes with an empty summary', async () => {
    const r = await lunac(['test', HOST_APP]);
    expect(r).toEqual({ status: 0, stdout: '0 passed, 0 failed\n', stderr: '' });
  });
});
