/* orbat web page: offline map, timeline, evidence and review.
 *
 * Rules kept throughout (see RELIABILITY.md rows 13, 36, 37, 40):
 *  - nothing from a source or the API ever becomes markup: every string goes in through
 *    textContent / createTextNode, never innerHTML; map popups, timeline items and the evidence
 *    panel are DOM nodes built here;
 *  - every request goes to this page's own origin (/api/..., /vendor/...);
 *  - only http(s) source addresses become links;
 *  - the analyst's token lives in sessionStorage and only travels in the Authorization header.
 */
(function () {
  "use strict";

  var CERTAINTY_ORDER = ["confirmed", "reported", "probable", "possible", "speculative", "denied"];
  var WEAK = { possible: true, speculative: true, denied: true };
  var TOKEN_KEY = "orbat.token";

  var FILTERS = ["country", "actor", "equipment", "class", "certainty", "since", "until", "q"];
  var PAGE = 500;
  var SPREAD_PX = 26;  // how far apart symbols at one place are spread, in screen pixels
  var HEAD_PX = 12;    // arrowhead length in screen pixels, at every zoom
  var D = window.orbatDates, G = window.orbatGeo, V = window.orbatVisits;
  var NOVELTY_TEXT = { "new": "new since your last visit", updated: "more evidence since your last visit" };

  var state = { observations: [], byId: {}, markers: {}, selected: null, docs: {}, places: {}, routes: [], total: 0, rejected: {} };
  var map, markerLayer, routeLayer, installationLayer, timeline, items, outlines;

  // ---------------------------------------------------------------- DOM helpers (text only)
  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    if (attrs) {
      Object.keys(attrs).forEach(function (key) {
        var value = attrs[key];
        if (value === undefined || value === null) return;
        if (key === "text") node.textContent = String(value);
        else if (key === "className") node.className = value;
        else if (key.slice(0, 2) === "on") node.addEventListener(key.slice(2), value);
        else node.setAttribute(key, String(value));
      });
    }
    (children || []).forEach(function (child) {
      if (child === null || child === undefined || child === "") return;
      node.appendChild(typeof child === "string" || typeof child === "number"
        ? document.createTextNode(String(child)) : child);
    });
    return node;
  }

  function clear(node) { while (node.firstChild) node.removeChild(node.firstChild); }

  /** One status line: in words, with a Retry button after a failure and a button to dismiss it. */
  function message(text, kind, retry) {
    var box = document.getElementById("message");
    clear(box);
    box.className = text ? kind || "" : "";
    if (!text) return;
    box.appendChild(el("span", { className: "message-text", text: text }));
    if (retry) box.appendChild(el("button", { type: "button", className: "retry", text: "Retry", onclick: function () { message(""); retry(); } }));
    box.appendChild(el("button", { type: "button", className: "dismiss", "aria-label": "dismiss", text: "×", onclick: function () { message(""); } }));
  }

  /** A link only for http(s) addresses; anything else (javascript:, data:, relative) is plain text. */
  function sourceLink(url, label) {
    var parsed = null;
    try { parsed = new URL(String(url)); } catch (e) { parsed = null; }
    if (parsed && (parsed.protocol === "http:" || parsed.protocol === "https:")) {
      return el("a", { href: parsed.href, target: "_blank", rel: "noopener noreferrer", text: label || parsed.href });
    }
    var shown = label && url && label !== url ? label + " (" + url + ")" : label || url || "";
    return el("span", { className: "unlinked-url", text: String(shown) });
  }

  function fmtRange(a, b) {
    if (a === null || a === undefined) return b === null || b === undefined ? "" : String(b);
    if (b === null || b === undefined || a === b) return String(a);
    return a + "–" + b;
  }

  function facts(pairs) {
    var dl = el("dl", { className: "facts" });
    pairs.forEach(function (pair) {
      var value = pair[1];
      if (value === null || value === undefined || value === "" || (Array.isArray(value) && !value.length)) return;
      dl.appendChild(el("dt", { text: pair[0] }));
      var dd = el("dd");
      if (value instanceof Node) dd.appendChild(value);
      else dd.textContent = Array.isArray(value) ? value.join(", ") : String(value);
      dl.appendChild(dd);
    });
    return dl;
  }

  // ---------------------------------------------------------------- API
  function api(path, options) {
    return answer(fetch(path, options || { headers: { Accept: "application/json" } }));
  }

  /** The JSON of a response (a promise of one), or an error that says in words why there is none. */
  function answer(pending) {
    return pending.then(function (response) {
      return response.text().then(function (body) {
        var data = null;
        try { data = body ? JSON.parse(body) : null; } catch (e) { data = null; }
        if (!response.ok) {
          var err = new Error(describeError(response, data));
          err.status = response.status;
          throw err;
        }
        return data;
      });
    });
  }

  /** An API refusal in words: the server's message, and the values it would accept. */
  function describeError(response, data) {
    var detail = data && (data.detail || data.error || data.message);
    if (detail && typeof detail === "object" && !Array.isArray(detail) && detail.message) {
      var allowed = Array.isArray(detail.allowed) && detail.allowed.length
        ? " Allowed: " + detail.allowed.slice(0, 20).join(", ") + (detail.allowed.length > 20 ? ", …" : "") + "." : "";
      return detail.message + "." + allowed;
    }
    if (Array.isArray(detail)) {
      return detail.map(function (d) { return (d.loc || []).slice(-1).join("") + ": " + (d.msg || ""); }).join("; ");
    }
    if (response.status === 401) return "Not signed in: the token was refused.";
    if (response.status === 403) return "Not allowed with this token.";
    if (response.status === 404) return "Not found" + (detail ? ": " + detail : ".");
    return typeof detail === "string" && detail ? detail : "The server answered " + response.status + " " + response.statusText + ".";
  }

  function filterParams() {
    var form = document.getElementById("filters");
    var params = new URLSearchParams();
    FILTERS.forEach(function (name) {
      var value = form.elements[name].value.trim();
      if (value) params.set(name, value);
    });
    return params;
  }

  function filterQuery(extra) {
    var params = filterParams();
    Object.keys(extra || {}).forEach(function (key) { params.set(key, extra[key]); });
    var text = params.toString();
    return text ? "?" + text : "";
  }

  /** Filters live in the address, so a view can be shared, bookmarked and reloaded. */
  function saveFiltersInUrl() {
    var text = filterParams().toString();
    history.replaceState(null, "", location.pathname + (text ? "?" + text : ""));
    ["csv", "geojson", "kml"].forEach(function (fmt) {
      document.getElementById("export-" + fmt).setAttribute("href", "/api/export/" + fmt + (text ? "?" + text : ""));
    });
  }

  function filtersFromUrl() {
    var params = new URLSearchParams(location.search), form = document.getElementById("filters");
    FILTERS.forEach(function (name) {
      var value = params.get(name);
      if (value === null) return;
      var field = form.elements[name];
      if (field.tagName === "SELECT" && !Array.prototype.some.call(field.options, function (o) { return o.value === value; })) {
        field.appendChild(el("option", { value: value, text: value }));
      }
      field.value = value;
    });
  }

  // ---------------------------------------------------------------- symbols (milsymbol)
  var FUNCTION_BY_CLASS = {
    "main-battle-tank": "GUCA--", "light-tank": "GUCA--", "armoured-vehicle": "GUCA--",
    "infantry-fighting-vehicle": "GUCII-", "armoured-personnel-carrier": "GUCII-", "mrap": "GUCII-",
    "infantry-mobility-vehicle": "GUCII-", "utility-vehicle": "GUCII-", "small-arms": "GUCI--",
    "anti-tank-weapon": "GUCAA-", "reconnaissance-vehicle": "GUCR--",
    "self-propelled-artillery": "GUCF--", "towed-artillery": "GUCF--", "mortar": "GUCFM-",
    "multiple-rocket-launcher": "GUCFR-", "ballistic-missile": "GUCFR-", "missile": "GUCFR-",
    "cruise-missile": "GUCFR-", "air-defence-system": "GUCD--", "radar": "GUCD--",
    "electronic-warfare-system": "GUUE--", "engineering-vehicle": "GUCE--", "truck": "GUSS--",
    "fighter-aircraft": "AMFF--", "attack-aircraft": "AMFA--", "bomber": "AMFB--", "trainer-aircraft": "AMF---",
    "transport-aircraft": "AMFC--", "patrol-aircraft": "AMFP--", "helicopter": "AMH---",
    "attack-helicopter": "AMHA--", "drone": "AMFQ--", "combat-drone": "AMFQ--", "loitering-munition": "AMFQ--",
    "guided-bomb": "AW----", "warship": "SCL---", "patrol-boat": "SCP---", "landing-ship": "SCA---",
    "submarine": "US----"
  };
  var GENERIC_SIDC = "SUGP-----------";

  /** A 15-character SIDC (2525C letter form): unknown affiliation; anticipated (dashed frame) when weak. */
  function sidcFor(obs) {
    if (obs.sidc) return String(obs.sidc);
    var key = String(obs.equipment_class || "").toLowerCase().replace(/[\s_]+/g, "-");
    var code = FUNCTION_BY_CLASS[key] || "GU----";
    var dimension = code.charAt(0), fn = code.slice(1);
    var status = WEAK[obs.certainty] ? "A" : "P";
    return ("SU" + dimension + status + fn + "-----").slice(0, 15);
  }

  var PALETTE = ["#80b1d3", "#fb8072", "#b3de69", "#bc80bd", "#fdb462", "#8dd3c7", "#fccde5", "#bebada"];
  var NO_OPERATOR = "#ffff80", OTHER_OPERATOR = "#d9d9d9";  // colourOf gives every symbol one of these

  /** Fill colours by operator: the most frequent operators get their own, the rest share grey. */
  function operatorColours(observations) {
    var counts = {};
    observations.forEach(function (o) { var who = (o.operators || [])[0]; if (who) counts[who] = (counts[who] || 0) + 1; });
    var ranked = Object.keys(counts).sort(function (a, b) { return counts[b] - counts[a] || a.localeCompare(b); });
    var colours = {};
    ranked.slice(0, PALETTE.length).forEach(function (who, i) { colours[who] = PALETTE[i]; });
    state.colours = colours;
    var legend = document.getElementById("legend-operators");
    clear(legend);
    ranked.slice(0, PALETTE.length).forEach(function (who) {
      var swatch = el("span", { className: "swatch" });
      swatch.style.background = colours[who];
      legend.appendChild(el("li", {}, [swatch, who]));
    });
    if (ranked.length > PALETTE.length) {
      var other = el("span", { className: "swatch" }); other.style.background = OTHER_OPERATOR;
      legend.appendChild(el("li", {}, [other, "other operators"]));
    }
    var none = el("span", { className: "swatch" }); none.style.background = NO_OPERATOR;
    legend.appendChild(el("li", {}, [none, "no operator named"]));
  }

  function colourOf(obs) {
    var who = (obs.operators || [])[0];
    return !who ? NO_OPERATOR : (state.colours || {})[who] || OTHER_OPERATOR;
  }

  /** Rendered symbols by SIDC, each drawn once at RENDER_SIZE and scaled to the size a marker
   * needs (an SVG scales without loss; milsymbol's strokes and anchor scale with it), and drawn
   * with a placeholder fill that each operator's colour replaces in the SVG text. Why: milsymbol
   * builds its table of icon parts once per fill colour, and a symbol per size and colour gave
   * the browser one more SVG image to load and rasterise; together they were most of the time
   * before the first symbols appeared. The SVG text is the one milsymbol draws with that colour. */
  var RENDER_SIZE = 48, PLACEHOLDER_FILL = "#010203";
  var renderedSymbols = {}, symbolUrls = {};

  function renderSymbol(sidc, label, fill) {
    var rendered = renderedSymbols[sidc];
    if (!rendered) {
      var options = { size: RENDER_SIZE, fillColor: PLACEHOLDER_FILL };
      var symbol = new ms.Symbol(sidc, options);
      if (!symbol.isValid()) {
        console.warn("orbat: invalid SIDC " + JSON.stringify(sidc) + " for " + label + "; using a generic symbol");
        symbol = new ms.Symbol(GENERIC_SIDC, options);
      }
      var anchor = symbol.getAnchor(), box = symbol.getSize();
      rendered = renderedSymbols[sidc] = { svg: symbol.asSVG().split(PLACEHOLDER_FILL), width: box.width,
        height: box.height, x: anchor.x, y: anchor.y };
    }
    fill = fill || OTHER_OPERATOR;
    var key = sidc + "|" + fill;
    if (!symbolUrls[key]) symbolUrls[key] = "data:image/svg+xml;utf8," + encodeURIComponent(rendered.svg.join(fill));
    return { url: symbolUrls[key], width: rendered.width, height: rendered.height, x: rendered.x, y: rendered.y };
  }

  /** The icon of a symbol at `size` (milsymbol's size: the frame's height), moved by `offset`
   * screen pixels (symbols spread around one place). */
  function symbolIcon(sidc, size, label, fill, offset, className) {
    var rendered = renderSymbol(sidc, label, fill), scale = size / RENDER_SIZE;
    var x = rendered.x * scale, y = rendered.y * scale;
    return L.icon({
      iconUrl: rendered.url,
      iconSize: [rendered.width * scale, rendered.height * scale],
      iconAnchor: [x - offset[0], y - offset[1]],
      popupAnchor: [offset[0], offset[1] - y],
      className: className
    });
  }

  function iconSize(obs) {
    var sources = Math.max(1, Number(obs.sources) || 1);
    return Math.min(18 + 5 * sources, 48);
  }

  /** A named moment of the page's start-up (User Timing), read by bench/api_speed.py; the first of each name only. */
  function mark(name) {
    if (window.performance && performance.mark && !performance.getEntriesByName(name).length) performance.mark(name);
  }

  // ---------------------------------------------------------------- map
  function initMap() {
    map = L.map("map", { zoomControl: true, worldCopyJump: true, attributionControl: false,
      minZoom: 2, maxZoom: 12 }).setView([15, 10], 3);
    L.control.scale({ imperial: false, position: "topright" }).addTo(map);
    routeLayer = L.layerGroup().addTo(map);
    installationLayer = L.layerGroup().addTo(map);
    markerLayer = L.layerGroup().addTo(map);
    map.on("zoomend", function () { drawRoutes(state.routes); });
  }

  /** The country outlines, asked for once the first symbols are drawn: on a slow link their ~200 kB
   * would otherwise share the line with the observations. The address carries a content hash. */
  function ensureOutlines() {
    if (outlines) return outlines;
    var atlas = document.querySelector("meta[name=orbat-atlas]");
    outlines = api(atlas ? atlas.getAttribute("content") : "/vendor/world-atlas/countries-50m.json").then(function (topology) {
      var countries = topojson.feature(topology, topology.objects.countries);
      countries.features.forEach(function (f) { f.geometry = G.unwrapGeometry(f.geometry); });
      state.outlineLayer = L.geoJSON(countries, {
        interactive: false,
        style: { color: "#8796a8", weight: 0.7, fillColor: "#f3f1ea", fillOpacity: 1 }
      }).addTo(map).bringToBack();
    }).catch(function (err) { message("Country outlines did not load: " + err.message, "error"); });
    return outlines;
  }

  /** Resolves after the browser has had a chance to paint (a frame, or 50 ms in a hidden tab). */
  function afterPaint() {
    return new Promise(function (resolve) {
      var done = false, finish = function () { if (!done) { done = true; resolve(); } };
      requestAnimationFrame(function () { setTimeout(finish, 0); });
      setTimeout(finish, 50);
    });
  }

  /** Remember where named places are, from every located observation seen so far. */
  function learnPlaces(observations) {
    observations.forEach(function (o) {
      if (o.place && typeof o.lat === "number" && typeof o.lon === "number") {
        state.places[String(o.place).toLowerCase()] = [o.lat, o.lon];
      }
    });
  }

  function locate(name) {
    if (typeof name !== "string" || !name) return null;
    return state.places[name.toLowerCase()] || null;
  }

  function countText(obs) {
    if (obs.headline) return String(obs.headline);
    return fmtRange(obs.quantity_min, obs.quantity_max) || "count not given";
  }

  /** Where a symbol goes: the place sources named, else the country's representative point. */
  function anchorOf(obs) {
    if (typeof obs.lat === "number" && typeof obs.lon === "number") return { latlng: [obs.lat, obs.lon], level: "place" };
    if (typeof obs.country_lat === "number" && typeof obs.country_lon === "number") {
      return { latlng: [obs.country_lat, obs.country_lon], level: "country" };
    }
    return null;
  }

  function whereText(obs, level) {
    if (level === "country") return (obs.country_name || obs.country || "?") + " (country only: no place named)";
    return obs.place || obs.country_name || obs.country || "";
  }

  /** The hover label: designation, count, certainty, where and when. */
  function hoverText(obs, level) {
    return [(obs.equipment || obs.event_group || "unknown system"), "count: " + countText(obs),
      (obs.operators || []).length ? "operator: " + obs.operators.join(", ") : "",
      "certainty: " + (obs.certainty || "?"), whereText(obs, level), D.describeRange(obs.first_seen, obs.last_seen),
      NOVELTY_TEXT[obs.novelty] || ""]
      .filter(Boolean).join(" · ");
  }

  function popupFor(obs, level) {
    return el("div", { className: "popup" }, [
      el("h4", { text: (obs.equipment || obs.event_group || "unknown system") + " — " + whereText(obs, level) }),
      el("p", { text: [obs.event_group, "certainty: " + (obs.certainty || "?"), D.describeRange(obs.first_seen, obs.last_seen)]
        .filter(Boolean).join(" · ") }),
      el("p", { className: "headline", text: "count: " + countText(obs) }),
      el("p", { text: (obs.sources || 0) + " source(s)" }),
      el("button", { type: "button", text: "Evidence", onclick: function () { select(obs.id, "popup"); } })
    ]);
  }

  /** Screen offset of the i-th of n symbols at one point: a sunflower spiral, so none hides another. */
  function spread(i, n) {
    if (n < 2) return [0, 0];
    var radius = SPREAD_PX * Math.sqrt(i + 0.6), angle = i * 2.39996;
    return [Math.round(radius * Math.cos(angle)), Math.round(radius * Math.sin(angle))];
  }

  function drawMarker(obs, anchor, offset) {
    var className = "symbol obs-marker" + (anchor.level === "country" ? " country-level" : "") +
      (obs.novelty ? " novelty novelty-" + obs.novelty : "");
    var icon = symbolIcon(sidcFor(obs), iconSize(obs), obs.equipment || obs.id, colourOf(obs), offset, className);
    var marker = L.marker(anchor.latlng, { icon: icon, opacity: WEAK[obs.certainty] ? 0.55 : 1, title: "", keyboard: true });
    marker.orbatId = obs.id;
    marker.bindPopup(function () { return popupFor(obs, anchor.level); });
    // built when first shown: 500 labels made up front cost more than the symbols themselves
    marker.bindTooltip(function () { return el("span", { className: "hover-label", text: hoverText(obs, anchor.level) }); },
      { direction: "top", offset: icon.options.popupAnchor });
    marker.on("click", function () { select(obs.id, "map"); });
    marker.addTo(markerLayer);
    var element = marker.getElement();
    if (element) {
      element.setAttribute("data-id", obs.id);
      element.setAttribute("data-certainty", obs.certainty || "");
      element.setAttribute("data-located", anchor.level);
      element.setAttribute("aria-label", hoverText(obs, anchor.level));
    }
    state.markers[obs.id] = marker;
  }

  function drawMarkers() {
    markerLayer.clearLayers();
    installationLayer.clearLayers();
    state.markers = {};
    var groups = {}, counts = { place: 0, country: 0, none: 0 };
    operatorColours(state.observations);
    var brushed = 0;
    shownObservations().forEach(function (obs) {
      if (!inBrush(obs)) { brushed++; return; }
      var anchor = anchorOf(obs);
      if (!anchor) { counts.none++; return; }
      counts[anchor.level]++;
      var key = anchor.latlng[0].toFixed(3) + "," + anchor.latlng[1].toFixed(3);
      (groups[key] = groups[key] || []).push({ obs: obs, anchor: anchor });
    });
    Object.keys(groups).forEach(function (key) {
      var group = groups[key];
      if (group.length > 1) {
        var hub = L.circleMarker(group[0].anchor.latlng, { radius: 4, color: "#3d4c5e", weight: 1, fillOpacity: 0.8 });
        hub.bindTooltip(el("span", { text: group.length + " observations here: hover a symbol for each" }));
        hub.addTo(installationLayer);
      }
      group.forEach(function (entry, i) { drawMarker(entry.obs, entry.anchor, spread(i, group.length)); });
    });
    state.counts = counts;
    state.brushed = brushed;
    showCount();
  }

  /** Whether an observation's period overlaps the timeline window the map is brushed to (always, unbrushed). */
  function inBrush(obs) {
    if (!state.brush) return true;
    var period = D.span(obs.first_seen, obs.last_seen);
    return !!period && period.start.getTime() < state.brush.end && period.end.getTime() > state.brush.start;
  }

  /** Brushing: while on, the map shows only what overlaps the window the user pans or zooms the timeline to. */
  function setBrush(on) {
    if (on && !timeline) return;
    if (on) {
      var w = timeline.getWindow();
      state.brush = { start: timeOf(w.start), end: timeOf(w.end) };
    } else state.brush = null;
    drawMarkers();
    drawRoutes(state.routes);
  }

  function brushLine() {
    var box = el("input", { type: "checkbox", id: "brush" });
    box.checked = !!state.brush;
    box.disabled = !timeline;  // until the timeline has loaded there is no window to follow
    box.addEventListener("change", function () { setBrush(box.checked); });
    var text = state.brush ? " Map shows only the timeline's window, " + isoDay(state.brush.start) + " – " + isoDay(state.brush.end)
      + " (" + (state.brushed || 0) + " outside it or undated hidden)" : " Map follows the timeline's window";
    return el("label", { className: "brush-line" }, [box, text]);
  }

  function isoDay(ms) { return new Date(ms).toISOString().slice(0, 10); }

  /** What the map, the timeline and the table draw: the loaded observations, or only the new ones. */
  function shownObservations() {
    return state.newOnly ? state.observations.filter(function (o) { return o.novelty; }) : state.observations;
  }

  function redraw() {
    drawMarkers();
    drawTimeline();
    if (window.orbatTable) window.orbatTable.draw(shownObservations());
  }

  /** "3 new, 1 with more evidence since your last visit", with a switch to show only those. */
  function noveltyLine() {
    var since = V.previous();
    if (!since) return el("span", { className: "novelty-line", text: "First visit in this browser: later visits mark what is new." });
    var fresh = 0, updated = 0;
    state.observations.forEach(function (o) { if (o.novelty === "new") fresh++; else if (o.novelty === "updated") updated++; });
    var box = el("input", { type: "checkbox", id: "new-only" });
    box.checked = !!state.newOnly;
    box.disabled = !fresh && !updated && !state.newOnly;
    box.addEventListener("change", function () { state.newOnly = box.checked; redraw(); });
    return el("label", { className: "novelty-line" }, [box, " " + fresh + " new, " + updated + " with more evidence since your last visit ("
      + when(since) + ")" + (state.newOnly ? ": only these are drawn" : "")]);
  }

  /** "N of M": what is drawn, what is at country level, and what the filters match in all. */
  function showCount() {
    var box = document.getElementById("count"), counts = state.counts || { place: 0, country: 0, none: 0 };
    clear(box);
    var shown = state.observations.length;
    box.appendChild(el("span", { className: "of-total", text: "Showing " + shown + " of " + state.total + " observation(s)" }));
    box.appendChild(el("span", { text: counts.place + " at a place, " + counts.country + " at country level (dashed ring)"
      + (counts.none ? ", " + counts.none + " with no location" : "") }));
    box.appendChild(noveltyLine());
    box.appendChild(brushLine());
    if (state.routesTotal > state.routes.length) {
      box.appendChild(el("span", { className: "routes-cut", text: "Routes: " + state.routes.length + " of " + state.routesTotal
        + " drawn; narrow the filters to see the rest" }));
    }
    if (shown < state.total) {
      box.appendChild(el("button", { type: "button", id: "load-more", text: "Load " + Math.min(PAGE, state.total - shown) + " more",
        onclick: function () { load(false, shown); } }));
    }
  }

  function pointOf(value) {
    if (!value) return null;
    if (Array.isArray(value) && value.length >= 2 && typeof value[0] === "number") return [value[0], value[1]];
    if (typeof value.lat === "number" && typeof value.lon === "number") return [value.lat, value.lon];
    return null;
  }

  /** Origin → transit → destination, each stop at the point the API gave (else a place seen on the map). */
  function routePoints(route) {
    var points = (route.stops || []).map(function (stop) { return pointOf(stop.point) || locate(stop.name); });
    var obs = state.byId[route.observation_id], anchor = obs && anchorOf(obs);
    points.push(pointOf(route.destination_point) || (anchor && anchor.latlng) || locate(route.destination));
    return points.filter(Boolean).filter(function (p, i, all) {
      return i === 0 || p[0] !== all[i - 1][0] || p[1] !== all[i - 1][1];
    });
  }

  function routeStyle(certainty) {
    if (certainty === "confirmed") return { color: "#b5462b", weight: 2.5, opacity: 0.95, dashArray: null };
    if (certainty === "reported") return { color: "#b5462b", weight: 2, opacity: 0.85, dashArray: null };
    if (certainty === "denied") return { color: "#7a7f87", weight: 1.5, opacity: 0.7, dashArray: "2 5" };
    return { color: "#b5462b", weight: 2, opacity: 0.6, dashArray: "6 5" };
  }

  /** A route as lines cut at the 180° line, with an arrowhead a fixed number of pixels long. */
  function arrow(points, certainty, label) {
    var group = L.layerGroup(), style = routeStyle(certainty);
    var lines = G.splitAtAntimeridian(points);
    lines.forEach(function (line) {
      L.polyline(line, Object.assign({ className: "route-line route-" + (certainty || "unknown") }, style)).addTo(group);
    });
    var last = lines[lines.length - 1];
    var head = last && G.arrowHead(map, last[last.length - 2], last[last.length - 1], HEAD_PX);
    if (head) {
      L.polygon(head, { className: "arrowhead", color: style.color, weight: 1, fillOpacity: style.opacity,
        opacity: style.opacity }).addTo(group);
    }
    group.eachLayer(function (layer) { layer.bindTooltip(el("span", { text: label }), { sticky: true }); });
    return group;
  }

  function drawRoutes(routes) {
    routeLayer.clearLayers();
    (routes || []).forEach(function (route) {
      var obs = state.byId[route.observation_id];
      if (state.brush && obs && !inBrush(obs)) return;
      var points = routePoints(route);
      if (points.length < 2) return;
      var names = [].concat(route.origins || [], route.transit || [], [route.destination || route.country || ""])
        .filter(function (n) { return typeof n === "string" && n; });
      var label = (route.equipment ? route.equipment + ": " : "") + names.join(" → ") + " · certainty: " + (route.certainty || "?");
      arrow(points, route.certainty, label).addTo(routeLayer);
    });
  }

  // ---------------------------------------------------------------- timeline (vis-timeline)
  /** vis-timeline (~150 kB compressed) is asked for once the first symbols are drawn, so on a slow
   * link it does not share the line with the map's scripts and the observations. Resolves to
   * whether the timeline is there; the map, the table and the evidence work without it. */
  var timelineReady = null;

  function ensureTimeline() {
    if (timelineReady) return timelineReady;
    timelineReady = new Promise(function (resolve) {
      if (window.vis) { resolve(); return; }
      var meta = document.querySelector("meta[name=orbat-timeline]");
      var script = document.createElement("script");
      script.src = meta ? meta.getAttribute("content") : "/vendor/vis-timeline/standalone/umd/vis-timeline-graph2d.min.js";
      script.onload = function () { resolve(); };
      script.onerror = function () { resolve(); };
      document.body.appendChild(script);
    }).then(function () {
      if (!window.vis) {
        timelineReady = null;  // the next load tries again
        document.getElementById("timeline").textContent = "The timeline did not load (it is asked for again with the next filter); the map and the table still work.";
        return false;
      }
      if (!timeline) initTimeline();
      return true;
    });
    return timelineReady;
  }

  function initTimeline() {
    clear(document.getElementById("timeline"));
    items = new vis.DataSet();
    timeline = new vis.Timeline(document.getElementById("timeline"), items, {
      height: "100%", stack: true, verticalScroll: true, zoomKey: "ctrlKey", selectable: true, multiselect: false,
      margin: { item: 4 }, orientation: "top", showTooltips: false
    });
    timeline.on("rangechanged", function (props) {
      if (!props.byUser || !state.brush) return;
      state.brush = { start: timeOf(props.start), end: timeOf(props.end) };
      drawMarkers();
      drawRoutes(state.routes);
    });
    timeline.on("select", function (props) {
      if (props.items && props.items.length) select(props.items[0], "timeline");
    });
  }

  function timelineContent(obs) {
    // vis-timeline puts an Element in as-is: built here from text nodes only; the tooltip is a title attribute.
    return el("span", { className: "tl-item", "data-id": obs.id, title: hoverText(obs, anchorOf(obs) ? anchorOf(obs).level : "") },
      [(obs.equipment || obs.event_group || "?") + (obs.place ? " @ " + obs.place : "") + (obs.headline ? " (" + obs.headline + ")" : "")]);
  }

  function timeOf(value) { return value instanceof Date ? value.getTime() : new Date(value).getTime(); }

  /** Bring an item into view: a window of a few months around it, not a zoom to the millisecond. */
  function showInTimeline(id) {
    var item = items && items.get(id);
    if (!item) return;
    var start = timeOf(item.start), end = item.end ? timeOf(item.end) : start;
    var pad = Math.max(60 * 86400000, (end - start) * 0.3);
    timeline.setWindow(start - pad, end + pad, { animation: false });
  }

  /** Each dated observation over the period its dates cover: "2019" is a year-long bar, not a 1970 dot. */
  function drawTimeline() {
    if (!timeline) return;
    var rows = [];
    shownObservations().forEach(function (obs) {
      var period = D.span(obs.first_seen, obs.last_seen);
      if (!period) return;
      var exact = period.precision === "day" && period.endPrecision === "day";
      var row = { id: obs.id, content: timelineContent(obs), start: period.start,
        className: (WEAK[obs.certainty] ? "speculative" : "") + (exact ? "" : " partial-date") + (obs.novelty ? " novelty" : "") };
      // Short exact spans as boxes: a box is as wide as its label, so stacked labels never overlap.
      if (exact && period.end - period.start <= 45 * 86400000) row.type = "box";
      else { row.end = period.end; row.type = "range"; }
      rows.push(row);
    });
    items.clear();
    items.add(rows);
    if (rows.length) timeline.fit({ animation: false });
  }

  // ---------------------------------------------------------------- filters
  function fillSelect(id, choices) {
    var select = document.getElementById(id), keep = select.value;
    var known = {};
    Array.prototype.forEach.call(select.options, function (o) { if (o.value) known[o.value] = o.textContent; });
    choices.forEach(function (c) { known[c[0]] = c[1]; });
    clear(select);
    select.appendChild(el("option", { value: "", text: "all" }));
    Object.keys(known).sort(function (a, b) { return known[a].localeCompare(known[b]); }).forEach(function (v) {
      select.appendChild(el("option", { value: v, text: known[v] }));
    });
    select.value = known[keep] !== undefined ? keep : "";
  }

  /** Autocomplete for free-text filters: every name seen so far (option values are attributes, never markup). */
  function suggest(id, lists) {
    var box = document.getElementById(id), known = {};
    Array.prototype.forEach.call(box.options, function (o) { known[o.value] = true; });
    lists.forEach(function (names) {
      names.forEach(function (name) {
        if (typeof name === "string" && name && !known[name]) { known[name] = true; box.appendChild(el("option", { value: name })); }
      });
    });
  }

  /** Choices grow with what has been seen; countries by name, with their code. */
  function addFilterChoices(observations) {
    var countries = {}, classes = {};
    observations.forEach(function (o) {
      if (o.country) countries[o.country] = (o.country_name || o.country) + " (" + o.country + ")";
      if (o.equipment_class) classes[o.equipment_class] = o.equipment_class;
    });
    fillSelect("f-country", Object.keys(countries).map(function (k) { return [k, countries[k]]; }));
    suggest("dl-actor", observations.map(function (o) { return o.operators || []; }));
    suggest("dl-equipment", observations.map(function (o) { return [o.equipment, o.family]; }));
    fillSelect("f-class", Object.keys(classes).map(function (k) { return [k, classes[k]]; }));
    window.orbatPosture.setCountries(Array.prototype.map.call(document.getElementById("f-country").options,
      function (o) { return [o.value, o.textContent]; }));
  }

  function loading(on) {
    if (on) {
      document.body.setAttribute("data-loading", "1");
      document.getElementById("count").textContent = "Loading…";
    } else document.body.removeAttribute("data-loading");
  }

  /** The first page of observations the server sent inside the page (orbat/serve/first_page.py):
   * `{params: [[name, value], …], answer: <what /api/observations answers>}`, read once. */
  function firstPage() {
    var block = document.getElementById("orbat-first-page");
    if (!block) return null;
    block.parentNode.removeChild(block);
    try {
      var sent = JSON.parse(block.textContent);
      return { path: "/api/observations?" + new URLSearchParams(sent.params).toString(), answer: sent.answer };
    } catch (e) {
      return null;
    }
  }

  /** A page of observations: the one sent with the page when it is for this very address (once), else asked for. */
  function observations(path) {
    var first = firstPage();
    return first && first.path === path ? Promise.resolve(first.answer) : api(path);
  }

  /** Load the first page for the current filters, or (offset > 0) the next page onto what is shown. */
  function load(first, offset) {
    offset = offset || 0;
    saveFiltersInUrl();
    loading(true);
    // Routes (up to 5000, each stop located on the server) are asked for once the symbols are
    // painted: on one machine the server's work on them would take CPU from the first paint.
    var routes = null, routesQuery = filterQuery({ limit: 5000 });
    function askRoutes() {
      if (!routes) {
        routes = offset ? Promise.resolve(null) : api("/api/routes" + routesQuery).catch(function () { return null; });
      }
      return routes;
    }
    return observations("/api/observations" + filterQuery({ limit: PAGE, offset: offset })).then(function (data) {
      mark("orbat:observations");
      data = data || {};
      if (!offset) { state.observations = []; state.byId = {}; }
      (data.observations || []).forEach(function (o) {
        o.novelty = V.classify(o);
        state.observations.push(o);
        state.byId[o.id] = o;
      });
      state.total = typeof data.total === "number" ? data.total : state.observations.length;
      learnPlaces(state.observations);
      drawMarkers();  // symbols first, on screen before the filter choices, the timeline and the table
      mark("orbat:markers");
      addFilterChoices(state.observations);
      return afterPaint().then(function () { askRoutes(); return ensureTimeline(); }).then(function () {
        drawTimeline();
        if (window.orbatTable) window.orbatTable.draw(shownObservations());
        V.remember(data.observations || []);
        return Promise.all([ensureOutlines().catch(function () { return null; }), askRoutes()]);
      });
    }).then(function (ready) {
      if (!offset) {
        var answer = ready && ready[1];
        state.routes = (answer && answer.routes) || [];
        state.routesTotal = answer && typeof answer.total === "number" ? answer.total : state.routes.length;
      }
      drawRoutes(state.routes);
      showCount();  // again: the count line says how many routes were cut, known only now
      if (state.tab === "posture") showPosture();
      if (state.tab === "queue" && !offset) window.orbatQueue.load(filterQuery());
      if (state.selected && !state.byId[state.selected]) showHint();
      if (!state.total) message("No observations match these filters. Clear a filter or widen the dates.", "info");
      else if (document.getElementById("message").className !== "ok") message("");
      state.loads = (state.loads || 0) + 1;
      loading(false);
      document.body.setAttribute("data-loaded", String(state.loads));
    }).catch(function (err) {
      loading(false);
      document.getElementById("count").textContent = "Not loaded";
      message("Could not load observations: " + err.message, "error", function () { load(first, offset); });
    });
  }

  function initFilters() {
    var form = document.getElementById("filters"), certainty = document.getElementById("f-certainty");
    CERTAINTY_ORDER.forEach(function (c) { certainty.appendChild(el("option", { value: c, text: c })); });
    form.addEventListener("submit", function (e) { e.preventDefault(); load(false); });
    form.addEventListener("reset", function () { setTimeout(function () { load(false); }, 0); });
    ["f-country", "f-class", "f-certainty", "f-since", "f-until"].forEach(function (id) {
      document.getElementById(id).addEventListener("change", function () { load(false); });
    });
  }

  // ---------------------------------------------------------------- selection and evidence
  function showHint() {
    state.selected = null;
    var panel = document.getElementById("panel");
    clear(panel);
    panel.removeAttribute("data-entity");
    panel.removeAttribute("data-observation");
    panel.appendChild(el("p", { className: "hint", text: "Select an observation on the map or the timeline to see its evidence." }));
  }

  function select(id, from) {
    if (!state.byId[id]) return;
    state.selected = id;
    var marker = state.markers[id];
    Object.keys(state.markers).forEach(function (key) {
      var element = state.markers[key].getElement();
      if (element) element.classList.toggle("selected", key === id);
    });
    if (marker && from !== "map" && from !== "popup") {
      map.setView(marker.getLatLng(), Math.max(map.getZoom(), 5), { animate: false });
      marker.openPopup();
    }
    if (from !== "timeline" && items && items.get(id)) {
      showInTimeline(id);
      timeline.setSelection([id]);
    }
    window.orbatTable.select(id);
    if (from !== "table") showTab("evidence");
    showEvidence(id);
  }

  function entityButton(kind, id, label) {
    if (!id) return null;
    return el("button", { type: "button", className: "entity-link", "data-kind": kind, text: label || id,
      onclick: function () { showEntity(kind, id); } });
  }

  function entityList(kind, values) {
    var span = el("span");
    (values || []).forEach(function (value, i) {
      if (i) span.appendChild(document.createTextNode(", "));
      var id = typeof value === "object" && value ? (value.id || value.name) : value;
      var label = typeof value === "object" && value ? (value.name || value.id) : value;
      span.appendChild(entityButton(kind, id, label));
    });
    return span;
  }

  function showEvidence(id) {
    var panel = document.getElementById("panel");
    clear(panel);
    panel.appendChild(el("p", { className: "hint", text: "Loading evidence…" }));
    api("/api/observations/" + encodeURIComponent(id)).then(function (obs) {
      if (state.selected !== id) return;
      clear(panel);
      panel.removeAttribute("data-entity");
      panel.setAttribute("data-observation", id);
      panel.appendChild(el("h2", { text: (obs.equipment || "unknown system") + (obs.place ? " — " + obs.place : "") }));
      panel.appendChild(facts([
        ["Equipment", entityButton("equipment", obs.equipment_id || obs.catalog_id || obs.equipment, obs.equipment)],
        ["Class", obs.equipment_class], ["Family", obs.family], ["Event", obs.event_group],
        ["Country", obs.country_name ? obs.country_name + " (" + obs.country + ")" : obs.country], ["Place", entityButton("place", obs.place_id || obs.place, obs.place)],
        ["Seen", D.describeRange(obs.first_seen, obs.last_seen)],
        ["Quantity", fmtRange(obs.quantity_min, obs.quantity_max)], ["Count", obs.headline],
        ["Sources", obs.sources], ["Certainty", obs.certainty], ["Why", obs.certainty_rule],
        ["Operators", (obs.operators || []).length ? entityList("actor", obs.operators) : null],
        ["Origins", (obs.origins || []).length ? obs.origins.join(", ") + " (" + (obs.certainty || "?")
          + (WEAK[obs.certainty] ? ": not established" : "") + ")" : null]
      ]));
      var claims = (obs.claims || []).concat((state.rejected[id] || []).filter(function (r) {
        return !(obs.claims || []).some(function (c) { return c.id === r.id; });
      }));
      var documents = byDocument(claims);
      panel.appendChild(el("h3", { text: claims.length + " supporting claim(s) in " + documents.length + " document(s), oldest first" }));
      documents.forEach(function (group) { panel.appendChild(documentView(group)); });
    }).catch(function (err) {
      clear(panel);
      panel.appendChild(el("p", { className: "error", text: "Evidence did not load: " + err.message }));
    });
  }

  function documentText(docId) {
    if (!state.docs[docId]) state.docs[docId] = api("/api/documents/" + encodeURIComponent(docId));
    return state.docs[docId];
  }

  /** Offsets from the API count code points (Python); JavaScript strings count UTF-16 units. */
  function utf16Index(text, codePoints) {
    if (!/[\uD800-\uDFFF]/.test(text)) return codePoints;
    var index = 0;
    for (var n = 0; n < codePoints && index < text.length; n++) {
      var c = text.charCodeAt(index);
      index += c >= 0xD800 && c <= 0xDBFF && index + 1 < text.length ? 2 : 1;
    }
    return index;
  }

  /** The document text as three text nodes, the claim's sentence in a <mark> between them. */
  function highlighted(text, start, end, sentence) {
    var box = el("div", { className: "source-text" });
    text = String(text || "");
    if (Number.isInteger(start) && Number.isInteger(end)) {
      start = utf16Index(text, start);
      end = utf16Index(text, end);
    }
    var ok = Number.isInteger(start) && Number.isInteger(end) && start >= 0 && end > start && end <= text.length;
    if (!ok && sentence) {
      start = text.indexOf(sentence);
      end = start + sentence.length;
      ok = start >= 0;
    }
    if (!ok) {
      box.appendChild(document.createTextNode(text));
      return box;
    }
    var mark = document.createElement("mark");
    mark.appendChild(document.createTextNode(text.slice(start, end)));
    box.appendChild(document.createTextNode(text.slice(0, start)));
    box.appendChild(mark);
    box.appendChild(document.createTextNode(text.slice(end)));
    return box;
  }

  function statusBadge(status) {
    var value = String(status || "unreviewed");
    var kind = /conflict/i.test(value) ? "conflict" : /accept/i.test(value) ? "accepted" : /reject/i.test(value) ? "rejected" : "";
    return el("span", { className: "status " + kind, "data-status": value, text: value });
  }

  /** "2026-12-02T09:23:11.123456+00:00" → "2026-12-02 09:23 UTC": no microseconds. */
  function when(value) {
    var m = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2})/.exec(String(value || ""));
    return m ? m[1] + " " + m[2] + " UTC" : String(value || "");
  }

  var DONE = { accept: "accepted", reject: "rejected", correct: "corrected" };

  function reviewList(reviews) {
    var list = el("ul", { className: "reviews" });
    (reviews || []).forEach(function (r) {
      var who = r.reviewer || r.author || r.user || r.token_name || "someone";
      var fields = r.fields && Object.keys(r.fields).length ? Object.keys(r.fields).map(function (k) {
        return k.replace(/_/g, " ") + " → " + r.fields[k];
      }).join(", ") : "";
      var parts = [when(r.created_at || r.at || r.created), who + " " + (DONE[r.action] || r.action || "reviewed"),
        fields, r.comment ? "“" + r.comment + "”" : ""];
      list.appendChild(el("li", { className: "review", text: parts.filter(Boolean).join(" · ") }));
    });
    return list;
  }

  /** Claims grouped by the document they come from, documents ordered by publication date. */
  function byDocument(claims) {
    var groups = {}, order = [];
    claims.forEach(function (claim) {
      var key = claim.document_id || claim.url || claim.id;
      if (!groups[key]) { groups[key] = { id: claim.document_id, first: claim, claims: [] }; order.push(key); }
      groups[key].claims.push(claim);
    });
    return order.map(function (k) { return groups[k]; }).sort(function (a, b) {
      return String(a.first.published || "9999").localeCompare(String(b.first.published || "9999"));
    });
  }

  /** One source: publisher, date and title on top, its claims, and the whole text once, folded. */
  function documentView(group) {
    var first = group.first;
    var box = el("section", { className: "doc", "data-document": group.id || "" }, [
      el("header", { className: "doc-head" }, [
        el("strong", { className: "publisher", text: first.publisher || "unknown publisher" }),
        el("span", { className: "published", text: first.published ? D.describe(first.published) : "undated" }),
        el("span", { className: "title" }, [sourceLink(first.url, first.title || first.url || "untitled source")])
      ])
    ]);
    group.claims.forEach(function (claim) { box.appendChild(claimView(claim)); });
    if (group.id) {
      var whole = el("details", { className: "whole" }, [el("summary", { text: "Whole document" })]);
      box.appendChild(whole);
      documentText(group.id).then(function (doc) {
        var first = group.claims[0];
        whole.appendChild(highlighted(doc && doc.text, first.sentence_start, first.sentence_end, first.sentence));
      }).catch(function (err) {
        whole.appendChild(el("p", { className: "error", text: "Source text did not load: " + err.message }));
      });
    }
    return box;
  }

  /** The claim's sentence marked inside the text around it (up to `reach` characters each way). */
  function excerpt(text, start, end, sentence, reach) {
    var full = highlighted(text, start, end, sentence), mark = full.querySelector("mark");
    if (!mark) return el("div", { className: "excerpt", text: sentence || "" });
    var before = mark.previousSibling ? mark.previousSibling.textContent : "", after = mark.nextSibling ? mark.nextSibling.textContent : "";
    var cutBefore = before.length > reach ? before.lastIndexOf(" ", before.length - reach) : 0;
    var cutAfter = after.length > reach ? after.indexOf(" ", reach) : after.length;
    var box = el("div", { className: "excerpt" });
    box.appendChild(document.createTextNode((cutBefore > 0 ? "…" : "") + before.slice(Math.max(0, cutBefore))));
    box.appendChild(el("mark", { text: mark.textContent }));
    box.appendChild(document.createTextNode(after.slice(0, cutAfter < 0 ? after.length : cutAfter) + (cutAfter >= 0 && cutAfter < after.length ? "…" : "")));
    return box;
  }

  function claimView(claim) {
    var rejected = /reject/i.test(String(claim.status || ""));
    var box = el("article", { className: "claim" + (rejected ? " rejected" : ""), "data-claim": claim.id });
    box.appendChild(el("div", { className: "meta" }, [
      el("span", { className: "certainty-badge c-" + (claim.certainty || "unknown"), text: claim.certainty || "certainty ?" }),
      claim.event ? el("span", { text: claim.event }) : null,
      claim.attributed_to ? el("span", { text: "according to " + claim.attributed_to }) : null
    ]));
    var textBox = el("div", { className: "excerpt", text: claim.sentence || "" });
    box.appendChild(textBox);
    if (claim.document_id) {
      documentText(claim.document_id).then(function (doc) {
        var shown = excerpt(doc && doc.text, claim.sentence_start, claim.sentence_end, claim.sentence, 160);
        box.replaceChild(shown, textBox);
        textBox = shown;
      }).catch(function (err) {
        box.insertBefore(el("p", { className: "error", text: "Source text did not load: " + err.message }), textBox);
      });
    }
    var status = el("div", { className: "review-status" }, ["Review: ", statusBadge(claim.status)]);
    var history = reviewList(claim.reviews);
    box.appendChild(status);
    box.appendChild(history);
    box.appendChild(reviewForm(claim, status, history));
    return box;
  }

  function shorten(text, n) {
    text = String(text || "");
    return text.length > n ? text.slice(0, n - 1) + "…" : text;
  }

  /** {"quantity": 7} is what people write; the API takes a range: both ends at 7. */
  function withQuantity(fields) {
    if (!fields || typeof fields !== "object" || !("quantity" in fields)) return fields;
    var out = {};
    Object.keys(fields).forEach(function (k) { if (k !== "quantity") out[k] = fields[k]; });
    if (!("quantity_min" in out)) out.quantity_min = fields.quantity;
    if (!("quantity_max" in out)) out.quantity_max = fields.quantity;
    return out;
  }

  /** A rejected claim stays on screen, struck through, until the panel is left; undo is a new review. */
  function markRejected(claim, action) {
    var box = document.querySelector("#panel .claim[data-claim='" + CSS.escape(claim.id) + "']");
    var list = state.rejected[state.selected] = (state.rejected[state.selected] || []).filter(function (c) { return c.id !== claim.id; });
    if (box) box.classList.toggle("rejected", action === "reject");
    if (action === "reject") list.push(Object.assign({}, claim, { status: "rejected" }));
  }

  function reviewForm(claim, statusBox, history) {
    var comment = el("input", { type: "text", placeholder: "comment", "aria-label": "comment", className: "comment" });
    var fields = el("textarea", { className: "fields", rows: 2, hidden: "hidden",
      placeholder: '{"quantity": 7} or {"quantity_min": 5, "quantity_max": 8, "date": "2025-01"} — corrected fields as JSON',
      "aria-label": "corrected fields" });
    function showReviews(reviews, status) {
      claim.reviews = reviews;
      var fresh = reviewList(reviews);
      history.parentNode.replaceChild(fresh, history);
      history = fresh;
      clear(statusBox);
      statusBox.appendChild(document.createTextNode("Review: "));
      statusBox.appendChild(statusBadge(status));
    }
    function send(action) {
      var token = sessionStorage.getItem(TOKEN_KEY) || "";
      if (!token) { message("Paste an analyst token first: reviews need one.", "error"); return; }
      var body = { action: action, fields: {}, comment: comment.value };
      if (action === "correct") {
        if (fields.hidden) { fields.hidden = false; fields.focus(); return; }
        try { body.fields = fields.value.trim() ? JSON.parse(fields.value) : {}; } catch (e) {
          message("Corrected fields must be JSON, e.g. {\"quantity\": 7}", "error"); return;
        }
        body.fields = withQuantity(body.fields);
      }
      api("/api/claims/" + encodeURIComponent(claim.id) + "/reviews", {
        method: "POST",
        headers: { "Content-Type": "application/json", Accept: "application/json", Authorization: "Bearer " + token },
        body: JSON.stringify(body)
      }).then(function (saved) {
        message("Review recorded: you " + DONE[action] + " “" + shorten(claim.sentence, 70) + "”"
          + (claim.publisher ? " (" + claim.publisher + ")" : "") + ".", "ok");
        comment.value = "";
        markRejected(claim, action);
        showReviews((claim.reviews || []).concat([saved || body]), action === "correct" ? "corrected" : action + "ed");
        // The server decides the status (two reviewers who disagree make a conflict): ask it.
        var obsId = state.selected;
        return api("/api/observations/" + encodeURIComponent(obsId)).then(function (obs) {
          var fresh = ((obs && obs.claims) || []).filter(function (c) { return c.id === claim.id; })[0];
          if (fresh && state.selected === obsId) showReviews(fresh.reviews || [], fresh.status);
        }).catch(function () { return null; });
      }).catch(function (err) {
        var why = err.status === 401 ? "Not signed in: the token was refused (401). "
          : err.status === 403 ? "Not allowed: this token may not review (403). " : "Review failed: ";
        message(why + err.message, "error");
      });
    }
    return el("div", { className: "review-form" }, [
      el("button", { type: "button", className: "accept", text: "Accept", onclick: function () { send("accept"); } }),
      el("button", { type: "button", className: "reject", text: "Reject", onclick: function () { send("reject"); } }),
      el("button", { type: "button", className: "correct", text: "Correct", onclick: function () { send("correct"); } }),
      el("button", { type: "button", className: "undo", text: "Undo rejection", title: "records a new review accepting the claim",
        onclick: function () { comment.value = comment.value || "undo rejection"; send("accept"); } }),
      comment, fields
    ]);
  }

  // ---------------------------------------------------------------- entity pages
  /** Where an entity was seen: its observations grouped by place (or country), oldest first. */
  function whereSeen(observations) {
    var groups = {};
    observations.forEach(function (o) {
      var key = o.place || (o.country_name || o.country || "unknown") + " (country only)";
      var g = groups[key] = groups[key] || { name: key, n: 0, first: null, last: null };
      g.n++;
      if (o.first_seen && (!g.first || o.first_seen < g.first)) g.first = o.first_seen;
      if ((o.last_seen || o.first_seen) && (!g.last || (o.last_seen || o.first_seen) > g.last)) g.last = o.last_seen || o.first_seen;
    });
    return Object.keys(groups).map(function (k) { return groups[k]; })
      .sort(function (a, b) { return String(a.first || "9999").localeCompare(String(b.first || "9999")); });
  }

  var KIND_LABEL = { equipment: "System", actor: "Actor", place: "Place", equipment_class: "Class" };

  /** A profile: what it is, where it was seen, with what, and its observations in date order. */
  function entityProfile(panel, kind, entity) {
    var observations = (entity.observations || []).slice().sort(function (a, b) {
      return String(a.first_seen || "9999").localeCompare(String(b.first_seen || "9999"));
    });
    panel.appendChild(el("h2", { text: (KIND_LABEL[kind] || kind) + ": " + (entity.name || entity.id) }));
    var total = typeof entity.total === "number" ? entity.total : observations.length;
    panel.appendChild(el("p", { className: "entity-summary", text: observations.length === total
      ? total + " observation(s)" : "Showing " + observations.length + " of " + total + " observation(s)" }));
    var places = whereSeen(observations);
    if (places.length) {
      panel.appendChild(el("h3", { text: "Where seen" }));
      var list = el("ul", { className: "entity-places" });
      places.forEach(function (p) {
        list.appendChild(el("li", { text: p.name + " — " + p.n + " observation(s)"
          + (p.first ? ", " + D.describeRange(p.first, p.last) : "") }));
      });
      panel.appendChild(list);
    }
    var equipment = (entity.equipment || []).filter(function (e) { return typeof e === "string"; });
    if (equipment.length && kind !== "equipment") {
      panel.appendChild(el("h3", { text: "Equipment" }));
      panel.appendChild(el("p", {}, [entityList("equipment", equipment)]));
    }
    panel.appendChild(el("h3", { text: "Observations, oldest first" }));
    var items = el("ul", { className: "entity-observations" });
    observations.forEach(function (o) {
      var label = (o.equipment || o.event_group || "?") + (o.place ? " @ " + o.place : o.country_name ? " @ " + o.country_name : "")
        + (o.first_seen ? " (" + D.describeRange(o.first_seen, o.last_seen) + ")" : "") + " · " + (o.certainty || "?");
      items.appendChild(el("li", {}, [state.byId[o.id]
        ? el("button", { type: "button", className: "entity-link", text: label, onclick: function () { select(o.id, "entity"); } })
        : el("span", { text: label })]));
    });
    panel.appendChild(items);
  }

  function showEntity(kind, id) {
    var panel = document.getElementById("panel");
    clear(panel);
    panel.appendChild(el("p", { className: "hint", text: "Loading…" }));
    api("/api/entities/" + encodeURIComponent(kind) + "/" + encodeURIComponent(id)).then(function (entity) {
      clear(panel);
      panel.removeAttribute("data-observation");
      panel.setAttribute("data-entity", kind + "/" + id);
      panel.appendChild(el("button", { type: "button", className: "entity-link", text: "← back",
        onclick: function () { if (state.selected) showEvidence(state.selected); else showHint(); } }));
      entityProfile(panel, kind, entity || {});
    }).catch(function (err) {
      clear(panel);
      panel.appendChild(el("p", { className: "error", text: "No " + kind + " page for " + id + ": " + err.message }));
    });
  }

  // ---------------------------------------------------------------- tabs and table
  var TABS = { evidence: "panel", table: "table-pane", posture: "posture-pane", queue: "queue-pane" };

  function showTab(name) {
    state.tab = name;
    Object.keys(TABS).forEach(function (tab) {
      document.getElementById("tab-" + tab).setAttribute("aria-selected", String(tab === name));
      document.getElementById(TABS[tab]).hidden = tab !== name;
    });
    if (name === "posture") showPosture();
    if (name === "queue") window.orbatQueue.load(filterQuery());
  }

  /** An observation from the review queue: selected if it is loaded, else its evidence alone. */
  function openObservation(id) {
    if (state.byId[id]) { select(id, "queue"); return; }
    showTab("evidence");
    state.selected = id;
    showEvidence(id);
  }

  /** The posture of the filtered country, over the filters' dates. */
  function showPosture() {
    var form = document.getElementById("filters");
    return window.orbatPosture.show(form.elements.country.value, form.elements.since.value.trim(), form.elements.until.value.trim());
  }

  /** Set some filters (the others stay) and load: what the side panels use to drive the map. */
  function applyFilters(values) {
    var form = document.getElementById("filters");
    Object.keys(values).forEach(function (name) {
      var field = form.elements[name];
      if (field.tagName === "SELECT" && values[name] && !Array.prototype.some.call(field.options, function (o) { return o.value === values[name]; })) {
        field.appendChild(el("option", { value: values[name], text: values[name] }));
      }
      field.value = values[name];
    });
    return load(false);
  }

  function initTabs() {
    Object.keys(TABS).forEach(function (tab) {
      document.getElementById("tab-" + tab).addEventListener("click", function () { showTab(tab); });
    });
    window.orbatTable.init(document.getElementById("table-pane"), function (id) { select(id, "table"); });
    window.orbatPosture.init(document.getElementById("posture-pane"),
      function (system) { applyFilters({ equipment: system }); },
      function (country) { applyFilters({ country: country }); });
    window.orbatQueue.init(document.getElementById("queue-pane"), {
      api: api, el: el, message: message, openObservation: openObservation,
      token: function () { return sessionStorage.getItem(TOKEN_KEY) || ""; },
      active: function () { return state.tab === "queue"; }
    });
  }

  // ---------------------------------------------------------------- token
  function initToken() {
    var input = document.getElementById("token");
    document.getElementById("token-form").addEventListener("submit", function (e) { e.preventDefault(); });
    input.value = sessionStorage.getItem(TOKEN_KEY) || "";
    input.addEventListener("input", function () {
      var value = input.value.trim();
      if (value) sessionStorage.setItem(TOKEN_KEY, value); else sessionStorage.removeItem(TOKEN_KEY);
    });
  }

  // ---------------------------------------------------------------- start
  function start() {
    mark("orbat:start");
    V.begin();
    initToken();
    initMap();
    initFilters();
    initTabs();
    filtersFromUrl();
    load(true);
    window.orbat = { select: select, state: state, sidcFor: sidcFor, map: map,
      showInTimeline: showInTimeline, showTab: showTab, applyFilters: applyFilters,
      reload: function () { return load(false); } };
    // The timeline arrives after the first symbols: read it when asked, not when the page starts.
    Object.defineProperty(window.orbat, "timeline", { get: function () { return timeline; } });
    Object.defineProperty(window.orbat, "items", { get: function () { return items; } });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
