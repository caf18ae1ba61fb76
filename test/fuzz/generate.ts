/*
 * Random Lua program generator for differential fuzzing of lunac against lua5.4 (test/fuzz.test.ts).
 *
 * README
 * ------
 * `generateProgram(seed)` turns a 32-bit seed into one deterministic, terminating Lua program that prints its
 * results. test/fuzz.test.ts runs programs from consecutive seeds under `lua5.4` and under
 * `./dist/cli/main.js run` for a wall-time budget and compares stdout, exit status and (for uncaught errors)
 * the first line of stderr.
 *
 *   npm run build                                               # the test runs dist/, build first
 *   npx vitest run test/fuzz.test.ts                            # 60 s from seed 1 (what CI runs)
 *   FUZZ_RANDOM=1 FUZZ_SECONDS=300 npx vitest run test/fuzz.test.ts   # explore from a random start seed
 *   FUZZ_SEED=123 FUZZ_SECONDS=1 npx vitest run test/fuzz.test.ts   # reproduce seed 123 (runs 123, 124, …)
 *
 * A mismatching program is written to fixtures/fuzz-failures/seed-<n>.lua; minimise it by hand into a fixture
 * under fixtures/lua/fuzz/ (the differential harness picks it up). To look at a program without running the
 * test: `FUZZ_SEED=123 FUZZ_PRINT=1 FUZZ_SECONDS=0 npx vitest run test/fuzz.test.ts` prints it.
 *
 * What is generated (one function per construct, see the `st*` and `gen*` functions below)
 * -----------------------------------------------------------------------------------------
 * locals (some shadowing outer ones) and globals, nested functions and closures (upvalues modified after
 * capture, counters made by factories, closures created in loops), module tables with `.` functions and `:`
 * methods, multiple assignment, multiple returns and varargs in every position (`select('#', ...)`,
 * `select(-1, ...)`, `{...}`, `f(g())`, `(g())`, `return g()`, `{g()}`, table.unpack, varargs holding nils),
 * numeric for loops with positive and negative steps, generic for over ipairs and over custom iterators,
 * while/repeat loops with counters, break and `goto continue`, if/elseif chains, and/or/not over
 * nil/false/0/"", integer `+ - *` (with 32-bit-boundary and 2^40 literals now and then), comparisons,
 * concatenation, string library calls with safe arguments, sequences and table.insert/remove/concat/sort/
 * unpack, records, string-keyed maps printed in sorted key order, integer vs string keys and holes seen by
 * ipairs, classes with __index tables or functions, __add __eq __lt __le __call __tostring __len __concat __unm
 * and inheritance, pcall/xpcall/error/assert with string, number and table error values (rethrown, compared
 * for identity), bounded recursion (tail, tree, mutual), and coroutines (create/resume/status/wrap, wrap in a
 * generic for, yield from nested calls, inside expressions, inside pcall, inside metamethods and iterators).
 * The lexical surface varies too: hex literals, quotes, long brackets, escapes (\ddd \xXX \u{XXX} \z),
 * comments of every form and `;`.
 *
 * How programs stay comparable with lua5.4 (see the reference rules in test/differential.test.ts)
 * -------------------------------------------------------------------------------------------------
 * - Integers only, never `/ % ^`, bitwise operators or floats: Wippy prints and divides numbers differently by
 *   design. Every integer stored in a variable, field or return value goes through the prelude helper `B`,
 *   which folds it into [-5000, 4999] (with `//` on integers, which both agree on), and the generator tracks
 *   a static bound for every integer expression (products stay below 2^52) so nothing leaves ±2^53.
 * - Strings are ASCII, their literals never look like numbers, and every stored string is statically at most
 *   MAX_STR bytes long (longer expressions are cut with string.sub).
 * - Sequences never hold nil; their growth is guarded at run time (`if #t < 24 then … end`), and a value
 *   that may change the sequence is computed before the length-dependent key it is stored at.
 * - Undefined or unspecified evaluation order is avoided: a variable holding a table is never reassigned by a
 *   function other than its own (manual §3.3.3: a call changing a variable during an assignment gets no
 *   ordering guarantee), expressions from genInt/genStr/genBool are single-valued wherever extra results
 *   would leak, and nothing reads `#t` of a table with holes.
 * - A bug of the reference, Lua 5.4.4, is avoided: a __concat metamethod that runs before the last step of a
 *   merged concatenation (`a .. obj .. b`) may return garbage or crash it; see `catRight`. A program that
 *   makes lua5.4 die of a signal anyway is skipped by the test, not counted as a mismatch.
 * - Nothing prints addresses; `pairs` results are printed only after sorting the keys (the `show` helper) or
 *   aggregated (counts and sums); cross-class `==`/`<` and `<=` without `__le` are avoided (Lua 5.1 and 5.4
 *   disagree on them).
 * - Error messages are printed through the helper `E`, which strips `chunk:line:` prefixes. Deliberately
 *   ill-typed operations only appear inside a `pcall` whose status alone is printed.
 * - Termination: loop counts are small constants or bounded sequence lengths, recursion is a fixed template
 *   with a small argument, and a static cost model (`Fn.cost`, `Ctx.mult`) bounds how much work a function
 *   body and the whole chunk may do, so programs finish in milliseconds under lua5.4.
 */

// ---------------------------------------------------------------- random numbers

/** mulberry32: a tiny, well-mixed 32-bit PRNG. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

class Rng {
  private readonly next: () => number;
  constructor(seed: number) {
    this.next = mulberry32(seed);
  }
  /** Integer in [lo, hi]. */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(xs: readonly T[]): T {
    return xs[Math.floor(this.next() * xs.length)];
  }
  /** Picks among options whose weight is > 0 (weight 0 = not applicable here). */
  weighted<T>(options: ReadonlyArray<readonly [number, T]>): T {
    let total = 0;
    for (const [w] of options) total += Math.max(0, w);
    let r = this.next() * total;
    for (const [w, v] of options) {
      if (w <= 0) continue;
      r -= w;
      if (r < 0) return v;
    }
    for (let i = options.length - 1; i >= 0; i--) if (options[i][0] > 0) return options[i][1];
    throw new Error('weighted: no applicable option');
  }
}

// ---------------------------------------------------------------- limits

/** Stored integers are folded into [-INT_LIMIT, INT_LIMIT) by the prelude helper B. */
const INT_LIMIT = 5000;
/** Integer expressions with a larger static bound are folded with B before they are used further. */
const INT_EXPR_LIMIT = 1_000_000;
/** Large integer literals that appear now and then: 32-bit boundaries, 2^40, a prime. */
const BIG_INTS = [2147483647, 2147483648, -2147483648, -2147483649, 4294967295, 4294967296, 1000000007, 1099511627776, -1099511627776];
/** Products are kept below this (operands are folded first), so no result leaves ±2^53. */
const PRODUCT_LIMIT = 2 ** 52;
/** Stored strings are at most this long; intermediate expressions at most MAX_STR_EXPR. */
const MAX_STR = 40;
const MAX_STR_EXPR = 400;
/** Sequences grow only while shorter than SEQ_GUARD, so they never exceed SEQ_MAX elements. */
const SEQ_GUARD = 24;
const SEQ_MAX = 48;
/** Cost caps (roughly: statements executed) for the main chunk and for one call of a function. */
const CHUNK_COST = 60_000;
const FN_COST = 800;
/** Largest product of enclosing loop counts. */
const MAX_MULT = 400;

// ---------------------------------------------------------------- types and scopes

/** A class made by stClass: which metamethods its metatable has. */
interface Cls {
  name: string;
  mm: Set<string>;
  /** __index is a function that answers missing keys with a string. */
  indexFn: boolean;
  /** Class of the objects made by its __add (its own, or its base's when it copies the base's __add). */
  addCls: Cls;
  /** The same for __unm. */
  unmCls: Cls;
}

type ScalarKind = 'int' | 'str' | 'bool';

/** Field names → field types of a record shape; compared by identity. */
type Shape = Record<string, 'int' | 'str'>;

type Ty =
  | { k: 'int' }
  | { k: 'str' }
  | { k: 'bool' }
  /** Possibly nil and otherwise a scalar: only printed, tested or compared with ==. */
  | { k: 'nil' }
  | { k: 'seq'; el: 'int' | 'str' }
  | { k: 'rec'; shape: Shape }
  /** String keys → integers, keys added and removed dynamically. */
  | { k: 'map' }
  | { k: 'obj'; cls: Cls }
  | { k: 'fn'; sig: Sig };

interface Sig {
  /** Parameter types: int, str, seq or fn (int)->int. */
  params: Ty[];
  /** The last `optional` params are ints that callers may omit (the body defaults them with `or`). */
  optional: number;
  /** Extra arguments are ints. */
  vararg: boolean;
  /** Result types (scalars). */
  rets: Ty[];
  /** The body may yield: callable only where yielding is allowed. */
  yields: boolean;
  /** The body may raise an error on purpose: callable only where errors are caught. */
  raises: boolean;
  /** Static cost of one call. */
  cost: number;
}

const INT: Ty = { k: 'int' };
const STR: Ty = { k: 'str' };
const BOOL: Ty = { k: 'bool' };
const NIL: Ty = { k: 'nil' };
const scalar = (k: ScalarKind): Ty => (k === 'int' ? INT : k === 'str' ? STR : BOOL);

function tyEq(a: Ty, b: Ty): boolean {
  switch (a.k) {
    case 'seq':
      return b.k === 'seq' && a.el === b.el;
    case 'rec':
      return b.k === 'rec' && a.shape === b.shape;
    case 'obj':
      return b.k === 'obj' && a.cls === b.cls;
    case 'fn':
      return b.k === 'fn' && a.sig === b.sig;
    default:
      return a.k === b.k;
  }
}

/** The only function type accepted by fn-typed parameters: (int) -> int, never yields nor raises. */
const INT_TO_INT: Sig = { params: [INT], optional: 0, vararg: false, rets: [INT], yields: false, raises: false, cost: 20 };

function isIntToInt(s: Sig): boolean {
  return (
    s.params.length === 1 && s.params[0].k === 'int' && s.optional === 0 && !s.vararg &&
    s.rets.length === 1 && s.rets[0].k === 'int' && !s.yields && !s.raises
  );
}

interface Var {
  /** Lua expression naming it: `x`, `G3`, `M2.f`, or `M2:m` for a method. */
  name: string;
  ty: Ty;
  /** Never assigned (loop counters, functions, classes). */
  ro: boolean;
  /** The function declaring it (see stAssign). */
  fn?: Fn;
}

class Scope {
  readonly vars: Var[] = [];
  constructor(readonly parent?: Scope) {}
  /** Visible variables, innermost first, shadowed names excluded. */
  visible(): Var[] {
    const seen = new Set<string>();
    const out: Var[] = [];
    for (let s: Scope | undefined = this; s; s = s.parent) {
      for (let i = s.vars.length - 1; i >= 0; i--) {
        const v = s.vars[i];
        if (seen.has(v.name)) continue;
        seen.add(v.name);
        out.push(v);
      }
    }
    return out;
  }
}

/** The function being generated (the main chunk counts as one). */
interface Fn {
  /** The main chunk (no early returns there). */
  main: boolean;
  rets: Ty[];
  vararg: boolean;
  /** Cost of one run of the body so far. */
  cost: number;
  cap: number;
  /** Locals declared in this function (Lua allows 200). */
  locals: number;
}

/** Where code is being generated. Child contexts are copies; `scope` and `fn` are shared objects. */
interface Ctx {
  scope: Scope;
  fn: Fn;
  /** Remaining statement nesting. */
  depth: number;
  /** Upper bound on how often this code runs per run of the enclosing function. */
  mult: number;
  top: boolean;
  /** `break` allowed. */
  loop: boolean;
  /** `goto continue` allowed (a `::continue::` label ends an enclosing loop body of this function). */
  cont: boolean;
  /** coroutine.yield and calls of yielding functions allowed. */
  yield: boolean;
  /** Raising errors on purpose allowed (something catches them). */
  raise: boolean;
  /** Inside a pcall whose status only is printed: ill-typed operations allowed, no error message printed. */
  ill: boolean;
  /** Certainly not running inside a coroutine (main chunk code, and pcall literals there). */
  outside: boolean;
}

/** An expression: its code, the precedence of its top operator, and a static bound (|int| or string length). */
interface Ex {
  code: string;
  prec: number;
  max: number;
  /** A concatenation that calls __concat (see `catRight`). */
  objcat?: boolean;
}

/** An expression list in a multi-value position: known result types, or `null` for "any number of ints". */
interface Multi {
  code: string;
  types: Ty[] | null;
}

// Lua precedences.
const P_OR = 1;
const P_AND = 2;
const P_CMP = 3;
const P_CONCAT = 8;
const P_ADD = 9;
const P_MUL = 10;
const P_UNARY = 11;
const P_ATOM = 100;
/** Calls, names, indexing, parenthesised expressions: may be followed by `:m()`, `.f`, `[k]`. */
const P_PREFIX = 101;

type Lines = string[];

function indent(lines: Lines): Lines {
  return lines.flatMap((l) => l.split('\n')).map((l) => (l === '' ? l : '  ' + l));
}

// ---------------------------------------------------------------- the generator

const WORDS = ['ab', 'xy', 'foo', 'bar', 'Lua', 'hello', 'a b', 'z', '', 'Q-1', 'k9', 'mix_Up', 'cat', 'dog', 'A', 'end!', 'x.y', 'tab\t'];
const FIELDS = ['x', 'y', 'n', 'name', 'id', 'key', 'val', 'count'];
const LETTERS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';
const CHARS = LETTERS + '0123456789 -_.,;!?#@';

class Gen {
  private readonly r: Rng;
  private counter = 0;
  private readonly classes: Cls[] = [];
  /** Record shapes made so far (new records often reuse one). */
  private readonly shapes: Shape[] = [];
  /** Shapes of module tables (they also hold functions: never iterated with pairs). */
  private readonly moduleShapes = new Set<Shape>();

  constructor(readonly seed: number) {
    this.r = new Rng(seed);
  }

  // ------------------------------------------------------------ helpers

  private fresh(prefix: string): string {
    return `${prefix}${++this.counter}`;
  }

  /** A new local's name: usually fresh, sometimes shadowing a visible local. */
  private localName(ctx: Ctx, prefix: string): string {
    if (this.r.chance(0.08)) {
      const names = ctx.scope.visible().filter((v) => /^[a-z]+\d+$/.test(v.name));
      if (names.length > 0) return this.r.pick(names).name;
    }
    return this.fresh(prefix);
  }

  private declare(ctx: Ctx, name: string, ty: Ty, ro = false): void {
    ctx.scope.vars.push({ name, ty, ro, fn: ctx.fn });
    ctx.fn.locals++;
  }

  private vars(ctx: Ctx, pred: (v: Var) => boolean): Var[] {
    return ctx.scope.visible().filter(pred);
  }

  private varsOf(ctx: Ctx, k: Ty['k']): Var[] {
    return this.vars(ctx, (v) => v.ty.k === k);
  }

  private child(ctx: Ctx, over: Partial<Ctx> = {}): Ctx {
    return { ...ctx, scope: new Scope(ctx.scope), depth: ctx.depth - 1, top: false, ...over };
  }

