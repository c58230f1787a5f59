/* app.js: what every page shares: the language (Chinese, or English with
 * ?lang=en), the token kept in this browser session only, calls to the
 * documented API, the header with who is signed in, the 403 page and
 * tables. The server's error messages are shown as they come. */
'use strict';

const LANG = new URLSearchParams(location.search).get('lang') === 'en' ? 'en' : 'zh';

const WORDS = {
  skip: ['跳到正文', 'Skip to content'],
  app: ['食品安全抽检', 'Food sampling'],
  signin: ['登录', 'Sign in'],
  signout: ['退出', 'Sign out'],
  token: ['令牌', 'Token'],
  token_help: ['由管理员用 spotcheck user add 发放；只保存在本浏览器会话中。',
    'Issued by an administrator with spotcheck user add; kept in this browser session only.'],
  you_are: ['当前用户', 'Signed in as'],
  role: ['角色', 'Role'],
  lab: ['检验机构', 'Lab'],
  office: ['监管所', 'Office'],
  role_admin: ['管理员', 'administrator'],
  role_coordinator: ['统筹协调', 'coordinator'],
  role_inspector: ['执法检查', 'inspector'],
  role_lab: ['检验机构', 'lab'],
  page_lab: ['检验结果上传', 'Lab results'],
  page_inspector: ['核查处置案件', 'Cases'],
  page_case: ['案件', 'Case'],
  page_coordinator: ['年度进度与任务', 'Year and tasks'],
  page_signin: ['登录', 'Sign in'],
  open_page: ['进入', 'Open'],
  forbidden: ['403 无权访问', '403 Forbidden'],
  forbidden_text: ['此页面不属于您的角色。', 'This page is not for your role.'],
  back_home: ['返回首页', 'Back to the start page'],
  need_signin: ['请先登录。', 'Please sign in first.'],
  loading: ['正在加载…', 'Loading…'],
  none: ['无', 'none'],
  error: ['出错', 'Error'],
  print: ['打印', 'Print'],
};

function t(key) {
  const w = WORDS[key];
  return w ? w[LANG === 'en' ? 1 : 0] : key;
}

/* Pages add their own words. */
function words(more) { Object.assign(WORDS, more); }

/* A link within the pages keeps the language. */
function href(path) {
  if (LANG !== 'en') return path;
  return path + (path.includes('?') ? '&' : '?') + 'lang=en';
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
  const headers = { Authorization: 'Bearer ' + (token() || '') };
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
  if (!rows || rows.length === 0) return el('p', { class: 'empty' }, opts.empty || t('none'));
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
  const nav = el('nav', { 'aria-label': t('app') });
  nav.append(el('a', { href: href('/'), class: 'brand' }, t('app')));
  const links = { lab: ['lab'], inspector: ['inspector', 'coordinator'],
    coordinator: ['coordinator', 'admin'] };
  for (const [page, roles] of Object.entries(links))
    if (me && roles.includes(me.role))
      nav.append(el('a', { href: href('/' + page) }, t('page_' + page)));
  const other = LANG === 'en' ? '中文' : 'English';
  const url = new URL(location.href);
  if (LANG === 'en') url.searchParams.delete('lang'); else url.searchParams.set('lang', 'en');
  nav.append(el('a', { href: url.pathname + url.search, lang: LANG === 'en' ? 'zh' : 'en' }, other));
  top.append(nav);
  if (me) {
    top.append(el('p', { class: 'who' }, t('you_are') + ': ', el('strong', {}, me.name),
      ' · ' + t('role') + ' ' + t('role_' + me.role),
      me.lab ? ' · ' + t('lab') + ' ' + me.lab : '',
      me.office ? ' · ' + t('office') + ' ' + (me.office_name || me.office) : '',
      ' ', el('button', { type: 'button', class: 'link', onclick: () => {
        sessionStorage.removeItem(TOKEN_KEY); location.href = href('/'); } }, t('signout'))));
  }
}

function forbidden(main) {
  document.title = t('forbidden') + ' — spotcheck';
  main.replaceChildren(el('section', { class: 'forbidden', 'data-status': '403' },
    el('h1', {}, t('forbidden')), el('p', {}, t('forbidden_text')),
    el('p', {}, el('a', { href: href('/') }, t('back_home')))));
  main.focus();
}

/* Who is signed in (GET /api/v1/me); the page's role check; then the page. */
async function start(run) {
  document.documentElement.lang = LANG === 'en' ? 'en' : 'zh-CN';
  for (const n of document.querySelectorAll('[data-t]')) n.textContent = t(n.dataset.t);
  const main = document.getElementById('main');
  const page = document.body.dataset.page;
  const roles = (document.body.dataset.roles || '').split(',').filter(Boolean);
  document.title = t('page_' + page) + ' — spotcheck';
  let me = null;
  if (token()) {
    try { me = await api('GET', '/api/v1/me'); } catch (err) {
      if (err.status === 401) sessionStorage.removeItem(TOKEN_KEY);
      else { header(null); main.replaceChildren(errorBox(err)); return; }
    }
  }
  header(me);
  if (roles.length && !me) {
    main.replaceChildren(el('p', {}, t('need_signin'), ' ',
      el('a', { href: href('/') }, t('signin'))));
    return;
  }
  if (roles.length && !roles.includes(me.role)) { forbidden(main); return; }
  main.replaceChildren();
  try { await run(main, me); } catch (err) { main.append(errorBox(err)); }
}
