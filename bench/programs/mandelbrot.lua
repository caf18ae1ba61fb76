-- mandelbrot.lua: the Computer Language Benchmarks Game program (after Mike Pall's Lua version),
-- folding the PBM bitmap bytes into a checksum instead of writing them out.
-- Usage: mandelbrot.lua [size]   (default 1000)

local N = tonumber(arg and arg[1]) or 1000
local width, height = N, N
local iter = 50
local limit2 = 4.0
local checksum, inside = 0, 0

for y = 0, height - 1 do
  local Ci = 2 * y / height - 1
  for xb = 0, width - 1, 8 do
    local bits = 0
    local xbb = xb + 7
    for x = xb, xbb < width and xbb or width - 1 do
      bits = bits + bits
      local Zr, Zi, Zrq, Ziq = 0.0, 0.0, 0.0, 0.0
      local Cr = x * 2 / width - 1.5
      for _ = 1, iter do
        local Zri = Zr * Zi
        Zr = Zrq - Ziq + Cr
        Zi = Zri + Zri + Ci
        Zrq = Zr * Zr
        Ziq = Zi * Zi
        if Zrq + Ziq > limit2 then
          bits = bits + 1
          break
        end
      end
    end
    if xbb >= width then
      for _ = width, xbb do bits = bits + bits + 1 end
    end
    -- The original writes the byte 255 - bits; fold it into a checksum (kept below 2^31).
    local byte = 255 - bits
    checksum = (checksum * 31 + byte) % 1000003
    if byte == 255 then inside = inside + 1 end
  end
end

print(string.format("mandelbrot %dx%d: checksum %d, %d full bytes", width, height, checksum, inside))
