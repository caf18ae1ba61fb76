// The blocking half of the `time` module (spec §3.2): sleep, after, timer and ticker, built on the
// scheduler. Timer channels are fed from outside the process (never a deadlock) and every timer of a
// process stops when the process ends, so nothing keeps Node alive for a dead actor.

import { LuaUserdata } from '../lua/value.js';
import { ret0, ret1, ret2 } from '../lua/ret.js';
import { typeError } from '../lua/lib/args.js';
import { objectClass } from '../modules/module.js';
import { durationArg, newTime, now } from '../modules/time/index.js';
import { Channel } from './channel.js';
import { after, cannotBlock, current } from './scheduler.js';
import { Process } from './process.js';

type Gen = Generator<unknown, unknown, unknown>;
type Twin = ((...a: any[]) => unknown) & { G?: (...a: any[]) => Gen };

const ms = (v: unknown, fname: string) => Math.max(0, durationArg(v, fname, 1) / 1e6);

/** Run `stop` when the calling process ends (if there is one). */
function ownedByCaller(stop: () => void): void {
  const p = current?.owner;
  if (p instanceof Process) p.cleanups.add(stop);
}

const sleep: Twin = () => {
  throw cannotBlock('time.sleep');
};
sleep.G = function* (d: unknown) {
  yield after(ms(d, 'sleep'));
  return ret0();
};

interface TimerData {
  ch: Channel;
  handle: NodeJS.Timeout | null;
  /** Ticker period in ms (null for a one-shot timer). */
  period: number | null;
  stop: () => void;
}

/** Deliver the current time without blocking: a full channel drops the tick (Go's ticker rule). */
function fire(t: TimerData): void {
  if (t.ch.size === 0) t.ch.post(newTime(now()));
}

function startTimer(delay: number, period: number | null): TimerData {
  const t: TimerData = { ch: new Channel(1, true), handle: null, period, stop: () => {} };
  t.stop = () => {
    if (t.handle === null) return;
    if (t.period === null) clearTimeout(t.handle);
    else clearInterval(t.handle);
    t.handle = null;
  };
  t.handle = period === null
    ? setTimeout(() => {
        t.handle = null;
        fire(t);
      }, delay)
    : setInterval(() => fire(t), period);
  ownedByCaller(t.stop);
  return t;
}

function timerOf(v: unknown, cls: unknown, fname: string): TimerData {
  if (v instanceof LuaUserdata && v.mt === cls) return v.data as TimerData;
  throw typeError([v], 1, fname, cls === Timer ? 'time.Timer' : 'time.Ticker');
}

const Timer = objectClass('time.Timer', {
  response: (t: unknown) => ret1(timerOf(t, Timer, 'response').ch),
  channel: (t: unknown) => ret1(timerOf(t, Timer, 'channel').ch),
  stop: (t: unknown) => {
    const d = timerOf(t, Timer, 'stop');
    const pending = d.handle !== null;
    d.stop();
    return ret1(pending);
  },
  reset: (t: unknown, dur: unknown) => {
    const d = timerOf(t, Timer, 'reset');
    const pending = d.handle !== null;
    d.stop();
    d.handle = setTimeout(() => {
      d.handle = null;
      fire(d);
    }, Math.max(0, durationArg(dur, 'reset', 2) / 1e6));
    return ret1(pending);
  },
});

const Ticker = objectClass('time.Ticker', {
  response: (t: unknown) => ret1(timerOf(t, Ticker, 'response').ch),
  channel: (t: unknown) => ret1(timerOf(t, Ticker, 'channel').ch),
  stop: (t: unknown) => {
    timerOf(t, Ticker, 'stop').stop();
    return ret0();
  },
});

/** sleep/after/timer/ticker, merged into the time module table by the host. */
export const blockingTime: Record<string, Twin> = {
  sleep,
  after: (d: unknown) => ret1(startTimer(ms(d, 'after'), null).ch),
  timer: (d: unknown) => ret1(new LuaUserdata(startTimer(ms(d, 'timer'), null), Timer)),
  ticker: (d: unknown) => {
    const period = ms(d, 'ticker');
    if (period <= 0) return ret2(undefined, 'non-positive interval for ticker');
    return ret1(new LuaUserdata(startTimer(period, period), Ticker));
  },
};
