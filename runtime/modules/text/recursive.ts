// The recursive character text splitter of langchaingo's textsplitter package (which Wippy uses), on JS
// text: split on the first separator present, merge pieces into chunks of at most chunkSize characters with
// up to chunkOverlap characters carried over, and recurse with the next separators into pieces still too big.

import { charCount } from './utf8.js';

export interface RecursiveOptions {
  chunkSize: number;
  chunkOverlap: number;
  separators: string[];
  keepSeparator: boolean;
}

/** Go's strings.TrimSpace: unicode.IsSpace characters (so U+0085 yes, U+FEFF no, unlike String.trim). */
const SPACE = '\\t\\n\\v\\f\\r \\u0085\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000';
const TRIM = new RegExp(`^[${SPACE}]+|[${SPACE}]+$`, 'g');
export const trimSpace = (s: string): string => s.replace(TRIM, '');

/** Go's strings.Split: "" splits into characters (code points). */
const splitOn = (text: string, sep: string): string[] => (sep === '' ? Array.from(text) : text.split(sep));

export function splitRecursive(text: string, o: RecursiveOptions, separators: string[] = o.separators): string[] {
  const chunks: string[] = [];
  // The first separator that occurs in the text ("" always does); later ones are for recursion.
  let separator = separators[separators.length - 1];
  let rest: string[] = [];
  for (let i = 0; i < separators.length; i++) {
    const c = separators[i];
    if (c === '' || text.includes(c)) {
      separator = c;
      rest = separators.slice(i + 1);
      break;
    }
  }
  let splits = splitOn(text, separator);
  if (o.keepSeparator) {
    splits = splits.map((s, i) => (i > 0 ? separator + s : s));
    separator = '';
  }
  let good: string[] = [];
  for (const s of splits) {
    if (charCount(s) < o.chunkSize) {
      good.push(s);
      continue;
    }
    if (good.length > 0) {
      chunks.push(...mergeSplits(good, separator, o));
      good = [];
    }
    if (rest.length === 0) chunks.push(s);
    else chunks.push(...splitRecursive(s, o, rest));
  }
  if (good.length > 0) chunks.push(...mergeSplits(good, separator, o));
  return chunks;
}

/** langchaingo's mergeSplits: greedy packing, then drop pieces from the front until at most the overlap is left. */
function mergeSplits(splits: string[], separator: string, o: RecursiveOptions): string[] {
  const docs: string[] = [];
  const sepLen = charCount(separator);
  // The current chunk is splits[head..end) (an index, not a shifting array: "" splits make thousands of pieces).
  const lens = splits.map(charCount);
  let head = 0;
  let total = 0;
  const emit = (end: number) => {
    const doc = trimSpace(splits.slice(head, end).join(separator));
    if (doc !== '') docs.push(doc);
  };
  for (let i = 0; i < splits.length; i++) {
    const n = i - head;
    if (total + lens[i] + (n > 0 ? sepLen : 0) > o.chunkSize && n > 0) {
      emit(i);
      while (shouldPop(o, total, lens[i], i - head < 2 ? 0 : sepLen, i - head)) {
        total -= lens[head];
        if (i - head > 1) total -= sepLen;
        head++;
      }
    }
    total += lens[i];
    if (i - head > 0) total += sepLen;
  }
  emit(splits.length);
  return docs;
}

/** Pop while more than the overlap is kept, or while the next piece would still not fit. */
function shouldPop(o: RecursiveOptions, total: number, splitLen: number, sepLen: number, n: number): boolean {
  return n > 0 && (total > o.chunkOverlap || (total + splitLen + sepLen > o.chunkSize && total > 0));
}
