// The JS printer: codegen's Babel AST → module text + source map. It replaces @babel/generator, which spent
// about half of compile time on large files printing token by token and building the source map through
// gen-mapping. This printer knows only the node types codegen emits (anything else is an internal error),
// parenthesises by precedence, and writes the map's VLQ mappings as it goes.
//
// Source map: the same positions @babel/generator produced, so tracebacks and `error` positions are unchanged.
// Printing a node with a Lua `loc` sets the current source position to its start; when the node is done, to
// its end (a call's closing parenthesis gets its end column - 1, as Babel does). The first token of every
// generated line and the first token after each position change get a segment with the current position.

import type { t } from './builders.js';
import type { Loc } from '../parse/ast.js';

type N = any; // eslint-disable-line @typescript-eslint/no-explicit-any

// Precedence levels (higher binds tighter).
export const SEQ = 1, ASSIGN = 2, COND = 3, LOGICAL_AND = 6, UNARY = 16;
const NULLISH = 4, POSTFIX = 17, PRIMARY = 19;
/** Member and call expressions; an object expression needs this to be written before `.name`. */
export const LHS = 18;
export const BINARY: Record<string, number> = {
  '||': 5, '&&': 6, '|': 7, '^': 8, '&': 9,
  '==': 10, '!=': 10, '===': 10, '!==': 10,
  '<': 11, '>': 11, '<=': 11, '>=': 11, in: 11, instanceof: 11,
  '<<': 12, '>>': 12, '>>>': 12, '+': 13, '-': 13, '*': 14, '/': 14, '%': 14, '**': 15, '??': NULLISH,
};

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
function precedence(e: N): number {
  switch (e.type) {
    case 'SequenceExpression': return SEQ;
    case 'AssignmentExpression': case 'YieldExpression': case 'ArrowFunctionExpression': return ASSIGN;
    case 'ConditionalExpression': return COND;
    case 'BinaryExpression': case 'LogicalExpression': return BINARY[e.operator]!;
    case 'UnaryExpression': return UNARY;
    case 'UpdateExpression': return e.prefix ? UNARY : POSTFIX;
    case 'NumericLiteral': return e.value < 0 || Object.is(e.value, -0) ? UNARY : PRIMARY;
    case 'CallExpression': case 'NewExpression': case 'MemberExpression': return LHS;
    case 'Raw': case 'Template': return e.prec ?? PRIMARY;
    default: return PRIMARY;
  }
}

/** The leftmost node of an expression as printed (without parentheses): decides `function`/`{` at a statement start. */
function leftmost(e: N): N {
  for (;;) {
    switch (e.type) {
      case 'CallExpression': e = e.callee; break;
      case 'MemberExpression': e = e.object; break;
      case 'BinaryExpression': case 'LogicalExpression': e = e.left; break;
      case 'AssignmentExpression': e = e.left; break;
      case 'ConditionalExpression': e = e.test; break;
      case 'SequenceExpression': e = e.expressions[0]; break;
      case 'UpdateExpression': if (e.prefix) return e; e = e.argument; break;
      default: return e;
    }
  }
}

function containsIn(e: N): boolean {
  if (!e || typeof e !== 'object') return false;
  if (Array.isArray(e)) return e.some(containsIn);
  if (e.type === 'BinaryExpression' && e.operator === 'in') return true;
  if (e.type === 'FunctionExpression' || e.type === 'ArrowFunctionExpression') return false;
  for (const k in e) if (k !== 'loc' && k !== 'extra' && containsIn(e[k])) return true;
  return false;
}

