// normbook.branching: which questions the answers ask. A question behind a gate is asked
// when the question that opens it is asked and has one of the gate's answers (the spec's
// `branch`, given to the browser as `gates` in survey-model.js). Answers to questions the
// branching skips are kept (a changed mind brings them back) but are never exported,
// printed or reviewed as answers.
(function (normbook) {
  "use strict";

  var model = window.normbookSurvey;

  /** Whether the branching of `answers` asks question `id`. `memo` (an object) keeps what
   *  was found, for many questions of the same answers. */
  function asks(answers, id, memo) {
    if (id in memo) return memo[id];
    var gates = model.gates[id];
    memo[id] = !gates || gates.some(function (gate) {
      return asks(answers, gate.from, memo) && gate.values.indexOf(answers[gate.from]) >= 0;
    });
    return memo[id];
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

  /** `from` ({ answers, details }) split as the branching of `answers` asks its questions
   *  (`current`) or skips them (`hidden`). Ids the survey does not know stay current. */
  function split(from, answers) {
    var memo = {};
    var asked = function (id) { return !model.questions[id] || asks(answers, id, memo); };
    return {
      current: pick(from, asked),
      hidden: pick(from, function (id) { return !asked(id); })
    };
  }

  normbook.branching = { asks: asks, pick: pick, split: split };
})(window.normbook = window.normbook || {});
