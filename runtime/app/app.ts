// A runnable app: an AppImage plus the shared pieces every Lua state of the app uses (module tables,
// loaded chunk factories). `newState` builds the globals of one Lua state (a process, or one pooled
// worker of a function) exactly as spec §1.6 says: ambient globals, the modules of the entry and of
// everything it imports, then each imported library run once per alias, deepest first.

import { GLOBALS_SHAPE, LuaTable, shapeOf, type Shape } from '../lua/table.js';
import { LuaError } from '../lua/error.js';
import { createEnv } from '../lua/env.js';
import { loadChunk } from '../lua/loader.js';
import { ret1 } from '../lua/ret.js';
import { tostring } from '../lua/lib/base.js';
import { BASE_GLOBALS, MODULE_INFO } from '../modules/catalogue.js';
import { ModuleSet } from '../modules/index.js';
import type { Output } from '../lua/lib/io.js';
import type { AppImage, LinkPlan } from './image.js';
import type { RegistryEntry } from './registry-data.js';

/** The globals of the running Lua state, provided by the process host (null outside any state). */
export const stateHooks: { currentEnv: () => LuaTable | null } = { currentEnv: () => null };
const currentEnv = () => stateHooks.currentEnv();

type Gen = Generator<unknown, unknown, unknown>;
type LuaFn = ((...a: unknown[]) => unknown) & { G?: (...a: unknown[]) => Gen };

/** Host-provided globals (process, channel, payload…) and per-state hooks, supplied by the process host. */
export interface HostGlobals {
  /** Ambient tables shared by every state (process, channel, payload). */
  ambient: Record<string, LuaTable>;
  /** Called for each new env (e.g. to add coroutine.spawn). */
  decorate?(env: LuaTable): void;
  /** `coroutine.spawn` for the process running the code. */
  spawn?: (fn: unknown) => unknown;
  /** The process host, for modules that need it (funcs, ctx…). */
  node?: import('../process/node.js').Node;
}

export class App {
  readonly modules: ModuleSet;
  private factories = new Map<string, (env: LuaTable) => LuaFn>();
  readonly byId: Map<string, RegistryEntry>;

  constructor(readonly image: AppImage, readonly output: Output, private host: HostGlobals, preloaded?: Map<string, (env: LuaTable) => unknown>) {
    // Chunks imported as ES modules (a built app) come bound already; the rest are evaluated on first use.
    if (preloaded) for (const [id, f] of preloaded) this.factories.set(id, f as (env: LuaTable) => LuaFn);
    this.modules = new ModuleSet({ registry: image.registry, log: (line) => output.err(line + '\n'), get node() { return host.node; } });
    this.byId = new Map(image.registry.entries.map((e) => [e.id, e]));
  }

  entry(id: string): RegistryEntry | undefined {
    return this.byId.get(id);
  }

  /** The chunk of a Lua entry bound to an environment (the JS module is evaluated once per app). */
  private chunk(id: string, env: LuaTable): LuaFn {
    let f = this.factories.get(id);
    if (f === undefined) {
      const code = this.image.chunks[id];
      if (code === undefined) throw new LuaError(`entry '${id}' has no compiled code`);
      f = loadChunk(code) as (env: LuaTable) => LuaFn;
      this.factories.set(id, f);
    }
    return f(env);
  }

  /**
   * A fresh Lua state for entry `id`: globals bound, libraries not yet run (see `boot`). The globals of
   * every state of an entry start identical (library tables are shared and immutable), so they are
   * copied from a per-entry template: one shape and a slots array, ~40 words per state.
   */
  newState(id: string): LuaTable {
    const t = this.templates.get(id) ?? this.template(id);
    const env = LuaTable.record(t.shape, t.slots.slice());
    env.slots[t.gSlot] = env;
    return env;
  }

  private templates = new Map<string, GlobalsTemplate>();