/** Escape a byte string as a double-quoted JS literal (raw bytes ≥ 0x7f stay as they are). */
export function quote(s: string): string {
  let out = '"';
  let from = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x20 && c !== 0x22 && c !== 0x5c && c !== 0x2028 && c !== 0x2029 && !(c >= 0xd800 && c <= 0xdfff)) continue;
    out += s.slice(from, i);
    from = i + 1;
    switch (c) {
      case 0x22: out += '\\"'; break;
      case 0x5c: out += '\\\\'; break;
      case 0x0a: out += '\\n'; break;
      case 0x0d: out += '\\r'; break;
      case 0x09: out += '\\t'; break;
      case 0x08: out += '\\b'; break;
      case 0x0c: out += '\\f'; break;
      case 0x0b: out += '\\v'; break;
      default: out += c < 0x100 ? '\\x' + c.toString(16).padStart(2, '0') : '\\u' + c.toString(16).padStart(4, '0');
    }
  }
  return out + s.slice(from) + '"';
}

const IDENT = /^[A-Za-z_$][\w$]*$/;

/** JS source for plain data (what @babel/types' valueToNode would build), for a `Raw` node. */
export function dataText(v: unknown): string {
  switch (typeof v) {
    case 'string': return quote(v);
    case 'number': return Number.isNaN(v) ? '0 / 0' : v === Infinity ? '1 / 0' : v === -Infinity ? '-1 / 0' : Object.is(v, -0) ? '-0' : String(v);
    case 'boolean': return v ? 'true' : 'false';
    case 'undefined': return 'undefined';
    default: break;
  }
  if (v === null) return 'null';
  // Type descriptors: one per type declaration, thousands in a large file; concatenation, no arrays.
  let out = '';
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) out += (i > 0 ? ', ' : '') + dataText(v[i]);
    return `[${out}]`;
  }
  for (const k in v as object) {
    if (!Object.hasOwn(v as object, k)) continue;
    out += (out ? ', ' : '') + (IDENT.test(k) ? k : quote(k)) + ': ' + dataText((v as Record<string, unknown>)[k]);
  }
  return out ? `{${out}}` : '{}';
}

/** ` op ` for each binary, logical and assignment operator (one string each, not one per node). */
const SPACED = new Map<string, string>();
const spaced = (op: string): string => {
  let s = SPACED.get(op);
  if (s === undefined) SPACED.set(op, (s = ` ${op} `));
  return s;
};

const INDENTS: string[] = [];
const indentOf = (n: number) => (INDENTS[n] ??= '  '.repeat(n));

export interface Printed {
  code: string;
  /** Source map (v3) mappings, or '' when not asked for. */
  mappings: string;
}

/**
 * Growable one-byte (latin1) text: no string concatenation, so no garbage per token. Filled chunks are kept
 * as they are (no copying when growing or appending); `text` joins them once.
 */
class Out {
  private readonly chunks: Buffer[] = [];
  private done = 0;
  buf = Buffer.allocUnsafe(1 << 16);
  len = 0;

  /** Bytes written so far. */
  get pos(): number {
    return this.done + this.len;
  }

  private next(need: number): void {
    this.keep();
    this.buf = Buffer.allocUnsafe(Math.max(need, Math.min(this.done, 1 << 22), 1 << 16));
  }

  /** Move the written bytes to `chunks`; writing goes on in the rest of the buffer. */
  private keep(): void {
    if (this.len === 0) return;
    this.chunks.push(this.buf.subarray(0, this.len));
    this.buf = this.buf.subarray(this.len);
    this.done += this.len;
    this.len = 0;
  }

  str(s: string): void {
    const n = s.length;
    if (this.len + n > this.buf.length) this.next(n);
    if (n < 512) {
      const b = this.buf;
      let at = this.len;
      for (let i = 0; i < n; i++) b[at++] = s.charCodeAt(i);
      this.len = at;
    } else this.len += this.buf.write(s, this.len, n, 'latin1');
  }

  byte(c: number): void {
    if (this.len === this.buf.length) this.next(1);
    this.buf[this.len++] = c;
  }

  /** Take over `o`'s text (`o` is not used afterwards). */
  append(o: Out): void {
    this.keep();
    o.keep();
    this.chunks.push(...o.chunks);
    this.done += o.done;
  }

  text(): string {
    this.keep();
    return Buffer.concat(this.chunks, this.done).toString('latin1');
  }
}

const B64CODES = Array.from(B64, (c) => c.charCodeAt(0));

