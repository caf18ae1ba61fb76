// The service supervisor (spec §1.9, §4.5): starts the app's services in dependency order, restarts failing
// ones with exponential backoff, and stops everything in reverse start order.
//
// Services are entries of a kind with a driver in `serviceKinds`: `process.host` and `terminal.host` (passive:
// they run while processes may be spawned on them) and `process.service` (runs its `process` entry on its
// `host` with `input` as the arguments). Other runtime parts (HTTP servers, workers) register their kinds the
// same way.
//
// Decisions (see the report / docs/semantics.md):
// - Targets are the `auto_start` services plus, transitively, what they require, even when a requirement is not
//   `auto_start` itself. Dependencies are `lifecycle.requires`, legacy `depends_on` and a process.service's
//   `host`. A dependency on an entry lunac cannot run, a missing entry or a cycle is an error before anything
//   starts. Independent services start concurrently; a service starts when all its dependencies are Running.
// - Only hosts that are Running accept spawns during `serve` (the node's host set follows the host services).
// - How a run ends decides what happens next:
//     normal return                                → Exited (not restarted: the service finished its job);
//     error with retryable = false, kind ≠ Internal → Exited with the error: an explicit `process.terminate`
//                                                    (Canceled, non-retryable), a cancel deadline, or a Lua
//                                                    `errors.new{retryable = false}` (spec: "non-retryable
//                                                    error / terminate → Exited");
//     (a required service that is terminated stays Exited; other non-retryable errors stop the app)
//     any other error                             → Failed, restarted after a backoff delay. Uncaught Lua
//                                                    errors are Internal/non-retryable by §6.1, but a
//                                                    supervisor that never restarted crashing code would make
//                                                    `restart` pointless, so they are retried.
//   A required service that ends with an error for good (Exited with an error, or Failed after max_attempts,
//   or unable to start because a dependency failed) stops the whole app (exit code 1); an optional one just
//   stays Exited/Failed.
// - Attempts count restarts in a row: the n-th restart waits initial_delay × factor^(n−1) (capped, ± jitter);
//   `max_attempts` restarts are allowed (0 = unlimited), then the service stays Failed. A run that lasted at
//   least `stable_threshold` resets the count.
// - Stop: services stop one at a time in reverse order of first reaching Running. A process service gets a
//   CANCEL event (`process.cancel` semantics, `deadline` = stop_timeout in ms) and is terminated if it has not
//   ended after `stop_timeout`. A host stop cancels, then terminates, every process still running on it (the
//   processes services spawned). Whatever is left on the node afterwards is terminated.
// - `start_timeout` bounds a driver's start; process spawns are immediate, so it only matters for other kinds.
// - The app ends by itself when every non-passive service has ended (none running or waiting to restart) and
//   the node has no live process left.

import type { RegistryEntry } from '../app/registry-data.js';
import { parseId } from '../app/registry-data.js';
import type { Node } from '../process/node.js';
import { EVENT, type Process } from '../process/process.js';
import { ErrorObject, KINDS, newError } from '../lua/lib/errors.js';
import { toLua } from '../modules/module.js';
import { parseLifecycle, formatMs, type Lifecycle } from './lifecycle.js';
import { restartDelayMs } from './backoff.js';

export type ServiceState = 'unknown' | 'starting' | 'running' | 'stopping' | 'stopped' | 'failed' | 'exited';

export interface ServiceEvent {
  id: string;
  kind: string;
  state: ServiceState;
  pid?: string;
  error?: ErrorObject;
  /** failed and retrying: the restart is due in this many ms. Absent on a final failure. */
  retryInMs?: number;
  /** failed: which restart in a row this is (1 = the first), and the limit (0 = unlimited). */
  attempt?: number;
  maxAttempts?: number;
  /** stopped: it (or, for a host, some of its processes) did not end within stop_timeout and was terminated. */
  terminated?: boolean;
  /** stopped after termination: the stop_timeout that ran out. */
  stopTimeoutMs?: number;
  /** Why a failure is final, for people. */
  note?: string;
}

/** One run of a service, as a driver reports it. */
export interface ServiceRun {
  pid?: string;
  /** Resolves when the run ends (by itself or after stop): its error, or undefined for a normal end. */
  ended: Promise<ErrorObject | undefined>;
  /** Ask the run to end; force it after timeoutMs. Resolves when it has ended, true if it had to be forced. */
  stop(timeoutMs: number): Promise<boolean>;
}

