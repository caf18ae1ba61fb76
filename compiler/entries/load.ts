// Loading an app (spec §1.1–1.4): find the definition files, parse them with positions, resolve `file://`
// values, and extract entries. A broken file is reported and skipped; loading always continues so one
// run reports everything.

import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { createRequire } from 'node:module';
import type { LineCounter, Node as YNode } from 'yaml';
import { diagnostic, type Diagnostic } from '../diagnostics.js';
import { LUA_KINDS, type Entry, type Pos } from './entry.js';

export interface LoadedApp {
  /** Absolute app directory: `file://` paths may not leave it. */
  root: string;
  entries: Entry[];
  byId: Map<string, Entry>;
  diagnostics: Diagnostic[];
  /** Every file read (definition files and `file://` targets), for watch mode and caches. */
  files: string[];
}

// The yaml package is loaded on first use: a warm `lunac check` takes every parsed file from its cache.
const require = createRequire(import.meta.url);
let yamlLib: typeof import('yaml') | null = null;
const Y = () => (yamlLib ??= require('yaml') as typeof import('yaml'));

const DEFINITION = /\.(ya?ml|json)$/;
const SKIP_DIRS = new Set(['node_modules', '.git', 'dist']);

/** Load every definition file under `dir` (or under the directories its `wippy.lock` names). */
export function loadApp(dir: string, cache?: LoadCache): LoadedApp {
  const root = resolve(dir);
  const app: LoadedApp = { root, entries: [], byId: new Map(), diagnostics: [], files: [] };
  for (const file of definitionFiles(root, app.diagnostics)) loadFile(app, file, cache);
  return app;
}

/** Paths shown in diagnostics: relative to the working directory, like a compiler's. */
export function displayPath(abs: string): string {
  const r = relative(process.cwd(), abs);
  return r === '' || r.startsWith('..' + sep + '..') ? abs : r;
}

function definitionFiles(root: string, diags: Diagnostic[]): string[] {
  const lock = join(root, 'wippy.lock');
  let dirs = [root];
  if (existsSync(lock)) {
    const named = lockDirectories(lock, diags);
    if (named !== null) dirs = named.map((d) => resolve(root, d)).filter((d) => existsSync(d));
  }
  const out: string[] = [];
  for (const d of dirs) walk(d, out);
  return [...new Set(out)].sort();
}

/** `directories: {modules: .wippy, src: ./src}` of a wippy.lock; null when it names none. */
function lockDirectories(lock: string, diags: Diagnostic[]): string[] | null {
  const lc = new (Y().LineCounter)();
  const doc = Y().parseDocument(readFileSync(lock, 'utf8'), { lineCounter: lc });
  if (doc.errors.length > 0) {
    diags.push(yamlError(displayPath(lock), doc.errors[0] as any, lc));
    return null;
  }
  const dirs = (doc.toJS() as { directories?: Record<string, unknown> } | null)?.directories;
  if (dirs === null || typeof dirs !== 'object') return null;
  const names = Object.values(dirs).filter((v): v is string => typeof v === 'string');
  return names.length > 0 ? names : null;
}

