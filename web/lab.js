/* lab.js: a lab's samples awaiting results, the upload (drag a file or pick
 * one; CSV, JSON or XLSX as the API takes them), the problems of a rejected
 * file as a table, what a stored file did, and the earlier uploads. */
'use strict';

const TYPES = { csv: 'text/csv', json: 'application/json',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' };

async function showPending(box) {
  const rows = await api('GET', '/api/v1/results/pending');
  box.replaceChildren(table(rows, [['record_no', C_('web', 'Sample')],
    ['sample_name', C_('web', 'Sample name')], ['category', C_('web', 'Category')],
    ['sampling_date', C_('web', 'Sampled')], ['due_date', C_('web', 'Due')]]));
}

async function showUploads(box) {
  const rows = await api('GET', '/api/v1/results/uploads');
  box.replaceChildren(table(rows, [['imported_at', C_('web', 'When')], ['file_name', C_('web', 'File')],
    ['rows', C_('web', 'rows')], ['reports', C_('web', 'reports')], ['actor', C_('web', 'Uploaded by')]]));
}

function problems(err) {
  const details = err.body.details || [];
  const out = [message('error', err.message)];
  if (details.length)
    out.push(table(details, [['line', C_('web', 'Line')], ['column', C_('web', 'Column')],
      ['value', C_('web', 'Value')], ['why', C_('web', 'What to do')]], { caption: rejected() }));
  else if (err.body.problems)
    out.push(el('p', {}, rejected()), el('ul', {}, err.body.problems.map(p => el('li', {}, p))));
  return out;
}

function rejected() {
  return C_('web', 'The file was refused and nothing was stored. Correct these problems and upload it again:');
}

function summary(s) {
  const keys = [['rows', C_('web', 'rows')], ['reports_new', C_('web', 'new reports')],
    ['reports_amended', C_('web', 'amended reports')], ['reports_same', C_('web', 'unchanged reports')],
    ['review', C_('web', 'to review')], ['cases_opened', C_('web', 'cases opened')],
    ['cases_reopened', C_('web', 'cases reopened')]];
  return [message('ok', s.unchanged ? C_('web', 'This file is on record already; nothing changed.')
    : C_('web', 'Stored.')),
    el('dl', { class: 'summary' }, keys.map(([k, w]) => [el('dt', {}, w),
      el('dd', { 'data-key': k }, s[k])]))];
}

start(async (main, me) => {
  main.append(el('h1', {}, pageName('lab') + ' · ' + me.lab));
  const result = el('div', { id: 'upload-result', 'aria-live': 'polite' });
  const input = el('input', { type: 'file', id: 'file', accept: '.csv,.json,.xlsx',
    class: 'visually-hidden' });
  const zone = el('div', { class: 'drop', id: 'drop' },
    el('p', {}, C_('web', 'Drop a CSV, JSON or XLSX file here, or'), ' ',
      el('label', { for: 'file', class: 'button' }, C_('web', 'choose a file'))), input);
  const pending = el('div', { id: 'pending' }, C_('web', 'Loading…'));
  const uploads = el('div', { id: 'uploads' }, C_('web', 'Loading…'));
  async function send(file) {
    const ext = (file.name.split('.').pop() || '').toLowerCase();
    result.replaceChildren(message('status', fill(C_('web', 'Uploading {file}…'), { file: file.name })));
    try {
      const s = await api('POST', '/api/v1/results?file=' + encodeURIComponent(file.name),
        { body: file, type: TYPES[ext] || file.type || 'text/csv', key: newKey() });
      result.replaceChildren(...summary(s));
      await Promise.all([showPending(pending), showUploads(uploads)]);
    } catch (err) {
      result.replaceChildren(...(err.status === 400 ? problems(err) : [errorBox(err)]));
    }
    result.focus();
  }
  input.addEventListener('change', () => { if (input.files[0]) send(input.files[0]); input.value = ''; });
  zone.addEventListener('dragover', ev => { ev.preventDefault(); zone.classList.add('over'); });
  zone.addEventListener('dragleave', () => zone.classList.remove('over'));
  zone.addEventListener('drop', ev => {
    ev.preventDefault(); zone.classList.remove('over');
    if (ev.dataTransfer.files[0]) send(ev.dataTransfer.files[0]);
  });
  result.tabIndex = -1;
  main.append(
    el('section', { 'aria-labelledby': 'h-upload' }, el('h2', { id: 'h-upload' }, C_('web', 'Upload results')), zone, result),
    el('section', { 'aria-labelledby': 'h-pending' }, el('h2', { id: 'h-pending' }, C_('web', 'Samples awaiting results')), pending),
    el('section', { 'aria-labelledby': 'h-uploads' }, el('h2', { id: 'h-uploads' }, C_('web', 'Earlier uploads')), uploads));
  await Promise.all([showPending(pending), showUploads(uploads)]);
});
