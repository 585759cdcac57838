// Model aliases for clients that can only set `model` (Open WebUI and the like):
//   <strategy>[@<N>]/<upstream model>      e.g.  bom@16/Qwen/Qwen2.5-Math-7B-Instruct,  maj/llama3
// <strategy> is a full strategy name, a short one (each strategy's `aliases`) or `none`; N is the
// sample budget. Only the first path segment is inspected, so upstream ids containing '/' still work,
// and a first segment that is not a strategy name means "not an alias".
import { resolveStrategyName, strategies } from '../../strategies/index.ts';
import { invalidRequest } from '../core/index.ts';

export interface Alias {
  strategy: string;
  samples?: number;
  model: string;
}

const ALIAS = /^([a-z][a-z-]*)(?:@(\d+))?\/(.+)$/;
/** What a client meant as an alias when the first segment is a strategy name: `maj@-3/x`, `bom@8/`. */
const LOOSE = /^([a-z][a-z-]*)(?:@[^/]*)?\/(.*)$/;

/** An alias, null when `model` is not one; a malformed alias of a known strategy is a 400 naming `model`. */
export function parseAlias(model: string): Alias | null {
  const m = ALIAS.exec(model);
  if (!m) {
    const loose = LOOSE.exec(model);
    if (loose && resolveStrategyName(loose[1]!) !== null)
      throw invalidRequest(
        `Model alias '${model}' is malformed: expected <strategy>[@N]/<upstream model>, N a positive integer (e.g. ${loose[1]}@8/${loose[2] || '<model>'})`,
        'model',
        'invalid_model_alias',
      );
    return null;
  }
  const name = resolveStrategyName(m[1]!);
  if (name === null) return null;
  const alias: Alias = { strategy: name, model: m[3]! };
  if (m[2] !== undefined) alias.samples = Number(m[2]);
  return alias;
}

/** The aliases listed in /v1/models for one upstream model: every strategy's first short name. */
export function aliasesFor(model: string, samples: number): string[] {
  return [...strategies.values()].map((s) => `${s.aliases[0] ?? s.name}@${samples}/${model}`);
}
