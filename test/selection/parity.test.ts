// One code path, proved: the same recorded samples through the server (replay upstream, official
// SDK) and through offline evaluation (`evaluate`, what `bom eval` runs) choose the same clusters,
// with the same representatives, for every strategy and k — truncated, all-truncated,
// reasoning-only and unanswered samples included.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluate, parseArm, type ProblemRecord } from '../../eval/index.ts';
import { selectionKey } from '../../eval/grid.ts';
import { createRng, type Selection } from '../../src/core/index.ts';
import { LogprobScorer } from '../../src/reward/index.ts';
import { offlineMathAnswers } from '../../src/selection/index.ts';
import { strategies } from '../../strategies/index.ts';
import { ask, type Loose, type Stack, sel, startStack } from '../server/harness.ts';

type Sample = ProblemRecord['samples'][number];
const s = (text: string, logprobs: number[], extra: Partial<Sample> = {}): Sample => ({
  text,
  finish_reason: 'stop',
  logprobs,
  // Token confidences for deepconf (served by the replay as top logprobs), 3 decimals as stored.
  token_confidence: logprobs.map((x, t) => Math.round((1 - x) * (3 + t) * 1000) / 1000),
  ...extra,
});
const cut = { finish_reason: 'length' } as const;

/** Hand-written cases: each names the rule it pins down. */
const cases: ProblemRecord[] = [
  {
    // The example: two truncated samples answering 5 do not outvote one complete 7.
    id: 'truncated-minority',
    prompt: 'Which is it, 5 or 7? (parity)',
    gold: '7',
    samples: [
      s('So far \\boxed{5', [-0.1], cut),
      s('It is \\boxed{5} and then', [-0.2], cut),
      s('It is \\boxed{7}', [-0.9]),
    ],
  },
  {
    id: 'all-truncated',
    prompt: 'Every sample was cut (parity)',
    gold: '3',
    samples: [
      s('\\boxed{3} so far', [-0.5], cut),
      s('maybe \\boxed{4} but', [-0.1], cut),
      s('\\boxed{3} and more', [-0.3], cut),
    ],
  },
  {
    id: 'reasoning-only',
    prompt: 'Reasoning carries the answer (parity)',
    gold: '12',
    samples: [
      s('Done, see above.', [-0.4], { reasoning_content: '3*4 = \\boxed{12}' }),
      s('It is \\boxed{13}', [-0.1], { reasoning_content: 'I think \\boxed{12}' }),
      s('Done.', [-0.2], { reasoning_content: 'so \\boxed{12}' }),
      s('no idea', [-0.05]),
    ],
  },
  {
    id: 'unanswered',
    prompt: 'Nobody answers (parity)',
    gold: '1',
    samples: [s('hmm', [-0.3]), s('well', [-0.2], cut), s('no', [-0.1])],
  },
];

/** Seeded random problems: answers from a small set, random truncation, reasoning and logprobs. */
function generated(count: number, seed: number): ProblemRecord[] {
  const rng = createRng(seed);
  const values = ['1', '2', '\\frac12', '0.5', '3'];
  return Array.from({ length: count }, (_, p) => {
    const n = 3 + rng.int(8);
    const samples = Array.from({ length: n }, () => {
      const v = values[rng.int(values.length)]!;
      const where = rng.int(5);
      const text = where === 0 ? 'no answer here' : where === 1 ? 'see reasoning' : `answer \\boxed{${v}}`;
      return s(text, [-(rng.next() * 2), -(rng.next() * 2)], {
        ...(rng.next() < 0.25 ? cut : {}),
        ...(where === 1 ? { reasoning_content: `so \\boxed{${v}}` } : {}),
      });
    });
    return {
      id: `gen-${p}`,
      prompt: `Generated problem ${p} (parity)`,
      gold: values[rng.int(values.length)]!,
      samples,
    };
  });
}

const problems = [...cases, ...generated(16, 7)];
const ks = [1, 2, 3];

/** Offline rewards are what the server's logprob scorer computes from the same logprobs. */
async function withRewards(records: ProblemRecord[]): Promise<ProblemRecord[]> {
  const scorer = new LogprobScorer();
  return Promise.all(
    records.map(async (r) => {
      const rewards = await scorer.score({ prompt: r.prompt ?? '' }, r.samples as { text: string }[]);
      return { ...r, samples: r.samples.map((x, i) => ({ ...x, reward: rewards[i]! })) };
    }),
  );
}

interface Choice {
  answer: string | null;
  representative: number;
  samples: number[];
}

let stack: Stack;
let offline: Awaited<ReturnType<typeof evaluate>>;
let scored: ProblemRecord[];
const arms = [...strategies.values()].map((st) => parseArm(st.name));

