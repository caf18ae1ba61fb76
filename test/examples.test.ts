// The example apps in fixtures/apps (functions, ping-pong, worker-pool, supervision, event-bus, kv-server,
// chat-room) driven end to end through the CLI: each passes `lunac check` with no diagnostics, and
// `lunac run` prints exactly the expected output with the expected exit status, on every run.

import { describe, expect, test } from 'vitest';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lunac, type RunResult } from './helpers.js';

const APPS = 'fixtures/apps';

function run(entry: string, app: string, ...args: string[]): Promise<RunResult> {
  return lunac(['run', entry, ...args, '-C', `${APPS}/${app}`]);
}

const lines = (...l: string[]) => l.map((s) => s + '\n').join('');

describe.concurrent('example apps pass lunac check, lint rules included', () => {
  const entries: Record<string, number> = {
    functions: 7,
    'ping-pong': 5,
    'worker-pool': 4,
    supervision: 6,
    'event-bus': 6,
    'kv-server': 6,
    'chat-room': 5,
  };
  for (const [app, n] of Object.entries(entries)) {
    test(app, async ({ expect }) => {
      const r = await lunac(['check', `${APPS}/${app}`, '--rules', 'all']);
      expect(r.stderr).toBe('');
      expect(r.stdout).toMatch(new RegExp(`^no problems in ${n} entries\\n$`, 'i'));
      expect(r.status).toBe(0);
    });
  }
});

describe.concurrent('functions: funcs.call, futures, executors with context, returned errors', () => {
  test('main reports the quotient, the squares from four futures and the context seen by whoami', async ({ expect }) => {
    const r = await run('fns:main', 'functions');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toBe('{"as_admin":"ada (admin)","plain":"anonymous","quotient":2.5,"squares":[1,4,9,16],"total":30}\n');
  });

  test("a callee's nil, errors.new{...} reaches the caller with its kind and message", async ({ expect }) => {
    const r = await run('fns:main', 'functions', '1', '0');
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({
      as_admin: 'ada (admin)',
      failure: 'Invalid: division by zero',
      plain: 'anonymous',
      squares: [1, 4, 9, 16],
      total: 30,
    });
  });

  test('lunac test runs the meta.type: test functions and they pass', async ({ expect }) => {
    const r = await lunac(['test', `${APPS}/functions`]);
    expect(r.stdout.replace(/ \(\d+ ms\)/g, '')).toBe(lines('PASS fns:test_context', 'PASS fns:test_errors', 'PASS fns:test_futures', '3 passed, 0 failed'));
    expect(r.status).toBe(0);
  });
});

describe.concurrent('ping-pong: two processes exchanging messages through their inboxes', () => {
  test('default of 3 rounds', async ({ expect }) => {
    const r = await run('pingpong:main', 'ping-pong');
    expect(r).toEqual({ status: 0, stderr: '', stdout: lines('ping got back 3 of 3 balls', 'pong answered 3 pings') });
  });

  test('N from the command line', async ({ expect }) => {
    const r = await run('pingpong:main', 'ping-pong', '250');
    expect(r).toEqual({ status: 0, stderr: '', stdout: lines('ping got back 250 of 250 balls', 'pong answered 250 pings') });
  });
});

describe.concurrent('worker-pool: monitored workers, jobs over messages, shutdown with process.cancel', () => {
  test('3 workers, 10 jobs', async ({ expect }) => {
    const r = await run('pool:main', 'worker-pool');
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe(
      lines(
        'started 3 workers',
        'job  1:   4 -> worker 1',
        'job  2:   9 -> worker 2',
        'job  3:  16 -> worker 3',
        'job  4:  25 -> worker 1',
        'job  5:  36 -> worker 2',
        'job  6:  49 -> worker 3',
        'job  7:  64 -> worker 1',
        'job  8:  81 -> worker 2',
        'job  9: 100 -> worker 3',
        'job 10: 121 -> worker 1',
        'sum of results: 505',
        // The counts come from each worker's return value in its EXIT event, after CANCEL.
        'worker 1 stopped after 4 jobs',
        'worker 2 stopped after 3 jobs',
        'worker 3 stopped after 3 jobs',
      ),
    );
    expect(r.status).toBe(0);
  });

  test('K and the number of jobs from the command line', async ({ expect }) => {
    const r = await run('pool:main', 'worker-pool', '2', '5');
    expect(r.stdout).toBe(
      lines(
        'started 2 workers',
        'job  1:   4 -> worker 1',
        'job  2:   9 -> worker 2',
        'job  3:  16 -> worker 1',
        'job  4:  25 -> worker 2',
        'job  5:  36 -> worker 1',
        'sum of results: 90',
        'worker 1 stopped after 3 jobs',
        'worker 2 stopped after 2 jobs',
      ),
    );
    expect(r.status).toBe(0);
  });
});

