// Channels (spec §3.3 `channel`): Go-style rendezvous and buffered channels with close semantics, and
// `channel.select` over send/receive cases with an optional default. Operations that cannot complete park
// the calling task through a Block; each operation has a plain version that works when it need not wait.

import { LuaTable } from '../lua/table.js';
import { LuaUserdata } from '../lua/value.js';
import { LuaError } from '../lua/error.js';
import { ret1, ret2 } from '../lua/ret.js';
import { argError, checkTable, typeError } from '../lua/lib/args.js';
import { objectClass, subTable } from '../modules/module.js';
import { cannotBlock, type Block, type Wake } from './scheduler.js';

type Gen = Generator<unknown, unknown, unknown>;

/** One parked party: a plain send/receive or one case of a select (all cases share `sel`). */
interface Waiter {
  wake: Wake;
  /** The value a sender offers. */
  value?: unknown;
  sel?: { done: boolean; index: number; cases: Case[] };
  index?: number;
}

interface Case {
  send: boolean;
  ch: Channel;
  value: unknown;
}

export class Channel extends LuaUserdata {
  buf: unknown[] = [];
  bufHead = 0;
  closed = false;
  recvq: Waiter[] = [];
  sendq: Waiter[] = [];
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

  /** First waiter still interested (select waiters that fired elsewhere are dropped). */
  private take(q: Waiter[]): Waiter | undefined {
    while (q.length > 0) {
      const w = q.shift()!;
      if (w.sel === undefined) return w;
      if (!w.sel.done) {
        w.sel.done = true;
        w.sel.index = w.index!;
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
      this.buf.push(v);
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
        this.buf.push(s.value);
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
    else this.buf.push(v);
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

/** A Block marked internal when it only waits on process-local channels (for deadlock detection). */
export type ChannelBlock = Block & { internal?: boolean };

function recvBlock(ch: Channel): ChannelBlock {
  const b: ChannelBlock = (wake) => {
    const w: Waiter = { wake };
    ch.recvq.push(w);
    return () => ch.remove(w);
  };
  b.internal = !ch.external;
  return b;
}

function sendBlock(ch: Channel, value: unknown): ChannelBlock {
  const b: ChannelBlock = (wake) => {
    const w: Waiter = { wake, value };
    ch.sendq.push(w);
    return () => ch.remove(w);
  };
  b.internal = !ch.external;
  return b;
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
  if (!c.trySend(v)) yield sendBlock(c, v);
  return ret1(true);
};

const receive: Twin = (ch: unknown) => {
  const r = self(ch, 'receive').tryReceive();
  if (r !== undefined) return ret2(r[0], r[1]);
  throw cannotBlock('channel:receive');
};
receive.G = function* (ch: unknown) {
  const c = self(ch, 'receive');
  const r = c.tryReceive() ?? ((yield recvBlock(c)) as [unknown, boolean]);
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

function selectBlock(cases: Case[]): ChannelBlock {
  const b: ChannelBlock = (wake) => {
    const sel = { done: false, index: -1, cases };
    const cancel = () => waiters.forEach((w, i) => cases[i].ch.remove(w));
    const waiters: Waiter[] = cases.map((c, index) => ({
      sel, index, value: c.value,
      // The other cases' waiters leave their queues at once: a select loop must not leak them.
      wake: (ok, v) => {
        cancel();
        wake(ok, ok ? [index, v] : v);
      },
    }));
    waiters.forEach((w, i) => (cases[i].send ? cases[i].ch.sendq : cases[i].ch.recvq).push(w));
    return cancel;
  };
  b.internal = cases.every((c) => !c.ch.external);
  return b;
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
  const [index, v] = (yield selectBlock(cases)) as [number, unknown];
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
