// The chunk module: `(function lua_chunk($) { const {…} = $; const S1 = …; return function lua_env(ENV) { return
// function chunk(...va) {…} } })`. `$` (the runtime handle) and `ENV` (the chunk's global table) are the only free
// names it uses. Runtime names and inline-cache sites are bound once per module; each Lua state (a process, a
// function worker) only binds ENV, so a new state costs one closure and shares warm caches.

import { t } from './builders.js';
import type { Node } from '../parse/ast.js';
import { FnCtx, ModuleCtx } from './context.js';
import { compileBlock } from './stmt.js';
import { finish } from './function.js';

export function chunkModule(m: ModuleCtx, ast: Node): t.Program {
  const plain = chunkFunction(m, ast, false);
  const chunkExpr: t.Expression = m.susp.fns.has(ast)
    ? t.callExpression(m.rt('mkG'), [plain, chunkFunction(m, ast, true)])
    : plain;
  const body: t.Statement[] = [t.expressionStatement(t.stringLiteral('use strict'))];
  const used = [...m.used].sort();
  if (used.length) {
    body.push(t.variableDeclaration('const', [t.variableDeclarator(
      t.objectPattern(used.map((n) => t.objectProperty(t.identifier(n), t.identifier('$' + n)))),
      t.identifier('$'))]));
  }
  if (m.siteDecls.length) body.push(t.rawStatement(m.siteDecls.map((d, i) => (i === 0 ? 'const ' : '') + d + (i === m.siteDecls.length - 1 ? ';' : ','))));
  const perEnv = t.functionExpression(t.identifier('lua_env'), [t.identifier('ENV')], t.blockStatement([t.returnStatement(chunkExpr)]));
  body.push(t.returnStatement(perEnv));
  const factory = t.functionExpression(t.identifier('lua_chunk'), [t.identifier('$')], t.blockStatement(body));
  return t.program([t.expressionStatement(factory)]);
}

function chunkFunction(m: ModuleCtx, ast: Node, gen: boolean): t.FunctionExpression {
  const fc = new FnCtx(m, m.sc.main, gen, t.identifier('va'));
  const stmts = compileBlock(fc, ast.body);
  return t.functionExpression(t.identifier(gen ? 'chunk$g' : 'chunk'), [t.restElement(t.identifier('va'))], t.blockStatement(finish(fc, stmts)), gen);
}