describe.concurrent('supervision: restarts with backoff on EXIT and LINK_DOWN events', () => {
  test('the flaky worker succeeds within the limit; the doomed one is given up; an untrapped link fails', async ({ expect }) => {
    const r = await run('sup:main', 'supervision');
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe(
      lines(
        'flaky: attempt 1 failed: flaky failure #1 (retryable: true)',
        'flaky: restart 1 in 5ms',
        'flaky: attempt 2 failed: flaky failure #2 (retryable: true)',
        'flaky: restart 2 in 10ms',
        'flaky: finished on attempt 3',
        'doomed: attempt 1 crashed: doomed crash #1',
        'doomed: restart 1 in 5ms',
        'doomed: attempt 2 crashed: doomed crash #2',
        'doomed: restart 2 in 10ms',
        'doomed: attempt 3 crashed: doomed crash #3',
        'doomed: restart 3 in 20ms',
        'doomed: attempt 4 crashed: doomed crash #4',
        'doomed: giving up after 3 restarts',
        'doomed ran 4 times; trap_links = true',
        'guardian went down with its worker: linked process failed',
      ),
    );
    expect(r.status).toBe(0);
  });

  test('a lower limit than the failures: the supervisor gives up and exits 1', async ({ expect }) => {
    const r = await run('sup:main', 'supervision', '1', '5');
    expect(r.stdout).toBe(
      lines(
        'flaky: attempt 1 failed: flaky failure #1 (retryable: true)',
        'flaky: restart 1 in 5ms',
        'flaky: attempt 2 failed: flaky failure #2 (retryable: true)',
        'flaky: giving up after 1 restarts',
        'doomed: attempt 1 crashed: doomed crash #1',
        'doomed: restart 1 in 5ms',
        'doomed: attempt 2 crashed: doomed crash #2',
        'doomed: giving up after 1 restarts',
        'doomed ran 2 times; trap_links = true',
        'guardian went down with its worker: linked process failed',
      ),
    );
    expect(r.status).toBe(1);
  });
});

test('event-bus: events.subscribe system/kind globs, and process.listen topic globs before the inbox', async () => {
  const r = await run('bus:main', 'event-bus');
  expect(r.stderr).toBe('');
  expect(r.stdout).toBe(
    lines(
      'published 7 events',
      'all-orders (orders.*): 5 events',
      '  orders.eu order.created /orders/1 amount=30',
      '  orders.eu order.paid /orders/1 amount=30',
      '  orders.us order.created /orders/2 amount=45',
      '  orders.us order.paid /orders/2 amount=45',
      '  orders.us order.created /orders/3 amount=5',
      'payments (orders.*, order.paid): 2 events',
      '  orders.eu order.paid /orders/1 amount=30',
      '  orders.us order.paid /orders/2 amount=45',
      'eu-only (orders.eu): 2 events',
      '  orders.eu order.created /orders/1 amount=30',
      '  orders.eu order.paid /orders/1 amount=30',
      'users (users, user.*): 1 events',
      '  users user.created /users/7 amount=0',
      'auditor via listen("audit.*"): alice logged in, alice logged out',
      'auditor via inbox: metrics.cpu=42, auditing=not a match: no dot',
    ),
  );
  expect(r.status).toBe(0);
});

