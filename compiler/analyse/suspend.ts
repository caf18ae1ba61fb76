// Suspension analysis: which functions may suspend (yield, or block inside a process) and therefore get a
// generator twin, and which call sites must use the generator protocol when running inside a coroutine.
//
// The analysis is per chunk and speculative in one documented way (docs/architecture.md): a call whose
// target it cannot see (a parameter, a table field nobody in the chunk defines, ...) is assumed not to
// suspend unless some suspending function of the chunk escapes to a place the analysis cannot follow.
// Known targets are resolved by name: local functions that are never reassigned, global functions
// declared in the chunk, fields defined in the chunk (`function M.f`, `function C:m`, `{f = function}`),
// and the standard library.

import type { Node } from '../parse/ast.js';
import { fixedFunction, type Scopes } from './scope.js';

export interface SuspendInfo {
  /** Function nodes that need a generator twin. */
  fns: Set<Node>;
  /** Call nodes (and generic-for statements) that must call the generator twin in generator mode. */
  calls: Set<Node>;
  /** A suspending function is reachable through metamethods: operators in twins use the yieldable path. */
  metaTaint: boolean;
  /** Calls of coroutine.yield itself (directly or through a fixed alias): compiled to a JS `yield`. */
  yields: Set<Node>;
  /**
   * With `closedWorld`: whether this chunk keeps its side of the closed-world assumption (no function that
   * may block is stored in a table or global, or flows anywhere the analysis cannot follow; no blocking
   * host function is read as a value; no `coroutine.wrap`). Only when every chunk of an app keeps it may
   * the app be compiled with `closedWorld`.
   */
  closedWorldHolds: boolean;
}

export interface SuspendOptions {
  /**
   * Module functions: true when `lib.name` blocks (suspends), e.g. `time.sleep`; false when it is known
   * never to; undefined when not known (then the default rule applies).
   */
  blocking?: (lib: string, name: string) => boolean | undefined;
  /** Globals whose call may block (e.g. a module imported under an alias). */
  hostSuspension?: boolean;
  /** The chunk is an entry (not a library): the table it returns goes to the host only. */
  hostExports?: boolean;
  /**
   * Host mode only: the names of every blocking host function and method (module functions such as `sleep`,
   * object methods such as `receive`), given when the whole app is a closed world for blocking (see
   * `closedWorldHolds`). Deciding which calls inside loops may take a function's plain version, a call of a
   * value the analysis cannot see then blocks only if the chunk lets a blocking function escape, and
   * `x:name()` blocks only if `name` is a blocking host name or the chunk defines a blocking `name`.
   * Without it, every such call may block (a blocking function of another chunk could be behind it).
   */
  closedWorld?: ReadonlySet<string>;
}

const LIBS = new Set(['string', 'table', 'math', 'os', 'io', 'coroutine', 'utf8', 'debug', 'errors']);
const SAFE_GLOBALS = new Set([
  'print', 'type', 'tostring', 'tonumber', 'pairs', 'ipairs', 'next', 'select', 'rawget', 'rawset', 'rawequal',
  'rawlen', 'setmetatable', 'getmetatable', 'assert', 'error', 'unpack', 'require', 'load', 'loadstring', 'typeof',
  'collectgarbage',
]);

type Target =
  | { k: 'fn'; fn: Node }
  | { k: 'global'; name: string }
  | { k: 'field'; name: string }
  | { k: 'lib'; lib: string; name: string }
  | { k: 'pcall'; arg: Target }
  | { k: 'yield' }
  | { k: 'safe' }
  | { k: 'computed' }
  | { k: 'unknown' };

interface Site {
  node: Node;
  target: Target;
  /** The call is inside a loop of its function (not in a numeric `for`'s bounds or a generic `for`'s explist). */
  inLoop: boolean;
}

