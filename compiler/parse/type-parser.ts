// Wippy type expressions (spec §2.4): a recursive-descent parser over the token stream of lexer.ts, producing a
// JSON-serialisable TypeNode. The same parser class is the base of the eraser (erase.ts), which shares its token
// cursor, so a type annotation is parsed in place and its end is known exactly.

import { Lexer, LuaSyntaxError, numberValue, stringValue, type LexState, type Token } from './lexer.js';

/** A literal argument of a validator annotation: `@min(0)`, `@pattern("^%d+$")`. nil is null. */
export type AnnotationArg = string | number | boolean | null;

/** A validator annotation after a type: `@min(n) @max(n) @min_len(n) @max_len(n) @pattern("re")`. */
export interface Annotation {
  name: string;
  args: AnnotationArg[];
}

export interface Field {
  name: string;
  type: TypeNode;
  /** `name?: T` */
  optional?: boolean;
  /** `readonly name: T` */
  readonly?: boolean;
  /** Declared with `function name(...)` in an interface. */
  method?: boolean;
}

export interface Param {
  /** Absent for unnamed parameters (`(number, string) -> R`). */
  name?: string;
  type: TypeNode;
  /** `name?: T` */
  optional?: boolean;
}

/** A generic parameter `T`, `U: Constraint`, `V = Default`. */
export interface GenericParam {
  name: string;
  constraint?: TypeNode;
  default?: TypeNode;
}

interface Base {
  /** Validator annotations attached to this node. */
  annotations?: Annotation[];
  /** Generic parameter names introduced at this node (a generic `type`/`interface` or function type). */
  generics?: string[];
}

export interface NameType extends Base {
  kind: 'name';
  /** Primitive (`number`, `nil`, ...), alias, generic parameter, or qualified `mod.Type`. */
  name: string;
  /** Type arguments: `Box<T>`. */
  args?: TypeNode[];
}
export interface LiteralType extends Base {
  kind: 'literal';
  value: string | number | boolean;
}
export interface OptionalType extends Base {
  kind: 'optional';
  inner: TypeNode;
}
export interface UnionType extends Base {
  kind: 'union';
  types: TypeNode[];
}
export interface IntersectionType extends Base {
  kind: 'intersection';
  types: TypeNode[];
}
export interface ArrayType extends Base {
  kind: 'array';
  elem: TypeNode;
}
export interface MapType extends Base {
  kind: 'map';
  key: TypeNode;
  value: TypeNode;
}
export interface RecordType extends Base {
  kind: 'record';
  fields: Field[];
  /** `[K]: V` entry mixed with named fields. */
  indexer?: { key: TypeNode; value: TypeNode };
}
export interface InterfaceType extends Base {
  kind: 'interface';
  /** Base interfaces (`interface Name : Base1, Base2`). */
  extends: TypeNode[];
  fields: Field[];
  indexer?: { key: TypeNode; value: TypeNode };
}
export interface FunctionType extends Base {
  kind: 'function';
  params: Param[];
  /** `...: T` (`...` alone is `any`). */
  variadic?: TypeNode;
  /** The return type: a single type, or a `tuple` for multiple (or zero) results. */
  returns: TypeNode;
  /** Constraints/defaults of the generic parameters named in `generics`. */
  genericParams?: GenericParam[];
}
export interface TupleType extends Base {
  kind: 'tuple';
  types: TypeNode[];
}
export interface TypeofType extends Base {
  kind: 'typeof';
  /** Source text of the expression between the parentheses. */
  expr: string;
  /** Offsets of the expression in the source [start, end). */
  start: number;
  end: number;
  line: number;
  column: number;
  /** Set when the expression is a plain `a.b.c` path. */
  path?: string[];
}
export interface KeyofType extends Base {
  kind: 'keyof';
  inner: TypeNode;
}
export interface IndexType extends Base {
  kind: 'index';
  object: TypeNode;
  index: TypeNode;
}
export interface ConditionalType extends Base {
  kind: 'conditional';
  check: TypeNode;
  extends: TypeNode;
  then: TypeNode;
  else: TypeNode;
}
export interface ReadonlyType extends Base {
  kind: 'readonly';
  inner: TypeNode;
}
export interface AssertsType extends Base {
  kind: 'asserts';
  /** The asserted parameter. */
  param: string;
  /** `asserts x is T`; absent for `asserts x` (x is truthy). */
  type?: TypeNode;
}