  private template(id: string): GlobalsTemplate {
    const plan = this.plan(id);
    const env = createEnv({ standalone: false, output: this.output, hostSuspension: true, spawn: this.host.spawn });
    for (const [name, t] of Object.entries(this.host.ambient)) env.setStr(name, t);
    for (const m of plan.modules) if (!MODULE_INFO.get(m)?.ambient) env.setStr(m, this.modules.get(m));
    env.setStr('require', requireFor(allowedNames(plan)));
    this.host.decorate?.(env);
    // More globals than a record keeps shaped: the template's shape is built explicitly (shared by all states).
    const keys: string[] = [], values: unknown[] = [];
    for (const [k, v] of env.entries()) {
      if (typeof k !== 'string') throw new Error(`non-string global key in template of ${id}`);
      keys.push(k);
      values.push(v);
    }
    const t: GlobalsTemplate = {
      shape: shapeOf(keys, GLOBALS_SHAPE), slots: values, gSlot: keys.indexOf('_G'),
    };
    this.templates.set(id, t);
    return t;
  }

  plan(id: string): LinkPlan {
    return this.image.plans[id] ?? { modules: [], libraries: [] };
  }

  /**
   * Run the libraries and the entry's chunk in `env` (a generator: top-level code may block) and resolve
   * the entry point (spec §1.5): a returned function, or the returned table's `method`.
   */
  *boot(id: string, env: LuaTable, method: string | undefined): Gen {
    for (const lib of this.plan(id).libraries) {
      const value = yield* callLua(this.chunk(lib.id, env), []);
      env.setStr(lib.alias, value);
    }
    return this.entryPoint(yield* callLua(this.chunk(id, env), []), method);
  }

  /**
   * `boot` without a generator when nothing in it can suspend (no libraries, a chunk without a twin):
   * the common case, and spawning many actors should not pay for a generator each. NEEDS_GENERATOR otherwise.
   */
  bootPlain(id: string, env: LuaTable, method: string | undefined): unknown {
    if (this.plan(id).libraries.length > 0) return NEEDS_GENERATOR;
    const chunk = this.chunk(id, env);
    if (chunk.G !== undefined) return NEEDS_GENERATOR;
    return this.entryPoint(chunk(), method);
  }

  private entryPoint(exported: unknown, method: string | undefined): unknown {
    if (typeof exported === 'function') return exported;
    if (method === undefined || method === '') return exported; // legacy: the chunk itself was the entry
    const fn = exported instanceof LuaTable ? exported.getStr(method) : undefined;
    if (typeof fn !== 'function') throw new LuaError(`method "${method}" not found in module`);
    return fn;
  }
}

export const NEEDS_GENERATOR = Symbol('boot needs a generator');

/** Call a Lua function from host generator code: its twin when it has one, else plainly. First result. */
export function* callLua(f: unknown, args: unknown[]): Gen {
  const fn = f as LuaFn;
  if (typeof fn !== 'function') throw new LuaError(`attempt to call a ${f === undefined ? 'nil' : typeof f} value`);
  if (fn.G !== undefined) return yield* fn.G(...args);
  return fn(...args);
}

interface GlobalsTemplate {
  shape: Shape;
  slots: unknown[];
  gSlot: number;
}

/** What `require` may answer for an entry (spec §1.6): its modules, imports and ambient globals. */
function allowedNames(plan: LinkPlan): Set<string> {
  const allowed = new Set<string>([...plan.modules, ...plan.libraries.map((l) => l.alias), ...BASE_GLOBALS]);
  for (const m of MODULE_INFO.values()) if (m.ambient) allowed.add(m.name);
  return allowed;
}

/**
 * One `require` per entry, shared by its states: it answers from the globals of the Lua state running now
 * (the current task's process), so a new state does not need its own closure.
 */
function requireFor(allowed: ReadonlySet<string>): (name: unknown) => unknown {
  return (name: unknown) => {
    const env = currentEnv();
    const v = typeof name === 'string' && allowed.has(name) && env !== null ? env.getStr(name) : undefined;
    if (v === undefined) throw new LuaError(`module '${tostring(name)}' not found`);
    return ret1(v);
  };
}
