// filingkit HTML reports: sortable tables and filters. No network, no eval, no HTML
// built from data: rows are rendered (and escaped) by Python; this only reorders
// and hides them.
(function () {
  "use strict";
  function cellValue(row, i) {
    var cell = row.cells[i];
    if (!cell) { return ""; }
    var v = cell.getAttribute("data-v");
    return v === null ? cell.textContent.trim() : v;
  }
  function compare(a, b) {
    var x = parseFloat(a), y = parseFloat(b);
    var xn = a !== "" && !isNaN(x), yn = b !== "" && !isNaN(y);
    if (xn && yn) { return x - y; }
    if (xn !== yn) { return xn ? -1 : 1; }
    return a.localeCompare(b);
  }
  function makeSortable(table) {
    var heads = table.tHead ? table.tHead.rows[0].cells : [];
    Array.prototype.forEach.call(heads, function (th, i) {
      th.setAttribute("tabindex", "0");
      th.title = "sort by " + th.textContent.trim();
      function sort() {
        var asc = th.getAttribute("aria-sort") !== "ascending";
        Array.prototype.forEach.call(heads, function (h) { h.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", asc ? "ascending" : "descending");
        Array.prototype.forEach.call(table.tBodies, function (body) {
          var rows = Array.prototype.slice.call(body.rows);
          rows.sort(function (r1, r2) {
            var c = compare(cellValue(r1, i), cellValue(r2, i));
            return asc ? c : -c;
          });
          rows.forEach(function (r) { body.appendChild(r); });
        });
      }
      th.addEventListener("click", sort);
      th.addEventListener("keydown", function (ev) {
        if (ev.key === "Enter" || ev.key === " ") { ev.preventDefault(); sort(); }
      });
    });
  }
  function applyFilters(id) {
    var table = document.getElementById(id);
    if (!table) { return; }
    var controls = document.querySelectorAll("[data-filter-table='" + id + "']");
    var shown = 0, total = 0;
    Array.prototype.forEach.call(table.tBodies, function (body) {
      Array.prototype.forEach.call(body.rows, function (row) {
        var ok = true;
        Array.prototype.forEach.call(controls, function (c) {
          var key = c.getAttribute("data-filter-key"), want = c.value;
          if (!want) { return; }
          if (key === "text") {
            ok = ok && row.textContent.toLowerCase().indexOf(want.toLowerCase()) >= 0;
          } else {
            ok = ok && row.getAttribute("data-" + key) === want;
          }
        });
        row.classList.toggle("hidden", !ok);
        total += 1;
        if (ok) { shown += 1; }
      });
    });
    var count = document.querySelector("[data-count-for='" + id + "']");
    if (count) { count.textContent = shown + " of " + total; }
  }
  document.querySelectorAll("table.sortable").forEach(makeSortable);
  var ids = {};
  document.querySelectorAll("[data-filter-table]").forEach(function (c) {
    var id = c.getAttribute("data-filter-table");
    ids[id] = true;
    c.addEventListener(c.tagName === "INPUT" ? "input" : "change", function () {
      applyFilters(id);
    });
  });
  // A click on a chart mark filters the error browser to that field.
  document.querySelectorAll("svg [data-field]").forEach(function (m) {
    m.addEventListener("click", function () {
      var sel = document.querySelector("select[data-filter-key='field']");
      if (!sel) { return; }
      sel.value = m.getAttribute("data-field");
      applyFilters(sel.getAttribute("data-filter-table"));
      var target = document.getElementById("errors");
      if (target) { target.scrollIntoView(); }
    });
  });
  Object.keys(ids).forEach(applyFilters);
})();
