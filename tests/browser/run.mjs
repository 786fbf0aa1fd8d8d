#!/usr/bin/env node
// Checks the generated pages in a real headless Chromium (Debian's /usr/bin/chromium, driven by
// playwright-core; no browser is ever downloaded) — ctest browser.pages.
//   node run.mjs CLEMENCY_BINARY SOURCE_DIR
// Starts `clemency serve` on a free port with its store and output in a temporary directory (nothing
// is written into the source tree), then runs named checks, each printed as "ok" or "FAIL":
//   axe        axe-core, WCAG 2.0/2.1/2.2 A and AA rules: no serious or critical violation
//   no-js      loads with JavaScript disabled: status, visible <h1> and main content, <html lang>
//   network    no request leaves 127.0.0.1, no console error, no failed request (but the 404 page)
//   keyboard   the first Tab focuses the skip link; activating it moves focus to main#main
//   print      print media hides nav.languages and nav.sections and shows the .print-only line
//   mobile     360x640: no horizontal scrolling
//   languages  the language switcher links to the same guide in every language; "en" leads to English
//   selfcheck  the self-check walked with JavaScript off to each kind of outcome (may / not / ask)
//              in each language, by its links and (on serve) its numbers form; axe on every step
//   leaflet    Chromium's print-to-PDF of the procedure guide: at most 2 A4 pages (pdfinfo), the
//              version line in its text (pdftotext), and its QR code decodes (pdftoppm, zbarimg)
//              to the page's absolute URL (and a story's and a support entry's); every guide listed
//              in each language prints on at most 2 A4 pages
// Exits 1 with the list of failures, 2 when it cannot run at all (missing packages, no browser,
// the server does not start).
// Its packages come from `npm ci --prefix tests/browser` (deploy/setup.sh --test).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { startServe } from './serve.mjs';
import { CHROMIUM, CHROMIUM_ARGS, loadBrowserTools, testArguments } from './tools.mjs';

const LANGS = ['vi', 'en', 'km'];
const GUIDE = 'guides/quy-trinh-dac-xa/';
const PAGES = LANGS.flatMap((lang) => [
  { lang, path: `/${lang}/` },
  { lang, path: `/${lang}/guides/` },
  { lang, path: `/${lang}/stories/` },
  { lang, path: `/${lang}/support/` },
  { lang, path: `/${lang}/support/province/nghe-an/` },
  { lang, path: `/${lang}/${GUIDE}` },
  { lang, path: `/${lang}/stories/trai-ga-tu-khoan-vay-50-trieu/` },
  { lang, path: `/${lang}/support/vay-von-ngan-hang-chinh-sach-xa-hoi/` },
  { lang, path: `/${lang}/self-check/time-fixed/` },
  { lang, path: `/${lang}/rounds/dot-2-nam-2025/` },
  { lang, path: `/${lang}/no-such-page/`, status: 404 },
].map((p) => ({ status: 200, ...p })));

const { binary, source } = testArguments('run.mjs');
const { chromium, versions, axeRun } = await loadBrowserTools();
for (const tool of ['pdfinfo', 'pdftotext', 'pdftoppm', 'zbarimg']) {
  try {
    execFileSync('sh', ['-c', `command -v ${tool}`], { stdio: 'ignore' });
  } catch {
    console.error(`no ${tool}: install poppler-utils and zbar-tools (deploy/setup.sh --test)`);
    process.exit(2);
  }
}

// ---------------------------------------------------------------------------------------------
// The server, and cleaning up whatever way we leave.

const work = mkdtempSync(join(tmpdir(), 'clemency-browser-'));
let server = null;
let browser = null;
let serverLog = '';

function startServer() {
  const started = startServe(binary, source, work, (chunk) => { serverLog += chunk; });
  server = started.child;
  return started.port;
}

