// Flag parsing shared by the eval-side commands: lists, numbers and enums, each failing with the flag's name.
import { BomError } from '../core/index.ts';

export function intList(flag: string, value: string): number[] {
  const items = value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const out = items.map(Number);
  if (items.length === 0 || out.some((n) => !Number.isInteger(n) || n < 1)) {
    throw new BomError(`--${flag} should be a comma-separated list of positive integers, got '${value}'`, {
      code: 'invalid_option',
      param: flag,
    });
  }
  return out;
}

export function num(
  flag: string,
  value: string | undefined,
  check: (n: number) => boolean = () => true,
): number | undefined {
  if (value === undefined || value === '') return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || !check(n)) {
    throw new BomError(`--${flag} has an invalid value '${value}'`, { code: 'invalid_option', param: flag });
  }
  return n;
}

export function oneOf<T extends string>(
  flag: string,
  value: string | undefined,
  allowed: readonly T[],
): T | undefined {
  if (value === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(value)) {
    throw new BomError(`--${flag} should be one of ${allowed.join(', ')}, got '${value}'`, {
      code: 'invalid_option',
      param: flag,
    });
  }
  return value as T;
}

/** Most draws per problem and N, and most bootstrap resamples: beyond this a run takes hours, not a typo away. */
export const MAX_TRIALS = 100_000;

/** An integer flag in [min, max]; the error names the range, so `--trials 1e9` is a line, not a hang. */
export function intIn(flag: string, value: string | undefined, min: number, max: number): number | undefined {
  if (value === undefined || value === '') return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new BomError(`--${flag} should be an integer from ${min} to ${max}, got '${value}'`, {
      code: 'invalid_option',
      param: flag,
    });
  }
  return n;
}

/** Most samples `bom sample` draws per problem: past the paper's N = 2000 many times over, far below what exhausts memory. */
export const MAX_SAMPLES_PER_PROBLEM = 100_000;

/** An http(s) base URL flag, checked before any call is made (a typo would otherwise fail every call in turn). */
export function httpUrl(flag: string, value: string): string {
  let ok = false;
  try {
    ok = /^https?:$/.test(new URL(value).protocol);
  } catch {
    ok = false;
  }
  if (!ok)
    throw new BomError(`--${flag} should be an http:// or https:// URL, got '${value}'`, {
      code: 'invalid_option',
      param: flag,
    });
  return value;
}
