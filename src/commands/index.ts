// The `bom` subcommands, loaded lazily so `bom --help` and small commands start fast.
import type { SubCommandsDef } from 'citty';

export const commands: SubCommandsDef = {
  demo: () => import('./demo.ts').then((m) => m.default),
};
