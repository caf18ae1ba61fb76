// What code generation knows about a local without type inference: a local that is never reassigned
// keeps the value it was declared with. A table constructor makes it a table for its whole life, and a
// numeric `for` variable is a number, so array-part accesses at the site skip the tests these settle.

import type { Node } from '../parse/ast.js';
import type { Binding } from '../analyse/scope.js';
import type { FnCtx } from './context.js';

function fixedLocal(fc: FnCtx, n: Node | null | undefined): Binding | null {
  if (!n || n.type !== 'Identifier') return null;
  const b = fc.binding(n);
  return b && !b.reassigned ? b : null;
}

/** `n` names a local that always holds a table: declared with a constructor and never assigned again. */
export function isTableLocal(fc: FnCtx, n: Node | null | undefined): boolean {
  return fixedLocal(fc, n)?.init?.type === 'TableConstructorExpression';
}

/** `n` names a numeric `for` variable that the loop body does not assign: always a number. */
export function isNumberLocal(fc: FnCtx, n: Node | null | undefined): boolean {
  return fixedLocal(fc, n)?.numericFor === true;
}
