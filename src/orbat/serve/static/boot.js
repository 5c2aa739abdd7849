/* orbat: ask for the first page of observations while the map and symbol libraries still load.
 *
 * This file is tiny and sits in <head>, so its request leaves with the first bytes of the page,
 * before ~250 kB of compressed vendor scripts. app.js takes the answer only when the address it
 * would ask for itself is the same (the same filters, in the same order, and the same page size);
 * otherwise it asks again and this answer is dropped. A failed answer is reported by app.js like
 * one of its own, and its "retry" asks again.
 */
(function () {
  "use strict";
  var FILTERS = ["country", "actor", "equipment", "class", "certainty", "since", "until", "q"];
  var PAGE = 500;
  try {
    var from = new URLSearchParams(location.search), params = new URLSearchParams();
    FILTERS.forEach(function (name) {
      var value = from.get(name);
      if (value !== null && value.trim()) params.set(name, value.trim());
    });
    params.set("limit", String(PAGE));
    params.set("offset", "0");
    var url = "/api/observations?" + params.toString();
    window.orbatBoot = { url: url, response: fetch(url, { headers: { Accept: "application/json" } }) };
    // A failure is app.js's to report; never an unhandled rejection here.
    window.orbatBoot.response.catch(function () { return null; });
  } catch (e) {
    window.orbatBoot = null;
  }
})();
