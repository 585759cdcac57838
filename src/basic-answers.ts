// A minimal AnswerService (last \boxed{}, else the last number; exact-key clustering) used until
// src/answers provides the real extraction and equivalence; wiring swaps one import.
import { clusterByKey } from './answers/cluster.ts';
import type { AnswerService } from './services.ts';
import type { Answer } from './types.ts';

function lastBoxed(text: string): string | null {
  const at = text.lastIndexOf('\\boxed{');
  if (at < 0) return null;
  let depth = 0;
  for (let i = at + 6; i < text.length; i++) {
    if (text[i] === '{') depth++;
    else if (text[i] === '}' && --depth === 0) return text.slice(at + 7, i);
  }
  return null;
}

export function basicExtract(text: string): Answer {
  const boxed = lastBoxed(text);
  if (boxed !== null) return { value: boxed, key: boxed.replace(/\s+/g, ''), rule: 'boxed' };
  const nums = text.match(/-?\d[\d,]*(?:\.\d+)?/g);
  const last = nums?.[nums.length - 1];
  if (last) return { value: last, key: last.replace(/,/g, ''), rule: 'last-number' };
  return { value: null, key: null, rule: 'none' };
}

export const basicAnswers: AnswerService = {
  extract: basicExtract,
  cluster: (answers, options) => clusterByKey(answers, options),
};
