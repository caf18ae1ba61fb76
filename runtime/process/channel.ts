// Channels (spec §3.3 `channel`): Go-style rendezvous and buffered channels with close semantics, and
// `channel.select` over send/receive cases with an optional default. Operations that cannot complete park
// the calling task through a Block; each operation has a plain version that works when it need not wait.

import { LuaTable } from '../lua/table.js';
import { LuaUserdata } from '../lua/value.js';
import { LuaError } from '../lua/error.js';
import { ret1, ret2 } from '../lua/ret.js';
import { argError, checkTable, typeError } from '../lua/lib/args.js';
import { objectClass, subTable } from '../modules/module.js';
import { cannotBlock, Parker, wakeTask, type Task } from './scheduler.js';

type Gen = Generator<unknown, unknown, unknown>;

/** A select in progress: its case waiters share it, the first to fire wins. */
interface SelectState {
  done: boolean;
  index: number;
  waiters: Waiter[];
}

/**
 * One parked party: a plain send/receive, or one case of a select (all cases share `sel`). The waiter is
 * also the Parker the task yields, so parking allocates one object and no closures.
 */
/** Never written: a channel replaces it before the first push. */
const NONE: never[] = [];

class Waiter extends Parker {
  task: Task | null = null;
  epoch = 0;
  constructor(
    readonly ch: Channel,
    readonly send: boolean,
    /** The value a sender offers. */
    readonly value: unknown,
    readonly sel: SelectState | null = null,
    readonly index = 0,
  ) {
    super();
    this.internal = !ch.external;
  }

  park(task: Task): void {
    this.task = task;
    this.epoch = task.epoch;
    // A literal [this] has room for one: a first push into [] would reserve 17 slots per idle actor.
    const ch = this.ch;
    if (this.send) ch.sendq === NONE ? (ch.sendq = [this]) : ch.sendq.push(this);
    else ch.recvq === NONE ? (ch.recvq = [this]) : ch.recvq.push(this);
  }

  cancel(): void {
    this.ch.remove(this);
  }

  /** Complete the operation: a receive gets [value, ok], a send true (or a raise when ok is false). */
  wake(ok: boolean, v: unknown): void {
    const sel = this.sel;
    if (sel === null) return wakeTask(this.task!, this.epoch, ok, v);
    // The other cases leave their queues at once: a select loop must not leak waiters.
    for (const w of sel.waiters) if (w !== this) w.cancel();
    wakeTask(this.task!, this.epoch, ok, ok ? [this.index, v] : v);
  }
}

/** A select parked on several channels: parks every case waiter. */
class SelectWait extends Parker {
  constructor(readonly sel: SelectState) {
    super();
    this.internal = sel.waiters.every((w) => !w.ch.external);
  }

  park(task: Task): void {
    for (const w of this.sel.waiters) w.park(task);
  }

  cancel(): void {
    for (const w of this.sel.waiters) w.cancel();
  }
}

interface Case {
  send: boolean;
  ch: Channel;
  value: unknown;
}

export class Channel extends LuaUserdata {
  // Buffers and queues start as one shared empty array and get their own on first use (idle actors stay small).
  buf: unknown[] = NONE;
  bufHead = 0;
  closed = false;
  recvq: Waiter[] = NONE as Waiter[];
  sendq: Waiter[] = NONE as Waiter[];
  constructor(
    public cap: number,
    /** Fed from outside the process (inbox, events, timers, futures): waiting on it is never a deadlock. */
    public external = false,
  ) {
    super(null, channelMeta);
  }

  get size(): number {
    return this.buf.length - this.bufHead;
  }

  private shift(): unknown {
    const v = this.buf[this.bufHead];
    this.buf[this.bufHead++] = undefined;
    if (this.bufHead > 64 && this.bufHead * 2 > this.buf.length) {
      this.buf = this.buf.slice(this.bufHead);
      this.bufHead = 0;
    }
    return v;
  }

  private push(v: unknown): void {
    if (this.buf === NONE) this.buf = [v];
    else this.buf.push(v);
  }

  /** First waiter still interested (select waiters that fired elsewhere are dropped). */
  private take(q: Waiter[]): Waiter | undefined {
    while (q.length > 0) {
      const w = q.shift()!;
      if (w.sel === null) return w;
      if (!w.sel.done) {
        w.sel.done = true;
        w.sel.index = w.index;
        return w;
      }
    }
    return undefined;
  }

  /** Try to send without waiting: true if delivered or buffered. Raises on a closed channel. */
  trySend(v: unknown): boolean {
    if (this.closed) throw new LuaError('send on closed channel');
    const r = this.take(this.recvq);
    if (r !== undefined) {
      r.wake(true, [v, true]);
      return true;
    }
    if (this.size < this.cap) {
      this.push(v);
      return true;
    }
    return false;
  }

  /** Try to receive without waiting: [value, ok] or undefined when it would block. */
  tryReceive(): [unknown, boolean] | undefined {
    if (this.size > 0) {
      const v = this.shift();
      // A parked sender's value moves into the freed buffer slot.
      const s = this.take(this.sendq);
      if (s !== undefined) {
        this.push(s.value);
        s.wake(true, true);
      }
      return [v, true];
    }
    const s = this.take(this.sendq);
    if (s !== undefined) {
      s.wake(true, true);
      return [s.value, true];
    }
    if (this.closed) return [undefined, false];
    return undefined;
  }

