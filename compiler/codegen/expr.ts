// Expressions: literals, variables, indexing, operators, table constructors, varargs.
// `expr` yields one Lua value; `exprList` handles lists whose last element may expand to many values;
// `cond` yields a JS boolean for tests (Lua truthiness: only nil and false are false).

import { t } from './builders.js';
import { quote, ASSIGN, BINARY, COND, LOGICAL_AND, UNARY } from './print.js';
import type { Node } from '../parse/ast.js';
import { FnCtx, lineOf, keyLine, at } from './context.js';
import { compileCall, isCallNode } from './call.js';
import { compileFunction } from './function.js';
import { isNumberExpr, isTableLocal } from './facts.js';

const ARITH: Record<string, string> = {
  '+': 'add', '-': 'sub', '*': 'mul', '/': 'div', '%': 'modulo', '^': 'pow', '//': 'floordiv',
  '&': 'band', '|': 'bor', '~': 'bxor', '<<': 'shl', '>>': 'shr',
};
const ARITH_EVENT: Record<string, string> = {
  '+': '__add', '-': '__sub', '*': '__mul', '/': '__div', '%': '__mod', '^': '__pow', '//': '__idiv',
  '&': '__band', '|': '__bor', '~': '__bxor', '<<': '__shl', '>>': '__shr',
};
/** Operators JS computes identically on two numbers. */
const JS_NUM_OP: Record<string, t.BinaryExpression['operator']> = { '+': '+', '-': '-', '*': '*', '/': '/' };

export function numberLiteral(v: number): t.Expression {
  if (Number.isNaN(v)) return t.binaryExpression('/', t.numericLiteral(0), t.numericLiteral(0));
  if (v === Infinity) return t.binaryExpression('/', t.numericLiteral(1), t.numericLiteral(0));
  if (v === -Infinity) return t.unaryExpression('-', numberLiteral(Infinity));
  if (v < 0 || Object.is(v, -0)) return t.unaryExpression('-', t.numericLiteral(-v));
  return t.numericLiteral(v);
}

/** Lua 5.3 numeral → double: hex integers wrap modulo 2^64, decimal integers that overflow become floats. */
export function numeralValue(raw: string, value: number): number {
  if (/^0[xX][0-9a-fA-F]+$/.test(raw)) return Number(BigInt.asIntN(64, BigInt(raw)));
  return value;
}

export function isMultiNode(e: Node): boolean {
  return !e.inParens && (isCallNode(e) || e.type === 'VarargLiteral');
}

/** Lua truthiness of a JS expression (temp used when `e` is not a simple name). */
export function truthy(fc: FnCtx, e: t.Expression): t.Expression {
  if (t.isBooleanLiteral(e)) return e;
  if (t.isIdentifier(e)) {
    return t.logicalExpression('&&', t.binaryExpression('!==', e, t.identifier('undefined')), t.binaryExpression('!==', e, t.booleanLiteral(false)));
  }
  const tmp = fc.temp();
  return t.logicalExpression('&&',
    t.binaryExpression('!==', t.assignmentExpression('=', tmp, e), t.identifier('undefined')),
    t.binaryExpression('!==', tmp, t.booleanLiteral(false)));
}

/** Does the expression always produce a JS boolean? */
export function isBoolNode(e: Node): boolean {
  switch (e.type) {
    case 'BooleanLiteral': return true;
    case 'UnaryExpression': return e.operator === 'not';
    case 'BinaryExpression': return ['==', '~=', '<', '<=', '>', '>='].includes(e.operator);
    case 'LogicalExpression': return isBoolNode(e.left) && isBoolNode(e.right);
    default: return false;
  }
}

/** A condition: JS boolean with Lua truthiness. */
export function cond(fc: FnCtx, e: Node): t.Expression {
  if (e.type === 'LogicalExpression') {
    return t.logicalExpression(e.operator === 'and' ? '&&' : '||', cond(fc, e.left), cond(fc, e.right));
  }
  if (e.type === 'UnaryExpression' && e.operator === 'not') return t.unaryExpression('!', cond(fc, e.argument));
  if (e.type === 'NilLiteral') return t.booleanLiteral(false);
  const v = expr(fc, e);
  return isBoolNode(e) ? v : truthy(fc, v);
}

