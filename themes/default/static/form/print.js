// normbook.print: readies a survey page for print, filled or blank, and puts it back after.
// Typed text is copied into plain blocks that flow at any paper size (a field keeps its
// screen height and would cut a long answer); each question goes in a table whose header
// Chromium repeats on every page the question runs onto. The page wiring calls `prepare`
// on `beforeprint` and `restore` on `afterprint`.
(function (normbook) {
  "use strict";

  var controls = normbook.controls;
  var printing = null; // what `prepare` changed, for `restore` to put back

  /** Readies the page for print: room for two items per list; typed text copied into
   *  plain blocks; answers that the branching hides left out of a filled print (and every
   *  answer out of a blank one); each question in a table; every guidance shown. */
  function prepare(mode) {
    if (printing) return;
    printing = { added: [], cleared: [], values: [], wrapped: [], opened: [] };
    if (document.activeElement && document.activeElement.blur) document.activeElement.blur();
    Array.prototype.forEach.call(document.querySelectorAll("[data-items]"), function (list) {
      var holder = list.parentElement;
      while (controls.items(holder).length < 2) printing.added.push(controls.addItem(list, holder.querySelector("template[data-item-template]")));
      controls.renumber(holder);
    });
    Array.prototype.forEach.call(document.querySelectorAll("[data-q] input, [data-q] textarea"), function (el) {
      if (mode === "blank" || el.closest("[hidden]")) clearForPrint(el);
      copyTyped(el);
    });
    Array.prototype.forEach.call(document.querySelectorAll(".question"), function (question) {
      var table = wrap(question);
      if (table) printing.wrapped.push(table);
    });
    Array.prototype.forEach.call(document.querySelectorAll("details:not([open])"), function (d) {
      d.open = true;
      printing.opened.push(d);
    });
  }

  function clearForPrint(el) {
    printing.cleared.push([el, el.checked, el.value]);
    if (el.type === "radio" || el.type === "checkbox") el.checked = false;
    else el.value = "";
  }

  /** A plain block after a text box, holding its text (a print-value copy). */
  function copyTyped(el) {
    var typed = el.type !== "radio" && el.type !== "checkbox" && el.type !== "file" && el.value.trim() !== "";
    if (!typed) return;
    var copy = document.createElement("div");
    copy.className = "print-value";
    copy.textContent = el.value;
    el.after(copy);
    printing.values.push(copy);
  }

  /** Puts a question in a one-cell table headed by its number and text (none for a
   *  question with no heading of its own, such as a confirmation). */
  function wrap(question) {
    var heading = question.querySelector(":scope > legend, :scope > .control-label");
    if (!heading) return null;
    var table = document.createElement("table");
    table.className = "print-question " + question.className.replace("question", "").trim();
    table.setAttribute("role", "presentation");
    var th = document.createElement("th");
    Array.prototype.forEach.call(heading.childNodes, function (node) { th.appendChild(node.cloneNode(true)); });
    table.createTHead().insertRow().appendChild(th);
    question.before(table);
    table.createTBody().insertRow().insertCell().appendChild(question);
    return table;
  }

  function restore() {
    if (!printing) return;
    printing.wrapped.forEach(function (table) {
      table.before(table.querySelector("td").firstChild);
      table.remove();
    });
    printing.values.forEach(function (copy) { copy.remove(); });
    printing.added.forEach(function (item) {
      var holder = item.parentElement.parentElement;
      item.remove();
      controls.renumber(holder);
    });
    printing.cleared.forEach(function (saved) { saved[0].checked = saved[1]; saved[0].value = saved[2]; });
    printing.opened.forEach(function (d) { d.open = false; });
    printing = null;
  }

  normbook.print = { prepare: prepare, restore: restore };
})(window.normbook = window.normbook || {});