export interface ServiceContext {
  node: Node;
  entry: RegistryEntry;
  lifecycle: Lifecycle;
}

export interface ServiceKind {
  /** Passive services (hosts) do not keep the app alive by themselves. */
  passive?: boolean;
  /** Configuration errors of an entry (the lifecycle is checked separately). */
  validate?(entry: RegistryEntry, byId: Map<string, RegistryEntry>): string[];
  /** Registry references that are implicit dependencies when they name services (as written in the entry). */
  refs?(entry: RegistryEntry): string[];
  start(ctx: ServiceContext): ServiceRun | ErrorObject | Promise<ServiceRun | ErrorObject>;
}

/** Resolve a reference written inside an entry: a name without namespace is in the entry's namespace. */
export function resolveRef(from: RegistryEntry, ref: string): string {
  return ref.includes(':') ? ref : `${parseId(from.id).ns}:${ref}`;
}

/** Does this PID belong to a process on `host`? PIDs look like `{host|00001}`. */
function onHost(pid: string, host: string): boolean {
  return pid.startsWith(`{${host}|`);
}

/**
 * Ask processes to end (a CANCEL event, as `process.cancel(pid, timeout)` sends) and terminate those still
 * alive after `timeoutMs`. Resolves once all have ended; true if any had to be terminated.
 */
export function stopProcesses(node: Node, procs: Process[], timeoutMs: number, why: string): Promise<boolean> {
  const live = procs.filter((p) => p.alive);
  if (live.length === 0) return Promise.resolve(false);
  for (const p of live) p.postEvent({ kind: EVENT.CANCEL, from: undefined, deadline: timeoutMs });
  return new Promise((resolve) => {
    let left = live.length;
    let forced = false;
    const timer = setTimeout(() => {
      forced = true;
      for (const p of live) if (p.alive) node.terminate(p, why);
    }, timeoutMs);
    for (const p of live) {
      p.onDone(() => {
        if (--left > 0) return;
        clearTimeout(timer);
        resolve(forced);
      });
    }
  });
}

// ---- built-in kinds ----

const hostKind: ServiceKind = {
  passive: true,
  start({ node, entry }) {
    node.hosts.add(entry.id);
    let end!: (e: ErrorObject | undefined) => void;
    const ended = new Promise<ErrorObject | undefined>((r) => (end = r));
    return {
      ended,
      async stop(timeoutMs) {
        node.hosts.delete(entry.id); // no new spawns while it stops
        const procs = node.all().filter((p) => onHost(p.pid, entry.id));
        const forced = await stopProcesses(node, procs, timeoutMs, `host ${entry.id} stopped`);
        end(undefined);
        return forced;
      },
    };
  },
};

const HOST_KINDS = new Set(['process.host', 'terminal.host']);

const processServiceKind: ServiceKind = {
  validate(entry, byId) {
    const errors: string[] = [];
    const { process: proc, host, input } = entry.data;
    if (typeof proc !== 'string' || proc === '') errors.push(`'process' must name a process.lua entry`);
    else {
      const t = byId.get(resolveRef(entry, proc));
      if (t === undefined) errors.push(`'process' names '${resolveRef(entry, proc)}', which does not exist`);
      else if (t.kind !== 'process.lua') errors.push(`'process' names '${t.id}', a ${t.kind}, where a process.lua entry is expected`);
    }
    if (typeof host !== 'string' || host === '') errors.push(`'host' must name a process.host entry`);
    else {
      const t = byId.get(resolveRef(entry, host));
      if (t === undefined) errors.push(`'host' names '${resolveRef(entry, host)}', which does not exist`);
      else if (!HOST_KINDS.has(t.kind)) errors.push(`'host' names '${t.id}', a ${t.kind}, where a process.host is expected`);
    }
    if (input !== undefined && input !== null && !Array.isArray(input)) errors.push(`'input' must be a list of values (one per argument of the process method)`);
    return errors;
  },
  refs(entry) {
    return typeof entry.data.host === 'string' ? [entry.data.host] : [];
  },
  start({ node, entry }) {
    const input = Array.isArray(entry.data.input) ? entry.data.input.map((v) => toLua(v)) : [];
    const p = node.spawn(resolveRef(entry, String(entry.data.process)), resolveRef(entry, String(entry.data.host)), input);
    if (p instanceof ErrorObject) return p;
    return {
      pid: p.pid,
      ended: new Promise((r) => p.onDone((o) => r(o.error))),
      stop: (ms) => stopProcesses(node, [p], ms, `service ${entry.id} stopped: it did not end within stop_timeout ${formatMs(ms)}`),
    };
  },
};

