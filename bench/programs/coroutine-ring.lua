-- coroutine-ring.lua: 100 coroutines in a ring pass a token around, one resume/yield per message
-- (after the Computer Language Benchmarks Game "thread-ring" Lua program).
-- Usage: coroutine-ring.lua [messages]   (default 1000000)

local n = tonumber(arg and arg[1]) or 1000000
local poolsize = 100
local threads = {}

-- cache these to avoid global environment lookups
local create = coroutine.create
local resume = coroutine.resume
local yield = coroutine.yield

local body = function(token)
  while true do
    token = yield(token + 1)
  end
end

for id = 1, poolsize do
  threads[id] = create(body)
end

local id, token, ok = 1, 0, true
repeat
  if id == poolsize then id = 1 else id = id + 1 end
  ok, token = resume(threads[id], token)
until token == n or not ok

print(string.format("ring of %d: token %d stopped at coroutine %d", poolsize, token, id))
