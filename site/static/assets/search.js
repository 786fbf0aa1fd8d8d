// Search without the server: on a site served as plain files, answers the search page
// (/{lang}/search/?q=) in the page from the static index the build writes
// (/search-index/{lang}/, generator/publish/static_search.h). When serve answers (it fills the
// search box with the query), or its API answers, this script does nothing. The words are cut
// and folded as i18n/search_text does on the server, with its folding table from meta.json.
(function (root) {
  'use strict';

  // ---- words: the same cutting and folding as the C++ side (i18n/search_text) ----
  function makeFolder(table) {
    var strokes = table.strokes;
    function isMark(cp) {
      for (var i = 0; i < table.marks.length; i++) {
        if (cp >= table.marks[i][0] && cp <= table.marks[i][1]) return true;
      }
      return false;
    }
    var ignorable = /\p{Default_Ignorable_Code_Point}/gu;
    // Returns `word` folded: NFKC, case-folded, Latin marks removed, strokes removed (đ -> d).
    function fold(word) {
      var w = word.normalize('NFKC').toLowerCase().normalize('NFKC').replace(ignorable, '');
      var out = '';
      for (var ch of w.normalize('NFD')) {
        var cp = ch.codePointAt(0);
        if (!isMark(cp)) out += strokes[cp] || ch;
      }
      return out.normalize('NFC');
    }
    function startsCluster(cp) { return cp >= table.khmer_start[0] && cp <= table.khmer_start[1]; }
    var letter = /[\p{L}\p{M}\p{N}_\u200c\u200d]/u, digit = /\p{N}/u;
    function khmerLetter(cp) {
      return cp >= 0x1780 && cp <= 0x17FF && !(cp >= 0x17D4 && cp <= 0x17DB && cp !== 0x17D7);
    }
    // Returns the words of `text` as [{w: folded, b: start, e: end, joined}] (UTF-16 offsets):
    // runs of letters and digits ("don't", "3.5" whole), Khmer runs cut into clusters.
    function tokens(text) {
      var cps = Array.from(text), out = [], at = 0, lastEnd = -1;
      var words = [];  // [start index, end index) in cps, khmer?
      for (var i = 0; i < cps.length;) {
        var cp = cps[i].codePointAt(0);
        var khmer = khmerLetter(cp);
        if (!khmer && !letter.test(cps[i])) { i++; continue; }
        var j = i + 1;
        for (; j < cps.length; j++) {
          var c = cps[j].codePointAt(0);
          // ICU keeps digits next to Khmer letters in the Khmer word ("ឆ្នាំ2025").
          if (khmer) { if (!khmerLetter(c) && !digit.test(cps[j])) break; continue; }
          if (khmerLetter(c) && !digit.test(cps[j])) {
            if (!cps.slice(i, j).every(function (d) { return digit.test(d); })) break;
            khmer = true;
            continue;
          }
          if (letter.test(cps[j])) continue;
          var mid = cps[j], next = cps[j + 1] || '', prev = cps[j - 1];
          var joinsLetters = /['’.@]/.test(mid) && letter.test(next) && !khmerLetter(next.codePointAt(0));
          var joinsDigits = /[,;]/.test(mid) && digit.test(prev) && digit.test(next);
          if (!(joinsLetters || joinsDigits)) break;
          j++;
        }
        words.push([i, j, khmer]);
        i = j;
      }
      var offsets = [0];
      for (var k = 0; k < cps.length; k++) offsets.push(offsets[k] + cps[k].length);
      words.forEach(function (word) {
        var pieces = [word[0]];
        if (word[2]) {
          for (var p = word[0] + 1; p < word[1]; p++) {
            if (startsCluster(cps[p].codePointAt(0)) && cps[p - 1].codePointAt(0) !== table.coeng) {
              pieces.push(p);
            }
          }
        }
        pieces.push(word[1]);
        for (var n = 0; n + 1 < pieces.length; n++) {
          var folded = fold(cps.slice(pieces[n], pieces[n + 1]).join(''));
          if (!folded) continue;
          var b = offsets[pieces[n]], e = offsets[pieces[n + 1]];
          out.push({ w: folded, b: b, e: e, joined: b === lastEnd });
          lastEnd = e;
        }
      });
      return out;
    }
    // Returns the parts of a query: [{words: [...], prefix}] (i18n's ParseSearchQuery).
    function parse(query) {
      var parts = [], segments = query.split(/["“”]/);
      segments.forEach(function (segment, s) {
        var quoted = s % 2 === 1;
        tokens(segment).forEach(function (t, i) {
          if (i === 0 || !(quoted || t.joined)) parts.push({ words: [], prefix: false });
          parts[parts.length - 1].words.push(t.w);
        });
      });
      if (parts.length && /[^\s"”]$/u.test(query)) parts[parts.length - 1].prefix = true;
      return parts;
    }
    return { fold: fold, tokens: tokens, parse: parse };
  }

  function isKhmerWord(w) { var cp = w.codePointAt(0); return cp >= 0x1780 && cp <= 0x17FF; }

  // What a part asks of the index: each requirement is alternatives {t, prefix}, one of which
  // must match. Adjacent Khmer clusters are one indexed word (their pair); two adjacent words
  // that are not Khmer are asked for as their pair "~first~second" (they stand in this order).
  function partRequirements(words, last) {
    var out = [];
    for (var i = 0; i < words.length; i++) {
      var prefix = last && i >= words.length - 2;
      var latinNext = i + 1 < words.length && !isKhmerWord(words[i + 1]);
      var latinBefore = i > 0 && !isKhmerWord(words[i - 1]);
      if (!isKhmerWord(words[i])) {
        if (latinNext) {
          out.push([{ t: '~' + words[i] + '~' + words[i + 1],
            prefix: prefix && i + 1 === words.length - 1 }]);
        } else if (!latinBefore) {
          out.push([{ t: words[i], prefix: last && i === words.length - 1 }]);
        }
      } else if (i + 1 < words.length && isKhmerWord(words[i + 1])) {
        out.push([{ t: words[i] + words[i + 1], prefix: prefix && i + 1 === words.length - 1 }]);
      } else if (!(i > 0 && isKhmerWord(words[i - 1]))) {
        out.push([{ t: words[i], prefix: false }, { t: words[i], prefix: true }]);
      }
    }
    return out;
  }
  // The requirements of a query's parts; a termbase variant typed (meta.json's synonyms:
  // [variant, site's term, as shown], folded words) asks for it or the site's term
  // ({any: [requirements, requirements]}), as the server's MakeReaderQuery does.
  function requirements(parts, synonyms, siteTerms) {
    var out = [];
    for (var i = 0; i < parts.length;) {
      var next = i + 1, found = null;
      (synonyms || []).some(function (syn) {
        var size = syn[0].split(' ').length, words = [], j = i;
        while (j < parts.length && words.length < size) words = words.concat(parts[j++].words);
        if (words.join(' ') !== syn[0]) return false;
        found = syn;
        next = j;
        return true;
      });
      var last = next === parts.length && parts[next - 1].prefix;
      if (found) {
        out.push({ any: [partRequirements(found[0].split(' '), last),
          partRequirements(found[1].split(' '), last)] });
        if (siteTerms) siteTerms.push(found[2]);
      } else {
        out.push.apply(out, partRequirements(parts[i].words, last));
      }
      i = next;
    }
    return out;
  }

  // ---- the index ----
  function Index(base, fetchText) {
    var cache = {}, self = this;
    function get(name) {
      if (!cache[name]) cache[name] = fetchText(base + name);
      return cache[name];
    }
    function hex(key) {
      return Array.from(new TextEncoder().encode(key), function (b) {
        return (b < 16 ? '0' : '') + b.toString(16);
      }).join('');
    }
    this.meta = function () { return get('meta.json').then(JSON.parse); };
    // Returns (a promise of) the keys of the shards holding `alt`'s words: the longest key of
    // its group (its first character, a pair's first two) that it begins with, and for a
    // prefix every longer key.
    function shardsFor(meta, alt) {
      var cps = Array.from(alt.t), group = cps[0] === '~' ? cps[0] + cps[1] : cps[0];
      if (meta.groups.indexOf(group) < 0) return Promise.resolve([]);
      return get('k' + hex(group) + '.txt').then(function (text) {
        var keys = text.split('\n'), out = [];
        for (var n = cps.length; n > 0; n--) {
          var key = cps.slice(0, n).join('');
          if (keys.indexOf(key) >= 0) { out.push(key); break; }
        }
        if (alt.prefix) {
          keys.forEach(function (key) {
            if (key.length > alt.t.length && key.startsWith(alt.t)) out.push(key);
          });
        }
        return out;
      });
    }
    function decode(list, into) {
      var page = 0;
      list.split(',').forEach(function (item) {
        var v = parseInt(item, 36);
        page += Math.floor(v / 4);
        into.set(page, Math.max(into.get(page) || 0, v % 4));
      });
    }
    // Returns a Map page -> best field of the pages matching one requirement.
    function match(meta, alts) {
      return Promise.all(alts.map(function (alt) {
        return shardsFor(meta, alt).then(function (keys) {
          return Promise.all(keys.map(function (key) {
            return get('s' + hex(key) + '.txt').then(function (text) { return [alt, text]; });
          }));
        });
      })).then(function (lists) {
        var pages = new Map();
        [].concat.apply([], lists).forEach(function (shard) {
          var alt = shard[0];
          shard[1].split('\n').forEach(function (line) {
            var space = line.indexOf(' ');
            if (space < 0) return;
            var word = line.slice(0, space);
            if (alt.prefix ? word.startsWith(alt.t) : word === alt.t) decode(line.slice(space + 1), pages);
          });
        });
        return pages;
      });
    }
    var weights = [1, 4, 5, 10];  // body, names, headings, title (the server's bm25 weights)
    // The pages in every one of `maps` (page -> score), their scores summed.
    function intersect(maps) {
      var out = new Map();
      if (!maps.length) return out;
      maps.sort(function (a, b) { return a.size - b.size; });
      maps[0].forEach(function (score, page) {
        for (var m = 1; m < maps.length; m++) {
          if (!maps[m].has(page)) return;
          score += maps[m].get(page);
        }
        out.set(page, score);
      });
      return out;
    }
    // Returns a Map page -> score of the pages matching one requirement.
    function scores(meta, req) {
      if (!req.any) {
        return match(meta, req).then(function (pages) {
          var out = new Map();
          pages.forEach(function (field, page) { out.set(page, weights[field]); });
          return out;
        });
      }
      return Promise.all(req.any.map(function (reqs) {
        return Promise.all(reqs.map(function (r) { return scores(meta, r); })).then(intersect);
      })).then(function (maps) {
        var out = new Map();
        maps.forEach(function (m) {
          m.forEach(function (score, page) { out.set(page, Math.max(out.get(page) || 0, score)); });
        });
        return out;
      });
    }
    // Returns the pages (numbers) matching every requirement, best first.
    this.search = function (reqs) {
      if (!reqs.length) return Promise.resolve([]);
      return self.meta().then(function (meta) {
        return Promise.all(reqs.map(function (req) { return scores(meta, req); }));
      }).then(function (maps) {
        var scored = Array.from(intersect(maps));
        scored.sort(function (a, b) { return b[1] - a[1] || a[0] - b[0]; });
        return scored.map(function (s) { return s[0]; });
      });
    };
    // Returns the rows [path, title, section, excerpt] of `pages`, in order.
    this.rows = function (pages) {
      return self.meta().then(function (meta) {
        return Promise.all(pages.map(function (page) {
          return get('p' + Math.floor(page / meta.chunk) + '.json').then(function (text) {
            return JSON.parse(text)[page % meta.chunk];
          });
        }));
      });
    };
  }

  var api = { makeFolder: makeFolder, requirements: requirements, Index: Index };
  if (typeof module === 'object' && module.exports) module.exports = api;
  if (typeof document === 'undefined') return;

  // ---- the page ----
  var PAGE = 10;
  var results = document.getElementById('search-results');
  var box = document.getElementById('search-q');
  var advice = document.getElementById('search-advice');
  if (!results || !box || !root.fetch || !root.URLSearchParams) return;
  var lang = results.getAttribute('data-lang');
  var params = new URLSearchParams(root.location.search);
  var query = params.get('q') || '';
  // serve puts the query it answered into the box: then the server is here.
  if (box.getAttribute('value')) return;
  function fetchText(url) {
    return root.fetch(url).then(function (r) {
      if (!r.ok) throw new Error(url + ': ' + r.status);
      return r.text();
    });
  }
  var index = new Index('/search-index/' + lang + '/', fetchText);

  function el(name, text, attrs) {
    var node = document.createElement(name);
    if (text) node.textContent = text;
    for (var key in attrs || {}) node.setAttribute(key, attrs[key]);
    return node;
  }
  // The excerpt with the query's words in <mark> (phrases: all their words in order).
  function excerpt(words, text, parts) {
    var p = el('p'), toks = words.tokens(text), marked = toks.map(function () { return false; });
    parts.forEach(function (part) {
      var n = part.words.length;
      for (var i = 0; i + n <= toks.length; i++) {
        var k = 0;
        while (k < n && (part.prefix && k === n - 1 ? toks[i + k].w.startsWith(part.words[k])
                                                     : toks[i + k].w === part.words[k])) k++;
        if (k === n) for (k = 0; k < n; k++) marked[i + k] = true;
      }
    });
    var at = 0;
    toks.forEach(function (t, i) {
      if (!marked[i]) return;
      p.appendChild(document.createTextNode(text.slice(at, t.b)));
      p.appendChild(el('mark', text.slice(t.b, t.e)));
      at = t.e;
    });
    p.appendChild(document.createTextNode(text.slice(at)));
    return p;
  }
  function show(q, page, found, rows, words, parts, terms) {
    results.textContent = '';
    advice.hidden = found.length > 0;
    if (!found.length) return;
    results.appendChild(el('h2', results.getAttribute('data-found') + ' “' + q + '”',
                           { id: 'search-results-heading' }));
    if (terms.length) {
      var also = el('p', results.getAttribute('data-also') + ' ', { 'class': 'search-also' });
      terms.forEach(function (term, i) {
        if (i) also.appendChild(document.createTextNode(', '));
        also.appendChild(el('strong', term));
      });
      results.appendChild(also);
    }
    var list = el('ol', '', { 'class': 'search-results', start: String((page - 1) * PAGE + 1) });
    rows.forEach(function (row) {
      var li = el('li');
      li.appendChild(el('a', row[1], { href: row[0] }));
      li.appendChild(document.createTextNode(' '));
      li.appendChild(el('span', row[2], { 'class': 'search-section' }));
      li.appendChild(excerpt(words, row[3], parts));
      list.appendChild(li);
    });
    results.appendChild(list);
    if (found.length > page * PAGE) {
      var more = el('p');
      more.appendChild(el('a', results.getAttribute('data-more'), {
        href: '?q=' + encodeURIComponent(q) + '&page=' + (page + 1) }));
      results.appendChild(more);
    }
  }
  function run(q, page) {
    return index.meta().then(function (meta) {
      var words = makeFolder(meta.fold), parts = words.parse(q.slice(0, 200)), terms = [];
      var reqs = requirements(parts, meta.synonyms, terms);
      // Excerpts mark the site's terms searched for too.
      (meta.synonyms || []).forEach(function (syn) {
        if (terms.indexOf(syn[2]) >= 0) parts.push({ words: syn[1].split(' '), prefix: false });
      });
      return index.search(reqs).then(function (found) {
        return index.rows(found.slice((page - 1) * PAGE, page * PAGE)).then(function (rows) {
          show(q, page, found, rows, words, parts, terms);
        });
      });
    });
  }
  function takeOver() {
    box.form.setAttribute('data-static-search', '');  // for tests: the form is answered here
    box.form.addEventListener('submit', function (event) {
      event.preventDefault();
      var q = box.value.trim();
      if (!q) return;
      root.history.pushState(null, '', '?q=' + encodeURIComponent(q));
      run(q, 1);
    });
    if (query) {
      box.value = query;
      run(query, Math.max(1, Math.min(50, parseInt(params.get('page'), 10) || 1)));
    }
  }
  if (query) {
    takeOver();  // the server would have put the query in the box
  } else {
    // No query yet: the form answers in the page only when the server's search is absent.
    root.fetch('/api/v1/search?limit=1&q=a&lang=' + encodeURIComponent(lang))
      .then(function (r) { if (!r.ok) takeOver(); }, takeOver);
  }
})(typeof window === 'undefined' ? globalThis : window);
