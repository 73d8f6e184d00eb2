// scalability — the prompt's SCALABILITY PLANNING step asks to "design for horizontal scaling,
// backpressure handling, and failure recovery", its output for "capacity planning guidance",
// and it warns against "ignoring backpressure and cascading failure scenarios".
//
// Three parts, all required:
// - capacity numbers: at least two figures such as 10K events/s, 50 GB/day, 12 partitions,
//   6 brokers, 3x headroom, 40% headroom;
// - horizontal scaling: horizontal, scale out, autoscaling, add nodes/partitions/workers;
// - backpressure: backpressure, throttling, rate limiting, bounded queues, buffering of bursts
//   or backlogs (not a schedule's or a budget's "buffer"), flow control, load shedding.
// Score = the mean of the three parts (capacity counts half for a single figure).

import { at, defineGrader, findCriteria, grade } from './core.ts';
import { findAll } from './document.ts';

// A figure starts where a number starts: never after a digit, or a digit and a separator. It
// changes no match (a match inside a number is found from the number's start first), and makes
// the search linear: "1,1,1,…" (one long line) was searched from every digit, each try running to
// the end of the line and back (1 MB took over 60 s).
const NUMBER = String.raw`(?<!\d)(?<!\d[,.])\d[\d,.]*`;
const CAPACITY = new RegExp(
  [
    String.raw`${NUMBER}\s*[kKmMbB]?\+?\s*(?:events?|msgs?|messages?|records?|rows?|requests?|req|transactions?|txns?|writes|reads|queries|files)\s*(?:\/|per\s)\s*(?:s|sec|second|min|minute|h|hr|hour|day|month)\b`,
    String.raw`${NUMBER}\s*(?:[KMGTP]i?B)\+?\s*(?:\/|per\s|a\s)\s*(?:s|sec|second|h|hr|hour|day|month|mo)\b`,
    String.raw`${NUMBER}\s*(?:[KMGTP]i?B)\s+(?:daily|per day|a day|of (?:data|storage|history))`,
    String.raw`\b\d+\s*(?:-\s*\d+\s*)?(?:partitions?|nodes?|brokers?|workers?|executors?|shards?|replicas?|vcpus?|cores?|instances?|task ?managers?|task slots?|slots?|pods?|consumers?|dbus?|clusters?)\b`,
    String.raw`\b\d+(?:\.\d+)?\s*[x×]\s*(?:headroom|growth|current|peak|the current|volume|burst|capacity)`,
    String.raw`headroom (?:of|for) \d|(?<!\d)\d+\s*%\s*headroom|\b\d+[x×]\s+(?:r|m|c|i)\d`,
  ].join('|'),
  'i',
);
const CRITERIA = [
  { name: 'horizontal scaling', re: /horizontal(?:ly)?|scal(?:e[sd]?|ing) out|auto-?scal|add(?:ing)? (?:more )?(?:\w+ )?(?:nodes|brokers|workers|partitions|executors|replicas|instances|consumers|pods|shards)|\belastic(?:ally|ity)?\b|scales? linearly|\bhpa\b|karpenter|increase (?:the )?(?:partition|worker|node|consumer) count/i },
  // A buffer on the data path, not "a 45 min buffer to the SLA" or a "contingency buffer".
  { name: 'backpressure', re: /back-?pressure|throttl|rate[- ]limit|bounded (?:queue|buffer|channel)s?|(?<!(?:\d\s?(?:min|h|hours?|%)|contingency|cost|time|schedule|budget|comfortable|safety)\s)(?:in-memory |local |disk |producer |consumer |network |kafka |queue |stream |write )?buffer(?:s|ing|ed)? (?:the )?(?:backlog|bursts?|spikes?|events|messages|records|writes|in memory|to disk)|flow control|max\.poll|load[- ]shedding|admission control|spill(?:s|ing)? to disk|credit-based|max\.in\.flight|fetch\.max|queue depth/i },
];

export default defineGrader({
  id: 'scalability',
  description: 'Capacity numbers, horizontal scaling and backpressure handling',
  weight: 1.5,
  grade(doc) {
    const figures = findAll(doc, CAPACITY);
    const distinct = [...new Map(figures.map((f) => [f.text.toLowerCase().replace(/\s+/g, ' '), f])).values()];
    const { found, missing } = findCriteria(doc, CRITERIA);
    const capacity = Math.min(distinct.length, 2) / 2;
    const score = (capacity + found.length) / 3;
    if (distinct.length < 2) missing.unshift(`capacity numbers (${distinct.length} found, wanted 2)`);
    const evidence = [...distinct.slice(0, 5).map((f) => at(f.line, `capacity: ${f.text}`, f.column)), ...found.map((f) => at(f.line, `${f.name}: ${f.text}`))];
    const reason = missing.length ? `missing: ${missing.join(', ')}` : `${distinct.length} capacity figures, horizontal scaling and backpressure covered`;
    return grade(missing.length === 0, score, reason, evidence, { capacityFigures: distinct.length, missing });
  },
});
