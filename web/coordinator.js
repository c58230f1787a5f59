/* coordinator.js: the year's progress (the HTML report with its charts, in
 * a sandboxed frame), the month's task list per office with the XLSX
 * download, and the emergency draw. */
'use strict';

function thisMonth() {
  const d = new Date();
  return d.getFullYear() + '-' + String(d.getMonth() + 1).padStart(2, '0');
}

async function showProgress(box) {
  const blob = await api('GET', '/api/v1/reports/progress?format=html&lang=' + LANG, { blob: true });
  const url = URL.createObjectURL(new Blob([blob], { type: 'text/html' }));
  /* the report as the frame's own document, sandboxed: nothing in it runs */
  const frame = el('iframe', { sandbox: '', title: C_('web', 'This year against plan'), class: 'report', id: 'progress-frame' });
  frame.srcdoc = await blob.text();
  box.replaceChildren(frame,
    el('p', { class: 'noprint' }, el('a', { href: url, target: '_blank', rel: 'noopener' }, C_('web', 'Open the report'))));
}

async function showTasks(box, month) {
  const rows = await api('GET', '/api/v1/tasks?month=' + encodeURIComponent(month));
  const list = Array.isArray(rows) ? rows : (rows.tasks || []);
  const offices = new Map();
  for (const r of list) {
    if (!offices.has(r.office)) offices.set(r.office, []);
    offices.get(r.office).push(r);
  }
  box.replaceChildren();
  if (offices.size === 0) box.append(el('p', { class: 'empty' }, C_('web', 'none')));
  for (const [office, rs] of offices)
    box.append(el('h3', {}, C_('web', 'Office') + ' ' + (rs[0].office_name || office) + ' (' + rs.length + ')'),
      table(rs, [['record_no', C_('web', 'Record')], ['business', C_('web', 'Business')],
        ['category_name', C_('web', 'Category')], ['inspector1', C_('web', 'Inspectors'), (v, r) => v + '、' + r.inspector2],
        ['lab_name', C_('web', 'Lab')], ['due_date', C_('web', 'Due')]]));
}

async function download(month, out) {
  try {
    const blob = await api('GET', '/api/v1/tasks?format=xlsx&month=' + encodeURIComponent(month), { blob: true });
    const a = el('a', { href: URL.createObjectURL(blob), download: 'tasks-' + month + '.xlsx' });
    document.body.append(a);
    a.click();
    a.remove();
  } catch (err) { out.replaceChildren(errorBox(err)); }
}

function drawForm(out) {
  const f = (id, label, attrs = {}) => el('p', { class: 'field' }, el('label', { for: id }, label),
    el(attrs.tag || 'input', { id, name: id, ...attrs, tag: null }));
  const form = el('form', { id: 'draw-form', class: 'card' },
    f('d-month', C_('web', 'Month'), { type: 'month', required: true, value: thisMonth() }),
    f('d-category', C_('web', 'Category code'), { type: 'text', required: true, inputmode: 'numeric' }),
    f('d-count', C_('web', 'Count'), { type: 'number', min: 1, max: 10000, value: 1 }),
    f('d-reason', C_('web', 'Reason'), { type: 'text', required: true }),
    f('d-street', C_('web', 'Street (optional)'), { type: 'text' }),
    f('d-businesses', C_('web', 'Named businesses, credit codes (optional, comma-separated)'), { type: 'text' }),
    f('d-over', C_('web', 'Reason to go over the reserve (optional)'), { type: 'text' }),
    el('button', { type: 'submit' }, C_('web', 'Draw')));
  form.addEventListener('submit', async ev => {
    ev.preventDefault();
    const v = id => form.querySelector('#' + id).value.trim();
    const body = { month: v('d-month'), category: v('d-category'), reason: v('d-reason') };
    const list = v('d-businesses').split(/[,，;；\s]+/).filter(Boolean);
    if (list.length) body.businesses = list; else body.count = parseInt(v('d-count'), 10) || 0;
    if (v('d-street')) body.street = v('d-street');
    if (v('d-over')) body.over_reserve = v('d-over');
    try {
      const r = await api('POST', '/api/v1/draws/emergency', { json: body, key: newKey() });
      out.replaceChildren(message('ok', fill(C_('web', 'Drawn: draw number {n}'), { n: r.draw_no })),
        table(r.tasks, [['record_no', C_('web', 'Record')], ['business', C_('web', 'Business')],
          ['office', C_('web', 'Office')], ['lab', C_('web', 'Lab')]]));
    } catch (err) { out.replaceChildren(errorBox(err)); }
    out.focus();
  });
  return form;
}

start(async (main) => {
  main.append(el('h1', {}, pageName('coordinator')));
  const progress = el('div', { id: 'progress' }, C_('web', 'Loading…'));
  const tasks = el('div', { id: 'tasks' });
  const taskMsg = el('div', { 'aria-live': 'polite' });
  const month = el('input', { type: 'month', id: 'month', value: thisMonth() });
  const pick = el('form', { id: 'month-form', class: 'inline noprint' },
    el('label', { for: 'month' }, C_('web', 'Month')), month,
    el('button', { type: 'submit' }, C_('web', 'Show')),
    el('button', { type: 'button', id: 'xlsx', onclick: () => download(month.value, taskMsg) }, C_('web', 'Download XLSX')));
  pick.addEventListener('submit', ev => {
    ev.preventDefault();
    showTasks(tasks, month.value).then(() => taskMsg.replaceChildren(),
      err => taskMsg.replaceChildren(errorBox(err)));
  });
  const drawOut = el('div', { id: 'draw-result', 'aria-live': 'polite', tabindex: '-1' });
  main.append(
    el('section', { 'aria-labelledby': 'h-progress' }, el('h2', { id: 'h-progress' }, C_('web', 'This year against plan')), progress),
    el('section', { 'aria-labelledby': 'h-tasks' }, el('h2', { id: 'h-tasks' }, C_('web', 'Tasks of the month')), pick, taskMsg, tasks),
    el('section', { 'aria-labelledby': 'h-draw', class: 'noprint' }, el('h2', { id: 'h-draw' }, C_('web', 'Emergency draw')),
      drawForm(drawOut), drawOut));
  showProgress(progress).catch(err => progress.replaceChildren(errorBox(err)));
  await showTasks(tasks, month.value).catch(err => taskMsg.replaceChildren(errorBox(err)));
});
