// The `lifecycle` block of service entries (spec §1.9): parsing with Wippy's defaults and clear errors.
//
// Durations are Go duration strings ("10s", "500ms", "1m30s", "0") or bare numbers. A bare number is read
// as MILLISECONDS: Wippy decodes these fields into Go `time.Duration`, but nothing in the spec or in public
// Wippy code shows a bare integer being used (every observed value is a string), and milliseconds are what
// lunac already uses for numeric durations elsewhere (`process.cancel(pid, 500)`). A number meant as
// nanoseconds (what a raw Go int64 decode would give) would make `stop_timeout: 10` a 10 ns timeout, which is
// never what anyone means. Negative durations are rejected.
//
// Unknown keys are reported as warnings (a typo like `autostart` should not pass silently, but a field lunac
// does not know yet must not stop an app that Wippy would run). `security` is accepted and not enforced.

import { durationMs as goDurationMs } from '../modules/time/duration.js';
import { toBytes } from '../modules/module.js';

export type Startup = 'required' | 'optional';

export interface RestartPolicy {
  initialDelayMs: number;
  maxDelayMs: number;
  backoffFactor: number;
  /** Fraction: 0.1 = ±10 %. */
  jitter: number;
  /** Restarts allowed in a row (reset after stable_threshold); 0 = infinite. */
  maxAttempts: number;
}

export interface Lifecycle {
  autoStart: boolean;
  startup: Startup;
  startTimeoutMs: number;
  stopTimeoutMs: number;
  stableThresholdMs: number;
  /** `requires` and legacy `depends_on` merged, as written (relative names not yet resolved). */
  requires: string[];
  restart: RestartPolicy;
}

export const DEFAULT_RESTART: Readonly<RestartPolicy> = {
  initialDelayMs: 1000,
  maxDelayMs: 90_000,
  backoffFactor: 2,
  jitter: 0.1,
  maxAttempts: 0,
};

export const DEFAULT_LIFECYCLE: Readonly<Lifecycle> = {
  autoStart: false,
  startup: 'required',
  startTimeoutMs: 10_000,
  stopTimeoutMs: 10_000,
  stableThresholdMs: 5_000,
  requires: [],
  restart: DEFAULT_RESTART,
};

/** Go's time.ParseDuration grammar (YAML text), in milliseconds; undefined when malformed. */
export function parseGoDuration(s: string): number | undefined {
  return goDurationMs(toBytes(s));
}

/** A duration field: a Go duration string or a number of milliseconds. */
export function durationMs(v: unknown, field: string, errors: string[]): number | undefined {
  let ms: number | undefined;
  if (typeof v === 'number' && Number.isFinite(v)) ms = v;
  else if (typeof v === 'string') ms = parseGoDuration(v.trim());
  if (ms === undefined) {
    errors.push(`${field}: invalid duration ${JSON.stringify(v)} (use a Go duration like "10s" or "500ms", or a number of milliseconds)`);
    return undefined;
  }
  if (ms < 0) {
    errors.push(`${field}: duration must not be negative (got ${JSON.stringify(v)})`);
    return undefined;
  }
  return ms;
}

