// Code generation state: one ModuleCtx per chunk (runtime names used, error sites) and one FnCtx per
// function body being emitted (plain or generator twin, temporaries, loop labels).

import { t } from './builders.js';
import { quote } from './print.js';
import type { Node } from '../parse/ast.js';
import type { Scopes, FnInfo, Binding } from '../analyse/scope.js';
import type { SuspendInfo } from '../analyse/suspend.js';
import { scratchTables } from '../analyse/scratch.js';

export class ModuleCtx {
  /** Runtime members used by the chunk; destructured once from `$` at the top of the module. */
  readonly used = new Set<string>();
  /** Module-level constants in order of creation: site numbers (1, 2, …) and shapes (-1, -2, …). */
  private readonly decls: number[] = [];
  // Sites, in a few words each (a large file has about one per line): line and descriptions.
  private readonly siteLine: number[] = [];
  private readonly siteWhat: string[] = [];
  private readonly siteWhat2: (string | undefined)[] = [];
  /** Per line, the sites so far as [what, what2, field, site number] quadruples (a line has few). */
  private readonly siteKeys: (string | number)[][] = [];
  private readonly shapeTexts: string[] = [];
  private readonly shapeIds = new Map<string, number>();
  private readonly descriptions = new Map<string, Map<string, string>>();
  private chunkText: string | undefined;
  constructor(
    readonly chunkname: string,
    readonly sc: Scopes,
    readonly susp: SuspendInfo,
    /** Loops pass safepoints (timeouts, preemption); standalone scripts have no host that listens. */
    readonly safepoints = true,
  ) {}

  /** A module-level table shape for constructors with these constant string keys, in this order. */
  shape(keys: string[]): t.Identifier {
    const key = JSON.stringify(keys);
    let n = this.shapeIds.get(key);
    if (n === undefined) {
      n = this.shapeIds.size + 1;
      this.shapeIds.set(key, n);
      this.shapeTexts.push(`SH${n} = ${this.rt('shapeOf').name}([${keys.map(quote).join(', ')}])`);
      this.decls.push(-n);
    }
    return t.identifier(`SH${n}`);
  }

  /** Identifier of runtime member `name` (`$add`, `$index`, ...). */
  rt(name: string): t.Identifier {
    this.used.add(name);
    return t.identifier('$' + name);
  }

  /**
   * A module-level constant describing an operation site for error messages. Field accesses pass their
   * key too: the site then doubles as the inline cache for that key.
   */
  site(line: number, what: string, what2?: string, field?: string): t.Identifier {
    // Sites are deduplicated per line (a missing what2 or field counts as ''). Descriptions are mostly
    // the same string objects (see `description`), so comparing them is cheaper than hashing them.
    const w2 = what2 ?? '', f = field ?? '';
    const keys = (this.siteKeys[line] ??= []);
    for (let i = 0; i < keys.length; i += 4) {
      if (keys[i] === what && keys[i + 1] === w2 && keys[i + 2] === f) return t.identifier(`S${keys[i + 3]}`);
    }
    this.rt('site');
    this.siteLine.push(line);
    this.siteWhat.push(what);
    this.siteWhat2.push(what2);
    const n = this.siteLine.length;
    keys.push(what, w2, f, n);
    this.decls.push(n);
    return t.identifier(`S${n}`);
  }

  /**
   * `kind 'name'`, the same string each time: a large file has a hundred thousand sites, and most of
   * them describe a few names.
   */
  description(kind: string, name: string): string {
    let byName = this.descriptions.get(kind);
    if (!byName) this.descriptions.set(kind, (byName = new Map()));
    let d = byName.get(name);
    if (d === undefined) byName.set(name, (d = `${kind} '${name}'`));
    return d;
  }

  /** Number of module-level constants (sites and shapes). */
  get declCount(): number {
    return this.decls.length;
  }

