// The vocabulary every layer shares: types, the one error type, seeded randomness, abortable waits.
// Imports nothing of ours, so anything may import it (strategies/ and src/answers/ included).
export * from './confidence.ts';
export * from './delay.ts';
export * from './errors.ts';
export * from './issues.ts';
export * from './redact.ts';
export * from './rng.ts';
export type * from './types.ts';
