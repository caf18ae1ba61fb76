// Calls. A call returns its first result; `want: 'all'` wraps it in `$mv(...)` to collect every result
// from the RV side channel. Callees that are never-reassigned local functions are called directly;
// anything else goes through `$cl(f, site)`, which returns f itself when it is a function (fast path) and
// resolves `__call` or raises "attempt to call a nil value (global 'f')" otherwise. In a generator twin,
// call sites that may suspend use the callee's generator twin with `yield*`.

import { t } from './builders.js';
import type { Node } from '../parse/ast.js';
import { FnCtx, lineOf, keyLine, at } from './context.js';
import { expr, exprList, objectTestText, variable } from './expr.js';
import { quote, COND } from './print.js';

export type Want = 'one' | 'all' | 'none';

export const isCallNode = (e: Node) =>
  e.type === 'CallExpression' || e.type === 'StringCallExpression' || e.type === 'TableCallExpression';

function argNodes(e: Node): Node[] {
  if (e.type === 'CallExpression') return e.arguments;
  if (e.type === 'TableCallExpression') return [e.arguments];
  return [e.argument];
}

export function compileCall(fc: FnCtx, e: Node, want: Want): t.Expression {
  const call = at(callInner(fc, e), e);
  return want === 'all' ? t.callExpression(fc.m.rt('mv'), [call]) : call;
}

function callInner(fc: FnCtx, e: Node): t.Expression {
  const base: Node = e.base;
  const line = lineOf(e); // a call fails on the line where its expression starts, as in PUC Lua
  const suspends = fc.suspends(e);
  let self: t.Expression | null = null;
  let fn: t.Expression;
  let direct = false;
  /** The callee already checked to be callable (method calls), for the non-suspending paths. */
  let callee: t.Expression | null = null;
  const what = base.type === 'MemberExpression' && base.indexer === ':' ? `method '${base.identifier.name}'` : fc.describe(base);
  const s = fc.m.site(line, what);

  if (base.type === 'MemberExpression' && base.indexer === ':') {
    // obj:m(args): evaluate obj once, look up m, pass obj as the first argument.
    const obj = fc.temp();
    self = obj;
    fn = methodLookup(fc, obj, expr(fc, base.base), base, suspends ? null : s);
    if (!suspends) callee = fn;
  } else if (base.type === 'Identifier') {
    const b = fc.binding(base);
    fn = b ? t.identifier(b.js) : variable(fc, base);
    direct = !!b && !!b.funcValue && !b.reassigned;
  } else {
    fn = expr(fc, base);
  }

  const nodes = argNodes(e);
  const last = nodes[nodes.length - 1];
  if (!suspends && last && isCallNode(last) && !last.inParens) {
    return forwardCall(fc, callee ?? (direct ? fn : t.callExpression(fc.m.rt('cl'), [fn, s])), self, nodes);
  }

  const { items, spread } = exprList(fc, nodes);
  const args: (t.Expression | t.SpreadElement)[] = self ? [self, ...items] : [...items];
  if (spread) args.push(t.spreadElement(spread));

  if (suspends && fc.m.susp.yields.has(e)) {
    // coroutine.yield(...) in a generator twin: a JS yield of [true, values...] (resume's own result, so it
    // copies nothing; one value goes in a shared array, $yield1); resume sends back one value as itself or
    // an array ($recv).
    const vals = args.length === 1 && !spread ? t.callExpression(fc.m.rt('yield1'), [args[0] as t.Expression])
      : t.arrayExpression([t.booleanLiteral(true), ...args as (t.Expression | t.SpreadElement)[]]);
    return t.callExpression(fc.m.rt('recv'), [t.yieldExpression(vals)]);
  }
  if (suspends) return generatorCall(fc, fn, args, s, direct);
  if (direct) return t.callExpression(fn, args);
  return t.callExpression(callee ?? t.callExpression(fc.m.rt('cl'), [fn, s]), args);
}

/**
 * `(obj = objExpr, <inline check> ? f : $method(obj, "name", S))`: the method found through the
 * prototype path the site learnt (see ops.learnProto), without a call; a miss looks it up in full.
 * With `callSite`, the slow path also makes the value callable ($cl), so the result is always a
 * function; without, a generator call resolves `__call` itself.
 */
