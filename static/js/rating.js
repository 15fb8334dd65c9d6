// Progressive enhancement for the rating form: autosave each answer as it changes, show a
// per-item status, keep the progress counter live, and ask "why did you change?" only when the
// new score lands in another band than last round's. Without this file the form works as is.
(function () {
  "use strict";
  var form = document.getElementById("rating");
  if (!form || !window.fetch || !window.URLSearchParams) { return; }
  var d = form.dataset;
  function bandsOf(text) {
    return (text || "").split(",").filter(Boolean).map(function (b) {
      var p = b.split("-"); return [Number(p[0]), Number(p[1])];
    });
  }
  var bands = bandsOf(d.bands);
  var progress = document.getElementById("progress");
  // With this script every answer saves itself: the instructions stop asking for Save.
  var howTo = document.getElementById("how-to");
  if (howTo && howTo.dataset.autosave) { howTo.textContent = howTo.dataset.autosave; }

  // A criterion on a scale of its own carries its bands on its fieldset.
  function bandOf(score, fs) {
    var own = fs.dataset.bands !== undefined ? bandsOf(fs.dataset.bands) : bands;
    for (var i = 0; i < own.length; i++) {
      if (score >= own[i][0] && score <= own[i][1]) { return i; }
    }
    return -1;
  }

  // `i-CODE`, or `i-CODE~criterion` for one criterion of an item (a study with criteria).
  function code(fs) { return fs.id.slice(2); }

  function chosen(fs) {
    var c = fs.querySelector("input[type=radio]:checked");
    return c ? c.value : "";
  }

  // The comment (`c_CODE`) or the reason (`r_CODE`) of this answer: the only one in its fieldset.
  function field(fs, prefix) {
    var el = fs.querySelector("textarea[name^=" + prefix + "_]");
    return el ? el.value : "";
  }

  // The reason field stays visible without JavaScript; with it, only on a change of band.
  function toggleWhy(fs) {
    var why = fs.querySelector(".why");
    if (!why || fs.dataset.pb === undefined) { return; }
    var score = Number(chosen(fs));
    var moved = chosen(fs) !== "" && chosen(fs) !== "U" && bandOf(score, fs) !== Number(fs.dataset.pb);
    var reason = why.querySelector("textarea");
    why.hidden = !moved && !(reason && reason.value);
  }

  function status(fs, text, failed) {
    var st = fs.querySelector(".st");
    if (!st) { return; }
    st.textContent = text;
    st.className = failed ? "st no" : "st";
    if (failed) {
      var b = document.createElement("button");
      b.type = "button";
      b.textContent = d.retry;
      b.addEventListener("click", function () { save(fs); });
      st.appendChild(document.createTextNode(" "));
      st.appendChild(b);
    }
  }

  function save(fs) {
    status(fs, d.saving, false);
    var body = new URLSearchParams();
    var named = code(fs).split("~");
    body.set("item", named[0]);
    if (named[1]) { body.set("criterion", named[1]); }
    body.set("score", chosen(fs));
    body.set("comment", field(fs, "c"));
    body.set("reason", field(fs, "r"));
    fetch(form.getAttribute("action") + "/answer", {
      method: "POST",
      headers: { "Accept": "application/json" },
      body: body,
      credentials: "same-origin"
    }).then(function (res) {
      return res.json().then(function (json) { return { ok: res.ok, json: json }; });
    }).then(function (r) {
      if (!r.ok) { throw new Error(r.json.message || "error"); }
      status(fs, d.saved, false);
      if (r.json.progress_text && progress) {
        progress.textContent = r.json.progress_text;
      }
      if (chosen(fs) !== "") { reveal(fs); }
    }).catch(function (e) {
      status(fs, d.failed + (e && e.message ? ": " + e.message : ""), true);
    });
  }

  // A study that shows the group's feedback only once an item is rated (after_rating): the
  // server sends it only after the answer is saved, so it is fetched now and put in place.
  // The note's paragraph is a live region: the change is announced, the focus stays put.
  function reveal(fs) {
    var slot = document.getElementById("f-" + code(fs));
    if (!slot || !slot.classList.contains("held")) { return; }
    var named = code(fs).split("~");
    var query = new URLSearchParams();
    query.set("item", named[0]);
    if (named[1]) { query.set("criterion", named[1]); }
    fetch(form.getAttribute("action") + "/feedback?" + query.toString(), {
      credentials: "same-origin"
    }).then(function (res) {
      return res.ok ? res.text() : null;
    }).then(function (html) {
      if (!html || !slot.classList.contains("held")) { return; }
      var got = document.createElement("div");
      got.innerHTML = html;
      var note = got.querySelector(".fbnew");
      var live = slot.querySelector("[aria-live]");
      if (!note || !live) { return; }
      got.removeChild(note);
      slot.classList.remove("held");
      live.className = "fbnew";
      live.textContent = note.textContent;
      while (got.firstChild) { slot.appendChild(got.firstChild); }
    }).catch(function () { /* the next page load shows it */ });
  }

  var timers = {};
  // An item asked on several criteria saves each criterion's fieldset on its own.
  Array.prototype.forEach.call(form.querySelectorAll("fieldset.item:not(.crits), fieldset.crit"), function (fs) {
    // Each answer's status line, a live region in place before anything is said in it. Only
    // this script writes there, so the page leaves it out.
    var st = document.createElement("p");
    st.className = "st";
    st.setAttribute("aria-live", "polite");
    fs.appendChild(st);
    toggleWhy(fs);
    fs.addEventListener("change", function () { toggleWhy(fs); save(fs); });
    // Text is saved after a pause in typing, so a dropped connection loses at most a sentence.
    fs.addEventListener("input", function (ev) {
      if (ev.target.tagName !== "TEXTAREA") { return; }
      clearTimeout(timers[fs.id]);
      timers[fs.id] = setTimeout(function () { save(fs); }, 1500);
    });
  });
}());
