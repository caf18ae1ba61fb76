// Compiled Lua patterns: a pattern string is parsed once into a chain of closures, one per item, each
// calling its continuation (no JS source is generated). Classes become 256-entry lookup tables. Patterns
// that are malformed, or long enough to reach PUC's recursion budget, are not compiled (`compile` returns
// null): patterns.ts interprets them, so their errors are raised exactly when PUC's matcher would.

import {
  C_CARET, C_DOLLAR, C_DOT, C_LBRACKET, C_LPAREN, C_MINUS, C_PLUS, C_QMARK, C_RPAREN, C_STAR, ESC,
  classEndOf, matchBracketClass, matchClass,
} from './pattern-classes.js';

/** PUC's limits (lstrlib.c), mirrored from patterns.ts. */
const MAXCAPTURES = 32;
const MAXCCALLS = 200;
const CAP_UNFINISHED = -1;
const CAP_POSITION = -2;

/** What a compiled program needs of patterns.ts's MatchState. */
export interface Captures {
  src: string;
  srcEnd: number;
  level: number;
  readonly capInit: Int32Array;
  readonly capLen: Int32Array;
}

/** Match the rest of the pattern at subject offset s: the end offset of the match, or -1. */
type Node = (s: number) => number;

// Registers of the match in progress. A match never runs Lua code, so one set serves every state.
let S = '';
let N = 0;
let CI: Int32Array = new Int32Array(0);
let CL: Int32Array = new Int32Array(0);
/** End of the leading repetition's run in the last failed attempt (see `leadingRepetition`). */
let RUN = 0;

// ---- pattern items ----

const enum K { Set, Open, Position, Close, End, Balance, Frontier, BackRef }

interface Item {
  k: K;
  /** Set: the bytes it matches; Frontier: its set. */
  set: Uint8Array | null;
  /** Set: the literal byte when the item is a plain character, else -1. */
  ch: number;
  /** Set: the quantifier char ('*', '+', '-', '?') or 0. */
  q: number;
  /** Captures and back-references: the capture index. */
  cap: number;
  /** Open: the capture is never closed (PUC reports it as unfinished). */
  open: boolean;
  /** Balance: the two delimiters. */
  b1: number;
  b2: number;
}

function item(k: K, fields: Partial<Item> = {}): Item {
  return { k, set: null, ch: -1, q: 0, cap: 0, open: false, b1: 0, b2: 0, ...fields };
}

const ANY = new Uint8Array(256).fill(1);
const classTables = new Map<number, Uint8Array>();
const charTables = new Map<number, Uint8Array>();

/** The table of `%c` (a class letter, or any other char matching itself). */
function classTable(cl: number): Uint8Array {
  let t = classTables.get(cl);
  if (t === undefined) {
    t = new Uint8Array(256);
    for (let c = 0; c < 256; c++) t[c] = matchClass(c, cl) ? 1 : 0;
    classTables.set(cl, t);
  }
  return t;
}

function charTable(ch: number): Uint8Array {
  let t = charTables.get(ch);
  if (t === undefined) {
    t = new Uint8Array(256);
    t[ch] = 1;
    charTables.set(ch, t);
  }
  return t;
}

function bracketTable(pat: string, p: number, ep: number): Uint8Array {
  const t = new Uint8Array(256);
  for (let c = 0; c < 256; c++) t[c] = matchBracketClass(pat, c, p, ep - 1) ? 1 : 0;
  return t;
}

/** For a set matching every byte but one (such as [^\n]), that byte as a string, else ''. */
function stopOf(t: Uint8Array): string {
  let out = -1;
  for (let c = 0; c < 256; c++) {
    if (t[c] !== 0) continue;
    if (out >= 0) return '';
    out = c;
  }
  return out < 0 ? '' : String.fromCharCode(out);
}

/** The single-char class [p, ep) as a Set item. */
function setItem(pat: string, p: number, ep: number): Item {
  const c = pat.charCodeAt(p);
  if (c === C_DOT) return item(K.Set, { set: ANY });
  if (c === ESC) return item(K.Set, { set: classTable(pat.charCodeAt(p + 1)) });
  if (c === C_LBRACKET) return item(K.Set, { set: bracketTable(pat, p, ep) });
  return item(K.Set, { set: charTable(c), ch: c });
}

