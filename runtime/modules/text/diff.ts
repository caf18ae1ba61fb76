// text.diff: diff-match-patch (diff-match-patch-es), with the output formats of its Go port sergi/go-diff
// that Wippy uses. Texts are diffed per character (code point), as go-diff diffs runes: astral characters
// are mapped to unused BMP code units first so the UTF-16 library never splits a surrogate pair.

import { createRequire } from 'node:module';
import { LuaTable } from '../../lua/table.js';
import { LuaUserdata } from '../../lua/value.js';
import { ret1, ret2 } from '../../lua/ret.js';
import { checkString, checkTable, typeError } from '../../lua/lib/args.js';
import { newError, KINDS, ErrorObject } from '../../lua/lib/errors.js';
import { hostObject, objectClass, subTable } from '../module.js';
import { charCount, decodeText, encodeText } from './utf8.js';
import type { Diff, DiffMatchPathOptions, Patch } from 'diff-match-patch-es';

type DmpModule = typeof import('diff-match-patch-es');
let dmpLib: DmpModule | undefined;
/** Loaded on first use (require of an ES module, Node ≥ 20.19). */
const dmp = (): DmpModule => (dmpLib ??= createRequire(import.meta.url)('diff-match-patch-es') as DmpModule);

const DELETE = -1;
const INSERT = 1;
const EQUAL = 0;
const OP_NAMES: Record<number, string> = { [DELETE]: 'delete', [INSERT]: 'insert', [EQUAL]: 'equal' };
const OPS: Record<string, -1 | 0 | 1> = { delete: DELETE, insert: INSERT, equal: EQUAL };

// ---- one UTF-16 unit per character ----

const PAIR = /[\ud800-\udbff][\udc00-\udfff]/;
const PAIRS = new RegExp(PAIR.source, 'g');

/** BMP code units not in `used`: the private use area first, then the rest (no surrogates, no controls). */
function* freeUnits(used: Set<number>): Generator<number> {
  for (let u = 0xe000; u <= 0xfffd; u++) if (!used.has(u)) yield u;
  for (let u = 0x100; u < 0xd800; u++) if (!used.has(u)) yield u;
}

/**
 * A reversible renaming of the astral characters of some texts to BMP code units none of them uses
 * (private use area first), so that every character is one unit for diff-match-patch and lengths and
 * offsets count characters.
 */
class Units {
  private readonly toUnit = new Map<string, string>();
  private readonly fromUnit = new Map<string, string>();

