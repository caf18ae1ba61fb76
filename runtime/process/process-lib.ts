// The `process` global (spec §4): identity, spawning (plain, linked, monitored, through Spawner builders),
// exec, messaging, inbox/listen/events, links, monitors, cancellation, options, upgrade and names. Every
// function acts for the calling process, found through the scheduler's current task.

import { LuaTable } from '../lua/table.js';
import { LuaError } from '../lua/error.js';
import { LuaUserdata } from '../lua/value.js';
import { ret0, ret1, ret2 } from '../lua/ret.js';
import { argError, checkString, typeError } from '../lua/lib/args.js';
import { ErrorObject, KINDS, newError } from '../lua/lib/errors.js';
import { tostring } from '../lua/lib/base.js';
import { hostObject, objectClass, subTable } from '../modules/module.js';
import { cannotBlock, current, after as afterMs, type Block } from './scheduler.js';
import { Channel } from './channel.js';
import { durationMs } from '../modules/time/duration.js';
import { EVENT, Process, type Outcome } from './process.js';
import type { Node, SpawnOptions } from './node.js';

type Gen = Generator<unknown, unknown, unknown>;
type Twin = ((...a: any[]) => unknown) & { G?: (...a: any[]) => Gen };

/** The process whose task is running (every process function acts for it). */
export function me(fname: string): Process {
  const p = current?.owner;
  if (!(p instanceof Process)) throw new LuaError(`process.${fname}: not inside a process`);
  return p;
}

const fail = (msg: string, kind: string = KINDS.INVALID) => ret2(undefined, newError(msg, kind));

/** `dest` (PID or name) → a live process, or the `nil, err` pair to return. */
function target(node: Node, dest: unknown): Process | ErrorObject {
  const p = node.lookup(dest);
  return p !== undefined && p.alive ? p : newError(`process ${tostring(dest)} not found`, KINDS.NOT_FOUND);
}

/** Milliseconds from a number (ms) or a Go duration string ("5s", "250ms"). */
export function millis(v: unknown): number | undefined {
  if (typeof v === 'number') return v;
  return typeof v === 'string' ? durationMs(v) : undefined;
}

// ---- spawning ----

interface SpawnSpec {
  context?: LuaTable;
  name?: string;
  messages: { topic: string; values: unknown[] }[];
}

function spawnWith(node: Node, spec: SpawnSpec, mode: { link: boolean; monitor: boolean }, fname: string, args: unknown[]): unknown {
  const self = me(fname);
  const id = checkString(args, 1, fname);
  const host = checkString(args, 2, fname);
  const o: SpawnOptions = { context: spec.context ?? self.context, name: spec.name, parent: self.pid, messages: spec.messages.length > 0 ? spec.messages : undefined };
  if (mode.link) o.linkTo = self;
  if (mode.monitor) o.monitoredBy = self;
  const p = node.spawn(resolveId(self, id), host, args.slice(2), o);
  return p instanceof ErrorObject ? ret2(undefined, p) : ret1(p.pid);
}

/** Relative entry IDs get the caller's namespace (spec §1.3). */
export function resolveId(p: Process, id: string): string {
  return id.includes(':') ? id : `${p.entryId.slice(0, p.entryId.indexOf(':'))}:${id}`;
}

function* execBody(node: Node, spec: SpawnSpec, args: unknown[]): Gen {
  const self = me('exec');
  const id = checkString(args, 1, 'exec');
  const host = checkString(args, 2, 'exec');
  const p = node.spawn(resolveId(self, id), host, args.slice(2), { context: spec.context ?? self.context, name: spec.name, parent: self.pid, messages: spec.messages });
  if (p instanceof ErrorObject) return ret2(undefined, p);
  const o = (yield waitExit(p)) as Outcome;
  return o.error ? ret2(undefined, o.error) : ret1(o.value);
}

/** A Block that wakes when `p` ends, with its outcome. */
export function waitExit(p: Process): Block {
  return (wake) => p.onDone((o) => wake(true, o));
}

function spawners(node: Node, spec: SpawnSpec): Record<string, Twin> {
  const exec: Twin = () => {
    throw cannotBlock('process.exec');
  };
  exec.G = (...args: unknown[]) => execBody(node, spec, args);
  return {
    spawn: (...a: unknown[]) => spawnWith(node, spec, { link: false, monitor: false }, 'spawn', a),
    spawn_monitored: (...a: unknown[]) => spawnWith(node, spec, { link: false, monitor: true }, 'spawn_monitored', a),
    spawn_linked: (...a: unknown[]) => spawnWith(node, spec, { link: true, monitor: false }, 'spawn_linked', a),
    spawn_linked_monitored: (...a: unknown[]) => spawnWith(node, spec, { link: true, monitor: true }, 'spawn_linked_monitored', a),
    exec,
  };
}

