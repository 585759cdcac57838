// Builds the tiny models once per `vitest run`, before any worker starts, so parallel test files
// never race on the files (the build scripts in test/fixtures/ are the source of truth).
import { buildTinyLm, TINY_LM_DIR } from './fixtures/build-tiny-lm.ts';
import { ensureTinyModels } from './fixtures/build-tiny-rm.ts';

export default function setup(): void {
  ensureTinyModels();
  buildTinyLm(TINY_LM_DIR);
}
