-- deltablue.lua: the DeltaBlue incremental constraint solver (Freeman-Benson, Maloney, Borning),
-- as in the "Are We Fast Yet" benchmark suite (Marr et al.), with its metatable-based class
-- hierarchy and the SOM Vector it is written against.
-- Polymorphic method calls, closures passed to iterators, small-object allocation.
-- Usage: deltablue.lua [n]   (default 12000; the size of the chain and projection tests)

---------------------------------------------------------------- SOM Vector (1-based)

local Vector = {_CLASS = 'Vector'} do
Vector.__index = Vector

function Vector.new (size)
  local obj = {
    storage   = {},
    first_idx = 1,
    last_idx  = 1,
  }
  return setmetatable(obj, Vector)
end

function Vector.with (elem)
  local v = Vector.new(1)
  v:append(elem)
  return v
end

function Vector:at (idx)
  return self.storage[idx]
end

function Vector:at_put (idx, val)
  self.storage[idx] = val
  if self.last_idx < idx + 1 then
    self.last_idx = idx + 1
  end
end

function Vector:append (elem)
  self.storage[self.last_idx] = elem
  self.last_idx = self.last_idx + 1
end

function Vector:is_empty ()
  return self.last_idx == self.first_idx
end

function Vector:each (fn)
  for i = self.first_idx, self.last_idx - 1 do
    fn(self.storage[i])
  end
end

function Vector:has_some (fn)
  for i = self.first_idx, self.last_idx - 1 do
    if fn(self.storage[i]) then
      return true
    end
  end
  return false
end

function Vector:remove_first ()
  if self:is_empty() then
    return nil
  end
  self.first_idx = self.first_idx + 1
  return self.storage[self.first_idx - 1]
end

function Vector:remove_all ()
  self.first_idx = 1
  self.last_idx = 1
  self.storage = {}
end

function Vector:remove (obj)
  local new_array = {}
  local new_last = 1
  local found = false

  self:each(function (it)
    if it == obj then
      found = true
    else
      new_array[new_last] = it
      new_last = new_last + 1
    end
  end)

  self.storage   = new_array
  self.last_idx  = new_last
  self.first_idx = 1
  return found
end

function Vector:size ()
  return self.last_idx - self.first_idx
end

local function swap (storage, i, j)
  storage[i], storage[j] = storage[j], storage[i]
end

function Vector:sort_range (i, j, compare)
  local n = j + 1 - i
  if n <= 1 then
    return
  end

  local storage = self.storage
  local di = storage[i]
  local dj = storage[j]

  if compare(di, dj) > 0 then
    swap(storage, i, j)
    di, dj = dj, di
  end

  if n > 2 then
    local ij = math.floor((i + j) / 2)
    local dij = storage[ij]

    if compare(di, dij) <= 0 then
      if compare(dij, dj) > 0 then
        swap(storage, j, ij)
        dij = dj
      end
    else
      swap(storage, i, ij)
      dij = di
    end

    if n > 3 then
      local k = i
      local l = j - 1

      while true do
        while k <= l and compare(dij, storage[l]) <= 0 do
          l = l - 1
        end

        k = k + 1
        while k <= l and compare(storage[k], dij) <= 0 do
          k = k + 1
        end

        if k > l then
          break
        end
        swap(storage, k, l)
      end

      self:sort_range(i, l, compare)
      self:sort_range(k, j, compare)
    end
  end
end

function Vector:sort (compare)
  if self:size() > 0 then
    self:sort_range(self.first_idx, self.last_idx - 1, compare)
  end
end
end -- class Vector

---------------------------------------------------------------- Strength

local Strength = {_CLASS = 'Strength'} do
Strength.__index = Strength

-- Symbols are interned strings in Lua.
local STRENGTH_TABLE = {
  absoluteStrongest = -10000,
  required          = -800,
  strongPreferred   = -600,
  preferred         = -400,
  strongDefault     = -200,
  default           = 0,
  weakDefault       = 500,
  absoluteWeakest   = 10000,
}

