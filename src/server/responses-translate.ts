// The Responses API (POST /v1/responses) in terms of chat completions, both ways, pure (no I/O):
// a Responses request becomes the chat body every upstream serves; chat samples become Response
// output items (a `reasoning` item where the sample had `reasoning_content`, then a `message` item).
// What bom cannot do statelessly (stored responses, background runs, tools) is refused with a 400.
import { z } from 'zod';
import { selectionRequestSchema } from '../../strategies/index.ts';
import { BomError, invalidRequest } from '../core/index.ts';
import type { Json } from '../upstream/index.ts';
import type { Usage } from './render.ts';
import { seedSchema } from './request.ts';

const textFormat = z.discriminatedUnion('type', [
  z.object({ type: z.literal('text') }).passthrough(),
  z.object({ type: z.literal('json_object') }).passthrough(),
  z
    .object({
      type: z.literal('json_schema'),
      name: z.string().min(1),
      schema: z.record(z.string(), z.unknown()),
      description: z.string().nullable().optional(),
      strict: z.boolean().nullable().optional(),
    })
    .passthrough(),
]);

/** OpenAI's CreateResponse fields bom reads; every other field is forwarded to the upstream's chat call. */
export const responsesSchema = z
  .object({
    model: z.string().min(1),
    input: z.union([z.string(), z.array(z.record(z.string(), z.unknown())).min(1)], {
      error: 'expected a string or a non-empty array of input items',
    }),
    instructions: z.string().nullable().optional(),
    /** Not a Responses field: bom's number of distinct answers (k), as `n` on chat completions. */
    n: z.number().int().min(1).max(128).optional(),
    stream: z.boolean().nullable().optional(),
    seed: seedSchema,
    temperature: z.number().min(0).max(2).nullable().optional(),
    top_p: z.number().min(0).max(1).nullable().optional(),
    max_output_tokens: z.number().int().min(1).nullable().optional(),
    metadata: z.record(z.string(), z.string()).nullable().optional(),
    text: z
      .object({ format: textFormat.nullable().optional(), verbosity: z.string().nullable().optional() })
      .passthrough()
      .nullable()
      .optional(),
    reasoning: z
      .object({ effort: z.string().nullable().optional(), summary: z.string().nullable().optional() })
      .passthrough()
      .nullable()
      .optional(),
    parallel_tool_calls: z.boolean().nullable().optional(),
    store: z.boolean().nullable().optional(),
    background: z.boolean().nullable().optional(),
    previous_response_id: z.string().nullable().optional(),
    tools: z.array(z.unknown()).nullable().optional(),
    selection: selectionRequestSchema.optional(),
  })
  .passthrough();

export type ResponsesBody = z.output<typeof responsesSchema>;

/**
 * Responses-only fields: read above or meaningless for a chat upstream, never forwarded. The rest
 * (temperature, top_p, seed, user and vendor fields such as top_k or chat_template_kwargs) goes on.
 */
const CONSUMED = new Set([
  'model',
  'input',
  'instructions',
  'n',
  'stream',
  'stream_options',
  'selection',
  'max_output_tokens',
  'metadata',
  'text',
  'reasoning',
  'parallel_tool_calls',
  'store',
  'background',
  'previous_response_id',
  'conversation',
  'tools',
  'tool_choice',
  'include',
  'truncation',
  'service_tier',
  'prompt',
  'prompt_cache_key',
  'prompt_cache_retention',
  'safety_identifier',
  'max_tool_calls',
  'top_logprobs',
  'context_management',
  'moderation',
]);

const unsupported = (message: string, param: string) =>
  new BomError(message, { code: 'unsupported_parameter', param, status: 400 });

/** 400 for what a stateless selection proxy cannot honour; nothing is silently ignored. */
export function refuseUnsupported(body: ResponsesBody): void {
  const raw = body as Json;
  if (body.previous_response_id != null)
    throw unsupported(
      "bom does not store responses, so 'previous_response_id' cannot be used; send the whole conversation in 'input'",
      'previous_response_id',
    );
  if (raw['conversation'] != null)
    throw unsupported(
      "bom does not store conversations; send the whole conversation in 'input'",
      'conversation',
    );
  if (body.store === true)
    throw unsupported("bom does not store responses; omit 'store' or set it to false", 'store');
  if (body.background === true)
    throw unsupported("bom does not run responses in the background; omit 'background'", 'background');
  if (raw['prompt'] != null)
    throw unsupported("Stored prompt templates ('prompt') are not available on bom", 'prompt');
  if (Array.isArray(body.tools) && body.tools.length > 0)
    throw unsupported(
      "Tools are not supported on bom's /v1/responses (selection votes on final answers); use /v1/chat/completions, which forwards tools",
      'tools',
    );
  const choice = raw['tool_choice'];
  if (choice != null && choice !== 'auto' && choice !== 'none')
    throw unsupported("'tool_choice' needs tools, which bom's /v1/responses does not support", 'tool_choice');
  if (raw['truncation'] === 'auto')
    throw unsupported(
      "bom does not truncate the input; omit 'truncation' or set it to 'disabled'",
      'truncation',
    );
}

