// The node:http fetch the openai SDK uses upstream: the Response behaviour the SDK relies on.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import OpenAI, { APIConnectionError, APIUserAbortError } from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpFetch } from '../../src/upstream/http-fetch.ts';

let server: Server;
let base: string;
let releaseStream: () => void = () => {};
const http = createHttpFetch({ maxSockets: 4 });

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      if (req.url === '/json') {
        res.writeHead(200, { 'content-type': 'application/json', 'x-request-id': 'r1' });
        res.end(
          JSON.stringify({
            echo: JSON.parse(body || '{}'),
            method: req.method,
            auth: req.headers.authorization,
          }),
        );
      } else if (req.url === '/gzip') {
        res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
        res.end(gzipSync(JSON.stringify({ zipped: true })));
      } else if (req.url === '/sse') {
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        res.write('data: {"n":1}\n\n');
        // The rest only after the test has seen the first event: the body must not be buffered.
        releaseStream = () => res.end('data: {"n":2}\n\ndata: [DONE]\n\n');
      } else if (req.url === '/partial') {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.write('{"half":');
        if (req.headers['x-cut']) setImmediate(() => res.destroy());
      } else if (req.url === '/hang') {
        // never answers
      } else {
        res.writeHead(404, { 'content-type': 'application/json' });
        res.end('{"error":{"message":"nope","type":"invalid_request_error","param":null,"code":"x"}}');
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  http.close();
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

describe('createHttpFetch', () => {
  it('posts a body and reads a buffered JSON response with headers', async () => {
    const res = await http.fetch(`${base}/json`, {
      method: 'POST',
      headers: new Headers({ authorization: 'Bearer k', 'content-type': 'application/json' }),
      body: JSON.stringify({ a: 1 }),
    });
    expect(res.status).toBe(200);
    expect(res.ok).toBe(true);
    expect(res.headers.get('x-request-id')).toBe('r1');
    expect(await res.json()).toEqual({ echo: { a: 1 }, method: 'POST', auth: 'Bearer k' });
    expect(res.bodyUsed).toBe(true);
  });

  it('decodes a gzip body', async () => {
    expect(await (await http.fetch(`${base}/gzip`)).json()).toEqual({ zipped: true });
  });

  it('hands an event stream over as it arrives', async () => {
    const res = await http.fetch(`${base}/sse`);
    const reader = res.body!.getReader();
    const first = new TextDecoder().decode((await reader.read()).value);
    expect(first).toContain('"n":1');
    releaseStream();
    let rest = '';
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      rest += new TextDecoder().decode(value);
    }
    expect(rest).toContain('[DONE]');
  });

  it('rejects like fetch on abort and on a refused connection', async () => {
    const ac = new AbortController();
    const pending = http.fetch(`${base}/hang`, { signal: ac.signal });
    ac.abort();
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
    await expect(http.fetch('http://127.0.0.1:1/x')).rejects.toThrow(TypeError);
  });

  it('rejects when aborted or cut while the body is still arriving', async () => {
    const ac = new AbortController();
    const pending = http.fetch(`${base}/partial`, { signal: ac.signal });
    await new Promise((r) => setTimeout(r, 20));
    ac.abort();
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
    await expect(http.fetch(`${base}/partial`, { headers: { 'x-cut': '1' } })).rejects.toThrow(TypeError);
  });

  it('gives the openai SDK what it needs: parsed bodies, status errors, abort and connection errors', async () => {
    const client = new OpenAI({ baseURL: base, apiKey: 'k', maxRetries: 0, fetch: http.fetch });
    const page = await client.get('/json', { body: undefined });
    expect(page).toMatchObject({ method: 'GET', auth: 'Bearer k' });
    await expect(client.get('/missing')).rejects.toMatchObject({ status: 404, code: 'x' });
    const ac = new AbortController();
    const hanging = client.get('/hang', { signal: ac.signal });
    ac.abort();
    await expect(hanging).rejects.toBeInstanceOf(APIUserAbortError);
    const refused = new OpenAI({
      baseURL: 'http://127.0.0.1:1',
      apiKey: 'k',
      maxRetries: 0,
      fetch: http.fetch,
    });
    await expect(refused.get('/x')).rejects.toBeInstanceOf(APIConnectionError);
  });
});
