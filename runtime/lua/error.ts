// Lua errors: one JS class carries any Lua value. Positions come from two places: compiled code passes a
// static descriptor (chunk, line, variable) to the slow paths that raise runtime errors, and `error()` or a
// failing builtin finds its caller's Lua line by walking the JS stack through the chunk line maps.

/** A Lua error in flight. Not an `Error` subclass: capturing a JS stack on every throw would make pcall slow. */
export class LuaError {
  /** JS stack captured when nothing can catch the error (for the uncaught-error traceback). */
  traceback: string | undefined;
  constructor(public value: unknown, traceback?: string) {
    this.traceback = traceback;
  }
}

/** A shape no table has: what a site's `pshape` holds when no table's shape may match it. */
export const NO_SHAPE: unknown = Object.freeze({});

/**
 * Static description of an operation site, emitted once per site by the compiler. Field-access sites
 * also carry inline caches: the table shape last seen there and the slot of the key in it, and the
 * lookups that went on through `__index` tables (see ops.ts).
 */
export class Site {
  /** Two (shape, slot) entries for the object's own key; slot -1 caches "not in this shape". */
  shape: unknown = null;
  slot = -1;
  shape2: unknown = null;
  slot2 = -1;
  /**
   * Lookups through `__index` tables that the prototype path does not serve (ops.chainGet): for each level,
   * the metatable's shape and the slot of `__index` in it, then the table's shape and the slot of the key.
   */
  chain: unknown[] | null = null;
  /** Host-object methods: a frozen metatable and the method its frozen `__index` table gives for the key. */
  umt: unknown = null;
  uval: unknown = undefined;
  /**
   * The last lookup through a prototype (see ops.learnProto): the object's metatable shape, the slot of
   * `__index` there and the table it held (the prototype), then the table that held the key (NOWHERE
   * when none did) and its slot, valid while PROTO.epoch is `pepoch`. `obj:name()` call sites test these
   * inline, with `pshape`, a shape of the object that lacks the key (NO_SHAPE when it has it, or before the
   * first lookup: compiled code tests only that a value is an object before comparing it with its shape).
   */
  pshape: unknown = NO_SHAPE;
  pmtshape: unknown = undefined;
  pmtslot = 0;
  pproto: unknown = undefined;
  pholder: { slots: unknown[] } | undefined = undefined;
  pslot = 0;
  pepoch = -1;
  plearnt = 0;
  /**
   * More prototype paths for `obj:name()` sites that see several classes (ops.method), valid while PROTO.epoch
   * is `mepoch`; how many the site learnt.
   */
  mpaths: unknown[] | null = null;
  mepoch = -1;
  mlearnt = 0;
  constructor(
    /** Chunk name as Lua shows it (e.g. `fixtures/x.lua`). */
    readonly src: string,
    readonly line: number,
    /** `local 'x'`, `global 'x'`, `field 'x'`, `upvalue 'x'`, `method 'x'`, `constant 'x'` or ''. */
    readonly what: string,
    /** Description of the right operand of a binary operator. */
    readonly what2?: string,
  ) {}
}

export function site(src: string, line: number, what: string, what2?: string): Site {
  return new Site(src, line, what, what2);
}

/** Raise a runtime error at a compiled site: `src:line: msg`. */
export function siteError(s: Site | undefined, msg: string): LuaError {
  return new LuaError(s ? `${s.src}:${s.line}: ${msg}` : withWhere(msg, 1));
}

// ---- mapping JS frames back to Lua lines ----

/** Generated-code file name → (chunk name, JS position → Lua line). Filled by the loader for every chunk. */
export interface ChunkInfo {
  chunkname: string;
  lineOf(jsLine: number, jsCol: number): number | undefined;
  /** The generated module text (read only on error paths). */
  code: string;
}
export const chunks = new Map<string, ChunkInfo>();

export interface LuaFrame {
  chunkname: string;
  line: number;
  fn: string;
}

/** The JS call sites above `below` on the current stack (structured, via prepareStackTrace). */
function callSites(limit: number, below: Function): NodeJS.CallSite[] {
  const holder: { stack?: unknown } = {};
  const prevPrepare = Error.prepareStackTrace;
  const prevLimit = Error.stackTraceLimit;
  Error.stackTraceLimit = limit;
  Error.prepareStackTrace = (_e, sites) => sites;
  try {
    Error.captureStackTrace(holder, below);
    return Array.isArray(holder.stack) ? (holder.stack as NodeJS.CallSite[]) : [];
  } finally {
    Error.prepareStackTrace = prevPrepare;
    Error.stackTraceLimit = prevLimit;
  }
}

/** The Lua frames on the current JS stack, innermost first. */
export function luaFrames(limit = 64): LuaFrame[] {
  return framesOf(callSites(limit, luaFrames));
}

