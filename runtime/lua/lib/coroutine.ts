// The coroutine library on top of runtime/lua/coroutine.ts. `yield` and (with host suspension) `resume`
// and wrapped functions carry generator twins so generator-mode code can suspend through them.

import { LuaTable } from '../table.js';
import { ret1, retN } from '../ret.js';
import { Coroutine, co, resume, resumeG, wrap, yieldG, yieldPlain } from '../coroutine.js';
import { checkFunction, typeError } from './args.js';

type Fn = ((...args: any[]) => unknown) & { G?: (...args: any[]) => Generator<unknown, unknown, unknown> };

function checkCo(v: unknown, fname: string): Coroutine {
  if (v instanceof Coroutine) return v;
  throw typeError([v], 1, fname, 'coroutine');
}

export function createCoroutineLib(opts: { hostSuspension: boolean; spawn?: (fn: unknown) => unknown }): LuaTable {
  const lib = new LuaTable();
  const yieldFn: Fn = () => yieldPlain();
  yieldFn.G = yieldG;
  const resumeFn: Fn = (c: unknown, ...args: unknown[]) => retN(resume(checkCo(c, 'resume'), args));
  if (opts.hostSuspension) {
    resumeFn.G = function* (c: unknown, ...args: unknown[]) {
      return retN((yield* resumeG(checkCo(c, 'resume'), args)) as unknown[]);
    };
  }
  lib.setStr('create', (...args: unknown[]) => ret1(new Coroutine(checkFunction(args, 1, 'create'))));
  lib.setStr('resume', resumeFn);
  lib.setStr('yield', yieldFn);
  lib.setStr('status', (c: unknown) => ret1(checkCo(c, 'status').status));
  lib.setStr('running', () => {
    const c = co.current;
    return retN([c ?? co.main, c === null]);
  });
  lib.setStr('isyieldable', () => ret1(co.current !== null));
  if (opts.spawn) {
    const spawn = opts.spawn;
    lib.setStr('spawn', (...args: unknown[]) => ret1(spawn(checkFunction(args, 1, 'spawn'))));
  }
  lib.setStr('wrap', (...args: unknown[]) => ret1(wrap(checkFunction(args, 1, 'wrap'), opts.hostSuspension)));
  return lib;
}