export type TypeNode =
  | NameType | LiteralType | OptionalType | UnionType | IntersectionType | ArrayType | MapType | RecordType
  | InterfaceType | FunctionType | TupleType | TypeofType | KeyofType | IndexType | ConditionalType
  | ReadonlyType | AssertsType;

export const PRIMITIVE_TYPES: ReadonlySet<string> = new Set([
  'number', 'integer', 'string', 'boolean', 'nil', 'any', 'unknown', 'never', 'table', 'function', 'thread',
  'userdata', 'self',
]);

/** Saved cursor state for backtracking. */
export interface ParserState {
  lex: LexState;
  cur: Token;
  la: Token[];
  pending: Token | null;
  pos: number;
  lastEnd: number;
  prev: Token | null;
}

/**
 * Cursor over a streaming token source with the type-expression grammar. `buf` holds the current token and any
 * lookahead; `pending` holds the rest of a token that was split (`>>` closing two generic lists, `>=` closing one
 * before `=`).
 */
export class TypeParser {
  /** Number of tokens consumed (lets callers detect progress). */
  pos = 0;
  pending: Token | null = null;
  /** Offset after the last consumed token. */
  lastEnd = 0;
  /** The last consumed token. */
  prev: Token | null = null;
  /** Inside a cast (`x as T`): generic argument lists are tried speculatively (`x as T < y` is a comparison). */
  protected speculativeGenerics = false;
  protected readonly lexer: Lexer;
  /** The current token. */
  private cur: Token;
  /** Lookahead tokens after `cur` (rarely more than two). */
  private la: Token[] = [];

  constructor(protected readonly src: string) {
    this.lexer = new Lexer(src);
    this.cur = this.lexer.next();
  }

  // ---- cursor ----

  peek(): Token {
    return this.pending ?? this.cur;
  }

  /** The token `k` positions ahead of the current one (k >= 1), ignoring a pending split. */
  ahead(k: number): Token {
    const la = this.la;
    while (la.length < k) {
      const last = la.length === 0 ? this.cur : la[la.length - 1];
      la.push(last.kind === 'eof' ? last : this.lexer.next());
    }
    return la[k - 1];
  }

  advance(): Token {
    const t = this.pending ?? this.cur;
    this.pending = null;
    if (t.kind !== 'eof') {
      const la = this.la;
      this.cur = la.length === 0 ? this.lexer.next() : la.length === 1 ? la.pop()! : la.shift()!;
      this.pos++;
    }
    return t;
  }

  take(): Token {
    const t = this.advance();
    this.lastEnd = t.end;
    this.prev = t;
    return t;
  }

  is(v: string): boolean {
    const t = this.peek();
    return t.value === v && (t.kind === 'symbol' || t.kind === 'keyword' || t.kind === 'name');
  }

  isSym(v: string): boolean {
    const t = this.peek();
    return t.kind === 'symbol' && t.value === v;
  }

  accept(v: string): boolean {
    if (this.isSym(v)) { this.take(); return true; }
    return false;
  }

  expect(v: string, what = 'type expression'): Token {
    if (!this.isSym(v)) throw this.unexpected(what, `'${v}' expected`);
    return this.take();
  }

  unexpected(what = 'type expression', detail?: string): LuaSyntaxError {
    const t = this.peek();
    const near = t.kind === 'eof' ? '<eof>' : `'${t.value}'`;
    const msg = detail ? `${detail} near ${near} in ${what}` : `unexpected symbol near ${near} in ${what}`;
    return new LuaSyntaxError(msg, t.line, t.column);
  }

