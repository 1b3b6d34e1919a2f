// Dashboard behaviour: sync buttons (POST /api/sync with the CSRF token) and the live progress bar (SSE).
(function () {
  'use strict';
  var meta = document.querySelector('meta[name="csrf-token"]');
  var csrf = meta ? meta.getAttribute('content') : '';

  function say(text) {
    var el = document.getElementById('sync-message');
    if (el) { el.textContent = text; }
  }

  document.querySelectorAll('button.sync').forEach(function (button) {
    button.addEventListener('click', function () {
      var dryRun = button.getAttribute('data-dry-run') === 'true';
      fetch('/api/sync', {
        method: 'POST',
        credentials: 'same-origin',
        headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': csrf },
        body: JSON.stringify({ dryRun: dryRun })
      }).then(function (r) {
        return r.json().then(function (body) { return { ok: r.ok, body: body }; });
      }).then(function (res) {
        say(res.ok ? 'Started run ' + res.body.runId : (res.body.error || 'Could not start a sync.'));
      }).catch(function () { say('Could not reach the server.'); });
    });
  });

  var bar = document.getElementById('progress-bar');
  var text = document.getElementById('progress-text');
  if (!bar || typeof EventSource === 'undefined') { return; }
  var source = new EventSource('/events');
  source.addEventListener('progress', function (e) {
    var p = JSON.parse(e.data);
    bar.max = p.total || 1;
    bar.value = p.done || 0;
    // textContent, never innerHTML: titles come from the user's lists.
    text.textContent = (p.type || '') + ' ' + (p.phase || '') + ': ' + (p.done || 0) + '/' + (p.total || 0)
      + (p.title ? ' ' + p.title : '');
  });
  source.addEventListener('finished', function (e) {
    var f = JSON.parse(e.data);
    bar.value = bar.max;
    text.textContent = 'Run ' + f.runId + ' finished: ' + f.result + (f.dryRun ? ' (dry run)' : '');
  });
  source.addEventListener('config-changed', function () { say('Config reloaded.'); });
}());
