// Wippy's structured errors (spec §6.1): the `errors` global and the error objects it makes. An error object
// carries a message, a kind (one of the string constants below), an optional retryable flag and details
// table, and the Lua frames of the code that created it. Other modules make them with newError().

import { LuaError, luaFrames, where, formatTraceback, type LuaFrame } from '../error.js';
import { LuaTable } from '../table.js';
import { LuaObject, luaType, numberToString, rawToString } from '../value.js';
import { ret1 } from '../ret.js';
import { index } from '../ops.js';
import { co } from '../coroutine.js';
import { argError, typeError } from './args.js';

/** Kind constants: the names Lua sees and the strings shared with Wippy's Go error API. */
export const KINDS = {
  UNKNOWN: 'Unknown',
  INVALID: 'Invalid',
  NOT_FOUND: 'NotFound',
  ALREADY_EXISTS: 'AlreadyExists',
  PERMISSION_DENIED: 'PermissionDenied',
  UNAVAILABLE: 'Unavailable',
  INTERNAL: 'Internal',
  CANCELED: 'Canceled',
  CONFLICT: 'Conflict',
  TIMEOUT: 'Timeout',
  RATE_LIMITED: 'RateLimited',
} as const;

export class ErrorObject extends LuaObject {
  readonly ltype = 'error';
  constructor(
    /** Full text, wrap contexts included ("ctx: original"). */
    public message: string,
    public kind: string,
    /** true/false when known, undefined (nil) when nobody said. */
    public retryable: boolean | undefined,
    public details: LuaTable | undefined,
    /** Lua frames at creation, innermost first (kept from the original error by wrap). */
    public stack: LuaFrame[],
    /** tostring of the coroutine that created the error ("main" for the main thread). */
    public thread: string,
    /** The wrapped error, if any. */
    public cause: ErrorObject | undefined = undefined,
  ) {
    super();
    this.mt = errorMeta;
  }
}

export function isErrorObject(v: unknown): v is ErrorObject {
  return v instanceof ErrorObject;
}

function currentThread(): string {
  return co.current === null ? 'main' : rawToString(co.current);
}

/** A fresh error object with the caller's Lua stack (for modules: `return nil, newError(...)`). */
export function newError(message: string, kind: string = KINDS.UNKNOWN, retryable?: boolean): ErrorObject {
  return new ErrorObject(message, kind, retryable, undefined, luaFrames(), currentThread());
}

// ---- methods and metatable ----

function self(args: ArrayLike<unknown>, fname: string): ErrorObject {
  const e = args[0];
  if (e instanceof ErrorObject) return e;
  throw typeError(args, 1, fname, 'error');
}

const methods = new LuaTable();
methods.set('kind', function kind(_e: unknown) {
  return ret1(self(arguments, 'kind').kind);
});
methods.set('message', function message(_e: unknown) {
  return ret1(self(arguments, 'message').message);
});
methods.set('retryable', function retryable(_e: unknown) {
  return ret1(self(arguments, 'retryable').retryable);
});
methods.set('details', function details(_e: unknown) {
  return ret1(self(arguments, 'details').details);
});
methods.set('stack', function stack(_e: unknown) {
  const f = self(arguments, 'stack').stack;
  return ret1(f.length === 0 ? undefined : formatTraceback(f));
});

/** One operand of `..` with an error object on the other side. */
function concatPart(v: unknown): string {
  if (typeof v === 'string') return v;
  if (v instanceof ErrorObject) return v.message;
  if (typeof v === 'number') return numberToString(v);
  throw new LuaError(where(1) + `attempt to concatenate a ${luaType(v)} value`);
}

const errorMeta = new LuaTable();
errorMeta.set('__index', methods);
errorMeta.set('__name', 'error');
errorMeta.set('__tostring', (e: unknown) => ret1(e instanceof ErrorObject ? e.message : rawToString(e)));
errorMeta.set('__concat', (a: unknown, b: unknown) => ret1(concatPart(a) + concatPart(b)));
// Two distinct error objects are never equal (== already handles identity).
errorMeta.set('__eq', (a: unknown, b: unknown) => ret1(a === b));
methods.freeze();
errorMeta.freeze();

