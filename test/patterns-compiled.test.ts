// Compiled Lua patterns (pattern-compile.ts) against the lstrlib.c port they replace (patterns.ts's
// interpreter): the same matches, captures and errors on thousands of generated patterns and subjects,
// plus the cases the compiler must hand back to the interpreter (malformed or too deep patterns).

import { describe, expect, it } from 'vitest';
import { MatchState, getCaptures, search } from '../runtime/lua/lib/patterns.js';
import { compile, programFor } from '../runtime/lua/lib/pattern-compile.js';
import { LuaError } from '../runtime/lua/error.js';

/** Every search result of pat on src (from each start offset), or the error raised, as plain data. */
function searches(src: string, pat: string, useAnchor: boolean, compiled: boolean): unknown[] {
  const ms = new MatchState(src, pat, useAnchor);
  if (!compiled) ms.prog = null;
  const out: unknown[] = [];
  const end = { end: 0 };
  for (let init = 0; init <= src.length; init++) {
    try {
      const s = search(ms, init, end);
      out.push(s < 0 ? null : [s, end.end, ...getCaptures(ms, s, end.end, true)]);
    } catch (e) {
      out.push(`error: ${String((e as LuaError).value)}`);
    }
  }
  return out;
}

/** A small deterministic generator (the tests must be reproducible). */
function rng(seed: number): (n: number) => number {
  let x = seed;
  return (n) => {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    return (x >>> 8) % n;
  };
}

const ATOMS = ['a', 'b', 'c', ' ', '.', '%a', '%d', '%s', '%w', '%p', '%A', '%S', '%l', '%u', '%x', '%c', '%z',
  '%.', '%%', '%Z', '[ab]', '[^a]', '[a-c]', '[%d%s]', '[]a]', '[^]]', '[a-]', '[%a-]', '^', '$', ']', '-'];
const QUANTS = ['', '', '', '*', '+', '-', '?'];
const SPECIALS = ['(', ')', '()', '%b()', '%bab', '%f[%a]', '%f[^%a]', '%f[%z]', '%1', '%2', '%0', '%', '[a', '%f', '%b'];
const SUBJECT = 'aab bc1 (a(b)c) 2.5-A\u0000]^$ab';

function randomPattern(r: (n: number) => number): string {
  let p = r(4) === 0 ? '^' : '';
  const n = 1 + r(6);
  for (let i = 0; i < n; i++) {
    if (r(4) === 0) p += SPECIALS[r(SPECIALS.length)];
    else p += ATOMS[r(ATOMS.length)] + QUANTS[r(QUANTS.length)];
  }
  if (r(5) === 0) p += '$';
  return p;
}

function randomSubject(r: (n: number) => number): string {
  let s = '';
  const n = r(14);
  for (let i = 0; i < n; i++) s += SUBJECT[r(SUBJECT.length)];
  return s;
}

