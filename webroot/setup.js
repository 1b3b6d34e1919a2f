// The setup page: copy buttons, and the first-run form saved without leaving the page, then, once the service has
// started, a sign-in with the password just chosen (through the ordinary login form) and on to the next steps.
// Server text is written with textContent only.
(function () {
  'use strict';

  document.querySelectorAll('button.copy').forEach(function (button) {
    button.addEventListener('click', function () {
      var field = document.getElementById(button.getAttribute('data-copy'));
      if (!field) { return; }
      var label = button.textContent;
      function copied() {
        button.textContent = 'Copied';
        setTimeout(function () { button.textContent = label; }, 2000);
      }
      function byHand() {
        field.focus();
        field.select();
        try { if (document.execCommand('copy')) { copied(); } } catch (e) { /* selected: the user copies it */ }
      }
      // the clipboard API exists only on https and localhost; elsewhere the old way
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(field.value).then(copied, byHand);
      } else {
        byHand();
      }
    });
  });

  var form = document.getElementById('setup-form');
  if (!form) { return; }
  var status = document.getElementById('setup-status');
  var problems = document.getElementById('setup-problems');

  function say(text) { status.textContent = text; }

  function showProblems(list) {
    var ul = problems.querySelector('ul');
    while (ul.firstChild) { ul.removeChild(ul.firstChild); }
    list.forEach(function (p) {
      var li = document.createElement('li');
      li.textContent = p;
      ul.appendChild(li);
    });
    problems.hidden = false;
    problems.scrollIntoView();
  }

  function pause(ms) { return new Promise(function (resolve) { setTimeout(resolve, ms); }); }

  // the waiting server answers waitingForConfig; the dashboard's own answer does not: it has started
  function serviceStarted() {
    return fetch('/health/live', { cache: 'no-store' })
      .then(function (r) { return r.json(); })
      .then(function (body) { return !body.waitingForConfig; })
      .catch(function () { return false; })
      .then(function (up) { return up ? true : pause(500).then(serviceStarted); });
  }

  function signIn(password) {
    if (!password) { window.location.href = '/login'; return Promise.resolve(); }
    return fetch('/login', { credentials: 'same-origin', cache: 'no-store' })
      .then(function (r) { return r.text(); })
      .then(function (html) {
        var token = new DOMParser().parseFromString(html, 'text/html').querySelector('input[name="_csrf"]');
        var body = new URLSearchParams();
        body.set('_csrf', token ? token.value : '');
        body.set('password', password);
        return fetch('/login', {
          method: 'POST', credentials: 'same-origin',
          headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: body.toString()
        });
      })
      .then(function (r) {
        var landed = new URL(r.url, window.location.href).pathname;
        window.location.href = r.ok && landed !== '/login' ? '/setup' : '/login';
      });
  }

  form.addEventListener('submit', function (event) {
    event.preventDefault();
    var data = new URLSearchParams(new FormData(form));
    var password = data.get('password');
    var button = document.getElementById('setup-save');
    button.disabled = true;
    problems.hidden = true;
    say('Saving…');
    fetch(form.getAttribute('action'), {
      method: 'POST', credentials: 'same-origin',
      headers: { 'Accept': 'application/json', 'Content-Type': 'application/x-www-form-urlencoded' },
      body: data.toString()
    }).then(function (r) { return r.json(); })
      .then(function (res) {
        if (!res.saved) {
          button.disabled = false;
          say('');
          showProblems(res.problems || ['Not saved.']);
          return null;
        }
        say(res.message + ' Starting the service…');
        return serviceStarted().then(function () {
          say('The service is up: signing you in…');
          return signIn(password);
        });
      })
      .catch(function () {
        button.disabled = false;
        say('Could not reach the service: is it still running?');
      });
  });
}());