function isMap(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

const LIFECYCLE_KEYS = new Set(['auto_start', 'startup', 'start_timeout', 'stop_timeout', 'stable_threshold', 'requires', 'depends_on', 'security', 'restart']);
const RESTART_KEYS = new Set(['initial_delay', 'max_delay', 'backoff_factor', 'jitter', 'max_attempts']);

export interface ParsedLifecycle {
  lifecycle: Lifecycle;
  errors: string[];
  warnings: string[];
}

/** Parse an entry's `lifecycle` value (undefined/null = all defaults). Field names in messages are prefixed `lifecycle.`. */
export function parseLifecycle(raw: unknown): ParsedLifecycle {
  const errors: string[] = [];
  const warnings: string[] = [];
  const lc: Lifecycle = { ...DEFAULT_LIFECYCLE, requires: [], restart: { ...DEFAULT_RESTART } };
  if (raw === undefined || raw === null) return { lifecycle: lc, errors, warnings };
  if (!isMap(raw)) {
    errors.push(`lifecycle: must be a map (got ${describe(raw)})`);
    return { lifecycle: lc, errors, warnings };
  }
  for (const k of Object.keys(raw)) if (!LIFECYCLE_KEYS.has(k)) warnings.push(`lifecycle.${k}: unknown field (ignored)`);

  const v = raw;
  if (v.auto_start !== undefined && v.auto_start !== null) {
    if (typeof v.auto_start !== 'boolean') errors.push(`lifecycle.auto_start: must be true or false (got ${describe(v.auto_start)})`);
    else lc.autoStart = v.auto_start;
  }
  if (v.startup !== undefined && v.startup !== null) {
    if (v.startup !== 'required' && v.startup !== 'optional') errors.push(`lifecycle.startup: must be "required" or "optional" (got ${describe(v.startup)})`);
    else lc.startup = v.startup;
  }
  const dur = (key: string, set: (ms: number) => void, prefix = 'lifecycle.', obj: Record<string, unknown> = v) => {
    const x = obj[key];
    if (x === undefined || x === null) return;
    const ms = durationMs(x, prefix + key, errors);
    if (ms !== undefined) set(ms);
  };
  dur('start_timeout', (ms) => (lc.startTimeoutMs = ms));
  dur('stop_timeout', (ms) => (lc.stopTimeoutMs = ms));
  dur('stable_threshold', (ms) => (lc.stableThresholdMs = ms));
  for (const key of ['requires', 'depends_on']) {
    const x = v[key];
    if (x === undefined || x === null) continue;
    if (!Array.isArray(x) || x.some((r) => typeof r !== 'string' || r === '')) {
      errors.push(`lifecycle.${key}: must be a list of entry IDs (got ${describe(x)})`);
      continue;
    }
    for (const r of x as string[]) if (!lc.requires.includes(r)) lc.requires.push(r);
  }
  if (v.security !== undefined && v.security !== null && !isMap(v.security)) errors.push(`lifecycle.security: must be a map (got ${describe(v.security)})`);

  const r = v.restart;
  if (r !== undefined && r !== null) {
    if (!isMap(r)) {
      errors.push(`lifecycle.restart: must be a map (got ${describe(r)})`);
    } else {
      for (const k of Object.keys(r)) if (!RESTART_KEYS.has(k)) warnings.push(`lifecycle.restart.${k}: unknown field (ignored)`);
      const p = 'lifecycle.restart.';
      dur('initial_delay', (ms) => (lc.restart.initialDelayMs = ms), p, r);
      dur('max_delay', (ms) => (lc.restart.maxDelayMs = ms), p, r);
      if (r.backoff_factor !== undefined && r.backoff_factor !== null) {
        if (typeof r.backoff_factor !== 'number' || !Number.isFinite(r.backoff_factor) || r.backoff_factor < 1) {
          errors.push(`${p}backoff_factor: must be a number >= 1 (got ${describe(r.backoff_factor)})`);
        } else lc.restart.backoffFactor = r.backoff_factor;
      }
      if (r.jitter !== undefined && r.jitter !== null) {
        if (typeof r.jitter !== 'number' || !(r.jitter >= 0 && r.jitter <= 1)) errors.push(`${p}jitter: must be a fraction between 0 and 1 (got ${describe(r.jitter)})`);
        else lc.restart.jitter = r.jitter;
      }
      if (r.max_attempts !== undefined && r.max_attempts !== null) {
        if (typeof r.max_attempts !== 'number' || !Number.isInteger(r.max_attempts) || r.max_attempts < 0) {
          errors.push(`${p}max_attempts: must be a whole number >= 0, 0 = unlimited (got ${describe(r.max_attempts)})`);
        } else lc.restart.maxAttempts = r.max_attempts;
      }
    }
  }
  return { lifecycle: lc, errors, warnings };
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a map';
  return JSON.stringify(v);
}

/** A duration for people: "250ms", "1.2s", "1m30s". */
export function formatMs(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`;
  if (ms < 60_000) return `${+(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)}s`;
  const m = Math.floor(ms / 60_000);
  const s = Math.round((ms % 60_000) / 1000);
  return s === 0 ? `${m}m` : `${m}m${s}s`;
}
