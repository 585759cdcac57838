// Whether a problem asks for its answers in order. Then a bare list (`1, 4, 9, 16`) is a sequence, where
// order matters, rather than a list of solutions, which compares as a set. "In order to …", "in order
// for …" and "in order that …" are not asking for an order.
const ORDER =
  /\bin\s+(?:(?:increasing|decreasing|ascending|descending|numerical|alphabetical|that|the\s+same)\s+)?order\b(?!\s+(?:to|for|that)\b)|\bfrom\s+(?:least|smallest|lowest)\s+to\s+(?:greatest|largest|highest)\b|\bfrom\s+(?:greatest|largest|highest)\s+to\s+(?:least|smallest|lowest)\b/i;

// The same problem text is asked about for every answer of a request: the last answer is kept.
let last: { problem: string; ordered: boolean } | null = null;

export function asksForOrder(problem: string | undefined): boolean {
  if (!problem) return false;
  if (last?.problem === problem) return last.ordered;
  const ordered = ORDER.test(problem.slice(-2000));
  last = { problem, ordered };
  return ordered;
}

/** The options with `listOrder` read from the problem text when the caller did not set it. */
export function withListOrder<T extends { listOrder?: 'unordered' | 'ordered'; problem?: string }>(
  options: T,
): T {
  if (options.listOrder !== undefined || !asksForOrder(options.problem)) return options;
  return { ...options, listOrder: 'ordered' };
}
