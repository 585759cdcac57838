// Which validation problem to report. A union (`adaptive: true | {rule, confidence, …}`) fails as a
// whole with "Invalid input", which names neither the field nor the fix. When the value's shape chose
// one branch (exactly one branch got past the top level: the object, not the boolean), that branch's
// problem is the one to tell, e.g. `adaptive.rule`: expected one of …. When several branches got in
// (an array that is neither all strings nor all token ids), the union's own message stands.

/** The shape of a zod 4 issue this reads (structural: core imports no library). */
export interface IssueLike {
  readonly code: string;
  readonly path: readonly PropertyKey[];
  readonly message: string;
  readonly errors?: readonly (readonly IssueLike[])[];
}

/** The issue to tell the user: the branch issue of a union the value's shape chose (path prefixed), else the issue itself. */
export function specificIssue<T extends IssueLike>(issue: T): T {
  if (issue.code !== 'invalid_union' || !issue.errors) return issue;
  const entered = issue.errors.filter(
    (branch) => branch.length > 0 && branch.every((i) => i.path.length > 0),
  );
  const chosen = entered.length === 1 ? entered[0]![0] : undefined;
  if (chosen === undefined) return issue;
  const inner = specificIssue(chosen);
  return { ...inner, path: [...issue.path, ...inner.path] } as unknown as T;
}
