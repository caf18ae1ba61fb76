-- json.lua: a JSON encoder and a recursive-descent JSON parser written in Lua, encoding a
-- generated document, parsing it back and re-encoding the result, repeatedly.
-- String building, string.byte/sub/find/format, table.concat, small tables.
-- Usage: json.lua [rounds]   (default 30)

local byte, char, sub, find, format = string.byte, string.char, string.sub, string.find, string.format
local concat, floor = table.concat, math.floor

-- JSON null (a distinct value, since nil cannot be stored in a table)
local NULL = setmetatable({}, {__tostring = function() return 'null' end})

---------------------------------------------------------------- encoder

local ESCAPES = {
  ['"'] = '\\"', ['\\'] = '\\\\', ['\b'] = '\\b', ['\f'] = '\\f',
  ['\n'] = '\\n', ['\r'] = '\\r', ['\t'] = '\\t',
}

local function escape_char(c)
  return ESCAPES[c] or format('\\u%04x', byte(c))
end

local encode_value

local function encode_string(s, out)
  out[#out + 1] = '"'
  -- fast path: most strings need no escaping
  if find(s, '[%c"\\]') then
    s = string.gsub(s, '[%c"\\]', escape_char)
  end
  out[#out + 1] = s
  out[#out + 1] = '"'
end

local function encode_number(n, out)
  if n == floor(n) and n > -1e15 and n < 1e15 then
    out[#out + 1] = format('%d', n)
  else
    out[#out + 1] = format('%.14g', n)
  end
end

-- A table is an array if it has a [1] (or is the marked empty array), an object otherwise;
-- object keys are sorted so the output does not depend on the order of pairs().
local EMPTY_ARRAY = setmetatable({}, {__jsonarray = true})

local function encode_table(t, out)
  if t[1] ~= nil or t == EMPTY_ARRAY then
    out[#out + 1] = '['
    for i = 1, #t do
      if i > 1 then out[#out + 1] = ',' end
      encode_value(t[i], out)
    end
    out[#out + 1] = ']'
  else
    local keys = {}
    for k in pairs(t) do keys[#keys + 1] = k end
    table.sort(keys)
    out[#out + 1] = '{'
    for i = 1, #keys do
      if i > 1 then out[#out + 1] = ',' end
      encode_string(keys[i], out)
      out[#out + 1] = ':'
      encode_value(t[keys[i]], out)
    end
    out[#out + 1] = '}'
  end
end

encode_value = function(v, out)
  local kind = type(v)
  if kind == 'string' then
    encode_string(v, out)
  elseif kind == 'number' then
    encode_number(v, out)
  elseif kind == 'boolean' then
    out[#out + 1] = v and 'true' or 'false'
  elseif v == nil or v == NULL then
    out[#out + 1] = 'null'
  elseif kind == 'table' then
    encode_table(v, out)
  else
    error('cannot encode a ' .. kind)
  end
end

local function encode(v)
  local out = {}
  encode_value(v, out)
  return concat(out)
end

---------------------------------------------------------------- parser

local parse_value

local function parse_error(str, pos, what)
  error(format('JSON error at byte %d: %s', pos, what))
end

local function skip_space(str, pos)
  local _, last = find(str, '^[ \n\r\t]*', pos)
  return last + 1
end

local function utf8_char(code)
  if code < 0x80 then
    return char(code)
  elseif code < 0x800 then
    return char(0xC0 + floor(code / 0x40), 0x80 + code % 0x40)
  else
    return char(0xE0 + floor(code / 0x1000), 0x80 + floor(code / 0x40) % 0x40, 0x80 + code % 0x40)
  end
end

local UNESCAPES = {
  [byte('"')] = '"', [byte('\\')] = '\\', [byte('/')] = '/', [byte('b')] = '\b',
  [byte('f')] = '\f', [byte('n')] = '\n', [byte('r')] = '\r', [byte('t')] = '\t',
}

local function parse_string(str, pos)
  -- pos is just after the opening quote
  local parts, n = nil, 0
  local start = pos
  while true do
    local stop = find(str, '["\\]', pos)
    if not stop then parse_error(str, start, 'unterminated string') end
    if byte(str, stop) == 34 then -- '"'
      if not parts then return sub(str, start, stop - 1), stop + 1 end
      n = n + 1; parts[n] = sub(str, pos, stop - 1)
      return concat(parts), stop + 1
    end
    parts = parts or {}
    n = n + 1; parts[n] = sub(str, pos, stop - 1)
    local e = byte(str, stop + 1)
    if e == 117 then -- 'u'
      local hex = sub(str, stop + 2, stop + 5)
      local code = tonumber(hex, 16)
      if not code or #hex ~= 4 then parse_error(str, stop, 'bad \\u escape') end
      n = n + 1; parts[n] = utf8_char(code)
      pos = stop + 6
    else
      local unescaped = UNESCAPES[e]
      if not unescaped then parse_error(str, stop, 'bad escape') end
      n = n + 1; parts[n] = unescaped
      pos = stop + 2
    end
  end
end

local function parse_number(str, pos)
  local first, last = find(str, '^-?%d+%.?%d*[eE]?[-+]?%d*', pos)
  if not first then parse_error(str, pos, 'bad number') end
  local n = tonumber(sub(str, first, last))
  if not n then parse_error(str, pos, 'bad number') end
  return n, last + 1
end

local function parse_array(str, pos)
  local arr, n = {}, 0
  pos = skip_space(str, pos)
  if byte(str, pos) == 93 then return EMPTY_ARRAY, pos + 1 end -- ']'
  while true do
    local v
    v, pos = parse_value(str, pos)
    n = n + 1; arr[n] = v
    pos = skip_space(str, pos)
    local c = byte(str, pos)
    if c == 93 then return arr, pos + 1 end
    if c ~= 44 then parse_error(str, pos, "expected ',' or ']'") end
    pos = pos + 1
  end
end

local function parse_object(str, pos)
  local obj = {}
  pos = skip_space(str, pos)
  if byte(str, pos) == 125 then return obj, pos + 1 end -- '}'
  while true do
    if byte(str, pos) ~= 34 then parse_error(str, pos, 'expected a key') end
    local key
    key, pos = parse_string(str, pos + 1)
    pos = skip_space(str, pos)
    if byte(str, pos) ~= 58 then parse_error(str, pos, "expected ':'") end
    local v
    v, pos = parse_value(str, pos + 1)
    obj[key] = v
    pos = skip_space(str, pos)
    local c = byte(str, pos)
    if c == 125 then return obj, pos + 1 end
    if c ~= 44 then parse_error(str, pos, "expected ',' or '}'") end
    pos = skip_space(str, pos + 1)
  end
end

parse_value = function(str, pos)
  pos = skip_space(str, pos)
  local c = byte(str, pos)
  if c == 123 then return parse_object(str, pos + 1)       -- '{'
  elseif c == 91 then return parse_array(str, pos + 1)     -- '['
  elseif c == 34 then return parse_string(str, pos + 1)    -- '"'
  elseif c == 45 or (c and c >= 48 and c <= 57) then return parse_number(str, pos)
  elseif sub(str, pos, pos + 3) == 'true' then return true, pos + 4
  elseif sub(str, pos, pos + 4) == 'false' then return false, pos + 5
  elseif sub(str, pos, pos + 3) == 'null' then return NULL, pos + 4
  end
  parse_error(str, pos, 'unexpected character')
end

local function decode(str)
  local v, pos = parse_value(str, 1)
  pos = skip_space(str, pos)
  if pos <= #str then parse_error(str, pos, 'trailing garbage') end
  return v
end

---------------------------------------------------------------- workload

-- A small deterministic generator (values stay far below 2^31 on every Lua).
local seed = 42
local function random(n)
  seed = (seed * 75 + 74) % 65537
  return seed % n
end

local WORDS = {'alpha', 'beta', 'gamma', 'delta', 'epsilon', 'zeta', 'eta', 'theta',
               'iota', 'kappa', 'lambda', 'mu', 'nu', 'xi', 'omicron', 'pi'}

local function sentence(words)
  local parts = {}
  for i = 1, words do parts[i] = WORDS[random(#WORDS) + 1] end
  return concat(parts, ' ')
end

local function make_document(records)
  local items = {}
  for i = 1, records do
    local tags = {}
    for j = 1, random(5) do tags[j] = WORDS[random(#WORDS) + 1] end
    items[i] = {
      id = i,
      name = 'user' .. i,
      email = 'user' .. i .. '@example.com',
      active = random(2) == 1,
      score = random(100000) - 50000,
      ratio = random(1000) / 8,
      tags = #tags > 0 and tags or EMPTY_ARRAY,
      bio = sentence(3 + random(12)),
      note = 'line one\nline "two"\tend \\ ' .. char(1) .. ' \226\130\172',
      address = {
        street = random(999) .. ' ' .. WORDS[random(#WORDS) + 1] .. ' street',
        city = WORDS[random(#WORDS) + 1],
        zip = format('%05d', random(99999)),
        geo = {lat = random(18000) / 100 - 90, lng = random(36000) / 100 - 180},
      },
      parent = i > 1 and i - 1 or NULL,
    }
  end
  return {version = 3, generator = 'lunac bench', items = items, empty = {}}
end

-- Walks a decoded value and folds it into a checksum (kept below 2^31).
local function checksum(v, acc)
  local kind = type(v)
  if kind == 'table' then
    if v == NULL then return (acc * 7 + 3) % 1000003 end
    local keys = {}
    for k in pairs(v) do keys[#keys + 1] = k end
    table.sort(keys, function(a, b) return tostring(a) < tostring(b) end)
    for i = 1, #keys do
      local k = keys[i]
      if type(k) == 'string' then acc = checksum(k, acc) end
      acc = checksum(v[k], acc)
    end
    return acc
  elseif kind == 'string' then
    return (acc * 31 + #v + (byte(v, 1) or 0)) % 1000003
  elseif kind == 'number' then
    return (acc * 31 + floor(v * 100) % 1000) % 1000003
  else
    return (acc * 31 + (v and 1 or 2)) % 1000003
  end
end

local rounds = tonumber(arg and arg[1]) or 30
local document = make_document(300)
local text = encode(document)
local sum, bytes = 0, 0
for _ = 1, rounds do
  local decoded = decode(text)
  local again = encode(decoded)
  if again ~= text then error('round trip changed the document') end
  bytes = bytes + #again
  sum = checksum(decoded, sum)
end
print(format('json: %d rounds, %d bytes each, %d in total, checksum %d', rounds, #text, bytes, sum))
