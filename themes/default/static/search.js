// The search box and its results panel, on pagefind's own API (`pagefind/pagefind.js` of
// this site, found from this script's address, so it works under any sub-path).
//
// Results open in a panel over the page: typing searches as you go and keeps focus in the
// box; Enter or the down arrow moves focus into the panel; Escape or its close button shuts
// it and gives focus back to the box. Each result lists its best paragraphs by report and
// number ("A/76/135, para. 24"), each a link to that paragraph's anchor. Opened from a
// folder (file://), where pagefind cannot load its index, the box says so instead.
(function () {
  "use strict";
  var box = document.getElementById("search");
  if (!box) return;
  var root = new URL(".", document.currentScript.src);
  if (root.protocol === "file:") {
    var note = document.createElement("p");
    note.className = "search-unavailable";
    note.textContent = "Search works when the handbook is served by a web server, not when its pages are opened from a folder.";
    box.appendChild(note);
    return;
  }

  var MAX_RESULTS = 30; // loaded, ranked and shown at once; a longer list asks for more words
  var MAX_PARAGRAPHS = 3; // best paragraphs shown under each page
  var TITLE_LENGTH = 80; // characters of a paragraph's or heading's name in a result
  var DELAY = 200; // ms of quiet typing before a search runs
  var FILTERS = ["report", "pillar"];

  var ui = buildBox();
  var pagefind = null; // the module, once asked for
  var timer = 0;
  var run = 0; // the latest search; an older one that ends later is dropped

  function element(tag, attrs, text) {
    var el = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (name) { el.setAttribute(name, attrs[name]); });
    if (text) el.textContent = text;
    return el;
  }

  function buildBox() {
    var form = element("form", { class: "search-form" });
    var label = element("label", { for: "search-input", class: "search-label" }, "Search the handbook");
    var input = element("input", {
      id: "search-input", type: "search", autocomplete: "off", spellcheck: "false", placeholder: "Search the handbook",
      "aria-controls": "search-panel",
    });
    form.append(label, input);
    var panel = element("div", { id: "search-panel", class: "search-panel", role: "dialog", "aria-labelledby": "search-panel-heading", hidden: "" });
    var head = element("div", { class: "search-panel-head" });
    var heading = element("h2", { id: "search-panel-heading" }, "Search results");
    var close = element("button", { type: "button", class: "search-close", "aria-label": "Close search results" }, "Close");
    head.append(heading, close);
    var status = element("p", { class: "search-status", role: "status" });
    var filters = element("div", { class: "search-filters" });
    var list = element("ol", { class: "search-results" });
    panel.append(head, status, filters, list);
    box.append(form, panel);
    return { form: form, input: input, panel: panel, close: close, status: status, filters: filters, list: list, selects: {} };
  }

  /** pagefind, loaded once on first use (a promise, so searches typed meanwhile share it). */
  function load() {
    if (!pagefind) {
      pagefind = import(new URL("pagefind/pagefind.js", root).href).then(async function (api) {
        await api.options({ baseUrl: root.pathname });
        await api.init();
        addFilters(await api.filters());
        return api;
      });
    }
    return pagefind;
  }

  /** A select for each filter the index has (report, pillar), "All" first. */
  function addFilters(available) {
    FILTERS.forEach(function (name) {
      var values = Object.keys(available[name] || {}).sort();
      if (!values.length) return;
      var label = element("label", {}, name.charAt(0).toUpperCase() + name.slice(1) + " ");
      var select = element("select", { "data-filter": name });
      select.append(element("option", { value: "" }, "All"));
      values.forEach(function (value) { select.append(element("option", { value: value }, value)); });
      select.addEventListener("change", function () { search(); });
      label.append(select);
      ui.filters.append(label);
      ui.selects[name] = select;
    });
  }

  function chosenFilters() {
    var chosen = {};
    Object.keys(ui.selects).forEach(function (name) {
      if (ui.selects[name].value) chosen[name] = ui.selects[name].value;
    });
    return chosen;
  }

  async function search() {
    var query = ui.input.value.trim();
    var mine = ++run;
    if (!query) {
      closePanel();
      return;
    }
    var api = await load();
    var found = await api.search(query, { filters: chosenFilters() });
    if (mine !== run || !found) return;
    var results = await Promise.all(found.results.slice(0, MAX_RESULTS).map(function (r) { return r.data(); }));
    if (mine !== run) return;
    show(query, rank(query, results), found.results.length);
  }

  /**
   * pagefind indexes word stems, so "attributes" and "attribution" are one entry to it and
   * its ranking cannot prefer the word typed. Pages holding every word exactly as typed come
   * first; within each group, pagefind's order stands.
   */
  function rank(query, results) {
    var words = query.toLowerCase().split(/\s+/).filter(Boolean).map(function (word) {
      return new RegExp("(^|[^\\p{L}\\p{N}])" + word.replace(/[.*+?^${}()|[\]\\]/g, "\\$&") + "($|[^\\p{L}\\p{N}])", "iu");
    });
    var exact = function (data) { return words.every(function (word) { return word.test(data.content); }); };
    return results.map(function (data, order) { return { data: data, exact: exact(data), order: order }; })
      .sort(function (a, b) { return (b.exact - a.exact) || (a.order - b.order); })
      .map(function (r) { return r.data; });
  }

  function show(query, results, total) {
    ui.list.replaceChildren.apply(ui.list, results.map(result));
    var count = total === 1 ? "1 page" : total + " pages";
    var shown = total > results.length ? " (the first " + results.length + " shown: add words to narrow it)" : "";
    ui.status.textContent = total ? count + " found for “" + query + "”" + shown + "." : "Nothing found for “" + query + "”.";
    openPanel();
  }

  /** One page: its title, then its best paragraphs, each named and linked to its anchor. */
  function result(data) {
    var item = element("li", { class: "search-result" });
    var title = element("a", { class: "search-result-title", href: data.url }, data.meta.title || data.url);
    if (data.meta.symbol) title.prepend(element("span", { class: "search-symbol" }, data.meta.symbol + " "));
    item.append(title);
    var paragraphs = bestParagraphs(data);
    if (!paragraphs.length) {
      item.append(excerpt(data.excerpt));
      return item;
    }
    var list = element("ul", { class: "search-paragraphs" });
    paragraphs.forEach(function (sub) {
      var entry = element("li");
      entry.append(element("a", { href: sub.url }, shortened(sub.title)), excerpt(sub.excerpt));
      list.append(entry);
    });
    item.append(list);
    return item;
  }

  /** The parts of a page under an anchor, those matching most strongly first. */
  function bestParagraphs(data) {
    var score = function (sub) {
      return (sub.weighted_locations || []).reduce(function (sum, l) { return sum + l.balanced_score; }, 0);
    };
    return (data.sub_results || [])
      .filter(function (sub) { return sub.url !== data.url; })
      .map(function (sub, order) { return { sub: sub, score: score(sub), order: order }; })
      .sort(function (a, b) { return (b.score - a.score) || (a.order - b.order); })
      .slice(0, MAX_PARAGRAPHS)
      .map(function (r) { return r.sub; });
  }

  /** A heading that quotes a whole norm, cut at a word to a line or so. */
  function shortened(title) {
    if (title.length <= TITLE_LENGTH) return title;
    return title.slice(0, title.lastIndexOf(" ", TITLE_LENGTH)) + "…";
  }

  /** pagefind's excerpt (escaped text with <mark> around the words found), as nodes. */
  function excerpt(html) {
    var p = element("p", { class: "search-excerpt" });
    (html || "").split(/<\/?mark>/).forEach(function (part, i) {
      var decoder = document.createElement("textarea");
      decoder.innerHTML = part; // a textarea's content is text: entities decode, tags do not form
      p.append(i % 2 ? element("mark", {}, decoder.value) : decoder.value);
    });
    return p;
  }

  function openPanel() {
    ui.panel.hidden = false;
  }

  function closePanel() {
    ui.panel.hidden = true;
  }

  function closeAndReturn() {
    closePanel();
    ui.input.focus();
  }

  function focusFirstResult() {
    var first = ui.list.querySelector("a");
    (first || ui.close).focus();
  }

  ui.input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(search, DELAY);
  });
  // A closed panel with results comes back on a click in the box or the down arrow (not on
  // focus alone: focus comes back to the box when the panel closes).
  function reopen() {
    if (!ui.input.value.trim() || !ui.list.childElementCount) return false;
    openPanel();
    return true;
  }
  ui.input.addEventListener("click", reopen);
  ui.input.addEventListener("keydown", function (event) {
    if (event.key === "ArrowDown" && reopen()) {
      event.preventDefault();
      focusFirstResult();
    }
  });
  ui.form.addEventListener("submit", async function (event) {
    event.preventDefault();
    clearTimeout(timer);
    await search();
    if (!ui.panel.hidden) focusFirstResult();
  });
  ui.close.addEventListener("click", closeAndReturn);
  box.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && !ui.panel.hidden) {
      event.preventDefault();
      closeAndReturn();
    }
  });
  // A click elsewhere on the page, or focus moving out of the box, closes the panel.
  document.addEventListener("pointerdown", function (event) {
    if (!box.contains(event.target)) closePanel();
  });
  box.addEventListener("focusout", function (event) {
    if (event.relatedTarget && !box.contains(event.relatedTarget)) closePanel();
  });
})();