/**
 * Prints a whole program, or (`level` > 0) a piece: statements printed ahead at that indentation, which the
 * program's printer then copies in place of a `Printed` statement (see codegen/module.ts). A piece starts as
 * if the program had just begun an indented line and printed no source position yet.
 */
export class Printer {
  private readonly out = new Out();
  private lineStart: number;
  private level: number;
  // Source map state: the mappings text, and the previous segment's fields (VLQ fields are deltas).
  private readonly maps = new Out();
  private lineSegs = 0;
  private segCol = 0;
  private prevSrcLine = 0;
  private prevSrcCol = 0;
  private srcLine = -1;
  private srcCol = 0;
  private pending: boolean;
  private statements = 0;

  constructor(private readonly map: boolean, private readonly baseLevel = 0) {
    this.level = baseLevel;
    this.lineStart = -indentOf(baseLevel).length; // the program prints the first line's indentation
    this.pending = map && baseLevel > 0;
  }

  /** Print the next statement of a piece, on its own line. */
  statement(s: t.Statement): void {
    if (this.statements++ > 0) this.nl();
    this.stmt(s);
  }

  /** Copy a piece here, at the start of an indented line, and continue from its state. */
  private splice(p: Printer): void {
    if (p.map !== this.map || p.baseLevel !== this.level || this.srcLine !== -1 || this.lineSegs !== 0) {
      throw new Error('lunac printer: a printed piece does not fit where it is placed');
    }
    this.lineStart = this.out.pos + p.lineStart;
    this.out.append(p.out);
    this.maps.append(p.maps);
    this.lineSegs = p.lineSegs;
    this.segCol = p.segCol;
    this.prevSrcLine = p.prevSrcLine;
    this.prevSrcCol = p.prevSrcCol;
    this.srcLine = p.srcLine;
    this.srcCol = p.srcCol;
    this.pending = p.pending;
  }

  private w(s: string): void {
    if (this.pending) this.mark();
    this.out.str(s);
  }

  private vlq(n: number): void {
    let v = n < 0 ? (-n << 1) | 1 : n << 1;
    do {
      let digit = v & 31;
      v >>>= 5;
      if (v > 0) digit |= 32;
      this.maps.byte(B64CODES[digit]!);
    } while (v > 0);
  }

  private mark(): void {
    this.pending = false;
    if (this.srcLine < 0) return;
    // A segment: generated column (relative), source index 0 (relative: 0), source line, source column.
    const col = this.out.pos - this.lineStart;
    if (this.lineSegs++ > 0) this.maps.byte(44); // ','
    this.vlq(col - this.segCol);
    this.maps.byte(65); // 'A'
    this.vlq(this.srcLine - this.prevSrcLine);
    this.vlq(this.srcCol - this.prevSrcCol);
    this.segCol = col;
    this.prevSrcLine = this.srcLine;
    this.prevSrcCol = this.srcCol;
  }

  private nl(): void {
    this.out.byte(10);
    this.lineStart = this.out.pos;
    this.out.str(indentOf(this.level));
    if (this.map) {
      this.maps.byte(59); // ';'
      this.lineSegs = 0;
      this.segCol = 0;
      this.pending = true;
    }
  }

  private pos(line: number, column: number): void {
    if (line - 1 === this.srcLine && column === this.srcCol) return;
    this.srcLine = line - 1;
    this.srcCol = column;
    this.pending = true;
  }

  finish(): Printed {
    return { code: this.out.text(), mappings: this.map ? this.maps.text() : '' };
  }

  // ---------------------------------------------------------------- statements

  program(p: t.Program): void {
    p.body.forEach((s, i) => {
      if (i > 0) this.nl();
      this.stmt(s);
    });
  }

  private body(stmts: N[]): void {
    if (stmts.length === 0) { this.w('{}'); return; }
    this.w('{');
    this.level++;
    for (const s of stmts) { this.nl(); this.stmt(s); }
    this.level--;
    this.nl();
    this.w('}');
  }

