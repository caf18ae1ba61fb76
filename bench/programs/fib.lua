-- fib.lua: naive doubly recursive Fibonacci; measures the cost of plain Lua calls.
-- Usage: fib.lua [n]   (default 35)

local function fib(n)
  if n < 2 then return n end
  return fib(n - 1) + fib(n - 2)
end

local n = tonumber(arg and arg[1]) or 35
print(string.format("fib(%d) = %d", n, fib(n)))
