// normbook.schema: the answers schema the build generates (survey-schema.js, the same
// schema as survey/answers.schema.json) and a small validator that reads it. The
// validator knows the JSON Schema keywords that src/survey/schema.rs writes, and only
// those; a schema using any other is reported, never half-checked. It returns where each
// problem is and which keyword it breaks; normbook.file turns that into words.
(function (normbook) {
  "use strict";

  var generated = window.normbookSchema; // { stamp, schema }

  // Keywords that describe and are not checked. `format` is one: draft 2020-12 makes it
  // an annotation unless a validator opts in (an e-mail address is the user's to get right).
  var ANNOTATIONS = ["$schema", "title", "description", "examples", "format"];
  var CHECKED = ["$ref", "type", "enum", "const", "properties", "required", "additionalProperties", "items", "minItems", "uniqueItems"];

  function has(object, key) {
    return Object.prototype.hasOwnProperty.call(object, key);
  }

  function isObject(v) {
    return !!v && typeof v === "object" && !Array.isArray(v);
  }

  var TYPES = {
    object: isObject,
    array: Array.isArray,
    string: function (v) { return typeof v === "string"; },
    boolean: function (v) { return typeof v === "boolean"; },
    integer: function (v) { return Number.isInteger(v); },
    number: function (v) { return typeof v === "number" && isFinite(v); },
    "null": function (v) { return v === null; }
  };

  /** JSON equality, as `enum`, `const` and `uniqueItems` compare. */
  function equal(a, b) {
    if (a === b) return true;
    if (!a || !b || typeof a !== "object" || typeof b !== "object" || Array.isArray(a) !== Array.isArray(b)) return false;
    var keys = Object.keys(a);
    return keys.length === Object.keys(b).length && keys.every(function (k) { return has(b, k) && equal(a[k], b[k]); });
  }

  /** The schema a local `$ref` ("#/properties/answers") points to. */
  function resolve(ref, root) {
    var steps = ref.replace(/^#\/?/, "").split("/").filter(Boolean);
    return steps.reduce(function (at, step) {
      var key = decodeURIComponent(step).replace(/~1/g, "/").replace(/~0/g, "~");
      return at && has(at, key) ? at[key] : undefined;
    }, root);
  }

  /** The keywords of `schema` (and of every schema inside it) that this validator does
   *  not know: [] for the schemas the build writes. */
  function unchecked(schema) {
    var found = [];
    var visit = function (s) {
      if (!isObject(s)) return;
      Object.keys(s).forEach(function (k) {
        if (CHECKED.indexOf(k) < 0 && ANNOTATIONS.indexOf(k) < 0 && found.indexOf(k) < 0) found.push(k);
      });
      Object.keys(s.properties || {}).forEach(function (k) { visit(s.properties[k]); });
      visit(s.items);
      visit(s.additionalProperties);
    };
    visit(schema);
    return found;
  }

  // A schema is walked for unknown keywords once, not once per answer checked.
  var known = new WeakMap();
  function uncheckedOnce(schema) {
    if (!known.has(schema)) known.set(schema, unchecked(schema));
    return known.get(schema);
  }

  /** Every place where `value` breaks `schema`, in the value's own order: { path (keys
   *  and indexes from the top), keyword, schema (the one broken), value, and `name` (a
   *  required key that is missing), `key` (a key not allowed) or `twice` (a repeated item) }. */
  function problems(value, schema, root) {
    var unknown = uncheckedOnce(root || schema);
    if (unknown.length) return [{ path: [], keyword: "unchecked", names: unknown, schema: schema, value: value }];
    var found = [];
    walk(value, schema, root || schema, [], found);
    return found;
  }

  function walk(value, schema, root, path, found) {
    var add = function (keyword, extra) {
      found.push(Object.assign({ path: path, keyword: keyword, schema: schema, value: value }, extra || {}));
    };
    if (schema.$ref) walk(value, resolve(schema.$ref, root) || {}, root, path, found);
    if (schema.type !== undefined && ![].concat(schema.type).some(function (t) { return TYPES[t] && TYPES[t](value); })) {
      return add("type"); // nothing else can be said of a value of the wrong type
    }
    if (schema.enum && !schema.enum.some(function (v) { return equal(v, value); })) add("enum");
    if (has(schema, "const") && !equal(schema.const, value)) add("const");
    if (isObject(value)) walkObject(value, schema, root, path, found, add);
    if (Array.isArray(value)) walkArray(value, schema, root, path, found, add);
  }

  function walkObject(value, schema, root, path, found, add) {
    (schema.required || []).forEach(function (name) {
      if (!has(value, name)) add("required", { name: name });
    });
    var properties = schema.properties || {};
    var others = schema.additionalProperties;
    Object.keys(value).forEach(function (key) {
      var at = path.concat([key]);
      if (has(properties, key)) walk(value[key], properties[key], root, at, found);
      else if (others === false) add("additionalProperties", { key: key });
      else if (isObject(others)) walk(value[key], others, root, at, found);
    });
  }

  function walkArray(value, schema, root, path, found, add) {
    if (schema.minItems !== undefined && value.length < schema.minItems) add("minItems");
    if (schema.uniqueItems) {
      var twice = value.filter(function (v, i) { return value.slice(0, i).some(function (w) { return equal(v, w); }); });
      if (twice.length) add("uniqueItems", { twice: twice[0] });
    }
    if (isObject(schema.items)) {
      value.forEach(function (item, i) { walk(item, schema.items, root, path.concat([i]), found); });
    }
  }

  /** The schema of an answers file, as the build generated it. */
  function fileSchema() {
    return generated.schema;
  }

  /** The schema of the answer to question `id`, or undefined when the survey has none. */
  function answerSchema(id) {
    var answers = generated.schema.properties.answers.properties;
    return has(answers, id) ? answers[id] : undefined;
  }

  /** Whether `value` fits question `id` as the schema says. */
  function fits(id, value) {
    var schema = answerSchema(id);
    return !!schema && problems(value, schema, generated.schema).length === 0;
  }

  normbook.schema = {
    stamp: generated && generated.stamp,
    problems: problems,
    unchecked: unchecked,
    fileSchema: fileSchema,
    answerSchema: answerSchema,
    fits: fits
  };
})(window.normbook = window.normbook || {});