function framesOf(sites: NodeJS.CallSite[] | undefined): LuaFrame[] {
  const out: LuaFrame[] = [];
  if (!Array.isArray(sites)) return out;
  for (const cs of sites) {
    const file = cs.getFileName();
    if (!file) continue;
    const info = chunks.get(file);
    if (!info) continue;
    const line = info.lineOf(cs.getLineNumber() ?? 0, (cs.getColumnNumber() ?? 1) - 1);
    if (line === undefined) continue;
    out.push({ chunkname: info.chunkname, line, fn: luaFunctionName(cs.getFunctionName()) });
  }
  return out;
}

/** Compiled functions are named `name$N` (or `name$N$g` for generator twins); show the Lua name. */
function luaFunctionName(js: string | null): string {
  if (!js) return '?';
  const m = /^(.*?)\$\d+(\$g)?$/.exec(js);
  if (m) return m[1] === '' ? '?' : m[1].replace(/\$/g, '.');
  return js === 'chunk' ? 'main chunk' : js;
}

/** Runtime functions that call Lua values: they stand for the C functions of PUC Lua in stack levels. */
const CALLERS = /^(pcall|xpcall|pcallG|xpcallG|call|callG|resumeStep|resume|resumeG|wrapped|plainBody)$/;

/**
 * Stack levels as Lua counts them, starting at the caller of the running builtin: Lua frames, and
 * `null` for runtime functions that call Lua values (pcall, sort's comparator call, ...), which are C
 * functions in PUC Lua. Other runtime internals (operator helpers, argument checks) are skipped.
 */
function levels(limit: number): (LuaFrame | null)[] {
  const sites = callSites(limit, levels);
  const out: (LuaFrame | null)[] = [];
  for (const cs of sites) {
    const file = cs.getFileName();
    if (file && chunks.has(file)) out.push(...framesOf([cs]));
    else if (CALLERS.test(cs.getFunctionName() ?? '')) out.push(null);
  }
  return out;
}

/**
 * Was the running builtin called with method syntax (`s:rep(n)`)? PUC Lua then numbers arguments
 * without `self`. Compiled method calls read `(…inline lookup… ? f : $cl($method(…), S12))(self, …)`
 * where site S12 describes `method 'rep'`, so the generated text just before the call's arguments tells.
 */
export function calledAsMethod(): boolean {
  for (const cs of callSites(30, calledAsMethod)) {
    const file = cs.getFileName();
    const info = file ? chunks.get(file) : undefined;
    if (!info) {
      if (CALLERS.test(cs.getFunctionName() ?? '')) return false;
      continue;
    }
    const line = info.code.split('\n')[(cs.getLineNumber() ?? 0) - 1] ?? '';
    const m = /\b(S\d+)\)+$/.exec(line.slice(0, (cs.getColumnNumber() ?? 1) - 1));
    return !!m && new RegExp(`\\b${m[1]} = \\$site\\([^\\n]*?, \\d+, "method '`).test(info.code);
  }
  return false;
}

/**
 * `chunk:line: ` of stack level `level` (1 = the function that called the running builtin, e.g. the
 * caller of `error`), or '' when that level is not Lua code — like luaL_where.
 */
export function where(level: number): string {
  if (level <= 0) return '';
  const f = levels(level + 40)[level - 1];
  return f ? `${f.chunkname}:${f.line}: ` : '';
}

export function withWhere(msg: string, level: number): string {
  return where(level) + msg;
}

/** Lua frames of an already-captured JS error (e.g. the RangeError of a stack overflow). */
export function framesOfError(e: unknown): LuaFrame[] {
  if (!(e instanceof Error)) return [];
  const prevPrepare = Error.prepareStackTrace;
  // The stack of `e` was formatted already; re-parse the text form.
  Error.prepareStackTrace = prevPrepare;
  const out: LuaFrame[] = [];
  const text = String(e.stack ?? '');
  for (const line of text.split('\n')) {
    const m = /\(?([^()\s]+):(\d+):(\d+)\)?$/.exec(line.trim());
    if (!m) continue;
    const info = chunks.get(m[1]);
    if (!info) continue;
    const l = info.lineOf(Number(m[2]), Number(m[3]) - 1);
    if (l !== undefined) out.push({ chunkname: info.chunkname, line: l, fn: '?' });
  }
  return out;
}

/** Format a traceback in the style of `lua`'s standalone interpreter. */
export function formatTraceback(frames: LuaFrame[]): string {
  const lines = ['stack traceback:'];
  for (const f of frames.slice(0, 22)) {
    lines.push(`\t${f.chunkname}:${f.line}: in ${f.fn === 'main chunk' ? 'main chunk' : `function '${f.fn}'`}`);
  }
  if (frames.length > 22) lines.push('\t...');
  return lines.join('\n');
}

/**
 * Turn anything caught by a `catch` into the Lua error value it represents.
 * JS stack overflow becomes a catchable `stack overflow`; other host errors become plain strings so
 * that no JS object ever reaches Lua code.
 */
export function errorValue(e: unknown): unknown {
  if (e instanceof LuaError) return e.value;
  if (e instanceof RangeError && /call stack/i.test(e.message)) {
    const f = framesOfError(e)[0];
    return (f ? `${f.chunkname}:${f.line}: ` : '') + 'stack overflow';
  }
  if (e instanceof Error) return `internal error: ${e.message}`;
  return 'internal error';
}
