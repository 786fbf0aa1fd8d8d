// Lighthouse (performance, accessibility, best practices, SEO) in Debian's headless Chromium on the
// pages of the citizen tools, served by `clemency serve`: each category must score 100 (a page
// under 100 at first is judged by the median of five runs).
//
//   node tests/browser/lighthouse.mjs CLEMENCY_BINARY SOURCE_DIR      (ctest browser.lighthouse)
//
// Prints one line per page with its four scores and, for a score under 100, the audits that cost
// points. Exit status 1 when any page scores under 100, 2 when it cannot run.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { startServe } from './serve.mjs';
import { CHROMIUM, testArguments } from './tools.mjs';

const SLOW_HOST_BENCHMARK_INDEX = 1000;  // Lighthouse's SLOW_CPU_BENCHMARK_INDEX_THRESHOLD
const SLOW_HOST_WAIT_MS = 240_000;
const CATEGORIES = ['performance', 'accessibility', 'best-practices', 'seo'];
const PAGES = [
  '/vi/self-check/',
  '/km/self-check/time-fixed/',
  '/en/self-check/result/may/',
  '/vi/support/',
  '/vi/support/province/nghe-an/',
  '/vi/rounds/dot-2-nam-2025/',
];

const { binary, source } = testArguments('lighthouse.mjs');
let lighthouse, chromeLauncher;
try {
  lighthouse = (await import('lighthouse')).default;
  chromeLauncher = await import('chrome-launcher');
} catch (err) {
  console.error(`cannot load lighthouse (${err.message}); run deploy/setup.sh --test`);
  process.exit(2);
}

const work = mkdtempSync(join(tmpdir(), 'clemency-lighthouse-'));
let server = null;
let chrome = null;
function cleanUp() {
  if (server) server.kill('SIGTERM');
  if (chrome) chrome.kill();
  rmSync(work, { recursive: true, force: true });
}

const launchChrome = () => chromeLauncher.launch({
  chromePath: CHROMIUM,
  chromeFlags: ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
});

let failed = 0;
let serverLog = '';
try {
  const started = startServe(binary, source, work,
    (chunk) => { serverLog += chunk; });
  server = started.child;
  const port = await started.port;
  chrome = await launchChrome();
  // One Lighthouse run of `path`. Losing the connection to Chromium (it has happened once in
  // about ten runs) starts Chromium again and tries once more; a server that exited does not.
  const run = async (path) => {
    for (let attempt = 1; ; ++attempt) {
      try {
        const result = await lighthouse(`http://127.0.0.1:${port}${path}`,
          { port: chrome.port, onlyCategories: CATEGORIES, logLevel: 'error', output: 'json' });
        if (!result?.lhr) throw new Error('Lighthouse gave no report');
        return result.lhr;
      } catch (err) {
        const serverGone = server.exitCode !== null || server.signalCode !== null;
        console.log(`note  ${path}: ${err.message} (serve on ${port}${serverGone ? ', exited' : ''};` +
          ` Chromium on ${chrome.port})${attempt < 2 && !serverGone ? '; starting Chromium again' : ''}`);
        if (attempt >= 2 || serverGone) throw err;
        chrome.kill();
        chrome = await launchChrome();
      }
    }
  };
  // A run on a host whose CPU benchmark falls below Lighthouse's own threshold for a trustworthy
  // performance score (it warns "slower CPU than Lighthouse expects" there) measures the machine's
  // load, not the page: it is run again once the load allows, for at most SLOW_HOST_WAIT_MS in
  // all, and then judged as it is (and reported).
  let waited = 0;
  const audit = async (path) => {
    for (;;) {
      const lhr = await run(path);
      const index = lhr.environment?.benchmarkIndex ?? Infinity;
      if (index >= SLOW_HOST_BENCHMARK_INDEX || waited >= SLOW_HOST_WAIT_MS) {
        if (index < SLOW_HOST_BENCHMARK_INDEX) console.log(`note  ${path}: judged on a loaded host (CPU benchmark ${index})`);
        return lhr;
      }
      console.log(`note  ${path}: CPU benchmark ${index} < ${SLOW_HOST_BENCHMARK_INDEX}, the machine is busy; again in 10 s`);
      await new Promise((done) => setTimeout(done, 10_000));
      waited += 10_000;
    }
  };
  const scoresOf = (lhr) => CATEGORIES.map((c) => Math.round((lhr.categories[c].score ?? 0) * 100));
  // The first run in a fresh Chromium pays Chromium's own start (fonts, ICU data, caches), not the
  // page's: its speed index came out four times the page's usual. It is run once and not judged.
  await audit('/vi/');
  for (const path of PAGES) {
    // Lighthouse's scores vary from run to run; its own advice is the median of five runs. A page
    // under 100 is run four times more and judged by each category's median of the five.
    const runs = [await audit(path)];
    while (runs.length < 5 && scoresOf(runs[0]).some((s) => s < 100)) runs.push(await audit(path));
    const { categories, audits } = runs[runs.length - 1];
    const scores = CATEGORIES.map((_, i) => runs.map((r) => scoresOf(r)[i]).sort((a, b) => a - b)[Math.floor(runs.length / 2)]);
    const low = scores.some((s) => s < 100);
    failed += low ? 1 : 0;
    console.log(`${low ? 'FAIL' : 'ok  '}  ${path}  ${CATEGORIES.map((c, i) => `${c} ${scores[i]}`).join(', ')}` +
      (runs.length > 1 ? `  (median of ${runs.length} runs)` : ''));
    if (low) {
      for (const c of CATEGORIES) {
        for (const ref of categories[c].auditRefs) {
          const audit = audits[ref.id];
          if (ref.weight > 0 && audit.score !== null && audit.score < 1) {
            console.log(`        ${c}: ${audit.id} (${audit.title}): ${audit.displayValue ?? ''}`);
          }
        }
      }
    }
  }
  console.log(`${PAGES.length - failed} pages scored 100 in all four categories, ${failed} did not`);
} catch (err) {
  console.error(`lighthouse: ${err.message}\nserve's last output:\n${serverLog.split('\n').slice(-20).join('\n')}`);
  failed = -1;
} finally {
  cleanUp();
}
process.exit(failed === -1 ? 2 : failed > 0 ? 1 : 0);
