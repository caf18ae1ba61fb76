// Opt-in lint rules of `lunac check --rules` (spec §8 item 3, codes W0001–W0007) over the resolved luaparse AST.
// Decisions: empty function bodies are fine (no-op callbacks); unused params follow eslint's "after-used"; a local
// function only read by itself is unused; `local x = x` is a deliberate copy, not a shadow; type decls are exempt.

import type { Node } from '../parse/ast.js';
import { typeRefs } from '../parse/type-parser.js';
import { isMarker, type Binding, type Scopes } from '../analyse/scope.js';

export interface LintOptions {
  /** Enabled rules: codes ('W0004') or names ('no-unused-vars'); 'all' enables every rule. */
  rules: ReadonlySet<string>;
  /** Globals the entry declares through `modules` and `imports` (aliases), for no-unused-imports. */
  declared: readonly string[];
}

export interface LintFinding {
  code: string;
  name: string;
  line: number;
  column: number;
  message: string;
}

export const LINT_RULES: readonly { code: string; name: string; description: string }[] = [
  { code: 'W0001', name: 'no-empty-blocks', description: 'empty do/if/else/loop block (empty function bodies are allowed)' },
  { code: 'W0002', name: 'no-global-assign', description: 'assignment to a global not declared by the entry' },
  { code: 'W0003', name: 'no-self-compare', description: 'comparison of a variable or field path with itself' },
  { code: 'W0004', name: 'no-unused-vars', description: 'local variable never read (`_`-prefixed names exempt)' },
  { code: 'W0005', name: 'no-unused-params', description: 'parameter never read, after the last used one (`_`, self exempt)' },
  { code: 'W0006', name: 'no-unused-imports', description: 'declared module/import never referenced' },
  { code: 'W0007', name: 'no-shadowed-vars', description: 'local or parameter shadowing an outer local or parameter' },
];

type Code = 'W0001' | 'W0002' | 'W0003' | 'W0004' | 'W0005' | 'W0006' | 'W0007';
type DeclKind = 'local' | 'loop' | 'function' | 'param';

/** A local or parameter as written in the source (implicit `self` has no node). */
interface Decl {
  id: Node | null;
  binding: Binding;
  kind: DeclKind;
  line: number;
}

const COMPARE: ReadonlySet<string> = new Set(['==', '~=', '<', '<=', '>', '>=']);

const exempt = (name: string) => name.startsWith('_') || name === 'self';

export function lintChunk(ast: Node, scopes: Scopes, opts: LintOptions): LintFinding[] {
  const on = (code: Code) => {
    const rule = LINT_RULES.find((r) => r.code === code)!;
    return opts.rules.has('all') || opts.rules.has(code) || opts.rules.has(rule.name);
  };
  const w = new Walker(scopes, opts, on);
  w.block(ast.body, []);
  w.finish();
  return w.out.sort((a, b) => a.line - b.line || a.column - b.column || a.code.localeCompare(b.code));
}

class Walker {
  out: LintFinding[] = [];
  private reads = new Set<Binding>();
  private decls: Decl[] = [];
  private params: Decl[][] = [];
  private globalUses = new Set<string>();
  /** Functions enclosing the current node, innermost last (to ignore a local function's self-calls). */
  private fnStack: Node[] = [];
  /** Visible locals and params by name, one map per lexical scope, innermost last. */
  private scopeStack: Map<string, Decl>[] = [];

  constructor(private scopes: Scopes, private opts: LintOptions, private on: (code: Code) => boolean) {}

  private report(code: Code, at: Node, message: string): void {
    if (!this.on(code)) return;
    const name = LINT_RULES.find((r) => r.code === code)!.name;
    const pos = at.loc!.start;
    this.out.push({ code, name, line: pos.line, column: pos.column + 1, message });
  }

  // ---- scopes and declarations ----

  /** A lexical block: `pre` declarations (loop variables) get their own enclosing scope, as in Lua. */
  block(body: Node[], pre: Decl[]): void {
    if (pre.length) this.scopeStack.push(new Map());
    for (const d of pre) this.declare(d, null);
    this.scopeStack.push(new Map());
    for (const s of body) this.stat(s);
    this.scopeStack.pop();
    if (pre.length) this.scopeStack.pop();
  }

  private declare(d: Decl, init: Node | null): void {
    if (d.kind !== 'param') this.decls.push(d);
    const name = d.binding.name;
    if (d.id && name !== '_') this.checkShadow(d, init);
    this.scopeStack[this.scopeStack.length - 1].set(name, d);
  }

