// Which locals always hold a number. Arithmetic on numbers gives a number (lunac's numbers are doubles, and
// no metamethod applies to them), so a local is a number for its whole life when it is declared with a
// numeric expression (or is a numeric `for` variable) and every later assignment gives it one too.
// Code generation then writes `a + b` and `a < b` without the type tests and slow-path calls: less code
// per operation, which matters most while V8 still interprets it or compiles it.

import type { Node } from '../parse/ast.js';
import type { Binding } from './scope.js';

/** Operators whose result is a number when both operands are (errors aside: `1 // 0` raises). */
const NUMERIC_BINARY = new Set(['+', '-', '*', '/', '%', '^', '//', '&', '|', '~', '<<', '>>']);

/** Is `e` always a number, given which locals always hold one (`isNumberLocal`)? */
export function isNumeric(e: Node | null | undefined, isNumberLocal: (id: Node) => boolean): boolean {
  if (!e) return false;
  switch (e.type) {
    case 'NumericLiteral': return true;
    case 'Identifier': return isNumberLocal(e);
    case 'UnaryExpression': return (e.operator === '-' || e.operator === '~') && isNumeric(e.argument, isNumberLocal);
    case 'BinaryExpression':
      return NUMERIC_BINARY.has(e.operator) && isNumeric(e.left, isNumberLocal) && isNumeric(e.right, isNumberLocal);
    case 'LogicalExpression': // a number is never false: `a and b` is b, `a or b` is a
      return isNumeric(e.left, isNumberLocal) && isNumeric(e.right, isNumberLocal);
    default: return false;
  }
}

/**
 * Set `number` on the bindings that always hold numbers: the greatest fixed point, starting from every
 * local whose declaration and assignments look numeric and dropping those that depend on a dropped one
 * (`local i = 0 … i = i + 1` stays; `local n = 0 … n = n + f()` goes).
 */
export function inferNumbers(bindings: Iterable<Binding>, refs: Map<Node, Binding | null>): void {
  const candidates: Binding[] = [];
  for (const b of bindings) {
    if ((b.numericFor || b.init !== null) && !b.values.includes(null)) {
      b.number = true;
      candidates.push(b);
    }
  }
  const isNumberLocal = (id: Node) => refs.get(id)?.number === true;
  const holds = (b: Binding) => (b.numericFor || isNumeric(b.init, isNumberLocal)) && b.values.every((v) => isNumeric(v, isNumberLocal));
  for (let changed = true; changed;) {
    changed = false;
    for (const b of candidates) {
      if (b.number && !holds(b)) {
        b.number = false;
        changed = true;
      }
    }
  }
}
