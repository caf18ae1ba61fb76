// The compiler's entry point: Lua source → JS module text + source map. Stages: parse → analyse → codegen.

import generatorModule from '@babel/generator';
import { parseLua, ParseError } from './parse/parse.js';
import { resolveScopes } from './analyse/scope.js';
import { analyseSuspension, type SuspendOptions } from './analyse/suspend.js';
import { ModuleCtx } from './codegen/context.js';
import { chunkModule } from './codegen/module.js';
import { GotoError } from './codegen/stmt.js';
import { diagnostic, type Diagnostic } from './diagnostics.js';

const generate = ((generatorModule as any).default ?? generatorModule) as typeof import('@babel/generator').default;

export interface CompileOptions extends SuspendOptions {
  /** Emit a source map (default true). */
  sourceMap?: boolean;
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
    const m = new ModuleCtx(chunkname, scopes, susp);
    const program = chunkModule(m, ast);
    const out = generate(program, {
      sourceMaps: opts.sourceMap !== false,
      sourceFileName: chunkname,
      comments: false,
      // Strings are byte strings; raw characters round-trip (the CLI writes the module as UTF-8).
      jsescOption: { minimal: true },
    } as any);
    return { code: out.code, map: (out.map as CompiledChunk['map']) ?? null, chunkname };
  } catch (e) {
    if (e instanceof ParseError || e instanceof GotoError) {
      throw new CompileError(diagnostic('P0001', chunkname, e.line, e.column + 1, e.message));
    }
    throw e;
  }
}
