// The Teams tab: sign in with Teams SSO (teams-js, served by the bot itself), then load /dashboard with the token.
// Filters and links inside the dashboard are loaded the same way, so the token never leaves this page.
(function () {
  'use strict';
  var status = document.getElementById('status');
  function say(text) { if (status) status.textContent = text; }

  function token() {
    return microsoftTeams.authentication.getAuthToken();
  }

  function load(query) {
    return token().then(function (t) {
      return fetch('/dashboard' + query, { headers: { Authorization: 'Bearer ' + t }, credentials: 'omit' });
    }).then(function (response) {
      return response.text().then(function (html) {
        var doc = new DOMParser().parseFromString(html, 'text/html');
        var next = doc.getElementById('dashboard');
        var current = document.getElementById('dashboard');
        if (!next || !current) throw new Error('HTTP ' + response.status);
        current.replaceWith(document.importNode(next, true));
        document.title = doc.title;
        status = document.getElementById('status');
      });
    });
  }

  document.addEventListener('submit', function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.classList.contains('filters')) return;
    event.preventDefault();
    var query = '?' + new URLSearchParams(new FormData(form)).toString();
    load(query).catch(function (e) { say('Could not load the dashboard: ' + (e && e.message ? e.message : e)); });
  });

  document.addEventListener('click', function (event) {
    var link = event.target instanceof Element ? event.target.closest('a[href^="/dashboard?"]') : null;
    if (!link) return;
    event.preventDefault();
    load(link.getAttribute('href').slice('/dashboard'.length)).catch(function (e) { say('Could not load the dashboard: ' + (e && e.message ? e.message : e)); });
  });

  if (typeof microsoftTeams === 'undefined') { say('The Teams library did not load.'); return; }
  microsoftTeams.app.initialize()
    .then(function () { say('Signing you in…'); return load(window.location.search); })
    .catch(function (e) {
      say('This page is the Dashboard tab of ApprovalBot in Microsoft Teams and signs you in there (' + (e && e.message ? e.message : e) + '). In a browser, open /dashboard instead.');
    });
})();
