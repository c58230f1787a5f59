/* case.js: one case: its header, deadlines and timeline, and a form for the
 * next step built from what the API says the step requires (the case's
 * "next" and "fields" tables), sent with the version seen; a 409 shows the
 * server's message. */
'use strict';

words({
  deadlines: ['时限', 'Deadlines'], timeline: ['经过', 'Timeline'], next_step: ['办理下一步', 'Next step'],
  step: ['步骤', 'Step'], note: ['说明', 'Note'], submit: ['提交', 'Submit'],
  required: ['必填', 'required'], no_steps: ['当前没有可办理的步骤。', 'No step can be taken now.'],
  done: ['已办理：', 'Done: '], conflict: ['案件已被他人修改，请刷新后重试：', 'Someone changed the case first; reload and try again: '],
  reload: ['刷新', 'Reload'], due: ['到期日', 'Due'], name: ['时限', 'Deadline'], met: ['完成日', 'Met'],
  status: ['状态', 'Status'], date: ['日期', 'Date'], event: ['事项', 'Event'], by: ['经办人', 'By'],
  from: ['原状态', 'From'], to: ['新状态', 'To'], fields: ['填报内容', 'Fields'], version: ['版本', 'Version'],
  yes: ['是', 'yes'], no: ['否', 'no'],
  head_state: ['状态', 'State'], head_business: ['企业', 'Business'], head_product: ['样品', 'Product'],
  head_items: ['不合格项目', 'Failed items'], head_opened: ['立案日期', 'Opened'],
  head_next: ['下一时限', 'Next deadline'], head_office: ['监管所', 'Office'],
});

function fieldInput(f, id, required) {
  const common = { id, name: f.field, required: required || null };
  if (f.type === 'date') return el('input', { ...common, type: 'date' });
  if (f.type === 'int' || f.type === 'number')
    return el('input', { ...common, type: 'number', step: f.type === 'int' ? '1' : 'any',
      min: f.min ?? null, max: f.max ?? null });
  if (f.type === 'bool')
    return el('select', common, el('option', { value: '' }, ''),
      el('option', { value: 'true' }, t('yes')), el('option', { value: 'false' }, t('no')));
  if (f.type === 'enum' && !f.multiple)
    return el('select', common, el('option', { value: '' }, ''),
      (f.values || '').split(';').map(v => el('option', { value: v }, v)));
  return el('input', { ...common, type: 'text',
    list: f.type === 'enum' ? id + '-values' : null });
}

function stepForm(doc, me, caseNo, out, reload) {
  /* the steps this user's role takes */
  const steps = (doc.next || []).filter(s => (s.role || '').split(';').includes(me.role));
  const defs = Object.fromEntries((doc.fields || []).map(f => [f.field, f]));
  if (steps.length === 0) return el('p', {}, t('no_steps'));
  const select = el('select', { id: 'step', name: 'step' },
    steps.map(s => el('option', { value: s.step }, (LANG === 'en' ? s.step : s.zh) + ' → ' + s.to)));
  const fieldset = el('div', { id: 'step-fields' });
  function build() {
    const s = steps.find(x => x.step === select.value);
    const list = [...(s.requires || '').split(';').filter(Boolean).map(n => [n, true]),
      ...(s.optional || '').split(';').filter(Boolean).map(n => [n, false])];
    fieldset.replaceChildren(...list.map(([n, req]) => {
      const f = defs[n] || { field: n, type: 'text' };
      const id = 'f-' + n;
      const label = (LANG === 'en' ? (f.en || n) : (f.zh || n)) + (req ? ' *' : '');
      const extra = f.type === 'enum' && f.multiple
        ? el('datalist', { id: id + '-values' }, (f.values || '').split(';').map(v => el('option', { value: v })))
        : null;
      return el('p', { class: 'field' }, el('label', { for: id }, label), fieldInput(f, id, req), extra);
    }));
  }
  select.addEventListener('change', build);
  build();
  const form = el('form', { id: 'step-form', class: 'card' },
    el('p', { class: 'field' }, el('label', { for: 'step' }, t('step')), select), fieldset,
    el('p', { class: 'field' }, el('label', { for: 'note' }, t('note')), el('textarea', { id: 'note', name: 'note', rows: 2 })),
    el('button', { type: 'submit' }, t('submit')));
  form.addEventListener('submit', async ev => {
    ev.preventDefault();
    const fields = {};
    for (const n of fieldset.querySelectorAll('input, select'))
      if (n.value !== '') fields[n.name] = n.value;
    const body = { step: select.value, version: doc.case.version, fields };
    if (form.note.value.trim()) body.note = form.note.value.trim();
    try {
      const r = await api('POST', '/api/v1/cases/' + encodeURIComponent(caseNo) + '/steps',
        { json: body, key: newKey() });
      await reload(message('ok', t('done') + r.step + ' → ' + r.to_state + ' (' + t('version') + ' ' + r.version + ')'));
    } catch (err) {
      out.replaceChildren(err.status === 409
        ? message('error', t('conflict') + err.message)
        : errorBox(err),
        el('button', { type: 'button', onclick: () => reload(null) }, t('reload')));
      out.focus();
    }
  });
  return form;
}

start(async (main, me) => {
  const caseNo = new URLSearchParams(location.search).get('no') || '';
  async function reload(note) {
    const doc = await api('GET', '/api/v1/cases/' + encodeURIComponent(caseNo));
    const c = doc.case;
    const out = el('div', { id: 'step-result', 'aria-live': 'polite', tabindex: '-1' }, note);
    const head = [['state', 'head_state'], ['business_name', 'head_business'], ['product', 'head_product'],
      ['failed_items', 'head_items'], ['opened_on', 'head_opened'], ['next_deadline', 'head_next'],
      ['office', 'head_office'], ['version', 'version']];
    main.replaceChildren(
      el('p', {}, el('a', { href: href('/inspector') }, '← ' + t('page_inspector'))),
      el('h1', {}, t('page_case') + ' ' + c.case_no),
      el('dl', { class: 'summary', id: 'case-head' }, head.map(([k, w]) => [el('dt', {}, t(w)),
        el('dd', { 'data-key': k }, c[k] ?? '')])),
      el('section', { 'aria-labelledby': 'h-next' }, el('h2', { id: 'h-next' }, t('next_step')), out,
        stepForm(doc, me, caseNo, out, reload)),
      el('section', { 'aria-labelledby': 'h-dl' }, el('h2', { id: 'h-dl' }, t('deadlines')),
        table(doc.deadlines, [['zh', t('name')], ['due_on', t('due')], ['met_at', t('met')], ['status', t('status')]])),
      el('section', { 'aria-labelledby': 'h-tl' }, el('h2', { id: 'h-tl' }, t('timeline')),
        el('ol', { class: 'timeline', id: 'timeline' }, (doc.events || []).map(e => el('li', {},
          el('time', {}, e.on_date), ' ', el('strong', {}, e.event),
          e.to_state ? ' ' + (e.from_state || '') + ' → ' + e.to_state : '',
          e.actor ? ' · ' + e.actor : '', e.fields ? el('div', { class: 'small' }, e.fields) : null,
          e.note ? el('div', { class: 'small' }, e.note) : null)))));
    if (note) out.focus();
  }
  await reload(null);
});
