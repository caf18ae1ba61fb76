// Erases Wippy's type syntax from Lua source without moving anything, so luaparse positions are positions in the
// original file. Every erased char becomes a space (newlines are kept). `type`/`interface` declarations, which are
// runtime values, become the marker `§()` (a call statement to the identifier `§`, char code 0xA7) followed by
// spaces; the k-th marker is `types[k]`.
//
// The eraser is a small Lua statement/expression parser over the token stream (it builds no AST): it knows where
// an expression just ended (`as`, `::`, `!`), where a statement starts (`type X =`), and which ':' is a parameter,
// local, return or field annotation versus a method call. It is lenient about plain-Lua syntax errors (luaparse
// reports those) and strict about malformed type syntax (LuaSyntaxError).

import { hasBom, LuaSyntaxError, type Token } from './lexer.js';
import { TypeParser, type TypeNode } from './type-parser.js';

export { LuaSyntaxError } from './lexer.js';

export interface TypeDecl {
  name: string;
  generics: string[];
  node: TypeNode;
  /** Position of the declaration's first char (`type` / `interface` / `export`), where its marker is: line 1-based, column 0-based. */
  line: number;
  column: number;
  kind: 'type' | 'interface';
}

export const TYPE_MARKER = '\xa7()';

const BLANK = 0;
const MARKER = 1;
/** Flag: the last erased char becomes ';' (a following '(' must start a new statement, not call the cast). */
const SEMI = 2;

/** Every char fits in a byte (the source was read as latin1). */
const LATIN1 = /^[\x00-\xff]*$/;

const BINOPS: ReadonlySet<string> = new Set([
  '+', '-', '*', '/', '//', '%', '^', '..', '==', '~=', '<', '<=', '>', '>=', '&', '|', '~', '<<', '>>',
]);

export function eraseTypes(src: string): { code: string; types: TypeDecl[] } {
  const e = new Eraser(src);
  if (hasBom(src)) e.blankBom();
  e.chunk();
  return { code: e.output(), types: e.types };
}

class Eraser extends TypeParser {
  /** Triples (start, end, mode) of erased ranges, in source order. */
  private cuts: number[] = [];
  types: TypeDecl[] = [];

  /** luaparse would read the byte order mark as part of a name, and skips a `#!` line only at offset 0. */
  blankBom(): void {
    const src = this.src;
    let end = 3;
    if (src.startsWith('#!', 3)) while (end < src.length && src[end] !== '\n' && src[end] !== '\r') end++;
    this.cut(0, end, BLANK);
  }

  // ---- output ----

  private cut(start: number, end: number, mode: number): void {
    this.cuts.push(start, end, mode);
  }

  output(): string {
    const cuts = this.cuts;
    if (cuts.length === 0) return this.src;
    const src = this.src;
    if (!LATIN1.test(src)) return this.outputParts();
    // Latin1 source (the normal case): patch a byte copy in place.
    const buf = Buffer.from(src, 'latin1');
    for (let k = 0; k < cuts.length; k += 3) {
      const s = cuts[k], e = cuts[k + 1], mode = cuts[k + 2];
      for (let i = s; i < e; i++) {
        const c = buf[i];
        if (c !== 10 && c !== 13) buf[i] = 32;
      }
      if (mode & MARKER) { buf[s] = 0xa7; buf[s + 1] = 40; buf[s + 2] = 41; }
      if (mode & SEMI) buf[e - 1] = 59;
    }
    return buf.toString('latin1');
  }

  /** Output for a source with chars above 0xFF (not read as latin1). */
  private outputParts(): string {
    const cuts = this.cuts;
    const src = this.src;
    const parts: string[] = [];
    let last = 0;
    for (let k = 0; k < cuts.length; k += 3) {
      const s = cuts[k], e = cuts[k + 1], mode = cuts[k + 2];
      parts.push(src.slice(last, s));
      let blank = blankOut(src, s, e);
      if (mode & MARKER) blank = TYPE_MARKER + blank.slice(3);
      if (mode & SEMI) blank = blank.slice(0, -1) + ';';
      parts.push(blank);
      last = e;
    }
    parts.push(src.slice(last));
    return parts.join('');
  }

