// Coroutines on JS generators. A Lua function that may suspend has a generator twin (`fn.G`); a coroutine
// runs that twin, and `coroutine.yield` inside generator-mode code is a JS `yield` of `[true, values…]`,
// which is what resume returns (one array per message, none copied).
// A yielded value that is not an array is a host suspension (a blocking module call inside a process):
// the generator twin of resume forwards it to whoever drives the enclosing generator.

import { LuaObject } from './value.js';
import { LuaError, errorValue, where } from './error.js';
import { mv, recv, retN } from './ret.js';
import { call, callable, type LuaFunction } from './call.js';

type Gen = Generator<unknown, unknown, unknown>;
type GenFn = LuaFunction & { G?: (...args: any[]) => Gen };

export class Coroutine extends LuaObject {
  readonly ltype = 'thread';
  status: 'suspended' | 'running' | 'normal' | 'dead' = 'suspended';
  gen: Gen | null = null;
  constructor(public fn: unknown) {
    super();
  }
}

/**
 * The running coroutine (null: the main thread). Saved and restored by resume. `nny` counts the "C calls"
 * of the running coroutine that a yield cannot cross (a message handler, `__tostring` called by tostring):
 * coroutine.isyieldable() is false inside them, as in PUC Lua. A resume starts the coroutine at 0.
 */
export const co: { current: Coroutine | null; main: Coroutine; nny: number } = { current: null, main: new Coroutine(undefined), nny: 0 };
co.main.status = 'running';

/** call(f, ...args) as a "C call" (a message handler, `__tostring`): coroutine.isyieldable() is false inside. */
export function callNoYield(f: unknown, ...args: unknown[]): unknown {
  co.nny++;
  try {
    return call(f, ...args);
  } finally {
    co.nny--;
  }
}

function start(fn: unknown, sent: unknown): Gen {
  const args = Array.isArray(sent) ? sent : [sent];
  if (typeof fn === 'function' && (fn as GenFn).G !== undefined) return (fn as GenFn).G!(...args);
  const f = callable(fn);
  return (function* plainBody(): Gen {
    return f(...args);
  })();
}

/**
 * One step of `c`: the generator's result, or the error that ended the coroutine (it is then dead). No
 * `finally`: the statuses are restored on both paths by hand, which keeps the ring's hot path lean.
 */
function resumeStep(c: Coroutine, args: unknown): IteratorResult<unknown, unknown> | LuaError {
  const prev = co.current;
  const caller = prev ?? co.main;
  const nny = co.nny;
  caller.status = 'normal';
  c.status = 'running';
  co.current = c;
  co.nny = 0;
  let r: IteratorResult<unknown, unknown>;
  try {
    r = c.gen === null ? (c.gen = start(c.fn, args)).next() : c.gen.next(args);
  } catch (e) {
    co.current = prev;
    co.nny = nny;
    caller.status = 'running';
    c.status = 'dead';
    return e instanceof LuaError ? e : new LuaError(errorValue(e));
  }
  co.current = prev;
  co.nny = nny;
  caller.status = 'running';
  c.status = 'suspended'; // outcome() marks a finished coroutine dead
  return r;
}

function resumeCheck(c: unknown): string | undefined {
  if (!(c instanceof Coroutine)) return undefined;
  if (c.status === 'dead') return 'cannot resume dead coroutine';
  if (c.status !== 'suspended') return 'cannot resume non-suspended coroutine';
  return undefined;
}

/** Finish a resume: [true, values...] or [false, error]. */
function outcome(c: Coroutine, r: IteratorResult<unknown, unknown> | LuaError): unknown[] {
  if (r instanceof LuaError) return [false, r.value];
  if (r.done) {
    c.status = 'dead';
    return withTrue(mv(r.value));
  }
  return r.value as unknown[]; // a yield's [true, values...]
}

/** [true, ...vals] without the iterator protocol of a spread (one resume per message in a ring). */
function withTrue(vals: unknown[]): unknown[] {
  const n = vals.length;
  const out = new Array(n + 1);
  out[0] = true;
  for (let i = 0; i < n; i++) out[i + 1] = vals[i];
  return out;
}

/**
 * coroutine.resume: one step of `c` as [true, values...] or [false, error]; the ring benchmark's hot path.
 * `sent` is the values passed in: an array, or one value as itself (see ret.recv).
 */
export function resume(c: Coroutine, sent: unknown): unknown[] {
  if (c.status !== 'suspended') return [false, resumeCheck(c)];
  const r = resumeStep(c, sent);
  if (!(r instanceof LuaError) && !r.done && !Array.isArray(r.value)) {
    c.status = 'dead';
    return [false, 'attempt to yield across a C-call boundary'];
  }
  return outcome(c, r);
}

export function* resumeG(c: Coroutine, args: unknown[]): Gen {
  const bad = resumeCheck(c);
  if (bad !== undefined) return [false, bad];
  let r = resumeStep(c, args);
  while (!(r instanceof LuaError) && !r.done && !Array.isArray(r.value)) {
    // A host suspension from inside the coroutine: suspend the caller too, then pass the answer down.
    const answer = yield r.value;
    r = resumeStep(c, answer as unknown[]);
  }
  return outcome(c, r);
}

/** Plain-mode coroutine.yield: only reachable when no generator frame can take the yield. */
export function yieldPlain(): never {
  // Raised by the C function yield itself in PUC Lua, hence no position.
  if (co.current === null) throw new LuaError('attempt to yield from outside a coroutine');
  throw new LuaError('attempt to yield across a C-call boundary');
}

/** Generator twin of coroutine.yield. */
export function* yieldG(...args: unknown[]): Gen {
  if (co.current === null) throw new LuaError('attempt to yield from outside a coroutine');
  return recv(yield withTrue(args));
}

export function wrap(fn: unknown, hostSuspension: boolean): LuaFunction {
  const c = new Coroutine(fn);
  const finish = (vals: unknown[]) => {
    if (vals[0] === false) {
      const v = vals[1];
      // Like auxwrap: a string error gets the position of the code that called the wrapped function.
      throw new LuaError(typeof v === 'string' ? where(2) + v : v);
    }
    return retN(vals.slice(1));
  };
  const wrapped: GenFn = (...args: unknown[]) => finish(resume(c, args));
  if (hostSuspension) {
    wrapped.G = function* (...args: unknown[]) {
      return finish((yield* resumeG(c, args)) as unknown[]);
    };
  }
  return wrapped;
}