export function analyseSuspension(chunk: Node, sc: Scopes, opts: SuspendOptions = {}): SuspendInfo {
  const sites = new Map<Node, Site[]>(); // function node → its call sites
  const yields = new Set<Node>();
  const hasOps = new Set<Node>();
  const globalDefs = new Map<string, Node[]>();
  const dynamicGlobals = new Set<string>();
  const fieldDefs = new Map<string, Node[]>();
  const escaping = new Set<Node>(); // function literals that escape
  const metaStored = new Set<Node>(); // function literals stored under a `__*` key
  const escapingGlobals = new Set<string>();
  const escapingFields = new Set<string>();
  /** Functions with a loop (or goto): in the process host they get twins so their safepoints can pause them. */
  const loops = new Set<Node>();
  const fnStack: Node[] = [chunk];
  /** Loops of the current function around the statement being walked. */
  let loopDepth = 0;
  /** coroutine.yield itself flows somewhere untracked (`pcall(coroutine.yield)`, `t.y = coroutine.yield`). */
  let yieldEscapes = false;
  /** coroutine.wrap is used: its functions resume a coroutine, which may block, from wherever they are called. */
  let wrapUsed = false;
  const cur = () => fnStack[fnStack.length - 1];

  const addSite = (node: Node, target: Target) => {
    let l = sites.get(cur());
    if (!l) sites.set(cur(), (l = []));
    l.push({ node, target, inLoop: loopDepth > 0 });
  };

  const isLibGlobal = (e: Node) => e.type === 'Identifier' && sc.refs.get(e) === null && LIBS.has(e.name);

  /** What a callee expression refers to. */
  const targetOf = (callee: Node): Target => {
    if (callee.type === 'Identifier') {
      const b = sc.refs.get(callee);
      const fixed = b ? fixedFunction(b) : null;
      if (fixed) return { k: 'fn', fn: fixed };
      if (b && !b.reassigned) {
        // `local yield = coroutine.yield`: a fixed alias of a library function.
        if (b.init && b.init.type === 'MemberExpression' && isLibGlobal(b.init.base)) return targetOf(b.init);
      }
      if (b) return { k: 'unknown' };
      if (callee.name === 'pcall' || callee.name === 'xpcall') return { k: 'safe' }; // refined at the call
      if (globalDefs.has(callee.name) || dynamicGlobals.has(callee.name)) return { k: 'global', name: callee.name };
      return SAFE_GLOBALS.has(callee.name) ? { k: 'safe' } : { k: 'global', name: callee.name };
    }
    if (callee.type === 'MemberExpression') {
      if (isLibGlobal(callee.base)) {
        if (callee.base.name === 'coroutine' && callee.identifier.name === 'yield') return { k: 'yield' };
        if (callee.base.name === 'coroutine' && callee.identifier.name === 'wrap') wrapUsed = true;
        return { k: 'lib', lib: callee.base.name, name: callee.identifier.name };
      }
      if (callee.base.type === 'Identifier' && sc.refs.get(callee.base) === null && opts.blocking) {
        return { k: 'lib', lib: callee.base.name, name: callee.identifier.name };
      }
      return { k: 'field', name: callee.identifier.name };
    }
    if (callee.type === 'IndexExpression') return callee.index.type === 'StringLiteral' ? { k: 'field', name: callee.index.value } : { k: 'computed' };
    if (callee.type === 'FunctionDeclaration') return { k: 'fn', fn: callee };
    return { k: 'unknown' };
  };

  /** `pairs`, `ipairs` and `string.gmatch` (or a fixed alias of it) return iterators that never suspend. */
  const neverSuspendingIterator = (callee: Node): boolean => {
    if (callee.type === 'Identifier' && sc.refs.get(callee) === null) return callee.name === 'pairs' || callee.name === 'ipairs';
    const t = targetOf(callee);
    return t.k === 'lib' && t.lib === 'string' && (t.name === 'gmatch' || t.name === 'gfind');
  };

  /** A function value used as a value (not called): where does it go? */
  const valueUse = (e: Node, context: 'escape' | 'arg-safe') => {
    if (context === 'arg-safe') return;
    if (e.type === 'FunctionDeclaration') escaping.add(e);
    else if (e.type === 'Identifier') {
      const b = sc.refs.get(e);
      const fixed = b ? fixedFunction(b) : null;
      if (fixed) escaping.add(fixed);
      if (b && b.funcValue) escaping.add(b.funcValue);
      else if (!b) escapingGlobals.add(e.name);
    } else if (e.type === 'MemberExpression') {
      escapingFields.add(e.identifier.name);
      if (isLibGlobal(e.base) && e.base.name === 'coroutine' && e.identifier.name === 'yield') yieldEscapes = true;
      if (isLibGlobal(e.base) && e.base.name === 'coroutine' && e.identifier.name === 'wrap') wrapUsed = true;
    }
  };

  const isCall = (e: Node) => e.type === 'CallExpression' || e.type === 'StringCallExpression' || e.type === 'TableCallExpression';
  const argsOf = (e: Node): Node[] =>
    e.type === 'CallExpression' ? e.arguments : e.type === 'TableCallExpression' ? [e.arguments] : [e.argument];

  const call = (e: Node) => {
    const callee = e.base;
    const args = argsOf(e);
    let t = targetOf(callee);
    const name = callee.type === 'Identifier' && sc.refs.get(callee) === null ? callee.name : '';
    // coroutine.create/wrap/spawn (or a fixed alias of them): the body runs as a coroutine (spawn: a task of the
    // process, started by the host through its twin), it does not escape.
    const coFn = t.k === 'lib' && t.lib === 'coroutine' && (t.name === 'create' || t.name === 'wrap' || t.name === 'spawn');
    if (t.k === 'yield') yields.add(e);
    if (name === 'pcall' || name === 'xpcall') {
      t = args[0] ? { k: 'pcall', arg: targetOf(args[0]) } : { k: 'safe' };
    }
    addSite(e, t);
    // The callee itself is not an escape; arguments are, except a coroutine body or a pcall'd function.
    if (callee.type === 'MemberExpression' || callee.type === 'IndexExpression') expr(callee.base);
    else if (callee.type !== 'Identifier') expr(callee);
    args.forEach((a, i) => {
      const safeArg = (coFn || name === 'pcall' || ((name === 'xpcall') && i <= 1)) && i <= 1;
      exprValue(a, safeArg ? 'arg-safe' : 'escape');
    });
  };

  /** An expression whose value flows somewhere untracked. */
  const exprValue = (e: Node | null, context: 'escape' | 'arg-safe' = 'escape') => {
    if (!e) return;
    valueUse(e, context);
    expr(e);
  };

  const expr = (e: Node | null | undefined): void => {
    if (!e) return;
    switch (e.type) {
      case 'FunctionDeclaration': func(e); break;
      case 'Identifier': break;
      case 'BinaryExpression': hasOps.add(cur()); exprValue(e.left); exprValue(e.right); break;
      case 'LogicalExpression': exprValue(e.left); exprValue(e.right); break;
      case 'UnaryExpression': hasOps.add(cur()); exprValue(e.argument); break;
      case 'MemberExpression':
        hasOps.add(cur());
        if (e.indexer === '.') escapingFields.add(e.identifier.name);
        expr(e.base);
        break;
      case 'IndexExpression': hasOps.add(cur()); expr(e.base); exprValue(e.index); break;
      case 'CallExpression': case 'StringCallExpression': case 'TableCallExpression': hasOps.add(cur()); call(e); break;
      case 'TableConstructorExpression':
        for (const f of e.fields) {
          const key = f.type === 'TableKeyString' ? f.key.name : f.type === 'TableKey' && f.key.type === 'StringLiteral' ? f.key.value : null;
          if (key !== null && f.value.type === 'FunctionDeclaration') {
            defineField(key, f.value);
            func(f.value);
          } else {
            if (f.type === 'TableKey') exprValue(f.key);
            exprValue(f.value);
          }
        }
        break;
      default: break;
    }
  };

  /**
   * The value an entry chunk returns goes to the host, which calls the method the entry names (through the
   * function's twin when it has one); no Lua code of the app sees it. Functions in it (or it, when a function)
   * are analysed where they are, without escaping.
   */
  const exportedValue = (e: Node) => {
    const fnOf = (v: Node): Node | null => {
      if (v.type === 'FunctionDeclaration') return v;
      const b = v.type === 'Identifier' ? sc.refs.get(v) : undefined;
      return b ? fixedFunction(b) : null;
    };
    const fields = e.type === 'TableConstructorExpression' ? e.fields : null;
    if (fields === null || fields.some((f: Node) => f.type === 'TableValue')) return exprValue(e); // not a plain record
    for (const f of fields) {
      if (f.type === 'TableKey') exprValue(f.key);
      const fn = fnOf(f.value);
      if (fn === null) exprValue(f.value);
      else if (f.value.type === 'FunctionDeclaration') func(f.value);
    }
  };

  const defineField = (name: string, fn: Node) => {
    if (name.startsWith('__')) metaStored.add(fn);
    let l = fieldDefs.get(name);
    if (!l) fieldDefs.set(name, (l = []));
    l.push(fn);
  };

  const func = (f: Node) => {
    fnStack.push(f);
    const outer = loopDepth;
    loopDepth = 0;
    block(f.body);
    loopDepth = outer;
    fnStack.pop();
  };

  const loopBody = (body: Node[], cond?: Node) => {
    loopDepth++;
    if (cond) exprValue(cond);
    block(body);
    loopDepth--;
  };

  const block = (body: Node[]) => body.forEach(stat);

  const assignTarget = (v: Node, value: Node | undefined) => {
    if (v.type === 'Identifier') {
      const b = sc.refs.get(v);
      if (b === null) dynamicGlobals.add(v.name);
      // The one function a forward-declared local receives: analysed where it is, not an escape.
      if (value && b && value.type === 'FunctionDeclaration' && fixedFunction(b) === value) func(value);
      else if (value) exprValue(value);
    } else if (v.type === 'MemberExpression' && value && value.type === 'FunctionDeclaration') {
      expr(v.base);
      defineField(v.identifier.name, value);
      func(value);
    } else if (v.type === 'IndexExpression' && v.index.type === 'StringLiteral' && value && value.type === 'FunctionDeclaration') {
      expr(v.base);
      defineField(v.index.value, value);
      func(value);
    } else {
      hasOps.add(cur());
      expr(v.base);
      if (v.type === 'IndexExpression') exprValue(v.index);
      if (value) exprValue(value);
    }
  };

  const stat = (s: Node): void => {
    switch (s.type) {
      case 'LocalStatement':
        s.init.forEach((e: Node, i: number) => {
          const b = s.variables[i] ? sc.decls.get(s.variables[i]) : undefined;
          if (e.type === 'FunctionDeclaration' && b && b.funcValue === e) func(e);
          else if (b && b.init === e && e.type === 'MemberExpression' && isLibGlobal(e.base)) expr(e); // tracked alias
          else exprValue(e);
        });
        break;
      case 'AssignmentStatement':
        s.variables.forEach((v: Node, i: number) => assignTarget(v, s.init[i]));
        s.init.slice(s.variables.length).forEach((e: Node) => exprValue(e));
        break;
      case 'CallStatement': expr(s.expression); break;
      case 'FunctionDeclaration': {
        const id = s.identifier;
        if (s.isLocal) func(s);
        else if (id.type === 'Identifier') {
          if (sc.refs.get(id) === null) {
            let l = globalDefs.get(id.name);
            if (!l) globalDefs.set(id.name, (l = []));
            l.push(s);
          }
          func(s);
        } else {
          expr(id.base);
          defineField(id.identifier.name, s);
          func(s);
        }
        break;
      }
      case 'ReturnStatement':
        if (opts.hostExports && cur() === chunk && s.arguments.length === 1) exportedValue(s.arguments[0]);
        else s.arguments.forEach((e: Node) => exprValue(e));
        break;
      case 'IfStatement': for (const c of s.clauses) { if (c.condition) exprValue(c.condition); block(c.body); } break;
      case 'WhileStatement': loops.add(cur()); loopBody(s.body, s.condition); break;
      case 'RepeatStatement': loops.add(cur()); loopBody(s.body, s.condition); break;
      case 'DoStatement': block(s.body); break;
      case 'GotoStatement': loops.add(cur()); break;
      case 'ForNumericStatement': loops.add(cur()); exprValue(s.start); exprValue(s.end); exprValue(s.step); loopBody(s.body); break;
      case 'ForGenericStatement': {
        loops.add(cur());
        s.iterators.forEach((e: Node) => exprValue(e));
        const first = s.iterators[0];
        const builtinIter = s.iterators.length === 1 && first && isCall(first) && neverSuspendingIterator(first.base);
        addSite(s, builtinIter ? { k: 'safe' } : { k: 'unknown' });
        loopBody(s.body);
        break;
      }
      default: break;
    }
  };

  func(chunk);

  // Global function names that are used as values escape with all their definitions.
  for (const g of escapingGlobals) for (const f of globalDefs.get(g) ?? []) escaping.add(f);
  for (const n of escapingFields) for (const f of fieldDefs.get(n) ?? []) escaping.add(f);

  /**
   * The fixpoint over "may suspend" (seedLoops: a loop makes its function suspend). `closed`: the blocking
   * solution under the closed-world assumption (see SuspendOptions.closedWorld).
   */
  const solve = (seedLoops: boolean, closed: ReadonlySet<string> | null) => {
    const susp = new Set<Node>();
    // Names (global, field) with at least one suspending definition, kept up to date as `susp` grows: a call
    // through a name common to many definitions (`:add`, `.new`) is then one lookup instead of a scan of all of them.
    const namesOf = new Map<Node, { globals: string[]; fields: string[] }>();
    const namesEntry = (f: Node) => {
      let e = namesOf.get(f);
      if (!e) namesOf.set(f, (e = { globals: [], fields: [] }));
      return e;
    };
    for (const [name, defs] of globalDefs) for (const d of defs) namesEntry(d).globals.push(name);
    for (const [name, defs] of fieldDefs) for (const d of defs) namesEntry(d).fields.push(name);
    const suspGlobals = new Set<string>();
    const suspFields = new Set<string>();
    const addSusp = (f: Node) => {
      susp.add(f);
      const e = namesOf.get(f);
      if (e) {
        for (const n of e.globals) suspGlobals.add(n);
        for (const n of e.fields) suspFields.add(n);
      }
    };
    // A loop in an actor must be pausable (fair scheduling): its function runs as a generator there. Loop-free
    // functions stay plain; they end quickly unless they recurse, and timeouts still stop them.
    if (seedLoops) for (const f of loops) addSusp(f);
    // Inside the process host any call whose target is not known may block (module I/O, channels, imported
    // libraries): only provably non-suspending code stays plain.
    let unknownSusp = yieldEscapes || (opts.hostSuspension === true && closed === null);
    // What a closed world still cannot see: undefined globals, modules without a known API, computed callees.
    const hostUnknown = () => closed !== null || unknownSusp;
    let metaTaint = false;
    const targetSusp = (t: Target): boolean => {
      switch (t.k) {
        case 'yield': return true;
        case 'safe': return false;
        case 'fn': return susp.has(t.fn);
        case 'pcall': return targetSusp(t.arg);
        case 'lib': {
          const b = opts.blocking?.(t.lib, t.name);
          if (b !== undefined) return b;
          return LIBS.has(t.lib) ? false : hostUnknown();
        }
        case 'global': {
          const defs = globalDefs.get(t.name);
          if (defs && !dynamicGlobals.has(t.name)) return suspGlobals.has(t.name);
          return hostUnknown();
        }
        case 'field': return suspFields.has(t.name) || unknownSusp || (closed !== null && closed.has(t.name));
        case 'computed': return hostUnknown();
        case 'unknown': return unknownSusp;
      }
    };
    const calls = new Set<Node>();
    for (let changed = true; changed; ) {
      changed = false;
      for (const [fn, list] of sites) {
        for (const site of list) {
          if (!calls.has(site.node) && targetSusp(site.target)) {
            calls.add(site.node);
            changed = true;
          }
          if (calls.has(site.node) && !susp.has(fn)) {
            addSusp(fn);
            changed = true;
          }
        }
      }
      if (metaTaint) for (const fn of hasOps) if (!susp.has(fn)) { addSusp(fn); changed = true; }
      for (const f of susp) {
        if (!unknownSusp && escaping.has(f)) { unknownSusp = true; changed = true; }
        // In the process host every function escapes somewhere (entry points are returned), so only the
        // chunk's own suspending metamethods make operators yieldable there; see docs/semantics.md.
        if (!metaTaint && (metaStored.has(f) || (!opts.hostSuspension && escaping.has(f)))) { metaTaint = true; changed = true; }
      }
      // A yielding `__call` can be behind any call of an unknown value.
      if (metaTaint && !unknownSusp) { unknownSusp = true; changed = true; }
    }
    return { susp, calls, metaTaint, targetSusp, unknownSusp };
  };

  // In the process host, a loop makes its function suspend too (its safepoints pause it), so the analysis
  // runs twice: with loops, for which functions get twins, and without, for which ones may really block.
  // A call inside a loop to a function that may only pause, never block, calls its plain version: the
  // calling loop pauses between calls, and V8 runs plain code far faster than a generator per call
  // (docs/semantics.md). Metamethods that may block keep every call on the generator path.
  const full = solve(opts.hostSuspension === true, null);
  const info = { fns: full.susp, calls: full.calls, metaTaint: full.metaTaint, yields, closedWorldHolds: false };
  if (!opts.hostSuspension) return info;
  const closed = opts.closedWorld ?? null;
  let blocking = solve(false, closed);
  if (closed !== null) {
    // The chunk keeps the closed world when no blocking function can be reached other than by a call the
    // analysis resolves: none escapes (that made unknown calls blocking), none is stored under a field or
    // global name (computed keys, pairs and rawget read those), no blocking host function is read as a value.
    const stored = [...fieldDefs.values(), ...globalDefs.values()].some((defs) => defs.some((f) => blocking.susp.has(f)));
    info.closedWorldHolds = !blocking.unknownSusp && !blocking.metaTaint && !stored && !wrapUsed &&
      ![...escapingFields].some((n) => closed.has(n));
    if (!info.closedWorldHolds) blocking = solve(false, null); // the builder should not have asked: stay safe
  }
  if (!blocking.metaTaint) {
    for (const list of sites.values()) {
      for (const site of list) if (site.inLoop && full.calls.has(site.node) && !blocking.targetSusp(site.target)) full.calls.delete(site.node);
    }
  }
  return info;
}
