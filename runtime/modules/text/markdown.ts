// The markdown splitter, after langchaingo's MarkdownTextSplitter: a chunk never spans two sections, each chunk
// starts with its section's heading (or the heading path, with headingHierarchy), blocks are packed whole up to
// chunkSize, and a block too big for one chunk goes to the recursive splitter. Blocks come from a line scanner
// (ATX and setext headings, fenced code, blank-line separated blocks), not a full CommonMark parser.

import { splitRecursive, trimSpace, type RecursiveOptions } from './recursive.js';
import { charCount } from './utf8.js';

export interface MarkdownOptions extends RecursiveOptions {
  /** Keep fenced code blocks (langchaingo drops them unless asked). */
  codeBlocks: boolean;
  /** Start chunks with the whole heading path ("# A\n## B") rather than the nearest heading. */
  headingHierarchy: boolean;
}

type Block = { kind: 'heading'; level: number; title: string } | { kind: 'text' | 'code'; text: string };

const ATX = /^ {0,3}(#{1,6})(?:[ \t]+(.*?))?[ \t]*$/;
const FENCE_OPEN = /^ {0,3}(`{3,}|~{3,})/;
const SETEXT = /^ {0,3}(=+|-+)[ \t]*$/;
const RULE = /^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$/;

/** The blocks of a markdown document, in order. */
export function scanBlocks(src: string): Block[] {
  const blocks: Block[] = [];
  const lines = src.split(/\r?\n/);
  let para: string[] = [];
  const endPara = () => {
    if (para.length > 0) blocks.push({ kind: 'text', text: para.join('\n') });
    para = [];
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const fence = FENCE_OPEN.exec(line);
    if (fence) {
      endPara();
      const mark = fence[1];
      const close = new RegExp(`^ {0,3}${mark[0] === '`' ? '`' : '~'}{${mark.length},}[ \\t]*$`);
      let j = i + 1;
      while (j < lines.length && !close.test(lines[j])) j++;
      blocks.push({ kind: 'code', text: lines.slice(i, Math.min(j + 1, lines.length)).join('\n') });
      i = j;
      continue;
    }
    const atx = ATX.exec(line);
    if (atx) {
      endPara();
      // A closing run of #s is not part of the title.
      const title = (atx[2] ?? '').replace(/(?:^|[ \t]+)#+$/, '').trim();
      blocks.push({ kind: 'heading', level: atx[1].length, title });
      continue;
    }
    const setext = SETEXT.exec(line);
    if (setext && para.length > 0) {
      blocks.push({ kind: 'heading', level: setext[1][0] === '=' ? 1 : 2, title: para.map((l) => l.trim()).join(' ') });
      para = [];
      continue;
    }
    if (RULE.test(line)) {
      endPara();
      blocks.push({ kind: 'text', text: line.trim() });
    } else if (trimSpace(line) === '') endPara();
    else para.push(line);
  }
  endPara();
  return blocks;
}

/** Split a markdown document into chunks (see the file header). */
export function splitMarkdown(src: string, o: MarkdownOptions): string[] {
  const chunks: string[] = [];
  const stack: { level: number; line: string }[] = [];
  let title = '';
  let titleEmitted = true;
  let cur = '';

  // Room left for content once the title line is in front of it.
  const budget = () => (title === '' ? o.chunkSize : Math.max(1, o.chunkSize - charCount(title) - 1));
  const flush = () => {
    let parts: string[];
    if (cur !== '') parts = charCount(cur) > budget() ? splitRecursive(cur, { ...o, chunkSize: budget(), chunkOverlap: Math.min(o.chunkOverlap, budget()) }) : [cur];
    else parts = title !== '' && !titleEmitted ? [''] : []; // a heading with no content still makes a chunk
    for (const p of parts) chunks.push(title === '' ? p : p === '' ? title : `${title}\n${p}`);
    if (parts.length > 0) titleEmitted = true;
    cur = '';
  };
  const join = (snippet: string) => {
    if (cur === '') cur = snippet;
    else if (charCount(cur) + 2 + charCount(snippet) > budget()) {
      flush();
      cur = snippet;
    } else cur += '\n\n' + snippet;
  };

  for (const b of scanBlocks(src)) {
    if (b.kind === 'heading') {
      flush();
      const line = `${'#'.repeat(b.level)} ${b.title}`;
      while (stack.length > 0 && stack[stack.length - 1].level >= b.level) stack.pop();
      stack.push({ level: b.level, line });
      title = o.headingHierarchy ? stack.map((h) => h.line).join('\n') : line;
      titleEmitted = false;
    } else if (b.kind === 'code') {
      if (o.codeBlocks) join(b.text);
    } else join(b.text);
  }
  flush();
  return chunks;
}
