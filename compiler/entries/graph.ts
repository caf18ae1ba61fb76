// The entry graph (spec §1.6): `imports` and `modules` as edges, the link plan of each Lua entry (every
// reachable dependency bound as a global, deepest first, one library instance per alias), and the graph
// checks: unknown modules, unresolved or non-library imports, cycles, alias collisions, workflow classes.

import { diagnostic, type Code, type Diagnostic } from '../diagnostics.js';
import { MODULE_INFO, workflowSafe } from '../../runtime/modules/catalogue.js';
import { importsOf, isLuaEntry, modulesOf, posOf, type Entry } from './entry.js';
import type { LoadedApp } from './load.js';
import type { LinkPlan } from '../../runtime/app/image.js';

export type { LinkPlan };

function report(out: Diagnostic[], code: Code, e: Entry, path: string, msg: string): void {
  const p = posOf(e, path);
  out.push(diagnostic(code, p.file, p.line, p.column, msg, e.id));
}

/** Every graph diagnostic of the app. */
export function checkGraph(app: LoadedApp): Diagnostic[] {
  const out: Diagnostic[] = [];
  const lua = app.entries.filter(isLuaEntry);
  for (const e of lua) checkEdges(app, e, out);
  const inCycle = checkCycles(app, lua, out);
  for (const e of lua) {
    if (inCycle.has(e.id)) continue;
    checkAliases(app, e, out);
    if (e.kind === 'workflow.lua') checkWorkflow(app, e, out);
  }
  return out;
}

function checkEdges(app: LoadedApp, e: Entry, out: Diagnostic[]): void {
  modulesOf(e).forEach((m, i) => {
    if (!MODULE_INFO.has(m)) report(out, 'E0103', e, `modules.${i + 1}`, `unknown module '${m}'${suggest(m)}`);
  });
  for (const [alias, target] of importsOf(e)) {
    const t = app.byId.get(target);
    if (t === undefined) {
      if (!namespaceLoaded(app, target)) {
        report(out, 'E0111', e, `imports.${alias}`, `import '${alias}' names '${target}' in namespace '${nsOf(target)}', which is not loaded (is a dependency missing?)`);
      } else {
        report(out, 'E0104', e, `imports.${alias}`, `import '${alias}' names '${target}', which does not exist`);
      }
    } else if (t.kind !== 'library.lua') {
      report(out, 'E0105', e, `imports.${alias}`, `import '${alias}' names '${target}', a ${t.kind} (only library.lua entries can be imported)`);
    }
  }
}

/** The closest module name within edit distance 2 (the first in catalogue order on a tie). */
function suggest(m: string): string {
  let best: string | null = null, bestD = 3;
  for (const k of MODULE_INFO.keys()) {
    const d = editDistance(k, m);
    if (d < bestD && Math.abs(k.length - m.length) <= 2) [best, bestD] = [k, d];
  }
  return best === null ? '' : ` (did you mean '${best}'?)`;
}

function editDistance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...new Array(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++)
    for (let j = 1; j <= b.length; j++) d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
  return d[a.length][b.length];
}

export const nsOf = (id: string): string => id.slice(0, Math.max(0, id.indexOf(':')));

/** Does the app load any entry of this ID's namespace? (If not, a dependency is probably not installed.) */
export function namespaceLoaded(app: LoadedApp, id: string): boolean {
  const ns = nsOf(id);
  return app.entries.some((x) => x.ns === ns);
}

/** Library entries imported by `e` that exist. */
function libraryDeps(app: LoadedApp, e: Entry): [string, Entry][] {
  let out = depsCache.get(e);
  if (out !== undefined) return out;
  out = [];
  for (const [alias, target] of importsOf(e)) {
    const t = app.byId.get(target);
    if (t !== undefined && isLuaEntry(t)) out.push([alias, t]);
  }
  depsCache.set(e, out);
  return out;
}

/** Per entry object of one loaded app (a new load makes new entries). */
const depsCache = new WeakMap<Entry, [string, Entry][]>();

/** Depth-first search for import cycles; each is reported once, at the import that closes it. Returns their members. */
function checkCycles(app: LoadedApp, lua: Entry[], out: Diagnostic[]): Set<string> {
  const inCycle = new Set<string>();
  const state = new Map<string, 'open' | 'done'>();
  const stack: { e: Entry; alias: string }[] = [];
  const seen = new Set<string>();
  const visit = (e: Entry): void => {
    state.set(e.id, 'open');
    for (const [alias, t] of libraryDeps(app, e)) {
      stack.push({ e, alias });
      const s = state.get(t.id);
      if (s === 'open') {
        const from = stack.findIndex((x) => x.e.id === t.id);
        const ring = stack.slice(from);
        const ids = ring.map((x) => x.e.id);
        const key = [...ids].sort().join(' ');
        ids.forEach((id) => inCycle.add(id));
        if (!seen.has(key)) {
          seen.add(key);
          report(out, 'E0106', e, `imports.${alias}`, `import cycle: ${[...ids, t.id].join(' → ')}`);
        }
      } else if (s === undefined) {
        visit(t);
      }
      stack.pop();
    }
    state.set(e.id, 'done');
  };
  for (const e of lua) if (!state.has(e.id)) visit(e);
  return inCycle;
}

