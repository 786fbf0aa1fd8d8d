// The static search index of a built site, read as the browser reads it (site/static/assets/
// search.js, files from disk instead of fetch):
//   node tests/search/static_search.mjs recall PUBLIC QUERIES.tsv [MIN]
//       recall per language of tests/search/queries.tsv's queries (each page must be among all
//       the pages found); exits 1 below MIN (default 0.95) in any language.
//   node tests/search/static_search.mjs measure PUBLIC
//       the script's gzip size, and per query (typical two-word queries) the files a reader
//       downloads for the first ten results: meta.json, shards, page-table files, raw and gzip.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { gzipSync } from 'node:zlib';

const here = path.dirname(fileURLToPath(import.meta.url));
const script = path.join(here, '../../site/static/assets/search.js');
const search = createRequire(import.meta.url)(script);
const [mode, root, queriesFile, minArg] = process.argv.slice(2);
if (!root || !['recall', 'measure'].includes(mode)) {
  console.error('usage: static_search.mjs recall PUBLIC QUERIES.tsv [MIN] | measure PUBLIC');
  process.exit(2);
}

// An index of `lang` whose every file read is recorded in `log`.
function indexOf(lang, log) {
  const read = (url) => {
    const bytes = readFileSync(path.join(root, url));
    log.push({ url, raw: bytes.length, gzip: gzipSync(bytes, { level: 6 }).length });
    return Promise.resolve(bytes.toString('utf8'));
  };
  return new search.Index(`/search-index/${lang}/`, read);
}

async function find(lang, q, log = []) {
  const index = indexOf(lang, log);
  const meta = await index.meta();
  const words = search.makeFolder(meta.fold);
  const found = await index.search(search.requirements(words.parse(q), meta.synonyms));
  const rows = await index.rows(found.slice(0, 10));
  return { found, rows, meta };
}

if (mode === 'recall') {
  const min = Number(minArg ?? 0.95);
  const per = {};
  for (const line of readFileSync(queriesFile, 'utf8').split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const [lang, q, want] = line.split('\t');
    const { found } = await find(lang, q);
    // The page's path is what its row holds: read the rows of every page found.
    const index = indexOf(lang, []);
    const rows = await index.rows(found);
    const hit = rows.some((row) => row[0] === `/${lang}/${want}/`);
    per[lang] ??= { n: 0, hit: 0, missed: [] };
    per[lang].n++;
    if (hit) per[lang].hit++; else per[lang].missed.push(`${q} -> ${want}`);
  }
  let ok = true;
  for (const [lang, r] of Object.entries(per)) {
    const recall = r.hit / r.n;
    console.log(`${lang}: recall ${recall.toFixed(3)} (${r.hit}/${r.n})`);
    for (const m of r.missed) console.log(`   missed: ${m}`);
    if (recall < min) ok = false;
  }
  process.exit(ok ? 0 : 1);
} else {
  const source = readFileSync(script);
  console.log(`search.js: ${source.length} bytes, ${gzipSync(source, { level: 9 }).length} gzip -9`);
  const QUERIES = { vi: ['dac xa', 'vay von', 'ho tro', 'tien an', 'giay to'],
    en: ['special amnesty', 'bank loan', 'criminal record', 'apply for', 'support centre'],
    km: ['លើកលែងទោស ពិសេស', 'ប្រាក់ កម្ចី', 'កំណត់ត្រា ព្រហ្មទណ្ឌ'] };
  for (const [lang, list] of Object.entries(QUERIES)) {
    for (const q of list) {
      const log = [];
      const { found } = await find(lang, q, log);
      const raw = log.reduce((n, f) => n + f.raw, 0), gz = log.reduce((n, f) => n + f.gzip, 0);
      console.log(`${lang} "${q}": ${found.length} pages found; ${log.length} files, ` +
        `${(raw / 1024).toFixed(1)} KiB raw, ${(gz / 1024).toFixed(1)} KiB gzip`);
    }
  }
}
