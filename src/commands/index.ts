// The `bom` subcommands, loaded lazily so `bom --help` and small commands start fast.
import type { ArgsDef, CommandDef } from 'citty';

type Lazy = () => Promise<CommandDef>;

// citty's CommandDef is invariant in its args; each command keeps its precise type inside its own file.
const lazy =
  <T extends ArgsDef>(load: () => Promise<{ default: CommandDef<T> }>): Lazy =>
  () =>
    load().then((m) => m.default as unknown as CommandDef);

export const commands: Record<string, Lazy> = {
  answers: () => import('./answers.ts').then((m) => m.default),
  demo: () => import('./demo.ts').then((m) => m.default as CommandDef),
  serve: () => import('./serve.ts').then((m) => m.default as CommandDef),
  replay: () => import('./replay.ts').then((m) => m.default as CommandDef),
  eval: lazy(() => import('./eval.ts')),
  ab: lazy(() => import('./ab.ts')),
  simulate: lazy(() => import('./simulate.ts')),
};
