/* inspector.js: the office's open cases by their next deadline, the overdue
 * ones first and marked. */
'use strict';

function dueDate(r) {
  const m = /\d{4}-\d{2}-\d{2}/.exec(r.next_deadline || '');
  return m ? m[0] : '9999-12-31';
}

start(async (main, me) => {
  main.append(el('h1', {}, pageName('inspector') + (me.office ? ' · ' + (me.office_name || me.office) : '')));
  const box = el('div', { id: 'cases' }, C_('web', 'Loading…'));
  const all = el('input', { type: 'checkbox', id: 'all' });
  main.append(el('p', {}, all, ' ', el('label', { for: 'all' }, C_('web', 'Include closed cases'))), box);
  await loadWorkflow();
  async function load() {
    let rows = await api('GET', '/api/v1/cases');
    if (!all.checked) rows = rows.filter(r => !r.closed_on);
    rows.sort((a, b) => dueDate(a).localeCompare(dueDate(b)) || a.case_no.localeCompare(b.case_no));
    box.replaceChildren(table(rows, [
      ['case_no', C_('web', 'Case number'), (v) => el('a', { href: href('/inspector/case?no=' + encodeURIComponent(v)) }, v)],
      ['state', C_('web', 'State'), stateName], ['business_name', C_('web', 'Business')],
      ['product', C_('web', 'Product')], ['next_deadline', C_('web', 'Next deadline'), nextDeadlineText],
      ['next_status', C_('web', 'Deadline status'), (v) => /^overdue/.test(v || '')
        ? el('span', { class: 'overdue' }, '⚠ ' + statusText(v)) : statusText(v)],
    ], { rowClass: r => /^overdue/.test(r.next_status || '') ? 'late' : null }));
  }
  all.addEventListener('change', () => load().catch(err => box.replaceChildren(errorBox(err))));
  await load();
});
