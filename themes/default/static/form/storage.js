// normbook.storage: the answers kept in this browser (localStorage, one key per survey),
// and how answers given to any version of the spec come into this one. Writing can fail
// (storage full or switched off): `store` then says so and storage keeps what it held.
//
// The stored state: { version, answers: {id: value}, details: {id: text}, separate: [ids],
//   retired: { answers, details, separate }, prepared_by: "Ministry of ..." }
// `retired` keeps answers to questions the spec no longer asks (removed, or changed so
// that the answer no longer fits), under the ids they were given to, until the user
// deletes them. `separate` lists the ids whose answers go to the points-of-contact file: a
// retired answer still goes where it went when it was given. In memory the state is the
// same with `preparedBy` for `prepared_by`.
(function (normbook) {
  "use strict";

  var model = window.normbookSurvey;
  var KEY = model ? "normbook:" + model.id : "";

  function has(object, key) {
    return !!object && Object.prototype.hasOwnProperty.call(object, key);
  }

  /** The ids of any number of { id: ... } objects, each once. */
  function idsOf() {
    var seen = {};
    Array.prototype.forEach.call(arguments, function (object) {
      Object.keys(object || {}).forEach(function (id) { seen[id] = true; });
    });
    return Object.keys(seen);
  }

  function emptyState() {
    return { version: model.version, answers: {}, details: {}, retired: { answers: {}, details: {}, separate: [] }, preparedBy: "" };
  }

  /** The question that takes an answer given under `id` (its own, or the one renamed from
   *  it: the spec's `renamed_from`, which no schema of one version can say). */
  function currentId(id) {
    if (model.questions[id]) return id;
    var renamed = model.renamed[id];
    return renamed && model.questions[renamed] ? renamed : null;
  }

  function isSeparate(id) {
    return model.questions[id].separate;
  }

  /** Adds answers given under any version of the spec to `state`: each goes to its current
   *  question when that has no answer yet and the answer fits it (as the schema says),
   *  else it is retired. `wasSeparate(id)` says whether it belongs in the points-of-contact
   *  file. Returns how many were retired. */
  function take(state, answers, details, wasSeparate) {
    var retired = 0;
    idsOf(answers, details).forEach(function (id) {
      var to = currentId(id);
      var hasAnswer = has(answers, id);
      var hasDetails = has(details, id);
      var free = to && !has(state.answers, to) && !has(state.details, to);
      if (free && (!hasAnswer || normbook.schema.fits(to, answers[id]))) {
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

  /** A test of whether an id is in `list` (anything but a list holds none). */
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
    if (typeof raw.prepared_by === "string") state.preparedBy = raw.prepared_by;
    return state;
  }

  /** The state kept in this browser; an empty one when there is none or it is unreadable. */
  function load() {
    try {
      var raw = JSON.parse(window.localStorage.getItem(KEY));
      return raw ? fromStored(raw) : emptyState();
    } catch (e) {
      return emptyState();
    }
  }

  /** Writes `next` to storage; false when the browser refused it (storage full or off),
   *  in which case storage holds what it held before. */
  function store(next) {
    var stored = {
      version: next.version,
      answers: next.answers,
      details: next.details,
      separate: idsOf(next.answers, next.details).filter(isSeparate),
      retired: next.retired,
      prepared_by: next.preparedBy
    };
    try {
      window.localStorage.setItem(KEY, JSON.stringify(stored));
      return true;
    } catch (e) {
      return false;
    }
  }

  normbook.storage = {
    key: KEY,
    has: has,
    idsOf: idsOf,
    emptyState: emptyState,
    currentId: currentId,
    isSeparate: isSeparate,
    take: take,
    listed: listed,
    load: load,
    store: store
  };
})(window.normbook = window.normbook || {});
