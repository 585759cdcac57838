// The `bom` subcommands, loaded lazily so `bom --help` and small commands start fast.
import type { CommandMeta, SubCommandsDef } from 'citty';

export const commands = {
  answers: () => import('./answers.ts').then((m) => m.default),
  demo: () => import('./demo.ts').then((m) => m.default),
  replay: () => import('./replay.ts').then((m) => m.default),
  serve: () => import('./serve.ts').then((m) => m.default),
  eval: () => import('./eval.ts').then((m) => m.default),
  ab: () => import('./ab.ts').then((m) => m.default),
  simulate: () => import('./simulate.ts').then((m) => m.default),
  sample: () => import('./sample.ts').then((m) => m.default),
  score: () => import('./score.ts').then((m) => m.default),
} satisfies SubCommandsDef;

/**
 * What `bom --help` lists: each command's name and description, without loading its module (citty's
 * usage would import every command, and with them hono, openai, prom-client…). Each description is the
 * one in the command's own `meta`; test/cli-build.test.ts keeps the two equal.
 */
export const summaries: Record<keyof typeof commands, CommandMeta> = {
  answers: { name: 'answers', description: 'Extract final answers and check equivalence (JSONL on stdin)' },
  demo: { name: 'demo', description: "Compare the strategies on the BoM paper's synthetic constructions" },
  replay: {
    name: 'replay',
    description: 'An OpenAI-compatible upstream that serves recorded samples, with fault injection',
  },
  serve: { name: 'serve', description: 'Run the OpenAI-compatible selection server' },
  eval: {
    name: 'eval',
    description: 'Pass@k of selection strategies over a grid of N and k, with bootstrap CIs',
  },
  ab: {
    name: 'ab',
    description:
      'Paired A/B of two strategies or option sets: difference, paired bootstrap CI, exact sign test',
  },
  simulate: {
    name: 'simulate',
    description:
      'A simulated benchmark (answer distribution and reward-model error set by parameters): evaluate it, or write it as a sample store',
  },
  sample: {
    name: 'sample',
    description:
      'Draw N samples per benchmark problem from an OpenAI-compatible upstream into a resumable store',
  },
  score: { name: 'score', description: 'Add reward-model scores to a sample file (cached, resumable)' },
};