/** Entry kind → driver. Other parts of the runtime add theirs (e.g. `http.service`). */
export const serviceKinds = new Map<string, ServiceKind>([
  ['process.host', hostKind],
  ['terminal.host', hostKind],
  ['process.service', processServiceKind],
]);

// ---- the supervisor ----

class Service {
  state: ServiceState = 'unknown';
  run: ServiceRun | null = null;
  /** Restarts in a row (reset after a stable run). */
  attempts = 0;
  runningSince = 0;
  retryTimer: NodeJS.Timeout | null = null;
  launching = false;
  stopping = false;
  /** Resolves true once Running for the first time, false if it never will. */
  ready: Promise<boolean> | null = null;
  settled = false;
  private resolveReady: ((ok: boolean) => void) | null = null;
  deps: string[] = [];

  constructor(
    readonly entry: RegistryEntry,
    readonly kind: ServiceKind,
    readonly lc: Lifecycle,
  ) {}

  get id(): string {
    return this.entry.id;
  }

  waitReady(): Promise<boolean> {
    return new Promise((r) => (this.resolveReady = r));
  }

  settle(ok: boolean): void {
    if (this.settled) return;
    this.settled = true;
    this.resolveReady?.(ok);
  }
}

export interface SupervisorOptions {
  onEvent?: (e: ServiceEvent) => void;
  /** Random source for jitter (tests make it deterministic). */
  random?: () => number;
  /** How often to check whether anything is left running, in ms (also keeps Node's event loop alive). */
  idleCheckMs?: number;
}

export interface SupervisorResult {
  /** 0 when stopped on request or when everything ended; 1 when a required service failed. */
  code: number;
  reason: string;
}

export class Supervisor {
  readonly services = new Map<string, Service>();
  /** Configuration errors: `start()` refuses to run while there are any. */
  readonly errors: string[] = [];
  readonly warnings: string[] = [];
  /** Services to start, dependencies first. */
  readonly order: Service[] = [];
  /** Services in the order they first reached Running (stopped in reverse). */
  readonly startOrder: Service[] = [];
  private stopPromise: Promise<void> | null = null;
  private isStopping = false;
  private started = false;
  private keepalive: NodeJS.Timeout | null = null;
  private result: SupervisorResult = { code: 0, reason: 'stopped' };
  private resolveFinished!: (r: SupervisorResult) => void;
  /** Resolves once everything has stopped. */
  readonly finished = new Promise<SupervisorResult>((r) => (this.resolveFinished = r));

  constructor(
    readonly node: Node,
    entries: RegistryEntry[],
    private readonly o: SupervisorOptions = {},
  ) {
    const byId = new Map(entries.map((e) => [e.id, e]));
    for (const e of entries) {
      const kind = serviceKinds.get(e.kind);
      if (kind === undefined) {
        const lc = e.data.lifecycle as Record<string, unknown> | undefined;
        if (lc && typeof lc === 'object' && lc.auto_start === true) this.warnings.push(`${e.id}: ${e.kind} services are not supported by lunac serve yet; not started`);
        continue;
      }
      const parsed = parseLifecycle(e.data.lifecycle);
      for (const m of parsed.errors) this.errors.push(`${e.id}: ${m}`);
      for (const m of parsed.warnings) this.warnings.push(`${e.id}: ${m}`);
      for (const m of kind.validate?.(e, byId) ?? []) this.errors.push(`${e.id}: ${m}`);
      this.services.set(e.id, new Service(e, kind, parsed.lifecycle));
    }
    // Only hosts that are started accept processes while serving.
    for (const s of this.services.values()) if (HOST_KINDS.has(s.entry.kind)) node.hosts.delete(s.id);
    this.plan(byId);
  }

