// normbook.dom: the two small helpers every part of the form writes the page with.
// Classic script, not an ES module: pages opened from file:// cannot load modules (see
// docs/architecture.md); each file of form/ adds its part to window.normbook.
(function (normbook) {
  "use strict";

  /** A new element; `text` goes in as text, never as HTML. */
  function element(tag, className, text) {
    var el = document.createElement(tag);
    if (className) el.className = className;
    if (text !== undefined) el.textContent = text;
    return el;
  }

  /** "1 answer", "2 answers". */
  function plural(n, what) {
    return n + " " + what + (n === 1 ? "" : "s");
  }

  normbook.dom = { element: element, plural: plural };
})(window.normbook = window.normbook || {});
