// The runtime handle `$` that compiled chunks receive: exactly the names generated code calls.

import { LuaTable, PROTO, shapeOf } from './table.js';
import { site, type Site } from './error.js';
import { RV, mv, ret1, ret2, retN, recv, yield1 } from './ret.js';
import { callable } from './call.js';
import * as ops from './ops.js';
import { forstart, forlimit, forstep, forcount, forfill, recycle, forin, B, tick } from './forloop.js';
import { makeType } from './types.js';

type Fn = ((...args: any[]) => unknown) & { G?: unknown };

/** Attach the generator twin of a function that may suspend. */
function mkG(plain: Fn, twin: unknown): Fn {
  // Every generator function instance would otherwise get its own `prototype` object (and with it a
  // hidden class for its generator objects): one shared prototype keeps per-closure cost low.
  (twin as { prototype: object }).prototype = GENERATOR_PROTOTYPE;
  plain.G = twin;
  return plain;
}

const GENERATOR_PROTOTYPE = Object.getPrototypeOf(function* () {}).prototype as object;

/** Append the values of a trailing multi-value expression to a table constructor. */
function tableAppend(t: LuaTable, from: number, vals: unknown[]): void {
  for (let i = 0; i < vals.length; i++) t.set(from + i, vals[i]);
}

/** Drop trailing nils of a constructor's array part (the border invariant). */
function trimArray(t: LuaTable): LuaTable {
  const a = t.arr;
  while (a.length > 0 && a[a.length - 1] === undefined) a.pop();
  return t;
}

export const rt = {
  LuaTable, PROTO, site, shapeOf, trimArray, RV, mv, ret1, ret2, retN, recv, yield1, mkG, tableAppend, rawsetChecked: ops.rawsetChecked,
  cl: callable, callG: ops.callG, MM: ops.MM,
  index: ops.index, indexStr: ops.indexStr, method: ops.method, indexQ: ops.indexQ, indexG: ops.indexG,
  setindex: ops.setindex, setindexStr: ops.setindexStr, setindexQ: ops.setindexQ, setindexG: ops.setindexG,
  add: ops.add, sub: ops.sub, mul: ops.mul, div: ops.div, modulo: ops.modulo, pow: ops.pow, floordiv: ops.floordiv,
  band: ops.band, bor: ops.bor, bxor: ops.bxor, shl: ops.shl, shr: ops.shr,
  arith: ops.arith, arithQ: ops.arithQ, arithG: ops.arithG,
  unm: ops.unm, len: ops.len, bnot: ops.bnot, unaryQ: ops.unaryQ, unaryG: ops.unaryG,
  concat: ops.concat, concatQ: ops.concatQ, concatG: ops.concatG,
  eq: ops.eq, eqQ: ops.eqQ, eqG: ops.eqG,
  lt: ops.lt, le: ops.le,
  gt: (a: unknown, b: unknown, s?: Site) => ops.lt(b, a, s),
  ge: (a: unknown, b: unknown, s?: Site) => ops.le(b, a, s),
  orderQ: ops.orderQ, orderG: ops.orderG,
  forstart, forlimit, forstep, forcount, forfill, recycle, forin, B, tick,
  makeType,
};

export type Runtime = typeof rt;
