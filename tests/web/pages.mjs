// pages.mjs: the web pages driven in Debian's chromium by puppeteer-core,
// against the server test-web.c started. Every check throws on failure; the
// exit status is the verdict. Screenshots go to WEB_SHOTS.
import puppeteer from 'puppeteer-core';
import fs from 'node:fs';
import path from 'node:path';

const env = process.env;
const BASE = env.WEB_BASE;
const SHOTS = env.WEB_SHOTS;
const DATA = path.join(env.WEB_DATA, 'tests', 'data', 'results');
const TODAY = '2024-02-08'; // the server's --date
fs.mkdirSync(SHOTS, { recursive: true });

function check(ok, what) {
  if (!ok) throw new Error('check failed: ' + what);
  console.log('ok - ' + what);
}

const browser = await puppeteer.launch({
  executablePath: env.WEB_CHROMIUM,
  headless: true,
  args: [...(process.getuid && process.getuid() === 0 ? ['--no-sandbox'] : []),
    '--disable-gpu', '--disable-dev-shm-usage', '--font-render-hinting=none'],
});
const errors = [];

async function newPage(width = 1100) {
  const ctx = await browser.createBrowserContext();
  const page = await ctx.newPage();
  await page.setViewport({ width, height: 800 });
  page.on('pageerror', e => errors.push(String(e)));
  page.on('console', m => { if (m.type() === 'error' && !/status of 4\d\d/.test(m.text())) errors.push(m.text()); });
  return page;
}

async function shot(page, name) {
  await page.screenshot({ path: path.join(SHOTS, name + '.png'), fullPage: true });
}

async function text(page, sel) {
  return page.$eval(sel, e => e.innerText);
}

async function signIn(page, token, lang = '') {
  await page.goto(BASE + '/' + lang, { waitUntil: 'networkidle0' });
  await page.waitForSelector('#token');
  // keyboard only: the token field has the focus, Enter submits
  check(await page.evaluate(() => document.activeElement.id === 'token'), 'sign-in: the token field has the focus');
  await page.keyboard.type(token);
  await page.keyboard.press('Enter');
  await page.waitForSelector('#me');
}

// The words of a page's chrome (headings, labels, buttons, table heads, the
// header), leaving out what is marked as another language (the link to it).
async function chrome(page) {
  return page.evaluate(() => {
    const out = [document.title];
    const walk = n => {
      if (n.nodeType === Node.TEXT_NODE) out.push(n.textContent);
      else if (n.nodeType === Node.ELEMENT_NODE && !n.hasAttribute('lang')) for (const c of n.childNodes) walk(c);
    };
    for (const e of document.querySelectorAll('a.skip, header, h1, h2, label, button, th, dt, caption, .help'))
      walk(e);
    return out.join('\n');
  });
}

const CJK = /[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]/;

// The dictionary's English texts found in @text (between non-alphanumerics).
function englishIn(text, words) {
  return Object.keys(words).filter(k => words[k] !== k && /[A-Za-z]/.test(k) &&
    new RegExp('(^|[^A-Za-z0-9])' + k.replace(/[.*+?^${}()|[\]\\]/g, '\\$&') + '($|[^A-Za-z0-9])').test(text));
}

async function forbidden(page, url, who) {
  await page.goto(BASE + url, { waitUntil: 'networkidle0' });
  await page.waitForSelector('.forbidden[data-status="403"]');
  check(/403/.test(await text(page, 'h1')), `${who} on ${url}: a 403 page`);
}

