// The scheduler: runs every actor's tasks (a process's main function and its `coroutine.spawn`ed
// coroutines) as generators on one Node event loop. A blocking builtin's generator twin yields a `Block`;
// the scheduler parks the task until the block wakes it with an answer, then resumes it with that answer.
// No Promise per step: ready tasks run from a queue in time slices, yielding to Node's I/O between slices.

import { co, Coroutine } from '../lua/coroutine.js';
import { B, tickHooks } from '../lua/forloop.js';
import { LuaError } from '../lua/error.js';
import { mv } from '../lua/ret.js';

/** Called by a blocked operation when it completes: ok=false makes the call site raise `value`. */
export type Wake = (ok: boolean, value: unknown) => void;

/**
 * What blocking builtins yield: register the wake-up (possibly waking at once) and return a canceller,
 * called if the task is killed while parked. Functions are never yielded by Lua code (coroutine.yield
 * yields arrays), which is how the scheduler tells the two apart.
 */
export type Block = (wake: Wake) => (() => void) | void;

type Gen = Generator<unknown, unknown, unknown>;

export interface TaskOwner {
  /** The task ended: values on success, the error value on failure. */
  taskDone(task: Task, ok: boolean, values: unknown[] | unknown): void;
  /** Checked at safepoints: throw to stop runaway code (timeouts, cancellation). */
  checkpoint?(): void;
  /** A task parked on process-local channels only (deadlock detection). */
  checkDeadlock?(): void;
}

/**
 * Yielded by a task's outer generator to hand over to an inner one for good: the scheduler drives `gen`
 * directly from then on, so every later resume skips the wrapper frames (boot, the method call).
 */
export class Handover {
  constructor(readonly gen: Gen) {}
}

/**
 * A parked operation as an object (channels): cheaper than a Block closure plus its wake and cancel
 * closures — the object itself is the waiter. `park` records the task and queues itself; whoever completes
 * the operation calls `wakeTask(task, epoch, …)`.
 */
export abstract class Parker {
  /** Waits only on process-local channels (deadlock detection). */
  internal = false;
  abstract park(task: Task): void;
  abstract cancel(): void;
}

export class Task {
  /** Answer for the next resume. */
  ok = true;
  value: unknown = undefined;
  parked: (() => void) | void | Parker = undefined;
  /** Parked on process-local channels only: no outside event can wake it. */
  internalPark = false;
  done = false;
  /** Bumped on every park: a stale wake-up (after kill or a second wake) is ignored. */
  epoch = 0;
  constructor(
    public gen: Gen,
    public owner: TaskOwner,
    /** The Lua thread identity seen by coroutine.running() inside the task. */
    public thread: Coroutine | null,
  ) {}
}

/** The task being stepped right now (null outside the scheduler). */
export let current: Task | null = null;

const ready: Task[] = [];
let head = 0;
let scheduled = false;
/** Slice length: long enough to amortise, short enough that timers and sockets are served. */
const SLICE_MS = 8;
let sliceEnd = 0;
/** Set when a task was preempted: the slice is over, whatever the task count says. */
let sliceExpired = false;
/**
 * Loop back edges between clock checks inside a task, adapted to the loop's cost: the compiled default
 * (1M) lets a loop with a little work in it (a clock read, a method call) run for seconds before anyone
 * looks at the clock, starving every other actor. Checks aim at one per ~0.1–1 ms of running code.
 */
let budget = 1024;
let lastTick = 0;

export function start(task: Task): void {
  makeReady(task);
}

function makeReady(task: Task): void {
  ready.push(task);
  if (!scheduled) {
    scheduled = true;
    setImmediate(runSlice);
  }
}

/** Resume a task parked at `epoch` with an answer; stale wake-ups (killed, already woken) are ignored. */
export function wakeTask(task: Task, epoch: number, ok: boolean, value: unknown): void {
  if (task.done || task.epoch !== epoch) return;
  task.epoch++;
  task.parked = undefined;
  task.internalPark = false;
  task.ok = ok;
  task.value = value;
  makeReady(task);
}

/** The Wake callback of a Block parked by `task` now. */
function wakeFor(task: Task): Wake {
  const epoch = task.epoch;
  return (ok, value) => wakeTask(task, epoch, ok, value);
}

