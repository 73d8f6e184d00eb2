// complexity-fit — the prompt warns against "over-engineering for current data volumes" and
// "choosing technologies team cannot operate effectively", and asks for "reasonable complexity
// for team capabilities". Recommending Kafka + Flink + Spark to two people moving a few GB a day
// is the classic failure.
//
// Needs a scenario. A technology is recommended when it is one of the stack's choices
// (stack.ts) or a component of the architecture diagram; naming it as a rejected alternative
// does not count. Fails when any technology the scenario lists as over-engineering is
// recommended. For a small team (≤ 3 people, or beginners) it also fails when the stack
// recommends three or more systems that take a platform team to run (self-managed Kafka,
// Flink, Spark clusters, Kubernetes, Hadoop, Cassandra...). Technology names match as whole
// words ("Hive" is not "HiveMQ"). Score = 1 - 0.34 per finding.

import type { NamedTerm } from '../src/dataset/schema.ts';
import { at, defineGrader, grade, termPattern, type Location } from './core.ts';
import type { Document } from './document.ts';
import { readStack } from './stack.ts';

const HEAVY: NamedTerm[] = [
  { name: 'Kafka', aliases: ['Apache Kafka', 'MSK', 'Confluent'] },
  { name: 'Flink', aliases: ['Apache Flink'] },
  { name: 'Spark', aliases: ['Apache Spark', 'PySpark', 'EMR', 'Databricks'] },
  { name: 'Kubernetes', aliases: ['k8s', 'EKS', 'GKE', 'AKS'] },
  { name: 'Hadoop', aliases: ['HDFS', 'YARN', 'Hive'] },
  { name: 'Cassandra', aliases: ['ScyllaDB'] },
  { name: 'Pulsar', aliases: ['Apache Pulsar'] },
  { name: 'Druid', aliases: ['Apache Druid'] },
];

export default defineGrader({
  id: 'complexity-fit',
  description: 'No over-engineering for the scenario, and a stack the team can run',
  weight: 1.5,
  needsScenario: true,
  grade(doc, { scenario }) {
    const recommended = recommendedText(doc);
    const over = recommendedTerms(recommended, scenario!.expectations.overEngineering);
    const team = scenario!.facts.team;
    const small = team !== undefined && ((team.size !== undefined && team.size <= 3) || team.skill === 'beginner');
    const heavy = small ? recommendedTerms(recommended, HEAVY) : [];
    const findings = [...over.map((o) => `${o.name} is over-engineering here`), ...(heavy.length >= 3 ? [`${heavy.length} heavy systems (${heavy.map((h) => h.name).join(', ')}) for a team of ${team?.size ?? 'beginners'}`] : [])];
    const evidence = [...over, ...(heavy.length >= 3 ? heavy : [])].map((o) => o.at);
    const reason = findings.length ? findings.join('; ') : `no over-engineering found${small ? ` (${heavy.length} heavy systems for a small team)` : ''}`;
    return grade(!findings.length, 1 - 0.34 * findings.length, reason, evidence, { overEngineered: over.map((o) => o.name), heavy: heavy.map((h) => h.name) });
  },
});

/** The terms the document recommends (a stack choice or a diagram component), with where. */
export function recommendedIn(doc: Document, terms: NamedTerm[]): Array<{ name: string; at: Location }> {
  return recommendedTerms(recommendedText(doc), terms);
}

/** The recommended parts of the document: each stack choice's name, and diagram blocks. */
function recommendedText(doc: Document): Array<{ line: number; text: string }> {
  const choices = readStack(doc).choices.map((c) => ({ line: c.line, text: c.name }));
  const diagrams = doc.code
    .filter((b) => b.lang === null || /^(?:mermaid|text|txt|ascii|plantuml|puml|dot|graphviz|d2|diagram)$/.test(b.lang))
    .filter((b) => /-->|->|→|──|▶|►|▼/.test(b.value))
    .map((b) => ({ line: b.line, text: b.value }));
  return [...choices, ...diagrams];
}

function recommendedTerms(parts: Array<{ line: number; text: string }>, terms: NamedTerm[]): Array<{ name: string; at: Location }> {
  const out: Array<{ name: string; at: Location }> = [];
  for (const term of terms) {
    const re = termPattern(term, { wholeWord: true });
    const part = parts.find((p) => re.test(p.text));
    if (part) out.push({ name: term.name, at: at(part.line, `recommends ${term.name}`) });
  }
  return out;
}