function walk(dir: string, out: string[]): void {
  let items;
  try {
    items = readdirSync(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const it of items) {
    const p = join(dir, it.name);
    if (it.isDirectory()) {
      if (!SKIP_DIRS.has(it.name)) walk(p, out);
    } else if (DEFINITION.test(it.name) && it.name !== '.wippy.yaml' && it.name !== 'package.json' && it.name !== 'package-lock.json') {
      out.push(p);
    }
  }
}

function yamlError(shown: string, err: { message: string; linePos?: [{ line: number; col: number }, ...unknown[]] }, _lc: LineCounter): Diagnostic {
  const at = err.linePos?.[0] ?? { line: 1, col: 1 };
  const msg = err.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
  return diagnostic('Y0001', shown, at.line, at.col, msg);
}

// ---- one definition file ----

type Json = Record<string, unknown>;
const SINGLE_EXCLUDED = ['namespace', 'name', 'kind', 'meta', 'version', 'requirements', 'entries'];
const LIST_EXCLUDED = ['name', 'kind', 'meta'];

/** A definition file reduced to plain data: what the (cacheable) YAML stage hands to entry extraction. */
interface ParsedFile {
  ns: string | null;
  meta: Json;
  /** Positions as [line, column] (the file is the definition file): the cache stays small. */
  entries: { raw: Json; pos: [number, number]; fieldPos: [string, number, number][]; excluded: string[] }[];
  diagnostics: Diagnostic[];
}

/** Optional store for parsed definition files, keyed by path and content (the checker's cache). */
export interface LoadCache {
  get(key: string): unknown;
  set(key: string, value: unknown): void;
}

function loadFile(app: LoadedApp, file: string, cache?: LoadCache): void {
  const text = readFileSync(file, 'utf8');
  // Most non-definition YAML (CI configs, docs data) never mentions a namespace: skip the parse.
  if (!text.includes('namespace')) return;
  app.files.push(file);
  const shown = displayPath(file);
  const key = cache ? createHash('sha1').update(shown).update('\0').update(text).digest('hex') : '';
  let parsed = cache?.get(key) as ParsedFile | undefined;
  if (parsed === undefined) {
    parsed = parseDefinition(text, shown);
    cache?.set(key, parsed);
  }
  app.diagnostics.push(...parsed.diagnostics);
  if (parsed.ns === null) return;
  for (const e of parsed.entries) {
    const pos = { file: shown, line: e.pos[0], column: e.pos[1] };
    const fieldPos = new Map(e.fieldPos.map(([k, line, column]) => [k, { file: shown, line, column }]));
    addEntry(app, file, parsed.ns, e.raw, pos, fieldPos, parsed.meta, new Set(e.excluded));
  }
}

/** YAML/JSON text → namespace, file meta and raw entries with the positions of their values. */
function parseDefinition(text: string, shown: string): ParsedFile {
  const out: ParsedFile = { ns: null, meta: {}, entries: [], diagnostics: [] };
  const { LineCounter, parseDocument, isMap, isSeq } = Y();
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, prettyErrors: true, uniqueKeys: false });
  if (doc.errors.length > 0) {
    out.diagnostics.push(yamlError(shown, doc.errors[0] as any, lc));
    return out;
  }
  const root = doc.contents;
  const posAt = (n: YNode | null | undefined): Pos => {
    const p = lc.linePos(n?.range?.[0] ?? 0);
    return { file: shown, line: p.line, column: p.col };
  };
  const fail = (n: YNode | null | undefined, msg: string) => {
    const p = posAt(n);
    out.diagnostics.push(diagnostic('Y0002', shown, p.line, p.column, msg));
  };
  if (!isMap(root)) {
    if (root !== null) fail(root, 'a definition file must be a map');
    return out;
  }
  const top = doc.toJS({ maxAliasCount: 1000 }) as Json;
  const ns = top.namespace;
  if (typeof ns !== 'string' || ns.trim() === '') return out; // not a definition file (spec §1.1)
  out.ns = ns;
  out.meta = isPlainMap(top.meta) ? (top.meta as Json) : {};
  const add = (raw: Json, node: YNode, excluded: string[]) => {
    const fieldPos = new Map<string, Pos>();
    collectPositions(node, '', 0, fieldPos, posAt);
    const at = posAt(node);
    out.entries.push({ raw, pos: [at.line, at.column], fieldPos: [...fieldPos].map(([k, p]) => [k, p.line, p.column]), excluded });
  };
  const entriesNode = root.get('entries', true) as YNode | undefined;
  const list = top.entries;
  if (Array.isArray(list) && list.length > 0 && isSeq(entriesNode)) {
    list.forEach((raw, i) => {
      const node = entriesNode.items[i] as YNode;
      if (isPlainMap(raw)) add(raw as Json, node, LIST_EXCLUDED);
      else fail(node, `entry ${i + 1} of namespace '${ns}' is not a map`);
    });
  } else if (top.name !== undefined || top.kind !== undefined) {
    add(top, root, SINGLE_EXCLUDED);
  } else if (!Array.isArray(list)) {
    fail(root, `definition file of namespace '${ns}' has neither 'entries' nor 'name' and 'kind'`);
  }
  return out;
}

