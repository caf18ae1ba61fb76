// The json module: Go encoding/json output (numbers, escapes, sorted keys), Wippy's table → array/object
// rules and refusals, decode to Lua values with positioned syntax errors, and JSON Schema validation.

import { describe, expect, test } from 'vitest';
import { jsonModule } from '../../runtime/modules/json.js';
import { fromLua, toBytes } from '../../runtime/modules/module.js';
import { runWithModules } from '../wippy-helpers.js';

const run = (src: string): unknown[] => runWithModules(src, [jsonModule]).results;
/** The single result of `return <expr>`. */
const value = (expr: string): unknown => run(`return ${expr}`)[0];
/** `ok, kind, message` of a call expected to fail with `nil, err` (or `false, err`). */
const failure = (call: string): unknown[] => run(`local v, e = ${call} return v, e:kind(), e:message()`);

describe('json.encode: scalars and numbers', () => {
  test('nil, booleans and strings', () => {
    expect(run('return json.encode(nil), json.encode(true), json.encode(false), json.encode("hi")')).toEqual(['null', 'true', 'false', '"hi"']);
    expect(value('json.encode()')).toBe('null');
  });

  test('integral values print as integers, floats without a trailing .0', () => {
    expect(run('return json.encode(3), json.encode(3.0), json.encode(-42), json.encode(10/2)')).toEqual(['3', '3', '-42', '5']);
  });

  test('integral values keep their exact digits up to the int64 range', () => {
    expect(value('json.encode(2^62)')).toBe('4611686018427387904');
    expect(value('json.encode(-2^63)')).toBe('-9223372036854775808');
    expect(value('json.encode(1e20)')).toBe('100000000000000000000');
  });

  test('other floats print like Go: shortest digits, e notation below 1e-6 and from 1e21', () => {
    const r = run('return json.encode(0.1), json.encode(1.5), json.encode(123456.789), json.encode(0.000001), json.encode(1e-7), json.encode(9.99e-7), json.encode(1e21), json.encode(1.5e300), json.encode(-2.5e-10)');
    expect(r).toEqual(['0.1', '1.5', '123456.789', '0.000001', '1e-7', '9.99e-7', '1e+21', '1.5e+300', '-2.5e-10']);
  });

  test('negative zero encodes as 0', () => {
    expect(run('return json.encode(-0.0), json.encode(0 * -1)')).toEqual(['0', '0']);
  });

  test('NaN and infinities encode as null, also inside tables', () => {
    expect(run('return json.encode(0/0), json.encode(1/0), json.encode(-1/0)')).toEqual(['null', 'null', 'null']);
    expect(value('json.encode({1, 0/0, 1/0})')).toBe('[1,null,null]');
  });
});

describe('json.encode: strings', () => {
  test('quotes, backslashes and control characters are escaped as Go does', () => {
    expect(value(String.raw`json.encode("q\"b\\s/\b\f\n\r\t\1\31\127")`)).toBe(String.raw`"q\"b\\s/\b\f\n\r\t\u0001\u001f` + '\x7f"');
  });

  test('< > & are escaped like Go\'s HTML-safe default', () => {
    expect(value('json.encode("<a href=\'x\'>&amp;</a>")')).toBe(String.raw`"\u003ca href='x'\u003e\u0026amp;\u003c/a\u003e"`);
  });

  test('UTF-8 text is copied as its bytes', () => {
    expect(value('json.encode("héllo € 😀")')).toBe(toBytes('"héllo € 😀"'));
    expect(value('json.encode("\\239\\191\\189")')).toBe(toBytes('"\uFFFD"'));
  });

  test('U+2028 and U+2029 are escaped', () => {
    expect(value('json.encode("a\\226\\128\\168b\\226\\128\\169")')).toBe(String.raw`"a\u2028b\u2029"`);
  });

  test('each byte of invalid UTF-8 becomes \\ufffd', () => {
    // A stray byte, a truncated 3-byte sequence, an encoded surrogate and an overlong form.
    expect(value('json.encode("a\\255b")')).toBe(String.raw`"a\ufffdb"`);
    expect(value('json.encode("\\226\\130")')).toBe(String.raw`"\ufffd\ufffd"`);
    expect(value('json.encode("\\237\\160\\128x")')).toBe(String.raw`"\ufffd\ufffd\ufffdx"`);
    expect(value('json.encode("\\192\\175")')).toBe(String.raw`"\ufffd\ufffd"`);
  });
});