async function stopServer() {
  if (!server) return null;
  if (server.exitCode !== null || server.signalCode !== null) {
    return `server had already exited (${server.signalCode ?? `code ${server.exitCode}`}) before SIGTERM`;
  }
  const exited = new Promise((r) => server.once('exit', (code, signal) => r({ code, signal })));
  server.kill('SIGTERM');
  const timeout = new Promise((r) => setTimeout(() => r(null), 10_000));
  const result = await Promise.race([exited, timeout]);
  if (!result) {
    server.kill('SIGKILL');
    return 'server did not stop within 10 s of SIGTERM (killed)';
  }
  return null;
}

async function cleanUp() {
  if (browser) await browser.close().catch(() => {});
  browser = null;
  const problem = await stopServer();
  rmSync(work, { recursive: true, force: true });
  return problem;
}

for (const sig of ['SIGINT', 'SIGTERM']) {
  process.on(sig, () => {
    console.error(`\n${sig}: stopping`);
    cleanUp().finally(() => process.exit(1));
  });
}

// ---------------------------------------------------------------------------------------------
// Checks: each a name and a list of problems (empty: ok), and optional information.

const results = [];
function report(name, problems, info = '') {
  results.push({ name, problems });
  console.log(`${problems.length ? 'FAIL' : 'ok  '} ${name}${info ? ` — ${info}` : ''}`);
  for (const p of problems) console.log(`       ${p}`);
}
async function check(name, fn) {
  let problems = [];
  let info = '';
  try {
    const out = await fn();
    problems = out?.problems ?? [];
    info = out?.info ?? '';
  } catch (err) {
    problems = [`error: ${err.message.split('\n')[0]}`];
  }
  report(name, problems, info);
}

let origin;
// Everything every page did on the network and console, per page path, across all contexts.
const activity = new Map();
function activityOf(path) {
  if (!activity.has(path)) activity.set(path, { requests: [], failed: [], consoleErrors: [] });
  return activity.get(path);
}

// Opens a page in `context`, records its activity under `path`, and loads it.
async function open(context, path) {
  const page = await context.newPage();
  const log = activityOf(path);
  const documentUrl = origin + path;
  page.on('request', (req) => log.requests.push(req.url()));
  page.on('requestfailed', (req) =>
    log.failed.push(`${req.url()}: ${req.failure()?.errorText ?? 'failed'}`));
  page.on('response', (res) => {
    const expected404 = res.url() === documentUrl && res.request().isNavigationRequest() &&
      res.status() === 404 && path.endsWith('/no-such-page/');
    if (res.status() >= 400 && !expected404) log.failed.push(`${res.url()}: HTTP ${res.status()}`);
  });
  page.on('console', (msg) => {
    if (msg.type() !== 'error') return;
    // Chromium reports the 404 status of the 404 page's own document on the console.
    if (path.endsWith('/no-such-page/') && msg.location().url === documentUrl &&
        /status of 404/.test(msg.text())) return;
    const where = msg.location().url;
    log.consoleErrors.push(`${msg.text()}${where ? ` (${where})` : ''}`);
  });
  page.on('pageerror', (err) => log.consoleErrors.push(`uncaught: ${err.message}`));
  const response = await page.goto(documentUrl, { waitUntil: 'load' });
  return { page, response };
}

function expectStatus(response, want) {
  if (!response) return ['no response'];
  return response.status() === want ? [] : [`HTTP ${response.status()}, expected ${want}`];
}

// a. axe-core: no serious or critical violation of the WCAG 2 A/AA rules.
async function axeCheck(context, { path, status }) {
  const { page, response } = await open(context, path);
  try {
    const problems = expectStatus(response, status);
    const result = await axeRun(page);
    const minor = [];
    for (const v of result.violations) {
      const target = v.nodes[0]?.target?.join(' ') ?? '(no node)';
      const more = v.nodes.length > 1 ? ` (+${v.nodes.length - 1} more)` : '';
      if (v.impact === 'serious' || v.impact === 'critical') {
        problems.push(`${v.id} (${v.impact}) at ${target}${more}: ${v.help}`);
      } else {
        minor.push(`${v.id}/${v.impact}`);
      }
    }
    const info = `${result.passes.length} rules passed, ${minor.length} minor/moderate` +
      (minor.length ? ` (${minor.join(', ')})` : '');
    return { problems, info };
  } finally {
    await page.close();
  }
}

