// Every diagnostic lunac reports, by code, in one table: codes are stable (tests and `--json` users rely
// on them), messages are formatted like a compiler's: `FILE:LINE:COL: error CODE: message (entry ID)`.
//
// Families: P = Lua syntax, Y = definition files (YAML/JSON structure), E01xx = linking (require,
// modules, imports, methods, references), W00xx = opt-in lint rules (compiler/check/lint.ts).

export type Severity = 'error' | 'warning' | 'hint';

export interface Diagnostic {
  code: string;
  severity: Severity;
  file: string;
  line: number;
  column: number;
  message: string;
  /** The entry the finding belongs to, when there is one. */
  entry?: string;
}

export const CODES = {
  P0001: { severity: 'error', title: 'Lua syntax error' },
  Y0001: { severity: 'error', title: 'YAML/JSON syntax error in a definition file' },
  Y0002: { severity: 'error', title: 'malformed definition file (no entries, or not a map)' },
  Y0003: { severity: 'error', title: 'entry without a name' },
  Y0004: { severity: 'error', title: 'entry without a kind' },
  Y0005: { severity: 'error', title: 'duplicate entry ID' },
  Y0006: { severity: 'error', title: 'file:// reference that cannot be read or escapes the app' },
  Y0007: { severity: 'error', title: 'Lua entry without source' },
  Y0008: { severity: 'error', title: 'function.lua entry without method' },
  Y0009: { severity: 'error', title: 'malformed field (modules must be a list of names, imports a map of aliases to IDs)' },
  E0101: { severity: 'error', title: 'require() of a module that is not declared in modules or imports' },
  E0102: { severity: 'warning', title: 'require() with a name that is not a literal string (not checked)' },
  E0103: { severity: 'error', title: 'unknown module name in modules' },
  E0104: { severity: 'error', title: 'import that does not resolve to an entry' },
  E0105: { severity: 'error', title: 'import of an entry that is not a library.lua' },
  E0106: { severity: 'error', title: 'import cycle' },
  E0107: { severity: 'error', title: 'two dependencies claim the same alias' },
  E0108: { severity: 'error', title: 'method not found in the table the chunk returns' },
  E0109: { severity: 'error', title: 'workflow reaches a module that is not allowed in workflows' },
  E0110: { severity: 'error', title: 'reference to an entry that does not exist or has the wrong kind' },
  E0111: { severity: 'warning', title: 'reference into a namespace that is not loaded (missing dependency?)' },
  E0112: { severity: 'warning', title: 'require() in a library that no entry imports, of a module the library does not declare' },
  W0001: { severity: 'warning', title: 'no-empty-blocks' },
  W0002: { severity: 'warning', title: 'no-global-assign' },
  W0003: { severity: 'warning', title: 'no-self-compare' },
  W0004: { severity: 'warning', title: 'no-unused-vars' },
  W0005: { severity: 'warning', title: 'no-unused-params' },
  W0006: { severity: 'warning', title: 'no-unused-imports' },
  W0007: { severity: 'warning', title: 'no-shadowed-vars' },
} as const satisfies Record<string, { severity: Severity; title: string }>;

export type Code = keyof typeof CODES;

export function diagnostic(code: Code, file: string, line: number, column: number, message: string, entry?: string): Diagnostic {
  const d: Diagnostic = { code, severity: CODES[code].severity, file, line, column, message };
  if (entry !== undefined) d.entry = entry;
  return d;
}

export function formatDiagnostic(d: Diagnostic): string {
  return `${d.file}:${d.line}:${d.column}: ${d.severity} ${d.code}: ${d.message}${d.entry ? ` (entry ${d.entry})` : ''}`;
}