  /** The i-th constant's declaration, `S1 = $site(…)` or `SH1 = $shapeOf(…)`, made when printed (nothing inspects it). */
  declText(i: number): string {
    const n = this.decls[i]!;
    if (n < 0) return this.shapeTexts[-n - 1]!;
    const k = n - 1, w2 = this.siteWhat2[k];
    this.chunkText ??= quote(this.chunkname);
    const what = w2 === undefined ? quote(this.siteWhat[k]!) : `${quote(this.siteWhat[k]!)}, ${quote(w2)}`;
    return `S${n} = $site(${this.chunkText}, ${this.siteLine[k]}, ${what})`;
  }
}

export class FnCtx {
  readonly temps: string[] = [];
  /** Labels of enclosing Lua loops (used for `break` when goto restructuring adds JS loops). */
  readonly loops: string[] = [];
  /** Goto targets visible from the current position: Lua label → JS labels. */
  labels: { name: string; fwd: string; bwd: string; after: boolean }[] = [];
  private labelCount = 0;
  constructor(
    readonly m: ModuleCtx,
    readonly info: FnInfo,
    /** Emitting the generator twin. */
    readonly gen: boolean,
    readonly vararg: t.Identifier | null,
  ) {}

  temp(): t.Identifier {
    const name = `t${this.temps.length + 1}`;
    this.temps.push(name);
    return t.identifier(name);
  }

  label(prefix: string): string {
    return `${prefix}${++this.labelCount}`;
  }

  binding(id: Node): Binding | null | undefined {
    return this.m.sc.refs.get(id);
  }

  private scratchCache: Binding[] | null = null;
  /** The function's scratch tables (analyse/scratch.ts): their arrays are recycled when it returns. */
  get scratch(): Binding[] {
    return (this.scratchCache ??= scratchTables(this.info.node, this.m.sc, this.info.hasGoto));
  }

  /**
   * `$recycle(t)` for each scratch table declared before `n` (a return, or the end of the body when n is
   * null): later in the function's own block, so the JS `let` is initialised wherever such a return runs.
   */
  recycleBefore(n: Node | null): t.Statement[] {
    const out: t.Statement[] = [];
    for (const b of this.scratch) {
      const d = b.declLoc;
      if (n !== null && d !== null && n.loc && (n.loc.line < d.line || (n.loc.line === d.line && n.loc.column <= d.column))) continue;
      out.push(t.expressionStatement(t.callExpression(this.m.rt('recycle'), [t.identifier(b.js)])));
    }
    return out;
  }

  /** `local 'x'`, `upvalue 'x'`, `global 'x'`, `field 'x'`, `method 'x'` or '' for an expression. */
  describe(e: Node): string {
    const m = this.m;
    switch (e.type) {
      case 'Identifier': {
        const b = m.sc.refs.get(e);
        return m.description(!b ? 'global' : b.fn === this.info ? 'local' : 'upvalue', e.name);
      }
      case 'MemberExpression':
        return m.description(e.indexer === ':' ? 'method' : 'field', e.identifier.name);
      case 'IndexExpression': // a key that is not a string constant is '?', as in Lua 5.3
        return m.description('field', e.index.type === 'StringLiteral' ? e.index.value : '?');
      case 'StringLiteral':
        return m.description('constant', e.value);
      default:
        return '';
    }
  }

  /** Is this call site one that may suspend (only meaningful in the generator twin)? */
  suspends(node: Node): boolean {
    return this.gen && this.m.susp.calls.has(node);
  }

  /** Operators in the generator twin must be able to yield from metamethods. */
  get yieldableOps(): boolean {
    return this.gen && this.m.susp.metaTaint;
  }
}

export const lineOf = (n: Node): number => n.loc?.line ?? 0;

/**
 * The line PUC Lua reports for indexing `t.k` or `t[k]`: the key's, not the line the expression starts on
 * (`config\n  .server\n  .port` fails on the line of `.port` when `server` is nil).
 */
export const keyLine = (n: Node): number =>
  lineOf(n.type === 'MemberExpression' ? n.identifier : n.type === 'IndexExpression' ? n.index : n) || lineOf(n);

/** Give a Babel node the Lua position of `n` for the source map. */
export function at<T extends t.Node>(node: T, n: Node | undefined): T {
  // The printer reads the Lua node's own Loc (see print.ts).
  if (n?.loc) node.loc = n.loc as unknown as t.SourceLocation;
  return node;
}
