// The `env` module (spec §3.2, §1.10): environment variables resolved through the registry — `env.variable`
// entries name a key in an `env.storage.*` entry (os, memory, file, static, router). An app without
// variables reads and writes the OS environment directly. Keys and values are Lua byte strings.

import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve as resolvePath } from 'node:path';
import { LuaTable } from '../lua/table.js';
import { ret1, ret2 } from '../lua/ret.js';
import { typeError } from '../lua/lib/args.js';
import { ErrorObject, KINDS, newError } from '../lua/lib/errors.js';
import { numberToString } from '../lua/value.js';
import type { RegistryData, RegistryEntry } from '../app/registry-data.js';
import { fromBytes, moduleTable, toBytes, type ModuleDef } from './module.js';

/** One storage: byte-string keys and values. `set` is absent on read-only storages. */
export interface Storage {
  id: string;
  get(key: string): string | undefined;
  set?(key: string, value: string): ErrorObject | undefined;
  /** Every key it holds (for get_all over a router; order = storage order). */
  all(): Map<string, string>;
}

// ---- storages ----

function osStorage(id: string): Storage {
  return {
    id,
    get: (k) => {
      const v = process.env[fromBytes(k)];
      return v === undefined ? undefined : toBytes(v);
    },
    set: (k, v) => {
      if (k.includes('=') || k.includes('\0') || v.includes('\0')) return newError(`invalid OS environment variable '${k}'`, KINDS.INVALID);
      process.env[fromBytes(k)] = fromBytes(v);
      return undefined;
    },
    all: () => new Map(Object.entries(process.env).filter(([, v]) => v !== undefined).map(([k, v]) => [toBytes(k), toBytes(v!)])),
  };
}

/** `values` of a static/memory storage's data: a map of names to scalars. */
function initialValues(data: Record<string, unknown>): Map<string, string> {
  const m = new Map<string, string>();
  const src = data.values ?? data.variables;
  if (src !== null && typeof src === 'object' && !Array.isArray(src)) {
    for (const [k, v] of Object.entries(src as Record<string, unknown>)) {
      if (v !== null && v !== undefined) m.set(toBytes(k), toBytes(typeof v === 'string' ? v : String(v)));
    }
  }
  return m;
}

function mapStorage(id: string, m: Map<string, string>, writable: boolean): Storage {
  const s: Storage = { id, get: (k) => m.get(k), all: () => new Map(m) };
  if (writable) s.set = (k, v) => (m.set(k, v), undefined);
  return s;
}

// ---- .env files ----

interface EnvLine {
  key: string;
  value: string;
  /** First and last line index (a double-quoted value may span lines). */
  from: number;
  to: number;
}

const DQ_ESCAPES: Record<string, string> = { n: '\n', r: '\r', t: '\t', '"': '"', '\\': '\\', $: '$' };

/** Parse `.env` text (bytes): KEY=VALUE, optional `export`, `#` comments, '…' literal, "…" with escapes. */
export function parseDotEnv(text: string): EnvLine[] {
  const lines = text.split('\n').map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
  const out: EnvLine[] = [];
  for (let i = 0; i < lines.length; i++) {
    const m = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_.-]*)\s*=\s*(.*)$/.exec(lines[i]);
    if (m === null) continue;
    const from = i;
    let rest = m[2];
    let value: string;
    if (rest.startsWith('"')) {
      // Read to the closing unescaped quote, across lines if needed.
      let buf = '', j = 1, closed = false;
      for (;;) {
        for (; j < rest.length; j++) {
          const c = rest[j];
          if (c === '\\' && j + 1 < rest.length) buf += DQ_ESCAPES[rest[++j]] ?? '\\' + rest[j];
          else if (c === '"') {
            closed = true;
            break;
          } else buf += c;
        }
        if (closed || i + 1 >= lines.length) break;
        buf += '\n';
        rest = lines[++i];
        j = 0;
      }
      value = buf;
    } else if (rest.startsWith("'")) {
      const end = rest.indexOf("'", 1);
      value = end < 0 ? rest.slice(1) : rest.slice(1, end);
    } else {
      // Unquoted: an inline comment starts at ` #`.
      const hash = rest.search(/\s#/);
      value = (hash < 0 ? rest : rest.slice(0, hash)).trim();
    }
    out.push({ key: m[1], value, from, to: i });
  }
  return out;
}

