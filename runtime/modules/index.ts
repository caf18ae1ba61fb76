// Module implementations by name. An app opens each module it uses once (module tables are immutable and
// shared by every entry); a catalogue module lunac does not implement yet is bound to a table that raises
// a clear error on first use, so an app that merely declares it still loads.

import { LuaTable } from '../lua/table.js';
import { LuaError } from '../lua/error.js';
import { MODULE_INFO } from './catalogue.js';
import type { ModuleContext, ModuleDef } from './module.js';
import { jsonModule } from './json.js';
import { yamlModule } from './yaml.js';
import { base64Module } from './base64.js';
import { uuidModule } from './uuid.js';
import { hashModule } from './hash.js';
import { cryptoModule } from './crypto.js';
import { textModule } from './text/index.js';
import { timeModule } from './time/index.js';
import { registryModule } from './registry.js';
import { loggerModule } from './logger.js';
import { envModule } from './env.js';
import { eventsModule } from './events.js';
import { ioModule } from './io.js';

const BUILTIN: ModuleDef[] = [
  jsonModule, yamlModule, base64Module, uuidModule, hashModule, cryptoModule, textModule, timeModule, registryModule,
  loggerModule, envModule, eventsModule, ioModule,
];

export const IMPLEMENTED = new Map<string, ModuleDef>(BUILTIN.map((m) => [m.name, m]));

/** Add or replace implementations (the process host registers funcs, ctx, logger, env, events…). */
export function registerModules(defs: ModuleDef[]): void {
  for (const d of defs) IMPLEMENTED.set(d.name, d);
}

/** Opens modules for one app, each once. */
export class ModuleSet {
  private open = new Map<string, LuaTable>();
  constructor(private ctx: ModuleContext) {}

  get(name: string): LuaTable {
    let t = this.open.get(name);
    if (t === undefined) {
      const def = IMPLEMENTED.get(name);
      t = def ? def.open(this.ctx) : unavailable(name);
      this.open.set(name, t);
    }
    return t;
  }
}

/** A stand-in for a catalogue module lunac does not provide: any use raises. */
function unavailable(name: string): LuaTable {
  const t = new LuaTable();
  const mt = new LuaTable();
  const known = MODULE_INFO.has(name);
  const fail = (_t: unknown, k: unknown) => {
    throw new LuaError(known
      ? `module '${name}' is not available in lunac yet (${name}.${String(k)})`
      : `module '${name}' not found`);
  };
  mt.setStr('__index', fail);
  mt.setStr('__newindex', fail);
  mt.setStr('__name', name);
  mt.setStr('__metatable', false);
  t.mt = mt;
  t.freeze();
  return t;
}
