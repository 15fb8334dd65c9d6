// Keeps the study dashboard's counts current without a reload: every 15 s it fetches the
// study's status.json and rewrites the numbers and status cells in place. Without this file
// the page shows the counts of when it was loaded, and a reload updates them.
(function () {
  "use strict";
  var board = document.getElementById("dashboard");
  if (!board || !window.fetch) { return; }
  var url = board.getAttribute("data-status");
  var updated = board.querySelector("[data-live='updated']");

  function set(el, value) {
    if (el && el.textContent !== String(value)) { el.textContent = String(value); }
  }

  function apply(data) {
    var round = data.round;
    if (!round) { return; }
    ["rate", "responded", "submitted", "answered_not_submitted", "invited"].forEach(function (key) {
      set(board.querySelector("[data-live='" + key + "']"), round[key]);
    });
    round.groups.forEach(function (g) {
      var row = board.querySelector("tr[data-group='" + CSS.escape(g.key) + "']");
      if (!row) { return; }
      ["invited", "responded", "submitted", "answered_not_submitted", "rate"].forEach(function (key) {
        set(row.querySelector("[data-f='" + key + "']"), g[key]);
      });
    });
    round.experts.forEach(function (e) {
      var row = board.querySelector("tr[data-expert='" + CSS.escape(e.pseudonym) + "']");
      if (!row) { return; }
      set(row.querySelector("[data-f='status']"), e.status_label);
      set(row.querySelector("[data-f='email']"), e.email_label + (e.email_error ? " — " + e.email_error : ""));
    });
    if (updated) { set(updated, new Date().toLocaleTimeString()); }
  }

  function poll() {
    fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) { if (data) { apply(data); } })
      .catch(function () { /* offline for a moment: the next poll tries again */ });
  }

  window.setInterval(poll, 15000);
})();
