// Autosave of the edit form, for editors with JavaScript (everything works without it: the Save
// button posts the same form). Every few seconds, when a field changed, the form is sent with
// PUT and If-Match; the new ETag goes into every form on the page and the preview reloads. When
// someone else saved in between (412), autosave stops and offers the conflict screen, which the
// Save button then shows with both versions. Loaded as a file: the admin's CSP allows no inline
// script.
'use strict';

(function () {
  const form = document.getElementById('edit-form');
  // A page opened but not yet saved has no draft to autosave into (the first Save makes it):
  // its text is only kept in this browser.
  const keepOnly = form && !form.dataset.saveUrl && form.dataset.keepKey;
  if (!form || !(form.dataset.saveUrl || keepOnly)) return;
  const INTERVAL_MS = 4000;
  const status = document.getElementById('autosave-status');
  const conflict = document.getElementById('autosave-conflict');
  const preview = document.getElementById('preview');
  // Every field the editor can change (the typed inputs, the YAML box, the body, the note).
  function snapshot() {
    const parts = [];
    for (const [name, value] of new FormData(form)) {
      if (name !== 'csrf' && name !== 'etag' && name !== 'original') parts.push(`${name}=${value}`);
    }
    return parts.join('\u0000');
  }

  function say(message) {
    if (status) status.textContent = message;
  }

  // Text not yet saved is kept in this browser too, so an expired session or a lost connection
  // loses nothing: the edit screen offers it back when it opens again.
  const storeKey = `clemency-unsaved:${form.dataset.saveUrl || form.dataset.keepKey}`;
  const restore = document.getElementById('unsaved-restore');
  function keep(now) {
    try {
      const entries = [...new FormData(form)].filter(([name]) => !['csrf', 'etag', 'original'].includes(name));
      localStorage.setItem(storeKey, JSON.stringify({ snapshot: now, entries }));
    } catch (error) { /* storage full or off: autosave still runs */ }
  }
  function forget() {
    try { localStorage.removeItem(storeKey); } catch (error) { /* nothing kept */ }
  }
  function kept() {
    try { return JSON.parse(localStorage.getItem(storeKey) || 'null'); } catch (error) { return null; }
  }
  function fill(entries) {
    const values = new Map();
    for (const [name, value] of entries) values.set(name, [...(values.get(name) || []), value]);
    for (const element of form.elements) {
      if (!element.name || !values.has(element.name) || ['csrf', 'etag', 'original'].includes(element.name)) continue;
      const list = values.get(element.name);
      if (element.type === 'checkbox' || element.type === 'radio') element.checked = list.includes(element.value);
      else element.value = list[0];
    }
  }

  let saved = snapshot();
  const done = new URLSearchParams(window.location.search).get('done');
  if (done === 'saved') forget();
  if (done === 'saved' && form.dataset.unsavedKey) {
    // The first save made this draft: what was kept before it existed is saved now.
    try { localStorage.removeItem(`clemency-unsaved:${form.dataset.unsavedKey}`); } catch (error) { /* nothing kept */ }
  }
  const offered = kept();
  if (offered && offered.snapshot !== saved && restore) {
    restore.hidden = false;
    document.getElementById('unsaved-restore-yes').addEventListener('click', () => {
      fill(offered.entries);
      restore.hidden = true;
      say(form.dataset.msgRestored);
    });
    document.getElementById('unsaved-restore-no').addEventListener('click', () => {
      forget();
      restore.hidden = true;
    });
  } else if (offered) {
    forget();
  }
  form.addEventListener('input', () => { const now = snapshot(); if (now !== saved) keep(now); });
  if (keepOnly) return;
  let busy = false;
  let stopped = false;
  let pendingSubmit = null;  // a Save pressed while an autosave was on its way

  async function save() {
    if (busy || stopped) return;
    const now = snapshot();
    if (now === saved) return;
    busy = true;
    try {
      const etag = form.elements.namedItem('etag').value;
      const csrf = form.elements.namedItem('csrf').value;
      const response = await fetch(form.dataset.saveUrl, {
        method: 'PUT',
        credentials: 'same-origin',
        headers: { 'If-Match': etag, 'X-CSRF-Token': csrf, Accept: 'application/json' },
        body: new FormData(form),
      });
      if (response.status === 412) {
        stopped = true;
        if (conflict) conflict.hidden = false;
        say(form.dataset.msgConflict);
        return;
      }
      if (response.status === 401 || response.status === 403) {
        keep(now);
        say(form.dataset.msgExpired);
        return;
      }
      if (!response.ok) {
        keep(now);
        say(form.dataset.msgFailed);
        return;
      }
      const edit = await response.json();
      const newEtag = response.headers.get('ETag') || edit.etag;
      for (const input of document.querySelectorAll('input[name="etag"]')) input.value = newEtag;
      saved = now;
      if (snapshot() === now) forget();
      const time = new Date().toLocaleTimeString(document.documentElement.lang);
      say(`${form.dataset.msgSaved} ${time}.`);
      if (preview) preview.src = `${preview.dataset.base}?v=${edit.version}`;
    } catch (error) {
      keep(now);
      say(form.dataset.msgFailed);
    } finally {
      busy = false;
      if (pendingSubmit) form.requestSubmit(pendingSubmit);
    }
  }

  setInterval(save, INTERVAL_MS);
  // The Save button posts the form itself; autosave stops so as not to race it, and a Save
  // pressed during an autosave waits for it (else it would carry the ETag the autosave replaced).
  form.addEventListener('submit', (event) => {
    stopped = true;
    if (busy) {
      event.preventDefault();
      pendingSubmit = event.submitter || form.querySelector('button[type="submit"]');
    } else {
      pendingSubmit = null;
    }
  });
})();

