// The `bom` subcommands, loaded lazily so `bom --help` and small commands start fast.
import type { CommandDef } from 'citty';

type Lazy = () => Promise<CommandDef>;

export const commands: Record<string, Lazy> = {
  answers: () => import('./answers.ts').then((m) => m.default),
  demo: () => import('./demo.ts').then((m) => m.default),
};
