// What the judge is sent: fixed instructions (the answer's JSON shape) as the system prompt, the
// rubric, the scenario's facts when the rubric needs them, and the document with line numbers.
// Plain text in, so that the request — and with it the store key — is a function of (rubric,
// document, scenario) alone.

import { stringify } from 'yaml';
import type { Scenario } from '../dataset/schema.ts';
import type { Rubric } from './rubric.ts';

export const JUDGE_SYSTEM = `You are a careful reviewer of data-pipeline architecture documents. You answer one question about one document, strictly by the rubric you are given.

Answer with ONE JSON object and nothing else (no fence, no prose around it):
{"verdict": "pass" | "fail", "score": <0..1, how clearly it passes>, "quotes": [<1 to 6 lines copied exactly from the document that your verdict rests on>], "reason": "<two or three sentences>"}

Rules: judge only what the document states, not what it could have meant; a line you quote must appear in the document word for word (without its line number); when the document does not address the question at all, the verdict is "fail".`;

export function judgeUserMessage(rubric: Rubric, document: string, scenario: Scenario | null): string {
  const lines = document.split(/\r?\n/).map((l, i) => `${String(i + 1).padStart(4)}| ${l}`);
  const facts = rubric.scenario && scenario ? `\n## The requirements the document answers\n\n${stringify(scenario).trim()}\n` : '';
  return `## Question: ${rubric.title}

${rubric.question.trim()}

PASS when: ${rubric.pass.trim()}
FAIL when: ${rubric.fail.trim()}
${facts}
## The document (line numbers added; do not quote them)

${lines.join('\n')}
`;
}