// b. Without JavaScript: the page shows its <h1> and main content; <html lang> is the URL's.
async function noJsCheck(context, { lang, path, status }) {
  const { page, response } = await open(context, path);
  try {
    const problems = expectStatus(response, status);
    const htmlLang = await page.locator('html').getAttribute('lang');
    if (htmlLang !== lang) problems.push(`<html lang="${htmlLang}">, expected "${lang}"`);
    const main = page.locator('main#main');
    if ((await main.count()) !== 1) {
      problems.push(`${await main.count()} main#main elements, expected 1`);
      return { problems };
    }
    if (!(await main.isVisible())) problems.push('main#main is not visible');
    const h1 = page.locator('h1');
    const h1Count = await h1.count();
    if (h1Count !== 1) problems.push(`${h1Count} <h1> elements, expected 1`);
    let h1Text = '';
    if (h1Count >= 1) {
      h1Text = (await h1.first().innerText()).trim();
      if (!(await h1.first().isVisible()) || !h1Text) problems.push('the <h1> is not visible or empty');
      if ((await main.locator('h1').count()) === 0) problems.push('the <h1> is not inside main#main');
    }
    const mainText = (await main.innerText()).replace(h1Text, '').replace(/\s+/g, ' ').trim();
    if (mainText.length < 40) problems.push(`main#main shows too little besides the <h1>: "${mainText}"`);
    return { problems, info: `"${h1Text}"` };
  } finally {
    await page.close();
  }
}

// c. Network and console, over every load of the page in every check.
function networkCheck({ path }) {
  const log = activityOf(path);
  const problems = [];
  const outside = new Set();
  for (const url of log.requests) {
    let u;
    try { u = new URL(url); } catch { outside.add(url); continue; }
    if (u.protocol === 'data:' || u.protocol === 'blob:' || url === 'about:blank') continue;
    if (u.hostname !== '127.0.0.1') outside.add(url);
  }
  for (const url of outside) problems.push(`request leaves 127.0.0.1: ${url}`);
  for (const f of new Set(log.failed)) problems.push(`failed request: ${f}`);
  for (const e of new Set(log.consoleErrors)) problems.push(`console error: ${e}`);
  return { problems, info: `${log.requests.length} requests` };
}

// d. Keyboard: the first Tab lands on the skip link; activating it moves focus to main#main.
async function keyboardCheck(context, { path }) {
  const { page } = await open(context, path);
  try {
    const problems = [];
    const skip = page.locator('a.skip-link');
    if ((await skip.count()) !== 1) return { problems: ['no single a.skip-link on the page'] };
    const skipText = (await skip.textContent()).trim();
    await page.keyboard.press('Tab');
    const focused = await page.evaluate(() => {
      const el = document.activeElement;
      const r = el.getBoundingClientRect();
      return { tag: el.tagName.toLowerCase(), cls: el.className, text: el.textContent.trim(),
        href: el.getAttribute('href'), onScreen: r.width > 0 && r.height > 0 && r.left >= 0 &&
          r.top >= 0 && r.right <= window.innerWidth && r.bottom <= window.innerHeight };
    });
    if (focused.tag !== 'a' || !String(focused.cls).split(' ').includes('skip-link')) {
      problems.push(`first Tab focuses <${focused.tag} class="${focused.cls}"> "${focused.text}",` +
        ` not the skip link "${skipText}"`);
      return { problems };
    }
    if (!focused.onScreen) problems.push(`the focused skip link "${skipText}" is not shown on screen`);
    if (focused.href !== '#main') problems.push(`the skip link points to "${focused.href}", not "#main"`);
    await page.keyboard.press('Enter');
    const after = await page.evaluate(() => {
      const el = document.activeElement;
      return `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}`;
    });
    if (after !== 'main#main') problems.push(`after activating the skip link focus is on ${after}, not main#main`);
    return { problems, info: `skip link "${skipText}"` };
  } finally {
    await page.close();
  }
}