function isPlainMap(v: unknown): boolean {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function addEntry(app: LoadedApp, file: string, ns: string, raw: Json, pos: Pos, fieldPos: Map<string, Pos>, fileMeta: Json, excluded: Set<string>): void {
  const name = raw.name, kind = raw.kind;
  const report = (code: Parameters<typeof diagnostic>[0], path: string, msg: string, id?: string) => {
    const p = fieldPos.get(path) ?? pos;
    app.diagnostics.push(diagnostic(code, p.file, p.line, p.column, msg, id));
  };
  if (typeof name !== 'string' || name === '') return report('Y0003', 'name', `entry in namespace '${ns}' has no name`);
  const id = `${ns}:${name}`;
  if (typeof kind !== 'string' || kind === '') return report('Y0004', 'kind', `entry '${id}' has no kind`, id);
  // Values are copied: interpolation replaces file:// strings in place and the raw data may be cached.
  const meta = structuredClone({ ...fileMeta, ...(isPlainMap(raw.meta) ? (raw.meta as Json) : {}) });
  let data: Json;
  if (isPlainMap(raw.data)) {
    data = structuredClone(raw.data as Json);
    // Positions of an explicit data: block are under "data."; expose them at the root like the data itself.
    for (const [k, p] of [...fieldPos]) if (k.startsWith('data.')) fieldPos.set(k.slice(5), p);
  } else {
    data = {};
    for (const [k, v] of Object.entries(raw)) if (!excluded.has(k)) data[k] = structuredClone(v);
  }
  const entry: Entry = { id, ns, name, kind, meta, data, pos, fieldPos };
  interpolateFiles(app, file, entry, data, '', report);
  interpolateFiles(app, file, entry, meta, 'meta.', report);
  if (app.byId.has(id)) {
    const first = app.byId.get(id)!.pos;
    return report('Y0005', 'name', `duplicate entry ID '${id}' (first defined at ${first.file}:${first.line})`, id);
  }
  validateLuaFields(entry, report);
  app.entries.push(entry);
  app.byId.set(id, entry);
}

/** Record the position of every value by dotted path (keys of maps, 1-based indices of lists). */
function collectPositions(node: YNode | null | undefined, path: string, depth: number, out: Map<string, Pos>, posAt: (n: YNode | null | undefined) => Pos): void {
  const { isMap, isSeq, isPair, isScalar } = Y();
  if (depth > 6 || node === null || node === undefined) return;
  if (isMap(node)) {
    for (const item of node.items) {
      if (!isPair(item) || !isScalar(item.key)) continue;
      const p = path + String(item.key.value);
      out.set(p, posAt((item.value as YNode | null) ?? (item.key as YNode)));
      collectPositions(item.value as YNode, p + '.', depth + 1, out, posAt);
    }
  } else if (isSeq(node)) {
    node.items.forEach((it, i) => {
      out.set(path + String(i + 1), posAt(it as YNode));
      collectPositions(it as YNode, path + String(i + 1) + '.', depth + 1, out, posAt);
    });
  }
}

// ---- file:// (spec §1.4) ----

/** Replace `file://…` string values (anywhere in `obj`) by the content of the file they name. */
function interpolateFiles(app: LoadedApp, yamlFile: string, entry: Entry, obj: Json | unknown[], prefix: string, report: (code: 'Y0006', path: string, msg: string, id?: string) => void): void {
  const keys = Array.isArray(obj) ? obj.map((_, i) => i) : Object.keys(obj);
  for (const k of keys) {
    const path = prefix + (Array.isArray(obj) ? String((k as number) + 1) : String(k));
    const v = (obj as any)[k];
    if (typeof v === 'string' && v.startsWith('file://')) {
      const target = resolveFileRef(app.root, yamlFile, v.slice(7));
      if (typeof target !== 'string') {
        report('Y0006', path, target.error, entry.id);
        (obj as any)[k] = undefined;
        continue;
      }
      try {
        (obj as any)[k] = readFileSync(target, 'latin1');
        app.files.push(target);
        if (path === 'source') entry.sourceAt = { file: displayPath(target), lineOffset: 0, columnOffset: 0, indentAllLines: false };
      } catch (err) {
        const why = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as NodeJS.ErrnoException).code === 'EISDIR' ? 'a directory' : 'unreadable';
        report('Y0006', path, `cannot read ${v} (${displayPath(target)}: ${why})`, entry.id);
        (obj as any)[k] = undefined;
      }
    } else if (v !== null && typeof v === 'object') {
      interpolateFiles(app, yamlFile, entry, v, path + '.', report);
    } else if (typeof v === 'string' && path === 'source') {
      entry.sourceAt = inlineSourceAt(entry, yamlFile);
      // Inline sources are text in the YAML: keep them as UTF-8 bytes like a .lua file would be.
      (obj as any)[k] = Buffer.from(v, 'utf8').toString('latin1');
    }
  }
}