/** One content part of an input message, as a chat content part. */
function chatPart(part: Json, param: string): Json {
  const type = part['type'];
  if (type === 'input_text' || type === 'output_text' || type === 'text')
    return { type: 'text', text: String(part['text'] ?? '') };
  if (type === 'refusal') return { type: 'text', text: String(part['refusal'] ?? '') };
  if (type === 'input_image') {
    if (typeof part['image_url'] !== 'string')
      throw unsupported(
        'Images must be sent as an image_url (a URL or a data URL); file ids need storage',
        param,
      );
    const detail = part['detail'];
    return {
      type: 'image_url',
      image_url: { url: part['image_url'], ...(detail && detail !== 'auto' ? { detail } : {}) },
    };
  }
  if (type === 'input_file' && typeof part['file_data'] === 'string')
    return {
      type: 'file',
      file: { file_data: part['file_data'], ...(part['filename'] ? { filename: part['filename'] } : {}) },
    };
  if (type === 'input_audio') return { type: 'input_audio', input_audio: part['input_audio'] };
  throw unsupported(`Content part type '${String(type)}' is not supported by bom's /v1/responses`, param);
}

/** A message's content for a chat upstream: a string when every part is text (joined as vLLM joins them). */
function chatContent(content: unknown, param: string): unknown {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content))
    throw invalidRequest(
      `Invalid parameter '${param}': expected a string or an array of content parts`,
      param,
    );
  const parts = content.map((p, i) => chatPart((p ?? {}) as Json, `${param}[${i}]`));
  if (parts.every((p) => p['type'] === 'text')) return parts.map((p) => p['text']).join('\n');
  return parts;
}

const ROLES = new Set(['user', 'assistant', 'system', 'developer']);

/**
 * The chat conversation: `instructions` first as a system message, then the input. `developer`
 * becomes `system` (open models' chat templates know only that); reasoning items of earlier turns
 * are dropped (a chat upstream cannot take them back).
 */
export function toMessages(input: string | Json[], instructions?: string | null): Json[] {
  const messages: Json[] = [];
  if (instructions) messages.push({ role: 'system', content: instructions });
  if (typeof input === 'string') {
    messages.push({ role: 'user', content: input });
    return messages;
  }
  for (const [i, item] of input.entries()) {
    const type = item['type'] ?? 'message';
    if (type === 'reasoning') continue;
    if (type !== 'message')
      throw unsupported(
        `Input items of type '${String(type)}' are not supported by bom's /v1/responses (message items only)`,
        `input[${i}].type`,
      );
    const role = item['role'];
    if (typeof role !== 'string' || !ROLES.has(role))
      throw invalidRequest(
        `Invalid parameter 'input[${i}].role': expected one of user, assistant, system, developer`,
        `input[${i}].role`,
      );
    messages.push({
      role: role === 'developer' ? 'system' : role,
      content: chatContent(item['content'], `input[${i}].content`),
    });
  }
  if (messages.length === 0) throw invalidRequest("'input' has no message items", 'input');
  return messages;
}

/** The chat-completions body one sample is drawn with (no `n`/`stream`: fan-out sets those). */
export function toChatBody(body: ResponsesBody, raw: Json, model: string): Json {
  const out: Json = {};
  for (const [k, v] of Object.entries(raw)) if (!CONSUMED.has(k)) out[k] = v;
  out['model'] = model;
  out['messages'] = toMessages(body.input, body.instructions);
  if (body.max_output_tokens != null) out['max_tokens'] = body.max_output_tokens;
  const format = body.text?.format;
  if (format && format.type === 'json_object') out['response_format'] = { type: 'json_object' };
  if (format && format.type === 'json_schema') {
    const { type: _t, ...schema } = format;
    out['response_format'] = { type: 'json_schema', json_schema: schema };
  }
  if (body.text?.verbosity != null) out['verbosity'] = body.text.verbosity;
  if (body.reasoning?.effort != null) out['reasoning_effort'] = body.reasoning.effort;
  return out;
}

