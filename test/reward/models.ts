// Paths of the tiny models built by test/global-setup.ts.
import { join } from 'node:path';
import { GENERATED_DIR } from '../fixtures/build-tiny-rm.ts';

export const TINY_BERT = join(GENERATED_DIR, 'tiny-bert-rm');
export const TINY_QWEN3 = join(GENERATED_DIR, 'tiny-qwen3-rm');