  protected save(): ParserState {
    return {
      lex: this.lexer.save(), cur: this.cur, la: this.la.slice(), pending: this.pending, pos: this.pos, lastEnd: this.lastEnd,
      prev: this.prev,
    };
  }

  protected restore(s: ParserState): void {
    this.lexer.restore(s.lex);
    this.cur = s.cur;
    this.la = s.la;
    this.pending = s.pending;
    this.pos = s.pos;
    this.lastEnd = s.lastEnd;
    this.prev = s.prev;
  }

  /** Consume a '>' closing a generic list, splitting `>>` and `>=`. */
  private closeAngle(): void {
    const t = this.peek();
    if (t.kind === 'symbol' && t.value.charCodeAt(0) === 62 /* > */) {
      if (t.value === '>') { this.take(); return; }
      this.lastEnd = t.start + 1;
      this.pending = {
        kind: 'symbol', value: t.value.slice(1), start: t.start + 1, end: t.end, line: t.line, column: t.column + 1,
      };
      return;
    }
    throw this.unexpected('type expression', "'>' expected");
  }

  protected isNameLike(t: Token): boolean {
    return t.kind === 'name' || t.kind === 'keyword';
  }

  // ---- entry points ----

  /** A full type expression (conditional level). */
  parseType(): TypeNode {
    const check = this.parseUnion();
    if (this.is('extends') && this.peek().kind === 'name') {
      this.take();
      const ext = this.parseUnion(true);
      this.expect('?');
      const then = this.parseType();
      this.expect(':');
      const els = this.parseType();
      return { kind: 'conditional', check, extends: ext, then, else: els };
    }
    return check;
  }

  /** A function's return annotation: a type, `(R1, R2)`, `()`, `asserts x`, `asserts x is T`, `x is T`. */
  parseReturnType(): TypeNode {
    const t = this.peek();
    // `...T` (Luau style) returns any number of T; like `(A, ...: T)` it becomes a tuple ending in T.
    if (t.kind === 'symbol' && t.value === '...') return { kind: 'tuple', types: [this.variadicTail()] };
    if (t.kind === 'name' && t.value === 'asserts' && this.isNameLike(this.ahead(1)) && !this.pending) {
      this.take();
      const param = this.take().value;
      if (this.is('is') && this.peek().kind === 'name') {
        this.take();
        return { kind: 'asserts', param, type: this.parseType() };
      }
      return { kind: 'asserts', param };
    }
    // A TypeScript-style predicate `x is T` (same line) returns a boolean: the narrowing is the checker's business.
    const a = this.ahead(1);
    if (t.kind === 'name' && a.kind === 'name' && a.value === 'is' && a.line === t.line && !this.pending) {
      this.take();
      this.take();
      this.parseType();
      return { kind: 'name', name: 'boolean' };
    }
    return this.parseType();
  }

  /** `<T, U: C, V = D>` after the '<' has been seen (consumes through '>'). */
  parseGenericParams(): GenericParam[] {
    this.expect('<', 'generic parameter list');
    const out: GenericParam[] = [];
    do {
      const t = this.peek();
      if (t.kind !== 'name') throw this.unexpected('generic parameter list', 'name expected');
      this.take();
      const g: GenericParam = { name: t.value };
      if (this.accept(':') || (this.is('extends') && this.peek().kind === 'name' && this.take())) {
        g.constraint = this.parseType();
      }
      if (this.accept('=')) g.default = this.parseType();
      out.push(g);
    } while (this.accept(','));
    this.closeAngle();
    return out;
  }

  // ---- grammar ----

  private parseUnion(inExtends = false): TypeNode {
    this.accept('|');
    const first = this.parseIntersection(inExtends);
    if (!this.isSym('|')) return first;
    const types = [first];
    while (this.accept('|')) types.push(this.parseIntersection(inExtends));
    return { kind: 'union', types };
  }

