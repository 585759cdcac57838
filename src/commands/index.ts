// The `bom` subcommands, loaded lazily so `bom --help` and small commands start fast.
import type { SubCommandsDef } from 'citty';

export const commands: SubCommandsDef = {
  answers: () => import('./answers.ts').then((m) => m.default),
  demo: () => import('./demo.ts').then((m) => m.default),
  replay: () => import('./replay.ts').then((m) => m.default),
  serve: () => import('./serve.ts').then((m) => m.default),
  eval: () => import('./eval.ts').then((m) => m.default),
  ab: () => import('./ab.ts').then((m) => m.default),
  simulate: () => import('./simulate.ts').then((m) => m.default),
  sample: () => import('./sample.ts').then((m) => m.default),
  score: () => import('./score.ts').then((m) => m.default),
};
