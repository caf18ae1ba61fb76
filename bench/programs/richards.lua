-- richards.lua: Martin Richards' operating-system simulation, as in the "Are We Fast Yet"
-- benchmark suite (Marr et al.), with its metatable-based classes.
-- Method calls on objects, inheritance through __index chains, closures and linked lists.
-- Usage: richards.lua [iterations]   (default 15)

local NO_TASK = nil
local NO_WORK = nil

local IDLER     = 1
local WORKER    = 2
local HANDLER_A = 3
local HANDLER_B = 4
local DEVICE_A  = 5
local DEVICE_B  = 6

local NUM_TYPES = 6

local DEVICE_PACKET_KIND = 0
local WORK_PACKET_KIND   = 1

local DATA_SIZE = 4

local TRACING = false

-- Exclusive or of two non-negative integers below 2^16, by arithmetic
-- (the benchmark needs it once per idle step; no bitwise operators in Lua 5.1).
local function bxor (a, b)
  local result, bit = 0, 1
  for _ = 1, 16 do
    if a % 2 ~= b % 2 then result = result + bit end
    a = (a - a % 2) / 2
    b = (b - b % 2) / 2
    bit = bit * 2
  end
  return result
end

local RBObject = {_CLASS = 'RBObject'} do
RBObject.__index = RBObject

function RBObject:append (packet, queue_head)
  packet.link = NO_WORK
  if NO_WORK == queue_head then
    return packet
  end

  local mouse = queue_head
  local link = mouse.link
  while NO_WORK ~= link do
    mouse = link
    link = mouse.link
  end
  mouse.link = packet
  return queue_head
end
end -- class RBObject

local DeviceTaskDataRecord = {_CLASS = 'DeviceTaskDataRecord'} do
DeviceTaskDataRecord.__index = DeviceTaskDataRecord
setmetatable(DeviceTaskDataRecord, {__index = RBObject})

function DeviceTaskDataRecord.new ()
  local obj = {pending = NO_WORK}
  return setmetatable(obj, DeviceTaskDataRecord)
end
end -- class DeviceTaskDataRecord

local HandlerTaskDataRecord = {_CLASS = 'HandlerTaskDataRecord'} do
HandlerTaskDataRecord.__index = HandlerTaskDataRecord
setmetatable(HandlerTaskDataRecord, {__index = RBObject})

function HandlerTaskDataRecord.new ()
  local obj = {
    work_in   = NO_WORK,
    device_in = NO_WORK,
  }
  return setmetatable(obj, HandlerTaskDataRecord)
end

function HandlerTaskDataRecord:device_in_add (packet)
  self.device_in = self:append(packet, self.device_in)
end

function HandlerTaskDataRecord:work_in_add (packet)
  self.work_in = self:append(packet, self.work_in)
end
end -- class HandlerTaskDataRecord

local IdleTaskDataRecord = {_CLASS = 'IdleTaskDataRecord'} do
IdleTaskDataRecord.__index = IdleTaskDataRecord
setmetatable(IdleTaskDataRecord, {__index = RBObject})

function IdleTaskDataRecord.new ()
  local obj = {
    control = 1,
    count   = 10000,
  }
  return setmetatable(obj, IdleTaskDataRecord)
end
end -- class IdleTaskDataRecord

local WorkerTaskDataRecord = {_CLASS = 'WorkerTaskDataRecord'} do
WorkerTaskDataRecord.__index = WorkerTaskDataRecord
setmetatable(WorkerTaskDataRecord, {__index = RBObject})

function WorkerTaskDataRecord.new ()
  local obj = {
    destination = HANDLER_A,
    count       = 0,
  }
  return setmetatable(obj, WorkerTaskDataRecord)
end
end -- class WorkerTaskDataRecord

local Packet = {_CLASS = 'Packet'} do
Packet.__index = Packet
setmetatable(Packet, {__index = RBObject})

function Packet.new (link, identity, kind)
  local obj = {
    link     = link,
    kind     = kind,
    identity = identity,
    datum    = 0,
    data     = {0, 0, 0, 0},
  }
  return setmetatable(obj, Packet)
end

function Packet:add_to (queue)
  return self:append(self, queue)
end
end -- class Packet

local TaskState = {_CLASS = 'TaskState'} do
TaskState.__index = TaskState
setmetatable(TaskState, {__index = RBObject})

function TaskState.new ()
  local obj = {
    task_holding   = false,
    task_waiting   = false,
    packet_pending = false,
  }
  return setmetatable(obj, TaskState)
end

function TaskState:is_packet_pending ()
  return self.packet_pending
end

function TaskState:is_task_waiting ()
  return self.task_waiting
end

function TaskState:is_task_holding ()
  return self.task_holding
end

function TaskState:set_task_holding (b)
  self.task_holding = b
end

function TaskState:set_task_waiting (b)
  self.task_waiting = b
end

function TaskState:set_packet_pending (b)
  self.packet_pending = b
end

function TaskState:packet_pending_ ()
  self.packet_pending = true
  self.task_waiting   = false
  self.task_holding   = false
end

