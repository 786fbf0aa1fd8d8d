// node tests/search/fold_agree.mjs CASES.json: the static search script's words for each text
// equal i18n/search_text's (unit.i18n "[fold-agree]" writes CASES.json: the folding table and,
// per text, its words, "+" before a word that follows the previous one with nothing between).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const here = path.dirname(fileURLToPath(import.meta.url));
const search = createRequire(import.meta.url)(path.join(here, '../../site/static/assets/search.js'));
const { table, cases } = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const words = search.makeFolder(table);
let failed = 0;
for (const { text, words: expected } of cases) {
  const got = words.tokens(text).map((t) => (t.joined ? '+' : '') + t.w);
  if (JSON.stringify(got) !== JSON.stringify(expected)) {
    failed++;
    console.log(`DIFFERENT: ${text}\n  C++: ${expected.join(' ')}\n  JS:  ${got.join(' ')}`);
  }
}
console.log(`${cases.length - failed} of ${cases.length} texts cut and folded alike`);
process.exit(failed ? 1 : 0);
