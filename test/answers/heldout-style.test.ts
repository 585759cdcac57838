// Held-out-style pairs (heldout-style.txt, written independently of the public yardstick).
import { readHeldout } from './heldout-style.ts';
import { describePairs } from './pairs-check.ts';

describePairs('held-out-style pairs', readHeldout(), { pairs: 300, different: 100, families: 20 });