  /** Erase from `start` to the end of the last consumed token; ';' if a '(' follows. */
  private eraseTo(start: number, mode = BLANK): void {
    const next = this.peek();
    if (next.kind === 'symbol' && next.value === '(') mode |= SEMI;
    this.cut(start, this.lastEnd, mode);
  }

  // ---- helpers ----

  private kw(v: string): boolean {
    const t = this.peek();
    return t.kind === 'keyword' && t.value === v;
  }

  private acceptKw(v: string): boolean {
    if (this.kw(v)) { this.take(); return true; }
    return false;
  }

  private blockEnd(): boolean {
    const t = this.peek();
    if (t.kind === 'eof') return true;
    if (t.kind !== 'keyword') return false;
    const v = t.value;
    return v === 'end' || v === 'else' || v === 'elseif' || v === 'until';
  }

  /** A type annotation after ':' (current token): erase ':' through the type. */
  private annotation(): void {
    const start = this.take().start;
    this.parseType();
    this.cut(start, this.lastEnd, BLANK);
  }

  // ---- statements ----

  chunk(): void {
    for (;;) {
      this.block();
      if (this.peek().kind === 'eof') return;
      this.take(); // a stray 'end' / 'until' ...: let luaparse report it
    }
  }

  private block(): void {
    while (!this.blockEnd()) {
      const before = this.pos;
      if (this.kw('return')) {
        this.take();
        if (!this.blockEnd() && !this.isSym(';')) this.exprList();
        this.accept(';');
        continue;
      }
      this.statement();
      if (this.pos === before) this.take();
    }
  }

  private statement(): void {
    const t = this.peek();
    if (t.kind === 'symbol') {
      if (t.value === ';') { this.take(); return; }
      if (t.value === '::') {
        this.take();
        if (this.peek().kind === 'name') this.take();
        this.accept('::');
        return;
      }
      this.exprStat();
      return;
    }
    if (t.kind === 'name') {
      let kind = this.declAt(0);
      // Luau's `export type X = …` (invalid plain Lua): the same local type value.
      const exp = kind === null && t.value === 'export' && (kind = this.declAt(1)) !== null ? this.take() : null;
      if (kind === 'type') this.typeDecl(exp);
      else if (kind === 'interface') this.interfaceDecl(exp);
      else this.exprStat();
      return;
    }
    if (t.kind !== 'keyword') { this.exprStat(); return; }
    switch (t.value) {
      case 'if':
        this.take();
        this.expr();
        this.acceptKw('then');
        this.block();
        while (this.kw('elseif')) {
          this.take();
          this.expr();
          this.acceptKw('then');
          this.block();
        }
        if (this.acceptKw('else')) this.block();
        this.acceptKw('end');
        return;
      case 'while':
        this.take();
        this.expr();
        this.acceptKw('do');
        this.block();
        this.acceptKw('end');
        return;
      case 'do':
        this.take();
        this.block();
        this.acceptKw('end');
        return;
      case 'for':
        this.forStat();
        return;
      case 'repeat':
        this.take();
        this.block();
        if (this.acceptKw('until')) this.expr();
        return;
      case 'function':
        this.take();
        this.funcName();
        this.funcBody();
        return;
      case 'local':
        this.take();
        if (this.acceptKw('function')) {
          if (this.peek().kind === 'name') this.take();
          this.funcBody();
        } else {
          this.localNames();
          if (this.accept('=')) this.exprList();
        }
        return;
      case 'break':
        this.take();
        return;
      case 'goto':
        this.take();
        if (this.peek().kind === 'name') this.take();
        return;
      default:
        this.exprStat();
    }
  }

