// The Wippy `text` module (spec §3.2): `text.regexp` (Go RE2 regexps), `text.diff` (diff-match-patch) and
// `text.splitter` (recursive and markdown chunkers). Deterministic; the two engines load on first use.

import { moduleTable, type ModuleDef } from '../module.js';
import { regexpTable } from './regexp.js';
import { diffTable } from './diff.js';
import { splitterTable } from './splitter.js';

export const textModule: ModuleDef = {
  name: 'text',
  open: () => moduleTable('text', { regexp: regexpTable(), diff: diffTable(), splitter: splitterTable() }),
};
