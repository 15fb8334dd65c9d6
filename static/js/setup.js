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
