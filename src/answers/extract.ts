// Finding the final answer in a full response. Rules are tried in order; the first that finds
// something wins, and `rule` says which one (or why nothing was found). All scans are linear.
import type { Answer } from '../types.ts';
import { normalize } from './normalize.ts';

export interface ExtractOptions {
  /** Separate reasoning text (`reasoning_content`); searched only when the response itself has no answer. */
  reasoning?: string | null;
  /** The task's answer is a multiple-choice letter among these (e.g. `ABCD`). */
  choices?: string;
  /**
   * Treat a short text without any answer marker as the answer itself (for grading tools that receive
   * either a full response or a bare answer). Off by default: in a response that would be prose.
   */
  bare?: boolean;
}

/** Rules, in the order they are tried. */
export type ExtractRule =
  | 'boxed'
  | 'final-answer'
  | 'answer-is'
  | 'gsm8k'
  | 'choice'
  | 'math-delimited'
  | 'bare'
  | 'last-number'
  | 'empty'
  | 'no-answer';

const MAX_BARE = 200;

export function extractAnswer(text: string, options: ExtractOptions = {}): Answer {
  const { body, reasoning } = splitThink(text, options.reasoning ?? null);
  const found = findIn(body, options);
  if (found) return answer(found.value, found.rule);
  if (reasoning) {
    const r = findIn(reasoning, { ...options, bare: false });
    if (r) return answer(r.value, `${r.rule}:reasoning`);
  }
  return { value: null, key: null, rule: body.trim() === '' && !reasoning?.trim() ? 'empty' : 'no-answer' };
}

function answer(value: string, rule: string): Answer {
  return { value, key: normalize(value).key, rule };
}

/** Removes `<think>…</think>`; an unclosed `<think>` means everything after it is reasoning. */
function splitThink(text: string, extra: string | null): { body: string; reasoning: string } {
  let reasoning = extra ?? '';
  let body = text;
  const close = body.lastIndexOf('</think>');
  if (close >= 0) {
    const open = body.indexOf('<think>');
    reasoning += body.slice(open >= 0 && open < close ? open + 7 : 0, close);
    body = (open >= 0 && open < close ? body.slice(0, open) : '') + body.slice(close + 8);
  } else {
    const open = body.indexOf('<think>');
    if (open >= 0) {
      reasoning += body.slice(open + 7);
      body = body.slice(0, open);
    }
  }
  return { body, reasoning };
}

interface Found {
  value: string;
  rule: ExtractRule;
}

function findIn(text: string, options: ExtractOptions): Found | null {
  if (text.trim() === '') return null;
  const boxed = lastBoxed(text);
  if (boxed !== null && boxed.trim() !== '')
    return choice(boxed, options) ?? { value: boxed.trim(), rule: 'boxed' };
  const phrase = lastPhrase(text);
  if (phrase) return choice(phrase.value, options) ?? phrase;
  const gsm = /####\s*([^\n]+?)\s*$/m.exec(tail(text));
  if (gsm?.[1]) return { value: gsm[1].replace(/[$,]/g, '').trim(), rule: 'gsm8k' };
  if (options.choices) {
    const c = lastChoice(text, options.choices);
    if (c) return { value: c, rule: 'choice' };
  }
  if (options.bare && looksBare(text)) return { value: text.trim(), rule: 'bare' };
  const math = lastDelimited(text);
  if (math !== null && math.trim() !== '') return { value: math.trim(), rule: 'math-delimited' };
  const n = lastNumber(text);
  if (n !== null) return { value: n, rule: 'last-number' };
  return null;
}

/**
 * A bare answer is short, has no math delimiters inside it (only around it) and is not prose: at most one
 * word of three or more letters outside commands (so `28 percent` is bare, `Answer \\( 9 \\)` is not).
 */
