import { defineStrategy } from './define.ts';
import { rankDescending } from './rank.ts';

/**
 * Top-k clusters by cluster reward R_c (mean of member rewards by default), one submission per
 * distinct answer: the paper's code definition, not the per-response argmax.
 */
export const bestOfN = defineStrategy({
  name: 'best-of-n',
  aliases: ['bon'],
  options: ['aggregate', 'adaptive'],
  description: 'top-k answers by aggregated reward; scores every sample',
  rewards: 'all',
  async rank({ candidates, rewards }) {
    const r = await rewards(candidates);
    return { order: rankDescending(candidates, (c) => r.get(c.id)!) };
  },
});
