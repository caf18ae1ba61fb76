-- binary-trees.lua: the Computer Language Benchmarks Game program (after Mike Pall's Lua version).
-- Allocates and walks many short-lived binary trees; measures allocation and GC.
-- Usage: binary-trees.lua [max depth]   (default 15)

local function BottomUpTree(depth)
  if depth > 0 then
    depth = depth - 1
    local left, right = BottomUpTree(depth), BottomUpTree(depth)
    return { left, right }
  else
    return { }
  end
end

local function ItemCheck(tree)
  if tree[1] then
    return 1 + ItemCheck(tree[1]) + ItemCheck(tree[2])
  else
    return 1
  end
end

local N = tonumber(arg and arg[1]) or 15
local mindepth = 4
local maxdepth = mindepth + 2
if maxdepth < N then maxdepth = N end

do
  local stretchdepth = maxdepth + 1
  local stretchtree = BottomUpTree(stretchdepth)
  print(string.format("stretch tree of depth %d\t check: %d",
    stretchdepth, ItemCheck(stretchtree)))
end

local longlivedtree = BottomUpTree(maxdepth)

for depth = mindepth, maxdepth, 2 do
  -- 2 ^ k is a float in Lua 5.3+, so count with integers instead
  local iterations = 1
  for _ = 1, maxdepth - depth + mindepth do iterations = iterations * 2 end
  local check = 0
  for _ = 1, iterations do
    check = check + ItemCheck(BottomUpTree(depth))
  end
  print(string.format("%d\t trees of depth %d\t check: %d", iterations, depth, check))
end

print(string.format("long lived tree of depth %d\t check: %d",
  maxdepth, ItemCheck(longlivedtree)))
