// normbook.limits: word limits. Counts the words of a text, finds every text of the
// answers over its limit (question, instance, item, field), and says so in the words the
// page, the review and the error summary use. Plain data in, plain data out.
(function (normbook) {
  "use strict";

  var model = window.normbookSurvey;

  function countWords(text) {
    return text.trim().split(/\s+/).filter(Boolean).length;
  }

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
  function message(problem) {
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

  normbook.limits = { countWords: countWords, overLimit: overLimit, message: message };
})(window.normbook = window.normbook || {});