// e. Print: no navigation, but the .print-only footer line.
async function printCheck(context, { path }) {
  const { page } = await open(context, path);
  try {
    const problems = [];
    await page.emulateMedia({ media: 'print' });
    for (const sel of ['nav.sections', 'nav.languages']) {
      const navs = page.locator(sel);
      const n = await navs.count();
      if (n === 0) problems.push(`no ${sel} on the page`);
      for (let i = 0; i < n; i++) {
        if (await navs.nth(i).isVisible()) problems.push(`${sel} is visible in print`);
      }
    }
    const line = page.locator('.print-only');
    if ((await line.count()) === 0) problems.push('no .print-only line on the page');
    else if (!(await line.first().isVisible())) problems.push('the .print-only line is not visible in print');
    const text = (await line.count()) ? (await line.first().innerText()).trim() : '';
    return { problems, info: text ? `"${text}"` : '' };
  } finally {
    await page.close();
  }
}

// f. Mobile: no horizontal scrolling at 360x640. In a mobile viewport Chromium widens the layout
// viewport to fit content wider than the screen, so innerWidth must stay at 360 as well.
const MOBILE = { width: 360, height: 640 };
async function mobileCheck(context, { path }) {
  const { page } = await open(context, path);
  try {
    const problems = [];
    const m = await page.evaluate(async (width) => {
      await document.fonts.ready;
      const wide = [];
      for (const el of document.body.querySelectorAll('*')) {
        const r = el.getBoundingClientRect();
        if (r.right > width + 1 && wide.length < 5) {
          wide.push(`${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}` +
            `${el.classList.length ? `.${[...el.classList].join('.')}` : ''} (right edge ${Math.round(r.right)})`);
        }
      }
      return { inner: window.innerWidth, scroll: document.scrollingElement.scrollWidth, wide };
    }, MOBILE.width);
    const tooWide = m.wide.length ? `; too wide: ${m.wide.join(', ')}` : '';
    if (m.inner !== MOBILE.width) {
      problems.push(`innerWidth is ${m.inner}, expected ${MOBILE.width} (content wider than the screen, ` +
        `or no viewport meta)${tooWide}`);
    } else if (m.scroll > m.inner + 1) {
      problems.push(`scrollWidth ${m.scroll} > innerWidth ${m.inner}${tooWide}`);
    }
    return { problems, info: `scrollWidth ${m.scroll}, innerWidth ${m.inner}` };
  } finally {
    await page.close();
  }
}

// g. The language switcher of a guide links to that guide in every language; "en" leads to English.
async function languagesCheck(context, { lang, path }) {
  const { page } = await open(context, path);
  try {
    const problems = [];
    for (const other of LANGS) {
      const links = page.locator(`nav.languages a[hreflang="${other}"]`);
      if ((await links.count()) !== 1) {
        problems.push(`${await links.count()} links with hreflang="${other}" in nav.languages, expected 1`);
        continue;
      }
      const href = new URL(await links.getAttribute('href'), page.url()).pathname;
      if (href !== `/${other}/${GUIDE}`) problems.push(`the "${other}" link goes to ${href}, not /${other}/${GUIDE}`);
      const current = await links.getAttribute('aria-current');
      if (other === lang && current !== 'page') problems.push(`the "${other}" link lacks aria-current="page"`);
      if (other !== lang && current !== null) problems.push(`the "${other}" link has aria-current="${current}"`);
    }
    if (problems.length) return { problems };
    const [response] = await Promise.all([
      page.waitForNavigation({ waitUntil: 'load' }),
      page.locator('nav.languages a[hreflang="en"]').click(),
    ]);
    const landed = new URL(page.url()).pathname;
    problems.push(...expectStatus(response, 200));
    if (landed !== `/en/${GUIDE}`) problems.push(`following "en" lands on ${landed}, not /en/${GUIDE}`);
    const htmlLang = await page.locator('html').getAttribute('lang');
    if (htmlLang !== 'en') problems.push(`following "en" lands on <html lang="${htmlLang}">, expected "en"`);
    return { problems, info: `"en" → ${landed} (lang ${htmlLang})` };
  } finally {
    await page.close();
  }
}