  constructor(texts: string[]) {
    if (!texts.some((t) => PAIR.test(t))) return; // the common case: nothing to rename
    const astral = new Set<string>();
    const used = new Set<number>();
    for (const t of texts) {
      for (let i = 0; i < t.length; i++) {
        const c = t.charCodeAt(i);
        if (c >= 0xd800 && c <= 0xdbff && i + 1 < t.length && (t.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
          astral.add(t.slice(i, i + 2));
          i++;
        } else used.add(c);
      }
    }
    const free = freeUnits(used);
    for (const pair of astral) {
      const u = free.next();
      if (u.done) break; // 60k+ distinct astral characters: the rest stay as pairs
      const unit = String.fromCharCode(u.value);
      this.toUnit.set(pair, unit);
      this.fromUnit.set(unit, pair);
    }
  }

  enc(t: string): string {
    if (this.toUnit.size === 0) return t;
    return t.replace(PAIRS, (p) => this.toUnit.get(p) ?? p);
  }

  dec(t: string): string {
    if (this.fromUnit.size === 0) return t;
    let out = '';
    for (const ch of t) out += this.fromUnit.get(ch) ?? ch;
    return out;
  }
}

// ---- options ----

const OPTION_KEYS: [string, keyof DiffMatchPathOptions][] = [
  ['diff_timeout', 'diffTimeout'],
  ['diff_edit_cost', 'diffEditCost'],
  ['match_threshold', 'matchThreshold'],
  ['match_distance', 'matchDistance'],
  ['patch_delete_threshold', 'patchDeleteThreshold'],
  ['patch_margin', 'patchMargin'],
  ['match_max_bits', 'matchMaxBits'],
];

/** go-diff's defaults (diff_timeout in seconds). */
const DEFAULTS: Required<DiffMatchPathOptions> = {
  diffTimeout: 1, diffEditCost: 4, matchThreshold: 0.5, matchDistance: 1000,
  patchDeleteThreshold: 0.5, patchMargin: 4, matchMaxBits: 32,
};

function readOptions(t: LuaTable | undefined): Required<DiffMatchPathOptions> | ErrorObject {
  const o = { ...DEFAULTS };
  if (t === undefined) return o;
  for (const [lua, js] of OPTION_KEYS) {
    const v = t.getStr(lua);
    if (v === undefined) continue;
    if (typeof v !== 'number' || Number.isNaN(v)) return newError(`${lua} must be a number`, KINDS.INVALID);
    o[js] = v;
  }
  // The bitap matcher works on JS's 32-bit integers.
  if (!Number.isInteger(o.matchMaxBits) || o.matchMaxBits < 1 || o.matchMaxBits > 32) {
    return newError('match_max_bits must be an integer from 1 to 32', KINDS.INVALID);
  }
  return o;
}

// ---- diffs as Lua tables ----

function diffsToLua(diffs: Diff[], units: Units): LuaTable {
  return LuaTable.from(diffs.map(([op, text]) => {
    const d = new LuaTable();
    d.setStr('operation', OP_NAMES[op]);
    d.setStr('text', encodeText(units.dec(text)));
    return d;
  }));
}

/** A Lua diff list back to [op, byte text] pairs, or an INVALID error naming the bad element. */
function diffsFromLua(t: LuaTable): [-1 | 0 | 1, string][] | ErrorObject {
  const out: [-1 | 0 | 1, string][] = [];
  const n = t.length();
  for (let i = 1; i <= n; i++) {
    const d = t.get(i);
    const op = d instanceof LuaTable ? d.getStr('operation') : undefined;
    const text = d instanceof LuaTable ? d.getStr('text') : undefined;
    if (typeof op !== 'string' || !(op in OPS) || typeof text !== 'string') {
      return newError(`invalid diff at index ${i}: expected {operation = "equal"|"insert"|"delete", text = string}`, KINDS.INVALID);
    }
    out.push([OPS[op], text]);
  }
  return out;
}

// ---- patch text (GNU-diff-like, as go-diff's Patch.String and PatchFromText) ----

/** encodeURI's unescaped set (go-diff unescapes the same characters after url.QueryEscape). */
const KEEP = /[A-Za-z0-9\-_.!~*'();/?:@&=+$,# ]/;

function escapeBytes(b: string): string {
  let out = '';
  for (const ch of b) out += KEEP.test(ch) ? ch : '%' + ch.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0');
  return out;
}

function unescapeBytes(s: string): string | undefined {
  if (!s.includes('%')) return s;
  let out = '';
  for (let i = 0; i < s.length; i++) {
    if (s[i] !== '%') {
      out += s[i];
      continue;
    }
    const hex = s.slice(i + 1, i + 3);
    if (!/^[0-9A-Fa-f]{2}$/.test(hex)) return undefined;
    out += String.fromCharCode(parseInt(hex, 16));
    i += 2;
  }
  return out;
}

function coords(start: number, length: number): string {
  if (length === 0) return `${start},0`;
  if (length === 1) return `${start + 1}`;
  return `${start + 1},${length}`;
}

function patchesToText(patches: Patch[], units: Units): string {
  let out = '';
  for (const p of patches) {
    out += `@@ -${coords(p.start1, p.length1)} +${coords(p.start2, p.length2)} @@\n`;
    for (const [op, text] of p.diffs) out += (op === INSERT ? '+' : op === DELETE ? '-' : ' ') + escapeBytes(encodeText(units.dec(text))) + '\n';
  }
  return out;
}

const HEADER = /^@@ -(\d+),?(\d*) \+(\d+),?(\d*) @@$/;

/** [start, length] from a header's two numbers (1-based start unless the length is 0). */
function range(start: string, len: string): [number, number] {
  const s = parseInt(start, 10);
  if (len === '') return [s - 1, 1];
  if (len === '0') return [s, 0];
  return [s - 1, parseInt(len, 10)];
}

/** Patch text → patches whose diff texts are JS text (lossless), or an error message. */
function patchesFromText(text: string): Patch[] | string {
  const patches: Patch[] = [];
  if (text === '') return patches;
  const lines = text.split('\n');
  let i = 0;
  while (i < lines.length) {
    const m = HEADER.exec(lines[i]);
    if (m === null) return `Invalid patch string: ${lines[i]}`;
    const [start1, length1] = range(m[1], m[2]);
    const [start2, length2] = range(m[3], m[4]);
    const p: Patch = { diffs: [], start1, start2, length1, length2 };
    patches.push(p);
    for (i++; i < lines.length; i++) {
      const sign = lines[i].charAt(0);
      if (sign === '@') break;
      if (sign === '') continue; // blank line
      const body = unescapeBytes(lines[i].slice(1));
      if (body === undefined) return `Illegal escape in patch text: ${lines[i]}`;
      const op = sign === '-' ? DELETE : sign === '+' ? INSERT : sign === ' ' ? EQUAL : undefined;
      if (op === undefined) return `Invalid patch mode '${sign}' in: ${lines[i]}`;
      p.diffs.push([op, decodeText(body)]);
    }
  }
  return patches;
}

// ---- the Differ object ----

interface Differ {
  opts: Required<DiffMatchPathOptions>;
}

function self(args: ArrayLike<unknown>, fname: string): Differ {
  const v = args[0];
  if (v instanceof LuaUserdata && v.mt === DifferClass) return v.data as Differ;
  throw typeError(args, 1, fname, 'text.Differ');
}

function newDiffer(_opts?: unknown) {
  const t = arguments[0] === undefined ? undefined : checkTable(arguments, 1, 'new');
  const opts = readOptions(t);
  if (opts instanceof ErrorObject) return ret2(undefined, opts);
  return ret1(hostObject<Differ>({ opts }, DifferClass));
}

/** compare: a character diff (no line mode) with semantic cleanup, so edits align with words. */
function compare(_d: unknown, _a: unknown, _b: unknown) {
  const { opts } = self(arguments, 'compare');
  const a = decodeText(checkString(arguments, 2, 'compare'));
  const b = decodeText(checkString(arguments, 3, 'compare'));
  const units = new Units([a, b]);
  const diffs = dmp().diffMain(units.enc(a), units.enc(b), opts, false);
  dmp().diffCleanupSemantic(diffs);
  return ret1(diffsToLua(diffs, units));
}

/** Characters (code points) kept, inserted and deleted. */
function summarize(_d: unknown, _diffs: unknown) {
  self(arguments, 'summarize');
  const diffs = diffsFromLua(checkTable(arguments, 2, 'summarize'));
  if (!Array.isArray(diffs)) return ret2(undefined, diffs);
  const n = { equals: 0, insertions: 0, deletions: 0 };
  for (const [op, text] of diffs) {
    const c = charCount(decodeText(text));
    if (op === EQUAL) n.equals += c;
    else if (op === INSERT) n.insertions += c;
    else n.deletions += c;
  }
  const t = new LuaTable();
  t.setStr('equals', n.equals);
  t.setStr('insertions', n.insertions);
  t.setStr('deletions', n.deletions);
  return ret1(t);
}

/** go-diff's DiffPrettyText: insertions green, deletions red (ANSI escapes), equalities plain. */
function pretty_text(_d: unknown, _diffs: unknown) {
  self(arguments, 'pretty_text');
  const diffs = diffsFromLua(checkTable(arguments, 2, 'pretty_text'));
  if (!Array.isArray(diffs)) return ret2(undefined, diffs);
  let out = '';
  for (const [op, text] of diffs) {
    if (op === INSERT) out += `\x1b[32m${text}\x1b[0m`;
    else if (op === DELETE) out += `\x1b[31m${text}\x1b[0m`;
    else out += text;
  }
  return ret1(out);
}

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', "'": '&#39;', '<': '&lt;', '>': '&gt;', '"': '&#34;' };

/** go-diff's DiffPrettyHtml: Go's html.EscapeString, newlines as "&para;<br>", <ins>/<del>/<span> wrappers. */
function pretty_html(_d: unknown, _diffs: unknown) {
  self(arguments, 'pretty_html');
  const diffs = diffsFromLua(checkTable(arguments, 2, 'pretty_html'));
  if (!Array.isArray(diffs)) return ret2(undefined, diffs);
  let out = '';
  for (const [op, text] of diffs) {
    const t = text.replace(/[&'<>"]/g, (c) => HTML_ESCAPES[c]).replace(/\n/g, '&para;<br>');
    if (op === INSERT) out += `<ins style="background:#e6ffe6;">${t}</ins>`;
    else if (op === DELETE) out += `<del style="background:#ffe6e6;">${t}</del>`;
    else out += `<span>${t}</span>`;
  }
  return ret1(out);
}

/**
 * Patches turning `a` into `b`, as patch text (a string, so it can be stored or sent to another process;
 * userdata would not survive that). Offsets and lengths in it count characters.
 */
function patch_make(_d: unknown, _a: unknown, _b: unknown) {
  const { opts } = self(arguments, 'patch_make');
  const a = decodeText(checkString(arguments, 2, 'patch_make'));
  const b = decodeText(checkString(arguments, 3, 'patch_make'));
  const units = new Units([a, b]);
  const patches = dmp().patchMake(units.enc(a), units.enc(b), undefined, opts);
  return ret1(patchesToText(patches, units));
}

/** Apply patch text to `text`: the new text and a table saying, per patch, whether it applied. */
function patch_apply(_d: unknown, _patches: unknown, _text: unknown) {
  const { opts } = self(arguments, 'patch_apply');
  const parsed = patchesFromText(checkString(arguments, 2, 'patch_apply'));
  if (typeof parsed === 'string') return ret2(undefined, newError(parsed, KINDS.INVALID));
  const text = decodeText(checkString(arguments, 3, 'patch_apply'));
  const units = new Units([text, ...parsed.flatMap((p) => p.diffs.map((d) => d[1]))]);
  for (const p of parsed) for (const d of p.diffs) d[1] = units.enc(d[1]);
  const [out, applied] = dmp().patchApply(parsed, units.enc(text), opts) as [string, boolean[]];
  return ret2(encodeText(units.dec(out)), LuaTable.from(applied));
}

const DifferClass = objectClass('text.Differ', { compare, summarize, pretty_text, pretty_html, patch_make, patch_apply });

export const diffTable = (): LuaTable => subTable({ new: newDiffer });
