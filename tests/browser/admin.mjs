#!/usr/bin/env node
// The editors' web admin in a real headless Chromium (Debian's /usr/bin/chromium, driven by
// playwright-core) — ctest browser.admin.
//   node admin.mjs CLEMENCY_BINARY SOURCE_DIR
// Makes three accounts (two editors, a publisher) in a store in a temporary folder, starts
// `clemency serve` on it, then checks, each printed as "ok" or "FAIL":
//   workflow   an editor signs in, changes a sentence of a guide, sees the preview change after
//              autosave, submits; a publisher signs in, approves (legal review box) and publishes;
//              the public page shows the new sentence and the change note
//   no-js      with JavaScript off, an editor saves a draft with the Save button
//   unpublish  a publisher takes a story off the site; readers see the reason
//   conflict   a second editor's stale save gets the conflict screen, with both versions and a
//              button to take the merged text (the two changes touch different paragraphs)
//   axe        axe-core (WCAG 2 A/AA) on every admin screen, in both interface languages: no
//              violation at all
//   csp        no console error (so no Content-Security-Policy violation) on any admin page
//   mobile     320 px wide: no horizontal scrolling on any admin screen
//   keyboard   the first Tab focuses the skip link; it leads to main#main; a support entry's
//              summary is changed and saved with the keyboard only (Tab to the input, type, Tab
//              to the save button, Enter)
//   screenshots every admin screen at 320 px and in each interface language, kept as the test's
//              artefacts in build/test-artefacts/admin/ (CLEMENCY_ARTEFACTS overrides the folder)
//   form       a support entry found by a search without diacritics, edited in labelled inputs
//              (no YAML): a wrong phone is refused next to its field in Vietnamese, the right one
//              saved; the page list has the new-page button first
//   session    text typed after the session expired is kept in the browser, autosave says so,
//              and the edit screen offers it back after signing in again
//   new page   a Vietnamese title makes the slug (checked as typed, a taken one said so); with
//              JavaScript off the server makes it; the page starts with its title
//   image      a JPEG uploaded with alt text in each language is inserted in a story, submitted,
//              approved by a publisher and published: the live page's <img> has srcset, width,
//              height and alt, and every copy it names is served; the library refuses to delete
//              it (naming the story) but deletes an unused image
// Exits 1 with the list of failures, 2 when it cannot run at all.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

import { startServe } from './serve.mjs';
import { CHROMIUM, CHROMIUM_ARGS, loadBrowserTools, testArguments } from './tools.mjs';

const PASSWORDS = { ed1: 'bien-tap-vien-mot', ed2: 'bien-tap-vien-hai', pub: 'nguoi-duyet-bai-1' };
const ROLES = { ed1: 'editor', ed2: 'editor', pub: 'publisher' };
const GUIDE = 'content/guides/dac-xa-la-gi.vi.md';
const GUIDE_URL = '/vi/guides/dac-xa-la-gi/';
const OLD_SENTENCE = 'Chỉ Chủ tịch nước mới có quyền quyết định đặc xá.';
const NEW_SENTENCE = 'Chỉ Chủ tịch nước mới có quyền quyết định việc đặc xá.';
const CHANGE_NOTE = 'Viết lại câu nói ai quyết định đặc xá cho rõ hơn.';
const OTHER = 'content/guides/ai-duoc-xet-dac-xa.vi.md';
const STORY = 'content/stories/trai-ga-tu-khoan-vay-50-trieu.vi.md';
const STORY_URL = '/vi/stories/trai-ga-tu-khoan-vay-50-trieu/';
const WITHDRAW_REASON = 'Người kể chuyện xin rút lại câu chuyện.';
const SUPPORT = 'content/support/ca-cong-dong-giup-do-hung-xa-hung-nguyen.vi.md';
const PHONE = '0238 3881 234';
const UNTOUCHED = 'content/guides/ai-khong-duoc-xet-dac-xa.vi.md';  // never edited here

const { binary, source } = testArguments('admin.mjs');
// Screenshots of every screen, kept after the run for a person to look at.
const ARTEFACTS = process.env.CLEMENCY_ARTEFACTS ?? join(dirname(binary), 'test-artefacts', 'admin');
rmSync(ARTEFACTS, { recursive: true, force: true });
mkdirSync(ARTEFACTS, { recursive: true });
async function keepScreenshot(page, name) {
  const file = name.replace(/[^a-z0-9]+/gi, '-').replace(/^-|-$/g, '').toLowerCase();
  await page.screenshot({ path: join(ARTEFACTS, `${file}.png`), fullPage: true });
}
const { chromium, axeRun } = await loadBrowserTools();

// ---------------------------------------------------------------------------------------------
// The server on a copy of the site, with accounts made the way an administrator makes them.

const work = mkdtempSync(join(tmpdir(), 'clemency-admin-'));
const site = join(work, 'site-copy');
cpSync(join(source, 'site'), join(site, 'site'), { recursive: true });
cpSync(join(source, 'content'), join(site, 'content'), { recursive: true });
const db = join(work, 'clemency.db');
for (const [name, role] of Object.entries(ROLES)) {
  execFileSync(binary, ['user', 'add', name, '--role', role, '--db', db],
    { input: `${PASSWORDS[name]}\n`, stdio: ['pipe', 'ignore', 'pipe'] });
}
let serverLog = '';
const { child: server, port: portPromise } = startServe(binary, site, work, (c) => { serverLog += c; });
let browser = null;