// h. The self-check with JavaScript off: follow the answer links (and, on the way to "may", submit
// the numbers form that serve computes) to the outcome; every page passed is checked with axe.
const WALKS = [
  { verdict: 'may', outcome: 'may', steps: ['sentence/', 'time-fixed/', { sentence: '9', served: '3' },
    'review/', 'prosecuted/', 'earlier/', 'prior/', 'conduct/', 'payments/', 'result/may/'] },
  { verdict: 'not', outcome: 'not-life', steps: ['sentence/', 'result/not-life/'] },
  { verdict: 'not', outcome: 'not-time', steps: ['sentence/', 'time-fixed/',
    { sentence: '9', served: '2' }, 'result/not-time/'] },
  { verdict: 'ask', outcome: 'ask-prior', steps: ['sentence/', 'time-life/', 'excluded/', 'review/',
    'prosecuted/', 'earlier/', 'prior/', 'result/ask-prior/'] },
];
const axeChecked = new Set();  // self-check pages already checked with axe (walks share steps)
async function selfCheckWalk(noJs, axeContext, lang, walk) {
  const problems = [];
  const base = `/${lang}/self-check/`;
  const { page } = await open(noJs, base);
  const visited = [base];
  try {
    for (const step of walk.steps) {
      if (typeof step === 'string') {
        const link = page.locator(`main a[href="${base}${step}"]`).first();
        if ((await link.count()) === 0) {
          problems.push(`${new URL(page.url()).pathname}: no link to ${base}${step}`);
          return { problems };
        }
        await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), link.click()]);
      } else {
        await page.fill('#sentence_years', step.sentence);
        await page.fill('#served_years', step.served);
        await Promise.all([page.waitForNavigation({ waitUntil: 'load' }),
          page.locator('form.compute button[type="submit"]').click()]);
      }
      visited.push(new URL(page.url()).pathname);
    }
    const landed = new URL(page.url()).pathname;
    if (landed !== `${base}result/${walk.outcome}/`) problems.push(`ended on ${landed}, not ${base}result/${walk.outcome}/`);
    if ((await page.locator(`.verdict-${walk.verdict}`).count()) !== 1) problems.push(`no .verdict-${walk.verdict}`);
    if ((await page.locator('.legal-note').count()) !== 1) problems.push('no legal note on the outcome');
    const reasons = page.locator('.reasons li');
    if ((await reasons.count()) === 0) problems.push('no reasons listed');
    for (let i = 0; i < await reasons.count(); i++) {
      const href = await reasons.nth(i).locator('a').getAttribute('href');
      if (!href?.startsWith(`/${lang}/guides/`) || !href.includes('#')) problems.push(`reason ${i + 1} links to ${href}`);
      if (!/30\/2018\/QH14|1244\/2025/.test(await reasons.nth(i).innerText())) problems.push(`reason ${i + 1} cites no law`);
    }
    const text = await page.locator('main').innerText();
    if (/eligible/i.test(text)) problems.push('the outcome says "eligible"');
    const cookies = await noJs.cookies();
    if (cookies.length) problems.push(`cookies set: ${cookies.map((c) => c.name).join(', ')}`);
  } finally {
    await page.close();
  }
  for (const path of new Set(visited)) {
    if (axeChecked.has(path)) continue;
    axeChecked.add(path);
    const result = await axeCheck(axeContext, { path, status: 200 });
    for (const p of result.problems) problems.push(`axe ${path}: ${p}`);
  }
  return { problems, info: `${visited.length} pages: ${visited.map((v) => v.slice(base.length) || '(start)').join(' → ')}` };
}

