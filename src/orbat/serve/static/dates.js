/* orbat dates at the precision sources gave them.
 *
 * Why: "2019" handed to a date library is read as 2019 milliseconds after 1970, and "2019-05"
 * as the 1st of May. A partial date is a period: a year-long or month-long range, and the
 * tooltip says that only the year or the month is known.
 */
(function () {
  "use strict";

  var MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December"];

  /** {start, end, precision} in UTC for "YYYY", "YYYY-MM" or "YYYY-MM-DD"; null for anything else. */
  function period(text) {
    var m = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/.exec(String(text || "").trim());
    if (!m) return null;
    var y = Number(m[1]);
    if (!m[2]) return { start: new Date(Date.UTC(y, 0, 1)), end: new Date(Date.UTC(y + 1, 0, 1)), precision: "year" };
    var month = Number(m[2]) - 1;
    if (!m[3]) return { start: new Date(Date.UTC(y, month, 1)), end: new Date(Date.UTC(y, month + 1, 1)), precision: "month" };
    var start = new Date(Date.UTC(y, month, Number(m[3])));
    return { start: start, end: new Date(start.getTime() + 86400000), precision: "day" };
  }

  /** From the start of the first period to the end of the last: what an item covers. */
  function span(first, last) {
    var a = period(first), b = period(last) || a;
    if (!a) return null;
    return { start: a.start, end: b.end > a.start ? b.end : a.end, precision: a.precision, endPrecision: b.precision };
  }

  /** A date in words with its precision: "2019 (year only)", "May 2019 (month only)", "2019-05-03". */
  function describe(text) {
    var p = period(text);
    if (!p) return String(text || "");
    if (p.precision === "year") return p.start.getUTCFullYear() + " (year only)";
    if (p.precision === "month") return MONTHS[p.start.getUTCMonth()] + " " + p.start.getUTCFullYear() + " (month only)";
    return String(text);
  }

  function describeRange(first, last) {
    if (!first) return last ? describe(last) : "";
    if (!last || last === first) return describe(first);
    return describe(first) + " – " + describe(last);
  }

  window.orbatDates = { period: period, span: span, describe: describe, describeRange: describeRange };
})();