export function expr(fc: FnCtx, e: Node): t.Expression {
  return at(exprInner(fc, e), e);
}

function exprInner(fc: FnCtx, e: Node): t.Expression {
  switch (e.type) {
    case 'NilLiteral': return t.identifier('undefined');
    case 'BooleanLiteral': return t.booleanLiteral(e.value);
    case 'NumericLiteral': return numberLiteral(numeralValue(e.raw, e.value));
    case 'StringLiteral': return t.stringLiteral(e.value);
    case 'VarargLiteral':
      return t.memberExpression(fc.vararg ?? t.arrayExpression([]), t.numericLiteral(0), true);
    case 'Identifier': return variable(fc, e);
    case 'FunctionDeclaration': return compileFunction(fc, e);
    case 'MemberExpression': return index(fc, e.base, t.stringLiteral(e.identifier.name), e, true);
    case 'IndexExpression': {
      const k = e.index;
      if (k.type === 'StringLiteral') return index(fc, e.base, t.stringLiteral(k.value), e, true);
      return index(fc, e.base, expr(fc, k), e, false);
    }
    case 'CallExpression': case 'StringCallExpression': case 'TableCallExpression':
      return compileCall(fc, e, 'one');
    case 'TableConstructorExpression': return table(fc, e);
    case 'LogicalExpression': return logical(fc, e);
    case 'UnaryExpression': return unary(fc, e);
    case 'BinaryExpression': return binary(fc, e);
    default:
      throw new Error(`unsupported expression ${e.type}`);
  }
}

/** Read of a Lua name: a JS local, or a field of the chunk's environment. */
export function variable(fc: FnCtx, id: Node): t.Expression {
  const b = fc.binding(id);
  if (b) return t.identifier(b.js);
  const s = fc.m.site(lineOf(id), `global '${id.name}'`, undefined, id.name);
  // ENV is always a table: a warm global read is a shape check and a slot load, no call.
  const S = s.name;
  if (!fc.yieldableOps) {
    const v = fc.temp().name;
    return t.raw(`ENV.shape === ${S}.shape && (${v} = ENV.slots[${S}.slot]) !== undefined ? ${v} : ${fc.m.rt('indexStr').name}(ENV, ${quote(id.name)}, ${S})`, COND);
  }
  const slow = opCall(fc, 'indexStr', [t.identifier('ENV'), t.stringLiteral(id.name)], s, 'index');
  const v = fc.temp().name;
  return t.conditionalExpression(t.raw(`ENV.shape === ${S}.shape && (${v} = ENV.slots[${S}.slot]) !== undefined`, LOGICAL_AND), t.identifier(v), slow);
}

/** `obj[key]` with `__index`; in yieldable generator code a metamethod may yield. */
export function index(fc: FnCtx, base: Node, key: t.Expression, node: Node, strKey: boolean): t.Expression {
  const s = fc.m.site(keyLine(node), fc.describe(base), undefined, strKey && t.isStringLiteral(key) ? key.value : undefined);
  if (strKey && !fc.yieldableOps) return fieldRead(fc, expr(fc, base), key as t.StringLiteral, s);
  if (!strKey && !fc.yieldableOps) return elementRead(fc, expr(fc, base), key, s, base, node.index);
  return opCall(fc, strKey ? 'indexStr' : 'index', [expr(fc, base), key], s, 'index');
}

/**
 * Tests that k is an integer key 1..2^32 (leaving k - 1 in `i`), minus those the facts settle: a local
 * known to be a table needs no table test, a number local no `typeof`, a literal key no test at all.
 * Returns the tests and the 0-based index expression. The caller adds the bound check it needs.
 */
