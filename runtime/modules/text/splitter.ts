// text.splitter: Splitter objects for Lua (recursive character and markdown), with options checked once at
// construction. Sizes count characters (code points of the UTF-8 text; an invalid byte counts as one), as
// langchaingo's default utf8.RuneCountInString does.

import { LuaTable } from '../../lua/table.js';
import { LuaUserdata } from '../../lua/value.js';
import { ret1, ret2 } from '../../lua/ret.js';
import { checkString, checkTable, typeError } from '../../lua/lib/args.js';
import { newError, KINDS, ErrorObject } from '../../lua/lib/errors.js';
import { hostObject, objectClass, subTable } from '../module.js';
import { splitRecursive } from './recursive.js';
import { splitMarkdown, type MarkdownOptions } from './markdown.js';
import { decodeText, encodeText } from './utf8.js';

interface Splitter {
  markdown: boolean;
  opts: MarkdownOptions;
}

const DEFAULTS: MarkdownOptions = {
  chunkSize: 4000,
  chunkOverlap: 200,
  separators: ['\n\n', '\n', ' ', ''],
  keepSeparator: false,
  codeBlocks: false,
  headingHierarchy: false,
};

const invalid = (msg: string) => newError(msg, KINDS.INVALID);

function intOption(t: LuaTable, key: string, def: number): number | ErrorObject {
  const v = t.getStr(key);
  if (v === undefined) return def;
  if (typeof v !== 'number' || !Number.isInteger(v)) return invalid(`${key} must be an integer`);
  return v;
}

function boolOption(t: LuaTable, key: string, def: boolean): boolean | ErrorObject {
  const v = t.getStr(key);
  if (v === undefined) return def;
  if (typeof v !== 'boolean') return invalid(`${key} must be a boolean`);
  return v;
}

function separatorsOption(t: LuaTable): string[] | ErrorObject {
  const v = t.getStr('separators');
  if (v === undefined) return DEFAULTS.separators;
  if (!(v instanceof LuaTable)) return invalid('separators must be a table of strings');
  const out: string[] = [];
  for (let i = 1; i <= v.length(); i++) {
    const s = v.get(i);
    if (typeof s !== 'string') return invalid('separators must be a table of strings');
    out.push(decodeText(s));
  }
  if (out.length === 0) return invalid('separators must not be empty');
  return out;
}

function readOptions(t: LuaTable | undefined): MarkdownOptions | ErrorObject {
  if (t === undefined) return DEFAULTS;
  const o = {
    chunkSize: intOption(t, 'chunk_size', DEFAULTS.chunkSize),
    chunkOverlap: intOption(t, 'chunk_overlap', DEFAULTS.chunkOverlap),
    separators: separatorsOption(t),
    keepSeparator: boolOption(t, 'keep_separator', DEFAULTS.keepSeparator),
    codeBlocks: boolOption(t, 'code_blocks', DEFAULTS.codeBlocks),
    headingHierarchy: boolOption(t, 'heading_hierarchy', DEFAULTS.headingHierarchy),
  };
  for (const v of Object.values(o)) if (v instanceof ErrorObject) return v;
  const ok = o as MarkdownOptions;
  if (ok.chunkSize <= 0) return invalid('chunk_size must be positive');
  if (ok.chunkOverlap < 0) return invalid('chunk_overlap must not be negative');
  if (ok.chunkOverlap > ok.chunkSize) return invalid(`chunk_overlap (${ok.chunkOverlap}) must not be larger than chunk_size (${ok.chunkSize})`);
  return ok;
}

function make(markdown: boolean, args: ArrayLike<unknown>, fname: string) {
  const t = args[0] === undefined ? undefined : checkTable(args, 1, fname);
  const opts = readOptions(t);
  if (opts instanceof ErrorObject) return ret2(undefined, opts);
  return ret1(hostObject<Splitter>({ markdown, opts }, SplitterClass));
}

function recursive(_opts?: unknown) {
  return make(false, arguments, 'recursive');
}

function markdown(_opts?: unknown) {
  return make(true, arguments, 'markdown');
}

function split_text(_s: unknown, _text: unknown) {
  const v = arguments[0];
  if (!(v instanceof LuaUserdata) || v.mt !== SplitterClass) throw typeError(arguments, 1, 'split_text', 'text.Splitter');
  const { markdown: md, opts } = v.data as Splitter;
  const text = decodeText(checkString(arguments, 2, 'split_text'));
  const chunks = md ? splitMarkdown(text, opts) : splitRecursive(text, opts);
  return ret1(LuaTable.from(chunks.map(encodeText)));
}

const SplitterClass = objectClass('text.Splitter', { split_text });

export const splitterTable = (): LuaTable => subTable({ recursive, markdown });