/** Bindings of everything reachable from `e`: alias → the entry (or module) that claims it, and who did. */
function bindings(app: LoadedApp, e: Entry): Map<string, { target: string; by: Entry }[]> {
  const out = new Map<string, { target: string; by: Entry }[]>();
  const add = (alias: string, target: string, by: Entry) => {
    const list = out.get(alias) ?? [];
    if (!list.some((x) => x.target === target)) list.push({ target, by });
    out.set(alias, list);
  };
  for (const n of reachable(app, e)) {
    for (const m of modulesOf(n)) add(m, ':' + m, n);
    for (const [alias, target] of importsOf(n)) add(alias, target, n);
  }
  return out;
}

/** `e` and every Lua entry it reaches through imports (cycle-safe). */
export function reachable(app: LoadedApp, e: Entry): Entry[] {
  const seen = new Map<string, Entry>([[e.id, e]]);
  const todo = [e];
  while (todo.length > 0) {
    for (const [, t] of libraryDeps(app, todo.pop()!)) {
      if (!seen.has(t.id)) {
        seen.set(t.id, t);
        todo.push(t);
      }
    }
  }
  return [...seen.values()];
}

function checkAliases(app: LoadedApp, e: Entry, out: Diagnostic[]): void {
  for (const [alias, claims] of bindings(app, e)) {
    if (claims.length < 2) continue;
    const who = claims.map((c) => `${c.by.id} binds it to ${c.target.startsWith(':') ? `module ${c.target.slice(1)}` : c.target}`).join('; ');
    const path = claims.some((c) => c.by === e) ? (e.data.imports && alias in (e.data.imports as object) ? `imports.${alias}` : 'modules') : 'imports';
    report(out, 'E0107', e, path, `alias '${alias}' is claimed twice among the dependencies of '${e.id}': ${who}`);
  }
}

/** A workflow and everything it imports may only use deterministic/workflow modules (spec §3.1). */
function checkWorkflow(app: LoadedApp, wf: Entry, out: Diagnostic[]): void {
  const via = importPaths(app, wf);
  for (const n of reachable(app, wf)) {
    modulesOf(n).forEach((m, i) => {
      const info = MODULE_INFO.get(m);
      if (info === undefined || workflowSafe(info)) return;
      const path = via.get(n.id)!;
      const chain = [...path.map((s) => s.id), `modules: ${m}`].join(' → ');
      const where = n === wf ? `modules.${i + 1}` : `imports.${path[1]?.alias ?? ''}`;
      report(out, 'E0109', wf, where, `workflow '${wf.id}' may not use module '${m}' (class ${info.classes.join(', ')}): ${chain}`);
    });
  }
}

/** For each entry reachable from `from`, one import path to it (breadth-first: the shortest). */
function importPaths(app: LoadedApp, from: Entry): Map<string, { id: string; alias: string }[]> {
  const paths = new Map([[from.id, [{ id: from.id, alias: '' }]]]);
  const queue = [from];
  while (queue.length > 0) {
    const e = queue.shift()!;
    for (const [alias, t] of libraryDeps(app, e)) {
      if (paths.has(t.id)) continue;
      paths.set(t.id, [...paths.get(e.id)!, { id: t.id, alias }]);
      queue.push(t);
    }
  }
  return paths;
}

/**
 * The link plan of a Lua entry: every module of every reachable node, and every library binding in
 * dependency order (a library's own imports are bound before it runs). Assumes checkGraph found no
 * cycle or collision.
 */
export function linkPlan(app: LoadedApp, e: Entry): LinkPlan {
  const modules = new Set<string>();
  const libraries: { alias: string; id: string }[] = [];
  const bound = new Set<string>();
  const visiting = new Set<string>();
  const visit = (n: Entry): void => {
    if (visiting.has(n.id)) return;
    visiting.add(n.id);
    for (const m of modulesOf(n)) modules.add(m);
    for (const [alias, t] of libraryDeps(app, n)) {
      visit(t);
      const key = `${alias}\0${t.id}`;
      if (!bound.has(key)) {
        bound.add(key);
        libraries.push({ alias, id: t.id });
      }
    }
    visiting.delete(n.id);
  };
  visit(e);
  return { modules: [...modules], libraries };
}