export function arrayKey(fc: FnCtx, o: t.Expression, k: t.Expression, i: t.Identifier, objNode?: Node | null,
  keyNode?: Node | null): { tests: t.Expression[]; idx: t.Expression } {
  const tests: t.Expression[] = [];
  if (!isTableLocal(fc, objNode)) tests.push(tableTest(o));
  if (t.isNumericLiteral(k) && Number.isInteger(k.value) && k.value >= 1 && k.value <= 2 ** 31) {
    return { tests, idx: t.numericLiteral(k.value - 1) };
  }
  if (!isNumberExpr(fc, keyNode)) tests.push(t.binaryExpression('===', t.unaryExpression('typeof', k), t.stringLiteral('number')));
  tests.push(t.binaryExpression('===', t.binaryExpression('>>>', t.assignmentExpression('=', i, t.binaryExpression('-', k, t.numericLiteral(1))), t.numericLiteral(0)), i));
  return { tests, idx: i };
}

/**
 * t[k] with the array part read at the site:
 * `(isTable(o) && typeof k === 'number' && (i = k - 1) >>> 0 === i && i < o.arr.length && (v = o.arr[i]) !== undefined) ? v : $index(o, k, S)`,
 * isTable being tableTest.
 */
function elementRead(fc: FnCtx, obj: t.Expression, key: t.Expression, s: t.Identifier, objNode: Node, keyNode: Node): t.Expression {
  const setup: t.Expression[] = [];
  const o = operand(fc, obj, setup), k = operand(fc, key, setup);
  const i = fc.temp(), v = fc.temp();
  const arr = t.memberExpression(o, t.identifier('arr'));
  const { tests, idx } = arrayKey(fc, o, k, i, objNode, keyNode);
  tests.push(t.binaryExpression('<', idx, t.memberExpression(arr, t.identifier('length'))),
    t.binaryExpression('!==', t.assignmentExpression('=', v, t.memberExpression(arr, idx, true)), t.identifier('undefined')));
  const hit = tests.reduce((a, b) => t.logicalExpression('&&', a, b));
  const body = t.conditionalExpression(hit, v, t.callExpression(fc.m.rt('index'), [o, k, s]));
  return setup.length ? t.sequenceExpression([...setup, body]) : body;
}

/**
 * obj.k with the site's inline cache checked at the site:
 * `(typeof o === "object" && o !== null && o.shape === S.shape && (v = o.slots[S.slot]) !== undefined) ? v : $indexStr(o, k, S)`.
 * The runtime fills the cache; a miss, a tombstone or a metatable lookup takes the call.
 */
export function fieldRead(fc: FnCtx, obj: t.Expression, key: t.StringLiteral, s: t.Identifier): t.Expression {
  const setup: t.Expression[] = [];
  // A base that is not a name goes to a temporary (the text below names it four times).
  let o: string;
  if (t.isIdentifier(obj)) o = obj.name;
  else {
    const tmp = fc.temp();
    setup.push(t.assignmentExpression('=', tmp, obj));
    o = tmp.name;
  }
  const S = s.name;
  const v = fc.temp().name;
  const body = t.raw(`${objectTestText(o)} && ${o}.shape === ${S}.shape && (${v} = ${o}.slots[${S}.slot]) !== undefined ? ${v} : ` +
    `${fc.m.rt('indexStr').name}(${o}, ${quote(key.value)}, ${S})`, COND);
  return setup.length ? t.sequenceExpression([...setup, body]) : body;
}

/**
 * Call runtime operator `name(args..., site)`. In generator twins of a chunk where metamethods may
 * yield, use the Q variant and fall back to the generator when it returns MM.
 */
export function opCall(fc: FnCtx, name: string, args: t.Expression[], s: t.Identifier | null, qKind: string | null, qArgs?: t.Expression[]): t.Expression {
  const all = s ? [...args, s] : args;
  if (!fc.yieldableOps || qKind === null) return t.callExpression(fc.m.rt(name), all);
  // Evaluate operands once into temps, then: (r = opQ(...)) !== MM ? r : yield* opG(...). A variable is read
  // in place only when nothing after it runs code: `s .. f()` must see s before f changes it.
  const simple = (a: t.Expression) => t.isIdentifier(a) || t.isLiteral(a);
  const tmps = all.map((a, i) => (t.isLiteral(a) || (t.isIdentifier(a) && all.slice(i + 1).every(simple)) ? null : fc.temp()));
  const assigns: t.Expression[] = [];
  const vals = all.map((a, i) => {
    const tmp = tmps[i];
    if (!tmp) return a;
    assigns.push(t.assignmentExpression('=', tmp, a));
    return tmp;
  });
  const extra = qArgs ?? [];
  const r = fc.temp();
  const q = t.callExpression(fc.m.rt(qKind + 'Q'), [...extra, ...vals]);
  const g = t.yieldExpression(t.callExpression(fc.m.rt(qKind + 'G'), [...extra, ...vals]), true);
  return t.sequenceExpression([
    ...assigns,
    t.conditionalExpression(t.binaryExpression('!==', t.assignmentExpression('=', r, q), fc.m.rt('MM')), r, g),
  ]);
}

