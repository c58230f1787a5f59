/* coordinator.js: the year's progress (the HTML report with its charts, in
 * a sandboxed frame), the month's task list per office with the XLSX
 * download, and the emergency draw. */
'use strict';

words({
  progress: ['年度进度', 'This year against plan'], open_report: ['在新窗口打开报告', 'Open the report'],
  tasks: ['本月任务清单', 'Tasks of the month'], month: ['月份', 'Month'], show: ['显示', 'Show'],
  xlsx: ['下载 XLSX', 'Download XLSX'], record: ['抽样单编号', 'Record'], business: ['企业', 'Business'],
  category: ['类别', 'Category'], inspectors: ['抽样人员', 'Inspectors'], lab: ['检验机构', 'Lab'],
  due: ['期限', 'Due'], draw: ['应急抽检', 'Emergency draw'], count: ['数量', 'Count'],
  reason: ['原因', 'Reason'], street: ['街道（可选）', 'Street (optional)'],
  businesses: ['指定企业统一社会信用代码（可选，逗号分隔）', 'Named businesses, credit codes (optional, comma-separated)'],
  over_reserve: ['超出预留的理由（可选）', 'Reason to go over the reserve (optional)'],
  category_code: ['食品类别代码', 'Category code'], do_draw: ['抽取', 'Draw'],
  drawn: ['已抽取，抽取批次 ', 'Drawn: draw number '], office: ['监管所', 'Office'],
});

function thisMonth() {
  const d = new Date();
  return d.getFullYear() + '-' + String(d.getMonth() + 1).padStart(2, '0');
}

async function showProgress(box) {
  const blob = await api('GET', '/api/v1/reports/progress?format=html&lang=' + LANG, { blob: true });
  const url = URL.createObjectURL(new Blob([blob], { type: 'text/html' }));
  /* the report as the frame's own document, sandboxed: nothing in it runs */
  const frame = el('iframe', { sandbox: '', title: t('progress'), class: 'report', id: 'progress-frame' });
  frame.srcdoc = await blob.text();
  box.replaceChildren(frame,
    el('p', { class: 'noprint' }, el('a', { href: url, target: '_blank', rel: 'noopener' }, t('open_report'))));
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
  if (offices.size === 0) box.append(el('p', { class: 'empty' }, t('none')));
  for (const [office, rs] of offices)
    box.append(el('h3', {}, t('office') + ' ' + (rs[0].office_name || office) + ' (' + rs.length + ')'),
      table(rs, [['record_no', t('record')], ['business', t('business')],
        ['category_name', t('category')], ['inspector1', t('inspectors'), (v, r) => v + '、' + r.inspector2],
        ['lab_name', t('lab')], ['due_date', t('due')]]));
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
    f('d-month', t('month'), { type: 'month', required: true, value: thisMonth() }),
    f('d-category', t('category_code'), { type: 'text', required: true, inputmode: 'numeric' }),
    f('d-count', t('count'), { type: 'number', min: 1, max: 10000, value: 1 }),
    f('d-reason', t('reason'), { type: 'text', required: true }),
    f('d-street', t('street'), { type: 'text' }),
    f('d-businesses', t('businesses'), { type: 'text' }),
    f('d-over', t('over_reserve'), { type: 'text' }),
    el('button', { type: 'submit' }, t('do_draw')));
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
      out.replaceChildren(message('ok', t('drawn') + r.draw_no),
        table(r.tasks, [['record_no', t('record')], ['business', t('business')],
          ['office', t('office')], ['lab', t('lab')]]));
    } catch (err) { out.replaceChildren(errorBox(err)); }
    out.focus();
  });
  return form;
}

start(async (main) => {
  main.append(el('h1', {}, t('page_coordinator')));
  const progress = el('div', { id: 'progress' }, t('loading'));
  const tasks = el('div', { id: 'tasks' });
  const taskMsg = el('div', { 'aria-live': 'polite' });
  const month = el('input', { type: 'month', id: 'month', value: thisMonth() });
  const pick = el('form', { id: 'month-form', class: 'inline noprint' },
    el('label', { for: 'month' }, t('month')), month,
    el('button', { type: 'submit' }, t('show')),
    el('button', { type: 'button', id: 'xlsx', onclick: () => download(month.value, taskMsg) }, t('xlsx')));
  pick.addEventListener('submit', ev => {
    ev.preventDefault();
    showTasks(tasks, month.value).then(() => taskMsg.replaceChildren(),
      err => taskMsg.replaceChildren(errorBox(err)));
  });
  const drawOut = el('div', { id: 'draw-result', 'aria-live': 'polite', tabindex: '-1' });
  main.append(
    el('section', { 'aria-labelledby': 'h-progress' }, el('h2', { id: 'h-progress' }, t('progress')), progress),
    el('section', { 'aria-labelledby': 'h-tasks' }, el('h2', { id: 'h-tasks' }, t('tasks')), pick, taskMsg, tasks),
    el('section', { 'aria-labelledby': 'h-draw', class: 'noprint' }, el('h2', { id: 'h-draw' }, t('draw')),
      drawForm(drawOut), drawOut));
  showProgress(progress).catch(err => progress.replaceChildren(errorBox(err)));
  await showTasks(tasks, month.value).catch(err => taskMsg.replaceChildren(errorBox(err)));
});