/**
 * The items of pat from p, or null when matching could raise an error: a malformed item, a capture
 * error, or more nested match calls than PUC's budget. Capture levels are static along a pattern, so
 * every capture error is known here.
 */
function parse(pat: string, p: number): Item[] | null {
  const pEnd = pat.length;
  const items: Item[] = [];
  const closed: boolean[] = [];
  let calls = 1; // nested match calls PUC may make: one per capture boundary and quantifier
  while (p < pEnd) {
    const c = pat.charCodeAt(p);
    if (c === C_LPAREN) {
      if (closed.length >= MAXCAPTURES) return null;
      const pos = pat.charCodeAt(p + 1) === C_RPAREN;
      items.push(item(pos ? K.Position : K.Open, { cap: closed.length }));
      closed.push(pos);
      p += pos ? 2 : 1;
      calls++;
      continue;
    }
    if (c === C_RPAREN) {
      const l = closed.lastIndexOf(false);
      if (l < 0) return null;
      closed[l] = true;
      items.push(item(K.Close, { cap: l }));
      p++;
      calls++;
      continue;
    }
    if (c === C_DOLLAR && p + 1 === pEnd) {
      items.push(item(K.End));
      break;
    }
    if (c === ESC) {
      const n = pat.charCodeAt(p + 1);
      if (n === 98) { // %bxy
        if (p + 2 >= pEnd - 1) return null;
        items.push(item(K.Balance, { b1: pat.charCodeAt(p + 2), b2: pat.charCodeAt(p + 3) }));
        p += 4;
        continue;
      }
      if (n === 102) { // %f[set]
        p += 2;
        const ep = pat.charCodeAt(p) === C_LBRACKET ? classEndOf(pat, p, pEnd) : -1;
        if (ep < 0) return null;
        items.push(item(K.Frontier, { set: bracketTable(pat, p, ep) }));
        p = ep;
        continue;
      }
      if (n >= 48 && n <= 57) { // back-reference %0-%9
        const l = n - 49;
        if (l < 0 || l >= closed.length || !closed[l]) return null;
        items.push(item(K.BackRef, { cap: l }));
        p += 2;
        continue;
      }
    }
    const ep = classEndOf(pat, p, pEnd);
    if (ep < 0) return null;
    const it = setItem(pat, p, ep);
    const q = pat.charCodeAt(ep);
    p = ep;
    if (q === C_STAR || q === C_PLUS || q === C_MINUS || q === C_QMARK) {
      it.q = q;
      p++;
      calls++;
    }
    items.push(it);
  }
  for (const it of items) if (it.k === K.Open && !closed[it.cap]) it.open = true;
  return calls < MAXCCALLS ? items : null;
}

// ---- what a continuation needs at its first position ----

interface Need {
  /** The byte at s must be in this set (s < N). */
  set: Uint8Array | null;
  /** The literal text that must start at s ('' if none). */
  lit: string;
  /** s must be the end of the subject. */
  atEnd: boolean;
}

const NO_NEED: Need = { set: null, lit: '', atEnd: false };

/** What items[i..] require at their start position (zero-width capture marks are looked through). */
function needOf(items: Item[], i: number): Need {
  while (i < items.length && (items[i].k === K.Open || items[i].k === K.Close || items[i].k === K.Position)) i++;
  if (i === items.length) return NO_NEED;
  const it = items[i];
  if (it.k === K.End) return { set: null, lit: '', atEnd: true };
  if (it.k === K.Balance) return { set: charTable(it.b1), lit: '', atEnd: false };
  if (it.k !== K.Set || (it.q !== 0 && it.q !== C_PLUS)) return NO_NEED;
  let lit = '';
  for (let j = i; j < items.length && items[j].k === K.Set && items[j].ch >= 0; j++) {
    const q = items[j].q;
    if (q !== 0 && q !== C_PLUS) break; // the char may be absent
    lit += String.fromCharCode(items[j].ch);
    if (q === C_PLUS) break; // once at least; what follows may start after more of it
  }
  return { set: it.set, lit, atEnd: false };
}

function disjoint(a: Uint8Array, b: Uint8Array): boolean {
  for (let c = 0; c < 256; c++) if (a[c] !== 0 && b[c] !== 0) return false;
  return true;
}

