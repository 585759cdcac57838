// OpenAI-shaped responses from a selection run: k choices (each its cluster representative's own
// message and finish_reason), per-choice and top-level `selection` metadata, honest usage.
import type { UpstreamSample } from '../upstream/fanout.ts';
import type { Json } from '../upstream/types.ts';
import type { SelectionPlan } from './request.ts';
import type { SelectRun } from './run.ts';
import { stopMeta } from './adaptive.ts';

export interface Usage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
}

/** Every sample's tokens, as OpenAI bills `n` and `best_of`: what was sent upstream, all of it. */
export function usageOf(runs: readonly SelectRun[]): Usage {
  let prompt = 0;
  let completion = 0;
  for (const r of runs)
    for (const c of r.fan.calls) {
      prompt += c.prompt_tokens;
      completion += c.completion_tokens;
    }
  return { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion };
}

export interface RenderedChoice {
  sample: UpstreamSample;
  selection: Json;
}

/** The chosen samples in rank order, with per-choice metadata; sample indices are fan-out indices. */
export function chosenSamples(run: SelectRun, plan: SelectionPlan, pad: boolean): RenderedChoice[] {
  const { samples } = run.fan;
  const { selection } = run.result;
  const at = (pos: number) => samples[pos]!;
  const out: RenderedChoice[] = selection.chosen.map((c) => ({
    sample: at(c.representative),
    selection: {
      answer: c.cluster.answer,
      cluster: c.cluster.id,
      votes: c.votes,
      frequency: c.frequency,
      reward: c.reward,
      representative: at(c.representative).index,
      samples: c.cluster.members.map((p) => at(p).index),
    },
  }));
  if (pad && out.length < plan.k) {
    // /v1/completions promises n choices per prompt (index = prompt_i * n + j): fill with the next
    // samples of the chosen clusters, then the rest in fan-out order, marked `padded`.
    const used = new Set(selection.chosen.map((c) => c.representative));
    const order = [...selection.chosen.flatMap((c) => c.cluster.members), ...samples.map((_, p) => p)].filter(
      (p) => !used.has(p),
    );
    for (const p of order) {
      if (out.length >= plan.k) break;
      if (used.has(p)) continue;
      used.add(p);
      const cluster = run.result.clustering.clusters.find((c) => c.members.includes(p));
      out.push({
        sample: at(p),
        selection: {
          answer: cluster?.answer ?? null,
          cluster: cluster?.id ?? null,
          votes: cluster?.count ?? 0,
          frequency: cluster?.frequency ?? 0,
          reward: null,
          representative: at(p).index,
          samples: [at(p).index],
          padded: true,
        },
      });
    }
  }
  return out;
}

const round = (x: number) => Math.round(x * 100) / 100;

/** The top-level `selection` object for one prompt. */
export function selectionMeta(run: SelectRun, plan: SelectionPlan): Json {
  const { fan, result } = run;
  const idx = (pos: number) => fan.samples[pos]!.index;
  const truncated = fan.samples.filter((s) => s.finishReason === 'length').length;
  return {
    strategy: plan.strategy,
    options: { k: plan.k, ...plan.options },
    samples: {
      requested: fan.requested,
      succeeded: fan.samples.length,
      failed: fan.failures.length,
      truncated,
    },
    failures: fan.failures.map((f) => ({
      index: f.index,
      kind: f.error.kind,
      status: f.error.status,
      code: f.error.code,
    })),
    clusters: result.selection.clusters.map((c) => ({
      id: c.id,
      answer: c.answer,
      votes: c.votes,
      frequency: c.frequency,
      reward: c.reward,
      eligible: c.eligible,
      samples: result.clustering.clusters[c.id]!.members.map(idx),
    })),
    ...(run.adaptive
      ? {
          stopped_early: run.adaptive.waves.stopped,
          stop: stopMeta(run.adaptive, fan.samples.length),
        }
      : {}),
    fallback: result.selection.fallback,
    reason: result.selection.reason,
    ...(plan.greedy
      ? {
          greedy: {
            ...plan.greedy,
            note: 'temperature 0 (greedy decoding) gives identical samples: drew k instead of the default N; name selection.samples to force N',
          },
        }
      : {}),
    ...(result.clustering.degraded?.length ? { degraded: result.clustering.degraded } : {}),
    scorer: result.scored > 0 ? run.scorerId : null,
    scored_samples: result.scored,
    upstream: { mode: fan.mode, n_fallback: fan.nFallback, calls: fan.calls.length },
    timings: {
      sampling_ms: round(run.samplingMs),
      ...result.timings,
      // Adaptive runs score while sampling: that time is inside sampling_ms, and reported here too.
      ...(run.adaptive ? { score_ms: round(result.timings.score_ms + run.adaptive.scoreMs) } : {}),
    },
    usage: {
      ...usageOf([run]),
      judge_tokens: 0,
      calls: fan.calls,
    },
  };
}
