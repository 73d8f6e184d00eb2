import { describe, expect, it } from 'vitest';
import { findAll, headingKey, parseDocument, sectionAt, underMatching } from './document.ts';

describe('sections', () => {
  it('reads ATX, setext and bold-only headings into a tree with line ranges', () => {
    const doc = parseDocument(
      [
        '# Pipeline Architecture', // 1
        '', // 2
        '## 1. Architecture Overview', // 3
        'text', // 4
        '### 1.1 Components', // 5
        'more', // 6
        '', // 7
        'Technology Stack', // 8
        '----------------', // 9
        '**Cost Estimation (Monthly)**', // 10
        '', // 11
        'Costs here.', // 12
        '', // 13
        'Monitoring', // 14
        '==========', // 15
        'end', // 16
      ].join('\n'),
    );
    expect(doc.sections.map((s) => [s.title, s.depth, s.kind, s.line, s.endLine, s.parent])).toEqual([
      ['Pipeline Architecture', 1, 'atx', 1, 13, null],
      ['1. Architecture Overview', 2, 'atx', 3, 7, 0],
      ['1.1 Components', 3, 'atx', 5, 7, 1],
      ['Technology Stack', 2, 'setext', 8, 13, 0],
      ['Cost Estimation (Monthly)', 7, 'bold', 10, 13, 3],
      ['Monitoring', 1, 'setext', 14, 16, null],
    ]);
    expect(doc.sections[1]!.key).toBe('architecture overview');
    expect(sectionAt(doc, 12)?.title).toBe('Cost Estimation (Monthly)');
    expect(sectionAt(doc, 6)?.title).toBe('1.1 Components');
  });

  it('takes a bold line with a colon as a heading, but not bold text inside a sentence or a list', () => {
    const doc = parseDocument('**Quality Gates:**\n\nA **bold** word.\n\n- **Kafka** — broker\n\n**Two**\n**lines**\n');
    expect(doc.sections.map((s) => s.title)).toEqual(['Quality Gates']);
  });

  it('normalises heading keys: numbering, step prefixes and trailing colons', () => {
    expect(headingKey('2.3 Data Flow Stages:')).toBe('data flow stages');
    expect(headingKey('Step 4: Quality Framework')).toBe('quality framework');
    expect(headingKey('IV. Scalability')).toBe('scalability');
    expect(headingKey('Architecture Overview')).toBe('architecture overview');
  });
});

describe('tables', () => {
  it('reads GFM tables with and without outer pipes, with cell text and row lines', () => {
    const doc = parseDocument('| A | **B** |\n|---|---|\n| 1 | `x` |\n\nC | D\n--|--\n3 | [link](http://x)\n');
    expect(doc.tables).toEqual([
      { line: 1, endLine: 3, header: ['A', 'B'], rows: [{ line: 3, cells: ['1', 'x'] }] },
      { line: 5, endLine: 7, header: ['C', 'D'], rows: [{ line: 7, cells: ['3', 'link'] }] },
    ]);
  });
});

describe('GFM', () => {
  it('reads tables, footnotes, strikethrough and task lists, and keeps bare URLs as the text written', () => {
    const doc = parseDocument(
      [
        '## See https://docs.example.com/cdc_guide and www.example.org', // 1
        '', // 2
        '| Tool | Docs | Status |', // 3
        '|---|---|---|', // 4
        '| Kafka | https://kafka.apache.org/_docs_/intro | ~~old~~ kept |', // 5
        '', // 6
        '- [x] **Airflow** schedules the batch[^1]', // 7
        '', // 8
        '[^1]: Managed on MWAA.', // 9
      ].join('\n'),
    );
    expect(doc.sections[0]!.title).toBe('See https://docs.example.com/cdc_guide and www.example.org');
    // The one difference from remark-gfm: with no autolink literal, `_docs_` in a bare URL is
    // emphasis, and the cell's text loses its underscores (remark-gfm kept the URL whole).
    expect(doc.tables[0]!.rows[0]!.cells).toEqual(['Kafka', 'https://kafka.apache.org/docs/intro', 'old kept']);
    expect(doc.items[0]).toMatchObject({ line: 7, bold: 'Airflow' });
  });
});