// ---- nodes ----

const accept: Node = (s) => s;
const atEnd: Node = (s) => (s === N ? s : -1);

/** Greedy expansion of set t from s: the first offset that does not match (`stop`: see stopOf). */
function expand(t: Uint8Array, stop: string, s: number): number {
  const str = S, n = N; // locals: the registers are context slots, slower to read in a loop
  if (t === ANY) return n;
  if (stop !== '') {
    const j = str.indexOf(stop, s);
    return j < 0 ? n : j;
  }
  while (s < n && t[str.charCodeAt(s)] !== 0) s++;
  return s;
}

/**
 * `x*` and `x+`: the longest expansion first, giving back one char at a time (PUC's max_expand).
 * `lead`: the pattern's leading item, which leaves the end of its run in RUN for `Program.scan`.
 */
function greedy(t: Uint8Array, min: number, k: Node, need: Need, lead: boolean): Node {
  const stop = stopOf(t);
  if (k === accept) { // last item: the longest expansion is the match
    return (s) => {
      const i = expand(t, stop, s);
      if (lead) RUN = i;
      return i - s >= min ? i : -1;
    };
  }
  const ns = need.set;
  if (need.atEnd) {
    return (s) => {
      const i = expand(t, stop, s);
      if (lead) RUN = i;
      return i === N && i - s >= min ? k(i) : -1;
    };
  }
  if (ns !== null && disjoint(t, ns)) { // the continuation cannot start inside the run: only its end
    return (s) => {
      const i = expand(t, stop, s);
      if (lead) RUN = i;
      return i - s >= min && i < N && ns[S.charCodeAt(i)] !== 0 ? k(i) : -1;
    };
  }
  return (s) => {
    const e = expand(t, stop, s);
    for (let i = e; i >= s + min; i--) {
      if (ns === null || (i < N && ns[S.charCodeAt(i)] !== 0)) {
        const r = k(i);
        if (r !== -1) return r;
      }
    }
    if (lead) RUN = e;
    return -1;
  };
}

/** `x-`: the shortest expansion first (PUC's min_expand); `lead` as for `greedy`. */
function lazy(t: Uint8Array, k: Node, need: Need, lead: boolean): Node {
  const stop = stopOf(t);
  const ns = need.set, lit = need.lit;
  if (t === ANY && lit !== '') { // `.-` then literal text: jump to its next occurrence
    return (s) => {
      for (let j = S.indexOf(lit, s); j !== -1; j = S.indexOf(lit, j + 1)) {
        const r = k(j);
        if (r !== -1) return r;
      }
      if (lead) RUN = N;
      return -1;
    };
  }
  if (need.atEnd) {
    return (s) => {
      const i = expand(t, stop, s);
      if (lead) RUN = i;
      return i === N ? k(N) : -1;
    };
  }
  return (s) => {
    for (;;) {
      if (ns === null || (s < N && ns[S.charCodeAt(s)] !== 0)) {
        const r = k(s);
        if (r !== -1) return r;
      }
      if (s < N && t[S.charCodeAt(s)] !== 0) {
        s++;
      } else {
        if (lead) RUN = s;
        return -1;
      }
    }
  };
}

/** `x?`: with the char first, then without. */
function optional(t: Uint8Array, k: Node): Node {
  return (s) => {
    if (s < N && t[S.charCodeAt(s)] !== 0) {
      const r = k(s + 1);
      if (r !== -1) return r;
    }
    return k(s);
  };
}

/** A run of single items without quantifier. */
function sequence(run: Item[], k: Node): Node {
  const n = run.length;
  if (run.every((it) => it.ch >= 0)) {
    if (n === 1) {
      const ch = run[0].ch;
      return (s) => (s < N && S.charCodeAt(s) === ch ? k(s + 1) : -1);
    }
    const lit = run.map((it) => String.fromCharCode(it.ch)).join('');
    return (s) => (S.startsWith(lit, s) ? k(s + n) : -1);
  }
  if (n === 1) {
    const t = run[0].set!;
    return (s) => (s < N && t[S.charCodeAt(s)] !== 0 ? k(s + 1) : -1);
  }
  const ts = run.map((it) => it.set!);
  return (s) => {
    if (s + n > N) return -1;
    for (let j = 0; j < n; j++) if (ts[j][S.charCodeAt(s + j)] === 0) return -1;
    return k(s + n);
  };
}

