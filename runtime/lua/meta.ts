// Metatables of values: tables and runtime objects carry their own; strings share one (set up by the
// string library so that ("x"):upper() works). Metamethod lookup is a raw get on the metatable.

import { LuaTable } from './table.js';
import { LuaObject } from './value.js';

export const shared: { stringMeta: LuaTable | null } = { stringMeta: null };

export function getMetatable(v: unknown): LuaTable | null {
  if (v instanceof LuaTable || v instanceof LuaObject) return v.mt;
  if (typeof v === 'string') return shared.stringMeta;
  return null;
}

/** The metamethod `name` of `v`, or undefined. */
export function metamethod(v: unknown, name: string): unknown {
  const mt = getMetatable(v);
  return mt === null ? undefined : mt.getStr(name);
}
