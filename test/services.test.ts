// Services (spec §1.9, §4.5): lifecycle parsing, backoff, the supervisor in-process (start order, restarts,
// stable_threshold, optional/required, graceful stop) and `lunac serve` as a real child process (signals,
// exit codes, nothing left running). Fixture apps: fixtures/apps/services/*. CLI tests need dist/ built.

import { describe, expect, test } from 'vitest';
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { buildImage } from '../compiler/bundle/image.js';
import { createNode } from '../runtime/process/host.js';
import type { Node } from '../runtime/process/node.js';
import type { RegistryEntry } from '../runtime/app/registry-data.js';
import { ErrorObject, KINDS, newError } from '../runtime/lua/lib/errors.js';
import { parseLifecycle, parseGoDuration, DEFAULT_LIFECYCLE } from '../runtime/host/lifecycle.js';
import { restartDelayMs } from '../runtime/host/backoff.js';
import { Supervisor, serviceKinds, type ServiceEvent } from '../runtime/host/supervisor.js';
import { formatEvent } from '../runtime/host/serve.js';
import { CLI } from './helpers.js';

const APPS = resolve(__dirname, '../fixtures/apps/services');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// ---- lifecycle and backoff ----

describe('lifecycle', () => {
  test('defaults follow spec §1.9', () => {
    const { lifecycle, errors } = parseLifecycle(undefined);
    expect(errors).toEqual([]);
    expect(lifecycle).toEqual({
      autoStart: false,
      startup: 'required',
      startTimeoutMs: 10_000,
      stopTimeoutMs: 10_000,
      stableThresholdMs: 5_000,
      requires: [],
      restart: { initialDelayMs: 1000, maxDelayMs: 90_000, backoffFactor: 2, jitter: 0.1, maxAttempts: 0 },
    });
    expect(DEFAULT_LIFECYCLE.restart.maxAttempts).toBe(0);
  });

  test('durations are Go strings or numbers of milliseconds; requires and depends_on merge', () => {
    const { lifecycle, errors, warnings } = parseLifecycle({
      auto_start: true,
      startup: 'optional',
      start_timeout: '1m30s',
      stop_timeout: 250,
      stable_threshold: '1.5s',
      requires: ['a', 'ns:b'],
      depends_on: ['a', 'c'],
      restart: { initial_delay: '500ms', max_delay: '2h', backoff_factor: 1.5, jitter: 0, max_attempts: 4 },
    });
    expect(errors).toEqual([]);
    expect(warnings).toEqual([]);
    expect(lifecycle).toMatchObject({
      autoStart: true,
      startup: 'optional',
      startTimeoutMs: 90_000,
      stopTimeoutMs: 250,
      stableThresholdMs: 1500,
      requires: ['a', 'ns:b', 'c'],
      restart: { initialDelayMs: 500, maxDelayMs: 7_200_000, backoffFactor: 1.5, jitter: 0, maxAttempts: 4 },
    });
    expect(parseGoDuration('0')).toBe(0);
    expect(parseGoDuration('1h2m3s4ms')).toBe(3_723_004);
    expect(parseGoDuration('250us')).toBe(0.25);
    expect(parseGoDuration('10')).toBeUndefined();
    expect(parseGoDuration('1s ')).toBeUndefined();
    expect(parseGoDuration('')).toBeUndefined();
  });

  test('invalid values are errors naming the field; unknown fields are warnings', () => {
    const { errors, warnings } = parseLifecycle({
      auto_start: 'yes',
      startup: 'sometimes',
      stop_timeout: '-1s',
      start_timeout: 'soon',
      requires: 'a',
      autostart: true,
      restart: { jitter: 2, backoff_factor: 0, max_attempts: 1.5, max_delay: [], retries: 3 },
    });
    expect(errors).toEqual([
      'lifecycle.auto_start: must be true or false (got "yes")',
      'lifecycle.startup: must be "required" or "optional" (got "sometimes")',
      'lifecycle.start_timeout: invalid duration "soon" (use a Go duration like "10s" or "500ms", or a number of milliseconds)',
      'lifecycle.stop_timeout: duration must not be negative (got "-1s")',
      'lifecycle.requires: must be a list of entry IDs (got "a")',
      'lifecycle.restart.max_delay: invalid duration [] (use a Go duration like "10s" or "500ms", or a number of milliseconds)',
      'lifecycle.restart.backoff_factor: must be a number >= 1 (got 0)',
      'lifecycle.restart.jitter: must be a fraction between 0 and 1 (got 2)',
      'lifecycle.restart.max_attempts: must be a whole number >= 0, 0 = unlimited (got 1.5)',
    ]);
    expect(warnings).toEqual(['lifecycle.autostart: unknown field (ignored)', 'lifecycle.restart.retries: unknown field (ignored)']);
    expect(parseLifecycle('fast').errors).toEqual(['lifecycle: must be a map (got "fast")']);
  });
});