function openCapture(cap: number, unfinished: boolean, k: Node): Node {
  if (unfinished) {
    return (s) => {
      CI[cap] = s;
      CL[cap] = CAP_UNFINISHED;
      return k(s);
    };
  }
  return (s) => {
    CI[cap] = s;
    return k(s);
  };
}

function positionCapture(cap: number, k: Node): Node {
  return (s) => {
    CI[cap] = s;
    CL[cap] = CAP_POSITION;
    return k(s);
  };
}

function closeCapture(cap: number, k: Node): Node {
  return (s) => {
    CL[cap] = s - CI[cap];
    return k(s);
  };
}

/** `%bxy`: a balanced run from x to the matching y. */
function balance(b1: number, b2: number, k: Node): Node {
  return (s) => {
    if (s >= N || S.charCodeAt(s) !== b1) return -1;
    let cont = 1;
    while (++s < N) {
      const c = S.charCodeAt(s);
      if (c === b2) {
        if (--cont === 0) return k(s + 1);
      } else if (c === b1) {
        cont++;
      }
    }
    return -1;
  };
}

/** `%f[set]`: the previous char (\0 at the start) is not in the set and the current one (\0 at the end) is. */
function frontier(t: Uint8Array, k: Node): Node {
  return (s) => {
    const prev = s === 0 ? 0 : S.charCodeAt(s - 1);
    const cur = s < N ? S.charCodeAt(s) : 0;
    return t[prev] === 0 && t[cur] !== 0 ? k(s) : -1;
  };
}

/** `%1`-`%9`: the text of a closed capture again (a position capture never matches, as in PUC). */
function backRef(cap: number, k: Node): Node {
  return (s) => {
    const len = CL[cap];
    if (len < 0 || N - s < len) return -1;
    const init = CI[cap];
    for (let j = 0; j < len; j++) if (S.charCodeAt(init + j) !== S.charCodeAt(s + j)) return -1;
    return k(s + len);
  };
}

/** The node matching the items, built back to front; `lead` is the index of a leading repetition or -1. */
function build(items: Item[], lead: number): Node {
  let k: Node = accept;
  for (let i = items.length - 1; i >= 0; i--) {
    const it = items[i];
    switch (it.k) {
      case K.Set: {
        if (it.q === 0) {
          let j = i;
          while (j > 0 && items[j - 1].k === K.Set && items[j - 1].q === 0) j--;
          k = sequence(items.slice(j, i + 1), k);
          i = j;
        } else if (it.q === C_STAR || it.q === C_PLUS) {
          k = greedy(it.set!, it.q === C_PLUS ? 1 : 0, k, needOf(items, i + 1), i === lead);
        } else if (it.q === C_MINUS) {
          k = lazy(it.set!, k, needOf(items, i + 1), i === lead);
        } else {
          k = optional(it.set!, k);
        }
        break;
      }
      case K.Open: k = openCapture(it.cap, it.open, k); break;
      case K.Position: k = positionCapture(it.cap, k); break;
      case K.Close: k = closeCapture(it.cap, k); break;
      case K.End: k = atEnd; break;
      case K.Balance: k = balance(it.b1, it.b2, k); break;
      case K.Frontier: k = frontier(it.set!, k); break;
      case K.BackRef: k = backRef(it.cap, k); break;
    }
  }
  return k;
}

// ---- programs ----

/** A compiled pattern. */
export class Program {
  private readonly root: Node;
  private readonly captures: number;
  private readonly anchored: boolean;
  private readonly need: Need;
  /** A failed attempt leaves in RUN the end of a run of later starts that cannot match either. */
  private readonly skip: boolean;

  constructor(items: Item[], anchored: boolean) {
    const lead = leadingRepetition(items);
    this.root = build(items, lead);
    this.captures = items.reduce((n, it) => (it.k === K.Open || it.k === K.Position ? n + 1 : n), 0);
    this.anchored = anchored;
    this.need = needOf(items, 0);
    this.skip = lead >= 0;
  }

