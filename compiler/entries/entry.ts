// An entry as loaded from a definition file (spec §1.2): identity, kind, meta, the data payload, and where
// it came from so every later diagnostic can point at the YAML (or at the Lua file its `source` named).

export interface Pos {
  file: string;
  line: number;
  column: number;
}

export interface Entry {
  /** `namespace:name`. */
  id: string;
  ns: string;
  name: string;
  kind: string;
  meta: Record<string, unknown>;
  /** All other keys of the entry (or its explicit `data:`), `file://` values already replaced by content. */
  data: Record<string, unknown>;
  /** The entry's map in its definition file. */
  pos: Pos;
  /** Positions of values inside the entry by dotted path (`imports.json`, `modules.1`, `meta.router`). */
  fieldPos: Map<string, Pos>;
  /** Where the Lua of `source` lives: the `.lua` file (line offset 0) or the YAML block it was written in. */
  sourceAt?: SourceAt;
}

/** Where Lua line 1, column 1 of an entry's source sits in the files the user edits. */
export interface SourceAt {
  file: string;
  lineOffset: number;
  columnOffset: number;
  /** Block scalars indent every line; a quoted one-line source only shifts its first line. */
  indentAllLines: boolean;
}

/** Map a position in an entry's Lua source to the file the user edits. */
export function luaPos(e: Entry, line: number, column: number): Pos {
  const at = e.sourceAt;
  if (!at) return { file: e.pos.file, line: e.pos.line, column: e.pos.column };
  const shift = at.indentAllLines || line === 1 ? at.columnOffset : 0;
  return { file: at.file, line: line + at.lineOffset, column: column + shift };
}

export const LUA_KINDS = new Set(['function.lua', 'process.lua', 'workflow.lua', 'library.lua']);

export function isLuaEntry(e: Entry): boolean {
  return LUA_KINDS.has(e.kind);
}

/** The position of a field if known, else the entry's own. */
export function posOf(e: Entry, path: string): Pos {
  return e.fieldPos.get(path) ?? e.pos;
}

/** Resolve a reference written inside entry `e`: relative names get `e`'s namespace (spec §1.3). */
export function resolveRef(e: Entry, ref: string): string {
  return ref.includes(':') ? ref : `${e.ns}:${ref}`;
}

/** `modules` of a Lua entry as a list of names (anything malformed is reported by the loader). */
export function modulesOf(e: Entry): string[] {
  const m = e.data.modules;
  return Array.isArray(m) ? m.filter((x): x is string => typeof x === 'string') : [];
}

/** `imports` of a Lua entry as [alias, target ID] pairs, targets resolved against the entry's namespace. */
export function importsOf(e: Entry): [string, string][] {
  // Asked for many times per check (graph walks, plans): computed once per entry.
  let r = importsCache.get(e);
  if (r === undefined) {
    const m = e.data.imports;
    r = m === null || typeof m !== 'object' || Array.isArray(m) ? [] : Object.entries(m as Record<string, unknown>)
      .filter((kv): kv is [string, string] => typeof kv[1] === 'string')
      .map(([alias, target]) => [alias, resolveRef(e, target)]);
    importsCache.set(e, r);
  }
  return r;
}

const importsCache = new WeakMap<Entry, [string, string][]>();

/** The method a Lua entry runs (spec §1.5): `function.lua` names it, processes/workflows default to main. */
export function methodOf(e: Entry): string | undefined {
  const m = e.data.method;
  if (typeof m === 'string' && m !== '') return m;
  return e.kind === 'process.lua' || e.kind === 'workflow.lua' ? 'main' : undefined;
}
