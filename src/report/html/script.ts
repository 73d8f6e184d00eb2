// The report page's only script, inlined into report.html and allowed by the page's CSP through
// its hash. It sorts tables, filters the cell list, and opens the drill-down: it inflates the
// gzipped drill-down data (DecompressionStream, no network), then shows a cell's grades and its
// document line by line. Model output only ever reaches the page through textContent, so markup
// in a document (a <script>, an onerror=) is shown as text and never parsed.
//
// Plain browser JavaScript in a string: serialising a TypeScript function instead would carry
// whatever helpers the TypeScript loader injects into it.

import { DOC_SCRIPT } from './script-doc.ts';
import { SXS_SCRIPT } from './side-by-side.ts';

export const SCRIPT = String.raw`(() => {
  'use strict';
  const $ = (id) => document.getElementById(id);
  const el = (tag, text, cls) => {
    const e = document.createElement(tag);
    if (text !== undefined && text !== null) e.textContent = String(text);
    if (cls) e.className = cls;
    return e;
  };

  // Sorting: click (or Enter on) a header; numbers by data-v, text otherwise; stable.
  for (const table of document.querySelectorAll('table.sortable')) {
    const ths = Array.from(table.tHead.rows[0].cells);
    ths.forEach((th, col) => {
      const sort = () => {
        const dir = th.getAttribute('aria-sort') === 'ascending' ? 'descending' : 'ascending';
        ths.forEach((o) => o.removeAttribute('aria-sort'));
        th.setAttribute('aria-sort', dir);
        const body = table.tBodies[0];
        const key = (row) => {
          const td = row.cells[col];
          if (!td) return '';
          const v = td.getAttribute('data-v');
          if (v === null) return td.textContent.trim();
          const n = Number(v);
          return v !== '' && !Number.isNaN(n) ? n : v;
        };
        const sign = dir === 'ascending' ? 1 : -1;
        Array.from(body.rows)
          .map((row, i) => [key(row), i, row])
          .sort((a, b) => {
            const x = a[0], y = b[0];
            let c;
            if (typeof x === 'number' && typeof y === 'number') c = x - y;
            else if (typeof x === 'number') c = -1;
            else if (typeof y === 'number') c = 1;
            else c = String(x).localeCompare(String(y), 'en', { numeric: true });
            return c * sign || a[1] - b[1];
          })
          .forEach((entry) => body.appendChild(entry[2]));
      };
      th.addEventListener('click', sort);
      th.addEventListener('keydown', (e) => {
        if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); sort(); }
      });
    });
  }

  const filter = $('cell-filter');
  if (filter) filter.addEventListener('input', () => {
    const words = filter.value.toLowerCase().split(/\s+/).filter(Boolean);
    let shown = 0;
    for (const row of document.querySelectorAll('#cell-table tbody tr')) {
      const ok = words.every((w) => row.textContent.toLowerCase().includes(w));
      row.hidden = !ok;
      if (ok) shown++;
    }
    $('cell-count').textContent = shown + ' cells';
  });

  // Drill-down data: gzip + base64, inflated once, on first use.
  let loading = null;
  const load = () => loading || (loading = (async () => {
    if (typeof DecompressionStream !== 'function') throw new Error('this browser cannot inflate the documents (it has no DecompressionStream)');
    const bin = atob($('drill-data').textContent.trim());
    const bytes = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
    const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('gzip'));
    return JSON.parse(await new Response(stream).text());
  })());

  const dialog = $('drill');
  const fmt = (x, d) => (x === null || x === undefined ? '–' : Number(x).toFixed(d));

  function showLine(n, focus) {
    const li = $('L' + n);
    if (!li) return;
    if (focus) li.classList.add('focus');
    li.scrollIntoView({ block: 'center' });
  }

  function render(data, ref) {
    const c = data.cells[ref];
    $('drill-title').textContent = c ? (c.reference ? 'Hand-written reference' : c.version + ' · ' + c.label) + ' · ' + c.scenario + (c.reference ? '' : ' · sample ' + c.sample) : 'Cell not in this report';
    const meta = $('drill-meta');
    meta.replaceChildren();
    const grades = $('drill-grades').tBodies[0];
    grades.replaceChildren();
    const doc = $('drill-doc');
    doc.replaceChildren();
    const samples = $('drill-samples');
    samples.replaceChildren();
    $('drill-docnote').textContent = '';
    if (!c) { $('drill-docnote').textContent = 'No data for ' + ref + ' (only the compared run\'s documents that a flip points at are included).'; return; }
    meta.textContent = [
      c.side === 'compared' ? 'compared run ' + c.runId : 'run ' + c.runId,
      'status ' + c.status + (c.stopReason ? ' (' + c.stopReason + ')' : ''),
      'score ' + fmt(c.score, 3),
      c.pass === null ? 'not graded' : c.pass ? 'pass' : 'FAIL',
      c.costUsd === null ? 'cost unknown' : '$' + fmt(c.costUsd, 4),
      c.latencyMs === null ? '' : fmt(c.latencyMs / 1000, 1) + ' s',
      c.tokens.input + ' in / ' + c.tokens.output + ' out tokens',
    ].filter(Boolean).join(' · ') + (c.error ? ' · error: ' + c.error : '');
    const siblings = Object.values(data.cells).filter((o) => o.side === c.side && o.version === c.version && o.label === c.label && o.scenario === c.scenario).sort((a, b) => a.sample - b.sample);
    if (siblings.length > 1) {
      samples.append(el('span', 'samples: ', 'muted'));
      for (const s of siblings) {
        const b = el('button', '#' + s.sample + (s.pass === false ? ' ✗' : s.pass ? ' ✓' : ''));
        b.type = 'button';
        b.setAttribute('data-cell', s.ref);
        if (s.ref === c.ref) b.setAttribute('aria-current', 'true');
        samples.append(b);
      }
    }
    const hits = new Map();
    for (const g of c.grades) for (const [line, note] of g.at) {
      if (!hits.has(line)) hits.set(line, []);
      hits.get(line).push(g.id + ': ' + note);
    }
    for (const g of c.grades) {
      const tr = el('tr', null, g.pass ? 'pass' : 'fail');
      const name = el('td', g.id);
      if (g.hard) name.append(el('span', ' hard', 'muted'));
      const where = el('td');
      for (const [line, note] of g.at) {
        const b = el('button', 'L' + line);
        b.type = 'button';
        b.title = note;
        b.addEventListener('click', (e) => { e.stopPropagation(); showLine(line, true); });
        where.append(b);
      }
      tr.append(name, el('td', g.pass ? 'pass' : 'FAIL'), el('td', fmt(g.score, 2)), el('td', g.reason), where);
      tr.addEventListener('click', () => {
        for (const r of grades.rows) r.classList.toggle('selected', r === tr);
        for (const li of doc.querySelectorAll('li.focus')) li.classList.remove('focus');
        for (const a of g.at) { const li = $('L' + a[0]); if (li) li.classList.add('focus'); }
        if (g.at.length) showLine(g.at[0][0], false);
      });
      grades.append(tr);
    }
    if (c.doc === null) { $('drill-docnote').textContent = c.docNote || 'No document.'; return; }
    renderLines(doc, data.docs[c.doc], 'L', (li, n) => {
      const h = hits.get(n);
      if (h) { li.classList.add('hit'); li.title = h.join('\n'); }
    });
    if (data.note) $('drill-docnote').textContent = data.note;
  }

  async function openCell(ref) {
    if (!dialog.open) dialog.showModal();
    $('drill-title').textContent = 'Loading…';
    try {
      render(await load(), ref);
    } catch (error) {
      $('drill-title').textContent = 'Cannot show the document';
      $('drill-docnote').textContent = String(error && error.message || error);
    }
    $('drill-doc-pane').scrollTop = 0;
    if (location.hash !== '#cell=' + encodeURIComponent(ref)) history.replaceState(null, '', '#cell=' + encodeURIComponent(ref));
    dialog.setAttribute('data-cell-open', ref);
  }

  document.addEventListener('click', (e) => {
    const t = e.target instanceof Element ? e.target.closest('[data-cell]') : null;
    if (t) { e.preventDefault(); openCell(t.getAttribute('data-cell')); }
  });
  $('drill-close').addEventListener('click', () => dialog.close());
  dialog.addEventListener('close', () => {
    dialog.removeAttribute('data-cell-open');
    if (location.hash.startsWith('#cell=')) history.replaceState(null, '', location.pathname + location.search);
  });
  const fromHash = () => {
    if (location.hash.startsWith('#cell=')) openCell(decodeURIComponent(location.hash.slice(6)));
  };
  window.addEventListener('hashchange', fromHash);
  fromHash();
${DOC_SCRIPT}
${SXS_SCRIPT}
  document.documentElement.setAttribute('data-ready', '1');
})();
`;
