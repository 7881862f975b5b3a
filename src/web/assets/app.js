/* global document, window, history, URL */
// Progressive enhancement only: every page works without this file.
(function () {
  'use strict';
  // "/" focuses the search box; arrow keys move through search results.
  document.addEventListener('keydown', function (e) {
    var t = e.target;
    var typing = t && (t.tagName === 'INPUT' || t.tagName === 'SELECT' || t.tagName === 'TEXTAREA');
    if (e.key === '/' && !typing && !e.ctrlKey && !e.metaKey && !e.altKey) {
      var q = document.getElementById('q');
      if (q) { e.preventDefault(); q.focus(); q.select(); }
      return;
    }
    if (e.key !== 'ArrowDown' && e.key !== 'ArrowUp') return;
    var links = Array.prototype.slice.call(document.querySelectorAll('ul.results a'));
    if (links.length === 0) return;
    var i = links.indexOf(document.activeElement);
    if (i < 0 && typing && t.id !== 'q') return;
    e.preventDefault();
    var next = e.key === 'ArrowDown' ? Math.min(i + 1, links.length - 1) : Math.max(i - 1, 0);
    links[next].focus();
  });

  // Rule-list filters: applied in place, without a reload; the URL keeps the choice.
  Array.prototype.forEach.call(document.querySelectorAll('form[data-filter]'), function (form) {
    var selects = form.querySelectorAll('select');
    var button = form.querySelector('button');
    var out = form.querySelector('output');
    if (button) button.hidden = true;
    function apply() {
      var want = {};
      Array.prototype.forEach.call(selects, function (s) { want[s.name] = s.value; });
      var shown = 0;
      Array.prototype.forEach.call(document.querySelectorAll('ul.rules li[data-platform]'), function (li) {
        var ok = (!want.platform || li.getAttribute('data-platform') === want.platform) &&
                 (!want.domain || li.getAttribute('data-domain') === want.domain);
        li.hidden = !ok;
        if (ok) shown++;
      });
      if (out) out.textContent = shown + ' shown';
      var url = new URL(window.location.href);
      Object.keys(want).forEach(function (k) { if (want[k]) url.searchParams.set(k, want[k]); else url.searchParams.delete(k); });
      history.replaceState(null, '', url.toString());
    }
    Array.prototype.forEach.call(selects, function (s) { s.addEventListener('change', apply); });
  });
})();
