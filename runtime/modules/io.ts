// The terminal `io` module (spec §3.5, terminal hosts): write/print/eprint through the node's Output, and
// reads from stdin that park the calling task until data arrives (stdin is read asynchronously, only while
// someone waits). `io.args()` returns the command-line arguments the host passed with `setTerminalArgs`.

import { LuaTable } from '../lua/table.js';
import { numberToString } from '../lua/value.js';
import { ret1, ret2 } from '../lua/ret.js';
import { argError, typeError } from '../lua/lib/args.js';
import { KINDS, newError } from '../lua/lib/errors.js';
import { tostring } from '../lua/lib/base.js';
import type { Output } from '../lua/lib/io.js';
import { cannotBlock, type Block } from '../process/scheduler.js';
import { moduleTable, toBytes, type ModuleContext, type ModuleDef } from './module.js';

type Gen = Generator<unknown, unknown, unknown>;
type Twin = ((...a: any[]) => unknown) & { G?: (...a: any[]) => Gen };

/** A read that cannot complete yet. (EOF is `undefined`.) */
const PENDING = Symbol('pending');
type Take = string | undefined | typeof PENDING;

type Readable = NodeJS.ReadableStream & { setRawMode?(raw: boolean): unknown; isTTY?: boolean; ref?(): unknown; unref?(): unknown };

/** Buffered stdin as bytes: listens to the stream only while a read waits, so an idle app can exit. */
class TerminalInput {
  private buf = '';
  private eof = false;
  private waiters: (() => boolean)[] = [];
  private attached: Readable | null = null;

  constructor(private stream: Readable | null) {}

  setStream(s: Readable): void {
    this.detach();
    this.stream = s;
    this.buf = '';
    this.eof = false;
    this.waiters = [];
  }

  get readable(): Readable {
    return (this.stream ??= process.stdin);
  }

  private onData = (chunk: Buffer | string) => {
    this.buf += typeof chunk === 'string' ? toBytes(chunk) : chunk.toString('latin1');
    this.serve();
  };
  private onEnd = () => {
    this.eof = true;
    this.serve();
  };

  private attach(): void {
    const s = this.readable;
    if (this.attached !== s) {
      this.detach();
      s.on('data', this.onData);
      s.on('end', this.onEnd);
      s.on('error', this.onEnd);
      this.attached = s;
    }
    s.ref?.();
    s.resume();
  }

  /** Nobody waits: stop reading, and let the Node process exit even though stdin stays open (a paused pipe or TTY is still referenced). */
  private idle(): void {
    this.attached?.pause();
    this.attached?.unref?.();
  }

  private detach(): void {
    const s = this.attached;
    if (s === null) return;
    s.off('data', this.onData);
    s.off('end', this.onEnd);
    s.off('error', this.onEnd);
    s.pause();
    s.unref?.();
    this.attached = null;
  }

  /** Wake waiters in order while their reads can complete; stop reading when nobody waits. */
  private serve(): void {
    while (this.waiters.length > 0 && this.waiters[0]()) this.waiters.shift();
    if (this.waiters.length === 0) this.idle();
  }

  /** A Block that completes `take` once enough input (or EOF) is there. */
  block(take: () => Take): Block {
    return (wake) => {
      const w = () => {
        const r = take();
        if (r === PENDING) return false;
        wake(true, r);
        return true;
      };
      this.waiters.push(w);
      if (!this.eof) this.attach();
      else this.serve();
      return () => {
        const i = this.waiters.indexOf(w);
        if (i >= 0) this.waiters.splice(i, 1);
        if (this.waiters.length === 0) this.idle();
      };
    };
  }

  /** Up to n bytes of what is buffered (Go Read semantics: at least one byte, or EOF). */
  bytes(n: number): Take {
    if (this.buf.length > 0) return this.cut(Math.min(n, this.buf.length));
    return this.eof ? undefined : PENDING;
  }

