/* case.js: one case: its header, deadlines and timeline, and a form for the
 * next step built from what the API says the step requires (the case's
 * "next" and "fields" tables), sent with the version seen; a 409 shows the
 * server's message. */
'use strict';

function fieldInput(f, id, required) {
  const common = { id, name: f.field, required: required || null };
  if (f.type === 'date') return el('input', { ...common, type: 'date' });
  if (f.type === 'int' || f.type === 'number')
    return el('input', { ...common, type: 'number', step: f.type === 'int' ? '1' : 'any',
      min: f.min ?? null, max: f.max ?? null });
  if (f.type === 'bool')
    return el('select', common, el('option', { value: '' }, ''),
      el('option', { value: 'true' }, C_('web', 'yes')), el('option', { value: 'false' }, C_('web', 'no')));
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
  if (steps.length === 0) return el('p', {}, C_('web', 'No step can be taken now.'));
  const select = el('select', { id: 'step', name: 'step' },
    steps.map(s => el('option', { value: s.step }, (LANG === 'en' ? s.step : s.zh || s.step) + ' → ' + stateName(s.to))));
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
    el('p', { class: 'field' }, el('label', { for: 'step' }, C_('web', 'Step')), select), fieldset,
    el('p', { class: 'field' }, el('label', { for: 'note' }, C_('web', 'Note')), el('textarea', { id: 'note', name: 'note', rows: 2 })),
    el('button', { type: 'submit' }, C_('web', 'Submit')));
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
      await reload(message('ok', fill(C_('web', 'Done: {step} → {state} (version {version})'),
        { step: stepName(r.step), state: stateName(r.to_state), version: r.version })));
    } catch (err) {
      out.replaceChildren(err.status === 409
        ? message('error', fill(C_('web', 'Someone changed the case first; reload and try again: {message}'), { message: err.message }))
        : errorBox(err),
        el('button', { type: 'button', onclick: () => reload(null) }, C_('web', 'Reload')));
      out.focus();
    }
  });
  return form;
}

start(async (main, me) => {
  const caseNo = new URLSearchParams(location.search).get('no') || '';
  await loadWorkflow();
  async function reload(note) {
    const doc = await api('GET', '/api/v1/cases/' + encodeURIComponent(caseNo));
    const c = doc.case;
    const out = el('div', { id: 'step-result', 'aria-live': 'polite', tabindex: '-1' }, note);
    const head = [['state', C_('web', 'State')], ['business_name', C_('web', 'Business')],
      ['product', C_('web', 'Product')], ['failed_items', C_('web', 'Failed items')],
      ['opened_on', C_('web', 'Opened')], ['next_deadline', C_('web', 'Next deadline')],
      ['office', C_('web', 'Office')], ['version', C_('web', 'Version')]];
    const shown = { state: stateName, next_deadline: nextDeadlineText };
    main.replaceChildren(
      el('p', {}, el('a', { href: href('/inspector') }, '← ' + pageName('inspector'))),
      el('h1', {}, pageName('case') + ' ' + c.case_no),
      el('dl', { class: 'summary', id: 'case-head' }, head.map(([k, w]) => [el('dt', {}, w),
        el('dd', { 'data-key': k }, shown[k] ? shown[k](c[k]) : (c[k] ?? ''))])),
      el('section', { 'aria-labelledby': 'h-next' }, el('h2', { id: 'h-next' }, C_('web', 'Next step')), out,
        stepForm(doc, me, caseNo, out, reload)),
      el('section', { 'aria-labelledby': 'h-dl' }, el('h2', { id: 'h-dl' }, C_('web', 'Deadlines')),
        table(doc.deadlines, [[LANG === 'en' ? 'name' : 'zh', C_('web', 'Deadline')], ['due_on', C_('web', 'Due date')],
          ['met_at', C_('web', 'Met')], ['status', C_('web', 'Status'), statusText]])),
      el('section', { 'aria-labelledby': 'h-tl' }, el('h2', { id: 'h-tl' }, C_('web', 'Timeline')),
        el('ol', { class: 'timeline', id: 'timeline' }, (doc.events || []).map(e => el('li', {},
          el('time', {}, e.on_date), ' ', el('strong', {}, stepName(e.event)),
          e.to_state ? ' ' + stateName(e.from_state) + ' → ' + stateName(e.to_state) : '',
          e.actor ? ' · ' + e.actor : '', e.fields ? el('div', { class: 'small' }, e.fields) : null,
          e.note ? el('div', { class: 'small' }, e.note) : null)))));
    if (note) out.focus();
  }
  await reload(null);
});
