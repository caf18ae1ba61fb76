// The compiler's entry point: Lua source → JS module text + source map. Stages: parse → analyse → codegen.

import { parseLua, ParseError } from './parse/parse.js';
import { resolveScopes } from './analyse/scope.js';
import { analyseSuspension, type SuspendOptions } from './analyse/suspend.js';
import { ModuleCtx } from './codegen/context.js';
import { chunkModule } from './codegen/module.js';
import { GotoError } from './codegen/stmt.js';
import { printProgram } from './codegen/print.js';
import { diagnostic, type Diagnostic } from './diagnostics.js';

export interface CompileOptions extends SuspendOptions {
  /** Emit a source map (default true). */
  sourceMap?: boolean;
  /**
   * Loops pass safepoints (default true), where a host can stop or pause them. Standalone scripts
   * (`lunac run FILE.lua`) have no host, so they are compiled without.
   */
  safepoints?: boolean;
}

export interface CompiledChunk {
  /** A JS expression: `(function lua_chunk($) { …; return function lua_env(ENV) { … } })`. */
  code: string;
  map: { mappings: string; sources: string[]; names: string[]; version: number } | null;
  chunkname: string;
}

/** Thrown for errors in the user's Lua source; carries a compiler diagnostic. */
export class CompileError extends Error {
  constructor(public diag: Diagnostic) {
    super(diag.message);
  }
}

/** Compile one Lua chunk. `src` is the file content read as latin1 (one char per byte). */
export function compileLua(src: string, chunkname: string, opts: CompileOptions = {}): CompiledChunk {
  try {
    const { ast, types } = parseLua(src);
    const scopes = resolveScopes(ast, types);
    const susp = analyseSuspension(ast, scopes, opts);
    const m = new ModuleCtx(chunkname, scopes, susp, opts.safepoints !== false);
    // Strings are byte strings printed with their raw characters (the CLI writes the module as UTF-8).
    const withMap = opts.sourceMap !== false;
    const program = chunkModule(m, ast, withMap);
    const out = printProgram(program, withMap);
    const map = withMap ? { version: 3, sources: [chunkname], names: [], mappings: out.mappings } : null;
    return { code: out.code, map, chunkname };
  } catch (e) {
    if (e instanceof ParseError || e instanceof GotoError) {
      throw new CompileError(diagnostic('P0001', chunkname, e.line, e.column + 1, e.message));
    }
    throw e;
  }
}

/**
 * Does the chunk keep its side of the closed-world assumption (SuspendInfo.closedWorldHolds), analysed with
 * `opts` (which name the host's blocking functions in `closedWorld`)? A chunk that does not parse does not.
 */
export function keepsClosedWorld(src: string, opts: CompileOptions): boolean {
  try {
    const { ast, types } = parseLua(src);
    return analyseSuspension(ast, resolveScopes(ast, types), opts).closedWorldHolds;
  } catch {
    return false;
  }
}
