// What the checker needs to know about one Lua chunk, computed once per distinct source text (and cached
// by content hash): its syntax error if any, every `require(...)` call, and what the chunk returns as far
// as that can be seen statically (spec §1.5 method resolution).

import { parseLua, ParseError } from '../parse/parse.js';
import { resolveScopes, type Binding, type Scopes } from '../analyse/scope.js';
import type { Node } from '../parse/ast.js';

export interface RequireCall {
  /** The literal module name; null when the argument is not a literal string. */
  name: string | null;
  line: number;
  column: number;
}

/** What the chunk returns: a function (method ignored), a table with known keys, no value, or unknown. */
export type Exports =
  | { kind: 'function' }
  | { kind: 'table'; keys: string[]; line: number; column: number }
  | { kind: 'value'; what: string; line: number; column: number }
  | { kind: 'none' }
  | { kind: 'unknown' };

export interface ChunkFacts {
  syntaxError?: { line: number; column: number; message: string };
  requires: RequireCall[];
  exports: Exports;
}

/** Parse + analyse a chunk. `parsed` is handed to the linter so a chunk is parsed once. */
export function chunkFacts(src: string): { facts: ChunkFacts; parsed?: { ast: Node; scopes: Scopes } } {
  let ast: Node, scopes: Scopes;
  try {
    const p = parseLua(src);
    ast = p.ast;
    scopes = resolveScopes(p.ast, p.types);
  } catch (e) {
    if (e instanceof ParseError) {
      return { facts: { syntaxError: { line: e.line, column: e.column + 1, message: e.message }, requires: [], exports: { kind: 'unknown' } } };
    }
    // The code generator's own checks (e.g. goto) run later; an analysis failure must not hide others.
    const msg = (e as Error).message;
    const at = /:(\d+):(\d+)/.exec(msg);
    return { facts: { syntaxError: { line: at ? +at[1] : 1, column: at ? +at[2] : 1, message: msg }, requires: [], exports: { kind: 'unknown' } } };
  }
  const parents = new Map<Node, Node>();
  const requires: RequireCall[] = [];
  walk(ast, null, (n, parent) => {
    if (parent) parents.set(n, parent);
    const call = requireCall(n, scopes);
    if (call) requires.push(call);
  });
  return { facts: { requires, exports: chunkExports(ast, scopes, parents) }, parsed: { ast, scopes } };
}

/** Visit every AST node with its parent. */
export function walk(n: Node, parent: Node | null, visit: (n: Node, parent: Node | null) => void): void {
  visit(n, parent);
  for (const k in n) {
    if (k === 'loc' || k === 'range') continue;
    const v = (n as any)[k];
    if (Array.isArray(v)) {
      for (const c of v) if (c && typeof c === 'object' && typeof c.type === 'string') walk(c, n, visit);
    } else if (v && typeof v === 'object' && typeof v.type === 'string') {
      walk(v, n, visit);
    }
  }
}

const at = (n: Node) => ({ line: n.loc!.start.line, column: n.loc!.start.column + 1 });

/** `require("x")`, `require "x"` or `require(expr)` where `require` is the global. */
function requireCall(n: Node, sc: Scopes): RequireCall | null {
  if (n.type !== 'CallExpression' && n.type !== 'StringCallExpression') return null;
  const base = n.base;
  if (base.type !== 'Identifier' || base.name !== 'require' || sc.refs.get(base) !== null) return null;
  const arg: Node | undefined = n.type === 'StringCallExpression' ? n.argument : n.arguments[0];
  const name = arg && arg.type === 'StringLiteral' ? (arg.value as string) : null;
  return { name, ...at(n) };
}

// ---- what the chunk returns ----

function chunkExports(chunk: Node, sc: Scopes, parents: Map<Node, Node>): Exports {
  const body: Node[] = chunk.body;
  const last = body[body.length - 1];
  const topReturns = countTopReturns(chunk);
  if (topReturns === 0) return { kind: 'none' };
  // A return inside a top-level `if`/`do`: the value depends on control flow.
  if (topReturns > 1 || !last || last.type !== 'ReturnStatement') return { kind: 'unknown' };
  const v: Node | undefined = last.arguments[0];
  if (!v) return { kind: 'value', what: 'nothing', ...at(last) };
  return valueExports(v, sc, parents, chunk);
}

