// Babel node builders for codegen. The hottest ones build plain node objects directly instead of going
// through @babel/types' builders, whose per-field validation (identifier names, node types) costs about
// a fifth of compile time on large files; the generator only reads the fields set here. Everything else
// (type guards, rarer builders) is @babel/types itself.

import * as babel from '@babel/types';

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

export const t = {
  ...babel,
  identifier, stringLiteral, numericLiteral, memberExpression, callExpression, binaryExpression, logicalExpression,
  conditionalExpression, assignmentExpression, sequenceExpression, unaryExpression, expressionStatement,
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
