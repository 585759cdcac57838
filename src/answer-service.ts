// The AnswerService the server uses: src/answers' extraction and equivalence clustering.
import { clusterAnswers, extractAnswer } from './answers/index.ts';
import type { AnswerService } from './services.ts';

export const mathAnswers: AnswerService = {
  extract: (text) => extractAnswer(text),
  cluster: (answers, options) => clusterAnswers(answers, options),
};
