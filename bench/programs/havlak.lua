-- havlak.lua: Havlak's loop recognition on a large synthetic control-flow graph, as in the
-- "Are We Fast Yet" benchmark suite (Marr et al.; after Hundt's "Loop Recognition in
-- C++/Java/Go/Scala"), with its metatable-based classes and the SOM collections it uses.
-- Many small objects, linear-search sets, a hash dictionary, union-find, recursion.
-- Usage: havlak.lua [find-loop iterations]   (default 3)
-- The original runs LoopTesterApp:main(1500, 50, 10, 10, 5); 50 find-loop passes over the big
-- graph take ~10 s in Lua 5.4, so the number of passes is the size parameter here, and the
-- 1500 dummy-loop searches (whose result the original verifies) are kept.
--
-- Lua arrays are 1-based, so DFS numbers and Vector indices start at 1 here; basic block
-- names keep the original 0-based numbering (a block named k lives at map index k + 1).

---------------------------------------------------------------- SOM collections

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

function Vector:size ()
  return self.last_idx - self.first_idx
end
end -- class Vector

local Set = {_CLASS = 'Set'} do
Set.__index = Set

function Set.new (size)
  local obj = {items = Vector.new(size)}
  return setmetatable(obj, Set)
end

function Set:size ()
  return self.items:size()
end

function Set:each (fn)
  self.items:each(fn)
end

function Set:has_some (fn)
  return self.items:has_some(fn)
end

function Set:add (obj)
  if not self:contains(obj) then
    self.items:append(obj)
  end
end

function Set:contains (obj)
  return self:has_some(function (it) return it == obj end)
end

function Set:remove_all ()
  self.items:remove_all()
end
end -- class Set

local IdentitySet = {_CLASS = 'IdentitySet'} do
IdentitySet.__index = IdentitySet
setmetatable(IdentitySet, {__index = Set})

function IdentitySet.new (size)
  local obj = Set.new(size)
  return setmetatable(obj, IdentitySet)
end

function IdentitySet:contains (obj)
  return self:has_some(function (it) return it == obj end)
end
end -- class IdentitySet

local Entry = {_CLASS = 'Entry'} do
Entry.__index = Entry

function Entry.new (hash, key, value, next)
  local obj = {
    hash  = hash,
    key   = key,
    value = value,
    next  = next,
  }
  return setmetatable(obj, Entry)
end

function Entry:match (hash, key)
  return self.hash == hash and self.key == key
end
end -- class Entry

local INITIAL_CAPACITY = 16

-- Java's `h ^ (h >>> 16)` spreads high bits into the low ones; all keys hashed here
-- (basic block names) are below 2^16, so it leaves them unchanged.
local function hash (key)
  if not key then
    return 0
  end
  return key:custom_hash()
end

local Dictionary = {_CLASS = 'Dictionary'} do
Dictionary.__index = Dictionary

function Dictionary.new (size)
  local obj = {
    buckets  = {},
    capacity = size or INITIAL_CAPACITY,
    size     = 0,
  }
  return setmetatable(obj, Dictionary)
end

-- `(capacity - 1) & hash` for a power-of-two capacity and hash >= 0; buckets are 1-based.
function Dictionary:get_bucket_idx (h)
  return h % self.capacity + 1
end

function Dictionary:get_bucket (h)
  return self.buckets[self:get_bucket_idx(h)]
end

function Dictionary:at (key)
  local h = hash(key)
  local e = self:get_bucket(h)

  while e do
    if e:match(h, key) then
      return e.value
    end
    e = e.next
  end
  return nil
end

function Dictionary:contains_key (key)
  local h = hash(key)
  local e = self:get_bucket(h)

  while e do
    if e:match(h, key) then
      return true
    end
    e = e.next
  end
  return false
end

function Dictionary:at_put (key, value)
  local h = hash(key)
  local i = self:get_bucket_idx(h)
  local current = self.buckets[i]

  if not current then
    self.buckets[i] = self:new_entry(key, value, h)
    self.size = self.size + 1
  else
    self:insert_bucket_entry(key, value, h, current)
  end

  if self.size > self.capacity then
    self:resize()
  end
end

function Dictionary:new_entry (key, value, h)
  return Entry.new(h, key, value, nil)
end

function Dictionary:insert_bucket_entry (key, value, h, head)
  local current = head

  while true do
    if current:match(h, key) then
      current.value = value
      return
    end
    if not current.next then
      self.size = self.size + 1
      current.next = self:new_entry(key, value, h)
      return
    end
    current = current.next
  end
end

function Dictionary:resize ()
  local old_storage = self.buckets
  local old_capacity = self.capacity
  self.buckets = {}
  self.capacity = old_capacity * 2
  self:transfer_entries(old_storage, old_capacity)
end

function Dictionary:transfer_entries (old_storage, old_capacity)
  for i = 1, old_capacity do
    local current = old_storage[i]
    if current then
      old_storage[i] = nil
      if not current.next then
        self.buckets[current.hash % self.capacity + 1] = current
      else
        self:split_bucket(old_storage, old_capacity, i, current)
      end
    end
  end
end

function Dictionary:split_bucket (old_storage, old_capacity, i, head)
  local lo_head, lo_tail = nil, nil
  local hi_head, hi_tail = nil, nil
  local current = head

  while current do
    -- `(hash & oldCapacity) == 0`: the bit that decides between the low and high half
    if math.floor(current.hash / old_capacity) % 2 == 0 then
      if not lo_tail then
        lo_head = current
      else
        lo_tail.next = current
      end
      lo_tail = current
    else
      if not hi_tail then
        hi_head = current
      else
        hi_tail.next = current
      end
      hi_tail = current
    end
    current = current.next
  end

  if lo_tail then
    lo_tail.next = nil
    self.buckets[i] = lo_head
  end
  if hi_tail then
    hi_tail.next = nil
    self.buckets[i + old_capacity] = hi_head
  end
end

function Dictionary:remove_all ()
  self.buckets = {}
  self.size = 0
end
end -- class Dictionary

local IdentityDictionary = {_CLASS = 'IdentityDictionary'} do
IdentityDictionary.__index = IdentityDictionary
setmetatable(IdentityDictionary, {__index = Dictionary})

function IdentityDictionary.new (size)
  local obj = Dictionary.new(size)
  return setmetatable(obj, IdentityDictionary)
end
end -- class IdentityDictionary

---------------------------------------------------------------- Havlak

local BasicBlock = {_CLASS = 'BasicBlock'} do
BasicBlock.__index = BasicBlock

function BasicBlock.new (name)
  local obj = {
    in_edges  = Vector.new(2),
    out_edges = Vector.new(2),
    name      = name,
  }
  return setmetatable(obj, BasicBlock)
end

function BasicBlock:num_pred ()
  return self.in_edges:size()
end

function BasicBlock:add_out_edge (to)
  self.out_edges:append(to)
end

function BasicBlock:add_in_edge (from)
  self.in_edges:append(from)
end

function BasicBlock:custom_hash ()
  return self.name
end
end -- class BasicBlock

local BasicBlockEdge = {_CLASS = 'BasicBlockEdge'} do
BasicBlockEdge.__index = BasicBlockEdge

function BasicBlockEdge.new (cfg, from_name, to_name)
  local obj = {
    from = cfg:create_node(from_name),
    to   = cfg:create_node(to_name),
  }
  setmetatable(obj, BasicBlockEdge)
  obj.from:add_out_edge(obj.to)
  obj.to:add_in_edge(obj.from)
  cfg:add_edge(obj)
  return obj
end
end -- class BasicBlockEdge

local ControlFlowGraph = {_CLASS = 'ControlFlowGraph'} do
ControlFlowGraph.__index = ControlFlowGraph

function ControlFlowGraph.new ()
  local obj = {
    basic_block_map = Vector.new(),
    start_node      = nil,
    edge_list       = Vector.new(),
  }
  return setmetatable(obj, ControlFlowGraph)
end

function ControlFlowGraph:create_node (name)
  local node
  if self.basic_block_map:at(name + 1) then
    node = self.basic_block_map:at(name + 1)
  else
    node = BasicBlock.new(name)
    self.basic_block_map:at_put(name + 1, node)
  end

  if self:num_nodes() == 1 then
    self.start_node = node
  end
  return node
end

function ControlFlowGraph:add_edge (edge)
  self.edge_list:append(edge)
end

function ControlFlowGraph:num_nodes ()
  return self.basic_block_map:size()
end

function ControlFlowGraph:get_start_basic_block ()
  return self.start_node
end

function ControlFlowGraph:get_basic_blocks ()
  return self.basic_block_map
end
end -- class ControlFlowGraph

local SimpleLoop = {_CLASS = 'SimpleLoop'} do
SimpleLoop.__index = SimpleLoop

function SimpleLoop.new (bb, is_reducible)
  local obj = {
    counter       = 0,
    depth_level   = 0,
    parent        = nil,
    is_root       = false,
    nesting_level = 0,
    header        = bb,
    is_reducible  = is_reducible,
    basic_blocks  = IdentitySet.new(),
    children      = IdentitySet.new(),
  }
  if bb then
    obj.basic_blocks:add(bb)
  end
  return setmetatable(obj, SimpleLoop)
end

function SimpleLoop:add_node (bb)
  self.basic_blocks:add(bb)
end

function SimpleLoop:add_child_loop (loop)
  self.children:add(loop)
end

function SimpleLoop:set_parent (parent)
  self.parent = parent
  self.parent:add_child_loop(self)
end

function SimpleLoop:set_is_root ()
  self.is_root = true
end

function SimpleLoop:set_nesting_level (level)
  self.nesting_level = level
  if level == 0 then
    self:set_is_root()
  end
end
end -- class SimpleLoop

local LoopStructureGraph = {_CLASS = 'LoopStructureGraph'} do
LoopStructureGraph.__index = LoopStructureGraph

function LoopStructureGraph.new ()
  local loops = Vector.new()
  local root = SimpleLoop.new(nil, true)
  local obj = {
    loop_counter = 0,
    loops        = loops,
    root         = root,
  }
  root:set_nesting_level(0)
  root.counter = obj.loop_counter
  obj.loop_counter = obj.loop_counter + 1
  loops:append(root)
  return setmetatable(obj, LoopStructureGraph)
end

function LoopStructureGraph:create_new_loop (bb, is_reducible)
  local loop = SimpleLoop.new(bb, is_reducible)
  loop.counter = self.loop_counter
  self.loop_counter = self.loop_counter + 1
  self.loops:append(loop)
  return loop
end

function LoopStructureGraph:calculate_nesting_level ()
  -- link up all 1st level loops to artificial root node.
  self.loops:each(function (liter)
    if not liter.is_root then
      if not liter.parent then
        liter:set_parent(self.root)
      end
    end
  end)

  -- recursively traverse the tree and assign levels.
  self:calculate_nesting_level_rec(self.root, 0)
end

function LoopStructureGraph:calculate_nesting_level_rec (loop, depth)
  loop.depth_level = depth
  loop.children:each(function (liter)
    self:calculate_nesting_level_rec(liter, depth + 1)
    loop:set_nesting_level(math.max(loop.nesting_level, 1 + liter.nesting_level))
  end)
end

function LoopStructureGraph:num_loops ()
  return self.loops:size()
end
end -- class LoopStructureGraph

local UnionFindNode = {_CLASS = 'UnionFindNode'} do
UnionFindNode.__index = UnionFindNode

function UnionFindNode.new ()
  local obj = {
    dfs_number = 0,
    parent     = nil,
    bb         = nil,
    loop       = nil,
  }
  return setmetatable(obj, UnionFindNode)
end

function UnionFindNode:init_node (bb, dfs_number)
  self.parent     = self
  self.bb         = bb
  self.dfs_number = dfs_number
  self.loop       = nil
end

function UnionFindNode:find_set ()
  local node_list = Vector.new()

  local node = self
  while node ~= node.parent do
    if node.parent ~= node.parent.parent then
      node_list:append(node)
    end
    node = node.parent
  end

  -- Path Compression, all nodes' parents point to the 1st level parent.
  node_list:each(function (iter)
    iter:union(self.parent)
  end)
  return node
end

function UnionFindNode:union (basic_block)
  self.parent = basic_block
end
end -- class UnionFindNode

-- Kinds of basic blocks (the BasicBlockClass enum of the original).
local BB_TOP          = 0 -- uninitialized
local BB_NONHEADER    = 1 -- a regular BB
local BB_REDUCIBLE    = 2 -- reducible loop
local BB_SELF         = 3 -- single BB loop
local BB_IRREDUCIBLE  = 4 -- irreducible loop
local BB_DEAD         = 5 -- a dead BB
local BB_LAST         = 6 -- Sentinel

local UNVISITED       = 2147483647 -- Integer.MAX_VALUE: marker for nodes not visited by DFS
local MAXNONBACKPREDS = 32 * 1024  -- safeguard against pathological algorithm behavior

local HavlakLoopFinder = {_CLASS = 'HavlakLoopFinder'} do
HavlakLoopFinder.__index = HavlakLoopFinder

function HavlakLoopFinder.new (cfg, lsg)
  local obj = {
    cfg             = cfg,
    lsg             = lsg,
    non_back_preds  = Vector.new(),
    back_preds      = Vector.new(),
    number          = IdentityDictionary.new(),
    max_size        = 0,
    header          = nil,
    types           = nil,
    last            = nil,
    nodes           = nil,
  }
  return setmetatable(obj, HavlakLoopFinder)
end

-- As described in the paper, determine whether a node 'w' is a
-- "true" ancestor for node 'v'.
--
-- Dominance can be tested quickly using a pre-order trick
-- for depth-first spanning trees. This is why DFS is the first
-- thing we run below.
function HavlakLoopFinder:is_ancestor (w, v)
  return w <= v and v <= self.last[w]
end

-- DFS - Depth-First-Search
--
-- DESCRIPTION:
-- Simple depth first traversal along out edges with node numbering.
function HavlakLoopFinder:do_dfs (current_node, current)
  self.nodes[current]:init_node(current_node, current)
  self.number:at_put(current_node, current)

  local last_id = current
  local outer_blocks = current_node.out_edges

  for i = 1, outer_blocks:size() do
    local target = outer_blocks:at(i)
    if self.number:at(target) == UNVISITED then
      last_id = self:do_dfs(target, last_id + 1)
    end
  end

  self.last[current] = last_id
  return last_id
end

function HavlakLoopFinder:init_all_nodes ()
  -- Step a:
  --   - initialize all nodes as unvisited.
  --   - depth-first traversal and numbering.
  --   - unreached BB's are marked as dead.
  self.cfg:get_basic_blocks():each(function (bb)
    self.number:at_put(bb, UNVISITED)
  end)
  self:do_dfs(self.cfg:get_start_basic_block(), 1)
end

function HavlakLoopFinder:identify_edges (size)
  -- Step b:
  --   - iterate over all nodes.
  --
  --   A backedge comes from a descendant in the DFS tree, and non-backedges
  --   from non-descendants (following Tarjan).
  --
  --   - check incoming edges 'v' and add them to either
  --     - the list of backedges (backPreds) or
  --     - the list of non-backedges (nonBackPreds)
  for w = 1, size do
    self.header[w] = 1
    self.types[w] = BB_NONHEADER

    local node_w = self.nodes[w].bb
    if not node_w then
      self.types[w] = BB_DEAD
    else
      self:process_edges(node_w, w)
    end
  end
end

function HavlakLoopFinder:process_edges (node_w, w)
  local number = self.number

  if node_w:num_pred() > 0 then
    node_w.in_edges:each(function (node_v)
      local v = number:at(node_v)
      if v ~= UNVISITED then
        if self:is_ancestor(w, v) then
          self.back_preds:at(w):append(v)
        else
          self.non_back_preds:at(w):add(v)
        end
      end
    end)
  end
end

-- Find loops and build loop forest using Havlak's algorithm, which
-- is derived from Tarjan. Variable names and step numbering has
-- been chosen to be identical to the nomenclature in Havlak's
-- paper (which, in turn, is similar to the one used by Tarjan).
function HavlakLoopFinder:find_loops ()
  if not self.cfg:get_start_basic_block() then
    return
  end

  local size = self.cfg:num_nodes()

  self.non_back_preds:remove_all()
  self.back_preds:remove_all()
  self.number:remove_all()
  if size > self.max_size then
    self.header   = {}
    self.types    = {}
    self.last     = {}
    self.nodes    = {}
    self.max_size = size
  end

  for i = 1, size do
    self.non_back_preds:append(Set.new())
    self.back_preds:append(Vector.new())
    self.nodes[i] = UnionFindNode.new()
  end

  self:init_all_nodes()
  self:identify_edges(size)

  -- Start node is root of all other loops.
  self.header[1] = 1

  -- Step c:
  --
  -- The outer loop, unchanged from Tarjan. It does nothing except
  -- for those nodes which are the destinations of backedges.
  -- For a header node w, we chase backward from the sources of the
  -- backedges adding nodes to the set P, representing the body of
  -- the loop headed by w.
  --
  -- By running through the nodes in reverse of the DFST preorder,
  -- we ensure that inner loop headers will be processed before the
  -- headers for surrounding loops.
  for w = size, 1, -1 do
    -- this is 'P' in Havlak's paper
    local node_pool = Vector.new()

    local node_w = self.nodes[w].bb
    if node_w then
      self:step_d(w, node_pool)

      -- Copy node_pool to work_list.
      local work_list = Vector.new()
      node_pool:each(function (niter)
        work_list:append(niter)
      end)

      if node_pool:size() ~= 0 then
        self.types[w] = BB_REDUCIBLE
      end

      -- work the list...
      while not work_list:is_empty() do
        local x = work_list:remove_first()

        -- Step e:
        --
        -- Step e represents the main difference from Tarjan's method.
        -- Chasing upwards from the sources of a node w's backedges. If
        -- there is a node y' that is not a descendant of w, w is marked
        -- the header of an irreducible loop, there is another entry
        -- into this loop that avoids w.

        -- The algorithm has degenerated. Break and
        -- return in this case.
        local non_back_size = self.non_back_preds:at(x.dfs_number):size()
        if non_back_size > MAXNONBACKPREDS then
          return
        end
        self:step_e_process_non_back_preds(w, node_pool, work_list, x)
      end

      -- Collapse/Unionize nodes in a SCC to a single node
      -- For every SCC found, create a loop descriptor and link it in.
      if node_pool:size() > 0 or self.types[w] == BB_SELF then
        local loop = self.lsg:create_new_loop(node_w, self.types[w] ~= BB_IRREDUCIBLE)
        self:set_loop_attributes(w, node_pool, loop)
      end
    end
  end -- Step c
end -- find_loops

function HavlakLoopFinder:step_e_process_non_back_preds (w, node_pool, work_list, x)
  self.non_back_preds:at(x.dfs_number):each(function (iter)
    local y = self.nodes[iter]
    local ydash = y:find_set()

    if not self:is_ancestor(w, ydash.dfs_number) then
      self.types[w] = BB_IRREDUCIBLE
      self.non_back_preds:at(w):add(ydash.dfs_number)
    else
      if ydash.dfs_number ~= w then
        if not node_pool:has_some(function (e) return e == ydash end) then
          work_list:append(ydash)
          node_pool:append(ydash)
        end
      end
    end
  end)
end

function HavlakLoopFinder:set_loop_attributes (w, node_pool, loop)
  -- At this point, one can set attributes to the loop, such as:
  --
  -- the bottom node:
  --    iter  = backPreds[w].begin();
  --    loop bottom = number[iter];
  --
  -- the number of backedges:
  --    backPreds[w].size()
  --
  -- whether this loop is reducible:
  --    type[w] != BasicBlockClass.BB_IRREDUCIBLE
  self.nodes[w].loop = loop

  node_pool:each(function (node)
    -- Add nodes to loop descriptor.
    self.header[node.dfs_number] = w
    node:union(self.nodes[w])

    -- Nested loops are not added, but linked together.
    if node.loop then
      node.loop:set_parent(loop)
    else
      loop:add_node(node.bb)
    end
  end)
end

function HavlakLoopFinder:step_d (w, node_pool)
  self.back_preds:at(w):each(function (v)
    if v ~= w then
      node_pool:append(self.nodes[v]:find_set())
    else
      self.types[w] = BB_SELF
    end
  end)
end
end -- class HavlakLoopFinder

local LoopTesterApp = {_CLASS = 'LoopTesterApp'} do
LoopTesterApp.__index = LoopTesterApp

function LoopTesterApp.new ()
  local cfg = ControlFlowGraph.new()
  local lsg = LoopStructureGraph.new()
  local obj = {
    cfg = cfg,
    lsg = lsg,
  }
  cfg:create_node(0)
  return setmetatable(obj, LoopTesterApp)
end

-- Create 4 basic blocks, corresponding to and if/then/else clause
-- with a CFG that looks like a diamond
function LoopTesterApp:build_diamond (start)
  local bb0 = start
  BasicBlockEdge.new(self.cfg, bb0, bb0 + 1)
  BasicBlockEdge.new(self.cfg, bb0, bb0 + 2)
  BasicBlockEdge.new(self.cfg, bb0 + 1, bb0 + 3)
  BasicBlockEdge.new(self.cfg, bb0 + 2, bb0 + 3)
  return bb0 + 3
end

-- Connect two existing nodes
function LoopTesterApp:build_connect (start, end_)
  BasicBlockEdge.new(self.cfg, start, end_)
end

-- Form a straight connected sequence of n basic blocks
function LoopTesterApp:build_straight (start, n)
  for i = 0, n - 1 do
    self:build_connect(start + i, start + i + 1)
  end
  return start + n
end

-- Construct a simple loop with two diamonds in it
function LoopTesterApp:build_base_loop (from)
  local header   = self:build_straight(from, 1)
  local diamond1 = self:build_diamond(header)
  local d11      = self:build_straight(diamond1, 1)
  local diamond2 = self:build_diamond(d11)
  local footer   = self:build_straight(diamond2, 1)
  self:build_connect(diamond2, d11)
  self:build_connect(diamond1, header)

  self:build_connect(footer, from)
  footer = self:build_straight(footer, 1)
  return footer
end

function LoopTesterApp:main (num_dummy_loops, find_loop_iterations,
                             par_loops, ppar_loops, pppar_loops)
  self:construct_simple_cfg()
  self:add_dummy_loops(num_dummy_loops)
  self:construct_cfg(par_loops, ppar_loops, pppar_loops)

  -- Performing Loop Recognition, 1 Iteration, then findLoopIteration
  self:find_loops(self.lsg)
  for _ = 1, find_loop_iterations do
    self:find_loops(LoopStructureGraph.new())
  end

  self.lsg:calculate_nesting_level()
  return {self.lsg:num_loops(), self.cfg:num_nodes()}
end

function LoopTesterApp:construct_cfg (par_loops, ppar_loops, pppar_loops)
  local n = 2

  for _ = 1, par_loops do
    self.cfg:create_node(n + 1)
    self:build_connect(2, n + 1)
    n = n + 1

    for _ = 1, ppar_loops do
      local top = n
      n = self:build_straight(n, 1)
      for _ = 1, pppar_loops do
        n = self:build_base_loop(n)
      end
      local bottom = self:build_straight(n, 1)
      self:build_connect(n, top)
      n = bottom
    end
    self:build_connect(n, 1)
  end
end

function LoopTesterApp:add_dummy_loops (num_dummy_loops)
  for _ = 1, num_dummy_loops do
    self:find_loops(self.lsg)
  end
end

function LoopTesterApp:find_loops (loop_structure)
  local finder = HavlakLoopFinder.new(self.cfg, loop_structure)
  finder:find_loops()
end

function LoopTesterApp:construct_simple_cfg ()
  self.cfg:create_node(0)
  self:build_base_loop(0)
  self.cfg:create_node(1)
  BasicBlockEdge.new(self.cfg, 0, 2)
end
end -- class LoopTesterApp

local Havlak = {} do

function Havlak.inner_benchmark_loop (inner_iterations, find_loop_iterations)
  return Havlak.verify_result(
    LoopTesterApp.new():main(inner_iterations, find_loop_iterations, 10, 10, 5),
    inner_iterations)
end

-- Expected {loops, nodes} from the original suite, for the sizes it defines.
local EXPECTED = {
  [15000] = {46602, 5213},
  [1500]  = {6102, 5213},
  [150]   = {2052, 5213},
  [15]    = {1647, 5213},
  [1]     = {1605, 5213},
}

function Havlak.verify_result (result, inner_iterations)
  local expected = EXPECTED[inner_iterations]
  local verified = expected and result[1] == expected[1] and result[2] == expected[2]
  return result, verified
end
end -- object Havlak

local find_loop_iterations = tonumber(arg and arg[1]) or 3
local inner_iterations = 1500
local result, verified = Havlak.inner_benchmark_loop(inner_iterations, find_loop_iterations)
print(string.format("havlak %d/%d: %d loops, %d nodes%s", inner_iterations, find_loop_iterations,
  result[1], result[2], verified and " (verified)" or " (NOT verified)"))
