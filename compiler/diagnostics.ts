// Every diagnostic the compiler reports, by code. Messages are formatted like a compiler's:
// `FILE:LINE:COL: error CODE: message`.

export type Severity = 'error' | 'warning' | 'hint';

export interface Diagnostic {
  code: string;
  severity: Severity;
  file: string;
  line: number;
  column: number;
  message: string;
}

export const CODES: Record<string, { severity: Severity; title: string }> = {
  P0001: { severity: 'error', title: 'Lua syntax error' },
};

export function diagnostic(code: keyof typeof CODES, file: string, line: number, column: number, message: string): Diagnostic {
  return { code, severity: CODES[code].severity, file, line, column, message };
}

export function formatDiagnostic(d: Diagnostic): string {
  return `${d.file}:${d.line}:${d.column}: ${d.severity} ${d.code}: ${d.message}`;
}