/** `file://rel` → absolute path under the app root, or an error (empty path, escape). */
function resolveFileRef(root: string, yamlFile: string, ref: string): string | { error: string } {
  if (ref === '' || ref === '.') return { error: 'empty file:// path' };
  const abs = ref.startsWith('/') ? resolve(root, '.' + ref) : resolve(dirname(yamlFile), ref);
  if (abs !== root && !abs.startsWith(root + sep)) return { error: `file://${ref} escapes the app directory` };
  return abs;
}

/** Where Lua written inline in the YAML starts: a block scalar's content begins on the next line. */
function inlineSourceAt(entry: Entry, yamlFile: string): Entry['sourceAt'] {
  const p = entry.fieldPos.get('source') ?? entry.pos;
  const lines = readFileSync(yamlFile, 'utf8').split('\n');
  const first = lines[p.line - 1] ?? '';
  const indicator = first.slice(p.column - 1);
  if (/^[|>]/.test(indicator)) {
    const body = lines.slice(p.line).find((l) => l.trim() !== '') ?? '';
    return { file: p.file, lineOffset: p.line, columnOffset: body.length - body.trimStart().length, indentAllLines: true };
  }
  const quoted = /^["']/.test(indicator) ? 1 : 0;
  return { file: p.file, lineOffset: p.line - 1, columnOffset: p.column - 1 + quoted, indentAllLines: false };
}

// ---- per-kind field checks (spec §1.5) ----

function validateLuaFields(e: Entry, report: (code: 'Y0007' | 'Y0008' | 'Y0009', path: string, msg: string, id?: string) => void): void {
  if (!LUA_KINDS.has(e.kind)) return;
  const { source, method, modules, imports } = e.data;
  if (typeof source !== 'string' || source.trim() === '') {
    if (!('source' in e.data) || source !== undefined) report('Y0007', 'source', `${e.kind} entry '${e.id}' has no source`, e.id);
  }
  if (e.kind === 'function.lua' && (typeof method !== 'string' || method === '')) {
    report('Y0008', 'kind', `function.lua entry '${e.id}' needs a method`, e.id);
  }
  if (modules !== undefined && (!Array.isArray(modules) || modules.some((m) => typeof m !== 'string' || m === ''))) {
    report('Y0009', 'modules', `'modules' of '${e.id}' must be a list of module names`, e.id);
  }
  if (imports !== undefined && (!isPlainMap(imports) || Object.entries(imports as Json).some(([a, t]) => a === '' || typeof t !== 'string' || t === ''))) {
    report('Y0009', 'imports', `'imports' of '${e.id}' must map aliases to entry IDs`, e.id);
  }
}
