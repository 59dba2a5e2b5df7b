/*
 * Search index on demand. Material for MkDocs 9.8.1 requests search/search_index.json as soon as
 * its bundle runs (function `ks()` in bundle.*.min.js, through XMLHttpRequest), on every page,
 * whether or not the reader ever searches; 9.8.1 has no setting or hook to defer it. This shim,
 * loaded before the bundle, holds back that one request until the reader opens search:
 *
 * - focus on the search box (a click or tap on it, Tab, or Material's shortcuts f, s and /,
 *   which focus it),
 * - a click or tap on a label that opens search (the magnifier button of narrow screens),
 * - at load, a shared search (`?q=`, search.share) or a search result's highlight (`?h=`,
 *   search.highlight) in the address.
 *
 * Then the held request is sent as it was opened, and Material's search worker gets the index as
 * usual: it is fetched once per window, so search keeps working after instant navigation. Every
 * other request passes through untouched. A bundle that fetched the index any other way would
 * simply not be held back (tests/test_page_delivery.py would say so).
 *
 * It fails open. The elements that open search are found by OPENERS, the names Material 9.8.1
 * gives them; if any of them matches nothing on the page (an upgrade renamed it), the shim warns in
 * the console and sends the request anyway once the page has loaded and the browser is idle (2 s
 * after the load event at the latest), so search keeps working (tests/test_page_delivery.py
 * proves it with OPENERS renamed).
 */
(function () {
  "use strict";

  var INDEX = /\/search\/search_index\.json$/;
  // What opens search in Material 9.8.1: its search component, the labels that toggle it, the toggle.
  var OPENERS = ['[data-md-component="search"]', 'label[for="__search"]', "#__search"];
  var AFTER_LOAD_MS = 2000;
  var open = XMLHttpRequest.prototype.open;
  var send = XMLHttpRequest.prototype.send;
  var abort = XMLHttpRequest.prototype.abort;
  var held = [];
  var released = false;

  XMLHttpRequest.prototype.open = function (method, url) {
    this.__searchIndex = !released && INDEX.test(new URL(String(url), document.baseURI).pathname);
    return open.apply(this, arguments);
  };

  XMLHttpRequest.prototype.send = function () {
    if (this.__searchIndex && !released) {
      held.push({ request: this, args: arguments });
      return undefined;
    }
    return send.apply(this, arguments);
  };

  XMLHttpRequest.prototype.abort = function () {
    // A request aborted while held is dropped, never sent later.
    var request = this;
    held = held.filter(function (entry) { return entry.request !== request; });
    return abort.apply(this, arguments);
  };

  function release() {
    if (released) { return; }
    released = true;
    ["focusin", "pointerdown", "touchstart", "click"].forEach(function (type) {
      document.removeEventListener(type, onEvent, true);
    });
    held.forEach(function (entry) { send.apply(entry.request, entry.args); });
    held = [];
  }

  function opensSearch(target) {
    if (!(target instanceof Element)) { return false; }
    return Boolean(target.closest(OPENERS.join(", ")));
  }

  function onEvent(event) {
    if (opensSearch(event.target)) { release(); }
  }

  var params = new URLSearchParams(window.location.search);
  if (params.has("q") || params.has("h")) {
    released = true; // nothing held: the bundle's request goes out at once
    return;
  }
  var missing = OPENERS.filter(function (selector) { return !document.querySelector(selector); });
  if (missing.length) {
    // The theme changed: opening search may no longer be noticed here, so do not wait for it.
    window.console.warn("search-on-demand.js: no element matches " + missing.join(", ") +
      "; the search index is fetched once the page has loaded.");
    window.addEventListener("load", function () {
      if (window.requestIdleCallback) {
        window.requestIdleCallback(release, { timeout: AFTER_LOAD_MS });
      } else {
        window.setTimeout(release, AFTER_LOAD_MS);
      }
    }, { once: true });
  }
  ["focusin", "pointerdown", "touchstart", "click"].forEach(function (type) {
    document.addEventListener(type, onEvent, { capture: true, passive: true });
  });
})();