describe('code blocks', () => {
  it('reads fenced and indented blocks with their language', () => {
    const doc = parseDocument('```yaml\na: 1\n```\n\n~~~Python\nx = 1\n~~~\n\npara\n\n    indented\n    code\n');
    expect(doc.code.map((c) => [c.lang, c.fenced, c.line, c.endLine, c.value])).toEqual([
      ['yaml', true, 1, 3, 'a: 1'],
      ['python', true, 5, 7, 'x = 1'],
      [null, false, 11, 12, 'indented\ncode'],
    ]);
    expect(doc.inCode.slice(1, 8)).toEqual([true, true, true, false, true, true, true]);
  });

  it('marks ```markdown blocks as quoted so that searches skip them', () => {
    const doc = parseDocument('intro retry\n\n```markdown\n## Retry policy\nretry with backoff\n```\n');
    expect(findAll(doc, /retry/i).map((m) => m.line)).toEqual([1]);
    expect(doc.sections).toEqual([]);
  });
});

describe('word counts', () => {
  it('counts prose words outside code, with tables and inline code included', () => {
    const doc = parseDocument(
      ['# Title here', '', 'Kafka → Flink: 10K events/s, `max.poll` — ok.', '', '| a b | c |', '|---|---|', '| d | e f |', '', '```', 'code words here', '```'].join('\n'),
    );
    // "# — → |" hold no letter or digit and are not words.
    expect(doc.words).toEqual({ prose: 2 + 6 + 3 + 3, tables: 6, code: 3 });
  });

  it('ignores front matter, HTML tags and HTML comments', () => {
    const doc = parseDocument('---\ntitle: x y z\nauthor: me\n---\n<!-- not\ncounted -->\n<details><summary>Two words</summary>\n\nthree more words\n\n</details>\n');
    expect(doc.words.prose).toBe(5);
    expect(doc.lines[1]).toBe(''); // front matter blanked, line numbers kept
    expect(doc.sections).toEqual([]);
  });

  it('keeps a thematic break at the top that is not front matter', () => {
    const doc = parseDocument('---\n\nHello world\n');
    expect(doc.words.prose).toBe(2);
  });
});

describe('odd input', () => {
  it('treats CRLF like LF and drops a BOM', () => {
    const lf = parseDocument('## Cost\n\n| a | b |\n|---|---|\n| x | $1 |\n');
    const crlf = parseDocument('\uFEFF## Cost\r\n\r\n| a | b |\r\n|---|---|\r\n| x | $1 |\r\n');
    expect(crlf.sections).toEqual(lf.sections);
    expect(crlf.tables).toEqual(lf.tables);
    expect(crlf.words).toEqual(lf.words);
  });

  it('parses an empty document', () => {
    const doc = parseDocument('');
    expect(doc.empty).toBe(true);
    expect(doc.words).toEqual({ prose: 0, tables: 0, code: 0 });
  });

  it('finds context from enclosing headings and list items', () => {
    const doc = parseDocument('## Silver layer\n\n- check A\n\n## Gold\n\n- **Raw stage**\n  - check B\n');
    const silver = underMatching(doc, /silver/i);
    const raw = underMatching(doc, /raw/i);
    expect([silver[3], silver[8], raw[3], raw[8]]).toEqual([true, false, false, true]);
  });

  it('parses a long document in pieces with the line numbers of one piece', () => {
    const unit = '## Section\n\nSome prose with words.\n\n| Component | Cost |\n|---|---|\n| Kafka | $600 |\n\n```yaml\nkey: value\n```\n\n';
    const n = Math.ceil(300_000 / unit.length); // several 64 KB pieces
    const small = parseDocument(unit.repeat(4));
    const big = parseDocument(unit.repeat(n));
    expect([big.sections.length, big.tables.length, big.code.length]).toEqual([n, n, n]);
    const last = big.tables[n - 1]!;
    expect(last.line).toBe(small.tables[3]!.line + (n - 4) * 12);
    expect(big.lines[last.rows[0]!.line - 1]).toBe('| Kafka | $600 |');
    expect(big.words.prose).toBe(small.words.prose * (n / 4));
  });

  it('keeps a fenced block whole across the piece size', () => {
    const filler = 'Some prose line.\n\n'.repeat(4000); // about 72 KB
    const doc = parseDocument(`${filler}\`\`\`text\n${'a\n\nb\n'.repeat(2000)}\`\`\`\n\nAfter\n=====\n`);
    expect(doc.code).toHaveLength(1);
    expect(doc.sections.map((s) => s.title)).toEqual(['After']);
  });
});

describe('compact tables', () => {
  it('counts the words of cells written without spaces around the pipes', () => {
    const spaced = parseDocument('| Source | Type |\n|---|---|\n| Kafka topic | stream |\n');
    const compact = parseDocument('|Source|Type|\n|---|---|\n|Kafka topic|stream|\n');
    expect(compact.words).toEqual(spaced.words);
    expect(compact.words.tables).toBe(5);
  });
});