describe('json.encode: tables', () => {
  test('a sequence 1..n is an array, nested', () => {
    expect(value('json.encode({1, "two", {3, {true}}})')).toBe('[1,"two",[3,[true]]]');
    expect(value('json.encode({1, 2, nil})')).toBe('[1,2]');
  });

  test('the empty table is an array', () => {
    expect(value('json.encode({})')).toBe('[]');
    expect(value('json.encode({a = {}, b = {{}}})')).toBe('{"a":[],"b":[[]]}');
  });

  test('a table of string keys is an object with keys sorted bytewise', () => {
    expect(value('json.encode({b = 1, a = 2, ["10"] = 3, ["9"] = 4, z = {y = 1, x = 2}})')).toBe('{"10":3,"9":4,"a":2,"b":1,"z":{"x":2,"y":1}}');
    expect(value('json.encode({["é"] = 1, z = 2, ["😀"] = 3, A = 4})')).toBe(toBytes('{"A":4,"z":2,"é":1,"😀":3}'));
  });

  test('object keys are escaped like strings', () => {
    expect(value('json.encode({["a\\"<b>"] = 1, ["\\255"] = 2})')).toBe(String.raw`{"a\"\u003cb\u003e":1,"\ufffd":2}`);
  });

  test('a table built key by key in reverse order is still an array', () => {
    expect(value('(function() local t = {} t[3] = "c" t[2] = "b" t[1] = "a" return json.encode(t) end)()')).toBe('["a","b","c"]');
  });

  test('a table may appear twice when it does not contain itself', () => {
    expect(value('(function() local t = {1} return json.encode({t, t, x = nil}) end)()')).toBe('[[1],[1]]');
  });

  test('error objects encode as their message', () => {
    expect(value('json.encode(errors.new("boom"))')).toBe('"boom"');
    expect(value('json.encode({err = errors.wrap(errors.new("inner"), "outer")})')).toBe('{"err":"outer: inner"}');
  });

  test('128 levels of nesting encode, 129 are refused', () => {
    const nest = (n: number) => `(function() local t = {} local c = t for i = 2, ${n} do c[1] = {} c = c[1] end return json.encode(t) end)()`;
    expect(value(nest(128))).toBe('['.repeat(128) + ']'.repeat(128));
    const [v, kind, msg] = failure(nest(129));
    expect([v, kind]).toEqual([undefined, 'Invalid']);
    expect(msg).toMatch(/^cannot encode tables nested more than 128 levels deep at (\[1\]){128}$/);
  });
});

describe('json.encode: values that cannot be encoded return nil, err (Invalid)', () => {
  const cases: [string, string, string][] = [
    ['sparse array', 'json.encode({1, nil, 3})', 'cannot encode a sparse array (index 2 is nil)'],
    ['array not starting at 1', 'json.encode({[2] = "b", [3] = "c"})', 'cannot encode a sparse array (keys are not 1..n)'],
    ['index 0', 'json.encode({[0] = "z", "a"})', 'cannot encode a sparse array (keys are not 1..n)'],
    ['mixed keys', 'json.encode({1, 2, x = 3})', 'cannot encode a table with both integer and string keys'],
    ['mixed keys, integer key in the hash', 'json.encode({x = 1, [5] = 2})', 'cannot encode a table with both integer and string keys'],
    ['float key', 'json.encode({[1.5] = 1})', 'cannot encode a non-integer key 1.5'],
    ['boolean key', 'json.encode({[true] = 1})', 'cannot encode a boolean key'],
    ['table key', 'json.encode({[{}] = 1})', 'cannot encode a table key'],
    ['function', 'json.encode(print)', 'cannot encode a function value'],
    ['coroutine', 'json.encode(coroutine.create(print))', 'cannot encode a thread value'],
    ['self-recursion', '(function() local t = {} t.self = t return json.encode(t) end)()', 'cannot encode a table that contains itself at self'],
    ['indirect recursion', '(function() local a = {} a.list = {{back = a}} return json.encode(a) end)()', 'cannot encode a table that contains itself at list[1].back'],
    ['nested function, path reported', 'json.encode({items = {{ok = 1}, {cb = print}}})', 'cannot encode a function value at items[2].cb'],
    ['odd key in the path', 'json.encode({["a b"] = {1, nil, 3}})', 'cannot encode a sparse array (index 2 is nil) at ["a b"]'],
  ];
  test.each(cases)('%s', (_name, call, message) => {
    expect(failure(call)).toEqual([undefined, 'Invalid', message]);
  });
});