  /** Match at offset s: the end offset, or -1. Captures go to ms (level = their count on success). */
  matchAt(ms: Captures, s: number): number {
    this.enter(ms);
    const e = this.root(s);
    ms.level = e === -1 ? 0 : this.captures;
    S = '';
    return e;
  }

  /** The first match starting at init or later (only at init when anchored): its start, or -1. */
  search(ms: Captures, init: number, out: { end: number }): number {
    this.enter(ms);
    const s = this.anchored ? this.tryAt(init, out) : this.scan(init, out);
    ms.level = s === -1 ? 0 : this.captures;
    S = '';
    return s;
  }

  private enter(ms: Captures): void {
    S = ms.src;
    N = ms.srcEnd;
    CI = ms.capInit;
    CL = ms.capLen;
  }

  private tryAt(s: number, out: { end: number }): number {
    const e = this.root(s);
    if (e === -1) return -1;
    out.end = e;
    return s;
  }

  /** Try the start positions from init on, skipping those where the first item cannot match. */
  private scan(init: number, out: { end: number }): number {
    const root = this.root, { set, lit, atEnd } = this.need;
    if (atEnd) return init <= N ? this.tryAt(N, out) : -1;
    const skip = this.skip, str = S;
    if (lit !== '') {
      for (let s = str.indexOf(lit, init); s !== -1; s = str.indexOf(lit, s + 1)) {
        const e = root(s);
        if (e !== -1) {
          out.end = e;
          return s;
        }
        if (skip) s = RUN;
      }
      return -1;
    }
    for (let s = init, last = set === null ? N : N - 1; s <= last; s++) {
      if (set !== null && set[str.charCodeAt(s)] === 0) continue;
      const e = root(s);
      if (e !== -1) {
        out.end = e;
        return s;
      }
      if (skip) s = RUN;
    }
    return -1;
  }
}

/**
 * A leading repetition tries the rest of the pattern at every end of its run from s, and a later start
 * inside the run (or at its end) tries a subset of those ends. Without back-references the rest does not
 * depend on where the match started, so when the attempt at s fails the whole run can be skipped.
 * Returns the index of such an item, or -1.
 */
function leadingRepetition(items: Item[]): number {
  if (items.some((it) => it.k === K.BackRef)) return -1;
  const i = items.findIndex((it) => it.k !== K.Open && it.k !== K.Position);
  if (i < 0 || items[i].k !== K.Set) return -1;
  const q = items[i].q;
  return q === C_STAR || q === C_PLUS || q === C_MINUS ? i : -1;
}

/** Compile pat (without its leading '^' when `anchored`), or null when it must be interpreted. */
export function compile(pat: string, anchored: boolean): Program | null {
  const items = parse(pat, anchored ? 1 : 0);
  return items === null ? null : new Program(items, anchored);
}

// ---- the cache ----

/** Programs of the most recently compiled patterns, oldest first (a Map keeps insertion order). */
const CACHE_SIZE = 256;
/** Longer patterns are interpreted: their items would cost more memory than they save time. */
const MAX_COMPILED_LENGTH = 1024;
const anchoredCache = new Map<string, Program | null>();
/** gmatch patterns starting with '^', where it is an ordinary character. */
const caretCache = new Map<string, Program | null>();

/** The program of pat, where a leading '^' anchors only when `useAnchor`; null: interpret it. */
export function programFor(pat: string, useAnchor: boolean): Program | null {
  if (pat === lastPat && useAnchor === lastUseAnchor) return lastProg; // the same call again (in a loop)
  const prog = cachedProgram(pat, useAnchor);
  lastPat = pat;
  lastUseAnchor = useAnchor;
  lastProg = prog;
  return prog;
}

let lastPat: string | null = null;
let lastUseAnchor = true;
let lastProg: Program | null = null;

function cachedProgram(pat: string, useAnchor: boolean): Program | null {
  const caret = pat.charCodeAt(0) === C_CARET;
  const cache = caret && !useAnchor ? caretCache : anchoredCache;
  let prog = cache.get(pat);
  if (prog === undefined) {
    if (pat.length > MAX_COMPILED_LENGTH) return null;
    prog = compile(pat, caret && useAnchor);
    if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value as string);
    cache.set(pat, prog);
  }
  return prog;
}
