#!/usr/bin/env -S node --stack-size=3900
// lunac command line: a thin layer that wires the compiler stages and the runtime together.

import { Command } from 'commander';
import { compileCommand, runScriptCommand } from './script.js';

const program = new Command();
program
  .name('lunac')
  .description('Compile and run Wippy-style Lua applications on Node.js')
  .option('--debug', 'show internal stack traces for lunac errors')
  .showHelpAfterError();

program
  .command('run')
  .description('run a Lua script like the lua interpreter (FILE.lua [args])')
  .argument('<target>', 'a .lua file')
  .argument('[args...]', 'arguments passed to the script as arg[1..n] and ...')
  .allowUnknownOption(true)
  .action((target: string, args: string[]) => {
    process.exitCode = runScriptCommand(target, args, !!program.opts().debug);
  });

program
  .command('compile')
  .description('print the JS module compiled from one Lua file')
  .argument('<file>', 'a .lua file')
  .option('--map', 'print the source map after the module')
  .action((file: string, o: { map?: boolean }) => {
    process.exitCode = compileCommand(file, !!o.map, !!program.opts().debug);
  });

program.exitOverride((err) => {
  process.exit(err.exitCode === 0 ? 0 : 2);
});

try {
  program.parse(process.argv);
} catch (e) {
  process.stderr.write(`lunac: ${(e as Error).message}\n`);
  process.exit(2);
}
