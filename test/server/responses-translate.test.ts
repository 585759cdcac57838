// The Responses ↔ chat translation and the stream event builder, as pure functions.
import { describe, expect, it } from 'vitest';
import { BomError } from '../../src/core/index.ts';
import { ResponseEvents } from '../../src/server/responses-stream.ts';
import {
  outputItems,
  refuseUnsupported,
  type ResponsesBody,
  responsesSchema,
  statusOf,
  toChatBody,
  toMessages,
} from '../../src/server/responses-translate.ts';
import type { Json } from '../../src/upstream/types.ts';

const counter = () => {
  let i = 0;
  return (p: string) => `${p}_${i++}`;
};
const parse = (raw: Json) => responsesSchema.parse(raw) as ResponsesBody;
const chatOf = (raw: Json) => toChatBody(parse(raw), raw, 'up');

describe('request → chat body', () => {
  it('a string input is one user message; instructions come first as system', () => {
    expect(toMessages('hi', 'be kind')).toEqual([
      { role: 'system', content: 'be kind' },
      { role: 'user', content: 'hi' },
    ]);
  });

  it('message items: text parts join into a string, images become image_url parts, reasoning is dropped', () => {
    const messages = toMessages([
      {
        role: 'user',
        content: [
          { type: 'input_text', text: 'a' },
          { type: 'input_text', text: 'b' },
        ],
      },
      { type: 'reasoning', id: 'rs_1', summary: [] },
      { type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'c', annotations: [] }] },
      {
        role: 'user',
        content: [
          { type: 'input_text', text: 'look' },
          { type: 'input_image', image_url: 'data:image/png;base64,AA', detail: 'low' },
        ],
      },
    ]);
    expect(messages).toEqual([
      { role: 'user', content: 'a\nb' },
      { role: 'assistant', content: 'c' },
      {
        role: 'user',
        content: [
          { type: 'text', text: 'look' },
          { type: 'image_url', image_url: { url: 'data:image/png;base64,AA', detail: 'low' } },
        ],
      },
    ]);
  });

  it('maps the Responses fields and forwards the rest (vendor fields) unchanged', () => {
    const chat = chatOf({
      model: 'maj/up',
      input: 'q',
      max_output_tokens: 10,
      temperature: 0.5,
      top_p: 0.8,
      seed: 3,
      metadata: { a: 'b' },
      text: { format: { type: 'json_object' }, verbosity: 'low' },
      reasoning: { effort: 'high' },
      top_k: 5,
      chat_template_kwargs: { enable_thinking: true },
      store: false,
      include: ['reasoning.encrypted_content'],
      selection: { samples: 2 },
      n: 2,
      stream: true,
    });
    expect(chat).toEqual({
      model: 'up',
      messages: [{ role: 'user', content: 'q' }],
      max_tokens: 10,
      temperature: 0.5,
      top_p: 0.8,
      seed: 3,
      response_format: { type: 'json_object' },
      verbosity: 'low',
      reasoning_effort: 'high',
      top_k: 5,
      chat_template_kwargs: { enable_thinking: true },
    });
  });

  it('text.format text sends no response_format; an empty text object (LangChain) is fine', () => {
    expect(chatOf({ model: 'm', input: 'q', text: { format: { type: 'text' } } })).not.toHaveProperty(
      'response_format',
    );
    expect(chatOf({ model: 'm', input: 'q', text: {} })).not.toHaveProperty('response_format');
  });

  it.each([
    [{ previous_response_id: 'resp_1' }, 'previous_response_id'],
    [{ store: true }, 'store'],
    [{ background: true }, 'background'],
    [{ tools: [{ type: 'function', name: 'f' }] }, 'tools'],
    [{ tool_choice: 'required' }, 'tool_choice'],
    [{ conversation: { id: 'c' } }, 'conversation'],
    [{ prompt: { id: 'p' } }, 'prompt'],
    [{ truncation: 'auto' }, 'truncation'],
  ])('refuses %j with a 400 naming %s', (extra, param) => {
    const body = parse({ model: 'm', input: 'q', ...extra });
    let err: unknown;
    try {
      refuseUnsupported(body);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(BomError);
    expect(err).toMatchObject({ status: 400, param, code: 'unsupported_parameter' });
  });

  it('accepts what the SDKs send by default (store false, empty tools, tool_choice auto)', () => {
    expect(() =>
      refuseUnsupported(parse({ model: 'm', input: 'q', store: false, tools: [], tool_choice: 'auto' })),
    ).not.toThrow();
  });

  it('refuses input items other than messages, and image file ids', () => {
    expect(() => toMessages([{ type: 'function_call_output', call_id: 'c', output: 'x' }])).toThrow(
      /function_call_output/,
    );
    expect(() => toMessages([{ role: 'user', content: [{ type: 'input_image', file_id: 'f' }] }])).toThrow(
      /image_url/,
    );
    expect(() => toMessages([{ role: 'tool', content: 'x' }])).toThrow(/role/);
  });
});