function TaskState:running ()
  self.packet_pending = false
  self.task_waiting   = false
  self.task_holding   = false
end

function TaskState:waiting ()
  self.packet_pending = false
  self.task_holding   = false
  self.task_waiting   = true
end

function TaskState:waiting_with_packet ()
  self.task_holding   = false
  self.task_waiting   = true
  self.packet_pending = true
end

function TaskState:is_running ()
  return not self.packet_pending and not self.task_waiting and not self.task_holding
end

function TaskState:is_task_holding_or_waiting ()
  return self.task_holding or (not self.packet_pending and self.task_waiting)
end

function TaskState:is_waiting ()
  return not self.packet_pending and self.task_waiting and not self.task_holding
end

function TaskState:is_waiting_with_packet ()
  return self.packet_pending and self.task_waiting and not self.task_holding
end

function TaskState.create_packet_pending ()
  local t = TaskState.new()
  t:packet_pending_()
  return t
end

function TaskState.create_running ()
  local t = TaskState.new()
  t:running()
  return t
end

function TaskState.create_waiting ()
  local t = TaskState.new()
  t:waiting()
  return t
end

function TaskState.create_waiting_with_packet ()
  local t = TaskState.new()
  t:waiting_with_packet()
  return t
end
end -- class TaskState

local TaskControlBlock = {_CLASS = 'TaskControlBlock'} do
TaskControlBlock.__index = TaskControlBlock
setmetatable(TaskControlBlock, {__index = TaskState})

function TaskControlBlock.new (link, identity, priority, initial_work_queue,
                               initial_state, private_data, fn)
  local obj = {
    link           = link,
    identity       = identity,
    priority       = priority,
    input          = initial_work_queue,
    handle         = private_data,
    fn             = fn,
    packet_pending = false,
    task_waiting   = false,
    task_holding   = false,
  }
  setmetatable(obj, TaskControlBlock)
  obj:set_packet_pending(initial_state:is_packet_pending())
  obj:set_task_waiting(initial_state:is_task_waiting())
  obj:set_task_holding(initial_state:is_task_holding())
  return obj
end

function TaskControlBlock:add_input_and_check_priority (packet, old_task)
  if NO_WORK == self.input then
    self.input = packet
    self.packet_pending = true
    if self.priority > old_task.priority then
      return self
    end
  else
    self.input = self:append(packet, self.input)
  end
  return old_task
end

function TaskControlBlock:run_task ()
  local message
  if self:is_waiting_with_packet() then
    message = self.input
    self.input = message.link
    if NO_WORK == self.input then
      self:running()
    else
      self:packet_pending_()
    end
  else
    message = NO_WORK
  end
  return self.fn(message, self.handle)
end
end -- class TaskControlBlock

local Scheduler = {_CLASS = 'Scheduler'} do
Scheduler.__index = Scheduler
setmetatable(Scheduler, {__index = RBObject})

function Scheduler.new ()
  local obj = {
    -- init tracing
    layout                = 0,

    -- init scheduler
    task_list             = NO_TASK,
    current_task          = NO_TASK,
    current_task_identity = 0,
    task_table            = {},
    queue_packet_count    = 0,
    hold_count            = 0,
  }
  for i = 1, NUM_TYPES do obj.task_table[i] = NO_TASK end
  return setmetatable(obj, Scheduler)
end

function Scheduler:create_device (identity, priority, work_packet, state)
  local data = DeviceTaskDataRecord.new()
  self:create_task(identity, priority, work_packet, state, data,
    function (work_arg, word_arg)
      local data_record = word_arg
      local function_work = work_arg
      if NO_WORK == function_work then
        function_work = data_record.pending
        if NO_WORK == function_work then
          return self:wait_task()
        else
          data_record.pending = NO_WORK
          return self:queue_packet(function_work)
        end
      else
        data_record.pending = function_work
        if TRACING then
          self:trace(function_work.datum)
        end
        return self:hold_self()
      end
    end)
end

function Scheduler:create_handler (identity, priority, work_packet, state)
  local data = HandlerTaskDataRecord.new()
  self:create_task(identity, priority, work_packet, state, data,
    function (work_arg, word_arg)
      local data_record = word_arg
      if NO_WORK ~= work_arg then
        if WORK_PACKET_KIND == work_arg.kind then
          data_record:work_in_add(work_arg)
        else
          data_record:device_in_add(work_arg)
        end
      end

      local work_packet = data_record.work_in
      if NO_WORK == work_packet then
        return self:wait_task()
      else
        local count = work_packet.datum
        if count >= DATA_SIZE then
          data_record.work_in = work_packet.link
          return self:queue_packet(work_packet)
        else
          local device_packet = data_record.device_in
          if NO_WORK == device_packet then
            return self:wait_task()
          else
            data_record.device_in = device_packet.link
            device_packet.datum = work_packet.data[count + 1]
            work_packet.datum = count + 1
            return self:queue_packet(device_packet)
          end
        end
      end
    end)
end

