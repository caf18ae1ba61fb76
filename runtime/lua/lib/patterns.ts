// Lua 5.3 pattern matching: a port of lstrlib.c's backtracking matcher (match, do_match and helpers).
// Strings are byte strings, so the matcher works on char codes (0–255) with C-locale character classes;
// no JS RegExp is involved. Indices are 0-based offsets into the subject; -1 plays the role of NULL.
// Errors are raised lazily, exactly when PUC's matcher reaches the faulty pattern item, so a malformed
// tail of a pattern that never gets tried is not an error (as in PUC). Well-formed patterns run compiled
// (pattern-compile.ts); this interpreter serves those that could raise an error, and the tests' oracle.

import { LuaError, where } from '../error.js';
import {
  C_CARET, C_DOLLAR, C_DOT, C_LBRACKET, C_LPAREN, C_MINUS, C_PLUS, C_QMARK, C_RPAREN, C_STAR, ESC,
  classEndOf, matchBracketClass, matchClass,
} from './pattern-classes.js';
import { type Program, programFor } from './pattern-compile.js';

export const MAXCAPTURES = 32;
/** Recursion budget of one match attempt (PUC's MAXCCALLS): bad patterns fail with a Lua error. */
const MAXCCALLS = 200;
const CAP_UNFINISHED = -1;
const CAP_POSITION = -2;

// ---- match state ----

export class MatchState {
  src = '';
  srcEnd = 0;
  pat = '';
  pEnd = 0;
  /** Pattern start: 1 after a leading '^' anchor, else 0. */
  pStart = 0;
  anchor = false;
  level = 0;
  depth = MAXCCALLS;
  readonly capInit = new Int32Array(MAXCAPTURES);
  readonly capLen = new Int32Array(MAXCAPTURES);
  /** The compiled pattern, or null when it is interpreted (malformed, or too deep for the budget). */
  prog: Program | null = null;
  /** Prefilter for unanchored searches, computed on first use (see `candidate`). */
  private pre = -1; // -1 unknown, 0 none, 1 literal prefix, 2 single class item
  private preStr = '';
  private preEp = 0;

  /** `useAnchor` is false for gmatch, where Lua 5.3 treats '^' as an ordinary character. */
  constructor(src: string, pat: string, useAnchor: boolean) {
    this.reset(src, pat, useAnchor);
  }

  reset(src: string, pat: string, useAnchor: boolean): this {
    this.src = src;
    this.srcEnd = src.length;
    this.pat = pat;
    this.pEnd = pat.length;
    this.anchor = useAnchor && pat.charCodeAt(0) === C_CARET;
    this.pStart = this.anchor ? 1 : 0;
    this.pre = -1;
    this.level = 0;
    this.prog = programFor(pat, useAnchor);
    return this;
  }

  /**
   * A state for one find/match/gsub call. States are pooled because the capture arrays make them
   * costly to allocate; a state lost to an error is simply left to the GC. Reentrant calls (from a gsub
   * callback) get a different state since the outer one is not released yet.
   */
  static acquire(src: string, pat: string, useAnchor: boolean): MatchState {
    const ms = pool.pop();
    return ms === undefined ? new MatchState(src, pat, useAnchor) : ms.reset(src, pat, useAnchor);
  }

  /**
   * A state for a call that reads the captures before any Lua code can run (find, match, one gmatch
   * step): a compiled pattern uses the one scratch state, an interpreted one a pooled state.
   */
  static forCall(src: string, pat: string, useAnchor: boolean): MatchState {
    const prog = programFor(pat, useAnchor);
    if (prog === null) return MatchState.acquire(src, pat, useAnchor);
    const ms = scratch;
    ms.src = src;
    ms.srcEnd = src.length;
    ms.prog = prog;
    ms.level = 0;
    return ms;
  }

  /** Return the state to the pool (drops the subject and pattern references). */
  release(): void {
    if (this === scratch) {
      this.src = '';
      return;
    }
    this.src = this.pat = this.preStr = '';
    this.prog = null;
    if (pool.length < 8) pool.push(this);
  }

