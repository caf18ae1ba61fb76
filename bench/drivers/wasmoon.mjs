#!/usr/bin/env node
// Runs a Lua file on wasmoon (PUC Lua 5.4 compiled to WebAssembly) like the `lua` interpreter:
// `node wasmoon.mjs FILE.lua [args]`, with the global `arg` and the script arguments as `...`.
// Lua's print writes to the C stdout, which wasmoon's emscripten build sends to console.log,
// i.e. to process.stdout (not stderr). An uncaught error goes to stderr, exit 1.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { LuaFactory } from 'wasmoon';

const [file, ...args] = process.argv.slice(2);
if (!file) {
  console.error('usage: node wasmoon.mjs FILE.lua [args]');
  process.exit(2);
}

// A Lua string literal for any byte string: decimal escapes only, so nothing needs quoting rules.
const luaString = (s) => '"' + [...Buffer.from(s)].map((b) => '\\' + b).join('') + '"';

const path = resolve(file);
const factory = new LuaFactory();
// The script has to be inside wasmoon's virtual file system for loadfile to see it.
await factory.mountFile(path, readFileSync(path));
const lua = await factory.createEngine();

const argTable = `{[0] = ${luaString(file)}${args.map((a) => ', ' + luaString(a)).join('')}}`;
try {
  // doStringSync runs on the main Lua state with lua_pcall, as `lua FILE` does (doString
  // would run it in a coroutine); the chunk's name is the file, for error messages.
  lua.doStringSync(
    `arg = ${argTable}\n` +
      `local chunk = assert(loadfile(${luaString(path)}))\n` +
      `chunk(table.unpack(arg, 1, ${args.length}))`,
  );
} catch (err) {
  process.stderr.write(`wasmoon: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
} finally {
  lua.global.close();
}
