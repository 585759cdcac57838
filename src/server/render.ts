// OpenAI-shaped responses from a selection run: k choices (each its cluster representative's own
// message and finish_reason), per-choice and top-level `selection` metadata, honest usage.
import type { UpstreamSample } from '../upstream/index.ts';
import type { Json } from '../upstream/index.ts';
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
      confidence: c.confidence,
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
          confidence: cluster?.frequency ?? 0,
          representative: at(p).index,
          samples: [at(p).index],
          padded: true,
        },
      });
    }
  }
  return plan.minAgreement === undefined ? out : out.map((r) => abstainBelow(r, plan.minAgreement!));
}

/**
 * `selection.min_agreement` (docs/confidence.md): a choice whose confidence is below it abstains. A plain
 * OpenAI client sees an ordinary choice whose text says bom abstained and why, with the same sentence in
 * `message.refusal` (the standard field for an answer withheld) and `finish_reason: 'stop'`; the
 * metadata says `abstained: true` and keeps the withheld answer and its confidence.
 */
export function abstainBelow(r: RenderedChoice, minAgreement: number): RenderedChoice {
  const confidence = typeof r.selection['confidence'] === 'number' ? r.selection['confidence'] : 0;
  if (confidence >= minAgreement) return r;
  const text = `bom abstained: the leading answer has confidence ${round3(confidence)}, below min_agreement ${minAgreement}.`;
  const { reasoning: _withheld, ...rest } = r.sample;
  return {
    sample: {
      ...rest,
      text,
      finishReason: 'stop',
      choice: {
        index: r.sample.choice['index'] ?? 0,
        message: { role: 'assistant', content: text, refusal: text },
        text,
        finish_reason: 'stop',
        logprobs: null,
      },
    },
    selection: { ...r.selection, abstained: true, abstention: text },
  };
}

const round3 = (x: number) => Math.round(x * 1000) / 1000;

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
      // score_members: members scored (0 with reward null: this cluster's reward was not needed).
      ...(c.scored !== undefined ? { scored: c.scored } : {}),
      samples: result.clustering.clusters[c.id]!.members.map(idx),
    })),
    ...(run.adaptive
      ? {
          stopped_early: run.adaptive.waves.stopped,
          stop: stopMeta(run.adaptive, fan.samples.length),
        }
      : {}),
    ...(run.online ? { online: run.online.meta } : {}),
    fallback: result.selection.fallback,
    reason: result.selection.reason,
    confidence_basis: result.selection.confidenceBasis,
    ...(plan.minAgreement !== undefined ? { min_agreement: plan.minAgreement } : {}),
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

/**
 * Asks the upstream for what the scorer reads (docs/confidence.md): `logprobs` when it reads token
 * logprobs, and `top_logprobs: k` (completions: `logprobs: k`) when it reads token distributions. A
 * client's own request is kept, raised to k when smaller; `clientLogprobsView` cuts the answer back.
 */
export function askForLogprobs(
  body: Json,
  endpoint: 'chat' | 'completion',
  scorer: { needsLogprobs?: boolean; topLogprobs?: number } | null,
): void {
  if (!scorer?.needsLogprobs) return;
  const k = scorer.topLogprobs ?? 0;
  if (endpoint === 'chat') {
    body['logprobs'] = true;
    const own = typeof body['top_logprobs'] === 'number' ? body['top_logprobs'] : 0;
    if (k > own) body['top_logprobs'] = k;
  } else {
    const own = typeof body['logprobs'] === 'number' ? body['logprobs'] : 0;
    body['logprobs'] = Math.max(own, k, 1);
  }
}

/**
 * The logprobs a client sees: none unless it asked, and at most the `top_logprobs` it asked for
 * (bom may have asked the upstream for more, for its confidence scorers).
 */
export function clientLogprobsView(
  logprobs: unknown,
  endpoint: 'chat' | 'completion',
  asked: { logprobs: boolean; top: number },
): unknown {
  if (!asked.logprobs) return null;
  if (logprobs === null || typeof logprobs !== 'object') return logprobs ?? null;
  const lp = logprobs as Json;
  if (endpoint === 'chat') {
    const content = lp['content'];
    if (!Array.isArray(content)) return lp;
    return {
      ...lp,
      content: content.map((t) => {
        const top = (t as Json | null)?.['top_logprobs'];
        return Array.isArray(top) && top.length > asked.top
          ? { ...(t as Json), top_logprobs: top.slice(0, asked.top) }
          : t;
      }),
    };
  }
  const top = lp['top_logprobs'];
  if (!Array.isArray(top)) return lp;
  return {
    ...lp,
    top_logprobs: top.map((d) => {
      if (!d || typeof d !== 'object') return d;
      const entries = Object.entries(d as Record<string, number>);
      if (entries.length <= asked.top) return d;
      return Object.fromEntries(entries.sort((a, b) => b[1] - a[1]).slice(0, asked.top));
    }),
  };
}
