/*
 * Progressive enhancement for the guide's generated pages. Without JavaScript every page is
 * complete; with it, the Decide page gets a step-by-step decision tree and the Comparison page a
 * "what matters to you" filter. Both keep their state in the URL query, so a link reproduces it.
 * The data comes from JSON the build writes into the widget's data attribute; reasons and citations are copied from
 * the page's own sections, so they are rendered once, by the build.
 */
(function () {
  "use strict";

  function readJson(element, name) {
    // The build writes each widget's data as JSON in a data attribute (not a <script>: Material's
    // instant navigation re-creates inline scripts without their type, as executable code).
    return element && element.dataset[name] ? JSON.parse(element.dataset[name]) : null;
  }

  function setQuery(name, value) {
    var url = new URL(window.location.href);
    if (value) {
      url.searchParams.set(name, value);
    } else {
      url.searchParams.delete(name);
    }
    window.history.replaceState(window.history.state, "", url);
  }

  function element(tag, attributes, text) {
    var node = document.createElement(tag);
    Object.keys(attributes || {}).forEach(function (key) { node.setAttribute(key, attributes[key]); });
    if (text) { node.textContent = text; }
    return node;
  }

  /* ---- Decision tree ------------------------------------------------------------------ */

  function sectionOf(id) {
    // The static section of a node: its heading and the elements up to the next heading.
    var heading = document.getElementById(id);
    var parts = [];
    if (!heading) { return parts; }
    for (var node = heading.nextElementSibling; node && !/^H[1-4]$/.test(node.tagName); node = node.nextElementSibling) {
      if (node.querySelector(".tree-back-link")) { continue; } // the stepper has its own controls
      var copy = node.cloneNode(true);
      copy.removeAttribute("id");
      copy.querySelectorAll("[id]").forEach(function (el) { el.removeAttribute("id"); });
      parts.push(copy);
    }
    return parts;
  }

  function initTree() {
    var root = document.getElementById("tree-stepper");
    var data = readJson(root, "tree");
    if (!root || !data || root.dataset.ready) { return; }
    root.dataset.ready = "true";
    root.hidden = false;
    var body = root.querySelector(".tree-stepper__body");
    var status = root.querySelector(".tree-stepper__status");
    var back = root.querySelector('[data-tree-action="back"]');
    var path = [];

    function walk(answers) {
      // Follow answer indexes from the start; stop at the first invalid one.
      var id = data.start;
      var valid = [];
      for (var i = 0; i < answers.length; i++) {
        var node = data.nodes[id];
        var choice = node && node.kind === "question" ? node.answers[answers[i]] : null;
        if (!choice) { break; }
        valid.push(answers[i]);
        id = choice.next;
      }
      return { id: id, answers: valid };
    }

    function render(moveFocus) {
      var state = walk(path);
      path = state.answers;
      setQuery("path", path.join("."));
      var node = data.nodes[state.id];
      body.textContent = "";
      back.disabled = path.length === 0;
      var step = path.length + 1;
      var heading;
      if (node.kind === "question") {
        heading = element("h3", { class: "tree-stepper__question", tabindex: "-1" }, node.text);
        body.appendChild(element("p", { class: "tree-stepper__step" }, "Question " + step));
        body.appendChild(heading);
        if (node.help) { body.appendChild(element("p", { class: "tree-stepper__help" }, node.help)); }
        var answers = element("div", { class: "tree-stepper__answers", role: "group", "aria-label": node.text });
        node.answers.forEach(function (answer, index) {
          var button = element("button", { type: "button", class: "md-button tree-stepper__answer" }, answer.label);
          button.addEventListener("click", function () { path.push(index); render(true); });
          answers.appendChild(button);
        });
        body.appendChild(answers);
        status.textContent = "Question " + step + ": " + node.text;
      } else {
        heading = element("h3", { class: "tree-stepper__result", tabindex: "-1" }, "Recommendation: " + node.title);
        body.appendChild(heading);
        sectionOf(state.id).forEach(function (part) { body.appendChild(part); });
        var permalink = element("a", { href: "#" + state.id, class: "tree-stepper__permalink" },
          "Read this recommendation in the full tree");
        body.appendChild(element("p")).appendChild(permalink);
        status.textContent = "Recommendation: " + node.title + ". Use " + node.recommend.join(" with ") + ".";
      }
      if (moveFocus) { heading.focus(); }
    }

    back.addEventListener("click", function () { path.pop(); render(true); });
    root.querySelector('[data-tree-action="restart"]').addEventListener("click", function () {
      path = [];
      render(true);
    });
    var initial = new URL(window.location.href).searchParams.get("path");
    path = initial ? initial.split(".").map(Number).filter(function (n) { return Number.isInteger(n) && n >= 0; }) : [];
    render(false);
  }

  /* ---- Needs filter ------------------------------------------------------------------- */

  function initNeeds() {
    var form = document.getElementById("needs-filter");
    var needs = readJson(form, "needs");
    if (!form || !needs || form.dataset.ready) { return; }
    form.dataset.ready = "true";
    form.hidden = false;
    var summary = form.querySelector(".needs-filter__summary");
    var boxes = Array.prototype.slice.call(form.querySelectorAll('input[name="need"]'));

    function rowOf(dimension) {
      var anchor = document.getElementById(dimension);
      return anchor ? anchor.closest("tr") : null;
    }

    function apply() {
      var chosen = boxes.filter(function (box) { return box.checked; }).map(function (box) { return box.value; });
      setQuery("needs", chosen.join(","));
      document.querySelectorAll("tr.need-match").forEach(function (row) {
        row.classList.remove("need-match");
        row.querySelectorAll(".need-note").forEach(function (note) { note.remove(); });
      });
      var matched = 0;
      needs.forEach(function (need) {
        if (chosen.indexOf(need.id) < 0) { return; }
        need.rows.forEach(function (item) {
          var row = rowOf(item.dimension);
          if (!row) { return; }
          if (!row.classList.contains("need-match")) { matched += 1; }
          row.classList.add("need-match");
          var note = element("span", { class: "need-note" },
            need.label + ": favours " + item.favours);
          row.cells[0].appendChild(note);
        });
      });
      summary.textContent = chosen.length
        ? matched + " rows highlighted for " + chosen.length + (chosen.length === 1 ? " need." : " needs.")
        : "";
    }

    var initial = (new URL(window.location.href).searchParams.get("needs") || "").split(",");
    boxes.forEach(function (box) {
      box.checked = initial.indexOf(box.value) >= 0;
      box.addEventListener("change", apply);
    });
    apply();
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

  function init() {
    initTree();
    initNeeds();
    initScrollRegions();
  }

  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(init); // Material's instant navigation swaps pages without reloading
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
