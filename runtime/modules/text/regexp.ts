// text.regexp: Go regexp (RE2 syntax, leftmost-first) over Lua byte strings, on top of re2js. Matching runs
// on the UTF-8 bytes themselves, so every index is a byte offset and invalid bytes match as U+FFFD, width 1,
// as in Go. Find/replace/split loops follow Go's regexp.go line by line (empty-match and n rules).

import { createRequire } from 'node:module';
import { LuaTable } from '../../lua/table.js';
import { LuaUserdata } from '../../lua/value.js';
import { ret1, ret2 } from '../../lua/ret.js';
import { checkString, optInt, typeError } from '../../lua/lib/args.js';
import { newError, KINDS } from '../../lua/lib/errors.js';
import { hostObject, objectClass, subTable, toBytes } from '../module.js';
import { firstInvalid, seqLen } from './utf8.js';

type Re2Module = typeof import('re2js');
let re2js: Re2Module | undefined;
/** re2js is ~250 KB of JS: load it on the first compile, not at start-up. */
const engine = (): Re2Module => (re2js ??= createRequire(import.meta.url)('re2js') as Re2Module);

/** The parts of re2js's (Go-derived) RE2 class used here; it is not exported by name. */
interface RE2 {
  numSubexp: number;
  namedGroups: Record<string, number>;
  matchUTF8(b: Uint8Array): boolean;
  findUTF8Index(b: Uint8Array): number[] | null;
  findUTF8SubmatchIndex(b: Uint8Array): number[] | null;
  findAllUTF8SubmatchIndex(b: Uint8Array, n: number): number[][] | null;
  matchWithGroup(input: Uint8Array, start: number, end: number, anchor: number, ngroup: number): [boolean, number[] | null];
}

interface Compiled {
  source: string;
  re: RE2;
  /** Go's SubexpNames: index 0 is the whole match (""), then one name per group ("" if unnamed). */
  names: string[];
}

const UNANCHORED = 0;

/** Go's syntax.Error text: "error parsing regexp: <code>: `<expr>`". */
function syntaxMessage(e: unknown): string {
  const x = e as { error?: string; input?: string | null; message?: string };
  if (typeof x.error === 'string') return `error parsing regexp: ${x.error}: \`${x.input ?? ''}\``;
  return String(x.message ?? e);
}

function compile(_pattern: unknown) {
  const src = checkString(arguments, 1, 'compile');
  const bad = firstInvalid(src);
  // The pattern is UTF-8 text to Go; re2js wants JS text, so bytes that are not UTF-8 are refused like Go does.
  if (bad >= 0) return ret2(undefined, newError(`error parsing regexp: invalid UTF-8: \`${src.slice(bad)}\``, KINDS.INVALID));
  let re: RE2;
  try {
    re = engine().RE2JS.compile(Buffer.from(src, 'latin1').toString('utf8')).re2() as unknown as RE2;
  } catch (e) {
    return ret2(undefined, newError(toBytes(syntaxMessage(e)), KINDS.INVALID)); // re2js reports JS text
  }
  const names: string[] = new Array(re.numSubexp + 1).fill('');
  for (const [name, i] of Object.entries(re.namedGroups)) names[i] = toBytes(name);
  return ret1(hostObject<Compiled>({ source: src, re, names }, RegexpClass));
}

function self(args: ArrayLike<unknown>, fname: string): Compiled {
  const v = args[0];
  if (v instanceof LuaUserdata && v.mt === RegexpClass) return v.data as Compiled;
  throw typeError(args, 1, fname, 'text.Regexp');
}

const bytes = (s: string): Buffer => Buffer.from(s, 'latin1');

/** Go's n argument of the FindAll family: negative (or absent) = all. */
const limit = (args: ArrayLike<unknown>, fname: string): number => optInt(args, 3, fname, -1);

function allMatches(c: Compiled, s: string, n: number): number[][] {
  if (n === 0) return [];
  return c.re.findAllUTF8SubmatchIndex(bytes(s), n) ?? [];
}

