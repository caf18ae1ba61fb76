// Loops. Every Lua loop body is a JS block, so locals (and closures over them) are fresh per iteration.
// Loops are labelled when the function uses goto, because goto restructuring introduces JS loops that an
// unlabelled `break` would otherwise hit. Each back edge passes a safepoint.

import { t } from './builders.js';
import type { Node } from '../parse/ast.js';
import { FnCtx, lineOf } from './context.js';
import { cond, expr, exprList, numberLiteral } from './expr.js';
import { compileBlock, numericEntry, safepoint } from './stmt.js';
import { isNumberExpr } from './facts.js';
import { fillTarget } from '../analyse/scratch.js';

function labelled(fc: FnCtx, make: (label: string | null) => t.Statement): t.Statement {
  if (!fc.info.hasGoto) {
    fc.loops.push('');
    try {
      return make(null);
    } finally {
      fc.loops.pop();
    }
  }
  const label = fc.label('loop');
  fc.loops.push(label);
  try {
    return t.labeledStatement(t.identifier(label), make(label));
  } finally {
    fc.loops.pop();
  }
}

/** `break` statements use the innermost loop label only when one was assigned. */
function body(fc: FnCtx, stmts: t.Statement[], counter?: t.Identifier, mayYield = true): t.BlockStatement {
  return t.blockStatement([...safepoint(fc, counter, mayYield), ...stmts]);
}

export function whileLoop(fc: FnCtx, s: Node): t.Statement[] {
  return [labelled(fc, () => t.whileStatement(cond(fc, s.condition), body(fc, compileBlock(fc, s.body))))];
}

/** repeat body until cond: the condition sees the body's locals, so it is tested inside the block. */
export function repeatLoop(fc: FnCtx, s: Node): t.Statement[] {
  return [labelled(fc, (label) => {
    const stmts = compileBlock(fc, s.body);
    stmts.push(t.ifStatement(cond(fc, s.condition), t.breakStatement(label ? t.identifier(label) : null)));
    return t.forStatement(null, null, null, body(fc, stmts));
  })];
}

/**
 * for v = a, b, c: bounds are checked and coerced once ($forstart, …); the Lua variable is a fresh JS `let`
 * per iteration. An integer loop counts down its iterations, computed up front ($forcount, n > 0), so it ends
 * near 2^53 or at math.huge as Lua's does; a float loop (n < 0) compares with the limit on every step,
 * statically when the step is a literal. The counter also paces the safepoint, which yields only in a loop
 * that no other loop of the function encloses.
 */
