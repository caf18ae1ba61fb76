// An app image: everything the runtime needs to run an app without the compiler — the registry (entries as
// data), the compiled chunk of every Lua entry, and each entry's link plan. `lunac build` writes it to disk;
// `lunac run/serve/test` build it in memory from the sources.

import type { ChunkCode } from '../lua/loader.js';
import type { RegistryData } from './registry-data.js';

/** How to build one Lua entry's globals: modules by name, then libraries (alias → entry) deepest first. */
export interface LinkPlan {
  modules: string[];
  libraries: { alias: string; id: string }[];
}

export interface AppImage {
  registry: RegistryData;
  /** Compiled chunk per Lua entry ID. */
  chunks: Record<string, ChunkCode>;
  /** Link plan per Lua entry ID (libraries included: a library's plan is used to check its requires). */
  plans: Record<string, LinkPlan>;
}