// ---- the errors library ----

function errorsNew(spec: unknown): ErrorObject {
  if (typeof spec === 'string') return ret1(newError(spec));
  if (typeof spec === 'number') return ret1(newError(numberToString(spec)));
  if (spec instanceof ErrorObject) return ret1(spec);
  if (!(spec instanceof LuaTable)) throw typeError(arguments, 1, 'new', 'string or table');
  const msg = index(spec, 'message');
  if (typeof msg !== 'string' && typeof msg !== 'number') throw argError(1, 'new', 'message is required');
  const kind = index(spec, 'kind');
  if (kind !== undefined && typeof kind !== 'string') throw argError(1, 'new', `kind must be a string, got ${luaType(kind)}`);
  const retry = index(spec, 'retryable');
  if (retry !== undefined && typeof retry !== 'boolean') throw argError(1, 'new', `retryable must be a boolean, got ${luaType(retry)}`);
  const details = index(spec, 'details');
  if (details !== undefined && !(details instanceof LuaTable)) throw argError(1, 'new', `details must be a table, got ${luaType(details)}`);
  const text = typeof msg === 'string' ? msg : numberToString(msg);
  const e = new ErrorObject(text, kind ?? KINDS.UNKNOWN, retry, details, luaFrames(), currentThread());
  return ret1(e);
}

/** wrap(err, ctx): "ctx: <message>", keeping kind, retryable, details and the original stack. nil stays nil. */
function wrap(err: unknown, ctx: unknown): ErrorObject | undefined {
  if (err === undefined) return ret1(undefined);
  let prefix: string;
  if (typeof ctx === 'string') prefix = ctx;
  else if (ctx instanceof ErrorObject) prefix = ctx.message;
  else if (typeof ctx === 'number') prefix = numberToString(ctx);
  else throw typeError(arguments, 2, 'wrap', 'string');
  const join = (m: string) => (prefix === '' ? m : `${prefix}: ${m}`);
  if (err instanceof ErrorObject) {
    return ret1(new ErrorObject(join(err.message), err.kind, err.retryable, err.details, err.stack, err.thread, err));
  }
  if (typeof err === 'string' || typeof err === 'number') {
    const m = typeof err === 'string' ? err : numberToString(err);
    return ret1(new ErrorObject(join(m), KINDS.UNKNOWN, undefined, undefined, luaFrames(), currentThread()));
  }
  throw typeError(arguments, 1, 'wrap', 'error or string');
}

function is(err: unknown, kind: unknown): boolean {
  return ret1(err instanceof ErrorObject && err.kind === kind);
}

/** {thread = ..., frames = {{level, source, line, name, type}, ...}} or nil when no Lua frame was captured. */
function callStack(err: unknown): LuaTable | undefined {
  if (!(err instanceof ErrorObject) || err.stack.length === 0) return ret1(undefined);
  const frames = new LuaTable();
  err.stack.forEach((f, i) => {
    const fr = new LuaTable();
    fr.set('level', i + 1);
    fr.set('source', f.chunkname);
    fr.set('line', f.line);
    const main = f.fn === 'main chunk';
    fr.set('name', main || f.fn === '?' ? undefined : f.fn);
    fr.set('type', main ? 'main' : 'Lua');
    frames.set(i + 1, fr);
  });
  const t = new LuaTable();
  t.set('thread', err.thread);
  t.set('frames', frames);
  return ret1(t);
}

export function createErrorsLib(): LuaTable {
  const lib = new LuaTable();
  lib.set('new', errorsNew);
  lib.set('wrap', wrap);
  lib.set('is', is);
  lib.set('call_stack', callStack);
  for (const [k, v] of Object.entries(KINDS)) lib.set(k, v);
  return lib;
}
