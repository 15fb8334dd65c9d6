// Dragging for the ranking list that ranking.js builds: an item is picked up by its handle
// (.rk-grip) and dropped between two others, with a mouse, a pen or a finger. Pointer events,
// not HTML5 drag and drop, because phones do not fire the latter for touch. The handle alone
// takes the gesture (touch-action: none in the CSS), so the rest of the page still scrolls
// under a finger. The drop is handed to ranking.js as an "rk-move" event, which reorders,
// announces and saves exactly as the Move up / Move down buttons (the keyboard's way) do.
(function () {
  "use strict";
  var list = document.querySelector(".rk-js .rk-list");
  if (!list || !window.PointerEvent || !window.CustomEvent) { return; }

  var drag = null;

  function rows() {
    return Array.prototype.slice.call(list.children);
  }

  // Where the dragged row's middle now falls among the other rows, as a 0-based place.
  function placeAt(middle) {
    var place = 0;
    drag.others.forEach(function (o) { if (middle > o.middle) { place += 1; } });
    return place;
  }

  function unmark() {
    rows().forEach(function (li) { li.classList.remove("rk-drop-before", "rk-drop-after"); });
  }

  // A line where the row would land: above the row now at that place, or below the last one.
  function mark(place) {
    unmark();
    var others = drag.others;
    if (place === drag.from) { return; }
    if (place < others.length) {
      others[place].li.classList.add("rk-drop-before");
    } else if (others.length) {
      others[others.length - 1].li.classList.add("rk-drop-after");
    }
  }

  function end(drop) {
    if (!drag) { return; }
    var done = drag;
    drag = null;
    done.li.classList.remove("rk-dragging");
    done.li.style.transform = "";
    unmark();
    if (drop && done.place !== done.from) {
      list.dispatchEvent(new CustomEvent("rk-move", {
        detail: { code: done.li.dataset.code, to: done.place }
      }));
    }
  }

  list.addEventListener("pointerdown", function (event) {
    var grip = event.target.closest ? event.target.closest(".rk-grip") : null;
    if (!grip || drag || (event.pointerType === "mouse" && event.button !== 0)) { return; }
    var li = grip.closest("li");
    var all = rows();
    var from = all.indexOf(li);
    if (from < 0 || all.length < 2) { return; }
    event.preventDefault();
    drag = {
      li: li, from: from, place: from, pointer: event.pointerId,
      startY: event.pageY,
      middle: li.getBoundingClientRect().top + window.pageYOffset + li.offsetHeight / 2,
      others: all.filter(function (o) { return o !== li; }).map(function (o) {
        var r = o.getBoundingClientRect();
        return { li: o, middle: r.top + window.pageYOffset + r.height / 2 };
      })
    };
    if (grip.setPointerCapture) { grip.setPointerCapture(event.pointerId); }
    li.classList.add("rk-dragging");
  });

  list.addEventListener("pointermove", function (event) {
    if (!drag || event.pointerId !== drag.pointer) { return; }
    event.preventDefault();
    // Near the top or bottom of the screen the page scrolls, so a long list can be crossed.
    var edge = 48;
    if (event.clientY < edge) { window.scrollBy(0, -12); }
    if (event.clientY > window.innerHeight - edge) { window.scrollBy(0, 12); }
    var dy = event.pageY - drag.startY;
    drag.li.style.transform = "translateY(" + dy + "px)";
    drag.place = placeAt(drag.middle + dy);
    mark(drag.place);
  });

  list.addEventListener("pointerup", function (event) {
    if (drag && event.pointerId === drag.pointer) { end(true); }
  });
  list.addEventListener("pointercancel", function () { end(false); });
  list.addEventListener("lostpointercapture", function () { end(true); });
  document.addEventListener("keydown", function (event) {
    if (drag && event.key === "Escape") { end(false); }
  });
})();