/** Return statements of the main chunk (not inside nested functions). */
function countTopReturns(n: Node): number {
  let count = 0;
  const visit = (x: Node) => {
    if (x.type === 'ReturnStatement') count++;
    if (x.type === 'FunctionDeclaration') return;
    for (const k of ['body', 'clauses']) {
      const v = (x as any)[k];
      if (Array.isArray(v)) v.forEach(visit);
    }
  };
  (n.body as Node[]).forEach(visit);
  return count;
}

function valueExports(v: Node, sc: Scopes, parents: Map<Node, Node>, chunk: Node): Exports {
  switch (v.type) {
    case 'FunctionDeclaration':
      return { kind: 'function' };
    case 'TableConstructorExpression': {
      const keys = constructorKeys(v);
      return keys === null ? { kind: 'unknown' } : { kind: 'table', keys, ...at(v) };
    }
    case 'NilLiteral': case 'BooleanLiteral': case 'NumericLiteral': case 'StringLiteral':
      return { kind: 'value', what: LITERAL_WHAT[v.type], ...at(v) };
    case 'Identifier': {
      const b = sc.refs.get(v);
      if (!b) return { kind: 'unknown' };
      if (b.funcValue && !b.reassigned) return { kind: 'function' };
      if (b.init?.type === 'TableConstructorExpression' && !b.reassigned) {
        const keys = tableLocalKeys(b, sc, parents, chunk);
        return keys === null ? { kind: 'unknown' } : { kind: 'table', keys, ...at(v) };
      }
      return { kind: 'unknown' };
    }
    default:
      return { kind: 'unknown' };
  }
}

const LITERAL_WHAT: Record<string, string> = { NilLiteral: 'nil', BooleanLiteral: 'a boolean', NumericLiteral: 'a number', StringLiteral: 'a string' };

/** String keys of a constructor; null if any key is computed (it could be anything). */
function constructorKeys(t: Node): string[] | null {
  const keys: string[] = [];
  for (const f of t.fields as Node[]) {
    if (f.type === 'TableKeyString') keys.push(f.key.name);
    else if (f.type === 'TableKey') {
      if (f.key.type !== 'StringLiteral') return null;
      keys.push(f.key.value);
    }
  }
  return keys;
}

/**
 * Keys of a local table `M`: its constructor plus `M.k = …`, `M["k"] = …`, `function M.k()`/`M:k()`.
 * Any other use of `M` (passed to a call, aliased, indexed with a computed key) may add keys: null.
 */
function tableLocalKeys(b: Binding, sc: Scopes, parents: Map<Node, Node>, chunk: Node): string[] | null {
  const keys = constructorKeys(b.init!);
  if (keys === null) return null;
  let escaped = false;
  walk(chunk, null, (n) => {
    if (escaped || n.type !== 'Identifier' || sc.refs.get(n) !== b) return;
    const p = parents.get(n);
    if (!p) return;
    if (p.type === 'MemberExpression' && p.base === n) {
      const gp = parents.get(p);
      if (isAssignTarget(p, gp)) keys.push(p.identifier.name);
      return;
    }
    if (p.type === 'IndexExpression' && p.base === n) {
      const gp = parents.get(p);
      if (!isAssignTarget(p, gp)) return;
      if (p.index.type === 'StringLiteral') keys.push(p.index.value);
      else escaped = true;
      return;
    }
    if (p.type === 'ReturnStatement' && p === (chunk.body as Node[])[(chunk.body as Node[]).length - 1]) return;
    escaped = true;
  });
  return escaped ? null : keys;
}

function isAssignTarget(target: Node, parent: Node | undefined): boolean {
  if (!parent) return false;
  if (parent.type === 'AssignmentStatement') return (parent.variables as Node[]).includes(target);
  return parent.type === 'FunctionDeclaration' && parent.identifier === target;
}
