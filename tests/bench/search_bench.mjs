// Search, side by side with Pagefind on the same built sites (issue 25's targets). Not a test and
// not part of ctest; tests/bench/search_bench.sh installs Pagefind and runs it:
//   node tests/bench/search_bench.mjs CLEMENCY WORK CORPUS [RECALL_TEST]
// 1. content/ built by CLEMENCY into WORK/content, Pagefind's index made on it: recall per
//    language of tests/search/queries.tsv for ours (the static index read as search.js reads it;
//    and the server's, from RECALL_TEST = the test_public_api binary, when given) and Pagefind's
//    (its JS API in headless Chromium; a query finds its page when the page is among all found).
// 2. CORPUS (tests/bench/make_corpus's 15k pages) built into WORK/corpus with --timings: the
//    search steps' share of the full build; Pagefind's index of the same output, timed.
// 3. On the corpus build, per typical query, in a fresh Chromium context (nothing cached): the
//    bytes fetched from the query to the first ten results shown and the time to the first
//    result, ours (the search page's form, site/static/assets/search.js) and Pagefind's (its JS
//    API: pagefind.js, its WebAssembly, index chunks, then the first ten results' fragments).
import { execFileSync, spawnSync } from 'node:child_process';
import { createReadStream, existsSync, mkdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { extname, join, normalize, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

import { CHROMIUM, CHROMIUM_ARGS, loadBrowserTools } from '../browser/tools.mjs';

const ROOT = resolve(fileURLToPath(import.meta.url), '../../..');
const PAGEFIND = join(ROOT, 'tests/bench/node_modules/.bin/pagefind');
const [clemency, work, corpus, recallTest] = process.argv.slice(2).map((a) => a && resolve(a));
if (!clemency || !work || !corpus) {
  console.error('usage: node search_bench.mjs CLEMENCY WORK CORPUS [RECALL_TEST]');
  process.exit(2);
}
// Typical queries (the ones tests/search/static_search.mjs measures), per language.
const QUERIES = { vi: ['dac xa', 'vay von', 'ho tro', 'tien an', 'giay to'],
  en: ['special amnesty', 'bank loan', 'criminal record', 'apply for', 'support centre'],
  km: ['លើកលែងទោស ពិសេស', 'ប្រាក់ កម្ចី', 'កំណត់ត្រា ព្រហ្មទណ្ឌ'] };

function seconds(fn) {
  const start = process.hrtime.bigint();
  fn();
  return Number(process.hrtime.bigint() - start) / 1e9;
}
function build(source, out, extra = []) {
  rmSync(out, { recursive: true, force: true });
  let text = '';
  const wall = seconds(() => {
    text = execFileSync(clemency, ['build', '--source', source, '--out', out, ...extra],
      { encoding: 'utf8', maxBuffer: 1 << 26 });
  });
  return { wall, text };
}
function pagefind(site) {
  return seconds(() => execFileSync(PAGEFIND, ['--site', site], { stdio: 'ignore' }));
}

// A built site as plain files (index.html for a folder), every request logged with its bytes.
const TYPES = { '.html': 'text/html; charset=utf-8', '.css': 'text/css', '.js': 'text/javascript',
  '.json': 'application/json', '.txt': 'text/plain; charset=utf-8', '.svg': 'image/svg+xml' };
function serveFiles(root, log) {
  const gzipped = new Map();
  const server = createServer((req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url, 'http://x').pathname));
    let file = join(root, path.includes('..') ? '/' : path);
    if (path.endsWith('/')) file = join(file, 'index.html');
    let ok = false;
    try { ok = statSync(file).isFile(); } catch { ok = false; }
    if (!ok) {
      log.push({ path, bytes: 0, gzip: 0, status: 404 });
      res.writeHead(404);
      return res.end();
    }
    if (!gzipped.has(file)) gzipped.set(file, gzipSync(readFileSync(file), { level: 6 }).length);
    const bytes = statSync(file).size;
    // What a server that compresses sends (Pagefind's index files are compressed already).
    log.push({ path, bytes, gzip: Math.min(bytes, gzipped.get(file)), status: 200 });
    res.writeHead(200, { 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream' });
    createReadStream(file).pipe(res);
  });
  return new Promise((r) => server.listen(0, '127.0.0.1', () => r(server)));
}
const sum = (list, key) => list.reduce((n, f) => n + f[key], 0);

// Pagefind's search in `page` (a page of the query's language): every result's URL when `all`,
// else the first ten's; the time to the first result's data.
async function pagefindSearch(page, q, all) {
  return page.evaluate(async ({ q, all }) => {
    const start = performance.now();
    const pf = await import('/pagefind/pagefind.js');
    const search = await pf.search(q);
    const list = all ? search.results : search.results.slice(0, 10);
    let first = null;
    const urls = await Promise.all(list.map((r, i) => r.data().then((d) => {
      if (i === 0) first = performance.now() - start;
      return d.url;
    })));
    return { urls, count: search.results.length, ms: first ?? performance.now() - start };
  }, { q, all });
}

async function withSite(root, fn) {
  const log = [];
  const server = await serveFiles(root, log);
  const { chromium } = await loadBrowserTools();
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true,
    args: CHROMIUM_ARGS, timeout: 60_000 });
  try {
    return await fn({ origin: `http://127.0.0.1:${server.address().port}`, browser, log });
  } finally {
    await browser.close();
    server.close();
  }
}

