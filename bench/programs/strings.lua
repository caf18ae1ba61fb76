-- strings.lua: a mixed string workload: concatenation, table.concat, string.format,
-- gsub (string, table and function replacements), gmatch, find (plain and patterns),
-- byte/char, upper/lower, rep and sub.
-- Usage: strings.lua [rounds]   (default 150)

local byte, char, sub, find, format = string.byte, string.char, string.sub, string.find, string.format
local gsub, gmatch, rep, upper, lower = string.gsub, string.gmatch, string.rep, string.upper, string.lower
local concat = table.concat

-- Folds a string into a running checksum (kept below 2^31 on every Lua).
local function fold(acc, s)
  acc = (acc * 31 + #s) % 1000003
  for i = 1, #s, 7 do
    acc = (acc * 31 + byte(s, i)) % 1000003
  end
  return acc
end

local WORDS = {'lorem', 'ipsum', 'dolor', 'sit', 'amet', 'consectetur', 'adipiscing', 'elit',
               'sed', 'do', 'eiusmod', 'tempor', 'incididunt', 'ut', 'labore', 'et'}

-- A line of "key=value" pairs and words, built with .. and format.
local function make_line(i)
  local s = 'record ' .. i .. ':'
  for j = 1, 8 do
    local w = WORDS[(i * 7 + j * 3) % #WORDS + 1]
    s = s .. ' ' .. w .. '=' .. (i * j) % 997
  end
  return s .. format(' [%5.2f%%] <%-8s|%8s> %05d %x', (i % 400) / 4, WORDS[i % 16 + 1], 'end', i, i * 255)
end

local CAPITALS = {lorem = 'LOREM', ipsum = 'Ipsum', dolor = 'DOLOR'}

local function round(r)
  local acc = 0

  -- building: .. in a loop, then table.concat
  local lines = {}
  for i = 1, 200 do lines[i] = make_line(r * 200 + i) end
  local text = concat(lines, '\n')
  acc = fold(acc, text)

  -- gmatch: split into lines and key=value pairs
  local pairs_seen, sum = 0, 0
  for line in gmatch(text, '[^\n]+') do
    for key, value in gmatch(line, '(%a+)=(%d+)') do
      pairs_seen = pairs_seen + 1
      sum = (sum + #key * tonumber(value)) % 1000003
    end
  end
  acc = (acc * 31 + pairs_seen + sum) % 1000003

  -- gsub with a pattern and a string / table / function replacement
  local swapped = gsub(text, '(%a+)=(%d+)', '%2:%1')
  local capital = gsub(text, '%a+', CAPITALS)
  local count = 0
  local squeezed = gsub(text, '%s+', function(space)
    count = count + 1
    return #space > 1 and ' ' or nil
  end)
  acc = fold(fold(fold(acc, swapped), capital), squeezed)
  acc = (acc * 31 + count) % 1000003

  -- find: plain, anchored, with captures, and scanning with an init position
  local found, pos = 0, 1
  while true do
    local s, e = find(text, 'tempor', pos, true)
    if not s then break end
    found = found + 1
    pos = e + 1
  end
  local _, _, num = find(text, 'record (%d+):')
  local s2 = find(text, '^record')
  acc = (acc * 31 + found + tonumber(num) + s2) % 1000003

  -- upper/lower, rep, sub, byte/char
  local shout = upper(sub(text, 1, 2000))
  local quiet = lower(shout)
  local ruler = rep('-=', 50) .. rep('x', 17)
  local bytes = {}
  for i = 1, #ruler do bytes[i] = byte(ruler, i) end
  local back = char(byte(quiet, 1, 50))
  local rot = {}
  for i = 1, 1000 do
    local c = byte(text, i)
    if c >= 97 and c <= 122 then c = (c - 97 + 13) % 26 + 97 end
    rot[i] = char(c)
  end
  acc = fold(fold(fold(fold(acc, shout), quiet), ruler), back)
  acc = fold(acc, concat(rot))
  acc = (acc * 31 + #bytes) % 1000003

  -- many small pieces: sub in a loop
  local pieces = {}
  for i = 1, #text - 10, 37 do pieces[#pieces + 1] = sub(text, i, i + 9) end
  acc = fold(acc, concat(pieces, '|'))

  return acc
end

local rounds = tonumber(arg and arg[1]) or 150
local checksum = 0
for r = 1, rounds do
  checksum = (checksum * 7 + round(r)) % 1000003
end
print(format('strings: %d rounds, checksum %d', rounds, checksum))