  /**
   * The first position >= s where a match could start, or -1 if none can. A match must begin with the
   * pattern's first item when that item consumes a character, so positions where it cannot match are
   * skipped (with indexOf for a literal prefix). Skipping is invisible: PUC fails at those positions
   * after looking only at the first item.
   */
  candidate(s: number): number {
    if (this.pre < 0) this.initPrefilter();
    if (this.pre === 0) return s;
    if (this.pre === 1) return this.src.indexOf(this.preStr, s);
    const end = this.srcEnd, p = this.pStart, ep = this.preEp;
    while (s < end && !singleMatch(this, s, p, ep)) s++;
    return s < end ? s : -1;
  }

  private initPrefilter(): void {
    this.pre = 0;
    const pat = this.pat, p = this.pStart, pEnd = this.pEnd;
    if (p >= pEnd) return;
    const c = pat.charCodeAt(p);
    if (c === C_LPAREN || c === C_RPAREN || (c === C_DOLLAR && p + 1 === pEnd)) return;
    if (c === ESC) {
      const n = pat.charCodeAt(p + 1);
      if (n === 98 || n === 102 || (n >= 48 && n <= 57)) return; // %b %f %0-9
    }
    if (c === ESC || c === C_LBRACKET || c === C_DOT) {
      const ep = classEnd(this, p);
      const q = pat.charCodeAt(ep);
      if (q === C_STAR || q === C_QMARK || q === C_MINUS || c === C_DOT) return;
      this.pre = 2;
      this.preEp = ep;
      return;
    }
    // A run of literal characters, each required exactly once (the last one may carry '+').
    let i = p;
    while (i < pEnd) {
      const ch = pat.charCodeAt(i);
      if (ch === ESC || ch === C_LBRACKET || ch === C_DOT || ch === C_LPAREN || ch === C_RPAREN) break;
      if (ch === C_DOLLAR && i + 1 === pEnd) break;
      const q = pat.charCodeAt(i + 1);
      if (q === C_STAR || q === C_QMARK || q === C_MINUS) break;
      i++;
      if (q === C_PLUS) break;
    }
    if (i > p) {
      this.pre = 1;
      this.preStr = pat.slice(p, i);
    }
  }
}

const pool: MatchState[] = [];
const scratch = new MatchState('', '', false);

function patError(msg: string): LuaError {
  return new LuaError(where(1) + msg);
}

/** Try to match the whole pattern at subject offset s; returns the end offset or -1. */
export function matchAt(ms: MatchState, s: number): number {
  if (ms.prog !== null) return ms.prog.matchAt(ms, s);
  ms.level = 0;
  ms.depth = MAXCCALLS;
  return match(ms, s, ms.pStart);
}

/**
 * do_match's search loop: the first match starting at init or later (only at init when anchored).
 * Returns the start offset and stores the end in `out.end`, or returns -1.
 */
export function search(ms: MatchState, init: number, out: { end: number }): number {
  if (ms.prog !== null) return ms.prog.search(ms, init, out);
  if (ms.anchor) {
    const e = matchAt(ms, init);
    if (e === -1) return -1;
    out.end = e;
    return init;
  }
  for (let s = init; s <= ms.srcEnd; s++) {
    s = ms.candidate(s);
    if (s < 0) return -1;
    const e = matchAt(ms, s);
    if (e !== -1) {
      out.end = e;
      return s;
    }
  }
  return -1;
}

// ---- captures ----

/** Capture i of the last match of [s, e) (the whole match when the pattern has no captures and i = 0). */
export function getCapture(ms: MatchState, i: number, s: number, e: number): string | number {
  if (i >= ms.level) {
    if (i === 0) return ms.src.slice(s, e);
    throw patError(`invalid capture index %${i + 1}`);
  }
  const l = ms.capLen[i];
  if (l === CAP_UNFINISHED) throw patError('unfinished capture');
  const init = ms.capInit[i];
  if (l === CAP_POSITION) return init + 1;
  return ms.src.slice(init, init + l);
}

/** Number of values push_captures produces: the captures, or the whole match when there are none. */
export function captureCount(ms: MatchState, whole: boolean): number {
  return ms.level === 0 && whole ? 1 : ms.level;
}

