// Statements and blocks. Blocks with labels are restructured for goto (see `labelledBlock`): a forward
// goto becomes `break` out of a labelled block, a backward goto `continue` of a labelled loop.

import { t } from './builders.js';
import { dataText, quote, ASSIGN, BINARY, COND, LHS, UNARY } from './print.js';
import type { Node } from '../parse/ast.js';
import { isMarker } from '../analyse/scope.js';
import { typeRefs } from '../parse/type-parser.js';
import { FnCtx, lineOf, keyLine, at } from './context.js';
import { expr, exprList, cond, opCall, isMultiNode, multiValues, operand, arrayKey } from './expr.js';
import { isNumberExpr } from './facts.js';
import { compileCall } from './call.js';
import { compileFunction } from './function.js';
import { forNumeric, forGeneric, whileLoop, repeatLoop } from './loops.js';

/** Compile a block's statements (the caller provides the JS block). */
export function compileBlock(fc: FnCtx, body: Node[]): t.Statement[] {
  const out: t.Statement[] = [];
  // Type declarations are hoisted: declare all names, then build the values (they refer to each other lazily).
  const markers = body.filter(isMarker);
  if (markers.length) out.push(...typeDecls(fc, markers));
  const rest = body.filter((s) => !isMarker(s));
  if (rest.some((s) => s.type === 'LabelStatement')) out.push(...labelledBlock(fc, rest));
  else for (const s of rest) out.push(...stat(fc, s, false));
  return out;
}

function typeDecls(fc: FnCtx, markers: Node[]): t.Statement[] {
  const decls: t.VariableDeclarator[] = [];
  for (const s of markers) {
    const m = fc.m.sc.markers.get(s)!;
    const names = typeRefs(m.decl.node);
    const refs = m.refs.map((b, i) => {
      const name = names[i];
      const value = b ? t.identifier(b.js) : t.callExpression(fc.m.rt('indexStr'), [t.identifier('ENV'), t.stringLiteral(name)]);
      return t.arrowFunctionExpression([], value);
    });
    decls.push(t.variableDeclarator(t.identifier(m.binding.js), t.callExpression(fc.m.rt('makeType'), [
      t.stringLiteral(m.decl.name), t.raw(dataText(m.decl.node)), t.raw(dataText(m.decl.generics)), t.arrayExpression(refs),
    ])));
  }
  return [t.variableDeclaration('const', decls)];
}


/**
 * Split a block at each label L:  `L_f: { before }  L_b: for (;;) { after; break; }`.
 * Locals declared at the top level of `before` are hoisted so `after` still sees them.
 */
function labelledBlock(fc: FnCtx, body: Node[]): t.Statement[] {
  const i = body.findIndex((s) => s.type === 'LabelStatement');
  const before = body.slice(0, i);
  const label = body[i].label.name as string;
  const after = body.slice(i + 1);
  const fwd = fc.label(`${label}_f`), bwd = fc.label(`${label}_b`);
  const entry = { name: label, fwd, bwd, after: false };
  fc.labels.push(entry);
  const hoisted: t.Statement[] = [];
  const beforeStmts: t.Statement[] = [];
  for (const s of before) beforeStmts.push(...stat(fc, s, true, hoisted));
  entry.after = true;
  const rest = after.some((s) => s.type === 'LabelStatement') ? labelledBlock(fc, after) : after.flatMap((s) => stat(fc, s, false));
  fc.labels.pop();
  return [
    ...hoisted,
    t.labeledStatement(t.identifier(fwd), t.blockStatement(beforeStmts)),
    t.labeledStatement(t.identifier(bwd), t.forStatement(null, null, null, t.blockStatement([...rest, t.breakStatement()]))),
  ];
}

/** One statement. With `hoist`, local declarations become assignments and their `let` goes to `hoisted`. */
export function stat(fc: FnCtx, s: Node, hoist: boolean, hoisted?: t.Statement[]): t.Statement[] {
  const out = statInner(fc, s, hoist, hoisted);
  if (out.length) at(out[0], s);
  return out;
}

