// Function literals. Each becomes a plain JS function; a function the suspension analysis marks as
// possibly suspending also gets a generator twin, attached as `fn.G` by `$mkG(plain, twin)`.

import { t } from './builders.js';
import type { Node } from '../parse/ast.js';
import { FnCtx, at } from './context.js';
import { compileBlock } from './stmt.js';

export function compileFunction(outer: FnCtx, node: Node): t.Expression {
  const m = outer.m;
  const plain = functionBody(outer, node, false);
  if (!m.susp.fns.has(node)) return plain;
  return t.callExpression(m.rt('mkG'), [plain, functionBody(outer, node, true)]);
}

function functionBody(outer: FnCtx, node: Node, gen: boolean): t.FunctionExpression {
  const m = outer.m;
  const info = m.sc.fns.get(node)!;
  const hasVararg = node.parameters.some((p: Node) => p.type === 'VarargLiteral');
  const vararg = hasVararg ? t.identifier('va') : null;
  const fc = new FnCtx(m, info, gen, vararg);
  const params: (t.Identifier | t.RestElement)[] = info.params.map((b) => t.identifier(b.js));
  if (vararg) params.push(t.restElement(vararg));
  const body = compileBlock(fc, node.body);
  return at(t.functionExpression(t.identifier(info.js + (gen ? '$g' : '')), params, t.blockStatement(finish(fc, body)), gen), node);
}

/** Declare the temporaries and make falling off the end return no values. */
export function finish(fc: FnCtx, body: t.Statement[]): t.Statement[] {
  const end = fallOff(fc, body[body.length - 1]);
  return [...tempsDecl(fc), ...body, ...(end ? [...fc.recycleBefore(null), end] : [])];
}

/** The declaration of the function's temporaries (none or one statement). */
export function tempsDecl(fc: FnCtx): t.Statement[] {
  return fc.temps.length ? [t.rawStatement([`let ${fc.temps.join(', ')};`])] : [];
}

/** After the body's `last` statement: `$RV.n = 0` (no results) unless it returns. */
export function fallOff(fc: FnCtx, last: t.Statement | undefined): t.Statement | null {
  // A return, or the block a return with work before it compiles to (`{ $RV.n = 0; return; }`).
  while (last && t.isBlockStatement(last)) last = last.body[last.body.length - 1];
  if (last && t.isReturnStatement(last)) return null;
  return t.expressionStatement(t.assignmentExpression('=', t.memberExpression(fc.m.rt('RV'), t.identifier('n')), t.numericLiteral(0)));
}
