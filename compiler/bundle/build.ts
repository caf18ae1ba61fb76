// `lunac build`: write a deployable app — the compiled chunk of every Lua entry as an ES module, a
// manifest (registry snapshot + link plans), one handler module per function entry, one actor class per
// process entry, and a `serve.js` entry point. The output imports lunac's runtime, never the compiler.

import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { buildImage } from './image.js';
import type { Diagnostic } from '../diagnostics.js';
import type { Manifest } from '../../runtime/deploy/index.js';

export interface BuildResult {
  errors: Diagnostic[];
  files: string[];
  /** Why the output directory was left alone (it holds something that is not a lunac build). */
  refused?: string;
}

/** The output directory is replaced only if it is absent, empty, or an earlier lunac build. */
function replaceable(outDir: string): string | undefined {
  if (!existsSync(outDir)) return undefined;
  const items = readdirSync(outDir);
  if (items.length === 0) return undefined;
  try {
    if (JSON.parse(readFileSync(join(outDir, 'manifest.json'), 'utf8')).format === 'lunac-app/1') return undefined;
  } catch {
    // no manifest: not ours
  }
  return `${outDir} exists and is not a lunac build output; choose another directory with -o`;
}

/** The runtime's import specifier in generated files (the `lunac` package's runtime export). */
const RUNTIME = 'lunac/runtime';

export function buildApp(dir: string, outDir: string, opts: { runtime?: string } = {}): BuildResult {
  const built = buildImage(dir);
  if (built.errors.length > 0) return { errors: built.errors, files: [] };
  const runtime = opts.runtime ?? RUNTIME;
  const refusal = replaceable(outDir);
  if (refusal !== undefined) return { errors: [], files: [], refused: refusal };
  rmSync(outDir, { recursive: true, force: true });
  const files: string[] = [];
  const write = (rel: string, text: string) => {
    const file = join(outDir, rel);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, text);
    files.push(rel);
  };
  const manifest: Manifest = { format: 'lunac-app/1', registry: built.image.registry, plans: built.image.plans, modules: {} };
  for (const [id, chunk] of Object.entries(built.image.chunks)) {
    const rel = `modules/${fileName(id)}.js`;
    manifest.modules[id] = rel;
    // Chunk code is latin1 byte text; JSON.stringify keeps it exact whatever the file encoding.
    write(rel, [
      `// Compiled from ${chunk.chunkname} (entry ${id}) by lunac. Do not edit.`,
      `export const chunkname = ${JSON.stringify(chunk.chunkname)};`,
      `export const map = ${JSON.stringify(chunk.map)};`,
      `export default ${chunk.code};`,
      '',
    ].join('\n'));
  }
  write('manifest.json', JSON.stringify(manifest, null, 1) + '\n');
  write('app.js', appModule(runtime));
  for (const e of built.image.registry.entries) {
    if (e.kind === 'function.lua') write(`functions/${fileName(e.id)}.js`, handlerModule(e.id, depth(`functions/${fileName(e.id)}.js`)));
    if (e.kind === 'process.lua') write(`processes/${fileName(e.id)}.js`, actorModule(e.id, depth(`processes/${fileName(e.id)}.js`)));
  }
  write('serve.js', serveModule());
  write('package.json', JSON.stringify({ name: 'lunac-app', private: true, type: 'module', main: 'app.js', scripts: { start: 'node serve.js' } }, null, 2) + '\n');
  return { errors: [], files };
}

/** `app.api:get_user` → `app.api/get_user` (namespace as a folder; safe characters only). */
function fileName(id: string): string {
  const [ns, name] = [id.slice(0, id.indexOf(':')), id.slice(id.indexOf(':') + 1)];
  const safe = (s: string) => s.replace(/[^\w.-]/g, '_');
  return `${safe(ns)}/${safe(name)}`;
}

function depth(rel: string): string {
  return relative(dirname(rel), '.').replace(/\\/g, '/') || '.';
}

function appModule(runtime: string): string {
  return `// The built app: opens the manifest once; every handler and actor module shares it.
import { openApp } from ${JSON.stringify(runtime)};

export const app = () => openApp(new URL('./manifest.json', import.meta.url));
export { AppError } from ${JSON.stringify(runtime)};
`;
}

function handlerModule(id: string, up: string): string {
  return `// Function entry ${id}: \`await call(...args)\` resolves with its result (JS data) or rejects with an AppError.
import { app } from '${up}/app.js';

export const id = ${JSON.stringify(id)};

export async function call(...args) {
  return (await app()).call(id, ...args);
}

export default call;
`;
}

function className(id: string): string {
  const name = id.slice(id.indexOf(':') + 1);
  const pascal = name.split(/[^A-Za-z0-9]+/).filter(Boolean).map((w) => w[0].toUpperCase() + w.slice(1)).join('');
  return /^[A-Za-z]/.test(pascal) ? pascal : `Actor${pascal}`;
}

function actorModule(id: string, up: string): string {
  const cls = className(id);
  return `// Process entry ${id} as an actor class: \`const a = await ${cls}.spawn(...args)\`, then
// \`a.send(topic, ...values)\`, \`await a.result()\`, \`a.terminate()\`.
import { app } from '${up}/app.js';

export class ${cls} {
  static id = ${JSON.stringify(id)};

  static async spawn(...args) {
    return new ${cls}((await app()).spawn(${cls}.id, args));
  }

  constructor(ref) {
    this.ref = ref;
    this.pid = ref.pid;
  }

  send(topic, ...values) {
    return this.ref.send(topic, ...values);
  }

  result() {
    return this.ref.result();
  }

  terminate() {
    this.ref.terminate();
  }
}

export default ${cls};
`;
}

function serveModule(): string {
  return `#!/usr/bin/env node
// Start the app: every auto_start service, until SIGINT/SIGTERM.
import { app } from './app.js';

const exitCode = await (await app()).serve();
process.exit(exitCode);
`;
}
