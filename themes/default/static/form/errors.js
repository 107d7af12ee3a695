// normbook.errors: word limits shown on the page. The live count under each text box, a
// field over its limit marked as the GOV.UK Design System does (a message above it, read
// with it, a border on its group), and the error summary listed before an export, each
// item a link that moves focus to its field, here or on its page.
(function (normbook) {
  "use strict";

  var model = window.normbookSurvey;
  var element = normbook.dom.element;
  var limits = normbook.limits;
  var controls = normbook.controls;

  /** Updates the "n of limit words" under `textarea`; clears its error once under. */
  function showCount(textarea) {
    var limit = parseInt(textarea.getAttribute("data-word-limit"), 10);
    var output = document.getElementById(textarea.id + "-count");
    if (!output || !limit) return;
    var n = limits.countWords(textarea.value);
    var over = n > limit;
    output.textContent = over
      ? n + " words: " + (n - limit) + " over the limit of " + limit + "."
      : n + " of " + limit + " words.";
    output.classList.toggle("over", over);
    textarea.setAttribute("aria-invalid", over ? "true" : "false");
    if (!over) unmark(textarea);
  }

  /** Updates every word count within `scope`. */
  function showCounts(scope) {
    Array.prototype.forEach.call(scope.querySelectorAll("textarea[data-word-limit]"), showCount);
  }

  /** The text box of a problem on this page, if it is here. */
  function fieldOf(problem) {
    var container = document.querySelector('[data-q="' + problem.id + '"]');
    if (!container) return null;
    if (!problem.field) return controls.own(container, "textarea[data-value]")[0] || null;
    var holder = problem.instance !== undefined ? container.querySelector('[data-instance="' + problem.instance + '"]') : container;
    if (!holder) return null;
    var item = problem.item !== undefined ? controls.items(holder)[problem.item] : holder;
    return item ? item.querySelector('[data-field="' + problem.field.id + '"] textarea[data-value]') : null;
  }

  function mark(textarea, message) {
    unmark(textarea);
    var error = element("p", "error-message");
    error.id = textarea.id + "-error";
    error.setAttribute("data-error-message", "");
    error.appendChild(element("span", "visually-hidden", "Error: "));
    error.appendChild(document.createTextNode(message));
    textarea.parentNode.insertBefore(error, textarea);
    var described = textarea.getAttribute("aria-describedby");
    textarea.setAttribute("aria-describedby", error.id + (described ? " " + described : ""));
    var group = textarea.closest(".field, .question");
    if (group) group.classList.add("has-error");
  }

  function unmark(textarea) {
    var error = document.getElementById(textarea.id + "-error");
    if (!error) return;
    error.remove();
    var rest = (textarea.getAttribute("aria-describedby") || "").split(" ").filter(function (id) { return id && id !== error.id; });
    if (rest.length) textarea.setAttribute("aria-describedby", rest.join(" "));
    else textarea.removeAttribute("aria-describedby");
    var group = textarea.closest(".field, .question");
    if (group) group.classList.remove("has-error");
  }

  /** Marks, on this page, each field of `problems`; clears the marks of the others. */
  function markAll(problems) {
    Array.prototype.forEach.call(document.querySelectorAll("[data-q] textarea[data-value]"), unmark);
    problems.forEach(function (problem) {
      var field = fieldOf(problem);
      if (field) mark(field, limits.message(problem));
    });
  }

  function removeSummary() {
    var old = document.querySelector("[data-error-summary]");
    if (old) old.remove();
  }

  /** A link to the field of `problem`: on this page it moves focus there; else it goes to
   *  the question's page (`siteRoot` + its address). */
  function linkTo(problem, siteRoot) {
    var field = fieldOf(problem);
    var link = element("a", "", limits.message(problem));
    link.href = field ? "#" + field.id : siteRoot + model.questions[problem.id].href;
    if (field) {
      link.addEventListener("click", function (event) {
        event.preventDefault();
        focusField(field);
      });
    }
    return link;
  }

  /** A GOV.UK error summary at the top of the page for `problems` of the file of
   *  `contents`; its button calls `exportAnyway` (a draft may go out as it is). */
  function showSummary(problems, contents, siteRoot, exportAnyway) {
    removeSummary();
    markAll(problems);
    var n = problems.length;
    var summary = element("div", "error-summary");
    summary.setAttribute("data-error-summary", "");
    summary.tabIndex = -1;
    var alert = element("div");
    alert.setAttribute("role", "alert");
    alert.appendChild(element("h2", "error-summary-title", "There is a problem"));
    var body = element("div", "error-summary-body");
    body.appendChild(element("p", "", normbook.dom.plural(n, "answer") + " " + (n === 1 ? "is" : "are") + " over the word limit. Shorten " + (n === 1 ? "it" : "them") + " before you submit the survey."));
    var list = element("ul", "error-summary-list");
    problems.forEach(function (problem) {
      list.appendChild(element("li")).appendChild(linkTo(problem, siteRoot));
    });
    body.appendChild(list);
    body.appendChild(element("p", "", "A draft for coordination within your government can be exported as it is."));
    var anyway = element("button", "", contents === "separate" ? "Export points of contact anyway" : "Export answers anyway");
    anyway.type = "button";
    anyway.addEventListener("click", exportAnyway);
    body.appendChild(anyway);
    alert.appendChild(body);
    summary.appendChild(alert);
    var main = document.querySelector("main");
    main.insertBefore(summary, main.firstChild);
    summary.focus();
  }

  /** Focus on a field, its label or legend in view (as GOV.UK's error summary does). */
  function focusField(field) {
    var label = document.querySelector('label[for="' + field.id + '"]');
    field.focus({ preventScroll: true });
    (label || field).scrollIntoView({ block: "start" });
  }

  /** Arriving from an error summary of another page (`page.html#q-3-2`): focus on the
   *  field in error of that question. */
  function focusFromAddress() {
    var target = window.location.hash ? document.getElementById(decodeURIComponent(window.location.hash.slice(1))) : null;
    if (!target || !target.hasAttribute("data-q")) return;
    var error = target.querySelector("[data-error-message] + textarea");
    if (error) focusField(error);
  }

  normbook.errors = {
    showCount: showCount,
    showCounts: showCounts,
    markAll: markAll,
    showSummary: showSummary,
    removeSummary: removeSummary,
    focusFromAddress: focusFromAddress
  };
})(window.normbook = window.normbook || {});
