// The desk page's little script: keep the scan box ready for the scanner, refresh the queue.
// No framework, no external files. The page works without it (plain forms).
(function () {
  "use strict";
  var scan = document.getElementById("payload");

  // A keyboard-wedge scanner types into whatever has focus: when nothing does, give it the
  // scan box before the first character lands.
  document.addEventListener("keydown", function (event) {
    var active = document.activeElement;
    if (scan && (!active || active === document.body) && !event.ctrlKey && !event.altKey &&
        !event.metaKey && event.key.length === 1) {
      scan.focus();
    }
  }, true);
  if (scan) {
    window.addEventListener("focus", function () {
      if (document.activeElement === document.body) { scan.focus(); }
    });
  }

  // Refresh the queue every 20 s, unless staff are using a control inside it.
  var queue = document.getElementById("queue");
  if (queue && window.fetch) {
    setInterval(function () {
      var current = document.getElementById("queue");
      if (!current || current.contains(document.activeElement)) { return; }
      fetch("/queue", { credentials: "same-origin", headers: { "Accept": "text/html" } })
        .then(function (r) { return r.ok ? r.text() : null; })
        .then(function (html) {
          if (!html) { return; }
          var holder = document.createElement("div");
          holder.innerHTML = html;
          var fresh = holder.querySelector("#queue");
          if (fresh && !current.contains(document.activeElement)) { current.replaceWith(fresh); }
        })
        .catch(function () { /* offline for a moment: try again next time */ });
    }, 20000);
  }
})();
