// The `logger` module (spec §3.2): structured JSON log lines, one per call, written through the app's log
// sink (`ctx.log`, stderr by default). Method-style on the module (`logger:info(msg, fields)`), with derived
// loggers carrying fields (`logger:with{…}`) and dotted names (`logger:named("db")`).

import { LuaTable } from '../lua/table.js';
import { LuaUserdata } from '../lua/value.js';
import { where } from '../lua/error.js';
import { ret0, ret1 } from '../lua/ret.js';
import { typeError } from '../lua/lib/args.js';
import { ErrorObject } from '../lua/lib/errors.js';
import { tostring } from '../lua/lib/base.js';
import { current } from '../process/scheduler.js';
import { Process } from '../process/process.js';
import { fromBytes, hostObject, moduleTable, objectClass, toBytes, type ModuleDef } from './module.js';

export const LEVELS = { debug: 0, info: 1, warn: 2, error: 3, none: 4 } as const;
type Level = Exclude<keyof typeof LEVELS, 'none'>;

/** `LUNAC_LOG_LEVEL` (debug|info|warn|error|none; `warning` = warn), default info like a production logger. */
export function minLevel(env: string | undefined = process.env.LUNAC_LOG_LEVEL): number {
  const v = (env ?? '').trim().toLowerCase();
  if (v === 'warning') return LEVELS.warn;
  return v in LEVELS ? LEVELS[v as keyof typeof LEVELS] : LEVELS.info;
}

interface LoggerData {
  name: string;
  fields: Record<string, unknown>;
}

/** Keys every line has; fields of the same name do not override them. */
const RESERVED = new Set(['level', 'ts', 'logger', 'msg', 'pid', 'entry', 'caller']);

/** A Lua value as JSON-able data: error objects → message, tables → arrays/objects, others → text. */
export function logValue(v: unknown, seen: Set<LuaTable> = new Set()): unknown {
  switch (typeof v) {
    case 'undefined': return null;
    case 'boolean': return v;
    case 'number': return Number.isFinite(v) ? v : String(v);
    case 'string': return fromBytes(v);
  }
  if (v instanceof ErrorObject) return fromBytes(v.message);
  if (!(v instanceof LuaTable)) return fromBytes(tostring(v));
  if (seen.has(v)) return '<cycle>';
  seen.add(v);
  let out: unknown;
  if (v.arr.length > 0 && v.hashSize() === 0 && !v.arr.includes(undefined)) {
    out = v.arr.map((x) => logValue(x, seen));
  } else {
    const o: Record<string, unknown> = {};
    v.arr.forEach((x, i) => x !== undefined && (o[String(i + 1)] = logValue(x, seen)));
    for (const [k, x] of v.entries()) o[typeof k === 'string' ? fromBytes(k) : fromBytes(tostring(k))] = logValue(x, seen);
    out = o;
  }
  seen.delete(v);
  return out;
}

function fieldsOf(t: LuaTable | undefined, into: Record<string, unknown>): Record<string, unknown> {
  if (t === undefined) return into;
  const o = logValue(t);
  if (Array.isArray(o)) o.forEach((x, i) => (into[String(i + 1)] = x));
  else Object.assign(into, o);
  return into;
}

/** `chunk:line` of the Lua code that called the logging builtin ('' from C context, e.g. pcall(f)). */
function caller(): string {
  const w = where(1);
  return w.endsWith(': ') ? fromBytes(w.slice(0, -2)) : '';
}

function line(d: LoggerData, level: Level, msg: unknown, fields: LuaTable | undefined): string {
  const rec: Record<string, unknown> = { level, ts: new Date().toISOString() };
  if (d.name !== '') rec.logger = d.name;
  rec.msg = msg === undefined ? '' : fromBytes(tostring(msg));
  const p = current?.owner;
  if (p instanceof Process) {
    rec.pid = p.pid;
    rec.entry = p.entryId;
  }
  const at = caller();
  if (at !== '') rec.caller = at;
  const extra = fieldsOf(fields, { ...d.fields });
  for (const [k, v] of Object.entries(extra)) if (!RESERVED.has(k)) rec[k] = v;
  return toBytes(JSON.stringify(rec));
}

/** One log line (a byte string) as the root logger writes it: for the host's `print` override (spec §2.9). */
export function formatLogLine(level: Level, msg: unknown, fields?: LuaTable): string {
  return line({ name: '', fields: {} }, level, msg, fields);
}

/** Default sink: the line (a byte string) on stderr. */
const stderrLog = (l: string) => void process.stderr.write(Buffer.from(l + '\n', 'latin1'));

export const loggerModule: ModuleDef = {
  name: 'logger',
  open(ctx) {
    const log = ctx.log ?? stderrLog;
    const min = minLevel();
    const root: LoggerData = { name: '', fields: {} };
    let table: LuaTable;

    // Method style: `self` is the module table or a Logger. A dot call (`logger.info("x")`) has no self;
    // it is accepted and logs through the root logger.
    // `n` = how many leading arguments were self (argument errors count like PUC's).
    const resolve = (args: unknown[]): [LoggerData, number] => {
      const s = args[0];
      if (s === table) return [root, 1];
      if (s instanceof LuaUserdata && s.mt === Logger) return [s.data as LoggerData, 1];
      return [root, 0];
    };
    const emit = (level: Level) => (...args: unknown[]) => {
      const [d, n] = resolve(args);
      const msg = args[n], fields = args[n + 1];
      if (fields !== undefined && !(fields instanceof LuaTable)) throw typeError(args, n + 2, level, 'table');
      if (LEVELS[level] >= min) log(line(d, level, msg, fields as LuaTable | undefined));
      return ret0();
    };
    const derive = (fname: 'with' | 'named') => (...args: unknown[]) => {
      const [d, n] = resolve(args);
      const arg = args[n];
      if (fname === 'with') {
        if (!(arg instanceof LuaTable)) throw typeError(args, n + 1, 'with', 'table');
        return ret1(hostObject<LoggerData>({ name: d.name, fields: fieldsOf(arg, { ...d.fields }) }, Logger));
      }
      if (typeof arg !== 'string' && typeof arg !== 'number') throw typeError(args, n + 1, 'named', 'string');
      const part = fromBytes(tostring(arg));
      return ret1(hostObject<LoggerData>({ name: d.name === '' ? part : `${d.name}.${part}`, fields: { ...d.fields } }, Logger));
    };
    const methods = {
      debug: emit('debug'), info: emit('info'), warn: emit('warn'), error: emit('error'),
      with: derive('with'), named: derive('named'),
    };
    const Logger = objectClass('logger.Logger', methods);
    table = moduleTable('logger', methods);
    return table;
  },
};
