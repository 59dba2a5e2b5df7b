/*
 * Progressive enhancement shared by every page: keyboard access to wide tables, names for code
 * blocks' button bars, and the loader of the scripts only some pages need. The Decide page's
 * stepper (decide.js), the Comparison page's needs filter (needs.js) and the opener of
 * disclosures a link points into (disclosure.js, on pages with <details>) are fetched only on a
 * page that has what they work on, once per window, from this script's own folder (same origin,
 * as the Content-Security-Policy requires; the generated pages carry no <script> of their own).
 * Each of them initialises every page it finds through Material's document$, so instant
 * navigation needs nothing more from here. Nothing here reads layout while the page loads: the
 * one check that does (which tables scroll) waits until the browser is idle.
 */
(function () {
  "use strict";

  var here = document.currentScript ? document.currentScript.src : "";
  var WIDGETS = [
    { selector: "#tree-stepper", script: "decide.js" },
    { selector: "#needs-filter", script: "needs.js" },
    { selector: ".md-content details", script: "disclosure.js" },
  ];
  var loaded = {};

  function loadWidgets() {
    WIDGETS.forEach(function (widget) {
      if (loaded[widget.script] || !document.querySelector(widget.selector)) { return; }
      loaded[widget.script] = true;
      var script = document.createElement("script");
      script.src = new URL(widget.script, here || window.location.href).href;
      script.async = true;
      document.head.appendChild(script);
    });
  }

  /* ---- Scrollable tables reachable by keyboard ------------------------------------------ */

  function initScrollRegions() {
    // Material wraps wide tables in a scrolling box; a box that scrolls must be focusable so
    // keyboard users can scroll it (axe-core: scrollable-region-focusable).
    document.querySelectorAll(".md-typeset__scrollwrap").forEach(function (wrap, index) {
      if (wrap.scrollWidth > wrap.clientWidth && !wrap.hasAttribute("tabindex")) {
        wrap.setAttribute("tabindex", "0");
        wrap.setAttribute("role", "region");
        wrap.setAttribute("aria-label", "Table " + (index + 1) + " (scrolls sideways)");
      }
    });
  }

  /* ---- Code blocks' button bars, told apart ------------------------------------------------ */

  function labelCodeNavs() {
    // Material (content.code.copy) gives every code block a <nav> for its copy button; a page
    // with several code blocks then has several navigation landmarks with the same (no) name
    // (axe-core: landmark-unique). Each gets its own name. Material adds them as code blocks
    // mount, so newly added ones are labelled as they appear.
    document.querySelectorAll(".md-code__nav").forEach(function (nav, index) {
      if (!nav.hasAttribute("aria-label")) { nav.setAttribute("aria-label", "Code block " + (index + 1)); }
    });
  }

  if (window.MutationObserver) {
    new MutationObserver(function (records) {
      for (var i = 0; i < records.length; i++) {
        if (records[i].addedNodes.length) { labelCodeNavs(); return; }
      }
    }).observe(document.body, { childList: true, subtree: true });
  }

  // After the page's first frames, when layout is settled: reading scrollWidth earlier would force
  // the browser to lay the page out while it loads.
  var whenIdle = window.requestIdleCallback
    ? function (task) { window.requestIdleCallback(task, { timeout: 2000 }); }
    : function (task) { window.setTimeout(task, 200); };

  function init() {
    loadWidgets();
    labelCodeNavs();
    whenIdle(initScrollRegions);
  }

  // Runs ``init`` on every page: at once, and again each time Material's instant navigation swaps
  // a page in. The widget scripts this one loads use it too (window.guideOnEveryPage).
  function onEveryPage(init) {
    if (window.document$ && typeof window.document$.subscribe === "function") {
      window.document$.subscribe(init);
    } else if (document.readyState === "loading") {
      document.addEventListener("DOMContentLoaded", init);
    } else {
      init();
    }
  }

  window.guideOnEveryPage = onEveryPage;
  onEveryPage(init);
})();
