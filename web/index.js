/* index.js: sign in with a token; then who you are and your pages. */
'use strict';

words({
  signed_in: ['已登录。', 'Signed in.'],
  bad_token: ['令牌无效或已过期：', 'The token was refused: '],
});

start(async (main, me) => {
  main.append(el('h1', {}, t('page_signin')));
  const form = el('form', { id: 'signin', class: 'card' },
    el('label', { for: 'token' }, t('token')),
    el('input', { id: 'token', name: 'token', type: 'password', autocomplete: 'off',
      required: true, 'aria-describedby': 'token-help', spellcheck: 'false' }),
    el('p', { id: 'token-help', class: 'help' }, t('token_help')),
    el('button', { type: 'submit' }, t('signin')));
  const out = el('div', { id: 'result', 'aria-live': 'polite' });
  form.addEventListener('submit', async ev => {
    ev.preventDefault();
    sessionStorage.setItem(TOKEN_KEY, form.token.value.trim());
    try {
      await api('GET', '/api/v1/me');
      location.href = href('/');
    } catch (err) {
      sessionStorage.removeItem(TOKEN_KEY);
      out.replaceChildren(message('error', t('bad_token') + err.message));
    }
  });
  if (!me) {
    main.append(form, out);
    form.token.focus();
    return;
  }
  const pages = { lab: ['lab'], inspector: ['inspector', 'coordinator'],
    coordinator: ['coordinator', 'admin'] };
  const list = el('ul', { class: 'pages' });
  for (const [page, roles] of Object.entries(pages))
    if (roles.includes(me.role))
      list.append(el('li', {}, el('a', { href: href('/' + page) }, t('page_' + page))));
  main.append(el('section', { class: 'card', id: 'me' },
    el('p', {}, t('signed_in')),
    el('dl', {}, el('dt', {}, t('you_are')), el('dd', {}, me.name),
      el('dt', {}, t('role')), el('dd', { 'data-role': me.role }, t('role_' + me.role)),
      me.lab ? [el('dt', {}, t('lab')), el('dd', {}, me.lab)] : null,
      me.office ? [el('dt', {}, t('office')), el('dd', {}, me.office_name || me.office)] : null),
    list));
});
