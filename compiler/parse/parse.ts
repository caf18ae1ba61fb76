// Front end: typed Lua source → erased Lua (same positions) → luaparse AST, plus the type declarations.

import { createRequire } from 'node:module';
import { eraseTypes, type TypeDecl } from './erase.js';
import { LuaSyntaxError, stringValue } from './lexer.js';
import { Loc, type Node } from './ast.js';

export interface Parsed {
  ast: Node;
  /**
   * Type declarations, in source order; the k-th `§()` marker statement (in source order) stands for types[k],
   * and each declaration's line/column is its marker's position.
   */
  types: TypeDecl[];
  /** The erased source (what luaparse saw). */
  code: string;
}

// luaparse is CommonJS and loaded on first use: `lunac check` with a warm cache never parses.
const require = createRequire(import.meta.url);
let luaparse: typeof import('luaparse') | null = null;

export class ParseError extends Error {
  constructor(message: string, public line: number, public column: number) {
    super(message);
  }
}

export function parseLua(src: string): Parsed {
  let erased: { code: string; types: TypeDecl[] };
  try {
    erased = eraseTypes(src);
  } catch (e) {
    if (e instanceof LuaSyntaxError) throw new ParseError(e.message, e.line, e.column);
    throw e;
  }
  let ast: Node;
  try {
    luaparse ??= require('luaparse') as typeof import('luaparse');
    const code = erased.code;
    const pos = new Positions(code);
    ast = luaparse.parse(code, {
      luaVersion: '5.3',
      locations: true,
      // No `range` arrays (two objects per node, kept as long as the AST): markParens derives offsets from `loc`.
      ranges: false,
      comments: false,
      scope: false,
      // luaparse's 'pseudo-latin1' mode mistakes a string "end" for the keyword, so literals are
      // decoded from their raw text by our lexer (same Lua 5.3 escape rules, bytes 0-255).
      encodingMode: 'none',
      extendedIdentifiers: true,
      // Nodes arrive complete (children and ranges set): parentheses are marked here, not in a second walk.
      onCreateNode: (n: Node) => {
        n.loc = packLoc(n.loc as unknown as LuaparseLoc);
        if (n.type === 'StringLiteral') n.value = stringValue(n.raw);
        else markParens(n, code, pos);
      },
    } as any) as unknown as Node;
  } catch (e: any) {
    if (e && typeof e.line === 'number') {
      const msg = String(e.message).replace(/^\[\d+:\d+\]\s*/, '');
      throw new ParseError(msg, e.line, e.column);
    }
    throw e;
  }
  return { ast, types: erased.types, code: erased.code };
}

type LuaparseLoc = { start: { line: number; column: number }; end: { line: number; column: number } };
const packLoc = (l: LuaparseLoc) => new Loc(l.start.line, l.start.column, l.end.line, l.end.column);

// ---- parentheses around multi-value expressions ----

const multi = (n: Node | undefined) =>
  !!n && (n.type === 'CallExpression' || n.type === 'StringCallExpression' || n.type === 'TableCallExpression' || n.type === 'VarargLiteral');

/** Count '(' between `from` and `to`, skipping whitespace and comments. */
function parensBetween(code: string, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) {
    const c = code.charCodeAt(i);
    if (c === 40) n++;
    else if (c === 45 && code.charCodeAt(i + 1) === 45) {
      const m = /^--\[(=*)\[/.exec(code.slice(i, i + 260));
      if (m) {
        const end = code.indexOf(']' + m[1] + ']', i + m[0].length);
        i = end < 0 ? to : end + m[1].length + 1;
      } else {
        const nl = code.indexOf('\n', i);
        i = nl < 0 ? to : nl;
      }
    }
  }
  return n;
}

/** Source offsets of nodes from their `loc`, counting line breaks as luaparse does (\r\n and \n\r are one). */
class Positions {
  private readonly lineStarts: number[] = [0];
  constructor(code: string) {
    const starts = this.lineStarts;
    for (let i = 0; i < code.length; i++) {
      const c = code.charCodeAt(i);
      if (c !== 10 && c !== 13) continue;
      const d = code.charCodeAt(i + 1);
      if ((c === 10 && d === 13) || (c === 13 && d === 10)) i++;
      starts.push(i + 1);
    }
  }
  start(n: Node): number {
    const l = n.loc!;
    return this.lineStarts[l.line - 1]! + l.column;
  }
  end(n: Node): number {
    const l = n.loc!;
    return this.lineStarts[l.endLine - 1]! + l.endColumn;
  }
}

/** Mark the last expression of a list as parenthesised when the source has extra '(' before it. */
function checkLast(list: Node[], code: string, pos: Positions, listStart: number, expected: number): void {
  const last = list[list.length - 1];
  if (!multi(last)) return;
  const prev = list.length > 1 ? pos.end(list[list.length - 2]) : listStart;
  const exp = list.length > 1 ? 0 : expected;
  if (parensBetween(code, prev, pos.start(last)) > exp) last.inParens = true;
}

/** Mark the parenthesised multi-value expression at the end of `n`'s lists, if any (one node, not its children). */
function markParens(n: any, code: string, pos: Positions): void {
  switch (n.type) {
    case 'CallExpression':
      if (n.arguments.length) checkLast(n.arguments, code, pos, pos.end(n.base), 1);
      break;
    case 'ReturnStatement':
      if (n.arguments.length) checkLast(n.arguments, code, pos, pos.start(n) + 6, 0);
      break;
    case 'LocalStatement':
    case 'AssignmentStatement':
      if (n.init.length) checkLast(n.init, code, pos, pos.end(n.variables[n.variables.length - 1]), 0);
      break;
    case 'TableConstructorExpression': {
      const last = n.fields[n.fields.length - 1];
      if (last && last.type === 'TableValue') {
        const prev = n.fields.length > 1 ? pos.end(n.fields[n.fields.length - 2]) : pos.start(n) + 1;
        if (multi(last.value) && parensBetween(code, prev, pos.start(last.value)) > 0) last.value.inParens = true;
      }
      break;
    }
    case 'ForGenericStatement':
      if (n.iterators.length) checkLast(n.iterators, code, pos, pos.end(n.variables[n.variables.length - 1]), 0);
      break;
  }
}
