// Reward from the sample's own token log-probabilities (mean per token): needs no model, so reward
// strategies work out of the box; weak as a verifier, and the metadata names it.
import type { SampleScorer } from './services.ts';

export const meanLogprobScorer: SampleScorer = {
  id: 'logprob',
  needsLogprobs: true,
  async scoreSamples(_prompt, samples) {
    return samples.map((s) => {
      const lp = s.logprobs;
      if (!lp || lp.length === 0) return Number.NaN;
      let sum = 0;
      for (const v of lp) sum += v;
      return sum / lp.length;
    });
  },
};
