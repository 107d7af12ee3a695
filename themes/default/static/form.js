// normbook forms: keeps answers in this browser, applies branching, counts words, and
// moves answers only as files the user exports. Nothing here makes a network request.
// Everything the user typed is written back with .value or .textContent, never as HTML.
(function () {
  "use strict";

  var model = window.normbookSurvey;
  if (!model) return;
  var STORAGE_KEY = "normbook:" + model.id;

  // ---- the stored state: { version, answers: {id: value}, details: {id: text} } ----

  function emptyState() {
    return { version: model.version, answers: {}, details: {} };
  }

  /** Drops answers to questions the current spec no longer has. */
  function keepKnown(state) {
    var kept = emptyState();
    Object.keys(state.answers || {}).forEach(function (id) {
      if (model.questions[id]) kept.answers[id] = state.answers[id];
    });
    Object.keys(state.details || {}).forEach(function (id) {
      if (model.questions[id]) kept.details[id] = state.details[id];
    });
    return kept;
  }

  function load() {
    try {
      var raw = window.localStorage.getItem(STORAGE_KEY);
      return raw ? keepKnown(JSON.parse(raw)) : emptyState();
    } catch (e) {
      return emptyState();
    }
  }

  var state = load();
  var storageWorks = true;

  function save() {
    try {
      window.localStorage.setItem(STORAGE_KEY, JSON.stringify(state));
    } catch (e) {
      storageWorks = false;
      say("Your browser does not let this page keep answers: export them before you leave.", true);
    }
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

  function subset(contents) {
    var separate = contents === "separate";
    var out = { answers: {}, details: {} };
    Object.keys(state.answers).forEach(function (id) {
      if (model.questions[id].separate === separate) out.answers[id] = state.answers[id];
    });
    Object.keys(state.details).forEach(function (id) {
      if (model.questions[id].separate === separate) out.details[id] = state.details[id];
    });
    return out;
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
    var blob = new Blob([JSON.stringify(file, null, 2) + "\n"], { type: "application/json" });
    var link = document.createElement("a");
    var day = file.exported.slice(0, 10);
    link.download = (contents === "separate" ? "points-of-contact-" : "answers-") + model.id + "-" + day + ".json";
    link.href = URL.createObjectURL(blob);
    document.body.appendChild(link);
    link.click();
    link.remove();
    setTimeout(function () { URL.revokeObjectURL(link.href); }, 1000);
    var n = Object.keys(part.answers).length;
    say("Exported " + n + " answer" + (n === 1 ? "" : "s") + " to " + link.download + ".");
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
    var details = file.details || {};
    if (typeof details !== "object" || !Object.keys(details).every(function (k) { return isString(details[k]); })) return ["its details are malformed"];
    return ["", file.contents];
  }

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
    // Replace the answers of this kind as a whole: never a half-import.
    var next = emptyState();
    [["answers", state.answers], ["details", state.details]].forEach(function (pair) {
      Object.keys(pair[1]).forEach(function (id) {
        if (model.questions[id].separate !== separate) next[pair[0]][id] = pair[1][id];
      });
    });
    Object.keys(file.answers).forEach(function (id) {
      if (model.questions[id]) next.answers[id] = file.answers[id];
    });
    Object.keys(file.details || {}).forEach(function (id) {
      if (model.questions[id]) next.details[id] = file.details[id];
    });
    state = next;
    save();
    fillPage();
    var n = Object.keys(file.answers).length;
    say("Imported " + n + " answer" + (n === 1 ? "" : "s") + " from " + name + ".");
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
    state = emptyState();
    save();
    fillPage();
    say("Your answers were cleared.");
  }

  // ---- printing: filled or blank worksheets ----

  var printing = null;

  /** Readies the page for print: room for two items per list, typed fields marked (or
   *  cleared, for a blank worksheet), every guidance shown, no focus ring. */
  function preparePrint(mode) {
    if (printing) return;
    printing = { added: [], cleared: [], sized: [], opened: [] };
    if (document.activeElement && document.activeElement.blur) document.activeElement.blur();
    Array.prototype.forEach.call(document.querySelectorAll("[data-items]"), function (list) {
      var holder = list.parentElement;
      while (items(holder).length < 2) printing.added.push(addItem(list, holder.querySelector("template[data-item-template]")));
      renumber(holder);
    });
    var controls = document.querySelectorAll("[data-q] input, [data-q] textarea");
    if (mode === "blank") {
      Array.prototype.forEach.call(controls, function (el) {
        printing.cleared.push([el, el.checked, el.value]);
        if (el.type === "radio" || el.type === "checkbox") el.checked = false;
        else el.value = "";
      });
    }
    Array.prototype.forEach.call(controls, function (el) {
      var filled = el.type !== "radio" && el.type !== "checkbox" && el.type !== "file" && el.value.trim() !== "";
      el.classList.toggle("print-filled", filled);
      if (filled && el.tagName === "TEXTAREA") {
        el.style.height = el.scrollHeight + "px"; // no text lost to a scrolled box
        printing.sized.push(el);
      }
    });
    Array.prototype.forEach.call(document.querySelectorAll("details:not([open])"), function (d) {
      d.open = true;
      printing.opened.push(d);
    });
  }

  function restorePrint() {
    if (!printing) return;
    printing.added.forEach(function (item) {
      var holder = item.parentElement.parentElement;
      item.remove();
      renumber(holder);
    });
    printing.cleared.forEach(function (saved) { saved[0].checked = saved[1]; saved[0].value = saved[2]; });
    printing.sized.forEach(function (el) { el.style.height = ""; });
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

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
