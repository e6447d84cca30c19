// A Teams tab (the Dashboard, Operations): sign in with Teams SSO (teams-js, served by the bot itself), then load the
// tab's page with the token. Links, GET forms (filters) and POST forms (an operator's Retry, Dismiss, Discard) inside the
// page are sent the same way, with the token in the Authorization header, so the token never leaves this page and no
// cookie is needed (inside the Teams frame a SameSite=Strict cookie is not sent). Configured by this script tag:
// data-page (the page's path, e.g. /ops), data-root (the id of the element the page is shown in), data-tab (its name).
// A page whose root carries data-refresh="<seconds>" is loaded again that often (the page's own meta refresh does not
// apply here: only its root is taken).
(function () {
  'use strict';
  var script = document.currentScript;
  var page = script.getAttribute('data-page');
  var rootId = script.getAttribute('data-root');
  var tabName = script.getAttribute('data-tab');
  var lastQuery = window.location.search;
  var refreshSeconds = 0;
  var refreshTimer = null;

  function describe(e) { return e && e.message ? e.message : String(e); }

  function say(text) {
    var status = document.getElementById('status');
    if (!status) {
      var root = document.getElementById(rootId);
      if (!root) return;
      status = document.createElement('p');
      status.id = 'status';
      status.setAttribute('role', 'status');
      root.prepend(status);
    }
    status.textContent = text;
  }

  function scheduleRefresh() {
    if (refreshTimer !== null) window.clearTimeout(refreshTimer);
    refreshTimer = null;
    if (refreshSeconds > 0) {
      refreshTimer = window.setTimeout(function () {
        load(lastQuery).catch(function (e) { say('Could not reload the page: ' + describe(e)); scheduleRefresh(); });
      }, refreshSeconds * 1000);
    }
  }

  // Any answer that is one of the tab's pages (the page itself, a 4xx/5xx refusal page with the same root) is shown.
  function show(response) {
    return response.text().then(function (html) {
      var doc = new DOMParser().parseFromString(html, 'text/html');
      var next = doc.getElementById(rootId);
      var current = document.getElementById(rootId);
      if (!next || !current) throw new Error('HTTP ' + response.status);
      current.replaceWith(document.importNode(next, true));
      document.title = doc.title;
      refreshSeconds = Number(next.getAttribute('data-refresh')) || 0;
      scheduleRefresh();
    });
  }

  function send(url, init) {
    return microsoftTeams.authentication.getAuthToken().then(function (token) {
      init.headers = Object.assign({ Authorization: 'Bearer ' + token }, init.headers || {});
      init.credentials = 'omit';
      return fetch(url, init);
    }).then(show);
  }

  function load(query) {
    lastQuery = query;
    return send(page + query, {});
  }

  function isOwn(path) { return path === page || path.indexOf(page + '/') === 0 || path.indexOf(page + '?') === 0; }

  document.addEventListener('submit', function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement)) return;
    var action = form.getAttribute('action') || page;
    if (!isOwn(action)) return;
    event.preventDefault();
    var fields = new URLSearchParams(new FormData(form));
    if (form.method === 'post') {
      var button = form.querySelector('button');
      if (button) button.disabled = true;
      send(action, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: fields.toString() })
        .catch(function (e) { if (button) button.disabled = false; say('Could not send: ' + describe(e)); });
    } else {
      load('?' + fields.toString()).catch(function (e) { say('Could not load the page: ' + describe(e)); });
    }
  });

  document.addEventListener('click', function (event) {
    var link = event.target instanceof Element ? event.target.closest('a[href^="' + page + '?"]') : null;
    if (!link) return;
    event.preventDefault();
    load(link.getAttribute('href').slice(page.length)).catch(function (e) { say('Could not load the page: ' + describe(e)); });
  });

  if (typeof microsoftTeams === 'undefined') { say('The Teams library did not load.'); return; }
  microsoftTeams.app.initialize().then(function () {
    say('Signing you in…');
    return load(lastQuery).catch(function (e) { say('Could not load the page: ' + describe(e)); });
  }, function (e) {
    say('This page is the ' + tabName + ' tab of ApprovalBot in Microsoft Teams and signs you in there (' + describe(e) + '). In a browser, open ' + page + ' instead.');
  });
})();