export function forNumeric(fc: FnCtx, s: Node): t.Statement[] {
  const b = fc.m.sc.decls.get(s.variable)!;
  const line = lineOf(s);
  const site = fc.m.site(line, '');
  const start = expr(fc, s.start), limit = expr(fc, s.end);
  const stepNode: Node | null = s.step;
  const literalStep = !stepNode ? 1 : stepNode.type === 'NumericLiteral' ? stepNode.value :
    stepNode.type === 'UnaryExpression' && stepNode.operator === '-' && stepNode.argument.type === 'NumericLiteral' ? -stepNode.argument.value : null;
  const i = b.reassigned ? fc.temp() : t.identifier(b.js);
  const first = fc.temp(), lim = fc.temp(), st = fc.temp();
  const set = (id: t.Identifier, fn: string, v: t.Expression) =>
    t.expressionStatement(t.assignmentExpression('=', id, t.callExpression(fc.m.rt(fn), [v, site])));
  // Lua evaluates and checks start, limit and step once, in that order.
  // A literal or a number local is a number already: it needs no check (most loops start at 1).
  const checked = (id: t.Identifier, fn: string, v: t.Expression, node: Node) =>
    t.isNumericLiteral(v) || isNumberExpr(fc, node) ? t.expressionStatement(t.assignmentExpression('=', id, v)) : set(id, fn, v);
  const pre: t.Statement[] = [checked(first, 'forstart', start, s.start), checked(lim, 'forlimit', limit, s.end)];
  if (literalStep === null) pre.push(checked(st, 'forstep', expr(fc, stepNode!), stepNode!));
  const step: t.Expression = literalStep === null ? st : numberLiteral(literalStep);
  const n = fc.temp();
  pre.push(t.expressionStatement(t.assignmentExpression('=', n, t.callExpression(fc.m.rt('forcount'), [first, lim, step]))));
  // Only a loop that is outermost in its function may yield (see safepoint).
  const mayYield = fc.loops.length === 0;
  pre.push(...numericEntry(fc, n, mayYield));
  const init = [t.variableDeclarator(i, first)];
  const floatTest = literalStep === null
    ? t.conditionalExpression(t.binaryExpression('>', st, t.numericLiteral(0)), t.binaryExpression('<=', i, lim), t.binaryExpression('>=', i, lim))
    : literalStep > 0 ? t.binaryExpression('<=', i, lim) : t.binaryExpression('>=', i, lim);
  const test = t.logicalExpression('||', t.binaryExpression('>', n, t.numericLiteral(0)),
    t.logicalExpression('&&', t.binaryExpression('<', n, t.numericLiteral(0)), floatTest));
  const update = t.sequenceExpression([t.updateExpression('--', n), t.assignmentExpression('+=', i, step)]);
  const loop = labelled(fc, () => {
    const stmts = compileBlock(fc, s.body);
    if (b.reassigned) stmts.unshift(t.variableDeclaration('let', [t.variableDeclarator(t.identifier(b.js), i)]));
    return t.forStatement(t.variableDeclaration('let', init), test, update, body(fc, stmts, n, mayYield));
  });
  const fill = literalStep === 1 ? fillStore(fc, s) : null;
  if (fill) return [...pre, t.ifStatement(t.unaryExpression('!', t.callExpression(fc.m.rt('forfill'), [fill.table, n, fill.value])), loop)];
  return [...pre, loop];
}

/**
 * `for i = 1, n do t[i] = K end` with t a local and K a literal other than nil: the table and the value,
 * for $forfill to make the array at once (it declines, and the loop runs, unless t is a plain empty table).
 */
function fillStore(fc: FnCtx, s: Node): { table: t.Expression; value: t.Expression } | null {
  const target = fillTarget(s, fc.m.sc);
  return target && { table: expr(fc, target), value: expr(fc, s.body[0].init[0]) };
}

/**
 * for k, v in explist: the runtime picks a fast traversal for `pairs`/`next`/`ipairs` over plain tables
 * ($forin returns an iterator object); other iterators are called each step. In a generator twin, a
 * possibly suspending iterator is called with the generator protocol.
 */
export function forGeneric(fc: FnCtx, s: Node): t.Statement[] {
  const vars = s.variables.map((v: Node) => t.identifier(fc.m.sc.decls.get(v)!.js));
  const { items, spread } = exprList(fc, s.iterators);
  // `for k, v in pairs(t)`: the call's results are already an array ($forin reads it at once).
  const triple = items.length === 0 && spread ? spread : t.arrayExpression(spread ? [...items, t.spreadElement(spread)] : items);
  const it = fc.temp();
  const setup = t.expressionStatement(t.assignmentExpression('=', it, t.callExpression(fc.m.rt('forin'), [triple, fc.m.site(lineOf(s), '')])));
  const suspends = fc.suspends(s);
  const loop = labelled(fc, (label) => {
    const stepCall = suspends
      ? t.yieldExpression(t.callExpression(t.memberExpression(it, t.identifier('stepG')), []), true)
      : t.callExpression(t.memberExpression(it, t.identifier('step')), []);
    const decls = vars.map((v: t.Identifier, i: number) => t.variableDeclarator(v,
      i === 0 ? t.memberExpression(it, t.identifier('key')) : i === 1 ? t.memberExpression(it, t.identifier('value')) :
        t.callExpression(t.memberExpression(it, t.identifier('extra')), [t.numericLiteral(i)])));
    const stmts = [
      t.ifStatement(t.unaryExpression('!', stepCall), t.breakStatement(label ? t.identifier(label) : null)),
      t.variableDeclaration('let', decls),
      ...compileBlock(fc, s.body),
    ];
    return t.forStatement(null, null, null, body(fc, stmts));
  });
  return [setup, loop];
}
