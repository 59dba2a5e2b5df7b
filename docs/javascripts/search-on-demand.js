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
 */
(function () {
  "use strict";

  var INDEX = /\/search\/search_index\.json$/;
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
    return Boolean(target.closest('[data-md-component="search"], label[for="__search"], #__search'));
  }

  function onEvent(event) {
    if (opensSearch(event.target)) { release(); }
  }

  var params = new URLSearchParams(window.location.search);
  if (params.has("q") || params.has("h")) {
    released = true; // nothing held: the bundle's request goes out at once
    return;
  }
  ["focusin", "pointerdown", "touchstart", "click"].forEach(function (type) {
    document.addEventListener(type, onEvent, { capture: true, passive: true });
  });
})();