  private stmt(s: N): void {
    const loc: Loc | undefined = this.map ? s.loc : undefined;
    if (loc) this.pos(loc.line, loc.column);
    this.stmtInner(s);
    if (loc) this.pos(loc.endLine, loc.endColumn);
  }

  private stmtInner(s: N): void {
    switch (s.type) {
      case 'ExpressionStatement': {
        const lm = leftmost(s.expression);
        const wrap = lm.type === 'FunctionExpression' || lm.type === 'ObjectExpression' || lm.type === 'ObjectPattern' ||
          (lm.type === 'Identifier' && lm.name === 'let');
        if (wrap) this.w('(');
        this.expr(s.expression, wrap ? SEQ : SEQ);
        this.w(wrap ? ');' : ';');
        return;
      }
      case 'VariableDeclaration':
        this.decl(s, false);
        this.w(';');
        return;
      case 'BlockStatement':
        this.body(s.body);
        return;
      case 'ReturnStatement':
        if (s.argument) { this.w('return '); this.expr(s.argument, SEQ); this.w(';'); } else this.w('return;');
        return;
      case 'IfStatement': {
        this.w('if (');
        this.expr(s.test, SEQ);
        this.w(') ');
        // A nested `if` as the consequent of an `if … else` gets braces (the dangling else).
        if (s.alternate && s.consequent.type !== 'BlockStatement') this.body([s.consequent]);
        else this.stmt(s.consequent);
        if (s.alternate) {
          this.w(' else ');
          this.stmt(s.alternate);
        }
        return;
      }
      case 'ForStatement':
        this.w('for (');
        if (s.init) {
          const paren = containsIn(s.init);
          if (paren) this.w('(');
          if (s.init.type === 'VariableDeclaration') this.decl(s.init, true);
          else this.expr(s.init, SEQ);
          if (paren) this.w(')');
        }
        this.w(';');
        if (s.test) { this.w(' '); this.expr(s.test, SEQ); }
        this.w(';');
        if (s.update) { this.w(' '); this.expr(s.update, SEQ); }
        this.w(') ');
        this.stmt(s.body);
        return;
      case 'WhileStatement':
        this.w('while (');
        this.expr(s.test, SEQ);
        this.w(') ');
        this.stmt(s.body);
        return;
      case 'LabeledStatement':
        this.w(s.label.name + ': ');
        this.stmt(s.body);
        return;
      case 'BreakStatement':
        this.w(s.label ? `break ${s.label.name};` : 'break;');
        return;
      case 'ContinueStatement':
        this.w(s.label ? `continue ${s.label.name};` : 'continue;');
        return;
      case 'RawStatement': {
        const lines: string[] = s.lines;
        this.w(lines[0]!);
        if (lines.length > 1) {
          this.level++;
          for (let i = 1; i < lines.length; i++) { this.nl(); this.w(lines[i]!); }
          this.level--;
        }
        return;
      }
      case 'RawLines': {
        const line: (i: number) => string = s.line;
        this.w(line(0));
        this.level++;
        for (let i = 1; i < s.count; i++) { this.nl(); this.w(line(i)); }
        this.level--;
        return;
      }
      case 'EmptyStatement':
        this.w(';');
        return;
      case 'Printed':
        this.splice(s.piece);
        return;
      default:
        throw new Error(`lunac printer: unexpected statement ${s.type}`);
    }
  }

  private decl(d: N, inFor: boolean): void {
    this.w(d.kind === 'let' ? 'let ' : d.kind === 'const' ? 'const ' : d.kind + ' ');
    const many = d.declarations.length > 1 && !inFor && d.declarations.some((x: N) => x.init);
    if (many) this.level++;
    const list: N[] = d.declarations;
    for (let i = 0; i < list.length; i++) {
      const x = list[i];
      if (i > 0) {
        if (many) { this.w(','); this.nl(); } else this.w(', ');
      }
      const loc: Loc | undefined = this.map ? x.loc : undefined;
      if (loc) this.pos(loc.line, loc.column);
      this.pattern(x.id);
      if (x.init) { this.w(' = '); this.expr(x.init, ASSIGN); }
      if (loc) this.pos(loc.endLine, loc.endColumn);
    }
    if (many) this.level--;
  }