describe('compiled patterns agree with the interpreter', () => {
  it('on generated patterns and subjects (find/match/gsub and gmatch modes)', () => {
    const r = rng(Number(process.env.PAT_SEED ?? 12345));
    let compiledCount = 0;
    for (let i = 0; i < Number(process.env.PAT_N ?? 6000); i++) {
      const pat = randomPattern(r);
      const src = randomSubject(r);
      for (const useAnchor of [true, false]) {
        if (programFor(pat, useAnchor) !== null) compiledCount++;
        expect(searches(src, pat, useAnchor, true), `${JSON.stringify(pat)} on ${JSON.stringify(src)}`)
          .toEqual(searches(src, pat, useAnchor, false));
      }
    }
    expect(compiledCount).toBeGreaterThan(4000); // most generated patterns are well formed
  }, 600_000);

  it('on long subjects over a small alphabet (backtracking and skipped runs)', () => {
    const r = rng(Number(process.env.PAT_SEED ?? 777));
    const atoms = ['a', 'b', '=', ' ', '%a', '%d', '.', '[ab]', '[^a]', '%s'];
    for (let i = 0; i < Number(process.env.PAT_N ?? 3000); i++) {
      let pat = r(5) === 0 ? '^' : '';
      for (let j = 1 + r(4); j > 0; j--) {
        const atom = atoms[r(atoms.length)] + QUANTS[r(QUANTS.length)];
        pat += r(4) === 0 ? `(${atom})` : atom;
      }
      if (r(6) === 0) pat += '$';
      let src = '';
      for (let j = r(30); j > 0; j--) src += 'aaab= 1 '[r(8)];
      expect(searches(src, pat, true, true), `${JSON.stringify(pat)} on ${JSON.stringify(src)}`)
        .toEqual(searches(src, pat, true, false));
    }
  }, 600_000);

  const cases: [string, string][] = [
    ['(%a+)=(%d+)', 'key=12 x=3 =4 y='],
    ['%s+', ' a  b\t\n c '],
    ['[^\n]+', 'line one\nline two\n\nlast'],
    ['^-?%d+%.?%d*[eE]?[-+]?%d*', '-12.5e+3x'],
    ['(.-)%s*$', 'trailing   '],
    ['^(.-)%s*$', '  both  '],
    ['(.*)=(.*)', 'a=b=c'],
    ['(h)(e)(l)(l)(o)', 'hello hello'],
    ['((a)(b))', 'xxabab'],
    ['()a()', 'banana'],
    ['(a)%1', 'xaaxaa'],
    ['(%w+) %1', 'hello hello world world'],
    ['()%1', 'abc'], // a back-reference to a position capture never matches
    ['%b()', 'f(a(b)c) (x'],
    ['%f[%w]%w+', 'THE (quick) fox'],
    ['%f[%a]', 'abc'],
    ['%f[%z]', 'abc'],
    ['a-b', 'aaab'],
    ['a?b', 'ab b'],
    ['.-b', 'aaab'],
    ['[]]', 'a]b'],
    ['[^]]+', 'ab]cd'],
    ['x*$', 'axxx'],
    ['$', 'abc'],
    ['^$', ''],
    ['', 'abc'],
    ['(a', 'aaa'], // an unfinished capture: the error comes from reading the captures
    ['^^a', '^a'],
  ];
  for (const [pat, src] of cases) {
    it(`${JSON.stringify(pat)} on ${JSON.stringify(src)}`, () => {
      expect(programFor(pat, true)).not.toBeNull();
      for (const useAnchor of [true, false]) {
        expect(searches(src, pat, useAnchor, true)).toEqual(searches(src, pat, useAnchor, false));
      }
    });
  }
});

describe('patterns left to the interpreter', () => {
  const malformed = ['%', 'a%', '[a', '[^', '[]', '%b', '%ba', '%f', '%fa', '%f[a', ')', 'a)', '%0', '%1', '(%1)',
    '(a%1)', '((((((((((((((((((((((((((((((((()))))))))))))))))))))))))))))))))'];
  it.each(malformed)('%j is malformed: not compiled, so its error stays lazy', (pat) => {
    expect(compile(pat, false)).toBeNull();
  });

  it('a pattern that may exhaust the recursion budget is not compiled', () => {
    expect(compile('a?'.repeat(199), false)).toBeNull(); // 200 nested calls with the top one
    expect(compile('a?'.repeat(198), false)).not.toBeNull();
    const src = 'a'.repeat(300);
    expect(searches(src, 'a?'.repeat(250), true, true)[0]).toBe('error: pattern too complex');
    expect(searches(src, 'a?'.repeat(198), true, true)[0]).toEqual([0, 198, src.slice(0, 198)]);
  });

  it('long patterns are interpreted, long literal runs compile', () => {
    const src = 'x'.repeat(3000) + '.';
    expect(programFor('x'.repeat(1025) + '%.', true)).toBeNull();
    const find = (pat: string, init: number) => {
      const out = { end: 0 };
      return [search(new MatchState(src, pat, true), init, out), out.end];
    };
    expect(find('x'.repeat(2999) + '%.', 0)).toEqual([1, 3001]);
    expect(programFor('x'.repeat(1000) + '%.', true)).not.toBeNull();
    expect(find('x'.repeat(1000) + '%.', 5)).toEqual([2000, 3001]);
  });

  it('a malformed tail that is never reached is not an error', () => {
    expect(searches('xyz', 'a%', true, true)).toEqual([null, null, null, null]);
    expect(searches('ab', 'a[', true, true)[0]).toBe("error: malformed pattern (missing ']')");
  });
});

describe('the program cache', () => {
  it('keeps a bounded number of patterns and reuses programs', () => {
    const p = programFor('(%d+)-(%d+)', true);
    expect(programFor('(%d+)-(%d+)', true)).toBe(p);
    for (let i = 0; i < 1000; i++) programFor(`x${i}%d`, true);
    expect(programFor('(%d+)-(%d+)', true)).not.toBe(p); // evicted, compiled again
  });
});