function statInner(fc: FnCtx, s: Node, hoist: boolean, hoisted?: t.Statement[]): t.Statement[] {
  switch (s.type) {
    case 'LocalStatement': return local(fc, s, hoist, hoisted);
    case 'AssignmentStatement': return assignment(fc, s);
    case 'CallStatement': return [t.expressionStatement(compileCall(fc, s.expression, 'none'))];
    case 'FunctionDeclaration': return functionStatement(fc, s, hoist, hoisted);
    case 'ReturnStatement': return [returnStatement(fc, s)];
    case 'IfStatement': return [ifStatement(fc, s)];
    case 'WhileStatement': return whileLoop(fc, s);
    case 'RepeatStatement': return repeatLoop(fc, s);
    case 'ForNumericStatement': return forNumeric(fc, s);
    case 'ForGenericStatement': return forGeneric(fc, s);
    case 'DoStatement': return [t.blockStatement(compileBlock(fc, s.body))];
    case 'BreakStatement': {
      const loop = fc.loops[fc.loops.length - 1];
      return [t.breakStatement(loop ? t.identifier(loop) : null)];
    }
    case 'GotoStatement': return [gotoStatement(fc, s)];
    case 'LabelStatement': return [];
    default: throw new Error(`unsupported statement ${s.type}`);
  }
}

function gotoStatement(fc: FnCtx, s: Node): t.Statement {
  const name = s.label.name;
  for (let i = fc.labels.length - 1; i >= 0; i--) {
    const l = fc.labels[i];
    if (l.name === name) {
      if (!l.after) return t.breakStatement(t.identifier(l.fwd));
      return t.blockStatement([...safepoint(fc), t.continueStatement(t.identifier(l.bwd))]);
    }
  }
  // Lua rejects this at compile time; the front end reports it (see compile.ts).
  throw new GotoError(`no visible label '${name}' for goto`, lineOf(s), s.loc?.start.column ?? 0);
}

export class GotoError extends Error {
  constructor(message: string, public line: number, public column: number) {
    super(message);
  }
}

/**
 * A cheap safepoint on loop back edges: lets timeouts and cancellation stop runaway loops, and in
 * generator twins lets the host pause the loop (`yield`) so other actors run. A numeric `for` passes its
 * iteration counter and checks the budget every 1,024 iterations: a register test instead of a memory
 * update per iteration (numericEntry charges the rest). A numeric `for` nested in another loop passes
 * `mayYield = false`: V8 keeps the floats of a loop that contains a resume point boxed (mandelbrot ran 3×
 * slower in a process), so such a loop only charges the budget (timeouts still stop it) and the
 * enclosing loop yields at its next safepoint. None at all in chunks compiled without safepoints
 * (standalone scripts: no host listens).
 */
export function safepoint(fc: FnCtx, counter?: t.Identifier, mayYield = true): t.Statement[] {
  if (!fc.m.safepoints) return [];
  const budget = t.memberExpression(fc.m.rt('B'), t.identifier('n'));
  const exhausted = counter === undefined
    ? t.binaryExpression('<', t.updateExpression('--', budget, true), t.numericLiteral(0))
    : t.logicalExpression('&&',
      t.binaryExpression('===', t.binaryExpression('&', counter, t.numericLiteral(1023)), t.numericLiteral(0)),
      t.binaryExpression('<', t.assignmentExpression('-=', budget, t.numericLiteral(1024)), t.numericLiteral(0)));
  return tickIf(fc, exhausted, mayYield);
}

/**
 * Before a numeric `for` with n iterations: charge the n % 1024 that its paced safepoint does not, so
 * a nest of short loops still runs down the budget.
 */
export function numericEntry(fc: FnCtx, n: t.Identifier, mayYield: boolean): t.Statement[] {
  if (!fc.m.safepoints) return [];
  const budget = t.memberExpression(fc.m.rt('B'), t.identifier('n'));
  const charge = t.assignmentExpression('-=', budget, t.binaryExpression('&', n, t.numericLiteral(1023)));
  return tickIf(fc, t.binaryExpression('<', charge, t.numericLiteral(0)), mayYield);
}

function tickIf(fc: FnCtx, exhausted: t.Expression, mayYield: boolean): t.Statement[] {
  const tick = t.callExpression(fc.m.rt('tick'), []);
  if (!fc.gen || !mayYield) return [t.ifStatement(exhausted, t.expressionStatement(tick))];
  const s = fc.temp();
  const pause = t.binaryExpression('!==', t.assignmentExpression('=', s, tick), t.identifier('undefined'));
  return [t.ifStatement(t.logicalExpression('&&', exhausted, pause), t.expressionStatement(t.yieldExpression(s)))];
}

