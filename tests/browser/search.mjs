// Search in Debian's headless Chromium (issue 25), usage: node search.mjs CLEMENCY_BINARY SOURCE_DIR
//   JS off, against serve: the header form of a page submits to /{lang}/search/, whose results
//          page lists what was asked for (vi, en, km); axe-core finds no violation at all on it.
//   JS on, against the output of `clemency build` served as plain files (a small node server,
//          no serve, no API): the search page's form answers in the page from the static index
//          (site/static/assets/search.js): "dac xa ai duoc" finds the guide, a Khmer word inside
//          a longer unspaced run finds its pages, a quoted phrase only where its words stand
//          together, the header form of another page leads there
//          too; no console error (the CSP: no inline script), no request the server refused
//          but the API probe.
import { execFileSync } from 'node:child_process';
import { createReadStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { extname, join, normalize } from 'node:path';

import { startServe } from './serve.mjs';
import { CHROMIUM, CHROMIUM_ARGS, loadBrowserTools, testArguments } from './tools.mjs';

// Header-form queries (JS off, serve) and a page each must find.
const SERVER_QUERIES = [
  { lang: 'vi', q: 'dac xa ai duoc', expect: '/vi/guides/ai-duoc-xet-dac-xa/' },
  { lang: 'en', q: 'special amnesty', expect: '/en/guides/' },
  { lang: 'km', q: 'លើកលែង', expect: '/km/guides/' },
];
// In-page answers from the static index (JS on, no serve).
const STATIC_QUERIES = [
  { lang: 'vi', q: 'dac xa ai duoc', expect: '/vi/guides/ai-duoc-xet-dac-xa/' },
  { lang: 'vi', q: 'vay v', expect: '/vi/support/vay-von-ngan-hang-chinh-sach-xa-hoi/' },
  // A word inside the longer unspaced run ការលើកលែងទោសពិសេស of that guide.
  { lang: 'km', q: 'លើកលែង', expect: '/km/guides/dac-xa-la-gi/' },
  { lang: 'en', q: 'special amnesty', expect: '/en/guides/dac-xa-la-gi/' },
  // A termbase variant a reader may type finds the site's term's pages.
  { lang: 'vi', q: 'đối tượng đặc xá', expect: '/vi/guides/ai-duoc-xet-dac-xa/' },
  // A quoted phrase finds its words together and in order only: that guide has "tiền án"; the
  // other has "tiền" and "án" apart ("phạt tiền) và án phí"), which the phrase must not find.
  // (Nothing is marked: the excerpts are the pages' openings, without the phrase.)
  { lang: 'vi', q: '"tiền án"', expect: '/vi/guides/ai-khong-duoc-xet-dac-xa/',
    absent: '/vi/guides/ai-duoc-xet-dac-xa/', unmarked: true },
];

const { binary, source } = testArguments('search.mjs');
const { chromium, axeRun } = await loadBrowserTools();

const work = mkdtempSync(join(tmpdir(), 'clemency-search-'));
let serve = null, staticServer = null, browser = null, serverLog = '';
const results = [];
function report(name, problems, info = '') {
  results.push({ name, problems });
  console.log(`${problems.length ? 'FAIL' : 'ok  '} ${name}${info ? ` — ${info}` : ''}`);
  for (const p of problems) console.log(`       ${p}`);
}
async function check(name, fn) {
  try {
    const { problems, info } = await fn();
    report(name, problems, info);
  } catch (err) {
    report(name, [`error: ${err.message}`]);
  }
}

// The output of `clemency build` as plain files: index.html for a folder, 404 for anything else.
const TYPES = { '.html': 'text/html; charset=utf-8', '.css': 'text/css', '.js': 'text/javascript',
  '.json': 'application/json', '.txt': 'text/plain; charset=utf-8', '.svg': 'image/svg+xml',
  '.xml': 'application/xml', '.ico': 'image/x-icon' };
function startStatic(root, log) {
  const server = createServer((req, res) => {
    const url = new URL(req.url, 'http://x');
    let path = normalize(decodeURIComponent(url.pathname));
    if (path.includes('..')) path = '/';
    let file = join(root, path);
    if (path.endsWith('/')) file = join(file, 'index.html');
    let ok = false;
    try { ok = statSync(file).isFile(); } catch { ok = false; }
    log.push({ path: url.pathname, status: ok ? 200 : 404, bytes: ok ? statSync(file).size : 0 });
    if (!ok) {
      res.writeHead(404, { 'Content-Type': 'text/plain' });
      return res.end('not found');
    }
    res.writeHead(200, { 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream',
      'Content-Security-Policy': "default-src 'self'" });
    createReadStream(file).pipe(res);
  });
  return new Promise((r) => server.listen(0, '127.0.0.1', () => r(server)));
}

// axe-core on `url` in its own page of a context that lets the injected script run (the site's
// CSP and JavaScript off would stop it); the static search page answers its ?q= itself first.
async function axeZero(context, url) {
  const page = await context.newPage();
  try {
    await page.goto(url);
    if (url.includes('?q=')) await page.waitForSelector('#search-results ol.search-results li a');
    return await axeOn(page);
  } finally {
    await page.close();
  }
}
async function axeOn(page) {
  return (await axeRun(page)).violations.map((v) => `axe ${v.id} (${v.impact}) at ${v.nodes[0]?.target?.join(' ')}: ${v.help}`);
}

async function resultLinks(page) {
  return page.$$eval('#search-results ol.search-results li a', (as) => as.map((a) => a.getAttribute('href')));
}

let exitCode = 0;
try {
  const started = startServe(binary, source, work, (chunk) => { serverLog += chunk; });
  serve = started.child;
  const origin = `http://127.0.0.1:${await started.port}`;
  browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS,
    timeout: 60_000 });
  const noJs = await browser.newContext({ javaScriptEnabled: false });
  const axeContext = await browser.newContext({ bypassCSP: true });
  axeContext.setDefaultTimeout(30_000);
  noJs.setDefaultTimeout(30_000);
  for (const { lang, q, expect } of SERVER_QUERIES) {
    await check(`no-js header form → server results ${lang} "${q}"`, async () => {
      const page = await noJs.newPage();
      try {
        await page.goto(`${origin}/${lang}/`);
        await page.fill('#site-search-q', q);
        await Promise.all([page.waitForURL(/\/search\/\?q=/), page.press('#site-search-q', 'Enter')]);
        const problems = [];
        const url = new URL(page.url());
        if (url.pathname !== `/${lang}/search/`) problems.push(`landed on ${url.pathname}`);
        const links = await resultLinks(page);
        if (!links.some((href) => href.startsWith(expect))) {
          problems.push(`no result under ${expect}: ${links.join(' ')}`);
        }
        problems.push(...await axeZero(axeContext, page.url()));
        return { problems, info: `${links.length} results, axe clean` };
      } finally {
        await page.close();
      }
    });
  }
  await check('server stops on SIGTERM', async () => {
    const exited = new Promise((r) => serve.once('exit', r));
    serve.kill('SIGTERM');
    await exited;
    serve = null;
    return { problems: [] };
  });

  // The same site built as files and served without serve.
  const out = join(work, 'static-public');
  execFileSync(binary, ['build', '--source', source, '--out', out], { stdio: 'ignore' });
  const log = [];
  staticServer = await startStatic(out, log);
  const staticOrigin = `http://127.0.0.1:${staticServer.address().port}`;
  const js = await browser.newContext();
  js.setDefaultTimeout(30_000);
  const errors = [];
  js.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  for (const { lang, q, expect, absent, unmarked } of STATIC_QUERIES) {
    await check(`js static in-page ${lang} "${q}"`, async () => {
      const page = await js.newPage();
      try {
        await page.goto(`${staticOrigin}/${lang}/search/`);
        // The script asks for the API first; on plain files it is absent, so the form is its.
        await page.waitForSelector('form[data-static-search]', { state: 'attached' });
        await page.fill('#search-q', q);
        const before = log.length;
        const started = Date.now();
        await page.press('#search-q', 'Enter');
        await page.waitForSelector('#search-results ol.search-results li a, #search-advice:not([hidden])');
        const ms = Date.now() - started;
        const problems = [];
        if (new URL(page.url()).pathname !== `/${lang}/search/`) problems.push(`navigated to ${page.url()}`);
        const links = await resultLinks(page);
        if (!links.some((href) => href.startsWith(expect))) problems.push(`no ${expect}: ${links.join(' ')}`);
        if (absent && links.includes(absent)) problems.push(`found ${absent}: ${links.join(' ')}`);
        const marks = await page.$$eval('#search-results mark', (m) => m.length);
        if (!marks && !unmarked) problems.push('no word marked in the excerpts');
        const fetched = log.slice(before);
        const bytes = fetched.reduce((n, f) => n + f.bytes, 0);
        problems.push(...await axeZero(axeContext, page.url()));
        return { problems, info: `${links.length} shown, ${fetched.length} files, ${bytes} bytes, first result in ${ms} ms` };
      } finally {
        await page.close();
      }
    });
  }
  await check('js static: header form of a page → answered on the search page', async () => {
    const page = await js.newPage();
    try {
      await page.goto(`${staticOrigin}/vi/guides/`);
      await page.fill('#site-search-q', 'dac xa ai duoc');
      await Promise.all([page.waitForURL(/\/vi\/search\/\?q=/), page.press('#site-search-q', 'Enter')]);
      await page.waitForSelector('#search-results ol.search-results li a');
      const links = await resultLinks(page);
      const live = await page.getAttribute('#search-results', 'aria-live');
      const problems = [];
      if (!links.includes('/vi/guides/ai-duoc-xet-dac-xa/')) problems.push(`not found: ${links.join(' ')}`);
      if (live !== 'polite') problems.push('the results are not a live region');
      return { problems, info: `${links.length} results` };
    } finally {
      await page.close();
    }
  });
  await check('js static: no console error (CSP), only the API probe refused', async () => {
    const refused = [...new Set(log.filter((f) => f.status !== 200 && !f.path.startsWith('/api/v1/search')
      && f.path !== '/favicon.ico').map((f) => f.path))];
    return { problems: [...errors.filter((e) => !/404|Not Found/i.test(e)).map((e) => `console: ${e}`),
      ...refused.map((p) => `404 ${p}`)] };
  });
} catch (err) {
  console.error(`error: ${err.stack ?? err.message}\n${serverLog}`);
  exitCode = 2;
} finally {
  if (browser) await browser.close().catch(() => {});
  if (serve) serve.kill('SIGKILL');
  if (staticServer) staticServer.close();
  rmSync(work, { recursive: true, force: true });
}
const failed = results.filter((r) => r.problems.length);
console.log(`\n${results.length - failed.length} passed, ${failed.length} failed`);
process.exit(exitCode || (failed.length ? 1 : 0));