function Strength.new (symbolic_value)
  local obj = {
    symbolic_value   = symbolic_value,
    arithmetic_value = STRENGTH_TABLE[symbolic_value],
  }
  return setmetatable(obj, Strength)
end

function Strength:same_as (s)
  return self.arithmetic_value == s.arithmetic_value
end

function Strength:stronger (s)
  return self.arithmetic_value < s.arithmetic_value
end

function Strength:weaker (s)
  return self.arithmetic_value > s.arithmetic_value
end

function Strength:strongest (s)
  if s:stronger(self) then
    return s
  else
    return self
  end
end

function Strength:weakest (s)
  if s:weaker(self) then
    return s
  else
    return self
  end
end

local STRENGTH_CONSTANTS = {}
for sym in pairs(STRENGTH_TABLE) do
  STRENGTH_CONSTANTS[sym] = Strength.new(sym)
end

function Strength.of (sym)
  return STRENGTH_CONSTANTS[sym]
end

Strength.ABSOLUTE_STRONGEST = Strength.of('absoluteStrongest')
Strength.ABSOLUTE_WEAKEST   = Strength.of('absoluteWeakest')
Strength.REQUIRED           = Strength.of('required')
end -- class Strength

local ABSOLUTE_STRONGEST = 'absoluteStrongest'
local REQUIRED           = 'required'
local STRONG_PREFERRED   = 'strongPreferred'
local PREFERRED          = 'preferred'
local STRONG_DEFAULT     = 'strongDefault'
local DEFAULT            = 'default'
local WEAK_DEFAULT       = 'weakDefault'
local ABSOLUTE_WEAKEST   = 'absoluteWeakest'

-- directions of a binary constraint
local FORWARD  = 1
local BACKWARD = 2

---------------------------------------------------------------- AbstractConstraint

local AbstractConstraint = {_CLASS = 'AbstractConstraint'} do
AbstractConstraint.__index = AbstractConstraint

function AbstractConstraint.new (strength)
  local obj = {strength = Strength.of(strength)}
  return setmetatable(obj, AbstractConstraint)
end

function AbstractConstraint:is_input ()
  return false
end

function AbstractConstraint:add_constraint (planner)
  self:add_to_graph()
  planner:incremental_add(self)
end

function AbstractConstraint:destroy_constraint (planner)
  if self:is_satisfied() then
    planner:incremental_remove(self)
  end
  self:remove_from_graph()
end

function AbstractConstraint:inputs_known (mark)
  return not self:inputs_has_one(function (v)
    return not (v.mark == mark or v.stay or v.determined_by == nil)
  end)
end

function AbstractConstraint:satisfy (mark, planner)
  local overridden
  self:choose_method(mark)

  if self:is_satisfied() then
    -- constraint can be satisfied
    -- mark inputs to allow cycle detection in add_propagate
    self:inputs_do(function (i)
      i.mark = mark
    end)

    local out = self:get_output()
    overridden = out.determined_by
    if overridden ~= nil then
      overridden:mark_unsatisfied()
    end
    out.determined_by = self
    if not planner:add_propagate(self, mark) then
      error('Cycle encountered')
    end
    out.mark = mark
  else
    overridden = nil
    if self.strength:same_as(Strength.REQUIRED) then
      error('Could not satisfy a required constraint')
    end
  end
  return overridden
end
end -- abstract class AbstractConstraint

---------------------------------------------------------------- BinaryConstraint

local BinaryConstraint = {_CLASS = 'BinaryConstraint'} do
BinaryConstraint.__index = BinaryConstraint
setmetatable(BinaryConstraint, {__index = AbstractConstraint})

function BinaryConstraint.new (var1, var2, strength, planner)
  local obj = AbstractConstraint.new(strength)
  obj.v1 = var1
  obj.v2 = var2
  obj.direction = nil
  return setmetatable(obj, BinaryConstraint)
end

function BinaryConstraint:is_satisfied ()
  return self.direction ~= nil
end

