-- sieve.lua: the sieve of Eratosthenes, run repeatedly on a fresh table.
-- Array writes and reads in tight loops.
-- Usage: sieve.lua [repetitions]   (default 150; each sieves the numbers up to 100,000)

local function sieve(limit)
  local composite = {}
  for i = 1, limit do composite[i] = false end
  local count = 0
  local root = math.floor(math.sqrt(limit))
  for i = 2, limit do
    if not composite[i] then
      count = count + 1
      if i <= root then
        for j = i * i, limit, i do composite[j] = true end
      end
    end
  end
  return count
end

local reps = tonumber(arg and arg[1]) or 150
local total = 0
for _ = 1, reps do total = total + sieve(100000) end
print(string.format("sieve: %d primes below 100000, %d in total", sieve(100000), total))