try {
  // --- sign-in: each role sees who it is --------------------------------
  const roles = { admin: env.TOKEN_ADMIN, coordinator: env.TOKEN_COORDINATOR,
    inspector: env.TOKEN_INSPECTOR, lab: env.TOKEN_LAB };
  for (const [role, token] of Object.entries(roles)) {
    const page = await newPage();
    await signIn(page, token);
    const got = await page.$eval('#me [data-role]', e => e.dataset.role);
    check(got === role, `signed in as ${role}: the page says ${got}`);
    check(await page.evaluate(() => !!sessionStorage.getItem('spotcheck-token')) &&
      await page.evaluate(() => !localStorage.length), `${role}: the token is in the session only`);
    if (role === 'inspector') await shot(page, 'signin');
    if (role === 'admin') { await forbidden(page, '/lab', 'admin'); await shot(page, 'forbidden'); }
    if (role === 'lab') { await forbidden(page, '/inspector', 'lab'); await forbidden(page, '/coordinator', 'lab'); }
    await page.browserContext().close();
  }
  {
    const page = await newPage();
    await page.goto(BASE + '/', { waitUntil: 'networkidle0' });
    await page.type('#token', 'not-a-token');
    await page.keyboard.press('Enter');
    await page.waitForSelector('#result .msg.error');
    const refused = await text(page, '#result');
    check(/^令牌无效或已过期：.+/.test(refused), 'a bad token: the server\'s message: ' + refused);
    check((await text(page, '#signin button')) === '登录', 'Chinese: the server\'s language (--lang zh)');
    await page.goto(BASE + '/?lang=en', { waitUntil: 'networkidle0' });
    check((await text(page, '#signin button')) === 'Sign in', 'English with ?lang=en');
    await shot(page, 'signin-empty');
    await page.browserContext().close();
  }

  // --- the language: ?lang= over the server's, kept by links and API calls
  for (const lang of ['en', 'zh']) {
    const page = await newPage();
    const asked = [];
    page.on('request', r => { if (r.url().includes('/api/')) asked.push(r.headers()['accept-language']); });
    await signIn(page, env.TOKEN_COORDINATOR, '?lang=' + lang);
    const words = await page.evaluate(async () => (await (await fetch('/web/words.json?lang=zh')).json()).words);
    check(Object.keys(words).length > 50 && words['Sign in'] === '登录', `${lang}: the words served from the catalogue`);
    const pages = ['/', '/inspector', '/coordinator'];
    for (const url of pages) {
      if (url !== '/') {
        // through the header's link, which keeps the language
        await Promise.all([page.waitForNavigation({ waitUntil: 'networkidle0' }),
          page.click(`nav a[href^="${url}?"]`)]);
        await page.waitForSelector(url === '/inspector' ? '#cases table, #cases .empty' : '#month-form');
      }
      check(new URL(page.url()).searchParams.get('lang') === lang, `${lang}: ${url} keeps lang=${lang}`);
      check(await page.evaluate(l => document.documentElement.lang.startsWith(l), lang), `${lang}: ${url} says it is ${lang}`);
      const links = await page.$$eval('nav a:not([lang])', as => as.map(a => a.getAttribute('href')));
      check(links.length >= 3 && links.every(h => h.endsWith('lang=' + lang)), `${lang}: ${url}'s links keep the language: ${links.join(' ')}`);
      const words_seen = await chrome(page);
      if (lang === 'en') {
        const cjk = words_seen.split('\n').filter(l => CJK.test(l));
        check(cjk.length === 0, `en: no Chinese in the chrome of ${url}` + (cjk.length ? ': ' + cjk.join(' | ') : ''));
      } else {
        const english = englishIn(words_seen, words);
        check(english.length === 0, `zh: no English word of the dictionary in the chrome of ${url}` +
          (english.length ? ': ' + english.join(' | ') : ''));
      }
    }
    const want = lang === 'zh' ? 'zh-CN' : 'en';
    check(asked.length > 0 && asked.every(a => a === want), `${lang}: API calls ask for Accept-Language ${want} (${asked.length})`);
    if (lang === 'en') await shot(page, 'coordinator-en');
    await page.browserContext().close();
  }

  // --- lab: a rejected file, then a good workbook -----------------------
  {
    const page = await newPage();
    await signIn(page, env.TOKEN_LAB);
    await page.goto(BASE + '/lab', { waitUntil: 'networkidle0' });
    await page.waitForSelector('#pending table');
    const before = await text(page, '#pending');
    check(before.includes('DC24120104000001') && before.includes('DC24120104000004'), 'lab: the samples awaiting results');
    // the bad file dropped on the drop zone, the good one through the file input
    const bad = fs.readFileSync(path.join(DATA, 'rejected.csv'), 'utf8');
    await page.evaluate((content) => {
      const dt = new DataTransfer();
      dt.items.add(new File([content], 'rejected.csv', { type: 'text/csv' }));
      const zone = document.querySelector('#drop');
      zone.dispatchEvent(new DragEvent('dragover', { dataTransfer: dt, bubbles: true, cancelable: true }));
      zone.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
    }, bad);
    await page.waitForSelector('#upload-result table');
    const rows = await page.$$eval('#upload-result tbody tr', trs => trs.map(tr => [...tr.cells].map(c => c.innerText)));
    check(rows.length >= 3, `lab: the rejected file's problems as a table (${rows.length} rows)`);
    check(rows[0][0] === '2' && rows[0][2] === 'DC24120104000099', 'lab: line, column, value of the first problem');
    check((await text(page, '#upload-result')).includes('rejected.csv'), 'lab: the problems name the file');
    await shot(page, 'lab-rejected');
    await page.reload({ waitUntil: 'networkidle0' });
    await page.waitForSelector('#pending table');
    check((await text(page, '#pending')).includes('DC24120104000001'), 'lab: nothing was stored from the rejected file');
    await (await page.$('#file')).uploadFile(path.join(DATA, 'results.xlsx'));
    await page.waitForSelector('#upload-result dl.summary');
    const opened = await text(page, '#upload-result [data-key="cases_opened"]');
    const stored = await text(page, '#upload-result [data-key="reports_new"]');
    check(opened === '1' && stored === '2', `lab: the workbook stored 2 reports (${stored}) and opened 1 case (${opened})`);
    await page.waitForFunction(() => !document.querySelector('#pending').innerText.includes('DC24120104000001'));
    check((await text(page, '#pending')).includes('DC24120104000004'), 'lab: one sample still awaits results');
    await page.waitForFunction(() => document.querySelectorAll('#uploads tbody tr').length === 1);
    check((await text(page, '#uploads')).includes('results.xlsx'), 'lab: the upload is in the earlier uploads, by its name');
    await shot(page, 'lab');
    await page.setViewport({ width: 360, height: 740 });
    await shot(page, 'lab-phone');
    const wide = await page.evaluate(() => document.documentElement.scrollWidth);
    check(wide <= 362, `lab at 360 px: no sideways scrolling of the page (${wide})`);
    await page.browserContext().close();
  }

  // --- inspector: the queue, a case, two steps and a conflict -----------
  {
    const page = await newPage();
    await signIn(page, env.TOKEN_INSPECTOR);
    await page.goto(BASE + '/inspector', { waitUntil: 'networkidle0' });
    await page.waitForSelector('#cases table a');
    await shot(page, 'inspector');
    const listed = await page.$eval('#cases tbody tr', tr => [tr.cells[1].innerText, tr.cells[5].innerText]);
    check(listed.every(t => /[\u4e00-\u9fff]/.test(t)), 'zh: the queue shows state and deadline status by name: ' + listed.join(', '));
    const href = await page.$eval('#cases table a', a => a.getAttribute('href'));
    const other = await newPage(); // a second inspector window on the same case
    await signIn(other, env.TOKEN_INSPECTOR);
    await other.goto(BASE + href, { waitUntil: 'networkidle0' });
    await other.waitForSelector('#step-form');
    await page.click('#cases table a');
    await page.waitForSelector('#step-form');
    const fill = async (p) => {
      const step = await p.$eval('#step', s => s.value);
      const fields = await p.$$eval('#step-fields [required]', ns => ns.map(n => ({ id: n.id, tag: n.tagName, type: n.type })));
      for (const f of fields) {
        if (f.tag === 'SELECT') {
          const v = await p.$eval('#' + f.id, s => [...s.options].find(o => o.value).value);
          await p.select('#' + f.id, v);
        } else if (f.type === 'date') {
          await p.$eval('#' + f.id, (n, d) => { n.value = d; }, TODAY);
        } else if (f.type === 'number') {
          await p.type('#' + f.id, '0');
        } else {
          await p.type('#' + f.id, '经核查');
        }
      }
      return [step, fields.length];
    };
    const versionOf = async (p) => Number(await text(p, '#case-head [data-key="version"]'));
    const unlabelled = await page.$$eval('#step-form input, #step-form select, #step-form textarea',
      ns => ns.filter(n => !document.querySelector(`label[for="${n.id}"]`)).map(n => n.name));
    check(unlabelled.length === 0, 'inspector: every field of the step form has a label ' + unlabelled.join(','));
    const options = await page.$$eval('#step option', os => os.map(o => o.innerText));
    check(options.length > 0 && options.every(o => /[\u4e00-\u9fff]$/.test(o)), 'zh: the next steps name their resulting states: ' + options.join(', '));
    for (let i = 1; i <= 2; i++) {
      const v0 = await versionOf(page);
      const [step, n] = await fill(page);
      const named = await page.$eval('#step', s => s.selectedOptions[0].innerText.split(' → ')[0]);
      await page.click('#step-form button[type="submit"]');
      await page.waitForFunction(v => Number(document.querySelector('#case-head [data-key="version"]')?.innerText) > v, {}, v0);
      check((await text(page, '#step-result')).includes(named), `inspector: step ${i} (${step}: ${named}, ${n} required fields) taken`);
      check((await page.$$('#timeline li')).length >= i + 1, `inspector: the timeline shows step ${i}`);
    }
    await shot(page, 'case');
    // states, steps and deadline statuses by name: Chinese under zh, the keys in English
    {
      const han = t => /[\u4e00-\u9fff]/.test(t);
      const state = await text(page, '#case-head [data-key="state"]');
      check(han(state), `inspector: the case's state by its Chinese name (${state})`);
      const statuses = await page.$$eval('section[aria-labelledby="h-dl"] tbody tr td:last-child', ns => ns.map(n => n.innerText));
      check(statuses.length > 0 && statuses.every(han) && !statuses.some(t => /\bmet\b|due in|overdue by|due today|lapsed/.test(t)),
        'zh: the deadline statuses in Chinese: ' + statuses.join(', '));
      const timeline = await text(page, '#timeline');
      check(!/\b(deliver|notified|open|opened)\b/.test(timeline), 'zh: the timeline names steps and states in Chinese: ' + timeline.split('\n')[0]);
      await page.goto(BASE + href + '&lang=en', { waitUntil: 'networkidle0' });
      await page.waitForSelector('#timeline');
      const key = await text(page, '#case-head [data-key="state"]');
      check(/^[a-z-]+$/.test(key), `en: the case's state is its key (${key})`);
      const en = await page.$$eval('section[aria-labelledby="h-dl"] tbody tr td:last-child', ns => ns.map(n => n.innerText));
      check(en.length === statuses.length && en.every(t => !han(t)), 'en: the deadline statuses in English: ' + en.join(', '));
      check(/\bdeliver\b/.test(await text(page, '#timeline')), 'en: the timeline shows step keys');
    }
    // the other window still holds the first version: the server refuses it
    await fill(other);
    await other.click('#step-form button[type="submit"]');
    await other.waitForSelector('#step-result .msg.error');
    const msg = await text(other, '#step-result');
    check(/version|changed|版本/i.test(msg), 'inspector: a stale version is refused with the server\'s message: ' + msg);
    await shot(other, 'case-conflict');
    await page.pdf({ path: path.join(SHOTS, 'case.pdf'), format: 'A4' });
    check(fs.statSync(path.join(SHOTS, 'case.pdf')).size > 1000, 'inspector: the case prints on A4');
    await other.browserContext().close();
    await page.browserContext().close();
  }
  {
    const page = await newPage();
    await signIn(page, env.TOKEN_INSPECTOR2);
    await page.goto(BASE + '/inspector', { waitUntil: 'networkidle0' });
    await page.waitForSelector('#cases .empty');
    check(true, 'another office\'s inspector sees no case');
    await page.browserContext().close();
  }

  // --- coordinator: progress, tasks, XLSX download, emergency draw ------
  {
    const page = await newPage();
    await signIn(page, env.TOKEN_COORDINATOR);
    await page.goto(BASE + '/coordinator', { waitUntil: 'networkidle0' });
    await page.waitForSelector('#progress iframe, #progress .msg.error');
    const report = await (await page.$('#progress-frame')).contentFrame();
    await report.waitForSelector('table');
    check((await report.$$('svg')).length > 0, 'coordinator: the progress report with its charts');
    await page.$eval('#month', n => { n.value = '2024-01'; });
    await page.click('#month-form button[type="submit"]');
    await page.waitForSelector('#tasks table');
    check((await text(page, '#tasks')).includes('DC24120104000001'), 'coordinator: January\'s task list per office');
    const downloads = path.join(SHOTS, 'downloads');
    fs.rmSync(downloads, { recursive: true, force: true });
    fs.mkdirSync(downloads, { recursive: true });
    const cdp = await browser.target().createCDPSession();
    await cdp.send('Browser.setDownloadBehavior', { behavior: 'allow', downloadPath: downloads,
      browserContextId: page.browserContext().id, eventsEnabled: true });
    await page.click('#xlsx');
    const file = path.join(downloads, 'tasks-2024-01.xlsx');
    for (let i = 0; i < 100 && !fs.existsSync(file); i++) await new Promise(r => setTimeout(r, 100));
    check(fs.existsSync(file) && fs.readFileSync(file).subarray(0, 2).toString() === 'PK', 'coordinator: the XLSX download is a workbook');
    await page.$eval('#d-month', n => { n.value = '2024-01'; });
    await page.type('#d-category', '24');
    await page.type('#d-reason', '投诉');
    await page.type('#d-businesses', env.WEB_USCC1);
    await page.type('#d-over', 'complaint');
    await page.click('#draw-form button[type="submit"]');
    await page.waitForSelector('#draw-result .msg');
    const drawn = await text(page, '#draw-result');
    check(!!(await page.$('#draw-result .msg.ok')) && drawn.includes('DC24'), 'coordinator: the emergency draw: ' + drawn.split('\n')[0]);
    await new Promise(r => setTimeout(r, 300));
    await shot(page, 'coordinator');
    await page.browserContext().close();
  }
  check(errors.length === 0, 'no script errors in the pages' + (errors.length ? ': ' + errors.join('; ') : ''));
} catch (e) {
  console.error(e.stack || String(e));
  if (errors.length) console.error('page errors: ' + errors.join('; '));
  await browser.close();
  process.exit(1);
}
await browser.close();
