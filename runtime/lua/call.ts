// Calling Lua values from compiled code and from builtins. Lua functions and builtins are plain JS
// functions; anything else is callable only through its `__call` metamethod.

import { siteError, type Site } from './error.js';
import { metamethod } from './meta.js';
import { luaType } from './value.js';

export type LuaFunction = (...args: any[]) => unknown;

/** A JS function that performs the Lua call of `f` (slow path of every call site). */
export function callable(f: unknown, s?: Site): LuaFunction {
  if (typeof f === 'function') return f as LuaFunction;
  const mm = metamethod(f, '__call');
  if (mm !== undefined) {
    const target = callable(mm, s);
    return (...args: unknown[]) => target(f, ...args);
  }
  const name = metamethod(f, '__name');
  throw siteError(s, `attempt to call a ${typeof name === 'string' ? name : luaType(f)} value${s && s.what ? ` (${s.what})` : ''}`);
}

/** Call a Lua value with arguments (used by builtins: sort comparators, gsub callbacks, ...). */
export function call(f: unknown, ...args: unknown[]): unknown {
  return (typeof f === 'function' ? (f as LuaFunction) : callable(f))(...args);
}