function looksBare(text: string): boolean {
  const t = text.trim();
  if (t.length > MAX_BARE || t.includes('\n\n')) return false;
  const inner = t.replace(/^(?:\$\$|\$|\\\(|\\\[)|(?:\$\$|\$|\\\)|\\\])$/g, '');
  if (/\$|\\\(|\\\[/.test(inner)) return false;
  const words = inner.replace(/\\[a-zA-Z]+\s*(\{[^{}]*\})?/g, ' ').match(/[A-Za-z]{3,}/g) ?? [];
  return words.length <= 1;
}

/** Looks only at the end of huge texts: the final answer is at the end, and regexes stay cheap. */
function tail(text: string): string {
  return text.length > 20_000 ? text.slice(-20_000) : text;
}

/**
 * The last `\boxed{…}` / `\fbox{…}` with balanced braces. Boxes separated only by `,`, `and`, `or` or
 * spacing are one answer written in pieces (`\boxed{1}, \boxed{2}`) and are joined into a list.
 */
export function lastBoxed(text: string): string | null {
  const starts: number[] = [];
  const re = /\\(?:boxed|fbox)\s*\{/g;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) starts.push(m.index + m[0].length);
  if (starts.length === 0) return null;
  const pieces: string[] = [];
  let nextStart = Number.POSITIVE_INFINITY;
  for (let k = starts.length - 1; k >= 0; k--) {
    const s = starts[k]!;
    const end = matchBrace(text, s);
    if (end < 0) {
      if (pieces.length === 0) continue;
      break;
    }
    if (pieces.length > 0) {
      const gap = text
        .slice(end + 1, nextStart)
        .replace(/\\(?:boxed|fbox)\s*\{$/, '')
        .replace(/\\(?:text|mathrm)\s*\{([^{}]*)\}/g, '$1')
        .replace(/\\quad|\\qquad|\\[,;!]|\\\(|\\\)|\\\[|\\\]|\$/g, ' ');
      if (!/^[\s,;]*(?:(?:and|or)[\s,;]*)?$/i.test(gap)) break;
    }
    pieces.unshift(text.slice(s, end));
    nextStart = s;
  }
  return pieces.length === 0 ? null : pieces.join(', ');
}

/** Index of the `}` closing the group opened just before `start`, or -1. Iterative: no recursion depth. */
function matchBrace(text: string, start: number): number {
  let depth = 1;
  for (let i = start; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 92 /* \ */) {
      i++;
      continue;
    }
    if (c === 123) depth++;
    else if (c === 125 && --depth === 0) return i;
  }
  return -1;
}

const PHRASES: [RegExp, ExtractRule][] = [
  [/final answer is[:\s]*/gi, 'final-answer'],
  [/final answer[:：]\s*/gi, 'final-answer'],
  [/(?:the )?answer is[:\s]*/gi, 'answer-is'],
  [/answer[:：]\s*/gi, 'answer-is'],
  [/答案是\s*/g, 'answer-is'],
];

function lastPhrase(text: string): Found | null {
  const t = tail(text);
  for (const [re, rule] of PHRASES) {
    let last = -1;
    re.lastIndex = 0;
    for (let m = re.exec(t); m !== null; m = re.exec(t)) last = m.index + m[0].length;
    if (last < 0) continue;
    let rest = t.slice(last, last + 500).split('\n')[0] ?? '';
    rest = rest.replace(/\s*I hope it is correct.*$/i, '');
    const delimited = firstDelimited(rest);
    if (delimited !== null) rest = delimited;
    else rest = rest.replace(/(?<!\d)\.(?!\d).*$/, '').replace(/[.\s]+$/, '');
    rest = rest.replace(/^\$+|\$+$/g, '').trim();
    if (rest !== '') return { value: rest, rule };
  }
  return null;
}

function firstDelimited(s: string): string | null {
  const m = /\$\$([^$]+)\$\$|\$([^$]+)\$|\\\(([\s\S]+?)\\\)|\\\[([\s\S]+?)\\\]/.exec(s);
  return m ? (m[1] ?? m[2] ?? m[3] ?? m[4] ?? null) : null;
}

/** The last `$…$`, `$$…$$`, `\(…\)` or `\[…\]` region. */
function lastDelimited(text: string): string | null {
  const t = tail(text);
  let last: string | null = null;
  const re = /\$\$([^$]+)\$\$|\$([^$\n]+)\$|\\\(([\s\S]+?)\\\)|\\\[([\s\S]+?)\\\]/g;
  for (let m = re.exec(t); m !== null; m = re.exec(t)) last = m[1] ?? m[2] ?? m[3] ?? m[4] ?? last;
  return last;
}

function lastNumber(text: string): string | null {
  const t = tail(text);
  let last: string | null = null;
  const re = /-?\d[\d,]*(?:\.\d+)?|-?\.\d+/g;
  for (let m = re.exec(t); m !== null; m = re.exec(t)) last = m[0];
  return last === null ? null : last.replace(/,(?=\d{3}(?!\d))/g, '').replace(/,+$/, '');
}

/** A boxed or phrased answer that names one of the allowed letters, e.g. `(C)` or `\text{C}`. */
function choice(value: string, options: ExtractOptions): Found | null {
  if (!options.choices) return null;
  const m = /^\s*(?:\\text\{)?\s*\(?([A-Za-z])\)?\s*\}?(?:[.:)\s]|$)/.exec(value);
  const letter = m?.[1]?.toUpperCase();
  return letter && options.choices.toUpperCase().includes(letter) ? { value: letter, rule: 'choice' } : null;
}

function lastChoice(text: string, choices: string): string | null {
  const t = tail(text);
  const set = choices.toUpperCase();
  let last: string | null = null;
  const re = /(?:^|[\s(*:])\(?([A-Z])\)?(?=$|[\s.,)*:。])/g;
  for (let m = re.exec(t); m !== null; m = re.exec(t)) if (m[1] && set.includes(m[1])) last = m[1];
  return last;
}