function BinaryConstraint:add_to_graph ()
  self.v1:add_constraint(self)
  self.v2:add_constraint(self)
  self.direction = nil
end

function BinaryConstraint:remove_from_graph ()
  if self.v1 ~= nil then
    self.v1:remove_constraint(self)
  end
  if self.v2 ~= nil then
    self.v2:remove_constraint(self)
  end
  self.direction = nil
end

function BinaryConstraint:choose_method (mark)
  if self.v1.mark == mark then
    if self.v2.mark ~= mark and self.strength:stronger(self.v2.walk_strength) then
      self.direction = FORWARD
      return self.direction
    else
      self.direction = nil
      return self.direction
    end
  end

  if self.v2.mark == mark then
    if self.v1.mark ~= mark and self.strength:stronger(self.v1.walk_strength) then
      self.direction = BACKWARD
      return self.direction
    else
      self.direction = nil
      return self.direction
    end
  end

  -- If we get here, neither variable is marked, so we have a choice.
  if self.v1.walk_strength:weaker(self.v2.walk_strength) then
    if self.strength:stronger(self.v1.walk_strength) then
      self.direction = BACKWARD
      return self.direction
    else
      self.direction = nil
      return self.direction
    end
  else
    if self.strength:stronger(self.v2.walk_strength) then
      self.direction = FORWARD
      return self.direction
    else
      self.direction = nil
      return self.direction
    end
  end
end

function BinaryConstraint:inputs_do (fn)
  if self.direction == FORWARD then
    fn(self.v1)
  else
    fn(self.v2)
  end
end

function BinaryConstraint:inputs_has_one (fn)
  if self.direction == FORWARD then
    return fn(self.v1)
  else
    return fn(self.v2)
  end
end

function BinaryConstraint:mark_unsatisfied ()
  self.direction = nil
end

function BinaryConstraint:get_output ()
  if self.direction == FORWARD then
    return self.v2
  else
    return self.v1
  end
end

function BinaryConstraint:recalculate ()
  local ihn, out
  if self.direction == FORWARD then
    ihn = self.v1
    out = self.v2
  else
    ihn = self.v2
    out = self.v1
  end

  out.walk_strength = self.strength:weakest(ihn.walk_strength)
  out.stay = ihn.stay
  if out.stay then
    self:execute()
  end
end
end -- abstract class BinaryConstraint

---------------------------------------------------------------- UnaryConstraint

local UnaryConstraint = {_CLASS = 'UnaryConstraint'} do
UnaryConstraint.__index = UnaryConstraint
setmetatable(UnaryConstraint, {__index = AbstractConstraint})

function UnaryConstraint.new (v, strength, planner)
  local obj = AbstractConstraint.new(strength)
  obj.output = v
  obj.satisfied = false
  return setmetatable(obj, UnaryConstraint)
end

function UnaryConstraint:add_to_graph ()
  self.output:add_constraint(self)
  self.satisfied = false
end

function UnaryConstraint:choose_method (mark)
  self.satisfied = self.output.mark ~= mark and
                   self.strength:stronger(self.output.walk_strength)
  return nil
end

function UnaryConstraint:is_satisfied ()
  return self.satisfied
end

function UnaryConstraint:mark_unsatisfied ()
  self.satisfied = false
end

function UnaryConstraint:get_output ()
  return self.output
end

function UnaryConstraint:recalculate ()
  self.output.walk_strength = self.strength
  self.output.stay = not self:is_input()
  if self.output.stay then
    self:execute() -- stay optimization
  end
end

function UnaryConstraint:remove_from_graph ()
  if self.output ~= nil then
    self.output:remove_constraint(self)
  end
  self.satisfied = false
end

function UnaryConstraint:inputs_do (fn)
  -- I have no input variables
end

function UnaryConstraint:inputs_has_one (fn)
  return false
end
end -- abstract class UnaryConstraint

---------------------------------------------------------------- EditConstraint

local EditConstraint = {_CLASS = 'EditConstraint'} do
EditConstraint.__index = EditConstraint
setmetatable(EditConstraint, {__index = UnaryConstraint})

