-- queens.lua: counts all solutions of the N-queens problem by backtracking.
-- Recursion, closures over upvalues and boolean arrays.
-- Usage: queens.lua [n]   (default 12)

local function queens(n)
  local cols, diag1, diag2 = {}, {}, {}
  for i = 1, 2 * n do cols[i] = false; diag1[i] = false; diag2[i] = false end
  local count = 0

  local function place(row)
    if row > n then
      count = count + 1
      return
    end
    for c = 1, n do
      local a, b = row + c, row - c + n
      if not cols[c] and not diag1[a] and not diag2[b] then
        cols[c], diag1[a], diag2[b] = true, true, true
        place(row + 1)
        cols[c], diag1[a], diag2[b] = false, false, false
      end
    end
  end

  place(1)
  return count
end

local n = tonumber(arg and arg[1]) or 12
local total, last = 0, 0
for size = 4, n do
  last = queens(size)
  total = total + last
end
print(string.format("queens 4..%d: %d solutions for n=%d, %d in total", n, last, n, total))