/** A match's submatches as strings; Go gives "" for a group that did not take part. */
function submatches(s: string, m: number[], groups: number): LuaTable {
  const out: string[] = [];
  for (let g = 0; g <= groups; g++) out.push(m[2 * g] < 0 ? '' : s.slice(m[2 * g], m[2 * g + 1]));
  return LuaTable.from(out);
}

/** {start, end}: 1-based first byte and last byte, so s:sub(start, end) is the match (an empty match gives end = start - 1). */
const span = (m: number[]): LuaTable => LuaTable.from([m[0] + 1, m[1]]);

function match_string(_re: unknown, _s: unknown) {
  const c = self(arguments, 'match_string');
  return ret1(c.re.matchUTF8(bytes(checkString(arguments, 2, 'match_string'))));
}

function find_string(_re: unknown, _s: unknown) {
  const c = self(arguments, 'find_string');
  const s = checkString(arguments, 2, 'find_string');
  const m = c.re.findUTF8Index(bytes(s));
  return ret1(m === null ? undefined : s.slice(m[0], m[1]));
}

function find_all_string(_re: unknown, _s: unknown, _n?: unknown) {
  const c = self(arguments, 'find_all_string');
  const s = checkString(arguments, 2, 'find_all_string');
  return ret1(LuaTable.from(allMatches(c, s, limit(arguments, 'find_all_string')).map((m) => s.slice(m[0], m[1]))));
}

function find_string_submatch(_re: unknown, _s: unknown) {
  const c = self(arguments, 'find_string_submatch');
  const s = checkString(arguments, 2, 'find_string_submatch');
  const m = c.re.findUTF8SubmatchIndex(bytes(s));
  return ret1(m === null ? undefined : submatches(s, m, c.re.numSubexp));
}

function find_all_string_submatch(_re: unknown, _s: unknown, _n?: unknown) {
  const c = self(arguments, 'find_all_string_submatch');
  const s = checkString(arguments, 2, 'find_all_string_submatch');
  const all = allMatches(c, s, limit(arguments, 'find_all_string_submatch'));
  return ret1(LuaTable.from(all.map((m) => submatches(s, m, c.re.numSubexp))));
}

function find_string_index(_re: unknown, _s: unknown) {
  const c = self(arguments, 'find_string_index');
  const m = c.re.findUTF8Index(bytes(checkString(arguments, 2, 'find_string_index')));
  return ret1(m === null ? undefined : span(m));
}

function find_all_string_index(_re: unknown, _s: unknown, _n?: unknown) {
  const c = self(arguments, 'find_all_string_index');
  const s = checkString(arguments, 2, 'find_all_string_index');
  return ret1(LuaTable.from(allMatches(c, s, limit(arguments, 'find_all_string_index')).map(span)));
}

/** Width of the name character (letter, digit, _ as Go's unicode.IsLetter/IsDigit) at byte i of `t`, or 0. */
function nameCharWidth(t: string, i: number): number {
  const c = t.charCodeAt(i);
  if (c < 0x80) return /[A-Za-z0-9_]/.test(t[i]) ? 1 : 0;
  const n = seqLen(t, i);
  return n > 0 && /^[\p{L}\p{Nd}]$/u.test(Buffer.from(t.slice(i, i + n), 'latin1').toString('utf8')) ? n : 0;
}

/** Go's extract(): a $name / ${name} reference at the start of `t`. */
function extractRef(t: string): { name: string; num: number; rest: number } | undefined {
  let i = 0;
  const brace = t[0] === '{';
  if (brace) i++;
  const begin = i;
  let w = 0;
  while (i < t.length && (w = nameCharWidth(t, i)) > 0) i += w;
  if (i === begin) return undefined;
  const name = t.slice(begin, i);
  if (brace) {
    if (t[i] !== '}') return undefined;
    i++;
  }
  let num = /^[0-9]+$/.test(name) && name.length <= 9 ? Number(name) : -1; // Go stops at 1e8 before a digit
  if (name.length > 1 && name[0] === '0') num = -1; // no leading zeros
  return { name, num, rest: i };
}