/** All captures as an array (whole match if none and `whole`). */
export function getCaptures(ms: MatchState, s: number, e: number, whole: boolean): unknown[] {
  const n = captureCount(ms, whole);
  const out = new Array<unknown>(n);
  for (let i = 0; i < n; i++) out[i] = getCapture(ms, i, s, e);
  return out;
}

// ---- the matcher ----

/** End of the single-char class starting at p (PUC classEnd), raising PUC's error when it is malformed. */
function classEnd(ms: MatchState, p: number): number {
  const ep = classEndOf(ms.pat, p, ms.pEnd);
  if (ep >= 0) return ep;
  throw patError(ms.pat.charCodeAt(p) === ESC ? "malformed pattern (ends with '%')" : "malformed pattern (missing ']')");
}

function singleMatch(ms: MatchState, s: number, p: number, ep: number): boolean {
  if (s >= ms.srcEnd) return false;
  const c = ms.src.charCodeAt(s);
  const pc = ms.pat.charCodeAt(p);
  switch (pc) {
    case C_DOT: return true;
    case ESC: return matchClass(c, ms.pat.charCodeAt(p + 1));
    case C_LBRACKET: return matchBracketClass(ms.pat, c, p, ep - 1);
    default: return pc === c;
  }
}

/** How many consecutive chars from s match the single item [p, ep) (the greedy expansion). */
function countMatches(ms: MatchState, s: number, p: number, ep: number): number {
  const src = ms.src, end = ms.srcEnd, pat = ms.pat;
  const pc = pat.charCodeAt(p);
  let i = s;
  if (pc === C_DOT) return end - s;
  if (pc === ESC) {
    const cl = pat.charCodeAt(p + 1);
    while (i < end && matchClass(src.charCodeAt(i), cl)) i++;
  } else if (pc === C_LBRACKET) {
    while (i < end && matchBracketClass(pat, src.charCodeAt(i), p, ep - 1)) i++;
  } else {
    while (i < end && src.charCodeAt(i) === pc) i++;
  }
  return i - s;
}

function matchBalance(ms: MatchState, s: number, p: number): number {
  if (p >= ms.pEnd - 1) throw patError("malformed pattern (missing arguments to '%b')");
  const src = ms.src;
  if (s >= ms.srcEnd || src.charCodeAt(s) !== ms.pat.charCodeAt(p)) return -1;
  const b = ms.pat.charCodeAt(p), e = ms.pat.charCodeAt(p + 1);
  let cont = 1;
  while (++s < ms.srcEnd) {
    const c = src.charCodeAt(s);
    if (c === e) {
      if (--cont === 0) return s + 1;
    } else if (c === b) {
      cont++;
    }
  }
  return -1; // string ends out of balance
}

function maxExpand(ms: MatchState, s: number, p: number, ep: number): number {
  let i = countMatches(ms, s, p, ep);
  // Item at the end of the pattern: the longest expansion matches (unless the depth budget is spent,
  // where PUC's extra call would raise "pattern too complex").
  if (ep + 1 === ms.pEnd && ms.depth > 0) return s + i;
  while (i >= 0) { // try the longest expansion first, then give back one char at a time
    const r = match(ms, s + i, ep + 1);
    if (r !== -1) return r;
    i--;
  }
  return -1;
}

function minExpand(ms: MatchState, s: number, p: number, ep: number): number {
  for (;;) {
    const r = match(ms, s, ep + 1);
    if (r !== -1) return r;
    if (singleMatch(ms, s, p, ep)) s++; // try with one more repetition
    else return -1;
  }
}

function startCapture(ms: MatchState, s: number, p: number, what: number): number {
  const level = ms.level;
  if (level >= MAXCAPTURES) throw patError('too many captures');
  ms.capInit[level] = s;
  ms.capLen[level] = what;
  ms.level = level + 1;
  const r = match(ms, s, p);
  if (r === -1) ms.level--; // undo capture
  return r;
}

function endCapture(ms: MatchState, s: number, p: number): number {
  const l = captureToClose(ms);
  ms.capLen[l] = s - ms.capInit[l];
  const r = match(ms, s, p);
  if (r === -1) ms.capLen[l] = CAP_UNFINISHED; // undo capture
  return r;
}

