// Progressive enhancement for the CHNRI form: each answer saves itself as it is chosen, with a
// status under its question and the progress counter kept live. Without this file the form
// works as is (Save, or Submit, posts the whole page).
(function () {
  "use strict";
  var form = document.getElementById("chnri");
  if (!form || !window.fetch || !window.URLSearchParams) { return; }
  var d = form.dataset;
  var progress = document.getElementById("progress");
  var howTo = document.getElementById("how-to");
  if (howTo && howTo.dataset.autosave) { howTo.textContent = howTo.dataset.autosave; }

  function status(fs, text, failed) {
    var st = fs.querySelector(".st");
    st.textContent = text;
    st.className = failed ? "st no" : "st";
  }

  form.addEventListener("change", function (ev) {
    var input = ev.target;
    if (input.type !== "radio") { return; }
    var fs = input.closest("fieldset");
    status(fs, d.saving, false);
    var body = new URLSearchParams();
    body.set("field", input.name);
    body.set("answer", input.value);
    fetch(form.getAttribute("action") + "/chnri", {
      method: "POST",
      headers: { "Accept": "application/json" },
      body: body,
      credentials: "same-origin"
    }).then(function (res) {
      return res.json().then(function (json) { return { ok: res.ok, json: json }; });
    }).then(function (r) {
      if (!r.ok) { throw new Error(r.json.message || "error"); }
      status(fs, d.saved, false);
      if (r.json.progress_text && progress) { progress.textContent = r.json.progress_text; }
    }).catch(function (e) {
      status(fs, d.failed + (e && e.message ? ": " + e.message : ""), true);
    });
  });
}());