function Scheduler:create_idler (identity, priority, work_packet, state)
  local data = IdleTaskDataRecord.new()
  self:create_task(identity, priority, work_packet, state, data,
    function (_, word_arg)
      local data_record = word_arg
      data_record.count = data_record.count - 1
      if 0 == data_record.count then
        return self:hold_self()
      else
        local control = data_record.control
        if 0 == control % 2 then
          data_record.control = control / 2
          return self:release(DEVICE_A)
        else
          data_record.control = bxor((control - 1) / 2, 0xD008)
          return self:release(DEVICE_B)
        end
      end
    end)
end

function Scheduler:create_packet (link, identity, kind)
  return Packet.new(link, identity, kind)
end

function Scheduler:create_task (identity, priority, work, state, data, fn)
  local t = TaskControlBlock.new(self.task_list, identity, priority, work, state, data, fn)
  self.task_list = t
  self.task_table[identity] = t
end

function Scheduler:create_worker (identity, priority, work_packet, state)
  local data = WorkerTaskDataRecord.new()
  self:create_task(identity, priority, work_packet, state, data,
    function (work_arg, word_arg)
      local data_record = word_arg
      if NO_WORK == work_arg then
        return self:wait_task()
      end

      data_record.destination = (HANDLER_A == data_record.destination) and HANDLER_B or HANDLER_A
      work_arg.identity = data_record.destination
      work_arg.datum = 0
      for i = 1, DATA_SIZE do
        data_record.count = data_record.count + 1
        if data_record.count > 26 then
          data_record.count = 1
        end
        work_arg.data[i] = 65 + data_record.count - 1
      end
      return self:queue_packet(work_arg)
    end)
end

function Scheduler:start ()
  local work_q

  self:create_idler(IDLER, 0, NO_WORK, TaskState.create_running())
  work_q = self:create_packet(NO_WORK, WORKER, WORK_PACKET_KIND)
  work_q = self:create_packet(work_q,  WORKER, WORK_PACKET_KIND)
  self:create_worker(WORKER, 1000, work_q, TaskState.create_waiting_with_packet())

  work_q = self:create_packet(NO_WORK, DEVICE_A, DEVICE_PACKET_KIND)
  work_q = self:create_packet(work_q,  DEVICE_A, DEVICE_PACKET_KIND)
  work_q = self:create_packet(work_q,  DEVICE_A, DEVICE_PACKET_KIND)
  self:create_handler(HANDLER_A, 2000, work_q, TaskState.create_waiting_with_packet())

  work_q = self:create_packet(NO_WORK, DEVICE_B, DEVICE_PACKET_KIND)
  work_q = self:create_packet(work_q,  DEVICE_B, DEVICE_PACKET_KIND)
  work_q = self:create_packet(work_q,  DEVICE_B, DEVICE_PACKET_KIND)
  self:create_handler(HANDLER_B, 3000, work_q, TaskState.create_waiting_with_packet())

  self:create_device(DEVICE_A, 4000, NO_WORK, TaskState.create_waiting())
  self:create_device(DEVICE_B, 5000, NO_WORK, TaskState.create_waiting())

  self:schedule()

  return self.queue_packet_count == 23246 and self.hold_count == 9297
end

function Scheduler:find_task (identity)
  local t = self.task_table[identity]
  if NO_TASK == t then
    error('find_task failed')
  end
  return t
end

function Scheduler:hold_self ()
  self.hold_count = self.hold_count + 1
  local current_task = self.current_task
  current_task:set_task_holding(true)
  return current_task.link
end

function Scheduler:queue_packet (packet)
  local t = self:find_task(packet.identity)
  if NO_TASK == t then
    return NO_TASK
  end

  self.queue_packet_count = self.queue_packet_count + 1

  packet.link = NO_WORK
  packet.identity = self.current_task_identity
  return t:add_input_and_check_priority(packet, self.current_task)
end

function Scheduler:release (identity)
  local t = self:find_task(identity)
  if NO_TASK == t then
    return NO_TASK
  end
  t:set_task_holding(false)
  if t.priority > self.current_task.priority then
    return t
  else
    return self.current_task
  end
end

function Scheduler:trace (id)
  self.layout = self.layout - 1
  if 0 >= self.layout then
    print()
    self.layout = 50
  end
  print(id)
end

function Scheduler:wait_task ()
  self.current_task:set_task_waiting(true)
  return self.current_task
end

function Scheduler:schedule ()
  self.current_task = self.task_list
  while NO_TASK ~= self.current_task do
    if self.current_task:is_task_holding_or_waiting() then
      self.current_task = self.current_task.link
    else
      self.current_task_identity = self.current_task.identity
      if TRACING then
        self:trace(self.current_task_identity)
      end
      self.current_task = self.current_task:run_task()
    end
  end
end
end -- class Scheduler

local Richards = {} do

function Richards.benchmark ()
  return Scheduler.new():start()
end

function Richards.verify_result (result)
  return result
end
end -- object Richards

local iterations = tonumber(arg and arg[1]) or 15
local ok = 0
for _ = 1, iterations do
  if Richards.verify_result(Richards.benchmark()) then ok = ok + 1 end
end
print(string.format("richards: %d of %d iterations verified", ok, iterations))