function captureToClose(ms: MatchState): number {
  for (let level = ms.level - 1; level >= 0; level--) {
    if (ms.capLen[level] === CAP_UNFINISHED) return level;
  }
  throw patError('invalid pattern capture');
}

/** Back-reference %1-%9 (l is the digit's char code). */
function matchCapture(ms: MatchState, s: number, l: number): number {
  l -= 49; // '1'
  if (l < 0 || l >= ms.level || ms.capLen[l] === CAP_UNFINISHED) {
    throw patError(`invalid capture index %${l + 1}`);
  }
  const len = ms.capLen[l];
  // A position capture never matches (PUC compares with its length cast to a huge size_t).
  if (len < 0 || ms.srcEnd - s < len) return -1;
  const src = ms.src, init = ms.capInit[l];
  for (let k = 0; k < len; k++) {
    if (src.charCodeAt(init + k) !== src.charCodeAt(s + k)) return -1;
  }
  return s + len;
}

/** PUC's `match`: tail calls of the C version are the `continue`s of the loop. */
function match(ms: MatchState, s: number, p: number): number {
  if (ms.depth-- === 0) throw patError('pattern too complex');
  const pat = ms.pat, pEnd = ms.pEnd;
  while (p !== pEnd) {
    const pc = pat.charCodeAt(p);
    if (pc === C_LPAREN) {
      s = pat.charCodeAt(p + 1) === C_RPAREN
        ? startCapture(ms, s, p + 2, CAP_POSITION)
        : startCapture(ms, s, p + 1, CAP_UNFINISHED);
      break;
    }
    if (pc === C_RPAREN) {
      s = endCapture(ms, s, p + 1);
      break;
    }
    if (pc === C_DOLLAR && p + 1 === pEnd) { // '$' anchors only as the last pattern char
      if (s !== ms.srcEnd) s = -1;
      break;
    }
    if (pc === ESC) {
      const nc = pat.charCodeAt(p + 1);
      if (nc === 98) { // %b
        s = matchBalance(ms, s, p + 2);
        if (s === -1) break;
        p += 4;
        continue;
      }
      if (nc === 102) { // %f frontier
        p += 2;
        if (pat.charCodeAt(p) !== C_LBRACKET) throw patError("missing '[' after '%f' in pattern");
        const ep = classEnd(ms, p);
        const prev = s === 0 ? 0 : ms.src.charCodeAt(s - 1);
        const cur = s < ms.srcEnd ? ms.src.charCodeAt(s) : 0;
        if (!matchBracketClass(pat, prev, p, ep - 1) && matchBracketClass(pat, cur, p, ep - 1)) {
          p = ep;
          continue;
        }
        s = -1;
        break;
      }
      if (nc >= 48 && nc <= 57) { // back-reference %0-%9
        s = matchCapture(ms, s, nc);
        if (s === -1) break;
        p += 2;
        continue;
      }
    }
    // a single-char class plus an optional quantifier
    const ep = classEnd(ms, p);
    const q = pat.charCodeAt(ep);
    if (!singleMatch(ms, s, p, ep)) {
      if (q === C_STAR || q === C_QMARK || q === C_MINUS) { // accept empty
        p = ep + 1;
        continue;
      }
      s = -1; // '+' or no suffix
      break;
    }
    if (q === C_QMARK) {
      const r = match(ms, s + 1, ep + 1);
      if (r !== -1) {
        s = r;
        break;
      }
      p = ep + 1;
      continue;
    }
    if (q === C_PLUS) {
      s = maxExpand(ms, s + 1, p, ep);
      break;
    }
    if (q === C_STAR) {
      s = maxExpand(ms, s, p, ep);
      break;
    }
    if (q === C_MINUS) {
      s = minExpand(ms, s, p, ep);
      break;
    }
    s++;
    p = ep;
  }
  ms.depth++;
  return s;
}

/** True when `p` has none of the magic characters, so string.find can search it as plain text. */
export function noSpecials(p: string): boolean {
  for (let i = 0; i < p.length; i++) {
    switch (p.charCodeAt(i)) {
      case C_CARET: case C_DOLLAR: case C_STAR: case C_PLUS: case C_QMARK: case C_DOT:
      case C_LPAREN: case C_LBRACKET: case ESC: case C_MINUS:
        return false;
    }
  }
  return true;
}
