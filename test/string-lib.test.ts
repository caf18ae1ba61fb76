// The Lua `string` library, function by function. Every expected value was produced by running the same
// call in PUC Lua 5.3.6 (Debian's lua5.3); the few places where lunac deliberately differs (Wippy
// behaviour) are separate tests that say so.

import { describe, expect, it } from 'vitest';
import { createStringLib, installStringMetatable } from '../runtime/lua/lib/string.js';
import { LuaTable } from '../runtime/lua/table.js';
import { LuaError } from '../runtime/lua/error.js';
import { RV, mv } from '../runtime/lua/ret.js';
import { metamethod, shared } from '../runtime/lua/meta.js';
import { call } from '../runtime/lua/call.js';
import { rawToString } from '../runtime/lua/value.js';

/** tostring with __tostring, as the base library provides it. */
function tostring(v: unknown): string {
  const mm = metamethod(v, '__tostring');
  if (mm !== undefined) {
    const s = call(mm, v);
    if (typeof s !== 'string') throw new LuaError("'__tostring' must return a string");
    return s;
  }
  return rawToString(v);
}

const lib = createStringLib(tostring);
type Fn = (...args: unknown[]) => unknown;
const fn = (name: string) => lib.get(name) as Fn;

/** All results of string.<name>(...args), read through the return convention (RV.n / RV.v). */
function results(name: string, ...args: unknown[]): unknown[] {
  RV.n = -1; // a builtin that forgets to set the result count is caught by the length check below
  const first = fn(name)(...args);
  expect(RV.n).toBeGreaterThanOrEqual(0);
  return mv(first).slice();
}

/** The Lua error value raised by string.<name>(...args). */
function errorOf(name: string, ...args: unknown[]): unknown {
  try {
    fn(name)(...args);
  } catch (e) {
    if (e instanceof LuaError) return e.value;
    throw e;
  }
  throw new Error(`string.${name} raised no error`);
}

type Expected = unknown[] | { err: string };

/** Check one call against the results (or error message) PUC Lua gave. */
function check(name: string, args: unknown[], want: Expected): void {
  if (Array.isArray(want)) expect(results(name, ...args), `${name}(${fmtArgs(args)})`).toEqual(want);
  else expect(errorOf(name, ...args), `${name}(${fmtArgs(args)})`).toBe(want.err);
}

function fmtArgs(args: unknown[]): string {
  return args.map((a) => (typeof a === 'string' ? JSON.stringify(a) : String(a))).join(', ');
}

function table(entries: [unknown, unknown][]): LuaTable {
  const t = new LuaTable();
  for (const [k, v] of entries) t.set(k, v);
  return t;
}

const bytes = (s: string) => Array.from(s, (c) => c.charCodeAt(0));
const fromBytes = (b: number[]) => String.fromCharCode(...b);

// ---------------------------------------------------------------------------------------------------

