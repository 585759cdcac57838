// The `bom` subcommands, loaded lazily so `bom --help` and small commands start fast.
import type { CommandDef } from 'citty';

type Lazy = () => Promise<CommandDef>;

export const commands: Record<string, Lazy> = {
  demo: () => import('./demo.ts').then((m) => m.default as CommandDef),
  serve: () => import('./serve.ts').then((m) => m.default as CommandDef),
  replay: () => import('./replay.ts').then((m) => m.default as CommandDef),
};
