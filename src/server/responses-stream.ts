// The Responses streaming event sequence, built incrementally and without I/O: response.created,
// response.in_progress, then per output item output_item.added → (content_part.added →
// output_text.delta … → output_text.done → content_part.done, or the same with reasoning_text for
// a reasoning item) → output_item.done, and response.completed (or response.incomplete).
// Every event carries a sequence_number; an error is one `error` event, after which the stream ends.
import type { Json } from '../upstream/index.ts';
import type { ErrorReply } from './errors.ts';
import {
  type IdMaker,
  type ItemStatus,
  messageItem,
  reasoningItem,
  textPart,
} from './responses-translate.ts';

interface OpenItem {
  kind: 'reasoning' | 'message';
  id: string;
  index: number;
  /** The message's content parts so far (closed ones complete); reasoning keeps its text. */
  parts: Json[];
  /** Text of the part being streamed (output_text or reasoning_text). */
  text: string;
  /** A content part is open (message only). */
  partOpen: boolean;
}

export class ResponseEvents {
  private seq = 0;
  private readonly items: Json[] = [];
  private open: OpenItem | null = null;

  constructor(private readonly ids: IdMaker) {}

  private ev(type: string, fields: Json): Json {
    return { type, ...fields, sequence_number: this.seq++ };
  }

  /** The finished output items so far (what the final Response's `output` holds). */
  get output(): Json[] {
    return [...this.items];
  }

  start(response: Json): Json[] {
    return [this.ev('response.created', { response }), this.ev('response.in_progress', { response })];
  }

  private openItem(kind: OpenItem['kind']): Json[] {
    const id = this.ids(kind === 'reasoning' ? 'rs' : 'msg');
    const index = this.items.length;
    this.open = { kind, id, index, parts: [], text: '', partOpen: false };
    const item =
      kind === 'reasoning' ? reasoningItem(id, '', 'in_progress') : messageItem(id, [], 'in_progress');
    return [this.ev('response.output_item.added', { output_index: index, item })];
  }

  private closePart(): Json[] {
    const o = this.open;
    if (o?.kind !== 'message' || !o.partOpen) return [];
    o.partOpen = false;
    const part = textPart(o.text);
    o.parts.push(part);
    const at = { item_id: o.id, output_index: o.index, content_index: o.parts.length - 1 };
    return [
      this.ev('response.output_text.done', { ...at, text: o.text, logprobs: [] }),
      this.ev('response.content_part.done', { ...at, part }),
    ];
  }

  /** Closes the item being streamed; a message's status follows the sample's finish reason. */
  closeItem(status: ItemStatus = 'completed'): Json[] {
    const o = this.open;
    if (!o) return [];
    const out: Json[] = [];
    let item: Json;
    if (o.kind === 'reasoning') {
      const at = { item_id: o.id, output_index: o.index, content_index: 0 };
      out.push(
        this.ev('response.reasoning_text.done', { ...at, text: o.text }),
        this.ev('response.content_part.done', { ...at, part: { type: 'reasoning_text', text: o.text } }),
      );
      item = reasoningItem(o.id, o.text, 'completed');
    } else {
      out.push(...this.closePart());
      if (o.parts.length === 0) o.parts.push(textPart(''));
      item = messageItem(o.id, o.parts, status);
    }
    this.items.push(item);
    this.open = null;
    out.push(this.ev('response.output_item.done', { output_index: o.index, item }));
    return out;
  }

  reasoning(delta: string): Json[] {
    if (delta === '') return [];
    const out: Json[] = [];
    if (this.open?.kind !== 'reasoning') {
      out.push(...this.closeItem(), ...this.openItem('reasoning'));
      const o = this.open!;
      out.push(
        this.ev('response.content_part.added', {
          item_id: o.id,
          output_index: o.index,
          content_index: 0,
          part: { type: 'reasoning_text', text: '' },
        }),
      );
    }
    const o = this.open!;
    o.text += delta;
    out.push(
      this.ev('response.reasoning_text.delta', {
        item_id: o.id,
        output_index: o.index,
        content_index: 0,
        delta,
      }),
    );
    return out;
  }

  private ensureMessage(): Json[] {
    return this.open?.kind === 'message' ? [] : [...this.closeItem(), ...this.openItem('message')];
  }

  text(delta: string): Json[] {
    const out = this.ensureMessage();
    const o = this.open!;
    if (!o.partOpen) {
      o.partOpen = true;
      o.text = '';
      out.push(
        this.ev('response.content_part.added', {
          item_id: o.id,
          output_index: o.index,
          content_index: o.parts.length,
          part: textPart(''),
        }),
      );
    }
    if (delta === '') return out;
    o.text += delta;
    out.push(
      this.ev('response.output_text.delta', {
        item_id: o.id,
        output_index: o.index,
        content_index: o.parts.length,
        delta,
        logprobs: [],
      }),
    );
    return out;
  }

  /** A refusal, as one part of the message (after any text part). */
  refusal(refusal: string): Json[] {
    if (refusal === '') return [];
    const out = [...this.ensureMessage(), ...this.closePart()];
    const o = this.open!;
    const at = { item_id: o.id, output_index: o.index, content_index: o.parts.length };
    const part = { type: 'refusal', refusal };
    out.push(
      this.ev('response.content_part.added', { ...at, part: { type: 'refusal', refusal: '' } }),
      this.ev('response.refusal.delta', { ...at, delta: refusal }),
      this.ev('response.refusal.done', { ...at, refusal }),
      this.ev('response.content_part.done', { ...at, part }),
    );
    o.parts.push(part);
    return out;
  }

  /** The last event: `response.completed`, or `response.incomplete` when the response is. */
  finish(response: Json): Json[] {
    const type = response['status'] === 'incomplete' ? 'response.incomplete' : 'response.completed';
    return [this.ev(type, { response })];
  }

  /**
   * The Responses stream's error event: OpenAI's flat fields and its nested `error` object, so the
   * official SDKs raise an APIError and the Vercel AI SDK reports it, whichever form they read.
   */
  error(reply: ErrorReply): Json {
    const e = reply.body.error;
    return this.ev('error', {
      code: e.code,
      message: e.message,
      param: e.param,
      error: { type: e.type, code: e.code, message: e.message, param: e.param },
    });
  }
}