function EditConstraint.new (v, strength, planner)
  local obj = UnaryConstraint.new(v, strength, planner)
  setmetatable(obj, EditConstraint)
  obj:add_constraint(planner)
  return obj
end

function EditConstraint:is_input ()
  return true
end

function EditConstraint:execute ()
  -- Edit constraints do nothing.
end
end -- class EditConstraint

---------------------------------------------------------------- EqualityConstraint

local EqualityConstraint = {_CLASS = 'EqualityConstraint'} do
EqualityConstraint.__index = EqualityConstraint
setmetatable(EqualityConstraint, {__index = BinaryConstraint})

function EqualityConstraint.new (var1, var2, strength, planner)
  local obj = BinaryConstraint.new(var1, var2, strength, planner)
  setmetatable(obj, EqualityConstraint)
  obj:add_constraint(planner)
  return obj
end

function EqualityConstraint:execute ()
  if self.direction == FORWARD then
    self.v2.value = self.v1.value
  else
    self.v1.value = self.v2.value
  end
end
end -- class EqualityConstraint

---------------------------------------------------------------- ScaleConstraint

local ScaleConstraint = {_CLASS = 'ScaleConstraint'} do
ScaleConstraint.__index = ScaleConstraint
setmetatable(ScaleConstraint, {__index = BinaryConstraint})

function ScaleConstraint.new (src, scale, offset, dest, strength, planner)
  local obj = BinaryConstraint.new(src, dest, strength, planner)
  setmetatable(obj, ScaleConstraint)
  obj.scale  = scale
  obj.offset = offset
  obj:add_constraint(planner)
  return obj
end

function ScaleConstraint:add_to_graph ()
  self.v1:add_constraint(self)
  self.v2:add_constraint(self)
  self.scale:add_constraint(self)
  self.offset:add_constraint(self)
  self.direction = nil
end

function ScaleConstraint:remove_from_graph ()
  if self.v1 ~= nil then
    self.v1:remove_constraint(self)
  end
  if self.v2 ~= nil then
    self.v2:remove_constraint(self)
  end
  if self.scale ~= nil then
    self.scale:remove_constraint(self)
  end
  if self.offset ~= nil then
    self.offset:remove_constraint(self)
  end
  self.direction = nil
end

function ScaleConstraint:execute ()
  if self.direction == FORWARD then
    self.v2.value = self.v1.value * self.scale.value + self.offset.value
  else
    -- the Java version divides integers; the tests only use exact quotients
    self.v1.value = (self.v2.value - self.offset.value) / self.scale.value
  end
end

function ScaleConstraint:inputs_do (fn)
  if self.direction == FORWARD then
    fn(self.v1)
    fn(self.scale)
    fn(self.offset)
  else
    fn(self.v2)
    fn(self.scale)
    fn(self.offset)
  end
end

function ScaleConstraint:inputs_has_one (fn)
  if self.direction == FORWARD then
    return fn(self.v1) or fn(self.scale) or fn(self.offset)
  else
    return fn(self.v2) or fn(self.scale) or fn(self.offset)
  end
end

function ScaleConstraint:recalculate ()
  local ihn, out
  if self.direction == FORWARD then
    ihn = self.v1
    out = self.v2
  else
    out = self.v1
    ihn = self.v2
  end

  out.walk_strength = self.strength:weakest(ihn.walk_strength)
  out.stay = ihn.stay and self.scale.stay and self.offset.stay
  if out.stay then
    self:execute() -- stay optimization
  end
end
end -- class ScaleConstraint

---------------------------------------------------------------- StayConstraint

local StayConstraint = {_CLASS = 'StayConstraint'} do
StayConstraint.__index = StayConstraint
setmetatable(StayConstraint, {__index = UnaryConstraint})

function StayConstraint.new (v, strength, planner)
  local obj = UnaryConstraint.new(v, strength, planner)
  setmetatable(obj, StayConstraint)
  obj:add_constraint(planner)
  return obj
end

function StayConstraint:execute ()
  -- Stay constraints do nothing.
