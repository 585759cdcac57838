// `bom answers extract|check`: batch extraction and grading over JSONL on stdin, one output line per input
// line, in order. A bad line yields an error object on its own line; the command never stops early.
import { createInterface } from 'node:readline';
import { defineCommand } from 'citty';
import { z } from 'zod';
import { checkAnswer } from '../answers/index.ts';
import { extractAnswer } from '../answers/index.ts';

const ExtractLine = z.object({
  text: z.string(),
  reasoning: z.string().nullish(),
  choices: z.string().optional(),
});
const CheckLine = z.object({
  gold: z.union([z.string(), z.number()]).transform(String),
  pred: z.union([z.string(), z.number()]).transform(String),
  choices: z.string().optional(),
  /** The problem text: "round to the nearest tenth" and the like make rounded decimals match. */
  problem: z.string().optional(),
  precision: z.number().int().min(0).max(15).optional(),
});

type Handler = (line: unknown) => Record<string, unknown>;

async function eachLine(handle: Handler): Promise<void> {
  const rl = createInterface({ input: process.stdin, crlfDelay: Number.POSITIVE_INFINITY });
  for await (const line of rl) {
    let out: Record<string, unknown>;
    try {
      out = handle(JSON.parse(line));
    } catch (err) {
      const message =
        err instanceof z.ZodError
          ? err.issues.map((i) => `${i.path.join('.') || 'line'}: ${i.message}`).join('; ')
          : err instanceof SyntaxError
            ? `invalid JSON: ${err.message}`
            : 'internal error';
      out = {
        error: {
          message,
          code: err instanceof z.ZodError || err instanceof SyntaxError ? 'invalid_line' : 'internal',
        },
      };
    }
    process.stdout.write(`${JSON.stringify(out)}\n`);
  }
}

const extract = defineCommand({
  meta: { name: 'extract', description: 'JSONL {"text"} on stdin → {"answer","rule"} per line' },
  run: () =>
    eachLine((raw) => {
      const line = ExtractLine.parse(raw);
      const a = extractAnswer(line.text, {
        ...(line.reasoning == null ? {} : { reasoning: line.reasoning }),
        ...(line.choices === undefined ? {} : { choices: line.choices }),
      });
      return { answer: a.value, rule: a.rule };
    }),
});

const check = defineCommand({
  meta: {
    name: 'check',
    description:
      'JSONL {"gold","pred"[,"problem","precision","choices"]} on stdin → {"equal","types","rule"} per line',
  },
  run: () =>
    eachLine((raw) => {
      const line = CheckLine.parse(raw);
      const r = checkAnswer(line.gold, line.pred, {
        ...(line.choices === undefined ? {} : { choices: line.choices }),
        ...(line.problem === undefined ? {} : { problem: line.problem }),
        ...(line.precision === undefined ? {} : { precision: line.precision }),
      });
      // `types`: the typed values parsed from gold and pred; `rule`: the rule of the type-pair table that
      // decided (docs/answers.md). `how` repeats `rule` for older readers.
      return { equal: r.equal, gold: r.gold, pred: r.pred, types: r.types, rule: r.how, how: r.how };
    }),
});

export default defineCommand({
  meta: { name: 'answers', description: 'Extract final answers and check equivalence (JSONL on stdin)' },
  subCommands: { extract, check },
});
