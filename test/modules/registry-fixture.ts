// A small app registry for the registry module tests: 15 entries over five namespaces, Lua entries with inline
// source, HTTP wiring through meta, string arrays and nested maps in meta, and a meta key containing a dot.
// Sorted by ID the order is the one FIXTURE_IDS lists.

import type { RegistryData } from '../../runtime/app/registry-data.js';

export function registryFixture(): RegistryData {
  return {
    entries: [
      { id: 'app:gateway', kind: 'http.service', meta: { comment: 'public HTTP server', tags: ['http', 'public'] }, data: { addr: ':8080' } },
      { id: 'app:db', kind: 'db.sql.postgres', meta: { type: 'database', tags: ['storage'] }, data: { dsn: '${env:DB_DSN}' } },
      { id: 'app.api:router', kind: 'http.router', meta: { server: 'app:gateway', type: 'router' }, data: { prefix: '/api' } },
      {
        id: 'app.api:get_user', kind: 'function.lua',
        meta: { type: 'handler', tags: ['users', 'read', 'api'], comment: 'Fetch one user by id', priority: 2, owner: { team: 'core', oncall: 'alice' } },
        data: { source: 'local function main() return {id = 1} end\nreturn {main = main}', method: 'main', modules: ['json', 'sql'] },
      },
      { id: 'app.api:get_user.endpoint', kind: 'http.endpoint', meta: { router: 'app.api:router', 'http.method': 'GET' }, data: { method: 'GET', path: '/users/{id}', func: 'get_user' } },
      {
        id: 'app.api:list_orders', kind: 'function.lua',
        meta: { type: 'handler', tags: ['orders', 'read', 'api'], comment: 'List orders of a user', priority: 1, owner: { team: 'billing', oncall: 'bob' } },
        data: { source: 'return function() return {} end', method: 'main', modules: ['json'] },
      },
      { id: 'app.api:list_orders.endpoint', kind: 'http.endpoint', meta: { router: 'app.api:router', 'http.method': 'GET' }, data: { method: 'GET', path: '/orders', func: 'list_orders' } },
      {
        id: 'app.api:create_order', kind: 'function.lua',
        meta: { type: 'handler', tags: ['orders', 'write', 'api'], comment: 'Create an order', priority: 3, owner: { team: 'billing', oncall: 'carol' } },
        data: { source: 'return {main = function(req) return req end}', method: 'main' },
      },
      {
        id: 'app.workers:mailer', kind: 'process.lua',
        meta: { type: 'worker', tags: ['email', 'async'], comment: 'Sends queued mail' },
        data: { source: 'local function main() while true do coroutine.yield() end end\nreturn {main = main}', method: 'main', modules: ['time'] },
      },
      { id: 'app.workers:mailer.service', kind: 'process.service', meta: { type: 'service' }, data: { process: 'mailer', host: 'app:processes' } },
      { id: 'app:processes', kind: 'process.host', meta: {}, data: { workers: 4 } },
      {
        id: 'app.flows:checkout', kind: 'workflow.lua',
        meta: { type: 'workflow', tags: ['orders', 'durable'], comment: 'Checkout saga' },
        data: { source: 'return {main = function() return "done" end}', modules: ['time', 'funcs'] },
      },
      {
        id: 'lib:strings', kind: 'library.lua',
        meta: { type: 'library', tags: ['util'], comment: 'String helpers (UTF-8)' },
        data: { source: 'local M = {}\nfunction M.trim(s) return (s:gsub("^%s+", "")) end\nreturn M' },
      },
      { id: 'test.api:get_user_test', kind: 'function.lua', meta: { type: 'test', suite: 'api', tags: ['users'] }, data: { source: 'return {run = function() return true end}', method: 'run' } },
      { id: 'sys:config', kind: 'registry.entry', meta: { comment: 'Runtime settings: 2024-release', version: '1.4.2' }, data: { debug: false, limits: { rps: 100, burst: [1, 2, 3] } } },
    ],
  };
}

/** Every fixture ID in the order the registry returns them (by ID). */
export const FIXTURE_IDS = [
  'app.api:create_order',
  'app.api:get_user',
  'app.api:get_user.endpoint',
  'app.api:list_orders',
  'app.api:list_orders.endpoint',
  'app.api:router',
  'app.flows:checkout',
  'app.workers:mailer',
  'app.workers:mailer.service',
  'app:db',
  'app:gateway',
  'app:processes',
  'lib:strings',
  'sys:config',
  'test.api:get_user_test',
];