function runSlice(): void {
  lastTick = performance.now();
  sliceEnd = lastTick + SLICE_MS;
  sliceExpired = false;
  let n = 0;
  while (head < ready.length) {
    const task = ready[head++];
    if (!task.done) step(task);
    // Checking the clock every task would cost more than most steps; a preempted task already did.
    if (sliceExpired || ((++n & 63) === 0 && performance.now() > sliceEnd)) break;
  }
  if (head === ready.length) {
    ready.length = 0;
    head = 0;
    scheduled = false;
  } else {
    if (head > 4096) {
      ready.splice(0, head);
      head = 0;
    }
    setImmediate(runSlice);
  }
}

function step(task: Task): void {
  const prevThread = co.current;
  current = task;
  co.current = task.thread;
  if (B.n > budget) B.n = budget;
  let r: IteratorResult<unknown, unknown>;
  try {
    r = task.ok ? task.gen.next(task.value) : task.gen.throw(task.value);
    while (!r.done && r.value instanceof Handover) {
      task.gen = r.value.gen;
      r = task.gen.next();
    }
  } catch (e) {
    finish(task, false, e instanceof LuaError ? e.value : e);
    return;
  } finally {
    current = null;
    co.current = prevThread;
  }
  if (r.done) {
    // Read at once by the owner (no Lua code runs in between), so the side-channel array needs no copy.
    finish(task, true, mv(r.value));
    return;
  }
  const y = r.value;
  task.value = undefined;
  task.ok = true;
  if (y instanceof Parker) {
    task.parked = y;
    y.park(task);
    // Parked on process-local channels only: maybe every task of the process is stuck.
    if (y.internal) {
      task.internalPark = true;
      task.owner.checkDeadlock?.();
    }
  } else if (typeof y === 'function') {
    const epoch = task.epoch;
    task.parked = (y as Block)(wakeFor(task));
    // Still parked (the block did not answer at once) on internal channels only: maybe a deadlock.
    if (task.epoch === epoch && (y as { internal?: boolean }).internal === true) {
      task.internalPark = true;
      task.owner.checkDeadlock?.();
    }
  } else {
    // A coroutine.yield that reached the top of a spawned coroutine: let the others run, then go on.
    task.value = [];
    makeReady(task);
  }
}

function finish(task: Task, ok: boolean, v: unknown): void {
  task.done = true;
  task.owner.taskDone(task, ok, v);
}

/** Stop a task wherever it is: cancel its parked operation and run its `finally`-free unwind. */
export function kill(task: Task): void {
  if (task.done) return;
  task.done = true;
  task.epoch++;
  const p = task.parked;
  if (typeof p === 'function') p();
  else if (p instanceof Parker) p.cancel();
  task.parked = undefined;
  try {
    task.gen.return(undefined);
  } catch {
    // A generator that is running (killing oneself) cannot be closed; `done` stops it at its next step.
  }
}

// ---- blocking from builtins ----

/** A Block that fires after `ms` milliseconds (timers keep the Node process alive only while waited on). */
export function after(ms: number, value: unknown = undefined): Block {
  return (wake) => {
    const t = setTimeout(() => wake(true, value), Math.max(0, ms));
    return () => clearTimeout(t);
  };
}

/** The error plain versions of blocking builtins raise (no generator frame can take the suspension). */
export function cannotBlock(fname: string): LuaError {
  return new LuaError(current === null
    ? `${fname}: blocking call outside a process`
    : `${fname}: attempt to block across a C-call boundary (inside a metamethod or callback that cannot suspend)`);
}

// ---- safepoints ----

/**
 * Safepoints (loop back edges) land here once per budget: the owner may throw to stop runaway code; when
 * the task has used up its slice, a Block is returned that generator-mode code yields to let others run.
 */
tickHooks.onTick = (): Block | undefined => {
  const t = current;
  if (t === null) return undefined;
  const now = performance.now();
  const dt = now - lastTick;
  lastTick = now;
  if (dt < 0.1) budget = Math.min(budget * 2, 1_000_000);
  else if (dt > 1) budget = Math.max(budget >> 1, 16);
  B.n = budget;
  t.owner.checkpoint?.();
  if (now <= sliceEnd) return undefined;
  sliceExpired = true;
  return yieldTurn;
};

const yieldTurn: Block = (wake) => wake(true, undefined);
