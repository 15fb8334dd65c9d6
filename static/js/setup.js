// The study set-up form: the slug follows the title until someone edits it, and an empty time
// zone takes the browser's. The form works without this script; it only saves typing.
(function () {
  "use strict";
  var title = document.getElementById("f-title");
  var slug = document.getElementById("f-slug");
  if (title && slug) {
    var derived = slug.value === "" || slug.value === slugOf(title.value);
    slug.addEventListener("input", function () { derived = slug.value === ""; });
    title.addEventListener("input", function () { if (derived) { slug.value = slugOf(title.value); } });
  }
  var zone = document.getElementById("f-timezone");
  if (zone && zone.value === "" && window.Intl) {
    try { zone.value = Intl.DateTimeFormat().resolvedOptions().timeZone || ""; } catch (e) { /* leave it empty */ }
  }
  function slugOf(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase()
      .replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "").slice(0, 64).replace(/-+$/, "");
  }
})();

// The method chosen first decides which fieldsets the study uses: the others are hidden (the
// server ignores them anyway; without this script they all show, each saying what it is for).
(function () {
  "use strict";
  var choices = document.querySelectorAll("input[name=method]");
  if (!choices.length) { return; }
  function show() {
    var chosen = document.querySelector("input[name=method]:checked");
    var method = chosen ? chosen.value : "rating";
    document.querySelectorAll("[data-methods]").forEach(function (part) {
      part.hidden = part.getAttribute("data-methods").split(" ").indexOf(method) < 0;
    });
  }
  choices.forEach(function (choice) { choice.addEventListener("change", show); });
  show();
})();

// CHNRI asks once: choosing it on a new study sets one round, unless the number was typed.
(function () {
  "use strict";
  var max = document.getElementById("f-rounds-max");
  var start = document.querySelector("input[name=start]");
  if (!max || !start || document.querySelector("input[name=method][disabled]")) { return; }
  var set = max.value;
  max.addEventListener("input", function () { set = null; });
  document.querySelectorAll("input[name=method]").forEach(function (choice) {
    choice.addEventListener("change", function () {
      if (set === null) { return; }
      max.value = choice.value === "chnri" ? "1" : set;
    });
  });
})();