/** Spawner builder (process.with_context / with_options): immutable, each call returns a new one. */
function spawnerClass(node: Node): LuaTable {
  const spec = (s: unknown, fname: string): SpawnSpec => {
    if (!(s instanceof LuaUserdata && s.mt === cls)) throw typeError([s], 1, fname, 'process.Spawner');
    return (s as { data: SpawnSpec }).data;
  };
  const make = (sp: SpawnSpec) => hostObject(sp, cls);
  const base = spawners(node, { messages: [] });
  const bound: Record<string, Twin> = {};
  for (const [name, f] of Object.entries(base)) {
    const m: Twin = (s: unknown, ...a: unknown[]) => (spawners(node, spec(s, name))[name] as Twin)(...a);
    if (f.G) m.G = (s: unknown, ...a: unknown[]) => execBody(node, spec(s, name), a);
    bound[name] = m;
  }
  const cls: LuaTable = objectClass('process.Spawner', {
    ...bound,
    with_context: (s: unknown, t: unknown) => {
      const sp = spec(s, 'with_context');
      if (!(t instanceof LuaTable)) throw typeError([s, t], 2, 'with_context', 'table');
      const ctx = new LuaTable();
      if (sp.context) for (const [k, v] of sp.context.entries()) ctx.set(k, v);
      for (const [k, v] of t.entries()) ctx.set(k, v);
      return ret1(make({ ...sp, context: ctx }));
    },
    with_options: (s: unknown) => ret1(make({ ...spec(s, 'with_options') })),
    with_actor: (s: unknown) => ret1(make({ ...spec(s, 'with_actor') })),
    with_scope: (s: unknown) => ret1(make({ ...spec(s, 'with_scope') })),
    with_name: (s: unknown, n: unknown) => ret1(make({ ...spec(s, 'with_name'), name: checkString([s, n], 2, 'with_name') })),
    with_message: (s: unknown, topic: unknown, ...values: unknown[]) => {
      const sp = spec(s, 'with_message');
      return ret1(make({ ...sp, messages: [...sp.messages, { topic: checkString([s, topic], 2, 'with_message'), values }] }));
    },
  });
  return cls;
}

// ---- the table ----