  /** `Name [: T] {, Name [: T]}` (locals and generic-for variables). */
  private localNames(): void {
    do {
      if (this.peek().kind !== 'name') return;
      this.take();
      if (this.isSym(':')) this.annotation();
    } while (this.accept(','));
  }

  private forStat(): void {
    this.take();
    if (this.peek().kind === 'name') {
      this.take();
      if (this.isSym(':')) this.annotation();
      if (this.accept('=')) {
        this.exprList();
      } else {
        if (this.accept(',')) this.localNames();
        if (this.acceptKw('in')) this.exprList();
      }
    }
    this.acceptKw('do');
    this.block();
    this.acceptKw('end');
  }

  /** `Name {'.' Name} [':' Name]` after `function`. */
  private funcName(): void {
    if (this.peek().kind !== 'name') return;
    this.take();
    while (this.isSym('.') && this.isNameLike(this.ahead(1))) { this.take(); this.take(); }
    if (this.isSym(':') && this.isNameLike(this.ahead(1))) { this.take(); this.take(); }
  }

  /** `[<generics>] ( params ) [: R] block end` */
  private funcBody(): void {
    const outer = this.scopeGenerics.length;
    if (this.isSym('<')) {
      const start = this.peek().start;
      for (const g of this.parseGenericParams()) this.scopeGenerics.push(g.name);
      this.cut(start, this.lastEnd, BLANK);
    }
    if (this.accept('(')) {
      while (!this.isSym(')')) {
        const t = this.peek();
        if (t.kind === 'symbol' && t.value === '...') {
          this.take();
          if (this.isSym(':')) this.annotation();
        } else if (t.kind === 'name') {
          this.take();
          if (this.isSym('?') && this.ahead(1).kind === 'symbol' && this.ahead(1).value === ':') {
            const start = this.take().start;
            this.take();
            this.parseType();
            this.cut(start, this.lastEnd, BLANK);
          } else if (this.isSym(':')) {
            this.annotation();
          }
        } else {
          break;
        }
        if (!this.accept(',')) break;
      }
      this.accept(')');
      if (this.isSym(':')) {
        const start = this.take().start;
        this.parseFunReturn();
        this.cut(start, this.lastEnd, BLANK);
      }
    }
    this.block();
    this.acceptKw('end');
    this.scopeGenerics.length = outer;
  }

  /**
   * Generic parameters of the enclosing functions: a declaration inside `function f<T>` may mention T, which is
   * no runtime value; it goes on the node's `generics` (unbound, so it admits anything) and out of typeRefs.
   */
  private scopeGenerics: string[] = [];

  private withScopeGenerics(node: TypeNode, own: string[]): void {
    const all = [...own];
    for (const g of this.scopeGenerics) if (!all.includes(g)) all.push(g);
    if (all.length > 0) node.generics = [...all, ...(node.generics ?? []).filter((g) => !all.includes(g))];
  }

  /** `type Name =`, `type Name<` or `interface Name` starting `k` tokens ahead (contextual keywords). */
  private declAt(k: number): 'type' | 'interface' | null {
    const t = k === 0 ? this.peek() : this.ahead(k);
    if (t.kind !== 'name' || this.ahead(k + 1).kind !== 'name') return null;
    if (t.value === 'interface') return 'interface';
    if (t.value !== 'type') return null;
    const a = this.ahead(k + 2);
    return a.kind === 'symbol' && (a.value === '=' || a.value === '<') ? 'type' : null;
  }

  /** `type Name [<generics>] = T` → marker (at `exp` when an `export` precedes). */
  private typeDecl(exp: Token | null): void {
    const first = this.take();
    const name = this.take().value;
    let generics: string[] = [];
    if (this.isSym('<')) generics = this.parseGenericParams().map((g) => g.name);
    this.expect('=', 'type declaration');
    const node = this.parseType();
    this.withScopeGenerics(node, generics);
    const at = exp ?? first;
    this.types.push({ name, generics, node, line: at.line, column: at.column, kind: 'type' });
    this.eraseTo(at.start, MARKER);
  }

