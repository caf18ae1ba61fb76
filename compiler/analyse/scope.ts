// Scope resolution: every Identifier node resolves to a local Binding or to a global (null).
// Also records, per function, its bindings and whether it uses varargs or goto, and for each local
// whether it is ever reassigned (a never-reassigned `local function` can be called directly).

import type { Loc, Node } from '../parse/ast.js';
import type { TypeDecl } from '../parse/erase.js';
import { typeRefs } from '../parse/type-parser.js';
import { inferNumbers } from './numbers.js';

export interface Binding {
  name: string;
  /** Unique JS identifier for this local. */
  js: string;
  fn: FnInfo;
  /** Assigned after its declaration (a loop variable or local function that is never reassigned is fixed). */
  reassigned: boolean;
  /** The function literal it was declared with (`local function f`, `local f = function`), if any. */
  funcValue: Node | null;
  /** Referenced from a nested function. */
  captured: boolean;
  /** The single expression a `local` was initialised with (for `local yield = coroutine.yield`). */
  init: Node | null;
  /** The control variable of a numeric `for` (a number unless the body assigns it). */
  numericFor: boolean;
  /** Assignments after the declaration, and the value of the last one when it is known (a single one). */
  assigns: number;
  assigned: Node | null;
  /** The value of every assignment after the declaration, in source order; null where it is not one expression. */
  values: (Node | null)[];
  /** Always holds a number (numbers.ts): arithmetic and comparisons on it need no type test. */
  number: boolean;
  /** Where the declaring name is written (null for implicit ones such as `self`). */
  declLoc: Loc | null;
}

/**
 * The function a local always holds once set: `local function f`, `local f = function`, or a forward
 * declaration `local f` assigned exactly one function later (`f = function … end`, `function f() … end`).
 * Before that assignment the local is nil, which only matters to code that calls it too early.
 */
export function fixedFunction(b: Binding): Node | null {
  if (!b.reassigned) return b.funcValue;
  return b.init === null && b.funcValue === null && b.assigns === 1 && b.assigned?.type === 'FunctionDeclaration' ? b.assigned : null;
}

export interface FnInfo {
  node: Node;
  parent: FnInfo | null;
  /** JS name of the function (for stack traces): `name$N`. */
  js: string;
  luaName: string;
  hasGoto: boolean;
  /** Parameter bindings in order (`self` first for methods). */
  params: Binding[];
}

export interface TypeMarker {
  decl: TypeDecl;
  binding: Binding;
  /** Resolution of each name in typeRefs(decl.node): a local binding or null for a global. */
  refs: (Binding | null)[];
}

export interface Scopes {
  refs: Map<Node, Binding | null>;
  /** Declared binding of each declaring Identifier node. */
  decls: Map<Node, Binding>;
  fns: Map<Node, FnInfo>;
  main: FnInfo;
  /** `§()` marker statements → their type declaration. */
  markers: Map<Node, TypeMarker>;
}

export const isMarker = (s: Node) =>
  s.type === 'CallStatement' && s.expression.type === 'CallExpression' && s.expression.base.type === 'Identifier' && s.expression.base.name === '§';