function logical(fc: FnCtx, e: Node): t.Expression {
  if (isBoolNode(e.left) && isBoolNode(e.right)) {
    return t.logicalExpression(e.operator === 'and' ? '&&' : '||', expr(fc, e.left), expr(fc, e.right));
  }
  const tmp = fc.temp();
  const left = t.assignmentExpression('=', tmp, expr(fc, e.left));
  const isFalse = t.logicalExpression('||', t.binaryExpression('===', left, t.identifier('undefined')), t.binaryExpression('===', tmp, t.booleanLiteral(false)));
  const right = expr(fc, e.right);
  return e.operator === 'and' ? t.conditionalExpression(isFalse, tmp, right) : t.conditionalExpression(isFalse, right, tmp);
}

function unary(fc: FnCtx, e: Node): t.Expression {
  const a = e.argument;
  switch (e.operator) {
    case 'not': return t.unaryExpression('!', cond(fc, a));
    case '-':
      if (a.type === 'NumericLiteral') return numberLiteral(-numeralValue(a.raw, a.value));
      if (isNumberExpr(fc, a)) return t.unaryExpression('-', expr(fc, a));
      return yieldableUnary(fc, 'unm', '__unm', a, e);
    case '#': return fc.yieldableOps ? yieldableUnary(fc, 'len', '__len', a, e) : length(fc, a, e);
    case '~': return yieldableUnary(fc, 'bnot', '__bnot', a, e);
  }
  throw new Error(`unsupported unary operator ${e.operator}`);
}

/** #a: a table without a metatable has its border at the end of its array part; anything else asks $len. */
function length(fc: FnCtx, a: Node, e: Node): t.Expression {
  const s = fc.m.site(lineOf(e), fc.describe(a));
  const setup: t.Expression[] = [];
  const o = operand(fc, expr(fc, a), setup);
  const plain = t.binaryExpression('===', t.memberExpression(o, t.identifier('mt')), t.nullLiteral());
  const test = isTableLocal(fc, a) ? plain : t.logicalExpression('&&', tableTest(o), plain);
  const body = t.conditionalExpression(test, t.memberExpression(t.memberExpression(o, t.identifier('arr')), t.identifier('length')),
    t.callExpression(fc.m.rt('len'), [o, s]));
  return setup.length ? t.sequenceExpression([...setup, body]) : body;
}

function yieldableUnary(fc: FnCtx, name: string, event: string, a: Node, e: Node): t.Expression {
  const s = fc.m.site(lineOf(e), fc.describe(a));
  if (!fc.yieldableOps) return t.callExpression(fc.m.rt(name), [expr(fc, a), s]);
  return opCall(fc, name, [expr(fc, a)], s, 'unary', [t.stringLiteral(event)]);
}

