/* app.js: what every page shares: the language and its words (served by
 * the server from its message catalogue), the token kept in this browser session only, calls to the
 * documented API, the header with who is signed in, the 403 page and
 * tables. The server's error messages are shown as they come. */
'use strict';

/* The page's language and words: the server's /web/words.json, in the
 * language of ?lang= when the address gives one, else in the server's own.
 * English is the texts themselves. */
const ASKED = new URLSearchParams(location.search).get('lang');
let LANG = ASKED === 'en' ? 'en' : 'zh';
let WORDS = {};

async function loadWords() {
  const q = ASKED === 'en' || ASKED === 'zh' ? '?lang=' + ASKED : '';
  try {
    const r = await fetch('/web/words.json' + q);
    const w = await r.json();
    LANG = w.lang === 'zh' ? 'zh' : 'en';
    WORDS = w.words || {};
  } catch (e) {
    LANG = 'en'; /* no words: the English texts */
    WORDS = {};
  }
}

/* A text of the pages in the page's language; marked for xgettext
 * (--keyword=C_:1c,2), whose context is always 'web'. */
function C_(context, text) {
  return (context === 'web' && WORDS[text]) || text;
}

/* A text with {name} placeholders filled in after translation. */
function fill(text, values) {
  return text.replace(/\{(\w+)\}/g, (m, k) => (k in values ? String(values[k]) : m));
}

function roleName(role) {
  const names = { admin: C_('web', 'administrator'), coordinator: C_('web', 'coordinator'),
    inspector: C_('web', 'inspector'), lab: C_('web', 'lab') };
  return names[role] || role;
}

function pageName(page) {
  const names = { lab: C_('web', 'Lab results'), inspector: C_('web', 'Cases'),
    case: C_('web', 'Case'), coordinator: C_('web', 'Year and tasks'), signin: C_('web', 'Sign in') };
  return names[page] || page;
}

/* The case workflow (GET /api/v1/workflow, the same in every language),
 * loaded once per page by loadWorkflow(); then stateName(), stepName() and
 * deadlineName() name a key in the page's language: under Chinese the
 * workflow's Chinese name, in English the key itself (the workflow's en
 * texts describe, they do not name). A key the workflow does not know, or a
 * workflow that could not be loaded, shows the key. */
const WORKFLOW = { states: {}, steps: {}, deadlines: {} };
let workflowLoading = null;

function loadWorkflow() {
  if (!workflowLoading) {
    workflowLoading = api('GET', '/api/v1/workflow').then(w => {
      for (const s of w.states || []) WORKFLOW.states[s.state] = s.zh;
      for (const s of w.steps || []) WORKFLOW.steps[s.step] = s.zh;
      for (const d of w.deadlines || []) WORKFLOW.deadlines[d.deadline] = d.zh;
    }, () => { /* no workflow: keys are shown */ });
  }
  return workflowLoading;
}

function stateName(key) {
  if (!key) return key ?? '';
  return (LANG === 'zh' && WORKFLOW.states[key]) || key;
}

/* Steps, and the events of a case that are not steps (its opening, a hand-over
 * to another office). */
function stepName(key) {
  if (!key) return key ?? '';
  if (LANG !== 'zh') return key;
  const events = { opened: C_('web', 'opened'), assign: C_('web', 'assign') };
  return WORKFLOW.steps[key] || events[key] || key;
}

function deadlineName(key) {
  if (!key) return key ?? '';
  return (LANG === 'zh' && WORKFLOW.deadlines[key]) || key;
}

/* A case's next deadline, "NAME YYYY-MM-DD", with the deadline named. */
function nextDeadlineText(s) {
  const m = /^(.*) (\d{4}-\d{2}-\d{2})$/.exec(s || '');
  return m ? deadlineName(m[1]) + ' ' + m[2] : (s || '');
}

/* A deadline's status as the API gives it (the same in every language: met,
 * open, lapsed (the business's window), due today, due in N days, overdue by
 * N days) in the page's language; one it does not know as it is. */
function statusText(s) {
  if (!s) return '';
  const fixed = { met: C_('web', 'met'),
    /* TRANSLATORS: a deadline of a closed case that was never met. */
    open: C_('web', 'open (case closed)'),
    /* TRANSLATORS: the days the business had to apply for a re-test are over. */
    "lapsed (the business's window)": C_('web', "lapsed (the business's window)"),
    'due today': C_('web', 'due today'), 'due in 1 day': C_('web', 'due in 1 day'),
    'overdue by 1 day': C_('web', 'overdue by 1 day') };
  if (Object.prototype.hasOwnProperty.call(fixed, s)) return fixed[s];
  let m;
  if ((m = /^due in (\d+) days$/.exec(s))) return fill(C_('web', 'due in {n} days'), { n: m[1] });
  if ((m = /^overdue by (\d+) days$/.exec(s))) return fill(C_('web', 'overdue by {n} days'), { n: m[1] });
  return s;
}

/* A link within the pages keeps a language the address asked for. */
function href(path) {
  if (ASKED !== 'en' && ASKED !== 'zh') return path;
  return path + (path.includes('?') ? '&' : '?') + 'lang=' + LANG;
}

function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k === 'text') e.textContent = v;
    else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
    else e.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children.flat(Infinity)) {
    if (c === null || c === undefined) continue;
    e.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return e;
}

const TOKEN_KEY = 'spotcheck-token';
function token() { return sessionStorage.getItem(TOKEN_KEY); }

