// Reading a request body at the boundary, and the bodies bom sends on: the JSON text with its
// nesting bounded before anything walks it, the upstream body without bom's own fields, and the
// conversation as a scorer receives it.
import type { Context } from 'hono';
import { BomError, invalidRequest } from '../core/index.ts';
import type { ScorePrompt } from '../reward/index.ts';
import { contentText, type Json } from '../upstream/index.ts';

/** Deeper than any real request (JSON schemas in tools included); far below what overflows the stack. */
export const MAX_JSON_DEPTH = 128;

/** True when arrays/objects nest deeper than `max` (walks containers only, stops at the first too deep). */
export function nestsDeeper(value: unknown, max: number, depth = 0): boolean {
  if (typeof value !== 'object' || value === null) return false;
  if (depth >= max) return true;
  if (Array.isArray(value)) {
    for (const v of value)
      if (typeof v === 'object' && v !== null && nestsDeeper(v, max, depth + 1)) return true;
    return false;
  }
  for (const k in value) {
    const v = (value as Record<string, unknown>)[k];
    if (typeof v === 'object' && v !== null && nestsDeeper(v, max, depth + 1)) return true;
  }
  return false;
}

export async function readJson(c: Context): Promise<unknown> {
  // Request bodies are not inflated: the body limit counts wire bytes, so a gzip bomb would pass it.
  const encoding = c.req.header('content-encoding')?.trim().toLowerCase();
  if (encoding && encoding !== 'identity')
    throw new BomError(
      `Content-Encoding '${encoding}' is not supported; send the body uncompressed (content-type application/json)`,
      { code: 'unsupported_content_encoding', status: 415 },
    );
  const text = await c.req.text();
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw invalidRequest(
      'We could not parse the JSON body of your request. Send valid JSON with content-type application/json.',
      null,
      'invalid_json',
    );
  }
  // A body nested thousands deep parses, but re-serialising it for the upstream overflows the stack,
  // which would surface as a retryable "upstream unavailable" after N doomed calls.
  if (nestsDeeper(value, MAX_JSON_DEPTH)) {
    throw invalidRequest(`The JSON body nests deeper than ${MAX_JSON_DEPTH} levels`, null, 'invalid_json');
  }
  return value;
}

/** Our own fields and the ones fan-out sets per call are removed; everything else goes upstream. */
export function upstreamBody(body: Json, model: string, drop: readonly string[]): Json {
  const out: Json = { ...body, model };
  for (const k of ['selection', 'n', 'stream', 'stream_options', ...drop]) delete out[k];
  return out;
}

/** The conversation as the scorer receives it (text content only). */
export function scorePrompt(messages: readonly Json[]): ScorePrompt {
  return {
    messages: messages.map((m) => ({ role: String(m['role']), content: contentText(m['content'], '\n') })),
  };
}
