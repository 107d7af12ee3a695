// normbook.file: the answers file. What an export holds and its name, its download (the
// browser's own, no request), reading a chosen file, and checking one: against the schema
// the build generated (normbook.schema), then for the two rules no schema of one version
// can say (below). Problems are told in words that name the question.
(function (normbook) {
  "use strict";

  var model = window.normbookSurvey;
  var storage = normbook.storage;
  var branching = normbook.branching;

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

  /** What of `state` goes into the file of `contents`: its current answers, the ones kept
   *  for questions the branching skips (`hidden`), and its retired ones. */
  function subset(state, contents) {
    var separate = contents === "separate";
    var mine = branching.pick(state, function (id) { return storage.isSeparate(id) === separate; });
    var split = branching.split(mine, state.answers);
    var part = split.current;
    part.hidden = split.hidden;
    var wasSeparate = storage.listed(state.retired.separate);
    part.retired = branching.pick(state.retired, function (id) { return wasSeparate(id) === separate; });
    return part;
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

  /** A chosen file's text: a promise of { name, text }, text null when it cannot be read. */
  function read(chosen) {
    return new Promise(function (resolve) {
      var reader = new FileReader();
      reader.onload = function () { resolve({ name: chosen.name, text: String(reader.result) }); };
      reader.onerror = function () { resolve({ name: chosen.name, text: null }); };
      reader.readAsText(chosen);
    });
  }

  /** A file's text as { file, contents } when it is an answers file that fits, else
   *  { problem } (and `json: false` when it is not JSON at all). */
  function parse(text) {
    if (text === null) return { problem: "it could not be read" };
    var file;
    try {
      file = JSON.parse(text);
    } catch (e) {
      return { problem: "it is not a JSON file", json: false };
    }
    var checked = check(file);
    return checked[0] ? { problem: checked[0] } : { file: file, contents: checked[1] };
  }

  // ---- checking a file ----

  function isObject(v) {
    return !!v && typeof v === "object" && !Array.isArray(v);
  }

  /** Checks a parsed file; returns [problem, contents], the problem "" when it fits. */
  function check(file) {
    var found = normbook.schema.problems(asThisVersion(file), normbook.schema.fileSchema());
    if (found.length) return [say(first(found))];
    var misplaced = misplacedIn(file.answers, file.contents) || misplacedIn((file.hidden || {}).answers, file.contents);
    if (misplaced) return ["question " + misplaced + " does not belong in this file"];
    return ["", file.contents];
  }

  /** What the schema checks of `file`. A file of another version of the spec may answer
   *  questions this one does not ask (renamed or removed); those are left out here, as no
   *  schema of this version can say them: the import moves each to its new id or keeps it
   *  apart (normbook.storage.take). A file of this version is checked whole. */
  function asThisVersion(file) {
    if (!isObject(file) || file.version === model.version) return file;
    var known = function (from, schemaOf) {
      if (!isObject(from)) return from;
      var out = {};
      Object.keys(from).forEach(function (id) { if (schemaOf(id)) out[id] = from[id]; });
      return out;
    };
    var answer = normbook.schema.answerSchema;
    var details = function (id) { return (normbook.schema.fileSchema().properties.details.properties || {})[id]; };
    var copy = Object.assign({}, file, { answers: known(file.answers, answer), details: known(file.details, details) });
    if (isObject(file.hidden)) copy.hidden = Object.assign({}, file.hidden, { answers: known(file.hidden.answers, answer), details: known(file.hidden.details, details) });
    return copy;
  }

  /** The first question of `answers` whose file is not `contents`: points of contact
   *  (`separate`) go to a file of their own. Both files share one schema, so it cannot say. */
  function misplacedIn(answers, contents) {
    return Object.keys(answers || {}).filter(function (id) {
      return model.questions[id] && model.questions[id].separate !== (contents === "separate");
    })[0];
  }

  /** The problem to tell: what file it is comes before what is wrong inside it. */
  function first(found) {
    var about = function (key) { return found.filter(function (p) { return p.path[0] === key || p.name === key; })[0]; };
    return found[0].path.length === 0 && found[0].keyword === "type" ? found[0] : about("format") || about("survey") || found[0];
  }

  // ---- problems in words ----

  var TYPE_NAMES = { string: "a text", boolean: "true or false", integer: "a whole number", number: "a number", "null": "empty", array: "a list", object: "a set of fields" };

  /** What a value of `schema` is, in the words of the form. */
  function expected(schema) {
    var items = schema.items || {};
    // A choice of several options is written as its `selected` list.
    if (schema.type === "object" && (schema.properties || {}).selected) return "a list of options";
    if (schema.type === "array" && items.enum) return "a list of options";
    if (schema.type === "array" && items.type === "string") return "a list of texts";
    return [].concat(schema.type).map(function (t) { return TYPE_NAMES[t] || t; }).join(" or ");
  }

  /** What is wrong, as the end of a sentence: "is not one of its options". */
  function wrong(problem) {
    switch (problem.keyword) {
      case "type": return "is not " + expected(problem.schema);
      case "enum": return "is not one of its options";
      case "const": return "is not " + JSON.stringify(problem.schema.const);
      case "required": return "has no '" + problem.name + "'";
      case "additionalProperties": return "has an unknown entry '" + problem.key + "'";
      case "minItems": return problem.schema.minItems === 1 ? "is an empty list" : "has fewer than " + problem.schema.minItems + " entries";
      case "uniqueItems": return "holds " + JSON.stringify(problem.twice) + " twice";
      default: return "breaks the rule '" + problem.keyword + "'";
    }
  }

  /** " (item 1, 'title')": where in an answer, after its question. */
  function within(path) {
    if (!path.length) return "";
    return " (" + path.map(function (step) { return typeof step === "number" ? "item " + (step + 1) : "'" + step + "'"; }).join(", ") + ")";
  }

  /** A problem of `answers` or `details` (path: [question id, ...within]). */
  function aboutAnswer(what, path, problem, suffix) {
    var id = path[0];
    if (id === undefined && problem.keyword === "additionalProperties") {
      var asked = model.questions[problem.key];
      if (what === "details" && asked) return "question " + problem.key + " has no details" + suffix;
      return "it answers question " + problem.key + ", which this survey does not ask" + suffix;
    }
    if (id === undefined) return (what === "answers" ? "it has no answers" : "its details are malformed") + suffix;
    var subject = what === "details" ? "the details field of " + id : "the answer to " + id;
    return subject + within(path.slice(1)) + " " + wrong(problem) + suffix;
  }

  /** The sentence (after "Nothing was imported: ") that tells `problem` of a file. */
  function say(problem) {
    var path = problem.path;
    var top = path[0] !== undefined ? path[0] : problem.name;
    if (problem.keyword === "unchecked") return "the survey's schema uses " + problem.names.join(", ") + ", which this page cannot check";
    if (top === "format") return "it is not an answers file of this handbook";
    if (top === "survey") return problem.keyword === "required" ? "it does not say which survey it answers" : "it holds answers to another survey (" + String(problem.value) + ")";
    if (path.length === 0 && problem.keyword === "type") return "it is not an answers file";
    if (path.length === 0 && problem.keyword === "required") return problem.name === "answers" ? "it has no answers" : "it has no '" + problem.name + "'";
    if (path.length === 0) return "it holds '" + problem.key + "', which an answers file does not";
    if (top === "answers" || top === "details") return aboutAnswer(top, path.slice(1), problem, "");
    if (top === "hidden" && (path[1] === "answers" || path[1] === "details")) return aboutAnswer(path[1], path.slice(2), problem, " (kept for a skipped question)");
    if (top === "hidden") return "its answers kept for skipped questions are malformed";
    if (top === "retired") return "its answers to questions no longer asked are malformed";
    return "its '" + top + "'" + within(path.slice(1)) + " " + wrong(problem);
  }

  /** The state `state` becomes with the answers of `file` (of `contents`, checked): the
   *  answers of that kind replaced as a whole, never half; retired answers kept, the
   *  file's own joining them. Returns { next, retired, kept } (kept: answers for
   *  questions the branching skips that found their question). */
  function imported(state, file, contents) {
    var separate = contents === "separate";
    var next = branching.pick(state, function (id) { return storage.isSeparate(id) !== separate; });
    next.version = model.version;
    next.preparedBy = typeof file.prepared_by === "string" ? file.prepared_by : state.preparedBy;
    next.retired = JSON.parse(JSON.stringify(state.retired));
    var ofThisFile = function () { return separate; };
    var retired = storage.take(next, file.answers, file.details, ofThisFile);
    // Answers kept for skipped questions join the others: the branching hides them again.
    var hidden = file.hidden || {};
    var hiddenRetired = storage.take(next, hidden.answers, hidden.details, ofThisFile);
    retired += hiddenRetired;
    retired += storage.take(next, (file.retired || {}).answers, (file.retired || {}).details, ofThisFile);
    var kept = storage.idsOf(hidden.answers, hidden.details).length - hiddenRetired;
    return { next: next, retired: retired, kept: kept };
  }

  normbook.file = {
    newFile: newFile,
    subset: subset,
    download: download,
    fileName: fileName,
    read: read,
    parse: parse,
    check: check,
    imported: imported
  };
})(window.normbook = window.normbook || {});
