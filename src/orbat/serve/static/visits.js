/* orbat "new since my last visit", kept in this browser's localStorage.
 *
 * Why by what was shown rather than by a server date: an observation is new to an analyst if the
 * page never showed it to them, and it has more to read if its claim count grew since they saw it
 * — whatever the publication dates say (a report published last year may arrive today). Nothing
 * leaves the browser: the record is observation ids and claim counts under one key.
 *
 * The baseline is read once, when the page opens; everything shown during this visit is written
 * back as it loads, so the next visit compares against it.
 */
(function () {
  "use strict";

  var KEY = "orbat.visits";
  var MAX_REMEMBERED = 50000; // ids kept at most (a few hundred kB), the most recently shown
  var baseline = null, record = null, started = new Date().toISOString();

  function read() {
    try {
      var data = JSON.parse(localStorage.getItem(KEY) || "null");
      return data && typeof data === "object" && data.seen && typeof data.seen === "object" ? data : null;
    } catch (e) { return null; }
  }

  /** Read the previous visit; returns when it was (ISO text) or null on a first visit. */
  function begin() {
    var stored = read();
    baseline = stored ? { at: String(stored.at || ""), seen: stored.seen } : null;
    record = { at: started, seen: Object.assign({}, stored ? stored.seen : {}) };
    return baseline ? baseline.at : null;
  }

  /** "new" (never shown before), "updated" (more claims than when last shown) or "" (nothing new). */
  function classify(obs) {
    if (!baseline) return "";
    var before = baseline.seen[obs.id];
    if (before === undefined) return "new";
    return (Number(obs.claim_count) || 0) > before ? "updated" : "";
  }

  /** Note these observations as shown during this visit. */
  function remember(observations) {
    if (!record) begin();
    observations.forEach(function (o) {
      delete record.seen[o.id]; // re-inserted last: object key order keeps the most recent at the end
      record.seen[o.id] = Number(o.claim_count) || 0;
    });
    var ids = Object.keys(record.seen);
    if (ids.length > MAX_REMEMBERED) ids.slice(0, ids.length - MAX_REMEMBERED).forEach(function (id) { delete record.seen[id]; });
    record.at = started;
    try { localStorage.setItem(KEY, JSON.stringify(record)); } catch (e) { /* storage full or off: nothing to keep */ }
  }

  /** Forget every visit: the next page load is a first visit again. */
  function forget() {
    localStorage.removeItem(KEY);
    baseline = null;
    record = { at: started, seen: {} };
  }

  window.orbatVisits = { begin: begin, classify: classify, remember: remember, forget: forget,
    previous: function () { return baseline ? baseline.at : null; } };
})();
