/* lab.js: a lab's samples awaiting results, the upload (drag a file or pick
 * one; CSV, JSON or XLSX as the API takes them), the problems of a rejected
 * file as a table, what a stored file did, and the earlier uploads. */
'use strict';

words({
  pending: ['待检样品', 'Samples awaiting results'],
  upload: ['上传检验结果', 'Upload results'],
  drop: ['把 CSV、JSON 或 XLSX 文件拖到这里，或', 'Drop a CSV, JSON or XLSX file here, or'],
  choose: ['选择文件', 'choose a file'],
  sending: ['正在上传…', 'Uploading…'],
  rejected: ['文件未通过检查，没有保存任何内容。请改正以下问题后重新上传：',
    'The file was refused and nothing was stored. Correct these problems and upload it again:'],
  stored: ['已保存。', 'Stored.'],
  unchanged: ['此文件已上传过，没有变化。', 'This file is on record already; nothing changed.'],
  uploads: ['历次上传', 'Earlier uploads'],
  line: ['行', 'Line'], column: ['列', 'Column'], value: ['值', 'Value'], todo: ['处理办法', 'What to do'],
  sample: ['抽样单编号', 'Sample'], sample_name: ['样品名称', 'Sample name'],
  category: ['类别', 'Category'], sampled: ['抽样日期', 'Sampled'], due: ['期限', 'Due'],
  reports_new: ['新报告', 'new reports'], reports_amended: ['更正报告', 'amended reports'],
  reports_same: ['未变报告', 'unchanged reports'], review: ['待复核', 'to review'],
  cases_opened: ['新立案件', 'cases opened'], cases_reopened: ['重开案件', 'cases reopened'],
  rows: ['行数', 'rows'], reports: ['报告数', 'reports'], uploaded: ['时间', 'When'],
  file: ['文件', 'File'], by: ['上传人', 'By'],
});

const TYPES = { csv: 'text/csv', json: 'application/json',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' };

async function showPending(box) {
  const rows = await api('GET', '/api/v1/results/pending');
  box.replaceChildren(table(rows, [['record_no', t('sample')], ['sample_name', t('sample_name')],
    ['category', t('category')], ['sampling_date', t('sampled')], ['due_date', t('due')]]));
}

async function showUploads(box) {
  const rows = await api('GET', '/api/v1/results/uploads');
  box.replaceChildren(table(rows, [['imported_at', t('uploaded')], ['file_name', t('file')],
    ['rows', t('rows')], ['reports', t('reports')], ['actor', t('by')]]));
}

function problems(err) {
  const details = err.body.details || [];
  const out = [message('error', err.message)];
  if (details.length)
    out.push(table(details, [['line', t('line')], ['column', t('column')],
      ['value', t('value')], ['why', t('todo')]], { caption: t('rejected') }));
  else if (err.body.problems)
    out.push(el('p', {}, t('rejected')), el('ul', {}, err.body.problems.map(p => el('li', {}, p))));
  return out;
}

function summary(s) {
  const keys = ['rows', 'reports_new', 'reports_amended', 'reports_same', 'review',
    'cases_opened', 'cases_reopened'];
  return [message('ok', s.unchanged ? t('unchanged') : t('stored')),
    el('dl', { class: 'summary' }, keys.map(k => [el('dt', {}, t(k)),
      el('dd', { 'data-key': k }, s[k])]))];
}

start(async (main, me) => {
  main.append(el('h1', {}, t('page_lab') + ' · ' + me.lab));
  const result = el('div', { id: 'upload-result', 'aria-live': 'polite' });
  const input = el('input', { type: 'file', id: 'file', accept: '.csv,.json,.xlsx',
    class: 'visually-hidden' });
  const zone = el('div', { class: 'drop', id: 'drop' },
    el('p', {}, t('drop'), ' ', el('label', { for: 'file', class: 'button' }, t('choose'))), input);
  const pending = el('div', { id: 'pending' }, t('loading'));
  const uploads = el('div', { id: 'uploads' }, t('loading'));
  async function send(file) {
    const ext = (file.name.split('.').pop() || '').toLowerCase();
    result.replaceChildren(message('status', t('sending') + ' ' + file.name));
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
    el('section', { 'aria-labelledby': 'h-upload' }, el('h2', { id: 'h-upload' }, t('upload')), zone, result),
    el('section', { 'aria-labelledby': 'h-pending' }, el('h2', { id: 'h-pending' }, t('pending')), pending),
    el('section', { 'aria-labelledby': 'h-uploads' }, el('h2', { id: 'h-uploads' }, t('uploads')), uploads));
  await Promise.all([showPending(pending), showUploads(uploads)]);
});
