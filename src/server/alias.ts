// Model aliases for clients that can only set `model` (Open WebUI and the like):
//   <strategy>[@<N>]/<upstream model>      e.g.  bom@16/Qwen/Qwen2.5-Math-7B-Instruct,  maj/llama3
// <strategy> is a full strategy name or a short one (maj, bon, bom, wmaj, none); N is the sample
// budget. Only the first path segment is inspected, so upstream ids containing '/' still work, and
// a first segment that is not a strategy name means "not an alias".

export const SHORT_NAMES: Readonly<Record<string, string>> = {
  maj: 'majority',
  bon: 'best-of-n',
  bom: 'best-of-majority',
  wmaj: 'weighted-majority',
};

export interface Alias {
  strategy: string;
  samples?: number;
  model: string;
}

const ALIAS = /^([a-z][a-z-]*)(?:@(\d+))?\/(.+)$/;

export function parseAlias(model: string, strategyNames: readonly string[]): Alias | null {
  const m = ALIAS.exec(model);
  if (!m) return null;
  const name = SHORT_NAMES[m[1]!] ?? m[1]!;
  if (name !== 'none' && !strategyNames.includes(name)) return null;
  const alias: Alias = { strategy: name, model: m[3]! };
  if (m[2] !== undefined) alias.samples = Number(m[2]);
  return alias;
}

/** The aliases listed in /v1/models for one upstream model. */
export function aliasesFor(model: string, samples: number): string[] {
  return ['maj', 'bom', 'bon'].map((s) => `${s}@${samples}/${model}`);
}