beforeAll(async () => {
  scored = await withRewards(problems);
  stack = await startStack({ problems, config: { selection: { scorer: 'logprob' } } });
  offline = await evaluate(
    scored,
    arms,
    // N = the whole pool gives one trial in recorded order: the draw the server sees with seed 0.
    {
      Ns: [...new Set(problems.map((p) => p.samples.length))],
      ks,
      trials: 1,
      seed: 1,
      mode: 'extract',
      answers: offlineMathAnswers,
      keepSelections: true,
    },
  );
});
afterAll(() => stack.close());

async function served(problem: ProblemRecord, strategy: string, k: number): Promise<Choice[]> {
  const res = (await stack.client.chat.completions.create({
    model: 'replay-model',
    messages: ask(problem.prompt!),
    n: k,
    seed: 0,
    ...sel({ strategy, samples: problem.samples.length }),
  })) as unknown as Loose;
  return servedChoices(res);
}

/** The choices of a served response, as the comparisons read them. */
function servedChoices(res: Loose): Choice[] {
  return res['choices'].map((c: Loose) => ({
    answer: c['selection'].answer,
    representative: c['selection'].representative,
    samples: c['selection'].samples,
  }));
}

/** The first k choices of an offline selection, as the comparisons read them. */
function offlineChoices(selection: Selection, k: number): Choice[] {
  return selection.chosen.slice(0, k).map((c) => ({
    answer: c.cluster.answer,
    representative: c.representative,
    samples: [...c.cluster.members],
  }));
}

/**
 * One arm run on its own at one k: `bom eval` over every problem (the whole pool, recorded order), then
 * each problem served with the same k and options; yields the served response, the offline selection
 * and a label for assertions.
 */
async function perK(
  spec: string,
  strategy: string,
  options: Record<string, unknown>,
  k: number,
): Promise<{ res: Loose; offline: Selection; where: string; problem: ProblemRecord }[]> {
  const run = await evaluate(scored, [parseArm(spec)], {
    Ns: [...new Set(problems.map((p) => p.samples.length))],
    ks: [k],
    trials: 1,
    seed: 1,
    mode: 'extract',
    answers: offlineMathAnswers,
    keepSelections: true,
  });
  const out = [];
  for (const problem of problems) {
    const res = (await stack.client.chat.completions.create({
      model: 'replay-model',
      messages: ask(problem.prompt!),
      n: k,
      seed: 0,
      ...sel({ strategy, samples: problem.samples.length, ...options }),
    })) as unknown as Loose;
    const offline = run.grid.selections?.get(selectionKey(spec, problem.samples.length, problem.id));
    if (!offline) throw new Error(`no offline selection for ${spec} on ${problem.id}`);
    out.push({ res, offline, where: `${spec} k=${k} on ${problem.id}`, problem });
  }
  return out;
}

function chosenOffline(problem: ProblemRecord, strategy: string, k: number): Choice[] {
  const selection = offline.grid.selections?.get(selectionKey(strategy, problem.samples.length, problem.id));
  if (!selection) throw new Error(`no offline selection for ${strategy} on ${problem.id}`);
  // The grid selects once with k = max k; outputs are nested, so the first k are the top-k.
  return offlineChoices(selection, k);
}

