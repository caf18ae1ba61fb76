#!/usr/bin/env node
// Runs a Lua file on fengari (PUC Lua 5.3 ported to JS) like the `lua` interpreter:
// `node fengari.mjs FILE.lua [args]`, with the global `arg` and the script arguments as `...`.
// print goes to process.stdout (fengari's own print); an uncaught error goes to stderr, exit 1.
import fengari from 'fengari';

const { lua, lauxlib, lualib, to_luastring } = fengari;
const [file, ...args] = process.argv.slice(2);
if (!file) {
  console.error('usage: node fengari.mjs FILE.lua [args]');
  process.exit(2);
}

const L = lauxlib.luaL_newstate();
lualib.luaL_openlibs(L);

// arg = { [0] = FILE, args... }, as lua.c builds it
lua.lua_createtable(L, args.length, 1);
lua.lua_pushstring(L, to_luastring(file));
lua.lua_rawseti(L, -2, 0);
args.forEach((a, i) => {
  lua.lua_pushstring(L, to_luastring(a));
  lua.lua_rawseti(L, -2, i + 1);
});
lua.lua_setglobal(L, to_luastring('arg'));

// luaL_dofile, but with the arguments passed to the chunk and a traceback on error
lua.lua_pushcfunction(L, (L) => {
  lauxlib.luaL_traceback(L, L, lua.lua_tostring(L, 1), 1);
  return 1;
});
let status = lauxlib.luaL_loadfile(L, to_luastring(file));
if (status === lua.LUA_OK) {
  for (const a of args) lua.lua_pushstring(L, to_luastring(a));
  status = lua.lua_pcall(L, args.length, 0, 1);
}
if (status !== lua.LUA_OK) {
  process.stderr.write(`fengari: ${lua.lua_tojsstring(L, -1)}\n`);
  process.exitCode = 1;
}
