// The node: every live process of an app by PID, registered names, and the operations that involve more
// than one process — spawning (with links and monitors), sending, exits and their notifications, and
// function calls (each a short-lived process on a pooled Lua state of the function entry).

import { LuaTable } from '../lua/table.js';
import { Coroutine } from '../lua/coroutine.js';
import { ErrorObject, KINDS, newError } from '../lua/lib/errors.js';
import { App, callLua, NEEDS_GENERATOR, type HostGlobals } from '../app/app.js';
import type { AppImage } from '../app/image.js';
import type { Output } from '../lua/lib/io.js';
import { exportValue, Message } from './payload.js';
import { Handover, current } from './scheduler.js';
import { EVENT, Process, type Outcome } from './process.js';

type Gen = Generator<unknown, unknown, unknown>;

export interface SpawnOptions {
  context?: LuaTable;
  /** Link the new process with this one. */
  linkTo?: Process;
  /** This process monitors the new one. */
  monitoredBy?: Process;
  name?: string;
  parent?: string;
  /** Messages delivered before the process starts (`with_message`). */
  messages?: { topic: string; values: unknown[] }[];
}

/** A booted Lua state of a function entry, reused between calls (spec §1.5 VM reuse). */
interface FunctionState {
  env: LuaTable;
  method: unknown;
}

const isPlain = (v: unknown) => v === undefined || typeof v !== 'object';

export class Node {
  readonly app: App;
  private procs = new Map<string, Process>();
  private names = new Map<string, Process>();
  private serial = 0;
  private idle = new Map<string, FunctionState[]>();
  /** Hosts processes may be spawned on: process.host / terminal.host entries, plus the node's own. */
  readonly hosts = new Set<string>();
  static readonly DEFAULT_HOST = 'lunac:host';

  constructor(image: AppImage, output: Output, globals: HostGlobals, preloaded?: Map<string, (env: LuaTable) => unknown>) {
    this.app = new App(image, output, globals, preloaded);
    this.hosts.add(Node.DEFAULT_HOST);
    for (const e of image.registry.entries) if (e.kind === 'process.host' || e.kind === 'terminal.host') this.hosts.add(e.id);
  }

  get size(): number {
    return this.procs.size;
  }

  private newPid(host: string): string {
    return `{${host}|${++this.serial}}`;
  }

  /** A process by PID or registered name. */
  lookup(dest: unknown): Process | undefined {
    if (typeof dest !== 'string') return undefined;
    return this.procs.get(dest) ?? this.names.get(dest);
  }

  // ---- processes ----

  spawn(entryId: string, host: string, args: unknown[], o: SpawnOptions = {}): Process | ErrorObject {
    const e = this.app.entry(entryId);
    if (e === undefined) return newError(`process entry '${entryId}' not found`, KINDS.NOT_FOUND);
    if (e.kind !== 'process.lua') return newError(`'${entryId}' is a ${e.kind}, not a process.lua entry`, KINDS.INVALID);
    if (!this.hosts.has(host)) return newError(`process host '${host}' not found`, KINDS.NOT_FOUND);
    if (o.name !== undefined && this.names.has(o.name)) return newError(`name '${o.name}' is already registered`, KINDS.ALREADY_EXISTS);
    const p = new Process(this, this.newPid(host), entryId, o.context, o.parent);
    this.procs.set(p.pid, p);
    if (o.name !== undefined) this.register(o.name, p);
    if (o.linkTo) this.link(o.linkTo, p);
    if (o.monitoredBy) p.monitors.add(o.monitoredBy);
    if (o.messages !== undefined) for (const m of o.messages) p.deliver(new Message(m.topic, o.parent, m.values.map((v) => exportValue(v))));
    const method = typeof e.data.method === 'string' && e.data.method !== '' ? e.data.method : 'main';
    // Arguments are copies the caller cannot change; plain values (the usual case) need no new array.
    const input = args.every(isPlain) ? args : args.map((a) => exportValue(a));
    p.run(this.processBody(entryId, method, input));
    return p;
  }

  private *processBody(entryId: string, method: string, args: unknown[]): Gen {
    const env = this.app.newState(entryId);
    (current!.owner as Process).env = env;
    let fn = this.app.bootPlain(entryId, env, method);
    if (fn === NEEDS_GENERATOR) fn = yield* this.app.boot(entryId, env, method);
    // From here on the scheduler drives the method's own generator: no wrapper frames on every resume.
    const twin = (fn as { G?: (...a: unknown[]) => Gen } | undefined)?.G;
    if (typeof fn === 'function' && twin !== undefined) yield new Handover(twin(...args));
    return yield* callLua(fn, args);
  }