function methodLookup(fc: FnCtx, obj: t.Identifier, objExpr: t.Expression, base: Node, callSite: t.Identifier | null): t.Expression {
  const name = base.identifier.name;
  // Looking the method up fails on the line of its name (PUC: of the ':'), calling it where the call starts.
  const S = fc.m.site(keyLine(base), fc.describe(base.base), undefined, name).name;
  const o = obj.name, m = fc.temp().name, f = fc.temp().name;
  const P = fc.m.rt('PROTO').name;
  const hit = `${objectTestText(o)} && ${o}.shape === ${S}.pshape && (${m} = ${o}.mt) !== null && ${m}.shape === ${S}.pmtshape && ` +
    `${m}.slots[${S}.pmtslot] === ${S}.pproto && ${S}.pepoch === ${P}.epoch && typeof (${f} = ${S}.pholder.slots[${S}.pslot]) === "function"`;
  const slow = `${fc.m.rt('method').name}(${o}, ${quote(name)}, ${S})`;
  const miss = callSite ? `${fc.m.rt('cl').name}(${slow}, ${callSite.name})` : slow;
  return t.sequenceExpression([t.assignmentExpression('=', obj, objExpr), t.raw(`${hit} ? ${f} : ${miss}`, COND)]);
}

/**
 * f(a, g(x)): all results of g are passed on, but g almost always returns exactly one value, so
 * `(tf = f, ta = a, tl = g(x), RV.n === 1 ? tf(ta, tl) : tf(ta, ...$mv(tl)))` avoids an array per call.
 */
function forwardCall(fc: FnCtx, callee: t.Expression, self: t.Expression | null, nodes: Node[]): t.Expression {
  const seq: t.Expression[] = [];
  const f = fc.temp();
  seq.push(t.assignmentExpression('=', f, callee));
  const args: t.Expression[] = self ? [self] : [];
  for (const n of nodes.slice(0, -1)) {
    const v = expr(fc, n);
    if (t.isLiteral(v)) {
      args.push(v);
      continue;
    }
    const tmp = fc.temp();
    seq.push(t.assignmentExpression('=', tmp, v));
    args.push(tmp);
  }
  const lastVal = fc.temp();
  seq.push(t.assignmentExpression('=', lastVal, compileCall(fc, nodes[nodes.length - 1], 'one')));
  seq.push(t.conditionalExpression(
    t.binaryExpression('===', t.memberExpression(fc.m.rt('RV'), t.identifier('n')), t.numericLiteral(1)),
    t.callExpression(f, [...args, lastVal]),
    t.callExpression(f, [...args, t.spreadElement(t.callExpression(fc.m.rt('mv'), [lastVal]))])));
  return t.sequenceExpression(seq);
}

/**
 * A call that may suspend, inside a generator twin:
 * (f = callee, a1 = ..., typeof f === 'function' ? (f.G ? yield* f.G(a...) : f(a...)) : yield* $callG(f, a...))
 * Arguments are evaluated once into temps so that both branches share them.
 */
function generatorCall(fc: FnCtx, fn: t.Expression, args: (t.Expression | t.SpreadElement)[], s: t.Identifier, direct: boolean): t.Expression {
  const seq: t.Expression[] = [];
  const f = fc.temp();
  seq.push(t.assignmentExpression('=', f, fn));
  // A variable is passed in place only when no later argument runs code: `f(n, g(n))` passes n as it was
  // before g ran, even when g changes it (an upvalue of g).
  const simple = (a: t.Expression | t.SpreadElement) => t.isIdentifier(a) || t.isLiteral(a);
  const vals: (t.Expression | t.SpreadElement)[] = args.map((a, i) => {
    if (t.isSpreadElement(a)) {
      const tmp = fc.temp();
      seq.push(t.assignmentExpression('=', tmp, a.argument as t.Expression));
      return t.spreadElement(tmp);
    }
    if (t.isLiteral(a) || (t.isIdentifier(a) && args.slice(i + 1).every(simple))) return a;
    const tmp = fc.temp();
    seq.push(t.assignmentExpression('=', tmp, a));
    return tmp;
  });
  const g = t.memberExpression(f, t.identifier('G'));
  const twin = t.conditionalExpression(
    t.binaryExpression('!==', g, t.identifier('undefined')),
    t.yieldExpression(t.callExpression(t.memberExpression(f, t.identifier('G')), vals), true),
    t.callExpression(f, vals));
  if (direct) {
    seq.push(twin);
  } else {
    seq.push(t.conditionalExpression(
      t.binaryExpression('===', t.unaryExpression('typeof', f), t.stringLiteral('function')),
      twin,
      // Not a function: $cl raises the error for uncallable values; callG follows `__call`.
      t.sequenceExpression([t.callExpression(fc.m.rt('cl'), [f, s]), t.yieldExpression(t.callExpression(fc.m.rt('callG'), [f, ...vals]), true)])));
  }
  return t.sequenceExpression(seq);
}
