// `lunac check [DIR]`: run the checker and print its diagnostics, either for people (a code frame under each
// finding and a summary line) or as JSON (spec §8's shape). `--watch` re-checks whenever a file changes.

import { existsSync, readdirSync, readFileSync, statSync, watch } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { checkApp } from '../compiler/check/check.js';
import { formatDiagnostic, type Diagnostic, type Severity } from '../compiler/diagnostics.js';

export interface CheckCommandOptions {
  json?: boolean;
  rules?: string;
  level?: string;
  ns?: string;
  code?: string;
  limit?: string;
  cache?: boolean;
  watch?: boolean;
}

const RANK: Record<Severity, number> = { error: 0, warning: 1, hint: 2 };
const MISUSE = 2;

export async function checkCommand(dir: string, o: CheckCommandOptions): Promise<number> {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    process.stderr.write(`lunac: ${dir} is not a directory\n`);
    return MISUSE;
  }
  if (o.level !== undefined && !(o.level in RANK)) {
    process.stderr.write(`lunac: --level must be error, warning or hint\n`);
    return MISUSE;
  }
  if (!o.watch) return runOnce(dir, o);
  // Watch first: an edit made right after the first report must not slip in before the watcher exists.
  watchApp(dir, o);
  runOnce(dir, o);
  return new Promise(() => {}); // runs until interrupted
}

function runOnce(dir: string, o: CheckCommandOptions): number {
  const rules = new Set((o.rules ?? '').split(',').map((s) => s.trim()).filter((s) => s !== ''));
  const { diagnostics, app } = checkApp(dir, { rules, cache: o.cache !== false });
  const shown = filter(diagnostics, o, app.entries.map((e) => [e.id, e.ns] as const));
  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  if (o.json) {
    process.stdout.write(JSON.stringify(toJson(shown, app.entries.length), null, 2) + '\n');
  } else {
    const frames = new SourceLines();
    for (const d of shown) process.stdout.write(formatDiagnostic(d) + '\n' + frames.frame(d));
    process.stdout.write(summary(shown, app.entries.length) + '\n');
  }
  return errors > 0 ? 1 : 0;
}

/** `--level`, `--ns` (glob on the entry's namespace), `--code` (comma list or prefix), `--limit`. */
function filter(all: Diagnostic[], o: CheckCommandOptions, entries: (readonly [string, string])[]): Diagnostic[] {
  const maxRank = RANK[(o.level as Severity) ?? 'hint'];
  const nsOf = new Map(entries);
  const nsGlob = o.ns ? new RegExp('^' + o.ns.split('*').map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*') + '$') : null;
  const codes = o.code ? o.code.split(',').map((c) => c.trim().toUpperCase()) : null;
  let out = all.filter((d) => RANK[d.severity] <= maxRank);
  if (nsGlob) out = out.filter((d) => d.entry !== undefined && nsGlob.test(nsOf.get(d.entry) ?? ''));
  if (codes) out = out.filter((d) => codes.some((c) => d.code.startsWith(c)));
  const limit = o.limit ? Number(o.limit) : Infinity;
  return Number.isFinite(limit) && limit >= 0 ? out.slice(0, limit) : out;
}

function count(d: Diagnostic[], s: Severity): number {
  return d.filter((x) => x.severity === s).length;
}

function toJson(d: Diagnostic[], totalEntries: number) {
  return {
    diagnostics: d.map((x) => ({ entry_id: x.entry ?? null, code: x.code, severity: x.severity, message: x.message, file: x.file, line: x.line, column: x.column })),
    total_entries: totalEntries,
    error_count: count(d, 'error'),
    warning_count: count(d, 'warning'),
    hint_count: count(d, 'hint'),
  };
}

function summary(d: Diagnostic[], entries: number): string {
  const plural = (n: number, w: string) => `${n} ${w}${n === 1 ? '' : 's'}`;
  if (d.length === 0) return `no problems in ${plural(entries, 'entry').replace('entrys', 'entries')}`;
  const parts = [plural(count(d, 'error'), 'error'), plural(count(d, 'warning'), 'warning')];
  if (count(d, 'hint') > 0) parts.push(plural(count(d, 'hint'), 'hint'));
  return `${parts.join(', ')} in ${plural(entries, 'entry').replace('entrys', 'entries')}`;
}

/** Source lines for code frames, each file read once. */
class SourceLines {
  private files = new Map<string, string[] | null>();

  frame(d: Diagnostic): string {
    const lines = this.lines(d.file);
    const text = lines?.[d.line - 1];
    if (text === undefined) return '';
    const gutter = String(d.line).length;
    const pad = ' '.repeat(gutter);
    // The caret goes under the column, counting a tab as the tab the line itself shows.
    const before = text.slice(0, Math.max(0, d.column - 1)).replace(/[^\t]/g, ' ');
    return ` ${d.line} | ${text}\n ${pad} | ${before}^\n`;
  }

  private lines(file: string): string[] | null {
    if (!this.files.has(file)) {
      let l: string[] | null = null;
      try {
        l = readFileSync(resolve(file), 'utf8').split(/\r?\n/);
      } catch {
        l = null;
      }
      this.files.set(file, l);
    }
    return this.files.get(file)!;
  }
}

/**
 * Re-check after changes. Each directory gets its own watcher, registered synchronously before the first
 * report (Node's recursive watch on Linux attaches to subdirectories asynchronously, so an edit made right
 * after the report could be missed); directories created later are picked up at the next re-check.
 */
function watchApp(dir: string, o: CheckCommandOptions): void {
  let timer: NodeJS.Timeout | null = null;
  const watched = new Set<string>();
  const onChange = (name: string) => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      process.stdout.write(`\n[${new Date().toLocaleTimeString()}] ${name} changed: checking again\n`);
      watchTree(dir);
      runOnce(dir, o);
    }, 100);
  };
  const watchTree = (d: string): void => {
    if (!watched.has(d)) {
      watched.add(d);
      watch(d, (_event, name) => onChange(name ? relative(dir, join(d, String(name))) : 'a file'));
    }
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.isDirectory() && e.name !== 'node_modules' && e.name !== '.git') watchTree(join(d, e.name));
    }
  };
  watchTree(dir);
}
