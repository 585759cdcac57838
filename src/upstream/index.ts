// Upstreams: the `Upstream` interface and its implementations (the OpenAI-compatible HTTP client, the
// embedded local model, the replay), how one is chosen, and how N samples are drawn from one (fan-out,
// waves for adaptive sampling, streamed samples for online termination). The only door to the folder.
export { type UpstreamChoice, chooseUpstream, probeUpstream } from './choose.ts';
export { contentText } from './content.ts';
export { normaliseUpstreamError } from './errors.ts';
export * from './fanout.ts';
export { LocalGenerator, type LocalGeneratorOptions } from './local/generator.ts';
export { LocalUpstream, type LocalUpstreamOptions } from './local/local-upstream.ts';
export { createOpenAIUpstream, type OpenAIUpstreamOptions } from './openai-client.ts';
export * from './replay/index.ts';
export * from './streamed.ts';
export { timeoutSignal } from './timeout-signal.ts';
export * from './types.ts';
export * from './waves.ts';
