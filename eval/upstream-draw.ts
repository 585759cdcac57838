// The production DrawFn: the server's fan-out (src/upstream) against any OpenAI-compatible upstream,
// with its retries, per-sample timeout and n / parallel detection. Sample i is sent with `seed + i`
// (one by one), so drawing only the missing indices of a partial pool sends the seeds they always had.
import { roundConfidence } from '../src/core/index.ts';
import { fanOut, type FanOutSettings, type NMode, type UpstreamSample } from '../src/upstream/index.ts';
import type { Upstream } from '../src/upstream/index.ts';
import type { BenchmarkProblem } from './benchmarks.ts';
import type { DrawFn } from './sampler.ts';

export interface UpstreamDrawOptions {
  upstream: Upstream;
  model: string;
  /** Sent as the first message when the problem has no messages of its own. */
  system?: string;
  /** Extra body fields: temperature, top_p, max_tokens, seed, vendor fields. */
  params: Record<string, unknown>;
  settings: FanOutSettings;
  /** Also store the full top-k lists per token (default: only the compact `token_confidence`). */
  keepTopLogprobs?: boolean;
}

export function messagesFor(problem: BenchmarkProblem, system: string | undefined) {
  if (problem.messages && problem.messages.length > 0) return problem.messages;
  return [
    ...(system ? [{ role: 'system', content: system }] : []),
    { role: 'user', content: problem.prompt ?? '' },
  ];
}

export function upstreamDraw(o: UpstreamDrawOptions): DrawFn {
  const modes = new Map<string, NMode>();
  return async (problem, indices, signal) => {
    const result = await fanOut({
      upstream: o.upstream,
      endpoint: 'chat',
      body: { model: o.model, messages: messagesFor(problem, o.system), ...o.params },
      samples: indices.length,
      indices,
      settings: o.settings,
      modes,
      signal,
    });
    // Token counts per sample are known only when a call produced exactly one sample.
    const tokensOf = new Map<number, number>();
    for (const call of result.calls) {
      if (call.samples.length === 1) tokensOf.set(call.samples[0]!, call.completion_tokens);
    }
    const last = result.failures[result.failures.length - 1];
    return {
      samples: result.samples.map((s) => ({
        text: s.text,
        finish_reason: s.finishReason,
        ...(s.reasoning !== undefined ? { reasoning_content: s.reasoning } : {}),
        ...(tokensOf.has(s.index) ? { completion_tokens: tokensOf.get(s.index)! } : {}),
        ...confidenceFields(s, o.keepTopLogprobs === true),
      })),
      indices: result.samples.map((s) => s.index),
      failures: result.failures.length,
      ...(last ? { lastError: last.error.message } : {}),
      promptTokens: result.calls.reduce((s, c) => s + c.prompt_tokens, 0),
      completionTokens: result.calls.reduce((s, c) => s + c.completion_tokens, 0),
      model: result.model,
    };
  };
}

/**
 * What the store keeps of a sample's token distributions (docs/confidence.md): C_t and self-certainty per
 * token, rounded to 3 decimals (≈ 6 bytes a token instead of ≈ 1 KB for 20 entries); the full top-k
 * lists only on request.
 */
export function confidenceFields(s: UpstreamSample, keepTop: boolean) {
  if (!s.tokenConfidence) return {};
  const content = (s.choice['logprobs'] as Record<string, unknown> | null | undefined)?.['content'];
  const top =
    keepTop && Array.isArray(content)
      ? content.map((t) =>
          (
            ((t as Record<string, unknown>)['top_logprobs'] as { token?: unknown; logprob?: unknown }[]) ?? []
          ).map((e) => ({ token: String(e.token ?? ''), logprob: Number(e.logprob) })),
        )
      : undefined;
  return {
    token_confidence: roundConfidence(s.tokenConfidence),
    ...(s.tokenSelfCertainty ? { token_self_certainty: roundConfidence(s.tokenSelfCertainty) } : {}),
    ...(top ? { top_logprobs: top } : {}),
  };
}
