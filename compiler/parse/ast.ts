// The Lua AST produced by luaparse (5.3 grammar), typed loosely: nodes are plain objects with `type`,
// `loc` and `range`. The front end adds `inParens` to calls and varargs written in parentheses, because
// parentheses truncate multiple results and luaparse does not record them.

export interface Pos {
  line: number;
  column: number;
}
export interface Node {
  type: string;
  loc?: { start: Pos; end: Pos };
  range?: [number, number];
  inParens?: boolean;
  [key: string]: any;
}
