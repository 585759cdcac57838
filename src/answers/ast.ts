import type { Unit } from './units.ts';

// The parse tree of one answer. Kept small on purpose: only what equivalence needs.

export type Node =
  /** A number as written; `decimals` counts the digits after the point (0 for integers). */
  | { t: 'num'; text: string; decimals: number }
  | { t: 'sym'; name: string }
  /** π, e, i, ∞. */
  | { t: 'const'; name: 'pi' | 'e' | 'i' | 'inf' }
  | { t: 'add'; items: Node[] }
  | { t: 'neg'; x: Node }
  | { t: 'mul'; items: Node[] }
  | { t: 'div'; a: Node; b: Node }
  | { t: 'pow'; a: Node; b: Node }
  /** sqrt, root (args [radicand, index]), sin, cos, …, abs, fact. */
  | { t: 'fn'; name: string; args: Node[] }
  /** An angle in degrees: the number itself, or ×π/180 inside a trigonometric function. */
  | { t: 'deg'; x: Node }
  /** a ± b: stands for the two values a + b and a − b. */
  | { t: 'pm'; a: Node; b: Node }
  /**
   * A bracketed or bare sequence: `(1,2)`, `[0,1)`, `\{1,2\}`, `1, 2, 3` (open = close = ''), or a ratio
   * `7:32` (open = ':').
   */
  | { t: 'seq'; open: string; close: string; items: Node[] }
  /** A chain of relations: items[0] ops[0] items[1] ops[1] … (ops: = < > ≤ ≥ ≠ ≈ ∈). */
  | { t: 'rel'; ops: string[]; items: Node[] }
  | { t: 'union'; items: Node[] }
  | { t: 'matrix'; rows: Node[][] }
  /** A number with a unit of measure (`5 cm`): the unit's dimension and exact factor to base units. */
  | { t: 'qty'; x: Node; unit: Unit }
  /** A multiple-choice letter, optionally followed by its value (`(C) 12`). */
  | { t: 'choice'; letter: string; x: Node | null }
  /** `name = value` where the name is a variable, `f(x)`, `a_3`…: an assignment (one entry of a map). */
  | { t: 'assign'; name: string; lhs: Node; x: Node }
  /** A set difference `A \setminus B` (`\mathbb{R} \setminus \{2\}`). */
  | { t: 'setminus'; a: Node; b: Node }
  /** Plain words, compared case- and space-insensitively. */
  | { t: 'text'; s: string };
