#!/usr/bin/env node
// lunac command line: a thin layer that wires the compiler stages and the runtime together.

import { join } from 'node:path';
import { runScriptInWorker } from './worker.js';
import { isScript, isScriptRun } from './fastpath.cjs';

// `lunac run FILE.lua [args]` is the hot path (benchmarks, scripts): it skips loading the argument parser.
// (bin/lunac normally takes it before this module loads, on the main thread: see launch.cts.)
const argv = process.argv.slice(2);
const checkArgs = argv[0] === 'check' ? simpleCheckArgs(argv.slice(1)) : null;
if (isScriptRun(argv)) {
  process.exitCode = await runScriptInWorker(argv[1], argv.slice(2), false);
} else if (checkArgs !== null) {
  // `lunac check` runs on every save: the common forms skip the argument parser too.
  const { checkCommand } = await import('./check.js');
  process.exitCode = await checkCommand(checkArgs.dir, checkArgs.opts);
} else {
  await commandLine();
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

async function commandLine(): Promise<void> {
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
        process.exitCode = await runScriptInWorker(target, args, !!program.opts().debug);
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
      const { compileCommand } = await import('./script.js');
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

  await program.parseAsync(process.argv).catch((e: unknown) => {
    process.stderr.write(`lunac: ${(e as Error).message}\n`);
    process.exit(2);
  });
}
