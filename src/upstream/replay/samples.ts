// What the replay upstream serves: recorded problems with their samples. A structural view of the
// sample store's record (eval/store.ts), so every recorded-sample file is read by one reader
// (eval's `loadSamples`: the bom store, the Qwen and GSM8K example files) and handed here as is.

export interface RecordedSample {
  readonly text: string;
  /** Defaults to `stop`. */
  readonly finish_reason?: string | null | undefined;
  /** Per-token log-probabilities, served when a request asks for logprobs. */
  readonly logprobs?: readonly number[] | undefined;
  readonly tokens?: readonly string[] | undefined;
  /** Per-token confidence C_t (the store's compact form): served as top logprobs that reproduce it. */
  readonly token_confidence?: readonly number[] | undefined;
  /** Full top-k lists per token, when recorded (`bom sample --top-logprobs-full`): served as they are. */
  readonly top_logprobs?:
    | readonly (readonly { readonly token: string; readonly logprob: number }[])[]
    | undefined;
  readonly completion_tokens?: number | undefined;
  /** Served as the chat message's `reasoning_content` (vLLM's reasoning parsers). */
  readonly reasoning_content?: string | undefined;
}

export interface RecordedProblem {
  readonly id: string;
  readonly prompt?: string | undefined;
  readonly messages?: readonly { readonly role: string; readonly content: string }[] | undefined;
  readonly samples: readonly RecordedSample[];
}

/** The text a request for this problem carries: its prompt, else its last user message. */
export function promptOf(problem: RecordedProblem): string {
  if (problem.prompt !== undefined) return problem.prompt;
  const user = [...(problem.messages ?? [])].reverse().find((m) => m.role === 'user');
  return user?.content ?? '';
}
