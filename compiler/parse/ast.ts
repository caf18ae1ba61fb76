// The Lua AST produced by luaparse (5.3 grammar), typed loosely: nodes are plain objects with `type`
// and `loc`. The front end adds `inParens` to calls and varargs written in parentheses, because
// parentheses truncate multiple results and luaparse does not record them.

export interface Pos {
  line: number;
  column: number;
}
/**
 * A node's source span in one object of four small integers. luaparse's `{start: {…}, end: {…}}` (three
 * objects) was more than half the memory of the AST, all of it kept until code generation ends. `start` and
 * `end` still read as luaparse's; the compiler's hot paths read the fields.
 */
export class Loc {
  constructor(readonly line: number, readonly column: number, readonly endLine: number, readonly endColumn: number) {}
  get start(): Pos {
    return { line: this.line, column: this.column };
  }
  get end(): Pos {
    return { line: this.endLine, column: this.endColumn };
  }
}

export interface Node {
  type: string;
  loc?: Loc;
  inParens?: boolean;
  [key: string]: any;
}