  /** Deliver from the host side (inbox, events): never blocks, the buffer is unbounded. */
  post(v: unknown): void {
    if (this.closed) return;
    const r = this.take(this.recvq);
    if (r !== undefined) r.wake(true, [v, true]);
    else this.push(v);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (let r = this.take(this.recvq); r !== undefined; r = this.take(this.recvq)) r.wake(true, [undefined, false]);
    for (let s = this.take(this.sendq); s !== undefined; s = this.take(this.sendq)) s.wake(false, 'send on closed channel');
  }

  remove(w: Waiter): void {
    const drop = (q: Waiter[]) => {
      const i = q.indexOf(w);
      if (i >= 0) q.splice(i, 1);
    };
    drop(this.recvq);
    drop(this.sendq);
  }
}

function self(v: unknown, fname: string): Channel {
  if (v instanceof Channel) return v;
  throw typeError([v], 1, fname, 'channel');
}

// ---- methods: plain versions complete or explain; generator twins park ----

type Twin = ((...a: any[]) => unknown) & { G?: (...a: any[]) => Gen };

const send: Twin = (ch: unknown, v: unknown) => {
  if (self(ch, 'send').trySend(v)) return ret1(true);
  throw cannotBlock('channel:send');
};
send.G = function* (ch: unknown, v: unknown) {
  const c = self(ch, 'send');
  if (!c.trySend(v)) yield new Waiter(c, true, v);
  return ret1(true);
};

const receive: Twin = (ch: unknown) => {
  const r = self(ch, 'receive').tryReceive();
  if (r !== undefined) return ret2(r[0], r[1]);
  throw cannotBlock('channel:receive');
};
receive.G = function* (ch: unknown) {
  const c = self(ch, 'receive');
  const r = c.tryReceive() ?? ((yield new Waiter(c, false, undefined)) as [unknown, boolean]);
  return ret2(r[0], r[1]);
};

const caseMeta = objectClass('channel.Case', {});

function makeCase(send: boolean, ch: Channel, value: unknown): LuaUserdata {
  return new LuaUserdata({ send, ch, value } satisfies Case, caseMeta);
}

export const channelMeta = objectClass('channel', {
  send,
  receive,
  close: (ch: unknown) => {
    self(ch, 'close').close();
    return ret1(true);
  },
  case_send: (ch: unknown, v: unknown) => ret1(makeCase(true, self(ch, 'case_send'), v)),
  case_receive: (ch: unknown) => ret1(makeCase(false, self(ch, 'case_receive'), undefined)),
});

// ---- select ----

function selectCases(t: LuaTable): Case[] {
  const cases: Case[] = [];
  for (let i = 0; i < t.arr.length; i++) {
    const c = t.arr[i];
    if (!(c instanceof LuaUserdata) || c.mt !== caseMeta) throw argError(1, 'select', `case ${i + 1} is not a channel case (use ch:case_send/ch:case_receive)`);
    cases.push(c.data as Case);
  }
  return cases;
}

function result(c: Case, value: unknown, ok: boolean): LuaTable {
  const r = new LuaTable();
  r.setStr('channel', c.ch);
  r.setStr('value', value);
  r.setStr('ok', ok);
  return r;
}

/** Complete one ready case, chosen at random among the ready ones like Go (no case starves). */
function trySelect(cases: Case[]): LuaTable | undefined {
  const start = cases.length > 1 ? Math.floor(Math.random() * cases.length) : 0;
  for (let k = 0; k < cases.length; k++) {
    const c = cases[(start + k) % cases.length];
    if (c.send) {
      if (c.ch.trySend(c.value)) return result(c, undefined, true);
    } else {
      const r = c.ch.tryReceive();
      if (r !== undefined) return result(c, r[0], r[1]);
    }
  }
  return undefined;
}

function selectWait(cases: Case[]): SelectWait {
  const sel: SelectState = { done: false, index: -1, waiters: [] };
  sel.waiters = cases.map((c, index) => new Waiter(c.ch, c.send, c.value, sel, index));
  return new SelectWait(sel);
}

function defaultResult(): LuaTable {
  const r = new LuaTable();
  r.setStr('default', true);
  r.setStr('ok', true);
  return r;
}

const select: Twin = (t: unknown) => {
  const tbl = checkTable([t], 1, 'select');
  const cases = selectCases(tbl);
  const r = trySelect(cases);
  if (r !== undefined) return ret1(r);
  if (tbl.getStr('default') === true) return ret1(defaultResult());
  throw cannotBlock('channel.select');
};
select.G = function* (t: unknown) {
  const tbl = checkTable([t], 1, 'select');
  const cases = selectCases(tbl);
  if (cases.length === 0 && tbl.getStr('default') !== true) throw argError(1, 'select', 'no cases');
  const r = trySelect(cases);
  if (r !== undefined) return ret1(r);
  if (tbl.getStr('default') === true) return ret1(defaultResult());
  const [index, v] = (yield selectWait(cases)) as [number, unknown];
  const c = cases[index];
  // A receive case answers [value, ok]; a send case answers true.
  return ret1(c.send ? result(c, undefined, true) : result(c, (v as [unknown, boolean])[0], (v as [unknown, boolean])[1]));
};

/** The `channel` global. */
export function createChannelLib(): LuaTable {
  return subTable({
    new: (n: unknown) => {
      if (n !== undefined && (typeof n !== 'number' || n < 0 || !Number.isInteger(n))) throw argError(1, 'new', 'buffer size must be a non-negative integer');
      return ret1(new Channel(n ?? 0));
    },
    select,
  });
}
