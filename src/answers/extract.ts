// Finding the final answer in a full response. Rules are tried in order; the first that finds
// something wins, and `rule` says which one (or why nothing was found). All scans are linear.
import type { Answer } from '../core/index.ts';
import { LIMITS } from './limits.ts';
import { normalize } from './normalize.ts';

export interface ExtractOptions {
  /** Separate reasoning text (`reasoning_content`); searched only when the response itself has no answer. */
  reasoning?: string | null;
  /** The task's answer is a multiple-choice letter among these (e.g. `ABCD`). */
  choices?: string;
  /**
   * What may be extracted without an answer marker: `latex` (math regions and boxes) and `expr`
   * (plain numbers in prose). Default both. Without `expr`, a response whose only answer is a plain
   * number outside math delimiters has no answer (Math-Verify's LaTeX-only extraction target).
   */
  targets?: readonly ('latex' | 'expr')[];
  /**
   * Treat a short text without any answer marker as the answer itself (for grading tools that receive
   * either a full response or a bare answer). Off by default: in a response that would be prose.
   */
  bare?: boolean;
  /** Step counter of the linear scans (tests use it to prove linearity); not needed otherwise. */
  work?: Work;
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
  | 'no-answer'
  | 'truncated'
  | 'too-long';

const MAX_BARE = 200;

export function extractAnswer(text: string, options: ExtractOptions = {}): Answer {
  const { body, reasoning } = splitThink(text, options.reasoning ?? null);
  const found = findIn(body, options);
  if (found) return found.value === null ? refused(found.rule) : answer(found.value, found.rule);
  if (reasoning) {
    // Reasoning is scratch work: only an explicit answer in it counts (a box, a marker), never its last
    // number or math region. An unclosed `<think>` is a response cut off while reasoning.
    const r = findIn(reasoning, { ...options, bare: false }, true);
    if (r) return r.value === null ? refused(r.rule) : answer(r.value, `${r.rule}:reasoning`);
  }
  return { value: null, key: null, rule: body.trim() === '' && !reasoning?.trim() ? 'empty' : 'no-answer' };
}

/** No answer, and why: the last box was never closed (`truncated`) or is too long (`too-long`). */
function refused(rule: string): Answer {
  return { value: null, key: null, rule };
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

function findIn(
  text: string,
  options: ExtractOptions,
  markersOnly = false,
  cut = true,
): Found | { value: null; rule: 'truncated' | 'too-long' } | null {
  if (text.trim() === '') return null;
  // A base model running on into its next few-shot example ("#### 72⏎⏎Question: …⏎Answer: …"):
  // the response ends where that example begins, when what comes before it already has an answer.
  // One cut at most (the prefix is not cut again), so the work stays linear.
  const next = cut ? nextExample(text) : -1;
  if (next > 0) {
    const before = findIn(text.slice(0, next), options, markersOnly, false);
    if (before !== null) return before;
  }
  if (options.choices) {
    const c = findChoice(text, options.choices);
    if (c) return c;
  }
  const boxed = lastBoxed(text, options.work);
  if (boxed !== null && boxed.value === null) return { value: null, rule: boxed.why };
  const phrase = lastPhrase(text);
  // A Minerva-style closing line ("The final answer is $X$. I hope it is correct.") written after the last
  // box is the answer; boxes before it are intermediate results.
  if (boxed !== null && boxed.value.trim() !== '' && !(phrase?.minerva && phrase.at > boxed.end))
    return { value: boxed.value.trim(), rule: 'boxed' };
  if (phrase) return { value: phrase.value, rule: phrase.rule };
  const letter = choiceInProse(text);
  if (letter !== null) return { value: letter, rule: 'answer-is' };
  const gsm = /####\s*([^\n]+?)\s*$/m.exec(tail(text));
  if (gsm?.[1]) return { value: gsm[1].replace(/[$,]/g, '').trim(), rule: 'gsm8k' };
  if (options.bare && looksBare(text)) return { value: text.trim(), rule: 'bare' };
  if (markersOnly) return null;
  // Without any marker the answer is whatever comes last: a math region or a plain number after it,
  // once closing commentary is set aside (an end-of-proof mark, a remark in parentheses, "This is
  // because …", a question back to the user). A response that stops mid-sentence has no answer.
  const body = withoutCommentary(text);
  if (unfinished(body)) return { value: null, rule: 'truncated' };
  const math = lastDelimited(body);
  const useExpr = options.targets === undefined || options.targets.includes('expr');
  const n = useExpr ? lastNumber(body) : null;
  if (math !== null && (n === null || math.end >= n.end))
    return { value: math.value, rule: 'math-delimited' };
  if (n !== null) return { value: n.value, rule: 'last-number' };
  return null;
}

/**
 * Where a new few-shot example starts after the response (a line opening with `Question:` / `Problem:`
 * / `Q:`, not at the start of the text), or -1: the first such line (one linear search).
 */
function nextExample(text: string): number {
  const m = /\n[ \t]*(?:Question|Problem|Q)[ \t]*:/.exec(text);
  if (!m) return -1;
  return text.slice(0, m.index).trim() === '' ? -1 : m.index;
}

/** Words after which an English sentence cannot end: a response ending on one was cut off. */
const OPEN_WORDS = new Set(
  (
    'a an the and or but so to of in on at by for with from into onto than that which where when while ' +
    'whose if because since as is are was were be been being we our their then thus hence therefore ' +
    'get gives give yields equals leaving giving making yielding obtaining becomes let using via per ' +
    'not'
  ).split(' '),
);

/**
 * The text stops mid-sentence: on a word no sentence ends with (`…, so`, `… leaving`), on an operator or
 * an opening bracket (`= `, `\cdot`, `(`) or a comma. Looks at the last line. (An odd number of `$` is
 * not a sign: a `$` in prose is often money, `2,74 $`.)
 */
function unfinished(text: string): boolean {
  const t = text.slice(-400).trimEnd();
  if (t === '') return false;
  const line = t.slice(t.lastIndexOf('\n') + 1);
  if (/(?:[=+,([{^_]|\\cdot|\\times|\\frac|\\left\(?)$/.test(line)) return true;
  const last = /([A-Za-z]+)$/.exec(line);
  return last !== null && OPEN_WORDS.has(last[1]!.toLowerCase());
}

/** Sentences that comment on an answer already given, rather than give one. */
const COMMENTARY =
  /^(?:this (?:is|matches|makes|agrees|confirms|checks|works|uses|comes)|because|since|note|check|verification|we used|i used|indeed|as a check|to verify|we can verify|i hope|let me know|hope this)\b/i;

/**
 * The text without its closing commentary, which may restate the problem's numbers after the answer: an
 * end-of-proof mark (`$\blacksquare$`, `\qed`), a closing remark in parentheses, a last sentence opening
 * like `This is because` / `Note:` / `Check:`, or a question. At most four pieces are set aside, each
 * found in the last 600 characters by anchored, length-capped patterns.
 */
function withoutCommentary(text: string): string {
  let t = text.trimEnd();
  for (let k = 0; k < 4; k++) {
    const end = t.slice(-600);
    const base = t.length - end.length;
    const qed = /(?:\$\s*\\(?:blacksquare|square|Box|qed)\s*\$|\\qed|\\blacksquare|∎|□)\s*$/.exec(end);
    const paren = /\s\(((?:[^()\n]|\([^()\n]{0,80}\)){1,300})\)[.!]?\s*$/.exec(end);
    // The last sentence: after a sentence end (`. `, `! `, `? `, a line break) and before the text's end;
    // a point not followed by a space (`3.5`, `e.g`) does not end a sentence.
    const sentence = /(?:^|[.!?。]\s+|\n\s*)((?:[^.!?。\n]|[.!?](?=\S)){1,300})[.!?。]?\s*$/.exec(end);
    let cut = -1;
    if (qed) cut = qed.index;
    // A remark in parentheses has words (a tuple `(2, 3)` is an answer).
    else if (paren && proseWords(paren[1]!) >= 1 && end.slice(0, paren.index).trim() !== '')
      cut = paren.index;
    else if (sentence?.[1] && (COMMENTARY.test(sentence[1]) || /\?\s*$/.test(end))) {
      const at = sentence.index + sentence[0].indexOf(sentence[1]);
      if (end.slice(0, at).trim() !== '') cut = at;
    }
    if (cut < 0) break;
    t = t.slice(0, base + cut).trimEnd();
  }
  return t;
}

/**
 * A bare answer is short, has no math delimiters inside it (only around it) and is not prose: at most one
 * word of three or more letters outside commands (so `28 percent` is bare, `Answer \\( 9 \\)` is not).
 */
function looksBare(text: string): boolean {
  const t = text.trim();
  if (t.length > MAX_BARE || t.includes('\n\n')) return false;
  const inner = t.replace(/^(?:\$\$|\$|\\\(|\\\[)|(?:\$\$|(?<!\\)\$|\\\)|\\\])$/g, '');
  // An escaped `\$` is a dollar sign (money), not a math delimiter.
  if (/(?<!\\)\$|\\\(|\\\[/.test(inner)) return false;
  return proseWords(inner) <= 1 || numberPhrase(inner);
}

/**
 * A number written out in words, the whole text (`twenty-one`, `one hundred and five`, `Seventy-two.`):
 * an answer, not prose, though it has several words.
 */
function numberPhrase(s: string): boolean {
  const t = s.trim();
  return t.length <= 120 && /^[A-Za-z][A-Za-z\s-]*\.?$/.test(t) && normalize(t).kind === 'exact';
}

/** Words of three or more letters outside LaTeX commands; a run of CJK characters counts as words too. */
function proseWords(s: string): number {
  const t = s.replace(/\\[a-zA-Z]+\s*(\{[^{}]*\})?/g, ' ');
  return (t.match(/\p{L}{3,}/gu) ?? []).length + (/[\p{Script=Han}\p{Script=Hiragana}]{2}/u.test(t) ? 2 : 0);
}

/** Looks only at the end of huge texts: the final answer is at the end, and regexes stay cheap. */
function tail(text: string): string {
  return text.length > 20_000 ? text.slice(-20_000) : text;
}

/**
 * Text between two answer pieces that still joins them into one answer: spacing and punctuation only
 * (`\boxed{1}, \boxed{2}`), or a single `and` / `or` with at most three other short words around it
 * (`\boxed{1} papers and \boxed{2}`, `(3,3)} \text{ for part (a) and } \boxed{(1,1)`), optionally
 * naming the next piece (`y_1 = \boxed{…} and y_2 = \boxed{…}`). Prose (`no no no`, `and and or thus
 * but`) does not join.
 */
function joins(gap: string): boolean {
  const g = gap
    .replace(/\\(?:text|mathrm|textbf)\s*\{([^{}]*)\}/g, '$1')
    .replace(/\\quad|\\qquad|\\[,;!]|\\\(|\\\)|\\\[|\\\]|\$/g, ' ')
    .replace(/[A-Za-z](?:_\{?\w+\}?)?\s*=\s*$/, '')
    .trim();
  if (g.length > 60) return false;
  if (/^[\s,;+]*$/.test(g)) return true;
  const words = g.match(/[A-Za-z]+/g) ?? [];
  const connectors = words.filter((w) => /^(?:and|or)$/i.test(w)).length;
  if (connectors !== 1 || words.length > 4) return false;
  return /^[\s,;()A-Za-z]*$/.test(g);
}

/** Counts the steps of the linear scans, so tests can prove linearity without timing anything. */
export interface Work {
  ops: number;
}

interface Box {
  /** Index of the backslash of `\boxed`, first content character, index of the closing brace. */
  cmd: number;
  start: number;
  end: number;
}

const isLetter = (c: number): boolean => (c >= 65 && c <= 90) || (c >= 97 && c <= 122);

/**
 * One forward pass over the text: every closed `\boxed{…}` / `\fbox{…}` that is not inside another
 * closed box, in order, and whether a box is still open after the last closed one (a response cut off
 * inside its answer). Linear in the text: each character is visited once, braces matched with one stack.
 */
export function scanBoxes(text: string, work?: Work): { boxes: Box[]; truncated: boolean } {
  // Stack of open braces: -1 for a plain group, else the index in `opens` of the box it opens.
  const stack: number[] = [];
  const opens: { cmd: number; start: number }[] = [];
  const closed: Box[] = [];
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (work) work.ops++;
    if (c === 92 /* \ */) {
      let j = i + 1;
      const word = text.startsWith('boxed', j)
        ? 5
        : text.startsWith('fbox', j)
          ? 4
          : text.startsWith('framebox', j)
            ? 8
            : 0;
      if (word > 0 && !isLetter(text.charCodeAt(j + word))) {
        j += word;
        while (j < n && (text[j] === ' ' || text[j] === '\n' || text[j] === '\t')) j++;
        if (work) work.ops += j - i;
        if (text.charCodeAt(j) === 123) {
          stack.push(opens.length);
          opens.push({ cmd: i, start: j + 1 });
        }
        i = j - (text.charCodeAt(j) === 123 ? 0 : 1);
        continue;
      }
      i++; // an escaped character (`\{`, `\}`) is not a brace
      continue;
    }
    if (c === 123) stack.push(-1);
    else if (c === 125 && stack.length > 0) {
      const k = stack.pop()!;
      if (k >= 0) closed.push({ cmd: opens[k]!.cmd, start: opens[k]!.start, end: i });
    }
  }
  // Boxes close inner-first; keep those not nested in another closed box, ordered by position.
  const outer: Box[] = [];
  for (let k = closed.length - 1; k >= 0; k--) {
    const b = closed[k]!;
    const top = outer[outer.length - 1];
    if (work) work.ops++;
    if (top === undefined || b.end < top.cmd) outer.push(b);
  }
  outer.reverse();
  const lastEnd = outer.length > 0 ? outer[outer.length - 1]!.end : -1;
  let truncated = false;
  for (const k of stack) if (k >= 0 && opens[k]!.start > lastEnd) truncated = true;
  return { boxes: outer, truncated };
}

/** At most this many boxes are joined into one answer. */
const MAX_PIECES = 16;

/**
 * The last `\boxed{…}` / `\fbox{…}` with balanced braces, and where it ends. Boxes joined by `joins` are
 * one answer written in pieces (`\boxed{1}, \boxed{2}`) and become a list. A box left open after the
 * last closed one means the response was cut off inside its answer: `truncated`, no value. Contents
 * longer than LIMITS.maxAnswerChars are refused before anything is copied (`too-long`).
 */
export function lastBoxed(
  text: string,
  work?: Work,
): { value: string; end: number } | { value: null; why: 'truncated' | 'too-long' } | null {
  const { boxes, truncated } = scanBoxes(text, work);
  if (truncated) return { value: null, why: 'truncated' };
  const last = boxes[boxes.length - 1];
  if (last === undefined) return null;
  let total = last.end - last.start;
  if (total > LIMITS.maxAnswerChars) return { value: null, why: 'too-long' };
  const pieces = [text.slice(last.start, last.end)];
  for (let k = boxes.length - 2; k >= 0 && pieces.length < MAX_PIECES; k--) {
    const b = boxes[k]!;
    const next = boxes[k + 1]!;
    total += b.end - b.start;
    if (total > LIMITS.maxAnswerChars || next.cmd - b.end > 400) break;
    if (!joins(text.slice(b.end + 1, next.cmd))) break;
    pieces.unshift(text.slice(b.start, b.end));
  }
  return { value: pieces.join(', '), end: last.end };
}

/** Answer markers, most specific first; `réponse` and `答案` because graders see multilingual output. */
const PHRASES: [RegExp, ExtractRule][] = [
  [/final answer is[:\s]*/gi, 'final-answer'],
  [/final answer[:：]\s*/gi, 'final-answer'],
  [/(?:the )?answer is[:\s]*/gi, 'answer-is'],
  [/(?:correct|right|best) (?:option|choice) is[:\s]*/gi, 'answer-is'],
  [/answer[:：]\s*/gi, 'answer-is'],
  [/(?:la )?réponse (?:est|finale est)[:\s]*|réponse\s*[:：]\s*/gi, 'answer-is'],
  // Other languages' "the answer is" / "answer:" (Spanish, Italian, Portuguese, German, Russian, Japanese).
  [
    /(?:la )?respuesta (?:es|final es)[:\s]*|respuesta\s*[:：]\s*|(?:la )?risposta (?:è|finale è)[:\s]*|(?:a )?resposta (?:é|final é)[:\s]*|(?:die )?antwort (?:ist|lautet)[:\s]*|antwort\s*[:：]\s*|ответ\s*[:：]\s*|答えは\s*/giu,
    'answer-is',
  ],
  [/答案(?:是|为|：|:)\s*/g, 'answer-is'],
];

interface Phrase extends Found {
  /** Where the marker is; whether it is the Minerva closing line `final answer is … I hope`. */
  at: number;
  minerva: boolean;
}

/** How many of a marker's last occurrences are tried (the last one whose line holds an answer wins). */
const MAX_MARKER_TRIES = 8;

function lastPhrase(text: string): Phrase | null {
  const t = tail(text);
  const offset = text.length - t.length;
  for (const [re, rule] of PHRASES) {
    // End positions of the last few occurrences, latest first.
    const found: { at: number; end: number }[] = [];
    re.lastIndex = 0;
    for (let m = re.exec(t); m !== null; m = re.exec(t)) {
      found.push({ at: m.index, end: m.index + m[0].length });
      if (found.length > MAX_MARKER_TRIES) found.shift();
    }
    for (let k = found.length - 1; k >= 0; k--) {
      const { at, end } = found[k]!;
      const line = t.slice(end, end + 500).split('\n')[0] ?? '';
      const value = phraseValue(line);
      if (value === null) continue;
      const minerva = rule === 'final-answer' && /I hope it is correct/i.test(line);
      return { value, rule, at: offset + at, minerva };
    }
  }
  return null;
}

/** Words between a marker and its value that are not the value (`the answer is therefore 14`). */
const FILLER =
  /^(?:(?:therefore|thus|hence|so|then|now|clearly|simply|indeed|actually|finally|just|exactly|only|worth|about|approximately|approx\.?|roughly|around|equal to|donc|alors|ainsi|environ|also|still)\b[,:]?\s+)+/i;

/**
 * A choice letter opening a marker's value and standing alone (`option C`, `(D).`, `B because …`,
 * `**C) 45**`): capital A–H, not followed by a formula (`A = 5` is not a choice).
 */
const LEADING_CHOICE =
  /^\s*(?:\*\*)?\s*(?:(?:option|choice)\s+)?(?:\\text(?:bf)?\{\s*)?\(?([A-H])\)?(?:\s*\})?(?:\*\*)?(?=\s*$|\s*[.,;:!。]|\s+(?:because|since|as|—|-)\b)/;

/** The answer in the rest of a marker's line, or null. */
function phraseValue(line: string): string | null {
  let rest = line.replace(/\s*I hope it is correct.*$/i, '');
  // A marker followed by a preposition or a negation is not stating the answer ("what the answer is
  // for $n = 5$", "the answer is not 5").
  if (/^\s*(?:for|when|if|of|to|whether|not|because|since|a\s+(?:number|fraction|multiple))\b/i.test(rest))
    return null;
  rest = rest.replace(FILLER, '');
  const letter = LEADING_CHOICE.exec(rest);
  if (letter?.[1]) return letter[1];
  // Text in Chinese or Japanese after the value ends it (`5。我们用了 3 个步骤。`, `20 元。`).
  const cjk = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}。！？，；]/u.exec(rest);
  if (cjk && rest.slice(0, cjk.index).trim() !== '') rest = rest.slice(0, cjk.index);
  // "Final Answer: The volume of $ABCDEFGH$ is 120." — the answer follows the last ` is `.
  const is = /^(.{0,100}?)\sis\s+/.exec(rest);
  if (is && proseWords(is[1] ?? '') >= 1) rest = rest.slice(is[0].length).replace(FILLER, '');
  const delimited = firstDelimited(rest);
  if (delimited !== null && proseWords(delimited) <= 1) rest = delimited;
  else if (numberPhrase(rest)) rest = rest.trim().replace(/\.$/, '');
  else if (proseWords(rest.replace(/(?:(?<!\d)\.(?!\d)|\.(?=\s)).*$/, '')) >= 2) {
    // Prose after the marker ("Jane started growing Sphere 3 hours ago"): its first number.
    const n = firstNumber(rest);
    if (n === null) return null;
    rest = n;
  } else rest = rest.replace(/(?:(?<!\d)\.(?!\d)|\.(?=\s)).*$/, '').replace(/[.\s]+$/, '');
  rest = rest.replace(/^\$+|\$+$/g, '').trim();
  return rest === '' ? null : rest;
}

const INLINE = String.raw`\$\$((?:[^$]|\$(?!\$))+?)\$\$|(?<![\\\d])\$((?:\\\$|[^\n$])+?)(?<!\\)\$|\\\(((?:[^\\\n]|\\(?!\)))+?)\\\)|\\\[([\s\S]+?)\\\]`;

/** Math regions of a text (not prose between two currency signs), in order. */
function regionsOf(t: string): { value: string; start: number; end: number }[] {
  const out: { value: string; start: number; end: number }[] = [];
  const re = new RegExp(INLINE, 'g');
  for (let m = re.exec(t); m !== null; m = re.exec(t)) {
    const v = (m[1] ?? m[2] ?? m[3] ?? m[4] ?? '').trim();
    if (v !== '' && proseWords(v) <= 1) out.push({ value: v, start: m.index, end: m.index + m[0].length });
  }
  return out;
}

/** Regions connected by `,`, `and` or `or` are one answer in pieces: `$1$ and $2$ and $3$`. */
const CONNECTED = /^\s*(?:,?\s*and|,?\s*or|,)\s*$/i;

/** The first math region of a marker's line, with up to four regions connected to it. */
function firstDelimited(s: string): string | null {
  const regions = regionsOf(s);
  const first = regions[0];
  if (!first) return null;
  const values = [first.value];
  for (let k = 1, prev = first; k < regions.length && values.length < 5; k++) {
    const r = regions[k]!;
    if (!CONNECTED.test(s.slice(prev.end, r.start))) break;
    values.push(r.value);
    prev = r;
  }
  return values.join(', ');
}

/**
 * The last math region, joined with up to four earlier regions connected to it. Inline regions never
 * span a line break.
 */
function lastDelimited(text: string): { value: string; end: number } | null {
  const t = tail(text);
  const regions = regionsOf(t);
  const last = regions[regions.length - 1];
  if (!last) return null;
  const values = [last.value];
  for (let k = regions.length - 2, next = last; k >= 0 && values.length < 5; k--) {
    const r = regions[k]!;
    if (!CONNECTED.test(t.slice(r.end, next.start))) break;
    values.unshift(r.value);
    next = r;
  }
  return { value: values.join(', '), end: text.length - t.length + last.end };
}

/**
 * A choice letter named in prose after it, without an answer marker: `Option D is correct.`, `(D) is the
 * correct answer`, `I choose A`. The last one wins; looks at the last 2,000 characters.
 */
function choiceInProse(text: string): string | null {
  const t = text.slice(-2000);
  const re =
    /(?:^|[\s(*])(?:(?:option|choice)\s+)?(?:\(([A-H])\)|([A-H]))\s+is\s+(?:the\s+)?(?:correct|right|best)\b|\bI\s+(?:choose|pick|select)\s+(?:option\s+)?\(?([A-H])\)?(?![A-Za-z])/g;
  let last: string | null = null;
  for (let m = re.exec(t); m !== null; m = re.exec(t)) last = m[1] ?? m[2] ?? m[3] ?? last;
  return last;
}

/** A plain number, optionally a simple fraction `2/3` or a percent `37.5%`, written in prose. */
/** Thousands separators may be LaTeX's `{,}` (`\$1{,}250` is 1250, not 250). */
const NUMBER = /-?\d(?:[\d,]|\{,\})*(?:\.\d+)?(?:\s*\/\s*\d+(?:\.\d+)?)?|-?\.\d+/g;
/** A percent sign right after a number in prose belongs to it (`or 37.5%` is 0.375, not 37.5). */
const PERCENT_AFTER = /^\s?\\?%/;

function cleanNumber(s: string): string {
  return s
    .replace(/\{,\}/g, ',')
    .replace(/,(?=\d{3}(?!\d))/g, '')
    .replace(/,+$/, '');
}

function lastNumber(text: string): { value: string; end: number } | null {
  const t = tail(text);
  let last: RegExpExecArray | null = null;
  const re = new RegExp(NUMBER);
  for (let m = re.exec(t); m !== null; m = re.exec(t)) last = m;
  if (last === null) return null;
  const after = last.index + last[0].length;
  const pct = PERCENT_AFTER.exec(t.slice(after, after + 3));
  const value = cleanNumber(last[0]) + (pct ? '\\%' : '');
  return { value, end: text.length - t.length + after + (pct ? pct[0].length : 0) };
}

function firstNumber(s: string): string | null {
  const m = /-?\\frac\{\d+\}\{\d+\}/.exec(s);
  const n = new RegExp(NUMBER).exec(s);
  // Whichever comes first: a LaTeX fraction or a plain number.
  const first = m && n ? (m.index <= n.index ? m : n) : (m ?? n);
  return first ? cleanNumber(first[0]) : null;
}

/**
 * A multiple-choice letter, tried before everything else when the task says the answer is a letter:
 * the first letter after an answer marker (`the answer is for sure D`), a boxed letter, a letter opening
 * the text (`D. it can't be A`, `B。不是 A`), else the last letter standing alone.
 */
function findChoice(text: string, choices: string): Found | null {
  const t = tail(text);
  const set = choices.toUpperCase();
  const letter = String.raw`\(?([A-Z])\)?(?=$|[^A-Za-z])`;
  const standalone = new RegExp(String.raw`(?:^|[\s(*:{])${letter}`, 'g');
  const ok = (m: RegExpExecArray | null): string | null => (m?.[1] && set.includes(m[1]) ? m[1] : null);
  const markers = /(?:final answer|answer|réponse|答案)[^\n]{0,20}?(?:is|est|:|：|是)?\s*/gi;
  let fromMarker: string | null = null;
  for (let m = markers.exec(t); m !== null; m = markers.exec(t)) {
    const win = t.slice(m.index + m[0].length, m.index + m[0].length + 50);
    standalone.lastIndex = 0;
    for (let x = standalone.exec(win); x !== null; x = standalone.exec(win)) {
      const l = ok(x);
      if (l) {
        fromMarker = l;
        break;
      }
    }
  }
  if (fromMarker) return { value: fromMarker, rule: 'choice' };
  const boxed = lastBoxed(t);
  const b =
    boxed !== null &&
    boxed.value !== null &&
    ok(/^\s*(?:\\text\{)?\s*\(?([A-Za-z])\)?\s*\}?(?:[.:)\s]|$)/.exec(boxed.value.toUpperCase()));
  if (b) return { value: b, rule: 'choice' };
  const start = ok(new RegExp(String.raw`^\s*(?:\*\*)?${letter}`).exec(t));
  if (start) return { value: start, rule: 'choice' };
  let last: string | null = null;
  standalone.lastIndex = 0;
  for (let m = standalone.exec(t); m !== null; m = standalone.exec(t)) last = ok(m) ?? last;
  return last ? { value: last, rule: 'choice' } : null;
}
