/* index.js: sign in with a token; then who you are and your pages. */
'use strict';

start(async (main, me) => {
  main.append(el('h1', {}, C_('web', 'Sign in')));
  const form = el('form', { id: 'signin', class: 'card' },
    el('label', { for: 'token' }, C_('web', 'Token')),
    el('input', { id: 'token', name: 'token', type: 'password', autocomplete: 'off',
      required: true, 'aria-describedby': 'token-help', spellcheck: 'false' }),
    el('p', { id: 'token-help', class: 'help' }, C_('web', 'Issued by an administrator with spotcheck user add; kept in this browser session only.')),
    el('button', { type: 'submit' }, C_('web', 'Sign in')));
  const out = el('div', { id: 'result', 'aria-live': 'polite' });
  form.addEventListener('submit', async ev => {
    ev.preventDefault();
    sessionStorage.setItem(TOKEN_KEY, form.token.value.trim());
    try {
      await api('GET', '/api/v1/me');
      location.href = href('/');
    } catch (err) {
      sessionStorage.removeItem(TOKEN_KEY);
      out.replaceChildren(message('error', fill(C_('web', 'The token was refused: {message}'), { message: err.message })));
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
      list.append(el('li', {}, el('a', { href: href('/' + page) }, pageName(page))));
  main.append(el('section', { class: 'card', id: 'me' },
    el('p', {}, C_('web', 'Signed in.')),
    el('dl', {}, el('dt', {}, C_('web', 'Signed in as')), el('dd', {}, me.name),
      el('dt', {}, C_('web', 'Role')), el('dd', { 'data-role': me.role }, roleName(me.role)),
      me.lab ? [el('dt', {}, C_('web', 'Lab')), el('dd', {}, me.lab)] : null,
      me.office ? [el('dt', {}, C_('web', 'Office')), el('dd', {}, me.office_name || me.office)] : null),
    list));
});
