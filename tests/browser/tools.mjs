// What every browser check needs before it starts: its two arguments, Debian's Chromium, and
// playwright-core with axe-core from tests/browser/node_modules. Each missing piece ends the
// check with exit status 2 and the command that installs it, never a stack trace.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';

export const CHROMIUM = '/usr/bin/chromium';
// As root, without a sandbox; the machine has no network, so nothing may try to reach one.
export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic',
  '--no-first-run', '--disable-background-networking', '--disable-component-update',
  '--disable-sync'];
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

function giveUp(message) {
  console.error(message);
  process.exit(2);
}

// Returns { binary, source } from `node NAME CLEMENCY_BINARY SOURCE_DIR`, and checks that
// Chromium is installed.
export function testArguments(name) {
  if (process.argv.length !== 4) giveUp(`usage: node ${name} CLEMENCY_BINARY SOURCE_DIR`);
  if (!existsSync(CHROMIUM)) {
    giveUp(`no ${CHROMIUM}: install Debian's chromium (deploy/setup.sh --test)`);
  }
  return { binary: resolve(process.argv[2]), source: resolve(process.argv[3]) };
}

// Returns { chromium, versions, axeRun }: playwright-core's Chromium, the versions of both tools,
// and `axeRun(page)`, axe-core's WCAG 2 A/AA results ({ violations, passes, … }) on the page now.
export async function loadBrowserTools() {
  const require = createRequire(import.meta.url);
  try {
    const { chromium } = await import('playwright-core');
    const axeFile = require.resolve('axe-core/axe.min.js');
    const axeSource = readFileSync(axeFile, 'utf8');
    const versions = {
      playwright: require('playwright-core/package.json').version,
      axe: JSON.parse(readFileSync(join(dirname(axeFile), 'package.json'), 'utf8')).version,
    };
    // Evaluated rather than added as a <script>: the admin's CSP refuses inline scripts.
    const axeRun = async (page) => {
      await page.evaluate(axeSource);
      return page.evaluate((tags) =>
        window.axe.run(document, { runOnly: { type: 'tag', values: tags } }), AXE_TAGS);
    };
    return { chromium, versions, axeRun };
  } catch (err) {
    return giveUp(`cannot load playwright-core or axe-core (${err.message});\n` +
      'run deploy/setup.sh --test, or npm ci --prefix tests/browser');
  }
}
