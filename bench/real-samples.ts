// Real responses: extract from each full response, compare with the gold answer, and compare our verdict
// with the recorded one (Qwen2.5-Math's grader). Prints every disagreement.
// Run: npx tsx bench/real-samples.ts
import { equivalent, extractAnswer } from '../src/answers/index.ts';
import { loadProblems } from './_samples.ts';

const problems = loadProblems();
if (problems) {
  let n = 0;
  let agree = 0;
  let ours = 0;
  let theirs = 0;
  let noAnswer = 0;
  const rules = new Map<string, number>();
  for (const p of problems) {
    p.code.forEach((text, i) => {
      const a = extractAnswer(text);
      rules.set(a.rule, (rules.get(a.rule) ?? 0) + 1);
      if (a.value === null) noAnswer++;
      const mine = a.value !== null && equivalent(p.gt, a.value, { budgetMs: 1000 });
      const recorded = p.score[i] === true;
      n++;
      if (mine) ours++;
      if (recorded) theirs++;
      if (mine === recorded) agree++;
      else
        console.log(
          `problem ${p.idx} sample ${i}: gt=${JSON.stringify(p.gt)} ours=${JSON.stringify(a.value)} (${a.rule}) → ${mine}; recorded pred=${JSON.stringify(p.pred[i])} → ${recorded}`,
        );
    });
  }
  console.log(
    `\nresponses ${n}; agreement with the recorded verdicts ${agree}/${n} (${((100 * agree) / n).toFixed(1)}%)`,
  );
  console.log(`correct by us ${ours}, by the recorded grader ${theirs}; no answer found ${noAnswer}`);
  console.log(`rules: ${[...rules].map(([r, c]) => `${r} ${c}`).join(', ')}`);
}
