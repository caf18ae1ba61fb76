// The Wippy module catalogue as data (spec §3): every module name an entry may list in `modules`, its
// determinism classes, and whether it is ambient (a global no entry has to declare). The checker and the
// runtime both read this one table, so "what exists" and "what a workflow may use" cannot drift apart.

/** Determinism classes of spec §3.1. Workflows accept only modules with `deterministic` or `workflow`. */
export type ModuleClass = 'deterministic' | 'workflow' | 'time' | 'nondeterministic' | 'security' | 'process' | 'io';

export interface ModuleInfo {
  name: string;
  classes: readonly ModuleClass[];
  /** A global in every entry without declaration (spec §2.9); `require(name)` works too. */
  ambient: boolean;
  summary: string;
}

const D: ModuleClass[] = ['deterministic'];
const IO: ModuleClass[] = ['io'];

function m(name: string, classes: ModuleClass[], summary: string, ambient = false): ModuleInfo {
  return { name, classes, ambient, summary };
}

export const MODULES: readonly ModuleInfo[] = [
  // Ambient globals: the standard library and Wippy's always-present tables.
  m('string', D, 'Lua string library', true),
  m('table', D, 'Lua table library', true),
  m('math', D, 'Lua math library', true),
  m('coroutine', D, 'coroutines, plus coroutine.spawn', true),
  m('errors', D, 'structured error objects', true),
  m('os', ['time', 'workflow'], 'time/date/clock (workflow clock in workflows)', true),
  m('channel', D, 'channels and select', true),
  m('payload', D, 'format-tagged values', true),
  m('process', ['process', 'nondeterministic', 'workflow'], 'the actor API (function, process and workflow entries)', true),
  m('package', D, 'restricted stub', true),
  // Pure modules (allowed in workflows).
  m('json', D, 'JSON encode/decode/validate'),
  m('yaml', D, 'YAML encode/decode'),
  m('base64', D, 'base64 encode/decode'),
  m('hash', D, 'md5/sha/hmac/fnv digests'),
  m('text', D, 'RE2 regexps, diffs, text splitters'),
  m('html', D, 'HTML sanitiser policies'),
  m('compress', D, 'gzip/zlib/deflate/brotli/zstd'),
  m('treesitter', D, 'multi-language parsing'),
  m('expr', D, 'expression evaluation'),
  m('templates', D, 'template sets'),
  // Workflow-aware modules.
  m('time', ['time', 'workflow'], 'times, durations, sleep, timers'),
  m('uuid', ['nondeterministic', 'workflow'], 'UUID generation and parsing'),
  m('crypto', ['security', 'nondeterministic', 'workflow'], 'random, hmac, encryption, jwt, pbkdf2'),
  m('funcs', ['workflow', 'nondeterministic'], 'calling function entries'),
  m('workflow', ['workflow', 'nondeterministic'], 'workflow-only operations'),
  m('contract', ['workflow', 'nondeterministic'], 'contracts and bindings'),
  m('ctx', ['nondeterministic', 'workflow'], 'propagated call context'),
  // I/O modules (never in workflows).
  m('sql', IO, 'SQL databases'),
  m('http', IO, 'HTTP request/response inside endpoints'),
  m('http_client', IO, 'outbound HTTP'),
  m('store', IO, 'key/value stores'),
  m('fs', IO, 'filesystems'),
  m('exec', IO, 'external processes'),
  m('env', IO, 'environment variables and storages'),
  m('events', IO, 'event bus'),
  m('registry', IO, 'the entry registry'),
  m('security', ['security', 'io'], 'actors, scopes, policies, tokens'),
  m('queue', IO, 'message queues'),
  m('logger', IO, 'structured logging'),
  m('metrics', IO, 'metrics'),
  m('io', IO, 'terminal I/O (terminal hosts)'),
  m('tty', IO, 'terminal control (terminal hosts)'),
  m('websocket', IO, 'websocket client'),
  m('cloudstorage', IO, 'S3-compatible storage'),
  m('excel', IO, 'spreadsheets'),
  m('pg', IO, 'process groups'),
  m('stream', IO, 'stream objects'),
  m('system', IO, 'node, cluster and supervisor introspection'),
  m('hub', IO, 'module catalogue'),
  m('cdc', IO, 'change data capture'),
  m('eval_runner', IO, 'sandboxed dynamic Lua'),
  m('archive', IO, 'archives (documented by Wippy; not in every runtime build)'),
];

export const MODULE_INFO: ReadonlyMap<string, ModuleInfo> = new Map(MODULES.map((x) => [x.name, x]));

/** Base-library globals: names a chunk may use (and `require`) without any declaration. */
export const BASE_GLOBALS: readonly string[] = [
  'assert', 'error', 'getmetatable', 'next', 'pcall', 'print', 'rawequal', 'rawget', 'rawset', 'select',
  'setmetatable', 'tonumber', 'tostring', 'type', 'unpack', 'xpcall', 'ipairs', 'pairs', '_G', '_VERSION',
  'require', 'subscribe', 'unsubscribe', 'typeof',
];

/** May a workflow (or anything it imports) use this module? (spec §3.1) */
export function workflowSafe(info: ModuleInfo): boolean {
  return info.classes.includes('deterministic') || info.classes.includes('workflow');
}

/** Is `name` available without declaration (an ambient module or a base global)? */
export function isAmbient(name: string): boolean {
  return MODULE_INFO.get(name)?.ambient === true || BASE_GLOBALS.includes(name);
}

/**
 * The functions of each module that may block (suspend the calling actor), for the modules whose whole API
 * is known. The compiler keeps a function plain when every call it makes is to a known non-blocking module
 * function (in an entry that binds that module); calls into modules not listed here count as blocking.
 */
const BLOCKING: Record<string, readonly string[]> = {
  json: [], yaml: [], base64: [], hash: [], crypto: [], text: [], uuid: [], errors: [], payload: [],
  logger: [], env: [], registry: [], events: [], ctx: [],
  time: ['sleep'],
  process: ['exec', 'upgrade'],
  channel: ['select'],
  funcs: ['call', 'async'],
  io: ['read', 'readline'],
  // A resumed coroutine may block on a channel: resume passes the host suspension up to its caller.
  coroutine: ['resume'],
};

/**
 * Methods of host objects that may block: `channel:send/receive`, an executor's `call/async`, a spawner's
 * `exec`. With the blocking module functions they make HOST_BLOCKING_NAMES.
 */
const BLOCKING_METHODS: readonly string[] = ['send', 'receive', 'call', 'async', 'exec', 'terminate'];

/**
 * Every name under which a blocking host function can be reached: the compiler's closed-world analysis
 * (compiler/analyse/suspend.ts) takes `x:name()` and `x.name()` for a blocking call exactly when `name` is
 * one of them or a blocking Lua function of the app. module.ts refuses to build a host table whose generator
 * twin (the mark of a function that may block) is missing from this list, so it cannot go stale.
 */
export const HOST_BLOCKING_NAMES: ReadonlySet<string> = new Set([...Object.values(BLOCKING).flat(), ...BLOCKING_METHODS]);

/** true: `lib.name(...)` may block; false: it never does; undefined: not known (treat as blocking). */
export function blockingCall(lib: string, name: string): boolean | undefined {
  const list = BLOCKING[lib];
  return list === undefined ? undefined : list.includes(name);
}
