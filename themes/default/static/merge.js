// Answers files put together in the browser. The merge page: the drafts of several
// ministries merged, agreements shown once with their sources, conflicts side by side for
// the coordinator to settle, the result exported as an answers file that records where
// each answer came from. The compare page: what changed since an earlier submission.
// Files are read and checked as an import reads and checks them (normbook.file, against
// the schema the build generated); answers are shown as the review page shows them
// (window.normbookReading). Nothing is sent anywhere. Everything taken from a file is
// written with textContent, never as HTML.
(function () {
  "use strict";

  var model = window.normbookSurvey;
  var api = window.normbookAnswers;
  var R = window.normbookReading;
  var element, isEmpty;

  /** The site's root, from this script's address: links work at any sub-path and from a folder. */
  var siteRoot = document.currentScript ? new URL(".", document.currentScript.src).href : "";

  function has(object, key) {
    return Object.prototype.hasOwnProperty.call(object, key);
  }

  function isText(v) {
    return typeof v === "string";
  }

  function plural(n, what) {
    return n + " " + what + (n === 1 ? "" : "s");
  }

  /** "A", "A and B", "A, B and C". */
  function names(list) {
    return list.length < 2 ? list.join("") : list.slice(0, -1).join(", ") + " and " + list[list.length - 1];
  }

  function union(lists) {
    var out = [];
    lists.forEach(function (list) {
      list.forEach(function (x) { if (out.indexOf(x) < 0) out.push(x); });
    });
    return out;
  }

  function all(selector, scope) {
    return Array.prototype.slice.call((scope || document).querySelectorAll(selector));
  }

  function button(text, className) {
    var b = element("button", className || "", text);
    b.type = "button";
    return b;
  }

  // ---- reading files, as an import reads them (normbook.file) ----

  /** A read file as { name, text, file, contents }, or { name, text, problem } when it
   *  does not fit. */
  function parse(loaded) {
    return Object.assign({ name: loaded.name, text: loaded.text }, window.normbook.file.parse(loaded.text));
  }

  /** Adds the files of `fileList` to `list`, then calls `done`. A file chosen again (the
   *  same name and bytes) is taken once; two files of one name from different folders
   *  are both taken. */
  function addFiles(list, fileList, done) {
    var chosen = Array.prototype.slice.call(fileList || []);
    if (chosen.length === 0) return;
    Promise.all(chosen.map(window.normbook.file.read)).then(function (loaded) {
      loaded.map(parse).forEach(function (entry) {
        var again = list.some(function (f) { return f.name === entry.name && f.text === entry.text; });
        if (!again) list.push(entry);
      });
      done();
    });
  }

  /** Takes files from the picker and from a drop on `zone`; a drop elsewhere on the page
   *  does nothing (the browser would otherwise leave the page for the file). */
  function acceptFiles(zone, input, take) {
    input.addEventListener("change", function () {
      take(input.files);
      input.value = "";
    });
    ["dragenter", "dragover"].forEach(function (type) {
      zone.addEventListener(type, function (event) {
        event.preventDefault();
        zone.classList.add("dragging");
      });
    });
    zone.addEventListener("dragleave", function () { zone.classList.remove("dragging"); });
    zone.addEventListener("drop", function (event) {
      event.preventDefault();
      zone.classList.remove("dragging");
      take(event.dataTransfer && event.dataTransfer.files);
    });
    window.addEventListener("dragover", function (event) { event.preventDefault(); });
    window.addEventListener("drop", function (event) { event.preventDefault(); });
  }

  /** Names each file as a source: who prepared it, or else its file name. Two files of
   *  one kind from the same hand are told apart by their file names. */
  function labelSources(files) {
    files.forEach(function (f) {
      var by = isText(f.file.prepared_by) ? f.file.prepared_by.trim() : "";
      f.label = by || f.name;
    });
    var twins = function (f) { return files.filter(function (o) { return o.contents === f.contents && o.label === f.label; }); };
    files.forEach(function (f) {
      if (twins(f).length > 1 && f.label !== f.name) f.label += " (" + f.name + ")";
    });
    // Files of one name and one hand, from different folders: numbered.
    files.forEach(function (f) {
      var same = twins(f);
      if (same.length > 1) same.forEach(function (o, i) { if (i > 0) o.label += " (" + (i + 1) + ")"; });
    });
  }

  /** The file list under a picker: each file, what it is or what is wrong with it, and a
   *  button that removes it. */
  function showFiles(holder, files, remove) {
    holder.textContent = "";
    files.forEach(function (f, i) {
      var li = element("li", f.problem ? "files-bad" : "");
      li.appendChild(element("span", "files-name", f.name));
      var kind = f.contents === "separate" ? "points of contact" : "answers";
      var what = f.problem ? "Cannot be used: " + f.problem + "." :
        (f.role ? f.role + " " + kind : kind.charAt(0).toUpperCase() + kind.slice(1)) +
        (isText(f.file.prepared_by) && f.file.prepared_by.trim() ? ", prepared by " + f.file.prepared_by.trim() : "");
      li.appendChild(element("span", "files-what", what));
      var b = button("Remove", "secondary small");
      b.setAttribute("aria-label", "Remove " + f.name);
      b.addEventListener("click", function () {
        remove(i);
        // The button is gone: focus goes back to the file picker.
        document.querySelector("[data-files-input]").focus();
      });
      li.appendChild(b);
      holder.appendChild(li);
    });
  }

  /** The GOV.UK error summary naming each file that cannot be used, focused when it appears. */
  function showProblems(files, inputId) {
    var summary = document.querySelector("[data-files-error]");
    var list = summary.querySelector("[data-files-error-list]");
    var bad = files.filter(function (f) { return f.problem; });
    list.textContent = "";
    bad.forEach(function (f) {
      var a = element("a", "", f.name + ": " + f.problem + ".");
      a.href = "#" + inputId;
      a.addEventListener("click", function (event) {
        event.preventDefault();
        document.getElementById(inputId).focus();
      });
      var li = element("li");
      li.appendChild(a);
      list.appendChild(li);
    });
    var was = !summary.hidden;
    summary.hidden = bad.length === 0;
    if (bad.length && !was) summary.focus();
    return bad.length > 0;
  }

  // ---- answers as units: what is merged, or compared, as one ----
  // A unit is a question's answer ("3.1"), one role's or category's answer of a question
  // asked per role ("13.5/technical": points of contact merge by role), or the text of a
  // question's details field ("1.3/details").

  function unitKeys(id) {
    var q = model.questions[id];
    var keys = q.kind === "group" && q.instances.length ? q.instances.map(function (i) { return id + "/" + i; }) : [id];
    if (q.details) keys.push(id + "/details");
    return keys;
  }

  function splitKey(key) {
    var at = key.indexOf("/");
    return at < 0 ? { id: key, part: null } : { id: key.slice(0, at), part: key.slice(at + 1) };
  }

  /** "items" (a list of initiatives or projects), "fields" (one set of fields, such as a
   *  contact), "details", or the question's own kind. */
  function kindOf(key) {
    var k = splitKey(key);
    var q = model.questions[k.id];
    if (k.part === "details") return "details";
    if (q.kind === "group") return q.repeat ? "items" : "fields";
    return q.kind;
  }

  /** The units of `answers` and `details` (any version of the spec): { key: value }. Ids
   *  the survey no longer asks, or answers that no longer fit, go to `left`. */
  function unitsOf(answers, details, left) {
    var out = {};
    Object.keys(answers || {}).forEach(function (given) {
      var id = api.currentId(given);
      var value = answers[given];
      if (!id || !api.fits(id, value)) return left.push(given);
      var q = model.questions[id];
      if (q.kind === "group" && q.instances.length) {
        q.instances.forEach(function (inst) { if (!isEmpty(value[inst])) out[id + "/" + inst] = value[inst]; });
      } else if (!isEmpty(value)) {
        out[id] = value;
      }
    });
    Object.keys(details || {}).forEach(function (given) {
      var id = api.currentId(given);
      if (!id) return left.push(given);
      if (isText(details[given]) && details[given].trim()) out[id + "/details"] = details[given];
    });
    return out;
  }

  /** A value written so that answers that say the same compare equal: keys sorted,
   *  empty fields left out, chosen options in one order, spaces in texts collapsed. */
  function canon(value) {
    if (isText(value)) return JSON.stringify(value.trim().replace(/\s+/g, " "));
    if (Array.isArray(value)) return "[" + value.filter(function (v) { return !isEmpty(v); }).map(canon).join(",") + "]";
    if (value && typeof value === "object") {
      var v = Array.isArray(value.selected) ? { selected: value.selected.slice().sort(), specify: value.specify || {} } : value;
      return "{" + Object.keys(v).sort().filter(function (k) { return !isEmpty(v[k]); }).map(function (k) {
        return JSON.stringify(k) + ":" + canon(v[k]);
      }).join(",") + "}";
    }
    return JSON.stringify(value);
  }

  /** The text that names an item (an initiative's title, a contact's name). */
  function titleOf(q, item) {
    var first = q.fields[0];
    var text = first && item ? item[first.id] : "";
    return isText(text) ? text.trim().toLowerCase() : "";
  }

  /** A unit's value in reading form, as the review page shows it. */
  function readingOf(key, value) {
    var k = splitKey(key);
    var q = model.questions[k.id];
    var out = element("div", "merge-answer");
    if (k.part === "details") out.appendChild(element("p", "review-text", value));
    else if (kindOf(key) === "fields") out.appendChild(R.fields(q, value));
    else out.appendChild(R.reading(q, value));
    return out;
  }

  /** One item of a list in reading form, under its label ("Initiative 2"). */
  function itemReading(q, item, label) {
    var block = element("div", "review-item");
    block.appendChild(element("p", "review-item-label", label));
    block.appendChild(R.fields(q, item));
    return block;
  }

  /** The heading a unit gets within its question: its role, or its details field. */
  function unitHeading(key, container) {
    var k = splitKey(key);
    if (k.part === "details") return container.getAttribute("data-details-label") || "Details";
    return k.part ? model.questions[k.id].instance_labels[k.part] : "";
  }

  function questionName(id) {
    var q = model.questions[id];
    var container = document.querySelector('[data-files-q="' + id + '"] .files-question-text');
    var text = container ? container.textContent.replace(/\s+/g, " ").trim() : "";
    return (q.number ? q.number + " " : "") + (text.length > 90 ? text.slice(0, 88) + "…" : text);
  }

  function unitName(key) {
    var k = splitKey(key);
    var container = document.querySelector('[data-files-q="' + k.id + '"]');
    var sub = unitHeading(key, container);
    return questionName(k.id) + (sub ? " – " + sub : "");
  }

  /** Shows the question blocks that `fill(container, id)` says something about (true),
   *  hides the others and parts left empty. */
  function fillQuestions(scope, fill) {
    all("[data-files-q]", scope).forEach(function (container) {
      all("[data-merge-skipped]", container).forEach(function (note) { note.remove(); });
      var body = container.querySelector("[data-files-body]");
      body.textContent = "";
      container.hidden = !fill(container, container.getAttribute("data-files-q"), body);
    });
    all("[data-files-part]", scope).forEach(function (part) {
      part.hidden = !part.querySelector("[data-files-q]:not([hidden])");
    });
  }

  // ==== the merge page ====

  var files = [];
  var units = [];
  var choices = {};
  var walkAt = -1;
  var undo = null;

  /** Every unit that some file answers, in survey order, with what each file gave:
   *  `candidates` (the distinct answers, each with the sources that gave it), or for a
   *  list, `items` (the union, an item given alike by several files once). */
  function mergeAll(good) {
    var out = [];
    model.order.forEach(function (id) {
      unitKeys(id).forEach(function (key) {
        var givers = good.filter(function (f) { return has(f.units, key); });
        if (givers.length === 0) return;
        var unit = { key: key, id: id, kind: kindOf(key), givers: givers.map(function (f) { return f.label; }) };
        if (unit.kind === "items") unit.items = unionOfItems(givers, key);
        else unit.candidates = distinct(givers.map(function (f) { return [f.units[key], f.label]; }));
        unit.conflict = unit.kind !== "items" && unit.candidates.length > 1;
        out.push(unit);
      });
    });
    return out;
  }

  /** [value, source] pairs grouped by value: [{ value, from: [sources] }]. */
  function distinct(pairs) {
    var out = [];
    pairs.forEach(function (pair) {
      var c = canon(pair[0]);
      var same = out.filter(function (x) { return x.canon === c; })[0];
      if (!same) out.push({ canon: c, value: pair[0], from: [pair[1]] });
      else if (same.from.indexOf(pair[1]) < 0) same.from.push(pair[1]);
    });
    return out;
  }

  /** The items of every file's list, each once; items that share a title without being
   *  the same are marked as possible duplicates (`twin`: the other's index). */
  function unionOfItems(givers, key) {
    var q = model.questions[splitKey(key).id];
    var pairs = [];
    givers.forEach(function (f) {
      f.units[key].forEach(function (item) { if (!isEmpty(item)) pairs.push([item, f.label]); });
    });
    var items = distinct(pairs).map(function (x) { return { item: x.value, from: x.from, keep: true }; });
    items.forEach(function (x, i) {
      var title = titleOf(q, x.item);
      x.twin = -1;
      items.forEach(function (o, j) { if (title && j !== i && x.twin < 0 && titleOf(q, o.item) === title) x.twin = j; });
    });
    return items;
  }

  function canUnite(kind) {
    return kind === "multiple" || kind === "urls" || kind === "list";
  }

  function canWrite(kind) {
    return kind === "text" || kind === "line" || kind === "details";
  }

  /** Several answers as one: every option chosen (the "please specify" texts of an
   *  option joined), or every entry of a list, each once. */
  function unite(key, values) {
    if (kindOf(key) !== "multiple") {
      var seen = {};
      return [].concat.apply([], values).filter(function (v) {
        var c = canon(v);
        return has(seen, c) ? false : (seen[c] = true);
      });
    }
    var q = model.questions[key];
    var chosen = union(values.map(function (v) { return v.selected; }));
    var out = { selected: q.options.filter(function (o) { return chosen.indexOf(o) >= 0; }), specify: {} };
    out.selected.forEach(function (option) {
      var texts = union(values.map(function (v) { return (v.specify || {})[option]; }).filter(function (t) { return isText(t) && t.trim(); }).map(function (t) { return [t.trim()]; }));
      if (texts.length) out.specify[option] = texts.join("; ");
    });
    return out;
  }

  /** A unit's merged answer and the sources it came from; null while it is a conflict
   *  not yet settled (or a list whose every item was left out). */
  function resolved(unit) {
    if (unit.kind === "items") {
      var kept = unit.items.filter(function (x) { return x.keep; });
      if (kept.length === 0) return null;
      return { value: kept.map(function (x) { return x.item; }), from: union(kept.map(function (x) { return x.from; })) };
    }
    if (!unit.conflict) return { value: unit.candidates[0].value, from: unit.candidates[0].from };
    var choice = choices[unit.key];
    if (!choice) return null;
    if (choice.mode === "one") return { value: unit.candidates[choice.pick].value, from: unit.candidates[choice.pick].from };
    if (choice.mode === "several") {
      return { value: unite(unit.key, unit.candidates.map(function (c) { return c.value; })), from: unit.givers };
    }
    return choice.text.trim() ? { value: choice.text, from: unit.givers } : null;
  }

  function conflicts() {
    return units.filter(function (u) { return u.conflict; });
  }

  // ---- the merge, shown ----

  function fromLine(from, alike) {
    var text = from.length > 1 && alike ? "Given alike by " + names(from) : "From " + names(from);
    return element("p", "merge-from", text);
  }

  function showAgreed(unit) {
    var block = element("div", "merge-agreed");
    block.setAttribute("data-merge-state", unit.givers.length > 1 ? "agreed" : "single");
    block.appendChild(fromLine(unit.candidates[0].from, true));
    block.appendChild(readingOf(unit.key, unit.candidates[0].value));
    return block;
  }

  function showItems(unit, index) {
    var q = model.questions[unit.id];
    var block = element("div", "merge-items");
    block.setAttribute("data-merge-state", "items");
    var several = unit.givers.length > 1;
    block.appendChild(element("p", "merge-from", several
      ? "The " + q.item_label.toLowerCase() + "s of " + names(unit.givers) + " together: each given alike by several files is shown once. Untick any to leave it out."
      : "From " + unit.givers[0] + "."));
    var list = element("ol", "merge-item-list");
    unit.items.forEach(function (x, i) {
      var li = element("li", "merge-item");
      li.setAttribute("data-merge-item", "");
      li.appendChild(itemReading(q, x.item, q.item_label + " " + (i + 1)));
      if (several) li.appendChild(fromLine(x.from, true));
      if (x.twin >= 0) {
        li.appendChild(element("p", "merge-twin", "Possible duplicate: " + q.item_label.toLowerCase() + " " + (x.twin + 1) +
          " has the same " + q.fields[0].label.toLowerCase() + " but says something else. Keep the one you want, or both."));
      }
      if (several) {
        var choice = element("div", "choice");
        var box = element("input");
        box.type = "checkbox";
        box.id = "merge-" + index + "-item-" + i;
        box.checked = x.keep;
        box.addEventListener("change", function () {
          x.keep = box.checked;
          changed();
        });
        var label = element("label", "", "Keep " + q.item_label.toLowerCase() + " " + (i + 1));
        label.htmlFor = box.id;
        choice.appendChild(box);
        choice.appendChild(label);
        li.appendChild(choice);
      }
      list.appendChild(li);
    });
    block.appendChild(list);
    return block;
  }

  function radio(name, id, value, text, checked) {
    var choice = element("div", "choice");
    var input = element("input");
    input.type = "radio";
    input.name = name;
    input.id = id;
    input.value = value;
    input.checked = checked;
    var label = element("label");
    label.htmlFor = id;
    label.appendChild(text);
    choice.appendChild(input);
    choice.appendChild(label);
    return choice;
  }

  function labelled(text, hidden) {
    var span = element("span", "", text);
    if (hidden) span.appendChild(element("span", "visually-hidden", hidden));
    return span;
  }

  /** A conflict: the answers side by side under their sources, and the ways to settle it. */
  function showConflict(unit, index, number, total) {
    var box = element("fieldset", "merge-conflict");
    box.id = "merge-conflict-" + number;
    box.tabIndex = -1;
    box.setAttribute("data-merge-conflict", unit.key);
    var legend = element("legend", "", "The files differ: choose what to keep");
    legend.appendChild(element("span", "merge-conflict-number", " Conflict " + number + " of " + total));
    box.appendChild(legend);
    var name = "merge-" + index;
    var choice = choices[unit.key] || {};
    var side = element("div", "merge-candidates");
    unit.candidates.forEach(function (c, i) {
      var card = element("div", "merge-candidate");
      card.setAttribute("data-merge-candidate", "");
      card.appendChild(fromLine(c.from, true));
      card.appendChild(readingOf(unit.key, c.value));
      card.appendChild(radio(name, name + "-" + i, "one-" + i, labelled("Keep this answer", " from " + names(c.from)), choice.mode === "one" && choice.pick === i));
      side.appendChild(card);
    });
    box.appendChild(side);
    var more = element("div", "merge-more");
    if (canUnite(unit.kind)) {
      var several = radio(name, name + "-several", "several", labelled("Keep all of them together"), choice.mode === "several");
      var hint = element("div", "hint merge-union");
      hint.id = name + "-several-hint";
      hint.appendChild(element("span", "", "Every option or entry any file gave, each once:"));
      hint.appendChild(readingOf(unit.key, unite(unit.key, unit.candidates.map(function (c) { return c.value; }))));
      several.querySelector("input").setAttribute("aria-describedby", hint.id);
      several.appendChild(hint);
      more.appendChild(several);
    }
    if (canWrite(unit.kind)) {
      more.appendChild(radio(name, name + "-write", "write", labelled("Write a combined answer"), choice.mode === "write"));
      var write = element("div", "merge-write");
      write.hidden = choice.mode !== "write";
      var area = element(unit.kind === "line" ? "input" : "textarea");
      if (unit.kind === "line") area.type = "text";
      area.id = name + "-text";
      area.value = choice.mode === "write" ? choice.text : unit.candidates.map(function (c) { return c.value.trim(); }).join(unit.kind === "line" ? "; " : "\n\n");
      var label = element("label", "", "Combined answer");
      label.htmlFor = area.id;
      write.appendChild(label);
      write.appendChild(area);
      area.addEventListener("input", function () {
        choices[unit.key] = { mode: "write", text: area.value };
        changed();
      });
      more.appendChild(write);
    }
    if (more.firstChild) box.appendChild(more);
    var outcome = element("p", "merge-outcome");
    outcome.setAttribute("aria-live", "polite");
    outcome.setAttribute("data-merge-outcome", "");
    box.appendChild(outcome);
    box.addEventListener("change", function (event) {
      if (event.target.type !== "radio") return;
      var value = event.target.value;
      var text = box.querySelector(".merge-write");
      if (text) text.hidden = value !== "write";
      if (value === "write") choices[unit.key] = { mode: "write", text: box.querySelector("#" + name + "-text").value };
      else if (value === "several") choices[unit.key] = { mode: "several" };
      else choices[unit.key] = { mode: "one", pick: parseInt(value.slice(4), 10) };
      changed();
    });
    return box;
  }

  function describeOutcome(unit) {
    var choice = choices[unit.key];
    if (!choice) return "Not resolved yet: this answer is left out of the merged answers until you choose.";
    if (!resolved(unit)) return "Not resolved yet: the combined answer is empty.";
    if (choice.mode === "one") return "Resolved: keeping the answer from " + names(unit.candidates[choice.pick].from) + ".";
    if (choice.mode === "several") return "Resolved: keeping all of them together.";
    return "Resolved: your combined answer.";
  }

  function showMerge() {
    var total = conflicts().length;
    var number = 0;
    fillQuestions(document.querySelector("[data-merge-questions]"), function (container, id, body) {
      var here = units.filter(function (u) { return u.id === id; });
      here.forEach(function (unit) {
        var heading = unitHeading(unit.key, container);
        if (heading) body.appendChild(element("h4", "merge-unit-heading", heading));
        var index = units.indexOf(unit);
        if (unit.kind === "items") body.appendChild(showItems(unit, index));
        else if (unit.conflict) body.appendChild(showConflict(unit, index, ++number, total));
        else body.appendChild(showAgreed(unit));
      });
      container.classList.toggle("merge-has-conflict", here.some(function (u) { return u.conflict; }));
      return here.length > 0;
    });
    walkAt = -1;
  }

  function showCounts(good) {
    var counts = document.querySelector("[data-merge-counts]");
    var answersFiles = good.filter(function (f) { return f.contents === "answers"; }).length;
    var kinds = [];
    if (answersFiles) kinds.push(plural(answersFiles, "answers file"));
    if (good.length - answersFiles) kinds.push(plural(good.length - answersFiles, "points-of-contact file"));
    var agreed = units.filter(function (u) { return !u.conflict && u.kind !== "items" && u.givers.length > 1; }).length;
    var single = units.filter(function (u) { return !u.conflict && u.kind !== "items" && u.givers.length === 1; }).length;
    var lists = units.filter(function (u) { return u.kind === "items"; }).length;
    var parts = [plural(agreed, "answer") + " on which files agree", plural(single, "answer") + " from one file only"];
    if (lists) parts.push(plural(lists, "list") + " of initiatives or contacts put together");
    counts.textContent = "Merging " + names(kinds) + ": " + parts.join(", ") + ", and " + plural(conflicts().length, "conflict") + " where they differ.";
    var left = [];
    good.forEach(function (f) { if (f.left.length) left.push(f.name + " (" + f.left.join(", ") + ")"); });
    var note = document.querySelector("[data-merge-not-merged]");
    note.hidden = left.length === 0;
    note.textContent = left.length ? "Not merged: answers to questions this version of the survey no longer asks, in " + names(left) + ". Import such a file on its own to keep them." : "";
  }

  /** "2 of 3 conflicts resolved", and the list of those still open above the export. */
  function showProgress() {
    var open = conflicts().filter(function (u) { return !resolved(u); });
    var total = conflicts().length;
    document.querySelector("[data-merge-walk]").hidden = total === 0;
    document.querySelector("[data-merge-progress]").textContent = (total - open.length) + " of " + plural(total, "conflict") + " resolved";
    all("[data-merge-conflict]").forEach(function (box) {
      var unit = units.filter(function (u) { return u.key === box.getAttribute("data-merge-conflict"); })[0];
      var outcome = box.querySelector("[data-merge-outcome]");
      var text = describeOutcome(unit).split(": ");
      outcome.textContent = "";
      outcome.appendChild(element("strong", "", text[0] + ": "));
      outcome.appendChild(document.createTextNode(text.slice(1).join(": ")));
      box.classList.toggle("merge-resolved", !!resolved(unit));
    });
    var holder = document.querySelector("[data-merge-open]");
    var list = holder.querySelector("[data-merge-open-list]");
    list.textContent = "";
    holder.hidden = open.length === 0;
    open.forEach(function (unit) {
      var a = element("a", "", unitName(unit.key));
      a.href = "#merge-conflict-" + (conflicts().indexOf(unit) + 1);
      var li = element("li");
      li.appendChild(a);
      list.appendChild(li);
    });
  }

  /** A note on each question that the merged answers' branching skips: its answer is
   *  kept apart in the file (`hidden`), not part of the response. */
  function showSkipped() {
    var answers = merged().answers;
    all("[data-merge-questions] [data-files-q]:not([hidden])").forEach(function (container) {
      var id = container.getAttribute("data-files-q");
      var note = container.querySelector("[data-merge-skipped]");
      var skipped = !api.asksIn(answers, id);
      if (!note && skipped) {
        note = element("p", "merge-skipped", "The merged answers skip this question, given the answers to the questions it depends on: its answer is kept apart in the merged file, not part of the response.");
        note.setAttribute("data-merge-skipped", "");
        container.querySelector("[data-files-body]").before(note);
      }
      if (note) note.hidden = !skipped;
    });
  }

  /** Questions that no file answers and that the merged answers ask. */
  function showUnanswered(good) {
    var section = document.querySelector("[data-merge-unanswered]");
    var list = section.querySelector("[data-merge-unanswered-list]");
    var kinds = union([good.map(function (f) { return f.contents === "separate"; })]);
    var answers = merged().answers;
    list.textContent = "";
    model.order.forEach(function (id) {
      var q = model.questions[id];
      if (kinds.indexOf(q.separate) < 0 || units.some(function (u) { return u.id === id; })) return;
      if (!api.asksIn(answers, id)) return;
      var a = element("a", "", questionName(id));
      a.href = siteRoot + q.href;
      var li = element("li");
      li.appendChild(a);
      list.appendChild(li);
    });
    section.hidden = !list.firstChild;
  }

  /** The merged answers, points of contact included, as { answers, details, sources }. */
  function merged() {
    var out = { answers: {}, details: {}, sources: {} };
    units.forEach(function (unit) {
      var r = resolved(unit);
      if (!r) return;
      var k = splitKey(unit.key);
      if (k.part === "details") out.details[k.id] = r.value;
      else if (k.part) (out.answers[k.id] = out.answers[k.id] || {})[k.part] = r.value;
      else out.answers[k.id] = r.value;
      out.sources[unit.key] = r.from;
    });
    return out;
  }

  function preparedBy() {
    var input = document.querySelector("[data-merge-prepared-by]");
    return input ? input.value.trim() : "";
  }

  /** The merged file of `contents`, as an export writes one, with where each answer came from. */
  function mergedFile(contents) {
    var all = merged();
    var mine = function (id) { return model.questions[id].separate === (contents === "separate"); };
    var pick = function (from) {
      var out = {};
      Object.keys(from).forEach(function (key) { if (mine(splitKey(key).id)) out[key] = from[key]; });
      return out;
    };
    // Points of contact are asked as the answers' branching says (13.4 opens 13.5).
    var split = api.split({ answers: pick(all.answers), details: pick(all.details) }, all.answers);
    var file = api.newFile(contents, split.current.answers, split.current.details);
    if (Object.keys(split.hidden.answers).length || Object.keys(split.hidden.details).length) file.hidden = split.hidden;
    if (preparedBy()) file.prepared_by = preparedBy();
    file.merged_from = files.filter(function (f) { return f.contents === contents; }).map(function (f) {
      var entry = { source: f.label, file: f.name };
      if (isText(f.file.prepared_by) && f.file.prepared_by.trim()) entry.prepared_by = f.file.prepared_by.trim();
      if (isText(f.file.exported)) entry.exported = f.file.exported;
      return entry;
    });
    file.sources = pick(all.sources);
    return file;
  }

  function hasKind(contents) {
    return files.some(function (f) { return f.contents === contents; });
  }

  function exportMerged(contents) {
    var name = api.fileName(contents, preparedBy() ? preparedBy() + " merged" : "merged", new Date());
    api.download(mergedFile(contents), name);
    var open = conflicts().filter(function (u) { return !resolved(u); }).length;
    say("Exported the merged " + (contents === "separate" ? "points of contact" : "answers") + " to " + name +
      (open ? ", without the " + plural(open, "conflict") + " not yet resolved." : "."));
  }

  function say(text) {
    document.querySelector("[data-merge-result] [data-status]").textContent = text;
  }

  // ---- using the merge as this browser's answers, with an undo ----

  /** Question by question, what the merged answers change in this browser's answers. */
  function changesToCurrent() {
    var now = api.current();
    var next = merged();
    var kinds = ["answers", "separate"].filter(hasKind);
    var out = { replaced: [], removed: [], added: [] };
    model.order.forEach(function (id) {
      if (kinds.indexOf(model.questions[id].separate ? "separate" : "answers") < 0) return;
      var before = [now.answers[id], now.details[id]];
      var after = [next.answers[id], next.details[id]];
      var had = !isEmpty(before[0]) || !isEmpty(before[1]);
      var gets = !isEmpty(after[0]) || !isEmpty(after[1]);
      if (had && gets && canon(before) !== canon(after)) out.replaced.push(id);
      else if (had && !gets) out.removed.push(id);
      else if (!had && gets) out.added.push(id);
    });
    return out;
  }

  function askToUse() {
    var box = document.querySelector("[data-merge-confirm]");
    var changes = changesToCurrent();
    var kinds = ["answers", "separate"].filter(hasKind);
    document.querySelector("[data-merge-confirm-intro]").textContent =
      "The merged " + (kinds.length === 2 ? "answers and points of contact" : kinds[0] === "separate" ? "points of contact" : "answers") +
      " will take the place of those saved in this browser" +
      (kinds.length === 2 ? "." : kinds[0] === "separate" ? "; your other answers stay as they are." : "; your points of contact stay as they are.") +
      " You can undo this straight after.";
    var dl = document.querySelector("[data-merge-changes]");
    dl.textContent = "";
    [["replaced", "Answers that will be replaced"], ["removed", "Answers that will be removed (no merged file gives them)"], ["added", "New answers"]].forEach(function (pair) {
      var ids = changes[pair[0]];
      var row = element("div");
      row.appendChild(element("dt", "", pair[1]));
      row.appendChild(element("dd", "", ids.length ? ids.map(function (id) { return model.questions[id].number || questionName(id); }).join(", ") : "None"));
      row.setAttribute("data-merge-change", pair[0]);
      dl.appendChild(row);
    });
    box.hidden = false;
    box.focus();
  }

  function use() {
    var saved = api.snapshot();
    var ok = ["answers", "separate"].filter(hasKind).every(function (contents) {
      return api.importFile(mergedFile(contents), "the merged " + contents);
    });
    document.querySelector("[data-merge-confirm]").hidden = true;
    if (!ok) {
      api.restore(saved);
      return say("Nothing was changed: this browser did not keep the merged answers. Your answers are as they were.");
    }
    undo = saved;
    document.querySelector("[data-merge-undo]").hidden = false;
    say("The merged answers are now the answers saved in this browser.");
  }

  function undoUse() {
    if (!undo || !api.restore(undo)) return say("The earlier answers could not be brought back.");
    undo = null;
    document.querySelector("[data-merge-undo]").hidden = true;
    say("Your earlier answers are back, as they were before the merge.");
  }

  // ---- walking the conflicts one by one ----

  function go(step) {
    var boxes = all("[data-merge-conflict]");
    if (boxes.length === 0) return;
    walkAt = walkAt < 0 ? (step > 0 ? 0 : boxes.length - 1) : (walkAt + step + boxes.length) % boxes.length;
    boxes[walkAt].focus({ preventScroll: true });
    boxes[walkAt].scrollIntoView({ block: "start" });
  }

  function changed() {
    showProgress();
    showSkipped();
    showUnanswered(files);
    var confirm = document.querySelector("[data-merge-confirm]");
    confirm.hidden = true;
  }

  function refreshMerge() {
    showFiles(document.querySelector("[data-files-list]"), files, function (i) {
      files.splice(i, 1);
      refreshMerge();
    });
    var bad = showProblems(files, "merge-files");
    var enough = !bad && files.length >= 2;
    ["[data-merge-questions]", "[data-merge-result]"].forEach(function (s) { document.querySelector(s).hidden = !enough; });
    document.querySelector("[data-merge-summary]").hidden = bad || files.length === 0;
    document.querySelector("[data-merge-unanswered]").hidden = true;
    document.querySelector("[data-merge-confirm]").hidden = true;
    choices = {};
    units = [];
    if (!enough) {
      document.querySelector("[data-merge-counts]").textContent = bad ? "" : "Add at least one more file to merge.";
      document.querySelector("[data-merge-walk]").hidden = true;
      document.querySelector("[data-merge-not-merged]").hidden = true;
      return;
    }
    labelSources(files);
    files.forEach(function (f) {
      f.left = [];
      f.units = unitsOf(f.file.answers, f.file.details, f.left);
    });
    units = mergeAll(files);
    showMerge();
    showCounts(files);
    showProgress();
    showSkipped();
    showUnanswered(files);
    document.querySelector('[data-merge-export="answers"]').hidden = !hasKind("answers");
    document.querySelector('[data-merge-export="separate"]').hidden = !hasKind("separate");
  }

  function startMerge() {
    var by = document.querySelector("[data-merge-prepared-by]");
    acceptFiles(document.querySelector("[data-files-drop]"), document.querySelector("[data-files-input]"), function (list) {
      addFiles(files, list, refreshMerge);
    });
    document.querySelector("[data-merge-walk]").addEventListener("click", function (event) {
      var b = event.target.closest("[data-merge-go]");
      if (b) go(parseInt(b.getAttribute("data-merge-go"), 10));
    });
    document.querySelector("[data-merge-result]").addEventListener("click", function (event) {
      var exp = event.target.closest("[data-merge-export]");
      if (exp) exportMerged(exp.getAttribute("data-merge-export"));
      if (event.target.closest("[data-merge-use]")) askToUse();
      if (event.target.closest("[data-merge-confirm-yes]")) use();
      if (event.target.closest("[data-merge-confirm-no]")) document.querySelector("[data-merge-confirm]").hidden = true;
      if (event.target.closest("[data-merge-undo-button]")) undoUse();
    });
    by.addEventListener("input", function () { document.querySelector("[data-merge-confirm]").hidden = true; });
    refreshMerge();
  }

  // ==== the compare page ====

  var earlier = [];
  var later = [];

  /** Plain text of a reading (a block per line, "Label: value" for fields), for a diff. */
  function textOf(node) {
    var out = "";
    var blocks = /^(P|LI|DIV|DD|DT|UL|OL|DL)$/;
    (function walk(n) {
      if (n.nodeType === 3) {
        out += n.nodeValue;
        return;
      }
      var block = blocks.test(n.nodeName);
      if (block && out && !/(\n|: )$/.test(out)) out += "\n";
      Array.prototype.forEach.call(n.childNodes, walk);
      if (n.nodeName === "DT") out += ": ";
      else if (block && !/\n$/.test(out)) out += "\n";
    })(node);
    return out.replace(/[ \t]+\n/g, "\n").trim();
  }

  /** Words and the spaces between them. */
  function tokens(text) {
    return text.match(/\s+|\S+/g) || [];
  }

  /** How `a` became `b`, word by word: [[op, text]] with op "=", "-" or "+", from the
   *  longest common subsequence of their words (spaces match any spaces). */
  function diffWords(a, b) {
    var x = tokens(a);
    var y = tokens(b);
    var same = function (p, q) { return p === q || (/^\s/.test(p) && /^\s/.test(q)); };
    if (x.length * y.length > 4000000) return [["-", a], ["+", b]];
    var lcs = [];
    for (var i = x.length; i >= 0; i--) {
      lcs[i] = new Array(y.length + 1);
      for (var j = y.length; j >= 0; j--) {
        if (i === x.length || j === y.length) lcs[i][j] = 0;
        else if (same(x[i], y[j])) lcs[i][j] = lcs[i + 1][j + 1] + 1;
        else lcs[i][j] = Math.max(lcs[i + 1][j], lcs[i][j + 1]);
      }
    }
    var ops = [];
    var push = function (op, text) {
      var last = ops[ops.length - 1];
      if (last && last[0] === op) last[1] += text;
      else ops.push([op, text]);
    };
    i = 0;
    j = 0;
    while (i < x.length || j < y.length) {
      if (i < x.length && j < y.length && same(x[i], y[j])) {
        push("=", y[j]);
        i++;
        j++;
      } else if (i < x.length && (j === y.length || lcs[i + 1][j] >= lcs[i][j + 1])) {
        push("-", x[i++]);
      } else {
        push("+", y[j++]);
      }
    }
    return ops;
  }

  /** The text of `before` with the changes to `after` marked: <del> and <ins>, each
   *  announced as removed or added words. */
  function showDiff(before, after) {
    var out = element("p", "compare-diff");
    out.setAttribute("data-compare-diff", "");
    var text = function (t) { if (t) out.appendChild(document.createTextNode(t)); };
    var last = "";
    diffWords(before, after).forEach(function (op) {
      // "No Yes", not "NoYes": a replacement reads as two words.
      if (op[0] === "+" && last === "-" && !/^\s/.test(op[1])) text(" ");
      last = op[0];
      if (op[0] === "=") return text(op[1]);
      // Spaces around a change stay outside its mark.
      var parts = /^(\s*)([\s\S]*?)(\s*)$/.exec(op[1]);
      text(parts[1]);
      if (parts[2]) {
        out.appendChild(element("span", "visually-hidden", op[0] === "-" ? "[removed: " : "[added: "));
        out.appendChild(element(op[0] === "-" ? "del" : "ins", "", parts[2]));
        out.appendChild(element("span", "visually-hidden", "]"));
      }
      text(parts[3]);
    });
    return out;
  }

  function tag(state, text) {
    var p = element("p", "compare-tag compare-" + state, text);
    return p;
  }

  /** A unit that changed: tagged, with its words changed marked, or its answer as it
   *  was (removed) or is (added). */
  function showChange(key, before, after) {
    var block = element("div", "compare-change");
    var state = before === undefined ? "added" : after === undefined ? "removed" : "changed";
    block.setAttribute("data-compare-state", state);
    block.appendChild(tag(state, state === "added" ? "Answer added" : state === "removed" ? "Answer removed" : "Answer changed"));
    if (state === "changed") block.appendChild(showDiff(textOf(readingOf(key, before)), textOf(readingOf(key, after))));
    else block.appendChild(readingOf(key, state === "added" ? after : before));
    return block;
  }

  /** Lists compared item by item: items added, removed, or changed (the same title). */
  function showItemChanges(key, before, after) {
    var q = model.questions[splitKey(key).id];
    var label = q.item_label.toLowerCase();
    var was = (before || []).filter(function (x) { return !isEmpty(x); });
    var now = (after || []).filter(function (x) { return !isEmpty(x); });
    var gone = was.filter(function (x) { return !now.some(function (y) { return canon(x) === canon(y); }); });
    var come = now.filter(function (y) { return !was.some(function (x) { return canon(x) === canon(y); }); });
    var block = element("div", "compare-change");
    block.setAttribute("data-compare-state", "items");
    come.forEach(function (y) {
      var match = gone.filter(function (x) { return titleOf(q, x) && titleOf(q, x) === titleOf(q, y); })[0];
      var item = element("div", "compare-item");
      if (match) {
        gone.splice(gone.indexOf(match), 1);
        item.setAttribute("data-compare-item", "changed");
        item.appendChild(tag("changed", q.item_label + " changed"));
        item.appendChild(showDiff(textOf(R.fields(q, match)), textOf(R.fields(q, y))));
      } else {
        item.setAttribute("data-compare-item", "added");
        item.appendChild(tag("added", q.item_label + " added"));
        item.appendChild(R.fields(q, y));
      }
      block.appendChild(item);
    });
    gone.forEach(function (x) {
      var item = element("div", "compare-item");
      item.setAttribute("data-compare-item", "removed");
      item.appendChild(tag("removed", q.item_label + " removed"));
      item.appendChild(R.fields(q, x));
      block.appendChild(item);
    });
    var kept = now.length - come.length;
    if (kept) block.appendChild(element("p", "compare-same", plural(kept, label) + " unchanged."));
    return block;
  }

  /** Units of files, or of this browser's answers, limited to the kinds `kinds` holds. */
  function unitsOfFiles(list) {
    var out = {};
    list.forEach(function (f) {
      var u = unitsOf(f.file.answers, f.file.details, []);
      Object.keys(u).forEach(function (key) { out[key] = u[key]; });
    });
    return out;
  }

  function describeSide(list, fallback) {
    if (list.length === 0) return fallback;
    return list.map(function (f) {
      var by = isText(f.file.prepared_by) && f.file.prepared_by.trim() ? ", prepared by " + f.file.prepared_by.trim() : "";
      var when = isText(f.file.exported) ? ", exported " + f.file.exported.slice(0, 10) : "";
      return f.name + by + when;
    }).join("; ");
  }

  function refreshCompare() {
    var useFile = document.querySelector("[data-compare-with]:checked").value === "file";
    document.querySelector("[data-compare-later]").hidden = !useFile;
    var shown = earlier.concat(useFile ? later : []);
    showFiles(document.querySelector("[data-files-list]"), shown, function (i) {
      if (i < earlier.length) earlier.splice(i, 1);
      else later.splice(i - earlier.length, 1);
      refreshCompare();
    });
    var bad = showProblems(shown, "compare-earlier");
    var ready = !bad && earlier.length > 0 && (!useFile || later.length > 0);
    document.querySelector("[data-compare-summary]").hidden = !ready;
    document.querySelector("[data-compare-questions]").hidden = !ready;
    if (!ready) return;
    var kinds = union([earlier.map(function (f) { return f.contents === "separate"; })]);
    var before = unitsOfFiles(earlier);
    var now = useFile ? unitsOfFiles(later) : unitsOf(api.current().answers, api.current().details, []);
    var counts = { changed: 0, added: 0, removed: 0, same: 0 };
    fillQuestions(document.querySelector("[data-compare-questions]"), function (container, id, body) {
      if (kinds.indexOf(model.questions[id].separate) < 0) return false;
      var any = false;
      unitKeys(id).forEach(function (key) {
        var b = before[key];
        var a = now[key];
        if (b === undefined && a === undefined) return;
        if (b !== undefined && a !== undefined && canon(b) === canon(a)) return counts.same++;
        counts[b === undefined ? "added" : a === undefined ? "removed" : "changed"]++;
        var heading = unitHeading(key, container);
        if (heading) body.appendChild(element("h4", "merge-unit-heading", heading));
        body.appendChild(kindOf(key) === "items" && b !== undefined && a !== undefined ? showItemChanges(key, b, a) : showChange(key, b, a));
        any = true;
      });
      return any;
    });
    var meta = document.querySelector("[data-compare-meta]");
    meta.textContent = "";
    [["Earlier", describeSide(earlier, "")], ["Later", useFile ? describeSide(later, "") : "the answers saved in this browser"]].forEach(function (pair) {
      var row = element("div");
      row.appendChild(element("dt", "", pair[0]));
      row.appendChild(element("dd", "", pair[1]));
      meta.appendChild(row);
    });
    var total = counts.changed + counts.added + counts.removed;
    document.querySelector("[data-compare-counts]").textContent = total === 0
      ? "Nothing changed: every answer is as it was."
      : plural(counts.changed, "answer") + " changed, " + counts.added + " added and " + counts.removed + " removed; " + counts.same + " as " + (counts.same === 1 ? "it was" : "they were") + ".";
  }

  function startCompare() {
    var role = function (list, name) {
      return function () {
        list.forEach(function (f) { f.role = name; });
        refreshCompare();
      };
    };
    acceptFiles(document.querySelector("[data-files-drop]"), document.querySelector("[data-files-input]"), function (list) {
      addFiles(earlier, list, role(earlier, "Earlier"));
    });
    var laterInput = document.querySelector("[data-compare-later-input]");
    laterInput.addEventListener("change", function () {
      addFiles(later, laterInput.files, role(later, "Later"));
      laterInput.value = "";
    });
    all("[data-compare-with]").forEach(function (r) { r.addEventListener("change", refreshCompare); });
    window.addEventListener("storage", function () { if (earlier.length) refreshCompare(); });
    refreshCompare();
  }

  function start() {
    // form.js refuses a model of another build, and then says so itself.
    if (!model || !api || !api.check || !R) return;
    element = R.element;
    isEmpty = R.isEmpty;
    var page = document.querySelector("[data-merge]") ? startMerge : document.querySelector("[data-compare]") ? startCompare : null;
    if (!page) return;
    document.querySelector("[data-files-nojs]").hidden = true;
    document.querySelector("[data-files-ui]").hidden = false;
    page();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
