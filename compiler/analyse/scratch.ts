// Scratch tables: a table a function makes with a fill loop and only ever indexes. Nothing else can hold
// it, so it is garbage once the function returns, and the runtime can give its array to the next fill of
// the same length ($recycle, $forfill). Allocating a large array costs a page fault per 4 KB in V8's
// large-object space every time (sieve: one 800 KB array per call), where Lua's allocator reuses the
// memory it just freed.

import type { Node } from '../parse/ast.js';
import type { Binding, Scopes } from './scope.js';

/**
 * `for i = 1, n do t[i] = K end` with t a local and K a literal other than nil: the table's Identifier
 * node, else null. ($forfill makes such arrays at once; see codegen/loops.ts.)
 */
export function fillTarget(s: Node, sc: Scopes): Node | null {
  if (s.type !== 'ForNumericStatement' || s.start.type !== 'NumericLiteral' || s.start.value !== 1 || s.body.length !== 1) return null;
  if (s.step && !(s.step.type === 'NumericLiteral' && s.step.value === 1)) return null;
  const st: Node = s.body[0];
  if (st.type !== 'AssignmentStatement' || st.variables.length !== 1 || st.init.length !== 1) return null;
  const target: Node = st.variables[0], value: Node = st.init[0];
  if (target.type !== 'IndexExpression' || target.base.type !== 'Identifier' || target.index.type !== 'Identifier') return null;
  if (!['BooleanLiteral', 'NumericLiteral', 'StringLiteral'].includes(value.type)) return null;
  if (sc.refs.get(target.index) !== sc.decls.get(s.variable) || !sc.refs.get(target.base)) return null;
  return target.base;
}

/** Keys of AST nodes that hold no child nodes. */
const LEAF_KEYS = new Set(['type', 'loc', 'range', 'raw', 'name', 'value', 'operator', 'indexer', 'inParens', 'isLocal']);

/**
 * The scratch tables of function `fn`: locals declared `local t = {}` in the function's own block, never
 * assigned again nor seen by a nested function, filled by a fill loop of that block, and otherwise only used as `t[k]`,
 * `t.k` (read or written) and `#t`. Any other mention (an argument, a return value, `t:m()`, another
 * variable, a table field's value) lets the table escape. Functions with goto are left alone.
 */
export function scratchTables(fn: Node, sc: Scopes, hasGoto: boolean): Binding[] {
  if (hasGoto) return [];
  const candidates = new Set<Binding>();
  for (const s of fn.body as Node[]) {
    if (s.type !== 'LocalStatement' || s.variables.length !== s.init.length) continue;
    s.variables.forEach((v: Node, i: number) => {
      const init: Node = s.init[i];
      const b = sc.decls.get(v);
      if (b && init.type === 'TableConstructorExpression' && init.fields.length === 0 && !b.reassigned && !b.captured) candidates.add(b);
    });
  }
  // Only a table filled by a loop of the function's own block qualifies: checking that first spares the walk
  // below to nearly every function (`local t = {}` is common, a fill loop over it is not).
  const filled = new Set<Binding>();
  for (const s of fn.body as Node[]) {
    const target = fillTarget(s, sc);
    const b = target && sc.refs.get(target);
    if (b && candidates.has(b)) filled.add(b);
  }
  for (const b of candidates) if (!filled.has(b)) candidates.delete(b);
  if (candidates.size === 0) return [];
  const visit = (n: Node): void => {
    if (n.type === 'Identifier') {
      const b = sc.refs.get(n);
      if (b) candidates.delete(b); // a mention anywhere but the places below
      return;
    }
    if (n.type === 'FunctionDeclaration' && n !== fn) {
      // A nested function: its body cannot name the candidates (they are not captured); `function t.f()`
      // stores into t, which is a field write.
      if (n.identifier?.type === 'MemberExpression' && n.identifier.indexer === '.') visitBased(n.identifier);
      else if (n.identifier && !n.isLocal) visit(n.identifier);
      return;
    }
    if ((n.type === 'IndexExpression' || (n.type === 'MemberExpression' && n.indexer === '.')) && n.base.type === 'Identifier') {
      visitBased(n);
      return;
    }
    if (n.type === 'UnaryExpression' && n.operator === '#' && n.argument.type === 'Identifier') return;
    for (const key of Object.keys(n)) {
      if (LEAF_KEYS.has(key)) continue;
      const v = n[key];
      if (Array.isArray(v)) {
        for (const c of v) if (c && typeof c === 'object' && typeof c.type === 'string') visit(c);
      } else if (v && typeof v === 'object' && typeof v.type === 'string') visit(v);
    }
  };
  /** `t[k]` or `t.k`: the base is not an escape, the key may be. */
  const visitBased = (n: Node): void => {
    if (n.type === 'IndexExpression') visit(n.index);
  };
  for (const s of fn.body as Node[]) visit(s);
  return [...candidates];
}
