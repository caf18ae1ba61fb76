// The `events` module (spec §3.3): a best-effort, observation-only event bus, one per node. Subscriptions
// match the system by a glob (`orders.*`) and optionally the kind; each receives its own deep copy of an
// event table `{system, kind, path, data}` on an unbounded channel. A subscription ends with its process.

import { LuaTable } from '../lua/table.js';
import { LuaUserdata } from '../lua/value.js';
import { ret1, ret2 } from '../lua/ret.js';
import { checkString, typeError } from '../lua/lib/args.js';
import { KINDS, newError } from '../lua/lib/errors.js';
import { Channel } from '../process/channel.js';
import { current } from '../process/scheduler.js';
import { Process } from '../process/process.js';
import { exportValue } from '../process/payload.js';
import { hostObject, moduleTable, objectClass, type ModuleDef } from './module.js';

/** Events queued on one subscription beyond this are dropped (best-effort delivery; a stuck reader must not grow without end). */
export const MAX_PENDING = 10_000;

interface Subscription {
  system: RegExp;
  kind: RegExp | undefined;
  ch: Channel;
  owner: Process | undefined;
  cleanup: () => void;
}

/** `*` matches any run of characters (dots included); everything else is literal. */
export function globRegExp(pattern: string): RegExp {
  return new RegExp('^' + pattern.split('*').map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*') + '$', 's');
}

export class EventBus {
  readonly subs = new Set<Subscription>();

  subscribe(system: string, kind: string | undefined, owner: Process | undefined): Subscription {
    const sub: Subscription = {
      system: globRegExp(system),
      kind: kind === undefined ? undefined : globRegExp(kind),
      ch: new Channel(Infinity, true),
      owner,
      cleanup: () => this.unsubscribe(sub),
    };
    this.subs.add(sub);
    owner?.cleanups.add(sub.cleanup);
    return sub;
  }

  unsubscribe(sub: Subscription): boolean {
    if (!this.subs.delete(sub)) return false;
    sub.owner?.cleanups.delete(sub.cleanup);
    sub.ch.close();
    return true;
  }

  send(system: string, kind: string, path: string, data: unknown): void {
    for (const sub of this.subs) {
      if (!sub.system.test(system) || (sub.kind !== undefined && !sub.kind.test(kind))) continue;
      if (sub.ch.size >= MAX_PENDING) continue;
      const t = new LuaTable();
      t.setStr('system', system);
      t.setStr('kind', kind);
      t.setStr('path', path);
      t.setStr('data', exportValue(data));
      sub.ch.post(t);
    }
  }
}

/** One bus per node; module contexts without a node (tests of the module alone) get their own. */
const buses = new WeakMap<object, EventBus>();

export function busOf(key: object): EventBus {
  let b = buses.get(key);
  if (b === undefined) buses.set(key, (b = new EventBus()));
  return b;
}

const SubscriptionClass = objectClass('events.Subscription', {
  channel: (...args: unknown[]) => ret1(self(args, 'channel').ch),
  close: (...args: unknown[]) => {
    const s = self(args, 'close');
    busFor.get(s)?.unsubscribe(s);
    return ret1(true);
  },
});

/** The bus a subscription belongs to (so `close` needs no module state). */
const busFor = new WeakMap<Subscription, EventBus>();

function self(args: unknown[], fname: string): Subscription {
  const s = args[0];
  if (s instanceof LuaUserdata && s.mt === SubscriptionClass) return s.data as Subscription;
  throw typeError(args, 1, fname, 'events.Subscription');
}

function optString(args: unknown[], i: number, fname: string): string | undefined {
  return args[i - 1] === undefined ? undefined : checkString(args, i, fname);
}

export const eventsModule: ModuleDef = {
  name: 'events',
  open(ctx) {
    const bus = busOf(ctx.node ?? ctx);
    return moduleTable('events', {
      subscribe: (...args: unknown[]) => {
        const system = checkString(args, 1, 'subscribe');
        const kind = optString(args, 2, 'subscribe');
        if (system === '') return ret2(undefined, newError('system pattern must not be empty', KINDS.INVALID));
        const p = current?.owner;
        const sub = bus.subscribe(system, kind, p instanceof Process ? p : undefined);
        busFor.set(sub, bus);
        return ret1(hostObject(sub, SubscriptionClass));
      },
      send: (...args: unknown[]) => {
        const system = checkString(args, 1, 'send');
        const kind = checkString(args, 2, 'send');
        const path = optString(args, 3, 'send') ?? '';
        if (system === '') return ret2(undefined, newError('system must not be empty', KINDS.INVALID));
        bus.send(system, kind, path, args[3]);
        return ret1(true);
      },
    });
  },
};
