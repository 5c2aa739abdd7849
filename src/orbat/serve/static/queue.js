/* orbat review queue: unreviewed claims behind the current filters, the ones that move the most
 * observations first (/api/review-queue), reviewed from the keyboard.
 *
 * Keys (when the Review tab is open and no text field has focus): j or ↓ next, k or ↑ previous,
 * a accept, r reject, Enter shows the claim's observation with its evidence.
 * Reviews go through the same API as the evidence panel, with the analyst's token in the
 * Authorization header; the server decides who may review (401 / 403 are shown in words).
 */
(function () {
  "use strict";

  var PAGE = 100;
  var DONE = { accept: "accepted", reject: "rejected" };
  var view = { list: null, summary: null, more: null, deps: null, claims: [], total: 0, current: -1, query: "" };

  function clear(n) { while (n.firstChild) n.removeChild(n.firstChild); }

  function items() { return Array.prototype.slice.call(view.list.querySelectorAll(".queue-item")); }

  /** Make item `index` the current one: highlighted, focused and scrolled into view. */
  function focusItem(index) {
    var all = items();
    if (!all.length) { view.current = -1; return; }
    view.current = Math.max(0, Math.min(index, all.length - 1));
    all.forEach(function (item, i) { item.classList.toggle("current", i === view.current); });
    all[view.current].focus({ preventScroll: true });
    all[view.current].scrollIntoView({ block: "nearest" });
  }

  function nextOpen(from) {
    var all = items();
    for (var i = from + 1; i < all.length; i++) if (!all[i].classList.contains("done")) return i;
    return Math.min(from + 1, all.length - 1);
  }

  function review(index, action) {
    var item = items()[index], claim = view.claims[index], el = view.deps.el;
    if (!item || !claim || item.getAttribute("data-pending")) return;
    var token = view.deps.token();
    if (!token) { view.deps.message("Paste an analyst token first: reviews need one.", "error"); return; }
    item.setAttribute("data-pending", "1");
    view.deps.api("/api/claims/" + encodeURIComponent(claim.id) + "/reviews", {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "application/json", Authorization: "Bearer " + token },
      body: JSON.stringify({ action: action, fields: {}, comment: "from the review queue" })
    }).then(function () {
      item.classList.add("done");
      item.setAttribute("data-status", DONE[action]);
      var status = item.querySelector(".queue-status");
      clear(status);
      status.appendChild(el("span", { className: "status " + DONE[action], text: "you " + DONE[action] + " it" }));
      view.deps.message("Review recorded: you " + DONE[action] + " a claim from " + (claim.publisher || "an unknown publisher")
        + " behind " + claim.impact + " observation(s).", "ok");
      if (view.current === index) focusItem(nextOpen(index));
    }).catch(function (err) {
      var why = err.status === 401 ? "Not signed in: the token was refused (401). "
        : err.status === 403 ? "Not allowed: this token may not review (403). " : "Review failed: ";
      view.deps.message(why + err.message, "error");
    }).then(function () { item.removeAttribute("data-pending"); });
  }

  function itemView(claim, index) {
    var el = view.deps.el, D = window.orbatDates;
    var systems = (claim.equipment || []).map(function (e) { return e.name; }).filter(Boolean);
    var weight = "behind " + claim.impact + " observation(s)"
      + (claim.sole_support ? ", the only support of " + claim.sole_support : "");
    var item = el("li", { className: "queue-item", tabindex: "-1", "data-claim": claim.id, "data-impact": claim.impact }, [
      el("div", { className: "meta" }, [
        el("span", { className: "certainty-badge c-" + (claim.certainty || "unknown"), text: claim.certainty || "certainty ?" }),
        el("strong", { text: claim.publisher || "unknown publisher" }),
        el("span", { text: claim.published ? D.describe(claim.published) : "undated" }),
        el("span", { className: "queue-impact", text: weight })
      ]),
      el("div", { className: "excerpt", text: claim.sentence || "" }),
      systems.length ? el("div", { className: "queue-systems", text: systems.join(", ") + (claim.place ? " @ " + claim.place : "") }) : null,
      el("div", { className: "review-form" }, [
        el("button", { type: "button", className: "accept", text: "Accept (a)", onclick: function () { focusItem(index); review(index, "accept"); } }),
        el("button", { type: "button", className: "reject", text: "Reject (r)", onclick: function () { focusItem(index); review(index, "reject"); } }),
        el("button", { type: "button", className: "open", text: "Evidence (Enter)", onclick: function () { open(index); } }),
        el("span", { className: "queue-status" })
      ])
    ]);
    item.addEventListener("click", function (e) { if (e.target === item || !e.target.closest("button")) focusItem(index); });
    return item;
  }

  function open(index) {
    var claim = view.claims[index];
    if (claim && (claim.observation_ids || []).length) view.deps.openObservation(claim.observation_ids[0]);
  }

  function showSummary() {
    view.summary.textContent = view.total
      ? view.claims.length + " of " + view.total + " unreviewed claim(s), those behind the most observations first."
      : "Nothing to review under these filters.";
    view.more.hidden = view.claims.length >= view.total;
  }

  /** (Re)load the queue for the page's filters (`query` is "?country=ML…" or ""); `more` appends a page. */
  function load(query, more) {
    if (!more) { view.query = query || ""; view.claims = []; clear(view.list); view.current = -1; }
    view.summary.textContent = "Loading the review queue…";
    var sep = view.query ? "&" : "?";
    return view.deps.api("/api/review-queue" + view.query + sep + "limit=" + PAGE + "&offset=" + view.claims.length).then(function (data) {
      (data.claims || []).forEach(function (claim) {
        view.list.appendChild(itemView(claim, view.claims.length));
        view.claims.push(claim);
      });
      view.total = data.total || 0;
      showSummary();
      if (!more) focusItem(0);
      view.list.setAttribute("data-loaded", String(Number(view.list.getAttribute("data-loaded") || 0) + 1));
    }).catch(function (err) {
      view.summary.textContent = "The review queue did not load: " + err.message;
    });
  }

  function onKey(e) {
    if (!view.deps.active() || e.ctrlKey || e.metaKey || e.altKey) return;
    var target = e.target;
    if (target && /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName)) return;
    if (target && target.tagName === "BUTTON" && (e.key === "Enter" || e.key === " ")) return;
    var key = e.key;
    if (key === "j" || key === "ArrowDown") focusItem(view.current + 1);
    else if (key === "k" || key === "ArrowUp") focusItem(view.current - 1);
    else if (key === "a") review(view.current, "accept");
    else if (key === "r") review(view.current, "reject");
    else if (key === "Enter") open(view.current);
    else return;
    e.preventDefault();
  }

  function init(container, deps) {
    var el = deps.el;
    view.deps = deps;
    view.summary = el("p", { id: "queue-summary", className: "queue-summary" });
    view.list = el("ol", { id: "queue-list" });
    view.more = el("button", { type: "button", id: "queue-more", text: "Load more", onclick: function () { load(view.query, true); } });
    view.more.hidden = true;
    container.appendChild(el("p", { className: "hint queue-keys",
      text: "Keys: j / ↓ next · k / ↑ previous · a accept · r reject · Enter evidence. Reviews need an analyst token." }));
    container.appendChild(view.summary);
    container.appendChild(view.list);
    container.appendChild(view.more);
    document.addEventListener("keydown", onKey);
  }

  window.orbatQueue = { init: init, load: load };
})();