describe('json.decode', () => {
  test('scalars; null is nil', () => {
    expect(run('return json.decode("3"), json.decode("-1.5e3"), json.decode("true"), json.decode(\'"s"\')')).toEqual([3, -1500, true, 's']);
    expect(run('local v, e = json.decode("null") return v == nil, e == nil')).toEqual([true, true]);
  });

  test('integers come back as integers, fractions as floats', () => {
    expect(run('local t = json.decode("[1, 2.5, -7, 1e2]") return math.type(t[1]), math.type(t[2]), t[3], t[4]')).toEqual(['integer', 'float', -7, 100]);
  });

  test('arrays are 1-based tables; nulls leave holes', () => {
    expect(run('local t = json.decode(\'["a", "b", "c"]\') return #t, t[1], t[3]')).toEqual([3, 'a', 'c']);
    expect(run('local t = json.decode("[1, null, 3]") return t[1], t[2], t[3]')).toEqual([1, undefined, 3]);
  });

  test('objects are tables with string keys; null members are absent', () => {
    const [t] = run('return json.decode(\'{"a": {"b": [1, {"c": null, "d": false}]}, "1": "one"}\')');
    expect(fromLua(t)).toEqual({ a: { b: [1, { d: false }] }, 1: 'one' });
    expect(run('local t = json.decode(\'{"1": "x"}\') return t["1"], t[1]')).toEqual(['x', undefined]);
  });

  test('strings and keys are UTF-8 byte strings', () => {
    expect(run('local t = json.decode(\'{"ключ": "é😀"}\') return #t["ключ"], t["ключ"]')).toEqual([6, toBytes('é😀')]);
    expect(run(String.raw`return json.decode[["\u00e9\ud83d\ude00\n\/"]]`)).toEqual([toBytes('é😀\n/')]);
  });

  test('a "__proto__" key is an ordinary key', () => {
    expect(run('local t = json.decode(\'{"__proto__": {"x": 1}}\') return t.__proto__.x')).toEqual([1]);
  });

  test('empty string and non-string arguments are Invalid', () => {
    expect(failure('json.decode("")')).toEqual([undefined, 'Invalid', 'empty JSON input']);
    expect(failure('json.decode(nil)')).toEqual([undefined, 'Invalid', 'json string expected, got nil']);
    expect(failure('json.decode(12)')).toEqual([undefined, 'Invalid', 'json string expected, got number']);
    expect(failure('json.decode({})')).toEqual([undefined, 'Invalid', 'json string expected, got table']);
  });

  const bad: [string, string][] = [
    ['{"a":}', "invalid character '}' looking for beginning of value at line 1, column 6"],
    ['[1,2', 'unexpected end of JSON input at line 1, column 5'],
    ['   ', 'unexpected end of JSON input at line 1, column 4'],
    ['{"a" 1}', "invalid character '1' after object key at line 1, column 6"],
    ['[1 2]', "invalid character '2' after array element at line 1, column 4"],
    ['{"a":1,}', "invalid character '}' looking for beginning of object key string at line 1, column 8"],
    ['{1:2}', "invalid character '1' looking for beginning of object key string at line 1, column 2"],
    ['{"a":1 "b":2}', "invalid character '\"' after object key:value pair at line 1, column 8"],
    ['trux', "invalid character 'x' in literal true (expecting 'e') at line 1, column 4"],
    ['01', "invalid character '1' after top-level value at line 1, column 2"],
    ['1.x', "invalid character 'x' after decimal point in numeric literal at line 1, column 3"],
    ['1ex', "invalid character 'x' in exponent of numeric literal at line 1, column 3"],
    ['-x', "invalid character 'x' in numeric literal at line 1, column 2"],
    ['"a\tb"', "invalid character '\\t' in string literal at line 1, column 3"],
    ['"\\x"', "invalid character 'x' in string escape code at line 1, column 3"],
    ['"\\u12g4"', "invalid character 'g' in \\u hexadecimal character escape at line 1, column 6"],
    ["'x'", "invalid character '\\'' looking for beginning of value at line 1, column 1"],
    ['{\n  "a": 1,\n  "b": ]\n}', "invalid character ']' looking for beginning of value at line 3, column 8"],
    ['1e400', 'number out of range'],
  ];
  test.each(bad)('malformed JSON %j → Internal with where it is', (text, message) => {
    const src = `local v, e = json.decode(${JSON.stringify(text)}) return v, e:kind(), e:message()`;
    expect(run(src)).toEqual([undefined, 'Internal', message]);
  });
});

