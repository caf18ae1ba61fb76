// The env module: OS environment without env entries, and env.variable entries resolved through each
// env.storage kind (os, memory, static, file, router), with defaults, read-only rules and get_all.

import { afterEach, describe, expect, test } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { envModule, parseDotEnv } from '../../runtime/modules/env.js';
import { fromLua } from '../../runtime/modules/module.js';
import type { RegistryData, RegistryEntry } from '../../runtime/app/registry-data.js';
import { runWithModules } from '../wippy-helpers.js';

const entry = (id: string, kind: string, data: Record<string, unknown> = {}): RegistryEntry => ({ id, kind, meta: {}, data });
const run = (src: string, registry?: RegistryData) => runWithModules(src, [envModule], registry ? { registry } : {}).results;
const ERR = 'local v, err = %s return v, err and err:kind(), err and err:message()';
const errOf = (call: string, registry?: RegistryData) => run(ERR.replace('%s', call), registry);

afterEach(() => {
  delete process.env.LUNAC_ENV_TEST;
  delete process.env.LUNAC_ENV_TEST2;
});

describe('env without env entries: the OS environment', () => {
  test('get reads the process environment; a missing key is NOT_FOUND', () => {
    process.env.LUNAC_ENV_TEST = 'héllo';
    expect(run('return env.get("LUNAC_ENV_TEST")')).toEqual(['h\xc3\xa9llo']); // UTF-8 bytes
    expect(errOf('env.get("LUNAC_ENV_TEST_MISSING")')).toEqual([undefined, 'NotFound', "environment variable 'LUNAC_ENV_TEST_MISSING' not found"]);
  });

  test('set writes the process environment and returns true', () => {
    expect(run('return env.set("LUNAC_ENV_TEST2", "v1"), env.get("LUNAC_ENV_TEST2")')).toEqual([true, 'v1']);
    expect(process.env.LUNAC_ENV_TEST2).toBe('v1');
    expect(errOf('env.set("A=B", "x")')[1]).toBe('Invalid');
  });

  test('get_all returns the whole environment', () => {
    process.env.LUNAC_ENV_TEST = 'x';
    expect(run('local t = env.get_all() return t.LUNAC_ENV_TEST, t.PATH ~= nil')).toEqual(['x', true]);
  });

  test('argument checks: key must be a string, value a string or number; empty key is INVALID', () => {
    expect(() => run('env.get({})')).toThrow(/bad argument #1 to 'get' \(string expected, got table\)/);
    expect(() => run('env.set("K")')).toThrow(/bad argument #2 to 'set' \(string expected, got no value\)/);
    expect(errOf('env.get("")')[1]).toBe('Invalid');
    expect(run('env.set("LUNAC_ENV_TEST2", 5) return env.get("LUNAC_ENV_TEST2")')).toEqual(['5']);
  });
});

describe('env.variable entries', () => {
  test('an os storage variable is reachable by entry ID and by variable name; undeclared keys are NOT_FOUND', () => {
    process.env.LUNAC_ENV_TEST = 'from-os';
    const reg = { entries: [entry('app:os', 'env.storage.os'), entry('app:home', 'env.variable', { variable: 'LUNAC_ENV_TEST', storage: 'os' })] };
    expect(run('return env.get("app:home"), env.get("LUNAC_ENV_TEST")', reg)).toEqual(['from-os', 'from-os']);
    expect(errOf('env.get("PATH")', reg)).toEqual([undefined, 'NotFound', "environment variable 'PATH' not found"]);
  });

  test('a variable without a storage uses the OS environment; default applies when unset', () => {
    const reg = { entries: [entry('app:port', 'env.variable', { variable: 'LUNAC_ENV_TEST', default: 8080 })] };
    expect(run('return env.get("LUNAC_ENV_TEST")', reg)).toEqual(['8080']);
    process.env.LUNAC_ENV_TEST = '9000';
    expect(run('return env.get("app:port")', reg)).toEqual(['9000']);
  });

  test('a variable without `variable` uses its entry name as key; unset without default is NOT_FOUND', () => {
    const reg = { entries: [entry('app:mem', 'env.storage.memory'), entry('app:token', 'env.variable', { storage: 'app:mem' })] };
    expect(errOf('env.get("token")', reg)).toEqual([undefined, 'NotFound', "environment variable 'token' not set"]);
    expect(run('env.set("app:token", "t1") return env.get("token")', reg)).toEqual(['t1']);
  });

  test('memory storage: values from data, set persists for the app and is not the OS environment', () => {
    const reg = {
      entries: [
        entry('app:mem', 'env.storage.memory', { values: { LUNAC_ENV_TEST: 'initial' } }),
        entry('app:v', 'env.variable', { variable: 'LUNAC_ENV_TEST', storage: 'app:mem' }),
      ],
    };
    expect(run('local a = env.get("app:v") local ok = env.set("app:v", "changed") return a, ok, env.get("app:v")', reg)).toEqual(['initial', true, 'changed']);
    expect(process.env.LUNAC_ENV_TEST).toBeUndefined();
  });

  test('static storage: fixed values, set is PERMISSION_DENIED', () => {
    const reg = {
      entries: [
        entry('app:static', 'env.storage.static', { values: { MODE: 'prod', LEVEL: 3 } }),
        entry('app:mode', 'env.variable', { variable: 'MODE', storage: 'app:static' }),
        entry('app:level', 'env.variable', { variable: 'LEVEL', storage: 'app:static' }),
      ],
    };
    expect(run('return env.get("MODE"), env.get("LEVEL")', reg)).toEqual(['prod', '3']);
    expect(errOf('env.set("MODE", "dev")', reg)).toEqual([undefined, 'PermissionDenied', "env storage 'app:static' is read-only"]);
  });

  test('read_only variables refuse set even on a writable storage', () => {
    const reg = { entries: [entry('app:mem', 'env.storage.memory'), entry('app:v', 'env.variable', { variable: 'X', storage: 'app:mem', read_only: true })] };
    expect(errOf('env.set("X", "1")', reg)).toEqual([undefined, 'PermissionDenied', "environment variable 'X' is read-only"]);
  });

  test('a variable naming a missing storage fails with NOT_FOUND', () => {
    const reg = { entries: [entry('app:v', 'env.variable', { variable: 'X', storage: 'app:nope' })] };
    expect(errOf('env.get("X")', reg)).toEqual([undefined, 'NotFound', "env storage 'app:nope' not found"]);
  });

  test('file storage: parses KEY=VALUE with quotes and comments; set rewrites the line and appends new keys', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lunac-env-'));
    const file = join(dir, '.env');
    writeFileSync(file, [
      '# config',
      'export DB_URL="postgres://x?a=1#frag" # trailing comment',
      "SECRET='raw $value # not a comment'",
      'PLAIN=some value # comment',
      'MULTI="line1\\nline2"',
      '',
    ].join('\n'));
    const reg = {
      entries: [
        entry('app:file', 'env.storage.file', { file_path: file }),
        ...['DB_URL', 'SECRET', 'PLAIN', 'MULTI', 'NEW'].map((k) => entry(`app:${k.toLowerCase()}`, 'env.variable', { variable: k, storage: 'app:file' })),
      ],
    };
    expect(run('return env.get("DB_URL"), env.get("SECRET"), env.get("PLAIN"), env.get("MULTI")', reg))
      .toEqual(['postgres://x?a=1#frag', 'raw $value # not a comment', 'some value', 'line1\nline2']);
    expect(run('return env.set("PLAIN", "new value"), env.set("NEW", "a\\"b")', reg)).toEqual([true, true]);
    const text = readFileSync(file, 'utf8');
    expect(text).toContain('# config\n');
    expect(text).toContain('PLAIN="new value"\n');
    expect(text).not.toContain('some value');
    expect(text.trimEnd().split('\n').pop()).toBe('NEW="a\\"b"');
    // A fresh app reads the file again.
    expect(run('return env.get("PLAIN"), env.get("NEW"), env.get("DB_URL")', reg)).toEqual(['new value', 'a"b', 'postgres://x?a=1#frag']);
  });

  test('file storage: a missing file reads as empty and is created on set', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'lunac-env-')), 'missing.env');
    const reg = { entries: [entry('app:file', 'env.storage.file', { file_path: file }), entry('app:k', 'env.variable', { variable: 'K', storage: 'app:file' })] };
    expect(errOf('env.get("K")', reg)[1]).toBe('NotFound');
    expect(run('return env.set("K", "v")', reg)).toEqual([true]);
    expect(readFileSync(file, 'utf8')).toBe('K=v\n');
  });

  test('router storage: get tries storages in order; set writes the first writable one', () => {
    process.env.LUNAC_ENV_TEST = 'os-value';
    const reg = {
      entries: [
        entry('app:static', 'env.storage.static', { values: { A: 'static-a' } }),
        entry('app:mem', 'env.storage.memory', { values: { B: 'mem-b' } }),
        entry('app:os', 'env.storage.os'),
        entry('app:router', 'env.storage.router', { storages: ['app:static', 'mem', 'app:os'] }),
        entry('app:a', 'env.variable', { variable: 'A', storage: 'app:router' }),
        entry('app:b', 'env.variable', { variable: 'B', storage: 'app:router' }),
        entry('app:c', 'env.variable', { variable: 'LUNAC_ENV_TEST', storage: 'app:router' }),
      ],
    };
    expect(run('return env.get("A"), env.get("B"), env.get("LUNAC_ENV_TEST")', reg)).toEqual(['static-a', 'mem-b', 'os-value']);
    // The static storage is first but read-only: the write lands in memory, which now shadows the OS value.
    expect(run('env.set("LUNAC_ENV_TEST", "routed") return env.get("LUNAC_ENV_TEST")', reg)).toEqual(['routed']);
    expect(process.env.LUNAC_ENV_TEST).toBe('os-value');
  });

  test('get_all returns declared variables by name, defaults included, unset ones omitted', () => {
    const reg = {
      entries: [
        entry('app:mem', 'env.storage.memory', { values: { A: '1' } }),
        entry('app:a', 'env.variable', { variable: 'A', storage: 'app:mem' }),
        entry('app:b', 'env.variable', { variable: 'B', storage: 'app:mem', default: 'dflt' }),
        entry('app:c', 'env.variable', { variable: 'C', storage: 'app:mem' }),
      ],
    };
    expect(fromLua(run('return env.get_all()', reg)[0])).toEqual({ A: '1', B: 'dflt' });
  });
});

describe('.env parsing', () => {
  test('export prefix, escapes in double quotes, CRLF lines, blank and comment lines', () => {
    const ls = parseDotEnv('# c\r\nexport A=1\r\nB="x\\ty\\\\z"\r\n\r\n  C = spaced  \r\nnot a line\n');
    expect(ls.map((l) => [l.key, l.value])).toEqual([['A', '1'], ['B', 'x\ty\\z'], ['C', 'spaced']]);
  });

  test('a double-quoted value may span lines', () => {
    const ls = parseDotEnv('K="a\nb"\nL=2\n');
    expect(ls.map((l) => [l.key, l.value, l.from, l.to])).toEqual([['K', 'a\nb', 0, 1], ['L', '2', 2, 2]]);
  });
});
