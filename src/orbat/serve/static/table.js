/* orbat observations table: every loaded observation as a row, sortable and filterable, linked
 * to the map and the timeline. Cells are text nodes only (source text never becomes markup).
 */
(function () {
  "use strict";

  var CERTAINTY_ORDER = ["confirmed", "reported", "probable", "possible", "speculative", "denied"];
  var COLUMNS = [
    { key: "equipment", label: "System", value: function (o) { return o.equipment || o.event_group || ""; } },
    { key: "class", label: "Class", value: function (o) { return o.equipment_class || ""; } },
    { key: "count", label: "Count", numeric: true,
      value: function (o) { return o.quantity_max !== null && o.quantity_max !== undefined ? o.quantity_max : o.headline; },
      text: function (o) {
        var a = o.quantity_min, b = o.quantity_max;
        if (a === null || a === undefined) return b === null || b === undefined ? "" : String(b);
        return b === null || b === undefined || a === b ? String(a) : a + "–" + b;
      } },
    { key: "place", label: "Place", value: function (o) {
      return o.place || (o.country_name ? o.country_name + " (country)" : o.country || "");
    } },
    { key: "first", label: "First seen", value: function (o) { return o.first_seen || ""; } },
    { key: "last", label: "Last seen", value: function (o) { return o.last_seen || ""; } },
    { key: "certainty", label: "Certainty", value: function (o) { return o.certainty || ""; },
      rank: function (o) { var n = CERTAINTY_ORDER.indexOf(o.certainty); return n < 0 ? 99 : n; } },
    { key: "sources", label: "Sources", numeric: true, value: function (o) { return Number(o.sources) || 0; },
      text: function (o) { return (o.sources || 0) + ((o.publishers || []).length ? ": " + o.publishers.slice(0, 3).join(", ") : ""); } }
  ];

  var view = { rows: [], sort: "first", ascending: true, filter: "", selected: null, onSelect: null, body: null, summary: null };

  function cell(tag, text, attrs) {
    var node = document.createElement(tag);
    node.textContent = text;
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    return node;
  }

  function sortKey(column, o) {
    if (column.rank) return column.rank(o);
    var v = column.value(o);
    return v === null || v === undefined || v === "" ? (column.numeric ? -1 : "\uffff") : v;
  }

  function matches(o) {
    if (!view.filter) return true;
    var wanted = view.filter.toLowerCase();
    return COLUMNS.some(function (c) { return String(c.text ? c.text(o) : c.value(o)).toLowerCase().indexOf(wanted) >= 0; });
  }

  function render() {
    var column = COLUMNS.filter(function (c) { return c.key === view.sort; })[0];
    var rows = view.rows.filter(matches).sort(function (a, b) {
      var x = sortKey(column, a), y = sortKey(column, b);
      var order = x < y ? -1 : x > y ? 1 : 0;
      return view.ascending ? order : -order;
    });
    while (view.body.firstChild) view.body.removeChild(view.body.firstChild);
    rows.forEach(function (o) {
      var tr = document.createElement("tr");
      tr.setAttribute("data-id", o.id);
      tr.tabIndex = 0;
      if (o.id === view.selected) tr.className = "selected";
      if (o.located === "country") tr.classList.add("country-level");
      if (o.novelty) { tr.classList.add("novelty", "novelty-" + o.novelty); tr.title = o.novelty === "new" ? "new since your last visit" : "more evidence since your last visit"; }
      COLUMNS.forEach(function (c) { tr.appendChild(cell("td", String(c.text ? c.text(o) : c.value(o)), { "data-col": c.key })); });
      tr.addEventListener("click", function () { if (view.onSelect) view.onSelect(o.id); });
      tr.addEventListener("keydown", function (e) { if (e.key === "Enter" && view.onSelect) view.onSelect(o.id); });
      view.body.appendChild(tr);
    });
    view.summary.textContent = rows.length + " of " + view.rows.length + " loaded row(s)";
    document.querySelectorAll("#obs-table th").forEach(function (th) {
      var on = th.getAttribute("data-col") === view.sort;
      th.setAttribute("aria-sort", on ? (view.ascending ? "ascending" : "descending") : "none");
    });
  }

  function init(container, onSelect) {
    view.onSelect = onSelect;
    var search = cell("input", "", { type: "search", id: "table-filter", placeholder: "filter rows", "aria-label": "filter rows" });
    search.addEventListener("input", function () { view.filter = search.value.trim(); render(); });
    view.summary = cell("span", "", { id: "table-summary" });
    var table = cell("table", "", { id: "obs-table" });
    var head = document.createElement("tr");
    COLUMNS.forEach(function (c) {
      var th = cell("th", c.label, { "data-col": c.key, scope: "col", tabindex: "0", title: "sort by " + c.label.toLowerCase() });
      var sort = function () {
        view.ascending = view.sort === c.key ? !view.ascending : true;
        view.sort = c.key;
        render();
      };
      th.addEventListener("click", sort);
      th.addEventListener("keydown", function (e) { if (e.key === "Enter") sort(); });
      head.appendChild(th);
    });
    var thead = document.createElement("thead");
    thead.appendChild(head);
    view.body = document.createElement("tbody");
    table.appendChild(thead);
    table.appendChild(view.body);
    var bar = cell("div", "", { className: "table-bar" });
    bar.className = "table-bar";
    bar.appendChild(search);
    bar.appendChild(view.summary);
    container.appendChild(bar);
    container.appendChild(table);
  }

  function draw(observations) { view.rows = observations.slice(); render(); }

  function select(id) {
    view.selected = id;
    var rows = view.body ? view.body.querySelectorAll("tr") : [];
    Array.prototype.forEach.call(rows, function (tr) { tr.classList.toggle("selected", tr.getAttribute("data-id") === id); });
  }

  window.orbatTable = { init: init, draw: draw, select: select };
})();
