/* orbat posture panel: what a country holds, tallied by class and by system (Oryx style),
 * from /api/posture/{country}. Cells are text nodes only.
 *
 * Why tallies as ranges: the API's `quantity_min` is the largest single sighting (at least that
 * many at once) and `quantity_max` adds every sighting up (no more than that). A class total
 * adds both ends, so "at least 28, up to 41" never claims more precision than the sources gave.
 */
(function () {
  "use strict";

  var D = window.orbatDates;
  var view = { container: null, picker: null, body: null, onSystem: null, shown: null };

  function node(tag, text, attrs) {
    var n = document.createElement(tag);
    if (text !== null && text !== undefined) n.textContent = String(text);
    Object.keys(attrs || {}).forEach(function (k) {
      if (k === "className") n.className = attrs[k]; else n.setAttribute(k, attrs[k]);
    });
    return n;
  }

  function clear(n) { while (n.firstChild) n.removeChild(n.firstChild); }

  /** "12", "6–12", "at least 6", or "count not given". */
  function countText(low, high) {
    if (low === null || low === undefined) return high === null || high === undefined ? "count not given" : "up to " + high;
    if (high === null || high === undefined) return "at least " + low;
    return low === high ? String(low) : low + "–" + high;
  }

  function classLabel(id) {
    if (!id) return "unclassified";
    var text = String(id).replace(/[-_]+/g, " ");
    return text.charAt(0).toUpperCase() + text.slice(1);
  }

  /** Rows grouped by class, classes with the most systems first (then by name). */
  function byClass(rows) {
    var groups = {};
    rows.forEach(function (r) {
      var key = r.equipment_class || "";
      var g = groups[key] = groups[key] || { id: key, rows: [], low: 0, high: 0, unknown: 0 };
      g.rows.push(r);
      if (typeof r.quantity_min === "number") g.low += r.quantity_min; else g.unknown++;
      if (typeof r.quantity_max === "number") g.high += r.quantity_max;
      else if (typeof r.quantity_min === "number") g.high += r.quantity_min;
    });
    return Object.keys(groups).map(function (k) { return groups[k]; }).sort(function (a, b) {
      return b.rows.length - a.rows.length || classLabel(a.id).localeCompare(classLabel(b.id));
    });
  }

  function systemRow(row) {
    var tr = node("tr", null, { "data-system": row.equipment });
    var name = node("button", row.equipment, { type: "button", className: "entity-link posture-system",
      title: "show " + row.equipment + " in this country on the map" });
    name.addEventListener("click", function () { if (view.onSystem) view.onSystem(row.equipment); });
    var first = node("td");
    first.appendChild(name);
    tr.appendChild(first);
    tr.appendChild(node("td", countText(row.quantity_min, row.quantity_max), { "data-col": "count" }));
    tr.appendChild(node("td", row.certainty || "?", { "data-col": "certainty", className: "c-text-" + (row.certainty || "unknown") }));
    tr.appendChild(node("td", row.sources + (row.publishers && row.publishers.length ? ": " + row.publishers.slice(0, 3).join(", ") : ""),
      { "data-col": "sources" }));
    tr.appendChild(node("td", D.describeRange(row.first_seen, row.last_seen), { "data-col": "seen" }));
    tr.appendChild(node("td", (row.operators || []).join(", "), { "data-col": "operators" }));
    return tr;
  }

  function render(country, name, rows) {
    clear(view.body);
    view.body.setAttribute("data-country", country);
    view.body.appendChild(node("h2", (name || country) + ": equipment present"));
    if (!rows.length) {
      view.body.appendChild(node("p", "No equipment seen present in " + (name || country) + " for these dates.", { className: "hint" }));
      return;
    }
    var groups = byClass(rows);
    view.body.appendChild(node("p", rows.length + " system(s) in " + groups.length + " class(es). A count is at least the largest "
      + "single sighting and at most all sightings added up.", { className: "posture-summary" }));
    groups.forEach(function (g) {
      var section = node("section", null, { className: "posture-class", "data-class": g.id });
      section.appendChild(node("h3", classLabel(g.id) + " — " + g.rows.length + " system(s), "
        + (g.unknown === g.rows.length ? "no counts given"
          : countText(g.low, g.high) + (g.unknown ? " (" + g.unknown + " without a count)" : "")),
        { className: "posture-tally" }));
      var table = node("table", null, { className: "posture-table" });
      var head = node("tr");
      ["System", "Count", "Certainty", "Sources", "Seen", "Operators"].forEach(function (h) { head.appendChild(node("th", h, { scope: "col" })); });
      table.appendChild(head);
      g.rows.slice().sort(function (a, b) { return (b.quantity_max || 0) - (a.quantity_max || 0) || a.equipment.localeCompare(b.equipment); })
        .forEach(function (r) { table.appendChild(systemRow(r)); });
      section.appendChild(table);
      view.body.appendChild(section);
    });
  }

  /** Load and draw the posture of `country` (an ISO code) over the page's date filters. */
  function show(country, since, until) {
    view.shown = country || "";
    if (view.picker.value !== view.shown) view.picker.value = view.shown;
    clear(view.body);
    if (!country) {
      view.body.appendChild(node("p", "Choose a country to see what it holds, by class and system.", { className: "hint" }));
      return Promise.resolve();
    }
    view.body.appendChild(node("p", "Loading posture…", { className: "hint" }));
    var params = new URLSearchParams();
    if (since) params.set("since", since);
    if (until) params.set("until", until);
    var query = params.toString();
    var name = view.picker.selectedOptions.length ? view.picker.selectedOptions[0].textContent : country;
    return fetch("/api/posture/" + encodeURIComponent(country) + (query ? "?" + query : ""), { headers: { Accept: "application/json" } })
      .then(function (response) {
        return response.json().then(function (data) {
          if (!response.ok) throw new Error((data && data.detail && (data.detail.message || data.detail)) || response.statusText);
          return data;
        });
      }).then(function (data) {
        if (view.shown === country) render(country, name, (data && data.posture) || []);
      }).catch(function (err) {
        clear(view.body);
        view.body.appendChild(node("p", "Posture did not load: " + err.message, { className: "error" }));
      });
  }

  /** Country choices: the same as the filter's (names with codes). */
  function setCountries(options) {
    var keep = view.picker.value;
    clear(view.picker);
    view.picker.appendChild(node("option", "choose a country", { value: "" }));
    options.forEach(function (o) { if (o[0]) view.picker.appendChild(node("option", o[1], { value: o[0] })); });
    view.picker.value = keep;
  }

  function init(container, onSystem, onCountry) {
    view.container = container;
    view.onSystem = onSystem;
    var bar = node("div", null, { className: "table-bar" });
    var label = node("label", "Country ");
    view.picker = node("select", null, { id: "posture-country", "aria-label": "posture country" });
    view.picker.addEventListener("change", function () { onCountry(view.picker.value); });
    label.appendChild(view.picker);
    bar.appendChild(label);
    view.body = node("div", null, { id: "posture-body" });
    container.appendChild(bar);
    container.appendChild(view.body);
  }

  window.orbatPosture = { init: init, show: show, setCountries: setCountries, countText: countText };
})();