export type ItemStatus = 'completed' | 'incomplete';

/** A Response's status from the returned sample's finish reason. */
export function statusOf(finishReason: string | null | undefined): {
  status: ItemStatus;
  incomplete_details: { reason: string } | null;
} {
  if (finishReason === 'length')
    return { status: 'incomplete', incomplete_details: { reason: 'max_output_tokens' } };
  if (finishReason === 'content_filter')
    return { status: 'incomplete', incomplete_details: { reason: 'content_filter' } };
  return { status: 'completed', incomplete_details: null };
}

export type IdMaker = (prefix: string) => string;

export const newId: IdMaker = (prefix) => `${prefix}_${crypto.randomUUID().replace(/-/g, '')}`;

/** A chat message's separate reasoning (vLLM's `reasoning_content`, or `reasoning`). */
export function reasoningOf(message: Json): string | null {
  const r = message['reasoning_content'] ?? message['reasoning'];
  return typeof r === 'string' && r.length > 0 ? r : null;
}

export const reasoningItem = (id: string, text: string, status: ItemStatus | 'in_progress'): Json => ({
  id,
  type: 'reasoning',
  summary: [],
  content: text === '' && status === 'in_progress' ? [] : [{ type: 'reasoning_text', text }],
  status,
});

export const textPart = (text: string): Json => ({
  type: 'output_text',
  text,
  annotations: [],
  logprobs: [],
});

export const messageItem = (id: string, content: Json[], status: ItemStatus | 'in_progress'): Json => ({
  id,
  type: 'message',
  status,
  role: 'assistant',
  content,
});

/** One chat sample as Response output items: `reasoning` (when it had some), then the `message`. */
export function outputItems(message: Json, finishReason: string | null | undefined, ids: IdMaker): Json[] {
  const items: Json[] = [];
  const reasoning = reasoningOf(message);
  const { status } = statusOf(finishReason);
  if (reasoning !== null) items.push(reasoningItem(ids('rs'), reasoning, 'completed'));
  const text = typeof message['content'] === 'string' ? message['content'] : '';
  const refusal = typeof message['refusal'] === 'string' && message['refusal'] ? message['refusal'] : null;
  const content: Json[] = [];
  if (text !== '' || refusal === null) content.push(textPart(text));
  if (refusal !== null) content.push({ type: 'refusal', refusal });
  items.push(messageItem(ids('msg'), content, status));
  return items;
}

/** OpenAI's ResponseUsage from bom's totals over every sample. */
export function responseUsage(u: Usage): Json {
  return {
    input_tokens: u.prompt_tokens,
    input_tokens_details: { cached_tokens: 0 },
    output_tokens: u.completion_tokens,
    output_tokens_details: { reasoning_tokens: 0 },
    total_tokens: u.total_tokens,
  };
}

/** The Response object; request fields are echoed as OpenAI echoes them. */
export function responseObject(args: {
  id: string;
  createdAt: number;
  model: string;
  body: ResponsesBody;
  status: 'in_progress' | ItemStatus;
  incompleteDetails?: { reason: string } | null;
  output: Json[];
  usage: Json | null;
  selection?: Json;
}): Json {
  const { body } = args;
  return {
    id: args.id,
    object: 'response',
    created_at: args.createdAt,
    status: args.status,
    completed_at: args.status === 'in_progress' ? null : Math.floor(Date.now() / 1000),
    background: false,
    error: null,
    incomplete_details: args.incompleteDetails ?? null,
    instructions: body.instructions ?? null,
    max_output_tokens: body.max_output_tokens ?? null,
    model: args.model,
    output: args.output,
    parallel_tool_calls: body.parallel_tool_calls ?? true,
    previous_response_id: null,
    reasoning: { effort: body.reasoning?.effort ?? null, summary: null },
    store: false,
    temperature: body.temperature ?? 1,
    text: {
      format: body.text?.format ?? { type: 'text' },
      ...(body.text?.verbosity != null ? { verbosity: body.text.verbosity } : {}),
    },
    tool_choice: 'auto',
    tools: [],
    top_p: body.top_p ?? 1,
    truncation: 'disabled',
    usage: args.usage,
    metadata: body.metadata ?? {},
    ...(args.selection ? { selection: args.selection } : {}),
  };
}
