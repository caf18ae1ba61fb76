// The process host in-process (spec §4 process model, §3.3 channel/funcs/futures, §2.10 blocking calls and
// deadlocks, §6.2 calling convention, §3.2 time sleep/after/timer/ticker). Scenarios live in the fixture app
// fixtures/apps/process/host: function entries (drivers) and process entries (actors); each driver reports
// what it saw as a string or table, and these tests assert it exactly.

import { resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildImage } from '../compiler/bundle/image.js';
import { createNode } from '../runtime/process/host.js';
import { fromLua, toLua } from '../runtime/modules/module.js';
import { ErrorObject } from '../runtime/lua/lib/errors.js';
import type { AppImage } from '../runtime/app/image.js';
import type { Node } from '../runtime/process/node.js';
import type { Outcome, Process } from '../runtime/process/process.js';

const DIR = resolve(__dirname, '../fixtures/apps/process/host');
const HOST = 'app:host';

let image: AppImage;
beforeAll(() => {
  const built = buildImage(DIR);
  expect(built.errors).toEqual([]);
  image = built.image;
});

interface Run {
  value: unknown;
  error: ErrorObject | undefined;
  out: string;
  err: string;
  ms: number;
}

interface Host {
  node: Node;
  output: { out: string; err: string };
}

function host(): Host {
  const output = { out: '', err: '' };
  const node = createNode(image, { out: (s) => (output.out += s), err: (s) => (output.err += s) });
  return { node, output };
}

function done(p: Process | ErrorObject): Promise<Outcome> {
  if (p instanceof ErrorObject) throw new Error(`could not start: ${p.message}`);
  return new Promise((r) => p.onDone(r));
}

/** Call a function entry (or spawn a process entry) on a fresh node and wait for its outcome. */
async function run(id: string, args: unknown[] = [], h: Host = host()): Promise<Run> {
  const kind = image.registry.entries.find((e) => e.id === id)?.kind;
  const t0 = performance.now();
  const input = args.map(toLua);
  const o = await done(kind === 'process.lua' ? h.node.spawn(id, HOST, input) : h.node.call(id, input));
  return { value: fromLua(o.value), error: o.error, out: h.output.out, err: h.output.err, ms: performance.now() - t0 };
}

