// One actor (spec §4): a PID, a Lua state, its tasks (the main function and `coroutine.spawn`ed
// coroutines), a mailbox routed to listeners or the inbox, an events channel, links and monitors.
// Function calls run as short-lived processes too, which gives them PIDs, timeouts and cancellation.

import { LuaTable } from '../lua/table.js';
import { LuaError } from '../lua/error.js';
import { Coroutine } from '../lua/coroutine.js';
import { ErrorObject, KINDS, newError } from '../lua/lib/errors.js';
import { tostring } from '../lua/lib/base.js';
import { Task, start, kill, type TaskOwner } from './scheduler.js';
import { Channel } from './channel.js';
import { exportValue, messagePayload, type Message } from './payload.js';
import type { Node } from './node.js';

type Gen = Generator<unknown, unknown, unknown>;

/** Shared by processes that have not started: `run` replaces it with a one-element array. */
const NO_TASKS: Task[] = [];

export const EVENT = { CANCEL: 'pid.cancel', EXIT: 'pid.exit', LINK_DOWN: 'pid.link.down' } as const;

/** How a process ended (spec §6.2): the first result, or an error object. */
export interface Outcome {
  value: unknown;
  error: ErrorObject | undefined;
}

interface Listener {
  pattern: string;
  re: RegExp | null;
  ch: Channel;
  asMessage: boolean;
}

export class Process implements TaskOwner {
  /** Live tasks (main first when alive); a plain array: processes rarely have more than a couple. */
  tasks: Task[] = NO_TASKS;
  main: Task | null = null;
  alive = true;
  /** Messages no route accepted yet (spec §4.2 rule 3). */
  private queued: Message[] | null = null;
  private inboxCh: Channel | null = null;
  private eventsCh: Channel | null = null;
  private listeners: Listener[] | null = null;
  // Links, monitors, names and cleanups are rare: allocated on first use (an idle actor stays small).
  private _links: Set<Process> | null = null;
  private _monitors: Set<Process> | null = null;
  private _names: Set<string> | null = null;
  private _cleanups: Set<() => void> | null = null;
  trapLinks = false;
  /** performance.now() deadline (function call timeouts); checked at safepoints and by a timer. */
  deadline = Infinity;
  private deadlineTimer: NodeJS.Timeout | null = null;
  private onExit: ((o: Outcome) => void)[] | null = null;
  get links(): Set<Process> {
    return (this._links ??= new Set());
  }

  /** Processes monitoring this one. */
  get monitors(): Set<Process> {
    return (this._monitors ??= new Set());
  }

  get names(): Set<string> {
    return (this._names ??= new Set());
  }

  /** Resources to release at exit (timers, subscriptions). */
  get cleanups(): Set<() => void> {
    return (this._cleanups ??= new Set());
  }

  /** Without allocating: are there links / monitors / names? */
  get hasLinks(): boolean {
    return this._links !== null && this._links.size > 0;
  }

  get hasMonitors(): boolean {
    return this._monitors !== null && this._monitors.size > 0;
  }

  get hasNames(): boolean {
    return this._names !== null && this._names.size > 0;
  }
  outcome: Outcome | null = null;
  /** The globals of the Lua state this process runs (set when it boots or takes a pooled state). */
  env: LuaTable | null = null;

  constructor(
    readonly node: Node,
    readonly pid: string,
    readonly entryId: string,
    /** Values from with_context, read by the `ctx` module. */
    readonly context: LuaTable | undefined,
    /** The PID that spawned it (nil for services and the CLI). */
    readonly parent: string | undefined,
  ) {}

  /** Start the main task from a generator (booting the Lua state and calling the method). */
  run(body: Gen): void {
    const t = new Task(body, this, null);
    this.main = t;
    // A literal: room for exactly one task (most processes never have another).
    if (this.tasks.length === 0) this.tasks = [t];
    else this.tasks.push(t);
    start(t);
  }

  /** process.upgrade: every task ends (the caller's too) and the new code starts as the main task. */
  replaceMain(body: Gen): void {
    for (const t of this.tasks.splice(0)) kill(t);
    this.run(body);
  }

  /** `coroutine.spawn(fn)`: another task in this process, sharing its globals. */
  spawnTask(body: Gen, thread: Coroutine): void {
    const t = new Task(body, this, thread);
    if (this.tasks === NO_TASKS) this.tasks = [t];
    else this.tasks.push(t);
    start(t);
  }

  onDone(f: (o: Outcome) => void): void {
    if (this.outcome) f(this.outcome);
    else (this.onExit ??= []).push(f);
  }

  setTimeout(ms: number): void {
    this.deadline = performance.now() + ms;
    this.deadlineTimer = setTimeout(() => this.fail(newError(`function timed out after ${ms}ms`, KINDS.TIMEOUT, true)), ms);
  }

  // ---- TaskOwner ----

