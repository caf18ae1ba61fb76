// The yaml module: encoding with json's table rules (shared conversion) plus key ordering options, and
// decoding YAML 1.2 into Lua values with positioned errors.

import { describe, expect, test } from 'vitest';
import { yamlModule } from '../../runtime/modules/yaml.js';
import { jsonModule } from '../../runtime/modules/json.js';
import { fromLua, toBytes } from '../../runtime/modules/module.js';
import { runWithModules } from '../wippy-helpers.js';

const run = (src: string): unknown[] => runWithModules(src, [yamlModule, jsonModule]).results;
const value = (expr: string): unknown => run(`return ${expr}`)[0];
const failure = (call: string): unknown[] => run(`local v, e = ${call} return v, e:kind(), e:message()`);

describe('yaml.encode', () => {
  test('scalars', () => {
    expect(run('return yaml.encode(nil), yaml.encode(true), yaml.encode(3), yaml.encode(1.5), yaml.encode("s")')).toEqual(['null\n', 'true\n', '3\n', '1.5\n', 's\n']);
    expect(run('return yaml.encode(0/0), yaml.encode(1/0), yaml.encode(-1/0)')).toEqual(['.nan\n', '.inf\n', '-.inf\n']);
  });

  test('sequences and mappings, nested', () => {
    expect(value('yaml.encode({name = "app", ports = {80, 443}, env = {{key = "A"}}})')).toBe('name: app\nports:\n  - 80\n  - 443\nenv:\n  - key: A\n');
  });

  test('the empty table is an empty sequence', () => {
    expect(run('return yaml.encode({}), yaml.encode({list = {}})')).toEqual(['[]\n', 'list: []\n']);
  });

  test('strings that would read back as something else are quoted', () => {
    expect(value('yaml.encode({"", "true", "3", "null", "a: b", "- x"})')).toBe('- ""\n- "true"\n- "3"\n- "null"\n- "a: b"\n- "- x"\n');
  });

  test('multi-line strings use a block scalar; long lines are not folded', () => {
    expect(value('yaml.encode({text = "line 1\\nline 2"})')).toBe('text: |-\n  line 1\n  line 2\n');
    const long = 'word '.repeat(30).trim();
    expect(value(`yaml.encode({s = "${long}"})`)).toBe(`s: ${long}\n`);
  });

  test('UTF-8 text is kept; invalid bytes become U+FFFD', () => {
    expect(value('yaml.encode({["ключ"] = "é😀"})')).toBe(toBytes('ключ: é😀\n'));
    expect(value('yaml.encode("a\\255")')).toBe(toBytes('a\uFFFD\n'));
  });

  test('without options, keys come in table order', () => {
    expect(value('yaml.encode({zeta = 1, alpha = 2, mid = 3})')).toBe('zeta: 1\nalpha: 2\nmid: 3\n');
  });

  test('sort_unordered sorts keys bytewise', () => {
    expect(value('yaml.encode({zeta = 1, alpha = 2, ["10"] = 3, ["9"] = 4}, {sort_unordered = true})')).toBe('"10": 3\n"9": 4\nalpha: 2\nzeta: 1\n');
  });

  test('field_order puts the listed keys first, the rest in table order', () => {
    expect(value('yaml.encode({c = 1, b = 2, a = 3, kind = "x", name = "n"}, {field_order = {"name", "kind", "missing"}})')).toBe('name: n\nkind: x\nc: 1\nb: 2\na: 3\n');
  });

  test('field_order with sort_unordered sorts only the rest, at every level', () => {
    const src = 'yaml.encode({z = 1, id = 2, b = {y = 1, id = 2, a = 3}, a = 4}, {field_order = {"id"}, sort_unordered = true})';
    expect(value(src)).toBe('id: 2\na: 4\nb:\n  id: 2\n  a: 3\n  y: 1\nz: 1\n');
  });

  test('bad options raise', () => {
    expect(() => run('yaml.encode({}, "x")')).toThrow(/bad argument #2 to 'encode' \(table expected, got string\)/);
    expect(() => run('yaml.encode({}, {field_order = "a"})')).toThrow(/field_order must be a table, got string/);
    expect(() => run('yaml.encode({}, {field_order = {1}})')).toThrow(/field_order\[1\] must be a string, got number/);
  });

  test('error objects encode as their message', () => {
    expect(value('yaml.encode({err = errors.new("boom")})')).toBe('err: boom\n');
  });

  // The same refusals as json.encode, with the same messages: the conversion is shared.
  const refused: [string, string][] = [
    ['{1, nil, 3}', 'cannot encode a sparse array (index 2 is nil)'],
    ['{[2] = 1}', 'cannot encode a sparse array (keys are not 1..n)'],
    ['{1, x = 2}', 'cannot encode a table with both integer and string keys'],
    ['{[1.5] = 1}', 'cannot encode a non-integer key 1.5'],
    ['{[true] = 1}', 'cannot encode a boolean key'],
    ['{a = {f = print}}', 'cannot encode a function value at a.f'],
    ['(function() local t = {} t.me = t return t end)()', 'cannot encode a table that contains itself at me'],
  ];
  test.each(refused)('%s is refused like json.encode', (lua, message) => {
    expect(failure(`yaml.encode(${lua})`)).toEqual([undefined, 'Invalid', message]);
    expect(failure(`json.encode(${lua})`)).toEqual([undefined, 'Invalid', message]);
  });

  test('nesting deeper than 128 is refused', () => {
    const [v, kind, msg] = failure('yaml.encode((function() local t = {} local c = t for i = 2, 129 do c.x = {} c = c.x end return t end)())');
    expect([v, kind]).toEqual([undefined, 'Invalid']);
    expect(msg).toMatch(/^cannot encode tables nested more than 128 levels deep at x(\.x){127}$/);
  });
});

describe('yaml.decode', () => {
  test('mappings, sequences and scalar types (YAML 1.2 core schema)', () => {
    const [t] = run('return yaml.decode("name: app\\nports: [80, 443]\\nratio: 0.5\\nhex: 0x10\\non: true\\nyes_str: yes\\nnothing: ~\\ndate: 2024-01-02\\n")');
    expect(fromLua(t)).toEqual({ name: 'app', ports: [80, 443], ratio: 0.5, hex: 16, on: true, yes_str: 'yes', date: '2024-01-02' });
  });

  test('sequences are 1-based; nulls leave holes', () => {
    expect(run('local t = yaml.decode("- a\\n- ~\\n- c") return t[1], t[2], t[3]')).toEqual(['a', undefined, 'c']);
  });

  test('integers are integers; integer keys stay integers', () => {
    expect(run('local t = yaml.decode("n: 42\\n1: one\\n") return math.type(t.n), t[1], t["1"]')).toEqual(['integer', 'one', undefined]);
  });

  test('strings are UTF-8 byte strings', () => {
    expect(run('local t = yaml.decode("ключ: é😀") return t["ключ"], #t["ключ"]')).toEqual([toBytes('é😀'), 6]);
  });

  test('block scalars, anchors and aliases', () => {
    const [t] = run('return yaml.decode("base: &b {x: 1}\\ncopy: *b\\ntext: |\\n  a\\n  b\\n")');
    expect(fromLua(t)).toEqual({ base: { x: 1 }, copy: { x: 1 }, text: 'a\nb\n' });
  });

  test('empty input and a lone null are nil without error', () => {
    expect(run('local v, e = yaml.decode("") return v == nil, e == nil')).toEqual([true, true]);
    expect(run('local v, e = yaml.decode("~") return v == nil, e == nil')).toEqual([true, true]);
  });

  test('only the first document counts', () => {
    expect(run('local t = yaml.decode("a: 1\\n---\\nb: 2\\n") return t.a, t.b')).toEqual([1, undefined]);
  });

  test('round trip: encode then decode gives the same data', () => {
    const [t] = run('return yaml.decode(yaml.encode({name = "Zoë", tags = {"a", "true", "3"}, n = 0.25, empty = {}, nested = {deep = {{k = -1}}}, multi = "x\\ny"}))');
    expect(fromLua(t)).toEqual({ name: 'Zoë', tags: ['a', 'true', '3'], n: 0.25, empty: {}, nested: { deep: [{ k: -1 }] }, multi: 'x\ny' });
    expect(run('local t = yaml.decode(yaml.encode({empty = {}})) return type(t.empty), next(t.empty)')).toEqual(['table', undefined]);
  });

  test('round trip: decode then encode', () => {
    expect(value('yaml.encode(yaml.decode("a: 1\\nb:\\n  - x\\n  - y\\n"), {sort_unordered = true})')).toBe('a: 1\nb:\n  - x\n  - y\n');
  });

  const bad: [string, string][] = [
    ['a: [1, 2\\nb: c', 'yaml: line 2, column 1: Flow sequence in block collection must be sufficiently indented and end with a ]'],
    ['a: 1\\na: 2', 'yaml: line 2, column 1: Map keys must be unique'],
    ['\\tfoo: bar', 'yaml: line 1, column 1: Tabs are not allowed as indentation'],
    ['a:\\n  - b\\n c: d', 'yaml: line 3, column 1: All mapping items must start at the same column'],
    ['a: &x [1]\\nb: *x\\nc: *y', "yaml: line 3, column 4: unknown anchor 'y' referenced"],
  ];
  test.each(bad)('malformed %j → nil, err (Internal) with the line', (src, message) => {
    expect(failure(`yaml.decode("${src}")`)).toEqual([undefined, 'Internal', message]);
  });

  test('alias bombs are refused', () => {
    const src = 'a: &a [x,x,x,x,x,x,x,x,x,x]\\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]\\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]\\nd: [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]';
    const [v, kind, msg] = failure(`yaml.decode("${src}")`);
    expect([v, kind]).toEqual([undefined, 'Internal']);
    expect(msg).toMatch(/^yaml: Excessive alias count/);
  });

  test('a non-string argument is Invalid', () => {
    expect(failure('yaml.decode(nil)')).toEqual([undefined, 'Invalid', 'yaml string expected, got nil']);
    expect(failure('yaml.decode({})')).toEqual([undefined, 'Invalid', 'yaml string expected, got table']);
  });
});
