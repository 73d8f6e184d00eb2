// config-examples — the prompt's output format is a "technical design document with diagrams and
// configuration examples". A configuration block (an Airflow DAG, a Flink job, dbt tests, a
// Terraform module) shows the design can be built, and which settings matter.
//
// Passes with at least one code block in a programming or configuration language (yaml, json,
// sql, python, hcl/terraform, java, scala, toml, properties, bash…), or an untagged block that
// reads as code or configuration (key: value / key = value lines, SQL, function definitions).
// Diagram blocks and ```markdown wrappers do not count.

import { at, defineGrader, grade } from './core.ts';
import type { CodeBlock } from './document.ts';

const CONFIG_LANGS = new Set([
  'yaml', 'yml', 'json', 'jsonc', 'json5', 'sql', 'postgresql', 'pgsql', 'mysql', 'python', 'py', 'hcl', 'terraform', 'tf',
  'java', 'scala', 'kotlin', 'toml', 'ini', 'properties', 'conf', 'cfg', 'bash', 'sh', 'shell', 'zsh', 'console', 'xml',
  'dockerfile', 'docker', 'go', 'golang', 'javascript', 'js', 'typescript', 'ts', 'rust', 'jinja', 'jinja2', 'dbt', 'cue',
  'proto', 'protobuf', 'avro', 'avsc', 'graphql', 'promql', 'csharp', 'cs', 'r', 'ruby', 'nix', 'makefile', 'make', 'env',
  'dotenv', 'groovy', 'hocon', 'jsonnet', 'starlark', 'pyspark', 'sparksql', 'flinksql', 'ksql', 'hive', 'cypher', 'kql',
]);
const CODE_LINE = /^\s*(?:[\w.-]+\s*[:=]\s*\S|-\s+[\w.-]+:\s|SELECT\b|CREATE\b|INSERT\b|MERGE\b|WITH\b|def\s|class\s|import\s|from\s+\S+\s+import|resource\s+"|[{[]\s*$|"[\w.-]+"\s*:)/i;

export default defineGrader({
  id: 'config-examples',
  description: 'At least one code or configuration example',
  weight: 1,
  grade(doc) {
    const blocks = doc.code.filter(isConfig);
    if (!blocks.length) return grade(false, 0, 'no code or configuration block', []);
    const langs = [...new Set(blocks.map((b) => b.lang ?? 'untagged'))];
    return grade(true, 1, `${blocks.length} configuration/code block${blocks.length > 1 ? 's' : ''} (${langs.join(', ')})`, blocks.slice(0, 10).map((b) => at(b.line, b.lang ?? 'untagged block')), { blocks: blocks.length, languages: langs });
  },
});

function isConfig(block: CodeBlock): boolean {
  if (block.lang) return CONFIG_LANGS.has(block.lang.split(/[\s{]/)[0]!);
  const lines = block.value.split('\n').filter((l) => l.trim());
  if (!lines.length || /[─│┌┐└┘►▼→]/.test(block.value)) return false;
  return lines.filter((l) => CODE_LINE.test(l)).length >= Math.max(2, Math.ceil(lines.length / 3));
}
