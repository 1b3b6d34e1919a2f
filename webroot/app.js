// Dashboard behaviour: sync buttons (POST /api/sync with the CSRF token) and the live progress bar (SSE).
// Everything from the server is written with textContent, never innerHTML: titles come from other people's databases.
(function () {
  'use strict';
  var meta = document.querySelector('meta[name="csrf-token"]');
  var csrf = meta ? meta.getAttribute('content') : '';
  // The preview this page asked for: when it finishes, the page opens it.
  var awaitedPreview = null;

  function say(text) {
    var el = document.getElementById('sync-message');
    if (el) { el.textContent = text; }
  }

  document.querySelectorAll('button.sync').forEach(function (button) {
    button.addEventListener('click', function () {
      var dryRun = button.getAttribute('data-dry-run') === 'true';
      var preview = button.getAttribute('data-preview') === 'true';
      fetch('/api/sync', {
        method: 'POST',
        credentials: 'same-origin',
        headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': csrf },
        body: JSON.stringify({ dryRun: dryRun })
      }).then(function (r) {
        return r.json().then(function (body) { return { ok: r.ok, body: body }; });
      }).then(function (res) {
        if (!res.ok) { say(res.body.error || 'Could not start a sync.'); return; }
        if (preview) { awaitedPreview = res.body.runId; }
        say((preview ? 'Planning preview ' : 'Started run ') + res.body.runId + (res.body.dryRun ? ' (dry run)' : ''));
      }).catch(function () { say('Could not reach the server.'); });
    });
  });

  var bar = document.getElementById('progress-bar');
  var text = document.getElementById('progress-text');
  var result = document.getElementById('last-result');
  if (!bar || typeof EventSource === 'undefined') { return; }
  var source = new EventSource('/events');
  source.addEventListener('progress', function (e) {
    var p = JSON.parse(e.data);
    bar.max = p.total || 1;
    bar.value = p.done || 0;
    text.textContent = (p.type || '') + ' ' + (p.phase || '') + ': ' + (p.done || 0) + '/' + (p.total || 0)
      + (p.title ? ' ' + p.title : '');
  });
  source.addEventListener('finished', function (e) {
    var f = JSON.parse(e.data);
    bar.value = bar.max;
    text.textContent = 'Run ' + f.runId + ' finished: ' + f.result + (f.dryRun ? ' (dry run)' : '');
    if (result) {
      var parts = [];
      var types = f.types || {};
      Object.keys(types).forEach(function (t) {
        var c = types[t];
        parts.push(t + ': ' + c.created + ' created, ' + c.updated + ' updated, ' + c.deleted + ' deleted, '
          + c.unchanged + ' unchanged');
      });
      result.textContent = 'Result: ' + f.result + (parts.length ? ' · ' + parts.join(' · ') : '');
      result.setAttribute('data-run-id', f.runId);
    }
    if (awaitedPreview && f.runId === awaitedPreview) {
      window.location.href = '/preview/' + encodeURIComponent(f.runId);
    }
  });
  source.addEventListener('config-changed', function () { say('Config reloaded.'); });
}());