  private parseIntersection(inExtends: boolean): TypeNode {
    this.accept('&');
    const first = this.parsePostfix(inExtends);
    if (!this.isSym('&')) return first;
    const types = [first];
    while (this.accept('&')) types.push(this.parsePostfix(inExtends));
    return { kind: 'intersection', types };
  }

  private parsePostfix(inExtends: boolean): TypeNode {
    let node = this.parsePrimary();
    for (;;) {
      if (this.isSym('?')) {
        // In `A extends B ? C : D` the '?' belongs to the conditional unless doubled (`B? ? C : D`).
        if (inExtends && !(this.ahead(1).kind === 'symbol' && this.ahead(1).value === '?')) break;
        this.take();
        node = { kind: 'optional', inner: node };
        continue;
      }
      if (this.isSym('[')) {
        this.take();
        if (this.accept(']')) { node = { kind: 'array', elem: node }; continue; }
        const index = this.parseType();
        this.expect(']');
        node = { kind: 'index', object: node, index };
        continue;
      }
      if (this.isSym('@')) {
        const anns = (node.annotations ??= []);
        while (this.isSym('@')) anns.push(this.parseAnnotation());
        continue;
      }
      break;
    }
    return node;
  }

  private parseAnnotation(): Annotation {
    this.expect('@');
    const t = this.peek();
    if (!this.isNameLike(t)) throw this.unexpected('annotation', 'name expected');
    this.take();
    const args: AnnotationArg[] = [];
    if (this.isSym('(') && this.peek().line === t.line) {
      this.take();
      if (!this.isSym(')')) {
        do args.push(this.parseLiteralArg()); while (this.accept(','));
      }
      this.expect(')', 'annotation');
    }
    return { name: t.value, args };
  }

  private parseLiteralArg(): AnnotationArg {
    const t = this.peek();
    if (t.kind === 'number') { this.take(); return numberValue(t.value); }
    if (t.kind === 'string') { this.take(); return stringValue(t.value); }
    if (this.isSym('-') && this.ahead(1).kind === 'number') {
      this.take();
      return -numberValue(this.take().value);
    }
    if (t.kind === 'keyword') {
      if (t.value === 'true') { this.take(); return true; }
      if (t.value === 'false') { this.take(); return false; }
      if (t.value === 'nil') { this.take(); return null; }
    }
    throw this.unexpected('annotation', 'literal expected');
  }

  private parsePrimary(): TypeNode {
    const t = this.peek();
    switch (t.kind) {
      case 'string':
        this.take();
        return { kind: 'literal', value: stringValue(t.value) };
      case 'number':
        this.take();
        return { kind: 'literal', value: numberValue(t.value) };
      case 'keyword':
        if (t.value === 'nil') { this.take(); return { kind: 'name', name: 'nil' }; }
        if (t.value === 'true' || t.value === 'false') { this.take(); return { kind: 'literal', value: t.value === 'true' }; }
        if (t.value === 'function') {
          this.take();
          // `function(a: A): R` is a function type like `fun(...)`; `function` alone is the primitive.
          if (this.isSym('(') && this.peek().line === t.line) return this.parseFunType();
          return { kind: 'name', name: 'function' };
        }
        break;
      case 'name':
        return this.parseNamed(t);
      case 'symbol':
        switch (t.value) {
          case '{': return this.parseBraces();
          case '(': return this.parseParenthesized();
          case '<': return this.parseGenericFunction();
          case '-':
            if (this.ahead(1).kind === 'number' && !this.pending) {
              this.take();
              return { kind: 'literal', value: -numberValue(this.take().value) };
            }
            break;
        }
        break;
    }
    throw this.unexpected();
  }