function readQueries() {
  return readFileSync(join(ROOT, 'tests/search/queries.tsv'), 'utf8').split('\n')
    .filter((l) => l && !l.startsWith('#')).map((l) => l.split('\t'))
    .map(([lang, q, want]) => ({ lang, q, want: `/${lang}/${want}/` }));
}

// Recall per language: ours static (static_search.mjs), ours server (RECALL_TEST), Pagefind's.
async function recall(site) {
  const queries = readQueries();
  const out = {};
  for (const { lang } of queries) out[lang] ??= { n: 0, static: null, server: null, pagefind: 0 };
  for (const { lang } of queries) out[lang].n++;
  const ours = spawnSync('node', [join(ROOT, 'tests/search/static_search.mjs'), 'recall', site,
    join(ROOT, 'tests/search/queries.tsv'), '0'], { encoding: 'utf8' }).stdout;
  for (const m of ours.matchAll(/^(\w+): recall [\d.]+ \((\d+)\/(\d+)\)/gm)) out[m[1]].static = +m[2];
  if (recallTest) {
    const run = spawnSync(recallTest, ['[recall]'], { encoding: 'utf8', cwd: ROOT });
    for (const lang of Object.keys(out)) {
      const missed = (run.stdout.match(new RegExp(`^\\s*${lang} ".*" did not find`, 'gm')) ?? []).length;
      out[lang].server = out[lang].n - missed;
    }
  }
  const missed = [];
  await withSite(site, async ({ origin, browser }) => {
    const page = await browser.newPage();
    let current = '';
    for (const { lang, q, want } of queries) {
      if (lang !== current) await page.goto(`${origin}/${lang}/search/`);
      current = lang;
      const { urls } = await pagefindSearch(page, q, true);
      if (urls.some((u) => u.startsWith(want))) out[lang].pagefind++; else missed.push(`${lang} ${q}`);
    }
  });
  return { out, missed };
}

// Bytes and time to the first result per typical query, ours and Pagefind's, nothing cached.
async function perQuery(site) {
  const rows = [];
  await withSite(site, async ({ origin, browser, log }) => {
    for (const [lang, list] of Object.entries(QUERIES)) {
      for (const q of list) {
        const row = { lang, q };
        let context = await browser.newContext();
        let page = await context.newPage();
        await page.goto(`${origin}/${lang}/search/`);
        await page.waitForSelector('form[data-static-search]', { state: 'attached' });
        await page.fill('#search-q', q);
        let before = log.length;
        const start = Date.now();
        await page.press('#search-q', 'Enter');
        await page.waitForSelector('#search-results ol.search-results li a, #search-advice:not([hidden])');
        row.ours = { ms: Date.now() - start, files: log.length - before,
          bytes: sum(log.slice(before), 'bytes'), gzip: sum(log.slice(before), 'gzip'),
          found: await page.$$eval('#search-results li a', (a) => a.length) };
        await context.close();
        context = await browser.newContext();
        page = await context.newPage();
        await page.goto(`${origin}/${lang}/search/`);
        before = log.length;
        const found = await pagefindSearch(page, q, false);
        row.pagefind = { ms: Math.round(found.ms), files: log.length - before,
          bytes: sum(log.slice(before), 'bytes'), gzip: sum(log.slice(before), 'gzip'),
          found: Math.min(found.count, 10) };
        await context.close();
        rows.push(row);
      }
    }
  });
  return rows;
}