  taskDone(task: Task, ok: boolean, v: unknown): void {
    const i = this.tasks.indexOf(task);
    if (i >= 0) this.tasks.splice(i, 1);
    if (!this.alive) return;
    if (task === this.main) {
      this.exit(ok ? outcomeOf(v as unknown[]) : { value: undefined, error: toErrorObject(v) });
    } else if (!ok) {
      // An uncaught error in a spawned coroutine fails the process: nothing else would ever see it.
      this.exit({ value: undefined, error: toErrorObject(v) });
    } else {
      this.checkDeadlock();
    }
  }

  checkpoint(): void {
    if (performance.now() > this.deadline) throw new LuaError(newError(`function timed out`, KINDS.TIMEOUT, true));
  }

  /** Every task parked on process-local channels: nothing can ever wake them (spec §2.10). */
  checkDeadlock(): void {
    if (!this.alive || this.tasks.length === 0) return;
    for (const t of this.tasks) if (!t.internalPark) return;
    this.exit({ value: undefined, error: newError('DeadlockError: all coroutines blocked with no pending operations', KINDS.INTERNAL) });
  }

  // ---- messages ----

  deliver(m: Message): void {
    if (!this.alive) return;
    if (!this.route(m)) (this.queued ??= []).push(m);
  }

  private route(m: Message): boolean {
    if (this.listeners !== null) for (const l of this.listeners) {
      if (l.re === null ? l.pattern === m.topic : l.re.test(m.topic)) {
        l.ch.post(l.asMessage ? m : messagePayload(m).value);
        return true;
      }
    }
    if (this.inboxCh !== null && !m.topic.startsWith('@')) {
      this.inboxCh.post(m);
      return true;
    }
    return false;
  }

  private flushQueued(): void {
    const q = this.queued;
    if (q === null) return;
    this.queued = null;
    for (const m of q) if (!this.route(m)) (this.queued ??= []).push(m);
  }

  inbox(): Channel {
    if (this.inboxCh === null) {
      this.inboxCh = new Channel(Infinity, true);
      this.flushQueued();
    }
    return this.inboxCh;
  }

  events(): Channel {
    return (this.eventsCh ??= new Channel(Infinity, true));
  }

  listen(pattern: string, asMessage: boolean): Channel {
    const re = pattern.includes('*') ? new RegExp('^' + pattern.split('*').map(escapeRe).join('.*') + '$') : null;
    const ch = new Channel(Infinity, true);
    (this.listeners ??= []).push({ pattern, re, ch, asMessage });
    this.flushQueued();
    return ch;
  }

  unlisten(ch: Channel): boolean {
    const i = this.listeners?.findIndex((l) => l.ch === ch) ?? -1;
    if (i < 0) return false;
    this.listeners!.splice(i, 1);
    ch.close();
    return true;
  }

  postEvent(fields: Record<string, unknown>): void {
    if (!this.alive) return;
    const t = new LuaTable();
    for (const [k, v] of Object.entries(fields)) t.setStr(k, v);
    this.events().post(t);
  }

  // ---- ending ----

  /** Fail from outside (terminate, linked failure, timeout). */
  fail(error: ErrorObject): void {
    if (this.alive) this.exit({ value: undefined, error });
  }

  private exit(o: Outcome): void {
    if (!this.alive) return;
    this.alive = false;
    this.outcome = o;
    if (this.deadlineTimer) clearTimeout(this.deadlineTimer);
    if (this.tasks.length > 0) for (const t of this.tasks.splice(0)) kill(t);
    this.inboxCh?.close();
    this.eventsCh?.close();
    if (this.listeners !== null) for (const l of this.listeners) l.ch.close();
    if (this._cleanups !== null) {
      for (const c of this._cleanups) c();
      this._cleanups = null;
    }
    this.node.exited(this, o);
    const waiting = this.onExit;
    this.onExit = null;
    if (waiting !== null) for (const f of waiting) f(o);
  }
}

function escapeRe(s: string): string {
  return s.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
}

/** Spec §6.2: values[1] is the result unless values[2] is a string or an error object (a failure). */
export function outcomeOf(values: unknown[]): Outcome {
  const second = values[1];
  if (typeof second === 'string') return { value: undefined, error: newError(second, KINDS.UNKNOWN) };
  if (second instanceof ErrorObject) return { value: undefined, error: second };
  return { value: exportValue(values[0]), error: undefined };
}

/** An uncaught error value as an error object: objects keep their kind, anything else is Internal. */
export function toErrorObject(v: unknown): ErrorObject {
  if (v instanceof ErrorObject) return v;
  if (v instanceof LuaError) return toErrorObject(v.value);
  if (v instanceof RangeError) return newError('stack overflow', KINDS.INTERNAL, false);
  if (v instanceof Error) return newError(`internal error: ${v.message}`, KINDS.INTERNAL, false);
  const e = newError(typeof v === 'string' ? v : tostring(v), KINDS.INTERNAL, false);
  return e;
}
