// The coroutine library on top of runtime/lua/coroutine.ts. `yield` and (with host suspension) `resume`
// and wrapped functions carry generator twins so generator-mode code can suspend through them.

import { LuaTable } from '../table.js';
import { ret1, retN } from '../ret.js';
import { Coroutine, co, resume, resumeG, wrap, yieldG, yieldPlain } from '../coroutine.js';
import { checkFunction, typeError } from './args.js';

type Fn = ((...args: any[]) => unknown) & { G?: (...args: any[]) => Generator<unknown, unknown, unknown> };

/** Argument 1 as a coroutine; `n` is the number of arguments passed (PUC: "got no value" when none). */
function checkCo(v: unknown, n: number, fname: string): Coroutine {
  if (v instanceof Coroutine) return v;
  throw typeError(n === 0 ? [] : [v], 1, fname, 'thread');
}

export function createCoroutineLib(opts: { hostSuspension: boolean; spawn?: (fn: unknown) => unknown }): LuaTable {
  const lib = new LuaTable();
  const yieldFn: Fn = () => yieldPlain();
  yieldFn.G = yieldG;
  // The ring benchmark's hot path: one value is sent as itself, without an argument array.
  const resumeFn: Fn = function (c: unknown, v?: unknown) {
    const n = arguments.length;
    return retN(resume(checkCo(c, n, 'coroutine.resume'), n === 2 ? v : Array.prototype.slice.call(arguments, 1)));
  };
  if (opts.hostSuspension) {
    resumeFn.G = function* (c: unknown, ...args: unknown[]) {
      return retN((yield* resumeG(checkCo(c, 1, 'coroutine.resume'), args)) as unknown[]);
    };
  }
  lib.setStr('create', (...args: unknown[]) => ret1(new Coroutine(checkFunction(args, 1, 'coroutine.create'))));
  lib.setStr('resume', resumeFn);
  lib.setStr('yield', yieldFn);
  lib.setStr('status', function (c: unknown) {
    return ret1(checkCo(c, arguments.length, 'coroutine.status').status);
  });
  lib.setStr('running', () => {
    const c = co.current;
    return retN([c ?? co.main, c === null]);
  });
  lib.setStr('isyieldable', () => ret1(co.current !== null && co.nny === 0));
  if (opts.spawn) {
    const spawn = opts.spawn;
    lib.setStr('spawn', (...args: unknown[]) => ret1(spawn(checkFunction(args, 1, 'coroutine.spawn'))));
  }
  lib.setStr('wrap', (...args: unknown[]) => ret1(wrap(checkFunction(args, 1, 'coroutine.wrap'), opts.hostSuspension)));
  return lib;
}
