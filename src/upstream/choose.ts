// Which upstream `bom serve` talks to. With nothing configured, a newcomer's laptop has no vLLM, so
// `auto` looks at vLLM's usual address once at start-up and otherwise runs the embedded local model.
import { type Config, DEFAULT_UPSTREAM_URL } from '../config.ts';

export type UpstreamChoice = { kind: 'http'; url: string; why: string } | { kind: 'local'; why: string };

/** True when anything answers HTTP at `${url}/models` (even 401: a server is there). */
export async function probeUpstream(url: string, timeoutMs = 500): Promise<boolean> {
  try {
    await fetch(`${url.replace(/\/+$/, '')}/models`, { signal: AbortSignal.timeout(timeoutMs) });
    return true;
  } catch {
    return false;
  }
}

export async function chooseUpstream(
  upstream: Config['upstream'],
  probe: (url: string) => Promise<boolean> = probeUpstream,
): Promise<UpstreamChoice> {
  if (upstream.kind === 'local') return { kind: 'local', why: 'upstream.kind=local' };
  if (upstream.url !== undefined) return { kind: 'http', url: upstream.url, why: 'configured' };
  if (upstream.kind === 'http')
    return { kind: 'http', url: DEFAULT_UPSTREAM_URL, why: 'default vLLM address' };
  if (await probe(DEFAULT_UPSTREAM_URL)) {
    return { kind: 'http', url: DEFAULT_UPSTREAM_URL, why: `found a server at ${DEFAULT_UPSTREAM_URL}` };
  }
  return { kind: 'local', why: `no upstream configured and nothing answers at ${DEFAULT_UPSTREAM_URL}` };
}