export function resolveScopes(chunk: Node, types: TypeDecl[]): Scopes {
  const refs = new Map<Node, Binding | null>();
  const decls = new Map<Node, Binding>();
  const fns = new Map<Node, FnInfo>();
  const markers = new Map<Node, TypeMarker>();
  let counter = 0;
  // Markers are met in hoisting order (a block's own before nested ones), not source order: find each by position.
  const declAt = new Map<string, TypeDecl>();
  for (const d of types) declAt.set(`${d.line}:${d.column}`, d);
  // `M.f` becomes `M$f$N` (error.ts turns `$` back into `.` in tracebacks); other characters are escaped.
  const jsName = (name: string) =>
    `${name.replace(/\./g, '$').replace(/[^A-Za-z0-9_$]/g, (c) => '_x' + c.charCodeAt(0).toString(16))}$${++counter}`;

  type Scope = Map<string, Binding>;
  const scopes: Scope[] = [];
  let fn: FnInfo = { node: chunk, parent: null, js: 'chunk', luaName: 'main chunk', hasGoto: false, params: [] };
  fns.set(chunk, fn);
  const main = fn;

  const lookup = (name: string): Binding | null => {
    for (let i = scopes.length - 1; i >= 0; i--) {
      const b = scopes[i].get(name);
      if (b) return b;
    }
    return null;
  };
  const declare = (id: Node, funcValue: Node | null = null, init: Node | null = null): Binding => {
    const b: Binding = { name: id.name, js: jsName(id.name), fn, reassigned: false, funcValue, captured: false, init, numericFor: false, assigns: 0, assigned: null, values: [], number: false, declLoc: id.loc ?? null };
    scopes[scopes.length - 1].set(id.name, b);
    decls.set(id, b);
    return b;
  };
  const ref = (id: Node): void => {
    const b = lookup(id.name);
    refs.set(id, b);
    if (b && b.fn !== fn) b.captured = true;
  };
  const assign = (id: Node, value: Node | null = null): void => {
    ref(id);
    const b = refs.get(id);
    if (b) {
      b.reassigned = true;
      b.assigns++;
      b.assigned = value;
      b.values.push(value);
    }
  };

  /** A block scope; `before` declares loop variables, `after` sees the block's locals (repeat's `until`). */
  const block = (body: Node[], before?: () => void, after?: () => void): void => {
    scopes.push(new Map());
    // Type declarations are hoisted to the top of their block.
    for (const s of body) {
      if (isMarker(s)) {
        const decl = declAt.get(`${s.loc!.line}:${s.loc!.column}`)!;
        const id = { type: 'Identifier', name: decl.name } as Node;
        markers.set(s, { decl, binding: declare(id), refs: [] });
      }
    }
    before?.();
    for (const s of body) stat(s);
    after?.();
    scopes.pop();
  };

  const func = (node: Node, name: string, selfParam: boolean): void => {
    const info: FnInfo = { node, parent: fn, js: jsName(name || 'anonymous'), luaName: name, hasGoto: false, params: [] };
    fns.set(node, info);
    const saved = fn;
    fn = info;
    scopes.push(new Map());
    if (selfParam) info.params.push(declare({ type: 'Identifier', name: 'self' } as Node));
    for (const p of node.parameters) if (p.type === 'Identifier') info.params.push(declare(p));
    block(node.body);
    scopes.pop();
    fn = saved;
  };

  const funcName = (id: Node | null): string => {
    if (!id) return '';
    if (id.type === 'Identifier') return id.name;
    if (id.type === 'MemberExpression') return `${funcName(id.base)}.${id.identifier.name}`;
    return '';
  };

  const expr = (e: Node | null | undefined): void => {
    if (!e) return;
    switch (e.type) {
      case 'Identifier': ref(e); break;
      case 'FunctionDeclaration': func(e, '', false); break;
      case 'BinaryExpression': case 'LogicalExpression': expr(e.left); expr(e.right); break;
      case 'UnaryExpression': expr(e.argument); break;
      case 'MemberExpression': expr(e.base); break;
      case 'IndexExpression': expr(e.base); expr(e.index); break;
      case 'CallExpression': expr(e.base); e.arguments.forEach(expr); break;
      case 'TableCallExpression': expr(e.base); expr(e.arguments); break;
      case 'StringCallExpression': expr(e.base); break;
      case 'TableConstructorExpression':
        for (const f of e.fields) {
          if (f.type === 'TableKey') expr(f.key);
          expr(f.value);
        }
        break;
      default: break; // literals, varargs
    }
  };

  const stat = (s: Node): void => {
    switch (s.type) {
      case 'LocalStatement':
        s.init.forEach(expr);
        s.variables.forEach((v: Node, i: number) => {
          const init = s.init[i];
          const single = s.variables.length === s.init.length ? init : null;
          declare(v, single && single.type === 'FunctionDeclaration' ? single : null, single);
        });
        break;
      case 'AssignmentStatement':
        s.init.forEach(expr);
        s.variables.forEach((v: Node, i: number) => {
          if (v.type === 'Identifier') assign(v, s.variables.length === s.init.length ? s.init[i] : null);
          else expr(v);
        });
        break;
      case 'CallStatement':
        if (markers.has(s)) {
          // Names in a type resolve where it is written: locals declared above it (`local lib = require(…)`) count.
          const m = markers.get(s)!;
          m.refs = typeRefs(m.decl.node).map((n) => lookup(n));
        } else expr(s.expression);
        break;
      case 'FunctionDeclaration':
        if (s.isLocal) {
          declare(s.identifier, s);
          func(s, s.identifier.name, false);
        } else {
          const id = s.identifier;
          if (id.type === 'Identifier') assign(id, s);
          else expr(id.base);
          func(s, funcName(id), id.type === 'MemberExpression' && id.indexer === ':');
        }
        break;
      case 'ReturnStatement': s.arguments.forEach(expr); break;
      case 'IfStatement':
        for (const c of s.clauses) {
          if (c.condition) expr(c.condition);
          block(c.body);
        }
        break;
      case 'WhileStatement': expr(s.condition); block(s.body); break;
      case 'DoStatement': block(s.body); break;
      case 'RepeatStatement':
        // `until` sees the body's locals.
        block(s.body, undefined, () => expr(s.condition));
        break;
      case 'ForNumericStatement':
        expr(s.start); expr(s.end); expr(s.step);
        block(s.body, () => { declare(s.variable).numericFor = true; });
        break;
      case 'ForGenericStatement':
        s.iterators.forEach(expr);
        block(s.body, () => { s.variables.forEach((v: Node) => declare(v)); });
        break;
      case 'GotoStatement': case 'LabelStatement': fn.hasGoto = true; break;
      default: break; // break
    }
  };

  scopes.push(new Map());
  block(chunk.body);
  scopes.pop();
  inferNumbers(decls.values(), refs);
  return { refs, decls, fns, main, markers };
}