end
end -- class StayConstraint

---------------------------------------------------------------- Variable

local Variable = {_CLASS = 'Variable'} do
Variable.__index = Variable

function Variable.new ()
  local obj = {
    value         = 0,
    constraints   = Vector.new(2),
    determined_by = nil,
    walk_strength = Strength.ABSOLUTE_WEAKEST,
    stay          = true,
    mark          = 0,
  }
  return setmetatable(obj, Variable)
end

function Variable.value_of (a_value)
  local v = Variable.new()
  v.value = a_value
  return v
end

function Variable:add_constraint (c)
  self.constraints:append(c)
end

function Variable:remove_constraint (c)
  self.constraints:remove(c)
  if self.determined_by == c then
    self.determined_by = nil
  end
end
end -- class Variable

---------------------------------------------------------------- Plan

local Plan = {_CLASS = 'Plan'} do
Plan.__index = Plan
setmetatable(Plan, {__index = Vector})

function Plan.new ()
  local obj = Vector.new(15)
  return setmetatable(obj, Plan)
end

function Plan:execute ()
  self:each(function (c)
    c:execute()
  end)
end
end -- class Plan

---------------------------------------------------------------- Planner

local Planner = {_CLASS = 'Planner'} do
Planner.__index = Planner

function Planner.new ()
  local obj = {current_mark = 1}
  return setmetatable(obj, Planner)
end

function Planner:incremental_add (c)
  local mark = self:new_mark()
  local overridden = c:satisfy(mark, self)

  while overridden ~= nil do
    overridden = overridden:satisfy(mark, self)
  end
end

function Planner:incremental_remove (c)
  local out = c:get_output()
  c:mark_unsatisfied()
  c:remove_from_graph()

  local unsatisfied = self:remove_propagate_from(out)
  unsatisfied:each(function (u)
    self:incremental_add(u)
  end)
end

function Planner:extract_plan_from_constraints (constraints)
  local sources = Vector.new()

  constraints:each(function (c)
    if c:is_input() and c:is_satisfied() then
      sources:append(c)
    end
  end)

  return self:make_plan(sources)
end

function Planner:make_plan (sources)
  local mark = self:new_mark()
  local plan = Plan.new()
  local todo = sources

  while not todo:is_empty() do
    local c = todo:remove_first()

    if c:get_output().mark ~= mark and c:inputs_known(mark) then
      -- not in plan already and eligible for inclusion
      plan:append(c)
      c:get_output().mark = mark
      self:add_constraints_consuming_to(c:get_output(), todo)
    end
  end
  return plan
end

function Planner:propagate_from (v)
  local todo = Vector.new()
  self:add_constraints_consuming_to(v, todo)

  while not todo:is_empty() do
    local c = todo:remove_first()
    c:execute()
    self:add_constraints_consuming_to(c:get_output(), todo)
  end
end

function Planner:add_constraints_consuming_to (v, coll)
  local determining_c = v.determined_by

  v.constraints:each(function (c)
    if c ~= determining_c and c:is_satisfied() then
      coll:append(c)
    end
  end)
end

function Planner:add_propagate (c, mark)
  local todo = Vector.with(c)

  while not todo:is_empty() do
    local d = todo:remove_first()

    if d:get_output().mark == mark then
      self:incremental_remove(c)
      return false
    end

    d:recalculate()
    self:add_constraints_consuming_to(d:get_output(), todo)
  end

  return true
end

function Planner:change (var, new_value)
  local edit_c = EditConstraint.new(var, PREFERRED, self)
  local edit_v = Vector.with(edit_c)
  local plan = self:extract_plan_from_constraints(edit_v)

  for _ = 1, 10 do
    var.value = new_value
    plan:execute()
  end

  edit_c:destroy_constraint(self)
end

function Planner:constraints_consuming (v, fn)
  local determining_c = v.determined_by
  v.constraints:each(function (c)
    if c ~= determining_c and c:is_satisfied() then
      fn(c)
    end
  end)
end

