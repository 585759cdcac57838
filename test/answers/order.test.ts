// A problem that asks for its answers in order makes a bare list a sequence (order matters); otherwise
// a bare list is a list of solutions (a set).
import { describe, expect, it } from 'vitest';
import { equivalent } from '../../src/answers/index.ts';
import { asksForOrder } from '../../src/answers/order.ts';

describe('lists asked for in order', () => {
  it('reads the request for an order from the problem text', () => {
    for (const p of [
      'Write the first four terms of the sequence, in order.',
      'List the roots in increasing order, separated by commas.',
      'Enter the values from least to greatest.',
      'Give the scores from highest to lowest.',
      'Enter a, b, c in that order.',
    ])
      expect(asksForOrder(p), p).toBe(true);
    for (const p of [
      'In order to find x, solve the equation. Enter all solutions, separated by commas.',
      'Find all real x such that x^2 = 4.',
      'What must hold in order for the sum to be even? List the values.',
      '',
    ])
      expect(asksForOrder(p), p).toBe(false);
    expect(asksForOrder(undefined)).toBe(false);
  });

  it('compares a bare list in order only when asked to', () => {
    const ordered = 'List the first four squares in increasing order.';
    expect(equivalent('1, 4, 9, 16', '16, 9, 4, 1', { problem: ordered })).toBe(false);
    expect(equivalent('1, 4, 9, 16', '1,4,9,16', { problem: ordered })).toBe(true);
    expect(equivalent('1, 4, 9, 16', '16, 9, 4, 1', { problem: 'Find all perfect squares below 20.' })).toBe(
      true,
    );
    expect(equivalent('1, 4, 9, 16', '16, 9, 4, 1')).toBe(true);
    // A set stays a set whatever the problem says.
    expect(equivalent('\\{1, 4\\}', '\\{4, 1\\}', { problem: ordered })).toBe(true);
    // The caller's own setting wins.
    expect(equivalent('1, 2', '2, 1', { problem: ordered, listOrder: 'unordered' })).toBe(true);
  });

  it('stays fast on hostile problem texts', () => {
    expect(asksForOrder(`in${' '.repeat(50_000)}orde`)).toBe(false);
    expect(asksForOrder(`${'from '.repeat(20_000)}least to`)).toBe(false);
  });
});
