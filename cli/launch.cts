// Entry point of bin/lunac, started with a deep native stack (see bin/lunac). It is CommonJS so that a
// command loads one bundled file synchronously (bundle.ts) and never starts Node's ES module loader:
// `lunac run FILE.lua` loads the runtime alone, every other command the whole CLI. Bundles are evaluated
// through V8's code cache, kept next to lunac's other caches, so their functions are not compiled again
// on every start.

import { mkdirSync, readdirSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import vm from 'node:vm';
import { isScriptRun } from './fastpath.cjs';

// bin/lunac starts Node without NODE_EXTRA_CA_CERTS (Node would parse the certificates at start-up, and
// lunac opens no TLS connection); the variable comes back here, for the program's environment. A future
// TLS client must pass those certificates itself (`ca`: tls.rootCertificates plus the file).
if (process.env.LUNAC_EXTRA_CA_CERTS !== undefined) {
  process.env.NODE_EXTRA_CA_CERTS = process.env.LUNAC_EXTRA_CA_CERTS;
  delete process.env.LUNAC_EXTRA_CA_CERTS;
}

const argv = process.argv.slice(2);
if (isScriptRun(argv)) {
  const { runScriptCommand } = load('script.bundle.cjs') as typeof import('./script.js');
  runScriptCommand(argv[1], argv.slice(2), false).then((code) => (process.exitCode = code), (e: unknown) => {
    // A fault of lunac itself (script errors are reported by runScriptCommand): a message, not a Node stack.
    process.stderr.write(`lunac: internal error: ${(e as Error)?.message ?? String(e)}\n`);
    process.exitCode = 1;
  });
} else {
  const { main } = load('commands.bundle.cjs') as typeof import('./commands.js');
  void main(argv, true);
}

/** Evaluate a bundle like `require` does, with a code cache made at exit (so it covers what ran). */
function load(name: string): unknown {
  const file = join(__dirname, name);
  const source = readFileSync(file, 'utf8');
  const cacheFile = codeCacheFile(file);
  let cachedData: Buffer | undefined;
  try {
    cachedData = readFileSync(cacheFile);
  } catch {
    cachedData = undefined;
  }
  const wrapped = `(function (exports, require, module, __filename, __dirname) {${source}\n})`;
  const script = new vm.Script(wrapped, { filename: file, cachedData });
  if (cachedData === undefined || script.cachedDataRejected) process.once('exit', () => saveCodeCache(script, cacheFile));
  const module = { exports: {} as unknown };
  // The launcher's own require resolves like the bundle's would: they are in the same folder.
  script.runInThisContext()(module.exports, require, module, file, dirname(file));
  return module.exports;
}

/** Per bundle build and Node version: V8 rejects a cache made by another version anyway. */
function codeCacheFile(file: string): string {
  // compiler/cache.ts's CACHE_DIR, written out here: the launcher loads no other lunac module.
  const dir = process.env.LUNAC_CACHE_DIR ?? join(tempDir(), `lunac-cache-${process.getuid?.() ?? 0}`);
  const st = statSync(file);
  return join(dir, `v8-${basename(file)}-${st.size}-${st.mtimeMs}-${process.version}.bin`);
}

/** compiler/cache.ts's tempDir (os.tmpdir() without loading node:os). */
function tempDir(): string {
  if (process.platform === 'win32') return process.getBuiltinModule('node:os').tmpdir();
  const dir = process.env.TMPDIR || process.env.TMP || process.env.TEMP || '/tmp';
  return dir.length > 1 && dir.endsWith('/') ? dir.slice(0, -1) : dir;
}

function saveCodeCache(script: vm.Script, cacheFile: string): void {
  try {
    mkdirSync(dirname(cacheFile), { recursive: true });
    const tmp = `${cacheFile}.${process.pid}`;
    writeFileSync(tmp, script.createCachedData());
    renameSync(tmp, cacheFile);
    // Caches of earlier builds of this bundle are dead weight: a new one is written only after a rebuild.
    const own = basename(cacheFile), prefix = own.slice(0, own.indexOf('.cjs-') + 5);
    for (const f of readdirSync(dirname(cacheFile))) if (f.startsWith(prefix) && f !== own) unlinkSync(join(dirname(cacheFile), f));
  } catch {
    // Losing the cache only costs start-up time.
  }
}
