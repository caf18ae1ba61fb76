// The runtime side of `lunac build`: open a built app (manifest + compiled chunk modules) without the
// compiler, and drive it from any Node program — call function entries, spawn process entries as actors.
// Values cross the boundary as plain JS data (JSON-like); errors reject with an AppError.

import { readFileSync } from 'node:fs';
import { pathToFileURL, fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { adoptChunk, type Factory } from '../lua/loader.js';
import { EventLoopOutput } from '../lua/output.js';
import { ErrorObject } from '../lua/lib/errors.js';
import { toLua } from '../modules/module.js';
import { luaToData } from '../modules/json.js';
import { createNode } from '../process/host.js';
import type { Node } from '../process/node.js';
import type { Outcome, Process } from '../process/process.js';
import type { LinkPlan } from '../app/image.js';
import type { RegistryData } from '../app/registry-data.js';
import type { LuaTable } from '../lua/table.js';

export interface Manifest {
  format: 'lunac-app/1';
  /** The registry snapshot: every entry of the app. */
  registry: RegistryData;
  plans: Record<string, LinkPlan>;
  /** Lua entry ID → chunk module file, relative to the manifest. */
  modules: Record<string, string>;
}

/** A failed call or process: the Lua error object's kind and message. */
export class AppError extends Error {
  constructor(readonly kind: string, message: string, readonly retryable?: boolean) {
    super(message);
    this.name = 'AppError';
  }
}

/** A running process entry seen from JS. */
export interface ActorRef {
  pid: string;
  /** Send a message (topic + values as JS data); false if the process is gone. */
  send(topic: string, ...values: unknown[]): boolean;
  /** The process's result when it ends (rejects with AppError on failure). */
  result(): Promise<unknown>;
  terminate(): void;
}

export class BuiltApp {
  constructor(readonly node: Node, readonly manifest: Manifest) {}

  /** Run every auto_start service until SIGINT/SIGTERM; resolves with the exit status. */
  async serve(): Promise<number> {
    const { serveNode } = await import('../host/serve.js');
    return serveNode(this.node);
  }

  /** Call a function entry with JS arguments; resolves with its first result as JS data. */
  call(id: string, ...args: unknown[]): Promise<unknown> {
    const p = this.node.call(id, args.map(toLua));
    return p instanceof ErrorObject ? Promise.reject(appError(p)) : outcome(p);
  }

  /** Spawn a process entry on `host` (default: the app's first process.host, or lunac's own). */
  spawn(id: string, args: unknown[] = [], host?: string): ActorRef {
    const hostId = host ?? this.manifest.registry.entries.find((e) => e.kind === 'process.host')?.id ?? 'lunac:host';
    const p = this.node.spawn(id, hostId, args.map(toLua));
    if (p instanceof ErrorObject) throw appError(p);
    const node = this.node;
    return {
      pid: p.pid,
      send: (topic, ...values) => node.send(undefined, p.pid, topic, values.map(toLua)) === undefined,
      result: () => outcome(p),
      terminate: () => node.terminate(p),
    };
  }
}

function appError(e: ErrorObject): AppError {
  return new AppError(e.kind, Buffer.from(e.message, 'latin1').toString('utf8'), e.retryable);
}

function outcome(p: Process): Promise<unknown> {
  return new Promise((resolve, reject) =>
    p.onDone((o: Outcome) => (o.error ? reject(appError(o.error)) : resolve(luaToData(o.value)))));
}

const opened = new Map<string, Promise<BuiltApp>>();

/** Open the app whose manifest is `manifestPath` (once per path: a built app is one node). */
export function openApp(manifestPath: string | URL): Promise<BuiltApp> {
  const file = typeof manifestPath === 'string' ? manifestPath : fileURLToPath(manifestPath);
  let app = opened.get(file);
  if (app === undefined) {
    app = load(file);
    opened.set(file, app);
  }
  return app;
}

async function load(file: string): Promise<BuiltApp> {
  const manifest = JSON.parse(readFileSync(file, 'utf8')) as Manifest;
  if (manifest.format !== 'lunac-app/1') throw new Error(`${file}: not a lunac app manifest`);
  const preloaded = new Map<string, (env: LuaTable) => unknown>();
  for (const [id, rel] of Object.entries(manifest.modules)) {
    const url = pathToFileURL(join(dirname(file), rel)).href;
    const m = (await import(url)) as { default: Factory; map: Parameters<typeof adoptChunk>[1]; chunkname: string };
    preloaded.set(id, adoptChunk(m.default, m.map, m.chunkname, url));
  }
  const image = { registry: manifest.registry, chunks: {}, plans: manifest.plans };
  const output = new EventLoopOutput();
  return new BuiltApp(createNode(image, output, preloaded), manifest);
}
