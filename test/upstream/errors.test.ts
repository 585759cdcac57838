// How a failed upstream call is classified decides retries and the client's status.
import { APIConnectionError, OpenAIError } from 'openai';
import { describe, expect, it } from 'vitest';
import { upstreamErrorReply } from '../../src/server/errors.ts';
import { normaliseUpstreamError } from '../../src/upstream/errors.ts';

describe('upstream error classification', () => {
  it('a bug in bom is internal: not retried, answered 500 without echoing it', () => {
    const err = normaliseUpstreamError(new TypeError("Cannot read properties of undefined (reading 'x')"));
    expect(err.kind).toBe('internal');
    expect(err.retryable).toBe(false);
    const reply = upstreamErrorReply(err, '0 of 8 samples succeeded');
    expect(reply.status).toBe(500);
    expect(reply.body.error).toMatchObject({ code: 'internal_error', message: 'Internal server error' });
    expect(reply.internal).toMatch(/reading 'x'/);
  });

  it("the SDK's own errors and connection failures stay retryable upstream faults", () => {
    expect(normaliseUpstreamError(new OpenAIError('could not parse response')).kind).toBe('connection');
    const refused = normaliseUpstreamError(new APIConnectionError({ message: 'ECONNREFUSED' }));
    expect(refused.kind).toBe('connection');
    expect(refused.retryable).toBe(true);
  });
});
