// `lunac check --watch`: the first report, then a new one after every change, until interrupted.

import { describe, expect, test } from 'vitest';
import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { CLI } from './helpers.js';

describe('lunac check --watch', () => {
  test('re-checks when a Lua file changes and reports the new error', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lunac-watch-'));
    cpSync(resolve(__dirname, '../fixtures/apps/hello'), dir, { recursive: true });
    const p = spawn(CLI, ['check', dir, '--watch', '--no-cache']);
    let out = '';
    p.stdout.setEncoding('utf8').on('data', (d) => (out += d));
    const waitFor = (re: RegExp) =>
      new Promise<void>((done, fail) => {
        const t0 = Date.now();
        const poll = () => (re.test(out) ? done() : Date.now() - t0 > 15000 ? fail(new Error(`timeout; output:\n${out}`)) : setTimeout(poll, 50));
        poll();
      });
    try {
      await waitFor(/no problems in 3 entries/);
      writeFileSync(join(dir, 'src/greet.lua'), 'local function handler(\nreturn { handler = handler }\n');
      // The summary is written after the diagnostics, possibly in a later chunk: wait for it.
      await waitFor(/1 error, 0 warnings in 3 entries/);
      expect(out).toMatch(/changed: checking again/);
      expect(out).toMatch(/greet\.lua:2:1: error P0001/);
    } finally {
      p.kill('SIGINT');
    }
  }, 20_000); // waitFor allows 15 s per step on a loaded machine; vitest's default would end the test at 5 s
});
