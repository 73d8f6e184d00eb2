// Part of the report page's script (script.ts inlines it): how a document's lines are shown, in
// the drill-down and side by side. Prose wraps; code blocks and diagrams keep their lines — a
// fenced block (``` or ~~~), or a run of lines drawn with box-drawing characters or ASCII arrows,
// is one box that scrolls sideways on its own, so an architecture diagram is never re-flowed
// into nonsense. And a line diff for two documents (a longest common subsequence over the lines,
// after the common head and tail are set aside), computed in the page when asked for, so any
// two documents of the report can be compared without shipping a diff per pair.
//
// Plain browser JavaScript in a string, like script.ts; text only ever goes in by textContent.

export const DOC_SCRIPT = String.raw`
  // true for each line that must keep its shape (fenced code, diagrams).
  function codeFlags(lines) {
    const out = [];
    let fence = null;
    const drawn = /[\u2500-\u257f\u2190-\u21ff\u25b2-\u25bc]|\+-{2,}|-{2,}>|<-{2,}|={2,}>|\|\s{2,}\S.*\s{2,}\|/;
    for (const line of lines) {
      const m = /^ {0,3}(\x60{3,}|~{3,})(.*)$/.exec(line);
      if (fence) {
        out.push(true);
        if (m && m[1][0] === fence[0] && m[1].length >= fence.length && m[2].trim() === '') fence = null;
      } else if (m) {
        fence = m[1];
        out.push(true);
      } else out.push(drawn.test(line) && !/^\s*\|.*\|\s*$/.test(line) || (line.trim() !== '' && /^(\t| {4})/.test(line) && out.length > 0 && out[out.length - 1]));
    }
    return out;
  }

  // Fills the list with one li per line (id prefix + number), code runs grouped in a scrolling box.
  // decorate(li, lineNumber) may add classes or a title.
  function renderLines(list, text, prefix, decorate) {
    const lines = text.split(/\r?\n/);
    const flags = codeFlags(lines);
    const frag = document.createDocumentFragment();
    let block = null;
    lines.forEach((line, i) => {
      const li = el('li', line);
      li.id = prefix + (i + 1);
      li.setAttribute('data-n', String(i + 1));
      if (decorate) decorate(li, i + 1);
      if (flags[i]) {
        if (!block) {
          const box = el('li', null, 'block');
          block = el('ol', null, 'code');
          box.append(block);
          frag.append(box);
        }
        block.append(li);
      } else {
        block = null;
        frag.append(li);
      }
    });
    list.append(frag);
  }

  // Line diff: a list of [op, i, j] with op '=' (a[i] = b[j]), '-' (a[i] only), '+' (b[j] only).
  function diffLines(a, b) {
    let s = 0;
    while (s < a.length && s < b.length && a[s] === b[s]) s++;
    let e = 0;
    while (e < a.length - s && e < b.length - s && a[a.length - 1 - e] === b[b.length - 1 - e]) e++;
    const n = a.length - s - e, m = b.length - s - e;
    const ops = [];
    for (let k = 0; k < s; k++) ops.push(['=', k, k]);
    if (n * m > 16e6) {
      // Too big to align in the page: shown as replaced whole rather than freezing the tab.
      for (let i = 0; i < n; i++) ops.push(['-', s + i, null]);
      for (let j = 0; j < m; j++) ops.push(['+', null, s + j]);
    } else {
      const w = m + 1;
      const dp = new Uint32Array((n + 1) * w);
      for (let i = n - 1; i >= 0; i--) for (let j = m - 1; j >= 0; j--) dp[i * w + j] = a[s + i] === b[s + j] ? dp[(i + 1) * w + j + 1] + 1 : Math.max(dp[(i + 1) * w + j], dp[i * w + j + 1]);
      let i = 0, j = 0;
      while (i < n || j < m) {
        if (i < n && j < m && a[s + i] === b[s + j]) { ops.push(['=', s + i, s + j]); i++; j++; }
        else if (j >= m || (i < n && dp[(i + 1) * w + j] >= dp[i * w + j + 1])) { ops.push(['-', s + i, null]); i++; }
        else { ops.push(['+', null, s + j]); j++; }
      }
    }
    for (let k = 0; k < e; k++) ops.push(['=', a.length - e + k, b.length - e + k]);
    return ops;
  }
`;
