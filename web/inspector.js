/* inspector.js: the office's open cases by their next deadline, the overdue
 * ones first and marked. */
'use strict';

words({
  cases: ['案件（按下一时限排序）', 'Cases by next deadline'],
  case_no: ['案件编号', 'Case'], state: ['状态', 'State'], business: ['企业', 'Business'],
  product: ['样品', 'Product'], next: ['下一时限', 'Next deadline'], status: ['时限状态', 'Due'],
  overdue: ['已逾期', 'overdue'], show_closed: ['含已结案', 'Include closed cases'],
});

/* "overdue by 3 days" and the like, in the page's language. */
function dueText(s) {
  if (!s || LANG === 'en') return s || '';
  let m;
  if (s === 'due today') return '今日到期';
  if ((m = /^due in (\d+) days?$/.exec(s))) return m[1] + ' 天后到期';
  if ((m = /^overdue by (\d+) days?$/.exec(s))) return '已逾期 ' + m[1] + ' 天';
  return s;
}

function dueDate(r) {
  const m = /\d{4}-\d{2}-\d{2}/.exec(r.next_deadline || '');
  return m ? m[0] : '9999-12-31';
}

start(async (main, me) => {
  main.append(el('h1', {}, t('page_inspector') + (me.office ? ' · ' + (me.office_name || me.office) : '')));
  const box = el('div', { id: 'cases' }, t('loading'));
  const all = el('input', { type: 'checkbox', id: 'all' });
  main.append(el('p', {}, all, ' ', el('label', { for: 'all' }, t('show_closed'))), box);
  async function load() {
    let rows = await api('GET', '/api/v1/cases');
    if (!all.checked) rows = rows.filter(r => !r.closed_on);
    rows.sort((a, b) => dueDate(a).localeCompare(dueDate(b)) || a.case_no.localeCompare(b.case_no));
    box.replaceChildren(table(rows, [
      ['case_no', t('case_no'), (v) => el('a', { href: href('/inspector/case?no=' + encodeURIComponent(v)) }, v)],
      ['state', t('state')], ['business_name', t('business')], ['product', t('product')],
      ['next_deadline', t('next')],
      ['next_status', t('status'), (v) => /^overdue/.test(v || '')
        ? el('span', { class: 'overdue' }, '⚠ ' + dueText(v)) : dueText(v)],
    ], { rowClass: r => /^overdue/.test(r.next_status || '') ? 'late' : null }));
  }
  all.addEventListener('change', () => load().catch(err => box.replaceChildren(errorBox(err))));
  await load();
});
