// Test setup: the app builder and the checker load the compiler and the analyses lazily with require(), which
// works on the built JS but not on the TypeScript sources vitest runs; hand them the modules directly.

import * as compiler from '../compiler/compile.js';
import { setCompiler } from '../compiler/bundle/image.js';
import { chunkFacts } from '../compiler/check/facts.js';
import { lintChunk } from '../compiler/check/lint.js';
import { setAnalysis } from '../compiler/check/check.js';

setCompiler(compiler);
setAnalysis({ chunkFacts, lintChunk });
