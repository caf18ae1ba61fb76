// References between entries (spec §1.3, §1.9, §1.10): fields that name another entry must resolve, and to
// an entry of a fitting kind. A reference into a namespace the app does not load at all is only a warning:
// it usually points into a dependency module that is not installed next to the app.

import { diagnostic, type Diagnostic } from '../diagnostics.js';
import { posOf, resolveRef, type Entry } from '../entries/entry.js';
import { namespaceLoaded } from '../entries/graph.js';
import type { LoadedApp } from '../entries/load.js';

interface RefRule {
  /** Dotted path from the entry root (`meta.router`), `[]` marks a list (`lifecycle.requires[]`). */
  path: string;
  /** What the target must be, for messages; null accepts any kind. */
  want: string | null;
  accepts: (kind: string) => boolean;
}

const anyKind: RefRule['accepts'] = () => true;
const is = (...kinds: string[]) => (k: string) => kinds.includes(k);
const startsWith = (p: string) => (k: string) => k.startsWith(p);

const LIFECYCLE: RefRule[] = [
  { path: 'lifecycle.requires[]', want: null, accepts: anyKind },
  { path: 'lifecycle.depends_on[]', want: null, accepts: anyKind },
];

/** Reference fields by entry kind. Functions may be Lua or WASM; hosts of services are process hosts. */
const RULES: Record<string, RefRule[]> = {
  'process.service': [
    { path: 'process', want: 'process entry', accepts: is('process.lua', 'process.lua.bc', 'process.wasm') },
    { path: 'host', want: 'process.host', accepts: is('process.host', 'terminal.host') },
  ],
  'http.endpoint': [
    { path: 'func', want: 'function entry', accepts: startsWith('function.') },
    { path: 'meta.router', want: 'http.router', accepts: is('http.router') },
  ],
  'http.router': [{ path: 'meta.server', want: 'http.service', accepts: is('http.service') }],
  'http.static': [{ path: 'meta.server', want: 'http.service', accepts: is('http.service') }],
  'queue.consumer': [
    { path: 'queue', want: 'queue.queue', accepts: is('queue.queue') },
    { path: 'func', want: 'function entry', accepts: startsWith('function.') },
  ],
  'queue.queue': [{ path: 'driver', want: 'queue driver', accepts: startsWith('queue.driver.') }],
  'contract.binding': [
    { path: 'contracts[].contract', want: 'contract.definition', accepts: is('contract.definition') },
    { path: 'contracts[].methods.*', want: 'function entry', accepts: startsWith('function.') },
  ],
};

const TEMPORAL: RefRule[] = [
  { path: 'meta.temporal.workflow.worker', want: 'temporal.worker', accepts: is('temporal.worker') },
  { path: 'meta.temporal.activity.worker', want: 'temporal.worker', accepts: is('temporal.worker') },
];

export function checkRefs(app: LoadedApp): Diagnostic[] {
  const out: Diagnostic[] = [];
  const patched = requirementTargets(app);
  for (const e of app.entries) {
    const skip = patched.get(e.id);
    const rules = RULES[e.kind];
    if (rules !== undefined) check(app, e, rules, out, skip);
    // Most entries have neither: skip the path walks.
    if (e.data.lifecycle !== undefined) check(app, e, LIFECYCLE, out, skip);
    if (e.meta.temporal !== undefined) check(app, e, TEMPORAL, out, skip);
  }
  return out;
}

function check(app: LoadedApp, e: Entry, rules: RefRule[], out: Diagnostic[], skip: Set<string> | undefined): void {
  for (const rule of rules) {
    for (const [path, value] of valuesAt(e, rule.path)) if (!skip?.has(path)) checkOne(app, e, rule, path, value, out);
  }
}

/**
 * Fields an `ns.requirement` fills in (spec §1.10: `targets[{entry, path}]`, e.g. `path: .meta.router`): the
 * value written in the target entry is a placeholder the requirement replaces, so it is not checked.
 */
function requirementTargets(app: LoadedApp): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const r of app.entries) {
    if (r.kind !== 'ns.requirement' || !Array.isArray(r.data.targets)) continue;
    for (const t of r.data.targets as unknown[]) {
      const { entry, path } = (t ?? {}) as { entry?: unknown; path?: unknown };
      if (typeof entry !== 'string' || typeof path !== 'string') continue;
      const id = resolveRef(r, entry);
      const field = path.replace(/^\./, '').replace(/^data\./, '');
      let set = out.get(id);
      if (set === undefined) out.set(id, (set = new Set()));
      set.add(field);
    }
  }
  return out;
}

function checkOne(app: LoadedApp, e: Entry, rule: RefRule, path: string, value: unknown, out: Diagnostic[]): void {
  if (typeof value !== 'string' || value === '' || value.includes('${')) return;
  const id = resolveRef(e, value);
  const t = app.byId.get(id);
  const p = posOf(e, path);
  const field = path.replace(/^data\./, '');
  if (t === undefined) {
    if (!namespaceLoaded(app, id)) {
      out.push(diagnostic('E0111', p.file, p.line, p.column, `'${field}' names '${id}' in namespace '${id.split(':')[0]}', which is not loaded (is a dependency missing?)`, e.id));
    } else {
      out.push(diagnostic('E0110', p.file, p.line, p.column, `'${field}' names '${id}', which does not exist`, e.id));
    }
  } else if (!rule.accepts(t.kind)) {
    out.push(diagnostic('E0110', p.file, p.line, p.column, `'${field}' names '${id}', a ${t.kind}, where a ${rule.want} is expected`, e.id));
  }
}

/** Values at a rule path with their dotted positions-map paths (lists 1-based, `*` = every map value). */
function valuesAt(e: Entry, path: string): [string, unknown][] {
  const root = path.startsWith('meta.') ? { meta: e.meta } : e.data;
  let cur: [string, unknown][] = [['', root]];
  for (const part of path.split('.')) {
    const next: [string, unknown][] = [];
    const list = part.endsWith('[]');
    const key = list ? part.slice(0, -2) : part;
    for (const [p, v] of cur) {
      if (v === null || typeof v !== 'object') continue;
      const join = (k: string) => (p === '' ? k : `${p}.${k}`);
      if (key === '*') {
        for (const [k, x] of Object.entries(v)) next.push([join(k), x]);
        continue;
      }
      const x = (v as Record<string, unknown>)[key];
      if (list) {
        if (Array.isArray(x)) x.forEach((item, i) => next.push([join(`${key}.${i + 1}`), item]));
      } else {
        next.push([join(key), x]);
      }
    }
    cur = next;
  }
  return cur;
}