function local(fc: FnCtx, s: Node, hoist: boolean, hoisted?: t.Statement[]): t.Statement[] {
  const ids = s.variables.map((v: Node) => t.identifier(fc.m.sc.decls.get(v)!.js));
  const values = valuesFor(fc, s.init, ids.length);
  if (hoist && hoisted) {
    hoisted.push(t.variableDeclaration('let', ids.map((id: t.Identifier) => t.variableDeclarator(id))));
    return [...values.pre, ...ids.map((id: t.Identifier, i: number) => t.expressionStatement(t.assignmentExpression('=', id, values.vals[i] ?? t.identifier('undefined'))))];
  }
  return [...values.pre, t.variableDeclaration('let', ids.map((id: t.Identifier, i: number) => t.variableDeclarator(id, values.vals[i])))];
}

/**
 * Values for `n` targets from an expression list, adjusted like Lua: extra values are evaluated and
 * dropped, a trailing call or `...` fills the remaining targets, missing ones are nil.
 */
function valuesFor(fc: FnCtx, list: Node[], n: number): { pre: t.Statement[]; vals: (t.Expression | undefined)[] } {
  const pre: t.Statement[] = [];
  const vals: (t.Expression | undefined)[] = [];
  const last = list[list.length - 1];
  const spreads = !!last && isMultiNode(last) && list.length < n;
  // When statements run before the targets are assigned, earlier values go to temps to keep Lua's order.
  const viaTemps = spreads || list.length > n;
  list.forEach((e, i) => {
    if (i >= n) {
      if (e.type !== 'VarargLiteral') pre.push(t.expressionStatement(isMultiNode(e) ? compileCall(fc, e, 'none') : expr(fc, e)));
      return;
    }
    if (spreads && i === list.length - 1 && e.type !== 'VarargLiteral') {
      // A call's results straight from the RV side channel, read before anything else can call: the
      // first is the call's value, the second RV.b, later ones RV.v (no array for one or two results).
      const first = fc.temp();
      pre.push(t.expressionStatement(t.assignmentExpression('=', first, compileCall(fc, e, 'one'))));
      vals.push(first);
      const RV = fc.m.rt('RV').name;
      for (let k = i + 1; k < n; k++) {
        const tmp = fc.temp(), at = k - i;
        pre.push(t.expressionStatement(t.assignmentExpression('=', tmp, t.raw(at === 1
          ? `${RV}.n >= 2 ? ${RV}.b : undefined`
          : `${RV}.n > ${at} ? ${RV}.v[${at}] : undefined`, COND))));
        vals.push(tmp);
      }
      return;
    }
    if (spreads && i === list.length - 1) {
      const arr = fc.temp();
      pre.push(t.expressionStatement(t.assignmentExpression('=', arr, multiValues(fc, e))));
      for (let k = i; k < n; k++) vals.push(t.memberExpression(arr, t.numericLiteral(k - i), true));
      return;
    }
    const v = expr(fc, e);
    if (!viaTemps) {
      vals.push(v);
      return;
    }
    const tmp = fc.temp();
    pre.push(t.expressionStatement(t.assignmentExpression('=', tmp, v)));
    vals.push(tmp);
  });
  return { pre, vals };
}

function assignment(fc: FnCtx, s: Node): t.Statement[] {
  const targets: Node[] = s.variables;
  if (targets.length === 1 && s.init.length === 1) {
    return [t.expressionStatement(assignTo(fc, targets[0], expr(fc, s.init[0]), null, s.init[0]))];
  }
  // Evaluate table and key expressions of the targets, then all values, then assign.
  const pre: t.Statement[] = [];
  const prepared = targets.map((v) => {
    if (v.type === 'Identifier') return null;
    const obj = fc.temp();
    pre.push(t.expressionStatement(t.assignmentExpression('=', obj, expr(fc, v.base))));
    if (v.type === 'MemberExpression') return { obj, key: t.stringLiteral(v.identifier.name) as t.Expression };
    const key = fc.temp();
    pre.push(t.expressionStatement(t.assignmentExpression('=', key, expr(fc, v.index))));
    return { obj, key: key as t.Expression };
  });
  const values = valuesFor(fc, s.init, targets.length);
  const temps = targets.map((_, i) => ({ tmp: fc.temp(), v: values.vals[i] }));
  const out = [...pre, ...values.pre];
  for (const { tmp, v } of temps) out.push(t.expressionStatement(t.assignmentExpression('=', tmp, v ?? t.identifier('undefined'))));
  targets.forEach((v, i) => out.push(t.expressionStatement(assignTo(fc, v, temps[i].tmp, prepared[i]))));
  return out;
}