  private parseNamed(t: Token): TypeNode {
    const next = this.ahead(1);
    switch (t.value) {
      case 'fun':
        if (next.kind === 'symbol' && next.value === '(') { this.take(); return this.parseFunType(); }
        if (next.kind === 'symbol' && next.value === '<') {
          this.take();
          const gps = this.parseGenericParams();
          const fn = this.parseFunType();
          this.setGenerics(fn, gps);
          return fn;
        }
        break;
      case 'typeof':
        if (next.kind === 'symbol' && next.value === '(') return this.parseTypeof();
        break;
      case 'keyof':
        if (this.startsType(next)) { this.take(); return { kind: 'keyof', inner: this.parsePostfix(false) }; }
        break;
      case 'readonly':
        if (this.startsType(next)) { this.take(); return { kind: 'readonly', inner: this.parsePostfix(false) }; }
        break;
      case 'interface':
        if (next.kind === 'symbol' && next.value === '{') {
          this.take();
          const rec = this.parseBraces();
          if (rec.kind === 'record') return { kind: 'interface', extends: [], fields: rec.fields, ...(rec.indexer ? { indexer: rec.indexer } : {}) };
          if (rec.kind === 'map') return { kind: 'interface', extends: [], fields: [], indexer: { key: rec.key, value: rec.value } };
          return { kind: 'interface', extends: [], fields: [] };
        }
        break;
    }
    this.take();
    let name = t.value;
    while (this.isSym('.') && this.isNameLike(this.ahead(1))) {
      this.take();
      name += '.' + this.take().value;
    }
    const node: NameType = { kind: 'name', name };
    if (this.isSym('<')) {
      if (this.speculativeGenerics) {
        const save = this.save();
        try {
          node.args = this.parseTypeArgs();
        } catch (e) {
          if (!(e instanceof LuaSyntaxError)) throw e;
          this.restore(save);
        }
      } else {
        node.args = this.parseTypeArgs();
      }
    }
    return node;
  }

  /** True when `t` can start a type expression. */
  startsType(t: Token): boolean {
    switch (t.kind) {
      case 'name': case 'string': case 'number': return true;
      case 'keyword': return t.value === 'nil' || t.value === 'true' || t.value === 'false' || t.value === 'function';
      case 'symbol': return t.value === '{' || t.value === '(' || t.value === '-' || t.value === '<';
      default: return false;
    }
  }

  private parseTypeArgs(): TypeNode[] {
    this.expect('<');
    const args: TypeNode[] = [];
    do args.push(this.parseType()); while (this.accept(','));
    this.closeAngle();
    return args;
  }

  private parseTypeof(): TypeofType {
    this.take(); // typeof
    const open = this.expect('(');
    let depth = 1;
    const first = this.peek();
    const path: string[] = [];
    let plain = true;
    let expectName = true;
    let last = open;
    for (;;) {
      const t = this.peek();
      if (t.kind === 'eof') throw this.unexpected('typeof expression', "')' expected");
      if (t.kind === 'symbol') {
        if (t.value === '(' || t.value === '[' || t.value === '{') depth++;
        else if (t.value === ')' || t.value === ']' || t.value === '}') {
          depth--;
          if (depth === 0) break;
        }
      }
      if (plain) {
        if (expectName && t.kind === 'name') { path.push(t.value); expectName = false; }
        else if (!expectName && t.kind === 'symbol' && t.value === '.') expectName = true;
        else plain = false;
      }
      last = this.take();
    }
    const close = this.take();
    if (last === open) throw new LuaSyntaxError('expression expected in typeof', close.line, close.column);
    const node: TypeofType = {
      kind: 'typeof', expr: this.src.slice(first.start, last.end),
      start: first.start, end: last.end, line: first.line, column: first.column,
    };
    if (plain && !expectName && path.length > 0) node.path = path;
    return node;
  }