const kib = (n) => (n / 1024).toFixed(1);
const loadavg = () => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
if (!existsSync(PAGEFIND)) {
  console.error(`no ${PAGEFIND}: run tests/bench/search_bench.sh (it installs Pagefind)`);
  process.exit(2);
}
mkdirSync(work, { recursive: true });
const pfVersion = execFileSync(PAGEFIND, ['--version'], { encoding: 'utf8' }).trim();
console.log(`# Search bench (${pfVersion}; load average at start ${loadavg()})\n`);

if (!process.env.SKIP_RECALL) {
  const contentSite = join(work, 'content');
  build(ROOT, contentSite);
  pagefind(contentSite);
  const { out: recalls, missed } = await recall(contentSite);
  console.log('## Recall on content/ (tests/search/queries.tsv; found / asked)\n');
  console.log('| language | queries | ours, server | ours, static | Pagefind |');
  console.log('|---|---|---|---|---|');
  const r = (found, n) => (found == null ? 'n/a' : `${(found / n).toFixed(3)} (${found})`);
  for (const [lang, v] of Object.entries(recalls)) {
    console.log(`| ${lang} | ${v.n} | ${r(v.server, v.n)} | ${r(v.static, v.n)} | ${r(v.pagefind, v.n)} |`);
  }
  const more = missed.length > 12 ? '; …' : '';
  console.log(`\nPagefind missed ${missed.length}: ${missed.slice(0, 12).join('; ')}${more}`);
}

const corpusSite = join(work, 'corpus');
const load = loadavg();
const full = build(corpus, corpusSite, ['--timings']);
const step = (name) => Number(full.text.match(new RegExp(`\\b${name.replace('.', '\\.')} ([\\d.]+) ms`))?.[1] ?? NaN) / 1000;
const pagefindWall = pagefind(corpusSite);
console.log(`\n## The index build on the 15k corpus (load average before: ${load})\n`);
console.log(`Full build ${full.wall.toFixed(1)} s wall; its search steps: the index file (search) ` +
  `${step('search').toFixed(1)} s, the static index (search.static) ${step('search.static').toFixed(1)} s: ` +
  `${((100 * (step('search') + step('search.static'))) / full.wall).toFixed(1)}% of the build ` +
  `(target ≤ 15%). Pagefind on the same output: ${pagefindWall.toFixed(1)} s ` +
  `(${((100 * pagefindWall) / (full.wall + pagefindWall)).toFixed(1)}% of build + Pagefind).`);

const rows = await perQuery(corpusSite);
const script = readFileSync(join(ROOT, 'site/static/assets/search.js'));
console.log(`\n## Per query on the 15k corpus, headless Chromium, nothing cached (load average after: ${loadavg()})\n`);
console.log(`Ours: files fetched from pressing Enter to the first ten results shown (search.js, ` +
  `${kib(script.length)} KiB, ${kib(gzipSync(script, { level: 9 }).length)} KiB gzip, came with the page). ` +
  'Pagefind: files fetched from importing pagefind.js to the first ten results\' data (its script ' +
  'and WebAssembly included). KiB as stored, and as sent by a server that gzips.\n');
console.log('| query | ours: results shown, files, KiB (gzip), ms | Pagefind: results shown, files, KiB (gzip), ms |');
console.log('|---|---|---|');
const cell = (v) => `${v.found}, ${v.files}, ${kib(v.bytes)} (${kib(v.gzip)}), ${v.ms}`;
for (const row of rows) console.log(`| ${row.lang} "${row.q}" | ${cell(row.ours)} | ${cell(row.pagefind)} |`);