export function createProcessLib(node: Node): LuaTable {
  const Spawner = spawnerClass(node);
  const emptySpawner = (): SpawnSpec => ({ messages: [] });
  const withTable = (fname: string, t: unknown, key: 'context' | 'options') => {
    if (!(t instanceof LuaTable)) throw typeError([t], 1, fname, 'table');
    return ret1(hostObject(key === 'context' ? { ...emptySpawner(), context: t } : emptySpawner(), Spawner));
  };
  const upgrade: Twin = () => {
    throw cannotBlock('process.upgrade');
  };
  upgrade.G = function* (id: unknown, ...args: unknown[]) {
    const p = me('upgrade');
    const err = node.upgrade(p, id === undefined ? p.entryId : resolveId(p, checkString([id], 1, 'upgrade')), args);
    if (err) return ret2(undefined, err);
    yield () => undefined; // this task was replaced: it never resumes
    return ret0();
  };

  const terminate: Twin = (dest: unknown) => {
    const self = me('terminate');
    const p = target(node, dest);
    if (p instanceof ErrorObject) return ret2(undefined, p);
    node.terminate(p);
    if (!self.alive) throw new LuaError('process.terminate: the calling process was terminated');
    return ret1(true);
  };
  terminate.G = function* (dest: unknown) {
    const self = me('terminate');
    const p = target(node, dest);
    if (p instanceof ErrorObject) return ret2(undefined, p);
    node.terminate(p);
    // Terminating oneself (or a linked process whose failure takes this one down) ends every task, this
    // one included: it must not run on past the call.
    if (!self.alive) yield () => undefined;
    return ret1(true);
  };

  return subTable({
    pid: () => ret1(me('pid').pid),
    id: () => ret1(me('id').pid),
    ...spawners(node, emptySpawner()),
    send: (dest: unknown, topic: unknown, ...values: unknown[]) => {
      const p = me('send');
      if (typeof topic !== 'string') throw typeError([dest, topic], 2, 'send', 'string');
      if (topic.startsWith('@')) return fail(`topic '${topic}' is reserved (topics must not start with '@')`);
      const err = node.send(p.pid, dest, topic, values);
      return err ? ret2(undefined, err) : ret1(true);
    },
    inbox: () => ret1(me('inbox').inbox()),
    events: () => ret1(me('events').events()),
    listen: (topic: unknown, opts: unknown) => {
      const p = me('listen');
      if (typeof topic !== 'string' || topic === '') throw typeError([topic], 1, 'listen', 'string');
      const asMessage = opts instanceof LuaTable && opts.getStr('message') === true;
      return ret1(p.listen(topic, asMessage));
    },
    unlisten: (ch: unknown) => {
      if (!(ch instanceof Channel)) throw typeError([ch], 1, 'unlisten', 'channel');
      return ret1(me('unlisten').unlisten(ch));
    },
    monitor: (dest: unknown) => {
      const self = me('monitor');
      const p = target(node, dest);
      if (p instanceof ErrorObject) return ret2(undefined, p);
      p.monitors.add(self);
      return ret1(true);
    },
    unmonitor: (dest: unknown) => {
      const self = me('unmonitor');
      const p = target(node, dest);
      if (p instanceof ErrorObject) return ret2(undefined, p);
      p.monitors.delete(self);
      return ret1(true);
    },
    link: (dest: unknown) => {
      const self = me('link');
      const p = target(node, dest);
      if (p instanceof ErrorObject) return ret2(undefined, p);
      if (p !== self) node.link(self, p);
      return ret1(true);
    },
    unlink: (dest: unknown) => {
      const self = me('unlink');
      const p = target(node, dest);
      if (p instanceof ErrorObject) return ret2(undefined, p);
      node.unlink(self, p);
      return ret1(true);
    },
    cancel: (dest: unknown, deadline: unknown) => {
      const self = me('cancel');
      const p = target(node, dest);
      if (p instanceof ErrorObject) return ret2(undefined, p);
      const ms = deadline === undefined ? undefined : millis(deadline);
      if (deadline !== undefined && ms === undefined) throw argError(2, 'cancel', 'deadline must be milliseconds or a duration string');
      p.postEvent({ kind: EVENT.CANCEL, from: self.pid, deadline: ms });
      // Past the deadline the process is stopped whether it listened or not.
      // The deadline timer goes when the process ends first (a pending timer would keep Node alive).
      if (ms !== undefined) {
        const stop = afterMs(ms)(() => node.terminate(p, 'canceled: deadline exceeded'));
        if (stop) p.cleanups.add(stop);
      }
      return ret1(true);
    },
    terminate,
    set_options: (t: unknown) => {
      const p = me('set_options');
      if (!(t instanceof LuaTable)) throw typeError([t], 1, 'set_options', 'table');
      for (const [k, v] of [...t.entries(), ...t.arr.map((x, i) => [i + 1, x] as [unknown, unknown])]) {
        if (k !== 'trap_links') return fail(`unknown process option '${tostring(k)}'`);
        if (typeof v !== 'boolean') return fail('trap_links must be a boolean');
        p.trapLinks = v;
      }
      return ret1(true);
    },
    get_options: () => {
      const t = new LuaTable();
      t.setStr('trap_links', me('get_options').trapLinks);
      return ret1(t);
    },
    upgrade,
    with_context: (t: unknown) => withTable('with_context', t, 'context'),
    with_options: (t: unknown) => withTable('with_options', t, 'options'),
    event: subTable({ ...EVENT }),
    registry: subTable({
      register: (name: unknown, pid: unknown) => {
        const self = me('register');
        const n = checkString([name], 1, 'register');
        const p = pid === undefined ? self : target(node, pid);
        if (p instanceof ErrorObject) return ret2(undefined, p);
        const err = node.register(n, p);
        return err ? ret2(undefined, err) : ret1(true);
      },
      lookup: (name: unknown) => {
        const p = node.lookup(checkString([name], 1, 'lookup'));
        return p && p.alive ? ret1(p.pid) : fail(`name '${String(name)}' is not registered`, KINDS.NOT_FOUND);
      },
      unregister: (name: unknown) => ret1(node.unregister(checkString([name], 1, 'unregister'), me('unregister'))),
      LOCAL: 'local', EVENTUAL: 'eventual', CONSISTENT: 'consistent', STRONG: 'strong',
    }),
  });
}