  /** `{T}`, `{[K]: V}`, `{a: T, b?: U, readonly c: V}`, `{}`. */
  private parseBraces(): TypeNode {
    this.expect('{');
    if (this.accept('}')) return { kind: 'record', fields: [] };
    if (!this.startsField()) {
      const elem = this.parseType();
      this.accept(',') || this.accept(';');
      this.expect('}');
      return { kind: 'array', elem };
    }
    const fields: Field[] = [];
    let indexer: { key: TypeNode; value: TypeNode } | undefined;
    while (!this.isSym('}')) {
      if (this.isSym('[')) {
        if (indexer) throw this.unexpected('record type', 'duplicate indexer');
        this.take();
        const key = this.parseType();
        this.expect(']');
        this.expect(':');
        indexer = { key, value: this.parseType() };
      } else {
        fields.push(this.parseField());
      }
      if (!this.accept(',') && !this.accept(';')) break;
    }
    this.expect('}', 'record type');
    if (indexer && fields.length === 0) return { kind: 'map', key: indexer.key, value: indexer.value };
    const rec: RecordType = { kind: 'record', fields };
    if (indexer) rec.indexer = indexer;
    return rec;
  }

  /** At a '{' body: does a record field (`name:`, `name?:`, `readonly name:`, `"k":`) or indexer start here? */
  private startsField(): boolean {
    const t = this.peek();
    if (t.kind === 'symbol') return t.value === '[';
    const a = this.ahead(1);
    if (this.isNameLike(t) || t.kind === 'string') {
      if (a.kind === 'symbol' && a.value === ':') return true;
      if (a.kind === 'symbol' && a.value === '?') {
        const b = this.ahead(2);
        return b.kind === 'symbol' && b.value === ':';
      }
      if (t.kind === 'name' && t.value === 'readonly' && this.isNameLike(a)) {
        const b = this.ahead(2);
        return b.kind === 'symbol' && (b.value === ':' || b.value === '?');
      }
    }
    return false;
  }

  /** `name: T`, `name?: T`, `readonly name: T`, `"key": T`. */
  parseField(): Field {
    let readonly = false;
    let t = this.peek();
    if (t.kind === 'name' && t.value === 'readonly' && this.isNameLike(this.ahead(1))) {
      const a = this.ahead(2);
      if (a.kind === 'symbol' && (a.value === ':' || a.value === '?')) {
        this.take();
        readonly = true;
        t = this.peek();
      }
    }
    if (!this.isNameLike(t) && t.kind !== 'string') throw this.unexpected('record type', 'field name expected');
    this.take();
    const name = t.kind === 'string' ? stringValue(t.value) : t.value;
    const optional = this.accept('?');
    this.expect(':', 'record type');
    const f: Field = { name, type: this.parseType() };
    if (optional) f.optional = true;
    if (readonly) f.readonly = true;
    return f;
  }

  /** `(T)` grouping, or a function type `(a: A, B, ...: C) -> R`. */
  private parseParenthesized(): TypeNode {
    const open = this.peek();
    const { params, variadic, named } = this.parseParamList();
    if (this.isSym('->')) {
      this.take();
      return this.finishFunction(params, variadic, this.parseArrowReturn());
    }
    if (params.length === 1 && !named && !variadic && !params[0].optional) return params[0].type;
    throw new LuaSyntaxError("'->' expected after parameter list in function type", open.line, open.column);
  }

  /** `<T>(a: T) -> T` */
  private parseGenericFunction(): TypeNode {
    const gps = this.parseGenericParams();
    if (!this.isSym('(')) throw this.unexpected('function type', "'(' expected");
    const { params, variadic } = this.parseParamList();
    this.expect('->', 'function type');
    const fn = this.finishFunction(params, variadic, this.parseArrowReturn());
    this.setGenerics(fn, gps);
    return fn;
  }

  private setGenerics(fn: FunctionType, gps: GenericParam[]): void {
    fn.generics = gps.map((g) => g.name);
    if (gps.some((g) => g.constraint || g.default)) fn.genericParams = gps;
  }