/** Assign `value` to a Lua target (local, global or table field). */
function assignTo(fc: FnCtx, v: Node, value: t.Expression, prepared: { obj: t.Expression; key: t.Expression } | null,
  valueNode?: Node): t.Expression {
  const line = keyLine(v);
  if (v.type === 'Identifier') {
    const b = fc.binding(v);
    if (b) return t.assignmentExpression('=', t.identifier(b.js), value);
    return setField(fc, t.identifier('ENV'), v.name, value, fc.m.site(line, `global '${v.name}'`, undefined, v.name));
  }
  const obj = prepared ? prepared.obj : expr(fc, v.base);
  const key = prepared ? prepared.key : v.type === 'MemberExpression' ? t.stringLiteral(v.identifier.name) : expr(fc, v.index);
  if (t.isStringLiteral(key)) return setField(fc, obj, key.value, value, fc.m.site(line, fc.describe(v.base), undefined, key.value));
  const s = fc.m.site(line, fc.describe(v.base));
  if (fc.yieldableOps) return opCall(fc, 'setindex', [obj, key, value], s, 'setindex');
  return elementWrite(fc, obj, key, value, s, v, valueNode);
}

/**
 * t[k] = v storing into the array part at the site when k is inside it or appends to it, v is not nil
 * and the table has no metatable, is OPEN (not frozen, not a watched prototype) and (for an append) has no hash part whose integer keys
 * would have to move into the array; anything else (hash keys, __newindex, nil) calls $setindex.
 */
function elementWrite(fc: FnCtx, obj: t.Expression, key: t.Expression, value: t.Expression, s: t.Identifier,
  target: Node, valueNode: Node | undefined): t.Expression {
  const setup: t.Expression[] = [];
  const o = operand(fc, obj, setup), k = operand(fc, key, setup), val = operand(fc, value, setup);
  const i = fc.temp();
  const member = (name: string) => t.memberExpression(o, t.identifier(name));
  const length = t.memberExpression(member('arr'), t.identifier('length'));
  const { tests, idx } = arrayKey(fc, o, k, i, target.base, target.index);
  // An append at the site needs an array of the table's own: the first element goes through $setindex.
  tests.push(t.logicalExpression('||', t.binaryExpression('<', idx, length),
    t.logicalExpression('&&', t.logicalExpression('&&', t.binaryExpression('===', idx, length), t.binaryExpression('!==', idx, t.numericLiteral(0))),
      t.binaryExpression('===', member('hash'), t.nullLiteral()))));
  // A constant or a number is never nil (t[i] = true, t[i] = 0, t[i] = i, t[i] = n + 1).
  if (!isNonNilConstant(value) && !isNumberExpr(fc, valueNode)) tests.push(t.binaryExpression('!==', val, t.identifier('undefined')));
  tests.push(t.binaryExpression('===', member('mt'), t.nullLiteral()), t.unaryExpression('!', member('lock')));
  const fast = tests.reduce((a, b) => t.logicalExpression('&&', a, b));
  const body = t.conditionalExpression(fast,
    t.assignmentExpression('=', t.memberExpression(member('arr'), idx, true), val),
    t.callExpression(fc.m.rt('setindex'), [o, k, val, s]));
  return setup.length ? t.sequenceExpression([...setup, body]) : body;
}

function isNonNilConstant(e: t.Expression): boolean {
  return t.isNumericLiteral(e) || t.isStringLiteral(e) || t.isBooleanLiteral(e);
}

/**
 * obj.name = value: the yieldable store in generator twins that need it; elsewhere a key the table
 * already holds is overwritten at the site, when the site's cached shape matches and the table is OPEN
 * (neither frozen nor a watched prototype; a present value means no `__newindex` applies):
 * `typeof o === "object" && o !== null && o.shape === S.shape && o.slots[S.slot] !== undefined && !o.lock ? o.slots[S.slot] = v : $setindexStr(o, k, v, S)`.
 * New keys, tombstones and dictionaries take the call, which also fills the cache.
 */
