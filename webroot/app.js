// Page behaviour: times in the browser's zone, the status line and the dashboard kept current from the event stream
// (SSE), the sync buttons (POST /api/sync with the CSRF token), and a confirmation before Undo, Ignore and Apply.
// Everything from the server is written with textContent, never innerHTML: titles come from other people's databases.
// The dashboard's cards are refreshed by fetching the dashboard again and moving its server-rendered nodes in.
(function () {
  'use strict';
  var meta = document.querySelector('meta[name="csrf-token"]');
  var csrf = meta ? meta.getAttribute('content') : '';
  // The preview this page asked for: when it finishes, the page opens it.
  var awaitedPreview = null;
  var RESULT_WORDS = {
    ok: 'synced', failed: 'failed', needsSignIn: 'stopped: a service needs sign-in',
    refused: 'stopped by the mass-change guard', planChanged: 'not applied: the lists changed since the preview',
    interrupted: 'interrupted: the service was stopping'
  };

  // ---- times ---------------------------------------------------------------------------------------------

  function pad(n) { return n < 10 ? '0' + n : String(n); }

  function relative(date, now) {
    var s = Math.round((now - date) / 1000);
    var future = s < 0;
    var a = Math.abs(s);
    if (a < 5) { return future ? 'in a moment' : 'just now'; }
    var span = a < 60 ? a + ' s' : a < 3600 ? Math.floor(a / 60) + ' min' : a < 86400 ? Math.floor(a / 3600) + ' h'
      : Math.floor(a / 86400) + (Math.floor(a / 86400) === 1 ? ' day' : ' days');
    return future ? 'in ' + span : span + ' ago';
  }

  function sameDay(a, b) {
    return a.getFullYear() === b.getFullYear() && a.getMonth() === b.getMonth() && a.getDate() === b.getDate();
  }

  // "Today 14:02", "Yesterday 09:10", "24 Nov 14:02" (with the year when it is not this one)
  function calendar(date, now) {
    var clock = pad(date.getHours()) + ':' + pad(date.getMinutes());
    var yesterday = new Date(now.getFullYear(), now.getMonth(), now.getDate() - 1);
    if (sameDay(date, now)) { return 'Today ' + clock; }
    if (sameDay(date, yesterday)) { return 'Yesterday ' + clock; }
    var options = { day: 'numeric', month: 'short' };
    if (date.getFullYear() !== now.getFullYear()) { options.year = 'numeric'; }
    return date.toLocaleDateString(undefined, options) + ' ' + clock;
  }

  function renderTimes(root) {
    var now = new Date();
    (root || document).querySelectorAll('time[datetime]').forEach(function (el) {
      var date = new Date(el.getAttribute('datetime'));
      if (isNaN(date.getTime())) { return; }
      el.textContent = el.getAttribute('data-style') === 'calendar' ? calendar(date, now) : relative(date, now);
      el.title = date.toLocaleString();
    });
  }
  renderTimes();
  setInterval(renderTimes, 30000);

  // ---- confirmation before what rewrites entries -----------------------------------------------------------

  var dialog = null;
  function confirmDialog(text, action, onYes) {
    if (typeof HTMLDialogElement === 'undefined') { if (window.confirm(text)) { onYes(); } return; }
    if (!dialog) {
      dialog = document.createElement('dialog');
      dialog.id = 'confirm-dialog';
      var p = document.createElement('p');
      var form = document.createElement('form');
      form.method = 'dialog';
      var no = document.createElement('button');
      no.value = 'cancel';
      no.textContent = 'Cancel';
      var yes = document.createElement('button');
      yes.value = 'yes';
      yes.className = 'confirm-yes';
      form.appendChild(no);
      form.appendChild(yes);
      dialog.appendChild(p);
      dialog.appendChild(form);
      document.body.appendChild(dialog);
    }
    dialog.querySelector('p').textContent = text;
    dialog.querySelector('.confirm-yes').textContent = action;
    dialog.onclose = function () { if (dialog.returnValue === 'yes') { onYes(); } };
    dialog.returnValue = '';
    dialog.showModal();
  }

  // A form (or the button that submits it) with data-confirm asks first; the form then posts as it always did.
  document.addEventListener('submit', function (e) {
    var form = e.target;
    var submitter = e.submitter || null;
    var asker = submitter && submitter.hasAttribute('data-confirm') ? submitter : form;
    var text = asker.getAttribute('data-confirm');
    if (!text || form.getAttribute('data-confirmed') === 'yes') { return; }
    e.preventDefault();
    confirmDialog(text, asker.getAttribute('data-confirm-action') || 'Go ahead', function () {
      form.setAttribute('data-confirmed', 'yes');
      if (form.requestSubmit) { form.requestSubmit(submitter || undefined); } else { form.submit(); }
      form.removeAttribute('data-confirmed');
    });
  });

  // ---- sync buttons --------------------------------------------------------------------------------------

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

  // ---- the status line and the dashboard, kept current -----------------------------------------------------

  function renderLine(line) {
    var p = document.getElementById('status-line');
    if (!p || !line) { return; }
    p.className = 'status-line status-' + line.tone;
    while (p.firstChild) { p.removeChild(p.firstChild); }
    var icon = document.createElement('span');
    icon.className = 'status-icon';
    icon.setAttribute('aria-hidden', 'true');
    icon.textContent = line.icon;
    var text = document.createElement('span');
    text.className = 'status-text';
    (line.parts || []).forEach(function (part) {
      if (part.iso) {
        var t = document.createElement('time');
        t.setAttribute('datetime', part.iso);
        t.textContent = part.text;
        text.appendChild(t);
      } else {
        text.appendChild(document.createTextNode(part.text));
      }
    });
    p.appendChild(icon);
    p.appendChild(document.createTextNode(' '));
    p.appendChild(text);
    if (line.link) {
      var a = document.createElement('a');
      a.className = 'status-link';
      a.href = line.link.href;
      a.textContent = line.link.text;
      p.appendChild(document.createTextNode(' '));
      p.appendChild(a);
    }
    renderTimes(p);
  }

  function refreshLine() {
    return fetch('/api/status', { credentials: 'same-origin' })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (status) {
        if (status) { renderLine(status.statusLine); }
        return status;
      })
      .catch(function () { return null; });
  }

  var onDashboard = !!document.getElementById('dashboard-live');
  // The dashboard's cards as the server renders them now: the page is fetched again and its nodes moved in.
  function refreshDashboard() {
    return fetch('/', { credentials: 'same-origin' })
      .then(function (r) { return r.ok ? r.text() : null; })
      .then(function (html) {
        if (!html) { return; }
        var fresh = new DOMParser().parseFromString(html, 'text/html');
        ['dashboard-live', 'status-line'].forEach(function (id) {
          var now = document.getElementById(id);
          var next = fresh.getElementById(id);
          if (now && next) {
            var moved = document.importNode(next, true);
            now.replaceWith(moved);
            renderTimes(moved);
          }
        });
      })
      .catch(function () { /* the next event tries again */ });
  }

  function refreshAll() {
    return onDashboard ? refreshDashboard() : refreshLine();
  }

  if (typeof EventSource === 'undefined' || !document.getElementById('status-line')) { return; }

  var box = document.getElementById('progress-box');
  var bar = document.getElementById('progress-bar');
  var text = document.getElementById('progress-text');
  var result = document.getElementById('last-result');
  var PHASES = {
    fetch: [0, 0.25, 'reading both lists'],
    map: [0.25, 0.35, 'matching titles across the two services'],
    plan: [0.35, 0.45, 'working out what to change'],
    guard: [0.45, 0.5, 'checking the mass-change guard'],
    backup: [0.45, 0.5, 'backing up both lists'],
    apply: [0.5, 1, 'writing']
  };
  var run = { id: null, shares: {}, percent: 0 };
  var quietTimer = null;

  function typeName(t) { return t ? t.charAt(0) + t.slice(1).toLowerCase() : ''; }

  function phaseWords(p) {
    var phase = PHASES[p.phase];
    if (!phase) { return p.phase || ''; }
    if (p.phase === 'guard' && p.title === 'refused') { return 'stopped by the mass-change guard'; }
    if (p.phase === 'apply') {
      return 'writing ' + (p.done || 0) + ' of ' + (p.total || 0) + (p.title ? ' — ' + p.title : '');
    }
    return phase[2];
  }

  var source = new EventSource('/events');
  // A run that ended while the page loaded (or while the stream was away) sent its finished event to nobody.
  source.addEventListener('open', function () {
    var line = document.getElementById('status-line');
    if (line && line.classList.contains('status-busy')) { refreshAll(); }
  });
  source.addEventListener('progress', function (e) {
    var p = JSON.parse(e.data);
    if (p.runId !== run.id) {
      run = { id: p.runId, shares: {}, percent: 0 };
      refreshLine();
    }
    // A run that ends without a finished event (a live poll's run): once quiet, ask whether anything still runs.
    clearTimeout(quietTimer);
    quietTimer = setTimeout(function () {
      refreshLine().then(function (status) {
        if (status && !status.running) { if (box) { box.hidden = true; } refreshAll(); }
      });
    }, 5000);
    if (!bar) { return; }
    var phase = PHASES[p.phase] || [0, 0];
    var part = p.total ? Math.min(1, (p.done || 0) / p.total) : 0;
    run.shares[p.type || ''] = Math.max(run.shares[p.type || ''] || 0, phase[0] + (phase[1] - phase[0]) * part);
    var types = Object.keys(run.shares);
    var sum = types.reduce(function (s, t) { return s + run.shares[t]; }, 0);
    // the bar only moves forward within a run, whatever order the types report in
    run.percent = Math.max(run.percent, Math.round(100 * sum / types.length));
    box.hidden = false;
    bar.max = 100;
    bar.value = run.percent;
    text.textContent = typeName(p.type) + ': ' + phaseWords(p);
  });
  source.addEventListener('finished', function (e) {
    var f = JSON.parse(e.data);
    clearTimeout(quietTimer);
    var words = RESULT_WORDS[f.result] || f.result;
    if (bar) {
      bar.value = bar.max;
      box.hidden = true;
      text.textContent = 'Run ' + f.runId + ' finished: ' + words + (f.dryRun ? ' (dry run)' : '');
    }
    if (result) {
      var parts = [];
      var types = f.types || {};
      Object.keys(types).forEach(function (t) {
        var c = types[t];
        parts.push(typeName(t) + ': ' + c.created + ' created, ' + c.updated + ' updated, ' + c.deleted + ' deleted, '
          + c.unchanged + ' unchanged');
      });
      result.textContent = 'Result: ' + words + (parts.length ? ' · ' + parts.join(' · ') : '');
      result.setAttribute('data-run-id', f.runId);
    }
    run = { id: null, shares: {}, percent: 0 };
    if (awaitedPreview && f.runId === awaitedPreview) {
      window.location.href = '/preview/' + encodeURIComponent(f.runId);
      return;
    }
    refreshAll();
  });
  source.addEventListener('config-changed', function () { say('Config reloaded.'); });
}());