  /** The type after `->`: a type, `(R1, R2)`, `()`, or `asserts x is T`. */
  private parseArrowReturn(): TypeNode {
    if (this.isSym('(')) {
      const save = this.save();
      const { params, variadic, named } = this.parseParamList();
      if (this.isSym('->')) {
        // A function type returning a function: `(a) -> (b) -> c`.
        this.restore(save);
        return this.parseType();
      }
      if (named) {
        this.restore(save);
        throw this.unexpected('function type', 'return type expected');
      }
      if (params.length === 1 && !variadic) {
        // `(T)` may continue as a postfix/union type: `(A) | B`, `(T)?`.
        this.restore(save);
        return this.parseType();
      }
      const types = params.map((p) => p.type);
      if (variadic) types.push(variadic);
      return { kind: 'tuple', types };
    }
    return this.parseReturnType();
  }

  private finishFunction(params: Param[], variadic: TypeNode | undefined, returns: TypeNode): FunctionType {
    const fn: FunctionType = { kind: 'function', params, returns };
    if (variadic) fn.variadic = variadic;
    return fn;
  }

  /** `fun(a: A, B): R` / `function(a: A): (R1, R2)`; the keyword has been consumed. */
  private parseFunType(): FunctionType {
    const { params, variadic } = this.parseParamList();
    let returns: TypeNode = { kind: 'tuple', types: [] };
    if (this.isSym(':')) {
      this.take();
      returns = this.parseFunReturn();
    }
    return this.finishFunction(params, variadic, returns);
  }

  /** A return annotation after `:` — `R`, `(R1, R2)`, `()`, `asserts x is T` (also used by the eraser). */
  parseFunReturn(): TypeNode {
    if (this.isSym('(')) {
      const save = this.save();
      const { params, variadic, named } = this.parseParamList();
      if (!named && !this.isSym('->') && !(params.length === 1 && !variadic)) {
        const types = params.map((p) => p.type);
        if (variadic) types.push(variadic);
        return { kind: 'tuple', types };
      }
      this.restore(save);
    }
    return this.parseReturnType();
  }

  /**
   * `( [param {, param}] )` where param = `name: T` | `name?: T` | `T` | `...: T` | `...`. With `luaStyle`
   * (interface methods, written like Lua functions) a bare name is a parameter name of type `any`.
   */
  parseParamList(luaStyle = false): { params: Param[]; variadic?: TypeNode; named: boolean } {
    this.expect('(');
    const params: Param[] = [];
    let variadic: TypeNode | undefined;
    let named = false;
    if (!this.isSym(')')) {
      do {
        if (this.isSym(')')) break;
        if (this.isSym('...')) {
          variadic = this.variadicTail();
          break;
        }
        const t = this.peek();
        const a = this.ahead(1);
        if (this.isNameLike(t) && !this.pending && a.kind === 'symbol' && (a.value === ':' || (a.value === '?' && this.ahead(2).value === ':' && this.ahead(2).kind === 'symbol'))) {
          this.take();
          const optional = this.accept('?');
          this.take(); // ':'
          const p: Param = { name: t.value, type: this.parseType() };
          if (optional) p.optional = true;
          params.push(p);
          named = true;
        } else if (luaStyle && t.kind === 'name' && a.kind === 'symbol' && (a.value === ',' || a.value === ')')) {
          this.take();
          params.push({ name: t.value, type: { kind: 'name', name: t.value === 'self' ? 'self' : 'any' } });
          named = true;
        } else {
          params.push({ type: this.parseType() });
        }
      } while (this.accept(','));
    }
    this.expect(')', 'function type');
    return variadic ? { params, variadic, named } : { params, named };
  }

  /** `...`, `...: T` or `...T` (the '...' is current): the type of the extra values, `any` if unwritten. */
  private variadicTail(): TypeNode {
    this.take();
    if (this.accept(':') || this.startsType(this.peek())) return this.parseType();
    return { kind: 'name', name: 'any' };
  }

