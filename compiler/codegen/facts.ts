// What code generation knows about a local: a local that is never reassigned keeps the value it was
// declared with, so a table constructor makes it a table for its whole life; and analyse/numbers.ts finds
// the locals that always hold numbers. Sites skip the tests these settle.

import type { Node } from '../parse/ast.js';
import type { Binding } from '../analyse/scope.js';
import type { FnCtx } from './context.js';
import { isNumeric } from '../analyse/numbers.js';

function fixedLocal(fc: FnCtx, n: Node | null | undefined): Binding | null {
  if (!n || n.type !== 'Identifier') return null;
  const b = fc.binding(n);
  return b && !b.reassigned ? b : null;
}

/** `n` names a local that always holds a table: declared with a constructor and never assigned again. */
export function isTableLocal(fc: FnCtx, n: Node | null | undefined): boolean {
  return fixedLocal(fc, n)?.init?.type === 'TableConstructorExpression';
}

/**
 * `n` always evaluates to a number: a numeric literal, a local that always holds one (a numeric `for`
 * variable, a counter, an accumulator), or arithmetic on those.
 */
export function isNumberExpr(fc: FnCtx, n: Node | null | undefined): boolean {
  return isNumeric(n, (id) => fc.binding(id)?.number === true);
}