describe('string.format', () => {
  const run = (cases: [string, unknown, Expected][]) => {
    for (const [f, v, want] of cases) check('format', [f, v], want);
  };

  it('formats integers with %d %i %u %o %x %X %c, flags, width and precision like C', () => {
    run([
      ["%d", 42, ["42"]],
      ["%i", -7, ["-7"]],
      ["%5d", 42, ["   42"]],
      ["%-5d|", 42, ["42   |"]],
      ["%05d", -42, ["-0042"]],
      ["%+d", 5, ["+5"]],
      ["% d", 5, [" 5"]],
      ["%.3d", 7, ["007"]],
      ["%8.3d", -7, ["    -007"]],
      ["%.0d", 0, [""]],
      ["%+.0d", 0, ["+"]],
      ["%08.3d", 5, ["     005"]],
      ["%d", 9007199254740992, ["9007199254740992"]],
      ["%d", -9223372036854775808, ["-9223372036854775808"]],
      ["%d", 9223372036854774784, ["9223372036854774784"]],
      ["%u", -1, ["18446744073709551615"]],
      ["%o", 8, ["10"]],
      ["%#o", 8, ["010"]],
      ["%#o", 0, ["0"]],
      ["%#.0o", 0, ["0"]],
      ["%x", 255, ["ff"]],
      ["%X", 255, ["FF"]],
      ["%#x", 255, ["0xff"]],
      ["%#X", 255, ["0XFF"]],
      ["%#x", 0, ["0"]],
      ["%x", -1, ["ffffffffffffffff"]],
      ["%X", -256, ["FFFFFFFFFFFFFF00"]],
      ["%#08x", 255, ["0x0000ff"]],
      ["%-#8x|", 255, ["0xff    |"]],
      ["%x", 1.152921504606847e+18, ["1000000000000000"]],
      ["%o", -1, ["1777777777777777777777"]],
      ["%c", 65, ["A"]],
      ["%3c|", 65, ["  A|"]],
      ["%-3c|", 66, ["B  |"]],
      ["%05c", 67, ["    C"]],
      ["%c", 321, ["A"]],
      ["%c", 0, ["\x00"]],
      ["%d", "10", ["10"]],
    ]);
  });

  it('formats %f with correct rounding (ties to even), flags and huge values', () => {
    run([
      ["%f", 3.14159, ["3.141590"]],
      ["%.2f", 3.14159, ["3.14"]],
      ["%5.2f", 3.14159, [" 3.14"]],
      ["%10.4f", -2.5, ["   -2.5000"]],
      ["%-10.1f|", 2.25, ["2.2       |"]],
      ["%+.1f", 2.25, ["+2.2"]],
      ["%010.3f", -3.5, ["-00003.500"]],
      ["%#.0f", 3, ["3."]],
      ["%.0f", 0.5, ["0"]],
      ["%.0f", 1.5, ["2"]],
      ["%.0f", 2.5, ["2"]],
      ["%.2f", 0.125, ["0.12"]],
      ["%.2f", 0.375, ["0.38"]],
      ["%.2f", 1.005, ["1.00"]],
      ["%.1f", 0.05, ["0.1"]],
      ["%f", -0, ["-0.000000"]],
      ["%.20f", 0.1, ["0.10000000000000000555"]],
      ["%f", 1e+21, ["1000000000000000000000.000000"]],
      ["%.99f", 0.3333333333333333, ["0.333333333333333314829616256247390992939472198486328125000000000000000000000000000000000000000000000"]],
      ["%f", "1.5", ["1.500000"]],
    ]);
  });

  it('formats %e %E with two-digit exponents and ties to even', () => {
    run([
      ["%e", 0, ["0.000000e+00"]],
      ["%e", 12345.6789, ["1.234568e+04"]],
      ["%.2e", 1.125, ["1.12e+00"]],
      ["%.0e", 2.5, ["2e+00"]],
      ["%.0e", 9.5, ["1e+01"]],
      ["%.0e", 95, ["1e+02"]],
      ["%E", 1e-10, ["1.000000E-10"]],
      ["%#.0e", 3, ["3.e+00"]],
      ["%+12.3e", 1234.5, ["  +1.234e+03"]],
      ["%.3e", 5e-324, ["4.941e-324"]],
      ["%e", 1.7976931348623157e+308, ["1.797693e+308"]],
    ]);
  });

  it('formats %g %G: significant digits, exponent switch, trailing zeros and the # flag', () => {
    run([
      ["%g", 1e+20, ["1e+20"]],
      ["%g", 0.0001, ["0.0001"]],
      ["%g", 1e-05, ["1e-05"]],
      ["%g", 123456, ["123456"]],
      ["%g", 1234567, ["1.23457e+06"]],
      ["%g", 100, ["100"]],
      ["%g", 0.1, ["0.1"]],
      ["%g", 9.223372036854776e+18, ["9.22337e+18"]],
      ["%g", 1e+100, ["1e+100"]],
      ["%g", -0, ["-0"]],
      ["%G", 1e-10, ["1E-10"]],
      ["%.3g", 2.675, ["2.67"]],
      ["%.0g", 15, ["2e+01"]],
      ["%.1g", 0.05, ["0.05"]],
      ["%.2g", 99.5, ["1e+02"]],
      ["%.14g", 0.1, ["0.1"]],
      ["%.17g", 0.1, ["0.10000000000000001"]],
      ["%#g", 1.5, ["1.50000"]],
      ["%#g", 100000, ["100000."]],
      ["%#.3g", 999.5, ["1.e+03"]],
      ["%#.2g", 9.96, ["10."]],
      ["%-10g|", 1.5, ["1.5       |"]],
      ["%010g", -1.5, ["-0000001.5"]],
      ["%5.2g", 1e+20, ["1e+20"]],
    ]);
  });

  it('formats %a %A as glibc hex floats, rounding with a precision', () => {
    run([
      ["%a", 1, ["0x1p+0"]],
      ["%a", 0.1, ["0x1.999999999999ap-4"]],
      ["%a", 0, ["0x0p+0"]],
      ["%a", 5e-324, ["0x0.0000000000001p-1022"]],
      ["%a", -3, ["-0x1.8p+1"]],
      ["%A", 3, ["0X1.8P+1"]],
      ["%.1a", 1.97, ["0x2.0p+0"]],
      ["%.0a", 1.5, ["0x2p+0"]],
      ["%.0a", 2.5, ["0x1p+1"]],
      ["%.1a", 1.15625, ["0x1.2p+0"]],
      ["%.3a", 1.0009765625, ["0x1.004p+0"]],
      ["%.15a", 1, ["0x1.000000000000000p+0"]],
      ["%#a", 1, ["0x1.p+0"]],
      ["%+a", 1, ["+0x1p+0"]],
      ["%12a", 1, ["      0x1p+0"]],
      ["%-12a|", 1, ["0x1p+0      |"]],
      ["%012a", 1, ["0x0000001p+0"]],
    ]);
  });

  it('formats infinities as inf/INF without zero padding', () => {
    run([
      ["%f", Infinity, ["inf"]],
      ["%e", -Infinity, ["-inf"]],
      ["%E", Infinity, ["INF"]],
      ["%G", -Infinity, ["-INF"]],
      ["%5.1f", Infinity, ["  inf"]],
      ["%-8g|", Infinity, ["inf     |"]],
      ["%08.3f", -Infinity, ["    -inf"]],
      ["%+f", Infinity, ["+inf"]],
      ["% e", Infinity, [" inf"]],
      ["%010a", Infinity, ["       inf"]],
    ]);
  });

  it('formats NaN as nan or -nan after its sign bit', () => {
    const f64 = new Float64Array(1);
    const u32 = new Uint32Array(f64.buffer);
    u32[1] = 0x7ff80000;
    const nan = f64[0];
    u32[1] = 0xfff80000;
    const negNan = f64[0];
    expect(results('format', '%f|%5.1e|%G', nan, nan, nan)).toEqual(['nan|  nan|NAN']);
    expect(results('format', '%f|%g', negNan, negNan)).toEqual(['-nan|-nan']);
  });

  it('formats %s with width and precision, and keeps strings of 100+ bytes whole without precision', () => {
    run([
      ["%s", "hi", ["hi"]],
      ["%5s", "hi", ["   hi"]],
      ["%-5s|", "hi", ["hi   |"]],
      ["%.2s", "hello", ["he"]],
      ["%5.1s", "hello", ["    h"]],
      ["%.0s", "hello", [""]],
      ["%05s", "ab", ["   ab"]],
      ["%s", 12, ["12"]],
      ["%s", 1.5, ["1.5"]],
      ["%s", true, ["true"]],
      ["%s", undefined, ["nil"]],
      ["%s", "a\x00b", ["a\x00b"]],
      ["%.3s", "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", ["xxx"]],
    ]);
    expect(results('format', '%5s', 'x'.repeat(150))).toEqual(['x'.repeat(150)]);
    expect(results('format', '%-5s|', 'x'.repeat(99))).toEqual(['x'.repeat(99) + '|']);
  });

  it('formats %s through tostring, including the __tostring metamethod', () => {
    const t = new LuaTable();
    t.mt = table([['__tostring', () => 'custom!']]);
    expect(results('format', '[%s|%10s]', t, t)).toEqual(['[custom!|   custom!]']);
    expect(results('format', '%s', new LuaTable())[0]).toMatch(/^table: 0x[0-9a-f]+$/);
  });

  it('formats %q as a Lua literal: escapes, \\ddd for control chars, integers, hex floats', () => {
    run([
      ["%q", "a\x0d\n\x00b\x001\x01\x7f\x80\"\\\x099", ["\"a\\13\\\n\\0b\\0001\\1\\127\x80\\\"\\\\\\0099\""]],
      ["%q", "", ["\"\""]],
      ["%q", 42, ["42"]],
      ["%q", -5, ["-5"]],
      ["%q", 1.5, ["0x1.8p+0"]],
      ["%q", -0.1, ["-0x1.999999999999ap-4"]],
      ["%q", 9.223372036854776e+18, ["0x1p+63"]],
      ["%q", -9223372036854775808, ["0x8000000000000000"]],
      ["%q", true, ["true"]],
      ["%q", false, ["false"]],
      ["%q", undefined, ["nil"]],
      ["%10q", "x", ["\"x\""]],
    ]);
    // %.99f reaches beyond the 17 significant digits of a double: the exact binary value is printed
    expect(results('format', '%.99f', 1 / 3)).toEqual(['0.' + '3'.repeat(16) + '14829616256247390992939472198486328125' + '0'.repeat(45)]);
  });

  it('writes non-finite floats in %q as 1e9999, -1e9999 and (0/0) (readable back, unlike 5.3)', () => {
    expect(results('format', '%q %q %q', Infinity, -Infinity, NaN)).toEqual(['1e9999 -1e9999 (0/0)']);
  });

  it('handles literal text, %% and several items in one format', () => {
    expect(results('format', '%%|%5.2f|%s|%d%%', 3.14159, 'x', 5)).toEqual(['%| 3.14|x|5%']);
    expect(results('format', 'abc')).toEqual(['abc']);
    expect(results('format', 12)).toEqual(['12']);
    expect(results('format', '%c%c%c', 76, 117, 97)).toEqual(['Lua']);
  });

  it('raises PUC messages for bad arguments and bad conversions', () => {
    run([
      ["%5s", "a\x00b", { err: "bad argument #2 to 'format' (string contains zeros)" }],
      ["%d", undefined, { err: "bad argument #2 to 'format' (number expected, got nil)" }],
      ["%d", "x", { err: "bad argument #2 to 'format' (number expected, got string)" }],
      ["%d", 9.223372036854776e+18, { err: "bad argument #2 to 'format' (number has no integer representation)" }],
      ["%d", Infinity, { err: "bad argument #2 to 'format' (number has no integer representation)" }],
      ["%y", 1, { err: "invalid option '%y' to 'format'" }],
      ["%", 1, { err: "invalid option '%<\\0>' to 'format'" }],
      ["%5", 1, { err: "invalid option '%<\\0>' to 'format'" }],
      ["%------d", 1, { err: "invalid format (repeated flags)" }],
      ["%1.2.3f", 1, { err: "invalid option '%.' to 'format'" }],
      ["%5%", 1, { err: "invalid option '%%' to 'format'" }],
      ["%ld", 1, { err: "invalid option '%l' to 'format'" }],
    ]);
    check('format', ['%d'], { err: "bad argument #2 to 'format' (no value)" });
    check('format', ['%s %s', 1], { err: "bad argument #3 to 'format' (no value)" });
    check('format', [], { err: "bad argument #1 to 'format' (string expected, got no value)" });
    check('format', ['%q', new LuaTable()], { err: "bad argument #2 to 'format' (value has no literal form)" });
  });

  it('truncates floats with a fraction toward zero for %d %x %c (Wippy), instead of raising', () => {
    expect(results('format', '%d %d %x %c %5.1d', 3.7, -3.7, 65.9, 65.9, -3.7)).toEqual(['3 -3 41 A    -3']);
  });

  it('reports a width or precision over two digits as an invalid conversion (5.4 message)', () => {
    check('format', ['%10.123f', 1], { err: "invalid conversion '%10.123f' to 'format'" });
    check('format', ['%123d', 1], { err: "invalid conversion '%123d' to 'format'" });
  });
});

