// reliability — the prompt's quality criteria ask for "comprehensive error handling with retry
// and dead-letter patterns", its constraints for idempotent operations "for replayability" and
// "exactly-once or at-least-once semantics based on use case", and its scalability step for
// "failure recovery".
//
// Five parts; passes with at least four, score = found / 5:
// - retries with backoff: a retry with backoff, jitter, a delay or an interval within 3 lines;
// - dead-letter: dead-letter queue/topic, DLQ, poison messages, error or quarantine topic/table/share, rejected rows or files kept in a table or area;
// - idempotency or replay: idempotent, replay, upsert, MERGE INTO, insert overwrite, reprocess;
// - delivery semantics: exactly-once, at-least-once, at-most-once or effectively-once stated;
// - checkpointing or backfill: checkpoints, savepoints, committed offsets, backfills.

import { at, defineGrader, findCriteria, grade } from './core.ts';
import { findAll, type Document } from './document.ts';

const CRITERIA = [
  { name: 'dead-letter', re: /dead[- _]?letter|\bdlq\b|poison (?:pill|message)|(?:error|errors|failed|quarantine|reject(?:ed)?) (?:topic|queue|table|bucket|stream|share|area|folder|zone|schema|prefix)|(?:rejected|failed|bad|invalid) (?:files?|rows?|records?|messages?|events?)(?: and (?:files?|rows?|records?|messages?|events?))?[^.]{0,30}\b(?:are |is )?(?:kept|stored|parked|moved|routed|diverted|written|sent) (?:in|to|into)\b/i },
  { name: 'idempotency or replay', re: /idempoten|\breplay|upsert|merge into|\bmerge\b.{0,30}\b(?:key|statement|semantics|on)\b|insert overwrite|overwrite (?:the )?partition|reprocess|re-?run(?:s|nable)? safely/i },
  // Not "stores upload at least once a day".
  { name: 'delivery semantics', re: /(?:exactly|at[- _]least|at[- _]most|effectively)[- _]once\b(?!\s+(?:a|an|per|every|each|in)\s+(?:day|night|week|hour|month|run|while|year))/i },
  // Not a Great Expectations "checkpoint", which is a validation run.
  { name: 'checkpointing or backfill', re: /(?<!(?:great expectations|\bge|\bgx|validation|expectations?)\s)checkpoint(?!s?\/|_name|s?\.ya?ml)|savepoint|back-?fill|commit(?:s|ted)? (?:the )?offsets?|offsets? (?:are |is )?commit|offset management/i },
];
const RETRY = /\bretr(?:y|ies|ied|ying)\b|retry_|max_?retries/i;
const BACKOFF = /back-?off|exponential|jitter|delay|interval|wait(?:s|ing)? \d|\d+\s*(?:s|sec|seconds|min|minutes)\b/i;

export default defineGrader({
  id: 'reliability',
  description: 'Retries with backoff, dead-letter handling, idempotency, delivery semantics, checkpointing',
  weight: 1.5,
  grade(doc) {
    const { found, missing } = findCriteria(doc, CRITERIA);
    const retry = retryWithBackoff(doc);
    if (retry) found.unshift({ name: 'retries with backoff', line: retry, text: doc.lines[retry - 1]!.trim().slice(0, 80) });
    else missing.unshift('retries with backoff');
    const reason = missing.length ? `${found.length}/5 reliability patterns; missing: ${missing.join(', ')}` : 'all 5 reliability patterns present';
    return grade(found.length >= 4, found.length / 5, reason, found.map((f) => at(f.line, `${f.name}: ${f.text}`)), { found: found.map((f) => f.name), missing });
  },
});

/** The line of the first retry that has a backoff or delay within three lines, or 0. */
function retryWithBackoff(doc: Document): number {
  for (const m of findAll(doc, RETRY)) {
    const near = doc.lines.slice(Math.max(0, m.line - 4), m.line + 3);
    if (near.some((l) => BACKOFF.test(l))) return m.line;
  }
  return 0;
}
