// The lunac command line: argument parsing and dispatch to the commands. Shared by the ES module entry
// (main.ts) and the launcher's CommonJS bundle (launch.cts), which runs with a deep native stack.

import { join } from 'node:path';
import { isScript, isScriptRun } from './fastpath.cjs';

/**
 * Run the command in argv (the arguments after `lunac`). `mainStack`: this thread was started with a deep
 * stack (bin/lunac), so scripts run here; otherwise they run on a worker thread that has one.
 */
export async function main(argv: string[], mainStack: boolean): Promise<void> {
  const runScript = async (file: string, args: string[], debug: boolean): Promise<number> => {
    if (!mainStack) return (await import('./worker.js')).runScriptInWorker(file, args, debug);
    const { runScriptCommand } = await import('./script.js');
    return runScriptCommand(file, args, debug);
  };
  // `lunac run FILE.lua [args]` is the hot path (benchmarks, scripts): it skips loading the argument parser.
  const checkArgs = argv[0] === 'check' ? simpleCheckArgs(argv.slice(1)) : null;
  const entryArgs = argv[0] === 'run' ? simpleRunArgs(argv.slice(1)) : null;
  if (isScriptRun(argv)) {
    process.exitCode = await runScript(argv[1], argv.slice(2), false);
  } else if (entryArgs !== null) {
    // `lunac run ENTRY_ID [args] [-C DIR]` starts an app: commander alone (with child_process) costs ~10 ms.
    const { runEntryCommand } = await import('./app.js');
    process.exitCode = await runEntryCommand(entryArgs.id, entryArgs.args, entryArgs.dir);
  } else if (checkArgs !== null) {
    // `lunac check` runs on every save: the common forms skip the argument parser too.
    const { checkCommand } = await import('./check.js');
    process.exitCode = await checkCommand(checkArgs.dir, checkArgs.opts);
  } else {
    await commandLine(argv, runScript);
  }
}

/** `run ENTRY_ID [args] [-C DIR | --dir DIR]` with no other option-like argument; anything else goes to commander. */
function simpleRunArgs(args: string[]): { id: string; args: string[]; dir: string } | null {
  if (args.length === 0 || isScript(args[0])) return null;
  const rest: string[] = [];
  let dir = '.';
  for (let i = 1; i < args.length; i++) {
    const a = args[i];
    if ((a === '-C' || a === '--dir') && i + 1 < args.length) dir = args[++i];
    else if (a.startsWith('--dir=')) dir = a.slice(6);
    else if (a.startsWith('-')) return null;
    else rest.push(a);
  }
  return { id: args[0], args: rest, dir };
}

/** `check [DIR] [--json] [--no-cache] [--watch]` without commander; anything else (help, values) goes to it. */
function simpleCheckArgs(args: string[]): { dir: string; opts: { json?: boolean; cache?: boolean; watch?: boolean } } | null {
  const opts: { json?: boolean; cache?: boolean; watch?: boolean } = {};
  let dir: string | undefined;
  for (const a of args) {
    if (a === '--json') opts.json = true;
    else if (a === '--no-cache') opts.cache = false;
    else if (a === '--watch') opts.watch = true;
    else if (!a.startsWith('-') && dir === undefined) dir = a;
    else return null;
  }
  return { dir: dir ?? '.', opts };
}

async function commandLine(argv: string[], runScript: (file: string, args: string[], debug: boolean) => Promise<number>): Promise<void> {
  const { Command } = await import('commander');
  const program = new Command();
  // Misuse (unknown command, missing argument) exits 2; set before the subcommands so they inherit it.
  program.exitOverride((err) => {
    process.exit(err.exitCode === 0 ? 0 : 2);
  });
  program
    .name('lunac')
    .description('Compile and run Wippy-style Lua applications on Node.js')
    .option('--debug', 'show internal stack traces for lunac errors')
    .showHelpAfterError();

  program
    .command('run')
    .description('run a Lua script like the lua interpreter (FILE.lua [args]), or an entry of the app (ENTRY_ID [args] [-C DIR])')
    .argument('<target>', 'a .lua file or an entry ID (namespace:name)')
    .argument('[args...]', 'arguments: arg[1..n] for scripts; for entries, JSON values or strings')
    .option('-C, --dir <dir>', 'app directory (for entry IDs)', '.')
    .allowUnknownOption(true)
    .action(async (target: string, args: string[], o: { dir: string }) => {
      if (isScript(target)) {
        process.exitCode = await runScript(target, args, !!program.opts().debug);
      } else {
        const { runEntryCommand } = await import('./app.js');
        process.exitCode = await runEntryCommand(target, args, o.dir);
      }
    });

  program
    .command('build')
    .description('compile, link and bundle the app in DIR into a deployable folder that runs without the compiler')
    .argument('[dir]', 'app directory', '.')
    .option('-o, --out <dir>', 'output directory (default: DIR/dist)')
    .action(async (dir: string, o: { out?: string }) => {
      const { buildCommand } = await import('./app.js');
      process.exitCode = await buildCommand(dir, o.out ?? join(dir, 'dist'));
    });

  program
    .command('test')
    .description('run every function entry with meta.type: test; one line per test and a summary')
    .argument('[dir]', 'app directory', '.')
    .action(async (dir: string) => {
      const { testCommand } = await import('./app.js');
      process.exitCode = await testCommand(dir);
    });

  program
    .command('serve')
    .description('start the app in DIR: auto_start services in dependency order, supervised, until SIGINT/SIGTERM')
    .argument('[dir]', 'app directory', '.')
    .action(async (dir: string) => {
      const { serveCommand } = await import('./serve.js');
      const code = await serveCommand(dir);
      // Exit explicitly: every process has ended, but a stdin reader of a terminal process may hold the loop.
      process.exit(code);
    });

  program
    .command('compile')
    .description('print the JS module compiled from one Lua file')
    .argument('<file>', 'a .lua file')
    .option('--map', 'print the source map after the module')
    .action(async (file: string, o: { map?: boolean }) => {
      const { compileCommand } = await import('./compile.js');
      process.exitCode = await compileCommand(file, !!o.map, !!program.opts().debug);
    });

  program
    .command('check')
    .description('check the app in DIR ahead of time: entries, imports, require, methods, references')
    .argument('[dir]', 'app directory', '.')
    .option('--json', 'print the diagnostics as JSON')
    .option('--rules <rules>', "lint rules to run: codes or names, comma-separated, or 'all'")
    .option('--level <level>', 'lowest severity shown: error, warning or hint')
    .option('--ns <glob>', 'only diagnostics of entries whose namespace matches')
    .option('--code <codes>', 'only these codes (comma-separated; prefixes like E01 work)')
    .option('--limit <n>', 'show at most n diagnostics')
    .option('--no-cache', 'ignore and do not update the facts cache')
    .option('--watch', 'check again whenever a file changes')
    .action(async (dir: string, o: import('./check.js').CheckCommandOptions) => {
      const { checkCommand } = await import('./check.js');
      process.exitCode = await checkCommand(dir, o);
    });

  await program.parseAsync(argv, { from: 'user' }).catch((e: unknown) => {
    process.stderr.write(`lunac: ${(e as Error).message}\n`);
    process.exit(2);
  });
}