function binary(fc: FnCtx, e: Node): t.Expression {
  const op: string = e.operator;
  const line = lineOf(e);
  switch (op) {
    case '==': case '~=': {
      const eq = equality(fc, e.left, e.right);
      return op === '==' ? eq : t.unaryExpression('!', eq);
    }
    case '<': case '<=': case '>': case '>=':
      return compare(fc, op, e);
    case '..': {
      const s = fc.m.site(line, fc.describe(e.left), fc.describe(e.right));
      // Concatenation copies its operands into consecutive registers first: plain left-to-right order.
      const l = expr(fc, e.left), r = expr(fc, e.right);
      return fc.yieldableOps ? opCall(fc, 'concat', [l, r], s, 'concat') : t.callExpression(fc.m.rt('concat'), [l, r, s]);
    }
  }
  const name = ARITH[op];
  if (!name) throw new Error(`unsupported binary operator ${op}`);
  // Lua 5.3 names no string constant operand here (it is not in a register): `"a" + 1` has no "(constant 'a')".
  const operand = (n: Node) => (n.type === 'StringLiteral' ? '' : fc.describe(n));
  const s = fc.m.site(line, operand(e.left), operand(e.right));
  const jsOp = JS_NUM_OP[op];
  return withOperands(fc, e.left, e.right, (l, r) => {
    // Numbers have no metamethods: arithmetic on them cannot yield.
    const numbers = isNumberExpr(fc, e.left) && isNumberExpr(fc, e.right);
    if (fc.yieldableOps && !numbers) return opCall(fc, 'arith', [l, r], s, 'arith', [t.stringLiteral(ARITH_EVENT[op])]);
    if (op === '%' && e.right.type === 'NumericLiteral' && e.right.value > 0 && Number.isFinite(e.right.value)) return moduloByConstant(fc, l, r, e.left, s);
    if (jsOp) return numericFastPath(fc, jsOp, name, l, r, e.left, e.right, s);
    return t.callExpression(fc.m.rt(name), [l, r, s]);
  });
}

/**
 * a % K for a positive constant K (hashing, cycling indices): Lua's modulo takes the divisor's sign, so
 * `typeof a === "number" ? ((m = a % K) < 0 ? m + K : m) : $modulo(a, K, S)`.
 */
function moduloByConstant(fc: FnCtx, l: t.Expression, k: t.Expression, ln: Node, s: t.Identifier): t.Expression {
  const setup: t.Expression[] = [];
  const a = operand(fc, l, setup), m = fc.temp();
  const fast = t.conditionalExpression(t.binaryExpression('<', t.assignmentExpression('=', m, t.binaryExpression('%', a, k)), t.numericLiteral(0)),
    t.binaryExpression('+', m, k), m);
  const body = isNumberExpr(fc, ln) ? fast : t.conditionalExpression(
    t.binaryExpression('===', t.unaryExpression('typeof', a), t.stringLiteral('number')), fast, t.callExpression(fc.m.rt('modulo'), [a, k, s]));
  return setup.length ? t.sequenceExpression([...setup, body]) : body;
}

/** An operand as something that can be named twice: itself when simple, else a temp assigned once. */
export function operand(fc: FnCtx, v: t.Expression, setup: t.Expression[]): t.Expression {
  if (t.isIdentifier(v) || t.isNumericLiteral(v) || t.isStringLiteral(v)) return v;
  if (t.isUnaryExpression(v) && v.operator === '-' && t.isNumericLiteral(v.argument)) return v;
  const tmp = fc.temp();
  setup.push(t.assignmentExpression('=', tmp, v));
  return tmp;
}

/**
 * The test at a site that `o` (a name or a literal) is a Lua table. Not `instanceof`: interpreted and baseline
 * code look Symbol.hasInstance up generically for it (4 % of deltablue's main thread, which spends a third of
 * its time there before TurboFan is done), where `typeof` is one bytecode and a field load an inline cache.
 * Only tables have an `arr` field; host objects (LuaObject) and functions have none, and nil is `undefined`.
 */
export function tableTest(o: t.Expression): t.Expression {
  return t.logicalExpression('&&', objectTest(o),
    t.binaryExpression('!==', t.memberExpression(o, t.identifier('arr')), t.identifier('undefined')));
}

/**
 * The first half of tableTest, enough where a shape test follows: a site's cached shape is a Shape or null,
 * and only tables have a `shape` field (elsewhere it reads as undefined).
 */
export function objectTest(o: t.Expression): t.Expression {
  return t.logicalExpression('&&', t.binaryExpression('===', t.unaryExpression('typeof', o), t.stringLiteral('object')),
    t.binaryExpression('!==', o, t.nullLiteral()));
}

/** objectTest(o) as text, for the templates written as text. */
export const objectTestText = (o: string) => `typeof ${o} === "object" && ${o} !== null`;

