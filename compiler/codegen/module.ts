// The chunk module: `(function lua_chunk($) { const {…} = $; const S1 = …; return function lua_env(ENV) { return
// function chunk(...va) {…} } })`. `$` (the runtime handle) and `ENV` (the chunk's global table) are the only free
// names it uses. Runtime names and inline-cache sites are bound once per module; each Lua state (a process, a
// function worker) only binds ENV, so a new state costs one closure and shares warm caches.

import { t } from './builders.js';
import type { Node } from '../parse/ast.js';
import { isMarker } from '../analyse/scope.js';
import { FnCtx, ModuleCtx } from './context.js';
import { compileBlock, stat } from './stmt.js';
import { finish, tempsDecl, fallOff } from './function.js';
import { Printer } from './print.js';

/** The chunk module; `map`: the chunk body is printed as it is compiled, with source positions (see streamBody). */
export function chunkModule(m: ModuleCtx, ast: Node, map: boolean): t.Program {
  const plain = chunkFunction(m, ast, false, map);
  const chunkExpr: t.Expression = m.susp.fns.has(ast)
    ? t.callExpression(m.rt('mkG'), [plain, chunkFunction(m, ast, true, map)])
    : plain;
  const body: t.Statement[] = [t.expressionStatement(t.stringLiteral('use strict'))];
  const used = [...m.used].sort();
  if (used.length) {
    body.push(t.variableDeclaration('const', [t.variableDeclarator(
      t.objectPattern(used.map((n) => t.objectProperty(t.identifier(n), t.identifier('$' + n)))),
      t.identifier('$'))]));
  }
  const n = m.declCount;
  if (n) body.push(t.rawLines(n, (i) => (i === 0 ? 'const ' : '') + m.declText(i) + (i === n - 1 ? ';' : ',')));
  const perEnv = t.functionExpression(t.identifier('lua_env'), [t.identifier('ENV')], t.blockStatement([t.returnStatement(chunkExpr)]));
  body.push(t.returnStatement(perEnv));
  const factory = t.functionExpression(t.identifier('lua_chunk'), [t.identifier('$')], t.blockStatement(body));
  return t.program([t.expressionStatement(factory)]);
}

function chunkFunction(m: ModuleCtx, ast: Node, gen: boolean, map: boolean): t.FunctionExpression {
  const fc = new FnCtx(m, m.sc.main, gen, t.identifier('va'));
  const body = gen ? finish(fc, compileBlock(fc, ast.body)) : streamBody(fc, ast.body, map);
  return t.functionExpression(t.identifier(gen ? 'chunk$g' : 'chunk'), [t.restElement(t.identifier('va'))], t.blockStatement(body), gen);
}

/** Indentation of the plain chunk's statements: in `lua_chunk`, `lua_env` and `chunk` (print.ts checks it). */
const CHUNK_BODY_LEVEL = 3;

/**
 * The plain chunk's body, each top-level statement printed as soon as it is compiled: its JS tree dies young
 * instead of living, and being copied by the young-generation GC, until the whole module is printed (a large
 * file's chunk is nearly all of its code). Same statements and order as `finish(fc, compileBlock(…))`.
 */
function streamBody(fc: FnCtx, body: Node[], map: boolean): t.Statement[] {
  const piece = new Printer(map, CHUNK_BODY_LEVEL);
  let last: t.Statement | undefined;
  const emit = (stmts: t.Statement[]) => {
    for (const s of stmts) piece.statement((last = s));
  };
  // A block with labels is restructured as a whole; otherwise: hoisted type declarations, then each statement.
  if (body.some((s) => s.type === 'LabelStatement')) emit(compileBlock(fc, body));
  else {
    emit(compileBlock(fc, body.filter(isMarker)));
    for (const s of body) if (!isMarker(s)) emit(stat(fc, s, false));
  }
  const end = fallOff(fc, last);
  if (end) for (const s of [...fc.recycleBefore(null), end]) piece.statement(s);
  return [...tempsDecl(fc), t.printed(piece)];
}