  /** One line; `keep` keeps the newline. The last line may lack one; EOF with nothing left is nil. */
  line(keep: boolean): Take {
    const i = this.buf.indexOf('\n');
    if (i >= 0) {
      const l = this.cut(i + 1);
      return keep ? l : l.slice(0, l.endsWith('\r\n') ? -2 : -1);
    }
    if (!this.eof) return PENDING;
    return this.buf === '' ? undefined : this.cut(this.buf.length);
  }

  /** Everything up to EOF ('' when nothing is left). */
  all(): Take {
    return this.eof ? this.cut(this.buf.length) : PENDING;
  }

  private cut(n: number): string {
    const s = this.buf.slice(0, n);
    this.buf = this.buf.slice(n);
    return s;
  }
}

const input = new TerminalInput(null);
let terminalArgs: string[] = [];

/** Where io.read/readline take input from (default process.stdin); tests inject a stream. */
export function setTerminalInput(stream: NodeJS.ReadableStream): void {
  input.setStream(stream as Readable);
}

/** The command-line arguments after the entry ID (JS text), returned by `io.args()` as byte strings. */
export function setTerminalArgs(args: string[]): void {
  terminalArgs = [...args];
}

// ---- output ----

const stdOutput: Output = {
  out: (s) => void process.stdout.write(Buffer.from(s, 'latin1')),
  err: (s) => void process.stderr.write(Buffer.from(s, 'latin1')),
};

function outputOf(ctx: ModuleContext): Output & { flush?(): void } {
  return ctx.node?.app.output ?? stdOutput;
}

/** `io.write` accepts strings and numbers, like Lua's file:write. */
function written(args: unknown[], fname: string): string {
  let s = '';
  for (let i = 0; i < args.length; i++) {
    const v = args[i];
    if (typeof v === 'string') s += v;
    else if (typeof v === 'number') s += numberToString(v);
    else throw typeError(args, i + 1, fname, 'string');
  }
  return s;
}

const printed = (args: unknown[]) => args.map((v) => tostring(v)).join('\t') + '\n';

// ---- reads ----

/** What io.read's argument asks for: a byte count or a Lua format ("l", "L", "a", with or without '*'). */
function readOp(args: unknown[]): () => Take {
  const f = args[0];
  if (f === undefined) return () => input.bytes(4096);
  if (typeof f === 'number') {
    if (!Number.isInteger(f) || f <= 0) throw argError(1, 'read', 'byte count must be a positive integer');
    return () => input.bytes(f);
  }
  switch (typeof f === 'string' ? f.replace(/^\*/, '') : '') {
    case 'l': return () => input.line(false);
    case 'L': return () => input.line(true);
    case 'a': return () => input.all();
  }
  throw argError(1, 'read', 'invalid format');
}

function reader(fname: string, op: (args: unknown[]) => () => Take): Twin {
  const f: Twin = (...args: unknown[]) => {
    const r = op(args)();
    if (r === PENDING) throw cannotBlock(`io.${fname}`);
    return ret1(r);
  };
  f.G = function* (...args: unknown[]) {
    const take = op(args);
    let r = take();
    if (r === PENDING) r = (yield input.block(take)) as string | undefined;
    return ret1(r);
  };
  return f;
}

export const ioModule: ModuleDef = {
  name: 'io',
  open(ctx) {
    return moduleTable('io', {
      write: (...args: unknown[]) => {
        outputOf(ctx).out(written(args, 'write'));
        return ret1(true);
      },
      print: (...args: unknown[]) => {
        outputOf(ctx).out(printed(args));
        return ret1(true);
      },
      eprint: (...args: unknown[]) => {
        outputOf(ctx).err(printed(args));
        return ret1(true);
      },
      flush: () => {
        outputOf(ctx).flush?.();
        return ret1(true);
      },
      read: reader('read', readOp),
      readline: reader('readline', () => () => input.line(false)),
      args: () => ret1(LuaTable.from(terminalArgs.map(toBytes))),
      raw: (on: unknown) => {
        const s = input.readable;
        if (typeof s.setRawMode !== 'function' || s.isTTY === false) return ret2(undefined, newError('stdin is not a terminal', KINDS.UNAVAILABLE));
        s.setRawMode(on !== false && on !== undefined);
        return ret1(true);
      },
    });
  },
};