  private pattern(p: N): void {
    if (p.type === 'ObjectPattern') {
      this.w('{');
      p.properties.forEach((q: N, i: number) => {
        if (i > 0) this.w(', ');
        if (q.type === 'RestElement') { this.w('...'); this.pattern(q.argument); return; }
        this.key(q);
        if (!q.shorthand) { this.w(': '); this.pattern(q.value); }
      });
      this.w('}');
    } else if (p.type === 'RestElement') {
      this.w('...');
      this.pattern(p.argument);
    } else this.expr(p, LHS);
  }

  private key(q: N): void {
    if (q.computed) { this.w('['); this.expr(q.key, ASSIGN); this.w(']'); } else this.expr(q.key, PRIMARY);
  }

  // ---------------------------------------------------------------- expressions

  /** Print `e`, in parentheses when it binds less tightly than `min`. */
  private expr(e: N, min: number): void {
    const paren = precedence(e) < min;
    if (paren) this.w('(');
    const loc: Loc | undefined = this.map ? e.loc : undefined;
    if (loc) this.pos(loc.line, loc.column);
    this.exprInner(e, loc);
    if (loc) this.pos(loc.endLine, loc.endColumn);
    if (paren) this.w(')');
  }

  private args(list: N[], loc: Loc | undefined): void {
    this.w('(');
    for (let i = 0; i < list.length; i++) {
      if (i > 0) this.w(', ');
      this.expr(list[i], ASSIGN);
    }
    if (loc) this.pos(loc.endLine, Math.max(loc.endColumn - 1, 0));
    this.w(')');
  }

