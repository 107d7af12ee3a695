// The search box: pagefind's own UI, from this site's own `pagefind/` bundle. Found from
// this script's address, so it works under any sub-path. Opened from a folder (file://),
// where pagefind cannot load its index, the box says so instead of failing silently.
(function () {
  "use strict";
  var box = document.getElementById("search");
  if (!box) return;
  var root = new URL(".", document.currentScript.src);
  if (root.protocol === "file:") {
    var note = document.createElement("p");
    note.className = "search-unavailable";
    note.textContent = "Search works when the handbook is served by a web server, not when its pages are opened from a folder.";
    box.appendChild(note);
    return;
  }
  if (typeof window.PagefindUI !== "function") return;
  new window.PagefindUI({
    element: "#search",
    baseUrl: root.pathname,
    bundlePath: root.pathname + "pagefind/",
    showSubResults: true,
    showImages: false,
    resetStyles: false,
    translations: { placeholder: "Search the handbook" },
  });
})();
