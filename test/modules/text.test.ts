// The `text` module: Go RE2 regexps over byte strings, diff-match-patch diffs and patches, text splitters.
// Regexp expectations are Go's (regexp package docs and examples); Lua sources use [==[long strings]==] for patterns.

import { describe, expect, test } from 'vitest';
import { textModule } from '../../runtime/modules/text/index.js';
import { fromLua } from '../../runtime/modules/module.js';
import type { LuaTable } from '../../runtime/lua/table.js';
import { runWithModules } from '../wippy-helpers.js';

/** The chunk's results as plain JS data (byte strings decoded as UTF-8). */
const run = (src: string): unknown[] => runWithModules(src, [textModule]).results.map((x) => fromLua(x));
/** The chunk's results as they are (byte strings stay byte strings). */
const raw = (src: string): unknown[] => runWithModules(src, [textModule]).results;
const re = (pattern: string, body: string): unknown[] => run(`local re = assert(text.regexp.compile([==[${pattern}]==]))\n${body}`);

describe('text.regexp: compile', () => {
  test('a valid pattern gives a Regexp that remembers its source and groups', () => {
    expect(re(String.raw`(\d+)-(?P<word>\w+)(x)?`, 'return type(re), re:string(), re:num_subexp(), re:subexp_names()'))
      .toEqual(['userdata', String.raw`(\d+)-(?P<word>\w+)(x)?`, 3, ['', '', 'word', '']]);
  });

  test('subexp_names has Go layout: index 1 is the whole match, so names[i] labels submatch[i]', () => {
    expect(re('(?P<y>[0-9]{4})-(?<m>[0-9]{2})', 'local m = re:find_string_submatch("on 2024-05") local n = re:subexp_names() return n[2], m[2], n[3], m[3], #n'))
      .toEqual(['y', '2024', 'm', '05', 3]);
  });

  test('an invalid pattern returns nil and an INVALID error with Go parser text', () => {
    expect(run('local r, err = text.regexp.compile("a(") return r, err:kind(), err:message()'))
      .toEqual([null, 'Invalid', 'error parsing regexp: missing closing ): `a(`']);
    expect(run('local _, err = text.regexp.compile("é(") return err:message(), #err:message()'))
      .toEqual(['error parsing regexp: missing closing ): `é(`', 46]);
    expect(run('local _, err = text.regexp.compile("x**") return err:message()'))
      .toEqual(['error parsing regexp: invalid nested repetition operator: `**`']);
    expect(run('local _, err = text.regexp.compile("ab\\\\") return err:message()'))
      .toEqual(['error parsing regexp: trailing backslash at end of expression: ``']);
  });

  test('Perl features RE2 lacks are syntax errors: lookaround, backreferences, \\C, \\Z, possessive counts', () => {
    const msg = (p: string) => run(`local _, err = text.regexp.compile([[${p}]]) return err and err:message()`)[0];
    expect(msg('(?=a)')).toBe('error parsing regexp: invalid or unsupported Perl syntax: `(?=`');
    expect(msg('(?<=a)b')).toBe('error parsing regexp: invalid named capture: `(?<=a)b`');
    expect(msg(String.raw`(a)\1`)).toBe('error parsing regexp: invalid escape sequence: `\\1`');
    expect(msg(String.raw`\C`)).toBe('error parsing regexp: invalid escape sequence: `\\C`');
    expect(msg(String.raw`a\Z`)).toBe('error parsing regexp: invalid escape sequence: `\\Z`');
    expect(msg('a{1001}')).toBe('error parsing regexp: invalid repeat count: `{1001}`');
    expect(msg('(?P<n>a)(?P<n>b)')).toBe('error parsing regexp: duplicate capture group name: `n`');
  });

  test('a pattern that is not UTF-8 is refused', () => {
    expect(run('local r, err = text.regexp.compile("a\\255") return r, err:kind()')).toEqual([null, 'Invalid']);
  });

  test('compile needs a string; methods need a Regexp', () => {
    expect(() => run('text.regexp.compile({})')).toThrow(/bad argument #1 to 'compile' \(string expected, got table\)/);
    expect(() => run('local re = text.regexp.compile("a") re.match_string("a")')).toThrow(/text\.Regexp expected, got string/);
  });
});

describe('text.regexp: Go syntax and semantics JS RegExp would get wrong', () => {
  test('inline flags (?i) (?s) (?m) (?U), with Unicode case folding (Kelvin sign K)', () => {
    expect(re('(?i)hello', 'return re:match_string("Say HeLLo")')).toEqual([true]);
    expect(re('(?i)k', 'return re:match_string("\\u{212A}")')).toEqual([true]);
    expect(re('a.b', 'return re:match_string("a\\nb")')).toEqual([false]);
    expect(re('(?s)a.b', 'return re:match_string("a\\nb")')).toEqual([true]);
    expect(re('(?m)^b$', 'return re:find_string("a\\nb\\nc")')).toEqual(['b']);
    expect(re('(?U)a+', 'return re:find_string("aaa")')).toEqual(['a']);
    expect(re('(?i:A)b', 'return re:match_string("ab"), re:match_string("aB")')).toEqual([true, false]);
  });

  test('$ without (?m) matches only at the very end (not before a final newline); \\z likewise', () => {
    expect(re('a$', 'return re:match_string("a\\n"), re:match_string("a")')).toEqual([false, true]);
    expect(re(String.raw`a\z`, 'return re:match_string("a\\n"), re:match_string("a")')).toEqual([false, true]);
    expect(re(String.raw`\Aa`, 'return re:match_string("ba"), re:match_string("ab")')).toEqual([false, true]);
  });

  test('alternation is leftmost-first, not leftmost-longest', () => {
    expect(re('a|ab', 'return re:find_string("ab")')).toEqual(['a']);
    expect(re('(a+?)(a*)', 'return re:find_string_submatch("aaa")')).toEqual([['aaa', 'a', 'aa']]);
  });

  test('. and classes match whole UTF-8 characters; \\w, \\d, \\b are ASCII-only', () => {
    expect(re('^.$', 'return re:match_string("é"), re:match_string("😀")')).toEqual([true, true]);
    expect(re(String.raw`\w+`, 'return re:find_all_string("héllo wörld")')).toEqual([['h', 'llo', 'w', 'rld']]);
    expect(re(String.raw`\d`, 'return re:match_string("٣")')).toEqual([false]);
    expect(re(String.raw`\bé`, 'return re:match_string("é")')).toEqual([false]);
    expect(re('[é-ë]+', 'return re:find_string("cafëé!")')).toEqual(['ëé']);
  });

  test('Unicode classes, POSIX classes and \\Q…\\E quoting', () => {
    expect(re(String.raw`\p{Greek}+`, 'return re:find_string("abc αβγ def")')).toEqual(['αβγ']);
    expect(re(String.raw`\pL+`, 'return re:find_string("123 żółw 4")')).toEqual(['żółw']);
    expect(re('[[:digit:]]+', 'return re:find_string("ab 42 c")')).toEqual(['42']);
    expect(re(String.raw`\Q1.5*2\E`, 'return re:match_string("x1.5*2"), re:match_string("x1552")')).toEqual([true, false]);
  });

  test('invalid UTF-8 bytes in the input match . one byte at a time (as U+FFFD, width 1)', () => {
    const [all, idx] = raw('local re = text.regexp.compile(".") return re:find_all_string("a\\255b\\195"), re:find_all_string_index("a\\255b")');
    expect((all as LuaTable).arr).toEqual(['a', '\xff', 'b', '\xc3']);
    expect(fromLua(idx)).toEqual([[1, 1], [2, 2], [3, 3]]);
    expect(re(String.raw`\x{FFFD}`, 'return re:find_string_index("ab\\255")')).toEqual([[3, 3]]);
  });
});

describe('text.regexp: find family', () => {
  test('match_string', () => {
    expect(re('fo+', 'return re:match_string("a foo"), re:match_string("fxo")')).toEqual([true, false]);
  });

  test('find_string returns the leftmost match, "" for an empty match and nil for none', () => {
    expect(re('a.', 'return re:find_string("paranormal")')).toEqual(['ar']);
    expect(re('x*', 'return re:find_string("abc")')).toEqual(['']);
    expect(re('z', 'return re:find_string("abc")')).toEqual([null]);
  });

  test('find_all_string: all by default or with n < 0, at most n otherwise, {} when nothing matches', () => {
    expect(re('a.', 'return re:find_all_string("paranormal")')).toEqual([['ar', 'an', 'al']]);
    expect(re('a.', 'return re:find_all_string("paranormal", -1)')).toEqual([['ar', 'an', 'al']]);
    expect(re('a.', 'return re:find_all_string("paranormal", 2)')).toEqual([['ar', 'an']]);
    expect(re('a.', 'return re:find_all_string("graal")')).toEqual([['aa']]);
    expect(re('a.', 'local t = re:find_all_string("none") return type(t), #t')).toEqual(['table', 0]);
    expect(re('a.', 'return #re:find_all_string("paranormal", 0)')).toEqual([0]);
  });

  test('empty matches advance one character and never directly follow a match (Go allMatches)', () => {
    expect(re('x*', 'return re:find_all_string_index("aéb")')).toEqual([[[1, 0], [2, 1], [4, 3], [5, 4]]]);
    expect(re('a*', 'return re:find_all_string("baaac")')).toEqual([['', 'aaa', '']]);
  });

  test('find_string_submatch gives {full, groups...} with "" for groups that did not match', () => {
    expect(re('a(x*)b(y|z)c', 'return re:find_string_submatch("-axxxbyc-")')).toEqual([['axxxbyc', 'xxx', 'y']]);
    expect(re('a(x*)b(y|z)c', 'return re:find_string_submatch("-abzc-")')).toEqual([['abzc', '', 'z']]);
    expect(re('(a)|(b)', 'return re:find_string_submatch("b")')).toEqual([['b', '', 'b']]);
    expect(re('(a)', 'return re:find_string_submatch("xyz")')).toEqual([null]);
  });

  test('find_all_string_submatch', () => {
    expect(re('a(x*)b', 'return re:find_all_string_submatch("-ab-axb-")')).toEqual([[['ab', ''], ['axb', 'x']]]);
    expect(re('a(x*)b', 'return re:find_all_string_submatch("-axxb-ab-", 1)')).toEqual([[['axxb', 'xx']]]);
    expect(re('a(x*)b', 'return #re:find_all_string_submatch("-")')).toEqual([0]);
  });

  test('find_string_index is {first byte, last byte}, 1-based, so s:sub(i, j) is the match', () => {
    expect(re('o+', 'local s = "foo bar" local t = re:find_string_index(s) return t, s:sub(t[1], t[2])')).toEqual([[2, 3], 'oo']);
    expect(re('x*', 'return re:find_string_index("abc")')).toEqual([[1, 0]]);
    expect(re('z', 'return re:find_string_index("abc")')).toEqual([null]);
  });

  test('indices are byte offsets on non-ASCII input', () => {
    expect(re('x', 'local s = "héllo x" local t = re:find_string_index(s) return t, #s, s:sub(t[1], t[2])')).toEqual([[8, 8], 8, 'x']);
    expect(re('ö+', 'local s = "aöö b ö" local r = {} for _, t in ipairs(re:find_all_string_index(s)) do r[#r+1] = s:sub(t[1], t[2]) end return re:find_all_string_index(s), r'))
      .toEqual([[[2, 5], [9, 10]], ['öö', 'ö']]);
    expect(re('(é)(x)', 'return re:find_string_submatch("aéx")')).toEqual([['éx', 'é', 'x']]);
  });
});

describe('text.regexp: replace_all_string', () => {
  test('Go template expansion: $1, ${1}, $name, ${name}, $$, and $1W meaning ${1W}', () => {
    expect(re('a(x*)b', 'return re:replace_all_string("-ab-axxb-", "T")')).toEqual(['-T-T-']);
    expect(re('a(x*)b', 'return re:replace_all_string("-ab-axxb-", "$1")')).toEqual(['--xx-']);
    expect(re('a(x*)b', 'return re:replace_all_string("-ab-axxb-", "$1W")')).toEqual(['---']);
    expect(re('a(x*)b', 'return re:replace_all_string("-ab-axxb-", "${1}W")')).toEqual(['-W-xxW-']);
    expect(re(String.raw`(?P<first>\w+)\s(?P<last>\w+)`, 'return re:replace_all_string("Ada Lovelace", "$last, ${first}")')).toEqual(['Lovelace, Ada']);
    expect(re('b', 'return re:replace_all_string("abc", "$$"), re:replace_all_string("abc", "$!"), re:replace_all_string("abc", "${x")')).toEqual(['a$c', 'a$!c', 'a${xc']);
    expect(re('(b)', 'return re:replace_all_string("abc", "[$2$nope$01]")')).toEqual(['a[]c']);
  });

  test('an empty match right after a match is not replaced', () => {
    expect(re('a*', 'return re:replace_all_string("baaac", "X")')).toEqual(['XbXcX']);
    expect(re('', 'return re:replace_all_string("hé", "-")')).toEqual(['-h-é-']);
  });

  test('bytes outside the matches are copied unchanged, invalid UTF-8 included', () => {
    const [out] = raw('local re = text.regexp.compile("b") return re:replace_all_string("\\255ab\\254", "é")');
    expect(out).toBe('\xffa\xc3\xa9\xfe');
  });
});

describe('text.regexp: split (Go Regexp.Split)', () => {
  test('n < 0 all pieces, n = 0 none, n > 0 at most n with the rest unsplit', () => {
    expect(re('a', 'return re:split("banana", -1), re:split("banana", 0), re:split("banana", 1), re:split("banana", 2)'))
      .toEqual([['b', 'n', 'n', ''], {}, ['banana'], ['b', 'nana']]);
    expect(re('z+', 'return re:split("pizza", -1), re:split("pizza", 2)')).toEqual([['pi', 'a'], ['pi', 'a']]);
    expect(re('a*', 'return re:split("abaabaccadaaae", 5)')).toEqual([['', 'b', 'b', 'c', 'cadaaae']]);
  });

  test('n defaults to -1; an empty input gives {""}; an empty pattern splits into characters', () => {
    expect(re(',', 'return re:split("a,b,c")')).toEqual([['a', 'b', 'c']]);
    expect(re(',', 'return re:split("", -1)')).toEqual([['']]);
    expect(re('', 'return re:split("aé€", -1)')).toEqual([['a', 'é', '€']]);
  });
});

describe('text.diff', () => {
  const diff = (body: string) => run(`local d = assert(text.diff.new())\n${body}`);

  test('compare returns {operation, text} records, cleaned up to word-level edits', () => {
    expect(diff('return d:compare("The quick brown fox", "The quick red fox jumps")')).toEqual([[
      { operation: 'equal', text: 'The quick ' },
      { operation: 'delete', text: 'brown fox' },
      { operation: 'insert', text: 'red fox jumps' },
    ]]);
    expect(diff('return d:compare("abc", "abc"), #d:compare("", "")')).toEqual([[{ operation: 'equal', text: 'abc' }], 0]);
  });

  test('compare works per character: astral characters are never split into surrogate halves', () => {
    expect(diff('return d:compare("😀 ok", "😁 ok")')).toEqual([[
      { operation: 'delete', text: '😀' },
      { operation: 'insert', text: '😁' },
      { operation: 'equal', text: ' ok' },
    ]]);
    expect(diff('return d:compare("née", "nue")')).toEqual([[
      { operation: 'equal', text: 'n' },
      { operation: 'delete', text: 'é' },
      { operation: 'insert', text: 'u' },
      { operation: 'equal', text: 'e' },
    ]]);
  });

  test('bytes that are not UTF-8 come back unchanged (one character each)', () => {
    const [diffs, summary] = raw('local d = text.diff.new() local t = d:compare("ab\\255c", "ab\\254c") return t, d:summarize(t)');
    expect((diffs as LuaTable).arr.map((x) => (x as LuaTable).getStr('text'))).toEqual(['ab', '\xff', '\xfe', 'c']);
    expect(fromLua(summary)).toEqual({ equals: 3, insertions: 1, deletions: 1 });
    const [out] = raw('local d = text.diff.new() return (d:patch_apply(d:patch_make("x\\255y", "x\\255\\254y"), "x\\255y"))');
    expect(out).toBe('x\xff\xfey');
  });

  test('summarize counts characters, not bytes', () => {
    expect(diff('return d:summarize(d:compare("héllo wörld", "héllo wörld!!"))')).toEqual([{ equals: 11, insertions: 2, deletions: 0 }]);
    expect(diff('return d:summarize({{operation = "delete", text = "😀é"}, {operation = "equal", text = "ab"}})')).toEqual([{ equals: 2, insertions: 0, deletions: 2 }]);
  });

  test('pretty_text colours insertions green and deletions red with ANSI escapes (go-diff DiffPrettyText)', () => {
    expect(diff('return d:pretty_text(d:compare("cat", "cut"))')).toEqual(['c\x1b[31ma\x1b[0m\x1b[32mu\x1b[0mt']);
  });

  test('pretty_html escapes like Go html.EscapeString and shows newlines as ¶ (go-diff DiffPrettyHtml)', () => {
    expect(diff([
      'return d:pretty_html({{operation = "equal", text = "a<b> & \\"q\\" \'s\'\\n"},',
      '  {operation = "delete", text = "x"}, {operation = "insert", text = "y"}})',
    ].join('\n'))).toEqual([
      '<span>a&lt;b&gt; &amp; &#34;q&#34; &#39;s&#39;&para;<br></span><del style="background:#ffe6e6;">x</del><ins style="background:#e6ffe6;">y</ins>',
    ]);
  });

  test('a malformed diff list gives nil and an INVALID error', () => {
    expect(diff('local r, err = d:summarize({{operation = "replace", text = "x"}}) return r, err:kind(), err:message()'))
      .toEqual([null, 'Invalid', 'invalid diff at index 1: expected {operation = "equal"|"insert"|"delete", text = string}']);
    expect(diff('local r, err = d:pretty_text({{operation = "equal"}}) return r, err:kind()')).toEqual([null, 'Invalid']);
  });

  test('patch_make gives GNU-diff-style patch text with %xx escapes', () => {
    expect(diff('return d:patch_make("hello world", "hello brave new world")')).toEqual(['@@ -1,11 +1,21 @@\n hello \n+brave new \n world\n']);
    expect(diff('return d:patch_make("a\\nb", "a\\nbé%")')).toEqual(['@@ -1,3 +1,5 @@\n a%0Ab\n+%C3%A9%25\n']);
  });

  test('patch round trip: applying patch_make(a, b) to a gives b, one true per patch', () => {
    const a = 'The quick brown fox jumps over the lazy dog.\\nLorem ipsum dolor sit amet, ünïcödé 😀 text.\\nEnd of file.';
    const b = 'The quick red fox leaps over the lazy dog!\\nLorem ipsum dolor sit amet, ünïcödé 😁 text.\\nEnd of the file.';
    const [out, results, expected] = diff(`local a, b = "${a}", "${b}" local p = d:patch_make(a, b) local out, ok = d:patch_apply(p, a) return out, ok, b`);
    expect(out).toBe(expected);
    expect(Array.isArray(results) && results.length > 0 && results.every((x) => x === true)).toBe(true);
  });

  test('patch_apply is fuzzy: patches still apply to a text that moved, and report the ones that do not', () => {
    expect(diff('local p = d:patch_make("The cat sat on the mat.", "The dog sat on the mat.") return d:patch_apply(p, "Intro line. The cat sat on the mat.")'))
      .toEqual(['Intro line. The dog sat on the mat.', [true]]);
    expect(diff('local p = d:patch_make("The cat sat on the mat.", "The dog sat on the mat.") return d:patch_apply(p, "Something else entirely, no felines here")'))
      .toEqual(['Something else entirely, no felines here', [false]]);
    expect(diff('return d:patch_apply("", "same")')).toEqual(['same', {}]);
  });

  test('malformed patch text gives nil and an INVALID error', () => {
    expect(diff('local r, err = d:patch_apply("not a patch", "x") return r, err:kind(), err:message()'))
      .toEqual([null, 'Invalid', 'Invalid patch string: not a patch']);
    expect(diff('local r, err = d:patch_apply("@@ -1 +1 @@\\n-%zz\\n", "x") return r, err:kind()')).toEqual([null, 'Invalid']);
  });

  test('options use snake_case names; a wrong type gives nil and an INVALID error', () => {
    expect(run('local d, err = text.diff.new({diff_timeout = "1s"}) return d, err:kind(), err:message()'))
      .toEqual([null, 'Invalid', 'diff_timeout must be a number']);
    expect(run('local d, err = text.diff.new({match_max_bits = 64}) return d, err:kind()')).toEqual([null, 'Invalid']);
    // The default threshold (0.5) accepts a near match of the patch context; 0 accepts only an exact one.
    const apply = (opts: string) => run([
      `local d = text.diff.new(${opts})`,
      'local p = d:patch_make("The cat sat on the mat.", "The dog sat on the mat.")',
      'return d:patch_apply(p, "The cat sits on the mat.")',
    ].join('\n'));
    expect(apply('')).toEqual(['The dog sits on the mat.', [true]]);
    expect(apply('{match_threshold = 0}')).toEqual(['The cat sits on the mat.', [false]]);
  });
});

describe('text.splitter.recursive', () => {
  const split = (opts: string, s: string) => run(`local sp = assert(text.splitter.recursive(${opts})) return sp:split_text(${s})`)[0] as string[];

  test('text shorter than chunk_size (default 4000) is one chunk, trimmed', () => {
    expect(split('', '"  hello world \\n"')).toEqual(['hello world']);
    expect(split('', 'string.rep("a", 3999)')).toEqual(['a'.repeat(3999)]);
  });

  test('words are packed greedily up to chunk_size with chunk_overlap characters carried over (langchaingo mergeSplits)', () => {
    expect(split('{chunk_size = 10, chunk_overlap = 3}', '"one two three four five six seven eight nine ten"'))
      .toEqual(['one two', 'two three', 'four five', 'six seven', 'eight nine', 'ten']);
    expect(split('{chunk_size = 10, chunk_overlap = 0}', '"one two three four five six seven eight nine ten"'))
      .toEqual(['one two', 'three four', 'five six', 'seven', 'eight nine', 'ten']);
  });

  test('paragraphs are tried before lines, lines before words, words before characters', () => {
    expect(split('{chunk_size = 12, chunk_overlap = 0}', '"para one\\n\\npara two is long\\nline"'))
      .toEqual(['para one', 'para two is', 'long', 'line']);
    expect(split('{chunk_size = 4, chunk_overlap = 1}', '"abcdefghij"')).toEqual(['abcd', 'defg', 'ghij']);
  });

  test('no chunk is longer than chunk_size, and consecutive chunks overlap', () => {
    const words = Array.from({ length: 200 }, (_, i) => `w${i}`).join(' ');
    const chunks = split('{chunk_size = 50, chunk_overlap = 10}', `"${words}"`);
    expect(chunks.length).toBeGreaterThan(5);
    for (const c of chunks) expect(c.length).toBeLessThanOrEqual(50);
    for (let i = 1; i < chunks.length; i++) {
      // The longest start of a chunk that ends the previous one: the carried-over words.
      let k = chunks[i].length;
      while (k > 0 && !chunks[i - 1].endsWith(chunks[i].slice(0, k))) k--;
      expect(k).toBeGreaterThan(0);
      expect(k).toBeLessThanOrEqual(10);
    }
    expect(chunks.join(' ').split(' ').filter((w, i, a) => a.indexOf(w) === i).join(' ')).toBe(words);
  });

  test('sizes count characters, not bytes', () => {
    expect(split('{chunk_size = 3, chunk_overlap = 0, separators = {""}}', '"ééééééé"')).toEqual(['ééé', 'ééé', 'é']);
    expect(split('{chunk_size = 5, chunk_overlap = 0}', '"żółw żółw"')).toEqual(['żółw', 'żółw']);
  });

  test('bytes that are not UTF-8 are kept and count as one character each', () => {
    const [chunks] = raw('return text.splitter.recursive({chunk_size = 2, chunk_overlap = 0, separators = {""}}):split_text("\\255\\254é")');
    expect((chunks as LuaTable).arr).toEqual(['\xff\xfe', '\xc3\xa9']);
  });

  test('custom separators and keep_separator', () => {
    expect(split('{chunk_size = 5, chunk_overlap = 0, separators = {";"}}', '"ab;cd;efgh;ij"')).toEqual(['ab;cd', 'efgh', 'ij']);
    expect(split('{chunk_size = 5, chunk_overlap = 0, separators = {";"}, keep_separator = true}', '"ab;cd;efgh;ij"')).toEqual(['ab;cd', ';efgh', ';ij']);
  });

  test('invalid options give nil and an INVALID error', () => {
    const err = (opts: string) => run(`local s, err = text.splitter.recursive(${opts}) return s, err:kind(), err:message()`);
    expect(err('{chunk_size = 0}')).toEqual([null, 'Invalid', 'chunk_size must be positive']);
    expect(err('{chunk_size = 10, chunk_overlap = 20}')).toEqual([null, 'Invalid', 'chunk_overlap (20) must not be larger than chunk_size (10)']);
    expect(err('{separators = {}}')).toEqual([null, 'Invalid', 'separators must not be empty']);
    expect(err('{keep_separator = "yes"}')).toEqual([null, 'Invalid', 'keep_separator must be a boolean']);
    expect(err('{chunk_size = 1.5}')).toEqual([null, 'Invalid', 'chunk_size must be an integer']);
  });
});

describe('text.splitter.markdown', () => {
  const md = (opts: string, doc: string[]) =>
    run(`local sp = assert(text.splitter.markdown(${opts})) return sp:split_text(${JSON.stringify(doc.join('\n'))})`)[0];

  const doc = [
    'Intro text.',
    '',
    '# Guide',
    '',
    'First paragraph.',
    '',
    '## Install',
    '',
    'Run the installer.',
    '',
    '```sh',
    'wippy install',
    '```',
    '',
    '## Use',
    '### Details',
    'Some details.',
  ];

  test('chunks follow sections and start with their heading; code blocks are left out by default (langchaingo)', () => {
    expect(md('', doc)).toEqual([
      'Intro text.',
      '# Guide\nFirst paragraph.',
      '## Install\nRun the installer.',
      '## Use',
      '### Details\nSome details.',
    ]);
  });

  test('code_blocks keeps fenced code; heading_hierarchy prefixes the heading path', () => {
    expect(md('{code_blocks = true, heading_hierarchy = true}', doc)).toEqual([
      'Intro text.',
      '# Guide\nFirst paragraph.',
      '# Guide\n## Install\nRun the installer.\n\n```sh\nwippy install\n```',
      '# Guide\n## Use',
      '# Guide\n## Use\n### Details\nSome details.',
    ]);
  });

  test('a heading inside a code block is code, and setext headings count', () => {
    expect(md('{code_blocks = true}', ['Title', '=====', '```', '# not a heading', '```', 'Sub', '---', 'text'])).toEqual([
      '# Title\n```\n# not a heading\n```',
      '## Sub\ntext',
    ]);
  });

  test('a long section is split into chunks within chunk_size, each repeating the heading', () => {
    const words = Array.from({ length: 60 }, (_, i) => `word${i}`).join(' ');
    const chunks = md('{chunk_size = 60, chunk_overlap = 0}', ['## Long', words]) as string[];
    expect(chunks.length).toBeGreaterThan(3);
    for (const c of chunks) {
      expect(c.startsWith('## Long\n')).toBe(true);
      expect(c.length).toBeLessThanOrEqual(60);
    }
    expect(chunks.map((c) => c.slice('## Long\n'.length)).join(' ')).toBe(words);
  });

  test('small blocks of one section are packed together up to chunk_size', () => {
    expect(md('{chunk_size = 30, chunk_overlap = 0}', ['# H', 'aaaa', '', 'bbbb', '', 'cccccccccccccccccccc'])).toEqual([
      '# H\naaaa\n\nbbbb',
      '# H\ncccccccccccccccccccc',
    ]);
  });
});