async function cleanUp() {
  if (browser) await browser.close().catch(() => {});
  if (server.exitCode === null && server.signalCode === null) {
    const exited = new Promise((r) => server.once('exit', r));
    server.kill('SIGTERM');
    await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
    if (server.exitCode === null && server.signalCode === null) server.kill('SIGKILL');
  }
  rmSync(work, { recursive: true, force: true });
}
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.on(sig, () => { cleanUp().finally(() => process.exit(1)); });
}

// ---------------------------------------------------------------------------------------------
// Reporting.

const failures = [];
async function check(name, fn) {
  let problems;
  const started = Date.now();
  try {
    problems = (await fn()) ?? [];
  } catch (err) {
    problems = [`error: ${err.message.split('\n')[0]}`];
  }
  console.log(`${problems.length ? 'FAIL' : 'ok  '} ${name} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  for (const p of problems) console.log(`       ${p}`);
  if (problems.length) failures.push(name);
}

let origin;
const consoleErrors = [];  // [page url, message] from every page of every context
const screens = new Map();  // name -> URL path of an admin screen seen (GET)

function watch(page) {
  page.on('console', (msg) => {
    if (msg.type() !== 'error') return;
    // A refusal (the conflict screen is a 412, a missing edit 404, an expired session's autosave
    // 401, an unpublish sent without its confirmation 400) is reported as a failed load.
    if (/Failed to load resource: the server responded with a status of 4(00|01|04|09|12|22)/.test(msg.text())) return;
    consoleErrors.push(`${page.url()}: ${msg.text()}`);
  });
  page.on('pageerror', (err) => consoleErrors.push(`${page.url()}: uncaught ${err.message}`));
  return page;
}

async function signIn(context, name) {
  const page = watch(await context.newPage());
  await page.goto(`${origin}/admin/login`);
  await page.fill('#name', name);
  await page.fill('#password', PASSWORDS[name]);
  await Promise.all([page.waitForURL(`${origin}/admin/`), page.click('button[type=submit]')]);
  return page;
}

// The edit screen's URL for `path`, starting the edit from the page list if needed: opening
// the page makes no draft, so it is saved once (unchanged) to make one.
async function openEdit(page, path, section = 'guides') {
  await page.goto(`${origin}/admin/pages?section=${section}&page_lang=vi`);
  const item = page.locator('.page-list li', { has: page.locator(`.path:text-is("${path}")`) });
  await Promise.all([page.waitForURL(/\/admin\/edit\?/), item.locator('a.button').click()]);
  await Promise.all([page.waitForURL(/\/admin\/edits\/\d+/), page.click('#edit-form button[value=save]')]);
  return new URL(page.url()).pathname;
}

async function axeProblems(page) {
  return (await axeRun(page)).violations.map((v) =>
    `${v.id} (${v.impact}) at ${v.nodes[0]?.target?.join(' ')}${v.nodes.length > 1 ? ` (+${v.nodes.length - 1})` : ''}: ${v.help}`);
}

// ---------------------------------------------------------------------------------------------
// The checks.

async function workflowCheck(editorContext, publisherContext) {
  const problems = [];
  const ed = await signIn(editorContext, 'ed1');
  screens.set('dashboard', '/admin/');
  screens.set('pages', '/admin/pages');
  const editPath = await openEdit(ed, GUIDE);
  screens.set('edit', editPath);
  const body = ed.locator('#f-body');
  const text = await body.inputValue();
  if (!text.includes(OLD_SENTENCE)) return [`the body does not hold "${OLD_SENTENCE}"`];
  await body.fill(text.replace(OLD_SENTENCE, NEW_SENTENCE));
  await ed.fill('#f-note', CHANGE_NOTE);
  // Autosave (every 4 s) saves the change and reloads the preview with it.
  await ed.locator('#autosave-status').filter({ hasText: /\d/ }).waitFor({ timeout: 20_000 });
  const preview = ed.frameLocator('#preview');
  try {
    await preview.locator('main').filter({ hasText: NEW_SENTENCE }).waitFor({ timeout: 15_000 });
  } catch {
    problems.push('the preview did not show the new sentence after autosave');
  }
  if (!(await ed.locator('#preview').getAttribute('title'))) problems.push('the preview iframe has no title');
  await Promise.all([ed.waitForURL(/done=submitted/), ed.click('form[action$="/submit"] button')]);
  if (!(await ed.locator('.flash').isVisible())) problems.push('no confirmation after submitting');
  if (await ed.locator('form[action$="/approve"]').count()) problems.push('an editor is shown the approve button');

  const pub = await signIn(publisherContext, 'pub');
  const link = pub.locator('#group-in_review ~ ul a', { hasText: GUIDE });
  if (!(await link.count())) problems.push('the dashboard does not list the edit in review');
  if (!(await pub.locator('#waiting a', { hasText: GUIDE }).count())) problems.push('the publisher is not told the edit waits for review');
  // The translator's screen of the guide's English page: the Vietnamese source beside it.
  screens.set('translation (no draft yet)', `/admin/edit?path=${encodeURIComponent(GUIDE.replace('.vi.md', '.en.md'))}`);
  await pub.goto(origin + screens.get('translation (no draft yet)'));
  if (!(await pub.locator('#source-body').inputValue()).includes(NEW_SENTENCE.slice(0, 20))) problems.push('the translation screen does not show the Vietnamese source');
  await pub.goto(origin + editPath);
  for (const p of await axeProblems(pub)) problems.push(`axe on the edit in review: ${p}`);
  const reviewInserted = await pub.locator('.review-diff .diff ins').allInnerTexts();
  if (!reviewInserted.some((t) => t.includes('việc'))) problems.push(`the review shows no word diff against the live page: ${reviewInserted}`);
  await pub.check('#legal-review');
  await Promise.all([pub.waitForURL(/done=approved/), pub.click('form[action$="/approve"] button')]);
  for (const p of await axeProblems(pub)) problems.push(`axe on the approved edit: ${p}`);
  if (!(await pub.locator('#schedule-at').count())) problems.push('no schedule field on the approved edit');
  await Promise.all([pub.waitForURL(/done=published/), pub.click('form[action$="/publish"] button')]);
  screens.set('history', `/admin/history?path=${encodeURIComponent(GUIDE)}`);
  await pub.goto(origin + screens.get('history'));
  // From the oldest item (the imported page) to the newest (this publish).
  await pub.locator('input[name=from]').last().check();
  await pub.locator('input[name=to]').first().check();
  await Promise.all([pub.waitForURL(/from=/), pub.click('#diff-form button')]);
  screens.set('history diff', new URL(pub.url()).pathname + new URL(pub.url()).search);
  const diffHeading = await pub.locator('#diff-heading').innerText();
  if (/\b(r\d+|e\d+\.\d+)\b/.test(diffHeading) || !diffHeading.includes('pub')) problems.push(`the history names versions by ids: ${diffHeading}`);
  const inserted = await pub.locator('.diff ins').allInnerTexts();
  if (!inserted.some((t) => t.includes('việc'))) problems.push(`the history diff does not show the inserted word: ${inserted}`);
  screens.set('not found', '/admin/edits/999999');
  screens.set('unpublish', `/admin/unpublish?path=${encodeURIComponent(GUIDE)}`);
  screens.set('audit', '/admin/audit');
  const reader = watch(await publisherContext.newPage());
  let shown = false;
  for (let i = 0; i < 50 && !shown; ++i) {
    await reader.goto(origin + GUIDE_URL);
    const main = await reader.locator('main').innerText();
    shown = main.includes(NEW_SENTENCE) && main.includes(CHANGE_NOTE);
    if (!shown) await reader.waitForTimeout(200);
  }
  if (!shown) problems.push('the public page does not show the new sentence and the change note');
  return problems;
}

async function noJsCheck(noJsContext) {
  const page = await signIn(noJsContext, 'ed2');
  const editPath = await openEdit(page, OTHER);
  screens.set('edit (other)', editPath);
  const body = page.locator('#f-body');
  const text = await body.inputValue();
  const changed = text.replace('Được xét chưa chắc đã được tha.', 'Được xét chưa chắc đã được tha ngay.');
  if (changed === text) return ['the sentence to change is not in the page'];
  await body.fill(changed);
  await Promise.all([page.waitForURL(/done=saved/), page.click('#edit-form button[value=save]')]);
  const saved = await page.locator('#f-body').inputValue();
  return saved.includes('được tha ngay.') ? [] : ['the saved draft does not hold the change'];
}

// ed2 (JavaScript off) holds the edit open; ed1 saves first; ed2's save is then stale.
async function staleFormCheck(editorContext, noJsContext) {
  const stalePage = watch(await noJsContext.newPage());
  await stalePage.goto(origin + screens.get('edit (other)'));
  const first = watch(await editorContext.newPage());
  await first.goto(origin + screens.get('edit (other)'));
  const firstBody = await first.locator('#f-body').inputValue();
  await first.locator('#f-body').fill(firstBody.replace('Bạn phải cải tạo tiến bộ.', 'Bạn phải cải tạo thật tiến bộ.'));
  await Promise.all([first.waitForURL(/done=saved/), first.click('#edit-form button[value=save]')]);
  await first.close();
  const staleBody = await stalePage.locator('#f-body').inputValue();
  await stalePage.locator('#f-body').fill(staleBody.replace('"Được xét" nghĩa là', '"Được xét" có nghĩa là'));
  const [response] = await Promise.all([
    stalePage.waitForResponse((r) => r.request().method() === 'POST'),
    stalePage.click('#edit-form button[value=save]'),
  ]);
  const problems = [];
  if (response.status() !== 412) problems.push(`the stale save answered ${response.status()}, expected 412`);
  problems.push(...await conflictScreenProblems(stalePage, ['thật tiến bộ', 'có nghĩa là']));
  await stalePage.close();
  return problems;
}

async function conflictScreenProblems(page, changes) {
  const problems = [];
  if (!(await page.locator('#theirs-text').count()) || !(await page.locator('#mine-text').count())) {
    problems.push('the conflict screen does not show both versions');
  }
  const merged = page.locator('#merged-text');
  if (!(await merged.count())) return [...problems, 'no merged text offered for changes to different paragraphs'];
  const text = await merged.inputValue();
  for (const change of changes) if (!text.includes(change)) problems.push(`the merged text lacks "${change}"`);
  return problems;
}

// ed1 (JavaScript on) is writing when ed2 saves: autosave stops at the 412 and offers the
// conflict screen, which shows both versions and the merge (axe-checked here, with scripts on).
async function autosaveConflictCheck(editorContext, noJsContext) {
  const writer = watch(await editorContext.newPage());
  await writer.goto(origin + screens.get('edit (other)'));
  const other = watch(await noJsContext.newPage());
  await other.goto(origin + screens.get('edit (other)'));
  const otherBody = await other.locator('#f-body').inputValue();
  await other.locator('#f-body').fill(otherBody.replace('Án chung thân chưa được giảm', 'Án tù chung thân chưa được giảm'));
  await Promise.all([other.waitForURL(/done=saved/), other.click('#edit-form button[value=save]')]);
  const body = await writer.locator('#f-body').inputValue();
  await writer.locator('#f-body').fill(body.replace('Bạn phải cải tạo thật tiến bộ.', 'Bạn phải cải tạo thật sự tiến bộ.'));
  const notice = writer.locator('#autosave-conflict');
  await notice.waitFor({ state: 'visible', timeout: 20_000 });
  const [response] = await Promise.all([
    writer.waitForResponse((r) => r.request().method() === 'POST'),
    notice.locator('button').click(),
  ]);
  await writer.waitForLoadState('load');
  const problems = [];
  if (response.status() !== 412) problems.push(`the conflict button's post answered ${response.status()}, expected 412`);
  problems.push(...await conflictScreenProblems(writer, ['thật sự tiến bộ', 'Án tù chung thân']));
  for (const p of await axeProblems(writer)) problems.push(`axe on the conflict screen: ${p}`);
  await Promise.all([writer.waitForURL(/done=saved/), writer.click('form:has(#merged-text) button')]);
  const saved = await writer.locator('#f-body').inputValue();
  if (!saved.includes('thật sự tiến bộ') || !saved.includes('Án tù chung thân')) {
    problems.push('taking the merged text did not save both changes');
  }
  return problems;
}

// A publisher takes a story (in every language) off the site with a reason; readers see it.
async function unpublishCheck(publisherContext) {
  const page = watch(await publisherContext.newPage());
  await page.goto(`${origin}/admin/unpublish?path=${encodeURIComponent(STORY)}`);
  await page.fill('#reason', WITHDRAW_REASON);
  await page.check('#scope-all');  // its translations go with it
  const problems = [];
  // Without the confirmation box ticked nothing happens; the form says why, the reason kept.
  await Promise.all([page.waitForLoadState('load'), page.click('form[action="/admin/unpublish"] button')]);
  if (!(await page.locator('#confirm-error').isVisible())) problems.push('unpublishing did not ask for confirmation');
  if ((await page.locator('#reason').inputValue()).trim() !== WITHDRAW_REASON) problems.push('the reason was lost when asking for confirmation');
  await page.check('#scope-all');
  await page.check('#confirm');
  await Promise.all([page.waitForLoadState('load'), page.click('form[action="/admin/unpublish"] button')]);
  const heading = await page.locator('h1').innerText();
  if (!/Đã gỡ trang|Page unpublished/.test(heading)) problems.push(`after unpublishing: "${heading}": ${(await page.locator('main').innerText()).slice(0, 600)}`);
  for (const p of await axeProblems(page)) problems.push(`axe on the result: ${p}`);
  let shown = false;
  for (let i = 0; i < 50 && !shown; ++i) {
    const response = await page.goto(origin + STORY_URL);
    shown = response.status() === 200 && (await page.locator('main').innerText()).includes(WITHDRAW_REASON);
    if (!shown) await page.waitForTimeout(200);
  }
  if (!shown) problems.push('the story does not show the withdrawal reason');
  return problems;
}

// A support entry edited through its typed inputs, found from the page list's search.
async function typedFormCheck(editorContext) {
  const problems = [];
  const page = watch(await editorContext.newPage());
  const search = `/admin/pages?q=${encodeURIComponent('cong dong giup do hung xa')}&page_lang=vi`;
  screens.set('pages (search)', search);
  await page.goto(origin + search);
  if ((await page.locator('main a.button').first().getAttribute('href')) !== '/admin/pages/new') {
    problems.push('the page list does not start with the new-page button');
  }
  const items = page.locator('.page-list li');
  const paths = await items.locator('.path').allInnerTexts();
  // Its title holds the words, so it comes first; pages with them only in the body follow.
  if (paths[0] !== SUPPORT) return [...problems, `the search found ${paths}`];
  if (!(await items.first().locator('.title').innerText()).includes('Hưng Xá')) problems.push('the list shows no title');
  await Promise.all([page.waitForURL(/\/admin\/edit\?/), items.first().locator('a.button').click()]);
  // Opening the page to read it makes no draft: the dashboard lists none for it.
  const opened = new URL(page.url());
  screens.set('edit (no draft yet)', `/admin/edit?path=${encodeURIComponent(UNTOUCHED)}`);
  const dashboard = watch(await editorContext.newPage());
  await dashboard.goto(`${origin}/admin/`);
  if ((await dashboard.locator('.edit-list a', { hasText: SUPPORT }).count()) !== 0) problems.push('opening the page made a draft');
  await dashboard.close();
  if (!(await page.locator('#unsaved-hint').isVisible())) problems.push('the opened page does not say there is no draft yet');
  if ((await page.locator('label[for="f-contact-phone"]').innerText()).trim() !== 'Điện thoại') problems.push('the phone input is not labelled "Điện thoại"');
  if ((await page.locator('#f-province').inputValue()) !== 'Nghệ An') problems.push('the province input does not hold the province');
  if ((await page.locator('#f-advanced').inputValue()).includes('province:')) problems.push('the province is still in the YAML box');
  // The province input offers the listed names (site/provinces.yaml: 34, the whole country, the
  // 29 merged provinces and Huế's name until 2025).
  const offered = await page.locator('#f-province-names option').evaluateAll((os) => os.map((o) => o.value));
  if (offered.length !== 65 || !offered.includes('Tây Ninh') || !offered.includes('Long An')) problems.push(`the province input offers ${offered.length} names`);
  await page.fill('#f-contact-phone', '0238 abc');
  await Promise.all([page.waitForURL(/done=saved/), page.click('#edit-form button[value=save]')]);
  if (new URL(page.url()).pathname === opened.pathname) problems.push('the first save did not make a draft');
  screens.set('edit (support)', new URL(page.url()).pathname);
  const errors = await page.locator('#f-contact-phone-errors').allInnerTexts();
  if (!errors.some((t) => t.includes('Số điện thoại'))) problems.push(`no Vietnamese problem next to the phone: ${errors}`);
  const summary = await page.locator('#problems').innerText();
  if (!summary.includes('Điện thoại:') || summary.includes('contact.phone')) problems.push(`the summary names the field by its key: ${summary}`);
  for (const p of await axeProblems(page)) problems.push(`axe with a problem shown: ${p}`);
  await page.fill('#f-contact-phone', PHONE);
  await Promise.all([page.waitForURL(/done=saved/), page.click('#edit-form button[value=save]')]);
  if ((await page.locator('#f-contact-phone').inputValue()) !== PHONE) problems.push('the phone was not saved');
  if (await page.locator('#f-contact-phone-errors').count()) problems.push('the right phone is still refused');
  const changes = await page.locator('table.changes').innerText().catch(() => '');
  if (!changes.includes('Điện thoại') || !changes.includes(PHONE)) problems.push(`the changes table does not show the phone: ${changes}`);
  await page.close();
  return problems;
}

// The media library: an upload without alt text is refused next to the field (what was typed
// kept), then with alt text in every language it is listed with its Markdown and found by a
// search without diacritics. A 1 x 1 PNG (its kind read from its bytes, not its name).
const TINY_PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');
async function mediaCheck(editorContext) {
  const problems = [];
  const page = watch(await editorContext.newPage());
  screens.set('media', '/admin/media');
  await page.goto(origin + '/admin/media');
  await page.setInputFiles('#media-file', { name: 'anh.jpg', mimeType: 'image/jpeg', buffer: TINY_PNG });
  await page.fill('#media-alt-vi', 'Một gia đình đoàn tụ');
  await page.check('input[name=consent_basis][value=no-person]');
  await page.click('form.media-upload button[type=submit]');
  await page.waitForLoadState();
  if (!(await page.locator('#media-alt-en-error').count())) problems.push('no problem next to the missing English alt text');
  if ((await page.locator('#media-alt-vi').inputValue()) !== 'Một gia đình đoàn tụ') problems.push('the typed alt text was lost');
  for (const p of await axeProblems(page)) problems.push(`axe with a problem shown: ${p}`);
  await page.setInputFiles('#media-file', { name: 'anh.jpg', mimeType: 'image/jpeg', buffer: TINY_PNG });
  for (const input of await page.locator('input[name^=alt_]').all()) {
    if (!(await input.inputValue())) await input.fill('A family together again');
  }
  await page.check('input[name=consent_basis][value=no-person]');
  await Promise.all([page.waitForURL(/added=1/), page.click('form.media-upload button[type=submit]')]);
  await page.goto(origin + '/admin/media?q=' + encodeURIComponent('doan tu'));
  const markdown = await page.locator('.media-markdown').first().inputValue().catch(() => '');
  if (!/^!\[Một gia đình đoàn tụ\]\(\/media\/[0-9a-f]+-1x1\.png\)$/.test(markdown)) problems.push(`the library does not show the image's Markdown: "${markdown}"`);
  await page.close();
  return problems;
}

// A JPEG the browser draws (1200 x 800, so the build writes its 960 and 480 copies too).
async function drawnJpeg(page, from = '#2a6f97', to = '#f4a261') {
  const dataUrl = await page.evaluate(([from, to]) => {
    const canvas = document.createElement('canvas');
    canvas.width = 1200;
    canvas.height = 800;
    const g = canvas.getContext('2d');
    const gradient = g.createLinearGradient(0, 0, 1200, 800);
    gradient.addColorStop(0, from);
    gradient.addColorStop(1, to);
    g.fillStyle = gradient;
    g.fillRect(0, 0, 1200, 800);
    return canvas.toDataURL('image/jpeg', 0.8);
  }, [from, to]);
  return Buffer.from(dataUrl.slice(dataUrl.indexOf(',') + 1), 'base64');
}

async function uploadImage(page, buffer, alts) {
  await page.goto(origin + '/admin/media');
  await page.setInputFiles('#media-file', { name: 'anh-chup.jpg', mimeType: 'image/jpeg', buffer });
  for (const [lang, text] of Object.entries(alts)) await page.fill(`#media-alt-${lang}`, text);
  await page.check('input[name=consent_basis][value=no-person]');
  await Promise.all([page.waitForURL(/added=1/), page.click('form.media-upload button[type=submit]')]);
}

const IMAGE_STORY = 'content/stories/nhom-thien-nguyen-do-luong-chung-tay.vi.md';
const IMAGE_STORY_URL = '/vi/stories/nhom-thien-nguyen-do-luong-chung-tay/';
const IMAGE_ALTS = { vi: 'Cánh đồng lúa chín ở Đô Lương', en: 'Ripe rice fields in Do Luong', km: 'វាលស្រូវទុំនៅដូលឿង' };

// An editor inserts a library image in a story; a publisher approves and publishes it; readers
// get a responsive <img> whose every copy is served. The library will not delete it now.
async function imagePublishCheck(editorContext, publisherContext) {
  const problems = [];
  const ed = watch(await editorContext.newPage());
  await uploadImage(ed, await drawnJpeg(ed), IMAGE_ALTS);
  const editPath = await openEdit(ed, IMAGE_STORY, 'stories');
  await ed.locator('details.media-insert summary').click();
  const insert = ed.locator('.media-insert-button', { hasText: IMAGE_ALTS.vi });
  if (!(await insert.count())) return ['the edit screen does not offer the uploaded image'];
  await ed.locator('#f-body').evaluate((t) => { t.selectionStart = t.selectionEnd = t.value.length; });
  await insert.first().click();
  const body = await ed.locator('#f-body').inputValue();
  const inserted = /!\[Cánh đồng lúa chín ở Đô Lương\]\((\/media\/[0-9a-f]+-1200x800\.jpg)\)/.exec(body);
  if (!inserted) return [`the body does not hold the image's Markdown: ${body.slice(-200)}`];
  await ed.fill('#f-note', 'Thêm ảnh cánh đồng.');
  await Promise.all([ed.waitForURL(/done=saved/), ed.click('#edit-form button[value=save]')]);
  await Promise.all([ed.waitForURL(/done=submitted/), ed.click('form[action$="/submit"] button')]);
  const pub = watch(await publisherContext.newPage());
  await pub.goto(origin + editPath);
  await Promise.all([pub.waitForURL(/done=approved/), pub.click('form[action$="/approve"] button')]);
  await Promise.all([pub.waitForURL(/done=published/), pub.click('form[action$="/publish"] button')]);
  const reader = watch(await publisherContext.newPage());
  let img = null;
  for (let i = 0; i < 50 && !img; ++i) {
    await reader.goto(origin + IMAGE_STORY_URL);
    // The <img> names the full copy in its srcset (its src is the 960 px copy).
    const found = reader.locator(`main img[srcset*="${inserted[1]}"]`);
    if (await found.count()) img = found.first();
    else await reader.waitForTimeout(200);
  }
  if (!img) return [...problems, `the live story shows no <img> of ${inserted[1]}`];
  const attrs = await img.evaluate((e) => ({ src: e.getAttribute('src'), srcset: e.getAttribute('srcset'), width: e.getAttribute('width'),
    height: e.getAttribute('height'), alt: e.getAttribute('alt') }));
  if (attrs.width !== '1200' || attrs.height !== '800') problems.push(`the <img> is ${attrs.width} x ${attrs.height}`);
  if (attrs.alt !== IMAGE_ALTS.vi) problems.push(`the <img> alt is "${attrs.alt}"`);
  const urls = (attrs.srcset ?? '').split(',').map((c) => c.trim().split(/\s+/)[0]).filter(Boolean);
  if (urls.length < 3) problems.push(`the srcset names ${urls.length} copies: "${attrs.srcset}"`);
  for (const url of new Set([attrs.src, ...urls])) {
    const response = await reader.request.get(new URL(url, origin + IMAGE_STORY_URL).href);
    if (response.status() !== 200) problems.push(`${url}: HTTP ${response.status()}`);
    else if (response.headers()['content-type'] !== 'image/jpeg') problems.push(`${url}: ${response.headers()['content-type']}`);
  }
  await reader.close();
  problems.push(...await mediaDeleteProblems(ed, inserted[1]));
  await ed.close();
  await pub.close();
  return problems;
}

// The library's delete: refused for the image the story shows (the story named, in Vietnamese),
// done for an image nothing uses.
async function mediaDeleteProblems(page, usedPath) {
  const problems = [];
  await page.goto(origin + '/admin/media');
  const used = page.locator('.media-list li', { has: page.locator(`input.media-markdown[value$="(${usedPath})"]`) });
  await Promise.all([page.waitForLoadState('load'), used.locator('form.media-delete button').click()]);
  const refusal = await page.locator('#media-delete-refused').innerText().catch(() => '');
  if (!refusal.includes('Nhóm thiện nguyện') && !refusal.includes('nhom-thien-nguyen-do-luong-chung-tay')) {
    problems.push(`deleting a used image was not refused naming the story: "${refusal}"`);
  }
  for (const p of await axeProblems(page)) problems.push(`axe with the refusal shown: ${p}`);
  const unused = { vi: 'Ảnh thử không dùng', en: 'An unused test picture', km: 'រូបភាពសាកល្បង' };
  await uploadImage(page, await drawnJpeg(page, '#264653', '#e9c46a'), unused);
  const item = page.locator('.media-list li', { hasText: unused.vi });
  await Promise.all([page.waitForURL(/deleted=1/), item.locator('form.media-delete button').click()]);
  if (await page.locator('.media-list li', { hasText: unused.vi }).count()) problems.push('the unused image is still listed after deleting it');
  return problems;
}

// A new page from a Vietnamese title, with JavaScript (the slug follows the title, a taken slug
// is said so) and without it (the server makes the slug).
async function newPageCheck(editorContext, noJsContext) {
  const problems = [];
  const page = watch(await editorContext.newPage());
  screens.set('new page', '/admin/pages/new');
  await page.goto(origin + '/admin/pages/new');
  await page.selectOption('#new-section', 'support');
  await page.fill('#new-slug', 'ca-cong-dong-giup-do-hung-xa-hung-nguyen');
  await page.locator('#new-slug-status').filter({ hasText: 'Đã có một trang' }).waitFor({ timeout: 10_000 })
    .catch(() => problems.push('a taken slug is not said to be taken'));
  await page.fill('#new-slug', '');
  await page.fill('#new-title', 'Điểm hỗ trợ Đồng Hới');
  await page.locator('#new-slug-status').filter({ hasText: 'diem-ho-tro-dong-hoi' }).waitFor({ timeout: 10_000 })
    .catch(() => problems.push('the slug was not made from the title'));
  const slug = await page.locator('#new-slug').inputValue();
  if (slug !== 'diem-ho-tro-dong-hoi') problems.push(`the slug is "${slug}"`);
  await Promise.all([page.waitForURL(/done=created/), page.click('#new-page-form button[type=submit]')]);
  if ((await page.locator('#f-title').inputValue()) !== 'Điểm hỗ trợ Đồng Hới') problems.push('the new page does not start with its title');
  if (!(await page.locator('label[for="f-province"]').innerText()).includes('bắt buộc')) problems.push('the required province is not marked');
  await page.close();
  const plain = watch(await noJsContext.newPage());
  await plain.goto(origin + '/admin/pages/new');
  await plain.selectOption('#new-section', 'stories');
  await plain.fill('#new-title', 'Câu chuyện của anh Đức');
  await Promise.all([plain.waitForURL(/done=created/), plain.click('#new-page-form button[type=submit]')]);
  const path = await plain.locator('.path').first().innerText();
  if (path !== 'content/stories/cau-chuyen-cua-anh-duc.vi.md') problems.push(`without JavaScript the page is ${path}`);
  await plain.close();
  return problems;
}

// The session ends while the editor writes: autosave says the text is kept in the browser, and
// after signing in again the edit screen offers it back; restored, it is saved.
async function expiredSessionCheck(context) {
  const problems = [];
  const sentence = 'Câu này được viết sau khi phiên đăng nhập đã hết.';
  const page = await signIn(context, 'ed1');
  await page.goto(origin + screens.get('edit (support)'));
  await context.clearCookies();  // as if the session had expired
  const body = await page.locator('#f-body').inputValue();
  await page.locator('#f-body').fill(`${body}\n${sentence}\n`);
  try {
    await page.locator('#autosave-status').filter({ hasText: 'Phiên đăng nhập đã hết' }).waitFor({ timeout: 20_000 });
  } catch {
    problems.push(`autosave did not say the session ended: "${await page.locator('#autosave-status').innerText()}"`);
  }
  await page.close();
  const again = await signIn(context, 'ed1');
  await again.goto(origin + screens.get('edit (support)'));
  const offer = again.locator('#unsaved-restore');
  if (!(await offer.isVisible())) return [...problems, 'the unsaved text is not offered after signing in'];
  for (const p of await axeProblems(again)) problems.push(`axe with the offer shown: ${p}`);
  await again.click('#unsaved-restore-yes');
  if (!(await again.locator('#f-body').inputValue()).includes(sentence)) problems.push('restoring did not bring the text back');
  await again.locator('#autosave-status').filter({ hasText: /\d/ }).waitFor({ timeout: 20_000 })
    .catch(() => problems.push('the restored text was not saved'));
  await again.reload();
  if (!(await again.locator('#f-body').inputValue()).includes(sentence)) problems.push('the restored text is not in the saved draft');
  if (await again.locator('#unsaved-restore').isVisible()) problems.push('the offer stays after the text was saved');
  await again.close();
  return problems;
}

async function axeCheck(context, lang) {
  const page = watch(await context.newPage());
  const problems = [];
  const urls = [['login', '/admin/login'], ...screens.entries()];
  for (const [name, path] of urls) {
    const sep = path.includes('?') ? '&' : '?';
    const response = await page.goto(`${origin}${path}${sep}lang=${lang}`);
    const expected = name === 'not found' ? 404 : 200;
    if (response.status() !== expected) problems.push(`${name}: HTTP ${response.status()}, expected ${expected}`);
    const htmlLang = await page.locator('html').getAttribute('lang');
    if (htmlLang !== lang) problems.push(`${name}: <html lang="${htmlLang}">, expected ${lang}`);
    for (const p of await axeProblems(page)) problems.push(`${name}: ${p}`);
    await keepScreenshot(page, `${lang} ${name}`);
  }
  await page.close();
  return problems;
}

async function mobileCheck(context) {
  const page = watch(await context.newPage());
  const problems = [];
  for (const [name, path] of screens.entries()) {
    await page.goto(origin + path);
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    if (width > 320) problems.push(`${name}: ${width} px wide at a 320 px viewport`);
    await keepScreenshot(page, `320px ${name}`);
  }
  return problems;
}

async function keyboardCheck(context) {
  const page = watch(await context.newPage());
  await page.goto(origin + '/admin/');
  await page.keyboard.press('Tab');
  const first = await page.evaluate(() => document.activeElement?.className);
  if (first !== 'skip-link') return [`the first Tab focuses "${first}", not the skip link`];
  await page.keyboard.press('Enter');
  const focused = await page.evaluate(() => document.activeElement?.id);
  return focused === 'main' ? [] : [`the skip link leads to "${focused}", not main#main`];
}

// Presses Tab until `selector` has the focus (at most `limit` times); returns whether it did.
async function tabTo(page, selector, limit = 200) {
  for (let i = 0; i < limit; i++) {
    await page.keyboard.press('Tab');
    if (await page.evaluate((s) => document.activeElement?.matches(s) ?? false, selector)) return true;
  }
  return false;
}

async function keyboardTaskCheck(context) {
  const page = watch(await context.newPage());
  await page.goto(origin + screens.get('edit (support)'));
  const added = ' Nên gọi điện trước khi đến.';
  if (!(await tabTo(page, '#f-summary'))) return ['Tab never reaches the summary input'];
  await page.keyboard.press('Control+End');  // the end of the text, not of its first line
  await page.keyboard.type(added);
  if (!(await tabTo(page, '#edit-form button[value=save]'))) return ['Tab never reaches the save button'];
  await Promise.all([page.waitForURL(/done=saved/), page.keyboard.press('Enter')]);
  const saved = await page.locator('#f-summary').inputValue();
  await page.close();
  return saved.endsWith(added) ? [] : [`the summary saved with the keyboard is "${saved}"`];
}

// ---------------------------------------------------------------------------------------------

let exitCode = 0;
try {
  origin = `http://127.0.0.1:${await portPromise}`;
  browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS, timeout: 60_000 });
  const editor = await browser.newContext();
  const publisher = await browser.newContext();
  const noJs = await browser.newContext({ javaScriptEnabled: false });
  const mobile = await browser.newContext({ viewport: { width: 320, height: 640 }, isMobile: true, hasTouch: true });
  for (const c of [editor, publisher, noJs, mobile]) c.setDefaultTimeout(30_000);

  await check('workflow: edit, preview, submit, approve, publish, live', () => workflowCheck(editor, publisher));
  await check('no-js: a draft is saved with JavaScript off', () => noJsCheck(noJs));
  await check('conflict: a stale form save gets both versions and the merge', () => staleFormCheck(editor, noJs));
  await check('conflict: autosave stops at a 412 and leads to the conflict screen; the merge is taken',
    () => autosaveConflictCheck(editor, noJs));
  await check('unpublish: a story taken off with a reason readers see', () => unpublishCheck(publisher));
  await check('form: typed inputs, a refusal next to its field, a search without diacritics', () => typedFormCheck(editor));
  await check('new page: slug from a Vietnamese title, checked as typed; without JavaScript too', () => newPageCheck(editor, noJs));
  await check('media: an image uploaded with alt text in each language, listed with its Markdown', () => mediaCheck(editor));
  await check('image: inserted in a story, approved, published: a responsive <img>, every copy served; delete refused while used',
    () => imagePublishCheck(editor, publisher));
  const session = await browser.newContext();
  session.setDefaultTimeout(30_000);
  await check('session: text typed after the session ended is kept and offered back', () => expiredSessionCheck(session));
  await signIn(mobile, 'pub');
  for (const lang of ['vi', 'en']) await check(`axe: every admin screen in ${lang}`, () => axeCheck(publisher, lang));
  await check('axe: the editor screen as an editor', async () => {
    const page = watch(await editor.newPage());
    await page.goto(origin + screens.get('edit (other)'));
    return axeProblems(page);
  });
  await check('mobile: no horizontal scrolling at 320 px', () => mobileCheck(mobile));
  await check('keyboard: skip link', () => keyboardCheck(publisher));
  await check('keyboard: a support entry changed and saved with the keyboard only', () => keyboardTaskCheck(editor));
  await check('csp: no console error on any admin page', () => consoleErrors);
  if (failures.length) {
    console.log(`\n${failures.length} check(s) failed: ${failures.join('; ')}`);
    console.log('--- serve (last lines)\n' + serverLog.split('\n').slice(-30).join('\n'));
    exitCode = 1;
  } else {
    console.log('\nall admin checks passed');
  }
} catch (err) {
  console.error(`cannot run: ${err.message}`);
  console.error(serverLog.split('\n').slice(-30).join('\n'));
  exitCode = 2;
} finally {
  await cleanUp();
}
process.exit(exitCode);
