// Code generation state: one ModuleCtx per chunk (runtime names used, error sites) and one FnCtx per
// function body being emitted (plain or generator twin, temporaries, loop labels).

import { t } from './builders.js';
import { quote } from './print.js';
import type { Node } from '../parse/ast.js';
import type { Scopes, FnInfo, Binding } from '../analyse/scope.js';
import type { SuspendInfo } from '../analyse/suspend.js';

export class ModuleCtx {
  /** Runtime members used by the chunk; destructured once from `$` at the top of the module. */
  readonly used = new Set<string>();
  /** Module-level constants (`S1 = $site(…)`, `SH1 = $shapeOf(…)`), as text: nothing inspects them. */
  readonly siteDecls: string[] = [];
  private readonly siteIds: Map<string, t.Identifier>[] = [];
  private siteCount = 0;
  private chunkText: string | undefined;
  constructor(
    readonly chunkname: string,
    readonly sc: Scopes,
    readonly susp: SuspendInfo,
    /** Loops pass safepoints (timeouts, preemption); standalone scripts have no host that listens. */
    readonly safepoints = true,
  ) {}

  private readonly shapeIds = new Map<string, t.Identifier>();

  /** A module-level table shape for constructors with these constant string keys, in this order. */
  shape(keys: string[]): t.Identifier {
    const key = JSON.stringify(keys);
    let id = this.shapeIds.get(key);
    if (!id) {
      id = t.identifier(`SH${this.shapeIds.size + 1}`);
      this.shapeIds.set(key, id);
      this.siteDecls.push(`${id.name} = ${this.rt('shapeOf').name}([${keys.map(quote).join(', ')}])`);
    }
    return id;
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
    // Sites are deduplicated per line; the declaration is printed from text (nothing inspects it).
    const byLine = (this.siteIds[line] ??= new Map<string, t.Identifier>());
    const key = `${what}\u0000${what2 ?? ''}\u0000${field ?? ''}`;
    let id = byLine.get(key);
    if (!id) {
      id = t.identifier(`S${++this.siteCount}`);
      byLine.set(key, id);
      this.chunkText ??= quote(this.chunkname);
      const args = what2 === undefined ? `${this.chunkText}, ${line}, ${quote(what)}` : `${this.chunkText}, ${line}, ${quote(what)}, ${quote(what2)}`;
      this.siteDecls.push(`${id.name} = ${this.rt('site').name}(${args})`);
    }
    return id;
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

  /** `local 'x'`, `upvalue 'x'`, `global 'x'`, `field 'x'`, `method 'x'` or '' for an expression. */
  describe(e: Node): string {
    switch (e.type) {
      case 'Identifier': {
        const b = this.m.sc.refs.get(e);
        if (!b) return `global '${e.name}'`;
        return b.fn === this.info ? `local '${e.name}'` : `upvalue '${e.name}'`;
      }
      case 'MemberExpression':
        return e.indexer === ':' ? `method '${e.identifier.name}'` : `field '${e.identifier.name}'`;
      case 'IndexExpression':
        return e.index.type === 'StringLiteral' ? `field '${e.index.value}'` : '';
      case 'StringLiteral':
        return `constant '${e.value}'`;
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

export const lineOf = (n: Node): number => n.loc?.start.line ?? 0;

/** Give a Babel node the Lua position of `n` for the source map. */
export function at<T extends t.Node>(node: T, n: Node | undefined): T {
  // The generator reads only loc.start/end {line, column}: luaparse's own object serves as is.
  if (n?.loc) node.loc = n.loc as t.SourceLocation;
  return node;
}
