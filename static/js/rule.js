// Live preview for the consensus-rule editor: as the facilitator edits the rule or types a
// distribution, the form is sent to preview.json (which evaluates it with the server's own
// rule code) and the preview table is rebuilt. Without this file the Preview button asks the
// server for the same table in a full page.
(function () {
  "use strict";
  var form = document.getElementById("rule-form");
  var holder = document.getElementById("preview-table");
  var problem = document.getElementById("preview-problem");
  if (!form || !holder || !window.fetch || !window.URLSearchParams) { return; }
  var url = form.getAttribute("data-preview");
  var timer = null;
  var sent = 0;

  function cell(tag, text, scope) {
    var el = document.createElement(tag);
    el.textContent = String(text);
    if (scope) { el.setAttribute("scope", scope); }
    return el;
  }

  function draw(data) {
    var table = document.createElement("table");
    table.className = "list";
    var caption = document.createElement("caption");
    caption.className = "visually-hidden";
    caption.textContent = document.getElementById("preview-title").textContent;
    table.appendChild(caption);
    var head = document.createElement("thead");
    var row = document.createElement("tr");
    var first = holder.querySelector("thead th");
    row.appendChild(cell("th", first ? first.textContent : "", "col"));
    data.points.forEach(function (p) { row.appendChild(cell("th", p, "col")); });
    row.appendChild(cell("th", "U", "col"));
    data.rules.forEach(function (r) { row.appendChild(cell("th", r, "col")); });
    head.appendChild(row);
    table.appendChild(head);
    var body = document.createElement("tbody");
    data.rows.forEach(function (r) {
      var tr = document.createElement("tr");
      tr.appendChild(cell("th", r.label, "row"));
      r.counts.forEach(function (c) { tr.appendChild(cell("td", c)); });
      tr.appendChild(cell("td", r.unable));
      r.statuses.forEach(function (s) {
        var td = cell("td", s.text);
        td.setAttribute("data-status", s.status);
        tr.appendChild(td);
      });
      body.appendChild(tr);
    });
    table.appendChild(body);
    holder.replaceChildren(table);
  }

  function refresh() {
    var mine = ++sent;
    var params = new URLSearchParams(new FormData(form));
    fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: params.toString()
    }).then(function (response) {
      return response.json().then(function (data) { return { ok: response.ok, data: data }; });
    }).then(function (result) {
      if (mine !== sent) { return; }
      if (result.ok) {
        problem.textContent = "";
        draw(result.data);
      } else {
        problem.textContent = result.data.message || "";
      }
    }).catch(function () { /* the Preview button still works */ });
  }

  function schedule() {
    if (timer) { clearTimeout(timer); }
    timer = setTimeout(refresh, 300);
  }

  form.addEventListener("input", schedule);
  form.addEventListener("change", schedule);
})();