  /** `interface Name [<generics>] [: Base {, Base}] members end` → marker. */
  private interfaceDecl(exp: Token | null): void {
    const first = this.take();
    const name = this.take().value;
    let generics: string[] = [];
    if (this.isSym('<')) generics = this.parseGenericParams().map((g) => g.name);
    const bases: TypeNode[] = [];
    if (this.accept(':')) {
      do bases.push(this.parseType()); while (this.accept(','));
    }
    const body = this.parseInterfaceBody();
    const node: TypeNode = { kind: 'interface', extends: bases, fields: body.fields };
    if (body.indexer) node.indexer = body.indexer;
    this.withScopeGenerics(node, generics);
    const at = exp ?? first;
    this.types.push({ name, generics, node, line: at.line, column: at.column, kind: 'interface' });
    this.eraseTo(at.start, MARKER);
  }

  private exprStat(): void {
    this.suffixedExp();
    this.castPostfix();
    if (this.isSym('=') || this.isSym(',')) {
      while (this.accept(',')) { this.suffixedExp(); this.castPostfix(); }
      if (this.accept('=')) this.exprList();
    }
  }

  // ---- expressions ----

  private exprList(): void {
    do this.expr(); while (this.accept(','));
  }

  private expr(): void {
    for (;;) {
      this.unaryOps();
      const before = this.pos;
      this.simpleExp();
      if (this.pos === before) return;
      this.castPostfix();
      const t = this.peek();
      if ((t.kind === 'symbol' && BINOPS.has(t.value)) || (t.kind === 'keyword' && (t.value === 'and' || t.value === 'or'))) {
        this.take();
        continue;
      }
      return;
    }
  }

  private unaryOps(): void {
    for (;;) {
      const t = this.peek();
      if (t.kind === 'keyword' ? t.value === 'not' : t.kind === 'symbol' && (t.value === '-' || t.value === '#' || t.value === '~')) {
        this.take();
        continue;
      }
      return;
    }
  }

  private simpleExp(): void {
    const t = this.peek();
    switch (t.kind) {
      case 'number':
      case 'string':
        this.take();
        return;
      case 'keyword':
        if (t.value === 'nil' || t.value === 'true' || t.value === 'false') { this.take(); return; }
        if (t.value === 'function') { this.take(); this.funcBody(); return; }
        return;
      case 'symbol':
        if (t.value === '...') { this.take(); return; }
        if (t.value === '{') { this.tableConstructor(); return; }
        break;
    }
    this.suffixedExp();
  }

  private suffixedExp(): void {
    const t = this.peek();
    if (t.kind === 'name') {
      this.take();
    } else if (t.kind === 'symbol' && t.value === '(') {
      this.take();
      this.expr();
      this.accept(')');
    } else {
      return;
    }
    for (;;) {
      const s = this.peek();
      if (s.kind === 'string') { this.take(); continue; }
      if (s.kind !== 'symbol') return;
      switch (s.value) {
        case '.':
          this.take();
          if (this.isNameLike(this.peek())) this.take();
          continue;
        case '[':
          this.take();
          this.expr();
          this.accept(']');
          continue;
        case ':':
          this.take();
          if (this.isNameLike(this.peek())) this.take();
          continue;
        case '(':
          this.take();
          if (!this.isSym(')')) this.exprList();
          this.accept(')');
          continue;
        case '{':
          this.tableConstructor();
          continue;
        case '!':
          this.bang();
          continue;
        default:
          return;
      }
    }
  }

  /** Postfix non-nil assertion `x!`: erased. */
  private bang(): void {
    const t = this.take();
    const n = this.peek();
    if (n.kind === 'symbol' && n.value === '=' && n.start === t.end) {
      throw new LuaSyntaxError("'!=' is not an operator; use '~='", t.line, t.column);
    }
    this.cut(t.start, t.end, BLANK);
  }

