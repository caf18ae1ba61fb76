// The registry as plain data: what `lunac build` writes into the manifest and what the `registry` module
// serves at run time. Built from the entry graph by the compiler (compiler/entries), read by the runtime.

export interface RegistryEntry {
  /** `namespace:name`. */
  id: string;
  kind: string;
  meta: Record<string, unknown>;
  /** Every other key of the entry (spec §1.2); for Lua entries `source` holds the Lua text. */
  data: Record<string, unknown>;
}

export interface RegistryData {
  entries: RegistryEntry[];
}

/** Split an ID on its first `:`; without one the namespace is empty (spec §1.3). */
export function parseId(id: string): { ns: string; name: string } {
  const i = id.indexOf(':');
  return i < 0 ? { ns: '', name: id } : { ns: id.slice(0, i), name: id.slice(i + 1) };
}
