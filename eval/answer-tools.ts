// The one place eval is wired to the server's answer code (src/answers, issue 3). Until that module
// lands, `extract` mode is unavailable and eval uses the answers recorded in the sample file.
import type { AnswerTools } from './prepare.ts';

export const serverAnswerTools: AnswerTools | null = null;
