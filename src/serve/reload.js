// normbook serve: reloads this page after each rebuild; shows build errors.
(function () {
  "use strict";
  var src = document.currentScript.src;
  var base = src.replace(/reload\.js(\?.*)?$/, "");
  // The build this page came from: a newer one means reload, however soon it came.
  var seen = Number((src.match(/[?&]build=(\d+)/) || [])[1]);
  var overlay = null;
  function show(status) {
    if (!overlay) {
      var css = document.createElement("link");
      css.rel = "stylesheet";
      css.href = base + "reload.css";
      document.head.appendChild(css);
      overlay = document.createElement("div");
      overlay.className = "normbook-error-overlay";
      overlay.setAttribute("role", "alert");
      var title = document.createElement("h2");
      var pre = document.createElement("pre");
      overlay.appendChild(title);
      overlay.appendChild(pre);
      document.body.appendChild(overlay);
    }
    overlay.querySelector("h2").textContent = status.last_good
      ? "The last rebuild failed: this page is the last good build"
      : "The site has not been built yet: fix these problems, and this page reloads";
    overlay.querySelector("pre").textContent = status.errors;
  }
  // One poll chain per page: a tab shown again polls at once instead of starting a second chain.
  var timer = null;
  var busy = false;
  function schedule(ms) {
    clearTimeout(timer);
    timer = setTimeout(poll, ms);
  }
  function poll() {
    if (busy) return;
    busy = true;
    fetch(base + "build", { cache: "no-store" })
      .then(function (r) { return r.json(); })
      .then(function (status) {
        busy = false;
        if (!status.ok) show(status);
        if (status.id !== seen && status.ok) { location.reload(); return; }
        schedule(document.hidden ? 1000 : 100);
      })
      .catch(function () { busy = false; schedule(1000); });
  }
  document.addEventListener("visibilitychange", function () { if (!document.hidden) schedule(0); });
  poll();
})();
