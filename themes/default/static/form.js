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
  //   retired: { answers, details, separate } }
  // `retired` keeps answers to questions the spec no longer asks (removed, or changed so
  // that the answer no longer fits), under the ids they were given to, until the user
  // deletes them. `separate` lists the ids whose answers go to the points-of-contact
  // file: a retired answer still goes where it went when it was given.

  function emptyState() {
    return { version: model.version, answers: {}, details: {}, retired: { answers: {}, details: {}, separate: [] } };
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
      retired: next.retired
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
    if (id in memo) return memo[id];
    var gates = model.gates[id];
    memo[id] = !gates || gates.some(function (gate) {
      return visible(gate.from, memo) && gate.values.indexOf(state.answers[gate.from]) >= 0;
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
    applyBranching();
    showProgress();
    showRetired();
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

  function showProgress() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-progress-part]"), function (li) {
      var part = model.parts.filter(function (p) { return p.id === li.getAttribute("data-progress-part"); })[0];
      var output = li.querySelector("[data-progress]");
      if (!part || !output) return;
      var answered = part.questions.filter(function (id) { return id in state.answers; }).length;
      output.textContent = "— " + answered + " of " + part.questions.length + " answered";
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

  function subset(contents) {
    var separate = contents === "separate";
    var part = pick(state, function (id) { return isSeparate(id) === separate; });
    var wasSeparate = listed(state.retired.separate);
    part.retired = pick(state.retired, function (id) { return wasSeparate(id) === separate; });
    return part;
  }

  function plural(n, what) {
    return n + " " + what + (n === 1 ? "" : "s");
  }

  function exportFile(contents) {
    var part = subset(contents);
    var file = {
      format: model.format,
      survey: model.id,
      version: model.version,
      exported: new Date().toISOString(),
      contents: contents,
      answers: part.answers,
      details: part.details
    };
    var retired = keysOf(part.retired.answers, part.retired.details).length;
    // Only when there are any: a file without them reads as before.
    if (retired) file.retired = part.retired;
    var blob = new Blob([JSON.stringify(file, null, 2) + "\n"], { type: "application/json" });
    var link = document.createElement("a");
    var day = file.exported.slice(0, 10);
    link.download = (contents === "separate" ? "points-of-contact-" : "answers-") + model.id + "-" + day + ".json";
    link.href = URL.createObjectURL(blob);
    document.body.appendChild(link);
    link.click();
    link.remove();
    setTimeout(function () { URL.revokeObjectURL(link.href); }, 1000);
    var also = retired ? " and " + plural(retired, "answer") + " to questions no longer asked" : "";
    say("Exported " + plural(Object.keys(part.answers).length, "answer") + also + " to " + link.download + ".");
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
    var ids = Object.keys(file.answers);
    for (var i = 0; i < ids.length; i++) {
      var question = model.questions[ids[i]];
      if (!question) continue; // a question of another version of the spec
      if (question.separate !== (file.contents === "separate")) return ["question " + ids[i] + " does not belong in this file"];
      var p = answerProblem(question, file.answers[ids[i]]);
      if (p) return ["the answer to " + ids[i] + " " + p];
    }
    if (!isTextMap(file.details || {})) return ["its details are malformed"];
    var retired = file.retired || {};
    if (!isObject(retired) || !isObject(retired.answers || {}) || !isTextMap(retired.details || {})) return ["its answers to questions no longer asked are malformed"];
    return ["", file.contents];
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
    var checked = checkFile(file);
    if (checked[0]) return say("Nothing was imported: " + checked[0] + ".", true);
    var separate = checked[1] === "separate";
    // Replace the answers of this kind as a whole: never a half-import. Retired answers
    // stay until the user deletes them; the file's own join them.
    var next = pick(state, function (id) { return isSeparate(id) !== separate; });
    next.version = model.version;
    next.retired = JSON.parse(JSON.stringify(state.retired));
    var ofThisFile = function () { return separate; };
    var retired = take(next, file.answers, file.details, ofThisFile);
    retired += take(next, (file.retired || {}).answers, (file.retired || {}).details, ofThisFile);
    if (!store(next)) {
      return say("Nothing was imported: this browser has no room to keep the answers in " + name + " (its storage for this site is full). Your answers are as they were.", true);
    }
    state = next;
    fillPage();
    var also = retired ? "; " + plural(retired, "answer") + " to questions no longer asked " + (retired === 1 ? "is" : "are") + " kept apart below" : "";
    say("Imported " + plural(Object.keys(file.answers).length, "answer") + " from " + name + also + ".");
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
      var hasSeparate = Object.keys(model.questions).some(function (id) { return model.questions[id].separate; });
      tools.querySelector('[data-export="separate"]').hidden = !hasSeparate;
      tools.addEventListener("click", function (event) {
        var exp = event.target.closest("[data-export]");
        if (exp) exportFile(exp.getAttribute("data-export"));
        var print = event.target.closest("[data-print]");
        if (print) {
          preparePrint(print.getAttribute("data-print"));
          window.print();
          restorePrint();
        }
        if (event.target.closest("[data-clear]")) onClear();
        var retired = event.target.closest("[data-delete-retired]");
        if (retired) deleteRetired(retired.getAttribute("data-delete-retired"));
      });
      tools.querySelector("[data-import]").addEventListener("change", onImport);
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
    // Another tab changed the answers: show them here too.
    window.addEventListener("storage", function (event) {
      if (event.key === STORAGE_KEY) { state = load(); fillPage(); }
    });
  }

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
    if (!main || (forms.length === 0 && !document.querySelector("[data-progress-part]"))) return;
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
