// Simulated traces with token confidences (docs/confidence.md, "Measured"): a generator whose trace
// confidence correlates with correctness at a set strength, for deepconf's tests and bench/deepconf.ts.
//
// Per problem: the policy answers correctly with probability p ~ Uniform(pLow, pHigh); a wrong sample
// answers one of `wrong` alternatives, the first twice as likely as the others (a popular wrong answer).
// Per trace: length L ~ Uniform(minTokens, maxTokens); its level m ~ Normal(μ ± d·s/2, s) — +d·s/2 when
// correct, −d·s/2 when wrong, so `strength` d is the standardised difference (Cohen's d) between the
// mean levels of correct and wrong traces; d = 0: confidence says nothing. Token confidences follow
// C_t = max(0.05, m + AR(1) noise) with a dip: each wrong trace, with probability `dip`, has one stretch of
// `window` tokens lowered by s (DeepConf's observation: errors show as a locally unsure stretch).
import { type Rng, roundConfidence } from '../src/core/index.ts';
import type { ProblemRecord } from './store.ts';

export interface TraceSimulation {
  problems: number;
  samples: number;
  /** d: standardised mean difference of trace confidence between correct and wrong traces. */
  strength: number;
  pLow?: number;
  pHigh?: number;
  wrong?: number;
  minTokens?: number;
  maxTokens?: number;
  /** Probability that a wrong trace has an unsure stretch. */
  dip?: number;
  window?: number;
}

function normal(rng: Rng): number {
  const u = Math.max(1e-12, rng.next());
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng.next());
}

export function simulateTraces(o: TraceSimulation, rng: Rng): ProblemRecord[] {
  const mu = 8;
  const s = 1.5;
  const wrong = o.wrong ?? 3;
  const window = o.window ?? 64;
  return Array.from({ length: o.problems }, (_, p) => {
    const pc = (o.pLow ?? 0.2) + rng.next() * ((o.pHigh ?? 0.8) - (o.pLow ?? 0.2));
    const samples = Array.from({ length: o.samples }, () => {
      const correct = rng.next() < pc;
      let answer = '0';
      if (!correct) {
        // Weights 2, 1, 1, …: the first wrong answer is the popular one.
        let u = rng.next() * (wrong + 1);
        answer = '1';
        for (let w = 1; w <= wrong; w++) {
          u -= w === 1 ? 2 : 1;
          if (u < 0) {
            answer = String(w);
            break;
          }
        }
      }
      const L = (o.minTokens ?? 200) + rng.int((o.maxTokens ?? 600) - (o.minTokens ?? 200) + 1);
      const m = mu + (correct ? 0.5 : -0.5) * o.strength * s + s * normal(rng);
      const tokens: number[] = new Array(L);
      let e = 0;
      for (let t = 0; t < L; t++) {
        e = 0.9 * e + 0.6 * normal(rng);
        tokens[t] = m + e;
      }
      if (!correct && rng.next() < (o.dip ?? 0.5) && L > window) {
        const at = rng.int(L - window);
        for (let t = at; t < at + window; t++) tokens[t] = tokens[t]! - s;
      }
      const tc = roundConfidence(tokens.map((c) => Math.max(0.05, c)));
      return {
        text: `\\boxed{${answer}}`,
        answer,
        correct,
        finish_reason: 'stop',
        completion_tokens: L,
        token_confidence: tc,
      };
    });
    return { id: `sim-${p}`, prompt: `simulated problem ${p}`, gold: '0', samples };
  });
}
