/*
 * The Decide page's step-by-step decision tree (issue 10). guide.js loads it on that page only;
 * without JavaScript the page shows every question and recommendation.
 *
 * - Each answer is a history entry (pushState): Back undoes one answer, Forward redoes it, and a
 *   reload or a shared ?path=1.2 link reopens the same step, in view and focused.
 * - The URL holds the path. A link copied after scrolling also holds the hash Material's
 *   navigation.tracking writes for the section in view; opening it drops that hash and shows the
 *   step, in view.
 * - Questions are drawn from the first one, which the build writes into the page (the template's
 *   `question_step` macro): its elements are copied and filled from the tree's data, so the
 *   markup of a question is defined once, and nothing moves when the script starts.
 * - The result recaps the answers (each can be changed), shows the recommendation's own section
 *   (rendered once, by the build) and offers its decision record, joined from the parts the build
 *   puts in the tree's data (decision_guide/record.py) with the answers actually given, today's
 *   date and absolute links; then copies it (Clipboard API, with a fallback) or downloads it (a
 *   Blob), with no server.
 *
 * It sets itself up once per window and initialises each page Material's instant navigation
 * shows through Material's document$ (a second load only re-runs init).
 */
(function () {
  "use strict";

  if (window.guideDecide) {
    window.guideDecide.init();
    return;
  }

  var current = null; // the controller of the stepper on the page shown

  function element(tag, attributes, text) {
    var node = document.createElement(tag);
    Object.keys(attributes || {}).forEach(function (key) { node.setAttribute(key, attributes[key]); });
    if (text) { node.textContent = text; }
    return node;
  }

  function pathFromUrl() {
    var value = new URL(window.location.href).searchParams.get("path") || "";
    return value ? value.split(".").map(Number).filter(function (n) { return Number.isInteger(n) && n >= 0; }) : [];
  }

  function urlFor(path) {
    var url = new URL(window.location.href);
    url.hash = "";
    if (path.length) {
      url.searchParams.set("path", path.join("."));
    } else {
      url.searchParams.delete("path");
    }
    return url.href;
  }

  function sectionOf(id) {
    // The static section of a node: the elements after its heading, up to the next heading.
    var heading = document.getElementById(id);
    var parts = [];
    if (!heading) { return parts; }
    for (var node = heading.nextElementSibling; node && !/^H[1-4]$/.test(node.tagName); node = node.nextElementSibling) {
      if (node.matches(".decision-record, .tree-back-link") || node.querySelector(".tree-back-link")) { continue; }
      var copy = node.cloneNode(true);
      copy.removeAttribute("id");
      copy.querySelectorAll("[id]").forEach(function (el) { el.removeAttribute("id"); });
      parts.push(copy);
    }
    return parts;
  }

  function Stepper(root, data) {
    this.root = root;
    this.data = data;
    this.body = root.querySelector(".tree-stepper__body");
    this.status = root.querySelector(".tree-stepper__status");
    this.back = root.querySelector('[data-tree-action="back"]');
    this.path = [];
    // The pattern of a question: a copy of the first one, as the build wrote it.
    this.question = document.createDocumentFragment();
    for (var child = this.body.firstElementChild; child; child = child.nextElementSibling) {
      this.question.appendChild(child.cloneNode(true));
    }
    var self = this;
    this.back.addEventListener("click", function () { self.go(self.path.slice(0, -1)); });
    root.querySelector('[data-tree-action="restart"]').addEventListener("click", function () { self.go([]); });
  }

  Stepper.prototype.walk = function (answers) {
    // Follow answer indexes from the start; stop at the first invalid one.
    var id = this.data.start;
    var valid = [];
    var trail = [];
    for (var i = 0; i < answers.length; i++) {
      var node = this.data.nodes[id];
      var choice = node && node.kind === "question" ? node.answers[answers[i]] : null;
      if (!choice) { break; }
      valid.push(answers[i]);
      trail.push({ question: node.text, answer: choice.label });
      id = choice.next;
    }
    return { id: id, answers: valid, trail: trail };
  };

  // A new step: a history entry of its own, so the browser's Back returns to the step before.
  Stepper.prototype.go = function (path) {
    this.path = this.walk(path).answers;
    window.history.pushState(null, "", urlFor(this.path));
    this.render(true);
  };

  // The URL changed under us (Back, Forward): show its step.
  Stepper.prototype.sync = function () {
    var path = pathFromUrl();
    if (path.join(".") === this.path.join(".") && this.body.firstChild) { return; }
    this.path = path;
    this.render(true);
  };

  Stepper.prototype.render = function (moveFocus) {
    var state = this.walk(this.path);
    var self = this;
    var node = this.data.nodes[state.id];
    this.path = state.answers;
    this.body.textContent = "";
    this.back.disabled = this.path.length === 0;
    var heading;
    if (node.kind === "question") {
      var step = this.path.length + 1;
      var parts = this.question.cloneNode(true);
      parts.querySelector(".tree-stepper__step").textContent = "Question " + step;
      heading = parts.querySelector(".tree-stepper__question");
      heading.textContent = node.text;
      var help = parts.querySelector(".tree-stepper__help");
      help.textContent = node.help;
      help.hidden = !node.help;
      parts.querySelector(".tree-stepper__pick").hidden = !node.pick_best;
      var answers = parts.querySelector(".tree-stepper__answers");
      var pattern = answers.querySelector(".tree-stepper__answer");
      answers.setAttribute("aria-label", node.text);
      answers.textContent = "";
      node.answers.forEach(function (answer, index) {
        var button = pattern.cloneNode(false);
        button.textContent = answer.label;
        button.addEventListener("click", function () { self.go(self.path.concat([index])); });
        answers.appendChild(button);
      });
      this.body.appendChild(parts);
      this.status.textContent = "Question " + step + ": " + node.text;
    } else {
      this.body.appendChild(element("p", { class: "tree-stepper__step" }, "Your recommendation"));
      heading = element("h2", { class: "tree-stepper__result", tabindex: "-1" }, "Recommendation: " + node.title);
      this.body.appendChild(heading);
      sectionOf(state.id).forEach(function (part) { self.body.appendChild(part); });
      this.body.appendChild(this.recap(state.trail));
      this.body.appendChild(this.recordBox(state));
      var more = element("p", { class: "tree-stepper__permalink" });
      more.appendChild(element("a", { href: "#" + state.id }, "This recommendation in the list of every question and recommendation"));
      this.body.appendChild(more);
      this.status.textContent = "Recommendation: " + node.title + ". Use " + node.use + ".";
    }
    if (moveFocus) { heading.focus(); }
  };

  // The build writes the first question into the page, so the stepper holds its place from the
  // first paint. At the start, wire those buttons instead of drawing them again: new boxes would
  // be painted anew (a later Largest Contentful Paint).
  Stepper.prototype.adopt = function () {
    var state = this.walk(this.path);
    var node = this.data.nodes[state.id];
    var buttons = this.body.querySelectorAll(".tree-stepper__answer");
    if (state.answers.length || node.kind !== "question" || buttons.length !== node.answers.length) { return false; }
    var self = this;
    this.path = [];
    buttons.forEach(function (button, index) {
      button.addEventListener("click", function () { self.go([index]); });
    });
    this.back.disabled = true;
    this.status.textContent = "Question 1: " + node.text;
    return true;
  };

  Stepper.prototype.recap = function (trail) {
    var self = this;
    var box = element("div", { class: "tree-stepper__recap" });
    box.appendChild(element("h3", {}, "Your answers"));
    var list = element("ol");
    trail.forEach(function (step, index) {
      var item = element("li");
      item.appendChild(element("span", { class: "tree-stepper__recap-question" }, step.question + " "));
      item.appendChild(element("strong", {}, step.answer));
      var change = element("button", { type: "button", class: "md-button tree-stepper__change",
        "aria-label": "Change your answer to: " + step.question }, "Change");
      change.addEventListener("click", function () { self.go(self.path.slice(0, index)); });
      item.appendChild(document.createTextNode(" "));
      item.appendChild(change);
      list.appendChild(item);
    });
    box.appendChild(list);
    return box;
  };

  Stepper.prototype.record = function (state) {
    // The recommendation's record, joined from its parts (see decision_guide/record.py): text as
    // it stands, and slots filled for this reader: the answers given, today's date, the link back
    // to this step, and links made absolute (so the file works outside the site).
    var parts = this.data.nodes[state.id].record || [];
    return parts.map(function (part) {
      if (typeof part === "string") { return part; }
      switch (part.slot) {
        case "date": return new Date().toISOString().slice(0, 10);
        case "answers": return state.trail.map(function (step) {
          return part.line.replace(/\{(question|answer)\}/g, function (match, key) { return step[key]; });
        }).join("");
        case "here": return urlFor(state.answers);
        case "link": return new URL(part.text, window.location.href).href;
        default: return part.text;
      }
    }).join("");
  };

  Stepper.prototype.recordBox = function (state) {
    var text = this.record(state);
    var box = element("div", { class: "tree-stepper__record" });
    box.appendChild(element("h3", {}, "Keep a decision record"));
    box.appendChild(element("p", {}, "An Architecture Decision Record in Markdown: your answers, the decision, its reasons, " +
      "caveats and sources, ready to commit to your repository."));
    var actions = element("div", { class: "tree-stepper__record-actions" });
    var copy = element("button", { type: "button", class: "md-button" }, "Copy the decision record");
    var download = element("button", { type: "button", class: "md-button" }, "Download it (.md)");
    actions.appendChild(copy);
    actions.appendChild(download);
    box.appendChild(actions);
    var said = element("p", { class: "tree-stepper__record-status", role: "status" });
    box.appendChild(said);
    var details = element("details", { class: "tree-stepper__record-text" });
    details.appendChild(element("summary", {}, "Show the decision record"));
    var pre = element("pre", {}, text);
    details.appendChild(pre);
    box.appendChild(details);
    var filename = "decision-record-" + state.id + ".md";

    copy.addEventListener("click", function () {
      function fallback() {
        // No Clipboard API (an insecure origin, an old browser): select the text and copy it.
        details.open = true;
        var range = document.createRange();
        range.selectNodeContents(pre);
        var selection = window.getSelection();
        selection.removeAllRanges();
        selection.addRange(range);
        var done = false;
        try { done = document.execCommand("copy"); } catch (error) { done = false; }
        said.textContent = done ? "Copied the decision record." : "Copy the selected text below (Ctrl+C or ⌘C).";
      }
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(text).then(function () {
          said.textContent = "Copied the decision record.";
        }, fallback);
      } else {
        fallback();
      }
    });
    download.addEventListener("click", function () {
      var url = URL.createObjectURL(new Blob([text], { type: "text/markdown;charset=utf-8" }));
      var link = element("a", { href: url, download: filename });
      link.hidden = true;
      document.body.appendChild(link);
      link.click();
      link.remove();
      window.setTimeout(function () { URL.revokeObjectURL(url); }, 10000);
      said.textContent = "Downloaded " + filename + ".";
    });
    return box;
  };

  function init() {
    var root = document.getElementById("tree-stepper");
    if (!root || root.dataset.ready || !root.dataset.tree) { return; }
    root.dataset.ready = "true";
    current = new Stepper(root, JSON.parse(root.dataset.tree));
    document.querySelectorAll(".tree-nojs").forEach(function (note) { note.hidden = true; });
    root.hidden = false;
    current.path = pathFromUrl();
    var shared = current.path.length > 0;
    if (shared && window.location.hash) {
      window.history.replaceState(window.history.state, "", urlFor(current.path));
    }
    if (!current.adopt()) { current.render(false); }
    if (shared) {
      // A shared or reloaded link: its step in view, and focused for keyboard and screen readers.
      root.scrollIntoView({ block: "start" });
      root.querySelector(".tree-stepper__body [tabindex='-1']").focus({ preventScroll: true });
    }
  }

  window.addEventListener("popstate", function () {
    if (current && document.body.contains(current.root)) { current.sync(); }
  });

  window.guideDecide = { init: init };
  window.guideOnEveryPage(init); // defined by guide.js, which loads this script
})();
