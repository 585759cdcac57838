// The voting rule: which samples vote and what each one answers. One home for it, called by the
// server's pipeline and by offline evaluation, so both choose from the same votes.
//
// - A sample answers what extraction finds in its text; when the text has none, in its separate
//   reasoning (`reasoning_content`, as vLLM's reasoning parsers send it).
// - A truncated sample (finish_reason `length`) was cut off mid-thought: its "answer" is whatever it
//   was writing. It does not vote while a complete sample exists among the voters; it still counts in
//   N, in the "no answer" cluster. When every sample was truncated they all vote (something beats
//   nothing, and the response says so through the finish reasons).
// - A sample with no answer joins the single "no answer" cluster, which counts in N and is never
//   chosen while any answered cluster exists (strategies/define.ts).
import type { Answer } from '../core/index.ts';
import type { AnswerService } from './answers.ts';

/** What one sample brings to the vote, before the truncation rule is applied. */
export interface Ballot {
  /** The sample's own answer (from its text, else its reasoning). */
  readonly answer: Answer;
  /** Cut off by the length limit. */
  readonly truncated: boolean;
}

/** The answer a voided (truncated, outvoted by complete samples) sample casts. */
export const VOIDED: Answer = { value: null, key: null, rule: 'truncated' };

/** The fields of a sample the voting rule reads (an upstream sample and a stored one both fit). */
export interface VotingSample {
  readonly text: string;
  readonly reasoning?: string | undefined;
  readonly finishReason: string | null | undefined;
}

export function readBallot(sample: VotingSample, answers: AnswerService): Ballot {
  const answer = answers.extract(
    sample.text,
    sample.reasoning !== undefined ? { reasoning: sample.reasoning } : undefined,
  );
  return { answer, truncated: sample.finishReason === 'length' };
}

/**
 * Whether truncated samples are voided among `voters` samples of which `truncated` were cut off:
 * yes while at least one complete sample votes.
 */
export function voidsTruncated(truncated: number, voters: number): boolean {
  return truncated > 0 && truncated < voters;
}

/** The answers that vote, in sample order: the truncation rule applied to the ballots. */
export function castVotes(ballots: readonly Ballot[]): Answer[] {
  let truncated = 0;
  for (const b of ballots) if (b.truncated) truncated++;
  const voiding = voidsTruncated(truncated, ballots.length);
  return ballots.map((b) => (voiding && b.truncated ? VOIDED : b.answer));
}

/** Positions of the truncated ballots (representatives avoid them when a complete member exists). */
export function truncatedPositions(ballots: readonly Ballot[]): ReadonlySet<number> | undefined {
  const out = new Set<number>();
  ballots.forEach((b, i) => {
    if (b.truncated) out.add(i);
  });
  return out.size > 0 ? out : undefined;
}