  /**
   * The body of an `interface` declaration after its header: fields (`name: T`, `name?: T`, `readonly name: T`)
   * and methods (`function name(params): R`), optionally separated by ',' or ';', up to `end` (consumed).
   */
  parseInterfaceBody(): { fields: Field[]; indexer?: { key: TypeNode; value: TypeNode } } {
    const fields: Field[] = [];
    let indexer: { key: TypeNode; value: TypeNode } | undefined;
    for (;;) {
      const t = this.peek();
      if (t.kind === 'keyword' && t.value === 'end') { this.take(); break; }
      if (t.kind === 'keyword' && t.value === 'function') {
        this.take();
        const nt = this.peek();
        if (!this.isNameLike(nt)) throw this.unexpected('interface', 'method name expected');
        this.take();
        const gps = this.isSym('<') ? this.parseGenericParams() : null;
        const { params, variadic } = this.parseParamList(true);
        let returns: TypeNode = { kind: 'tuple', types: [] };
        if (this.accept(':')) returns = this.parseFunReturn();
        const fn = this.finishFunction(params, variadic, returns);
        if (gps) this.setGenerics(fn, gps);
        fields.push({ name: nt.value, type: fn, method: true });
      } else if (t.kind === 'symbol' && t.value === '[') {
        this.take();
        const key = this.parseType();
        this.expect(']', 'interface');
        this.expect(':', 'interface');
        indexer = { key, value: this.parseType() };
      } else if (this.isNameLike(t) || t.kind === 'string') {
        fields.push(this.parseField());
      } else {
        throw this.unexpected('interface', t.kind === 'eof' ? "'end' expected" : undefined);
      }
      this.accept(',') || this.accept(';');
    }
    return indexer ? { fields, indexer } : { fields };
  }
}

/** Parse a standalone type expression (the whole string must be one type). */
export function parseTypeExpr(src: string): TypeNode {
  const p = new TypeParser(src);
  const node = p.parseType();
  if (p.peek().kind !== 'eof') throw p.unexpected();
  return node;
}

/**
 * The distinct root identifiers a type refers to (first segment of qualified names), excluding primitive type
 * names and generic parameters in scope, in first-occurrence order. `typeof(a.b)` contributes `a`.
 */
export function typeRefs(node: TypeNode, generics: readonly string[] = []): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  const scope: string[] = [...generics];
  const add = (root: string) => {
    if (PRIMITIVE_TYPES.has(root) || scope.includes(root) || seen.has(root)) return;
    seen.add(root);
    out.push(root);
  };
  const visit = (n: TypeNode | undefined): void => {
    if (!n) return;
    const pushed = n.generics ? n.generics.length : 0;
    if (pushed) scope.push(...n.generics!);
    switch (n.kind) {
      case 'name': {
        const dot = n.name.indexOf('.');
        add(dot < 0 ? n.name : n.name.slice(0, dot));
        n.args?.forEach(visit);
        break;
      }
      case 'literal': break;
      case 'optional': case 'keyof': case 'readonly': visit(n.inner); break;
      case 'union': case 'intersection': case 'tuple': n.types.forEach(visit); break;
      case 'array': visit(n.elem); break;
      case 'map': visit(n.key); visit(n.value); break;
      case 'record':
        for (const f of n.fields) visit(f.type);
        if (n.indexer) { visit(n.indexer.key); visit(n.indexer.value); }
        break;
      case 'interface':
        n.extends.forEach(visit);
        for (const f of n.fields) visit(f.type);
        if (n.indexer) { visit(n.indexer.key); visit(n.indexer.value); }
        break;
      case 'function':
        if (n.genericParams) for (const g of n.genericParams) { visit(g.constraint); visit(g.default); }
        for (const p of n.params) visit(p.type);
        visit(n.variadic);
        visit(n.returns);
        break;
      case 'typeof': if (n.path) add(n.path[0]); break;
      case 'index': visit(n.object); visit(n.index); break;
      case 'conditional': visit(n.check); visit(n.extends); visit(n.then); visit(n.else); break;
      case 'asserts': visit(n.type); break;
    }
    if (pushed) scope.length -= pushed;
  };
  visit(node);
  return out;
}
