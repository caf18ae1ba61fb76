// Recognises `lunac run FILE.lua [args]`, the command that must start fastest (benchmarks, scripts): it
// skips the argument parser. Shared by the CommonJS launcher and the ES module CLI.

/** `run` takes a script (a .lua path or an existing file) or an entry ID (`ns:name`). */
export function isScript(target: string): boolean {
  return target.endsWith('.lua') || !/^[\w.-]+:[\w.-]+$/.test(target);
}

/** argv (after the node and script paths) is `run SCRIPT [args]` with no options before the script. */
export function isScriptRun(argv: readonly string[]): boolean {
  return argv[0] === 'run' && argv.length >= 2 && !argv[1].startsWith('-') && isScript(argv[1]);
}