  /** Dependencies of the targets, cycle check and start order. */
  private plan(byId: Map<string, RegistryEntry>): void {
    const visiting = new Set<Service>();
    const done = new Set<Service>();
    const visit = (s: Service, path: Service[]): void => {
      if (done.has(s)) return;
      if (visiting.has(s)) {
        const cycle = [...path.slice(path.indexOf(s)), s].map((x) => x.id).join(' -> ');
        this.errors.push(`${s.id}: dependency cycle: ${cycle}`);
        return;
      }
      visiting.add(s);
      s.deps = [];
      const explicit = s.lc.requires.map((r) => resolveRef(s.entry, r));
      const implicit = (s.kind.refs?.(s.entry) ?? []).map((r) => resolveRef(s.entry, r)).filter((id) => this.services.has(id));
      for (const id of [...explicit, ...implicit]) {
        if (s.deps.includes(id) || id === s.id) continue;
        const d = this.services.get(id);
        if (d === undefined) {
          const t = byId.get(id);
          this.errors.push(t === undefined ? `${s.id}: requires '${id}', which does not exist` : `${s.id}: requires '${id}', a ${t.kind}, which lunac serve cannot run`);
          continue;
        }
        s.deps.push(id);
        visit(d, [...path, s]);
      }
      visiting.delete(s);
      done.add(s);
      this.order.push(s);
    };
    for (const s of this.services.values()) if (s.lc.autoStart) visit(s, []);
  }

  state(id: string): ServiceState | undefined {
    return this.services.get(id)?.state;
  }

  /** Start every target; resolves when each is Running or has failed for good (or the app is stopping). */
  async start(): Promise<void> {
    if (this.errors.length > 0) throw new Error(`cannot start: ${this.errors.join('; ')}`);
    if (this.started) return;
    this.started = true;
    this.keepalive = setInterval(() => this.checkIdle(), this.o.idleCheckMs ?? 100);
    for (const s of this.order) s.ready = this.bringUp(s);
    await Promise.all(this.order.map((s) => s.ready));
    this.checkIdle();
  }

  private async bringUp(s: Service): Promise<boolean> {
    const ready = s.waitReady();
    for (const id of s.deps) {
      const d = this.services.get(id)!;
      if (await d.ready) continue;
      if (!this.isStopping) this.finalFailure(s, newError(`required service ${id} is not running`, KINDS.UNAVAILABLE), 'not started');
      s.settle(false);
      return false;
    }
    void this.launch(s);
    return ready;
  }

  private emit(s: Service, state: ServiceState, extra: Partial<ServiceEvent> = {}): void {
    s.state = state;
    this.o.onEvent?.({ id: s.id, kind: s.entry.kind, state, ...extra });
  }

  private async launch(s: Service): Promise<void> {
    s.retryTimer = null;
    if (this.isStopping) return s.settle(false);
    s.launching = true;
    this.emit(s, 'starting');
    s.runningSince = 0;
    let r: ServiceRun | ErrorObject;
    try {
      r = await withTimeout(s.kind.start({ node: this.node, entry: s.entry, lifecycle: s.lc }), s.lc.startTimeoutMs, s.id);
    } catch (e) {
      r = e instanceof ErrorObject ? e : newError(`${s.id}: ${(e as Error).message ?? String(e)}`, KINDS.INTERNAL);
    }
    s.launching = false;
    if (r instanceof ErrorObject) return this.failure(s, r);
    if (this.isStopping) {
      await r.stop(s.lc.stopTimeoutMs);
      this.emit(s, 'stopped');
      return s.settle(false);
    }
    const run = r;
    s.run = run;
    s.runningSince = performance.now();
    if (!this.startOrder.includes(s)) this.startOrder.push(s);
    this.emit(s, 'running', run.pid !== undefined ? { pid: run.pid } : {});
    s.settle(true);
    void run.ended.then((err) => this.ended(s, run, err));
  }