describe('backoff', () => {
  const p = { initialDelayMs: 100, maxDelayMs: 1000, backoffFactor: 2, jitter: 0, maxAttempts: 0 };
  test('grows by the factor from the initial delay and is capped at max_delay', () => {
    expect([1, 2, 3, 4, 5, 6].map((n) => restartDelayMs(p, n))).toEqual([100, 200, 400, 800, 1000, 1000]);
  });
  test('jitter spreads the delay by ± the fraction', () => {
    const j = { ...p, jitter: 0.1 };
    expect(restartDelayMs(j, 2, () => 0)).toBeCloseTo(180);
    expect(restartDelayMs(j, 2, () => 1)).toBeCloseTo(220);
    expect(restartDelayMs(j, 2, () => 0.5)).toBeCloseTo(200);
    expect(restartDelayMs(j, 9, () => 1)).toBeCloseTo(1100); // jitter applies after the cap
  });
});

// ---- the supervisor, in process ----

interface Harness {
  node: Node;
  sup: Supervisor;
  events: (ServiceEvent & { at: number })[];
  out: () => string;
  of: (id: string, state?: string) => (ServiceEvent & { at: number })[];
}

const images = new Map<string, ReturnType<typeof buildImage>>();

/** Build a fixture app (once) and put a supervisor on a fresh node; `patch` edits entries (by ID) first. */
function harness(app: string, patch: Record<string, (e: RegistryEntry) => RegistryEntry> = {}): Harness {
  let built = images.get(app);
  if (built === undefined) {
    built = buildImage(resolve(APPS, app));
    images.set(app, built);
  }
  expect(built.errors).toEqual([]);
  let out = '';
  const node = createNode(built.image, { out: (s) => (out += s), err: (s) => (out += s) });
  const entries = built.image.registry.entries.map((e) => (patch[e.id] ? patch[e.id](e) : e));
  const events: Harness['events'] = [];
  const t0 = performance.now();
  const sup = new Supervisor(node, entries, { onEvent: (e) => events.push({ ...e, at: performance.now() - t0 }), idleCheckMs: 20 });
  return { node, sup, events, out: () => out, of: (id, state) => events.filter((e) => e.id === id && (state === undefined || e.state === state)) };
}

function lifecycle(e: RegistryEntry, lc: Record<string, unknown>): RegistryEntry {
  return { ...e, data: { ...e.data, lifecycle: { ...(e.data.lifecycle as object), ...lc } } };
}

async function until(cond: () => boolean, ms = 3000): Promise<void> {
  const end = performance.now() + ms;
  while (!cond()) {
    if (performance.now() > end) throw new Error('timed out waiting');
    await sleep(5);
  }
}

/** Stop and check that nothing is left: no live process, no host accepting spawns. */
async function stopAll(h: Harness): Promise<void> {
  await h.sup.stop();
  expect(h.node.size).toBe(0);
  expect(h.node.all()).toEqual([]);
}