  private afford(ctx: Ctx, n: number): boolean {
    return ctx.fn.cost + n * ctx.mult <= ctx.fn.cap;
  }

  private charge(ctx: Ctx, n: number): void {
    ctx.fn.cost += n * ctx.mult;
  }

  /** A Lua literal for `s`: quoted either way or long-bracketed, sometimes with escapes for plain letters. */
  private lit(s: string): string {
    const r = this.r;
    const form = r.int(0, 9);
    if (form === 0 && !/[\]\t\n]/.test(s)) return `[[${s}]]`;
    const q = form === 1 ? "'" : '"';
    const fancy = r.chance(0.15);
    let out = '';
    for (let i = 0; i < s.length; i++) {
      const c = s[i];
      const code = c.charCodeAt(0);
      if (c === '\t') out += '\\t';
      else if (c === '\n') out += '\\n';
      else if (c === q || c === '\\') out += '\\' + c;
      else if (fancy && /[A-Za-z]/.test(c) && r.chance(0.3)) {
        out += r.pick([`\\x${code.toString(16)}`, `\\u{${code.toString(16).toUpperCase()}}`, `\\${String(code).padStart(3, '0')}`]);
      } else out += c;
      // \z skips the whitespace after it (only where no real whitespace follows).
      if (fancy && i + 1 < s.length && !/\s/.test(s[i + 1]) && r.chance(0.1)) out += '\\z  ';
    }
    return q + out + q;
  }

  /** A string that never reads as a number. */
  private word(): string {
    if (this.r.chance(0.6)) return this.r.pick(WORDS);
    let s = this.r.pick([...LETTERS]);
    const n = this.r.int(0, 5);
    for (let i = 0; i < n; i++) s += this.r.pick([...CHARS]);
    return s;
  }

  /** `[k]`, spaced when k is a long-bracket string (`t[[[x]]]` would not parse). */
  private idx(k: string): string {
    return k.startsWith('[') ? `[ ${k} ]` : `[${k}]`;
  }

  private paren(e: Ex, minPrec: number): string {
    return e.prec < minPrec ? `(${e.code})` : e.code;
  }

  /** `e` usable before `:method()` or `.field`. */
  private prefix(e: Ex): string {
    return e.prec >= P_PREFIX ? e.code : `(${e.code})`;
  }

  private bin(a: Ex, op: string, b: Ex, prec: number, rightAssoc: boolean, max: number): Ex {
    const l = rightAssoc ? this.paren(a, prec + 1) : this.paren(a, prec);
    const rr = rightAssoc ? this.paren(b, prec) : this.paren(b, prec + 1);
    return { code: `${l} ${op} ${rr}`, prec, max };
  }

  /**
   * A call used as one value. Expressions from genInt/genStr/genBool are always single-valued, because they
   * end up last in argument lists, constructors and return lists, where extra results would leak: a call of a
   * function with several results is truncated with parentheses (and one with a single result sometimes is).
   */
  private single(call: string, f: Var): string {
    const n = f.ty.k === 'fn' ? f.ty.sig.rets.length : 2;
    return n !== 1 || this.r.chance(0.15) ? `(${call})` : call;
  }

  /**
   * The right operand of `..`. Lua merges `a .. (b .. c)` into one concatenation of three values, and Lua 5.4.4
   * (the reference) has a bug there: a __concat metamethod that runs before the last step of such a chain can
   * return a wrong value or crash when the stack is reallocated meanwhile. So a concatenation that calls
   * __concat is never the right operand of another one: it is wrapped in tostring().
   */
  private catRight(e: Ex): Ex {
    return e.objcat ? { code: `tostring(${e.code})`, prec: P_PREFIX, max: e.max } : e;
  }

  /** Folds a too-large integer expression with B. */
  private fold(e: Ex, limit = INT_EXPR_LIMIT): Ex {
    return e.max > limit ? { code: `B(${e.code})`, prec: P_PREFIX, max: INT_LIMIT } : e;
  }

  /** A string expression cut to `limit` bytes when it may be longer. */
  private cut(e: Ex, limit = MAX_STR_EXPR): Ex {
    if (e.max <= limit) return e;
    return this.r.chance(0.5)
      ? { code: `string.sub(${e.code}, 1, ${limit})`, prec: P_PREFIX, max: limit }
      : { code: `${this.prefix(e)}:sub(1, ${limit})`, prec: P_PREFIX, max: limit };
  }

  private digits(max: number): number {
    return String(Math.ceil(max)).length + 1;
  }

  // ------------------------------------------------------------ expressions by type

  private intLit(): Ex {
    // Rarely a large integer (32-bit boundaries and beyond), kept well inside ±2^53 by the folding rules.
    const big = this.r.chance(0.03) ? this.r.pick(BIG_INTS) : null;
    const n = big ?? (this.r.chance(0.8) ? this.r.int(0, 12) : this.r.int(-20, 100));
    if (n < 0) return { code: `-${-n}`, prec: P_UNARY, max: -n };
    // Hexadecimal integer literals now and then (never exponents or dots: those make floats).
    const code = this.r.chance(0.08) ? `0x${n.toString(16)}` : this.r.chance(0.03) ? `0X${n.toString(16).toUpperCase()}` : String(n);
    return { code, prec: P_ATOM, max: n };
  }

  /** An integer expression: static bound in `max`, never above INT_EXPR_LIMIT. */
  genInt(ctx: Ctx, d: number): Ex {
    const r = this.r;
    if (d <= 0) {
      const vs = this.varsOf(ctx, 'int');
      return vs.length > 0 && r.chance(0.6) ? { code: r.pick(vs).name, prec: P_PREFIX, max: INT_LIMIT } : this.intLit();
    }
    const ints = this.varsOf(ctx, 'int');
    const strs = this.varsOf(ctx, 'str');
    const seqs = this.vars(ctx, (v) => v.ty.k === 'seq');
    const intSeqs = this.vars(ctx, (v) => v.ty.k === 'seq' && v.ty.el === 'int');
    const objs = this.varsOf(ctx, 'obj');
    const recInt = this.recFields(ctx, 'int');
    const maps = this.varsOf(ctx, 'map');
    const fns = this.callable(ctx, (s) => s.rets.length > 0 && s.rets[0].k === 'int');
    const k = r.weighted([
      [3, 'lit'],
      [ints.length > 0 ? 6 : 0, 'var'],
      [4, 'arith'],
      [1, 'neg'],
      [2, 'strlen'],
      [seqs.length > 0 ? 2 : 0, 'seqlen'],
      [fns.length > 0 ? 3 : 0, 'call'],
      [ctx.fn.vararg ? 2 : 0, 'vararg'],
      [intSeqs.length > 0 ? 2 : 0, 'index'],
      [1, 'byte'],
      [1, 'find'],
      [1, 'math'],
      [1, 'andor'],
      [recInt.length > 0 ? 2 : 0, 'field'],
      [objs.length > 0 ? 2 : 0, 'obj'],
      [maps.length > 0 ? 1 : 0, 'map'],
      [1, 'select'],
      [1, 'tonumber'],
      [ctx.yield ? 1 : 0, 'yield'],
    ] as const);
    switch (k) {
      case 'lit':
        return this.intLit();
      case 'var':
        return { code: r.pick(ints).name, prec: P_PREFIX, max: INT_LIMIT };
      case 'arith': {
        let a = this.genInt(ctx, d - 1);
        let b = this.genInt(ctx, d - 1);
        const op = r.pick(['+', '-', '*', '+', '-']);
        if (op === '*' && a.max * b.max > PRODUCT_LIMIT) {
          if (a.max >= b.max) a = this.fold(a, INT_LIMIT);
          else b = this.fold(b, INT_LIMIT);
          if (a.max * b.max > PRODUCT_LIMIT) [a, b] = [this.fold(a, INT_LIMIT), this.fold(b, INT_LIMIT)];
        }
        const e =
          op === '*' ? this.bin(a, '*', b, P_MUL, false, a.max * b.max) : this.bin(a, op, b, P_ADD, false, a.max + b.max);
        return this.fold(e);
      }
      case 'neg': {
        const a = this.genInt(ctx, d - 1);
        const inner = this.paren(a, P_UNARY);
        return { code: `-${inner.startsWith('-') ? ' ' : ''}${inner}`, prec: P_UNARY, max: a.max };
      }
      case 'strlen': {
        const s = this.genStr(ctx, d - 1);
        if (r.chance(0.3)) return { code: `${this.prefix(s)}:len()`, prec: P_PREFIX, max: s.max };
        if (r.chance(0.2)) return { code: `string.len(${s.code})`, prec: P_PREFIX, max: s.max };
        return { code: `#${this.paren(s, P_UNARY)}`, prec: P_UNARY, max: s.max };
      }
      case 'seqlen':
        return { code: `#${r.pick(seqs).name}`, prec: P_UNARY, max: SEQ_MAX };
      case 'call': {
        const f = r.pick(fns);
        const c = this.genCall(ctx, f, d - 1);
        if (!c) return this.intLit();
        return { code: this.single(c, f), prec: P_PREFIX, max: INT_LIMIT };
      }
      case 'vararg':
        return r.pick([
          { code: `select('#', ...)`, prec: P_PREFIX, max: 20 },
          { code: `select("#", ...)`, prec: P_PREFIX, max: 20 },
          { code: `#{...}`, prec: P_UNARY, max: 20 },
          { code: `(... or 0)`, prec: P_PREFIX, max: INT_LIMIT },
          { code: `((select(${r.int(1, 3)}, ...)) or ${r.int(0, 9)})`, prec: P_PREFIX, max: INT_LIMIT },
        ]);
      case 'index': {
        const t = r.pick(intSeqs).name;
        const i = r.chance(0.5) ? String(r.int(1, 4)) : r.chance(0.5) ? `#${t}` : this.genInt(ctx, d - 1).code;
        return { code: `(${t}${this.idx(i)} or ${r.int(0, 9)})`, prec: P_PREFIX, max: INT_LIMIT };
      }
      case 'byte': {
        const s = this.genStr(ctx, d - 1);
        const i = r.pick(['', '1', '2', String(r.int(-3, 5))]);
        const call = r.chance(0.5) ? `${this.prefix(s)}:byte(${i})` : `string.byte(${s.code}${i ? ', ' + i : ''})`;
        return { code: `(${call} or -1)`, prec: P_PREFIX, max: 255 };
      }
      case 'find': {
        const s = this.genStr(ctx, d - 1);
        const needle = this.lit(r.pick(['a', 'b', ' ', 'o', 'x', '-', '.', 'ab', 'l', '%', '(']));
        const init = r.pick(['1', String(r.int(-4, 6))]);
        return { code: `(string.find(${s.code}, ${needle}, ${init}, true) or 0)`, prec: P_PREFIX, max: s.max + 1 };
      }
      case 'math': {
        const a = this.genInt(ctx, d - 1);
        const b = this.genInt(ctx, d - 1);
        const f = r.pick(['max', 'min', 'abs']);
        return f === 'abs'
          ? { code: `math.abs(${a.code})`, prec: P_PREFIX, max: a.max }
          : { code: `math.${f}(${a.code}, ${b.code})`, prec: P_PREFIX, max: Math.max(a.max, b.max) };
      }
      case 'andor': {
        const c = this.genCond(ctx, d - 1);
        const a = this.genInt(ctx, d - 1);
        const b = this.genInt(ctx, d - 1);
        // `c and a or b` is well-typed because integers are never false.
        const e = this.bin(this.bin(c, 'and', a, P_AND, false, 0), 'or', b, P_OR, false, 0);
        return { code: e.code, prec: P_OR, max: Math.max(a.max, b.max) };
      }
      case 'field': {
        const [v, f] = r.pick(recInt);
        return { code: r.chance(0.7) ? `${v}.${f}` : `${v}["${f}"]`, prec: P_PREFIX, max: INT_LIMIT };
      }
      case 'obj':
        return this.objInt(ctx, r.pick(objs), d - 1);
      case 'map': {
        const m = r.pick(maps).name;
        return { code: `(${m}${this.idx(this.mapKey(ctx, d - 1))} or 0)`, prec: P_PREFIX, max: INT_LIMIT };
      }
      case 'select': {
        const n = r.int(2, 4);
        const args = Array.from({ length: n }, () => this.genInt(ctx, d - 1));
        const i = r.int(1, n);
        // select returns every argument from i on: keep one (the last argument when i = n).
        const code = `select(${i}, ${args.map((a) => a.code).join(', ')})`;
        return { code: i === n && r.chance(0.5) ? code : `(${code})`, prec: P_PREFIX, max: Math.max(...args.map((a) => a.max)) };
      }
      case 'tonumber': {
        if (r.chance(0.5)) {
          const n = r.int(-99, 999);
          return { code: `tonumber("${n}")`, prec: P_PREFIX, max: Math.abs(n) };
        }
        const a = this.genInt(ctx, d - 1);
        return { code: `tonumber(${this.paren(a, P_CONCAT + 1)} .. "")`, prec: P_PREFIX, max: a.max };
      }
      case 'yield': {
        const v = this.genScalar(ctx, d - 1);
        this.charge(ctx, 1);
        return { code: `(coroutine.yield(${v.code}) or ${r.int(0, 5)})`, prec: P_PREFIX, max: INT_LIMIT };
      }
    }
  }

  /** Integer from an object: field, method, __call, __len. */
  private objInt(ctx: Ctx, o: Var, d: number): Ex {
    const cls = (o.ty as { k: 'obj'; cls: Cls }).cls;
    const opts: Array<[number, () => Ex]> = [
      [2, () => ({ code: `${o.name}.v`, prec: P_PREFIX, max: INT_LIMIT })],
      [2, () => ({ code: `${o.name}:get()`, prec: P_PREFIX, max: INT_LIMIT + 100 })],
      [cls.mm.has('__call') ? 2 : 0, () => ({ code: `${o.name}(${this.genInt(ctx, d).code})`, prec: P_PREFIX, max: INT_LIMIT })],
      [cls.mm.has('__len') ? 2 : 0, () => ({ code: `#${o.name}`, prec: P_UNARY, max: INT_LIMIT })],
    ];
    return this.r.weighted(opts)();
  }

  private recFields(ctx: Ctx, k: 'int' | 'str'): Array<[string, string]> {
    const out: Array<[string, string]> = [];
    for (const v of this.varsOf(ctx, 'rec')) {
      const shape = (v.ty as { k: 'rec'; shape: Shape }).shape;
      for (const f of Object.keys(shape)) if (shape[f] === k) out.push([v.name, f]);
    }
    return out;
  }

  private mapKey(ctx: Ctx, d: number): string {
    if (this.r.chance(0.6)) return this.lit(this.r.pick(['a', 'b', 'c', 'k1', 'k2', 'zz']));
    const i = this.genInt(ctx, Math.min(d, 1));
    return `"k" .. ${this.paren(i, P_CONCAT + 1)}`;
  }

  /** A string expression: `max` is its maximum length. */
  genStr(ctx: Ctx, d: number): Ex {
    const r = this.r;
    const strs = this.varsOf(ctx, 'str');
    if (d <= 0) {
      if (strs.length > 0 && r.chance(0.6)) return { code: r.pick(strs).name, prec: P_PREFIX, max: MAX_STR };
      const w = this.word();
      return { code: this.lit(w), prec: P_ATOM, max: w.length };
    }
    const seqs = this.varsOf(ctx, 'seq');
    const objs = this.vars(ctx, (v) => v.ty.k === 'obj');
    const recStr = this.recFields(ctx, 'str');
    const fns = this.callable(ctx, (s) => s.rets.length > 0 && s.rets[0].k === 'str');
    const k = r.weighted([
      [3, 'lit'],
      [strs.length > 0 ? 6 : 0, 'var'],
      [4, 'concat'],
      [2, 'case'],
      [2, 'sub'],
      [1, 'rep'],
      [1, 'char'],
      [2, 'format'],
      [2, 'tostring'],
      [seqs.length > 0 ? 2 : 0, 'tconcat'],
      [fns.length > 0 ? 3 : 0, 'call'],
      [1, 'type'],
      [1, 'andor'],
      [1, 'reverse'],
      [1, 'gsub'],
      [objs.length > 0 ? 2 : 0, 'obj'],
      [recStr.length > 0 ? 2 : 0, 'field'],
    ] as const);
    switch (k) {
      case 'lit': {
        const w = this.word();
        return { code: this.lit(w), prec: P_ATOM, max: w.length };
      }
      case 'var':
        return { code: r.pick(strs).name, prec: P_PREFIX, max: MAX_STR };
      case 'concat': {
        const side = (): Ex => {
          if (r.chance(0.3)) {
            const i = this.genInt(ctx, d - 1);
            return { ...i, max: this.digits(i.max) };
          }
          return this.genStr(ctx, d - 1);
        };
        const a = side();
        const b = this.catRight(side());
        return this.cut(this.bin(a, '..', b, P_CONCAT, true, a.max + b.max));
      }
      case 'case': {
        const s = this.genStr(ctx, d - 1);
        const f = r.pick(['upper', 'lower']);
        return r.chance(0.5)
          ? { code: `${this.prefix(s)}:${f}()`, prec: P_PREFIX, max: s.max }
          : { code: `string.${f}(${s.code})`, prec: P_PREFIX, max: s.max };
      }
      case 'sub': {
        const s = this.genStr(ctx, d - 1);
        const i = r.chance(0.6) ? String(r.int(-4, 5)) : this.genInt(ctx, d - 1).code;
        const j = r.chance(0.3) ? '' : r.chance(0.7) ? String(r.int(-3, 8)) : this.genInt(ctx, d - 1).code;
        const args = j === '' ? i : `${i}, ${j}`;
        return r.chance(0.5)
          ? { code: `${this.prefix(s)}:sub(${args})`, prec: P_PREFIX, max: s.max }
          : { code: `string.sub(${s.code}, ${args})`, prec: P_PREFIX, max: s.max };
      }
      case 'rep': {
        const s = this.genStr(ctx, d - 1);
        const n = r.int(-1, 3);
        if (r.chance(0.3)) {
          const sep = this.word().slice(0, 2);
          return this.cut({ code: `${this.prefix(s)}:rep(${n}, ${this.lit(sep)})`, prec: P_PREFIX, max: Math.max(0, n) * (s.max + sep.length) });
        }
        return this.cut({ code: `string.rep(${s.code}, ${n})`, prec: P_PREFIX, max: Math.max(0, n) * s.max });
      }
      case 'char': {
        const n = r.int(1, 4);
        const codes = Array.from({ length: n }, () => String(r.int(32, 126)));
        return { code: `string.char(${codes.join(', ')})`, prec: P_PREFIX, max: n };
      }
      case 'format': {
        const i = this.genInt(ctx, d - 1);
        const s = this.genStr(ctx, d - 1);
        const [fmt, order] = r.pick([
          ['%d|%s', 'is'],
          ['%s=%d', 'si'],
          ['[%5d]<%s>', 'is'],
          ['%-4s|%d', 'si'],
          ['%3d%%%s', 'is'],
        ] as const);
        const args = order === 'si' ? `${s.code}, ${i.code}` : `${i.code}, ${s.code}`;
        const max = this.digits(i.max) + s.max + 10;
        return r.chance(0.3)
          ? { code: `(${this.lit(fmt)}):format(${args})`, prec: P_PREFIX, max }
          : { code: `string.format(${this.lit(fmt)}, ${args})`, prec: P_PREFIX, max };
      }
      case 'tostring': {
        const objsTs = objs.filter((o) => (o.ty as { k: 'obj'; cls: Cls }).cls.mm.has('__tostring'));
        if (objsTs.length > 0 && r.chance(0.3)) return { code: `tostring(${r.pick(objsTs).name})`, prec: P_PREFIX, max: 20 };
        if (r.chance(0.2)) return { code: `tostring(${this.genBool(ctx, d - 1).code})`, prec: P_PREFIX, max: 5 };
        const i = this.genInt(ctx, d - 1);
        return { code: `tostring(${i.code})`, prec: P_PREFIX, max: this.digits(i.max) };
      }
      case 'tconcat': {
        const t = r.pick(seqs);
        const el = (t.ty as { k: 'seq'; el: string }).el;
        const sep = r.pick(['', ',', ' ', '-', ', ']);
        const per = (el === 'int' ? 6 : MAX_STR) + sep.length;
        const code = r.chance(0.3) && sep === '' ? `table.concat(${t.name})` : `table.concat(${t.name}, ${this.lit(sep)})`;
        return this.cut({ code, prec: P_PREFIX, max: SEQ_MAX * per });
      }
      case 'call': {
        const f = r.pick(fns);
        const c = this.genCall(ctx, f, d - 1);
        if (!c) return { code: '"nocall"', prec: P_ATOM, max: 6 };
        return { code: this.single(c, f), prec: P_PREFIX, max: MAX_STR };
      }
      case 'type': {
        const pool = ctx.scope.visible().filter((v) => v.ty.k !== 'fn' || !/[.:]/.test(v.name));
        const arg = pool.length > 0 && r.chance(0.7) ? r.pick(pool).name : this.genScalar(ctx, d - 1).code;
        return { code: `type(${arg})`, prec: P_PREFIX, max: 8 };
      }
      case 'andor': {
        const c = this.genCond(ctx, d - 1);
        const a = this.genStr(ctx, d - 1);
        const b = this.genStr(ctx, d - 1);
        const e = this.bin(this.bin(c, 'and', a, P_AND, false, 0), 'or', b, P_OR, false, 0);
        return { code: e.code, prec: P_OR, max: Math.max(a.max, b.max) };
      }
      case 'reverse': {
        const s = this.genStr(ctx, d - 1);
        return r.chance(0.5)
          ? { code: `${this.prefix(s)}:reverse()`, prec: P_PREFIX, max: s.max }
          : { code: `string.reverse(${s.code})`, prec: P_PREFIX, max: s.max };
      }
      case 'gsub': {
        const s = this.genStr(ctx, d - 1);
        const pat = r.pick(['a', 'o', 'x', 'l', ' ', 'ab', 'A']);
        const rep = r.pick(['', '_', 'AA', 'z']);
        const n = r.chance(0.3) ? `, ${r.int(0, 2)}` : '';
        return this.cut({
          code: `(${this.prefix(s)}:gsub(${this.lit(pat)}, ${this.lit(rep)}${n}))`,
          prec: P_PREFIX,
          max: s.max * Math.max(1, rep.length),
        });
      }
      case 'obj': {
        const o = r.pick(objs);
        const cls = (o.ty as { k: 'obj'; cls: Cls }).cls;
        if (cls.mm.has('__concat') && r.chance(0.7)) {
          // The object is the first operand, or the second of two (see catRight).
          const other = this.catRight(r.chance(0.5) ? this.genStr(ctx, d - 1) : this.genInt(ctx, d - 1));
          const oe: Ex = { code: o.name, prec: P_PREFIX, max: 0 };
          const e = r.chance(0.5) ? this.bin(oe, '..', other, P_CONCAT, true, 0) : this.bin(other, '..', oe, P_CONCAT, true, 0);
          const max = Math.max(other.max, 8) + 20;
          return max > MAX_STR_EXPR ? this.cut({ code: e.code, prec: P_CONCAT, max }) : { code: e.code, prec: P_CONCAT, max, objcat: true };
        }
        if (cls.indexFn) return { code: `${o.name}.${r.pick(['zz', 'missing', 'q'])}`, prec: P_PREFIX, max: 12 };
        return { code: `${o.name}.tag`, prec: P_PREFIX, max: 8 };
      }
      case 'field': {
        const [v, f] = r.pick(recStr);
        return { code: `${v}.${f}`, prec: P_PREFIX, max: MAX_STR };
      }
    }
  }

  /** A boolean expression (always true or false). */
  genBool(ctx: Ctx, d: number): Ex {
    const r = this.r;
    const bools = this.varsOf(ctx, 'bool');
    if (d <= 0) {
      if (bools.length > 0 && r.chance(0.5)) return { code: r.pick(bools).name, prec: P_PREFIX, max: 0 };
      return { code: r.pick(['true', 'false']), prec: P_ATOM, max: 0 };
    }
    const objs = this.varsOf(ctx, 'obj');
    const maps = this.varsOf(ctx, 'map');
    const nils = this.varsOf(ctx, 'nil');
    const fns = this.callable(ctx, (s) => s.rets.length > 0 && s.rets[0].k === 'bool');
    const k = r.weighted([
      [1, 'lit'],
      [bools.length > 0 ? 3 : 0, 'var'],
      [6, 'intcmp'],
      [2, 'strcmp'],
      [2, 'not'],
      [2, 'logic'],
      [nils.length > 0 ? 2 : 0, 'nilcmp'],
      [objs.length > 0 ? 2 : 0, 'obj'],
      [maps.length > 0 ? 1 : 0, 'next'],
      [1, 'find'],
      [fns.length > 0 ? 2 : 0, 'call'],
      [1, 'eqmixed'],
      [ctx.fn.vararg ? 1 : 0, 'vararg'],
    ] as const);
    switch (k) {
      case 'lit':
        return { code: r.pick(['true', 'false']), prec: P_ATOM, max: 0 };
      case 'var':
        return { code: r.pick(bools).name, prec: P_PREFIX, max: 0 };
      case 'intcmp': {
        const a = this.genInt(ctx, d - 1);
        const b = this.genInt(ctx, d - 1);
        return this.bin(a, r.pick(['<', '<=', '>', '>=', '==', '~=']), b, P_CMP, false, 0);
      }
      case 'strcmp': {
        const a = this.genStr(ctx, d - 1);
        const b = this.genStr(ctx, d - 1);
        return this.bin(a, r.pick(['<', '<=', '>', '>=', '==', '~=']), b, P_CMP, false, 0);
      }
      case 'not': {
        const a = this.genAny(ctx, d - 1);
        return { code: `not ${this.paren(a, P_UNARY)}`, prec: P_UNARY, max: 0 };
      }
      case 'logic': {
        const a = this.genBool(ctx, d - 1);
        const b = this.genBool(ctx, d - 1);
        return r.chance(0.5) ? this.bin(a, 'and', b, P_AND, false, 0) : this.bin(a, 'or', b, P_OR, false, 0);
      }
      case 'nilcmp': {
        const v = r.pick(nils).name;
        return { code: `${v} ${r.pick(['==', '~='])} nil`, prec: P_CMP, max: 0 };
      }
      case 'obj': {
        const o = r.pick(objs);
        const cls = (o.ty as { k: 'obj'; cls: Cls }).cls;
        const same = objs.filter((w) => (w.ty as { k: 'obj'; cls: Cls }).cls === cls);
        const o2 = r.pick(same).name;
        const ops: Array<[number, string]> = [
          [cls.mm.has('__eq') ? 3 : 1, `${o.name} == ${o2}`],
          [cls.mm.has('__eq') ? 2 : 1, `${o.name} ~= ${o2}`],
          [cls.mm.has('__lt') ? 3 : 0, `${o.name} < ${o2}`],
          [cls.mm.has('__lt') ? 2 : 0, `${o.name} > ${o2}`],
          [cls.mm.has('__le') ? 2 : 0, `${o.name} <= ${o2}`],
          [cls.mm.has('__le') ? 1 : 0, `${o.name} >= ${o2}`],
          [1, `getmetatable(${o.name}) == ${cls.name}`],
          [1, `rawequal(${o.name}, ${o2})`],
        ];
        const code = r.weighted(ops);
        return { code, prec: code.startsWith('getmetatable') || code.startsWith('rawequal') ? P_PREFIX : P_CMP, max: 0 };
      }
      case 'next':
        return { code: `next(${r.pick(maps).name}) == nil`, prec: P_CMP, max: 0 };
      case 'find': {
        const s = this.genStr(ctx, d - 1);
        return { code: `${this.prefix(s)}:find(${this.lit(r.pick(['a', 'b', 'o', ' ']))}, 1, true) ~= nil`, prec: P_CMP, max: 0 };
      }
      case 'call': {
        const f = r.pick(fns);
        const c = this.genCall(ctx, f, d - 1);
        return c ? { code: this.single(c, f), prec: P_PREFIX, max: 0 } : { code: 'true', prec: P_ATOM, max: 0 };
      }
      case 'eqmixed': {
        const a = this.genScalar(ctx, d - 1);
        const b = this.genScalar(ctx, d - 1);
        return this.bin(a, r.pick(['==', '~=']), b, P_CMP, false, 0);
      }
      case 'vararg':
        return { code: `select('#', ...) > ${r.int(0, 2)}`, prec: P_CMP, max: 0 };
    }
  }

  /** An int, string or boolean expression. */
  genScalar(ctx: Ctx, d: number): Ex {
    const k = this.r.weighted([
      [4, 'int'],
      [3, 'str'],
      [1, 'bool'],
    ] as const);
    return k === 'int' ? this.genInt(ctx, d) : k === 'str' ? this.genStr(ctx, d) : this.genBool(ctx, d);
  }

  /** Anything printable, including nil, false, 0 and "" and and/or mixes of them. */
  genAny(ctx: Ctx, d: number): Ex {
    const r = this.r;
    const nils = this.varsOf(ctx, 'nil');
    const k = r.weighted([
      [5, 'scalar'],
      [2, 'special'],
      [nils.length > 0 ? 2 : 0, 'nilvar'],
      [d > 0 ? 2 : 0, 'andor'],
    ] as const);
    switch (k) {
      case 'scalar':
        return this.genScalar(ctx, d);
      case 'special':
        return { code: r.pick(['nil', 'false', '0', '""', "''", 'true']), prec: P_ATOM, max: 0 };
      case 'nilvar':
        return { code: r.pick(nils).name, prec: P_PREFIX, max: 0 };
      case 'andor': {
        const a = this.genAny(ctx, d - 1);
        const b = this.genAny(ctx, d - 1);
        return r.chance(0.5) ? this.bin(a, 'and', b, P_AND, false, 0) : this.bin(a, 'or', b, P_OR, false, 0);
      }
    }
  }

  /** A condition: a boolean, or any value tested for truthiness. */
  genCond(ctx: Ctx, d: number): Ex {
    return this.r.chance(0.8) ? this.genBool(ctx, d) : this.genAny(ctx, d);
  }

  /** A value of type `ty` (for assignments, arguments and returns); integers and strings are stored folded/cut. */
  genOf(ctx: Ctx, ty: Ty, d: number): string {
    switch (ty.k) {
      case 'int':
        return this.fold(this.genInt(ctx, d), INT_LIMIT).code;
      case 'str':
        return this.cut(this.genStr(ctx, d), MAX_STR).code;
      case 'bool':
        return this.genBool(ctx, d).code;
      case 'nil':
        return this.genAny(ctx, d).code;
      case 'seq':
        return this.genSeq(ctx, ty.el, d);
      case 'rec':
        return this.genRec(ctx, ty.shape, d);
      case 'map':
        return this.genMap(ctx, d);
      case 'obj':
        return this.genObj(ctx, ty.cls, d);
      case 'fn':
        return this.genFnArg(ctx, d);
    }
  }

  genSeq(ctx: Ctx, el: 'int' | 'str', d: number): string {
    const r = this.r;
    const same = this.vars(ctx, (v) => v.ty.k === 'seq' && v.ty.el === el);
    const multis = this.multiSources(ctx, el);
    const k = r.weighted([
      [4, 'ctor'],
      [same.length > 0 ? 2 : 0, 'alias'],
      [multis.length > 0 ? 2 : 0, 'multi'],
      [el === 'int' && ctx.fn.vararg ? 2 : 0, 'vararg'],
      [el === 'int' ? 1 : 0, 'bytes'],
    ] as const);
    const item = () => this.genOf(ctx, scalar(el), d - 1);
    switch (k) {
      case 'ctor': {
        const n = r.int(0, 5);
        const items = Array.from({ length: n }, item);
        return `{${items.join(', ')}${n > 0 && r.chance(0.15) ? (r.chance(0.5) ? ',' : ';') : ''}}`;
      }
      case 'alias':
        return r.pick(same).name;
      case 'multi': {
        const before = r.chance(0.4) ? [item()] : [];
        const m = r.pick(multis)();
        if (m === null) return `{${before.join(', ')}}`;
        return `{${[...before, m].join(', ')}}`;
      }
      case 'vararg':
        return r.chance(0.7) ? '{...}' : `{${item()}, ...}`;
      case 'bytes': {
        const s = this.genStr(ctx, d - 1);
        return `{${this.prefix(s)}:byte(1, ${r.int(1, 6)})}`;
      }
    }
  }

  /** Makers of multi-value expressions whose every value has element type `el` (never nil): calls, `...`, unpack. */
  private multiSources(ctx: Ctx, el: 'int' | 'str'): Array<() => string | null> {
    const out: Array<() => string | null> = [];
    const fs = this.callable(ctx, (s) => s.rets.length >= 2 && s.rets.every((t) => t.k === el));
    if (fs.length > 0) out.push(() => this.genCall(ctx, this.r.pick(fs), 0));
    if (el === 'int' && ctx.fn.vararg) out.push(() => '...');
    const seqs = this.vars(ctx, (v) => v.ty.k === 'seq' && v.ty.el === el);
    if (seqs.length > 0) out.push(() => `table.unpack(${this.r.pick(seqs).name})`);
    return out;
  }

  genRec(ctx: Ctx, shape: Shape, d: number): string {
    const same = this.vars(ctx, (v) => v.ty.k === 'rec' && v.ty.shape === shape);
    if (same.length > 0 && this.r.chance(0.2)) return this.r.pick(same).name;
    const fields = Object.keys(shape).map((f) => `${f} = ${this.genOf(ctx, scalar(shape[f]), d - 1)}`);
    return `{${fields.join(', ')}}`;
  }

  genMap(ctx: Ctx, d: number): string {
    const n = this.r.int(0, 3);
    const keys = [...new Set(Array.from({ length: n }, () => this.r.pick(['a', 'b', 'c', 'k1', 'k2'])))];
    return `{${keys.map((k) => (this.r.chance(0.5) ? `${k} = ` : `["${k}"] = `) + this.genOf(ctx, INT, d - 1)).join(', ')}}`;
  }

  genObj(ctx: Ctx, cls: Cls, d: number): string {
    const r = this.r;
    const same = this.vars(ctx, (v) => v.ty.k === 'obj' && v.ty.cls === cls);
    const adders = this.vars(ctx, (v) => v.ty.k === 'obj' && v.ty.cls.addCls === cls && v.ty.cls.mm.has('__add'));
    const negs = this.vars(ctx, (v) => v.ty.k === 'obj' && v.ty.cls.unmCls === cls && v.ty.cls.mm.has('__unm'));
    const k = r.weighted([
      [3, 'new'],
      [same.length > 0 ? 2 : 0, 'alias'],
      [adders.length > 0 ? 3 : 0, 'add'],
      [negs.length > 0 ? 1 : 0, 'unm'],
      [same.length > 0 ? 1 : 0, 'bump'],
    ] as const);
    switch (k) {
      case 'new':
        return `${cls.name}.new(${this.genOf(ctx, INT, d - 1)})`;
      case 'alias':
        return r.pick(same).name;
      case 'add': {
        const a = r.pick(adders).name;
        const other = r.chance(0.5) ? r.pick(adders).name : this.paren(this.genInt(ctx, d - 1), P_ADD + 1);
        return r.chance(0.5) ? `${a} + ${other}` : `${other} + ${a}`;
      }
      case 'unm':
        return `-${r.pick(negs).name}`;
      case 'bump':
        return `${r.pick(same).name}:bump(${this.genOf(ctx, INT, d - 1)})`;
    }
  }

  /** An argument for an fn-typed (int -> int) parameter. */
  genFnArg(ctx: Ctx, d: number): string {
    const fs = this.callable(ctx, (s) => isIntToInt(s) && s.cost <= INT_TO_INT.cost).filter((v) => !v.name.includes(':'));
    if (fs.length > 0 && this.r.chance(0.6)) return this.r.pick(fs).name;
    const p = this.fresh('p');
    const fn: Fn = { main: false, rets: [INT], vararg: false, cost: 0, cap: INT_TO_INT.cost, locals: 0 };
    const sub = this.child(ctx, { fn, mult: 1, depth: 0, loop: false, cont: false, yield: false, raise: false, ill: false, outside: false });
    sub.scope.vars.push({ name: p, ty: INT, ro: false });
    const body = this.fold(this.genInt(sub, Math.min(d, 2)), INT_LIMIT);
    return `function(${p}) return ${body.code} end`;
  }

  // ------------------------------------------------------------ calls

  /** Function variables that may be called here (yield/raise rules) and whose cost fits. */
  callable(ctx: Ctx, pred: (s: Sig) => boolean): Var[] {
    return this.vars(ctx, (v) => {
      if (v.ty.k !== 'fn') return false;
      const s = v.ty.sig;
      if (s.yields && !ctx.yield) return false;
      if (s.raises && !ctx.raise) return false;
      return this.afford(ctx, s.cost + 1) && pred(s);
    });
  }

  /** A call of `f` with well-typed arguments; the last ones may come from a multi-value call. */
  genCall(ctx: Ctx, f: Var, d: number): string | null {
    if (f.ty.k !== 'fn') return null;
    const sig = f.ty.sig;
    if (!this.afford(ctx, sig.cost + 1)) return null;
    this.charge(ctx, sig.cost + 1);
    const r = this.r;
    const params = sig.params.slice(0, sig.params.length - (r.chance(0.4) ? r.int(0, sig.optional) : 0));
    const args: string[] = [];
    let filled = false;
    let i = 0;
    for (; i < params.length; i++) {
      // Try to fill the rest of the parameters from one multi-value call.
      if (i > 0 || params.length > 1) {
        const rest = params.slice(i);
        if (rest.length >= 2 && r.chance(0.25)) {
          // Extra results are dropped, except that a vararg callee receives them: then the count must match.
          const fits = (s: Sig) => (sig.vararg ? s.rets.length === rest.length : s.rets.length >= rest.length);
          const gs = this.callable(ctx, (s) => fits(s) && rest.every((t, j) => tyEq(t, s.rets[j]))).filter((g) => g !== f);
          if (gs.length > 0) {
            const c = this.genCall(ctx, r.pick(gs), 0);
            if (c) {
              args.push(c);
              filled = true;
              break;
            }
          }
        }
      }
      args.push(this.genOf(ctx, params[i], d));
    }
    // Extra arguments go after the parameters, unless a multi-value call filled them (it must stay last).
    if (sig.vararg && params.length === sig.params.length && !filled) {
      const n = r.int(0, 3);
      for (let j = 0; j < n; j++) args.push(this.genOf(ctx, INT, d));
      if (r.chance(0.4)) {
        const ms = this.multiSources(ctx, 'int');
        const m = ms.length > 0 ? r.pick(ms)() : null;
        if (m !== null) args.push(m);
      }
    }
    if (f.name.includes(':') && r.chance(0.3)) {
      const [obj, m] = f.name.split(':');
      return `${obj}.${m}(${[obj, ...args].join(', ')})`;
    }
    return `${f.name}(${args.join(', ')})`;
  }

  /** A multi-value expression of printable values, for the end of an argument or return list. */
  genMulti(ctx: Ctx, d: number): Multi | null {
    const r = this.r;
    const fns = this.callable(ctx, (s) => s.rets.length >= 1 && !s.vararg);
    const strs = () => this.genStr(ctx, d);
    const opts: Array<[number, () => Multi | null]> = [
      [fns.length > 0 ? 5 : 0, () => {
        const f = r.pick(fns);
        const c = this.genCall(ctx, f, d);
        return c ? { code: c, types: (f.ty as { k: 'fn'; sig: Sig }).sig.rets } : null;
      }],
      [ctx.fn.vararg ? 3 : 0, () => ({ code: '...', types: null })],
      [ctx.fn.vararg ? 1 : 0, () => ({ code: `select(${r.int(1, 3)}, ...)`, types: null })],
      [1, () => ({ code: `string.byte(${strs().code}, 1, ${r.int(1, 4)})`, types: null })],
      [1, () => {
        const s = strs();
        return { code: `${this.prefix(s)}:find(${this.lit(r.pick(['a', 'o', 'b', 'xy']))}, 1, true)`, types: [NIL, NIL] };
      }],
      [1, () => {
        const s = strs();
        return { code: `string.gsub(${s.code}, ${this.lit(r.pick(['a', 'o', ' ']))}, ${this.lit(r.pick(['-', '']))})`, types: [STR, INT] };
      }],
      [this.vars(ctx, (v) => v.ty.k === 'seq').length > 0 ? 1 : 0, () => {
        const t = r.pick(this.vars(ctx, (v) => v.ty.k === 'seq'));
        return r.chance(0.7)
          ? { code: `table.unpack(${t.name})`, types: null }
          : { code: `table.unpack(${t.name}, ${r.int(1, 3)}, ${r.int(2, 5)})`, types: [NIL, NIL, NIL, NIL, NIL] };
      }],
      [1, () => {
        const n = r.int(0, 3);
        const vs = Array.from({ length: n }, () => this.genScalar(ctx, d).code);
        return { code: `select(${r.pick(['1', '2', "'#'"])}, ${['0', ...vs].join(', ')})`, types: null };
      }],
    ];
    return r.weighted(opts)();
  }

  // ------------------------------------------------------------ statements

  genBlock(ctx: Ctx, n: number): Lines {
    const out: Lines = [];
    for (let i = 0; i < n; i++) {
      if (!this.afford(ctx, 2)) break;
      const st = this.genStmt(ctx);
      // Lexical noise the parser must skip: comments of every form and empty statements.
      if (st.length > 0 && this.r.chance(0.06)) {
        const j = st.length - 1;
        st[j] = st[j] + this.r.pick([';', ' ;', ' -- trailing comment', ' --[[ block ]]', ' --[==[ long ]] comment ]==]']);
      }
      if (this.r.chance(0.03)) out.push(this.r.pick(['-- a comment line', '--[[ a block\ncomment ]]', ';', '--[=[ ]] ]=]']));
      out.push(...st);
    }
    return out;
  }

  genStmt(ctx: Ctx): Lines {
    const r = this.r;
    this.charge(ctx, 1);
    const deep = ctx.depth > 0;
    const manyLocals = ctx.fn.locals > 120;
    const top = ctx.top;
    const k = r.weighted([
      [manyLocals ? 0 : 10, 'local'],
      [8, 'assign'],
      [7, 'print'],
      [deep ? 5 : 0, 'if'],
      [deep ? 4 : 0, 'for'],
      [deep ? 2 : 0, 'while'],
      [deep ? 2 : 0, 'repeat'],
      [deep ? 2 : 0, 'ipairs'],
      [2, 'pairs'],
      [ctx.loop ? 2 : 0, 'break'],
      [ctx.cont ? 3 : 0, 'continue'],
      [!ctx.fn.main && deep ? 1 : 0, 'return'],
      [deep && !manyLocals ? 5 : 0, 'function'],
      [deep && !manyLocals ? 1 : 0, 'module'],
      [deep ? 2 : 0, 'factory'],
      [deep ? 1 : 0, 'loopclosures'],
      [deep ? 1 : 0, 'recursion'],
      [3, 'multi'],
      [3, 'table'],
      [2, 'string'],
      [this.varsOf(ctx, 'obj').length > 0 ? 3 : 0, 'object'],
      [this.classes.length > 0 && !manyLocals ? 1 : 0, 'newobj'],
      [2, 'map'],
      [deep ? 3 : 0, 'pcall'],
      [deep ? 3 : 0, 'pcallstatus'],
      [deep ? 1 : 0, 'xpcall'],
      [ctx.raise ? 2 : 0, 'raise'],
      [ctx.yield ? 4 : 0, 'yield'],
      [deep ? 2 : 0, 'coroutine'],
      [deep ? 2 : 0, 'wrap'],
      [deep ? 1 : 0, 'wrapfor'],
      [ctx.ill ? 3 : 0, 'illtyped'],
      [2, 'truthy'],
      [deep ? 2 : 0, 'iter'],
      [1, 'varargnil'],
      [ctx.yield ? 1 : 0, 'yieldmeta'],
      [1, 'keys'],
      [this.varsOf(ctx, 'obj').length > 0 && deep ? 2 : 0, 'classmut'],
      [this.varsOf(ctx, 'rec').length + this.varsOf(ctx, 'obj').length > 0 ? 1 : 0, 'shape'],
      [top && !manyLocals ? 1 : 0, 'global'],
      [deep ? 1 : 0, 'do'],
      [ctx.top && this.classes.length < 3 ? 1 : 0, 'class'],
    ] as const);
    switch (k) {
      case 'local': return this.stLocal(ctx);
      case 'assign': return this.stAssign(ctx);
      case 'print': return this.stPrint(ctx);
      case 'if': return this.stIf(ctx);
      case 'for': return this.stFor(ctx);
      case 'while': return this.stWhile(ctx);
      case 'repeat': return this.stRepeat(ctx);
      case 'ipairs': return this.stIpairs(ctx);
      case 'pairs': return this.stPairs(ctx);
      case 'break': return [`if ${this.genCond(ctx, 2).code} then break end`];
      case 'continue': return [`if ${this.genCond(ctx, 2).code} then goto continue end`];
      case 'return': return [`if ${this.genCond(ctx, 2).code} then ${this.returnStmt(ctx)} end`];
      case 'function': return this.stFunction(ctx);
      case 'module': return this.stModule(ctx);
      case 'factory': return this.stFactory(ctx);
      case 'loopclosures': return this.stLoopClosures(ctx);
      case 'recursion': return this.stRecursion(ctx);
      case 'multi': return this.stMulti(ctx);
      case 'table': return this.stTable(ctx);
      case 'string': return this.stString(ctx);
      case 'object': return this.stObject(ctx);
      case 'newobj': return this.stNewObj(ctx);
      case 'map': return this.stMap(ctx);
      case 'pcall': return this.stPcall(ctx);
      case 'pcallstatus': return this.stPcallStatus(ctx);
      case 'xpcall': return this.stXpcall(ctx);
      case 'raise': return this.stRaise(ctx);
      case 'yield': return this.stYield(ctx);
      case 'coroutine': return this.stCoroutine(ctx);
      case 'wrap': return this.stWrap(ctx);
      case 'wrapfor': return this.stWrapFor(ctx);
      case 'illtyped': return this.stIllTyped(ctx);
      case 'truthy': return this.stTruthy(ctx);
      case 'iter': return this.stIter(ctx);
      case 'varargnil': return this.stVarargNil(ctx);
      case 'yieldmeta': return this.stYieldMeta(ctx);
      case 'keys': return this.stKeys(ctx);
      case 'classmut': return this.stClassMutation(ctx);
      case 'shape': return this.stShape(ctx);
      case 'global': return this.stGlobal(ctx);
      case 'do': return ['do', ...indent(this.genBlock(this.child(ctx), r.int(1, 4))), 'end'];
      case 'class': return this.stClass(ctx);
    }
  }

  /** `local x = e` of a random type, or several locals at once. */
  stLocal(ctx: Ctx): Lines {
    const r = this.r;
    if (r.chance(0.2)) {
      // local a, b, c = <multi>
      // local a, b, c = [e,] <multi>: names past the known results hold nil.
      const first = r.chance(0.3) ? this.genInt(ctx, 1) : null;
      const m = this.genMulti(ctx, 2);
      if (m) {
        const n = r.int(1, 3);
        const names = Array.from({ length: n }, () => this.fresh('m'));
        const types: Ty[] = [...(first ? [INT] : []), ...(m.types ?? [])];
        const vals = [...(first ? [this.fold(first, INT_LIMIT).code] : []), m.code];
        names.forEach((nm, i) => {
          const t = types[i];
          this.declare(ctx, nm, t && (t.k === 'int' || t.k === 'str' || t.k === 'bool') ? t : NIL);
        });
        return [`local ${names.join(', ')} = ${vals.join(', ')}`, `print(${names.join(', ')})`];
      }
    }
    if (r.chance(0.15)) {
      const n = r.int(2, 3);
      const tys = Array.from({ length: n }, () => this.randomTy());
      const vals = tys.map((t) => this.genOf(ctx, t, 2));
      const names = tys.map(() => this.localName(ctx, 'v'));
      if (new Set(names).size !== names.length) return [];
      tys.forEach((t, i) => this.declare(ctx, names[i], t));
      return [`local ${names.join(', ')} = ${vals.join(', ')}`];
    }
    const ty = this.randomTy();
    const val = this.genOf(ctx, ty, 3);
    const name = this.localName(ctx, ty.k === 'int' ? 'n' : ty.k === 'str' ? 's' : ty.k === 'bool' ? 'b' : ty.k === 'seq' ? 't' : ty.k === 'obj' ? 'o' : ty.k === 'map' ? 'm' : 'r');
    this.declare(ctx, name, ty);
    return [`local ${name} = ${val}`];
  }

  randomTy(): Ty {
    const r = this.r;
    const k = r.weighted([
      [6, 'int'],
      [4, 'str'],
      [2, 'bool'],
      [3, 'seq'],
      [1, 'rec'],
      [1, 'map'],
      [this.classes.length > 0 ? 2 : 0, 'obj'],
    ] as const);
    switch (k) {
      case 'int': return INT;
      case 'str': return STR;
      case 'bool': return BOOL;
      case 'seq': return { k: 'seq', el: r.chance(0.6) ? 'int' : 'str' };
      case 'map': return { k: 'map' };
      case 'obj': return { k: 'obj', cls: r.pick(this.classes) };
      case 'rec': {
        if (this.shapes.length > 0 && r.chance(0.5)) return { k: 'rec', shape: r.pick(this.shapes) };
        const shape: Shape = {};
        const n = r.int(1, 3);
        for (let i = 0; i < n; i++) shape[r.pick(FIELDS)] = r.chance(0.6) ? 'int' : 'str';
        this.shapes.push(shape);
        return { k: 'rec', shape };
      }
    }
  }

  /** Assignment to a variable, field or element; sometimes several at once. */
  stAssign(ctx: Ctx): Lines {
    const r = this.r;
    // A variable holding a table is reassigned only by the function declaring it, never through an upvalue:
    // in `t.f = g()`, when g rebinds t, Lua leaves open which table is assigned (manual §3.3.3; PUC uses the
    // new one for a local t, the old one for an upvalue t).
    const scalarTy = (t: Ty) => t.k === 'int' || t.k === 'str' || t.k === 'bool';
    const mutable = this.vars(ctx, (v) => !v.ro && v.ty.k !== 'fn' && v.ty.k !== 'nil' && (scalarTy(v.ty) || v.fn === ctx.fn));
    const k = r.weighted([
      [1, 'print'],
      [mutable.length > 0 ? 6 : 0, 'var'],
      [mutable.length > 1 ? 2 : 0, 'multi'],
      [this.recFields(ctx, 'int').length + this.recFields(ctx, 'str').length > 0 ? 2 : 0, 'field'],
      [this.varsOf(ctx, 'seq').length > 0 ? 2 : 0, 'element'],
      [this.varsOf(ctx, 'obj').length > 0 ? 1 : 0, 'objfield'],
    ] as const);
    switch (k) {
      case 'print':
        return this.stPrint(ctx);
      case 'var': {
        const v = r.pick(mutable);
        // Accumulations such as `x = x + e` are the common case.
        if (v.ty.k === 'int' && r.chance(0.4)) {
          const e = this.genInt(ctx, 2);
          return [`${v.name} = ${this.fold({ code: `${v.name} ${r.pick(['+', '-'])} ${this.paren(e, P_ADD + 1)}`, prec: P_ADD, max: INT_LIMIT + e.max }, INT_LIMIT).code}`];
        }
        if (v.ty.k === 'str' && r.chance(0.4)) {
          const e = this.catRight(this.genStr(ctx, 1));
          return [`${v.name} = ${this.cut({ code: `${v.name} .. ${this.paren(e, P_CONCAT)}`, prec: P_CONCAT, max: MAX_STR + e.max }, MAX_STR).code}`];
        }
        return [`${v.name} = ${this.genOf(ctx, v.ty, 3)}`];
      }
      case 'multi': {
        const a = r.pick(mutable);
        const others = mutable.filter((v) => v.name !== a.name);
        const b = r.pick(others);
        if (tyEq(a.ty, b.ty) && r.chance(0.5)) return [`${a.name}, ${b.name} = ${b.name}, ${a.name}`];
        // From a multi-value call when its results fit.
        const fs = this.callable(ctx, (s) => s.rets.length >= 2 && tyEq(s.rets[0], a.ty) && tyEq(s.rets[1], b.ty));
        if (fs.length > 0 && r.chance(0.6)) {
          const c = this.genCall(ctx, r.pick(fs), 2);
          if (c) return [`${a.name}, ${b.name} = ${c}`];
        }
        return [`${a.name}, ${b.name} = ${this.genOf(ctx, a.ty, 2)}, ${this.genOf(ctx, b.ty, 2)}`];
      }
      case 'field': {
        const all = [...this.recFields(ctx, 'int').map((x) => [...x, 'int'] as const), ...this.recFields(ctx, 'str').map((x) => [...x, 'str'] as const)];
        const [v, f, t] = r.pick(all);
        return [`${v}.${f} = ${this.genOf(ctx, scalar(t), 2)}`];
      }
      case 'element': {
        const t = r.pick(this.varsOf(ctx, 'seq'));
        const el = scalar((t.ty as { k: 'seq'; el: 'int' | 'str' }).el);
        const v = this.genOf(ctx, el, 2);
        // The value is computed before the length when a call in it could change the sequence (a key computed
        // first and a sequence shrunk by the call would leave a hole).
        const x = this.fresh('x');
        return r.pick([
          [`do local ${x} = ${v}; if #${t.name} < ${SEQ_GUARD} then ${t.name}[#${t.name} + 1] = ${x} end end`],
          [`${t.name}[1] = ${v}`],
          [`do local ${x} = ${v}; if #${t.name} > 0 then ${t.name}[#${t.name}] = ${x} end end`],
        ]);
      }
      case 'objfield': {
        const o = r.pick(this.varsOf(ctx, 'obj'));
        return [`${o.name}.v = ${this.genOf(ctx, INT, 2)}`];
      }
    }
  }

  /** Printable expressions: scalars, nil mixes, objects with __tostring, multi-values at the end. */
  stPrint(ctx: Ctx): Lines {
    const r = this.r;
    this.charge(ctx, 3);
    const n = r.int(0, 3);
    const args: string[] = [];
    if (r.chance(0.5)) args.push(this.lit(this.fresh('L')));
    for (let i = 0; i < n; i++) {
      const objs = this.vars(ctx, (v) => v.ty.k === 'obj' && v.ty.cls.mm.has('__tostring'));
      if (objs.length > 0 && r.chance(0.1)) args.push(r.pick(objs).name);
      else args.push(this.genAny(ctx, 3).code);
    }
    if (r.chance(0.3)) {
      const m = this.genMulti(ctx, 2);
      if (m) args.push(r.chance(0.2) ? `(${m.code})` : m.code);
    }
    return [`print(${args.join(', ')})`];
  }

  stIf(ctx: Ctx): Lines {
    const r = this.r;
    const out = [`if ${this.genCond(ctx, 3).code} then`, ...indent(this.genBlock(this.child(ctx), r.int(1, 3)))];
    const n = r.int(0, 2);
    for (let i = 0; i < n; i++) {
      out.push(`elseif ${this.genCond(ctx, 2).code} then`, ...indent(this.genBlock(this.child(ctx), r.int(1, 2))));
    }
    if (r.chance(0.5)) out.push('else', ...indent(this.genBlock(this.child(ctx), r.int(1, 2))));
    out.push('end');
    return out;
  }

  /** Loop body context; the `::continue::` label is added by `loopBody` when `cont`. */
  private loopCtx(ctx: Ctx, count: number): { body: Ctx; label: boolean } | null {
    if (ctx.mult * count > MAX_MULT || !this.afford(ctx, count * 4)) return null;
    const label = this.r.chance(0.5);
    const body = this.child(ctx, { mult: ctx.mult * count, loop: true, cont: label || ctx.cont });
    return { body, label };
  }

  private loopBody(l: { body: Ctx; label: boolean }, pre: Lines = [], repeatLoop = false): Lines {
    const stmts = this.genBlock(l.body, this.r.int(1, 4));
    if (repeatLoop) {
      // The label sits before `until`, where body locals would still be in scope: keep them in a do block.
      return [...pre, 'do', ...indent(stmts), 'end', ...(l.label ? ['::continue::'] : [])];
    }
    return [...pre, ...stmts, ...(l.label ? ['::continue::'] : [])];
  }

  stFor(ctx: Ctx): Lines {
    const r = this.r;
    const i = this.fresh('i');
    const seqs = this.varsOf(ctx, 'seq');
    const ints = this.varsOf(ctx, 'int');
    const form = r.weighted([
      [5, 'const'],
      [seqs.length > 0 ? 2 : 0, 'seq'],
      [ints.length > 0 ? 2 : 0, 'var'],
    ] as const);
    let head: string;
    let count: number;
    if (form === 'const') {
      const step = r.pick([0, 1, 1, 2, 3, -1, -1, -2]);
      const a = r.int(-3, 6);
      const n = r.int(0, 6);
      if (step === 0) {
        head = `${a}, ${a + n - 1}`;
        count = n;
      } else {
        const b = a + step * (n - 1) + (r.chance(0.3) ? Math.sign(step) * r.int(0, Math.abs(step) - 1) : 0);
        head = step === 1 && r.chance(0.5) ? `${a}, ${b}` : `${a}, ${b}, ${step}`;
        count = n;
      }
    } else if (form === 'seq') {
      const t = r.pick(seqs).name;
      head = r.chance(0.6) ? `1, #${t}` : `#${t}, 1, -1`;
      count = SEQ_MAX;
    } else {
      const v = r.pick(ints).name;
      const n = r.int(1, 4);
      head = r.chance(0.5) ? `${v}, ${v} + ${n - 1}` : `1, math.min(${v}, ${n})`;
      count = n;
    }
    const l = this.loopCtx(ctx, Math.max(1, count));
    if (!l) return [];
    this.declare(l.body, i, INT, true);
    return [`for ${i} = ${head} do`, ...indent(this.loopBody(l)), 'end'];
  }

  stWhile(ctx: Ctx): Lines {
    const r = this.r;
    const w = this.fresh('w');
    const n = r.int(1, 6);
    const l = this.loopCtx(ctx, n);
    if (!l) return [];
    const cond = r.chance(0.4) ? ` and ${this.paren(this.genBool(l.body, 1), P_AND + 1)}` : '';
    const out = [`local ${w} = 0`];
    this.declare(ctx, w, INT, true);
    out.push(`while ${w} < ${n}${cond} do`, ...indent(this.loopBody(l, [`${w} = ${w} + 1`])), 'end');
    return out;
  }

  stRepeat(ctx: Ctx): Lines {
    const r = this.r;
    const c = this.fresh('c');
    const n = r.int(1, 6);
    const l = this.loopCtx(ctx, n);
    if (!l) return [];
    this.declare(ctx, c, INT, true);
    const extra = r.chance(0.4) ? ` or ${this.paren(this.genBool(ctx, 1), P_OR + 1)}` : '';
    return [`local ${c} = 0`, 'repeat', ...indent(this.loopBody(l, [`${c} = ${c} + 1`], true)), `until ${c} >= ${n}${extra}`];
  }

  stIpairs(ctx: Ctx): Lines {
    const r = this.r;
    const el = r.chance(0.6) ? 'int' : 'str';
    const seqs = this.vars(ctx, (v) => v.ty.k === 'seq' && v.ty.el === el);
    const src = seqs.length > 0 && r.chance(0.7) ? r.pick(seqs).name : this.genSeq(ctx, el, 2);
    const l = this.loopCtx(ctx, SEQ_MAX);
    if (!l) return [];
    const i = this.fresh('i');
    const v = this.fresh(el === 'int' ? 'e' : 'x');
    this.declare(l.body, i, INT, true);
    this.declare(l.body, v, scalar(el), true);
    return [`for ${i}, ${v} in ipairs(${src}) do`, ...indent(this.loopBody(l)), 'end'];
  }

  /** pairs only with an order-independent result: sorted keys, or counts and sums. */
  stPairs(ctx: Ctx): Lines {
    const r = this.r;
    const tabs = this.vars(
      ctx,
      (v) => v.ty.k === 'map' || (v.ty.k === 'rec' && !this.moduleShapes.has(v.ty.shape)) || (v.ty.k === 'seq' && v.ty.el === 'int'),
    );
    if (tabs.length === 0 || !this.afford(ctx, 60)) return [];
    this.charge(ctx, 50);
    const t = r.pick(tabs);
    if (r.chance(0.4)) return [`print("show", show(${t.name}))`];
    if (t.ty.k !== 'rec' && r.chance(0.5)) {
      const [n, s] = [this.fresh('cnt'), this.fresh('sum')];
      return [
        'do',
        `  local ${n}, ${s} = 0, 0`,
        `  for _, v in pairs(${t.name}) do ${n} = ${n} + 1; ${s} = B(${s} + v) end`,
        `  print("agg", ${n}, ${s})`,
        'end',
      ];
    }
    const ks = this.fresh('keys');
    return [
      'do',
      `  local ${ks} = {}`,
      `  for k, v in pairs(${t.name}) do ${ks}[#${ks} + 1] = tostring(k) .. ":" .. tostring(v) end`,
      `  table.sort(${ks})`,
      `  print("keys", #${ks}, table.concat(${ks}, " "))`,
      'end',
    ];
  }

  private returnStmt(ctx: Ctx): string {
    const rets = ctx.fn.rets;
    if (rets.length === 0) return 'return';
    const vals = rets.map((t) => this.genOf(ctx, t, 2));
    // `return a, g()` where g's results complete the list.
    if (rets.length >= 2 && this.r.chance(0.3)) {
      const rest = rets.slice(1);
      const gs = this.callable(ctx, (s) => s.rets.length === rest.length && rest.every((t, j) => tyEq(t, s.rets[j])));
      if (gs.length > 0) {
        const c = this.genCall(ctx, this.r.pick(gs), 1);
        if (c) return `return ${vals[0]}, ${c}`;
      }
    }
    if (rets.length >= 1 && this.r.chance(0.2)) {
      const gs = this.callable(ctx, (s) => s.rets.length === rets.length && rets.every((t, j) => tyEq(t, s.rets[j])));
      if (gs.length > 0) {
        const c = this.genCall(ctx, this.r.pick(gs), 1);
        if (c) return `return ${c}`;
      }
    }
    return `return ${vals.join(', ')}`;
  }

  /** A random signature for a new function. */
  private randomSig(allowYield: boolean): Sig {
    const r = this.r;
    const n = r.int(0, 3);
    const params: Ty[] = [];
    for (let i = 0; i < n; i++) {
      params.push(
        r.weighted([
          [5, INT],
          [3, STR],
          [1, { k: 'seq', el: 'int' } as Ty],
          [1, { k: 'fn', sig: INT_TO_INT } as Ty],
        ] as const),
      );
    }
    let optional = 0;
    if (r.chance(0.25)) {
      params.push(INT);
      optional = 1;
    }
    const nr = r.weighted([
      [1, 0],
      [5, 1],
      [3, 2],
      [1, 3],
    ] as const);
    const rets = Array.from({ length: nr }, () => r.weighted([[5, INT], [3, STR], [1, BOOL]] as const));
    return {
      params,
      optional,
      vararg: r.chance(0.2),
      rets,
      yields: allowYield && r.chance(0.2),
      raises: r.chance(0.2),
      cost: 0,
    };
  }

  /** Parameter list, body and final return of a function with signature `sig`; fills `sig.cost`. */
  private fnBody(ctx: Ctx, sig: Sig, self: Shape | null, pre: (body: Ctx) => Lines = () => []): { params: string; body: Lines } {
    const fn: Fn = { main: false, rets: sig.rets, vararg: sig.vararg, cost: 0, cap: FN_COST, locals: 0 };
    const body: Ctx = {
      scope: new Scope(ctx.scope),
      fn,
      depth: Math.min(ctx.depth - 1, 2),
      mult: 1,
      top: false,
      loop: false,
      cont: false,
      yield: sig.yields,
      raise: sig.raises,
      ill: false,
      outside: false,
    };
    if (self) body.scope.vars.push({ name: 'self', ty: { k: 'rec', shape: self }, ro: true });
    const names = sig.params.map((t) => this.fresh(t.k === 'fn' ? 'fp' : 'a'));
    const lines: Lines = [];
    sig.params.forEach((t, i) => {
      body.scope.vars.push({ name: names[i], ty: t, ro: t.k === 'fn', fn });
      if (i >= sig.params.length - sig.optional) lines.push(`${names[i]} = ${names[i]} or ${this.r.int(0, 9)}`);
    });
    fn.locals += names.length;
    lines.push(...pre(body));
    lines.push(...this.genBlock(body, this.r.int(1, 5)));
    lines.push(this.returnStmt(body));
    sig.cost = fn.cost + 2;
    const params = [...names, ...(sig.vararg ? ['...'] : [])].join(', ');
    return { params, body: lines };
  }

  /** A named function: local function, local f = function, or (at top level) a global function. */
  stFunction(ctx: Ctx): Lines {
    const r = this.r;
    const sig = this.randomSig(true);
    const form = ctx.top && r.chance(0.25) ? 'global' : r.pick(['local', 'local', 'anon']);
    const name = form === 'global' ? this.fresh('F') : this.fresh('f');
    const { params, body } = this.fnBody(ctx, sig, null);
    const v: Var = { name, ty: { k: 'fn', sig }, ro: true };
    ctx.scope.vars.push(v);
    ctx.fn.locals++;
    const head = form === 'global' ? `function ${name}(${params})` : form === 'local' ? `local function ${name}(${params})` : `local ${name} = function(${params})`;
    const out = [head, ...indent(body), 'end'];
    // Use it right away sometimes, so that even unused paths get called.
    if (this.callable(ctx, (s) => s === sig).length > 0 && r.chance(0.5)) {
      const c = this.genCall(ctx, v, 2);
      if (c) out.push(`print("${name}", ${c})`);
    }
    return out;
  }

  /** A module table with functions and `:` methods using `self`. */
  stModule(ctx: Ctx): Lines {
    const r = this.r;
    const m = this.fresh('M');
    const shape: Shape = { k: 'int' };
    this.moduleShapes.add(shape);
    const out = [`local ${m} = {k = ${this.genOf(ctx, INT, 1)}}`];
    ctx.scope.vars.push({ name: m, ty: { k: 'rec', shape }, ro: true });
    ctx.fn.locals++;
    const n = r.int(1, 2);
    for (let i = 0; i < n; i++) {
      const method = r.chance(0.5);
      const sig = this.randomSig(true);
      const fname = this.fresh(method ? 'm' : 'g');
      const { params, body } = this.fnBody(ctx, sig, method ? shape : null);
      const full = `${m}${method ? ':' : '.'}${fname}`;
      out.push(`function ${full}(${params})`, ...indent(body), 'end');
      ctx.scope.vars.push({ name: full, ty: { k: 'fn', sig }, ro: true });
    }
    return out;
  }

  /** A counter factory: closures sharing and updating their own upvalue, then called in turn. */
  stFactory(ctx: Ctx): Lines {
    const r = this.r;
    const mk = this.fresh('mk');
    const start = this.fresh('start');
    const c = this.fresh('up');
    const d = this.fresh('d');
    const sig: Sig = { params: [], optional: 0, vararg: false, rets: [INT], yields: false, raises: false, cost: 0 };
    const outer: Ctx = { ...ctx, scope: new Scope(ctx.scope), depth: Math.min(ctx.depth - 1, 2) };
    outer.scope.vars.push({ name: start, ty: INT, ro: false }, { name: c, ty: INT, ro: false });
    const { body } = this.fnBody(outer, sig, null, (b) => {
      b.scope.vars.push({ name: d, ty: INT, ro: false });
      return [`${c} = B(${c} + ${d})`];
    });
    const callSig: Sig = { ...sig, params: [INT] };
    const k1 = this.fresh('k');
    const k2 = this.fresh('k');
    const out = [
      `local function ${mk}(${start})`,
      `  local ${c} = ${start}`,
      `  return function(${d})`,
      ...indent(indent(body)),
      '  end',
      'end',
      `local ${k1}, ${k2} = ${mk}(${this.genOf(ctx, INT, 1)}), ${mk}(${this.genOf(ctx, INT, 1)})`,
    ];
    ctx.scope.vars.push({ name: k1, ty: { k: 'fn', sig: callSig }, ro: true }, { name: k2, ty: { k: 'fn', sig: callSig }, ro: true });
    ctx.fn.locals += 3;
    if (this.afford(ctx, 4 * (sig.cost + 1))) {
      this.charge(ctx, 4 * (sig.cost + 1));
      const calls = Array.from({ length: 4 }, () => `${r.pick([k1, k2])}(${this.genOf(ctx, INT, 1)})`);
      out.push(`print("factory", ${calls.join(', ')})`);
    }
    return out;
  }

  /** Closures created in a loop: each iteration's locals are fresh; the while counter is shared. */
  stLoopClosures(ctx: Ctx): Lines {
    const r = this.r;
    if (!this.afford(ctx, 30)) return [];
    this.charge(ctx, 30);
    const fs = this.fresh('fs');
    const n = r.int(2, 4);
    const extra = this.genInt(ctx, 1).code;
    if (r.chance(0.5)) {
      const i = this.fresh('i');
      const j = this.fresh('j');
      return [
        'do',
        `  local ${fs} = {}`,
        `  for ${i} = 1, ${n} do`,
        `    local ${j} = ${i} * ${r.int(1, 5)}`,
        `    ${fs}[${i}] = function(x) ${j} = ${j} + x; return ${i} + ${j} end`,
        '  end',
        `  print("loopfns", ${Array.from({ length: 5 }, () => `${fs}[${r.int(1, n)}](${r.int(0, 3)})`).join(', ')})`,
        'end',
      ];
    }
    const w = this.fresh('w');
    const acc = this.fresh('acc');
    return [
      'do',
      `  local ${fs}, ${w}, ${acc} = {}, 0, ${extra}`,
      `  while ${w} < ${n} do`,
      `    ${w} = ${w} + 1`,
      `    local mine = ${w} * 10`,
      `    ${fs}[#${fs} + 1] = function() ${acc} = B(${acc} + mine); return mine + ${w}, ${acc} end`,
      '  end',
      `  print("whilefns", ${Array.from({ length: 3 }, () => `${fs}[${r.int(1, n)}]()`).join(', ')})`,
      'end',
    ];
  }

  /** Bounded recursion: accumulating tail calls, tree recursion, mutual recursion. */
  stRecursion(ctx: Ctx): Lines {
    const r = this.r;
    if (!this.afford(ctx, 200)) return [];
    this.charge(ctx, 200);
    const f = this.fresh('rec');
    switch (r.int(0, 2)) {
      case 0:
        return [
          `local function ${f}(n, acc)`,
          `  if n <= 0 then return acc end`,
          `  return ${f}(n - 1, B(acc * ${r.int(1, 3)} + n))`,
          'end',
          `print("tail", ${f}(${r.int(0, 30)}, ${this.genOf(ctx, INT, 1)}))`,
        ];
      case 1:
        return [
          `local function ${f}(n)`,
          `  if n < 2 then return n, 1 end`,
          `  local a, ca = ${f}(n - 1)`,
          `  local b, cb = ${f}(n - 2)`,
          `  return a + b, ca + cb + 1`,
          'end',
          `print("fib", ${f}(${r.int(0, 10)}))`,
        ];
      default: {
        const ev = this.fresh('even');
        const od = this.fresh('odd');
        return [
          `local ${ev}, ${od}`,
          `function ${ev}(n) if n == 0 then return true end return ${od}(n - 1) end`,
          `function ${od}(n) if n == 0 then return false end return ${ev}(n - 1) end`,
          `print("parity", ${ev}(${r.int(0, 12)}), ${od}(${r.int(0, 12)}))`,
        ];
      }
    }
  }

  /** Multiple values in every position. */
  stMulti(ctx: Ctx): Lines {
    const r = this.r;
    const m = this.genMulti(ctx, 2);
    if (!m) return [];
    this.charge(ctx, 3);
    const forms = [
      `print("n", select('#', ${m.code}))`,
      `print("t", #{${m.code}})`,
      `print("p", (${m.code}))`,
      `print("m", ${m.code})`,
      `print("mid", ${m.code}, "end")`,
      `print("wrap", select('#', (${m.code})))`,
      `print("sel", select(${r.int(1, 3)}, ${m.code}))`,
    ];
    // `#{…}` is only well defined without nils: every element of these is a value.
    const form = r.pick(m.types === null || m.types.every((t) => t.k !== 'nil') ? forms : forms.filter((f) => !f.startsWith('print("t"')));
    return [form];
  }

  /** table library on sequences. */
  stTable(ctx: Ctx): Lines {
    const r = this.r;
    const seqs = this.varsOf(ctx, 'seq');
    if (seqs.length === 0) return this.stLocal(ctx);
    const t = r.pick(seqs);
    const el = (t.ty as { k: 'seq'; el: 'int' | 'str' }).el;
    const v = () => this.genOf(ctx, scalar(el), 2);
    this.charge(ctx, 20);
    const g = `#${t.name} < ${SEQ_GUARD}`;
    // As in stAssign: the value first, then the length-dependent position.
    const x = this.fresh('x');
    return r.pick([
      () => [`if ${g} then table.insert(${t.name}, ${v()}) end`],
      () => [`if ${g} then table.insert(${t.name}, 1, ${v()}) end`],
      () => [`do local ${x} = ${v()}; if ${g} then table.insert(${t.name}, #${t.name} // 2 + 1, ${x}) end end`],
      () => [`if #${t.name} > 0 then print("removed", table.remove(${t.name})) end`],
      () => [`if #${t.name} > 0 then print("removed1", table.remove(${t.name}, 1)) end`],
      () => [`print("removed?", table.remove(${t.name}))`],
      () => [`print("len", #${t.name}, table.concat(${t.name}, ${this.lit(r.pick([',', ' ', '']))}))`],
      () => [`table.sort(${t.name})`, `print("sorted", table.concat(${t.name}, ","))`],
      () => [`table.sort(${t.name}, function(p, q) return p > q end)`, `print("rsorted", table.concat(${t.name}, ","))`],
      () => [`print("unpack", table.unpack(${t.name}))`],
      () => [`print("concat", table.concat(${t.name}, "-", ${r.int(1, 3)}, math.min(${r.int(0, 4)}, #${t.name})))`],
      () => [`print("ipairs", select('#', ipairs(${t.name})), ${t.name}[1], ${t.name}[#${t.name}])`],
    ])();
  }

  /** A line of string-library results. */
  stString(ctx: Ctx): Lines {
    this.charge(ctx, 3);
    const n = this.r.int(1, 3);
    return [`print("str", ${Array.from({ length: n }, () => this.genStr(ctx, 3).code).join(', ')})`];
  }

  /** Operations on objects: metamethods, methods, inheritance. */
  stObject(ctx: Ctx): Lines {
    const r = this.r;
    const o = r.pick(this.varsOf(ctx, 'obj'));
    const cls = (o.ty as { k: 'obj'; cls: Cls }).cls;
    this.charge(ctx, 5);
    const parts: string[] = [`${o.name}:get()`, this.objInt(ctx, o, 1).code];
    if (cls.mm.has('__tostring')) parts.push(r.chance(0.5) ? o.name : `tostring(${o.name})`);
    if (cls.mm.has('__add')) {
      const sum = `${o.name} + ${this.paren(this.genInt(ctx, 1), P_ADD + 1)}`;
      parts.push(cls.addCls.mm.has('__tostring') ? `tostring(${sum})` : `(${sum}).v`);
    }
    if (cls.mm.has('__concat')) parts.push(`${o.name} .. ${this.paren(this.catRight(this.genStr(ctx, 1)), P_CONCAT)}`);
    parts.push(this.genBool(ctx, 2).code);
    if (cls.indexFn) parts.push(`${o.name}.${r.pick(['foo', 'bar'])}`);
    else parts.push(`${o.name}.nothing`);
    return [`print("obj", ${parts.join(', ')})`];
  }

  stNewObj(ctx: Ctx): Lines {
    const cls = this.r.pick(this.classes);
    const name = this.fresh('o');
    const val = this.genObj(ctx, cls, 2);
    this.declare(ctx, name, { k: 'obj', cls });
    return [`local ${name} = ${val}`];
  }

  /** String-keyed maps: set, delete, read with defaults, print sorted. */
  stMap(ctx: Ctx): Lines {
    const r = this.r;
    const maps = this.varsOf(ctx, 'map');
    if (maps.length === 0) {
      const name = this.fresh('m');
      const v = this.genMap(ctx, 1);
      this.declare(ctx, name, { k: 'map' });
      return [`local ${name} = ${v}`];
    }
    const m = r.pick(maps).name;
    return r.pick([
      () => [`${m}${this.idx(this.mapKey(ctx, 1))} = ${this.genOf(ctx, INT, 2)}`],
      () => [`${m}.${r.pick(['a', 'b', 'c'])} = ${this.genOf(ctx, INT, 2)}`],
      () => [`${m}${this.idx(this.mapKey(ctx, 1))} = nil`],
      () => [`print("map", show(${m}))`],
      () => {
        const k = this.idx(this.mapKey(ctx, 1));
        return [`${m}${k} = B((${m}${k} or 0) + ${this.paren(this.genInt(ctx, 1), P_ADD + 1)})`];
      },
    ])();
  }

  /** A function literal (for pcall and friends) in the current scope; `tail` adds statements before its return. */
  private literal(ctx: Ctx, over: Partial<Ctx>, rets: Ty[], nStmts: number, tail?: (body: Ctx) => Lines): string {
    const room = Math.floor((ctx.fn.cap - ctx.fn.cost) / ctx.mult);
    const fn: Fn = { main: false, rets, vararg: false, cost: 0, cap: Math.max(0, Math.min(FN_COST, room - 2)), locals: 0 };
    const body: Ctx = { ...ctx, scope: new Scope(ctx.scope), fn, depth: Math.min(ctx.depth - 1, 2), mult: 1, top: false, loop: false, cont: false, ...over };
    const lines = this.genBlock(body, nStmts);
    if (tail) lines.push(...tail(body));
    if (rets.length > 0 || (this.r.chance(0.5) && !tail)) lines.push(this.returnStmt(body));
    this.charge(ctx, fn.cost + 1);
    return ['function()', ...indent(lines), 'end'].join('\n');
  }

  /** pcall printing the status and the (position-stripped) message or results. */
  stPcall(ctx: Ctx): Lines {
    const r = this.r;
    if (ctx.ill) return this.stPcallStatus(ctx);
    const ok = this.fresh('ok');
    const e = this.fresh('e');
    // Any function may be called here, raising ones included: pcall(f, args) evaluates args outside.
    const fs = this.callable({ ...ctx, raise: true }, () => true);
    const raising = fs.filter((v) => (v.ty as { k: 'fn'; sig: Sig }).sig.raises);
    this.charge(ctx, 3);
    let call: string | null = null;
    if (fs.length > 0 && r.chance(0.5)) {
      const f = raising.length > 0 && r.chance(0.7) ? r.pick(raising) : r.pick(fs);
      const c = this.genCall(ctx, f, 2);
      if (c) {
        const open = c.indexOf('(');
        const fname = c.slice(0, open);
        const args = c.slice(open + 1, -1);
        if (fname.includes(':')) {
          const [obj, m] = fname.split(':');
          call = `pcall(${obj}.${m}, ${obj}${args ? ', ' + args : ''})`;
        } else {
          call = `pcall(${fname}${args ? ', ' + args : ''})`;
        }
      }
    }
    if (call === null && r.chance(0.2)) {
      // A caught error rethrown with level 0 keeps its value; a table error keeps its identity.
      const err = this.fresh('err');
      return [
        `local ${err} = ${r.pick([`{code = ${this.genOf(ctx, INT, 1)}}`, this.lit(this.word()), this.genOf(ctx, INT, 1)])}`,
        `local ${ok}, ${e} = pcall(function()`,
        `  local ok2, e2 = pcall(error, ${err}${r.pick(['', ', 0', ', 1', ', 2'])})`,
        `  if not ok2 then error(e2, 0) end`,
        `  return "no error"`,
        'end)',
        `print("rethrow", ${ok}, ${e} == ${err}, E(${e}))`,
      ];
    }
    if (call === null) {
      const rets = r.chance(0.5) ? [] : [this.r.pick([INT, STR])];
      call = `pcall(${this.literal(ctx, { raise: true }, rets, r.int(1, 4))})`;
    }
    return [`local ${ok}, ${e} = ${call}`, `if ${ok} then print("pcall ok", ${e}) else print("pcall err", E(${e})) end`];
  }

  /** pcall of possibly ill-typed code, printing only the status. */
  stPcallStatus(ctx: Ctx): Lines {
    const r = this.r;
    const tail = r.chance(0.7) ? (b: Ctx) => this.stIllTyped(b) : undefined;
    return [`print("status", (pcall(${this.literal(ctx, { raise: true, ill: true }, [], r.int(1, 3), tail)})))`];
  }

  stXpcall(ctx: Ctx): Lines {
    const r = this.r;
    if (ctx.ill) return this.stPcallStatus(ctx);
    const lit = this.literal(ctx, { raise: true }, [r.pick([INT, STR])], r.int(1, 3));
    const handler = r.chance(0.5) ? 'function(m) return "handled: " .. E(m) end' : 'E';
    return [`print("xpcall", xpcall(${lit}, ${handler}))`];
  }

  /** A deliberate error: string, number or table value, with levels; or assert. */
  stRaise(ctx: Ctx): Lines {
    const r = this.r;
    const cond = this.genCond(ctx, 2).code;
    const s = this.genStr(ctx, 1);
    const val = r.pick([
      () => `error(${this.lit('boom ')} .. ${this.paren(this.catRight(s), P_CONCAT)})`,
      () => `error(${this.lit(this.word())}, ${r.pick([0, 1, 2])})`,
      () => `error({code = ${this.genOf(ctx, INT, 1)}})`,
      () => `error(${this.genOf(ctx, INT, 1)})`,
      () => `error(setmetatable({}, {__tostring = function() return "custom error" end}))`,
      () => `assert(${this.genCond(ctx, 1).code}, ${this.lit('assert ' + this.word())})`,
      () => `assert(${this.genBool(ctx, 1).code})`,
    ])();
    return val.startsWith('assert') ? [val] : [`if ${cond} then ${val} end`];
  }

  stYield(ctx: Ctx): Lines {
    const r = this.r;
    const n = r.int(0, 2);
    const vals = Array.from({ length: n }, () => this.genScalar(ctx, 2).code);
    this.charge(ctx, 2);
    if (r.chance(0.3)) {
      const y = this.fresh('y');
      this.declare(ctx, y, INT);
      return [`local ${y} = (coroutine.yield(${vals.join(', ')}) or 0)`];
    }
    if (r.chance(0.2)) return [`print("resumed with", coroutine.yield(${vals.join(', ')}))`];
    return [`coroutine.yield(${vals.join(', ')})`];
  }

  /** The body of a coroutine: yields allowed, errors end it and are reported by resume. Null if unaffordable. */
  private coBody(ctx: Ctx, param: string | null, raise: boolean, driverCost: number, results = true): string | null {
    const r = this.r;
    const room = Math.floor((ctx.fn.cap - ctx.fn.cost) / ctx.mult) - driverCost;
    if (room < 40) return null;
    const rets = results ? Array.from({ length: r.int(0, 2) }, () => r.pick([INT, STR, BOOL])) : [];
    const fn: Fn = { main: false, rets, vararg: false, cost: 0, cap: Math.min(FN_COST, room), locals: 0 };
    const body: Ctx = {
      ...ctx, scope: new Scope(ctx.scope), fn, depth: Math.min(ctx.depth - 1, 2), mult: 1, top: false,
      loop: false, cont: false, yield: true, raise, ill: false, outside: false,
    };
    if (param) body.scope.vars.push({ name: param, ty: INT, ro: false });
    // Make sure something yields.
    const lines: Lines = [`coroutine.yield(${this.genScalar(body, 1).code})`];
    lines.push(...this.genBlock(body, r.int(2, 6)));
    lines.push(this.returnStmt(body));
    this.charge(ctx, fn.cost + driverCost);
    return [`function(${param ?? ''})`, ...indent(lines), 'end'].join('\n');
  }

  stCoroutine(ctx: Ctx): Lines {
    const r = this.r;
    const co = this.fresh('co');
    const n = r.int(3, 12);
    const code = this.coBody(ctx, this.fresh('a'), true, n * 6 + 10);
    if (code === null) return [];
    return [
      `local ${co} = coroutine.create(${code})`,
      `print("${co}", coroutine.status(${co}))`,
      `for i = 1, ${n} do`,
      `  local ok, v1, v2 = coroutine.resume(${co}, i)`,
      `  if not ok then print("${co} error", E(v1)) break end`,
      `  print("${co}", i, v1, v2, coroutine.status(${co}))`,
      `  if coroutine.status(${co}) == "dead" then break end`,
      'end',
      `print("${co} again", select('#', coroutine.resume(${co})), coroutine.status(${co}))`,
    ];
  }

  stWrap(ctx: Ctx): Lines {
    const r = this.r;
    const gen = this.fresh('gen');
    const n = r.int(3, 12);
    const code = this.coBody(ctx, this.fresh('a'), true, n * 6);
    if (code === null) return [];
    return [
      `local ${gen} = coroutine.wrap(${code})`,
      `for i = 1, ${n} do`,
      `  local ok, v1, v2 = pcall(${gen}, i)`,
      `  if not ok then print("${gen} error", E(v1)) break end`,
      `  print("${gen}", i, v1, v2)`,
      'end',
    ];
  }

  /** coroutine.wrap as a generic-for iterator: stops at the first nil first value. */
  stWrapFor(ctx: Ctx): Lines {
    // Its results would be taken for another iteration: it returns none.
    const code = this.coBody(ctx, null, false, 100, false);
    if (code === null) return [];
    const v = this.fresh('v');
    const w = this.fresh('w');
    return [`for ${v}, ${w} in coroutine.wrap(${code}) do`, `  print("iter", ${v}, ${w})`, 'end'];
  }

  /** An operation that raises a runtime error (only inside a status-only pcall). */
  stIllTyped(ctx: Ctx): Lines {
    const r = this.r;
    const i = () => this.genInt(ctx, 1).code;
    const s = () => this.genStr(ctx, 1).code;
    const noAdd = this.vars(ctx, (v) => v.ty.k === 'obj' && !v.ty.cls.mm.has('__add'));
    // Yielding outside any coroutine fails; only where that is certain (inside a coroutine it would yield).
    const yielders = ctx.outside ? this.vars(ctx, (v) => v.ty.k === 'fn' && v.ty.sig.yields && v.ty.sig.params.length === 0) : [];
    const forms: Array<[number, () => string]> = [
      [2, () => `local _ = ${this.paren(this.genInt(ctx, 1), P_ADD + 1)} + {}`],
      [1, () => `local _ = ${this.paren(this.genStr(ctx, 1), P_CONCAT + 1)} .. {}`],
      [1, () => `local _ = #${this.r.int(0, 9)}`],
      [1, () => `local _ = ${this.paren(this.genInt(ctx, 1), P_CMP + 1)} < ${this.paren(this.genStr(ctx, 1), P_CMP + 1)}`],
      [1, () => `local _ = nil + ${i()}`],
      [1, () => `local _ = (${i()})()`],
      [1, () => `local _ = ({}).x.y`],
      [1, () => `local _ = true .. ${s()}`],
      [1, () => `string.rep()`],
      [1, () => `local _ = (${s()}):rep({})`],
      [1, () => `local _ = string.char(${r.pick([-1, 256, 1000])})`],
      [1, () => `setmetatable(${i()}, {})`],
      [1, () => `local _ = {} < {}`],
      [1, () => `local _ = (${s()}):nosuchmethod()`],
      [1, () => `error()`],
      [1, () => `local _ = select(0, 1)`],
      [1, () => `for _ in ipairs(nil) do end`],
      [1, () => `table.insert({}, 5, 1)`],
      [noAdd.length > 0 ? 1 : 0, () => `local _ = ${r.pick(noAdd).name} + 1`],
      [yielders.length > 0 ? 1 : 0, () => `${r.pick(yielders).name}()`],
      [1, () => `local _ = -{}`],
      [1, () => `local _ = math.floor("x")`],
    ];
    return [r.weighted(forms)()];
  }

  /** and/or/not over nil, false, 0 and "". */
  stTruthy(ctx: Ctx): Lines {
    const r = this.r;
    const n = r.int(2, 4);
    const xs = Array.from({ length: n }, () => this.genAny(ctx, 2).code);
    const out = [`print("truthy", ${xs.join(', ')})`];
    if (r.chance(0.3)) out.push(`if ${r.pick(['0', '""', 'nil', 'false', 'not nil', 'not 0'])} then print("yes") else print("no") end`);
    this.charge(ctx, 3);
    return out;
  }

  /** A generic for over a custom iterator: a closure, a stateless function with state and control, or pairs-free. */
  stIter(ctx: Ctx): Lines {
    const r = this.r;
    const n = r.int(0, 5);
    const l = this.loopCtx(ctx, Math.max(1, n));
    if (!l) return [];
    const a = this.fresh('i');
    const b = this.fresh('sq');
    this.declare(l.body, a, INT, true);
    this.declare(l.body, b, INT, true);
    // In a coroutine the iterator itself may yield (Lua iterators are ordinary calls).
    const y = ctx.yield && r.chance(0.4) ? ` coroutine.yield("it" .. c)` : '';
    let head: string;
    switch (r.int(0, 2)) {
      case 0:
        head = `for ${a}, ${b} in (function() local c = 0; return function() c = c + 1;${y} if c <= ${n} then return c, c * c end end end)() do`;
        break;
      case 1:
        head = `for ${a}, ${b} in function(s, c)${y} if c < s then return c + 1, (c + 1) * (c + 1) end end, ${n}, 0 do`;
        break;
      default:
        // An iterator that returns more values than the loop has names, and a state table.
        head = `for ${a}, ${b} in function(st, c)${y} if c < #st then return c + 1, st[c + 1], "extra" end end, {${Array.from({ length: n }, () => r.int(-9, 99)).join(', ')}}, 0 do`;
        break;
    }
    return [head, ...indent(this.loopBody(l)), 'end'];
  }

  /** Varargs that contain nils: counts with select('#'), positions with select(n), and pass-through. */
  stVarargNil(ctx: Ctx): Lines {
    const r = this.r;
    this.charge(ctx, 10);
    const f = this.fresh('va');
    const args = () => Array.from({ length: r.int(0, 4) }, () => (r.chance(0.4) ? 'nil' : this.genScalar(ctx, 1).code)).join(', ');
    const k = r.int(1, 3);
    return [
      `local function ${f}(...)`,
      `  local n = select('#', ...)`,
      `  return n, (select(${k}, ...)), select(-1, nil, ...), ...`,
      'end',
      `print("va", ${f}(${args()}))`,
      `print("va", select('#', ${f}(${args()})), (${f}(${args()})))`,
      `print("va", ${f}(${f}(${args()})))`,
    ];
  }

  /** An object whose metamethods yield (allowed in Lua 5.4 inside coroutines), used right away. */
  stYieldMeta(ctx: Ctx): Lines {
    const r = this.r;
    this.charge(ctx, 20);
    const o = this.fresh('ym');
    const v = this.genOf(ctx, INT, 1);
    const uses = [
      `${o}.${r.pick(['foo', 'bar'])}`,
      `${o} + ${r.int(0, 9)}`,
      `${r.int(0, 9)} - ${o}`,
      `${o}(${r.int(0, 9)})`,
      `#${o}`,
      `${o} .. "s"`,
      `${o} < ${o}`,
      `${o} <= ${o}`,
      `${o} == setmetatable({v = ${o}.v}, getmetatable(${o}))`,
      `-${o}`,
    ];
    const picked = uses.filter(() => r.chance(0.5));
    return [
      `local ${o} = setmetatable({v = ${v}}, {`,
      `  __index = function(t, k) local r = coroutine.yield("index " .. k); return (r or 0) + rawget(t, "v") end,`,
      `  __add = function(a, b) coroutine.yield("add"); return V(a) + V(b) end,`,
      `  __sub = function(a, b) coroutine.yield("sub"); return V(a) - V(b) end,`,
      `  __call = function(self, x) local r = coroutine.yield("call"); return x * 2 + (r or 0) end,`,
      `  __len = function(self) coroutine.yield("len"); return self.v end,`,
      `  __concat = function(a, b) coroutine.yield("concat"); return Q(a) .. Q(b) end,`,
      `  __lt = function(a, b) coroutine.yield("lt"); return a.v < b.v end,`,
      `  __le = function(a, b) coroutine.yield("le"); return a.v <= b.v end,`,
      `  __eq = function(a, b) coroutine.yield("eq"); return a.v == b.v end,`,
      `  __unm = function(a) coroutine.yield("unm"); return -a.v end,`,
      `  __newindex = function(t, k, x) coroutine.yield("newindex " .. k); rawset(t, k, x) end,`,
      '})',
      `print("ym", ${picked.length > 0 ? picked.join(', ') : `${o}.v`})`,
      ...(r.chance(0.5) ? [`${o}.w = ${r.int(0, 9)}`, `print("ym w", rawget(${o}, "w"))`] : []),
    ];
  }

  /** Table keys: integer vs string keys, negative and zero keys, holes seen by ipairs, nil assignment. */
  stKeys(ctx: Ctx): Lines {
    const r = this.r;
    this.charge(ctx, 30);
    const t = this.fresh('kt');
    const n = r.int(1, 4);
    const v = () => this.genScalar(ctx, 1).code;
    const sets = [
      `${t}[1] = ${v()}`,
      `${t}["1"] = ${v()}`,
      `${t}[0] = ${v()}`,
      `${t}[-1] = ${v()}`,
      `${t}[${n + 2}] = ${v()}`,
      `${t}[${n}] = nil`,
      `${t}.x = ${v()}`,
      `${t}[${r.int(1, n)}] = ${v()}`,
    ].filter(() => r.chance(0.6));
    return [
      'do',
      `  local ${t} = {${Array.from({ length: n }, () => this.genScalar(ctx, 1).code).join(', ')}}`,
      ...sets.map((x) => '  ' + x),
      `  local c = 0`,
      `  for _, _ in ipairs(${t}) do c = c + 1 end`,
      `  print("keys", c, ${t}[1], ${t}["1"], ${t}[0], ${t}[-1], ${t}.x, show(${t}))`,
      'end',
    ];
  }

  /**
   * Method and metamethod lookups that change while a call site runs again: a method redefined on the class,
   * an instance field shadowing a method and removed again, a metamethod replaced (types stay the same).
   */
  stClassMutation(ctx: Ctx): Lines {
    const r = this.r;
    const o = r.pick(this.varsOf(ctx, 'obj'));
    const cls = (o.ty as { k: 'obj'; cls: Cls }).cls;
    const n = r.int(2, 4);
    const l = this.loopCtx(ctx, n);
    if (!l) return [];
    const i = this.fresh('i');
    this.declare(l.body, i, INT, true);
    const k = r.int(1, 99);
    const muts: string[] = [
      `function ${cls.name}:get() return B(self.v + ${k}) end`,
      `${o.name}.get = function(self) return ${k} end`,
      `${o.name}.get = nil`,
      `${cls.name}.tag = ${this.lit(this.word())}`,
    ];
    if (cls.mm.has('__add')) muts.push(`${cls.name}.__add = function(a, b) return ${cls.addCls.name}.new(B(V(a) - V(b))) end`);
    if (cls.mm.has('__tostring')) muts.push(`${cls.name}.__tostring = function(self) return "T" .. self.v end`);
    if (cls.mm.has('__call')) muts.push(`${cls.name}.__call = function(self, x) return B(x - self.v) end`);
    if (cls.mm.has('__len')) muts.push(`${cls.name}.__len = function(self) return ${k} end`);
    if (cls.mm.has('__lt')) muts.push(`${cls.name}.__lt = function(a, b) return a.v > b.v end`);
    if (cls.mm.has('__eq')) muts.push(`${cls.name}.__eq = function(a, b) return true end`);
    if (cls.indexFn) muts.push(`${cls.name}.__index = function(t, key) local m = ${cls.name}[key]; if m ~= nil then return m end; return "alt_" .. key end`);
    const body = [
      `print("site", ${i}, ${o.name}:get(), ${this.objInt(l.body, o, 1).code}, ${o.name}.tag${cls.mm.has('__tostring') ? `, tostring(${o.name})` : ''}${
        cls.mm.has('__add') ? `, (${o.name} + 1).v` : ''
      }${cls.mm.has('__lt') ? `, ${o.name} < ${o.name}` : ''}${cls.mm.has('__eq') ? `, ${o.name} == ${cls.name}.new(0)` : ''})`,
      `if ${i} == ${r.int(1, n)} then ${r.pick(muts)} end`,
      `if ${i} == ${r.int(1, n)} then ${r.pick(muts)} end`,
    ];
    return [`for ${i} = 1, ${n} do`, ...indent(body), 'end'];
  }

  /** A table loses a field, gets another one, and gets the first back (shapes that change at run time). */
  stShape(ctx: Ctx): Lines {
    const r = this.r;
    this.charge(ctx, 30);
    const recs = this.varsOf(ctx, 'rec').filter((v) => !this.moduleShapes.has((v.ty as { k: 'rec'; shape: Shape }).shape));
    const objs = this.varsOf(ctx, 'obj');
    const saved = this.fresh('saved');
    let t: string;
    let f: string;
    if (recs.length > 0 && (objs.length === 0 || r.chance(0.5))) {
      const v = r.pick(recs);
      t = v.name;
      f = r.pick(Object.keys((v.ty as { k: 'rec'; shape: Shape }).shape));
    } else if (objs.length > 0) {
      t = r.pick(objs).name;
      f = 'v';
    } else return [];
    const extra = r.pick(['extra', 'zz', 'v2']);
    return [
      'do',
      `  local ${saved} = ${t}.${f}`,
      `  ${t}.${f} = nil`,
      `  print("shape", ${t}.${f} == nil, rawget(${t}, "${f}"), show(${t}))`,
      `  ${t}.${extra} = ${r.int(0, 9)}`,
      `  ${t}.${f} = ${saved}`,
      `  print("shape", show(${t}))`,
      `  ${t}.${extra} = nil`,
      'end',
    ];
  }

  /** A global variable (straight-line top level only, so it is always defined afterwards). */
  stGlobal(ctx: Ctx): Lines {
    const ty = this.randomTy();
    const name = this.fresh('G');
    const val = this.genOf(ctx, ty, 2);
    ctx.scope.vars.push({ name, ty, ro: false, fn: ctx.fn });
    return [`${name} = ${val}`];
  }

  /** A class: metatable with a random subset of metamethods, maybe derived from an existing class. */
  stClass(ctx: Ctx): Lines {
    const r = this.r;
    const name = this.fresh('C');
    const base = this.classes.length > 0 && r.chance(0.4) ? r.pick(this.classes) : null;
    const mm = new Set<string>();
    for (const m of ['__add', '__eq', '__lt', '__le', '__call', '__tostring', '__len', '__concat', '__unm']) if (r.chance(0.6)) mm.add(m);
    const indexFn = r.chance(0.3);
    const cls: Cls = { name, mm, indexFn, addCls: null as unknown as Cls, unmCls: null as unknown as Cls };
    cls.addCls = cls;
    cls.unmCls = cls;
    const out: Lines = [];
    out.push(base ? `local ${name} = setmetatable({}, {__index = ${base.name}})` : `local ${name} = {}`);
    out.push(
      indexFn
        ? `${name}.__index = function(t, k) local m = ${name}[k]; if m ~= nil then return m end; return "no_" .. tostring(k) end`
        : `${name}.__index = ${name}`,
    );
    const tag = this.lit(name.toLowerCase());
    if (base) {
      out.push(`function ${name}.new(v) local o = ${base.name}.new(v); o.w = 1; return setmetatable(o, ${name}) end`);
      if (r.chance(0.5)) out.push(`function ${name}:get() return ${base.name}.get(self) + 100 end`);
      out.push(`${name}.tag = ${tag}`);
    } else {
      out.push(`function ${name}.new(v) return setmetatable({v = v}, ${name}) end`);
      out.push(`function ${name}:get() return self.v end`);
      out.push(`function ${name}:bump(d) self.v = B(self.v + d); return self end`);
      out.push(`${name}.tag = ${tag}`);
    }
    // Metamethods are looked up raw on the metatable: a derived class either copies its base's or has its own.
    for (const m of mm) {
      if (base && base.mm.has(m) && r.chance(0.5)) {
        out.push(`${name}.${m} = ${base.name}.${m}`);
        if (m === '__add') cls.addCls = base.addCls;
        if (m === '__unm') cls.unmCls = base.unmCls;
        continue;
      }
      switch (m) {
        case '__add': out.push(`${name}.__add = function(a, b) return ${name}.new(B(V(a) + V(b))) end`); break;
        case '__unm': out.push(`${name}.__unm = function(a) return ${name}.new(-a.v) end`); break;
        case '__eq': out.push(`${name}.__eq = function(a, b) return a.v == b.v end`); break;
        case '__lt': out.push(`${name}.__lt = function(a, b) return a.v < b.v end`); break;
        case '__le': out.push(`${name}.__le = function(a, b) return a.v <= b.v end`); break;
        case '__call': out.push(`${name}.__call = function(self, x) return B(self.v * 2 + x) end`); break;
        case '__tostring': out.push(`${name}.__tostring = function(self) return "${name}(" .. self.v .. ")" end`); break;
        case '__len': out.push(`${name}.__len = function(self) return self.v + 1 end`); break;
        case '__concat': out.push(`${name}.__concat = function(a, b) return Q(a) .. "~" .. Q(b) end`); break;
      }
    }
    this.classes.push(cls);
    const o = this.fresh('o');
    out.push(`local ${o} = ${name}.new(${this.genOf(ctx, INT, 1)})`);
    this.declare(ctx, o, { k: 'obj', cls });
    return out;
  }

  // ------------------------------------------------------------ program

  program(): string {
    const r = this.r;
    const fn: Fn = { main: true, rets: [], vararg: true, cost: 0, cap: CHUNK_COST, locals: 8 };
    const ctx: Ctx = { scope: new Scope(), fn, depth: 4, mult: 1, top: true, loop: false, cont: false, yield: false, raise: false, ill: false, outside: true };
    const body: Lines = [];
    const nClasses = r.int(0, 2);
    for (let i = 0; i < nClasses; i++) body.push(...this.stClass(ctx));
    const n = r.int(15, 35);
    body.push(...this.genBlock(ctx, n));
    // Occasionally end with an uncaught error: exit status and first stderr line are compared.
    if (r.chance(0.05)) body.push(r.chance(0.5) ? `error("final " .. ${this.genOf(ctx, INT, 1)})` : `error({code = 1})`);
    return [`-- generated by test/fuzz/generate.ts, seed ${this.seed}`, ...PRELUDE, ...body, ''].join('\n');
  }
}

