// normbook forms: keeps answers in this browser, applies branching, counts words, and
// moves answers only as files the user exports. Nothing here makes a network request.
// Everything the user typed is written back with .value or .textContent, never as HTML.
(function () {
  "use strict";

  var model = window.normbookSurvey;
  // Every page says which model it was made with; a cached model of another build would
  // not fit the page, and must not touch the answers.
  var pageStamp = document.body ? document.body.getAttribute("data-survey-model") : null;
  if (!model || model.stamp !== pageStamp) {
    whenReady(refuseOtherVersion);
    return;
  }
  var STORAGE_KEY = "normbook:" + model.id;

  // ---- the stored state ----
  // { version, answers: {id: value}, details: {id: text}, separate: [ids],
  //   retired: { answers, details, separate }, preparedBy: "Ministry of ..." }
  // `retired` keeps answers to questions the spec no longer asks (removed, or changed so
  // that the answer no longer fits), under the ids they were given to, until the user
  // deletes them. `separate` lists the ids whose answers go to the points-of-contact
  // file: a retired answer still goes where it went when it was given.

  function emptyState() {
    return { version: model.version, answers: {}, details: {}, retired: { answers: {}, details: {}, separate: [] }, preparedBy: "" };
  }

  /** The question that takes an answer given under `id` (its own, or the one renamed from it). */
  function currentId(id) {
    if (model.questions[id]) return id;
    var renamed = model.renamed[id];
    return renamed && model.questions[renamed] ? renamed : null;
  }

  function has(object, key) {
    return !!object && Object.prototype.hasOwnProperty.call(object, key);
  }

  function keysOf() {
    var seen = {};
    Array.prototype.forEach.call(arguments, function (object) {
      Object.keys(object || {}).forEach(function (id) { seen[id] = true; });
    });
    return Object.keys(seen);
  }

  /** Adds answers given under any version of the spec to `state`: each goes to its current
   *  question when that has no answer yet and the answer fits it, else it is retired.
   *  `wasSeparate(id)` says whether it belongs in the points-of-contact file. Returns how
   *  many were retired. */
  function take(state, answers, details, wasSeparate) {
    var retired = 0;
    keysOf(answers, details).forEach(function (id) {
      var to = currentId(id);
      var hasAnswer = has(answers, id);
      var hasDetails = has(details, id);
      var free = to && !has(state.answers, to) && !has(state.details, to);
      if (free && (!hasAnswer || !answerProblem(model.questions[to], answers[id]))) {
        if (hasAnswer) state.answers[to] = answers[id];
        if (hasDetails) state.details[to] = details[id];
        return;
      }
      if (hasAnswer) state.retired.answers[id] = answers[id];
      if (hasDetails) state.retired.details[id] = details[id];
      var list = state.retired.separate.filter(function (other) { return other !== id; });
      if (wasSeparate(id)) list.push(id);
      state.retired.separate = list;
      retired++;
    });
    return retired;
  }

  function listed(list) {
    var ids = Array.isArray(list) ? list : [];
    return function (id) { return ids.indexOf(id) >= 0; };
  }

  /** A stored state, of any version of the spec, sorted for this one. */
  function fromStored(raw) {
    var state = emptyState();
    take(state, raw.answers, raw.details, listed(raw.separate));
    var retired = raw.retired || {};
    take(state, retired.answers, retired.details, listed(retired.separate));
    if (isString(raw.prepared_by)) state.preparedBy = raw.prepared_by;
    return state;
  }

  function load() {
    try {
      var raw = JSON.parse(window.localStorage.getItem(STORAGE_KEY));
      return raw ? fromStored(raw) : emptyState();
    } catch (e) {
      return emptyState();
    }
  }

  function isSeparate(id) {
    return model.questions[id].separate;
  }

  /** Writes `next` to storage; false when the browser refused it (storage full or off),
   *  in which case storage holds what it held before. */
  function store(next) {
    var stored = {
      version: next.version,
      answers: next.answers,
      details: next.details,
      separate: keysOf(next.answers, next.details).filter(isSeparate),
      retired: next.retired,
      prepared_by: next.preparedBy
    };
    try {
      window.localStorage.setItem(STORAGE_KEY, JSON.stringify(stored));
      return true;
    } catch (e) {
      return false;
    }
  }

  var state = load();

  function save() {
    if (!store(state)) say("Your browser does not let this page keep answers: export them before you leave.", true);
  }

  // ---- reading and writing controls ----

  function isEmpty(value) {
    if (value === null || value === undefined || value === "" || value === false) return true;
    if (Array.isArray(value)) return value.every(isEmpty);
    if (typeof value === "object") {
      if ("selected" in value) return value.selected.length === 0;
      return Object.keys(value).every(function (k) { return isEmpty(value[k]); });
    }
    return false;
  }

  function lines(text) {
    return text.split("\n").map(function (l) { return l.trim(); }).filter(Boolean);
  }

  function own(container, selector) {
    // Controls of this container, not of nested fields.
    return Array.prototype.filter.call(container.querySelectorAll(selector), function (el) {
      return el.closest("[data-field], [data-q]") === container;
    });
  }

  function readPlain(container, kind) {
    if (kind === "single") {
      var checked = own(container, "input[data-option]:checked")[0];
      return checked ? checked.value : null;
    }
    if (kind === "multiple") {
      var selected = own(container, "input[data-option]:checked").map(function (el) { return el.value; });
      var specify = {};
      own(container, "textarea[data-specify]").forEach(function (el) {
        if (el.value.trim()) specify[el.getAttribute("data-specify")] = el.value;
      });
      return { selected: selected, specify: specify };
    }
    var input = own(container, "[data-value]")[0];
    if (!input) return null;
    if (kind === "confirm") return input.checked;
    if (kind === "urls" || kind === "list") return lines(input.value);
    return input.value;
  }

  function writePlain(container, kind, value) {
    if (kind === "single") {
      own(container, "input[data-option]").forEach(function (el) { el.checked = el.value === value; });
    } else if (kind === "multiple") {
      var v = value || { selected: [], specify: {} };
      own(container, "input[data-option]").forEach(function (el) { el.checked = (v.selected || []).indexOf(el.value) >= 0; });
      own(container, "textarea[data-specify]").forEach(function (el) {
        el.value = (v.specify || {})[el.getAttribute("data-specify")] || "";
      });
    } else {
      var input = own(container, "[data-value]")[0];
      if (!input) return;
      if (kind === "confirm") input.checked = value === true;
      else if (kind === "urls" || kind === "list") input.value = (value || []).join("\n");
      else input.value = value || "";
    }
  }

  function fieldsOf(item) {
    var out = {};
    Array.prototype.forEach.call(item.querySelectorAll("[data-field]"), function (field) {
      var value = readPlain(field, field.getAttribute("data-kind"));
      if (!isEmpty(value)) out[field.getAttribute("data-field")] = value;
    });
    return out;
  }

  function items(holder) {
    return Array.prototype.filter.call(holder.querySelectorAll("[data-item]"), function (el) {
      return el.parentElement && el.parentElement.hasAttribute("data-items");
    });
  }

  function readGroupBody(holder, question) {
    if (!question.repeat) return fieldsOf(holder);
    return items(holder).map(fieldsOf).filter(function (item) { return !isEmpty(item); });
  }

  function holders(container, question) {
    if (question.instances.length === 0) return [[null, container]];
    return question.instances.map(function (id) {
      return [id, container.querySelector('[data-instance="' + id + '"]')];
    }).filter(function (pair) { return pair[1]; });
  }

  function read(container) {
    var id = container.getAttribute("data-q");
    var question = model.questions[id];
    if (question.kind !== "group") return readPlain(container, question.kind);
    var pairs = holders(container, question);
    if (question.instances.length === 0) return readGroupBody(container, question);
    var out = {};
    pairs.forEach(function (pair) { out[pair[0]] = readGroupBody(pair[1], question); });
    return out;
  }

  function setItemCount(holder, count) {
    var list = holder.querySelector("[data-items]");
    var template = holder.querySelector("template[data-item-template]");
    var current = items(holder);
    while (current.length > Math.max(count, 1)) {
      current.pop().remove();
    }
    for (var i = current.length; i < count; i++) addItem(list, template);
    renumber(holder);
  }

  function addItem(list, template) {
    var index = String(Date.now()) + String(Math.floor(Math.random() * 1000));
    var html = template.innerHTML.split("__i__").join(index);
    var scratch = document.createElement("div");
    scratch.innerHTML = html; // the theme's own template, never user text
    var item = scratch.firstElementChild;
    list.appendChild(item);
    return item;
  }

  function renumber(holder) {
    var all = items(holder);
    all.forEach(function (item, i) {
      var number = item.querySelector("[data-item-number]");
      if (number) number.textContent = String(i + 1);
      var remove = item.querySelector("[data-remove-item]");
      if (remove) remove.hidden = all.length < 2;
    });
  }

  function writeFields(item, values) {
    Array.prototype.forEach.call(item.querySelectorAll("[data-field]"), function (field) {
      writePlain(field, field.getAttribute("data-kind"), (values || {})[field.getAttribute("data-field")]);
    });
  }

  function writeGroupBody(holder, question, value) {
    if (!question.repeat) return writeFields(holder, value);
    var list = Array.isArray(value) ? value : [];
    setItemCount(holder, Math.max(list.length, 1));
    items(holder).forEach(function (item, i) { writeFields(item, list[i]); });
  }

  function write(container, value) {
    var question = model.questions[container.getAttribute("data-q")];
    if (question.kind !== "group") {
      writePlain(container, question.kind, value);
    } else if (question.instances.length === 0) {
      writeGroupBody(container, question, value);
    } else {
      holders(container, question).forEach(function (pair) {
        writeGroupBody(pair[1], question, (value || {})[pair[0]]);
      });
    }
    var details = own(container, "textarea[data-details]")[0];
    if (details) details.value = state.details[container.getAttribute("data-q")] || "";
    refreshWidgets(container);
  }

  // ---- branching, "please specify" fields, word counts ----

  function visible(id, memo) {
    return visibleIn(state.answers, id, memo);
  }

  /** Whether the branching of `answers` asks question `id`. */
  function visibleIn(answers, id, memo) {
    if (id in memo) return memo[id];
    var gates = model.gates[id];
    memo[id] = !gates || gates.some(function (gate) {
      return visibleIn(answers, gate.from, memo) && gate.values.indexOf(answers[gate.from]) >= 0;
    });
    return memo[id];
  }

  function applyBranching() {
    var memo = {};
    questionsOnPage().forEach(function (container) {
      // Hidden answers are kept: they come back if the user changes their mind.
      container.hidden = !visible(container.getAttribute("data-q"), memo);
    });
  }

  function countWords(text) {
    var words = text.trim().split(/\s+/).filter(Boolean);
    return words.length;
  }

  function refreshWordCount(textarea) {
    var limit = parseInt(textarea.getAttribute("data-word-limit"), 10);
    var output = document.getElementById(textarea.id + "-count");
    if (!output || !limit) return;
    var n = countWords(textarea.value);
    var over = n > limit;
    output.textContent = over
      ? n + " words: " + (n - limit) + " over the limit of " + limit + "."
      : n + " of " + limit + " words.";
    output.classList.toggle("over", over);
    textarea.setAttribute("aria-invalid", over ? "true" : "false");
    if (!over) unmarkError(textarea);
  }

  function refreshWidgets(scope) {
    Array.prototype.forEach.call(scope.querySelectorAll("[data-specify-for]"), function (box) {
      var choice = box.closest(".choice");
      var tick = choice && choice.querySelector("input[data-option]");
      box.hidden = !(tick && tick.checked);
    });
    Array.prototype.forEach.call(scope.querySelectorAll("textarea[data-word-limit]"), refreshWordCount);
  }

  // ---- the page ----

  function questionsOnPage() {
    return Array.prototype.slice.call(document.querySelectorAll("[data-q]"));
  }

  function record(container) {
    var id = container.getAttribute("data-q");
    var value = read(container);
    if (isEmpty(value)) delete state.answers[id];
    else state.answers[id] = value;
    var details = own(container, "textarea[data-details]")[0];
    if (details) {
      if (details.value.trim()) state.details[id] = details.value;
      else delete state.details[id];
    }
    save();
  }

  function fillPage() {
    questionsOnPage().forEach(function (container) { write(container, state.answers[container.getAttribute("data-q")]); });
    Array.prototype.forEach.call(document.querySelectorAll("[data-prepared-by]"), function (input) { input.value = state.preparedBy; });
    applyBranching();
    showProgress();
    showRetired();
    markErrors(overLimit(currentAnswers().answers));
  }

  function onEdit(event) {
    var container = event.target.closest("[data-q]");
    if (!container) return;
    if (event.target.matches("textarea[data-word-limit]")) refreshWordCount(event.target);
    refreshWidgets(container);
    record(container);
    applyBranching();
  }

  function onClick(event) {
    var add = event.target.closest("[data-add-item]");
    var remove = event.target.closest("[data-remove-item]");
    if (add) {
      var holder = add.parentElement;
      var item = addItem(holder.querySelector("[data-items]"), holder.querySelector("template[data-item-template]"));
      renumber(holder);
      var first = item.querySelector("input, textarea");
      if (first) first.focus();
    } else if (remove) {
      var itemEl = remove.closest("[data-item]");
      var owner = itemEl.parentElement.parentElement;
      var container = itemEl.closest("[data-q]");
      itemEl.remove();
      renumber(owner);
      record(container);
      var next = owner.querySelector("[data-add-item]");
      if (next) next.focus();
    }
  }

  // ---- progress on the home page ----

  /** Each part's and each norm's count of answers, of the questions the answers so far ask. */
  function showProgress() {
    var answers = currentAnswers().answers;
    var memo = {};
    var show = function (element, ids) {
      var output = element.querySelector("[data-progress]");
      if (!output) return;
      var asked = ids.filter(function (id) { return model.questions[id] && visible(id, memo); });
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

  function element(tag, className, text) {
    var el = document.createElement(tag);
    if (className) el.className = className;
    if (text !== undefined) el.textContent = text;
    return el;
  }

  function showRetired() {
    var ids = keysOf(state.retired.answers, state.retired.details);
    Array.prototype.forEach.call(document.querySelectorAll("[data-retired]"), function (panel) {
      panel.hidden = ids.length === 0;
      var list = panel.querySelector("[data-retired-list]");
      list.textContent = "";
      ids.forEach(function (id) {
        list.appendChild(element("dt", "", "Question " + id));
        var dd = element("dd");
        if (has(state.retired.answers, id)) dd.appendChild(element("p", "retired-answer", readable(state.retired.answers[id])));
        if (has(state.retired.details, id)) dd.appendChild(element("p", "retired-answer", "Details: " + state.retired.details[id]));
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
    if (!store(next)) return say("Nothing was deleted: this browser did not let the page change its stored answers.", true);
    state = next;
    showRetired();
    say("Your answer to question " + id + " was deleted.");
  }

  // ---- current answers: the ones the branching asks ----
  // Answers to questions the branching skips stay in the state (a changed mind brings
  // them back) but are never exported, printed or reviewed as answers.

  /** The answers and details of the questions that the branching of the answers asks:
   *  `current`, and the ones kept for skipped questions: `hidden`. */
  function byBranching(from) {
    return splitBy(from, state.answers);
  }

  /** `from` split as the branching of `answers` asks its questions or skips them. */
  function splitBy(from, answers) {
    var memo = {};
    var asked = function (id) { return !model.questions[id] || visibleIn(answers, id, memo); };
    return {
      current: pick(from, asked),
      hidden: pick(from, function (id) { return !asked(id); })
    };
  }

  function currentAnswers() {
    return byBranching(state).current;
  }

  // ---- word limits ----

  /** Every text of `answers` over its word limit, in survey order: where it is (question,
   *  instance, item, field), its words and its limit. */
  function overLimit(answers) {
    var found = [];
    model.order.forEach(function (id) {
      var question = model.questions[id];
      var value = answers[id];
      if (value === undefined) return;
      var check = function (text, limit, where) {
        var words = typeof text === "string" ? countWords(text) : 0;
        if (limit && words > limit) found.push({ id: id, instance: where.instance, item: where.item, field: where.field, words: words, limit: limit });
      };
      if (question.kind !== "group") return check(value, question.limit, {});
      var bodies = question.instances.length ? question.instances.map(function (inst) { return [inst, (value || {})[inst]]; }) : [[undefined, value]];
      bodies.forEach(function (pair) {
        var list = question.repeat ? (Array.isArray(pair[1]) ? pair[1] : []) : [pair[1]];
        list.forEach(function (item, i) {
          question.fields.forEach(function (field) {
            if (field.kind === "text") check((item || {})[field.id], field.limit, { instance: pair[0], item: question.repeat ? i : undefined, field: field });
          });
        });
      });
    });
    return found;
  }

  /** "Description (Diplomatic, initiative 2 of 14.2) must be 200 words or fewer – it has 250." */
  function limitMessage(problem) {
    var question = model.questions[problem.id];
    var number = question.number || problem.id;
    var where = "Your answer to " + number;
    if (problem.field) {
      var place = [];
      if (problem.instance !== undefined) place.push(question.instance_labels[problem.instance]);
      if (problem.item !== undefined) place.push(question.item_label.toLowerCase() + " " + (problem.item + 1));
      where = problem.field.label + " (" + (place.length ? place.join(", ") + " of " : "") + number + ")";
    }
    return where + " must be " + problem.limit + " words or fewer – it has " + problem.words + ".";
  }

  /** The text box of a problem on this page, if it is here. */
  function fieldOf(problem) {
    var container = document.querySelector('[data-q="' + problem.id + '"]');
    if (!container) return null;
    if (!problem.field) return own(container, "textarea[data-value]")[0] || null;
    var holder = problem.instance !== undefined ? container.querySelector('[data-instance="' + problem.instance + '"]') : container;
    if (!holder) return null;
    var item = problem.item !== undefined ? items(holder)[problem.item] : holder;
    return item ? item.querySelector('[data-field="' + problem.field.id + '"] textarea[data-value]') : null;
  }

  /** The site's root, from this script's own address: links work at any sub-path and from a folder. */
  var siteRoot = document.currentScript ? new URL(".", document.currentScript.src).href : "";

  /** Marks a field in error as the GOV.UK Design System does: a message above it, read
   *  with it, and a border on its group. */
  function markError(textarea, message) {
    unmarkError(textarea);
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

  function unmarkError(textarea) {
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
  function markErrors(problems) {
    Array.prototype.forEach.call(document.querySelectorAll("[data-q] textarea[data-value]"), unmarkError);
    problems.forEach(function (problem) {
      var field = fieldOf(problem);
      if (field) markError(field, limitMessage(problem));
    });
  }

  function removeErrorSummary() {
    var old = document.querySelector("[data-error-summary]");
    if (old) old.remove();
  }

  /** A GOV.UK error summary at the top of the page: what is wrong, each item a link that
   *  moves focus to its field (here or on its page); export goes on only if asked again. */
  function showErrorSummary(problems, contents) {
    removeErrorSummary();
    markErrors(problems);
    var summary = element("div", "error-summary");
    summary.setAttribute("data-error-summary", "");
    summary.tabIndex = -1;
    var alert = element("div");
    alert.setAttribute("role", "alert");
    alert.appendChild(element("h2", "error-summary-title", "There is a problem"));
    var body = element("div", "error-summary-body");
    body.appendChild(element("p", "", plural(problems.length, "answer") + " " + (problems.length === 1 ? "is" : "are") + " over the word limit. Shorten " + (problems.length === 1 ? "it" : "them") + " before you submit the survey."));
    var list = element("ul", "error-summary-list");
    problems.forEach(function (problem) {
      var field = fieldOf(problem);
      var question = model.questions[problem.id];
      var link = element("a", "", limitMessage(problem));
      link.href = field ? "#" + field.id : siteRoot + question.href;
      if (field) {
        link.addEventListener("click", function (event) {
          event.preventDefault();
          focusField(field);
        });
      }
      var li = element("li");
      li.appendChild(link);
      list.appendChild(li);
    });
    body.appendChild(list);
    body.appendChild(element("p", "", "A draft for coordination within your government can be exported as it is."));
    var anyway = element("button", "", contents === "separate" ? "Export points of contact anyway" : "Export answers anyway");
    anyway.type = "button";
    anyway.addEventListener("click", function () { exportAnswers(contents, true); });
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

  // ---- export, import, clear ----

  function status() {
    return document.querySelector("[data-status]");
  }

  function say(message, isError) {
    var el = status();
    if (!el) return;
    el.textContent = message;
    el.classList.toggle("error", !!isError);
  }

  /** The answers and details of `from` whose ids `belongs` picks. */
  function pick(from, belongs) {
    var out = { answers: {}, details: {} };
    ["answers", "details"].forEach(function (key) {
      Object.keys(from[key]).forEach(function (id) {
        if (belongs(id)) out[key][id] = from[key][id];
      });
    });
    return out;
  }

  /** What goes into the file of `contents`: its current answers, the ones kept for
   *  questions the branching skips (`hidden`), and its retired ones. */
  function subset(contents) {
    var separate = contents === "separate";
    var split = byBranching(pick(state, function (id) { return isSeparate(id) === separate; }));
    var part = split.current;
    part.hidden = split.hidden;
    var wasSeparate = listed(state.retired.separate);
    part.retired = pick(state.retired, function (id) { return wasSeparate(id) === separate; });
    return part;
  }

  function plural(n, what) {
    return n + " " + what + (n === 1 ? "" : "s");
  }

  /** An answers file of `contents` holding `answers` and `details`, exported now. */
  function newFile(contents, answers, details) {
    return {
      format: model.format,
      survey: model.id,
      version: model.version,
      exported: new Date().toISOString(),
      contents: contents,
      answers: answers,
      details: details
    };
  }

  function exportFile(contents) {
    var part = subset(contents);
    var file = newFile(contents, part.answers, part.details);
    var hidden = keysOf(part.hidden.answers, part.hidden.details).length;
    var retired = keysOf(part.retired.answers, part.retired.details).length;
    // Only when there are any: a file without them reads as before.
    if (hidden) file.hidden = part.hidden;
    if (retired) file.retired = part.retired;
    if (state.preparedBy.trim()) file.prepared_by = state.preparedBy.trim();
    var name = fileName(contents, state.preparedBy, new Date());
    download(file, name);
    var apart = [];
    if (hidden) apart.push(plural(hidden, "answer") + " kept for questions your answers skip");
    if (retired) apart.push(plural(retired, "answer") + " to questions no longer asked");
    var also = apart.length ? ", and apart from them " + apart.join(" and ") : "";
    say("Exported " + plural(Object.keys(part.answers).length, "answer") + " to " + name + also + ".");
  }

  /** Saves `file` as JSON under `name`, through the browser's own download: no request. */
  function download(file, name) {
    var blob = new Blob([JSON.stringify(file, null, 2) + "\n"], { type: "application/json" });
    var link = document.createElement("a");
    link.download = name;
    link.href = URL.createObjectURL(blob);
    document.body.appendChild(link);
    link.click();
    link.remove();
    setTimeout(function () { URL.revokeObjectURL(link.href); }, 1000);
  }

  /** `answers-unidir-nsi-ministry-of-defence-2026-12-03.json`: what, of which survey, by
   *  whom (when said), and the day as the user's own calendar has it, not UTC's. */
  function fileName(contents, preparedBy, now) {
    // Letters of any script kept (a ministry may write its name in Arabic or Russian).
    var slug = preparedBy.normalize("NFKD").replace(/\p{M}/gu, "").toLowerCase().replace(/[^\p{L}\p{N}]+/gu, "-").slice(0, 60).replace(/^-+|-+$/g, "");
    var two = function (n) { return (n < 10 ? "0" : "") + n; };
    var day = now.getFullYear() + "-" + two(now.getMonth() + 1) + "-" + two(now.getDate());
    return [contents === "separate" ? "points-of-contact" : "answers", model.id, slug, day].filter(Boolean).join("-") + ".json";
  }

  /** Exports the file of `contents`; answers over their word limit are listed first, and
   *  exported only once the user asks again (`confirmed`). */
  function exportAnswers(contents, confirmed) {
    var problems = overLimit(subset(contents).answers);
    if (problems.length && !confirmed) return showErrorSummary(problems, contents);
    removeErrorSummary();
    exportFile(contents);
  }

  function isString(v) { return typeof v === "string"; }
  function isStringList(v) { return Array.isArray(v) && v.every(isString); }

  /** Why a value does not fit a question or field of `kind`, or "" when it does. */
  function plainProblem(kind, options, value) {
    switch (kind) {
      case "single":
        return options.indexOf(value) >= 0 ? "" : "is not one of its options";
      case "multiple":
        if (!value || typeof value !== "object" || !Array.isArray(value.selected)) return "is not a list of options";
        if (!value.selected.every(function (v) { return options.indexOf(v) >= 0; })) return "names an option it does not have";
        if (value.specify && (typeof value.specify !== "object" || !Object.keys(value.specify).every(function (k) { return isString(value.specify[k]); }))) return "has a malformed 'specify'";
        return "";
      case "urls":
      case "list":
        return isStringList(value) ? "" : "is not a list of texts";
      case "confirm":
        return typeof value === "boolean" ? "" : "is not true or false";
      default:
        return isString(value) ? "" : "is not a text";
    }
  }

  function itemProblem(question, item) {
    if (!item || typeof item !== "object" || Array.isArray(item)) return "is not a set of fields";
    for (var i = 0; i < question.fields.length; i++) {
      var field = question.fields[i];
      if (item[field.id] !== undefined && item[field.id] !== null) {
        var p = plainProblem(field.kind, field.options, item[field.id]);
        if (p) return "field '" + field.id + "' " + p;
      }
    }
    var known = question.fields.map(function (f) { return f.id; });
    var unknown = Object.keys(item).filter(function (k) { return known.indexOf(k) < 0; });
    return unknown.length ? "has an unknown field '" + unknown[0] + "'" : "";
  }

  function groupBodyProblem(question, value) {
    if (!question.repeat) return itemProblem(question, value);
    if (!Array.isArray(value)) return "is not a list";
    for (var i = 0; i < value.length; i++) {
      var p = itemProblem(question, value[i]);
      if (p) return "item " + (i + 1) + " " + p;
    }
    return "";
  }

  function answerProblem(question, value) {
    if (question.kind !== "group") return plainProblem(question.kind, question.options, value);
    if (question.instances.length === 0) return groupBodyProblem(question, value);
    if (!value || typeof value !== "object" || Array.isArray(value)) return "is not a set of instances";
    var keys = Object.keys(value);
    for (var i = 0; i < keys.length; i++) {
      if (question.instances.indexOf(keys[i]) < 0) return "has an unknown instance '" + keys[i] + "'";
      var p = groupBodyProblem(question, value[keys[i]]);
      if (p) return "(" + keys[i] + ") " + p;
    }
    return "";
  }

  /** Checks a parsed file; returns [problem, contents]. */
  function checkFile(file) {
    if (!file || typeof file !== "object" || Array.isArray(file)) return ["it is not an answers file"];
    if (file.format !== model.format) return ["it is not an answers file of this handbook"];
    if (file.survey !== model.id) return ["it holds answers to another survey (" + String(file.survey) + ")"];
    if (file.contents !== "answers" && file.contents !== "separate") return ["its 'contents' is neither answers nor separate"];
    if (!file.answers || typeof file.answers !== "object" || Array.isArray(file.answers)) return ["it has no answers"];
    var problem = answersProblem(file.answers, file.contents);
    if (problem) return [problem];
    if (!isTextMap(file.details || {})) return ["its details are malformed"];
    var hidden = file.hidden || {};
    if (!isObject(hidden) || !isObject(hidden.answers || {}) || !isTextMap(hidden.details || {})) return ["its answers kept for skipped questions are malformed"];
    problem = answersProblem(hidden.answers || {}, file.contents);
    if (problem) return [problem + " (kept for a skipped question)"];
    var retired = file.retired || {};
    if (!isObject(retired) || !isObject(retired.answers || {}) || !isTextMap(retired.details || {})) return ["its answers to questions no longer asked are malformed"];
    if (file.prepared_by !== undefined && !isString(file.prepared_by)) return ["its 'prepared_by' is not a text"];
    return ["", file.contents];
  }

  /** Why the answers of a file of `contents` do not fit, or "". */
  function answersProblem(answers, contents) {
    var ids = Object.keys(answers);
    for (var i = 0; i < ids.length; i++) {
      var question = model.questions[ids[i]];
      if (!question) continue; // a question of another version of the spec
      if (question.separate !== (contents === "separate")) return "question " + ids[i] + " does not belong in this file";
      var p = answerProblem(question, answers[ids[i]]);
      if (p) return "the answer to " + ids[i] + " " + p;
    }
    return "";
  }

  function isObject(v) { return !!v && typeof v === "object" && !Array.isArray(v); }
  function isTextMap(v) { return isObject(v) && Object.keys(v).every(function (k) { return isString(v[k]); }); }

  function importText(text, name) {
    var file;
    try {
      file = JSON.parse(text);
    } catch (e) {
      return say("Nothing was imported: " + name + " is not a JSON file.", true);
    }
    importFile(file, name);
  }

  /** Imports a parsed answers file; true when its answers are now this browser's. */
  function importFile(file, name) {
    var checked = checkFile(file);
    if (checked[0]) {
      say("Nothing was imported: " + checked[0] + ".", true);
      return false;
    }
    var separate = checked[1] === "separate";
    // Replace the answers of this kind as a whole: never a half-import. Retired answers
    // stay until the user deletes them; the file's own join them.
    var next = pick(state, function (id) { return isSeparate(id) !== separate; });
    next.version = model.version;
    next.preparedBy = isString(file.prepared_by) ? file.prepared_by : state.preparedBy;
    next.retired = JSON.parse(JSON.stringify(state.retired));
    var ofThisFile = function () { return separate; };
    var retired = take(next, file.answers, file.details, ofThisFile);
    // Answers kept for skipped questions join the others: the branching hides them again.
    var hidden = file.hidden || {};
    var hiddenRetired = take(next, hidden.answers, hidden.details, ofThisFile);
    retired += hiddenRetired;
    retired += take(next, (file.retired || {}).answers, (file.retired || {}).details, ofThisFile);
    if (!store(next)) {
      say("Nothing was imported: this browser has no room to keep the answers in " + name + " (its storage for this site is full). Your answers are as they were.", true);
      return false;
    }
    state = next;
    fillPage();
    var also = retired ? "; " + plural(retired, "answer") + " to questions no longer asked " + (retired === 1 ? "is" : "are") + " kept apart below" : "";
    var kept = keysOf(hidden.answers, hidden.details).length - hiddenRetired;
    var skipped = kept ? " (and " + plural(kept, "answer") + " kept for questions your answers skip)" : "";
    say("Imported " + plural(Object.keys(file.answers).length, "answer") + skipped + " from " + name + also + ".");
    return true;
  }

  function onImport(event) {
    var input = event.target;
    var chosen = input.files && input.files[0];
    if (!chosen) return;
    var reader = new FileReader();
    reader.onload = function () { importText(String(reader.result), chosen.name); input.value = ""; };
    reader.onerror = function () { say("Nothing was imported: the file could not be read.", true); };
    reader.readAsText(chosen);
  }

  function onClear() {
    if (!window.confirm("Clear every answer you have given in this browser? Export them first if you want to keep them.")) return;
    var next = emptyState();
    next.preparedBy = state.preparedBy;
    if (!store(next)) return say("Nothing was cleared: this browser did not let the page change its stored answers.", true);
    state = next;
    fillPage();
    say("Your answers were cleared.");
  }

  // ---- printing: filled or blank worksheets ----

  var printing = null;

  /** Readies the page for print: room for two items per list; typed text copied into
   *  plain blocks that flow at any paper size (a field keeps its screen height and would
   *  cut a long answer); answers that the branching hides left out of a filled print
   *  (and every answer out of a blank one); each question put in a table whose header
   *  Chromium repeats on every page the question runs onto; every guidance shown. */
  function preparePrint(mode) {
    if (printing) return;
    printing = { added: [], cleared: [], values: [], wrapped: [], opened: [] };
    if (document.activeElement && document.activeElement.blur) document.activeElement.blur();
    Array.prototype.forEach.call(document.querySelectorAll("[data-items]"), function (list) {
      var holder = list.parentElement;
      while (items(holder).length < 2) printing.added.push(addItem(list, holder.querySelector("template[data-item-template]")));
      renumber(holder);
    });
    Array.prototype.forEach.call(document.querySelectorAll("[data-q] input, [data-q] textarea"), function (el) {
      if (mode === "blank" || el.closest("[hidden]")) {
        printing.cleared.push([el, el.checked, el.value]);
        if (el.type === "radio" || el.type === "checkbox") el.checked = false;
        else el.value = "";
      }
      var typed = el.type !== "radio" && el.type !== "checkbox" && el.type !== "file" && el.value.trim() !== "";
      if (typed) {
        var copy = document.createElement("div");
        copy.className = "print-value";
        copy.textContent = el.value;
        el.after(copy);
        printing.values.push(copy);
      }
    });
    Array.prototype.forEach.call(document.querySelectorAll(".question"), function (question) {
      var table = wrapForPrint(question);
      if (table) printing.wrapped.push(table);
    });
    Array.prototype.forEach.call(document.querySelectorAll("details:not([open])"), function (d) {
      d.open = true;
      printing.opened.push(d);
    });
  }

  /** Puts a question in a one-cell table headed by its number and text (none for a
   *  question with no heading of its own, such as a confirmation). */
  function wrapForPrint(question) {
    var heading = question.querySelector(":scope > legend, :scope > .control-label");
    if (!heading) return null;
    var table = document.createElement("table");
    table.className = "print-question " + question.className.replace("question", "").trim();
    table.setAttribute("role", "presentation");
    var th = document.createElement("th");
    if (heading) Array.prototype.forEach.call(heading.childNodes, function (node) { th.appendChild(node.cloneNode(true)); });
    table.createTHead().insertRow().appendChild(th);
    question.before(table);
    table.createTBody().insertRow().insertCell().appendChild(question);
    return table;
  }

  function restorePrint() {
    if (!printing) return;
    printing.wrapped.forEach(function (table) {
      table.before(table.querySelector("td").firstChild);
      table.remove();
    });
    printing.values.forEach(function (copy) { copy.remove(); });
    printing.added.forEach(function (item) {
      var holder = item.parentElement.parentElement;
      item.remove();
      renumber(holder);
    });
    printing.cleared.forEach(function (saved) { saved[0].checked = saved[1]; saved[0].value = saved[2]; });
    printing.opened.forEach(function (d) { d.open = false; });
    printing = null;
  }

  window.normbookPrint = { prepare: preparePrint, restore: restorePrint };
  window.addEventListener("beforeprint", function () { preparePrint("filled"); });
  window.addEventListener("afterprint", restorePrint);

  function setUpTools() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-answers-tools]"), function (tools) {
      tools.hidden = false;
      // Points of contact are exported only where they are asked.
      tools.querySelector('[data-export="separate"]').hidden = !document.querySelector("[data-q][data-separate]");
      var preparedBy = tools.querySelector("[data-prepared-by]");
      preparedBy.value = state.preparedBy;
      preparedBy.addEventListener("input", function () {
        state.preparedBy = preparedBy.value;
        if (!store(state)) say("This browser did not let the page keep who prepared the answers.", true);
      });
      var file = tools.querySelector("[data-import]");
      tools.addEventListener("click", function (event) {
        var exp = event.target.closest("[data-export]");
        if (exp) exportAnswers(exp.getAttribute("data-export"), false);
        var print = event.target.closest("[data-print]");
        if (print) {
          preparePrint(print.getAttribute("data-print"));
          // Put back on `afterprint`: where print() returns before printing, restoring
          // here would print a blank worksheet with the answers.
          window.print();
        }
        if (event.target.closest("[data-clear]")) onClear();
        if (event.target.closest("[data-import-button]")) file.click();
        var retired = event.target.closest("[data-delete-retired]");
        if (retired) deleteRetired(retired.getAttribute("data-delete-retired"));
      });
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
    if (document.readyState === "complete") focusFromAddress();
    else window.addEventListener("load", focusFromAddress);
    // Another tab changed the answers: show them here too.
    window.addEventListener("storage", function (event) {
      if (event.key === STORAGE_KEY) { state = load(); fillPage(); }
    });
  }

  // What other scripts (the review page, printing) may ask of the answers.
  window.normbookAnswers = {
    /** { answers: {id: value}, details: {id: text} }: the answers that the branching of
     *  the answers asks, points of contact included; a copy. */
    current: function () { return JSON.parse(JSON.stringify(currentAnswers())); },
    /** Whether the branching of the current answers asks question `id`. */
    asks: function (id) { return !!model.questions[id] && visible(id, {}); },
    /** Who prepared the answers (a ministry or office), as typed; "" when not given. */
    preparedBy: function () { return state.preparedBy; },
    /** Today as the UN writes a date ("3 December 2026"), in the page's language. */
    today: function () {
      var lang = document.documentElement.lang || undefined;
      return new Date().toLocaleDateString(lang === "en" ? "en-GB" : lang, { day: "numeric", month: "long", year: "numeric" });
    },
    /** Whether the branching of `answers` (any answers, not only these) asks question `id`. */
    asksIn: function (answers, id) { return !!model.questions[id] && visibleIn(answers, id, {}); },
    /** The current answers over their word limit, in survey order: [{ id, message }]. */
    overLimit: function () {
      return overLimit(currentAnswers().answers).map(function (p) { return { id: p.id, message: limitMessage(p) }; });
    },
    // For the merge and compare pages, which read answers files as an import does.
    /** [problem, contents] of a parsed file: the import's own checks. */
    check: checkFile,
    /** The question that now takes an answer given under `id`, or null. */
    currentId: currentId,
    /** Whether `value` fits question `id` (the check an answer under a renamed id gets). */
    fits: function (id, value) { return !answerProblem(model.questions[id], value); },
    /** { current, hidden }: `{ answers, details }` split as the branching of `answers`
     *  (by default its own) asks. */
    split: function (from, answers) { return splitBy(from, answers || from.answers); },
    /** Imports a parsed, checked file as the import button does; true when it was kept. */
    importFile: importFile,
    /** A copy of everything kept in this browser, and the way back to it (an undo). */
    snapshot: function () { return JSON.parse(JSON.stringify(state)); },
    restore: function (saved) {
      if (!store(saved)) return false;
      state = saved;
      fillPage();
      return true;
    },
    newFile: newFile,
    fileName: fileName,
    download: download
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
    var notice = element("div", "version-notice");
    notice.setAttribute("role", "alert");
    notice.setAttribute("data-version-notice", "");
    notice.appendChild(element("h2", "", "Reload this page"));
    notice.appendChild(element("p", "", "This page and its survey script come from different versions of the site, so the form is switched off. " +
      "Reload the page to get the new version: press Ctrl+Shift+R (Cmd+Shift+R on a Mac). " +
      "Your saved answers have not been changed."));
    main.insertBefore(notice, main.firstChild);
  }
})();