/**
 * `typeof a === 'number' && typeof b === 'number' ? a OP b : $slow(a, b, site)` written out at the site,
 * so a function full of arithmetic does not depend on V8's inlining budget. Literal operands need no test.
 */
function numericFastPath(fc: FnCtx, jsOp: t.BinaryExpression['operator'], slow: string, l: t.Expression, r: t.Expression,
  ln: Node, rn: Node, s: t.Identifier): t.Expression {
  const setup: t.Expression[] = [];
  const a = operand(fc, l, setup), b = operand(fc, r, setup);
  if (jsOp !== '**') {
    // As text: `typeof a === "number" && typeof b === "number" ? a OP b : $slow(a, b, S)`.
    const p = BINARY[jsOp]!;
    const parts: (string | t.Expression)[] = [];
    const mins: number[] = [];
    const put = (x: string | t.Expression, min = 0) => { parts.push(x); mins.push(min); };
    const tl = !isNumberExpr(fc, ln), tr = !isNumberExpr(fc, rn);
    const slowName = fc.m.rt(slow).name;
    if (tl) { put('typeof '); put(a, UNARY); put(' === "number"'); }
    if (tl && tr) put(' && ');
    if (tr) { put('typeof '); put(b, UNARY); put(' === "number"'); }
    if (tl || tr) put(' ? ');
    put(a, p); put(` ${jsOp} `); put(b, p + 1);
    if (tl || tr) { put(` : ${slowName}(`); put(a, ASSIGN); put(', '); put(b, ASSIGN); put(`, ${s.name})`); }
    const body = t.template(parts, mins, tl || tr ? COND : p);
    return setup.length ? t.sequenceExpression([...setup, body]) : body;
  }
  const tests: t.Expression[] = [];
  if (!isNumberExpr(fc, ln)) tests.push(t.binaryExpression('===', t.unaryExpression('typeof', a), t.stringLiteral('number')));
  if (!isNumberExpr(fc, rn)) tests.push(t.binaryExpression('===', t.unaryExpression('typeof', b), t.stringLiteral('number')));
  const fast = t.binaryExpression(jsOp, a, b);
  const call = t.callExpression(fc.m.rt(slow), [a, b, s]);
  const body = tests.length === 0 ? fast : t.conditionalExpression(tests.reduce((x, y) => t.logicalExpression('&&', x, y)), fast, call);
  return setup.length ? t.sequenceExpression([...setup, body]) : body;
}


const SIMPLE = new Set(['Identifier', 'NumericLiteral', 'StringLiteral', 'BooleanLiteral', 'NilLiteral', 'VarargLiteral']);

/**
 * Both operands of a binary operator, in PUC Lua's order: a local of the running function is read
 * from its register when the operator runs, i.e. after the right operand (whose calls may assign it
 * through a closure); an upvalue is copied first. `wrap` receives the operand expressions and the
 * result is preceded by the temporaries that fix the order.
 */
function withOperands(fc: FnCtx, ln: Node, rn: Node, wrap: (l: t.Expression, r: t.Expression) => t.Expression): t.Expression {
  const l = expr(fc, ln), r = expr(fc, rn);
  if (ln.type !== 'Identifier' || SIMPLE.has(rn.type)) return wrap(l, r);
  const b = fc.binding(ln);
  const tmp = fc.temp();
  if (b && b.fn === fc.info) return t.sequenceExpression([t.assignmentExpression('=', tmp, r), wrap(l, tmp)]);
  const tl = fc.temp();
  return t.sequenceExpression([t.assignmentExpression('=', tl, l), t.assignmentExpression('=', tmp, r), wrap(tl, tmp)]);
}

const isPrimitiveLiteral = (e: Node) => ['NilLiteral', 'BooleanLiteral', 'NumericLiteral', 'StringLiteral'].includes(e.type);

function equality(fc: FnCtx, a: Node, b: Node): t.Expression {
  return withOperands(fc, a, b, (l, r) => equalityOf(fc, a, b, l, r));
}

