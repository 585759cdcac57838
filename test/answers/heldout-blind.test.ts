// Blind held-out pairs (heldout-blind.txt: written without reading heldout-style.txt and before running
// them: an unbiased estimate when written).
import { readBlind } from './heldout-style.ts';
import { describePairs } from './pairs-check.ts';

describePairs('blind held-out pairs', readBlind(), { pairs: 300, different: 60, families: 15 });