  /** Casts `e as T`, `e :: T` and `e!` right after an expression. */
  private castPostfix(): void {
    for (;;) {
      const t = this.peek();
      if (t.kind === 'name' && t.value === 'as' && this.isCast(t)) {
        this.take();
        this.castType();
        this.eraseTo(t.start);
        continue;
      }
      if (t.kind === 'symbol') {
        if (t.value === '::' && !this.isLabel(t)) {
          this.take();
          this.castType();
          this.eraseTo(t.start);
          continue;
        }
        if (t.value === '!') { this.bang(); continue; }
      }
      return;
    }
  }

  private castType(): void {
    this.castTypeNode();
  }

  private castTypeNode(): TypeNode {
    const prev = this.speculativeGenerics;
    this.speculativeGenerics = true;
    try {
      return this.parseType();
    } finally {
      this.speculativeGenerics = prev;
    }
  }

  /**
   * `as` after an expression is a cast when a type follows — unless plain Lua uses `as` as a name starting the
   * next statement: `as = 1`, `as.x = 1`, or (at the start of a line) `as(...)`, `as{...}`, `as"..."`.
   */
  private isCast(t: Token): boolean {
    const a = this.ahead(1);
    if (!this.startsType(a)) return false;
    const prev = this.prev;
    if (prev && prev.line < t.line && (a.kind === 'string' || (a.kind === 'symbol' && (a.value === '(' || a.value === '{')))) {
      return this.onlyTypeFollows();
    }
    return true;
  }

  /**
   * At a line-initial `as` followed by '(' or '{': true when what follows can only be a type — a record, map or
   * function type (`as {name: string}`, `as (x: T) -> R`) — so a cast continued on a new line is not a call.
   */
  private onlyTypeFollows(): boolean {
    const save = this.save();
    try {
      this.take();
      const node = this.castTypeNode();
      return node.kind === 'record' || node.kind === 'map' || node.kind === 'function';
    } catch (e) {
      if (e instanceof LuaSyntaxError) return false;
      throw e;
    } finally {
      this.restore(save);
    }
  }

  /** `::name::` on one line with only spaces/tabs between is a label (spec §2.2); otherwise `::` is a cast. */
  private isLabel(t: Token): boolean {
    const name = this.ahead(1);
    const close = this.ahead(2);
    if (name.kind !== 'name' || close.kind !== 'symbol' || close.value !== '::') return false;
    return onlyBlanks(this.src, t.end, name.start) && onlyBlanks(this.src, name.end, close.start);
  }

  private tableConstructor(): void {
    this.take(); // '{'
    while (!this.isSym('}')) {
      const before = this.pos;
      const t = this.peek();
      if (t.kind === 'symbol' && t.value === '[') {
        this.take();
        this.expr();
        this.accept(']');
        this.accept('=');
        this.expr();
      } else if (this.isNameLike(t) && this.ahead(1).kind === 'symbol' && this.ahead(1).value === '=') {
        this.take();
        this.take();
        this.expr();
      } else {
        this.expr();
      }
      if (this.pos === before) break;
      if (!this.accept(',') && !this.accept(';')) break;
    }
    this.accept('}');
  }
}

function onlyBlanks(src: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) {
    const c = src.charCodeAt(i);
    if (c !== 32 && c !== 9) return false;
  }
  return true;
}

/** `src[start, end)` with every char except newlines replaced by a space. */
function blankOut(src: string, start: number, end: number): string {
  let out = '';
  let run = 0;
  for (let i = start; i < end; i++) {
    const c = src.charCodeAt(i);
    if (c === 10 || c === 13) {
      if (run) { out += ' '.repeat(run); run = 0; }
      out += src[i];
    } else {
      run++;
    }
  }
  return run ? out + ' '.repeat(run) : out;
}