// ---------------------------------------------------------------------------------------------------

type Case = [string, unknown[], Expected];
const runCases = (cases: Case[]) => {
  for (const [name, args, want] of cases) check(name, args, want);
};

describe('string.find', () => {
  it('finds plain text and patterns with init (negative, beyond the end) and the plain flag', () => {
    runCases([
      ["find", ["hello world", "o"], [5, 5]],
      ["find", ["hello world", "o", 6], [8, 8]],
      ["find", ["hello world", "l", -3], [10, 10]],
      ["find", ["hello", "l", 10], [undefined]],
      ["find", ["hello", "", 6], [6, 5]],
      ["find", ["hello", "", 7], [undefined]],
      ["find", ["hello", "", -100], [1, 0]],
      ["find", ["a.b", ".", 1, true], [2, 2]],
      ["find", ["a+b", "+", 1, 1], [2, 2]],
      ["find", ["a+b", "a+"], [1, 1]],
      ["find", ["a(b", "(", 1, true], [2, 2]],
      ["find", [12345, 34], [3, 4]],
      ["find", ["hello", "xyz"], [undefined]],
      ["find", ["THE (quick) fox", "%((%a+)%)"], [5, 11, "quick"]],
      ["find", ["key = value", "(%w+)%s*=%s*(%w+)"], [1, 11, "key", "value"]],
      ["find", ["hello", "()ll()"], [3, 4, 3, 5]],
    ]);
  });

  it('returns one nil when init is past length + 1 and the empty match at length + 1', () => {
    expect(results('find', 'hello', '', 6)).toEqual([6, 5]);
    expect(results('find', 'hello', '', 7)).toEqual([undefined]);
  });
});

