// Progressive enhancement for a ranking round: the page's position selects become an ordered
// list ("Your ranking") with Move up / Move down / Remove buttons and a list of the items not
// chosen with Add buttons. Every change is announced in a live region and saved as it goes
// (POST /r/{token}/ranking, the same p_CODE fields as the form). The selects stay in the form,
// kept in step, so the Save button still posts the whole list. Without this file the selects
// work as they are. ranking_drag.js adds dragging by a handle: it only tells this file where an
// item was dropped (an "rk-move" event), so a drag and a button press are one path.
(function () {
  "use strict";
  var form = document.getElementById("ranking");
  var selects = document.getElementById("selects");
  if (!form || !selects || !window.fetch || !window.URLSearchParams || !window.FormData) { return; }
  // A page showing a refused list keeps the selects, where the errors are.
  if (document.getElementById("errors")) { return; }
  var d = form.dataset;
  var choose = Number(d.choose) || 1;
  var live = document.getElementById("rk-status");
  var items = Array.prototype.map.call(selects.querySelectorAll(".item.rk"), function (el) {
    var text = el.querySelector(".rk-text");
    return { code: el.dataset.code, text: text ? text.textContent : el.dataset.code,
             lang: text ? text.getAttribute("lang") : null,
             select: el.querySelector("select") };
  });
  var order = items.filter(function (it) { return it.select.value !== ""; })
    .sort(function (a, b) { return Number(a.select.value) - Number(b.select.value); });

  var box = document.createElement("div");
  box.className = "rk-js";
  var h1 = document.createElement("h2");
  h1.textContent = d.listTitle;
  h1.id = "rk-list-title";
  var list = document.createElement("ol");
  list.className = "rk-list";
  list.setAttribute("aria-labelledby", "rk-list-title");
  var hint = document.createElement("p");
  hint.className = "meta rk-hint";
  hint.textContent = d.dragHint;
  var empty = document.createElement("p");
  empty.className = "meta";
  empty.textContent = d.listEmpty;
  var full = document.createElement("p");
  full.className = "meta";
  full.textContent = d.full;
  var h2 = document.createElement("h2");
  h2.textContent = d.othersTitle;
  h2.id = "rk-others-title";
  var others = document.createElement("ul");
  others.className = "rk-others";
  others.setAttribute("aria-labelledby", "rk-others-title");
  [h1, hint, empty, list, h2, full, others].forEach(function (el) { box.appendChild(el); });
  selects.parentNode.insertBefore(box, selects);
  selects.hidden = true;

  function say(text) { live.textContent = text; }

  function fill(template, item, position) {
    return template.replace("{item}", item.text).replace("{position}", String(position))
      .replace("{total}", String(order.length));
  }

  function button(label, name, action, disabled) {
    var b = document.createElement("button");
    b.type = "button";
    b.className = "rk-btn";
    b.textContent = label;
    b.setAttribute("aria-label", label + ": " + name);
    b.dataset.action = action;
    b.disabled = !!disabled;
    return b;
  }

  function label(item) {
    var span = document.createElement("span");
    span.className = "rk-name";
    span.textContent = item.text;
    if (item.lang) { span.lang = item.lang; span.dir = "auto"; }
    return span;
  }

  function render(focus) {
    list.textContent = "";
    others.textContent = "";
    order.forEach(function (item, i) {
      var li = document.createElement("li");
      li.dataset.code = item.code;
      // The handle is for a pointer or a finger only; the buttons are the keyboard's way.
      var grip = document.createElement("span");
      grip.className = "rk-grip";
      grip.setAttribute("aria-hidden", "true");
      li.appendChild(grip);
      li.appendChild(label(item));
      var tools = document.createElement("span");
      tools.className = "rk-tools";
      tools.appendChild(button(d.up, item.text, "up", i === 0));
      tools.appendChild(button(d.down, item.text, "down", i === order.length - 1));
      tools.appendChild(button(d.remove, item.text, "remove"));
      li.appendChild(tools);
      list.appendChild(li);
    });
    items.forEach(function (item) {
      if (order.indexOf(item) >= 0) { return; }
      var li = document.createElement("li");
      li.dataset.code = item.code;
      li.appendChild(label(item));
      var tools = document.createElement("span");
      tools.className = "rk-tools";
      tools.appendChild(button(d.add, item.text, "add", order.length >= choose));
      li.appendChild(tools);
      others.appendChild(li);
    });
    empty.hidden = order.length > 0;
    hint.hidden = order.length < 2;
    full.hidden = order.length < choose;
    items.forEach(function (item) {
      var at = order.indexOf(item);
      item.select.value = at >= 0 ? String(at + 1) : "";
    });
    if (focus) {
      var target = box.querySelector("li[data-code=\"" + focus.code + "\"] button[data-action=\"" + focus.action + "\"]:not([disabled])") ||
        box.querySelector("li[data-code=\"" + focus.code + "\"] button:not([disabled])") ||
        box.querySelector("button:not([disabled])");
      if (target) { target.focus(); }
    }
  }

  // One save at a time: a newer list waits for the one in flight, then goes with the page's
  // latest state. (Aborting the older request would not stop the server, which could then
  // store it after the newer one.)
  var busy = false;
  var again = false;
  function save() {
    if (busy) { again = true; return; }
    busy = true;
    again = false;
    var body = new URLSearchParams(new FormData(form));
    fetch(form.action + "/ranking", {
      method: "POST", body: body, credentials: "same-origin",
      headers: { "Accept": "application/json" }
    }).then(function (r) {
      return r.json().then(function (j) { return { ok: r.ok, body: j }; });
    }).then(function (res) {
      if (!again) { say(res.ok ? d.saved : (res.body && res.body.message) || d.failed); }
    }).catch(function () {
      if (!again) { say(d.failed); }
    }).then(function () {
      busy = false;
      if (again) { save(); }
    });
  }

  box.addEventListener("click", function (event) {
    var b = event.target.closest ? event.target.closest("button[data-action]") : null;
    if (!b || b.disabled) { return; }
    var code = b.closest("li").dataset.code;
    var item = items.filter(function (it) { return it.code === code; })[0];
    var at = order.indexOf(item);
    var action = b.dataset.action;
    var message;
    if (action === "up" && at > 0) {
      order.splice(at, 1); order.splice(at - 1, 0, item); message = fill(d.moved, item, at);
    } else if (action === "down" && at >= 0 && at < order.length - 1) {
      order.splice(at, 1); order.splice(at + 1, 0, item); message = fill(d.moved, item, at + 2);
    } else if (action === "remove" && at >= 0) {
      order.splice(at, 1); message = fill(d.removed, item, 0);
    } else if (action === "add" && at < 0 && order.length < choose) {
      order.push(item); message = fill(d.added, item, order.length);
    } else { return; }
    render({ code: code, action: action === "add" ? "up" : action === "remove" ? "add" : action });
    say(message + " " + d.saving);
    save();
  });

  // A drop from ranking_drag.js: detail.code moved to the 0-based place detail.to.
  list.addEventListener("rk-move", function (event) {
    var code = event.detail && event.detail.code;
    var item = items.filter(function (it) { return it.code === code; })[0];
    var at = order.indexOf(item);
    var to = Math.max(0, Math.min(order.length - 1, Number(event.detail.to)));
    if (at < 0 || to === at || isNaN(to)) { return; }
    order.splice(at, 1);
    order.splice(to, 0, item);
    render(null);
    say(fill(d.moved, item, to + 1) + " " + d.saving);
    save();
  });

  render(null);
})();
