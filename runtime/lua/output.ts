// Buffered stdout/stderr for scripts: Lua output is bytes (latin1 strings), written synchronously in
// large blocks so output is never lost on exit and `print` in a loop does not cost a syscall each time.

import { writeSync } from 'node:fs';
import type { Output } from './lib/io.js';

export class StdOutput implements Output {
  private buf: string[] = [];
  private size = 0;
  out = (s: string): void => this.append(s);
  protected append(s: string): void {
    this.buf.push(s);
    this.size += s.length;
    if (this.size > 1 << 16) this.flush();
  }
  err = (s: string): void => {
    this.flush();
    writeAll(2, Buffer.from(s, 'latin1'));
  };
  flush(): void {
    if (this.size === 0 && this.buf.length === 0) return;
    const data = Buffer.from(this.buf.join(''), 'latin1');
    this.buf = [];
    this.size = 0;
    writeAll(1, data);
  }
}

export function writeAll(fd: number, data: Buffer): void {
  let off = 0;
  while (off < data.length) {
    try {
      off += writeSync(fd, data, off);
    } catch (e: any) {
      // The reader went away (`lunac run x.lua | head -1`): end quietly, as SIGPIPE ends `lua`.
      if (e.code === 'EPIPE') process.exit(141);
      if (e.code !== 'EAGAIN') throw e;
    }
  }
}

/** For long-running apps: output is buffered within one turn of the event loop and written right after. */
export class EventLoopOutput extends StdOutput {
  private pending = false;
  out = (s: string): void => {
    this.append(s);
    if (!this.pending) {
      this.pending = true;
      setImmediate(() => {
        this.pending = false;
        this.flush();
      });
    }
  };
}
