// The review page: the answers saved in this browser, in reading form. It reads them
// through form.js (window.normbookAnswers), so it shows exactly what an export holds:
// answers to the questions the branching asks, never those kept for skipped ones.
// Everything the user typed is written with textContent, never as HTML.
(function () {
  "use strict";

  var model = window.normbookSurvey;

  function element(tag, className, text) {
    var el = document.createElement(tag);
    if (className) el.className = className;
    if (text !== undefined) el.textContent = text;
    return el;
  }

  function isEmpty(value) {
    if (value === null || value === undefined || value === "" || value === false) return true;
    if (Array.isArray(value)) return value.every(isEmpty);
    if (typeof value === "object") {
      if (Array.isArray(value.selected)) return value.selected.length === 0;
      return Object.keys(value).every(function (k) { return isEmpty(value[k]); });
    }
    return false;
  }

  function list(tag, entries) {
    var out = element(tag, "review-values");
    entries.forEach(function (entry) {
      var li = element("li");
      li.appendChild(entry);
      out.appendChild(li);
    });
    return out;
  }

  function text(value) {
    return document.createTextNode(String(value));
  }

  /** One value of a question or field of `kind` (`of` holds its option labels), for reading. */
  function plain(kind, of, value) {
    switch (kind) {
      case "single":
        return text(of.labels[value] || value);
      case "multiple":
        return list("ul", value.selected.map(function (v) {
          var specified = (value.specify || {})[v];
          return text((of.labels[v] || v) + (specified ? ": " + specified : ""));
        }));
      case "urls":
      case "list":
        return list("ul", value.map(text));
      case "confirm":
        return text("Yes");
      case "text":
        return element("p", "review-text", value);
      default:
        return text(value);
    }
  }

  /** The fields of one item (or of a group given once), as a list of label and value;
   *  with `complete`, the empty ones too, as a blank to fill in by hand. */
  function fields(question, item, complete) {
    var dl = element("dl", "review-fields");
    question.fields.forEach(function (field) {
      var value = (item || {})[field.id];
      if (isEmpty(value) && !complete) return;
      var row = element("div");
      row.appendChild(element("dt", "", field.label));
      var dd = element("dd");
      dd.appendChild(isEmpty(value) ? element("span", "review-blank", "Not given") : plain(field.kind, field, value));
      row.appendChild(dd);
      dl.appendChild(row);
    });
    return dl;
  }

  function groupBody(question, value, complete) {
    if (!question.repeat) return fields(question, value, complete);
    var filled = (Array.isArray(value) ? value : []).filter(function (item) { return !isEmpty(item); });
    var ol = element("ol", "review-items");
    filled.forEach(function (item, i) {
      var li = element("li", "review-item");
      li.appendChild(element("p", "review-item-label", question.item_label + " " + (i + 1)));
      li.appendChild(fields(question, item));
      ol.appendChild(li);
    });
    return ol;
  }

  /** An answer in reading form; with `complete`, a group shows every instance and field,
   *  the empty ones as blanks (a form to complete by hand). */
  function reading(question, value, complete) {
    if (question.kind !== "group") return plain(question.kind, question, value);
    if (question.instances.length === 0) return groupBody(question, value, complete);
    var out = element("div", "review-instances");
    question.instances.forEach(function (id) {
      if (isEmpty((value || {})[id]) && !complete) return;
      var block = element("div", "review-instance");
      block.appendChild(element("p", "review-instance-label", question.instance_labels[id]));
      block.appendChild(groupBody(question, (value || {})[id], complete));
      out.appendChild(block);
    });
    return out;
  }

  /** Whether none of the questions that lead to `id` is answered yet: it is not skipped,
   *  it waits for them. */
  function waiting(id, current) {
    var gates = (model.gates || {})[id] || [];
    return gates.length > 0 && gates.every(function (gate) { return !(gate.from in current.answers); });
  }

  /** A row's state: answered (its answer shown), unanswered, or skipped by the branching.
   *  With `complete` (the points-of-contact print), a group not answered or still
   *  waiting shows its blanks. */
  function fillRow(row, current, problems, complete) {
    var id = row.getAttribute("data-review-q");
    var question = model.questions[id];
    var slot = row.querySelector("[data-review-answer]");
    var link = row.querySelector("[data-review-link]");
    var asked = window.normbookAnswers.asks(id);
    var answered = asked && id in current.answers;
    var condition = row.getAttribute("data-condition");
    var open = asked || waiting(id, current);
    slot.textContent = "";
    slot.hidden = false;
    row.classList.toggle("review-skipped", !open);
    row.classList.toggle("review-unanswered-row", asked && !answered);
    if (answered) {
      slot.appendChild(reading(question, current.answers[id], complete));
    } else if (complete && open && question.kind === "group") {
      if (condition && !asked) slot.appendChild(element("p", "review-none", condition));
      slot.appendChild(reading(question, undefined, true));
    } else if (asked) {
      slot.appendChild(element("span", "review-none", "Not answered"));
    } else if (open) {
      slot.appendChild(element("span", "review-none", "Not answered. " + condition));
    } else {
      slot.appendChild(element("span", "review-none", "Does not apply, given your answers." + (condition ? " " + condition : "")));
    }
    problems.filter(function (p) { return p.id === id; }).forEach(function (p) {
      slot.appendChild(element("p", "review-problem", p.message));
    });
    var details = row.querySelector("[data-review-details]");
    if (details) {
      var given = asked && current.details[id];
      details.hidden = !given;
      details.querySelector("[data-review-details-text]").textContent = given || "";
    }
    link.firstChild.textContent = answered ? "Change" : asked ? "Answer" : "Go to question";
    return asked && !answered;
  }

  /** The list at the top: unanswered questions by part, each a link to its question. */
  function showUnanswered(rows) {
    var box = document.querySelector("[data-review-unanswered]");
    if (!box) return;
    var holder = box.querySelector("[data-review-unanswered-list]");
    holder.textContent = "";
    var asked = rows.filter(function (r) { return window.normbookAnswers.asks(r.getAttribute("data-review-q")); });
    var open = asked.filter(function (r) { return r.classList.contains("review-unanswered-row"); });
    var answered = asked.length - open.length;
    box.querySelector("[data-review-count]").textContent = answered === 0
      ? "No answers are saved in this browser yet. Answer the questions of each part, or import an answers file on any page of the survey."
      : "You have answered " + answered + " of the " + asked.length + " questions that your answers lead to." +
        (open.length ? "" : " Every one is answered.");
    box.hidden = false;
    if (answered === 0 || open.length === 0) return;
    holder.appendChild(element("p", "", "Not yet answered:"));
    Array.prototype.forEach.call(document.querySelectorAll("[data-review-part], [data-review-separate]"), function (part) {
      var here = open.filter(function (r) { return part.contains(r); });
      if (here.length === 0) return;
      holder.appendChild(element("h3", "", part.querySelector("h2").textContent));
      var ul = element("ul", "review-unanswered-list");
      here.forEach(function (row) {
        var a = element("a", "", row.querySelector(".review-question").textContent.replace(/\s+/g, " ").trim());
        a.href = row.querySelector("[data-review-link]").getAttribute("href");
        var li = element("li");
        li.appendChild(a);
        ul.appendChild(li);
      });
      holder.appendChild(ul);
    });
  }

  /** Today, as the UN writes dates ("3 December 2026") for a site in English. */
  function fill() {
    var current = window.normbookAnswers.current();
    var problems = window.normbookAnswers.overLimit();
    var rows = Array.prototype.slice.call(document.querySelectorAll("[data-review-q]"));
    rows.forEach(function (row) { fillRow(row, current, problems, mode === "contacts"); });
    showUnanswered(rows);
    document.querySelector("[data-review-date]").textContent = window.normbookAnswers.today();
    var by = window.normbookAnswers.preparedBy().trim();
    var preparedBy = document.querySelector("[data-review-prepared-by]");
    preparedBy.textContent = by || "not given";
    preparedBy.classList.toggle("review-none", !by);
    document.querySelector("[data-review-meta]").hidden = false;
    document.querySelector("[data-review-intro]").hidden = false;
    document.querySelector("[data-review-nojs]").hidden = true;
  }

  // ---- the prints of the submission step: review.html?print=response or ?print=contacts ----

  /** The print the address asks for: "response", "contacts" or "" (the whole review). */
  function printMode() {
    var asked = /[?&]print=(response|contacts)(?:&|$)/.exec(window.location.search);
    return asked ? asked[1] : "";
  }

  var MODES = {
    response: {
      heading: "Survey response",
      what: "Your survey response as it prints: every part with your answers, the questions not answered marked as such, and no point-of-contact information.",
      // Out of the page, not merely hidden: nothing of them can reach the print.
      drop: "[data-review-separate]"
    },
    contacts: {
      heading: "Points of contact",
      what: "The points of contact as they print, on pages of their own, apart from the survey response.",
      drop: "[data-review-part], [data-review-unanswered]"
    }
  };

  /** Turns the review into the print of `mode`: its heading, its content only, the bar
   *  with the print button. */
  function applyMode(article) {
    var spec = MODES[mode];
    var separate = !!document.querySelector("[data-review-separate]");
    article.setAttribute("data-review-mode", mode);
    Array.prototype.forEach.call(document.querySelectorAll(spec.drop), function (el) { el.remove(); });
    Array.prototype.forEach.call(document.querySelectorAll("[data-review-separate-note]"), function (dd) {
      dd.textContent = "Not part of this response: points of contact are printed apart, and submitted separately if at all.";
    });
    Array.prototype.forEach.call(document.querySelectorAll("[data-review-only]"), function (el) {
      el.hidden = el.getAttribute("data-review-only") !== mode || !separate;
    });
    var heading = document.querySelector("[data-review-heading]");
    document.title = document.title.replace(heading.textContent, spec.heading);
    heading.textContent = spec.heading;
    var bar = document.querySelector("[data-review-print-bar]");
    bar.querySelector("[data-review-print-what]").textContent = spec.what;
    bar.querySelector("[data-review-print]").addEventListener("click", function () { window.print(); });
    bar.hidden = false;
  }

  var mode = printMode();

  function start() {
    // form.js refuses a model of another build, and then says so itself.
    var article = document.querySelector("[data-review]");
    if (!model || !window.normbookAnswers || !article) return;
    if (mode) applyMode(article);
    fill();
    window.addEventListener("storage", fill);
  }

  // Answers in reading form, for the pages that merge and compare answers files.
  window.normbookReading = { reading: reading, fields: fields, element: element, isEmpty: isEmpty };

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
