// Third blind round of held-out pairs (heldout-third.txt: written without reading heldout-style.txt or
// heldout-blind.txt, only their family headers, and before running them).
import { readFileSync } from 'node:fs';
import { readHeldout } from './heldout-style.ts';
import { describePairs } from './pairs-check.ts';

const THIRD_FILE = new URL('./heldout-third.txt', import.meta.url);
describePairs(
  'third blind held-out pairs',
  readHeldout(readFileSync(THIRD_FILE, 'utf8'), 'heldout-third.txt'),
  {
    pairs: 200,
    different: 60,
    families: 15,
  },
);
