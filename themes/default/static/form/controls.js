// normbook.controls: a question's answer read from its controls and written back to them,
// of every kind (choices, texts, lists, groups of fields, repeated items, one set per
// instance), and the adding and numbering of repeated items. Everything the user typed is
// written back with .value, never as HTML.
(function (normbook) {
  "use strict";

  var model = window.normbookSurvey;

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

  /** The controls of `container` that `selector` finds, not those of nested fields. */
  function own(container, selector) {
    return Array.prototype.filter.call(container.querySelectorAll(selector), function (el) {
      return el.closest("[data-field], [data-q]") === container;
    });
  }

  function readMultiple(container) {
    var selected = own(container, "input[data-option]:checked").map(function (el) { return el.value; });
    var specify = {};
    own(container, "textarea[data-specify]").forEach(function (el) {
      if (el.value.trim()) specify[el.getAttribute("data-specify")] = el.value;
    });
    return { selected: selected, specify: specify };
  }

  function readPlain(container, kind) {
    if (kind === "single") {
      var checked = own(container, "input[data-option]:checked")[0];
      return checked ? checked.value : null;
    }
    if (kind === "multiple") return readMultiple(container);
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

  /** The repeated items of `holder` (a question, or one instance of it). */
  function items(holder) {
    return Array.prototype.filter.call(holder.querySelectorAll("[data-item]"), function (el) {
      return el.parentElement && el.parentElement.hasAttribute("data-items");
    });
  }

  function readGroupBody(holder, question) {
    if (!question.repeat) return fieldsOf(holder);
    return items(holder).map(fieldsOf).filter(function (item) { return !isEmpty(item); });
  }

  /** [instance id, element] for each instance of a group question; [null, container] for one without. */
  function holders(container, question) {
    if (question.instances.length === 0) return [[null, container]];
    return question.instances.map(function (id) {
      return [id, container.querySelector('[data-instance="' + id + '"]')];
    }).filter(function (pair) { return pair[1]; });
  }

  /** The answer that the controls of question `container` hold. */
  function read(container) {
    var question = model.questions[container.getAttribute("data-q")];
    if (question.kind !== "group") return readPlain(container, question.kind);
    if (question.instances.length === 0) return readGroupBody(container, question);
    var out = {};
    holders(container, question).forEach(function (pair) { out[pair[0]] = readGroupBody(pair[1], question); });
    return out;
  }

  /** Adds an item made from the theme's `template` (never user text) to `list`. */
  function addItem(list, template) {
    var index = String(Date.now()) + String(Math.floor(Math.random() * 1000));
    var scratch = document.createElement("div");
    scratch.innerHTML = template.innerHTML.split("__i__").join(index);
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

  function setItemCount(holder, count) {
    var list = holder.querySelector("[data-items]");
    var template = holder.querySelector("template[data-item-template]");
    var current = items(holder);
    while (current.length > Math.max(count, 1)) current.pop().remove();
    for (var i = current.length; i < count; i++) addItem(list, template);
    renumber(holder);
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

  /** Puts `value` and `details` into the controls of question `container`. */
  function write(container, value, details) {
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
    var box = own(container, "textarea[data-details]")[0];
    if (box) box.value = details || "";
  }

  /** The details text of question `container`, as typed; null when it has no details box. */
  function readDetails(container) {
    var box = own(container, "textarea[data-details]")[0];
    return box ? box.value : null;
  }

  /** Shows each "please specify" box whose option is ticked, within `scope`. */
  function showSpecify(scope) {
    Array.prototype.forEach.call(scope.querySelectorAll("[data-specify-for]"), function (box) {
      var choice = box.closest(".choice");
      var tick = choice && choice.querySelector("input[data-option]");
      box.hidden = !(tick && tick.checked);
    });
  }

  normbook.controls = {
    isEmpty: isEmpty,
    own: own,
    items: items,
    read: read,
    readDetails: readDetails,
    write: write,
    addItem: addItem,
    renumber: renumber,
    showSpecify: showSpecify
  };
})(window.normbook = window.normbook || {});