describe('server and bom eval choose the same clusters from the same samples', () => {
  for (const arm of arms) {
    it(arm.label, async () => {
      for (const problem of problems) {
        for (const k of ks) {
          const online = await served(problem, arm.label, k);
          expect(online, `${arm.label} k=${k} on ${problem.id}`).toEqual(
            chosenOffline(problem, arm.label, k),
          );
        }
      }
    });
  }

  it('the truncation rule decides Pass@1 the same way in `bom eval` as online', () => {
    const dir = mkdtempSync(join(tmpdir(), 'bom-parity-'));
    try {
      const file = join(dir, 'store.jsonl');
      writeFileSync(
        file,
        `${scored
          .slice(0, 3)
          .map((r) => JSON.stringify(r))
          .join('\n')}\n`,
      );
      const bin = new URL('../../bin/bom.mjs', import.meta.url).pathname;
      const rows = join(dir, 'per-problem.jsonl');
      execFileSync(
        process.execPath,
        [bin, 'eval', '--samples', file, '--N', '3,4', '--k', '1', '--per-problem', rows],
        {
          encoding: 'utf8',
        },
      );
      // At its whole pool each problem is answered right by majority: by the complete sample when
      // truncated ones are outvoted, by the truncated majority when every sample was cut, from the
      // reasoning when the text has no answer.
      const perProblem = readFileSync(rows, 'utf8')
        .trim()
        .split('\n')
        .map(
          (l) =>
            JSON.parse(l) as { id: string; size: number; results: Record<string, Record<string, number[]>> },
        );
      expect(perProblem.map((r) => r.id)).toEqual(['truncated-minority', 'all-truncated', 'reasoning-only']);
      for (const r of perProblem) expect(r.results['majority']?.[String(r.size)], r.id).toEqual([1]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('cheaper best-of-majority: the server and bom eval score and choose the same', () => {
  // score_members refines until the ranks 1..k are decided, so the top-k of one k is not the prefix of
  // another's (more members scored, other means, another representative): each k is its own run.
  const variants = [
    { spec: 'best-of-majority:score_members=2', options: { score_members: 2 } },
    { spec: 'best-of-majority:score_members=3:alpha=0.3', options: { score_members: 3, alpha: 0.3 } },
  ];
  for (const v of variants) {
    it(v.spec, async () => {
      for (const k of ks) {
        for (const { res, offline, where } of await perK(v.spec, 'best-of-majority', v.options, k)) {
          expect(
            res['choices'].map((c: Loose) => ({
              answer: c['selection'].answer,
              representative: c['selection'].representative,
              samples: c['selection'].samples,
              reward: c['selection'].reward,
            })),
            where,
          ).toEqual(
            offline.chosen.slice(0, k).map((c) => ({
              answer: c.cluster.answer,
              representative: c.representative,
              samples: [...c.cluster.members],
              reward: c.reward,
            })),
          );
          expect(res['selection'].scored_samples, where).toBe(
            offline.clusters.reduce((sum, c) => sum + (c.scored ?? 0), 0),
          );
        }
      }
    });
  }
});

describe('adaptive arms: the server and bom eval stop at the same sample and choose the same', () => {
  // Small pools: a low confidence and min_samples 1 make the rules stop early often.
  const settings = { confidence: 0.7, min_samples: 1 };
  const variants = [
    ...[...strategies.values()].map((st) => ({
      spec: `${st.name}:adaptive=0.7:adaptive_min_samples=1`,
      strategy: st.name,
      adaptive: settings,
    })),
    {
      spec: 'majority:adaptive=0.7:adaptive_min_samples=1:adaptive_rule=predictive',
      strategy: 'majority',
      adaptive: { ...settings, rule: 'predictive' },
    },
    {
      spec: 'majority:adaptive=0.7:adaptive_min_samples=1:adaptive_rule=beta',
      strategy: 'majority',
      adaptive: { ...settings, rule: 'beta' },
    },
    {
      spec: 'majority:adaptive=0.7:adaptive_min_samples=1:adaptive_rule=window:adaptive_window=2',
      strategy: 'majority',
      adaptive: { ...settings, rule: 'window', window: 2 },
    },
  ];
  for (const v of variants) {
    it(v.spec, async () => {
      let early = 0;
      for (const k of ks) {
        const run = await evaluate(scored, [parseArm(v.spec)], {
          Ns: [...new Set(problems.map((p) => p.samples.length))],
          ks: [k],
          trials: 1,
          seed: 1,
          mode: 'extract',
          answers: offlineMathAnswers,
          keepSelections: true,
        });
        for (const problem of problems) {
          const res = (await stack.client.chat.completions.create({
            model: 'replay-model',
            messages: ask(problem.prompt!),
            n: k,
            seed: 0,
            ...sel({ strategy: v.strategy, samples: problem.samples.length, adaptive: v.adaptive }),
          })) as unknown as Loose;
          const offline = run.grid.selections?.get(selectionKey(v.spec, problem.samples.length, problem.id));
          if (!offline) throw new Error(`no offline selection for ${v.spec} on ${problem.id}`);
          const used = offline.clusters.reduce((s, c) => s + c.votes, 0);
          const where = `${v.spec} k=${k} on ${problem.id}`;
          expect(res['selection'].samples.succeeded, where).toBe(used);
          if (res['selection'].stopped_early) early++;
          expect(servedChoices(res), where).toEqual(offlineChoices(offline, k));
        }
      }
      // The comparison covers early stops, not only full pools.
      if (v.strategy === 'majority') expect(early).toBeGreaterThan(0);
    });
  }
});

describe('deepconf online arms: the server streaming loop and bom eval cut the same traces and choose the same', () => {
  const variants = [
    { spec: 'deepconf:warmup=2:keep=50:window=1', options: { warmup: 2, keep: 50, window: 1 } },
    {
      spec: 'deepconf:warmup=3:keep=10:window=2:variant=tail',
      options: { warmup: 3, keep: 10, window: 2, variant: 'tail' },
    },
  ];
  for (const v of variants) {
    it(v.spec, async () => {
      let aborted = 0;
      for (const k of ks) {
        for (const { res, offline, where } of await perK(v.spec, 'deepconf', v.options, k)) {
          aborted += res['selection'].online?.aborted ?? 0;
          expect(res['selection'].samples.succeeded, where).toBe(
            offline.clusters.reduce((s, c) => s + c.votes, 0),
          );
          expect(servedChoices(res), where).toEqual(offlineChoices(offline, k));
        }
      }
      // The comparison covers cut traces, not only whole pools.
      expect(aborted).toBeGreaterThan(0);
    });
  }
});