class ApiError extends Error {
  constructor(status, body) {
    const e = (body && body.error) || {};
    super(e.message || ('HTTP ' + status));
    this.status = status;
    this.body = e;
  }
}

/* One API call with the session's token; JSON back, or a Blob when asked. */
async function api(method, path, opts = {}) {
  const headers = { Authorization: 'Bearer ' + (token() || ''),
    'Accept-Language': LANG === 'zh' ? 'zh-CN' : 'en' };
  if (opts.type) headers['Content-Type'] = opts.type;
  if (opts.key) headers['Idempotency-Key'] = opts.key;
  let body = opts.body;
  if (opts.json !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(opts.json);
  }
  const r = await fetch(path, { method, headers, body });
  if (!r.ok) {
    let b = null;
    try { b = await r.json(); } catch (e) { b = null; }
    throw new ApiError(r.status, b);
  }
  if (opts.blob) return r.blob();
  if (r.status === 204) return null;
  return r.json();
}

function newKey() {
  const a = new Uint8Array(16);
  crypto.getRandomValues(a);
  return Array.from(a, b => b.toString(16).padStart(2, '0')).join('');
}

/* A message box: role=alert for errors, status otherwise. */
function message(kind, text) {
  return el('p', { class: 'msg ' + kind, role: kind === 'error' ? 'alert' : 'status' }, text);
}

function errorBox(err) {
  return message('error', (err.status ? err.status + ' ' : '') + err.message);
}

/* Rows (objects) as a table with the given columns [[key, heading], ...]. */
function table(rows, columns, opts = {}) {
  if (!rows || rows.length === 0) return el('p', { class: 'empty' }, opts.empty || C_('web', 'none'));
  const head = el('tr', {}, columns.map(([, h]) => el('th', { scope: 'col' }, h)));
  const body = rows.map(r => el('tr', { class: opts.rowClass ? opts.rowClass(r) : null },
    columns.map(([k, , fmt]) => el('td', {}, fmt ? fmt(r[k], r) : (r[k] ?? '')))));
  return el('div', { class: 'scroll' },
    el('table', {}, opts.caption ? el('caption', {}, opts.caption) : null,
      el('thead', {}, head), el('tbody', {}, body)));
}

function header(me) {
  const top = document.getElementById('top');
  top.replaceChildren();
  const nav = el('nav', { 'aria-label': C_('web', 'Food sampling') });
  nav.append(el('a', { href: href('/'), class: 'brand' }, C_('web', 'Food sampling')));
  const links = { lab: ['lab'], inspector: ['inspector', 'coordinator'],
    coordinator: ['coordinator', 'admin'] };
  for (const [page, roles] of Object.entries(links))
    if (me && roles.includes(me.role))
      nav.append(el('a', { href: href('/' + page) }, pageName(page)));
  const other = LANG === 'en' ? '中文' : 'English';
  const url = new URL(location.href);
  url.searchParams.set('lang', LANG === 'en' ? 'zh' : 'en');
  nav.append(el('a', { href: url.pathname + url.search, lang: LANG === 'en' ? 'zh' : 'en' }, other));
  top.append(nav);
  if (me) {
    top.append(el('p', { class: 'who' }, C_('web', 'Signed in as') + ': ', el('strong', {}, me.name),
      ' · ' + C_('web', 'Role') + ' ' + roleName(me.role),
      me.lab ? ' · ' + C_('web', 'Lab') + ' ' + me.lab : '',
      me.office ? ' · ' + C_('web', 'Office') + ' ' + (me.office_name || me.office) : '',
      ' ', el('button', { type: 'button', class: 'link', onclick: () => {
        sessionStorage.removeItem(TOKEN_KEY); location.href = href('/'); } }, C_('web', 'Sign out'))));
  }
}

function forbidden(main) {
  document.title = C_('web', '403 Forbidden') + ' — spotcheck';
  main.replaceChildren(el('section', { class: 'forbidden', 'data-status': '403' },
    el('h1', {}, C_('web', '403 Forbidden')), el('p', {}, C_('web', 'This page is not for your role.')),
    el('p', {}, el('a', { href: href('/') }, C_('web', 'Back to the start page')))));
  main.focus();
}

/* The words; who is signed in (GET /api/v1/me); the page's role check;
 * then the page. */
async function start(run) {
  await loadWords();
  document.documentElement.lang = LANG === 'en' ? 'en' : 'zh-CN';
  for (const n of document.querySelectorAll('a.skip')) n.textContent = C_('web', 'Skip to content');
  const main = document.getElementById('main');
  const page = document.body.dataset.page;
  const roles = (document.body.dataset.roles || '').split(',').filter(Boolean);
  document.title = pageName(page) + ' — spotcheck';
  let me = null;
  if (token()) {
    try { me = await api('GET', '/api/v1/me'); } catch (err) {
      if (err.status === 401) sessionStorage.removeItem(TOKEN_KEY);
      else { header(null); main.replaceChildren(errorBox(err)); return; }
    }
  }
  header(me);
  if (roles.length && !me) {
    main.replaceChildren(el('p', {}, C_('web', 'Please sign in first.'), ' ',
      el('a', { href: href('/') }, C_('web', 'Sign in'))));
    return;
  }
  if (roles.length && !roles.includes(me.role)) { forbidden(main); return; }
  main.replaceChildren();
  try { await run(main, me); } catch (err) { main.append(errorBox(err)); }
}
