// `lunac build`: the output runs with node and lunac's runtime only. Handlers are importable functions,
// process entries are actor classes, serve.js runs the services, and nothing loads the compiler.

import { describe, expect, test, beforeAll } from 'vitest';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { lunac } from './helpers.js';

const ROOT = resolve(__dirname, '..');
const APPS = join(ROOT, 'fixtures/apps');

/** Build an app into a fresh folder that resolves `lunac` like an installed dependency would. */
async function build(app: string): Promise<string> {
  const out = join(mkdtempSync(join(tmpdir(), 'lunac-build-')), 'dist');
  const r = await lunac(['build', join(APPS, app), '-o', out]);
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  mkdirSync(join(out, 'node_modules'), { recursive: true });
  symlinkSync(ROOT, join(out, 'node_modules/lunac'));
  return out;
}

/** A resolve hook that fails the run if any module of the compiler is loaded. */
const FORBID = `import { register } from 'node:module';
register('data:text/javascript,' + encodeURIComponent(\`export async function resolve(s, c, next) {
  const r = await next(s, c);
  if (/\\\\/compiler\\\\//.test(r.url)) throw new Error('the compiler was loaded: ' + r.url);
  return r;
}\`));
`;

function node(cwd: string, args: string[], opts: { signalAfter?: number } = {}): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((done) => {
    const p = spawn(process.execPath, ['--import', './forbid-compiler.mjs', ...args], { cwd });
    let stdout = '', stderr = '';
    p.stdout.setEncoding('utf8').on('data', (d) => (stdout += d));
    p.stderr.setEncoding('utf8').on('data', (d) => (stderr += d));
    if (opts.signalAfter !== undefined) setTimeout(() => p.kill('SIGTERM'), opts.signalAfter);
    p.on('close', (status) => done({ status, stdout, stderr }));
  });
}

describe('lunac build', () => {
  let fns = '';
  beforeAll(async () => {
    fns = await build('functions');
    writeFileSync(join(fns, 'forbid-compiler.mjs'), FORBID);
  }, 60_000);

  test('writes modules, handlers, actor classes, a manifest and serve.js', () => {
    const manifest = JSON.parse(readFileSync(join(fns, 'manifest.json'), 'utf8'));
    expect(manifest.format).toBe('lunac-app/1');
    expect(manifest.registry.entries.map((e: { id: string }) => e.id)).toContain('fns:divide');
    expect(existsSync(join(fns, manifest.modules['fns:divide']))).toBe(true);
    expect(existsSync(join(fns, 'functions/fns/divide.js'))).toBe(true);
    expect(existsSync(join(fns, 'serve.js'))).toBe(true);
  });

  test('a function handler is an async function any Node program can import; errors reject with AppError', async () => {
    writeFileSync(join(fns, 'use.mjs'), `
      import divide from './functions/fns/divide.js';
      import { call as square } from './functions/fns/square.js';
      console.log(JSON.stringify(await divide(10, 4)), JSON.stringify(await square(7)));
      try { await divide(1, 0); } catch (e) { console.log(e.name, e.kind, e.message); }
    `);
    const r = await node(fns, ['use.mjs']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const [ok, err] = r.stdout.trim().split('\n');
    expect(ok).toMatch(/^\S+ \S+$/);
    expect(err).toMatch(/^AppError \w+ /);
  }, 30_000);

  test('process entries are actor classes: spawn, send, result', async () => {
    const pp = await build('ping-pong');
    writeFileSync(join(pp, 'forbid-compiler.mjs'), FORBID);
    writeFileSync(join(pp, 'use.mjs'), `
      import { Main } from './processes/pingpong/main.js';
      const a = await Main.spawn(20);
      console.log(typeof a.pid, await a.result());
    `);
    const r = await node(pp, ['use.mjs']);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/^string /);
    expect(r.status).toBe(0);
  }, 60_000);

  test('refuses to replace a directory that is not an earlier build', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lunac-build-keep-'));
    writeFileSync(join(dir, 'precious.txt'), 'keep me');
    const r = await lunac(['build', join(APPS, 'hello'), '-o', dir]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/is not a lunac build output/);
    expect(readFileSync(join(dir, 'precious.txt'), 'utf8')).toBe('keep me');
  });

  test('serve.js runs the auto_start services and stops on SIGTERM', async () => {
    const svc = await build('services/stop');
    writeFileSync(join(svc, 'forbid-compiler.mjs'), FORBID);
    const r = await node(svc, ['serve.js'], { signalAfter: 1500 });
    expect(r.stderr).not.toMatch(/compiler was loaded/);
    expect(r.stderr).toMatch(/running/);
    expect(r.status).toBe(0);
  }, 60_000);
});
