// Offers the figure of /console/s/SLUG/figure as a PNG at three times its size, drawn from the
// SVG on the page: the SVG becomes an image (a data: URL, which the Content-Security-Policy's
// img-src allows), the image is painted on a canvas on white, and the canvas is saved. The
// button is added here, so a browser without JavaScript shows only the SVG download; the server
// never rasterises text, which would need a font stack of its own.
(function () {
  "use strict";
  var box = document.getElementById("figure-downloads");
  var svg = document.querySelector("#figure svg");
  var canvasWorks = !!document.createElement("canvas").getContext;
  if (!box || !svg || !window.XMLSerializer || !canvasWorks || !svg.viewBox || !svg.viewBox.baseVal) {
    return;
  }
  var SCALE = 3;
  var name = box.getAttribute("data-png-name") || "figure.png";
  var button = document.createElement("button");
  button.type = "button";
  button.textContent = box.getAttribute("data-png-label");
  box.appendChild(document.createTextNode(" "));
  box.appendChild(button);

  function failed() {
    button.disabled = false;
    var note = box.querySelector("[role='alert']");
    if (!note) {
      note = document.createElement("span");
      note.setAttribute("role", "alert");
      box.appendChild(document.createTextNode(" "));
      box.appendChild(note);
    }
    note.textContent = box.getAttribute("data-png-failed");
  }

  function save(href, done) {
    var link = document.createElement("a");
    link.href = href;
    link.download = name;
    document.body.appendChild(link);
    link.click();
    document.body.removeChild(link);
    if (done) { setTimeout(done, 1000); }
  }

  button.addEventListener("click", function () {
    var view = svg.viewBox.baseVal;
    var copy = svg.cloneNode(true);
    // Sized, the image has the figure's own dimensions in every browser.
    copy.setAttribute("width", String(view.width));
    copy.setAttribute("height", String(view.height));
    var xml = new XMLSerializer().serializeToString(copy);
    var image = new Image();
    button.disabled = true;
    image.onerror = failed;
    image.onload = function () {
      try {
        var canvas = document.createElement("canvas");
        canvas.width = Math.round(view.width * SCALE);
        canvas.height = Math.round(view.height * SCALE);
        var context = canvas.getContext("2d");
        context.fillStyle = "#ffffff";
        context.fillRect(0, 0, canvas.width, canvas.height);
        context.drawImage(image, 0, 0, canvas.width, canvas.height);
        if (canvas.toBlob && window.URL && URL.createObjectURL) {
          canvas.toBlob(function (blob) {
            if (!blob) { failed(); return; }
            var url = URL.createObjectURL(blob);
            save(url, function () { URL.revokeObjectURL(url); });
            button.disabled = false;
          }, "image/png");
        } else {
          save(canvas.toDataURL("image/png"));
          button.disabled = false;
        }
      } catch (e) {
        failed();
      }
    };
    image.src = "data:image/svg+xml;charset=utf-8," + encodeURIComponent(xml);
  });
})();