describe('chat sample → output items', () => {
  it('reasoning_content becomes a reasoning item before the message', () => {
    const items = outputItems({ role: 'assistant', content: 'A', reasoning_content: 'R' }, 'stop', counter());
    expect(items).toEqual([
      {
        id: 'rs_0',
        type: 'reasoning',
        summary: [],
        content: [{ type: 'reasoning_text', text: 'R' }],
        status: 'completed',
      },
      {
        id: 'msg_1',
        type: 'message',
        status: 'completed',
        role: 'assistant',
        content: [{ type: 'output_text', text: 'A', annotations: [], logprobs: [] }],
      },
    ]);
  });

  it('a truncated sample is an incomplete message; a refusal is a refusal part', () => {
    const [msg] = outputItems({ role: 'assistant', content: 'cut' }, 'length', counter());
    expect(msg).toMatchObject({ status: 'incomplete' });
    expect(statusOf('length')).toEqual({
      status: 'incomplete',
      incomplete_details: { reason: 'max_output_tokens' },
    });
    expect(statusOf('stop').status).toBe('completed');
    const [ref] = outputItems({ role: 'assistant', content: null, refusal: 'no' }, 'stop', counter());
    expect(ref!['content']).toEqual([{ type: 'refusal', refusal: 'no' }]);
  });
});

describe('stream events', () => {
  it('reasoning then text: each item opened, its part streamed and closed, sequence numbers in order', () => {
    const ev = new ResponseEvents(counter());
    const all = [
      ...ev.start({ id: 'r' }),
      ...ev.reasoning('thin'),
      ...ev.reasoning('king'),
      ...ev.text('Hel'),
      ...ev.text('lo'),
      ...ev.closeItem('completed'),
    ];
    all.push(...ev.finish({ status: 'completed', output: ev.output }));
    expect(all.map((e) => e['type'])).toEqual([
      'response.created',
      'response.in_progress',
      'response.output_item.added',
      'response.content_part.added',
      'response.reasoning_text.delta',
      'response.reasoning_text.delta',
      'response.reasoning_text.done',
      'response.content_part.done',
      'response.output_item.done',
      'response.output_item.added',
      'response.content_part.added',
      'response.output_text.delta',
      'response.output_text.delta',
      'response.output_text.done',
      'response.content_part.done',
      'response.output_item.done',
      'response.completed',
    ]);
    expect(all.map((e) => e['sequence_number'])).toEqual(all.map((_, i) => i));
    expect(ev.output).toEqual(
      outputItems({ content: 'Hello', reasoning_content: 'thinking' }, 'stop', counter()),
    );
    expect(all[13]).toMatchObject({ item_id: 'msg_1', output_index: 1, content_index: 0, text: 'Hello' });
  });

  it('an incomplete response ends with response.incomplete; an error event carries both forms', () => {
    const ev = new ResponseEvents(counter());
    ev.text('x');
    ev.closeItem('incomplete');
    expect(ev.output[0]).toMatchObject({ status: 'incomplete' });
    expect(ev.finish({ status: 'incomplete' })[0]!['type']).toBe('response.incomplete');
    const e = ev.error({
      status: 502,
      headers: {},
      body: { error: { message: 'm', type: 'upstream_error', param: null, code: 'c' } },
    });
    expect(e).toEqual({
      type: 'error',
      code: 'c',
      message: 'm',
      param: null,
      error: { type: 'upstream_error', code: 'c', message: 'm', param: null },
      sequence_number: 7,
    });
  });
});
