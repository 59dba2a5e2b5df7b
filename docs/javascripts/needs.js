/*
 * The Comparison page's "what matters to you" filter (issue 10). guide.js loads it on that page
 * only; without JavaScript the form stays hidden and the tables whole.
 *
 * Ticking needs marks the rows that bear on them, says which way each leans for those needs, and
 * answers with a tally ("3 needs: 4 rows lean Django, 1 leans Flask, 2 where sources disagree").
 * A row with a recorded disagreement between sources is counted as such, never as a win. "Show
 * only these rows" hides the others; Clear resets. The choice is kept in the URL (?needs=a,b&only=1).
 */
(function () {
  "use strict";

  if (window.guideNeeds) {
    window.guideNeeds.init();
    return;
  }

  function element(tag, attributes, text) {
    var node = document.createElement(tag);
    Object.keys(attributes || {}).forEach(function (key) { node.setAttribute(key, attributes[key]); });
    if (text) { node.textContent = text; }
    return node;
  }

  function plural(count, one, many) { return count + " " + (count === 1 ? one : many); }

  // A dimension's block: its <div class="dimension"> (heading, verdict, positions and evidence),
  // or, in a plain table, its <tr>.
  function rowOf(dimension) {
    var anchor = document.getElementById(dimension);
    return anchor ? anchor.closest(".dimension") || anchor.closest("tr") : null;
  }

  // Every dimension's row on the page, and the tables that hold them.
  function allRows() {
    var rows = [];
    document.querySelectorAll("a.dimension-link").forEach(function (link) {
      var row = rowOf(link.id);
      if (row && rows.indexOf(row) < 0) { rows.push(row); }
    });
    return rows;
  }

  // The tally of the rows that bear on the chosen needs: {rows: {dimension: verdict}, counts}.
  // A row's verdict is "disputed" when the sources disagree on it, a subject's name when every
  // chosen need that cites it leans that way, "Either" when it favours neither, and "mixed" when
  // two chosen needs pull it different ways.
  function tally(needs, chosen) {
    var rows = {};
    needs.forEach(function (need) {
      if (chosen.indexOf(need.id) < 0) { return; }
      need.rows.forEach(function (item) {
        var row = rows[item.dimension] || (rows[item.dimension] = { leans: [], notes: [], conflict: item.conflict });
        if (row.leans.indexOf(item.favours) < 0) { row.leans.push(item.favours); }
        row.notes.push({ need: need.label, favours: item.favours });
      });
    });
    Object.keys(rows).forEach(function (dimension) {
      var row = rows[dimension];
      row.verdict = row.conflict ? "disputed" : row.leans.length > 1 ? "mixed" : row.leans[0];
    });
    return rows;
  }

  function summarise(chosen, rows) {
    var counts = {};
    var order = [];
    Object.keys(rows).forEach(function (dimension) {
      var verdict = rows[dimension].verdict;
      if (!(verdict in counts)) { counts[verdict] = 0; order.push(verdict); }
      counts[verdict] += 1;
    });
    var special = { Either: 1, mixed: 1, disputed: 1 };
    var parts = order.filter(function (v) { return !(v in special); })
      .sort(function (a, b) { return counts[b] - counts[a]; })
      .map(function (v) { return plural(counts[v], "row leans", "rows lean") + " " + v; });
    if (counts.Either) { parts.push(plural(counts.Either, "row favours", "rows favour") + " neither"); }
    if (counts.mixed) { parts.push(plural(counts.mixed, "row pulls", "rows pull") + " both ways for your needs"); }
    if (counts.disputed) { parts.push(counts.disputed + " where sources disagree"); }
    return plural(chosen.length, "need", "needs") + ": " + (parts.length ? parts.join(", ") : "no rows") + ".";
  }

  function init() {
    var form = document.getElementById("needs-filter");
    if (!form || form.dataset.ready || !form.dataset.needs) { return; }
    form.dataset.ready = "true";
    var needs = JSON.parse(form.dataset.needs);
    form.hidden = false;
    var summary = form.querySelector(".needs-filter__summary");
    var only = form.querySelector('input[name="only"]');
    var clear = form.querySelector('[data-needs-action="clear"]');
    var boxes = Array.prototype.slice.call(form.querySelectorAll('input[name="need"]'));
    var units = allRows();
    var tables = [];
    units.forEach(function (row) {
      var table = row.closest("table");
      if (table && tables.indexOf(table) < 0) { tables.push(table); }
    });
    form.addEventListener("submit", function (event) { event.preventDefault(); });

    function apply() {
      var chosen = boxes.filter(function (box) { return box.checked; }).map(function (box) { return box.value; });
      only.disabled = chosen.length === 0;
      clear.disabled = chosen.length === 0 && !only.checked;
      var url = new URL(window.location.href);
      if (chosen.length) { url.searchParams.set("needs", chosen.join(",")); } else { url.searchParams.delete("needs"); }
      if (only.checked && chosen.length) { url.searchParams.set("only", "1"); } else { url.searchParams.delete("only"); }
      window.history.replaceState(window.history.state, "", url.href);

      document.querySelectorAll(".need-match").forEach(function (row) {
        row.classList.remove("need-match", "need-match--disputed");
        row.querySelectorAll(".need-note").forEach(function (note) { note.remove(); });
      });
      var rows = tally(needs, chosen);
      var showOnly = only.checked && chosen.length > 0;
      units.forEach(function (row) {
        var link = row.querySelector("a.dimension-link");
        row.hidden = showOnly && !(link && rows[link.id]);
      });
      tables.forEach(function (table) {
        // A table left with no row shown (one table per row, or a table of other needs) goes too.
        var box = table.closest(".md-typeset__scrollwrap") || table;
        box.hidden = showOnly && units.every(function (row) { return row.closest("table") !== table || row.hidden; });
      });
      Object.keys(rows).forEach(function (dimension) {
        var row = rowOf(dimension);
        if (!row) { return; }
        var info = rows[dimension];
        row.classList.add("need-match");
        if (info.verdict === "disputed") { row.classList.add("need-match--disputed"); }
        var note = element("span", { class: "need-note" });
        if (info.verdict === "disputed") {
          note.textContent = "For " + info.notes.map(function (n) { return n.need.toLowerCase(); }).join("; ") +
            ": sources disagree, so no winner";
        } else {
          note.textContent = info.notes.map(function (n) {
            return n.need + ": " + (n.favours === "Either" ? "favours neither" : "favours " + n.favours);
          }).join("; ");
        }
        // In the verdict line of a dimension block (a table row or a paragraph), else the row's first cell.
        var head = row.querySelector(".dimension__head");
        (head && (head.querySelector("td") || head) || row.querySelector("td, th") || row).appendChild(note);
      });
      summary.textContent = chosen.length ? summarise(chosen, rows) : "";
    }

    var params = new URL(window.location.href).searchParams;
    var initial = (params.get("needs") || "").split(",");
    boxes.forEach(function (box) {
      box.checked = initial.indexOf(box.value) >= 0;
      box.addEventListener("change", apply);
    });
    only.checked = params.get("only") === "1";
    only.addEventListener("change", apply);
    clear.addEventListener("click", function () {
      boxes.forEach(function (box) { box.checked = false; });
      only.checked = false;
      apply();
      summary.textContent = "Cleared: every row is shown.";
      boxes[0].focus();
    });
    apply();
  }

  window.guideNeeds = { init: init };
  window.guideOnEveryPage(init); // defined by guide.js, which loads this script
})();
