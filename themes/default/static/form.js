// normbook forms, the page wiring: keeps answers in this browser, applies branching,
// counts words, and moves answers only as files the user exports. Nothing here makes a
// network request. Everything the user typed is written back with .value or
// .textContent, never as HTML.
//
// The work is done by the parts in form/, loaded before this file, each adding itself to
// window.normbook: dom, schema (the generated schema and its validator), branching,
// storage, limits, controls, errors (word limits on the page), file (the answers file),
// print. This file joins them to the page and gives other scripts window.normbookAnswers
// (review, submission, merge and compare pages) and window.normbookPrint. They are classic
// scripts loaded in order with `defer`, not ES modules: Chromium refuses module scripts on
// a page opened from file:// (origin "null", CORS), and the handbook is used offline.
(function () {
  "use strict";

  var model = window.normbookSurvey;
  var nb = window.normbook || {};
  // Every page says which model it was made with; a cached model (or schema) of another
  // build would not fit the page, and must not touch the answers.
  var pageStamp = document.body ? document.body.getAttribute("data-survey-model") : null;
  var parts = ["dom", "schema", "branching", "storage", "limits", "controls", "errors", "file", "print"];
  var whole = parts.every(function (part) { return nb[part]; });
  if (!model || model.stamp !== pageStamp || !whole || nb.schema.stamp !== pageStamp) {
    whenReady(refuseOtherVersion);
    return;
  }
  var storage = nb.storage, branching = nb.branching, controls = nb.controls, limits = nb.limits;
  var errors = nb.errors, files = nb.file, element = nb.dom.element, plural = nb.dom.plural;

  var state = storage.load();

  /** The site's root, from this script's own address: links work at any sub-path and from a folder. */
  var siteRoot = document.currentScript ? new URL(".", document.currentScript.src).href : "";

  function save() {
    if (!storage.store(state)) say("Your browser does not let this page keep answers: export them before you leave.", true);
  }

  function say(message, isError) {
    var el = document.querySelector("[data-status]");
    if (!el) return;
    el.textContent = message;
    el.classList.toggle("error", !!isError);
  }

  // ---- the page's questions ----

  function questionsOnPage() {
    return Array.prototype.slice.call(document.querySelectorAll("[data-q]"));
  }

  function refreshWidgets(scope) {
    controls.showSpecify(scope);
    errors.showCounts(scope);
  }

  function applyBranching() {
    var memo = {};
    questionsOnPage().forEach(function (container) {
      // Hidden answers are kept: they come back if the user changes their mind.
      container.hidden = !branching.asks(state.answers, container.getAttribute("data-q"), memo);
    });
  }

  /** Keeps what the controls of `container` now hold. */
  function record(container) {
    var id = container.getAttribute("data-q");
    var value = controls.read(container);
    if (controls.isEmpty(value)) delete state.answers[id];
    else state.answers[id] = value;
    var details = controls.readDetails(container);
    if (details !== null && details.trim()) state.details[id] = details;
    else if (details !== null) delete state.details[id];
    save();
  }

  function fillPage() {
    questionsOnPage().forEach(function (container) {
      var id = container.getAttribute("data-q");
      controls.write(container, state.answers[id], state.details[id]);
      refreshWidgets(container);
    });
    Array.prototype.forEach.call(document.querySelectorAll("[data-prepared-by]"), function (input) { input.value = state.preparedBy; });
    applyBranching();
    showProgress();
    showRetired();
    errors.markAll(limits.overLimit(currentAnswers().answers));
  }

  function onEdit(event) {
    var container = event.target.closest("[data-q]");
    if (!container) return;
    if (event.target.matches("textarea[data-word-limit]")) errors.showCount(event.target);
    refreshWidgets(container);
    record(container);
    applyBranching();
  }

  function onClick(event) {
    var add = event.target.closest("[data-add-item]");
    var remove = event.target.closest("[data-remove-item]");
    if (add) {
      var holder = add.parentElement;
      var item = controls.addItem(holder.querySelector("[data-items]"), holder.querySelector("template[data-item-template]"));
      controls.renumber(holder);
      var first = item.querySelector("input, textarea");
      if (first) first.focus();
    } else if (remove) {
      var itemEl = remove.closest("[data-item]");
      var owner = itemEl.parentElement.parentElement;
      var container = itemEl.closest("[data-q]");
      itemEl.remove();
      controls.renumber(owner);
      record(container);
      var next = owner.querySelector("[data-add-item]");
      if (next) next.focus();
    }
  }

  // ---- current answers: the ones the branching asks ----

  function currentAnswers() {
    return branching.split(state, state.answers).current;
  }

  /** Each part's and each norm's count of answers, of the questions the answers so far ask. */
  function showProgress() {
    var answers = currentAnswers().answers;
    var memo = {};
    var show = function (element, ids) {
      var output = element.querySelector("[data-progress]");
      if (!output) return;
      var asked = ids.filter(function (id) { return model.questions[id] && branching.asks(state.answers, id, memo); });
      var answered = asked.filter(function (id) { return id in answers; }).length;
      output.textContent = "— " + answered + " of " + asked.length + " answered";
    };
    Array.prototype.forEach.call(document.querySelectorAll("[data-progress-part]"), function (element) {
      var part = model.parts.filter(function (p) { return p.id === element.getAttribute("data-progress-part"); })[0];
      if (part) show(element, part.questions);
    });
    Array.prototype.forEach.call(document.querySelectorAll("[data-progress-section]"), function (element) {
      var id = element.getAttribute("data-progress-section");
      model.parts.forEach(function (part) {
        (part.sections || []).forEach(function (section) { if (section.id === id) show(element, section.questions); });
      });
    });
  }

  // ---- answers to questions no longer asked ----

  /** An answer of any shape as plain text, for reading. */
  function readable(value) {
    if (value === true) return "Yes";
    if (value === false) return "No";
    if (value === null || value === undefined) return "";
    if (Array.isArray(value)) return value.map(readable).filter(Boolean).join("\n");
    if (typeof value !== "object") return String(value);
    if (Array.isArray(value.selected)) {
      var specify = value.specify || {};
      return value.selected.map(function (v) { return specify[v] ? v + " (" + readable(specify[v]) + ")" : v; }).join(", ");
    }
    return Object.keys(value).map(function (key) { return key + ": " + readable(value[key]); }).join("\n");
  }

  function showRetired() {
    var retired = state.retired;
    var ids = storage.idsOf(retired.answers, retired.details);
    Array.prototype.forEach.call(document.querySelectorAll("[data-retired]"), function (panel) {
      panel.hidden = ids.length === 0;
      var list = panel.querySelector("[data-retired-list]");
      list.textContent = "";
      ids.forEach(function (id) {
        list.appendChild(element("dt", "", "Question " + id));
        var dd = element("dd");
        if (storage.has(retired.answers, id)) dd.appendChild(element("p", "retired-answer", readable(retired.answers[id])));
        if (storage.has(retired.details, id)) dd.appendChild(element("p", "retired-answer", "Details: " + retired.details[id]));
        var button = element("button", "", "Delete this answer");
        button.type = "button";
        button.setAttribute("data-delete-retired", id);
        button.setAttribute("aria-label", "Delete the answer to question " + id);
        dd.appendChild(button);
        list.appendChild(dd);
      });
    });
  }

  function deleteRetired(id) {
    if (!window.confirm("Delete your answer to question " + id + "? It cannot be brought back, unless you import a file that holds it.")) return;
    var next = JSON.parse(JSON.stringify(state));
    delete next.retired.answers[id];
    delete next.retired.details[id];
    next.retired.separate = next.retired.separate.filter(function (other) { return other !== id; });
    if (!storage.store(next)) return say("Nothing was deleted: this browser did not let the page change its stored answers.", true);
    state = next;
    showRetired();
    say("Your answer to question " + id + " was deleted.");
  }

  // ---- export, import, clear ----

  function exportFile(contents) {
    var part = files.subset(state, contents);
    var file = files.newFile(contents, part.answers, part.details);
    var hidden = storage.idsOf(part.hidden.answers, part.hidden.details).length;
    var retired = storage.idsOf(part.retired.answers, part.retired.details).length;
    // Only when there are any: a file without them reads as before.
    if (hidden) file.hidden = part.hidden;
    if (retired) file.retired = part.retired;
    if (state.preparedBy.trim()) file.prepared_by = state.preparedBy.trim();
    var name = files.fileName(contents, state.preparedBy, new Date());
    files.download(file, name);
    var apart = [];
    if (hidden) apart.push(plural(hidden, "answer") + " kept for questions your answers skip");
    if (retired) apart.push(plural(retired, "answer") + " to questions no longer asked");
    var also = apart.length ? ", and apart from them " + apart.join(" and ") : "";
    say("Exported " + plural(Object.keys(part.answers).length, "answer") + " to " + name + also + ".");
  }

  /** Exports the file of `contents`; answers over their word limit are listed first, and
   *  exported only once the user asks again (`confirmed`). */
  function exportAnswers(contents, confirmed) {
    var problems = limits.overLimit(files.subset(state, contents).answers);
    if (problems.length && !confirmed) {
      return errors.showSummary(problems, contents, siteRoot, function () { exportAnswers(contents, true); });
    }
    errors.removeSummary();
    exportFile(contents);
  }

  /** Imports a parsed answers file; true when its answers are now this browser's. */
  function importFile(file, name) {
    var checked = files.check(file);
    if (checked[0]) {
      say("Nothing was imported: " + checked[0] + ".", true);
      return false;
    }
    var result = files.imported(state, file, checked[1]);
    if (!storage.store(result.next)) {
      say("Nothing was imported: this browser has no room to keep the answers in " + name + " (its storage for this site is full). Your answers are as they were.", true);
      return false;
    }
    state = result.next;
    fillPage();
    var n = result.retired;
    var also = n ? "; " + plural(n, "answer") + " to questions no longer asked " + (n === 1 ? "is" : "are") + " kept apart below" : "";
    var skipped = result.kept ? " (and " + plural(result.kept, "answer") + " kept for questions your answers skip)" : "";
    say("Imported " + plural(Object.keys(file.answers).length, "answer") + skipped + " from " + name + also + ".");
    return true;
  }

  function onImport(event) {
    var input = event.target;
    var chosen = input.files && input.files[0];
    if (!chosen) return;
    files.read(chosen).then(function (loaded) {
      input.value = "";
      var parsed = files.parse(loaded.text);
      var problem = parsed.json === false ? loaded.name + " is not a JSON file" : parsed.problem;
      if (problem) return say("Nothing was imported: " + problem + ".", true);
      importFile(parsed.file, loaded.name);
    });
  }

  function onClear() {
    if (!window.confirm("Clear every answer you have given in this browser? Export them first if you want to keep them.")) return;
    var next = storage.emptyState();
    next.preparedBy = state.preparedBy;
    if (!storage.store(next)) return say("Nothing was cleared: this browser did not let the page change its stored answers.", true);
    state = next;
    fillPage();
    say("Your answers were cleared.");
  }

  // ---- the tools: export, import, print, clear ----

  function onTool(event, file) {
    var exp = event.target.closest("[data-export]");
    if (exp) exportAnswers(exp.getAttribute("data-export"), false);
    var print = event.target.closest("[data-print]");
    if (print) {
      nb.print.prepare(print.getAttribute("data-print"));
      // Put back on `afterprint`: where print() returns before printing, restoring
      // here would print a blank worksheet with the answers.
      window.print();
    }
    if (event.target.closest("[data-clear]")) onClear();
    if (event.target.closest("[data-import-button]")) file.click();
    var retired = event.target.closest("[data-delete-retired]");
    if (retired) deleteRetired(retired.getAttribute("data-delete-retired"));
  }

  function setUpTools() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-answers-tools]"), function (tools) {
      tools.hidden = false;
      // Points of contact are exported only where they are asked.
      tools.querySelector('[data-export="separate"]').hidden = !document.querySelector("[data-q][data-separate]");
      var preparedBy = tools.querySelector("[data-prepared-by]");
      preparedBy.value = state.preparedBy;
      preparedBy.addEventListener("input", function () {
        state.preparedBy = preparedBy.value;
        if (!storage.store(state)) say("This browser did not let the page keep who prepared the answers.", true);
      });
      var file = tools.querySelector("[data-import]");
      tools.addEventListener("click", function (event) { onTool(event, file); });
      file.addEventListener("change", onImport);
    });
  }

  function start() {
    document.documentElement.classList.add("js");
    Array.prototype.forEach.call(document.querySelectorAll("[data-add-item]"), function (b) { b.hidden = false; });
    Array.prototype.forEach.call(document.querySelectorAll("[data-survey-form]"), function (form) {
      form.addEventListener("input", onEdit);
      form.addEventListener("change", onEdit);
      form.addEventListener("click", onClick);
      form.addEventListener("submit", function (e) { e.preventDefault(); });
    });
    setUpTools();
    fillPage();
    // After the browser's own move to the address's fragment, which takes focus away.
    if (document.readyState === "complete") errors.focusFromAddress();
    else window.addEventListener("load", errors.focusFromAddress);
    // Another tab changed the answers: show them here too.
    window.addEventListener("storage", function (event) {
      if (event.key === storage.key) { state = storage.load(); fillPage(); }
    });
  }

  window.normbookPrint = nb.print;
  window.addEventListener("beforeprint", function () { nb.print.prepare("filled"); });
  window.addEventListener("afterprint", nb.print.restore);

  // What other scripts (the review page, printing) may ask of the answers.
  window.normbookAnswers = {
    /** { answers: {id: value}, details: {id: text} }: the answers that the branching of
     *  the answers asks, points of contact included; a copy. */
    current: function () { return JSON.parse(JSON.stringify(currentAnswers())); },
    /** Whether the branching of the current answers asks question `id`. */
    asks: function (id) { return !!model.questions[id] && branching.asks(state.answers, id, {}); },
    /** Who prepared the answers (a ministry or office), as typed; "" when not given. */
    preparedBy: function () { return state.preparedBy; },
    /** Today as the UN writes a date ("3 December 2026"), in the page's language. */
    today: function () {
      var lang = document.documentElement.lang || undefined;
      return new Date().toLocaleDateString(lang === "en" ? "en-GB" : lang, { day: "numeric", month: "long", year: "numeric" });
    },
    /** Whether the branching of `answers` (any answers, not only these) asks question `id`. */
    asksIn: function (answers, id) { return !!model.questions[id] && branching.asks(answers, id, {}); },
    /** The current answers over their word limit, in survey order: [{ id, message }]. */
    overLimit: function () {
      return limits.overLimit(currentAnswers().answers).map(function (p) { return { id: p.id, message: limits.message(p) }; });
    },
    // For the merge and compare pages, which read answers files as an import does.
    /** [problem, contents] of a parsed file: the import's own check. */
    check: files.check,
    /** The question that now takes an answer given under `id`, or null. */
    currentId: storage.currentId,
    /** Whether `value` fits question `id` (the check an answer under a renamed id gets). */
    fits: nb.schema.fits,
    /** { current, hidden }: `{ answers, details }` split as the branching of `answers`
     *  (by default its own) asks. */
    split: function (from, answers) { return branching.split(from, answers || from.answers); },
    /** Imports a parsed, checked file as the import button does; true when it was kept. */
    importFile: importFile,
    /** A copy of everything kept in this browser, and the way back to it (an undo). */
    snapshot: function () { return JSON.parse(JSON.stringify(state)); },
    restore: function (saved) {
      if (!storage.store(saved)) return false;
      state = saved;
      fillPage();
      return true;
    },
    newFile: files.newFile,
    fileName: files.fileName,
    download: files.download
  };

  whenReady(start);

  // ---- a page and a model of different builds ----

  function whenReady(run) {
    if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", run);
    else run();
  }

  /** Says that the page must be reloaded, and switches its form off: what was typed now
   *  could not be kept. Stored answers are left as they are. */
  function refuseOtherVersion() {
    var forms = document.querySelectorAll("[data-survey-form]");
    var main = document.querySelector("main");
    if (!main || (forms.length === 0 && !document.querySelector("[data-progress-part], [data-progress-section], [data-review], [data-merge], [data-compare]"))) return;
    Array.prototype.forEach.call(forms, function (form) {
      Array.prototype.forEach.call(form.querySelectorAll("input, textarea, select, button"), function (el) { el.disabled = true; });
    });
    var notice = document.createElement("div");
    notice.className = "version-notice";
    notice.setAttribute("role", "alert");
    notice.setAttribute("data-version-notice", "");
    var heading = document.createElement("h2");
    heading.textContent = "Reload this page";
    var text = document.createElement("p");
    text.textContent = "This page and its survey script come from different versions of the site, so the form is switched off. " +
      "Reload the page to get the new version: press Ctrl+Shift+R (Cmd+Shift+R on a Mac). " +
      "Your saved answers have not been changed.";
    notice.appendChild(heading);
    notice.appendChild(text);
    main.insertBefore(notice, main.firstChild);
  }
})();