  private ended(s: Service, run: ServiceRun, err: ErrorObject | undefined): void {
    if (s.run !== run || s.stopping) return;
    s.run = null;
    if (err === undefined) {
      this.emit(s, 'exited');
      return this.checkIdle();
    }
    if (err.retryable === false && err.kind !== KINDS.INTERNAL) {
      this.emit(s, 'exited', { error: err });
      // An explicit terminate (Canceled) is somebody's decision, not a failure of the app.
      if (s.lc.startup === 'required' && err.kind !== KINDS.CANCELED) return this.abort(`required service ${s.id} exited with an error`);
      return this.checkIdle();
    }
    this.failure(s, err);
  }

  private failure(s: Service, err: ErrorObject): void {
    if (this.isStopping) {
      this.emit(s, 'stopped');
      return s.settle(false);
    }
    if (s.runningSince > 0 && performance.now() - s.runningSince >= s.lc.stableThresholdMs) s.attempts = 0;
    s.runningSince = 0;
    s.attempts++;
    const max = s.lc.restart.maxAttempts;
    if (max > 0 && s.attempts > max) return this.finalFailure(s, err, `giving up after ${max} restart${max === 1 ? '' : 's'}`);
    const delay = restartDelayMs(s.lc.restart, s.attempts, this.o.random);
    this.emit(s, 'failed', { error: err, retryInMs: delay, attempt: s.attempts, maxAttempts: max });
    s.retryTimer = setTimeout(() => void this.launch(s), delay);
  }

  private finalFailure(s: Service, err: ErrorObject, note: string): void {
    this.emit(s, 'failed', { error: err, note });
    s.settle(false);
    if (s.lc.startup === 'required') this.abort(`required service ${s.id} failed`);
    else this.checkIdle();
  }

  /** Stop everything because a required service failed; the result code is 1. */
  private abort(reason: string): void {
    if (this.isStopping) return;
    this.result = { code: 1, reason };
    void this.stop();
  }

  /** Nothing running and nothing waiting to restart: the app is done. */
  private checkIdle(): void {
    if (!this.started || this.isStopping) return;
    for (const s of this.order) {
      if (s.kind.passive) continue;
      if (s.run !== null || s.retryTimer !== null || s.launching || !s.settled) return;
    }
    if (this.node.size > 0) return;
    this.result = { code: 0, reason: 'all services ended' };
    void this.stop();
  }

  /** Stop every service in reverse start order, then anything left on the node. Idempotent. */
  stop(): Promise<void> {
    if (this.stopPromise) return this.stopPromise;
    this.isStopping = true;
    this.stopPromise = (async () => {
      for (const s of this.services.values()) {
        if (s.retryTimer === null) continue;
        clearTimeout(s.retryTimer);
        s.retryTimer = null;
        this.emit(s, 'stopped');
        s.settle(false);
      }
      // Launches in flight see isStopping when they complete and stop what they started.
      while ([...this.services.values()].some((s) => s.launching)) await new Promise((r) => setTimeout(r, 5));
      for (const s of [...this.startOrder].reverse()) {
        const run = s.run;
        if (run === null) continue;
        s.stopping = true;
        this.emit(s, 'stopping');
        const forced = await run.stop(s.lc.stopTimeoutMs);
        await run.ended;
        s.run = null;
        this.emit(s, 'stopped', forced ? { terminated: true, stopTimeoutMs: s.lc.stopTimeoutMs } : {});
      }
      for (const p of this.node.all()) this.node.terminate(p, 'lunac serve stopped');
      if (this.keepalive) clearInterval(this.keepalive);
      this.keepalive = null;
      this.resolveFinished(this.result);
    })();
    return this.stopPromise;
  }

  /** A second interrupt: end every process now (stop() then completes without waiting for timeouts). */
  kill(): void {
    if (this.result.code === 0) this.result = { code: 1, reason: 'killed' };
    for (const p of this.node.all()) this.node.terminate(p, 'lunac serve killed');
    void this.stop();
  }
}

function withTimeout<T>(v: T | Promise<T>, ms: number, id: string): T | Promise<T> {
  if (!(v instanceof Promise)) return v;
  return new Promise<T>((resolve, reject) => {
    const t = setTimeout(() => reject(newError(`${id}: start timed out after ${formatMs(ms)}`, KINDS.TIMEOUT, true)), ms);
    v.then(
      (x) => {
        clearTimeout(t);
        resolve(x);
      },
      (e) => {
        clearTimeout(t);
        reject(e);
      },
    );
  });
}