  private checkShadow(d: Decl, init: Node | null): void {
    const name = d.binding.name;
    // Only enclosing scopes count: redeclaring in the same block is a separate (unlinted) matter.
    for (let i = this.scopeStack.length - 2; i >= 0; i--) {
      const outer = this.scopeStack[i].get(name);
      if (!outer) continue;
      // `local x = x` copies the outer value on purpose (e.g. to capture it); not an accidental shadow.
      if (init && init.type === 'Identifier' && this.scopes.refs.get(init) === outer.binding) return;
      const what = d.kind === 'param' ? 'parameter' : 'local';
      const other = outer.kind === 'param' ? 'parameter' : 'local';
      this.report('W0007', d.id!, `${what} '${name}' shadows a ${other} declared at line ${outer.line}`);
      return;
    }
  }

  private decl(id: Node, kind: DeclKind): Decl {
    return { id, binding: this.scopes.decls.get(id)!, kind, line: id.loc!.start.line };
  }

  // ---- statements ----

  private stat(s: Node): void {
    switch (s.type) {
      case 'LocalStatement': return this.local(s);
      case 'AssignmentStatement': return this.assignment(s);
      case 'CallStatement':
        if (isMarker(s)) this.marker(s);
        else this.expr(s.expression);
        return;
      case 'FunctionDeclaration': return this.funcStat(s);
      case 'ReturnStatement': s.arguments.forEach((e: Node) => this.expr(e)); return;
      case 'IfStatement':
        for (const c of s.clauses) {
          if (c.condition) this.expr(c.condition);
          this.loopOrBranch(c, c.body, []);
        }
        return;
      case 'WhileStatement': this.expr(s.condition); return this.loopOrBranch(s, s.body, []);
      case 'DoStatement': return this.loopOrBranch(s, s.body, []);
      case 'RepeatStatement':
        // `until` sees the body's locals, so it is walked inside the body's scope.
        this.emptyCheck(s, s.body);
        this.scopeStack.push(new Map());
        for (const b of s.body) this.stat(b);
        this.expr(s.condition);
        this.scopeStack.pop();
        return;
      case 'ForNumericStatement':
        this.expr(s.start); this.expr(s.end); this.expr(s.step);
        return this.loopOrBranch(s, s.body, [this.decl(s.variable, 'loop')]);
      case 'ForGenericStatement':
        s.iterators.forEach((e: Node) => this.expr(e));
        return this.loopOrBranch(s, s.body, s.variables.map((v: Node) => this.decl(v, 'loop')));
      default: return; // break, goto, labels
    }
  }

  private loopOrBranch(at: Node, body: Node[], pre: Decl[]): void {
    this.emptyCheck(at, body);
    this.block(body, pre);
  }

  private emptyCheck(at: Node, body: Node[]): void {
    if (body.length === 0) this.report('W0001', at, 'empty block');
  }

  private local(s: Node): void {
    s.init.forEach((e: Node) => this.expr(e));
    s.variables.forEach((v: Node, i: number) => {
      const init = s.variables.length === s.init.length ? s.init[i] : null;
      this.declare(this.decl(v, 'local'), init);
    });
  }

  private assignment(s: Node): void {
    s.init.forEach((e: Node) => this.expr(e));
    for (const v of s.variables) {
      if (v.type === 'Identifier') this.write(v);
      else this.expr(v); // `t.x = …` reads `t`
    }
  }

  /** An assignment target: not a read; a global target is W0002 unless the entry declared it. */
  private write(id: Node): void {
    const b = this.scopes.refs.get(id);
    if (b) return;
    this.globalUses.add(id.name);
    if (!this.opts.declared.includes(id.name)) this.report('W0002', id, `assignment to global '${id.name}'`);
  }

  private funcStat(s: Node): void {
    const id = s.identifier;
    if (s.isLocal) {
      this.declare(this.decl(id, 'function'), null);
    } else if (id.type === 'Identifier') {
      this.write(id);
    } else {
      this.expr(id.base);
    }
    this.func(s);
  }

  /** A type declaration reads the locals and globals its type expression names. */
  private marker(s: Node): void {
    const m = this.scopes.markers.get(s);
    if (!m) return;
    const names = typeRefs(m.decl.node);
    m.refs.forEach((b, i) => {
      // Types are resolved hoisted, before the block's locals; a local declared above the type in the
      // source is still what the author meant to use.
      const used = b ?? this.visible(names[i]);
      if (used) this.reads.add(used);
      else this.globalUses.add(names[i]);
    });
  }

  private visible(name: string): Binding | null {
    for (let i = this.scopeStack.length - 1; i >= 0; i--) {
      const d = this.scopeStack[i].get(name);
      if (d) return d.binding;
    }
    return null;
  }

  // ---- functions ----

  private func(f: Node): void {
    const info = this.scopes.fns.get(f)!;
    this.fnStack.push(f);
    this.scopeStack.push(new Map());
    const ids = f.parameters.filter((p: Node) => p.type === 'Identifier');
    const params: Decl[] = [];
    // Implicit `self` comes first in info.params and has no AST node; it is declared at the function.
    if (info.params.length > ids.length) {
      const self: Decl = { id: null, binding: info.params[0], kind: 'param', line: f.loc!.start.line };
      this.declare(self, null);
    }
    for (const p of ids) {
      const d = this.decl(p, 'param');
      params.push(d);
      this.declare(d, null);
    }
    this.params.push(params);
    this.block(f.body, []);
    this.scopeStack.pop();
    this.fnStack.pop();
  }