test('kv-server: a named server, request-reply clients, select loop stopped by CANCEL', async () => {
  const r = await run('kv:main', 'kv-server');
  expect(r.stderr).toBe('');
  expect(r.stdout).toBe(
    lines(
      'kv registered: true',
      'registering kv again: AlreadyExists',
      'alice:',
      '  put alice.color=green -> ok',
      '  get alice.color -> green',
      '  put alice.color=blue -> ok',
      '  get alice.color -> blue',
      'bob:',
      '  get bob.score -> error NotFound: no such key: bob.score',
      '  put bob.score=10 -> ok',
      '  put bob.tmp=true -> ok',
      '  delete bob.tmp -> ok',
      '  delete bob.tmp -> error NotFound: no such key: bob.tmp',
      'carol:',
      '  keys -> [alice.color,bob.score]',
      '  get bob.score -> 10',
      '  frobnicate x -> error Invalid: bad request: frobnicate',
      'server stopped: 12 requests, 2 keys',
      // The name is released when its owner exits.
      'after exit, lookup kv: nil, NotFound',
    ),
  );
  expect(r.status).toBe(0);
});

test('chat-room: join/leave/broadcast; every member receives its lines in the room order', async () => {
  const r = await run('chat:main', 'chat-room');
  expect(r.stderr).toBe('');
  expect(r.stdout).toBe(
    lines(
      'transcript:',
      '  1  * alice joined',
      '  2  * bob joined',
      '  3  <alice> hi bob',
      '  4  <bob> hello alice',
      '  5  * carol joined',
      '  6  <carol> what did I miss?',
      '  7  * alice left',
      '  8  <bob> alice left, carol',
      '  9  <carol> bye all',
      'alice received 7 lines (#1-#7), in order',
      'bob received 8 lines (#2-#9), in order',
      'carol received 5 lines (#5-#9), in order',
    ),
  );
  expect(r.status).toBe(0);
});

// Found while writing the apps (supervisors and dispatchers read EXIT results): every monitor used to
// receive the same result table, so one process's mutation showed up in another (spec §4.2: processes
// exchange deep copies). m1 tampers with its EXIT event; m2, monitoring the same process, must not see it.
test('monitors of one process each get their own copy of its EXIT result', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'lunac-exit-copy-'));
  mkdirSync(join(dir, 'src'));
  writeFileSync(join(dir, 'wippy.lock'), 'directories:\n  src: ./src\n');
  const proc = (name: string) => `  - name: ${name}\n    kind: process.lua\n    source: file://s.lua\n    method: ${name}\n`;
  writeFileSync(
    join(dir, 'src/_index.yaml'),
    'version: "1.0"\nnamespace: t\nentries:\n  - name: host\n    kind: process.host\n' + proc('x') + proc('m1') + proc('m2') + proc('main'),
  );
  writeFileSync(
    join(dir, 'src/s.lua'),
    `
local function x() process.inbox():receive() return { n = 1 } end
local function wait_exit(pid)
  local evs = process.events()
  while true do local ev = evs:receive() if ev.kind == process.event.EXIT and ev.from == pid then return ev end end
end
local function m1(xp, parent)
  process.monitor(xp)
  process.send(parent, "ready")
  local ev = wait_exit(xp)
  ev.result.value.n = 99
  ev.result.tampered = true
  process.send(parent, "mutated")
end
local function m2(xp, parent)
  process.monitor(xp)
  process.send(parent, "ready")
  local ev = wait_exit(xp)
  process.inbox():receive()
  print(ev.result.value.n, ev.result.tampered)
end
local function main()
  local inbox = process.inbox()
  local xp = process.spawn("t:x", "t:host")
  process.spawn("t:m1", "t:host", xp, process.pid())
  local m2p = process.spawn_monitored("t:m2", "t:host", xp, process.pid())
  inbox:receive() inbox:receive()
  process.send(xp, "go")
  inbox:receive()
  process.send(m2p, "check")
  wait_exit(m2p)
  return 0
end
return { x = x, m1 = m1, m2 = m2, main = main }
`,
  );
  const r = await lunac(['run', 't:main', '-C', dir]);
  expect(r.stderr).toBe('');
  expect(r.stdout).toBe('1\tnil\n');
  expect(r.status).toBe(0);
});