function equalityOf(fc: FnCtx, a: Node, b: Node, l: t.Expression, r: t.Expression): t.Expression {
  // A literal or a number is never a table, so no __eq can apply.
  if (isPrimitiveLiteral(a) || isPrimitiveLiteral(b) || isNumberExpr(fc, a) || isNumberExpr(fc, b)) return t.binaryExpression('===', l, r);
  if (fc.yieldableOps) {
    const tl = fc.temp(), tr = fc.temp(), q = fc.temp();
    return t.sequenceExpression([
      t.assignmentExpression('=', tl, l), t.assignmentExpression('=', tr, r),
      t.conditionalExpression(
        t.binaryExpression('!==', t.assignmentExpression('=', q, t.callExpression(fc.m.rt('eqQ'), [tl, tr])), fc.m.rt('MM')),
        q, t.yieldExpression(t.callExpression(fc.m.rt('eqG'), [tl, tr]), true)),
    ]);
  }
  // Equal values, or two objects that may have __eq: `a === b || typeof a === "object" && typeof b === "object" && $eq(a, b)`.
  const setup: t.Expression[] = [];
  const x = operand(fc, l, setup), y = operand(fc, r, setup);
  const objects = t.logicalExpression('&&', t.binaryExpression('===', t.unaryExpression('typeof', x), t.stringLiteral('object')),
    t.binaryExpression('===', t.unaryExpression('typeof', y), t.stringLiteral('object')));
  const test = t.logicalExpression('||', t.binaryExpression('===', x, y), t.logicalExpression('&&', objects, t.callExpression(fc.m.rt('eq'), [x, y])));
  return setup.length ? t.sequenceExpression([...setup, test]) : test;
}

function compare(fc: FnCtx, op: string, e: Node): t.Expression {
  const s = fc.m.site(lineOf(e), fc.describe(e.left), fc.describe(e.right));
  return withOperands(fc, e.left, e.right, (l, r) => compareOf(fc, op, e, l, r, s));
}

function compareOf(fc: FnCtx, op: string, e: Node, l: t.Expression, r: t.Expression, s: t.Identifier): t.Expression {
  const name = op === '<' ? 'lt' : op === '<=' ? 'le' : op === '>' ? 'gt' : 'ge';
  // Two numbers cannot reach a metamethod, so they compare at the site in yieldable code too.
  const nl = isNumberExpr(fc, e.left), nr = isNumberExpr(fc, e.right);
  if (nl && nr || !fc.yieldableOps && (nl || nr)) {
    return numericFastPath(fc, op as t.BinaryExpression['operator'], name, l, r, e.left, e.right, s);
  }
  if (!fc.yieldableOps) return orderFastPath(fc, op as t.BinaryExpression['operator'], name, l, r, s);
  // a > b is b < a; keep Lua's left-to-right evaluation with temps.
  const tl = fc.temp(), tr = fc.temp();
  const swap = op === '>' || op === '>=';
  const event = op === '<' || op === '>' ? '__lt' : '__le';
  const [x, y] = swap ? [tr, tl] : [tl, tr];
  return t.sequenceExpression([
    t.assignmentExpression('=', tl, l), t.assignmentExpression('=', tr, r),
    opCall(fc, 'order', [x, y], s, 'order', [t.stringLiteral(event)]),
  ]);
}

/**
 * a < b between two numbers or two strings at the site (byte strings compare like Lua's strcmp in the C
 * locale): `typeof a === typeof b && (typeof a === "number" || typeof a === "string") ? a < b : $lt(a, b, S)`.
 */
function orderFastPath(fc: FnCtx, op: t.BinaryExpression['operator'], name: string, l: t.Expression, r: t.Expression, s: t.Identifier): t.Expression {
  const setup: t.Expression[] = [];
  const a = operand(fc, l, setup), b = operand(fc, r, setup);
  const ta = t.unaryExpression('typeof', a);
  const same = t.logicalExpression('&&', t.binaryExpression('===', ta, t.unaryExpression('typeof', b)),
    t.logicalExpression('||', t.binaryExpression('===', ta, t.stringLiteral('number')), t.binaryExpression('===', t.unaryExpression('typeof', a), t.stringLiteral('string'))));
  const body = t.conditionalExpression(same, t.binaryExpression(op, a, b), t.callExpression(fc.m.rt(name), [a, b, s]));
  return setup.length ? t.sequenceExpression([...setup, body]) : body;
}