function setField(fc: FnCtx, obj: t.Expression, name: string, value: t.Expression, s: t.Identifier): t.Expression {
  if (fc.yieldableOps) return opCall(fc, 'setindex', [obj, t.stringLiteral(name), value], s, 'setindex');
  const setup: t.Expression[] = [];
  const o = operand(fc, obj, setup), v = operand(fc, value, setup);
  const S = s.name;
  const parts: (string | t.Expression)[] = [], mins: number[] = [];
  const put = (x: string | t.Expression, min = 0) => { parts.push(x); mins.push(min); };
  put('typeof '); put(o, UNARY); put(' === "object" && '); put(o, BINARY['!==']!); put(' !== null && ');
  put(o, LHS); put(`.shape === ${S}.shape && `);
  put(o, LHS); put(`.slots[${S}.slot] !== undefined && !`); put(o, LHS); put(`.lock ? `);
  put(o, LHS); put(`.slots[${S}.slot] = `); put(v, ASSIGN);
  put(` : ${fc.m.rt('setindexStr').name}(`); put(o, ASSIGN); put(`, ${quote(name)}, `); put(v, ASSIGN); put(`, ${S})`);
  const body = t.template(parts, mins, COND);
  return setup.length ? t.sequenceExpression([...setup, body]) : body;
}

function functionStatement(fc: FnCtx, s: Node, hoist: boolean, hoisted?: t.Statement[]): t.Statement[] {
  const fn = compileFunction(fc, s);
  if (s.isLocal) {
    const id = t.identifier(fc.m.sc.decls.get(s.identifier)!.js);
    if (hoist && hoisted) {
      hoisted.push(t.variableDeclaration('let', [t.variableDeclarator(id)]));
      return [t.expressionStatement(t.assignmentExpression('=', id, fn))];
    }
    // Declared first so the body can refer to itself.
    return [t.variableDeclaration('let', [t.variableDeclarator(id)]), t.expressionStatement(t.assignmentExpression('=', id, fn))];
  }
  return [t.expressionStatement(assignTo(fc, s.identifier, fn, null))];
}

function returnStatement(fc: FnCtx, s: Node): t.Statement {
  const value = returnValue(fc, s);
  // Scratch tables die here: their arrays go back to the runtime once the results are computed.
  const recycle = fc.recycleBefore(s);
  if (value === null) {
    const rv = t.memberExpression(fc.m.rt('RV'), t.identifier('n'));
    return t.blockStatement([t.expressionStatement(t.assignmentExpression('=', rv, t.numericLiteral(0))), ...recycle, t.returnStatement()]);
  }
  if (recycle.length === 0) return t.returnStatement(value);
  const tmp = fc.temp();
  return t.blockStatement([t.expressionStatement(t.assignmentExpression('=', tmp, value)), ...recycle, t.returnStatement(tmp)]);
}

/** What a return statement returns (null: no values). */
function returnValue(fc: FnCtx, s: Node): t.Expression | null {
  const args: Node[] = s.arguments;
  if (args.length === 0) return null;
  if (args.length === 1) {
    const a = args[0];
    // A tail call passes the callee's results through untouched.
    if (isMultiNode(a) && a.type !== 'VarargLiteral') return compileCall(fc, a, 'one');
    if (isMultiNode(a)) return t.callExpression(fc.m.rt('retN'), [fc.vararg ?? t.arrayExpression([])]);
    return t.callExpression(fc.m.rt('ret1'), [expr(fc, a)]);
  }
  const { items, spread } = exprList(fc, args);
  if (!spread && items.length === 2) return t.callExpression(fc.m.rt('ret2'), items);
  return t.callExpression(fc.m.rt('retN'), [t.arrayExpression(spread ? [...items, t.spreadElement(spread)] : items)]);
}

function ifStatement(fc: FnCtx, s: Node): t.Statement {
  const clauses: Node[] = s.clauses;
  let alt: t.Statement | null = null;
  for (let i = clauses.length - 1; i >= 0; i--) {
    const c = clauses[i];
    const body = t.blockStatement(compileBlock(fc, c.body));
    alt = c.type === 'ElseClause' ? body : at(t.ifStatement(cond(fc, c.condition), body, alt), c);
  }
  return alt!;
}