  private exprInner(e: N, loc: Loc | undefined): void {
    switch (e.type) {
      case 'Identifier':
        this.w(e.name);
        return;
      case 'Raw':
        this.w(e.text);
        return;
      case 'Template':
        // Text with embedded nodes, each printed as usual (source positions included) at its own precedence.
        for (let i = 0; i < e.parts.length; i++) {
          const part = e.parts[i];
          if (typeof part === 'string') this.w(part);
          else this.expr(part, e.mins[i]);
        }
        return;
      case 'StringLiteral': {
        const raw = e.extra?.raw;
        this.w(raw !== undefined && e.extra.rawValue === e.value ? raw : quote(e.value));
        return;
      }
      case 'NumericLiteral': {
        const v: number = e.value;
        if (v < 0 || Object.is(v, -0)) this.w('-' + String(-v));
        else this.w(String(v));
        return;
      }
      case 'BooleanLiteral':
        this.w(e.value ? 'true' : 'false');
        return;
      case 'NullLiteral':
        this.w('null');
        return;
      case 'MemberExpression': {
        const o = e.object;
        // `1.x` would read as a number: a numeric object gets parentheses.
        this.expr(o, o.type === 'NumericLiteral' && !e.computed ? PRIMARY + 1 : LHS);
        if (e.computed) { this.w('['); this.expr(e.property, SEQ); this.w(']'); } else { this.w('.'); this.w(e.property.name); }
        return;
      }
      case 'CallExpression':
        this.expr(e.callee, LHS);
        this.args(e.arguments, loc);
        return;
      case 'NewExpression': {
        this.w('new ');
        let c = e.callee;
        while (c.type === 'MemberExpression') c = c.object;
        this.expr(e.callee, c.type === 'Identifier' ? LHS : PRIMARY + 1);
        this.args(e.arguments, loc);
        return;
      }
      case 'BinaryExpression':
      case 'LogicalExpression': {
        const op: string = e.operator;
        const p = BINARY[op]!;
        const mixes = (x: N) => (op === '??') !== (x.type === 'LogicalExpression' && x.operator === '??') && x.type === 'LogicalExpression';
        const l = e.left, r = e.right;
        this.expr(l, op === '**' ? POSTFIX : mixes(l) ? PRIMARY + 1 : p);
        this.w(spaced(op));
        // `a && (b && c)` prints as `a && b && c` (the same value and evaluation order), as Babel did.
        const rmin = op === '**' || (e.type === 'LogicalExpression' && r.type === 'LogicalExpression' && r.operator === op) ? p : p + 1;
        this.expr(r, mixes(r) ? PRIMARY + 1 : rmin);
        return;
      }
      case 'AssignmentExpression':
        this.pattern(e.left);
        this.w(spaced(e.operator));
        this.expr(e.right, ASSIGN);
        return;
      case 'ConditionalExpression':
        this.expr(e.test, NULLISH);
        this.w(' ? ');
        this.expr(e.consequent, ASSIGN);
        this.w(' : ');
        this.expr(e.alternate, ASSIGN);
        return;
      case 'SequenceExpression':
        for (let i = 0; i < e.expressions.length; i++) {
          if (i > 0) this.w(', ');
          this.expr(e.expressions[i], ASSIGN);
        }
        return;
      case 'UnaryExpression': {
        const op: string = e.operator;
        const a = e.argument;
        let sep = '';
        if (op === 'typeof' || op === 'void' || op === 'delete') sep = ' ';
        else if (op === '-' || op === '+') {
          // `- -x`, `- --x`, `- -1`: keep the two signs apart.
          const first = a.type === 'UnaryExpression' || (a.type === 'UpdateExpression' && a.prefix) ? a.operator[0]
            : a.type === 'NumericLiteral' && (a.value < 0 || Object.is(a.value, -0)) ? '-' : '';
          if (first === op) sep = ' ';
        }
        this.w(op + sep);
        this.expr(a, UNARY);
        return;
      }
      case 'UpdateExpression':
        if (e.prefix) { this.w(e.operator); this.expr(e.argument, UNARY); } else { this.expr(e.argument, LHS); this.w(e.operator); }
        return;
      case 'YieldExpression':
        this.w(e.delegate ? 'yield*' : 'yield');
        if (e.argument) { this.w(' '); this.expr(e.argument, ASSIGN); }
        return;
      case 'SpreadElement':
        this.w('...');
        this.expr(e.argument, ASSIGN);
        return;
      case 'ArrayExpression':
        this.w('[');
        for (let i = 0; i < e.elements.length; i++) {
          if (i > 0) this.w(', ');
          if (e.elements[i]) this.expr(e.elements[i], ASSIGN);
        }
        // A trailing hole needs its own comma.
        if (e.elements.length && !e.elements[e.elements.length - 1]) this.w(',');
        this.w(']');
        return;
      case 'ObjectExpression':
        if (e.properties.length === 0) { this.w('{}'); return; }
        this.w('{');
        e.properties.forEach((q: N, i: number) => {
          if (i > 0) this.w(', ');
          if (q.type === 'SpreadElement') { this.expr(q, ASSIGN); return; }
          if (q.type !== 'ObjectProperty') throw new Error(`lunac printer: unexpected property ${q.type}`);
          this.key(q);
          this.w(': ');
          this.expr(q.value, ASSIGN);
        });
        this.w('}');
        return;
      case 'FunctionExpression':
        this.w(e.generator ? 'function* ' : 'function ');
        if (e.id) this.w(e.id.name);
        this.params(e.params);
        this.w(' ');
        this.body(e.body.body);
        return;
      case 'ArrowFunctionExpression':
        this.params(e.params);
        this.w(' => ');
        if (e.body.type === 'BlockStatement') this.body(e.body.body);
        else this.expr(e.body, e.body.type === 'ObjectExpression' ? PRIMARY + 1 : ASSIGN);
        return;
      default:
        throw new Error(`lunac printer: unexpected expression ${e.type}`);
    }
  }

  private params(ps: N[]): void {
    this.w('(');
    ps.forEach((p, i) => {
      if (i > 0) this.w(', ');
      this.pattern(p);
    });
    this.w(')');
  }
}

/** Print a program; with `map`, also the source-map mappings (one source, no names). */
export function printProgram(program: t.Program, map: boolean): Printed {
  const p = new Printer(map);
  p.program(program);
  return p.finish();
}
