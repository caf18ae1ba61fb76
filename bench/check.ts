// `lunac check` speed on a generated 2,000-file app (issue bar: under 5 s cold, under 0.5 s after a one-file
// change): each timing is a fresh `lunac check` process. Run with `node dist/bench/check.js [--runs N]`; it
// replaces its own section of docs/benchmarks.md (between the check markers).

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const CLI = path.join(ROOT, 'bin/lunac');
const START = '<!-- check -->';
const END = '<!-- end of check -->';

const MODULES = 100, FILES_PER_MODULE = 20, HELPERS_PER_FILE = 30;

/** 100 namespaces × 20 Lua files (one library each), typed Lua, ~125 lines per file. */
function generateApp(dir: string): { files: number; lines: number } {
  let lines = 0;
  for (let d = 0; d < MODULES; d++) {
    const src = path.join(dir, 'src', `mod${d}`);
    fs.mkdirSync(src, { recursive: true });
    const entries: string[] = [];
    for (let i = 0; i < FILES_PER_MODULE; i++) {
      const body = ["local json = require('json')", "local util = require('util')"];
      for (let k = 0; k < HELPERS_PER_FILE; k++) {
        body.push(`local function helper${k}(a: number, b: string?): number\n  local t = {x = a, y = b or 'z'}\n  if a > ${k} then return a * 2 else return #t.y end\nend`);
      }
      body.push("local function handler(req)\n  return json.encode({ok = helper1(1, 'x')})\nend", 'return { handler = handler }');
      const text = body.join('\n') + '\n';
      lines += text.split('\n').length - 1;
      fs.writeFileSync(path.join(src, `f${i}.lua`), text);
      entries.push(i === 0
        ? `  - name: util\n    kind: library.lua\n    source: file://f0.lua\n    modules: [json]\n    imports:\n      util2: util_base`
        : `  - name: f${i}\n    kind: function.lua\n    source: file://f${i}.lua\n    method: handler\n    modules: [json]\n    imports:\n      util: util\n    meta:\n      type: test\n      tags: [a, b]`);
    }
    entries.push('  - name: util_base\n    kind: library.lua\n    source: |\n      return {}');
    fs.writeFileSync(path.join(src, '_index.yaml'), `version: '1.0'\nnamespace: app.mod${d}\nentries:\n${entries.join('\n')}\n`);
  }
  return { files: MODULES * FILES_PER_MODULE, lines };
}

function timeCheck(dir: string, cacheDir: string): number {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(CLI, ['check', dir], { env: { ...process.env, LUNAC_CACHE_DIR: cacheDir }, encoding: 'utf8' });
  const s = Number(process.hrtime.bigint() - t0) / 1e9;
  if (r.status !== 0 || !/no problems/.test(r.stdout)) throw new Error(`lunac check failed: ${r.stdout}${r.stderr}`);
  return s;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

export function checkSection(runs: number, log: (s: string) => void): string[] {
  const loadAtStart = os.loadavg().map((x) => x.toFixed(2)).join(' / ');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lunac-check-bench-'));
  const { files, lines } = generateApp(dir);
  const cold: number[] = [], warm: number[] = [], changed: number[] = [];
  for (let r = 0; r < runs; r++) {
    const cache = fs.mkdtempSync(path.join(os.tmpdir(), 'lunac-check-cache-'));
    cold.push(timeCheck(dir, cache));
    warm.push(timeCheck(dir, cache));
    // One Lua file changes between two checks.
    fs.appendFileSync(path.join(dir, 'src/mod7/f3.lua'), `-- edit ${r}\n`);
    changed.push(timeCheck(dir, cache));
    log(`check run ${r + 1}/${runs}: cold ${cold[r].toFixed(2)} s, warm ${warm[r].toFixed(2)} s, one file changed ${changed[r].toFixed(2)} s`);
  }
  fs.rmSync(dir, { recursive: true, force: true });
  const fmt = (x: number) => `${x.toFixed(2)} s`;
  return [
    START,
    '## `lunac check`',
    '',
    `Measured on ${new Date().toISOString().replace(/\.\d+Z$/, 'Z')} by \`node dist/bench/check.js\`: a generated app of ${files} Lua files ` +
      `(${lines.toLocaleString('en-US')} lines of typed Lua, ${MODULES} definition files, ${MODULES * (FILES_PER_MODULE + 1)} entries), ` +
      `each timing a fresh \`lunac check\` process, median of ${runs}. Cold = empty cache; warm = nothing changed; ` +
      `one file changed = a Lua file edited since the last check. Load average ${loadAtStart} at the start, ` +
      `${os.loadavg().map((x) => x.toFixed(2)).join(' / ')} at the end (the figures move by ±10 % with it).`,
    '',
    '| check | time | bar |',
    '|---|---:|---|',
    `| cold | ${fmt(median(cold))} | < 5 s |`,
    `| warm, nothing changed | ${fmt(median(warm))} | |`,
    `| one file changed | ${fmt(median(changed))} | < 0.5 s |`,
    END,
  ];
}

/** Replace (or add, before the first `## Notes`/`## How to read this` heading) the check section of a doc. */
export function spliceCheck(doc: string, section: string[]): string {
  const text = section.join('\n');
  const a = doc.indexOf(START), b = doc.indexOf(END);
  if (a >= 0 && b > a) return doc.slice(0, a) + text + doc.slice(b + END.length);
  const at = ['\n## Notes\n', '\n## How to read this\n'].map((h) => doc.indexOf(h)).filter((i) => i >= 0).sort((x, y) => x - y)[0];
  if (at === undefined) return doc.replace(/\n*$/, '\n\n') + text + '\n';
  return doc.slice(0, at + 1) + text + '\n\n' + doc.slice(at + 1);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const i = process.argv.indexOf('--runs');
  const runs = i > 0 ? Math.max(1, Number(process.argv[i + 1])) : 3;
  const out = path.join(ROOT, 'docs/benchmarks.md');
  const section = checkSection(runs, (s) => process.stderr.write(s + '\n'));
  fs.writeFileSync(out, spliceCheck(fs.readFileSync(out, 'utf8'), section));
  process.stderr.write(`wrote the check section of ${path.relative(process.cwd(), out)}\n`);
}