/** The value of a scenario that must succeed. */
async function value(id: string, args: unknown[] = []): Promise<unknown> {
  const r = await run(id, args);
  expect(r.error?.message).toBeUndefined();
  return r.value;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// ---------------------------------------------------------------------------------------------------------

describe('channels', () => {
  it('unbuffered send is a rendezvous: each send completes only when the main task takes the value', async () => {
    expect(await value('app:unbuffered')).toBe('send1 sent1 send2 recv1 recv2 sent2 send3 sent3 recv3 closed');
  });

  it('a buffered channel takes `capacity` values without a receiver, then the sender parks', async () => {
    // s1 s2 before the main task reads anything; s3 only after a slot was freed; a full buffer is not ready in select
    expect(await value('app:buffered')).toBe('s1 s2 | r1 r2 r3 s3 s4 r4 full:true');
  });

  it('close: buffered values drain first, then nil,false; send raises; double close is a no-op; parked receivers wake', async () => {
    expect(await value('app:close_semantics')).toBe(
      '1,true 2,true nil,false nil,false send:false:send on closed channel reclose:true woken:nil,false select:true,nil,false',
    );
  });

  it('select: default when nothing is ready, receive and send cases, blocking select woken by either kind', async () => {
    expect(await value('app:select_cases')).toBe(
      'default:true,true,nil recv:true,hello,true send:true,true,x woken:true,42 sendwoken:true,to-receiver',
    );
  });

  it('select is fair: with two always-ready channels both are picked over 1000 rounds', async () => {
    const v = (await value('app:select_fairness')) as { a: number; b: number };
    expect(v.a + v.b).toBe(1000);
    expect(v.a).toBeGreaterThan(350);
    expect(v.b).toBeGreaterThan(350);
  });

  it('deadlock: every coroutine parked on process-local channels fails the call with DeadlockError', async () => {
    for (const id of ['app:deadlock', 'app:deadlock_process']) {
      const r = await run(id);
      expect(r.value).toBeNull();
      expect(r.error?.message).toBe('DeadlockError: all coroutines blocked with no pending operations');
      expect(r.error?.kind).toBe('Internal');
    }
  });

  it('an uncaught error in a coroutine.spawn task fails the whole process (while main sleeps)', async () => {
    const r = await run('app:spawned_error');
    expect(r.value).toBeNull();
    expect(r.error?.message).toMatch(/channels\.lua:\d+: boom in coroutine$/);
    expect(r.ms).toBeLessThan(150); // did not wait for main's 200 ms sleep
  });

  it('when main returns, spawned coroutines are killed', async () => {
    const h = host();
    const r = await run('app:main_returns_kills_spawned', [], h);
    expect(r.value).toBe('done');
    await sleep(40);
    expect(h.output.out).toBe('');
    expect(h.node.size).toBe(0);
  });
});

describe('messaging', () => {
  it('send delivers topic, sender PID and payload (several values arrive as a table)', async () => {
    expect(await value('app:send_basic')).toBe('one:true:1 many:true:{1=x,2=y,3=3} tbl:true:{k=v,list={1=1,2=2}} none:true:nil');
  });

  it('messages from one sender arrive in send order', async () => {
    expect(await value('app:fifo')).toBe('in order: 200');
  });

  it('a sent table is copied: mutating it after send does not change what the receiver gets', async () => {
    expect(await value('app:deep_copy')).toBe('t:true:{list={1=a},name=orig,nested={x=1}}');
  });

  it('listen subscriptions (glob and exact) take their topics before the inbox', async () => {
    // update.a/update.b → listen (raw values); exact → listen with {message=true}; the rest → inbox
    expect(await value('app:listen_priority')).toBe('exact:exact=E inbox:other=O inbox:updateX=X listen:A listen:B');
  });

  it('messages wait in the mailbox until listen()/inbox() is called, in order', async () => {
    expect(await value('app:queued_until_inbox')).toBe('listen:LX listen:LY inbox:first=1 inbox:second=2');
  });

  it('payload copies keep cycles and shared subtables; functions and coroutines become nil', async () => {
    expect(await value('app:odd_values')).toBe('cycle=true shared=true f=nil co=nil name=c');
  });

  it('@ topics are refused; sending to a dead, unknown or unregistered destination is nil, NotFound', async () => {
    expect(await value('app:send_errors')).toBe('at:nil:true dead:nil:NotFound unknown:nil:NotFound name:nil:NotFound');
  });
});

describe('lifecycle', () => {
  it('spawn_monitored: EXIT carries result.value on success and result.error (kind kept) on failure', async () => {
    const lines = ((await value('app:monitored')) as string).split('\n');
    expect(lines[0]).toBe('value=42 err=nil'); // a number second value is not an error
    expect(lines[1]).toMatch(/^error: value=nil err=Internal:.*lifecycle\.lua:\d+: exploded$/);
    expect(lines.slice(2)).toEqual([
      'errobj: value=nil err=Conflict:typed',
      'string: value=nil err=Unknown:bad result',
      expect.stringMatching(/^table: value=nil err=Internal:table: /),
      'obj: value=nil err=Unknown:returned error',
    ]);
  });

  it('monitor/unmonitor and link/unlink after spawn; trap_links; unknown options are refused', async () => {
    expect(await value('app:monitor_link')).toBe(
      'monitor=true exit=pid.exit,true,true unmonitor=true no_event=true monitor_unknown=nil,NotFound trap=true ' +
        'link=true link_down=pid.link.down,true,Conflict:typed unlinked_no_event=true bad_option=nil,Invalid',
    );
  });

  it('terminating oneself (directly or through a linked process) stops the caller at the call', async () => {
    for (const how of ['self', 'linked']) {
      const r = await run('app:self_terminator', [how]);
      expect(r.value).toBeNull();
      expect(r.error?.kind).toBe('Canceled');
      expect(r.out).toBe(''); // the print after process.terminate never ran
    }
  });

  it('spawn_linked: an abnormal child exit kills the parent', async () => {
    const r = await run('app:linker', ['error', false]);
    expect(r.value).toBeNull();
    expect(r.error?.message).toMatch(/^linked process failed: \{app:host\|[0-9a-f]+\}: .*exploded$/);
    expect(r.ms).toBeLessThan(250); // killed, not after its 300 ms sleep
  });

  it('spawn_linked with trap_links: LINK_DOWN arrives as an event instead', async () => {
    expect(await value('app:linker', ['errobj', true])).toBe('link_down from_child=true reason=Conflict:typed');
  });

  it('spawn_linked: a normal child exit does not propagate', async () => {
    expect(await value('app:linker', ['ok', false, '50ms'])).toBe('survived');
  });

  it('process.exec returns the result or the error; unknown entry or host is NotFound', async () => {
    expect(await value('app:exec')).toBe('5,nil nil,Conflict:typed nil,NotFound nil,NotFound');
  });

  it('cancel delivers CANCEL (from, deadline); past the deadline a process ignoring it is stopped', async () => {
    expect(await value('app:cancel')).toBe(
      'canceled from_parent=true deadline=1000 err=nil | ignorer value=nil failed=true waited_enough=true not_too_long=true',
    );
  });

  it('terminate ends a process at once with an error; it is then gone', async () => {
    expect(await value('app:terminate')).toBe('ok=true value=nil failed=true send_after=nil:NotFound');
  });

  it('process.registry: register/lookup/send by name/unregister; names are released on exit', async () => {
    expect(await value('app:names')).toBe(
      'lookup=true,nil dup=nil,AlreadyExists send_by_name=true exit=registered svc after_exit=nil,NotFound reuse=true,true unregister=true after_unregister=nil',
    );
  });

  it('with_context values are visible through ctx.get (merged across builders); absent keys are NotFound', async () => {
    expect(await value('app:with_context')).toBe("bob nil nil NotFound | nil context key 'user' not found nil NotFound | ann nil nil NotFound");
  });

  it('with_message queues a message the new process finds in its inbox', async () => {
    expect(await value('app:with_message')).toBe('hello=1,2 from_parent=true');
  });

  it('process.upgrade runs new code under the same PID, mailbox and monitors', async () => {
    expect(await value('app:upgrade')).toBe('v2 same_pid=true state=t+go then=after err=nil');
  });

  it('a process spawned from the host reports its result; the node forgets it afterwards', async () => {
    const h = host();
    const r = await run('app:adder', [20, 22], h);
    expect(r.value).toBe(42);
    expect(h.node.size).toBe(0);
  });
});

describe('functions', () => {
  it('calling convention: nil+string and nil+error are failures, error(table) is Internal, a nil second value is success', async () => {
    expect(((await value('app:convention')) as string).split('\n')).toEqual([
      'ret_string_err -> nil | Unknown:plain failure',
      'ret_error_obj -> nil | NotFound:typed failure',
      expect.stringMatching(/^raise_table -> nil \| Internal:table: /),
      'raise_string -> nil | Internal:raised text',
      'ret_value_nil -> value | nil',
      'ret_two_values -> first | nil',
      'echo -> 3 a nil c',
      'missing -> nil | NotFound',
    ]);
  });

  it('funcs.call results are deep copies: mutating one does not change the callee state', async () => {
    expect(await value('app:result_copy')).toBe('1,x false');
  });

  it('funcs.call arguments are copies: the callee mutating them does not touch the caller', async () => {
    expect(await value('app:args_copy')).toBe('orig,orig changed,changed');
  });

  it('module-level state persists between calls of the same function (one reused Lua state)', async () => {
    const r = await run('app:module_state');
    expect(r.value).toBe('1,2,3');
    expect(r.out).toBe('counter\t1\ncounter\t2\ncounter\t3\n');
  });

  it('funcs.async futures: response() delivers a Payload, result/is_complete/error/cancel', async () => {
    expect(((await value('app:futures')) as string).split('\n')).toEqual([
      'started=true,nil',
      'complete_before=false',
      'result_before=nil,nil',
      'response=userdata,true,7',
      'complete_after=true',
      'result_after=7,nil',
      'error=nil,false',
      'failed: recv=nil,false result=nil,NotFound:typed failure error=NotFound:typed failure,true',
      'cancel=true canceled=true complete=true recv=nil,false result=nil,Canceled',
      'cancel_again=false cancel_done=false',
      'first=y',
    ]);
  });

  it('with_options{timeout} ends `while true do end` and a blocked call with Timeout; later calls work', async () => {
    expect(((await value('app:timeout')) as string).split('\n')).toEqual([
      'spin -> nil | Timeout in_time=true',
      'slow -> nil | Timeout',
      'quick -> fast',
      'after -> z',
    ]);
  });

  it('a runaway call does not stop other calls on the same node', async () => {
    const h = host();
    const spin = h.node.call('app:spin', [], { timeoutMs: 600 });
    const t0 = performance.now();
    const quick = await done(h.node.call('app:slow', ['10ms', 'quick']));
    const quickMs = performance.now() - t0;
    expect(fromLua(quick.value)).toBe('quick');
    // Served while the spinner was still running (well before its timeout; the margin absorbs a busy CI machine).
    expect(quickMs).toBeLessThan(300);
    const o = await done(spin);
    expect(o.error?.kind).toBe('Timeout');
  });

  it('executor with_context reaches the callee; the plain call has none', async () => {
    expect(await value('app:executor_context')).toBe('carol nobody');
  });
});

describe('scheduler', () => {
  it('blocking inside pcall, an __index function and a for-in iterator suspends only that process', async () => {
    expect(await value('app:deep_blocking')).toBe(
      'pcall:true,10 index:key=2 iter:1,2 nested:true,12 caught:false,after resume answered=11 err=nil',
    );
  });

  it('a coroutine blocked in a metamethod lets the main task of the same process run', async () => {
    expect(await value('app:deep_coroutine')).toBe('main runs | got x:hi | main again');
  });

  it('1000 processes ping-ponging with one driver progress in lockstep', async () => {
    const r = await run('app:ping_pong', [1000, 10]);
    expect(r.error).toBeUndefined();
    // when the first pinger finished its 10 rounds, every other one had done at least 8 (none starved)
    const v = r.value as { total: number; min_at_first_finish: number };
    expect(v.total).toBe(10000);
    expect(v.min_at_first_finish).toBeGreaterThanOrEqual(8);
    expect(r.ms).toBeLessThan(5000);
  });

  it('a busy loop is preempted: a sleeping process keeps its rhythm', async () => {
    expect(await value('app:preemption')).toBe('ticks=5 during_spin=true spinner=stopped');
  });

  it('time.sleep/after/timer (stop, reset)/ticker (stop)', async () => {
    expect(await value('app:timers')).toBe(
      'sleep>=30:true after:userdata,true after_once:true timer:userdata stop_after_fire=false stopped:true,true ' +
        'reset:true reset_pending:true,true ticker:3 after_stop=false ticker0:nil,true',
    );
  });
});