function quoteDotEnv(v: string): string {
  if (/^[^\s"'#\\$]*$/.test(v)) return v;
  return '"' + v.replace(/[\\"$]/g, '\\$&').replace(/\n/g, '\\n').replace(/\r/g, '\\r').replace(/\t/g, '\\t') + '"';
}

function fileStorage(e: RegistryEntry): Storage {
  const raw = e.data.file_path ?? e.data.path ?? e.data.file;
  const path = typeof raw === 'string' && raw !== '' ? resolvePath(raw) : undefined;
  const read = (): string => (path !== undefined && existsSync(path) ? readFileSync(path).toString('latin1') : '');
  const parsed = () => new Map(parseDotEnv(read()).map((l) => [l.key, l.value]));
  return {
    id: e.id,
    get: (k) => parsed().get(k),
    all: parsed,
    set: (k, v) => {
      if (path === undefined) return newError(`env storage '${e.id}' has no file_path`, KINDS.INVALID);
      if (!existsSync(path) && e.data.auto_create === false) return newError(`env file ${toBytes(path)} does not exist`, KINDS.NOT_FOUND);
      const text = read();
      const lines = text === '' ? [] : text.replace(/\n$/, '').split('\n');
      const at = parseDotEnv(text).filter((l) => l.key === k).pop();
      const line = `${k}=${quoteDotEnv(v)}`;
      if (at) lines.splice(at.from, at.to - at.from + 1, line);
      else lines.push(line);
      try {
        writeFileSync(path, Buffer.from(lines.join('\n') + '\n', 'latin1'), { mode: fileMode(e.data.file_mode) });
      } catch (err) {
        return newError(toBytes(`cannot write env file: ${(err as Error).message}`), KINDS.INTERNAL);
      }
      return undefined;
    },
  };
}

/** `file_mode` as a number or an octal string ("0600"); default 0600 (secrets). */
function fileMode(v: unknown): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && /^0?[0-7]{3,4}$/.test(v)) return parseInt(v, 8);
  return 0o600;
}

function routerStorage(e: RegistryEntry, lookup: (id: string) => Storage | ErrorObject): Storage {
  const ids = Array.isArray(e.data.storages) ? e.data.storages.filter((x): x is string => typeof x === 'string') : [];
  const members = (): Storage[] => ids.map((id) => lookup(qualify(e.id, id))).filter((s): s is Storage => !(s instanceof ErrorObject));
  return {
    id: e.id,
    get: (k) => {
      for (const s of members()) {
        const v = s.get(k);
        if (v !== undefined) return v;
      }
      return undefined;
    },
    // Writes go to the first writable storage in the list.
    set: (k, v) => {
      const w = members().find((s) => s.set !== undefined);
      return w ? w.set!(k, v) : newError(`env storage '${e.id}' has no writable storage`, KINDS.PERMISSION_DENIED);
    },
    all: () => {
      const m = new Map<string, string>();
      for (const s of members().reverse()) for (const [k, v] of s.all()) m.set(k, v);
      return m;
    },
  };
}

/** A relative reference gets the referencing entry's namespace (spec §1.3). */
function qualify(from: string, ref: string): string {
  return ref.includes(':') ? ref : `${from.slice(0, from.indexOf(':'))}:${ref}`;
}

// ---- variables ----

interface Variable {
  id: string;
  /** Key inside its storage. */
  name: string;
  storage: string | undefined;
  def: string | undefined;
  readOnly: boolean;
}

function variableOf(e: RegistryEntry): Variable {
  const d = e.data;
  const name = typeof d.variable === 'string' && d.variable !== '' ? d.variable : e.id.slice(e.id.indexOf(':') + 1);
  const def = d.default === undefined || d.default === null ? undefined : toBytes(typeof d.default === 'string' ? d.default : String(d.default));
  const storage = typeof d.storage === 'string' && d.storage !== '' ? qualify(e.id, d.storage) : undefined;
  return { id: e.id, name: toBytes(name), storage, def, readOnly: d.read_only === true };
}

/** The env of one app: storages built on first use (memory storages keep their values for the app's life). */
export class EnvRegistry {
  private storages = new Map<string, Storage>();
  private variables: Variable[];
  private byKey = new Map<string, Variable>();
  private readonly os = osStorage('(os)');

  constructor(private registry: RegistryData | undefined) {
    const entries = registry?.entries ?? [];
    this.variables = entries.filter((e) => e.kind === 'env.variable').sort((a, b) => (a.id < b.id ? -1 : 1)).map(variableOf);
    // A key is a variable's entry ID or its variable name (IDs win; the first ID in order wins a name).
    for (const v of this.variables) if (!this.byKey.has(v.name)) this.byKey.set(v.name, v);
    for (const v of this.variables) this.byKey.set(toBytes(v.id), v);
  }

  storage(id: string): Storage | ErrorObject {
    let s = this.storages.get(id);
    if (s !== undefined) return s;
    const e = this.registry?.entries.find((x) => x.id === id);
    if (e === undefined || !e.kind.startsWith('env.storage.')) return newError(toBytes(`env storage '${id}' not found`), KINDS.NOT_FOUND);
    switch (e.kind) {
      case 'env.storage.os': s = osStorage(id); break;
      case 'env.storage.memory': s = mapStorage(id, initialValues(e.data), true); break;
      case 'env.storage.static': s = mapStorage(id, initialValues(e.data), false); break;
      case 'env.storage.file': s = fileStorage(e); break;
      case 'env.storage.router': s = routerStorage(e, (x) => (x === id ? newError('router refers to itself', KINDS.INVALID) : this.storage(x))); break;
      default: return newError(toBytes(`unknown env storage kind '${e.kind}'`), KINDS.INVALID);
    }
    this.storages.set(id, s);
    return s;
  }

  private storageOf(v: Variable): Storage | ErrorObject {
    return v.storage === undefined ? this.os : this.storage(v.storage);
  }

  /** The variable a key names, undefined when the app declares none (then the OS environment is used). */
  private variable(key: string): Variable | ErrorObject | undefined {
    if (this.variables.length === 0) return undefined;
    return this.byKey.get(key) ?? newError(`environment variable '${key}' not found`, KINDS.NOT_FOUND);
  }

  get(key: string): string | ErrorObject {
    const v = this.variable(key);
    if (v instanceof ErrorObject) return v;
    if (v === undefined) return this.os.get(key) ?? newError(`environment variable '${key}' not found`, KINDS.NOT_FOUND);
    const s = this.storageOf(v);
    if (s instanceof ErrorObject) return s;
    return s.get(v.name) ?? v.def ?? newError(`environment variable '${key}' not set`, KINDS.NOT_FOUND);
  }

  set(key: string, value: string): ErrorObject | undefined {
    const v = this.variable(key);
    if (v instanceof ErrorObject) return v;
    if (v === undefined) return this.os.set!(key, value);
    if (v.readOnly) return newError(`environment variable '${key}' is read-only`, KINDS.PERMISSION_DENIED);
    const s = this.storageOf(v);
    if (s instanceof ErrorObject) return s;
    if (s.set === undefined) return newError(toBytes(`env storage '${s.id}' is read-only`), KINDS.PERMISSION_DENIED);
    return s.set(v.name, value);
  }

  /** Name → value of every variable that has one (the whole OS environment without variables). */
  all(): Map<string, string> | ErrorObject {
    if (this.variables.length === 0) return this.os.all();
    const m = new Map<string, string>();
    for (const v of this.variables) {
      const s = this.storageOf(v);
      if (s instanceof ErrorObject) return s;
      const x = s.get(v.name) ?? v.def;
      if (x !== undefined && !m.has(v.name)) m.set(v.name, x);
    }
    return m;
  }
}

function keyArg(args: unknown[], fname: string): string {
  const k = args[0];
  if (typeof k === 'string') return k;
  if (typeof k === 'number') return numberToString(k);
  throw typeError(args, 1, fname, 'string');
}

export const envModule: ModuleDef = {
  name: 'env',
  open(ctx) {
    const env = new EnvRegistry(ctx.registry);
    const invalid = () => ret2(undefined, newError('environment variable name must not be empty', KINDS.INVALID));
    return moduleTable('env', {
      get: (...args: unknown[]) => {
        const k = keyArg(args, 'get');
        if (k === '') return invalid();
        const v = env.get(k);
        return v instanceof ErrorObject ? ret2(undefined, v) : ret1(v);
      },
      set: (...args: unknown[]) => {
        const k = keyArg(args, 'set');
        const v = args[1];
        if (typeof v !== 'string' && typeof v !== 'number') throw typeError(args, 2, 'set', 'string');
        if (k === '') return invalid();
        const err = env.set(k, typeof v === 'number' ? numberToString(v) : v);
        return err ? ret2(undefined, err) : ret1(true);
      },
      get_all: () => {
        const m = env.all();
        if (m instanceof ErrorObject) return ret2(undefined, m);
        const t = new LuaTable();
        for (const [k, v] of m) t.set(k, v);
        return ret1(t);
      },
    });
  },
};
