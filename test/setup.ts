// Test setup: the app builder loads the compiler lazily with require(), which works on the built JS but not on
// the TypeScript sources vitest runs; hand it the compiler module directly.

import * as compiler from '../compiler/compile.js';
import { setCompiler } from '../compiler/bundle/image.js';

setCompiler(compiler);
