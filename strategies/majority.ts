import { defineStrategy } from './define.ts';
import { byVotes } from './rank.ts';

/** Top-k clusters by vote count n_c (self-consistency, Pass@k form). Never asks for a reward. */
export const majority = defineStrategy({
  name: 'majority',
  aliases: ['maj'],
  options: ['adaptive'],
  description: 'top-k answers by number of votes; no reward model',
  rewards: 'none',
  async rank({ candidates }) {
    return { order: byVotes(candidates) };
  },
});
