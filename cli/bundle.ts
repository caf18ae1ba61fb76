// Build step after tsc (`npm run build`): bundle the CLI's two entry graphs into single CommonJS files, so
// starting a command loads one file instead of ~100 ES modules (Node's module loader cost 0.2 s):
//   dist/cli/script.bundle.cjs   `lunac run FILE.lua`: the runtime, without the compiler;
//   dist/cli/commands.bundle.cjs every other command.
// The compiler entry stays a separate module, loaded only when a cache misses. Modules that locate files
// from `import.meta.url` (lazy requires, the compiler build's identity) keep their own location.

import { build, transform, type Plugin } from 'esbuild';
import { readFile } from 'node:fs/promises';
import { dirname, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const CLI = dirname(fileURLToPath(import.meta.url));

/**
 * `import.meta.url` and `import.meta.dirname` of each bundled module, as those of the file it was bundled
 * from. The URL is made when it is read (node:url's first conversion costs start-up time); the directory
 * is a plain path.
 */
const ownUrl: Plugin = {
  name: 'own-import-meta-url',
  setup(b) {
    b.onLoad({ filter: /\.c?js$/ }, async (args) => {
      const text = await readFile(args.path, 'utf8');
      if (!text.includes('import.meta.url') && !text.includes('import.meta.dirname')) return undefined;
      // Calls of the banner's functions (a module may name its own local `require`); esbuild's define
      // replaces the expression only, not the same text inside strings.
      const out = await transform(text, {
        loader: 'js', format: 'esm', define: { 'import.meta.url': 'MODULE_META.url', 'import.meta.dirname': 'MODULE_META.dirname' },
      });
      const file = JSON.stringify(relative(CLI, args.path));
      const meta = `{ get url() { return __moduleUrl(${file}); }, dirname: __moduleDir(${file}) }`;
      return { contents: `const MODULE_META = ${meta};\n${out.code}`, loader: 'js' };
    });
  },
};

for (const name of ['script', 'commands']) {
  await build({
    entryPoints: [resolve(CLI, `${name}.js`)],
    outfile: resolve(CLI, `${name}.bundle.cjs`),
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    logLevel: 'warning',
    external: ['../compiler/compile.js'],
    plugins: [ownUrl],
    banner: {
      js: 'const __moduleUrl = (p) => require("node:url").pathToFileURL(require("node:path").join(__dirname, p)).href;\n' +
        'const __moduleDir = (p) => require("node:path").dirname(require("node:path").join(__dirname, p));',
    },
  });
}
