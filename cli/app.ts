// App commands that run Lua entries: `lunac run ENTRY_ID [args] [-C DIR]` and `lunac test [DIR]`.
// Both build the app image in memory (compiling what changed), start a process host and drive it.

import { existsSync, statSync } from 'node:fs';
import { buildImage, loadCompiler, COMPILE_OPTIONS } from '../compiler/bundle/image.js';
import { formatDiagnostic } from '../compiler/diagnostics.js';
import { createNode } from '../runtime/process/host.js';
import { EventLoopOutput } from '../runtime/lua/output.js';
import { toLua } from '../runtime/modules/module.js';
import { encodeJson } from '../runtime/modules/json.js';
import { RegistryStore } from '../runtime/app/registry-store.js';
import { Node } from '../runtime/process/node.js';
import type { Outcome, Process } from '../runtime/process/process.js';
import { ErrorObject } from '../runtime/lua/lib/errors.js';
import { setTerminalArgs } from '../runtime/modules/io.js';

const USER_ERROR = 1, MISUSE = 2;

/** Build the image or report why not (the same diagnostics `lunac check` prints). */
function loadImage(dir: string): ReturnType<typeof buildImage> | null {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    process.stderr.write(`lunac: ${dir} is not a directory\n`);
    return null;
  }
  const built = buildImage(dir);
  for (const d of built.errors) process.stderr.write(formatDiagnostic(d) + '\n');
  return built;
}

/** Command-line arguments: JSON values when they parse as JSON (numbers, objects…), strings otherwise. */
export function cliValue(a: string): unknown {
  try {
    return toLua(JSON.parse(a));
  } catch {
    return Buffer.from(a, 'utf8').toString('latin1');
  }
}

function waitFor(p: Process): Promise<Outcome> {
  return new Promise((resolve) => p.onDone(resolve));
}

/** An error object's text for the terminal: kind and message. */
function errorText(e: ErrorObject): string {
  return `${e.kind && e.kind !== 'Unknown' ? `[${e.kind}] ` : ''}${e.message}`;
}

function jsonResult(v: unknown): string {
  try {
    return encodeJson(v);
  } catch (e) {
    return JSON.stringify(String((e as Error).message));
  }
}

export async function runEntryCommand(id: string, args: string[], dir: string): Promise<number> {
  const built = loadImage(dir);
  if (built === null) return MISUSE;
  if (built.errors.length > 0) return USER_ERROR;
  const entry = built.image.registry.entries.find((e) => e.id === id);
  if (entry === undefined) {
    process.stderr.write(`lunac: no entry '${id}' in ${dir}\n`);
    return MISUSE;
  }
  const output = new EventLoopOutput();
  const node = createNode(built.image, output);
  installValidator();
  const input = args.map(cliValue);
  setTerminalArgs(args);
  let p: Process | ErrorObject;
  if (entry.kind === 'function.lua') p = node.call(id, input);
  else if (entry.kind === 'process.lua') p = node.spawn(id, terminalHost(built.image.registry.entries), input);
  else {
    process.stderr.write(`lunac: '${id}' is a ${entry.kind}; run takes a function.lua or process.lua entry\n`);
    return MISUSE;
  }
  if (p instanceof ErrorObject) {
    process.stderr.write(`lunac: ${errorText(p)}\n`);
    return USER_ERROR;
  }
  const o = await waitFor(p);
  output.flush();
  if (o.error) {
    process.stderr.write(Buffer.from(`lunac: ${errorText(o.error)}\n`, 'latin1'));
    return USER_ERROR;
  }
  if (entry.kind === 'function.lua') {
    process.stdout.write(Buffer.from(jsonResult(o.value) + '\n', 'latin1'));
    return 0;
  }
  // A process's result is its exit status: a number, or 0 when it returned anything else.
  return typeof o.value === 'number' && Number.isInteger(o.value) ? o.value & 0xff : 0;
}

/** Processes started from the command line run on the app's terminal host when it has one. */
function terminalHost(entries: { id: string; kind: string }[]): string {
  return entries.find((e) => e.kind === 'terminal.host')?.id ?? entries.find((e) => e.kind === 'process.host')?.id ?? Node.DEFAULT_HOST;
}

/** Lua entries created at run time through the registry are compiled before they are accepted. */
export function installValidator(): void {
  RegistryStore.validateLua = (source: string, id: string) => {
    try {
      loadCompiler().compileLua(Buffer.from(source, 'utf8').toString('latin1'), id, COMPILE_OPTIONS);
      return undefined;
    } catch (e) {
      const d = (e as { diag?: { line: number; message: string } }).diag;
      return d ? `${id}:${d.line}: ${d.message}` : (e as Error).message;
    }
  };
}

export async function testCommand(dir: string): Promise<number> {
  const built = loadImage(dir);
  if (built === null) return MISUSE;
  if (built.errors.length > 0) return USER_ERROR;
  const tests = built.image.registry.entries.filter((e) => e.kind === 'function.lua' && e.meta.type === 'test').sort((a, b) => (a.id < b.id ? -1 : 1));
  const output = new EventLoopOutput();
  const node = createNode(built.image, output);
  installValidator();
  let passed = 0, failed = 0;
  for (const t of tests) {
    const started = performance.now();
    const p = node.call(t.id, []);
    const o: Outcome = p instanceof ErrorObject ? { value: undefined, error: p } : await waitFor(p);
    output.flush();
    const ms = Math.round(performance.now() - started);
    if (o.error) {
      failed++;
      process.stdout.write(Buffer.from(`FAIL ${t.id} (${ms} ms): ${errorText(o.error)}\n`, 'latin1'));
    } else {
      passed++;
      process.stdout.write(`PASS ${t.id} (${ms} ms)\n`);
    }
  }
  process.stdout.write(`${passed} passed, ${failed} failed\n`);
  return failed > 0 ? USER_ERROR : 0;
}

export async function buildCommand(dir: string, out: string): Promise<number> {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    process.stderr.write(`lunac: ${dir} is not a directory\n`);
    return MISUSE;
  }
  const { buildApp } = await import('../compiler/bundle/build.js');
  const r = buildApp(dir, out);
  if (r.refused !== undefined) {
    process.stderr.write(`lunac: ${r.refused}\n`);
    return MISUSE;
  }
  for (const d of r.errors) process.stderr.write(formatDiagnostic(d) + '\n');
  if (r.errors.length > 0) return USER_ERROR;
  const count = (prefix: string) => r.files.filter((f) => f.startsWith(prefix)).length;
  process.stdout.write(`built ${out}: ${count('modules/')} modules, ${count('functions/')} function handlers, ${count('processes/')} actor classes\n`);
  return 0;
}
