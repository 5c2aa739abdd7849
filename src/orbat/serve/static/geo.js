/* orbat map geometry: the 180° line and arrowheads measured in screen pixels.
 *
 * Why: Leaflet joins consecutive points with a straight line on the map, so a ring or route that
 * steps from 179.9° to -179.9° is drawn right across the world (Russia, Fiji). Rings are made
 * continuous (longitudes may pass 180, which Leaflet draws east of the line); routes are split
 * into two lines where they cross it. Arrowheads are recomputed from pixel positions at each
 * zoom, so they stay the same size on screen instead of covering the map when zoomed in.
 */
(function () {
  "use strict";

  /** A ring whose longitudes never jump by more than 180°, shifted to sit mostly within ±180. */
  function unwrapRing(ring) {
    if (!ring.length) return ring;
    var out = [[ring[0][0], ring[0][1]]], shift = 0;
    for (var i = 1; i < ring.length; i++) {
      var step = ring[i][0] - ring[i - 1][0];
      if (step > 180) shift -= 360; else if (step < -180) shift += 360;
      out.push([ring[i][0] + shift, ring[i][1]]);
    }
    var mean = out.reduce(function (sum, p) { return sum + p[0]; }, 0) / out.length;
    var back = mean > 180 ? -360 : mean < -180 ? 360 : 0;
    return back ? out.map(function (p) { return [p[0] + back, p[1]]; }) : out;
  }

  /** A GeoJSON geometry (Polygon or MultiPolygon) with every ring made continuous. */
  function unwrapGeometry(geometry) {
    if (!geometry) return geometry;
    if (geometry.type === "Polygon") {
      return { type: "Polygon", coordinates: geometry.coordinates.map(unwrapRing) };
    }
    if (geometry.type === "MultiPolygon") {
      return { type: "MultiPolygon", coordinates: geometry.coordinates.map(function (p) { return p.map(unwrapRing); }) };
    }
    return geometry;
  }

  /** [lat, lon] points as one or more lines, cut where a step crosses the 180° line the short way. */
  function splitAtAntimeridian(points) {
    var lines = [[points[0]]];
    for (var i = 1; i < points.length; i++) {
      var a = points[i - 1], b = points[i], step = b[1] - a[1];
      if (Math.abs(step) > 180) {
        var east = a[1] > 0;  // leaving eastwards over +180, arriving from -180
        var edge = east ? 180 : -180;
        var bLon = b[1] + (east ? 360 : -360);
        var t = (edge - a[1]) / (bLon - a[1]);
        var lat = a[0] + t * (b[0] - a[0]);
        lines[lines.length - 1].push([lat, edge]);
        lines.push([[lat, -edge]]);
      }
      lines[lines.length - 1].push(b);
    }
    return lines.filter(function (line) { return line.length >= 2; });
  }

  /** The three corners of an arrowhead `size` screen pixels long at the end of prev → end. */
  function arrowHead(map, prev, end, size) {
    var tip = map.latLngToLayerPoint(end), from = map.latLngToLayerPoint(prev);
    var dx = tip.x - from.x, dy = tip.y - from.y, length = Math.sqrt(dx * dx + dy * dy);
    if (!length) return null;
    var ux = dx / length, uy = dy / length, half = size * 0.45;
    var back = L.point(tip.x - ux * size, tip.y - uy * size);
    return [end, map.layerPointToLatLng(L.point(back.x - uy * half, back.y + ux * half)),
      map.layerPointToLatLng(L.point(back.x + uy * half, back.y - ux * half))];
  }

  /** How many steps of more than 180° a Leaflet layer's rings or lines hold (0 when drawn right). */
  function longJumps(latlngs) {
    if (!Array.isArray(latlngs) || !latlngs.length) return 0;
    if (Array.isArray(latlngs[0])) return latlngs.reduce(function (n, part) { return n + longJumps(part); }, 0);
    var jumps = 0;
    for (var i = 1; i < latlngs.length; i++) if (Math.abs(latlngs[i].lng - latlngs[i - 1].lng) > 180) jumps++;
    return jumps;
  }

  window.orbatGeo = { unwrapRing: unwrapRing, unwrapGeometry: unwrapGeometry, splitAtAntimeridian: splitAtAntimeridian,
    arrowHead: arrowHead, longJumps: longJumps };
})();