/** Go's Regexp.expand: $1, ${1}, $name, ${name}, $$; unknown or unmatched references expand to "". */
function expand(c: Compiled, template: string, s: string, m: number[]): string {
  let out = '';
  for (;;) {
    const d = template.indexOf('$');
    if (d < 0) break;
    out += template.slice(0, d);
    template = template.slice(d + 1);
    if (template[0] === '$') {
      out += '$';
      template = template.slice(1);
      continue;
    }
    const ref = extractRef(template);
    if (ref === undefined) {
      out += '$'; // malformed: the $ is literal
      continue;
    }
    template = template.slice(ref.rest);
    let g = ref.num;
    if (g < 0) g = c.names.indexOf(ref.name, 1);
    if (g >= 0 && 2 * g + 1 < m.length && m[2 * g] >= 0) out += s.slice(m[2 * g], m[2 * g + 1]);
  }
  return out + template;
}

/** Width of the character at byte `i` (1 for an invalid byte, 0 at the end), like utf8.DecodeRuneInString. */
const widthAt = (s: string, i: number): number => (i >= s.length ? 0 : Math.max(seqLen(s, i), 1));

function replace_all_string(_re: unknown, _s: unknown, _repl: unknown) {
  const c = self(arguments, 'replace_all_string');
  const s = checkString(arguments, 2, 'replace_all_string');
  const repl = checkString(arguments, 3, 'replace_all_string');
  const b = bytes(s);
  const ngroup = repl.includes('$') ? c.re.numSubexp + 1 : 1;
  let out = '';
  let lastMatchEnd = 0;
  let searchPos = 0;
  while (searchPos <= s.length) {
    const [ok, a] = c.re.matchWithGroup(b, searchPos, b.length, UNANCHORED, ngroup);
    if (!ok || a === null) break;
    out += s.slice(lastMatchEnd, a[0]);
    // No replacement for an empty match right after the previous match (it would replace twice).
    if (a[1] > lastMatchEnd || a[0] === 0) out += expand(c, repl, s, a);
    lastMatchEnd = a[1];
    const w = widthAt(s, searchPos);
    if (searchPos + w > a[1]) searchPos += w;
    else if (searchPos + 1 > a[1]) searchPos++;
    else searchPos = a[1];
  }
  return ret1(out + s.slice(lastMatchEnd));
}

function split(_re: unknown, _s: unknown, _n?: unknown) {
  const c = self(arguments, 'split');
  const s = checkString(arguments, 2, 'split');
  const n = limit(arguments, 'split');
  if (n === 0) return ret1(new LuaTable());
  if (c.source.length > 0 && s.length === 0) return ret1(LuaTable.from(['']));
  const parts: string[] = [];
  let beg = 0;
  let end = 0;
  for (const m of allMatches(c, s, n)) {
    if (n > 0 && parts.length === n - 1) break;
    end = m[0];
    if (m[1] !== 0) parts.push(s.slice(beg, end));
    beg = m[1];
  }
  if (end !== s.length) parts.push(s.slice(beg));
  return ret1(LuaTable.from(parts));
}

function num_subexp(_re: unknown) {
  return ret1(self(arguments, 'num_subexp').re.numSubexp);
}

function subexp_names(_re: unknown) {
  return ret1(LuaTable.from(self(arguments, 'subexp_names').names));
}

function string(_re: unknown) {
  return ret1(self(arguments, 'string').source);
}

const RegexpClass = objectClass('text.Regexp', {
  match_string, find_string, find_all_string, find_string_submatch, find_all_string_submatch,
  find_string_index, find_all_string_index, replace_all_string, split, num_subexp, subexp_names, string,
});

export const regexpTable = (): LuaTable => subTable({ compile });