/** Table constructor: positional values go to the array part in order, the last may expand. */
function table(fc: FnCtx, e: Node): t.Expression {
  const fields: Node[] = e.fields;
  if (fields.length === 0) return t.newExpression(fc.m.rt('LuaTable'), []);
  const positional = fields.filter((f) => f.type === 'TableValue');
  const keyed = fields.filter((f) => f.type !== 'TableValue');
  const onlyPositional = keyed.length === 0;
  if (onlyPositional) {
    const { items, spread } = exprList(fc, positional.map((f) => f.value));
    const arr = t.arrayExpression(spread ? [...items, t.spreadElement(spread)] : items);
    return t.callExpression(t.memberExpression(fc.m.rt('LuaTable'), t.identifier('adopt')), [arr]);
  }
  // {x = 1, y = 2, ...positional}: constant distinct string keys first get a compile-time shape.
  const constKey = (f: Node): string | null =>
    f.type === 'TableKeyString' ? f.key.name : f.type === 'TableKey' && f.key.type === 'StringLiteral' ? f.key.value : null;
  const names = keyed.map(constKey);
  const firstPositional = fields.findIndex((f) => f.type === 'TableValue');
  if (names.every((n) => n !== null) && new Set(names).size === names.length && names.length <= 32 &&
      (firstPositional < 0 || firstPositional >= keyed.length)) {
    const slots = t.arrayExpression(keyed.map((f) => expr(fc, f.value)));
    const args: t.Expression[] = [fc.m.shape(names as string[]), slots];
    if (positional.length) {
      const { items, spread } = exprList(fc, positional.map((f) => f.value));
      args.push(t.arrayExpression(spread ? [...items, t.spreadElement(spread)] : items));
    }
    const rec = t.callExpression(t.memberExpression(fc.m.rt('LuaTable'), t.identifier('record')), args);
    if (!positional.length) return rec;
    // The positional part may end in nils: normalise like `adopt` does.
    return t.callExpression(fc.m.rt('trimArray'), [rec]);
  }
  // Mixed constructor: evaluate fields in source order into a fresh table.
  const tmp = fc.temp();
  const seq: t.Expression[] = [t.assignmentExpression('=', tmp, t.newExpression(fc.m.rt('LuaTable'), []))];
  let n = 0;
  fields.forEach((f, i) => {
    const s = fc.m.site(lineOf(f), '');
    if (f.type === 'TableValue') {
      const last = i === fields.length - 1;
      if (last && isMultiNode(f.value)) {
        seq.push(t.callExpression(fc.m.rt('tableAppend'), [tmp, t.numericLiteral(n + 1), multiValues(fc, f.value)]));
      } else {
        n++;
        seq.push(t.callExpression(t.memberExpression(tmp, t.identifier('set')), [t.numericLiteral(n), expr(fc, f.value)]));
      }
    } else {
      const key = f.type === 'TableKeyString' ? t.stringLiteral(f.key.name) : expr(fc, f.key);
      seq.push(t.callExpression(fc.m.rt('rawsetChecked'), [tmp, key, expr(fc, f.value), s]));
    }
  });
  seq.push(tmp);
  return t.sequenceExpression(seq);
}

/** All values of a multi-value expression (call or `...`) as a JS array expression. */
export function multiValues(fc: FnCtx, e: Node): t.Expression {
  if (e.type === 'VarargLiteral') return fc.vararg ?? t.arrayExpression([]);
  return compileCall(fc, e, 'all');
}

/** An expression list: each but the last gives one value; a trailing call or `...` may spread. */
export function exprList(fc: FnCtx, list: Node[]): { items: t.Expression[]; spread: t.Expression | null } {
  if (list.length === 0) return { items: [], spread: null };
  const last = list[list.length - 1];
  if (isMultiNode(last)) {
    return { items: list.slice(0, -1).map((e) => expr(fc, e)), spread: multiValues(fc, last) };
  }
  return { items: list.map((e) => expr(fc, e)), spread: null };
}
