import { defineStrategy } from './define.ts';
import { rankDescending } from './rank.ts';

/**
 * Top-k clusters by the sum of member rewards. Rewards are raw reward-model logits, so with negative
 * scores a large cluster is penalised: that is the definition (the sum, not the mean), kept exact on purpose.
 */
export const weightedMajority = defineStrategy({
  name: 'weighted-majority',
  aliases: ['wmaj'],
  options: ['adaptive'],
  description: 'top-k answers by the sum of member rewards; scores every sample',
  rewards: 'all',
  aggregate: 'sum',
  async rank({ candidates, rewards }) {
    const r = await rewards(candidates);
    return { order: rankDescending(candidates, (c) => r.get(c.id)!) };
  },
});
