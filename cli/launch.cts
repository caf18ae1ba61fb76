// Entry point of bin/lunac, started with a deep native stack (see bin/lunac). It is CommonJS so that the
// hot path, `lunac run FILE.lua`, loads one bundled file synchronously and never starts Node's ES module
// loader; every other command goes to the ES module CLI (main.ts).

import { isScriptRun } from './fastpath.cjs';

const argv = process.argv.slice(2);
if (isScriptRun(argv)) {
  // The bundle of script.ts (package.json "build"): the runtime without the compiler.
  const { runScriptCommand } = require('./script.bundle.cjs') as typeof import('./script.js');
  runScriptCommand(argv[1], argv.slice(2), false).then((code) => (process.exitCode = code));
} else {
  void import('./main.js');
}