function Planner:remove_propagate_from (out)
  local unsatisfied = Vector.new()

  out.determined_by = nil
  out.walk_strength = Strength.ABSOLUTE_WEAKEST
  out.stay = true

  local todo = Vector.with(out)

  while not todo:is_empty() do
    local v = todo:remove_first()

    v.constraints:each(function (c)
      if not c:is_satisfied() then
        unsatisfied:append(c)
      end
    end)

    self:constraints_consuming(v, function (c)
      c:recalculate()
      todo:append(c:get_output())
    end)
  end

  unsatisfied:sort(function (c1, c2)
    return c1.strength:stronger(c2.strength) and -1 or 1
  end)
  return unsatisfied
end

function Planner:new_mark ()
  self.current_mark = self.current_mark + 1
  return self.current_mark
end

function Planner.chain_test (n)
  -- This is the standard DeltaBlue benchmark. A long chain of equality
  -- constraints is constructed with a stay constraint on one end. An
  -- edit constraint is then added to the opposite end and the time is
  -- measured for adding and removing this constraint, and extracting
  -- and executing a constraint satisfaction plan. There are two cases.
  -- In case 1, the added constraint is stronger than the stay
  -- constraint and values must propagate down the entire length of the
  -- chain. In case 2, the added constraint is weaker than the stay
  -- constraint so it cannot be accommodated. The cost in this case is,
  -- of course, very low. Typical situations lie somewhere between these
  -- two extremes.
  local planner = Planner.new()
  local vars = {}
  for i = 1, n + 1 do
    vars[i] = Variable.new()
  end

  -- Build chain of n equality constraints
  for i = 1, n do
    local v1 = vars[i]
    local v2 = vars[i + 1]
    EqualityConstraint.new(v1, v2, REQUIRED, planner)
  end

  StayConstraint.new(vars[n + 1], STRONG_DEFAULT, planner)
  local edit_c = EditConstraint.new(vars[1], PREFERRED, planner)

  local edit_v = Vector.with(edit_c)
  local plan = planner:extract_plan_from_constraints(edit_v)
  for i = 1, 100 do
    vars[1].value = i
    plan:execute()
    if vars[n + 1].value ~= i then
      error('Chain test failed!')
    end
  end
  edit_c:destroy_constraint(planner)
end

function Planner.projection_test (n)
  -- This test constructs a two sets of variables related to each
  -- other by a simple linear transformation (scale and offset). The
  -- time is measured to change a variable on either side of the
  -- mapping and to change the scale and offset factors.
  local planner = Planner.new()
  local dests = Vector.new()
  local scale = Variable.value_of(10)
  local offset = Variable.value_of(1000)

  local src, dst
  for i = 1, n do
    src = Variable.value_of(i)
    dst = Variable.value_of(i)
    dests:append(dst)
    StayConstraint.new(src, DEFAULT, planner)
    ScaleConstraint.new(src, scale, offset, dst, REQUIRED, planner)
  end

  planner:change(src, 17)
  if dst.value ~= 1170 then
    error('Projection test 1 failed!')
  end

  planner:change(dst, 1050)
  if src.value ~= 5 then
    error('Projection test 2 failed!')
  end

  planner:change(scale, 5)
  for i = 1, n - 1 do
    if dests:at(i).value ~= i * 5 + 1000 then
      error('Projection test 3 failed!')
    end
  end

  planner:change(offset, 2000)
  for i = 1, n - 1 do
    if dests:at(i).value ~= i * 5 + 2000 then
      error('Projection test 4 failed!')
    end
  end
end
end -- class Planner

local DeltaBlue = {} do

function DeltaBlue.inner_benchmark_loop (inner_iterations)
  Planner.chain_test(inner_iterations)
  Planner.projection_test(inner_iterations)
  return true
end
end -- object DeltaBlue

local n = tonumber(arg and arg[1]) or 12000
local ok = DeltaBlue.inner_benchmark_loop(n)
print(string.format("deltablue %d: chain and projection tests %s", n, ok and "passed" or "failed"))
