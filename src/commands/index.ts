// The `bom` subcommands, loaded lazily so `bom --help` and small commands start fast.
import type { SubCommandsDef } from 'citty';

export const commands: SubCommandsDef = {
  answers: () => import('./answers.ts').then((m) => m.default),
  demo: () => import('./demo.ts').then((m) => m.default),
};
