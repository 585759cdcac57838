// Peak RSS of one bom process reading hostile upstream bodies, with and without the decoded-size cap
// (upstream.maxResponseBytes): a gzip bomb (a few hundred KB on the wire, hundreds of MB decoded)
// and a plain 50 MB completion, each fetched by C concurrent calls, as a fan-out would. Every case
// runs in its own child process (the client: bom's openai upstream over http-fetch), so peaks do not
// mix; this process serves the bodies.
// Usage: npx tsx bench/response-size.ts [--bomb-mb 400] [--huge-mb 50] [--calls 4]
import { execFile } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import zlib from 'node:zlib';

const { values } = parseArgs({
  options: {
    'bomb-mb': { type: 'string', default: '400' },
    'huge-mb': { type: 'string', default: '50' },
    calls: { type: 'string', default: '4' },
    child: { type: 'string' },
  },
});
const MB = 1024 * 1024;

function body(bytes: number): Buffer {
  const head = Buffer.from(
    '{"id":"x","object":"chat.completion","created":0,"model":"m","choices":[{"index":0,"message":{"role":"assistant","content":"',
  );
  const tail = Buffer.from('"},"finish_reason":"stop"}],"usage":{"prompt_tokens":1,"completion_tokens":1}}');
  return Buffer.concat([head, Buffer.alloc(bytes, 0x61), tail]);
}

if (values.child) {
  // Child: fetch `calls` times concurrently through bom's upstream client, print peak RSS (MB).
  const [url, cap, calls] = values.child.split(',');
  const { createOpenAIUpstream } = await import('../src/upstream/openai-client.ts');
  const upstream = createOpenAIUpstream({
    url: url!,
    apiKey: 'x',
    maxResponseBytes: Number(cap),
  });
  const base = process.memoryUsage().rss;
  const results = await Promise.allSettled(
    Array.from({ length: Number(calls) }, () =>
      upstream.chat({ model: 'm', messages: [] }, { signal: new AbortController().signal }),
    ),
  );
  const ok = results.filter((r) => r.status === 'fulfilled').length;
  const why = results.find((r) => r.status === 'rejected') as PromiseRejectedResult | undefined;
  const peak = process.resourceUsage().maxRSS / 1024;
  global.gc?.();
  const after = process.memoryUsage().rss / MB;
  process.stdout.write(
    JSON.stringify({
      base: base / MB,
      peak,
      after,
      ok,
      error: why ? String(why.reason?.code ?? why.reason) : null,
    }),
  );
  process.exit(0);
}

const bombMb = Number(values['bomb-mb']);
const hugeMb = Number(values['huge-mb']);
const calls = Number(values.calls);
const bomb = zlib.gzipSync(body(bombMb * MB), { level: 9 });
const huge = body(hugeMb * MB);
const server = http.createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    if (req.url?.startsWith('/bomb')) {
      res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
      res.end(bomb);
    } else {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(huge);
    }
  });
});
await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
const port = (server.address() as AddressInfo).port;
const self = fileURLToPath(import.meta.url);

function run(route: string, cap: number) {
  return new Promise<{ base: number; peak: number; after: number; ok: number; error: string | null }>(
    (resolve, reject) => {
      // Asynchronously: this process serves the bodies while the child reads them.
      execFile(
        process.execPath,
        [
          '--expose-gc',
          '--import',
          'tsx',
          self,
          '--child',
          `http://127.0.0.1:${port}/${route},${cap},${calls}`,
        ],
        { maxBuffer: 1 << 20 },
        (err, stdout) => (err ? reject(err) : resolve(JSON.parse(stdout))),
      );
    },
  );
}

process.stdout.write(
  `gzip bomb: ${(bomb.length / 1024).toFixed(0)} KB on the wire, ${bombMb} MB decoded; plain body ${hugeMb} MB; ${calls} concurrent calls per case\n`,
);
const UNCAPPED = Number.MAX_SAFE_INTEGER;
const cases: [string, string, number][] = [
  ['gzip bomb', 'bomb', UNCAPPED],
  ['gzip bomb', 'bomb', 64 * MB],
  [`${hugeMb} MB body`, 'huge', UNCAPPED],
  [`${hugeMb} MB body`, 'huge', 64 * MB],
  [`${hugeMb} MB body`, 'huge', 16 * MB],
];
const rows: { name: string; cap: number; peak: number }[] = [];
process.stdout.write('case            cap        calls ok  peak RSS  RSS after  (idle RSS before)\n');
for (const [name, route, cap] of cases) {
  const r = await run(route, cap);
  rows.push({ name, cap, peak: r.peak });
  const capText = cap === UNCAPPED ? 'none' : `${cap / MB} MiB`;
  process.stdout.write(
    `${name.padEnd(15)} ${capText.padEnd(10)} ${String(r.ok).padStart(4)}/${calls}  ${r.peak.toFixed(0).padStart(5)} MB  ${r.after.toFixed(0).padStart(6)} MB   (${r.base.toFixed(0)} MB)${r.error ? `  ${r.error}` : ''}\n`,
  );
}
const peakOf = (name: string, cap: number) => rows.find((r) => r.name === name && r.cap === cap)!.peak;
process.stdout.write(
  `\npeak RSS, uncapped / capped at 64 MiB: gzip bomb ${(peakOf('gzip bomb', UNCAPPED) / peakOf('gzip bomb', 64 * MB)).toFixed(1)}x; ` +
    `${hugeMb} MB body ${(peakOf(`${hugeMb} MB body`, UNCAPPED) / peakOf(`${hugeMb} MB body`, 64 * MB)).toFixed(1)}x (under the cap: it is served), ` +
    `uncapped / capped at 16 MiB ${(peakOf(`${hugeMb} MB body`, UNCAPPED) / peakOf(`${hugeMb} MB body`, 16 * MB)).toFixed(1)}x\n`,
);
server.close();
