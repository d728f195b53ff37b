(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("report-data").textContent);
  var table = document.getElementById("entries");
  if (!table) { return; }
  var tbody = table.tBodies[0];
  var rows = Array.prototype.slice.call(tbody.rows);
  var filter = document.getElementById("filter");
  var agency = document.getElementById("filter-agency");
  var reason = document.getElementById("filter-reason");
  var shown = document.getElementById("shown");

  // Search text without diacritics, so "chu ky" finds "chữ ký" (đ is not decomposed by NFD).
  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/đ/g, "d").replace(/Đ/g, "D").toLowerCase();
  }
  var haystacks = rows.map(function (row) { return fold(row.textContent); });

  function apply() {
    var words = fold(filter.value).split(/\s+/).filter(Boolean);
    var wantAgency = agency.value;
    var wantReason = reason.value;
    var count = 0;
    rows.forEach(function (row, i) {
      var ok = words.every(function (w) { return haystacks[i].indexOf(w) !== -1; });
      if (ok && wantAgency) { ok = row.getAttribute("data-agency") === wantAgency; }
      if (ok && wantReason) { ok = row.getAttribute("data-reasons").split(" ").indexOf(wantReason) !== -1; }
      row.hidden = !ok;
      if (ok) { count += 1; }
    });
    shown.textContent = data.labels.rows_shown.replace("{shown}", String(count)).replace("{total}", String(rows.length));
  }
  filter.addEventListener("input", apply);
  agency.addEventListener("change", apply);
  reason.addEventListener("change", apply);

  function key(row, index, numeric) {
    var cell = row.cells[index];
    var value = cell.hasAttribute("data-sort") ? cell.getAttribute("data-sort") : cell.textContent.trim();
    if (numeric) { var n = parseFloat(value); return isNaN(n) ? -Infinity : n; }
    return value;
  }
  var collator = new Intl.Collator(data.lang === "vi" ? "vi" : "en", { numeric: true, sensitivity: "base" });
  var headers = Array.prototype.slice.call(table.tHead.rows[0].cells);
  headers.forEach(function (th, index) {
    var button = th.querySelector("button");
    if (!button) { return; }
    button.addEventListener("click", function () {
      var ascending = th.getAttribute("aria-sort") !== "ascending";
      var numeric = th.getAttribute("data-type") === "number";
      headers.forEach(function (h) { h.removeAttribute("aria-sort"); });
      th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
      var order = rows.map(function (row, i) { return { row: row, i: i, k: key(row, index, numeric) }; });
      order.sort(function (a, b) {
        var c = numeric ? (a.k - b.k) : collator.compare(a.k, b.k);
        if (c === 0) { c = a.i - b.i; return c; }
        return ascending ? c : -c;
      });
      order.forEach(function (o) { tbody.appendChild(o.row); });
    });
  });
}());