describe('supervisor', () => {
  test('starts auto_start services and what they require in dependency order, stops in reverse', async () => {
    const h = harness('order');
    expect(h.sup.errors).toEqual([]);
    await h.sup.start();
    const running = h.events.filter((e) => e.state === 'running').map((e) => e.id);
    expect(running).toEqual(['app:host', 'app:db', 'app:cache', 'app:api']);
    expect(h.sup.state('app:idle')).toBe('unknown'); // not auto_start, nobody requires it
    expect(h.of('app:db', 'running')[0].pid).toMatch(/^\{app:host\|/);
    // each state change in order: Unknown → Starting → Running
    expect(h.of('app:api').map((e) => e.state)).toEqual(['starting', 'running']);
    await until(() => h.out().includes('start api'));
    await stopAll(h);
    expect(h.out()).toBe('start db\nstart cache\nstart api\nstop api\nstop cache\nstop db\n');
    const stops = h.events.filter((e) => e.state === 'stopped').map((e) => e.id);
    expect(stops).toEqual(['app:api', 'app:cache', 'app:db', 'app:host']);
    expect(h.of('app:api').map((e) => e.state)).toEqual(['starting', 'running', 'stopping', 'stopped']);
    expect(h.of('app:api', 'stopped')[0].terminated).toBeUndefined(); // it ended on CANCEL
    // a stopped host accepts no more processes
    expect(h.node.spawn('app:waiter', 'app:host', [])).toBeInstanceOf(ErrorObject);
    expect(await h.sup.finished).toEqual({ code: 0, reason: 'stopped' });
  });

  test('a failing service restarts with exponential backoff until max_attempts; the host and others keep running', async () => {
    const h = harness('restart');
    await h.sup.start();
    const steadyPid = h.of('app:steady', 'running')[0].pid!;
    await until(() => h.of('app:crashing', 'failed').some((e) => e.retryInMs === undefined));
    const failed = h.of('app:crashing', 'failed');
    expect(failed.map((e) => [e.attempt, e.retryInMs])).toEqual([[1, 20], [2, 40], [3, 80], [undefined, undefined]]);
    expect(failed[3].note).toBe('giving up after 3 restarts');
    expect(failed[0].error?.message).toMatch(/crasher\.lua:7: boom from crashing$/);
    expect(formatEvent(failed[1])).toMatch(/^service app:crashing failed: \[Internal\] .*boom from crashing; restarting in 40ms \(attempt 2 of 3\)$/);
    // one initial start + 3 restarts, each at least its (growing) delay after the failure before it
    const starts = h.of('app:crashing', 'starting').map((e) => e.at);
    expect(starts).toHaveLength(4);
    failed.slice(0, 3).forEach((f, i) => expect(starts[i + 1] - f.at).toBeGreaterThanOrEqual(f.retryInMs! - 2));
    expect(h.out().match(/run crashing/g)).toHaveLength(4);
    // nothing else was touched: steady still runs in its first process, the host is Running, the app goes on
    await sleep(100);
    expect(h.of('app:crashing', 'starting')).toHaveLength(4); // really stopped restarting
    expect(h.sup.state('app:crashing')).toBe('failed');
    expect(h.sup.state('app:host')).toBe('running');
    expect(h.sup.state('app:steady')).toBe('running');
    expect(h.of('app:steady', 'running').map((e) => e.pid)).toEqual([steadyPid]);
    expect(h.node.lookup(steadyPid)?.alive).toBe(true);
    let finished = false;
    void h.sup.finished.then(() => (finished = true));
    await sleep(10);
    expect(finished).toBe(false);
    await stopAll(h);
    expect(await h.sup.finished).toEqual({ code: 0, reason: 'stopped' });
  });

  test('an explicitly terminated service is Exited, not restarted, and the app goes on', async () => {
    const h = harness('order');
    await h.sup.start();
    const pid = h.of('app:cache', 'running')[0].pid!;
    h.node.terminate(h.node.lookup(pid)!); // what process.terminate(pid) does
    await until(() => h.sup.state('app:cache') === 'exited');
    await sleep(30);
    expect(h.of('app:cache').map((e) => e.state)).toEqual(['starting', 'running', 'exited']);
    expect(h.of('app:cache', 'exited')[0].error?.kind).toBe('Canceled');
    expect(h.sup.state('app:api')).toBe('running');
    await stopAll(h);
    expect((await h.sup.finished).code).toBe(0);
  });

  test('a run longer than stable_threshold resets the attempt counter', async () => {
    const on = (e: RegistryEntry) => lifecycle(e, { auto_start: true });
    const h = harness('restart', { 'app:flappy': on, 'app:fragile': on, 'app:crashing': (e) => lifecycle(e, { auto_start: false }) });
    await h.sup.start();
    await until(() => h.of('app:fragile', 'failed').some((e) => e.retryInMs === undefined));
    await until(() => h.of('app:flappy', 'failed').length >= 5);
    // fragile (threshold 10s): attempts 1, 2 with 10ms, 20ms, then it gives up
    expect(h.of('app:fragile', 'failed').map((e) => [e.attempt, e.retryInMs])).toEqual([[1, 10], [2, 20], [undefined, undefined]]);
    // flappy (threshold 30ms, each run 60ms): every failure is attempt 1 again, beyond max_attempts (2)
    const flappy = h.of('app:flappy', 'failed');
    expect(flappy.every((e) => e.attempt === 1 && e.retryInMs === 10)).toBe(true);
    expect(h.sup.state('app:flappy')).not.toBe('exited');
    await stopAll(h);
  });

  test('an optional service that fails for good leaves the others running', async () => {
    const h = harness('optional');
    await h.sup.start();
    await until(() => h.of('app:flaky', 'failed').some((e) => e.retryInMs === undefined));
    await sleep(30);
    expect(h.sup.state('app:flaky')).toBe('failed');
    expect(h.sup.state('app:steady')).toBe('running');
    expect(h.of('app:steady', 'stopping')).toEqual([]);
    await stopAll(h);
    expect((await h.sup.finished).code).toBe(0);
  });

  test('a required service that fails for good stops everything that was started (code 1)', async () => {
    const h = harness('required');
    await h.sup.start();
    const r = await h.sup.finished;
    expect(r).toEqual({ code: 1, reason: 'required service app:vital failed' });
    expect(h.node.size).toBe(0);
    for (const id of ['app:steady', 'app:after', 'app:host']) expect(h.sup.state(id)).toBe('stopped');
    expect(h.out()).toContain('stop steady');
    // stop order: what started last stops first
    expect(h.events.filter((e) => e.state === 'stopped').map((e) => e.id)).toEqual(['app:after', 'app:steady', 'app:host']);
  });

  test('a dependency that never reaches Running keeps its dependents from starting; start_timeout bounds a start', async () => {
    // Drivers of other kinds plug in through serviceKinds: one that cannot start, one whose start never ends.
    serviceKinds.set('test.broken', { start: () => newError('cannot bind', KINDS.UNAVAILABLE) });
    serviceKinds.set('test.slow', { start: () => new Promise<never>(() => {}) });
    try {
      const built = images.get('required') ?? buildImage(resolve(APPS, 'required'));
      const node = createNode(built.image, { out: () => {}, err: () => {} });
      const quick = { initial_delay: '5ms', jitter: 0, max_attempts: 1 };
      const extra: RegistryEntry[] = [
        { id: 'app:gate', kind: 'test.broken', meta: {}, data: { lifecycle: { startup: 'optional', restart: quick } } },
        { id: 'app:slow', kind: 'test.slow', meta: {}, data: { lifecycle: { auto_start: true, startup: 'optional', start_timeout: '30ms', restart: quick } } },
      ];
      const entries = built.image.registry.entries
        .filter((e) => e.id !== 'app:vital')
        .map((e) => (e.id === 'app:after' ? lifecycle(e, { requires: ['gate'] }) : e));
      const events: ServiceEvent[] = [];
      const sup = new Supervisor(node, [...entries, ...extra], { onEvent: (e) => events.push(e) });
      expect(sup.errors).toEqual([]);
      await sup.start(); // resolves once every target is Running or has failed for good
      const of = (id: string) => events.filter((e) => e.id === id);
      expect(of('app:gate').map((e) => [e.state, e.attempt])).toEqual([['starting', undefined], ['failed', 1], ['starting', undefined], ['failed', undefined]]);
      expect(of('app:gate')[1].error?.message).toBe('cannot bind');
      expect(of('app:after')).toEqual([
        expect.objectContaining({ state: 'failed', note: 'not started', error: expect.objectContaining({ message: 'required service app:gate is not running' }) }),
      ]);
      expect(of('app:slow').filter((e) => e.state === 'failed').map((e) => e.error?.message)).toEqual(['app:slow: start timed out after 30ms', 'app:slow: start timed out after 30ms']);
      expect(sup.state('app:steady')).toBe('running');
      await sup.stop();
      expect(node.size).toBe(0);
      expect((await sup.finished).code).toBe(0);
    } finally {
      serviceKinds.delete('test.broken');
      serviceKinds.delete('test.slow');
    }
  });

  test('services that end by themselves: normal return and non-retryable errors are Exited, then the app ends', async () => {
    const h = harness('ends');
    await h.sup.start();
    const r = await h.sup.finished;
    expect(r).toEqual({ code: 0, reason: 'all services ended' });
    expect(h.of('app:job').map((e) => e.state)).toEqual(['starting', 'running', 'exited']);
    expect(h.of('app:job', 'exited')[0].error).toBeUndefined();
    expect(h.of('app:refuse').map((e) => e.state)).toEqual(['starting', 'running', 'exited']);
    expect(h.of('app:refuse', 'exited')[0].error).toMatchObject({ kind: 'Invalid', message: 'bad config' });
    expect(h.of('app:job', 'running')[0].pid).toMatch(/^\{app:term\|/);
    expect(h.out()).toContain('job 42\n');
    expect(h.node.size).toBe(0);
  });

  test('stop sends CANCEL, terminates after stop_timeout, and the host terminates what was spawned on it', async () => {
    const h = harness('stop');
    await h.sup.start();
    await until(() => h.out().includes('start stubborn'));
    expect(h.node.size).toBe(3); // polite, stubborn, and stubborn's child
    const t0 = performance.now();
    await stopAll(h);
    const took = performance.now() - t0;
    expect(h.out()).toContain('start stubborn child true nil');
    expect(h.out()).toContain('stop polite');
    const stubborn = h.of('app:stubborn');
    expect(stubborn.map((e) => e.state)).toEqual(['starting', 'running', 'stopping', 'stopped']);
    expect(stubborn[3]).toMatchObject({ terminated: true, stopTimeoutMs: 150 });
    expect(stubborn[3].at - stubborn[2].at).toBeGreaterThanOrEqual(145);
    expect(h.of('app:polite', 'stopped')[0].terminated).toBeUndefined();
    const host = h.of('app:host');
    expect(host.at(-1)).toMatchObject({ state: 'stopped', terminated: true, stopTimeoutMs: 100 });
    expect(host.at(-1)!.at - host.at(-2)!.at).toBeGreaterThanOrEqual(95);
    expect(took).toBeLessThan(1000);
    expect(formatEvent(stubborn[3])).toBe('service app:stubborn stopped (it was terminated after stop_timeout 150ms)');
  });

  test('configuration errors are reported before anything starts', async () => {
    const h = harness('invalid');
    expect(h.sup.errors).toEqual([
      'app:host: lifecycle.stop_timeout: invalid duration "soon" (use a Go duration like "10s" or "500ms", or a number of milliseconds)',
      'app:b: lifecycle.restart.backoff_factor: must be a number >= 1 (got 0.5)',
      'app:b: lifecycle.restart.max_attempts: must be a whole number >= 0, 0 = unlimited (got -1)',
      'app:a: dependency cycle: app:a -> app:b -> app:a',
    ]);
    await expect(h.sup.start()).rejects.toThrow(/dependency cycle/);
    expect(h.events).toEqual([]);
    expect(h.node.size).toBe(0);

    const gateway: RegistryEntry = { id: 'app:gateway', kind: 'http.service', meta: {}, data: { lifecycle: { auto_start: true } } };
    const built = images.get('order')!;
    const node = createNode(built.image, { out: () => {}, err: () => {} });
    const entries = built.image.registry.entries.map((e) =>
      e.id === 'app:api' ? lifecycle({ ...e, data: { ...e.data, input: 'api' } }, { requires: ['gateway'] }) : e,
    );
    const sup = new Supervisor(node, [...entries, gateway]);
    expect(sup.errors).toEqual([
      "app:api: 'input' must be a list of values (one per argument of the process method)",
      "app:api: requires 'app:gateway', a http.service, which lunac serve cannot run",
    ]);
    expect(sup.warnings).toEqual(['app:gateway: http.service services are not supported by lunac serve yet; not started']);
  });
});

// ---- lunac serve, as a real child process ----

interface Served {
  stdout: string;
  stderr: string;
  done: Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>;
  waitErr: (text: string) => Promise<void>;
  kill: (sig: NodeJS.Signals) => number;
}

function serve(app: string): Served {
  const p = spawn(CLI, ['serve', resolve(APPS, app)], { stdio: ['pipe', 'pipe', 'pipe'] });
  const s: Served = {
    stdout: '',
    stderr: '',
    done: new Promise((r) => p.on('close', (code, signal) => r({ code, signal, at: performance.now() }))),
    waitErr: async (text) => {
      const end = performance.now() + 15_000;
      while (!s.stderr.includes(text)) {
        if (performance.now() > end) throw new Error(`no '${text}' in:\n${s.stderr}`);
        await sleep(10);
      }
    },
    kill: (sig) => {
      p.kill(sig);
      return performance.now();
    },
  };
  p.stdout.setEncoding('latin1').on('data', (d) => (s.stdout += d));
  p.stderr.setEncoding('latin1').on('data', (d) => (s.stderr += d));
  return s;
}

describe('lunac serve', () => {
  test('SIGTERM stops the services in reverse order and exits 0', async () => {
    const s = serve('order');
    await s.waitErr('service app:api running');
    s.kill('SIGTERM');
    const r = await s.done;
    expect(r).toMatchObject({ code: 0, signal: null });
    expect(s.stdout).toBe('start db\nstart cache\nstart api\nstop api\nstop cache\nstop db\n');
    const lines = s.stderr.trim().split('\n');
    expect(lines).toEqual([
      'service app:host starting',
      'service app:host running',
      'service app:db starting',
      expect.stringMatching(/^service app:db running \(pid \{app:host\|\w+\}\)$/),
      'service app:cache starting',
      expect.stringMatching(/^service app:cache running \(pid /),
      'service app:api starting',
      expect.stringMatching(/^service app:api running \(pid /),
      'lunac: SIGTERM: stopping services',
      'service app:api stopping',
      'service app:api stopped',
      'service app:cache stopping',
      'service app:cache stopped',
      'service app:db stopping',
      'service app:db stopped',
      'service app:host stopping',
      'service app:host stopped',
    ]);
  }, 30_000);

  test('SIGINT: a service ignoring CANCEL is terminated after its stop_timeout and the process exits', async () => {
    const s = serve('stop');
    await s.waitErr('service app:stubborn running');
    await sleep(50);
    const at = s.kill('SIGINT');
    const r = await s.done;
    expect(r.code).toBe(0);
    expect(r.at - at).toBeGreaterThanOrEqual(240); // 150ms (stubborn) + 100ms (its child, at host stop)
    expect(r.at - at).toBeLessThan(5000);
    expect(s.stderr).toContain('service app:stubborn stopped (it was terminated after stop_timeout 150ms)\n');
    expect(s.stderr).toContain('service app:polite stopped\n');
    expect(s.stderr).toContain('service app:host stopped (processes still running were terminated after stop_timeout 100ms)\n');
    expect(s.stdout).toContain('stop polite\n');
  }, 30_000);

  test('a second signal terminates everything at once (exit 1)', async () => {
    const s = serve('stop');
    await s.waitErr('service app:stubborn running');
    s.kill('SIGTERM');
    await s.waitErr('service app:stubborn stopping');
    const at = s.kill('SIGTERM');
    const r = await s.done;
    expect(r.code).toBe(1);
    expect(r.at - at).toBeLessThan(5000);
    expect(s.stderr).toContain('lunac: SIGTERM again: terminating every process');
    // killed at once: nothing ran into its stop_timeout
    expect(s.stderr).toContain('service app:stubborn stopped\n');
    expect(s.stderr).toContain('service app:host stopped\n');
    expect(s.stderr).not.toContain('terminated after stop_timeout');
    expect(s.stderr.trim().split('\n').at(-1)).toBe('lunac: killed');
  }, 30_000);

  test('a crashing service is restarted while the rest keeps running; a required one that gives up exits 1', async () => {
    const s = serve('required');
    const r = await s.done;
    expect(r.code).toBe(1);
    expect(s.stderr).toMatch(/service app:vital failed: \[Internal\] .*crasher\.lua:7: boom from vital; restarting in \d+ms \(attempt 1 of 1\)\n/);
    expect(s.stderr).toMatch(/service app:vital failed: .*boom from vital; giving up after 1 restart\n/);
    expect(s.stderr).toContain('service app:steady stopped\n');
    expect(s.stderr.trim().split('\n').at(-1)).toBe('lunac: required service app:vital failed');
    expect(s.stdout.match(/run vital/g)).toHaveLength(2);
  }, 30_000);

  test('when every service has ended, serve exits 0 by itself', async () => {
    const s = serve('ends');
    const r = await s.done;
    expect(r.code).toBe(0);
    expect(s.stdout).toContain('job 42\n');
    expect(s.stderr).toContain('service app:job exited\n');
    expect(s.stderr).toContain('service app:refuse exited: [Invalid] bad config\n');
    expect(s.stderr.trim().split('\n').at(-1)).toBe('lunac: all services ended');
  }, 30_000);

  test('invalid service configuration, build errors and a missing directory', async () => {
    const bad = serve('invalid');
    expect((await bad.done).code).toBe(1);
    expect(bad.stderr).toContain('lunac: error: app:a: dependency cycle: app:a -> app:b -> app:a\n');
    expect(bad.stderr).toContain('lunac: error: app:host: lifecycle.stop_timeout: invalid duration "soon"');
    expect(bad.stderr).not.toContain('starting');

    const broken = spawn(CLI, ['serve', resolve(__dirname, '../fixtures/apps/check-broken/app')]);
    let err = '';
    broken.stderr.on('data', (d) => (err += d));
    expect(await new Promise((r) => broken.on('close', r))).toBe(1);
    expect(err).toMatch(/error [A-Z]\d{4}:/);

    const missing = spawn(CLI, ['serve', resolve(APPS, 'no-such-app')]);
    expect(await new Promise((r) => missing.on('close', r))).toBe(2);
  }, 30_000);
});
