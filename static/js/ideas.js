// Saves the ideas form as a draft while the expert types (the page works without this: the
// Save button posts the same form). One save at a time; the last change always gets saved.
(function () {
  "use strict";
  var form = document.getElementById("ideas");
  var status = document.getElementById("ideas-status");
  if (!form || !window.fetch || !window.FormData) return;
  var timer = null, busy = false, again = false;
  function say(text) { if (status) status.textContent = text || ""; }
  function save() {
    if (busy) { again = true; return; }
    busy = true;
    say(form.getAttribute("data-saving"));
    var body = new URLSearchParams(new FormData(form));
    // getAttribute: `form.action` is the button named "action", not the address.
    // getAttribute: `form.action` would be the button named "action", not the address.
    fetch(form.getAttribute("action"), { method: "POST", body: body, credentials: "same-origin", redirect: "follow" })
      .then(function (response) { say(form.getAttribute(response.ok ? "data-saved" : "data-failed")); })
      .catch(function () { say(form.getAttribute("data-failed")); })
      .then(function () { busy = false; if (again) { again = false; save(); } });
  }
  form.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(save, 1200);
  });
})();
