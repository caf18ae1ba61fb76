// Standalone `io`: write/read on the process's stdout/stdin through the host Output, plus io.stdout /
// io.stderr handles with :write. (Wippy apps get the terminal `io` module instead.)

import { readSync } from 'node:fs';
import { LuaTable } from '../table.js';
import { LuaUserdata } from '../value.js';
import { LuaError, where } from '../error.js';
import { ret1, retN } from '../ret.js';
import { checkString, argError } from './args.js';

export interface Output {
  out(s: string): void;
  err(s: string): void;
}

/** Buffered stdin reader working on bytes (latin1 strings). */
class Stdin {
  private buf = '';
  private eof = false;
  private fill(): boolean {
    if (this.eof) return false;
    const b = Buffer.alloc(65536);
    let n = 0;
    try {
      n = readSync(0, b, 0, b.length, null);
    } catch (e: any) {
      if (e.code === 'EAGAIN') return this.fill();
      n = 0;
    }
    if (n === 0) {
      this.eof = true;
      return false;
    }
    this.buf += b.toString('latin1', 0, n);
    return true;
  }
  line(keep: boolean): string | undefined {
    for (;;) {
      const i = this.buf.indexOf('\n');
      if (i >= 0) {
        const l = this.buf.slice(0, keep ? i + 1 : i);
        this.buf = this.buf.slice(i + 1);
        return l;
      }
      if (!this.fill()) {
        if (this.buf === '') return undefined;
        const l = this.buf;
        this.buf = '';
        return l;
      }
    }
  }
  all(): string {
    while (this.fill());
    const s = this.buf;
    this.buf = '';
    return s;
  }
  chars(n: number): string | undefined {
    while (this.buf.length < n && this.fill());
    if (this.buf === '' && n > 0) return undefined;
    const s = this.buf.slice(0, n);
    this.buf = this.buf.slice(n);
    return s;
  }
  number(): number | undefined {
    for (;;) {
      const m = /^\s*([-+]?(0[xX][0-9a-fA-F.]+|[0-9.]+([eE][-+]?\d+)?))/.exec(this.buf);
      if (m && m[0].length < this.buf.length) {
        this.buf = this.buf.slice(m[0].length);
        return Number(m[1]);
      }
      if (!this.fill()) {
        if (m) { this.buf = ''; return Number(m[1]); }
        return undefined;
      }
    }
  }
}

export function createIoLib(output: Output): LuaTable {
  const stdin = new Stdin();
  const lib = new LuaTable();
  const fileMeta = new LuaTable();
  const methods = new LuaTable();
  fileMeta.setStr('__index', methods);
  fileMeta.setStr('__name', 'FILE*');
  const stdout = new LuaUserdata('stdout', fileMeta);
  const stderr = new LuaUserdata('stderr', fileMeta);
  const write = (target: LuaUserdata, args: unknown[], first: number) => {
    for (let i = first; i < args.length; i++) {
      const s = checkString(args, i + 1, 'write');
      (target === stderr ? output.err : output.out)(s);
    }
    return ret1(target);
  };
  const read = (args: unknown[], first: number) => {
    const formats = args.length > first ? args.slice(first) : ['l'];
    const out: unknown[] = [];
    for (let i = 0; i < formats.length; i++) {
      const f = formats[i];
      let v: unknown;
      if (typeof f === 'number') v = stdin.chars(f);
      else {
        const fmt = String(f).replace(/^\*/, '');
        if (fmt.startsWith('l')) v = stdin.line(false);
        else if (fmt.startsWith('L')) v = stdin.line(true);
        else if (fmt.startsWith('a')) v = stdin.all();
        else if (fmt.startsWith('n')) v = stdin.number();
        else throw argError(i + 1, 'read', 'invalid format');
      }
      out.push(v);
      if (v === undefined) break;
    }
    return retN(out);
  };
  methods.setStr('write', (self: unknown, ...args: unknown[]) => {
    if (!(self instanceof LuaUserdata)) throw new LuaError(where(1) + "bad argument #1 to 'write' (FILE* expected)");
    return write(self, [self, ...args], 1);
  });
  methods.setStr('read', (_self: unknown, ...args: unknown[]) => read(args, 0));
  methods.setStr('flush', (self: unknown) => ret1(self));
  methods.setStr('close', () => ret1(true));
  lib.setStr('write', (...args: unknown[]) => write(stdout, args, 0));
  lib.setStr('read', (...args: unknown[]) => read(args, 0));
  lib.setStr('lines', () => ret1(() => ret1(stdin.line(false))));
  lib.setStr('stdout', stdout);
  lib.setStr('stderr', stderr);
  lib.setStr('stdin', new LuaUserdata('stdin', fileMeta));
  return lib;
}