  /** Restart a process's code in place (process.upgrade): same PID, mailbox and links. */
  upgrade(p: Process, entryId: string, args: unknown[]): ErrorObject | undefined {
    const e = this.app.entry(entryId);
    if (e === undefined || e.kind !== 'process.lua') return newError(`process entry '${entryId}' not found`, KINDS.NOT_FOUND);
    const method = typeof e.data.method === 'string' && e.data.method !== '' ? e.data.method : 'main';
    p.replaceMain(this.processBody(entryId, method, args.map((a) => exportValue(a))));
    return undefined;
  }

  /** Run a function entry (spec §6.2) as a short-lived process; `done` gets its outcome. */
  call(entryId: string, args: unknown[], o: { context?: LuaTable; timeoutMs?: number; parent?: string } = {}): Process | ErrorObject {
    const e = this.app.entry(entryId);
    if (e === undefined) return newError(`function '${entryId}' not found`, KINDS.NOT_FOUND);
    if (e.kind !== 'function.lua') return newError(`'${entryId}' is a ${e.kind}, not a function.lua entry`, KINDS.INVALID);
    const p = new Process(this, this.newPid('function'), entryId, o.context, o.parent);
    this.procs.set(p.pid, p);
    if (o.timeoutMs !== undefined && o.timeoutMs > 0) p.setTimeout(o.timeoutMs);
    p.run(this.functionBody(entryId, String(e.data.method ?? ''), args.map((a) => exportValue(a))));
    return p;
  }

  private *functionBody(entryId: string, method: string, args: unknown[]): Gen {
    const pool = this.idle.get(entryId) ?? [];
    this.idle.set(entryId, pool);
    const self = current!.owner as Process;
    let state = pool.pop();
    if (state === undefined) {
      const env = this.app.newState(entryId);
      self.env = env;
      state = { env, method: yield* this.app.boot(entryId, env, method) };
    }
    self.env = state.env;
    const r = yield* callLua(state.method, args);
    // Returned to the pool only after a normal return: a killed call may have left the state half-updated.
    if (pool.length < 16) pool.push(state);
    return r;
  }

  /** Start a coroutine.spawn task in the calling process. */
  spawnCoroutine(p: Process, fn: unknown): void {
    const thread = new Coroutine(fn);
    thread.status = 'running';
    p.spawnTask(callLua(fn, []), thread);
  }

  // ---- names ----

  register(name: string, p: Process): ErrorObject | undefined {
    const owner = this.names.get(name);
    if (owner !== undefined && owner !== p) return newError(`name '${name}' is already registered`, KINDS.ALREADY_EXISTS);
    this.names.set(name, p);
    p.names.add(name);
    return undefined;
  }

  unregister(name: string, p?: Process): boolean {
    const owner = this.names.get(name);
    if (owner === undefined || (p !== undefined && owner !== p)) return false;
    this.names.delete(name);
    owner.names.delete(name);
    return true;
  }

  // ---- messages, links, monitors ----

  send(from: string | undefined, dest: unknown, topic: string, values: unknown[]): ErrorObject | undefined {
    const p = this.lookup(dest);
    if (p === undefined || !p.alive) return newError(`process ${String(dest)} not found`, KINDS.NOT_FOUND);
    // `values` is the sender's fresh argument list: plain values need no copy, tables are copied.
    const m = new Message(topic, from, values.every(isPlain) ? values : values.map((v) => exportValue(v)));
    p.deliver(m);
    return undefined;
  }

  link(a: Process, b: Process): void {
    a.links.add(b);
    b.links.add(a);
  }

  unlink(a: Process, b: Process): void {
    a.links.delete(b);
    b.links.delete(a);
  }

  /** Called once by a process that ended: tell monitors and links, release names. */
  exited(p: Process, o: Outcome): void {
    this.procs.delete(p.pid);
    if (p.hasNames) for (const n of [...p.names]) this.unregister(n, p);
    if (p.hasMonitors) {
      // Each monitor gets its own result table and its own copy of the value: processes share no tables.
      for (const m of p.monitors) {
        const result = new LuaTable();
        result.setStr('value', exportValue(o.value));
        result.setStr('error', o.error);
        m.postEvent({ kind: EVENT.EXIT, from: p.pid, result });
      }
      p.monitors.clear();
    }
    if (!p.hasLinks) return;
    for (const other of [...p.links]) {
      this.unlink(p, other);
      if (o.error === undefined) continue; // links fire on abnormal exits only
      if (other.trapLinks) other.postEvent({ kind: EVENT.LINK_DOWN, from: p.pid, reason: o.error });
      else other.fail(newError(`linked process failed: ${p.pid}: ${o.error.message}`, KINDS.CANCELED));
    }
  }

  /** Forcibly end a process (process.terminate, service stop). */
  terminate(p: Process, why = 'terminated'): void {
    p.fail(newError(why, KINDS.CANCELED, false));
  }

  /** Every live process (for shutdown). */
  all(): Process[] {
    return [...this.procs.values()];
  }
}
