// A sample's separate reasoning (`reasoning_content`, as vLLM's reasoning parsers send it) is
// searched for the answer when the visible content has none.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ask, type Loose, type Stack, sel, startStack } from './harness.ts';
import { recordedProblems } from '../fixtures/recorded.ts';

const QUESTION = 'What is 3*4?';
const problems = recordedProblems(
  JSON.stringify({
    id: 'reasoning',
    prompt: QUESTION,
    samples: [
      { text: 'Done, see above.', reasoning_content: '3*4 = 12, so \\boxed{12}' },
      { text: 'Done.', reasoning_content: 'Adding 3 four times gives \\boxed{12}' },
      { text: 'It is \\boxed{13}', reasoning_content: 'I think \\boxed{12}' },
    ],
  }),
);

let s: Stack;
beforeAll(async () => {
  s = await startStack({ problems });
});
afterAll(() => s.close());

describe('reasoning_content', () => {
  it('supplies the answer when the content has none; the content wins when it has one', async () => {
    const res = (await s.client.chat.completions.create({
      model: 'replay-model',
      messages: ask(QUESTION),
      ...sel({ strategy: 'majority', samples: 3 }),
    })) as unknown as Loose;
    expect(res['choices'][0].selection).toMatchObject({ answer: '12', votes: 2 });
    const answers = res['selection'].clusters.map((c: Loose) => c['answer']);
    expect(answers).toEqual(['12', '13']);
    // The representative's message goes back as the upstream sent it, reasoning included.
    expect(res['choices'][0].message.reasoning_content).toContain('\\boxed{12}');
  });
});
