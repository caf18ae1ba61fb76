// Babel node builders for codegen. They build plain node objects directly instead of going through
// @babel/types' builders, whose per-field validation (identifier names, node types) cost about a fifth of
// compile time on large files; the printer (print.ts) only reads the fields set here. @babel/types is only
// used for its TypeScript types.

import type * as babel from '@babel/types';
import type { Printer } from './print.js';

type Expr = babel.Expression;

const identifier = (name: string): babel.Identifier => ({ type: 'Identifier', name }) as babel.Identifier;

const stringLiteral = (value: string): babel.StringLiteral => {
  // Plain printable ASCII can be printed as is; the generator uses `extra.raw` and skips escaping.
  const raw = /^[ !#-[\]-~]*$/.test(value) ? `"${value}"` : undefined;
  return (raw ? { type: 'StringLiteral', value, extra: { raw, rawValue: value } } : { type: 'StringLiteral', value }) as babel.StringLiteral;
};

const numericLiteral = (value: number): babel.NumericLiteral => ({ type: 'NumericLiteral', value }) as babel.NumericLiteral;

const memberExpression = (object: Expr, property: Expr | babel.Identifier, computed = false): babel.MemberExpression =>
  ({ type: 'MemberExpression', object, property, computed, optional: null }) as unknown as babel.MemberExpression;

const callExpression = (callee: Expr, args: (Expr | babel.SpreadElement)[]): babel.CallExpression =>
  ({ type: 'CallExpression', callee, arguments: args, optional: null }) as unknown as babel.CallExpression;

const binaryExpression = (operator: babel.BinaryExpression['operator'], left: Expr, right: Expr): babel.BinaryExpression =>
  ({ type: 'BinaryExpression', operator, left, right }) as babel.BinaryExpression;

const logicalExpression = (operator: babel.LogicalExpression['operator'], left: Expr, right: Expr): babel.LogicalExpression =>
  ({ type: 'LogicalExpression', operator, left, right }) as babel.LogicalExpression;

const conditionalExpression = (test: Expr, consequent: Expr, alternate: Expr): babel.ConditionalExpression =>
  ({ type: 'ConditionalExpression', test, consequent, alternate }) as babel.ConditionalExpression;

const assignmentExpression = (operator: string, left: babel.LVal, right: Expr): babel.AssignmentExpression =>
  ({ type: 'AssignmentExpression', operator, left, right }) as babel.AssignmentExpression;

const sequenceExpression = (expressions: Expr[]): babel.SequenceExpression =>
  ({ type: 'SequenceExpression', expressions }) as babel.SequenceExpression;

const unaryExpression = (operator: babel.UnaryExpression['operator'], argument: Expr, prefix = true): babel.UnaryExpression =>
  ({ type: 'UnaryExpression', operator, argument, prefix }) as babel.UnaryExpression;

const expressionStatement = (expression: Expr): babel.ExpressionStatement =>
  ({ type: 'ExpressionStatement', expression }) as babel.ExpressionStatement;

// The rest of what codegen builds, equally plain (codegen/print.ts reads exactly these fields).
type S = babel.Statement;
const node = <T>(o: object): T => o as T;
const variableDeclarator = (id: babel.LVal, init: Expr | null = null) => node<babel.VariableDeclarator>({ type: 'VariableDeclarator', id, init });
const variableDeclaration = (kind: 'var' | 'let' | 'const', declarations: babel.VariableDeclarator[]) =>
  node<babel.VariableDeclaration>({ type: 'VariableDeclaration', kind, declarations });
const blockStatement = (body: S[]) => node<babel.BlockStatement>({ type: 'BlockStatement', body, directives: [] });
const returnStatement = (argument: Expr | null = null) => node<babel.ReturnStatement>({ type: 'ReturnStatement', argument });
const ifStatement = (test: Expr, consequent: S, alternate: S | null = null) => node<babel.IfStatement>({ type: 'IfStatement', test, consequent, alternate });
const arrayExpression = (elements: (Expr | babel.SpreadElement | null)[] = []) => node<babel.ArrayExpression>({ type: 'ArrayExpression', elements });
const spreadElement = (argument: Expr) => node<babel.SpreadElement>({ type: 'SpreadElement', argument });
const yieldExpression = (argument: Expr | null = null, delegate = false) => node<babel.YieldExpression>({ type: 'YieldExpression', argument, delegate });
const booleanLiteral = (value: boolean) => node<babel.BooleanLiteral>({ type: 'BooleanLiteral', value });
const nullLiteral = () => node<babel.NullLiteral>({ type: 'NullLiteral' });
const functionExpression = (id: babel.Identifier | null | undefined, params: (babel.Identifier | babel.RestElement | babel.Pattern)[], body: babel.BlockStatement, generator = false, async = false) =>
  node<babel.FunctionExpression>({ type: 'FunctionExpression', id: id ?? null, params, body, generator, async });
const arrowFunctionExpression = (params: (babel.Identifier | babel.RestElement | babel.Pattern)[], body: babel.BlockStatement | Expr, async = false) =>
  node<babel.ArrowFunctionExpression>({ type: 'ArrowFunctionExpression', params, body, async, expression: body.type !== 'BlockStatement' });
const restElement = (argument: babel.LVal) => node<babel.RestElement>({ type: 'RestElement', argument });
const forStatement = (init: babel.VariableDeclaration | Expr | null | undefined, test: Expr | null | undefined, update: Expr | null | undefined, body: S) =>
  node<babel.ForStatement>({ type: 'ForStatement', init: init ?? null, test: test ?? null, update: update ?? null, body });
const whileStatement = (test: Expr, body: S) => node<babel.WhileStatement>({ type: 'WhileStatement', test, body });
const labeledStatement = (label: babel.Identifier, body: S) => node<babel.LabeledStatement>({ type: 'LabeledStatement', label, body });
const breakStatement = (label: babel.Identifier | null = null) => node<babel.BreakStatement>({ type: 'BreakStatement', label });
const continueStatement = (label: babel.Identifier | null = null) => node<babel.ContinueStatement>({ type: 'ContinueStatement', label });
const updateExpression = (operator: '++' | '--', argument: Expr, prefix = false) => node<babel.UpdateExpression>({ type: 'UpdateExpression', operator, argument, prefix });
const newExpression = (callee: Expr, args: (Expr | babel.SpreadElement)[]) => node<babel.NewExpression>({ type: 'NewExpression', callee, arguments: args });
const objectProperty = (key: Expr, value: Expr | babel.PatternLike, computed = false, shorthand = false) =>
  node<babel.ObjectProperty>({ type: 'ObjectProperty', key, value, computed, shorthand });
const objectPattern = (properties: (babel.ObjectProperty | babel.RestElement)[]) => node<babel.ObjectPattern>({ type: 'ObjectPattern', properties });
const program = (body: S[]) => node<babel.Program>({ type: 'Program', body, directives: [], sourceType: 'script' });

/**
 * Source text printed as is (codegen/print.ts), with the precedence of its top operator (print.ts's scale;
 * default: a primary expression). For what nothing inspects after codegen: site constants, type
 * descriptors, inline-cache reads. Building them as text saves a dozen nodes each.
 */
const raw = (text: string, prec?: number): Expr => ({ type: 'Raw', text, prec }) as unknown as Expr;

// Type guards (the few codegen uses; @babel/types itself takes ~120 ms to load).
type AnyNode = { type: string } | null | undefined;
const isType = <T>(type: string) => (n: AnyNode): n is T & babel.Node => n?.type === type;
const LITERALS = new Set(['StringLiteral', 'NumericLiteral', 'NullLiteral', 'BooleanLiteral', 'RegExpLiteral', 'TemplateLiteral', 'BigIntLiteral', 'DecimalLiteral']);
const isLiteral = (n: AnyNode): n is babel.Literal => !!n && LITERALS.has(n.type);
const isIdentifier = isType<babel.Identifier>('Identifier');
const isStringLiteral = isType<babel.StringLiteral>('StringLiteral');
const isNumericLiteral = isType<babel.NumericLiteral>('NumericLiteral');
const isBooleanLiteral = isType<babel.BooleanLiteral>('BooleanLiteral');
const isUnaryExpression = isType<babel.UnaryExpression>('UnaryExpression');
const isSpreadElement = isType<babel.SpreadElement>('SpreadElement');
const isReturnStatement = isType<babel.ReturnStatement>('ReturnStatement');
const isBlockStatement = isType<babel.BlockStatement>('BlockStatement');

/**
 * Like `raw`, with embedded nodes: `parts` alternate text and nodes, `mins[i]` is the precedence node
 * part i needs (it gets parentheses below that). Nodes keep their source positions.
 */
const template = (parts: (string | Expr)[], mins: number[], prec?: number): Expr =>
  ({ type: 'Template', parts, mins, prec }) as unknown as Expr;

/** Statement text, one string per line; lines after the first are indented one more level (continuations). */
const rawStatement = (lines: string[]): babel.Statement => ({ type: 'RawStatement', lines }) as unknown as babel.Statement;

/** Like `rawStatement`, with lines made as they are printed (a large module has a hundred thousand). */
const rawLines = (count: number, line: (i: number) => string): babel.Statement =>
  ({ type: 'RawLines', count, line }) as unknown as babel.Statement;

/** Statements printed ahead (a print.ts `Printer` piece), copied in place by the printer. */
const printed = (piece: Printer): babel.Statement => ({ type: 'Printed', piece }) as unknown as babel.Statement;

export const t = {
  isLiteral, isIdentifier, isStringLiteral, isNumericLiteral, isBooleanLiteral, isUnaryExpression, isSpreadElement, isReturnStatement, isBlockStatement,
  identifier, stringLiteral, numericLiteral, memberExpression, callExpression, binaryExpression, logicalExpression,
  conditionalExpression, assignmentExpression, sequenceExpression, unaryExpression, expressionStatement, raw, template, rawStatement, rawLines, printed,
  variableDeclarator, variableDeclaration, blockStatement, returnStatement, ifStatement, arrayExpression, spreadElement,
  yieldExpression, booleanLiteral, nullLiteral, functionExpression, arrowFunctionExpression, restElement, forStatement,
  whileStatement, labeledStatement, breakStatement, continueStatement, updateExpression, newExpression, objectProperty,
  objectPattern, program,
};

/** The node types codegen names, under the same `t.` prefix as the builders. */
// eslint-disable-next-line @typescript-eslint/no-namespace
export declare namespace t {
  export type BinaryExpression = babel.BinaryExpression;
  export type BlockStatement = babel.BlockStatement;
  export type Expression = babel.Expression;
  export type FunctionExpression = babel.FunctionExpression;
  export type Identifier = babel.Identifier;
  export type Node = babel.Node;
  export type Program = babel.Program;
  export type RestElement = babel.RestElement;
  export type SourceLocation = babel.SourceLocation;
  export type SpreadElement = babel.SpreadElement;
  export type Statement = babel.Statement;
  export type StringLiteral = babel.StringLiteral;
  export type VariableDeclarator = babel.VariableDeclarator;
}
