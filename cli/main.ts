#!/usr/bin/env node
// lunac's ES module entry (`node dist/cli/main.js …`): the command line on a thread with Node's default
// stack, so scripts run on a worker thread. The `lunac` command itself is bin/lunac (see launch.cts).

import { main } from './commands.js';

await main(process.argv.slice(2), false);