/** Helpers every program starts with. */
const PRELUDE: Lines = [
  '-- B folds an integer into [-5000, 4999] (integer // only, so Wippy and Lua agree)',
  'local function B(n) return n - (n + 5000) // 10000 * 10000 end',
  '-- E prints an error value without its "chunk:line:" prefixes',
  'local function E(e)',
  '  if type(e) == "table" then',
  '    if e.code ~= nil then return "T{" .. tostring(e.code) .. "}" end',
  '    return "T:" .. tostring(e)',
  '  end',
  '  if type(e) ~= "string" then return type(e) .. ":" .. tostring(e) end',
  '  local n',
  '  repeat e, n = e:gsub("^[^:\\n]+:%d+: ", "") until n == 0',
  '  return e',
  'end',
  '-- show prints a table with its keys sorted (numbers first)',
  'local function show(t)',
  '  local ks = {}',
  '  for k in pairs(t) do ks[#ks + 1] = k end',
  '  table.sort(ks, function(a, b)',
  '    if type(a) == type(b) then return a < b end',
  '    return type(a) == "number"',
  '  end)',
  '  local out = {}',
  '  for _, k in ipairs(ks) do',
  '    local v = t[k]',
  '    if type(v) == "table" or type(v) == "function" then v = type(v) end',
  '    out[#out + 1] = tostring(k) .. "=" .. tostring(v)',
  '  end',
  '  return "{" .. table.concat(out, ",") .. "}"',
  'end',
  '-- V and Q: operands of metamethods (objects carry their number in .v)',
  'local function V(x) if type(x) == "table" then return x.v end return x end',
  'local function Q(x) if type(x) == "table" then return "<" .. tostring(x.v) .. ">" end return tostring(x) end',
];

/** The Lua program for `seed` (deterministic). */
export function generateProgram(seed: number): string {
  return new Gen(seed >>> 0).program();
}