// i. The procedure guide printed to PDF by Chromium: at most 2 A4 pages, the version line, and a
// QR code that decodes to the page's absolute URL.
async function leafletCheck(context, { lang, path }) {
  const { page } = await open(context, path);
  const name = `leaflet-${path.replace(/[^a-z0-9]+/g, '-')}`;
  const pdf = join(work, `${name}.pdf`);
  try {
    const problems = [];
    const canonical = await page.locator('link[rel="canonical"]').getAttribute('href');
    const version = (await page.locator('.leaflet .version').textContent())?.trim();
    await page.pdf({ path: pdf, format: 'A4' });
    const info = execFileSync('pdfinfo', [pdf], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    const pages = Number(/^Pages:\s+(\d+)/m.exec(info)?.[1]);
    const size = /^Page size:\s+([\d.]+) x ([\d.]+) pts/m.exec(info);
    if (!(pages >= 1 && pages <= 2)) problems.push(`${pages} pages, expected at most 2`);
    if (!size || Math.abs(Number(size[1]) - 595) > 2 || Math.abs(Number(size[2]) - 842) > 2) problems.push(`not A4: ${size?.[0]}`);
    const text = execFileSync('pdftotext', [pdf, '-'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] })
      .replace(/\s+/g, ' ');
    if (!version || !text.includes(version)) problems.push(`the PDF's text lacks the version line "${version}"`);
    execFileSync('pdftoppm', ['-r', '150', '-png', pdf, join(work, name)], { stdio: 'ignore' });
    const images = readdirSync(work).filter((f) => f.startsWith(`${name}-`) && f.endsWith('.png'));
    let decoded = '';
    for (const image of images) {
      try {
        decoded += execFileSync('zbarimg', ['--quiet', '--raw', join(work, image)],
          { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
      } catch { /* no code on this page */ }
    }
    const urls = decoded.split('\n').filter((l) => l.startsWith('http'));
    if (urls.length !== 1 || urls[0] !== canonical) problems.push(`QR codes decoded: ${JSON.stringify(urls)}, expected ["${canonical}"]`);
    return { problems, info: `${pages} pages, "${version}", QR → ${urls[0] ?? 'nothing'}` };
  } finally {
    await page.close();
  }
}

// j. Every guide of a language (as its guides list links them) prints on at most 2 A4 pages.
async function guidePagesCheck(context, lang) {
  const { page } = await open(context, `/${lang}/guides/`);
  const problems = [];
  const counts = [];
  try {
    const hrefs = await page.locator('ul.page-list a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
    if (hrefs.length < 2) problems.push(`only ${hrefs.length} guides listed`);
    for (const href of hrefs) {
      await page.goto(origin + href, { waitUntil: 'load' });
      const pdf = join(work, 'guide.pdf');
      await page.pdf({ path: pdf, format: 'A4' });
      const info = execFileSync('pdfinfo', [pdf], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
      const pages = Number(/^Pages:\s+(\d+)/m.exec(info)?.[1]);
      counts.push(pages);
      if (!(pages >= 1 && pages <= 2)) problems.push(`${href}: ${pages} A4 pages, expected at most 2`);
    }
  } finally {
    await page.close();
  }
  return { problems, info: `${counts.length} guides, pages ${counts.join(' ')}` };
}

// ---------------------------------------------------------------------------------------------

let exitCode = 0;
try {
  let port;
  try {
    port = await startServer();
  } catch (err) {
    console.error(`cannot start ${binary} serve: ${err.message}\n${serverLog}`);
    exitCode = 2;
    throw err;
  }
  origin = `http://127.0.0.1:${port}`;
  try {
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS,
      timeout: 60_000 });
  } catch (err) {
    console.error(`cannot launch ${CHROMIUM}: ${err.message}`);
    exitCode = 2;
    throw err;
  }
  console.log(`browser checks: ${origin}/, Chromium ${browser.version()}, playwright-core ` +
    `${versions.playwright}, axe-core ${versions.axe}, ${PAGES.length} pages`);

  // The axe context bypasses the site's Content-Security-Policy (default-src 'self'), which would
  // otherwise block the injected script; every other context keeps it, so a CSP violation by the
  // page itself shows up as a console error in the network check.
  const axeContext = await browser.newContext({ bypassCSP: true });
  const noJsContext = await browser.newContext({ javaScriptEnabled: false });
  const jsContext = await browser.newContext();
  const mobileContext = await browser.newContext({ viewport: MOBILE, isMobile: true,
    hasTouch: true, deviceScaleFactor: 2 });
  for (const c of [axeContext, noJsContext, jsContext, mobileContext]) c.setDefaultTimeout(30_000);

  for (const p of PAGES) await check(`axe ${p.path}`, () => axeCheck(axeContext, p));
  for (const p of PAGES) await check(`no-js ${p.path}`, () => noJsCheck(noJsContext, p));
  for (const p of PAGES) await check(`keyboard ${p.path}`, () => keyboardCheck(jsContext, p));
  for (const p of PAGES) await check(`print ${p.path}`, () => printCheck(jsContext, p));
  for (const p of PAGES.filter((q) => q.path === `/${q.lang}/` || q.path === `/${q.lang}/${GUIDE}` ||
    q.path === `/${q.lang}/self-check/time-fixed/`)) {
    await check(`mobile ${p.path}`, () => mobileCheck(mobileContext, p));
  }
  for (const p of PAGES.filter((q) => q.path === `/${q.lang}/${GUIDE}`)) {
    await check(`languages ${p.path}`, () => languagesCheck(jsContext, p));
  }
  for (const lang of LANGS) {
    for (const walk of WALKS) {
      await check(`selfcheck ${lang} → ${walk.outcome}`, () => selfCheckWalk(noJsContext, axeContext, lang, walk));
    }
  }
  for (const lang of LANGS) {
    await check(`leaflet /${lang}/${GUIDE}`, () => leafletCheck(jsContext, { lang, path: `/${lang}/${GUIDE}` }));
    await check(`leaflet /${lang}/guides/*`, () => guidePagesCheck(jsContext, lang));
  }
  // Stories and support entries print as leaflets too.
  for (const path of ['/vi/stories/trai-ga-tu-khoan-vay-50-trieu/', '/km/support/vay-von-ngan-hang-chinh-sach-xa-hoi/']) {
    await check(`leaflet ${path}`, () => leafletCheck(jsContext, { lang: path.split('/')[1], path }));
  }
  // Last, once every load of every page has been recorded.
  for (const p of PAGES) await check(`network ${p.path}`, () => networkCheck(p));
} catch (err) {
  if (exitCode === 0) {
    console.error(`error: ${err.stack ?? err.message}`);
    exitCode = 2;
  }
} finally {
  const started = origin !== undefined;
  const problem = await cleanUp();
  if (started) report('server stops on SIGTERM', problem ? [problem] : []);
}

const failed = results.filter((r) => r.problems.length);
if (results.length) {
  if (failed.length) {
    console.log(`\nFailures (${failed.length}):`);
    for (const r of failed) {
      console.log(`  ${r.name}`);
      for (const p of r.problems) console.log(`    - ${p}`);
    }
  }
  console.log(`\n${results.length - failed.length} passed, ${failed.length} failed`);
}
process.exit(exitCode || (failed.length ? 1 : 0));