describe('json round trips', () => {
  test('decode then encode gives back canonical JSON', () => {
    const canonical = '{"a":[1,2.5,"x"],"b":{"c":true,"d":null},"e":"é\\u003c","f":[]}';
    // null members vanish on decode; everything else survives byte for byte.
    expect(value(`json.encode(json.decode(${JSON.stringify(canonical)}))`)).toBe(toBytes('{"a":[1,2.5,"x"],"b":{"c":true},"e":"é\\u003c","f":[]}'));
  });

  test('encode then decode gives back the same Lua data', () => {
    const [t] = run('return json.decode(json.encode({name = "Zoë", tags = {"a", "b"}, n = 0.25, big = 2^53, nested = {deep = {{k = -1}}}}))');
    expect(fromLua(t)).toEqual({ name: 'Zoë', tags: ['a', 'b'], n: 0.25, big: 2 ** 53, nested: { deep: [{ k: -1 }] } });
  });

  test('binary strings survive as valid JSON (invalid bytes replaced)', () => {
    expect(value('json.decode(json.encode("ok\\255"))')).toBe(toBytes('ok\uFFFD'));
  });
});

describe('json.validate', () => {
  const person = '{type = "object", properties = {name = {type = "string"}, age = {type = "integer", minimum = 0}}, required = {"name"}}';

  test('a valid value gives true', () => {
    expect(run(`return json.validate(${person}, {name = "Ann", age = 3})`)).toEqual([true]);
  });

  test('failures come back as false, err listing each with its JSON pointer', () => {
    expect(run(`local ok, e = json.validate(${person}, {age = -1}) return ok, e:kind(), e:message()`)).toEqual([
      false, 'Invalid', "validation failed: (root): must have required property 'name'; /age: must be >= 0",
    ]);
  });

  test('pointers reach into arrays (0-based) and escape ~ and /', () => {
    const schema = '{type = "object", properties = {items = {type = "array", items = {type = "object", properties = {["a/b"] = {type = "string"}}}}}}';
    expect(run(`local ok, e = json.validate(${schema}, {items = {{["a/b"] = "x"}, {["a/b"] = 5}}}) return ok, e:message()`)).toEqual([
      false, 'validation failed: /items/1/a~1b: must be string',
    ]);
  });

  test('additionalProperties failures name the property', () => {
    expect(run('local ok, e = json.validate({type = "object", additionalProperties = false}, {extra = 1}) return ok, e:message()')).toEqual([
      false, "validation failed: (root): must NOT have additional properties 'extra'",
    ]);
  });

  test('the schema may be JSON text', () => {
    expect(run('return json.validate(\'{"type": "array", "items": {"type": "number"}}\', {1, 2.5})')).toEqual([true]);
    expect(run('local ok, e = json.validate(\'{"type": "array", "items": {"type": "number"}}\', {1, "x"}) return ok, e:message()')).toEqual([false, 'validation failed: /1: must be number']);
  });

  test('formats from ajv-formats are checked', () => {
    expect(run('return json.validate({type = "string", format = "email"}, "a@b.co")')).toEqual([true]);
    expect(run('local ok, e = json.validate({type = "string", format = "date-time"}, "yesterday") return ok, e:message()')).toEqual([false, 'validation failed: (root): must match format "date-time"']);
  });

  test('an empty table satisfies type object and type array', () => {
    expect(run('return json.validate({type = "object"}, {}), json.validate({type = "array"}, {})')).toEqual([true, true]);
    expect(run('return json.validate({type = "object", properties = {meta = {type = "object"}, list = {type = "array"}}}, {meta = {}, list = {}})')).toEqual([true]);
    expect(run('return json.validate({type = "array", items = {type = "object"}}, {{}, {}})')).toEqual([true]);
  });

  test('an empty table read as an object is still checked as one', () => {
    expect(run('local ok, e = json.validate({type = "object", required = {"id"}}, {}) return ok, e:message()')).toEqual([false, "validation failed: (root): must have required property 'id'"]);
    expect(run('local ok, e = json.validate({type = "string"}, {}) return ok, e:message()')).toEqual([false, 'validation failed: (root): must be string']);
  });

  test('empty tables inside a schema table mean {} where a schema is expected', () => {
    expect(run('return json.validate({type = "object", properties = {}, required = {}}, {a = 1})')).toEqual([true]);
    expect(run('return json.validate({type = "object", properties = {anything = {}}}, {anything = 1})')).toEqual([true]);
  });

  test('NaN validates as null, as it would encode', () => {
    expect(run('return json.validate({type = "null"}, 0/0)')).toEqual([true]);
  });

  test('draft 2020-12 schemas are recognised by $schema', () => {
    const s = '{["$schema"] = "https://json-schema.org/draft/2020-12/schema", type = "array", prefixItems = {{type = "string"}, {type = "integer"}}}';
    expect(run(`return json.validate(${s}, {"a", 1})`)).toEqual([true]);
    expect(run(`local ok, e = json.validate(${s}, {"a", "b"}) return ok, e:message()`)).toEqual([false, 'validation failed: /1: must be integer']);
  });

  test('draft-07 schemas validate; drafts ajv lacks (draft-04) are checked with draft-07 rules', () => {
    expect(run('return json.validate({["$schema"] = "http://json-schema.org/draft-07/schema#", type = "string"}, "x")')).toEqual([true]);
    expect(run('return json.validate({["$schema"] = "http://json-schema.org/draft-04/schema#", type = "string"}, "x"), (json.validate({["$schema"] = "http://json-schema.org/draft-04/schema#", type = "string"}, 1))')).toEqual([true, false]);
  });

  test('the cache is keyed by schema content, not table identity', () => {
    const src = 'local s = {type = "string"} local a = json.validate(s, "x") s.type = "number" local b = json.validate(s, "x") local c = json.validate({type = "number"}, 1) return a, b, c';
    expect(run(src)).toEqual([true, false, true]);
  });

  test('two schemas with the same $id both work', () => {
    expect(run('return json.validate({["$id"] = "https://example.com/s", type = "string"}, "s"), json.validate({["$id"] = "https://example.com/s", type = "number"}, 1)')).toEqual([true, true]);
  });

  test('an invalid schema gives false, err', () => {
    const [ok, kind, msg] = failure('json.validate({type = "strnig"}, "x")');
    expect([ok, kind]).toEqual([false, 'Invalid']);
    expect(msg).toMatch(/^invalid schema: /);
    const [ok2, kind2, msg2] = failure('json.validate("{not json", "x")');
    expect([ok2, kind2, msg2]).toEqual([false, 'Invalid', "invalid schema JSON: invalid character 'n' looking for beginning of object key string at line 1, column 2"]);
  });

  test('a value that cannot be JSON gives false, err', () => {
    expect(failure('json.validate({type = "object"}, {f = print})')).toEqual([false, 'Invalid', 'cannot encode a function value at f']);
  });

  test('a schema that is neither table nor string raises', () => {
    expect(() => run('json.validate(42, 1)')).toThrow(/bad argument #1 to 'validate' \(table or string expected, got number\)/);
  });
});

describe('json.validate_string', () => {
  test('validates JSON text against a schema', () => {
    expect(run('return json.validate_string({type = "object", required = {"a"}}, \'{"a": 1}\')')).toEqual([true]);
    expect(run('local ok, e = json.validate_string({type = "object", required = {"a"}}, \'{"b": 1}\') return ok, e:message()')).toEqual([false, "validation failed: (root): must have required property 'a'"]);
  });

  test('JSON text is unambiguous: [] is not an object', () => {
    expect(run('local ok, e = json.validate_string(\'{"type": "object"}\', "[]") return ok, e:message()')).toEqual([false, 'validation failed: (root): must be object']);
  });

  test('malformed JSON text gives false, err', () => {
    expect(failure('json.validate_string({type = "object"}, "{\\"a\\":")')).toEqual([false, 'Invalid', 'invalid JSON: unexpected end of JSON input at line 1, column 6']);
  });

  test('a non-string document raises', () => {
    expect(() => run('json.validate_string({}, {})')).toThrow(/bad argument #2 to 'validate_string' \(string expected, got table\)/);
  });
});

describe('module table', () => {
  test('is read-only', () => {
    expect(() => run('json.encode = nil')).toThrow(/read-only/);
  });
});