  // ---- expressions ----

  private expr(e: Node | null | undefined): void {
    if (!e) return;
    switch (e.type) {
      case 'Identifier': return this.read(e);
      case 'FunctionDeclaration': return this.func(e);
      case 'BinaryExpression':
        this.selfCompare(e);
        this.expr(e.left); this.expr(e.right);
        return;
      case 'LogicalExpression': this.expr(e.left); this.expr(e.right); return;
      case 'UnaryExpression': return this.expr(e.argument);
      case 'MemberExpression': return this.expr(e.base);
      case 'IndexExpression': this.expr(e.base); this.expr(e.index); return;
      case 'CallExpression':
        this.requireUse(e.base, e.arguments.length === 1 ? e.arguments[0] : null);
        this.expr(e.base);
        e.arguments.forEach((a: Node) => this.expr(a));
        return;
      case 'StringCallExpression':
        this.requireUse(e.base, e.argument);
        return this.expr(e.base);
      case 'TableCallExpression': this.expr(e.base); this.expr(e.arguments); return;
      case 'TableConstructorExpression':
        for (const f of e.fields) {
          if (f.type === 'TableKey') this.expr(f.key);
          this.expr(f.value);
        }
        return;
      default: return; // literals, varargs
    }
  }

  private read(id: Node): void {
    if (!this.scopes.refs.has(id)) return;
    const b = this.scopes.refs.get(id);
    if (!b) {
      this.globalUses.add(id.name);
      return;
    }
    // A local function calling itself does not make it used.
    if (b.funcValue && this.fnStack.includes(b.funcValue)) return;
    this.reads.add(b);
  }

  /** `require("name")` with a literal name (on the global `require`) uses the import `name`. */
  private requireUse(base: Node, arg: Node | null): void {
    if (base.type !== 'Identifier' || base.name !== 'require' || this.scopes.refs.get(base) !== null) return;
    if (arg && arg.type === 'StringLiteral') this.globalUses.add(String(arg.value));
  }

  private selfCompare(e: Node): void {
    if (!COMPARE.has(e.operator)) return;
    const left = pathOf(e.left);
    if (left === null || left !== pathOf(e.right)) return;
    // `x ~= x` is the NaN test; still flagged (as eslint does), but the message points at that use.
    const hint = e.operator === '==' || e.operator === '~=' ? ` (use '${left} ~= ${left}' only as a NaN test)` : '';
    this.report('W0003', e.left, `comparison of '${left}' with itself${hint}`);
  }

  // ---- after the walk: unused locals, params, imports ----

  finish(): void {
    for (const d of this.decls) {
      if (this.reads.has(d.binding) || exempt(d.binding.name)) continue;
      const what = d.kind === 'loop' ? 'loop variable' : d.kind === 'function' ? 'local function' : 'local variable';
      this.report('W0004', d.id!, `unused ${what} '${d.binding.name}'`);
    }
    for (const params of this.params) this.unusedParams(params);
    const seen = new Set<string>();
    for (const name of this.opts.declared) {
      if (seen.has(name) || this.globalUses.has(name)) continue;
      seen.add(name);
      if (this.on('W0006')) {
        // The import lives in the entry definition, not in this chunk: report at the chunk start.
        this.out.push({ code: 'W0006', name: 'no-unused-imports', line: 1, column: 1, message: `'${name}' is imported but never used` });
      }
    }
  }

  /** eslint's "after-used": a leading unused parameter cannot be dropped while a later one is used. */
  private unusedParams(params: Decl[]): void {
    for (let i = params.length - 1; i >= 0; i--) {
      const d = params[i];
      if (this.reads.has(d.binding)) return;
      if (!exempt(d.binding.name)) this.report('W0005', d.id!, `parameter '${d.binding.name}' is never used`);
    }
  }
}

/** Text of an identifier / field path with literal keys (`a`, `a.b`, `a[1]`), or null for anything else. */
function pathOf(e: Node): string | null {
  switch (e.type) {
    case 'Identifier': return e.name;
    case 'MemberExpression': {
      const base = pathOf(e.base);
      return base === null || e.indexer !== '.' ? null : `${base}.${e.identifier.name}`;
    }
    case 'IndexExpression': {
      const base = pathOf(e.base);
      if (base === null) return null;
      if (e.index.type === 'StringLiteral') return `${base}[${JSON.stringify(String(e.index.value))}]`;
      if (e.index.type === 'NumericLiteral') return `${base}[${e.index.raw}]`;
      return null;
    }
    default: return null;
  }
}