describe('patterns', () => {
  it('character classes %a %c %d %g %l %p %s %u %w %x %z and complements are ASCII/C-locale only', () => {
    runCases([
      ["gsub", ["aZ09 \x09\n!_~\x00\x7f\xc8\xff", "%a", "*"], ["**09 \x09\n!_~\x00\x7f\xc8\xff", 2]],
      ["gsub", ["aZ09 \x09\n!_~\x00\x7f\xc8\xff", "%A", "*"], ["aZ************", 12]],
      ["gsub", ["aZ09 \x09\n!_~\x00\x7f\xc8\xff", "%c", "*"], ["aZ09 **!_~**\xc8\xff", 4]],
      ["gsub", ["aZ09 \x09\n!_~\x00\x7f\xc8\xff", "%C", "*"], ["*****\x09\n***\x00\x7f**", 10]],
      ["gsub", ["aZ09 \x09\n!_~\x00\x7f\xc8\xff", "%d", "*"], ["aZ** \x09\n!_~\x00\x7f\xc8\xff", 2]],
      ["gsub", ["aZ09 \x09\n!_~\x00\x7f\xc8\xff", "%D", "*"], ["**09**********", 12]],
      ["gsub", ["aZ09 \x09\n!_~\x00\x7f\xc8\xff", "%g", "*"], ["**** \x09\n***\x00\x7f\xc8\xff", 7]],
      ["gsub", ["aZ09 \x09\n!_~\x00\x7f\xc8\xff", "%G", "*"], ["aZ09***!_~****", 7]],
      ["gsub", ["aZ09 \x09\n!_~\x00\x7f\xc8\xff", "%l", "*"], ["*Z09 \x09\n!_~\x00\x7f\xc8\xff", 1]],
      ["gsub", ["aZ09 \x09\n!_~\x00\x7f\xc8\xff", "%L", "*"], ["a*************", 13]],
      ["gsub", ["aZ09 \x09\n!_~\x00\x7f\xc8\xff", "%p", "*"], ["aZ09 \x09\n***\x00\x7f\xc8\xff", 3]],
      ["gsub", ["aZ09 \x09\n!_~\x00\x7f\xc8\xff", "%P", "*"], ["*******!_~****", 11]],
      ["gsub", ["aZ09 \x09\n!_~\x00\x7f\xc8\xff", "%s", "*"], ["aZ09***!_~\x00\x7f\xc8\xff", 3]],
      ["gsub", ["aZ09 \x09\n!_~\x00\x7f\xc8\xff", "%S", "*"], ["**** \x09\n*******", 11]],
      ["gsub", ["aZ09 \x09\n!_~\x00\x7f\xc8\xff", "%u", "*"], ["a*09 \x09\n!_~\x00\x7f\xc8\xff", 1]],
      ["gsub", ["aZ09 \x09\n!_~\x00\x7f\xc8\xff", "%U", "*"], ["*Z************", 13]],
      ["gsub", ["aZ09 \x09\n!_~\x00\x7f\xc8\xff", "%w", "*"], ["**** \x09\n!_~\x00\x7f\xc8\xff", 4]],
      ["gsub", ["aZ09 \x09\n!_~\x00\x7f\xc8\xff", "%W", "*"], ["aZ09**********", 10]],
      ["gsub", ["aZ09 \x09\n!_~\x00\x7f\xc8\xff", "%x", "*"], ["*Z** \x09\n!_~\x00\x7f\xc8\xff", 3]],
      ["gsub", ["aZ09 \x09\n!_~\x00\x7f\xc8\xff", "%X", "*"], ["a*09**********", 11]],
      ["gsub", ["aZ09 \x09\n!_~\x00\x7f\xc8\xff", "%z", "*"], ["aZ09 \x09\n!_~*\x7f\xc8\xff", 1]],
      ["gsub", ["aZ09 \x09\n!_~\x00\x7f\xc8\xff", ".", "*"], ["**************", 14]],
      ["gsub", ["aZ09 \x09\n!_~\x00\x7f\xc8\xff", "%%", "*"], ["aZ09 \x09\n!_~\x00\x7f\xc8\xff", 0]],
      ["gsub", ["aZ09 \x09\n!_~\x00\x7f\xc8\xff", "%.", "*"], ["aZ09 \x09\n!_~\x00\x7f\xc8\xff", 0]],
      ["gsub", ["a%b.c", "%%", "#"], ["a#b.c", 1]],
      ["gsub", ["a.b-c+d", "[%.%-%+]", "_"], ["a_b_c_d", 3]],
    ]);
  });

  it('sets with ranges, negation, classes, a leading ] and a literal -', () => {
    runCases([
      ["match", ["hello world", "[aeiou]+"], ["e"]],
      ["match", ["hello world", "[^aeiou ]+$"], ["rld"]],
      ["match", ["x=abcdef9", "[a-d]+"], ["abcd"]],
      ["match", ["foo_bar9 baz", "[%a_][%w_]*"], ["foo_bar9"]],
      ["match", ["a]b", "[]]"], ["]"]],
      ["match", ["a]b", "[^]]+"], ["a"]],
      ["match", ["a-b", "[b-]"], ["-"]],
      ["match", ["-x", "[-x]+"], ["-x"]],
      ["match", ["c-e", "[a-c-e]+"], ["c-e"]],
      ["match", ["\xc8\xc9\xffx", "[\x80-\xff]+"], ["\xc8\xc9\xff"]],
      ["match", ["a^b", "[b^]+"], ["^b"]],
    ]);
  });

  it('quantifiers * + ? and the lazy -', () => {
    runCases([
      ["match", ["hello", "l*"], [""]],
      ["match", ["hello", "hel*"], ["hell"]],
      ["match", ["hello", "l+"], ["ll"]],
      ["match", ["hello", "hel-"], ["he"]],
      ["match", ["hello", "hel-o"], ["hello"]],
      ["match", ["hello", "x?hel?l?"], ["hell"]],
      ["match", ["<a><b>", "<.*>"], ["<a><b>"]],
      ["match", ["<a><b>", "<.->"], ["<a>"]],
      ["match", ["  trim me  ", "^%s*(.-)%s*$"], ["trim me"]],
      ["match", ["aaab", "a-b"], ["aaab"]],
      ["match", ["*+?-", "%*%+%?%-"], ["*+?-"]],
      ["match", ["a*", "a*$"], [""]],
    ]);
  });

  it('anchors ^ and $ only at the pattern ends', () => {
    runCases([
      ["match", ["hello", "^h"], ["h"]],
      ["match", ["hello", "^e"], [undefined]],
      ["find", ["hello", "^l", 3], [3, 3]],
      ["match", ["hello", "o$"], ["o"]],
      ["match", ["hello", "l$"], [undefined]],
      ["match", ["a$b", "$b"], ["$b"]],
      ["match", ["ab^", "b^"], ["b^"]],
      ["find", ["", "^$"], [1, 0]],
      ["find", ["x", "^$"], [undefined]],
      ["match", ["hello", "^(h)(.-)$"], ["h", "ello"]],
    ]);
  });

  it('captures, position captures and back-references %1-%9', () => {
    runCases([
      ["match", ["2024-01-05", "(%d+)-(%d+)-(%d+)"], ["2024", "01", "05"]],
      ["match", ["hello", "()ll()"], [3, 5]],
      ["match", ["hello", "((l)(l))"], ["ll", "l", "l"]],
      ["match", ["hello", "h(.)"], ["e"]],
      ["match", ["key", "(k)(e)(y)"], ["k", "e", "y"]],
      ["find", ["abc", "()"], [1, 0, 1]],
      ["match", ["abcabc", "(a)(b)c%1%2"], ["a", "b"]],
      ["match", ["say \"hi\" or 'yo'", "([\"'])(.-)%1"], ["\"", "hi"]],
      ["match", ["xyzzy", "(.)%1"], ["z"]],
      ["match", ["abab", "(ab)%1"], ["ab"]],
      ["match", ["aXa", "(%a)X%1"], ["a"]],
      ["match", ["aXb", "(%a)X%1"], [undefined]],
      ["match", ["hello", "()%1"], [undefined]],
    ]);
  });

  it('%b balanced matches and %f frontiers (the string ends count as \\0)', () => {
    runCases([
      ["find", ["f(a(b)c)d", "%b()"], [2, 8]],
      ["match", ["[[x]] y", "%[(%b[])%]"], ["[x]"]],
      ["match", ["if (a and (b or c)) then", "%b()"], ["(a and (b or c))"]],
      ["match", ["((unbalanced", "%b()"], [undefined]],
      ["match", ["{a}{b}", "%b{}%b{}"], ["{a}{b}"]],
      ["gsub", ["THE (quick) fox", "%f[%a]%a+", "W"], ["W (W) W", 3]],
      ["find", ["THE (quick) fox", "%f[%a]%a+", 5], [6, 10]],
      ["match", ["x THEN y", "%f[%u]%u+%f[%U]"], ["THEN"]],
      ["gsub", ["foo.bar", "%f[^%z]", "|"], ["|foo.bar", 1]],
      ["gsub", ["ab", "%f[%z]", "|"], ["ab|", 1]],
    ]);
  });

  it('raises PUC errors for malformed patterns, only when the matcher reaches them', () => {
    runCases([
      ["find", ["abc", "%"], { err: "malformed pattern (ends with '%')" }],
      ["find", ["abc", "[a"], { err: "malformed pattern (missing ']')" }],
      ["find", ["abc", "[^"], { err: "malformed pattern (missing ']')" }],
      ["find", ["abc", "[]"], { err: "malformed pattern (missing ']')" }],
      ["find", ["abc", "(()"], { err: "unfinished capture" }],
      ["find", ["abc", "%1"], { err: "invalid capture index %1" }],
      ["find", ["abc", "(a)%2"], { err: "invalid capture index %2" }],
      ["find", ["abc", "%0"], { err: "invalid capture index %0" }],
      ["find", ["abc", "a)"], [undefined]],
      ["match", ["abc", "(a"], { err: "unfinished capture" }],
      ["find", ["abc", "%f"], { err: "missing '[' after '%f' in pattern" }],
      ["find", ["abc", "%fa"], { err: "missing '[' after '%f' in pattern" }],
      ["find", ["abc", "%b"], { err: "malformed pattern (missing arguments to '%b')" }],
      ["find", ["abc", "%ba"], { err: "malformed pattern (missing arguments to '%b')" }],
      ["find", ["abc", "x["], [undefined]],
      ["match", ["abc", "(a%1)"], { err: "invalid capture index %1" }],
      ["match", ["aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "(a)(a)(a)(a)(a)(a)(a)(a)(a)(a)(a)(a)(a)(a)(a)(a)(a)(a)(a)(a)(a)(a)(a)(a)(a)(a)(a)(a)(a)(a)(a)(a)(a)"], { err: "too many captures" }],
      ["find", [], { err: "bad argument #1 to 'find' (string expected, got no value)" }],
      ["find", ["x"], { err: "bad argument #2 to 'find' (string expected, got no value)" }],
      ["find", ["x", "x", "y"], { err: "bad argument #3 to 'find' (number expected, got string)" }],
      ["match", ["x", "x", 1.5], { err: "bad argument #3 to 'match' (number has no integer representation)" }],
    ]);
  });

  it('raises "pattern too complex" instead of overflowing the JS stack', () => {
    check('find', ['a'.repeat(300), 'a?'.repeat(300) + 'a'.repeat(300)], { err: 'pattern too complex' });
    check('match', ['a'.repeat(40), '(a)'.repeat(33)], { err: 'too many captures' });
    expect(results('match', 'a'.repeat(40), '(a)'.repeat(32))).toEqual(Array(32).fill('a'));
  });
});

describe('string.match', () => {
  it('returns the whole match, or the captures, starting at init', () => {
    expect(results('match', 'hello world', '%a+', 6)).toEqual(['world']);
    expect(results('match', 'hello', 'l+', -3)).toEqual(['ll']);
    expect(results('match', 'hello', '^l+', 3)).toEqual(['ll']);
    expect(results('match', 'hello', '^l+', 10)).toEqual([undefined]);
    expect(results('match', 'x = 10', '^(%w+)%s*=%s*(%d+)$')).toEqual(['x', '10']);
  });
});

describe('string.gsub', () => {
  it('replaces with strings (%0-%9, %%), numbers, tables and functions, honouring the max count', () => {
    runCases([
      ["gsub", ["hello world", "o", "0"], ["hell0 w0rld", 2]],
      ["gsub", ["hello world", "o", "0", 1], ["hell0 world", 1]],
      ["gsub", ["hello world", "o", "0", 0], ["hello world", 0]],
      ["gsub", ["hello world", "o", "0", -1], ["hello world", 0]],
      ["gsub", ["hello world", "(o)", "[%1%0%%]"], ["hell[oo%] w[oo%]rld", 2]],
      ["gsub", ["hello world", "(%w+) (%w+)", "%2 %1"], ["world hello", 1]],
      ["gsub", ["abc", "", "-"], ["-a-b-c-", 4]],
      ["gsub", ["abc", "()", "%1"], ["1a2b3c4", 4]],
      ["gsub", ["abc", "%w", "%1"], ["abc", 3]],
      ["gsub", ["hello", "^h", "H"], ["Hello", 1]],
      ["gsub", ["hello hello", "^hello", "X"], ["X hello", 1]],
      ["gsub", ["  x  ", "^%s+", ""], ["x  ", 1]],
      ["gsub", ["hello", "x*", "-"], ["-h-e-l-l-o-", 6]],
      ["gsub", ["abc", ".", 7], ["777", 3]],
      ["gsub", ["abc", "b", 2.5], ["a2.5c", 1]],
      ["gsub", ["$100", "%$(%d+)", "%%%1"], ["%100", 1]],
      ["gsub", ["abc", "b", "%"], { err: "invalid use of '%' in replacement string" }],
      ["gsub", ["abc", "b", "%x"], { err: "invalid use of '%' in replacement string" }],
      ["gsub", ["abc", "b", "%2"], { err: "invalid capture index %2" }],
      ["gsub", ["abc", "x", "%"], ["abc", 0]],
      ["gsub", ["abc", "b"], { err: "bad argument #3 to 'gsub' (string/function/table expected)" }],
      ["gsub", ["abc", "b", true], { err: "bad argument #3 to 'gsub' (string/function/table expected)" }],
      ["gsub", ["abc", "b", "x", 1.5], { err: "bad argument #4 to 'gsub' (number has no integer representation)" }],
    ]);
  });

  it('looks replacements up in a table by the first capture; false/nil keep the match', () => {
    const t = table([['a', 'A'], ['b', 2.5], ['c', false]]);
    expect(results('gsub', 'abcd', '.', t)).toEqual(['A2.5cd', 4]);
    expect(results('gsub', 'abcd', '(.)(.)', table([['a', 'A'], ['c', 'C']]))).toEqual(['AC', 2]);
    expect(results('gsub', 'abc', '()', table([[1, 'one'], [3, 'three']]))).toEqual(['oneabthreec', 4]);
    check('gsub', ['abc', 'b', table([['b', new LuaTable()]])], { err: 'invalid replacement value (a table)' });
    check('gsub', ['abc', 'b', table([['b', true]])], { err: 'invalid replacement value (a boolean)' });
  });

  it('uses __index when the replacement table lacks the key', () => {
    const t = new LuaTable();
    t.mt = table([['__index', (_t: unknown, k: unknown) => `<${k}>`]]);
    expect(results('gsub', 'ab', '%a', t)).toEqual(['<a><b>', 2]);
  });

  it('calls a replacement function with the captures; false/nil keep the match', () => {
    expect(results('gsub', 'abc', '.', (c: string) => (c === 'b' ? false : c.toUpperCase()))).toEqual(['AbC', 3]);
    expect(results('gsub', 'abc', '(.)()', (c: string, p: number) => c + p)).toEqual(['a2b3c4', 3]);
    expect(results('gsub', 'abc', '.', () => undefined)).toEqual(['abc', 3]);
    expect(results('gsub', 'abc', '.', () => 42)).toEqual(['424242', 3]);
    expect(results('gsub', 'a b c', '%a', (x: string) => x + x, 2)).toEqual(['aa bb c', 2]);
    check('gsub', ['abc', 'b', () => new LuaTable()], { err: 'invalid replacement value (a table)' });
  });

  it('lets a replacement function call the string library again (reentrancy)', () => {
    const inner = (w: string) => fn('gsub')(w, '%a', (c: string) => fn('upper')(c));
    expect(results('gsub', 'ab cd', '%a+', inner)).toEqual(['AB CD', 2]);
  });

  it('treats a table with __call as a lookup table, not as a function', () => {
    const t = new LuaTable();
    t.mt = table([['__call', () => 'called']]);
    expect(results('gsub', 'ab', 'a', t)).toEqual(['ab', 1]);
  });
});

describe('string.gmatch', () => {
  const collect = (s: string, p: string) => {
    const it = fn('gmatch')(s, p) as Fn;
    expect(RV.n).toBe(1);
    const out: unknown[] = [];
    for (let i = 0; i < 1000; i++) {
      const vals = mv(it()).slice();
      if (vals.length === 0) break;
      out.push(vals.length === 1 ? vals[0] : vals);
    }
    return out;
  };

  it('iterates over matches and captures; ^ is an ordinary character in 5.3 gmatch', () => {
    const cases: [string, string, unknown[]][] = [
      ["hello world from lua", "%a+", ["hello", "world", "from", "lua"]],
      ["k1=v1, k2=v2", "(%w+)=(%w+)", [["k1", "v1"], ["k2", "v2"]]],
      ["abc", "", ["", "", "", ""]],
      ["abc", "()", [1, 2, 3, 4]],
      ["aaa", "a*", ["aaa"]],
      ["a,b,,c", "([^,]*)", ["a", "b", "", "c"]],
      ["^a^b", "^.", ["^a", "^b"]],
      ["one two", "^%a+", []],
      ["abc", ".-", ["", "", "", ""]],
      ["ab12cd3", "%d+", ["12", "3"]],
      ["x", "y", []],
      ["THE (quick) fox", "%f[%a]%a+", ["THE", "quick", "fox"]],
      ["a1b2", "(%a)(%d)", [["a", "1"], ["b", "2"]]],
    ];
    for (const [s, p, want] of cases) expect(collect(s, p), `gmatch(${s}, ${p})`).toEqual(want);
  });

  it('returns no values (RV.n = 0) once exhausted, also on later calls', () => {
    const it = fn('gmatch')('a', 'a') as Fn;
    expect(it()).toBe('a');
    expect(it()).toBeUndefined();
    expect(RV.n).toBe(0);
    expect(it()).toBeUndefined();
    expect(RV.n).toBe(0);
  });

  it('is also available as gfind (Wippy)', () => {
    expect(lib.get('gfind')).toBe(lib.get('gmatch'));
  });

  it('checks its arguments', () => {
    check('gmatch', ['abc'], { err: "bad argument #2 to 'gmatch' (string expected, got no value)" });
  });
});

// ---------------------------------------------------------------------------------------------------

describe('string.sub', () => {
  it('follows Lua 5.3 index rules: negative, zero and out-of-range positions', () => {
    runCases([
      ["sub", ["hello", 2, -2], ["ell"]],
      ["sub", ["hello", -3], ["llo"]],
      ["sub", ["hello", 0], ["hello"]],
      ["sub", ["hello", 10], [""]],
      ["sub", ["hello", 3, 2], [""]],
      ["sub", ["hello", -100, 2], ["he"]],
      ["sub", ["hello", 2, 100], ["ello"]],
      ["sub", ["hello", 9007199254740992], [""]],
      ["sub", ["hello", -9007199254740992, -9007199254740992], [""]],
      ["sub", [12345, 2, 3], ["23"]],
      ["sub", ["hello", "2", "3"], ["el"]],
      ["sub", ["hello"], { err: "bad argument #2 to 'sub' (number expected, got no value)" }],
      ["sub", ["hello", 1.5], { err: "bad argument #2 to 'sub' (number has no integer representation)" }],
      ["sub", ["hello", undefined], { err: "bad argument #2 to 'sub' (number expected, got nil)" }],
      ["sub", [undefined, 1], { err: "bad argument #1 to 'sub' (string expected, got nil)" }],
    ]);
  });

  it('returns the same string for the whole range and sets one result', () => {
    const s = 'hello';
    RV.n = 5;
    expect(fn('sub')(s, 1, -1)).toBe(s);
    expect(RV.n).toBe(1);
  });
});

describe('string.byte and string.char', () => {
  it('byte returns the codes of a range (none for an empty range)', () => {
    runCases([
      ["byte", ["abc"], [97]],
      ["byte", ["abc", 2], [98]],
      ["byte", ["abc", -1], [99]],
      ["byte", ["abc", 1, -1], [97, 98, 99]],
      ["byte", ["abc", 0], []],
      ["byte", ["abc", 4], []],
      ["byte", ["abc", -10, 10], [97, 98, 99]],
      ["byte", [""], []],
      ["byte", ["\x00\xff"], [0]],
      ["byte", ["\x00\xff", 1, 2], [0, 255]],
      ["byte", ["abc", 3, 1], []],
      ["byte", [65], [54]],
      ["byte", ["abc", "x"], { err: "bad argument #2 to 'byte' (number expected, got string)" }],
      ["byte", ["abc", 1.5], { err: "bad argument #2 to 'byte' (number has no integer representation)" }],
    ]);
  });

  it('byte of a 0-255 range round-trips through char', () => {
    const all = Array.from({ length: 256 }, (_, i) => i);
    const s = fn('char')(...all) as string;
    expect(s.length).toBe(256);
    expect(results('byte', s, 1, -1)).toEqual(all);
  });

  it('char builds strings from byte values and rejects values outside 0-255', () => {
    runCases([
      ["char", [], [""]],
      ["char", [72, 105], ["Hi"]],
      ["char", [0, 255], ["\x00\xff"]],
      ["char", ["65", 66], ["AB"]],
      ["char", [256], { err: "bad argument #1 to 'char' (value out of range)" }],
      ["char", [-1], { err: "bad argument #1 to 'char' (value out of range)" }],
      ["char", [1.5], { err: "bad argument #1 to 'char' (number has no integer representation)" }],
      ["char", [65, undefined], { err: "bad argument #2 to 'char' (number expected, got nil)" }],
      ["char", ["x"], { err: "bad argument #1 to 'char' (number expected, got string)" }],
    ]);
  });
});

describe('string.rep', () => {
  it('repeats with an optional separator and refuses huge results', () => {
    runCases([
      ["rep", ["ab", 3], ["ababab"]],
      ["rep", ["ab", 3, ","], ["ab,ab,ab"]],
      ["rep", ["x", 0], [""]],
      ["rep", ["x", -1, ","], [""]],
      ["rep", ["", 5], [""]],
      ["rep", ["x", 1, ","], ["x"]],
      ["rep", [7, 2, 0], ["707"]],
      ["rep", ["x", "2"], ["xx"]],
      ["rep", [], { err: "bad argument #1 to 'rep' (string expected, got no value)" }],
      ["rep", ["x"], { err: "bad argument #2 to 'rep' (number expected, got no value)" }],
      ["rep", ["x", 1.5], { err: "bad argument #2 to 'rep' (number has no integer representation)" }],
      ["rep", ["x", 1099511627776], { err: "resulting string too large" }],
      ["rep", ["x", 2147483648], { err: "resulting string too large" }],
      ["rep", ["ab", 1073741824, "c"], { err: "resulting string too large" }],
    ]);
  });
});

describe('string.reverse, upper, lower, len', () => {
  it('works on bytes; upper/lower change ASCII letters only', () => {
    runCases([
      ["reverse", ["abc"], ["cba"]],
      ["reverse", [""], [""]],
      ["reverse", ["a\x00\xff"], ["\xff\x00a"]],
      ["reverse", [123], ["321"]],
      ["reverse", [], { err: "bad argument #1 to 'reverse' (string expected, got no value)" }],
      ["upper", ["Hello World 123"], ["HELLO WORLD 123"]],
      ["upper", ["abc\xe9\xffxyz"], ["ABC\xe9\xffXYZ"]],
      ["upper", [1.5], ["1.5"]],
      ["upper", [], { err: "bad argument #1 to 'upper' (string expected, got no value)" }],
      ["lower", ["ABC\xc9\xdeXYZ"], ["abc\xc9\xdexyz"]],
      ["lower", ["MiXeD"], ["mixed"]],
      ["len", ["a\x00b"], [3]],
      ["len", [""], [0]],
      ["len", [123], [3]],
      ["len", [], { err: "bad argument #1 to 'len' (string expected, got no value)" }],
      ["len", [true], { err: "bad argument #1 to 'len' (string expected, got boolean)" }],
    ]);
  });

  it('upper/lower leave every byte >= 128 alone (no Unicode case mapping)', () => {
    const hi = fromBytes(Array.from({ length: 128 }, (_, i) => 128 + i));
    expect(results('upper', hi + 'az')).toEqual([hi + 'AZ']);
    expect(results('lower', hi + 'AZ')).toEqual([hi + 'az']);
  });
});

describe('string.dump', () => {
  it('cannot dump functions', () => {
    runCases([
      ["dump", [], { err: "bad argument #1 to 'dump' (function expected, got no value)" }],
      ["dump", [1], { err: "bad argument #1 to 'dump' (function expected, got number)" }],
    ]);
    check('dump', [() => 0], { err: 'unable to dump given function' });
  });
});

// ---------------------------------------------------------------------------------------------------

describe('string.pack / unpack / packsize', () => {
  it('packs integers, floats and strings with endianness and alignment', () => {
    const cases: [unknown[], number[] | { err: string }][] = [
      [["i4", 1], [1, 0, 0, 0]],
      [["i4", -2], [254, 255, 255, 255]],
      [["<i2", 513], [1, 2]],
      [[">i2", 513], [2, 1]],
      [["=i2", 513], [1, 2]],
      [["b", -128], [128]],
      [["B", 255], [255]],
      [["h", -32768], [0, 128]],
      [["H", 65535], [255, 255]],
      [["i3", -8388608], [0, 0, 128]],
      [[">I3", 66051], [1, 2, 3]],
      [["<I3", 66051], [3, 2, 1]],
      [["j", -2], [254, 255, 255, 255, 255, 255, 255, 255]],
      [["J", 9007199254740992], [0, 0, 0, 0, 0, 0, 32, 0]],
      [[">j", 9007199254740994], [0, 32, 0, 0, 0, 0, 0, 2]],
      [["i16", -2], [254, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255]],
      [["I9", 1099511627776], [0, 0, 0, 0, 0, 1, 0, 0, 0]],
      [["i5", -1], [255, 255, 255, 255, 255]],
      [["l", 4.611686018427388e+18], [0, 0, 0, 0, 0, 0, 0, 64]],
      [["T", 7], [7, 0, 0, 0, 0, 0, 0, 0]],
      [["f", 1.5], [0, 0, 192, 63]],
      [[">d", 1.5], [63, 248, 0, 0, 0, 0, 0, 0]],
      [["<d", -0.1], [154, 153, 153, 153, 153, 153, 185, 191]],
      [["n", Infinity], [0, 0, 0, 0, 0, 0, 240, 127]],
      [["s1", "abc"], [3, 97, 98, 99]],
      [["s", "hi"], [2, 0, 0, 0, 0, 0, 0, 0, 104, 105]],
      [[">s2", "hi"], [0, 2, 104, 105]],
      [["z", "abc"], [97, 98, 99, 0]],
      [["c5", "abc"], [97, 98, 99, 0, 0]],
      [["c0", ""], []],
      [["!4 b i4", 1, 2], [1, 0, 0, 0, 2, 0, 0, 0]],
      [["!b d", 1, 2], [1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 64]],
      [["!2 b i8", 1, 2], [1, 0, 2, 0, 0, 0, 0, 0, 0, 0]],
      [["b Xi4 b", 1, 2], [1, 2]],
      [["!8 b Xi4 b", 1, 2], [1, 0, 0, 0, 2]],
      [["!8 b Xh b", 1, 2], [1, 0, 2]],
      [["b x h", 1, 2], [1, 0, 2, 0]],
      [["<i4>i4", 1, 1], [1, 0, 0, 0, 0, 0, 0, 1]],
      [[" b ", 1], [1]],
      [["!4 z i4", "ab", 3], [97, 98, 0, 0, 3, 0, 0, 0]],
      [["!4 s1 i4", "ab", 3], [2, 97, 98, 0, 3, 0, 0, 0]],
      [["b", 128], { err: "bad argument #2 to 'pack' (integer overflow)" }],
      [["B", 256], { err: "bad argument #2 to 'pack' (unsigned overflow)" }],
      [["B", -1], { err: "bad argument #2 to 'pack' (unsigned overflow)" }],
      [["H", 65536], { err: "bad argument #2 to 'pack' (unsigned overflow)" }],
      [["i3", 8388608], { err: "bad argument #2 to 'pack' (integer overflow)" }],
      [["z", "a\x00b"], { err: "bad argument #2 to 'pack' (string contains zeros)" }],
      [["c2", "abc"], { err: "bad argument #2 to 'pack' (string longer than given size)" }],
      [["c", "a"], { err: "missing size for format option 'c'" }],
      [["!3i", 1], { err: "bad argument #1 to 'pack' (format asks for alignment not power of 2)" }],
      [["X", 1], { err: "bad argument #1 to 'pack' (invalid next option for option 'X')" }],
      [["Xc1", 1], { err: "bad argument #1 to 'pack' (invalid next option for option 'X')" }],
      [["Xz", 1], { err: "bad argument #1 to 'pack' (invalid next option for option 'X')" }],
      [["i17", 1], { err: "integral size (17) out of limits [1,16]" }],
      [["i0", 1], { err: "integral size (0) out of limits [1,16]" }],
      [["y", 1], { err: "invalid format option 'y'" }],
      [["i4"], { err: "bad argument #2 to 'pack' (number expected, got nil)" }],
      [["i4 i4", 1], { err: "bad argument #3 to 'pack' (number expected, got nil)" }],
      [["i4", 1.5], { err: "bad argument #2 to 'pack' (number has no integer representation)" }],
      [["i4", "12"], [12, 0, 0, 0]],
      [["i4", "x"], { err: "bad argument #2 to 'pack' (number expected, got string)" }],
      [["d", "x"], { err: "bad argument #2 to 'pack' (number expected, got string)" }],
    ];
    for (const [args, want] of cases) {
      if (Array.isArray(want)) expect(bytes(fn('pack')(...args) as string), `pack(${fmtArgs(args)})`).toEqual(want);
      else expect(errorOf('pack', ...args), `pack(${fmtArgs(args)})`).toBe(want.err);
    }
  });

  it('unpacks values and returns the next position', () => {
    const cases: [unknown[], Expected][] = [
      [["<i2 >i2 =i2", "\x01\x02\x01\x02\x01\x02"], [513, 258, 513, 7]],
      [["s1", "\x03abc"], ["abc", 5]],
      [["z", "abc"], ["abc", 5]],
      [["z", "abc", 4], ["", 5]],
      [["z", "abc", 5], { err: "bad argument #3 to 'unpack' (initial position out of string)" }],
      [["zz", "a\x00b\x00"], ["a", "b", 5]],
      [["i3", "\xff\xff\xff"], [-1, 4]],
      [["I3", "\xff\xff\xff"], [16777215, 4]],
      [["i9", "\xff\xff\xff\xff\xff\xff\xff\xff\xff"], [-1, 10]],
      [["i9", "\x01\x01\x01\x01\x01\x01\x01\x01\x01"], { err: "9-byte integer does not fit into Lua Integer" }],
      [["i16", "\xfe\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff"], [-2, 17]],
      [["J", "\xff\xff\xff\xff\xff\xff\xff\xff"], [-1, 9]],
      [["j", "\x00\x00\x00\x00\x00\x00 \x00"], [9007199254740992, 9]],
      [["I7", "\x01\x02\x03\x04\x05\x06\x07"], [1976943448883713, 8]],
      [["i4", "abc"], { err: "bad argument #2 to 'unpack' (data string too short)" }],
      [["i4", "abcd", 6], { err: "bad argument #3 to 'unpack' (initial position out of string)" }],
      [["i4", "abcd", -10], { err: "bad argument #3 to 'unpack' (initial position out of string)" }],
      [["i4", "abcd", 5], { err: "bad argument #2 to 'unpack' (data string too short)" }],
      [["i4", "abcdefgh", -4], [1751606885, 9]],
      [["c3", "abcdef", 2], ["bcd", 5]],
      [["!4 b i4", "\x01\x00\x00\x00\x02\x00\x00\x00"], [1, 2, 9]],
      [["!4 b i4", "\x01\x00\x00\x00\x02\x00\x00"], { err: "bad argument #2 to 'unpack' (data string too short)" }],
      [["s1", "\x05abc"], { err: "bad argument #2 to 'unpack' (data string too short)" }],
      [["f", "\xcd\xcc\xcc="], [0.10000000149011612, 5]],
      [[">d", "?\xf8\x00\x00\x00\x00\x00\x00"], [1.5, 9]],
      [["xb", "ab"], [98, 3]],
      [["!8 b Xi4 b", "\x01\x00\x00\x00\x02"], [1, 2, 6]],
      [["", "x", 2], [2]],
    ];
    for (const [args, want] of cases) check('unpack', args, want);
  });

  it('computes sizes of fixed formats, with alignment', () => {
    const cases: [unknown[], Expected][] = [
      [["i4"], [4]],
      [["!8bi8"], [16]],
      [["bi8"], [9]],
      [["!bd"], [16]],
      [["b Xi4 b"], [2]],
      [["!4 b Xi4 b"], [5]],
      [["c10"], [10]],
      [["i16i16"], [32]],
      [["!16 b i16"], [32]],
      [["x"], [1]],
      [[""], [0]],
      [["hhh"], [6]],
      [["!2 b h b h"], [8]],
      [["dfn"], [20]],
      [["s"], { err: "bad argument #1 to 'packsize' (variable-length format)" }],
      [["z"], { err: "bad argument #1 to 'packsize' (variable-length format)" }],
      [["X"], { err: "bad argument #1 to 'packsize' (invalid next option for option 'X')" }],
      [["c2147483647c2"], { err: "invalid format option '7'" }],
      [["q"], { err: "invalid format option 'q'" }],
    ];
    for (const [args, want] of cases) check('packsize', args, want);
  });

  it('round-trips mixed formats in both byte orders, with the bytes PUC produces', () => {
    const fmt = '!4 <i4 b h xx j d s2 z c4 >I5 f Xj J';
    const vals = [-123456, -5, 300, -(2 ** 40) - 7, Math.PI, 'len-prefixed', 'zero-term', 'abcd', 2 ** 39 + 5, 0.5, 2 ** 52 + 1];
    const packed = fn('pack')(fmt, ...vals) as string;
    expect(bytes(packed)).toEqual([192, 29, 254, 255, 251, 0, 44, 1, 0, 0, 0, 0, 249, 255, 255, 255, 255, 254, 255, 255,
      24, 45, 68, 84, 251, 33, 9, 64, 12, 0, 108, 101, 110, 45, 112, 114, 101, 102, 105, 120, 101, 100, 122, 101, 114,
      111, 45, 116, 101, 114, 109, 0, 97, 98, 99, 100, 128, 0, 0, 0, 5, 0, 0, 0, 63, 0, 0, 0, 0, 16, 0, 0, 0, 0, 0, 1]);
    expect(results('packsize', '!4 <i4 b h xx j d')).toEqual([28]);
    expect(results('unpack', fmt, packed)).toEqual([...vals, 77]);
  });

  it('is exact for 64-bit integers only up to 2^53 (numbers are doubles)', () => {
    const p = fn('pack')('<j', 2 ** 53) as string;
    expect(bytes(p)).toEqual([0, 0, 0, 0, 0, 0, 32, 0]);
    // 2^53 + 1 (PUC: 9007199254740993) comes back as the nearest double
    expect(results('unpack', '>j', fromBytes([0, 32, 0, 0, 0, 0, 0, 1]))).toEqual([2 ** 53, 9]);
  });
});

// ---------------------------------------------------------------------------------------------------

describe('library table and string metatable', () => {
  it('exports every function of the 5.3 string library plus gfind', () => {
    const names = ['byte', 'char', 'dump', 'find', 'format', 'gmatch', 'gsub', 'len', 'lower', 'match', 'rep',
      'reverse', 'sub', 'upper', 'pack', 'packsize', 'unpack', 'gfind'];
    for (const n of names) expect(typeof lib.get(n), n).toBe('function');
  });

  it('installStringMetatable makes strings index the library', () => {
    const prev = shared.stringMeta;
    try {
      installStringMetatable(lib);
      const mt = shared.stringMeta!;
      expect((mt.getStr('__index') as LuaTable).get('upper')).toBe(lib.get('upper'));
      expect(metamethod('abc', '__index')).toBe(lib);
    } finally {
      shared.stringMeta = prev;
    }
  });
});
