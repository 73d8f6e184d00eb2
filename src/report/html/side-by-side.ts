// Side by side: two documents of one scenario next to each other with a line diff, and the
// graders' verdicts on each aligned in one table above them (what Braintrust's experiment diff
// shows). Two presets: two versions on one model (did the prompt change help here?), and two
// models on one version (Claude against GPT). Any version × model, the hand-written reference
// included, can be picked on either side. The markup is rendered here; the page script fills the
// table and the diff from the drill-down data when the reader picks something.

import { groupName } from '../format.ts';
import type { Group, ReportModel } from '../model.ts';
import { html, raw, type Raw } from './escape.ts';

export function sideBySideSection(m: ReportModel): Raw {
  const groups = [...m.groups.filter((g) => !g.reference), ...m.groups.filter((g) => g.reference)];
  const models = groups.filter((g) => !g.reference);
  if (models.length < 1 || !groups.length) return raw('');
  const scenarios = Object.keys(m.groups[0]?.scenarioMeans ?? {});
  const samples = Math.max(1, ...models.flatMap((g) => g.cells.map((c) => c.sample + 1)));
  const [versionsPreset, modelsPreset] = presets(models);
  const option = (g: Group, i: number, selected: boolean) => html`<option value="${String(i)}" data-version="${g.version}" data-model="${g.modelKey}"${selected ? raw(' selected') : ''}>${groupName(g)}</option>`;
  const start = versionsPreset ?? modelsPreset ?? [0, Math.min(1, groups.length - 1)];
  const pick = (id: string, side: 0 | 1) => html`<select id="${id}">${groups.map((g, i) => option(g, i, i === start[side]))}</select>`;
  const preset = (name: string, p: [number, number] | null, text: string) => (p ? html`<button type="button" class="preset" data-sxs-preset="${name}" data-left="${String(p[0])}" data-right="${String(p[1])}">${text}</button>` : '');
  return html`<section id="side-by-side"><h2>Side by side</h2><p class="muted">Two documents of one scenario with a line diff, and each grader's verdict on both. Removed lines are red on the left, added lines green on the right.</p>
<div class="sxs-controls">${preset('versions', versionsPreset, 'Two versions, one model')}${preset('models', modelsPreset, 'Two models, one version')}
<label>scenario <select id="sxs-scenario">${scenarios.map((s) => html`<option value="${s}">${s}</option>`)}</select></label>
<label>sample <select id="sxs-sample">${Array.from({ length: samples }, (_, k) => html`<option value="${String(k)}">#${String(k)}</option>`)}</select></label>
<label>left ${pick('sxs-left', 0)}</label> <label>right ${pick('sxs-right', 1)}</label></div>
<p id="sxs-note" class="muted">Pick a scenario, or a preset, to compare two documents.</p>
<div class="scroll"><table id="sxs-grades" class="sxs-grades"><thead><tr><th>grader</th><th id="sxs-left-head">left</th><th id="sxs-right-head">right</th></tr></thead><tbody></tbody></table></div>
<div id="sxs-diff" class="sxs-diff" role="table" aria-label="Line diff of the two documents"></div></section>`;
}

/** [left, right] group indexes: the first model's first and last versions; the last version's first two models. */
function presets(models: Group[]): [[number, number] | null, [number, number] | null] {
  const first = models[0]!;
  const sameModel = models.map((g, i) => [g, i] as const).filter(([g]) => g.modelKey === first.modelKey);
  const versions = sameModel.length > 1 ? ([sameModel[0]![1], sameModel.at(-1)![1]] as [number, number]) : null;
  const last = models.at(-1)!.version;
  const sameVersion = models.map((g, i) => [g, i] as const).filter(([g]) => g.version === last);
  const two = sameVersion.length > 1 ? ([sameVersion[0]![1], sameVersion[1]![1]] as [number, number]) : null;
  return [versions, two];
}

export const SXS_SCRIPT = String.raw`
  // Side by side (side-by-side.ts): fills #sxs-grades and #sxs-diff for the picked documents.
  const sxs = $('side-by-side');
  if (sxs) {
    const pickOf = (id) => { const o = $(id).selectedOptions[0]; return { version: o.getAttribute('data-version'), model: o.getAttribute('data-model'), name: o.textContent }; };
    let index = null;
    const find = (data, p, scenario, sample) => {
      if (!index) {
        index = new Map();
        for (const c of Object.values(data.cells)) if (c.side === 'current') index.set([c.version, c.modelKey, c.scenario, c.sample].join('\u0000'), c);
      }
      return index.get([p.version, p.model, scenario, p.version === 'reference' ? 0 : sample].join('\u0000')) || null;
    };
    const verdict = (g) => (g ? (g.pass ? '✓ pass ' : '✗ FAIL ') + fmt(g.score, 2) : '–');
    async function show() {
      const data = await load();
      const scenario = $('sxs-scenario').value;
      const sample = Number($('sxs-sample').value);
      const [lp, rp] = [pickOf('sxs-left'), pickOf('sxs-right')];
      const [l, r] = [find(data, lp, scenario, sample), find(data, rp, scenario, sample)];
      $('sxs-left-head').textContent = lp.name + (l ? ' · ' + (l.pass === null ? 'not graded' : (l.pass ? 'pass ' : 'FAIL ') + fmt(l.score, 2)) : '');
      $('sxs-right-head').textContent = rp.name + (r ? ' · ' + (r.pass === null ? 'not graded' : (r.pass ? 'pass ' : 'FAIL ') + fmt(r.score, 2)) : '');
      const body = $('sxs-grades').tBodies[0];
      body.replaceChildren();
      const ids = [];
      for (const c of [l, r]) if (c) for (const g of c.grades) if (!ids.includes(g.id)) ids.push(g.id);
      for (const id of ids) {
        const [a, b] = [l && l.grades.find((g) => g.id === id), r && r.grades.find((g) => g.id === id)];
        const tr = el('tr', null, a && b && a.pass !== b.pass ? 'changed' : '');
        const ta = el('td', verdict(a), a ? (a.pass ? 'pass' : 'fail') : '');
        const tb = el('td', verdict(b), b ? (b.pass ? 'pass' : 'fail') : '');
        if (a) ta.title = a.reason;
        if (b) tb.title = b.reason;
        tr.append(el('td', id + (((a && a.hard) || (b && b.hard)) ? ' (hard)' : '')), ta, tb);
        body.append(tr);
      }
      const grid = $('sxs-diff');
      grid.replaceChildren();
      const missing = [[l, lp], [r, rp]].filter(([c]) => !c || c.doc === null).map(([c, p]) => p.name + ': ' + (c ? c.docNote || 'no document' : 'no such cell in this run'));
      $('sxs-note').textContent = missing.length ? missing.join(' · ') : scenario + ', sample #' + sample + ': ' + lp.name + ' on the left, ' + rp.name + ' on the right.';
      if (missing.length) return;
      const [a, b] = [data.docs[l.doc].split(/\r?\n/), data.docs[r.doc].split(/\r?\n/)];
      const [ca, cb] = [codeFlags(a), codeFlags(b)];
      const ops = diffLines(a, b);
      let changed = 0;
      const frag = document.createDocumentFragment();
      const cellsFor = (i, lines, flags, cls) => {
        const num = el('span', i === null ? '' : String(i + 1), 'n');
        const text = el('span', i === null ? '' : lines[i], 't ' + cls + (i !== null && flags[i] ? ' code' : ''));
        return [num, text];
      };
      for (let k = 0; k < ops.length;) {
        if (ops[k][0] === '=') { frag.append(...cellsFor(ops[k][1], a, ca, 'same'), ...cellsFor(ops[k][2], b, cb, 'same')); k++; continue; }
        const dels = [], adds = [];
        while (k < ops.length && ops[k][0] !== '=') { (ops[k][0] === '-' ? dels : adds).push(ops[k]); k++; }
        changed += dels.length + adds.length;
        for (let x = 0; x < Math.max(dels.length, adds.length); x++) {
          frag.append(...cellsFor(dels[x] ? dels[x][1] : null, a, ca, dels[x] ? 'del' : 'gap'), ...cellsFor(adds[x] ? adds[x][2] : null, b, cb, adds[x] ? 'add' : 'gap'));
        }
      }
      grid.append(frag);
      $('sxs-note').textContent += ' ' + (changed ? changed + ' line(s) differ.' : 'The two documents are identical.');
    }
    const refresh = () => { show().catch((error) => { $('sxs-note').textContent = 'Cannot show the documents: ' + String(error && error.message || error); }); };
    for (const id of ['sxs-scenario', 'sxs-sample', 'sxs-left', 'sxs-right']) $(id).addEventListener('change', refresh);
    for (const b of sxs.querySelectorAll('button[data-sxs-preset]')) b.addEventListener('click', () => {
      $('sxs-left').value = b.getAttribute('data-left');
      $('sxs-right').value = b.getAttribute('data-right');
      for (const o of sxs.querySelectorAll('button[data-sxs-preset]')) o.setAttribute('aria-pressed', String(o === b));
      refresh();
    });
    // Filled when first scrolled to: inflating the documents is not worth it for a reader who never looks.
    if ('IntersectionObserver' in window) {
      const seen = new IntersectionObserver((entries) => { if (entries.some((e) => e.isIntersecting)) { seen.disconnect(); refresh(); } });
      seen.observe(sxs);
    }
  }
`;
