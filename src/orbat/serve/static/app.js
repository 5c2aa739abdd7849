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

  var state = { observations: [], byId: {}, markers: {}, selected: null, docs: {}, places: {}, countries: {} };
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

  function message(text, kind) {
    var box = document.getElementById("message");
    box.textContent = text || "";
    box.className = kind || "";
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
    return fetch(path, options || { headers: { Accept: "application/json" } }).then(function (response) {
      return response.text().then(function (body) {
        var data = null;
        try { data = body ? JSON.parse(body) : null; } catch (e) { data = null; }
        if (!response.ok) {
          var detail = data && (data.detail || data.error || data.message);
          if (detail && typeof detail !== "string") detail = JSON.stringify(detail);
          var err = new Error(response.status + " " + (detail || response.statusText));
          err.status = response.status;
          throw err;
        }
        return data;
      });
    });
  }

  function filterQuery() {
    var form = document.getElementById("filters");
    var params = new URLSearchParams();
    ["country", "actor", "equipment", "class", "certainty", "since", "until", "q"].forEach(function (name) {
      var value = form.elements[name].value.trim();
      if (value) params.set(name, value);
    });
    var text = params.toString();
    return text ? "?" + text : "";
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

  function symbolIcon(sidc, size, label) {
    var symbol = new ms.Symbol(sidc, { size: size });
    if (!symbol.isValid()) {
      console.warn("orbat: invalid SIDC " + JSON.stringify(sidc) + " for " + label + "; using a generic symbol");
      symbol = new ms.Symbol(GENERIC_SIDC, { size: size });
    }
    var anchor = symbol.getAnchor(), box = symbol.getSize();
    return L.icon({
      iconUrl: symbol.toDataURL(),
      iconSize: [box.width, box.height],
      iconAnchor: [anchor.x, anchor.y],
      popupAnchor: [0, -anchor.y],
      className: "symbol"
    });
  }

  function iconSize(obs) {
    var sources = Math.max(1, Number(obs.sources) || 1);
    return Math.min(18 + 5 * sources, 48);
  }

  // ---------------------------------------------------------------- map
  function initMap() {
    map = L.map("map", { zoomControl: true, worldCopyJump: true, attributionControl: false,
      minZoom: 2, maxZoom: 12 }).setView([15, 10], 3);
    outlines = api("/vendor/world-atlas/countries-50m.json").then(function (topology) {
      var countries = topojson.feature(topology, topology.objects.countries);
      countries.features.forEach(function (f) {
        if (f.properties && f.properties.name) state.countries[f.properties.name.toLowerCase()] = centreOf(f.geometry);
      });
      L.geoJSON(countries, {
        interactive: false,
        style: { color: "#8796a8", weight: 0.7, fillColor: "#f3f1ea", fillOpacity: 1 }
      }).addTo(map).bringToBack();
    }).catch(function (err) { message("Country outlines did not load: " + err.message, "error"); });
    routeLayer = L.layerGroup().addTo(map);
    installationLayer = L.layerGroup().addTo(map);
    markerLayer = L.layerGroup().addTo(map);
  }

  /** The middle of a country's largest polygon (by bounding box): where a route from it starts. */
  function centreOf(geometry) {
    var polygons = geometry.type === "Polygon" ? [geometry.coordinates] : geometry.coordinates || [];
    var best = null, bestArea = -1;
    polygons.forEach(function (polygon) {
      var ring = polygon[0] || [], minX = 180, maxX = -180, minY = 90, maxY = -90;
      ring.forEach(function (c) {
        minX = Math.min(minX, c[0]); maxX = Math.max(maxX, c[0]); minY = Math.min(minY, c[1]); maxY = Math.max(maxY, c[1]);
      });
      var area = (maxX - minX) * (maxY - minY);
      if (ring.length && area > bestArea) { bestArea = area; best = [(minY + maxY) / 2, (minX + maxX) / 2]; }
    });
    return best;
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
    var key = name.toLowerCase();
    return state.places[key] || state.countries[key] || null;
  }

  function popupFor(obs) {
    return el("div", { className: "popup" }, [
      el("h4", { text: (obs.equipment || "unknown system") + (obs.place ? " — " + obs.place : "") }),
      el("p", { text: [obs.event_group, obs.certainty, fmtRange(obs.first_seen, obs.last_seen)]
        .filter(Boolean).join(" · ") }),
      obs.headline ? el("p", { className: "headline", text: "count: " + obs.headline }) : null,
      el("p", { text: (obs.sources || 0) + " source(s)" }),
      el("button", { type: "button", text: "Evidence", onclick: function () { select(obs.id, "popup"); } })
    ]);
  }

  function drawMarkers() {
    markerLayer.clearLayers();
    state.markers = {};
    state.observations.forEach(function (obs) {
      if (typeof obs.lat !== "number" || typeof obs.lon !== "number") return;
      var marker = L.marker([obs.lat, obs.lon], {
        icon: symbolIcon(sidcFor(obs), iconSize(obs), obs.equipment || obs.id),
        opacity: WEAK[obs.certainty] ? 0.55 : 1,
        title: "",  // Leaflet sets title as an attribute: safe, but keep the popup the only label
        keyboard: true
      });
      marker.orbatId = obs.id;
      marker.bindPopup(function () { return popupFor(obs); });
      marker.on("click", function () { select(obs.id, "map"); });
      marker.addTo(markerLayer);
      var element = marker.getElement();
      if (element) {
        element.classList.add("obs-marker");
        element.setAttribute("data-id", obs.id);
        element.setAttribute("data-certainty", obs.certainty || "");
      }
      state.markers[obs.id] = marker;
    });
    document.getElementById("count").textContent = state.observations.length + " observation(s), "
      + Object.keys(state.markers).length + " on the map";
  }

  /** An arrow from the first to the last point: the line plus a head drawn at the destination. */
  function arrow(latlngs, weak, label) {
    var group = L.layerGroup();
    var style = { color: "#b5462b", weight: 2, opacity: weak ? 0.6 : 0.9, dashArray: weak ? "6 5" : null };
    L.polyline(latlngs, style).addTo(group);
    var end = latlngs[latlngs.length - 1], prev = latlngs[latlngs.length - 2];
    var dLat = end[0] - prev[0], dLon = end[1] - prev[1];
    var length = Math.sqrt(dLat * dLat + dLon * dLon) || 1;
    var head = Math.min(1.2, Math.max(0.25, length * 0.12));
    var ux = dLat / length, uy = dLon / length;
    var back = [end[0] - ux * head, end[1] - uy * head];
    var side = [-uy * head * 0.5, ux * head * 0.5];
    L.polygon([end, [back[0] + side[0], back[1] + side[1]], [back[0] - side[0], back[1] - side[1]]],
      { color: style.color, weight: 1, fillOpacity: style.opacity, opacity: style.opacity }).addTo(group);
    if (label) group.eachLayer(function (layer) { layer.bindTooltip(el("span", { text: label }), { sticky: true }); });
    return group;
  }

  function pointOf(value) {
    if (!value) return null;
    if (Array.isArray(value) && value.length >= 2) return [Number(value[0]), Number(value[1])];
    if (typeof value.lat === "number" && typeof value.lon === "number") return [value.lat, value.lon];
    return null;
  }

  function drawRoutes(routes) {
    routeLayer.clearLayers();
    (routes || []).forEach(function (route) {
      var points = [];
      if (Array.isArray(route.path)) points = route.path.map(pointOf).filter(Boolean);
      if (points.length < 2) {
        var origin = pointOf(route.origin_point) || pointOf(route.origin) ||
          (typeof route.origin_lat === "number" ? [route.origin_lat, route.origin_lon] : null);
        var dest = pointOf(route.destination_point) || pointOf(route.destination) ||
          (typeof route.destination_lat === "number" ? [route.destination_lat, route.destination_lon] : null);
        if (!dest && route.observation_id && state.byId[route.observation_id]) {
          var obs = state.byId[route.observation_id];
          if (typeof obs.lat === "number") dest = [obs.lat, obs.lon];
        }
        origin = origin || locate((route.origins || [])[0]);
        dest = dest || locate(route.destination);
        var stops = (route.transit_points || []).map(pointOf).concat((route.transit || []).map(locate));
        points = [origin].concat(stops, [dest]).filter(Boolean).filter(function (p, i, all) {
          return i === 0 || p[0] !== all[i - 1][0] || p[1] !== all[i - 1][1];
        });
      }
      if (points.length < 2) return;
      var names = [].concat(route.origins || [], route.transit || [], [route.destination || ""])
        .filter(function (n) { return typeof n === "string" && n; });
      var label = (route.equipment ? route.equipment + ": " : "") + names.join(" → ");
      arrow(points, WEAK[route.certainty], label).addTo(routeLayer);
    });
  }

  function drawGeojson(collection) {
    installationLayer.clearLayers();
    var routes = [], seen = {};
    ((collection && collection.features) || []).forEach(function (feature) {
      var g = feature.geometry || {}, p = feature.properties || {};
      if (g.type === "LineString" && Array.isArray(g.coordinates) && g.coordinates.length >= 2) {
        routes.push({ path: g.coordinates.map(function (c) { return [c[1], c[0]]; }),
          certainty: p.certainty, equipment: p.equipment, origins: p.origins, destination: p.destination });
      } else if (g.type === "Point") {
        learnPlaces([p]);
        var name = String(p.place || p.name || "installation");
        if (!/installation/i.test(String(p.place_feature || p.kind || "")) || seen[name]) return;
        seen[name] = true;
        var marker = L.circleMarker([g.coordinates[1], g.coordinates[0]],
          { radius: 5, color: "#3d4c5e", weight: 2, fillColor: "#fff", fillOpacity: 1 });
        marker.bindTooltip(el("span", { text: name }));
        marker.addTo(installationLayer);
      }
    });
    return routes;
  }

  // ---------------------------------------------------------------- timeline (vis-timeline)
  function initTimeline() {
    items = new vis.DataSet();
    timeline = new vis.Timeline(document.getElementById("timeline"), items, {
      height: "100%", stack: true, verticalScroll: true, zoomKey: "ctrlKey", selectable: true, multiselect: false,
      margin: { item: 4 }, orientation: "top", showTooltips: false
    });
    timeline.on("select", function (props) {
      if (props.items && props.items.length) select(props.items[0], "timeline");
    });
  }

  function timelineContent(obs) {
    // vis-timeline puts an Element in as-is: built here from text nodes only.
    return el("span", { className: "tl-item", "data-id": obs.id },
      [(obs.equipment || "?") + (obs.place ? " @ " + obs.place : "") + (obs.headline ? " (" + obs.headline + ")" : "")]);
  }

  function days(a, b) { return (Date.parse(b) - Date.parse(a)) / 86400000; }

  /** Bring an item into view: a window of a few months around it, not a zoom to the millisecond. */
  function showInTimeline(id) {
    var item = items.get(id);
    if (!item) return;
    var start = Date.parse(item.start), end = item.end ? Date.parse(item.end) : start;
    var pad = Math.max(60 * 86400000, (end - start) * 0.3);
    timeline.setWindow(start - pad, end + pad, { animation: false });
  }

  function drawTimeline() {
    var rows = [];
    state.observations.forEach(function (obs) {
      if (!obs.first_seen) return;
      var row = { id: obs.id, content: timelineContent(obs), start: obs.first_seen,
        className: WEAK[obs.certainty] ? "speculative" : "" };
      // Short spans as boxes: a box is as wide as its label, so stacked labels never overlap.
      if (obs.last_seen && days(obs.first_seen, obs.last_seen) > 45) { row.end = obs.last_seen; row.type = "range"; }
      else row.type = "box";
      rows.push(row);
    });
    items.clear();
    items.add(rows);
    if (rows.length) timeline.fit({ animation: false });
  }

  // ---------------------------------------------------------------- filters
  function fillSelect(id, values, current) {
    var select = document.getElementById(id);
    var keep = current !== undefined ? current : select.value;
    clear(select);
    select.appendChild(el("option", { value: "", text: "all" }));
    values.forEach(function (v) { select.appendChild(el("option", { value: v, text: v })); });
    select.value = values.indexOf(keep) >= 0 ? keep : "";
  }

  function initFilterChoices(observations) {
    var countries = {}, classes = {}, certainties = {};
    observations.forEach(function (o) {
      if (o.country) countries[o.country] = true;
      if (o.equipment_class) classes[o.equipment_class] = true;
      if (o.certainty) certainties[o.certainty] = true;
    });
    fillSelect("f-country", Object.keys(countries).sort());
    fillSelect("f-class", Object.keys(classes).sort());
    fillSelect("f-certainty", CERTAINTY_ORDER.filter(function (c) { return certainties[c]; })
      .concat(Object.keys(certainties).filter(function (c) { return CERTAINTY_ORDER.indexOf(c) < 0; })));
  }

  function load(first) {
    var query = filterQuery();
    document.body.setAttribute("data-loading", "1");
    return api("/api/observations" + query).then(function (data) {
      state.observations = (data && data.observations) || [];
      state.byId = {};
      state.observations.forEach(function (o) { state.byId[o.id] = o; });
      learnPlaces(state.observations);
      if (first) initFilterChoices(state.observations);
      drawMarkers();
      drawTimeline();
      var country = document.getElementById("f-country").value;
      return Promise.all([
        api("/api/routes" + (country ? "?country=" + encodeURIComponent(country) : "")).catch(function () { return null; }),
        first ? api("/api/map.geojson").catch(function () { return null; }) : Promise.resolve(null),
        outlines.catch(function () { return null; })
      ]);
    }).then(function (extra) {
      var routes = extra[0];
      var fromGeojson = extra[1] ? drawGeojson(extra[1]) : [];
      routes = (routes && (routes.routes || routes)) || [];
      drawRoutes(Array.isArray(routes) && routes.length ? routes : fromGeojson);
      if (state.selected && !state.byId[state.selected]) showHint();
      state.loads = (state.loads || 0) + 1;
      document.body.setAttribute("data-loaded", String(state.loads));
      document.body.removeAttribute("data-loading");
    }).catch(function (err) {
      document.body.removeAttribute("data-loading");
      message("Could not load observations: " + err.message, "error");
    });
  }

  function initFilters() {
    var form = document.getElementById("filters");
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
    if (from !== "timeline" && items.get(id)) {
      showInTimeline(id);
      timeline.setSelection([id]);
    }
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
        ["Country", obs.country], ["Place", entityButton("place", obs.place_id || obs.place, obs.place)],
        ["Seen", fmtRange(obs.first_seen, obs.last_seen)],
        ["Quantity", fmtRange(obs.quantity_min, obs.quantity_max)], ["Count", obs.headline],
        ["Sources", obs.sources], ["Certainty", obs.certainty], ["Why", obs.certainty_rule],
        ["Operators", (obs.operators || []).length ? entityList("actor", obs.operators) : null],
        ["Origins", obs.origins]
      ]));
      var claims = obs.claims || [];
      panel.appendChild(el("h3", { text: claims.length + " supporting claim(s)" }));
      claims.forEach(function (claim) { panel.appendChild(claimView(claim)); });
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

  function reviewList(reviews) {
    var list = el("ul", { className: "reviews" });
    (reviews || []).forEach(function (r) {
      var who = r.reviewer || r.author || r.user || r.token_name || "";
      var parts = [r.created_at || r.at || r.created || "", who, r.action || "",
        r.fields && Object.keys(r.fields).length ? JSON.stringify(r.fields) : "", r.comment ? "“" + r.comment + "”" : ""];
      list.appendChild(el("li", { className: "review", text: parts.filter(Boolean).join(" · ") }));
    });
    return list;
  }

  function claimView(claim) {
    var box = el("article", { className: "claim", "data-claim": claim.id });
    var meta = el("div", { className: "meta" }, [
      el("span", {}, [sourceLink(claim.url, claim.title || claim.url || "untitled source")]),
      claim.publisher ? el("span", { text: claim.publisher }) : null,
      claim.published ? el("span", { text: claim.published }) : null,
      el("span", { text: "certainty: " + (claim.certainty || "?") }),
      claim.attributed_to ? el("span", { text: "according to " + claim.attributed_to }) : null,
      claim.event ? el("span", { text: claim.event }) : null
    ]);
    box.appendChild(meta);
    var textBox = el("div", { className: "source-text", text: claim.sentence || "" });
    box.appendChild(textBox);
    if (claim.document_id) {
      documentText(claim.document_id).then(function (doc) {
        var full = highlighted(doc && doc.text, claim.sentence_start, claim.sentence_end, claim.sentence);
        box.replaceChild(full, textBox);
        textBox = full;
        var mark = full.querySelector("mark");
        if (mark) full.scrollTop = Math.max(0, mark.offsetTop - 30);
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

  function reviewForm(claim, statusBox, history) {
    var comment = el("input", { type: "text", placeholder: "comment", "aria-label": "comment", className: "comment" });
    var fields = el("textarea", { className: "fields", rows: 2, hidden: "hidden",
      placeholder: '{"quantity": 7} — corrected fields as JSON', "aria-label": "corrected fields" });
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
      }
      api("/api/claims/" + encodeURIComponent(claim.id) + "/reviews", {
        method: "POST",
        headers: { "Content-Type": "application/json", Accept: "application/json", Authorization: "Bearer " + token },
        body: JSON.stringify(body)
      }).then(function (saved) {
        message("Review recorded: " + action + " on claim " + claim.id, "ok");
        comment.value = "";
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
      comment, fields
    ]);
  }

  // ---------------------------------------------------------------- entity pages
  function renderValue(value) {
    if (value === null || value === undefined) return document.createTextNode("");
    if (Array.isArray(value)) {
      var list = el("ul");
      value.slice(0, 200).forEach(function (v) { list.appendChild(el("li", {}, [renderValue(v)])); });
      return list;
    }
    if (typeof value === "object") {
      var dl = el("dl", { className: "facts" });
      Object.keys(value).forEach(function (key) {
        dl.appendChild(el("dt", { text: key }));
        var dd = el("dd", {}, [renderValue(value[key])]);
        if (key === "url") { clear(dd); dd.appendChild(sourceLink(value[key])); }
        if (key === "id" && state.byId[value[key]]) {
          clear(dd);
          var obsId = value[key];
          dd.appendChild(el("button", { type: "button", className: "entity-link", text: obsId,
            onclick: function () { select(obsId, "entity"); } }));
        }
        dl.appendChild(dd);
      });
      return dl;
    }
    return document.createTextNode(String(value));
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
      panel.appendChild(el("h2", { text: kind + ": " + ((entity && (entity.name || entity.canonical_name)) || id) }));
      var rest = {};
      Object.keys(entity || {}).forEach(function (k) { if (k !== "observations") rest[k] = entity[k]; });
      panel.appendChild(renderValue(rest));
      var list = el("ul", { className: "entity-observations" });
      ((entity && entity.observations) || []).forEach(function (o) {
        var label = (o.equipment || "?") + (o.place ? " @ " + o.place : "") + (o.first_seen ? " (" + o.first_seen + ")" : "");
        list.appendChild(el("li", {}, [state.byId[o.id]
          ? el("button", { type: "button", className: "entity-link", text: label, onclick: function () { select(o.id, "entity"); } })
          : el("span", { text: label })]));
      });
      panel.appendChild(el("h3", { text: "Observations" }));
      panel.appendChild(list);
    }).catch(function (err) {
      clear(panel);
      panel.appendChild(el("p", { className: "error", text: "No " + kind + " page for " + id + ": " + err.message }));
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
    initToken();
    initMap();
    initTimeline();
    initFilters();
    load(true);
    window.orbat = { select: select, state: state, sidcFor: sidcFor, timeline: timeline, map: map,
      showInTimeline: showInTimeline,
      reload: function () { return load(false); } };
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
