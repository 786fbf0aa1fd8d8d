// Autosave of the edit form, for editors with JavaScript (everything works without it: the Save
// button posts the same form). Every few seconds, when a field changed, the form is sent with
// PUT and If-Match; the new ETag goes into every form on the page and the preview reloads. When
// someone else saved in between (412), autosave stops and offers the conflict screen, which the
// Save button then shows with both versions. Loaded as a file: the admin's CSP allows no inline
// script.
'use strict';

(function () {
  const form = document.getElementById('edit-form');
  if (!form || !form.dataset.saveUrl) return;
  const INTERVAL_MS = 4000;
  const status = document.getElementById('autosave-status');
  const conflict = document.getElementById('autosave-conflict');
  const preview = document.getElementById('preview');
  const names = ['title', 'summary', 'front_matter', 'body', 'change_type', 'note'];

  function snapshot() {
    const data = new FormData(form);
    return names.map((name) => String(data.get(name) ?? '')).join('\u0000');
  }

  function say(message) {
    if (status) status.textContent = message;
  }

  let saved = snapshot();
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
      if (!response.ok) {
        say(form.dataset.msgFailed);
        return;
      }
      const edit = await response.json();
      const newEtag = response.headers.get('ETag') || edit.etag;
      for (const input of document.querySelectorAll('input[name="etag"]')) input.value = newEtag;
      saved = now;
      const time = new Date().toLocaleTimeString(document.documentElement.lang);
      say(`${form.dataset.msgSaved} ${time}.`);
      if (preview) preview.src = `${preview.dataset.base}?v=${edit.version}`;
    } catch (error) {
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
