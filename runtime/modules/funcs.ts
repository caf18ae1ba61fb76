// The `funcs` module (spec §3.3): call function entries synchronously (`call`) or as futures (`async`),
// through immutable Executors that carry context and options (`timeout` in ms ends runaway calls).
// A call runs as a short-lived process; the caller's task parks until it ends.

import { LuaTable } from '../lua/table.js';
import { LuaUserdata } from '../lua/value.js';
import { ret1, ret2 } from '../lua/ret.js';
import { checkString, typeError } from '../lua/lib/args.js';
import { ErrorObject, KINDS, newError } from '../lua/lib/errors.js';
import { Channel } from '../process/channel.js';
import { cannotBlock } from '../process/scheduler.js';
import { me, millis, resolveId, waitExit } from '../process/process-lib.js';
import { FORMATS, Payload } from '../process/payload.js';
import type { Process, Outcome } from '../process/process.js';
import type { Node } from '../process/node.js';
import { hostObject, moduleTable, objectClass, type ModuleDef } from './module.js';

type Gen = Generator<unknown, unknown, unknown>;
type Twin = ((...a: any[]) => unknown) & { G?: (...a: any[]) => Gen };

interface ExecSpec {
  context?: LuaTable;
  timeoutMs?: number;
}

function merged(base: LuaTable | undefined, extra: LuaTable | undefined): LuaTable | undefined {
  if (!base) return extra;
  if (!extra) return base;
  const t = new LuaTable();
  for (const [k, v] of base.entries()) t.set(k, v);
  for (const [k, v] of extra.entries()) t.set(k, v);
  return t;
}

function startCall(node: Node, spec: ExecSpec, fname: string, args: unknown[]): Process | ErrorObject {
  const self = me(fname);
  const id = resolveId(self, checkString(args, 1, fname));
  return node.call(id, args.slice(1), { context: merged(self.context, spec.context), timeoutMs: spec.timeoutMs, parent: self.pid });
}

function callTwin(node: Node, spec: () => ExecSpec, offset: number): Twin {
  const f: Twin = () => {
    throw cannotBlock('funcs.call');
  };
  f.G = function* (...args: unknown[]) {
    const p = startCall(node, spec.call(null, ...(args.slice(0, offset) as [])), 'call', args.slice(offset));
    if (p instanceof ErrorObject) return ret2(undefined, p);
    const o = (yield waitExit(p)) as Outcome;
    return o.error ? ret2(undefined, o.error) : ret1(o.value);
  };
  return f;
}

// ---- futures ----

interface FutureData {
  proc: Process;
  ch: Channel;
  outcome: Outcome | null;
  canceled: boolean;
}

const Future = objectClass('funcs.Future', {
  response: (f: unknown) => ret1(future(f, 'response').ch),
  channel: (f: unknown) => ret1(future(f, 'channel').ch),
  is_complete: (f: unknown) => ret1(future(f, 'is_complete').outcome !== null),
  is_canceled: (f: unknown) => ret1(future(f, 'is_canceled').canceled),
  result: (f: unknown) => {
    const o = future(f, 'result').outcome;
    if (o === null) return ret2(undefined, undefined);
    return o.error ? ret2(undefined, o.error) : ret2(new Payload(FORMATS.LUA, o.value), undefined);
  },
  error: (f: unknown) => {
    const o = future(f, 'error').outcome;
    return o?.error ? ret2(o.error, true) : ret2(undefined, false);
  },
  cancel: (f: unknown) => {
    const d = future(f, 'cancel');
    if (d.outcome !== null) return ret1(false);
    d.canceled = true;
    d.proc.fail(newError('call canceled', KINDS.CANCELED));
    return ret1(true);
  },
});

function future(f: unknown, fname: string): FutureData {
  if (f instanceof LuaUserdata && f.mt === Future) return f.data as FutureData;
  throw typeError([f], 1, fname, 'funcs.Future');
}

function asyncCall(node: Node, spec: ExecSpec, args: unknown[]): unknown {
  const p = startCall(node, spec, 'async', args);
  if (p instanceof ErrorObject) return ret2(undefined, p);
  const d: FutureData = { proc: p, ch: new Channel(1, true), outcome: null, canceled: false };
  p.onDone((o) => {
    d.outcome = o;
    // The channel delivers the result payload; a failure closes it after delivering nothing.
    if (!o.error) d.ch.post(new Payload(FORMATS.LUA, o.value));
    d.ch.close();
  });
  return ret1(hostObject(d, Future));
}

// ---- executors ----

function executorClass(node: Node): LuaTable {
  const spec = (x: unknown, fname: string): ExecSpec => {
    if (x instanceof LuaUserdata && x.mt === cls) return x.data as ExecSpec;
    throw typeError([x], 1, fname, 'funcs.Executor');
  };
  const make = (s: ExecSpec) => ret1(hostObject(s, cls));
  const cls: LuaTable = objectClass('funcs.Executor', {
    with_context: (x: unknown, t: unknown) => {
      if (!(t instanceof LuaTable)) throw typeError([x, t], 2, 'with_context', 'table');
      const s = spec(x, 'with_context');
      return make({ ...s, context: merged(s.context, t) });
    },
    with_options: (x: unknown, t: unknown) => {
      if (!(t instanceof LuaTable)) throw typeError([x, t], 2, 'with_options', 'table');
      const timeout = millis(t.getStr('timeout'));
      return make({ ...spec(x, 'with_options'), ...(timeout !== undefined ? { timeoutMs: timeout } : {}) });
    },
    with_actor: (x: unknown) => make({ ...spec(x, 'with_actor') }),
    with_scope: (x: unknown) => make({ ...spec(x, 'with_scope') }),
    call: callTwin(node, function (this: unknown, x?: unknown) { return spec(x, 'call'); } as () => ExecSpec, 1),
    async: (x: unknown, ...args: unknown[]) => asyncCall(node, spec(x, 'async'), args),
  });
  return cls;
}

export const funcsModule: ModuleDef = {
  name: 'funcs',
  open(ctx) {
    const node = ctx.node;
    if (!node) throw new Error('funcs needs the process host');
    const Executor = executorClass(node);
    return moduleTable('funcs', {
      call: callTwin(node, () => ({}), 0),
      async: (...args: unknown[]) => asyncCall(node, {}, args),
      new: () => ret1(hostObject({} as ExecSpec, Executor)),
    });
  },
};

export const ctxModule: ModuleDef = {
  name: 'ctx',
  open() {
    return moduleTable('ctx', {
      get: (key: unknown) => {
        const c = me('ctx.get').context;
        const v = c?.get(key);
        return v === undefined ? ret2(undefined, newError(`context key '${String(key)}' not found`, KINDS.NOT_FOUND)) : ret1(v);
      },
      all: () => {
        const c = me('ctx.all').context;
        const t = new LuaTable();
        if (c) for (const [k, v] of c.entries()) t.set(k, v);
        return ret1(t);
      },
    });
  },
};