// The new-page form: the slug follows the title until the editor types one, and each is checked
// by the server (the same ICU transliteration the page file gets, and whether a page or an open
// edit already has it); the answer is read out in the status line under the field.
(function () {
  const form = document.getElementById('new-page-form');
  if (!form || !form.dataset.slugUrl) return;
  const title = document.getElementById('new-title');
  const slug = document.getElementById('new-slug');
  const status = document.getElementById('new-slug-status');
  let typedSlug = slug.value !== '';
  let timer = null;
  let asked = 0;

  async function check() {
    const query = new URLSearchParams({
      section: form.elements.namedItem('section').value,
      page_lang: form.elements.namedItem('page_lang').value,
    });
    if (typedSlug) query.set('slug', slug.value.trim()); else query.set('title', title.value);
    const mine = ++asked;
    try {
      const response = await fetch(`${form.dataset.slugUrl}?${query}`, { credentials: 'same-origin' });
      if (!response.ok || mine !== asked) return;
      const answer = await response.json();
      if (!typedSlug) slug.value = answer.slug;
      status.textContent = answer.message;
      slug.setAttribute('aria-invalid', answer.valid && !answer.taken ? 'false' : 'true');
    } catch (error) {
      status.textContent = '';
    }
  }
  function later() {
    clearTimeout(timer);
    timer = setTimeout(check, 250);
  }
  title.addEventListener('input', later);
  slug.addEventListener('input', () => { typedSlug = slug.value !== ''; later(); });
  form.elements.namedItem('section').addEventListener('change', later);
  form.elements.namedItem('page_lang').addEventListener('change', later);
})();

// "Insert an image": the image's Markdown goes in at the body's cursor (autosave sees it as typing).
(function () {
  for (const button of document.querySelectorAll('.media-insert-button')) {
    button.addEventListener('click', () => {
      const target = document.getElementById(button.dataset.target);
      if (!target || target.readOnly) return;
      const at = target.selectionStart ?? target.value.length;
      const end = target.selectionEnd ?? at;
      const text = `\n\n${button.dataset.markdown}\n\n`;
      target.value = target.value.slice(0, at) + text + target.value.slice(end);
      target.selectionStart = target.selectionEnd = at + text.length;
      target.dispatchEvent(new Event('input', { bubbles: true }));
      target.focus();
    });
  }
})();
