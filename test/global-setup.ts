// Builds the tiny reward models once per `vitest run`, before any worker starts, so parallel test
// files never race on the files (test/fixtures/build-tiny-rm.ts is the source of truth).
import { ensureTinyModels } from './fixtures/build-tiny-rm.ts';

export default function setup(): void {
  ensureTinyModels();
}
