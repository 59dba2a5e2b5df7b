/*
 * Open the disclosure that holds the address's target: a comparison row's evidence (a
 * "sources disagree" link, a search result), so following a link shows what it points at.
 * guide.js loads it once per window, on the first page with a <details>; it then runs on hash
 * changes and on each page Material's instant navigation shows (document$, location$).
 * Without JavaScript the evidence is still in the page: browsers open it for find-in-page,
 * and Chromium for fragment links too.
 */
(function () {
  "use strict";

  function openTarget() {
    var id = decodeURIComponent(window.location.hash.slice(1));
    var target = id && document.getElementById(id);
    if (!target) { return; }
    var opened = false;
    for (var node = target; node; node = node.parentElement) {
      if (node.tagName === "DETAILS" && !node.open) {
        node.open = true;
        opened = true;
      }
    }
    if (opened) { target.scrollIntoView(); }
  }

  function later() { window.setTimeout(openTarget); }

  window.addEventListener("hashchange", openTarget);
  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(later); // each page Material's instant navigation loads, and the first
    window.location$.subscribe(later); // a search result or link on the page already shown
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", openTarget);
  } else {
    openTarget();
  }
})();
